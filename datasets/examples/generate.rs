//! Generates a WET file outside the cache and reports speed and the expected decompress summary.
//!
//! ```text
//! cargo run -p gluebench-datasets --release --example generate -- [SIZE] [SEED] [OUT] [EMOJI_PER_MB]
//! ```
//! SIZE is the decompressed target, `128m` (MiB, the default) or `256k` (KiB); seed 1;
//! output `/tmp/gluebench-generate.warc.wet.gz`; emoji density `WEB_EMOJI_PER_MB`.

use gluebench_datasets::{write_wet, WetSpec, WriteOptions};
use std::io::BufWriter;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let size = args
        .first()
        .map_or("128m", String::as_str)
        .to_ascii_lowercase();
    let (num, shift) = match size.strip_suffix('k') {
        Some(n) => (n, 10),
        None => (size.strip_suffix('m').unwrap_or(&size), 20),
    };
    let target: u64 = num
        .parse::<u64>()
        .expect("SIZE must look like 128m or 256k")
        << shift;
    let seed: u64 = args
        .get(1)
        .map_or(1, |a| a.parse().expect("SEED must be an integer"));
    let out = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "/tmp/gluebench-generate.warc.wet.gz".into());
    let emoji_per_mb: f64 = args
        .get(3)
        .map_or(gluebench_datasets::WEB_EMOJI_PER_MB, |a| {
            a.parse().expect("EMOJI_PER_MB must be a number")
        });
    let spec = WetSpec {
        seed,
        target_bytes: target,
        emoji_per_mb,
        language: None,
    };
    let t = Instant::now();
    let file =
        BufWriter::with_capacity(1 << 20, std::fs::File::create(&out).expect("create output"));
    let r = write_wet(&spec, file, WriteOptions::default()).expect("write");
    let s = t.elapsed().as_secs_f64();
    println!(
        "{out}: {} members, {} bytes inflated, {} bytes on disk (ratio {:.2})",
        r.summary.members,
        r.summary.bytes,
        r.compressed_bytes,
        r.summary.bytes as f64 / r.compressed_bytes as f64
    );
    println!("sha256 of inflated stream: {}", r.summary.sha256);
    println!(
        "emoji: {} inserted, {} RGI matches of {} distinct emoji; {:.1} per 10^6 bytes of text (nominal {emoji_per_mb})",
        r.emoji,
        r.emoji_summary.total,
        r.emoji_summary.distinct,
        r.emoji_per_mb()
    );
    println!(
        "generated in {s:.2} s: {:.0} MB/s of text ({} threads)",
        r.summary.bytes as f64 / 1048576.0 / s,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}
