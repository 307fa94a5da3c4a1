//! `json/cdxj` and `json/wat`: JSON as Common Crawl users meet it (see `py_impls/json/`).
//! Throughput unit: input bytes (the plain CDXJ or JSON-lines text).

use super::{Loaded, Task};
use crate::task::{Call, RustRun, Summary, TaskError};
use rust_impls::json::{self, JsonError, CDXJ_VARIANTS, WAT_VARIANTS};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

pub fn cdxj_task() -> Task {
    Task {
        name: "json/cdxj",
        throughput_unit: "input bytes",
        throughput: |_, input_len| input_len,
        dataset: "cdxj-16m",
        small_dataset: "cdxj-1m",
        small_limit: 8 << 20,
        more_datasets: vec![],
        // The plain loops (no selection rule) on the same buffer: what the rule costs.
        baselines: vec![
            ("plain-scanner", json::plain::scanner),
            ("plain-serde-typed", json::plain::serde_typed),
            ("plain-sonic-typed", json::plain::sonic_typed),
            ("plain-serde-value", json::plain::serde_value),
        ],
        rust: CDXJ_VARIANTS
            .iter()
            .map(|&(name, parse)| -> (&'static str, RustRun) {
                (
                    name,
                    Arc::new(move |call: &Call| {
                        let input = call.bytes;
                        timed(|| parse(input), |out| cdxj_summary(out.lines, &out.records))
                    }),
                )
            })
            .collect(),
        small_rust: &[],
        paired: &[("cdxj-16m", "baseline/plain-scanner")],
        reference: "rust/serde-value",
        expected: |ds| super::expected(ds, "json/cdxj"),
        error_at: "line",
        describe: |s| {
            format!(
                "{} lines, {} selected, length sum {}, sha256 {}…",
                s["lines"],
                s["selected"],
                s["length_sum"],
                short(s)
            )
        },
        load: |path, _| load_plain(path, false),
        cut: Some(super::cut_lines),
        fixture: None,
    }
}

pub fn wat_task() -> Task {
    Task {
        name: "json/wat",
        throughput_unit: "input bytes",
        throughput: |_, input_len| input_len,
        dataset: "wat-16m",
        small_dataset: "wat-1m",
        small_limit: 8 << 20,
        more_datasets: vec![],
        baselines: vec![],
        rust: WAT_VARIANTS
            .iter()
            .map(|&(name, parse)| -> (&'static str, RustRun) {
                (
                    name,
                    Arc::new(move |call: &Call| timed(|| parse(call.bytes), wat_summary)),
                )
            })
            .collect(),
        small_rust: &[],
        paired: &[("wat-16m", "pyo3")],
        reference: "rust/serde-value",
        expected: |ds| super::expected(ds, "json/wat"),
        error_at: "line",
        describe: |s| {
            format!(
                "{} documents, {} links, {} servers",
                s["documents"], s["links"], s["servers"]
            )
        },
        load: |path, _| load_plain(path, true),
        cut: Some(super::cut_lines),
        fixture: None,
    }
}

/// Times one call; summarising (and freeing what it returned) is not timed.
fn timed<T>(
    call: impl FnOnce() -> Result<T, JsonError>,
    summarise: impl FnOnce(&T) -> Summary,
) -> crate::task::Outcome {
    let started = Instant::now();
    let out = call();
    let took = started.elapsed();
    let out = out.map_err(|e| TaskError {
        kind: e.kind.as_str().to_string(),
        offset: Some(e.line),
        message: e.to_string(),
    })?;
    Ok((took, summarise(&out)))
}

/// `{lines, selected, length_sum, sha256}`; the hash covers "filename\toffset\tlength\tstatus\n"
/// of each selected record in file order.
pub fn cdxj_summary(lines: u64, records: &[json::Selected]) -> Summary {
    let mut sha = Sha256::new();
    let mut sum: u128 = 0;
    for r in records {
        sha.update(format!("{}\t{}\t{}\t200\n", r.filename, r.offset, r.length).as_bytes());
        sum += r.length as u128;
    }
    let length_sum = u64::try_from(sum).map_or_else(|_| json!(sum.to_string()), |s| json!(s));
    object(
        json!({"lines": lines, "selected": records.len(), "length_sum": length_sum, "sha256": format!("{:x}", sha.finalize())}),
    )
}

/// `{documents, links, servers, servers_sha256}`; the hash covers the distinct servers sorted
/// by code point and joined with "\n".
pub fn wat_summary(out: &json::Wat) -> Summary {
    let joined: Vec<&str> = out.servers.iter().map(|s| s.as_ref()).collect();
    let sha = format!("{:x}", Sha256::digest(joined.join("\n").as_bytes()));
    object(
        json!({"documents": out.documents, "links": out.links, "servers": out.servers.len(), "servers_sha256": sha}),
    )
}

fn object(v: serde_json::Value) -> Summary {
    v.as_object().cloned().unwrap_or_default()
}

fn short(s: &Summary) -> String {
    s["sha256"]
        .as_str()
        .unwrap_or("")
        .chars()
        .take(12)
        .collect()
}

/// The task's input as plain text: `.gz` files are decompressed and, for WAT, the JSON payloads
/// of a `.warc.wat.gz` are extracted, one document per line (outside any timing).
fn load_plain(path: &Path, wat: bool) -> Result<Loaded, TaskError> {
    let io =
        |e: std::io::Error| TaskError::new("io", format!("cannot read {}: {e}", path.display()));
    let name = path.to_string_lossy();
    let bytes = std::fs::read(path).map_err(io)?;
    if wat && name.ends_with(".warc.wat.gz") {
        let plain = gluebench_datasets::wat::extract_payloads_from_file(path).map_err(io)?;
        return Ok(Loaded::new(plain, true));
    }
    if name.ends_with(".gz") {
        let mut plain = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut plain)
            .map_err(io)?;
        return Ok(Loaded::new(plain, true));
    }
    Ok(Loaded::new(bytes, false))
}
