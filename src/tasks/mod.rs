//! The task definitions: what the input is, how a result is summarised, which Rust
//! implementations exist, and what "the expected output" is. The Python tiers of a task live
//! in `py_impls/<task>/`, the Rust ones in `rust_impls/src/<task>.rs`.

pub mod decompress;
pub mod emoji;
pub mod fetch;
pub mod glue;
pub mod json;
pub mod pipeline;

use crate::task::{RustRun, Summary, TaskError, Tier};
use std::path::Path;

pub struct Task {
    pub name: &'static str,
    /// What one unit of `Throughput::Bytes` counts for this task (stated in the README).
    pub throughput_unit: &'static str,
    /// The throughput of one call, in that unit, from the expected summary and the input's size.
    pub throughput: fn(&Summary, u64) -> u64,
    /// Dataset for most variants, and the small one for slow (`small`) variants.
    pub dataset: &'static str,
    pub small_dataset: &'static str,
    /// `check` skips `small` variants on inputs larger than this (bytes) unless `--full`.
    pub small_limit: u64,
    /// Further datasets `cargo bench` measures besides `dataset` (e.g. another regime, or a
    /// sweep of one parameter); empty for most tasks.
    pub more_datasets: Vec<MoreDataset>,
    /// Reference points timed on every benchmarked dataset next to the tiers (not tiers: they
    /// do not produce the task's output), e.g. the cost of just reading the buffer.
    pub baselines: Vec<(&'static str, Baseline)>,
    /// Rust implementations, the tier's pick first: (variant name, run).
    pub rust: Vec<(&'static str, RustRun)>,
    /// Rust variants as slow as the slow Python tiers (`small`: timed on the small dataset,
    /// capped in `check`), e.g. the naive emoji loop.
    pub small_rust: &'static [&'static str],
    /// Pairs timed interleaved, round by round (`benches/support`, rows of `glue/paired`):
    /// (dataset, other), the `rust` pick against `other`, which is `pyo3` (its pick: the same
    /// Rust through PyO3) or `baseline/NAME` (a plain loop the rust pick is judged against),
    /// compared without the drift between two benchmarks timed minutes apart.
    pub paired: &'static [(&'static str, &'static str)],
    /// The expected summary for a user's own file comes from this variant (`tier/variant`).
    pub reference: &'static str,
    /// The expected summary of a generated dataset, from what its generator recorded.
    pub expected: fn(&gluebench_datasets::Dataset) -> Summary,
    /// What an error's location counts: "byte" (offset in the input) or "line" (1-based).
    pub error_at: &'static str,
    /// One-line description of a summary for the `check` table.
    pub describe: fn(&Summary) -> String,
    /// Reads an input file the way every tier receives it; the second path is an index into
    /// it (`--index`, for tasks that fetch ranges of the file: `None` elsewhere).
    pub load: fn(&Path, Option<&Path>) -> Result<Loaded, TaskError>,
    /// The first whole records of an input worth at most `n` throughput units, for the size
    /// sweep (`None`: the task has no size sweep).
    pub cut: Option<Cut>,
    /// A service the tiers talk to (e.g. an HTTP server), started per regime before any tier
    /// runs (`None` for tasks that only read their input).
    pub fixture: Option<Fixture>,
}

/// A service a task's tiers need, and the regimes it is measured in. The harness starts it
/// for an input (see [`crate::session::Input`]), hands every tier the parameters it returns,
/// and stops it when the input is dropped: after the last tier, and also when a tier fails or
/// panics (`Drop` runs while unwinding; if the process dies, the service dies with it).
pub struct Fixture {
    /// The regimes `cargo bench` measures, the default first (e.g. `lat0-c16`): (name, whether
    /// only each tier's pick is timed there).
    pub regimes: Vec<(String, bool)>,
    /// Starts the service for one regime over a loaded input. May cut the input (a slow regime
    /// needs fewer records), which then carries its own expected summary.
    pub start: fn(regime: &str, input: &Loaded) -> Result<Started, TaskError>,
    /// Whether `cargo bench` times variant `tier/name` in a regime in a mode (beyond `picks
    /// only`, and quick mode's picks only): e.g. the pipeline's stages that do not touch the
    /// server are timed at 0 ms only.
    pub measured: fn(regime: &str, tier: Tier, variant: &str, mode: crate::bench::Mode) -> bool,
}

/// A running fixture: what the tiers receive, and the guard whose `Drop` stops the service.
pub struct Started {
    /// The input as the tiers receive it in this regime (`None`: unchanged).
    pub input: Option<Loaded>,
    /// Handed to every call: Rust tiers get them in [`crate::task::Call`], Python tiers as the
    /// second argument of their task's `load(path, params)`.
    pub params: Summary,
    pub guard: Box<dyn std::any::Any + Send>,
}

/// The first whole lines of `data` holding at most `n` bytes (at least one line).
pub fn cut_lines(data: &[u8], n: u64) -> Vec<u8> {
    let n = (n as usize).min(data.len());
    let end = match data[..n].iter().rposition(|&b| b == b'\n') {
        Some(i) if n < data.len() => i + 1,
        _ if n == data.len() => n,
        _ => data
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |i| i + 1),
    };
    data[..end].to_vec()
}

/// The first whole records of an input worth at most `n` units (see [`Task::cut`]).
pub type Cut = fn(&[u8], u64) -> Vec<u8>;

/// A reference point over the input's bytes; what it returns only keeps it from being optimised out.
pub type Baseline = fn(&[u8]) -> u64;

/// A dataset `cargo bench` measures besides the task's default one.
pub struct MoreDataset {
    pub dataset: &'static str,
    /// Where the `small` (slow) variants are timed for this regime; `None`: they are not.
    pub small: Option<&'static str>,
    /// Only each tier's pick is timed here (a sweep point rather than a regime of its own).
    pub picks_only: bool,
}

/// An input as the tiers receive it; `transformed` when it differs from the file (e.g. a
/// `.cdxj.gz` decompressed), so the Python worker is given a plain copy instead.
pub struct Loaded {
    pub bytes: Vec<u8>,
    pub transformed: bool,
    /// What the task needs besides the bytes (e.g. the directory a server must serve).
    pub params: Summary,
    /// The expected summary, when the task knows it from the input itself by construction
    /// (e.g. the bytes at the ranges a fetch asks for); `None`: from the generator or the
    /// reference variant.
    pub expected: Option<Summary>,
}

impl Loaded {
    pub fn new(bytes: Vec<u8>, transformed: bool) -> Loaded {
        Loaded {
            bytes,
            transformed,
            params: Summary::new(),
            expected: None,
        }
    }
}

/// The expected summary a generated dataset carries for `task`.
pub fn expected(ds: &gluebench_datasets::Dataset, task: &str) -> Summary {
    ds.expected
        .get(task)
        .and_then(|v| v.as_object())
        .cloned()
        .unwrap_or_default()
}

pub fn all() -> Vec<Task> {
    vec![
        decompress::task(),
        json::cdxj_task(),
        json::wat_task(),
        emoji::task(),
        fetch::task(),
        pipeline::task(),
        glue::task(),
    ]
}

pub fn find(name: &str) -> Option<Task> {
    all().into_iter().find(|t| t.name == name)
}

/// The slower path a variant runs on this machine instead of its fast one, if it does: the
/// emoji scanner (the emoji picks of rust and pyo3, and the pipeline's emoji stage in those
/// tiers) without AVX2. Recorded on each row the variant measured, and shown in the report.
pub fn fallback(task: &str, tier: &str, variant: &str) -> Option<&'static str> {
    let runs_the_scanner = matches!(tier, "rust" | "pyo3")
        && match task {
            "emoji" => variant.starts_with("scanner"),
            "pipeline" => true,
            _ => false,
        };
    runs_the_scanner
        .then(rust_impls::emoji::simd_fallback)
        .flatten()
}

#[cfg(test)]
mod tests {
    #[test]
    fn cut_lines_keeps_whole_lines() {
        let data = b"aaa\nbbbb\ncc";
        assert_eq!(super::cut_lines(data, 1), b"aaa\n", "at least one line");
        assert_eq!(super::cut_lines(data, 8), b"aaa\n");
        assert_eq!(super::cut_lines(data, 9), b"aaa\nbbbb\n");
        assert_eq!(super::cut_lines(data, 100), data);
    }
}
