//! `emoji`: count RGI emoji in web text, leftmost-longest over code points (the spec is the
//! docstring of `py_impls/emoji/__init__.py`). Throughput unit: input bytes (the plain text; a
//! `.gz` input is decompressed once, outside any timing).
//!
//! The set is the one file every tier loads (`.venv/gluebench/rgi-emoji.txt`, written by the
//! bootstrap from the pinned `emoji` package), so the Rust tier reads it here, once per process,
//! and builds each variant's matcher on its first call, outside the timed region.

use super::{Loaded, MoreDataset, Task};
use crate::task::{Call, RustRun, Summary, TaskError};
use rust_impls::emoji::{self, Counter, Counts, EmojiSet};
use serde_json::{json, Map, Value};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

pub fn task() -> Task {
    let sweep = |dataset| MoreDataset {
        dataset,
        small: None,
        picks_only: true,
    };
    Task {
        name: "emoji",
        throughput_unit: "input bytes",
        throughput: |_, input_len| input_len,
        dataset: "wet-16m",
        small_dataset: "wet-1m",
        small_limit: 8 << 20,
        more_datasets: vec![
            MoreDataset {
                dataset: "wet-16m-emoji",
                small: Some("wet-1m-emoji"),
                picks_only: false,
            },
            // English pages only: mostly-ASCII text (0.4% non-ASCII bytes), where
            // `std::str::from_utf8` runs at ASCII speed (the baseline the scanner must beat).
            MoreDataset {
                dataset: "wet-16m-en",
                small: Some("wet-1m-en"),
                picks_only: true,
            },
            sweep("wet-4m-d0"),
            sweep("wet-4m-d10"),
            sweep("wet-4m-d100"),
            sweep("wet-4m-d1000"),
            sweep("wet-4m-d10000"),
        ],
        baselines: vec![
            ("std-from-utf8", |data| emoji::validate_utf8(data) as u64),
            ("memory-read", emoji::memory_read),
        ],
        rust: emoji::VARIANTS
            .iter()
            .map(|&(name, build)| (name, runner(build)))
            .collect(),
        small_rust: &["naive-slice-lookup"],
        paired: &[
            ("wet-16m", "pyo3"),
            ("wet-16m-emoji", "pyo3"),
            ("wet-16m-en", "pyo3"),
        ],
        reference: "rust/aho-corasick",
        expected: |ds| {
            let mut s = super::expected(ds, "emoji");
            if let Ok(set) = set() {
                s.insert("emoji_version".into(), json!(set.version));
            }
            s
        },
        error_at: "byte",
        describe: |s| {
            format!(
                "{} emoji ({} distinct), {} replacements, Emoji {}",
                s["total"],
                s["distinct"],
                s["replacements"],
                s.get("emoji_version")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
            )
        },
        load,
        cut: Some(super::cut_lines),
        fixture: None,
    }
}

/// The emoji set, read once per process from the file the bootstrap writes.
pub fn set() -> Result<&'static EmojiSet, TaskError> {
    static SET: OnceLock<Result<EmojiSet, String>> = OnceLock::new();
    SET.get_or_init(|| {
        crate::bootstrap::python_env()?;
        let path = crate::bootstrap::emoji_set_path();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read the emoji set {}: {e}", path.display()))?;
        EmojiSet::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    })
    .as_ref()
    .map_err(|e| TaskError::new("unavailable", e.clone()))
}

/// A Rust counter, built on first use; only the count itself is timed.
fn runner(build: emoji::Build) -> RustRun {
    let counter: Arc<OnceLock<Box<dyn Counter>>> = Arc::new(OnceLock::new());
    Arc::new(move |call: &Call| {
        let input = call.bytes;
        let set = set()?;
        let counter = counter.get_or_init(|| build(set));
        let started = Instant::now();
        let counts = counter.count(input);
        let took = started.elapsed();
        Ok((took, summary(set, &counts)))
    })
}

/// `{emoji_version, total, distinct, replacements, counts}`, counts sorted by code point.
pub fn summary(set: &EmojiSet, counts: &Counts) -> Summary {
    let mut found: Vec<(&str, u64)> = set
        .sequences
        .iter()
        .zip(&counts.per_sequence)
        .filter(|(_, &n)| n > 0)
        .map(|(s, &n)| (s.as_str(), n))
        .collect();
    found.sort();
    let total: u64 = found.iter().map(|(_, n)| n).sum();
    let map: Map<String, Value> = found
        .iter()
        .map(|(s, n)| (s.to_string(), json!(n)))
        .collect();
    let v = json!({
        "emoji_version": set.version, "total": total, "distinct": found.len(),
        "replacements": counts.replacements, "counts": map,
    });
    v.as_object().cloned().unwrap_or_default()
}

/// Any text file as it is; a `.gz` (a `.warc.wet.gz` above all) decompressed first, by the
/// decompress task's own pick, so a corrupt file fails with that task's error and offset.
/// (The `glue/calls` task reads its input this way too.)
pub fn load(path: &Path, _index: Option<&Path>) -> Result<Loaded, TaskError> {
    let bytes = std::fs::read(path)
        .map_err(|e| TaskError::new("io", format!("cannot read {}: {e}", path.display())))?;
    if !path.to_string_lossy().ends_with(".gz") {
        return Ok(Loaded::new(bytes, false));
    }
    match rust_impls::decompress::decompress(&bytes) {
        // Copied into ordinary memory: the decoder's buffer is backed by 2 MiB pages, which
        // made the rust tier 10-30% faster than the same code reading a Python `bytes`
        // (4 KiB pages). Both tiers must read the same kind of memory.
        Ok(out) => Ok(Loaded::new(out.data.as_slice().to_vec(), true)),
        Err(e) => Err(TaskError {
            kind: e.kind.as_str().to_string(),
            offset: Some(e.offset),
            message: format!(
                "cannot decompress {} (the decompress task's rule): {e}",
                path.display()
            ),
        }),
    }
}
