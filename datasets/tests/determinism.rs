//! The generator is a pure function of its spec: same spec, same bytes, on any machine and with
//! any number of threads. One small spec is pinned by hash so an accidental change is caught.

use gluebench_datasets::{generate_wet, write_wet, WetSpec, WriteOptions, GENERATOR_VERSION};

fn small(seed: u64) -> WetSpec {
    // 256 KiB with a high emoji density, so emoji insertion is exercised too.
    WetSpec {
        seed,
        target_bytes: 256 << 10,
        emoji_per_mb: 200.0,
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
    const VERSION: u32 = 4;
    const STREAM_SHA256: &str = "9c52bfe0efc02315fc0afee0e5e54f9c25833b393d285baf80b915deb650d411";
    const FILE_SHA256: &str = "71e3337018d1f731e021c0600052d5b21034d18c1166280eff9cbf93eb9c1418";
    let (_, r) = generate_wet(&small(7));
    println!(
        "generator {GENERATOR_VERSION}: stream {} file {}",
        r.summary.sha256, r.compressed_sha256
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
    const VERSION: u32 = 4;
    const SEGMENT: &str = "4891487433411e7a7b00fd13cc0e163daf25fbe54c6903eb33783e0644771a8a";
    const CDXJ: &str = "b5bb17438395cc3a789f8df0c75064dfb4f7d4359c11cf32d91643ff500ac2a5";
    const WAT_JSONL: &str = "a77fa8fc97c1cddfdae1bfac1bae5bafae7cc978a5d8491d1823acd01cc42eb1";
    const WAT_GZ: &str = "7feae7ead955a5064439c61d1a5a79e2cca22ab73cae6b0dbf4db19e6a9f1939";
    let (segment, _) = generate_segment(&SegmentSpec {
        seed: 7,
        segment: 2,
    });
    let (cdxj, _) = generate_cdxj(&crawl_spec(7, 64));
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
}
