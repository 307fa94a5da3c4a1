//! What every task shares: tiers, variants, result summaries, errors and the verification gate.
//!
//! A task's result is reduced to a *summary* (a small JSON object such as
//! `{"members": 3012, "bytes": 16000123, "sha256": "…"}`) computed outside the timed region.
//! Verifying a tier means comparing its summary with the expected one, field by field.

use serde_json::{Map, Value};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub type Summary = Map<String, Value>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Pure,
    Naive,
    Hotpath,
    Ecosystem,
    Pyo3,
    Rust,
}

impl Tier {
    pub const ALL: [Tier; 6] = [
        Tier::Pure,
        Tier::Naive,
        Tier::Hotpath,
        Tier::Ecosystem,
        Tier::Pyo3,
        Tier::Rust,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Pure => "pure",
            Tier::Naive => "naive",
            Tier::Hotpath => "hotpath",
            Tier::Ecosystem => "ecosystem",
            Tier::Pyo3 => "pyo3",
            Tier::Rust => "rust",
        }
    }

    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn is_python(self) -> bool {
        self != Tier::Rust
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure in the task's own vocabulary (e.g. `truncated` at byte 1234), or a harness
/// failure (`internal`, `unavailable`, `timeout`, `mismatch`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskError {
    pub kind: String,
    pub offset: Option<u64>,
    pub message: String,
}

impl TaskError {
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        TaskError {
            kind: kind.to_string(),
            offset: None,
            message: message.into(),
        }
    }

    /// Whether two tiers report the same problem: same kind, and the same offset when both
    /// know it (the gzip module, for one, never says where a file goes wrong).
    pub fn same_problem(&self, other: &TaskError) -> bool {
        self.kind == other.kind
            && match (self.offset, other.offset) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One timed call: how long the call itself took, and the summary of what it returned.
pub type Outcome = Result<(Duration, Summary), TaskError>;

/// What one call of a tier is handed: the input's bytes and, for a task with a fixture, the
/// parameters the fixture gives every tier (e.g. the server's URL and the concurrency).
#[derive(Clone, Copy)]
pub struct Call<'a> {
    pub bytes: &'a [u8],
    pub params: &'a Summary,
}

/// A Rust implementation: runs once on the input, timing only the call.
pub type RustRun = Arc<dyn Fn(&Call) -> Outcome + Send + Sync>;

#[derive(Clone)]
pub enum Engine {
    Rust(RustRun),
    /// Run by the Python worker, which resolves (task, tier, variant) itself.
    Python,
}

#[derive(Clone)]
pub struct Variant {
    pub tier: Tier,
    pub name: String,
    /// The tier's pick (its first variant); the others are runners-up kept for comparison.
    pub pick: bool,
    /// Too slow for big inputs: timed on the task's small dataset, capped in `check`.
    pub small: bool,
    /// Follows other rules than the task's by design (why, in one line): it is run and its
    /// differences are reported; its disagreeing is not a failure, and it is timed only where
    /// it agrees.
    pub known_mismatch: Option<String>,
    pub engine: Engine,
    /// Not a tier but a reference point timed like one (a Python plain loop without the
    /// task's rule, from the task's `BASELINES`): never verified against the expected summary
    /// (its own checksum must only stay the same from call to call), recorded as tier
    /// `baseline`; `tier` is then only where it sorts.
    pub baseline: bool,
}

impl Variant {
    /// `tier/variant`, the name used in criterion ids, filters and reports.
    pub fn id(&self) -> String {
        if self.baseline {
            return format!("baseline/{}", self.name);
        }
        format!("{}/{}", self.tier, self.name)
    }

    /// The gate: `got` must equal `expected`. A disagreement is a `mismatch`, or `differs`
    /// (with the declared reason) for a `known_mismatch` variant.
    pub fn verify(&self, expected: &Summary, got: &Summary) -> Result<(), TaskError> {
        compare(expected, got).map_err(|diff| match &self.known_mismatch {
            None => TaskError::new("mismatch", diff),
            Some(why) => TaskError::new("differs", format!("differs as declared ({why}): {diff}")),
        })
    }
}

/// Compares a tier's summary with the expected one. A field the tier reports as `null` is one
/// it cannot know (e.g. the member count behind `gzip.open`) and is not compared.
pub fn compare(expected: &Summary, got: &Summary) -> Result<(), String> {
    if expected.is_empty() {
        return Err("no expected summary to compare with (a harness bug)".into());
    }
    let mut diffs = Vec::new();
    for (key, want) in expected {
        match got.get(key) {
            Some(Value::Null) => {}
            Some(have) if have == want => {}
            Some(Value::Object(have)) if want.is_object() => diffs.push(format!(
                "{key}: {}",
                map_diff(want.as_object().unwrap(), have)
            )),
            Some(have) => diffs.push(format!(
                "{key}: expected {}, got {}",
                short(want),
                short(have)
            )),
            None => diffs.push(format!("{key}: missing")),
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("; "))
    }
}

/// The entries of two maps that differ (e.g. emoji counts), the first few of them.
fn map_diff(want: &Summary, have: &Summary) -> String {
    let missing = Value::String("none".into());
    let mut keys: Vec<&String> = want.keys().chain(have.keys()).collect();
    keys.sort();
    keys.dedup();
    let diffs: Vec<String> = keys
        .into_iter()
        .filter(|k| want.get(*k) != have.get(*k))
        .map(|k| {
            let (w, h) = (
                want.get(k).unwrap_or(&missing),
                have.get(k).unwrap_or(&missing),
            );
            format!("{k:?} expected {}, got {}", short(w), short(h))
        })
        .collect();
    let more = diffs.len().saturating_sub(5);
    let mut out = diffs.into_iter().take(5).collect::<Vec<_>>().join(", ");
    if more > 0 {
        out.push_str(&format!(" (+{more} more)"));
    }
    out
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 24 {
        format!("{}…", s.chars().take(20).collect::<String>())
    } else {
        s
    }
}

/// Adds up the timed part of `iters` calls, checking every call's summary (benchmarks are
/// tests: a sample whose result is wrong is an error, never a number).
pub fn time_rust(
    run: &RustRun,
    input: &Call,
    iters: u64,
    expected: &Summary,
) -> Result<Duration, TaskError> {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let (took, summary) = run(input)?;
        compare(expected, &summary).map_err(|d| TaskError::new("mismatch", d))?;
        total += took;
    }
    Ok(total)
}
