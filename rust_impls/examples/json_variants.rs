//! Every Rust variant of the json task and the plain loops on the 16 MB datasets, interleaved
//! (one call of each per round) and reported as the best of ROUNDS and their median (criterion's
//! statistic): a quick A/B outside criterion while working on a parser, where minutes-long drift
//! on this machine would skew variants timed one after the other.
//!
//! ```sh
//! cargo run --release -p rust_impls --example json_variants -- [ROUNDS=30] [NAME ...]
//! ```
//!
//! NAME filters by substring (`cdxj/scanner`, `plain`, `wat/`); the datasets are the bootstrap's
//! `datasets/cache/cdxj-16m.cdxj` and `wat-16m.wat.jsonl`.
use rust_impls::json;
use std::hint::black_box;
use std::time::{Duration, Instant};

type Run = Box<dyn Fn() -> u64>;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let rounds = match args.peek().and_then(|a| a.parse().ok()) {
        Some(n) => {
            args.next();
            n
        }
        None => 30,
    };
    let filters: Vec<String> = args.collect();
    let read = |name: &str| {
        let path = format!("datasets/cache/{name}");
        let data = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{path}: {e} (run `cargo test` or `cargo bench` first)"));
        &*Box::leak(data.into_boxed_slice())
    };
    let (cdxj, wat) = (read("cdxj-16m.cdxj"), read("wat-16m.wat.jsonl"));
    let mut runs: Vec<(String, Run)> = Vec::new();
    for &(name, parse) in json::CDXJ_VARIANTS {
        let run = move || parse(cdxj).map_or(0, |c| c.records.len() as u64);
        runs.push((format!("cdxj/{name}"), Box::new(run)));
    }
    let plain = [
        ("plain-scanner", json::plain::scanner as fn(&[u8]) -> u64),
        ("plain-serde-typed", json::plain::serde_typed),
        ("plain-sonic-typed", json::plain::sonic_typed),
        ("plain-serde-value", json::plain::serde_value),
    ];
    for (name, run) in plain {
        runs.push((format!("cdxj/baseline/{name}"), Box::new(move || run(cdxj))));
    }
    for &(name, parse) in json::WAT_VARIANTS {
        let run = move || parse(wat).map_or(0, |w| w.links);
        runs.push((format!("wat/{name}"), Box::new(run)));
    }
    runs.retain(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f)));
    let mut times = vec![Vec::with_capacity(rounds); runs.len()];
    for _ in 0..rounds {
        for ((_, run), times) in runs.iter().zip(&mut times) {
            let started = Instant::now();
            black_box(run());
            times.push(started.elapsed());
        }
    }
    for ((name, _), mut times) in runs.iter().zip(times) {
        times.sort();
        let bytes = (if name.starts_with("wat") { wat } else { cdxj }).len() as f64;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let (best, median) = (ms(times[0]), ms(times[times.len() / 2]));
        println!(
            "{name:32} {best:8.2} ms  {:6.0} MB/s  (median {median:.2} ms)",
            bytes / best / 1e3
        );
    }
}
