//! The emoji scanner: `scanner` (AVX2 where the CPU has it), `swar-trie` (the same trie behind
//! the portable scan) and `aho-corasick` give identical counts and replacements on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gluebench_fuzz::emoji_agree(data);
});
