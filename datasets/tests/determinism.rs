//! The generator is a pure function of its spec: same spec, same bytes, on any machine and with
//! any number of threads. One small spec is pinned by hash so an accidental change is caught.

use gluebench_datasets::{generate_wet, write_wet, WetSpec, WriteOptions, GENERATOR_VERSION};

fn small(seed: u64) -> WetSpec {
    // 256 KiB with a high emoji density, so emoji insertion is exercised too.
    WetSpec {
        seed,
        target_bytes: 256 << 10,
        emoji_per_mb: 200.0,
        language: None,
    }
}

fn with_threads(spec: &WetSpec, threads: usize) -> Vec<u8> {
    let mut out = Vec::new();
    write_wet(
        spec,
        &mut out,
        WriteOptions {
            threads,
            ..Default::default()
        },
    )
    .unwrap();
    out
}

#[test]
fn same_seed_same_bytes() {
    let (a, ra) = generate_wet(&small(7));
    let (b, rb) = generate_wet(&small(7));
    assert_eq!(ra, rb);
    assert!(a == b, "two runs of the same spec differ");
}

#[test]
fn thread_count_does_not_change_the_output() {
    let one = with_threads(&small(7), 1);
    let three = with_threads(&small(7), 3);
    assert!(one == three, "output depends on the number of threads");
}

#[test]
fn different_seeds_differ() {
    let (a, _) = generate_wet(&small(7));
    let (b, _) = generate_wet(&small(8));
    assert!(a != b);
}

/// PINNED OUTPUT. If this fails, the generator's output changed. If that was intended, bump
/// `GENERATOR_VERSION` in src/lib.rs (so cached files get regenerated) and update both hashes
/// and the version below *together*. If only `FILE_SHA256` changed right after a flate2/zlib-rs
/// upgrade, the compressor's output changed (the text did not): still bump the version, because
/// the files on disk differ.
#[test]
fn pinned_hash_of_a_small_spec() {
    const VERSION: u32 = 6;
    const STREAM_SHA256: &str = "5911483072a261f3368262d90cbee5c80ca93e955a1364b957f45c4f073cea79";
    const FILE_SHA256: &str = "25a95d5fe40c5140bbdbaaa01d82ffc1ba8eed4ccfb76b8546bc21f9012e4994";
    // The emoji task's expected result for it: (total, distinct, sha256 of the counts as JSON).
    const EMOJI: (u64, u64, &str) = (
        58,
        37,
        "28a38c05cfffc6e1c0f043041afc6eadbf556585cb6273422cd62b54c0c442f3",
    );
    let (_, r) = generate_wet(&small(7));
    let e = &r.emoji_summary;
    let counts_sha = sha(serde_json::to_string(&e.counts).unwrap().as_bytes());
    println!(
        "generator {GENERATOR_VERSION}: stream {} file {} emoji ({}, {}, {counts_sha:?})",
        r.summary.sha256, r.compressed_sha256, e.total, e.distinct
    );
    assert_eq!(
        GENERATOR_VERSION, VERSION,
        "GENERATOR_VERSION changed: update the pinned hashes in this test too"
    );
    assert_eq!(
        r.summary.sha256, STREAM_SHA256,
        "generated text changed: bump GENERATOR_VERSION and this pin together"
    );
    assert_eq!(
        r.compressed_sha256, FILE_SHA256,
        "compressed bytes changed: bump GENERATOR_VERSION and this pin together"
    );
    assert_eq!(
        (e.total, e.distinct, counts_sha.as_str()),
        EMOJI,
        "the recorded emoji counts changed: bump GENERATOR_VERSION and this pin together"
    );
}

// ---------------------------------------------------------------- the crawl: WARC, CDXJ, WAT

use gluebench_datasets::{
    generate_cdxj, generate_segment, generate_wat, write_cdxj, CrawlSpec, SegmentSpec, WatFormat,
};
use sha2::{Digest, Sha256};

fn crawl_spec(seed: u64, kib: u64) -> CrawlSpec {
    CrawlSpec {
        seed,
        target_bytes: kib << 10,
    }
}

fn sha(data: &[u8]) -> String {
    format!("{:x}", Sha256::digest(data))
}

#[test]
fn crawl_outputs_do_not_depend_on_the_thread_count() {
    let spec = crawl_spec(7, 64);
    let mut one = Vec::new();
    let mut three = Vec::new();
    let a = write_cdxj(&spec, &mut one, 1, None).unwrap();
    let b = write_cdxj(&spec, &mut three, 3, None).unwrap();
    assert!(one == three, "CDXJ depends on the number of threads");
    assert_eq!(a, b);
    let (x, _) = generate_cdxj(&spec);
    assert!(x == one, "two runs of the same spec differ");
    let (p, _) = generate_wat(&spec, WatFormat::Jsonl);
    let (q, _) = generate_wat(&spec, WatFormat::Jsonl);
    assert!(p == q);
}

/// PINNED OUTPUT of the crawl forms (see `pinned_hash_of_a_small_spec`): a WARC segment, a
/// small CDXJ index and small WAT files. Update together with `GENERATOR_VERSION`.
#[test]
fn pinned_hashes_of_small_crawl_specs() {
    const VERSION: u32 = 6;
    const SEGMENT: &str = "ce1d527898757e8f822d8308f918d6b738264bc49a7809c7b550c4db74b619e0";
    const CDXJ: &str = "16100b2538c6e10fc559d81f5553af227a6e4a0784a5c1f2d7c94bcebc96ce62";
    const WAT_JSONL: &str = "1666a6f201588da0c7a0752ddfc80dd807e5cc1d4d41cb14e515e783921ec047";
    const WAT_GZ: &str = "9288c335d67ae2131c028400690da2144c8c8801380944fe4591299cb33ef821";
    // The index's expected `pipeline` summary (emoji by construction, see tests/emoji.rs at the
    // workspace root for the check against the Rust emoji tier).
    const PIPELINE: &str = r#"{"records":125,"emoji_total":4,"by_language":{"bul":0,"deu":0,"eng":4,"fin":0,"fra":0,"hun":0,"ind":0,"ita":0,"jpn":0,"kor":0,"nld":0,"nor":0,"pol":0,"por":0,"ron":0,"rus":0,"spa":0,"tur":0,"ukr":0,"zho":0}}"#;
    let (segment, _) = generate_segment(&SegmentSpec {
        seed: 7,
        segment: 2,
    });
    let (cdxj, report) = generate_cdxj(&crawl_spec(7, 64));
    let (jsonl, _) = generate_wat(&crawl_spec(7, 96), WatFormat::Jsonl);
    let (gz, _) = generate_wat(&crawl_spec(7, 96), WatFormat::WarcGz);
    let got = [sha(&segment), sha(&cdxj), sha(&jsonl), sha(&gz)];
    println!(
        "generator {GENERATOR_VERSION}: segment {} cdxj {} wat {} wat.gz {}",
        got[0], got[1], got[2], got[3]
    );
    assert_eq!(
        GENERATOR_VERSION, VERSION,
        "GENERATOR_VERSION changed: update the pinned hashes in this test too"
    );
    assert_eq!(
        got,
        [SEGMENT, CDXJ, WAT_JSONL, WAT_GZ],
        "crawl output changed: bump GENERATOR_VERSION and these pins together"
    );
    assert_eq!(
        report.pipeline.to_string(),
        PIPELINE,
        "the expected pipeline summary changed: bump GENERATOR_VERSION and this pin together"
    );
}
