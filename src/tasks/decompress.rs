//! `decompress`: a multi-member gzip file to its decompressed stream, summarised as
//! `{members, bytes, sha256}`. Throughput unit: decompressed bytes.

use super::{Loaded, Task};
use crate::task::{RustRun, Summary, TaskError};
use rust_impls::decompress::{Decoder, GzipError, VARIANTS};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Instant;

pub fn task() -> Task {
    Task {
        name: "decompress",
        throughput_unit: "decompressed bytes",
        throughput: |s, _| s["bytes"].as_u64().unwrap_or(0),
        dataset: "wet-16m",
        small_dataset: "wet-1m",
        small_limit: 16 << 20,
        more_datasets: vec![],
        baselines: vec![],
        rust: VARIANTS
            .iter()
            .map(|&(name, decoder)| (name, runner(decoder)))
            .collect(),
        small_rust: &[],
        reference: "rust/flate2-zlib-rs",
        expected: |ds| super::expected(ds, "decompress"),
        error_at: "byte",
        describe: |s| {
            let members = s["members"].as_u64().map_or("?".into(), |m| m.to_string());
            let sha = s["sha256"].as_str().unwrap_or("");
            format!(
                "{members} members, {} bytes, sha256 {}…",
                s["bytes"],
                &sha[..sha.len().min(12)]
            )
        },
        load: |path| {
            let bytes = std::fs::read(path).map_err(|e| {
                TaskError::new("io", format!("cannot read {}: {e}", path.display()))
            })?;
            Ok(Loaded {
                bytes,
                transformed: false,
            })
        },
    }
}

/// Times one call of a Rust decoder; summarising (sha256) and freeing the output are not timed.
fn runner(decoder: Decoder) -> RustRun {
    Arc::new(move |input: &[u8]| {
        let started = Instant::now();
        let out = decoder(input);
        let took = started.elapsed();
        let out = out.map_err(task_error)?;
        Ok((took, summary(out.members, &out.data)))
    })
}

pub fn summary(members: Option<u64>, data: &[u8]) -> Summary {
    let sha = format!("{:x}", Sha256::digest(data));
    let v = json!({"members": members, "bytes": data.len(), "sha256": sha});
    v.as_object().cloned().unwrap_or_default()
}

fn task_error(e: GzipError) -> TaskError {
    TaskError {
        kind: e.kind.as_str().to_string(),
        offset: Some(e.offset),
        message: e.to_string(),
    }
}
