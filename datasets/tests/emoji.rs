//! The emoji task's expected result: every WET dataset records it, it counts only RGI emoji, and
//! it is exactly what a leftmost-longest count of RGI sequences over the decompressed stream
//! finds (checked against Unicode's own `emoji-test.txt` when `../shared/datasets/emoji` is
//! present; those checks print "skipped" otherwise).

use flate2::bufread::MultiGzDecoder;
use gluebench_datasets::cache::{Cache, DatasetSpec, Manifest};
use gluebench_datasets::page::EMOJI;
use gluebench_datasets::{
    generate_wet, names, spec, write_wet, Corpus, Page, WetSpec, WriteOptions,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The RGI emoji set (UTS #51 `RGI_Emoji`) and what a matcher needs to know about it.
struct Rgi {
    set: HashSet<String>,
    /// Code points of the longest sequence.
    longest: usize,
    /// First code points of the sequences.
    starts: HashSet<char>,
}

/// The fully-qualified and component lines of Unicode's `emoji-test.txt`, or `None` (and
/// "skipped" on stderr) when the file is absent.
fn rgi_set() -> Option<Rgi> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/datasets/emoji/17.0_emoji-test.txt");
    let Ok(text) = std::fs::read_to_string(&p) else {
        eprintln!(
            "skipped: {} not found (real samples are optional)",
            p.display()
        );
        return None;
    };
    let mut set = HashSet::new();
    for line in text.lines() {
        let data = line.split('#').next().unwrap();
        let Some((cps, status)) = data.split_once(';') else {
            continue;
        };
        if matches!(status.trim(), "fully-qualified" | "component") {
            let s: String = cps
                .split_whitespace()
                .map(|h| char::from_u32(u32::from_str_radix(h, 16).unwrap()).unwrap())
                .collect();
            set.insert(s);
        }
    }
    // Emoji 17.0: 3,944 fully-qualified + 9 component sequences.
    assert_eq!(set.len(), 3953, "unexpected emoji-test.txt");
    Some(Rgi {
        longest: set.iter().map(|s| s.chars().count()).max().unwrap(),
        starts: set.iter().map(|s| s.chars().next().unwrap()).collect(),
        set,
    })
}

/// Leftmost-longest RGI matches over code points: at each position the longest sequence of the
/// set that starts there, else one code point on.
fn count(rgi: &Rgi, text: &str) -> BTreeMap<String, u64> {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let chars = bounds.len() - 1;
    let mut out = BTreeMap::new();
    let mut i = 0;
    while i < chars {
        let c = text[bounds[i]..].chars().next().unwrap();
        let hit = rgi.starts.contains(&c).then(|| {
            (1..=rgi.longest.min(chars - i))
                .rev()
                .find(|&n| rgi.set.contains(&text[bounds[i]..bounds[i + n]]))
        });
        match hit.flatten() {
            Some(n) => {
                *out.entry(text[bounds[i]..bounds[i + n]].to_string())
                    .or_insert(0) += 1;
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

fn inflate(file: &[u8]) -> String {
    let mut all = Vec::new();
    MultiGzDecoder::new(file).read_to_end(&mut all).unwrap();
    String::from_utf8(all).expect("the stream is UTF-8")
}

fn wet(seed: u64, kib: u64, emoji_per_mb: f64) -> WetSpec {
    WetSpec {
        seed,
        target_bytes: kib << 10,
        emoji_per_mb,
        language: None,
    }
}

/// Every entry of the table marked RGI is one RGI emoji, every other one is not, and repeats of
/// an entry next to spaces, line ends and text give exactly one match per repeat (or none).
#[test]
fn table_rgi_flags_match_unicode_emoji_test() {
    let Some(set) = rgi_set() else { return };
    for &(e, _, rgi) in EMOJI {
        assert_eq!(
            set.set.contains(e),
            rgi,
            "{e:?} ({}) is marked {}",
            code_points(e),
            if rgi {
                "RGI but is not"
            } else {
                "not RGI but is"
            }
        );
        for reps in 1..=5 {
            let run = e.repeat(reps);
            let want: BTreeMap<String, u64> = if rgi {
                [(e.to_string(), reps as u64)].into()
            } else {
                BTreeMap::new()
            };
            for text in [
                run.clone(),
                format!("word {run} word"),
                format!("{run} line\n"),
                format!("line {run}\n{run} next"),
                format!("© 2024 {run} 12 #1 {run}\n"),
            ] {
                assert_eq!(
                    count(&set, &text),
                    scale(&want, text.matches(&run).count()),
                    "{text:?}"
                );
            }
        }
    }
}

fn scale(m: &BTreeMap<String, u64>, k: usize) -> BTreeMap<String, u64> {
    m.iter().map(|(e, n)| (e.clone(), n * k as u64)).collect()
}

fn code_points(s: &str) -> String {
    s.chars()
        .map(|c| format!("U+{:04X}", c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Without Unicode's list: the table has every kind of sequence, no duplicates, and no entry
/// that could merge with a neighbour or its own repeat (a lone modifier, regional indicator or
/// tag, or one that starts with a combining part).
#[test]
fn table_has_every_kind_and_no_merging_entries() {
    let modifier = |c: char| ('\u{1F3FB}'..='\u{1F3FF}').contains(&c);
    let ri = |c: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
    let tag = |c: char| ('\u{E0020}'..='\u{E007F}').contains(&c);
    let mut seen = HashSet::new();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for &(e, w, rgi) in EMOJI {
        assert!(seen.insert(e), "{e:?} twice");
        assert!(w > 0.0);
        let cs: Vec<char> = e.chars().collect();
        let first = cs[0];
        assert!(
            !modifier(first)
                && !tag(first)
                && !matches!(first, '\u{FE0F}' | '\u{200D}' | '\u{20E3}'),
            "{e:?} starts with a combining part"
        );
        assert!(
            cs.iter().take_while(|&&c| ri(c)).count() % 2 == 0,
            "{e:?}: regional indicators must come in pairs"
        );
        let kind = if !rgi {
            "not RGI"
        } else if cs.contains(&'\u{200D}') {
            "ZWJ"
        } else if cs.iter().any(|&c| tag(c)) {
            "tag flag"
        } else if ri(first) {
            "flag"
        } else if cs.contains(&'\u{20E3}') || first == '\u{1F51F}' {
            "keycap"
        } else if cs.iter().skip(1).any(|&c| modifier(c)) {
            "modifier"
        } else if cs.contains(&'\u{FE0F}') {
            "FE0F"
        } else {
            "single"
        };
        *kinds.entry(kind).or_insert(0) += 1;
        if kind == "single" {
            assert_eq!(cs.len(), 1, "{e:?}");
        }
    }
    println!("{kinds:?}");
    for k in [
        "single", "FE0F", "modifier", "ZWJ", "keycap", "flag", "tag flag", "not RGI",
    ] {
        assert!(
            kinds.get(k).copied().unwrap_or(0) >= 3,
            "too few {k} entries: {kinds:?}"
        );
    }
}

/// The recorded counts are exactly a leftmost-longest RGI count of the decompressed stream, at
/// web-like, tweet-like and extreme densities: neither the base text nor the adjacency of
/// insertions adds, merges or splits a match.
#[test]
fn expected_counts_equal_a_count_of_the_output() {
    let Some(set) = rgi_set() else { return };
    for (seed, kib, density) in [
        (1, 192, 10.0),
        (1, 256, 1_400.0),
        (5, 128, 10_000.0),
        (2, 128, 0.0),
    ] {
        let (file, r) = generate_wet(&wet(seed, kib, density));
        let got = count(&set, &inflate(&file));
        let e = &r.emoji_summary;
        assert_eq!(e.counts, got, "seed {seed}, {density}/MB");
        assert_eq!(e.total, got.values().sum::<u64>());
        assert_eq!(e.distinct, got.len() as u64);
        assert_eq!(e.replacements, 0);
        if density >= 1_000.0 {
            assert!(
                e.distinct > 100,
                "{density}/MB: only {} distinct",
                e.distinct
            );
        }
    }
}

/// The base text of a page is the same at every density: only the inserted emoji differ (and no
/// text token is an emoji entry, which would make the base text count).
#[test]
fn base_text_does_not_depend_on_the_density() {
    let entries: HashSet<&str> = EMOJI.iter().map(|e| e.0).collect();
    let is_insertion = |tok: &str| {
        entries.iter().any(|e| {
            tok.starts_with(e)
                && tok.len().is_multiple_of(e.len())
                && tok == e.repeat(tok.len() / e.len())
        })
    };
    let plain = Corpus::new(1, 0.0);
    for density in [10.0, 1_400.0, 10_000.0] {
        let rich = Corpus::new(1, density);
        let mut inserted = 0;
        for i in 0..100 {
            let (a, b) = (Page::generate(&plain, i), Page::generate(&rich, i));
            assert_eq!(
                (&a.url, &a.title, &a.languages),
                (&b.url, &b.title, &b.languages)
            );
            assert_eq!(a.emoji, 0);
            inserted += b.emoji;
            let stripped: Vec<String> = b
                .text
                .split('\n')
                .map(|l| {
                    l.split(' ')
                        .filter(|t| !is_insertion(t))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            assert_eq!(a.text, stripped.join("\n"), "page {i} at {density}/MB");
            assert!(
                a.text.split([' ', '\n']).all(|t| !is_insertion(t)),
                "page {i}"
            );
        }
        assert!(inserted > 0, "{density}/MB inserted nothing");
    }
}

/// Counts list only RGI entries of the table, and add up to what the report says was inserted.
#[test]
fn counts_are_only_of_rgi_entries() {
    let rgi: HashSet<&str> = EMOJI.iter().filter(|e| e.2).map(|e| e.0).collect();
    let (_, r) = generate_wet(&wet(4, 256, 3_000.0));
    let e = &r.emoji_summary;
    assert!(e.total > 500);
    for (k, &n) in &e.counts {
        assert!(rgi.contains(k.as_str()), "{k:?} is not an RGI entry");
        assert!(n > 0);
    }
    assert_eq!(e.total, e.counts.values().sum::<u64>());
    assert_eq!(e.distinct, e.counts.len() as u64);
    // Some insertions were of the non-RGI forms, and they are not counted.
    assert!(
        r.emoji > e.total,
        "{} inserted, {} counted",
        r.emoji,
        e.total
    );
    let share = (r.emoji - e.total) as f64 / r.emoji as f64;
    assert!((0.01..0.08).contains(&share), "non-RGI share {share}");
}

/// The counts are a pure function of the spec (any thread count).
#[test]
fn counts_are_deterministic() {
    let s = wet(9, 256, 1_400.0);
    let run = |threads| {
        let mut out = Vec::new();
        write_wet(
            &s,
            &mut out,
            WriteOptions {
                threads,
                ..Default::default()
            },
        )
        .unwrap()
    };
    let (a, b) = (run(1), run(3));
    assert_eq!(a.emoji_summary, b.emoji_summary);
    assert_eq!((a.emoji, a.text_bytes), (b.emoji, b.text_bytes));
    assert_eq!(a.emoji_summary, generate_wet(&s).1.emoji_summary);
    assert!(a.emoji_summary.total > 0);
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every WET dataset of the registry records `expected["emoji"]` in the documented shape, and
/// `info` agrees with it. (Checked on 128 KiB versions of the registry's specs: same seed and
/// density, so no big file is generated here.)
#[test]
fn every_wet_dataset_records_the_emoji_result() {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let tmp = TempDir(std::env::temp_dir().join(format!(
        "gluebench-datasets-emoji-{}-{nanos}",
        std::process::id()
    )));
    let cache = Cache {
        dir: tmp.0.clone(),
        progress: false,
    };
    let rgi: HashSet<&str> = EMOJI.iter().filter(|e| e.2).map(|e| e.0).collect();
    let mut wets = Vec::new();
    for name in names() {
        let Some(DatasetSpec::Wet(w)) = spec(name) else {
            continue;
        };
        let density = w.emoji_per_mb;
        wets.push((name, density));
        let small = DatasetSpec::Wet(WetSpec {
            target_bytes: 128 << 10,
            ..w
        });
        let ds = cache.ensure_spec(name, &small).unwrap();
        let m: Manifest = serde_json::from_str(
            &std::fs::read_to_string(format!("{}.json", ds.path.display())).unwrap(),
        )
        .unwrap();
        let e = ds
            .expected
            .get("emoji")
            .unwrap_or_else(|| panic!("{name}: no emoji result"));
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["total", "distinct", "replacements", "counts"],
            "{name}"
        );
        let counts = e["counts"].as_object().unwrap();
        let listed: Vec<&String> = counts.keys().collect();
        let mut sorted = listed.clone();
        sorted.sort_by(|a, b| a.chars().cmp(b.chars()));
        assert_eq!(listed, sorted, "{name}: keys not in code point order");
        let mut sum = 0;
        for (k, n) in counts {
            assert!(rgi.contains(k.as_str()), "{name}: {k:?}");
            let n = n.as_u64().unwrap();
            assert!(n > 0, "{name}: zero count for {k:?}");
            sum += n;
        }
        let total = e["total"].as_u64().unwrap();
        assert_eq!(total, sum, "{name}");
        assert_eq!(
            e["distinct"].as_u64().unwrap(),
            counts.len() as u64,
            "{name}"
        );
        assert_eq!(e["replacements"], Value::from(0), "{name}");
        let info = &m.info;
        let inserted = info["emoji"].as_u64().unwrap();
        assert_eq!(
            inserted - info["emoji_not_rgi"].as_u64().unwrap(),
            total,
            "{name}"
        );
        let per_mb = inserted as f64 * 1e6 / info["text_bytes"].as_f64().unwrap();
        assert!(
            (info["emoji_per_mb"].as_f64().unwrap() - per_mb).abs() <= 0.05,
            "{name}"
        );
        if density == 0.0 {
            assert_eq!(total, 0, "{name}");
        }
    }
    let want = [
        ("wet-1m", 10.0),
        ("wet-16m", 10.0),
        ("wet-128m", 10.0),
        ("wet-1m-emoji", 1_400.0),
        ("wet-16m-emoji", 1_400.0),
        ("wet-1m-en", 10.0),
        ("wet-16m-en", 10.0),
        ("wet-4m-d0", 0.0),
        ("wet-4m-d10", 10.0),
        ("wet-4m-d100", 100.0),
        ("wet-4m-d1000", 1_000.0),
        ("wet-4m-d10000", 10_000.0),
    ];
    assert_eq!(wets, want);
}
