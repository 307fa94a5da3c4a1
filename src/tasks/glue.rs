//! `glue/calls`: the cost of a call across the boundary (see `py_impls/glue/__init__.py`).
//! One timed call makes 1,000 calls; throughput unit: calls. The input is the plain text of
//! `wet-1m`, read as the emoji task reads it; the bytes-arg variants pass all of it each call.

use super::{MoreDataset, Task};
use crate::task::{Call, RustRun, Summary, TaskError};
use rust_impls::glue::{self, CALLS};
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;

pub fn task() -> Task {
    Task {
        name: "glue/calls",
        throughput_unit: "calls",
        throughput: |_, _| CALLS,
        dataset: "wet-1m",
        small_dataset: "wet-1m",
        small_limit: u64::MAX,
        more_datasets: Vec::<MoreDataset>::new(),
        baselines: vec![],
        rust: glue::VARIANTS
            .iter()
            .map(|&(name, calls)| (name, runner(calls)))
            .collect(),
        small_rust: &[],
        paired: &[],
        reference: "rust/noop",
        expected: |_| summary(CALLS),
        error_at: "call",
        describe: |s| format!("{} calls", s["calls"]),
        load: super::emoji::load,
        cut: None,
        fixture: None,
    }
}

/// Times the 1,000 calls; the summary is how many were made.
fn runner(calls: glue::Calls) -> RustRun {
    Arc::new(move |call: &Call| {
        let input = call.bytes;
        let started = Instant::now();
        let made = calls(input);
        let took = started.elapsed();
        let made = made.map_err(|e| TaskError::new("wrong-length", e.to_string()))?;
        Ok((took, summary(made)))
    })
}

pub fn summary(calls: u64) -> Summary {
    json!({ "calls": calls })
        .as_object()
        .cloned()
        .unwrap_or_default()
}
