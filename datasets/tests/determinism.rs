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
    const VERSION: u32 = 2;
    const STREAM_SHA256: &str = "0a5758f20a905e74989ac664254cb3f0f50cbc10155498b88689db887e0d341c";
    const FILE_SHA256: &str = "23dfb64f395aff54eb95f6460b4f31772f2564cda8b281ecee92a2f1cfcd4f1c";
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
