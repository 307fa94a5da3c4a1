//! `decompress`: a multi-member gzip file to its decompressed stream, summarised as
//! `{members, bytes, sha256}`. Throughput unit: decompressed bytes.

use super::{Loaded, Task};
use crate::task::{Call, RustRun, Summary, TaskError};
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
        paired: &[("wet-16m", "pyo3")],
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
        load: |path, _| {
            let bytes = std::fs::read(path).map_err(|e| {
                TaskError::new("io", format!("cannot read {}: {e}", path.display()))
            })?;
            Ok(Loaded::new(bytes, false))
        },
        cut: Some(cut_members),
        fixture: None,
    }
}

/// The first whole gzip members of `data` whose decompressed bytes add up to at most `n` (at
/// least one member), for the size sweep.
fn cut_members(data: &[u8], n: u64) -> Vec<u8> {
    use std::io::Read;
    let (mut rest, mut inflated) = (data, 0u64);
    while !rest.is_empty() {
        let mut member = flate2::bufread::GzDecoder::new(rest);
        let Ok(len) = std::io::copy(&mut member.by_ref(), &mut std::io::sink()) else {
            break;
        };
        let after = member.into_inner();
        if after.len() == rest.len() || (inflated + len > n && inflated > 0) {
            break;
        }
        inflated += len;
        rest = after;
    }
    data[..data.len() - rest.len()].to_vec()
}

/// Times one call of a Rust decoder; summarising (sha256) and freeing the output are not timed.
fn runner(decoder: Decoder) -> RustRun {
    Arc::new(move |call: &Call| {
        let input = call.bytes;
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

#[cfg(test)]
mod tests {
    #[test]
    fn cut_members_keeps_whole_members() {
        use std::io::Write;
        let member = |text: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(text).unwrap();
            e.finish().unwrap()
        };
        let (a, b) = (member(&[b'a'; 1000]), member(&[b'b'; 3000]));
        let both = [a.clone(), b.clone()].concat();
        assert_eq!(super::cut_members(&both, 10), a, "at least one member");
        assert_eq!(super::cut_members(&both, 3999), a);
        assert_eq!(super::cut_members(&both, 4000), both);
        assert_eq!(super::cut_members(&both, 1 << 30), both);
    }
}
