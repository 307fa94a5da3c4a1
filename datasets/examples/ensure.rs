//! Generates (or verifies and reuses) named datasets in the cache and prints what each holds.
//!
//! ```text
//! cargo run -p gluebench-datasets --release --example ensure -- [NAME ...]
//! ```
//! Without names: every dataset of `names()`. Prints the path, the manifest's `info`, the
//! expected results (emoji counts summarised) and the generation time, one dataset per line; this
//! is how the tables in the README were measured.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<String> = if args.is_empty() {
        gluebench_datasets::names()
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        args
    };
    for name in names {
        let t = Instant::now();
        let ds = match gluebench_datasets::ensure(&name) {
            Ok(ds) => ds,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        let secs = t.elapsed().as_secs_f64();
        let manifest: serde_json::Value =
            std::fs::read_to_string(format!("{}.json", ds.path.display()))
                .ok()
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default();
        let mut expected = serde_json::Map::new();
        for (task, v) in &ds.expected {
            let mut v = v.clone();
            if let Some(counts) = v.get_mut("counts") {
                *counts = format!("{} keys", counts.as_object().map_or(0, |o| o.len())).into();
            }
            expected.insert(task.clone(), v);
        }
        println!(
            "{name}\t{}\t{} bytes\t{}\tinfo {}\texpected {}\tgenerated in {:.2} s",
            ds.path.display(),
            ds.compressed_size,
            if ds.generated { "generated" } else { "reused" },
            manifest["info"],
            serde_json::Value::Object(expected),
            if ds.generated {
                manifest["generation_seconds"].as_f64().unwrap_or(secs)
            } else {
                secs
            }
        );
    }
}
