//! What the fuzz targets share: the differential checks, written to panic (a libFuzzer crash)
//! on any disagreement. The same rules as `rust_impls/tests/differential.rs`.

use rust_impls::decompress::{self, ErrorKind as GzKind};
use rust_impls::emoji::{self, Counter, EmojiSet};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

pub type GzSummary = Result<(Option<u64>, Vec<u8>), (GzKind, u64)>;

/// Every decompress variant on `input` agrees (Ok data and member count, or error kind and
/// offset); returns the pick's result. The miniz_oxide variant's two known disagreements are
/// excused (see [`miniz_excused`] and `fuzz/README.md`).
pub fn gzip_agree(input: &[u8]) -> GzSummary {
    let summary = |r: Result<decompress::Decompressed, decompress::GzipError>| match r {
        Ok(d) => Ok((d.members, d.data)),
        Err(e) => Err((e.kind, e.offset)),
    };
    let (pick, decode) = decompress::VARIANTS[0];
    let want = summary(decode(input));
    let others: Vec<GzSummary> = decompress::VARIANTS[1..]
        .iter()
        .map(|(_, decoder)| summary(decoder(input)))
        .collect();
    // The pick's documented leniency (libdeflate: "we accept what zlib accepts, plus a bit
    // more": a one-codeword Huffman code answers to `0` and `1`, an incomplete precode): it
    // says Ok, with data that passes CRC-32 and ISIZE, where every other variant says corrupt.
    if want.is_ok()
        && matches!(others.first(), Some(Err((GzKind::Corrupt, _))))
        && others.iter().all(|o| *o == others[0])
    {
        return want;
    }
    for ((name, _), got) in decompress::VARIANTS[1..].iter().zip(others) {
        let same = match (&want, &got) {
            (Ok((m1, d1)), Ok((m2, d2))) => d1 == d2 && (m1.is_none() || m2.is_none() || m1 == m2),
            (a, b) => a == b,
        };
        if !same && !(*name == "miniz_oxide" && miniz_excused(&want, &got, input)) {
            let brief = |s: &GzSummary| match s {
                Ok((m, d)) => format!("Ok(members {m:?}, {} bytes)", d.len()),
                Err(e) => format!("Err{e:?}"),
            };
            panic!(
                "decompress: {name} says {} but {pick} says {}",
                brief(&got),
                brief(&want)
            );
        }
    }
    want
}

/// The miniz_oxide variant's two known disagreements with the pick, each excused only when
/// miniz_oxide's own one-shot inflate of that member's deflate data confirms it:
///
/// 1. the pick says `corrupt` ("invalid distance too far back") and miniz_oxide's streaming
///    inflate, which does not check that a distance stays within the member's output (its
///    window starts as 32 KiB of zeros), says anything else; the one-shot inflate, which
///    checks, fails;
/// 2. the pick says `truncated` and miniz_oxide says `corrupt` for the same member: the input
///    ends inside deflate data that is already invalid, which miniz_oxide sees at once (an
///    empty code-length code, say) while zlib (and zlib-rs, which names libdeflate's errors)
///    waits for more input; the one-shot inflate fails for bad data, not for want of input.
pub fn miniz_excused(pick: &GzSummary, miniz: &GzSummary, input: &[u8]) -> bool {
    use miniz_oxide::inflate::TINFLStatus;
    let one_shot = |at: u64| {
        let member = &input[at as usize..];
        let h = decompress::header_len(member).ok()?;
        miniz_oxide::inflate::decompress_to_vec(&member[h..])
            .err()
            .map(|e| e.status)
    };
    match (pick, miniz) {
        (Err((GzKind::Corrupt, at)), _) => one_shot(*at).is_some(),
        (Err((GzKind::Truncated, at)), Err((GzKind::Corrupt, m))) if at == m => {
            one_shot(*at).is_some_and(|s| s != TINFLStatus::FailedCannotMakeProgress)
        }
        _ => false,
    }
}


/// The input holds something the json task documents as outside its rule (the docstring of
/// `py_impls/json/__init__.py`): a `\u` escape of a surrogate (lone ones are outside; pairs are
/// skipped too, the property tests cover them), a duplicate key, or a number beyond 64-bit or
/// double range, in any line that parses as JSON (from its first `{` on).
pub fn json_outside_rule(data: &[u8]) -> bool {
    let surrogate = data.windows(4).any(|w| {
        w[0] == b'\\'
            && w[1] == b'u'
            && matches!(w[2], b'd' | b'D')
            && matches!(w[3], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
    });
    surrogate
        || data.split(|&b| b == b'\n').any(|line| {
            // From every `{` (the JSON part starts after the second space, but the key may
            // hold braces too): a duplicate key or a number out of range met while parsing.
            let starts = line
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'{')
                .map(|(i, _)| i);
            starts.take(64).any(|at| {
                let text = String::from_utf8_lossy(&line[at..]);
                let mut de = serde_json::Deserializer::from_str(&text);
                de.deserialize_any(NoDup).is_err_and(|e| {
                    let e = e.to_string();
                    e.contains("duplicate key") || e.contains("out of range")
                })
            })
        })
        || big_integer(data)
}

/// A run of 20 or more digits: an integer beyond 64 bits (serde_json reads it as a double,
/// sonic-rs may not).
fn big_integer(data: &[u8]) -> bool {
    data.split(|b| !b.is_ascii_digit())
        .any(|run| run.len() >= 20)
}

/// A visitor that walks any JSON value and fails on a duplicate key.
struct NoDup;

impl<'de> Visitor<'de> for NoDup {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<Walk>()?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key) {
                return Err(serde::de::Error::custom("duplicate key"));
            }
            map.next_value::<Walk>()?;
        }
        Ok(())
    }
}

struct Walk;

impl<'de> serde::Deserialize<'de> for Walk {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDup).map(|()| Walk)
    }
}

/// A small set of every kind of sequence (as in the property tests).
const SMALL_SET: &str = include_str!("../../rust_impls/tests/small-emoji-set.txt");

pub struct Counters {
    pub set: EmojiSet,
    pub counters: Vec<(&'static str, Box<dyn Counter>)>,
}

/// The emoji counters to compare (`scanner`, `swar-trie`, `aho-corasick`), on the RGI set of
/// `GLUEBENCH_EMOJI_SET` (or the bootstrap's `.venv/gluebench/rgi-emoji.txt`), else on a small
/// set of every kind of sequence.
pub fn counters() -> &'static Counters {
    static C: OnceLock<Counters> = OnceLock::new();
    C.get_or_init(|| {
        let path = std::env::var("GLUEBENCH_EMOJI_SET").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../.venv/gluebench/rgi-emoji.txt"
            )
            .into()
        });
        let set = match std::fs::read_to_string(&path) {
            Ok(text) => EmojiSet::parse(&text).expect("the set file parses"),
            Err(_) => {
                eprintln!("emoji: no set at {path}: fuzzing with a small built-in set");
                EmojiSet::parse(SMALL_SET).unwrap()
            }
        };
        eprintln!(
            "emoji: {} sequences; scanner path: {}",
            set.sequences.len(),
            emoji::simd_fallback().unwrap_or("AVX2")
        );
        let counters = emoji::VARIANTS
            .iter()
            .filter(|(name, _)| matches!(*name, "scanner" | "swar-trie" | "aho-corasick"))
            .map(|(name, build)| (*name, build(&set)))
            .collect();
        Counters { set, counters }
    })
}

/// Every counter counts the same on `data`.
pub fn emoji_agree(data: &[u8]) {
    let c = counters();
    let (pick, counter) = &c.counters[0];
    let want = counter.count(data);
    for (name, counter) in &c.counters[1..] {
        let got = counter.count(data);
        assert!(
            got == want,
            "emoji: {name} says {got:?} but {pick} says {want:?}"
        );
    }
}
