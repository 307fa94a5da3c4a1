//! `emoji`: count the `RGI_Emoji` sequences in UTF-8 text, leftmost-longest over code points.
//!
//! The rules (the same in every tier; see `py_impls/emoji/__init__.py`): the bytes are decoded
//! as `String::from_utf8_lossy` does (one U+FFFD per maximal invalid subpart, counted as a
//! replacement); at each position the longest sequence of the set that starts there is counted
//! and the scan goes on after it, else it moves one code point on.
//!
//! Matching can work on the raw bytes, without decoding, because every sequence is valid UTF-8
//! and starts with a byte that is never a continuation byte: such a byte always starts a code
//! point (or an invalid subpart) of the lossy decoding, and from there the bytes of a sequence
//! decode to exactly that sequence. So validity only matters for the replacement count, and the
//! pick can validate and match in one pass over the bytes.
//!
//! The pick, `scanner`, reads 64 bytes at a time with AVX2: ASCII costs one test; any other
//! 32-byte block is validated with the lookup algorithm of Keiser and Lemire ("Validating UTF-8
//! in less than one instruction per byte", 2021) and, in the same registers, searched for the
//! positions whose first three bytes can start a sequence (a filter of nibble lookups, see
//! `PrefixFilter`). Only those, a few hundred in 16 MB of WET text, go on to a hash of first
//! code points and a byte trie. The keycaps (`#`, `*`, `0`-`9` + FE0F + 20E3) are the only
//! sequences that start with ASCII; rather than stop at every digit, the scan stops at their
//! second code point's bytes (FE0F is `EF B8 8F`) and looks one byte back. The input is cut
//! into segments of about 4 KiB that start at non-continuation bytes, so each one can be
//! validated alone; only a segment that fails is walked again, by std's `from_utf8`, to count
//! its replacements exactly.
//!
//! The runners-up are the aho-corasick crate on the decoded text, and the same trie behind a
//! portable scan (8 bytes at a time over ASCII, std for the replacements: two passes).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

/// The emoji set: `RGI_Emoji` of one Unicode Emoji version, as written by `py_impls/emoji/rgi.py`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmojiSet {
    pub version: String,
    pub sequences: Vec<String>,
}

impl EmojiSet {
    /// Parses the set file: one sequence per line as hex code points, `#` lines are comments
    /// except `# emoji_version: X` (required) and `# sequences: N` (checked if present).
    pub fn parse(text: &str) -> Result<EmojiSet, String> {
        let (mut version, mut declared) = (None, None);
        let mut sequences = Vec::new();
        let mut seen = HashSet::new();
        for (i, line) in text.lines().enumerate() {
            let bad = |why: &str| format!("line {}: {why}: {line:?}", i + 1);
            let line = line.trim();
            if let Some(comment) = line.strip_prefix('#') {
                let comment = comment.trim();
                if let Some(v) = comment.strip_prefix("emoji_version:") {
                    version = Some(v.trim().to_string());
                } else if let Some(n) = comment.strip_prefix("sequences:") {
                    declared = Some(n.trim().parse::<usize>().map_err(|_| bad("bad count"))?);
                }
                continue;
            }
            if line.is_empty() {
                continue;
            }
            let sequence = line
                .split_whitespace()
                .map(|hex| {
                    u32::from_str_radix(hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| bad("not a hex code point"))
                })
                .collect::<Result<String, _>>()?;
            if !seen.insert(sequence.clone()) {
                return Err(bad("duplicate sequence"));
            }
            sequences.push(sequence);
        }
        let version = version.ok_or("no `# emoji_version:` line")?;
        if let Some(n) = declared.filter(|&n| n != sequences.len()) {
            return Err(format!(
                "`# sequences: {n}` but the file has {}",
                sequences.len()
            ));
        }
        Ok(EmojiSet { version, sequences })
    }
}

/// The task's output: `per_sequence[i]` counts `set.sequences[i]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    pub per_sequence: Vec<u64>,
    pub replacements: u64,
}

impl Counts {
    /// Adds the counts of another part of the same input.
    pub fn add(&mut self, other: &Counts) {
        for (n, m) in self.per_sequence.iter_mut().zip(&other.per_sequence) {
            *n += m;
        }
        self.replacements += other.replacements;
    }
}

/// An emoji counter built once for a set, then run on any number of inputs.
pub trait Counter: Send + Sync {
    fn count(&self, data: &[u8]) -> Counts;
}

pub type Build = fn(&EmojiSet) -> Box<dyn Counter>;

/// Every Rust implementation, the tier's pick first.
pub const VARIANTS: &[(&str, Build)] = &[
    ("scanner", |set| Box::new(Scanner::new(set, Path::Best))),
    ("aho-corasick", |set| Box::new(Aho::new(set))),
    ("swar-trie", |set| {
        Box::new(Scanner::new(set, Path::Portable))
    }),
    ("scanner-2threads", |set| {
        Box::new(TwoThreads(Scanner::new(set, Path::Best)))
    }),
    ("naive-slice-lookup", |set| {
        Box::new(crate::naive::SliceLookup::new(set))
    }),
];

/// Baseline the bench reports the pick against (same buffer): std's UTF-8 validation.
pub fn validate_utf8(data: &[u8]) -> bool {
    std::str::from_utf8(data).is_ok()
}

/// Baseline: reads every byte as fast as the machine can (an XOR over 128-byte strides, which
/// LLVM vectorises; compiled for AVX2 when the CPU has it) and returns the fold.
pub fn memory_read(data: &[u8]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked just above).
        return unsafe { xor_fold_avx2(data) };
    }
    xor_fold(data)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn xor_fold_avx2(data: &[u8]) -> u64 {
    xor_fold(data)
}

#[inline(always)]
fn xor_fold(data: &[u8]) -> u64 {
    let mut acc = [0u64; 16];
    let mut strides = data.chunks_exact(128);
    for stride in &mut strides {
        for (a, word) in acc.iter_mut().zip(stride.chunks_exact(8)) {
            *a ^= u64::from_le_bytes(word.try_into().unwrap());
        }
    }
    let rest = strides.remainder().iter().map(|&b| b as u64);
    acc.iter().copied().chain(rest).fold(0, |x, a| x ^ a)
}

/// The replacements `String::from_utf8_lossy` makes: one per maximal invalid subpart, which is
/// what `Utf8Error::error_len` measures. (`utf8_chunks` counts the same but walks valid text
/// a byte at a time, where `from_utf8` takes ASCII a word at a time.)
pub(crate) fn lossy_replacements(mut data: &[u8]) -> u64 {
    let mut replacements = 0;
    while let Err(e) = std::str::from_utf8(data) {
        replacements += 1;
        let bad = e.error_len().unwrap_or(data.len() - e.valid_up_to());
        data = &data[e.valid_up_to() + bad..];
    }
    replacements
}

// ---------------------------------------------------------------- two threads

/// Where to cut `data` in two parts that can be counted alone: just after the newline nearest
/// the middle (no sequence and no invalid subpart of the lossy decoding spans a newline, so the
/// parts' counts and replacements add up to the whole's); `data.len()` without a newline.
pub fn split_at_newline(data: &[u8]) -> usize {
    let mid = data.len() / 2;
    let before = memchr::memrchr(b'\n', &data[..mid]);
    let after = memchr::memchr(b'\n', &data[mid..]).map(|i| mid + i);
    match (before, after) {
        (Some(b), Some(a)) if mid - b <= a - mid => b + 1,
        (_, Some(a)) => a + 1,
        (Some(b), None) => b + 1,
        (None, None) => data.len(),
    }
}

/// The pick on two threads (`std::thread::scope`): the parts of [`split_at_newline`] are
/// counted at the same time and their counts added.
struct TwoThreads(Scanner);

impl Counter for TwoThreads {
    fn count(&self, data: &[u8]) -> Counts {
        let (first, second) = data.split_at(split_at_newline(data));
        if second.is_empty() {
            return self.0.count(first); // no newline: nothing to share
        }
        let (mut counts, rest) = std::thread::scope(|s| {
            let other = s.spawn(|| self.0.count(second));
            (
                self.0.count(first),
                other.join().expect("a counting thread panicked"),
            )
        });
        counts.add(&rest);
        counts
    }
}

// ---------------------------------------------------------------- aho-corasick

/// The aho-corasick crate, leftmost-longest, over the text (borrowed when it is valid UTF-8).
///
/// Configuration, measured on WET text and tweets: the DFA, about 1.3-2x the speed of either
/// NFA; `byte_classes` and `StartKind::Both` change nothing beyond noise. The `prefilter`
/// option changes nothing at all, because the crate finds none to build for this set: its
/// start-byte and rare-byte prefilters give up beyond 3 distinct bytes (RGI starts with 16, 12
/// of them the ASCII keycap bases `#`, `*`, `0`-`9`, which would stop it at every digit anyway),
/// and Teddy takes at most 128 patterns. So every byte goes through the DFA.
struct Aho {
    ac: AhoCorasick,
    n: usize,
}

impl Aho {
    fn new(set: &EmojiSet) -> Self {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&set.sequences)
            .expect("the emoji set builds an Aho-Corasick automaton");
        Aho {
            ac,
            n: set.sequences.len(),
        }
    }
}

impl Counter for Aho {
    fn count(&self, data: &[u8]) -> Counts {
        let (text, replacements) = match std::str::from_utf8(data) {
            Ok(text) => (Cow::Borrowed(text), 0),
            Err(_) => (String::from_utf8_lossy(data), lossy_replacements(data)),
        };
        let mut per_sequence = vec![0; self.n];
        for m in self.ac.find_iter(text.as_bytes()) {
            per_sequence[m.pattern().as_usize()] += 1;
        }
        Counts {
            per_sequence,
            replacements,
        }
    }
}

// ---------------------------------------------------------------- the byte trie

const NO_PATTERN: u32 = u32::MAX;

/// A trie node as stored in its parent's child table: its own children are
/// `slots[base..base + span]`, for the bytes `lo..lo + span`. Keeping the node in the parent's
/// slot makes each byte of a walk one load.
#[derive(Debug, Clone, Copy)]
struct Slot {
    base: u32,
    pattern: u32,
    lo: u8,
    span: u16,
}

const EMPTY: Slot = Slot {
    base: 0,
    pattern: NO_PATTERN,
    lo: 0,
    span: 0,
};

struct Trie {
    root: Slot,
    slots: Vec<Slot>,
}

impl Trie {
    fn new(sequences: &[String]) -> Trie {
        #[derive(Default)]
        struct Node {
            kids: BTreeMap<u8, usize>,
            pattern: Option<u32>,
        }
        let mut nodes = vec![Node::default()];
        for (i, s) in sequences.iter().enumerate() {
            let mut at = 0;
            for &b in s.as_bytes() {
                at = match nodes[at].kids.get(&b) {
                    Some(&next) => next,
                    None => {
                        nodes.push(Node::default());
                        let next = nodes.len() - 1;
                        nodes[at].kids.insert(b, next);
                        next
                    }
                };
            }
            if at != 0 && nodes[at].pattern.is_none() {
                nodes[at].pattern = Some(i as u32);
            }
        }
        fn place(nodes: &[Node], at: usize, slots: &mut Vec<Slot>) -> Slot {
            let node = &nodes[at];
            let pattern = node.pattern.unwrap_or(NO_PATTERN);
            let (Some((&lo, _)), Some((&hi, _))) =
                (node.kids.first_key_value(), node.kids.last_key_value())
            else {
                return Slot { pattern, ..EMPTY };
            };
            let base = slots.len();
            slots.resize(base + (hi - lo) as usize + 1, EMPTY);
            for (&b, &kid) in &node.kids {
                slots[base + (b - lo) as usize] = place(nodes, kid, slots);
            }
            Slot {
                base: base as u32,
                pattern,
                lo,
                span: (hi - lo) as u16 + 1,
            }
        }
        let mut slots = Vec::new();
        let root = place(&nodes, 0, &mut slots);
        Trie { root, slots }
    }

    /// The node after the bytes `prefix`, if some sequence starts with them.
    fn after(&self, prefix: &[u8]) -> Option<Slot> {
        let mut node = self.root;
        for &b in prefix {
            let k = b.wrapping_sub(node.lo) as usize;
            node = *self.slots[node.base as usize..][..node.span as usize].get(k)?;
        }
        (node.span > 0 || node.pattern != NO_PATTERN).then_some(node)
    }

    /// The longest sequence that is a prefix of `data[start..]`: (pattern, end).
    #[inline]
    fn longest(&self, data: &[u8], start: usize) -> Option<(u32, usize)> {
        self.walk(self.root, data, start)
    }

    /// The longest match that goes on from `node`, reached at `data[start]`: (pattern, end).
    #[inline]
    fn walk(&self, mut node: Slot, data: &[u8], start: usize) -> Option<(u32, usize)> {
        let mut best = (node.pattern != NO_PATTERN).then_some((node.pattern, start));
        for (j, &b) in data[start..].iter().enumerate() {
            let k = b.wrapping_sub(node.lo) as usize;
            if k >= node.span as usize {
                break;
            }
            // An empty slot has no children either: the next byte ends the walk.
            node = self.slots[node.base as usize + k];
            if node.pattern != NO_PATTERN {
                best = Some((node.pattern, start + j + 1));
            }
        }
        best
    }
}

/// The trie node after each distinct non-ASCII first code point of the set, in an open
/// addressing hash table keyed by the code point's UTF-8 bytes: one load where the byte walk
/// takes two to four, which matters because a sparse candidate finds the trie evicted from L1
/// by the text streamed past since the last one.
struct Firsts {
    /// (key, node); key 0 is a free entry (a key's first byte is a lead byte, never 0).
    entries: Vec<(u32, Slot)>,
    shift: u32,
}

impl Firsts {
    fn new(trie: &Trie, sequences: &[String]) -> Firsts {
        let mut firsts: Vec<char> = sequences
            .iter()
            .filter_map(|s| s.chars().next())
            .filter(|c| !c.is_ascii())
            .collect();
        firsts.sort_unstable();
        firsts.dedup();
        let size = (2 * firsts.len()).next_power_of_two().max(16);
        let mut table = Firsts {
            entries: vec![(0, EMPTY); size],
            shift: 32 - size.trailing_zeros(),
        };
        for c in firsts {
            let mut utf8 = [0; 4];
            let len = c.encode_utf8(&mut utf8).len();
            let node = trie
                .after(&utf8[..len])
                .expect("a first code point is in the trie");
            let key = u32::from_le_bytes(utf8);
            let mut h = table.slot(key);
            while table.entries[h].0 != 0 {
                h = (h + 1) & (size - 1);
            }
            table.entries[h] = (key, node);
        }
        table
    }

    fn slot(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9e37_79b1) >> self.shift) as usize
    }

    /// The node after the code point at `data[i]` and where it ends, if a sequence starts
    /// with that code point.
    #[inline]
    fn get(&self, data: &[u8], i: usize) -> Option<(Slot, usize)> {
        // The code point's length by its lead byte's high nibble (a lead byte: it passed the
        // filter), and the mask that keeps that many bytes of a little-endian word.
        const LEN: [u8; 16] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4];
        let len = LEN[(data[i] >> 4) as usize] as usize;
        let key = match data.get(i..i + 4) {
            Some(word) => {
                u32::from_le_bytes(word.try_into().unwrap()) & (u32::MAX >> (32 - 8 * len))
            }
            None => data
                .get(i..i + len)?
                .iter()
                .rev()
                .fold(0, |key, &b| key << 8 | b as u32),
        };
        let mut h = self.slot(key);
        loop {
            let (k, node) = self.entries[h];
            if k == key {
                return Some((node, i + len));
            }
            if k == 0 {
                return None;
            }
            h = (h + 1) & (self.entries.len() - 1);
        }
    }
}

// ---------------------------------------------------------------- the scanner

/// Why the scanner (the pick) runs its portable path instead of AVX2 here, if it does: the CPU
/// has no AVX2, or `GLUEBENCH_NO_AVX2` is set (to see what such a machine gets). The results
/// record it on every row that ran the scanner. The portable path is the `swar-trie` variant:
/// 0.08x of the AVX2 path on wet-16m.
pub fn simd_fallback() -> Option<&'static str> {
    static WHY: std::sync::OnceLock<Option<&'static str>> = std::sync::OnceLock::new();
    *WHY.get_or_init(|| {
        if std::env::var_os("GLUEBENCH_NO_AVX2").is_some_and(|v| !v.is_empty()) {
            return Some("portable scan: GLUEBENCH_NO_AVX2 is set");
        }
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("avx2") {
            return None;
        }
        Some("portable scan: this CPU has no AVX2")
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Path {
    /// AVX2 when the CPU has it, else the portable scan.
    Best,
    Portable,
    /// Every start byte is a candidate: for sets the fast paths' assumptions do not hold for.
    Generic,
}

/// `FLAGS[b]`: `b` starts a sequence.
const STARTS: u8 = 1;
/// `b` is ASCII and starts a sequence (a keycap base).
const ASCII_STARTS: u8 = 2;

/// Which positions can be where a match is found, by their first three bytes: a sequence that
/// starts with a non-ASCII code point starts there, one that starts with ASCII (a keycap)
/// starts one byte back (there are its second code point's bytes, the anchor).
///
/// A position passes when, for its bytes b0 b1 b2, the AND of the six tables at the six
/// nibbles (`t[0][b0 >> 4] & t[1][b0 & 15] & t[2][b1 >> 4] & ...`) is not zero: each bit is
/// one product of nibble sets, and the 8 products cover the set's 3-byte prefixes. They start
/// as one per (b0, b1) pair, with its third bytes' nibbles, and the two whose merger admits the
/// fewest extra prefixes are merged until 8 are left (for RGI, 36 pairs). An extra prefix with
/// second byte 0x80 weighs 100: U+2000-203F (’ “ ” — …) and U+3000-303F (、。「」) are the
/// most common 3-byte characters of web text, and keeping them out is most of the filter's
/// worth. For RGI, on 16 MB of generated WET text, it passes 334 positions, where the
/// (lead, second byte) pairs alone pass 27,000 (mostly 。、’ “ ”).
#[derive(Debug, Clone, Copy, Default)]
struct PrefixFilter {
    t: [[u8; 16]; 6],
}

impl PrefixFilter {
    fn new(prefixes: &HashSet<Vec<u8>>) -> PrefixFilter {
        type Product = [u16; 6];
        let mut by_pair: BTreeMap<(u8, u8), Product> = BTreeMap::new();
        for p in prefixes {
            let product = by_pair.entry((p[0], p[1])).or_default();
            for (m, &b) in p.iter().enumerate() {
                product[2 * m] |= 1 << (b >> 4);
                product[2 * m + 1] |= 1 << (b & 15);
            }
            if p.len() < 3 {
                product[4] = u16::MAX; // any third byte
                product[5] = u16::MAX;
            }
        }
        let cost = |p: &Product| -> u64 {
            let n = |m: u16| m.count_ones() as u64;
            let heavy = p[2] & 1 << 8 != 0 && p[3] & 1 != 0; // second byte 0x80
            n(p[0]) * n(p[1]) * (n(p[2]) * n(p[3]) + if heavy { 99 } else { 0 }) * n(p[4]) * n(p[5])
        };
        let merge = |a: &Product, b: &Product| -> Product { std::array::from_fn(|m| a[m] | b[m]) };
        let mut products: Vec<Product> = by_pair.into_values().collect();
        while products.len() > 8 {
            let mut best = (u64::MAX, 0, 0);
            for i in 0..products.len() {
                for j in i + 1..products.len() {
                    let merged = cost(&merge(&products[i], &products[j]));
                    let extra = merged.saturating_sub(cost(&products[i]) + cost(&products[j]));
                    if extra < best.0 {
                        best = (extra, i, j);
                    }
                }
            }
            let (_, i, j) = best;
            products[i] = merge(&products[i], &products[j]);
            products.swap_remove(j);
        }
        let mut f = PrefixFilter::default();
        for (bit, product) in products.iter().enumerate() {
            for (m, set) in product.iter().enumerate() {
                for nibble in (0..16).filter(|n| set & 1 << n != 0) {
                    f.t[m][nibble] |= 1 << bit;
                }
            }
        }
        f
    }

    #[inline]
    fn passes(&self, b: [u8; 3]) -> bool {
        let t = &self.t;
        let (hi, lo) = (
            |m: usize| (b[m] >> 4) as usize,
            |m: usize| (b[m] & 15) as usize,
        );
        t[0][hi(0)] & t[1][lo(0)] & t[2][hi(1)] & t[3][lo(1)] & t[4][hi(2)] & t[5][lo(2)] != 0
    }
}

/// The pick (and, with the portable path forced, a runner-up).
struct Scanner {
    trie: Trie,
    firsts: Firsts,
    flags: [u8; 256],
    filter: PrefixFilter,
    path: Path,
    /// The set has U+FFFD in a sequence (RGI does not): then the replacements that decoding
    /// makes can be part of a match, and the bytes of invalid input are no stand-in for them.
    matches_fffd: bool,
    n: usize,
}

impl Scanner {
    fn new(set: &EmojiSet, path: Path) -> Scanner {
        let mut flags = [0u8; 256];
        let mut prefixes = HashSet::new();
        // The fast paths rely on: ASCII only ever as the first byte of a sequence, followed by
        // a non-ASCII code point (so a match never ends on ASCII and a base byte right before
        // an anchor can never be inside an earlier match).
        let mut fast = true;
        for s in set.sequences.iter().map(|s| s.as_bytes()) {
            let Some(&first) = s.first() else { continue };
            flags[first as usize] |= STARTS;
            let rest = if first.is_ascii() {
                flags[first as usize] |= ASCII_STARTS;
                &s[1..]
            } else {
                s
            };
            fast &= rest.len() >= 2 && rest.iter().all(|b| !b.is_ascii());
            prefixes.insert(rest[..rest.len().min(3)].to_vec());
        }
        let trie = Trie::new(&set.sequences);
        Scanner {
            firsts: Firsts::new(&trie, &set.sequences),
            trie,
            flags,
            filter: if fast {
                PrefixFilter::new(&prefixes)
            } else {
                PrefixFilter::default()
            },
            path: if fast { path } else { Path::Generic },
            matches_fffd: set.sequences.iter().any(|s| s.contains('\u{fffd}')),
            n: set.sequences.len(),
        }
    }

    /// At a candidate `i` (>= `resume`, the end of the last match): the match there, or at
    /// `i - 1` for a sequence that starts with ASCII. Returns the match's end.
    #[inline]
    fn at(&self, data: &[u8], i: usize, resume: usize, tally: &mut Tally) -> Option<usize> {
        let keycap = if i > resume && self.flags[data[i - 1] as usize] & ASCII_STARTS != 0 {
            self.trie.longest(data, i - 1)
        } else {
            None
        };
        let (pattern, end) = match keycap {
            Some(found) => found,
            None => {
                let (node, next) = self.firsts.get(data, i)?;
                self.trie.walk(node, data, next)?
            }
        };
        tally.add(pattern);
        Some(end)
    }

    fn run(&self, data: &[u8], tally: &mut Tally) -> u64 {
        if self.matches_fffd && std::str::from_utf8(data).is_err() {
            let text = String::from_utf8_lossy(data);
            self.scan(text.as_bytes(), tally);
            return lossy_replacements(data);
        }
        self.scan(data, tally)
    }

    fn scan(&self, data: &[u8], tally: &mut Tally) -> u64 {
        match self.path {
            #[cfg(target_arch = "x86_64")]
            Path::Best if simd_fallback().is_none() => {
                // SAFETY: the CPU supports AVX2 (checked just above).
                unsafe { avx2::scan(self, data, tally) }
            }
            Path::Best | Path::Portable => self.scan_portable(data, tally),
            Path::Generic => self.scan_generic(data, tally),
        }
    }

    /// Portable: skip 8 ASCII bytes at a time, test the prefix filter on other bytes; the
    /// replacements in a second pass.
    fn scan_portable(&self, data: &[u8], tally: &mut Tally) -> u64 {
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let (mut i, mut resume) = (0, 0);
        while i < data.len() {
            if let Some(word) = data.get(i..i + 8) {
                if u64::from_le_bytes(word.try_into().unwrap()) & HIGH == 0 {
                    i += 8;
                    continue;
                }
            }
            // Only a lead byte can pass: continuation bytes, 2 in 3 of the rest, fail at once.
            let byte = |k: usize| data.get(k).copied().unwrap_or(0);
            if data[i] >= 0xc0
                && i >= resume
                && self.filter.passes([data[i], byte(i + 1), byte(i + 2)])
            {
                if let Some(end) = self.at(data, i, resume, tally) {
                    resume = end;
                }
            }
            i += 1;
        }
        lossy_replacements(data)
    }

    /// Generic: the trie at every start byte (every byte that starts a sequence is a code
    /// point boundary of the lossy decoding, so no decoding is needed here either).
    fn scan_generic(&self, data: &[u8], tally: &mut Tally) -> u64 {
        let mut i = 0;
        while i < data.len() {
            if self.flags[data[i] as usize] & STARTS != 0 {
                if let Some((pattern, end)) = self.trie.longest(data, i) {
                    tally.add(pattern);
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        lossy_replacements(data)
    }
}

/// The matches, by pattern, counted in batches: an increment of a count the text has not
/// touched for a while misses the caches, and a batch lets those misses overlap, where one at
/// each match would wait in line with the match's own lookups.
struct Tally<'a> {
    counts: &'a mut [u64],
    batch: [u32; 256],
    len: usize,
}

impl<'a> Tally<'a> {
    fn new(counts: &'a mut [u64]) -> Self {
        Tally {
            counts,
            batch: [0; 256],
            len: 0,
        }
    }

    #[inline]
    fn add(&mut self, pattern: u32) {
        self.batch[self.len] = pattern;
        self.len += 1;
        if self.len == self.batch.len() {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for &pattern in &self.batch[..self.len] {
            self.counts[pattern as usize] += 1;
        }
        self.len = 0;
    }
}

impl Counter for Scanner {
    fn count(&self, data: &[u8]) -> Counts {
        let mut per_sequence = vec![0; self.n];
        let mut tally = Tally::new(&mut per_sequence);
        let replacements = self.run(data, &mut tally);
        tally.flush();
        Counts {
            per_sequence,
            replacements,
        }
    }
}

/// Segments are validated alone; one that fails is walked again to count its replacements, so
/// a rare bad byte costs a re-read of about this many bytes.
const SEGMENT: usize = 1 << 12;

/// The end of the segment that starts at `start`: at least `SEGMENT` bytes on, at a byte that
/// is not a continuation byte (such a byte always starts a code point or an invalid subpart of
/// the lossy decoding, so the segments' replacements add up to the whole input's).
fn segment_end(data: &[u8], start: usize) -> usize {
    let mut end = (start + SEGMENT).min(data.len());
    while end < data.len() && data[end] & 0xc0 == 0x80 {
        end += 1;
    }
    end
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{lossy_replacements, segment_end, Scanner, Tally};
    use std::arch::x86_64::*;

    /// Keiser-Lemire error classes of (previous byte, byte) pairs, as in simdjson/simdutf8.
    const TOO_SHORT: u8 = 1 << 0;
    const TOO_LONG: u8 = 1 << 1;
    const OVERLONG_3: u8 = 1 << 2;
    const TOO_LARGE: u8 = 1 << 3;
    const SURROGATE: u8 = 1 << 4;
    const OVERLONG_2: u8 = 1 << 5;
    const TOO_LARGE_1000: u8 = 1 << 6;
    const OVERLONG_4: u8 = 1 << 6;
    const TWO_CONTS: u8 = 1 << 7;
    const CARRY: u8 = TOO_SHORT | TOO_LONG | TWO_CONTS;

    const BYTE_1_HIGH: [u8; 16] = [
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TWO_CONTS,
        TWO_CONTS,
        TWO_CONTS,
        TWO_CONTS,
        TOO_SHORT | OVERLONG_2,
        TOO_SHORT,
        TOO_SHORT | OVERLONG_3 | SURROGATE,
        TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4,
    ];
    const BYTE_1_LOW: [u8; 16] = [
        CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,
        CARRY | OVERLONG_2,
        CARRY,
        CARRY,
        CARRY | TOO_LARGE,
        CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
        CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000,
    ];
    const BYTE_2_HIGH: [u8; 16] = [
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
    ];
    /// A block ends inside a sequence if one of its last three bytes needs more bytes after it.
    const INCOMPLETE_ABOVE: [u8; 32] = {
        let mut t = [0xff; 32];
        t[29] = 0xf0 - 1;
        t[30] = 0xe0 - 1;
        t[31] = 0xc0 - 1;
        t
    };

    /// The loop-invariant vectors.
    struct Consts {
        byte_1_high: __m256i,
        byte_1_low: __m256i,
        byte_2_high: __m256i,
        incomplete_above: __m256i,
        /// The prefix filter's tables: hi and lo nibble of the byte, the next, the one after.
        filter: [__m256i; 6],
        nibble: __m256i,
    }

    #[target_feature(enable = "avx2")]
    unsafe fn table(t: &[u8; 16]) -> __m256i {
        _mm256_broadcastsi128_si256(_mm_loadu_si128(t.as_ptr().cast()))
    }

    #[target_feature(enable = "avx2")]
    unsafe fn load(p: *const u8) -> __m256i {
        _mm256_loadu_si256(p.cast())
    }

    #[target_feature(enable = "avx2")]
    unsafe fn high_nibbles(x: __m256i, nibble: __m256i) -> __m256i {
        _mm256_and_si256(_mm256_srli_epi16::<4>(x), nibble)
    }

    /// `hi[v >> 4] & lo[v & 15]` in each byte.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn nibbles(v: __m256i, hi: __m256i, lo: __m256i, nibble: __m256i) -> __m256i {
        _mm256_and_si256(
            _mm256_shuffle_epi8(hi, high_nibbles(v, nibble)),
            _mm256_shuffle_epi8(lo, _mm256_and_si256(v, nibble)),
        )
    }

    /// The SIMD state of one segment's pass: kept apart from the matcher's, so that it stays
    /// in registers while the matcher's (reached through a call) lives in memory.
    struct Check {
        c: Consts,
        error: __m256i,
        prev: __m256i,
        prev_incomplete: __m256i,
    }

    impl Check {
        #[target_feature(enable = "avx2")]
        unsafe fn reset(&mut self) {
            self.error = _mm256_setzero_si256();
            self.prev = _mm256_setzero_si256();
            self.prev_incomplete = _mm256_setzero_si256();
        }

        /// Validates the block `x` (continuing from `self.prev`) and returns its candidates:
        /// bit k if the prefix filter passes the bytes at k; `next` and `after` hold the bytes
        /// one and two on from `x`'s. Branch-free: a mispredicted branch costs more than this.
        #[inline]
        #[target_feature(enable = "avx2")]
        unsafe fn block(&mut self, x: __m256i, next: __m256i, after: __m256i) -> u32 {
            let c = &self.c;
            // Validation: each byte against the three before it.
            let carried = _mm256_permute2x128_si256::<0x21>(self.prev, x);
            let prev1 = _mm256_alignr_epi8::<15>(x, carried);
            let prev2 = _mm256_alignr_epi8::<14>(x, carried);
            let prev3 = _mm256_alignr_epi8::<13>(x, carried);
            let x_hi = high_nibbles(x, c.nibble);
            let special = _mm256_and_si256(
                _mm256_and_si256(
                    _mm256_shuffle_epi8(c.byte_1_high, high_nibbles(prev1, c.nibble)),
                    _mm256_shuffle_epi8(c.byte_1_low, _mm256_and_si256(prev1, c.nibble)),
                ),
                _mm256_shuffle_epi8(c.byte_2_high, x_hi),
            );
            let third = _mm256_subs_epu8(prev2, _mm256_set1_epi8((0xe0u8 - 0x80) as i8));
            let fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8((0xf0u8 - 0x80) as i8));
            let must_continue = _mm256_and_si256(
                _mm256_or_si256(third, fourth),
                _mm256_set1_epi8(0x80u8 as i8),
            );
            self.error = _mm256_or_si256(self.error, _mm256_xor_si256(must_continue, special));
            self.prev_incomplete = _mm256_subs_epu8(x, c.incomplete_above);
            self.prev = x;

            let t = &c.filter;
            let lead = _mm256_and_si256(
                _mm256_shuffle_epi8(t[0], x_hi),
                _mm256_shuffle_epi8(t[1], _mm256_and_si256(x, c.nibble)),
            );
            let pass = _mm256_and_si256(
                lead,
                _mm256_and_si256(
                    nibbles(next, t[2], t[3], c.nibble),
                    nibbles(after, t[4], t[5], c.nibble),
                ),
            );
            !(_mm256_movemask_epi8(_mm256_cmpeq_epi8(pass, _mm256_setzero_si256())) as u32)
        }

        /// An all-ASCII block: nothing to match, valid unless a sequence was left open.
        #[inline]
        #[target_feature(enable = "avx2")]
        unsafe fn ascii(&mut self, x: __m256i) {
            self.error = _mm256_or_si256(self.error, self.prev_incomplete);
            self.prev_incomplete = _mm256_setzero_si256();
            self.prev = x;
        }

        /// Whether the segment so far is valid UTF-8 and ends at the end of a code point.
        #[inline]
        #[target_feature(enable = "avx2")]
        unsafe fn valid(&self) -> bool {
            let error = _mm256_or_si256(self.error, self.prev_incomplete);
            _mm256_testz_si256(error, error) == 1
        }
    }

    /// The matching side of the pass.
    struct Matcher<'a, 'b> {
        scanner: &'a Scanner,
        data: &'a [u8],
        tally: &'a mut Tally<'b>,
        /// The end of the last match: candidates before it are inside it.
        resume: usize,
    }

    impl Matcher<'_, '_> {
        /// Runs the matches at the candidates of `mask` (bit k: position `p + k`).
        fn candidates(&mut self, mut mask: u64, p: usize) {
            while mask != 0 {
                let i = p + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                if i < self.resume {
                    continue;
                }
                if let Some(end) = self.scanner.at(self.data, i, self.resume, self.tally) {
                    self.resume = end;
                }
            }
        }
    }

    /// The whole input: segment by segment; returns the replacements.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn scan(scanner: &Scanner, data: &[u8], tally: &mut Tally) -> u64 {
        let f = &scanner.filter;
        let mut check = Check {
            c: Consts {
                byte_1_high: table(&BYTE_1_HIGH),
                byte_1_low: table(&BYTE_1_LOW),
                byte_2_high: table(&BYTE_2_HIGH),
                incomplete_above: load(INCOMPLETE_ABOVE.as_ptr()),
                filter: [0, 1, 2, 3, 4, 5].map(|m| table(&f.t[m])),
                nibble: _mm256_set1_epi8(0x0f),
            },
            error: _mm256_setzero_si256(),
            prev: _mm256_setzero_si256(),
            prev_incomplete: _mm256_setzero_si256(),
        };
        let mut matcher = Matcher {
            scanner,
            data,
            tally,
            resume: 0,
        };
        let (len, ptr) = (data.len(), data.as_ptr());
        let mut replacements = 0;
        let mut start = 0;
        while start < len {
            let end = segment_end(data, start);
            check.reset();
            let mut p = start;
            // `+ 2`: the `after` loads read two bytes past the blocks.
            while p + 64 <= end && p + 64 + 2 <= len {
                // The text is read once: fetched ahead as non-temporal, it stays out of L2,
                // where the trie and hash entries of sparse candidates can then stay (~10% on
                // 16 MB of WET text; no change on the 1 MB of tweets).
                _mm_prefetch::<_MM_HINT_NTA>(ptr.wrapping_add(p + 1024).cast());
                let (a, b) = (load(ptr.add(p)), load(ptr.add(p + 32)));
                if _mm256_movemask_epi8(_mm256_or_si256(a, b)) == 0 {
                    check.ascii(b);
                } else {
                    let low = check.block(a, load(ptr.add(p + 1)), load(ptr.add(p + 2)));
                    let high = check.block(b, load(ptr.add(p + 33)), load(ptr.add(p + 34)));
                    let mask = low as u64 | (high as u64) << 32;
                    if mask != 0 {
                        matcher.candidates(mask, p);
                    }
                }
                p += 64;
            }
            while p < end {
                // The last blocks; the tail padded with NULs (ASCII) for the check, while the
                // filter sees the real bytes after the segment.
                let (mut x, mut on) = ([0u8; 32], [0u8; 34]);
                let here = &data[p..end.min(p + 32)];
                x[..here.len()].copy_from_slice(here);
                let more = &data[p..len.min(p + 34)];
                on[..more.len()].copy_from_slice(more);
                let (next, after) = (load(on.as_ptr().add(1)), load(on.as_ptr().add(2)));
                let mask = check.block(load(x.as_ptr()), next, after);
                matcher.candidates(mask as u64, p);
                p += 32;
            }
            if !check.valid() {
                replacements += lossy_replacements(&data[start..end]);
            }
            start = end;
        }
        replacements
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load_set() -> Option<EmojiSet> {
        let path = std::env::var("GLUEBENCH_EMOJI_SET").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../.venv/gluebench/rgi-emoji.txt"
            )
            .into()
        });
        match std::fs::read_to_string(&path) {
            Ok(text) => Some(EmojiSet::parse(&text).expect("the set file parses")),
            Err(e) => {
                eprintln!(
                    "skipped: no emoji set at {path} ({e}); `cargo run -- bootstrap` writes it"
                );
                None
            }
        }
    }

    /// The obviously correct reference: decode, then at each code point try every length.
    struct Reference {
        index: HashMap<String, usize>,
        longest: usize,
        n: usize,
    }

    impl Reference {
        fn new(set: &EmojiSet) -> Self {
            let index = set
                .sequences
                .iter()
                .enumerate()
                .map(|(i, s)| (s.clone(), i))
                .collect();
            let longest = set
                .sequences
                .iter()
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0);
            Reference {
                index,
                longest,
                n: set.sequences.len(),
            }
        }

        fn count(&self, data: &[u8]) -> Counts {
            let text = String::from_utf8_lossy(data);
            let chars: Vec<char> = text.chars().collect();
            let mut per_sequence = vec![0; self.n];
            let mut i = 0;
            'scan: while i < chars.len() {
                for len in (1..=self.longest.min(chars.len() - i)).rev() {
                    let s: String = chars[i..i + len].iter().collect();
                    if let Some(&k) = self.index.get(&s) {
                        per_sequence[k] += 1;
                        i += len;
                        continue 'scan;
                    }
                }
                i += 1;
            }
            let replacements = data
                .utf8_chunks()
                .filter(|c| !c.invalid().is_empty())
                .count();
            Counts {
                per_sequence,
                replacements: replacements as u64,
            }
        }
    }

    struct Fixture {
        set: EmojiSet,
        reference: Reference,
        counters: Vec<(String, Box<dyn Counter>)>,
    }

    impl Fixture {
        fn new() -> Option<Self> {
            Some(Fixture::with(load_set()?))
        }

        fn with(set: EmojiSet) -> Self {
            let mut counters: Vec<(String, Box<dyn Counter>)> = VARIANTS
                .iter()
                .map(|(name, build)| (name.to_string(), build(&set)))
                .collect();
            // The paths the AVX2 machine would not take.
            counters.push((
                "generic".into(),
                Box::new(Scanner::new(&set, Path::Generic)),
            ));
            Fixture {
                reference: Reference::new(&set),
                set,
                counters,
            }
        }

        /// Every counter agrees with the reference on `data`; returns the reference's counts.
        fn check(&self, data: &[u8]) -> Counts {
            let expected = self.reference.count(data);
            for (name, counter) in &self.counters {
                let got = counter.count(data);
                if got != expected {
                    panic!(
                        "{name} disagrees on {data:02x?} ({:?}):\n got {}\nwant {}",
                        String::from_utf8_lossy(data),
                        self.describe(&got),
                        self.describe(&expected)
                    );
                }
            }
            expected
        }

        fn describe(&self, c: &Counts) -> String {
            let found: Vec<_> = c
                .per_sequence
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(i, n)| format!("{:?}x{n}", self.set.sequences[i]))
                .collect();
            format!("{found:?}, {} replacements", c.replacements)
        }

        /// The counts as (sequence, count) pairs, for readable assertions.
        fn found(&self, data: &[u8]) -> (Vec<(&str, u64)>, u64) {
            let c = self.check(data);
            let found = c
                .per_sequence
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(i, &n)| (self.set.sequences[i].as_str(), n))
                .collect();
            (found, c.replacements)
        }
    }

    /// A small deterministic PRNG (SplitMix64).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[self.below(items.len())]
        }

        fn sequence<'a>(&mut self, set: &'a EmojiSet) -> &'a [u8] {
            set.sequences[self.below(set.sequences.len())].as_bytes()
        }
    }

    const TEXT: &[&str] = &[
        " ",
        "a",
        "the ",
        "\n",
        "#",
        "*",
        "0",
        "7",
        "9",
        "Привет ",
        "мир",
        "日本語の",
        "。",
        "、",
        "中文",
        "，",
        "café",
        "naïve",
        "é",
        "«",
        "©",
        "®",
        "\u{a0}",
        "’",
        "“",
        "—",
        "…",
        "€",
        "\u{200d}",
        "\u{fe0f}",
        "\u{20e3}",
        "\u{fe0e}",
        "\u{fffd}",
        "\u{feff}",
        "ÿ",
        "ǅ",
        "\u{e0067}",
        "\u{e007f}",
        "\u{1f3fb}",
        "\u{1f1fa}",
        "\u{1d49c}",
        "〰",
        "〽",
        "㊗",
        "\u{2764}",
        "\u{2122}",
        "\u{3030}\u{fe0f}",
        "😀",
        "👨",
        "👩",
    ];

    const INVALID: &[&[u8]] = &[
        b"\x80",
        b"\xbf",
        b"\xc0",
        b"\xc1\x80",
        b"\xc2",
        b"\xe2",
        b"\xe2\x80",
        b"\xf0\x9f",
        b"\xf0\x9f\x98",
        b"\xed\xa0\x80",
        b"\xed\xbf\xbf",
        b"\xe0\x80\x80",
        b"\xf0\x80\x80\x80",
        b"\xf4\x90\x80\x80",
        b"\xf5",
        b"\xf8\x88\x80\x80\x80",
        b"\xff",
        b"\xfe",
        b"\xef\xb8",
        b"\xe2\x83",
        b"\xf3\xa0\x81",
    ];

    fn random_text(rng: &mut Rng, set: &EmojiSet, pieces: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..pieces {
            match rng.below(10) {
                0..=2 => out.extend_from_slice(rng.sequence(set)),
                3 => {
                    // A sequence cut anywhere, even inside a code point.
                    let s = rng.sequence(set);
                    out.extend_from_slice(&s[..rng.below(s.len()) + 1]);
                }
                4 => out.extend_from_slice(rng.pick(INVALID)),
                5 => {
                    for _ in 0..rng.below(40) {
                        out.push(b' ' + rng.below(95) as u8);
                    }
                }
                6 => out.push(rng.next() as u8),
                _ => out.extend_from_slice(rng.pick(TEXT).as_bytes()),
            }
        }
        out
    }

    #[test]
    fn parse_the_file_format() {
        let set = EmojiSet::parse(
            "# x\n# emoji_version: 17.0\n# sequences: 2\n0023 FE0F 20E3\n\n1F600\n",
        )
        .unwrap();
        assert_eq!(set.version, "17.0");
        assert_eq!(set.sequences, ["#\u{fe0f}\u{20e3}", "😀"]);
        let err = EmojiSet::parse("# emoji_version: 1\n1F600\nZZ\n").unwrap_err();
        assert!(err.contains("line 3") && err.contains("ZZ"), "{err}");
        assert!(EmojiSet::parse("1F600\n")
            .unwrap_err()
            .contains("emoji_version"));
        assert!(EmojiSet::parse("# emoji_version: 1\nD800\n")
            .unwrap_err()
            .contains("line 2"));
        assert!(EmojiSet::parse("# emoji_version: 1\n# sequences: 2\n1F600\n").is_err());
        assert!(EmojiSet::parse("# emoji_version: 1\n1F600\n1F600\n")
            .unwrap_err()
            .contains("duplicate"));
    }

    #[test]
    fn the_rgi_set() {
        let Some(f) = Fixture::new() else { return };
        assert_eq!(f.set.sequences.len(), 3953, "RGI_Emoji of Emoji 17.0");
        // The fast paths apply to RGI (else every variant but aho-corasick would be generic).
        assert_eq!(Scanner::new(&f.set, Path::Best).path, Path::Best);
    }

    #[test]
    fn every_sequence_alone_and_in_a_row() {
        let Some(f) = Fixture::new() else { return };
        let mut all = Vec::new();
        for (i, s) in f.set.sequences.iter().enumerate() {
            let c = f.check(s.as_bytes());
            assert_eq!(c.per_sequence[i], 1, "{s:?}");
            assert_eq!(c.per_sequence.iter().sum::<u64>(), 1, "{s:?}");
            all.extend_from_slice(s.as_bytes());
            all.push(b' ');
        }
        let c = f.check(&all);
        assert!(c.per_sequence.iter().all(|&n| n == 1));
        assert_eq!(c.replacements, 0);
    }

    #[test]
    fn every_sequence_at_every_block_offset() {
        let Some(f) = Fixture::new() else { return };
        for pad in ["a", "é"] {
            for offset in 0..70 {
                let before = pad.repeat(offset);
                for (i, s) in f.set.sequences.iter().enumerate() {
                    {
                        let after = ["", " x", "\u{fe0f}\u{200d}"][(offset + i) % 3];
                        let data = format!("{before}{s}{after}");
                        // The naive loop has no blocks to get wrong, and would take 5x the
                        // time of the rest here; every other test holds it to the rule.
                        let blocked = f.counters.iter().filter(|(n, _)| n != "naive-slice-lookup");
                        for (name, counter) in blocked {
                            let c = counter.count(data.as_bytes());
                            let total: u64 = c.per_sequence.iter().sum();
                            assert!(
                                c.per_sequence[i] == 1 && total == 1 && c.replacements == 0,
                                "{name}: {s:?} after {offset} x {pad:?} then {after:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn two_threads_add_up_to_one() {
        assert_eq!(split_at_newline(b""), 0);
        assert_eq!(split_at_newline(b"no newline"), 10);
        assert_eq!(split_at_newline(b"a\nbcdefgh\nij"), 10); // 9 is nearer 6 than 1 is
        assert_eq!(split_at_newline(b"ab\nc\nef"), 3); // a tie goes to the first
        let Some(f) = Fixture::new() else { return };
        let smile = "\u{1F600}".as_bytes();
        for data in [
            [smile, b"\xf0\x9f\x98\n\x80\x80", smile, b"\n", smile].concat(),
            [&smile[..3], b"\n", &smile[1..], smile, b"\n\xff"].concat(),
            [b"#\n" as &[u8], "\u{FE0F}\u{20E3}".as_bytes(), smile].concat(),
        ] {
            f.check(&data);
        }
    }

    #[test]
    fn random_mixtures() {
        let Some(f) = Fixture::new() else { return };
        let mut rng = Rng(0x5eed);
        for case in 0..6000 {
            let pieces = if case % 100 == 0 {
                3000
            } else {
                1 + rng.below(60)
            };
            let data = random_text(&mut rng, &f.set, pieces);
            f.check(&data);
        }
    }

    #[test]
    fn other_sets() {
        // Sets the scanner's fast paths do not assume (ASCII inside or alone: the generic
        // path), and one they do with 2-byte code points and sequences of one code point.
        let sets: [&[&str]; 3] = [
            &["a", "ab", "é", "😀", "1\u{fe0f}\u{20e3}", "x\u{200d}"],
            &[
                "é",
                "éé",
                "ǅ",
                "😀",
                "😀\u{1f3fb}",
                "#\u{20e3}",
                "\u{e0067}\u{e007f}",
            ],
            &[
                "\u{80}",
                "\u{7ff}",
                "\u{800}",
                "\u{ffff}",
                "\u{10000}",
                "\u{10ffff}",
                "\u{fffd}",
            ],
        ];
        let mut rng = Rng(11);
        for sequences in sets {
            let set = EmojiSet {
                version: "test".into(),
                sequences: sequences.iter().map(|s| s.to_string()).collect(),
            };
            let f = Fixture::with(set);
            for s in sequences {
                assert_eq!(f.found(s.as_bytes()).0, [(*s, 1)]);
            }
            for _ in 0..2000 {
                let pieces = 1 + rng.below(40);
                let mut data = random_text(&mut rng, &f.set, pieces);
                if rng.below(2) == 0 {
                    data.extend_from_slice("ab éé ǅ 😀\u{1f3fb} #\u{20e3}".as_bytes());
                }
                f.check(&data);
            }
        }
    }

    #[test]
    fn long_inputs_cross_segments() {
        let Some(f) = Fixture::new() else { return };
        let mut rng = Rng(7);
        for _ in 0..4 {
            // Mostly text, the odd emoji and bad byte, several segments long.
            let mut data = Vec::new();
            while data.len() < 3 * SEGMENT + 1000 {
                match rng.below(100) {
                    0..=2 => data.extend_from_slice(rng.sequence(&f.set)),
                    3 => data.extend_from_slice(rng.pick(INVALID)),
                    4..=40 => data.extend_from_slice(rng.pick(TEXT).as_bytes()),
                    _ => data.extend_from_slice(b"plain ascii "),
                }
            }
            f.check(&data);
            // Each segment cut is also tried at every byte of a sequence across it.
            for cut in SEGMENT - 40..SEGMENT + 4 {
                let mut d = vec![b'x'; cut];
                d.extend_from_slice("©\u{fe0f}👨\u{200d}👩\u{200d}👧 1\u{fe0f}\u{20e3}".as_bytes());
                d.extend_from_slice(&data[..100]);
                f.check(&d);
            }
        }
    }

    #[test]
    fn rules() {
        let Some(f) = Fixture::new() else { return };
        let none: Vec<(&str, u64)> = vec![];
        assert_eq!(f.found(b""), (none.clone(), 0));
        // Keycaps.
        assert_eq!(
            f.found("#\u{fe0f}\u{20e3}".as_bytes()).0,
            [("#\u{fe0f}\u{20e3}", 1)]
        );
        assert_eq!(
            f.found("#\u{20e3} # #\u{fe0f} 5\u{fe0f}x".as_bytes()).0,
            none
        );
        assert_eq!(
            f.found("1\u{fe0f}\u{20e3}2\u{fe0f}\u{20e3}".as_bytes()).0,
            [("1\u{fe0f}\u{20e3}", 1), ("2\u{fe0f}\u{20e3}", 1)]
        );
        assert_eq!(
            f.found("11\u{fe0f}\u{20e3}".as_bytes()).0,
            [("1\u{fe0f}\u{20e3}", 1)]
        );
        // Flags: pairs of regional indicators, an odd one left over.
        assert_eq!(f.found("🇺🇸🇩".as_bytes()).0, [("🇺🇸", 1)]);
        // A tag sequence, and one cut short (its black flag still counts).
        let scotland = "\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}";
        assert_eq!(f.found(scotland.as_bytes()).0, [(scotland, 1)]);
        assert_eq!(f.found(&scotland.as_bytes()[..12]).0, [("\u{1f3f4}", 1)]);
        // A ZWJ sequence counts once; cut by the end, its longest prefix in the set.
        assert_eq!(
            f.found("👨\u{200d}👩\u{200d}👧".as_bytes()).0,
            [("👨\u{200d}👩\u{200d}👧", 1)]
        );
        assert_eq!(f.found("👨\u{200d}".as_bytes()).0, [("👨", 1)]);
        assert_eq!(f.found(&"👨\u{200d}👩".as_bytes()[..9]).0, [("👨", 1)]);
        // Skin tones alone, U+2764 with and without FE0F.
        assert_eq!(f.found("\u{1f3fb}".as_bytes()).0, [("\u{1f3fb}", 1)]);
        assert_eq!(
            f.found("\u{2764} \u{2764}\u{fe0f}".as_bytes()).0,
            [("\u{2764}\u{fe0f}", 1)]
        );
        // Invalid UTF-8: one replacement per maximal subpart; U+FFFD itself is not one.
        assert_eq!(f.found(b"\xed\xa0\x80").1, 3);
        assert_eq!(f.found(b"\xc0\x80\xe0\x80\x80\xf0\x80\x80\x80").1, 9);
        assert_eq!(f.found(b"\xf0\x9f\x98").1, 1);
        assert_eq!(f.found("\u{fffd}".as_bytes()), (none.clone(), 0));
        // A bad byte breaks a sequence: 1 + FE0F + (bad) + 20E3.
        assert_eq!(f.found(b"1\xef\xb8\x8f\xff\xe2\x83\xa3"), (none, 1));
        assert_eq!(f.found(b"\xf0\xf0\x9f\x98\x80").0, [("😀", 1)]);
    }

    #[test]
    fn baselines() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        assert_eq!(memory_read(&data), xor_fold(&data));
        assert_ne!(memory_read(&data), 0);
        assert!(validate_utf8("é".as_bytes()) && !validate_utf8(b"\xff"));
    }
}
