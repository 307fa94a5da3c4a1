//! The `emoji` task end to end through `check`: every tier, Rust and Python, on every sequence
//! of the pinned set, on adversarial text with hand-written counts, on the generated datasets
//! (against what their generator inserted), on the real samples in `../shared` when present,
//! and on bad input.

mod common;

use common::{assert_every_tier, assert_no_failures, scratch, shared_datasets};
use gluebench::check::{self, Options, Report, Status};
use gluebench::task::{Summary, Tier};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn check(input: Option<PathBuf>, dataset: Option<&str>, expected: Option<Summary>) -> Report {
    let opts = Options {
        task: "emoji".into(),
        input,
        dataset: dataset.map(String::from),
        tiers: vec![],
        full: true,
        index: None,
        expected,
    };
    check::run(&opts).expect("check runs")
}

fn set() -> &'static rust_impls::emoji::EmojiSet {
    gluebench::tasks::emoji::set().expect("the emoji set loads")
}

/// The summary every tier must give for these counts (zero counts are left out).
fn expect(counts: &BTreeMap<String, u64>, replacements: u64) -> Summary {
    let found: Map<String, Value> = counts
        .iter()
        .filter(|(_, &n)| n > 0)
        .map(|(e, &n)| (e.clone(), json!(n)))
        .collect();
    let v = json!({
        "emoji_version": set().version, "total": counts.values().sum::<u64>(),
        "distinct": found.len(), "replacements": replacements, "counts": found,
    });
    v.as_object().cloned().unwrap()
}

/// `check` on a file of `data` with a hand-written expectation: every tier agrees with it
/// (a `known_mismatch` variant may differ, as it declares).
fn assert_counts(name: &str, data: &[u8], counts: &BTreeMap<String, u64>, replacements: u64) {
    let path = scratch(&format!("emoji-{name}")).join(format!("{name}.txt"));
    std::fs::write(&path, data).unwrap();
    let report = check(Some(path), None, Some(expect(counts, replacements)));
    assert_every_tier(&report, name);
    assert_no_failures(&report, name);
    assert!(
        report
            .rows
            .iter()
            .filter(|r| r.status == Status::Ok)
            .count()
            >= 6,
        "{name}: fewer rows agree than there are tiers"
    );
}

/// Hand-written counts: (emoji, how many).
type Found<'a> = &'a [(&'a str, u64)];

fn tally(list: Found) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for (e, n) in list {
        *m.entry(e.to_string()).or_insert(0) += n;
    }
    m
}

#[test]
fn the_set_is_rgi_emoji_of_the_pinned_version() {
    let set = set();
    assert_eq!(set.version, "17.0");
    assert_eq!(
        set.sequences.len(),
        3953,
        "RGI_Emoji 17.0 has 3,953 sequences"
    );
    let Some(shared) = shared_datasets() else {
        eprintln!("skipped the cross-check: ../shared/datasets is not here");
        return;
    };
    let ours: BTreeSet<&str> = set.sequences.iter().map(String::as_str).collect();
    // emoji-test.txt: the fully-qualified and component lines.
    let test = std::fs::read_to_string(shared.join("emoji/17.0_emoji-test.txt")).unwrap();
    let from_test: BTreeSet<String> = data_lines(&test)
        .filter(|(_, fields)| matches!(fields[0], "fully-qualified" | "component"))
        .map(|(cps, _)| cps)
        .collect();
    assert_eq!(ours, from_test.iter().map(String::as_str).collect());
    // emoji-sequences.txt (with its code point ranges) plus emoji-zwj-sequences.txt.
    let mut from_sequences = BTreeSet::new();
    for file in ["17.0_emoji-sequences.txt", "17.0_emoji-zwj-sequences.txt"] {
        let text = std::fs::read_to_string(shared.join("emoji").join(file)).unwrap();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let cps = line.split(';').next().unwrap().trim();
            if let Some((a, b)) = cps.split_once("..") {
                let (a, b) = (hex(a), hex(b));
                from_sequences.extend((a..=b).map(|c| char::from_u32(c).unwrap().to_string()));
            } else {
                from_sequences.insert(
                    cps.split_whitespace()
                        .map(|c| char::from_u32(hex(c)).unwrap())
                        .collect::<String>(),
                );
            }
        }
    }
    assert_eq!(ours, from_sequences.iter().map(String::as_str).collect());
}

fn hex(s: &str) -> u32 {
    u32::from_str_radix(s.trim(), 16).unwrap()
}

/// (sequence, `;`-separated fields after the code points) of a Unicode data file's lines.
fn data_lines(text: &str) -> impl Iterator<Item = (String, Vec<&str>)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let l = l.split('#').next().unwrap();
            let mut parts = l.split(';');
            let cps = parts.next().unwrap();
            let seq = cps
                .split_whitespace()
                .map(|c| char::from_u32(hex(c)).unwrap())
                .collect();
            (seq, parts.map(str::trim).collect())
        })
}

#[test]
fn every_sequence_of_the_set_counts_once_in_every_tier() {
    let mut text = String::new();
    for (i, s) in set().sequences.iter().enumerate() {
        text.push_str(s);
        text.push(if i % 40 == 39 { '\n' } else { ' ' });
    }
    let counts = set().sequences.iter().map(|s| (s.clone(), 1)).collect();
    assert_counts("every-sequence", text.as_bytes(), &counts, 0);
}

#[test]
fn adversarial_text_in_every_tier() {
    // Each line a case with its hand-written count; lines never merge (a newline is in no
    // sequence). The cases whose point is the end of the input get files of their own below.
    let cases: &[(&[u8], Found, u64)] = &[
        (b"plain ASCII: 0123456789 # * no emoji", &[], 0),
        ("😀".as_bytes(), &[("😀", 1)], 0),
        ("👨‍👩‍👧‍👦 a family is one".as_bytes(), &[("👨‍👩‍👧‍👦", 1)], 0),
        ("❤ alone, then ❤️".as_bytes(), &[("❤️", 1)], 0),
        (
            "☺ ☺️ © ©️ ™ ™️".as_bytes(),
            &[("☺️", 1), ("©️", 1), ("™️", 1)],
            0,
        ),
        (
            "🏻 a lone skin tone, 👍🏽 one emoji".as_bytes(),
            &[("🏻", 1), ("👍🏽", 1)],
            0,
        ),
        ("🇺🇸🇩 odd flags 🇺🇸🇩🇪🇫".as_bytes(), &[("🇺🇸", 2), ("🇩🇪", 1)], 0),
        (
            "#️⃣ #⃣ 1️⃣2️⃣ 12\u{fe0f} *️⃣".as_bytes(),
            &[("#️⃣", 1), ("1️⃣", 1), ("2️⃣", 1), ("*️⃣", 1)],
            0,
        ),
        (
            "🏴󠁧󠁢󠁳󠁣󠁴󠁿 🏴\u{e0067}\u{e0062} cut tags".as_bytes(),
            &[("🏴󠁧󠁢󠁳󠁣󠁴󠁿", 1), ("🏴", 1)],
            0,
        ),
        ("🧑🏽‍💻 👩‍❤️‍💋‍👨 🫱🏻‍🫲🏿".as_bytes(), &[("🧑🏽‍💻", 1), ("👩‍❤️‍💋‍👨", 1), ("🫱🏻‍🫲🏿", 1)], 0),
        (
            "👨‍🦖 is not RGI: two emoji".as_bytes(),
            &[("👨", 1), ("🦖", 1)],
            0,
        ),
        (
            "🏳‍🌈 lacks its FE0F, 🏳️‍🌈 does not".as_bytes(),
            &[("🌈", 1), ("🏳️‍🌈", 1)],
            0,
        ),
        (b"\xf0\x9f\x98\x80\xff\xf0\x9f\x98\x80", &[("😀", 2)], 1),
        (b"cut \xf0\x9f\x98 smiley", &[], 1),
        (b"a surrogate \xed\xa0\x80 is three", &[], 3),
        (b"overlong \xc0\xaf slash", &[], 2),
        (
            b"\xf0\x9f\x91\xa8\xe2\x80\x8d\xe2\x80\xf0\x9f\x91\xa9 ZWJ then a cut one",
            &[("👨", 1), ("👩", 1)],
            1,
        ),
        ("a literal \u{fffd} is no replacement".as_bytes(), &[], 0),
    ];
    let mut data = Vec::new();
    let mut counts = BTreeMap::new();
    let mut replacements = 0;
    for (text, found, r) in cases {
        data.extend_from_slice(text);
        data.push(b'\n');
        for (e, n) in *found {
            *counts.entry(e.to_string()).or_insert(0) += n;
        }
        replacements += r;
    }
    // An emoji and a keycap at every offset across SIMD-block and word boundaries.
    for offset in 0..70 {
        data.extend(std::iter::repeat_n(b'a', offset));
        data.extend_from_slice("😀b#️⃣\n".as_bytes());
    }
    *counts.entry("😀".into()).or_insert(0) += 70;
    *counts.entry("#️⃣".into()).or_insert(0) += 70;
    assert_counts("adversarial", &data, &counts, replacements);
}

#[test]
fn the_end_of_the_input_cuts_cleanly_in_every_tier() {
    let cases: &[(&str, &[u8], Found, u64)] = &[
        ("empty", b"", &[], 0),
        ("zwj-at-end", "x👨\u{200d}".as_bytes(), &[("👨", 1)], 0),
        ("odd-flag-at-end", "🇺🇸🇩".as_bytes(), &[("🇺🇸", 1)], 0),
        ("keycap-cut", "#\u{fe0f}".as_bytes(), &[], 0),
        ("cut-smiley", b"x\xf0\x9f\x98", &[], 1),
    ];
    for (name, data, found, r) in cases {
        assert_counts(name, data, &tally(found), *r);
    }
}

#[test]
fn generated_datasets_match_what_their_generator_inserted() {
    for dataset in ["wet-1m", "wet-1m-emoji", "wet-4m-d10000"] {
        let report = check(None, Some(dataset), None);
        assert!(report.expected_from.contains("generator"), "{dataset}");
        let expected = report.expected.as_ref().unwrap();
        assert!(
            expected["total"].as_u64().unwrap() > 0,
            "{dataset}: no emoji"
        );
        assert_eq!(expected["emoji_version"], "17.0");
        assert_every_tier(&report, dataset);
        assert_no_failures(&report, dataset);
    }
}

#[test]
fn real_samples_agree_in_every_tier() {
    let Some(shared) = shared_datasets() else {
        eprintln!("skipped: ../shared/datasets is not here");
        return;
    };
    let text = shared.join("text");
    for (path, at_least) in [
        (text.join("tweeteval_sentiment_test_text.txt"), 1000),
        (text.join("xlmt_umsab_french_test_text.txt"), 1),
        (text.join("blns.txt"), 1),
        (text.join("tatoeba_long_cld2-sample.tsv"), 0),
        (shared.join("cc/whirlwind.warc.wet.gz"), 0),
    ] {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let report = check(Some(path), None, None);
        let expected = report.expected.as_ref().expect("the reference counts it");
        assert!(
            expected["total"].as_u64().unwrap() >= at_least,
            "{name}: {expected:?}"
        );
        assert_every_tier(&report, &name);
        assert_no_failures(&report, &name);
    }
}

#[test]
fn a_corrupt_wet_gz_fails_with_the_decompress_tasks_error() {
    let dir = scratch("emoji-corrupt");
    let path = dir.join("corrupt.warc.wet.gz");
    let mut data = common::member("🙂 text".repeat(500).as_bytes());
    let n = data.len();
    data[n - 6] ^= 0xff; // CRC-32
    std::fs::write(&path, data).unwrap();
    let opts = Options {
        task: "emoji".into(),
        input: Some(path.clone()),
        dataset: None,
        tiers: vec![],
        full: false,
        index: None,
        expected: None,
    };
    let err = check::run(&opts).err().expect("a corrupt file is an error");
    assert!(
        err.contains("checksum at byte 0") && err.contains(&path.display().to_string()),
        "{err}"
    );
}

#[test]
fn a_200_mb_single_line_works() {
    let mut line = Vec::with_capacity(200 << 20);
    let chunk = "web text without a newline, some ü and 数据, ".as_bytes();
    let mut n = 0u64;
    while line.len() < 200 << 20 {
        line.extend_from_slice(chunk);
        if line.len() % 7 == 0 {
            line.extend_from_slice("👍🏽".as_bytes());
            n += 1;
        }
    }
    let path = scratch("emoji-long-line").join("line.txt");
    std::fs::write(&path, &line).unwrap();
    drop(line);
    let opts = Options {
        task: "emoji".into(),
        input: Some(path),
        dataset: None,
        tiers: vec![Tier::Rust, Tier::Pyo3, Tier::Hotpath],
        full: false,
        index: None,
        expected: Some(expect(&tally(&[("👍🏽", n)]), 0)),
    };
    let report = check::run(&opts).expect("check runs");
    assert!(n > 1000);
    for tier in [Tier::Rust, Tier::Pyo3, Tier::Hotpath] {
        assert!(
            report
                .rows
                .iter()
                .any(|r| r.tier == tier && r.status == Status::Ok),
            "{tier}"
        );
    }
    assert_no_failures(&report, "200 MB line");
}

// ---------------------------------------------- the crawl: emoji per response, by construction

/// The Rust tier's pick (`rust_impls::emoji`, `scanner`) over `data`: emoji -> matches.
fn rust_counts(data: &[u8]) -> BTreeMap<String, u64> {
    static COUNTER: std::sync::OnceLock<Box<dyn rust_impls::emoji::Counter>> =
        std::sync::OnceLock::new();
    let (name, build) = rust_impls::emoji::VARIANTS[0];
    assert_eq!(name, "scanner", "the Rust tier's pick");
    let counter = COUNTER.get_or_init(|| build(set()));
    let counts = counter.count(data);
    set()
        .sequences
        .iter()
        .zip(&counts.per_sequence)
        .filter(|(_, &n)| n > 0)
        .map(|(e, &n)| (e.clone(), n))
        .collect()
}

/// The content block of a WARC record, as the pipeline task reads it: everything after the
/// WARC header block (its first blank line), without the record's closing CRLF CRLF.
fn content_block(record: &[u8]) -> &[u8] {
    let at = record
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a WARC header block");
    let block = &record[at + 4..];
    block.strip_suffix(b"\r\n\r\n").unwrap_or(block)
}

/// Every response of the datasets' first three segments, and of a segment of a crawl dense with
/// emoji (10,000 per MB of text: every page carries some, in every copy the templates make),
/// holds exactly the RGI emoji its generator placed, as the Rust tier counts them in the
/// record's content block: `Http::emoji` is the count, and `Http::placed` says where each is.
/// So do the PDFs of the dense crawl's next 39 segments, about one in forty of which is cut at
/// 1 MiB (their text comes first, the image after it).
#[test]
fn every_response_holds_the_emoji_its_generator_counted() {
    use gluebench_datasets::crawl;
    let web = gluebench_datasets::Corpus::new(1, gluebench_datasets::WEB_EMOJI_PER_MB);
    let dense = gluebench_datasets::Corpus::new(1, 10_000.0);
    let pdfs = (1000..40_000u64).filter(|&i| {
        let c = gluebench_datasets::Capture::of(&dense, i);
        c.status == 200 && c.mime == "application/pdf"
    });
    let (mut responses, mut with_emoji, mut emoji, mut truncated) = (0, 0, 0u64, 0);
    let mut kinds = BTreeSet::new();
    let pages: [(&gluebench_datasets::Corpus, Box<dyn Iterator<Item = u64>>); 3] = [
        (&web, Box::new(0..3000)),
        (&dense, Box::new(0..1000)),
        (&dense, Box::new(pdfs)),
    ];
    for (corpus, pages) in pages {
        for index in pages {
            let r = crawl::render(corpus, index);
            let content = content_block(&r.response.raw);
            let what = format!(
                "page {index} at {} emoji/MB: {} {}{}",
                corpus.emoji_per_mb,
                r.capture.status,
                r.capture.mime,
                if r.http.truncated { ", truncated" } else { "" }
            );
            let mut placed = BTreeMap::new();
            let payload = &content[r.http.head_len + 2..];
            for p in &r.http.placed {
                assert_eq!(
                    &payload[p.start..p.end()],
                    p.emoji.as_bytes(),
                    "{what}: an emoji is not where it was placed"
                );
                if p.rgi {
                    *placed.entry(p.emoji.to_string()).or_insert(0u64) += 1;
                }
            }
            let found = rust_counts(content);
            assert_eq!(
                found, placed,
                "{what}: the emoji found are not those placed"
            );
            assert_eq!(
                found.values().sum::<u64>(),
                u64::from(r.http.emoji),
                "{what}: count"
            );
            responses += 1;
            emoji += u64::from(r.http.emoji);
            truncated += usize::from(r.http.truncated);
            if r.http.emoji > 0 {
                with_emoji += 1;
                kinds.insert((r.capture.status, r.capture.mime));
            }
        }
    }
    eprintln!(
        "{responses} responses, {with_emoji} with emoji ({emoji} in all), {truncated} truncated; \
         with emoji: {kinds:?}"
    );
    assert!(
        with_emoji > 1000 && truncated > 2,
        "the check saw too little"
    );
    for mime in [
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "application/json",
    ] {
        assert!(
            kinds.contains(&(200, mime)),
            "no {mime} response with emoji"
        );
    }
}

/// The CDXJ datasets' expected `pipeline` summary is what the pipeline task computes the long
/// way: select the index's records (status 200, mime text/html), read each one's gzip member
/// from its segment file, count RGI emoji in its content block with the Rust tier, and add them
/// up by the first entry of the line's `languages` ("unknown" without one).
#[test]
fn the_cdxj_datasets_carry_the_pipeline_summary_of_their_records() {
    use flate2::read::GzDecoder;
    use std::io::Read as _;
    let ds = gluebench_datasets::ensure("cdxj-1m").expect("cdxj-1m");
    let index = std::fs::read_to_string(&ds.path).unwrap();
    let mut segments: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let (mut records, mut total) = (0u64, 0u64);
    let mut by_language: BTreeMap<String, u64> = BTreeMap::new();
    for line in index.lines() {
        let fields: Value = serde_json::from_str(line.splitn(3, ' ').nth(2).unwrap()).unwrap();
        if fields["status"] != "200" || fields["mime"] != "text/html" {
            continue;
        }
        let filename = fields["filename"].as_str().unwrap();
        let segment = gluebench_datasets::segment_name_for_filename(filename).unwrap();
        let file = segments.entry(segment.clone()).or_insert_with(|| {
            let seg = gluebench_datasets::ensure(&segment).expect("the segment");
            std::fs::read(seg.path).unwrap()
        });
        let offset: usize = fields["offset"].as_str().unwrap().parse().unwrap();
        let length: usize = fields["length"].as_str().unwrap().parse().unwrap();
        let mut record = Vec::new();
        GzDecoder::new(&file[offset..offset + length])
            .read_to_end(&mut record)
            .unwrap();
        let n: u64 = rust_counts(content_block(&record)).values().sum();
        let language = fields["languages"]
            .as_str()
            .map_or("unknown", |l| l.split(',').next().unwrap());
        records += 1;
        total += n;
        *by_language.entry(language.to_string()).or_insert(0) += n;
    }
    let computed = json!({"records": records, "emoji_total": total, "by_language": by_language});
    eprintln!("cdxj-1m pipeline: {computed}");
    assert!(records > 1000 && total > 0, "{computed}");
    assert_eq!(ds.expected["pipeline"], computed);
}
