//! `gluebench check`: run every tier once on one input, verify each against the expected
//! result, and print one row per variant (or one JSON document with `--json`).

use crate::session::{Input, Session};
use crate::task::{Summary, TaskError, Tier, Variant};
use crate::tasks::{self, Task};
use serde_json::{json, Value};
use std::io::IsTerminal;
use std::path::PathBuf;

pub struct Options {
    pub task: String,
    pub input: Option<PathBuf>,
    /// An index of ranges of `input` (fetch and pipeline: each CDXJ line a range of the file).
    pub index: Option<PathBuf>,
    /// A generated dataset other than the task's default (ignored with `input`); for a task
    /// with a fixture, one of its regimes (e.g. `lat20-c16`), also with `input`.
    pub dataset: Option<String>,
    /// Only these tiers (all when empty).
    pub tiers: Vec<Tier>,
    /// Run slow (`small`) variants even on inputs above the task's small limit.
    pub full: bool,
    /// The expected summary, when the caller knows it (e.g. a conformance case written by
    /// hand); otherwise it comes from the dataset's generator or the reference variant.
    pub expected: Option<Summary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Mismatch,
    Error,
    Skipped,
    /// A `known_mismatch` variant that disagrees, as declared: reported, not a failure.
    Differs,
    /// The Python worker died under the variant (e.g. SIGSEGV in an extension); restarted.
    Crashed,
    /// No answer within the deadline (`GLUEBENCH_TIMEOUT`; error kind `worker-timeout`, not a
    /// task's own `timeout`, e.g. fetch's at a range): the worker was killed, restarted.
    Timeout,
    /// A MemoryError under the worker's memory limit (`GLUEBENCH_WORKER_MEMORY`), or a death
    /// of a failed allocation; restarted.
    OutOfMemory,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Mismatch => "mismatch",
            Status::Error => "error",
            Status::Skipped => "skipped",
            Status::Differs => "differs",
            Status::Crashed => "crashed",
            Status::Timeout => "timeout",
            Status::OutOfMemory => "out-of-memory",
        }
    }

    /// The status of a variant that failed with `err`: how the worker failed, or `error`.
    pub fn of_error(err: &TaskError) -> Status {
        match err.kind.as_str() {
            "crashed" => Status::Crashed,
            "worker-timeout" => Status::Timeout,
            "out-of-memory" => Status::OutOfMemory,
            _ => Status::Error,
        }
    }
}

pub struct Row {
    pub tier: Tier,
    pub variant: String,
    pub pick: bool,
    pub status: Status,
    /// The error (for `error`), the differences (for `mismatch`) or the reason (for `skipped`).
    pub error: Option<TaskError>,
    pub seconds: Option<f64>,
    pub summary: Option<Summary>,
}

pub struct Report {
    pub task: Task,
    pub input: String,
    /// Where the expected result comes from: the dataset's generator, or the reference variant.
    pub expected_from: String,
    pub expected: Result<Summary, TaskError>,
    pub rows: Vec<Row>,
    pub python: Option<Value>,
    pub input_len: u64,
}

pub fn run(opts: &Options) -> Result<Report, String> {
    let task = tasks::find(&opts.task).ok_or_else(|| {
        let names: Vec<_> = tasks::all().iter().map(|t| t.name).collect();
        format!(
            "unknown task {:?}; the tasks are: {}",
            opts.task,
            names.join(", ")
        )
    })?;
    let input = match &opts.input {
        Some(path) => Input::file(
            &task,
            path.clone(),
            opts.index.clone(),
            opts.dataset.as_deref(),
        )?,
        None => match (&opts.dataset, &task.fixture) {
            (Some(name), _) => Input::dataset(&task, name)?,
            (None, Some(f)) => Input::dataset(&task, &f.regimes[0].0)?,
            (None, None) => Input::dataset(&task, task.dataset)?,
        },
    };
    Ok(run_in(&mut Session::new(), task, input, opts))
}

/// [`run`] for a task and input the caller made, in the caller's session (the robustness
/// tests run deliberately broken variants this way, with short deadlines).
pub fn run_in(session: &mut Session, task: Task, input: Input, opts: &Options) -> Report {
    let (variants, python_error) = session.variants(&task);
    let selected = |tier: Tier| opts.tiers.is_empty() || opts.tiers.contains(&tier);

    let (expected_from, expected) = match (&opts.expected, &input.expected) {
        (Some(summary), _) => ("the caller".to_string(), Ok(summary.clone())),
        (None, Some(summary)) if task.fixture.is_some() => (
            "the files the ranges point into".to_string(),
            Ok(summary.clone()),
        ),
        (None, Some(summary)) => ("the dataset generator".to_string(), Ok(summary.clone())),
        (None, None) => {
            let reference = variants
                .iter()
                .find(|v| v.id() == task.reference)
                .expect("reference variant exists");
            let outcome = session.run_once(&task, reference, &input).map(|(_, s)| s);
            (format!("the reference variant {}", task.reference), outcome)
        }
    };

    let mut rows = Vec::new();
    if let Some(err) = python_error {
        for tier in Tier::ALL
            .into_iter()
            .filter(|t| t.is_python() && selected(*t))
        {
            rows.push(Row {
                tier,
                variant: "-".into(),
                pick: true,
                status: Status::Error,
                error: Some(err.clone()),
                seconds: None,
                summary: None,
            });
        }
    }
    let live = std::io::stderr().is_terminal();
    for v in variants.iter().filter(|v| selected(v.tier)) {
        if live {
            eprint!("gluebench: check {} {:<40}\r", task.name, v.id());
        }
        rows.push(check_one(session, &task, v, &input, &expected, opts.full));
    }
    if live {
        eprint!("{:70}\r", "");
    }
    rows.sort_by_key(|r| r.tier);
    let python = session.python_info();
    Report {
        task,
        input_len: input.len(),
        input: input.label,
        expected_from,
        expected,
        rows,
        python,
    }
}

fn check_one(
    session: &mut Session,
    task: &Task,
    v: &Variant,
    input: &Input,
    expected: &Result<Summary, TaskError>,
    full: bool,
) -> Row {
    let mut row = Row {
        tier: v.tier,
        variant: v.name.clone(),
        pick: v.pick,
        status: Status::Ok,
        error: None,
        seconds: None,
        summary: None,
    };
    if v.small && !full && input.bytes.len() as u64 > task.small_limit {
        row.status = Status::Skipped;
        row.error = Some(TaskError::new(
            "skipped",
            format!(
                "input is over {} MB, too big for this tier; pass --full to run it anyway",
                task.small_limit >> 20
            ),
        ));
        return row;
    }
    match (session.run_once(task, v, input), expected) {
        (Ok((secs, summary)), Ok(want)) => {
            row.seconds = Some(secs);
            if let Err(err) = v.verify(want, &summary) {
                row.status = if err.kind == "differs" {
                    Status::Differs
                } else {
                    Status::Mismatch
                };
                row.error = Some(err);
            }
            row.summary = Some(summary);
        }
        (Ok((secs, summary)), Err(want)) => {
            row.seconds = Some(secs);
            row.status = Status::Mismatch;
            row.error = Some(TaskError::new(
                "mismatch",
                format!("returned a result where the reference failed with: {want}"),
            ));
            row.summary = Some(summary);
        }
        (Err(err), _) => {
            row.status = Status::of_error(&err);
            row.error = Some(err);
        }
    }
    row
}

impl Report {
    /// Rows that make `check` fail: anything but `ok`, `skipped` and `differs`.
    pub fn failures(&self) -> Vec<&Row> {
        self.rows
            .iter()
            .filter(|r| !matches!(r.status, Status::Ok | Status::Skipped | Status::Differs))
            .collect()
    }

    fn mb_per_s(&self, row: &Row) -> Option<f64> {
        let units = (self.task.throughput)(self.expected.as_ref().ok()?, self.input_len) as f64;
        row.seconds.filter(|s| *s > 0.0).map(|s| units / s / 1e6)
    }

    /// Each tier's outcome as a results row (one call, so no interval: `samples` is 1): the
    /// same typed row `cargo bench` records, with `check`'s status.
    pub fn result_rows(&self) -> Vec<crate::results::Row> {
        let (task, workload) = crate::results::split_group(self.task.name);
        let expected = self.expected.as_ref().ok();
        let units = expected.map_or(0, |e| (self.task.throughput)(e, self.input_len));
        self.rows
            .iter()
            .map(|r| {
                let ns = r.seconds.map(|s| s * 1e9);
                crate::results::Row {
                    schema_version: crate::results::SCHEMA_VERSION,
                    task: task.clone(),
                    workload: workload.clone(),
                    dataset: self.input.clone(),
                    regime: self.input.clone(),
                    sweep: String::new(),
                    x: None,
                    tier: r.tier.as_str().to_string(),
                    variant: r.variant.clone(),
                    pick: r.pick,
                    status: r.status.as_str().to_string(),
                    error: r.error.as_ref().map(|e| e.message.clone()),
                    unit: self.task.throughput_unit.to_string(),
                    units,
                    input_bytes: self.input_len,
                    expected_digest: expected.map(crate::results::digest),
                    samples: ns.map(|_| 1),
                    iterations: ns.map(|_| 1),
                    mean_ns: ns,
                    mean_lo_ns: None,
                    mean_hi_ns: None,
                    median_ns: ns,
                    median_lo_ns: None,
                    median_hi_ns: None,
                    std_dev_ns: None,
                    throughput: self.mb_per_s(r),
                    unstable: None,
                    measured_at: crate::results::now_rfc3339(),
                    run: "check".to_string(),
                    quick: true,
                    interpreter: String::new(),
                    fallback: String::new(),
                    axis: false,
                    paired_ratio: None,
                    paired_ratio_lo: None,
                    paired_ratio_hi: None,
                }
            })
            .collect()
    }

    pub fn to_json(&self) -> Value {
        let tiers: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "tier": r.tier.as_str(),
                    "variant": r.variant,
                    "pick": r.pick,
                    "status": r.status.as_str(),
                    "error": r.error.as_ref().map(|e| e.message.clone()),
                    "error_kind": r.error.as_ref().map(|e| e.kind.clone()),
                    "error_at": r.error.as_ref().and_then(|e| e.offset),
                    "seconds": r.seconds,
                    "throughput_mb_s": self.mb_per_s(r),
                    "summary": r.summary,
                })
            })
            .collect();
        json!({
            "task": self.task.name,
            "input": self.input,
            "throughput_unit": self.task.throughput_unit,
            "error_at_unit": self.task.error_at,
            "expected_from": self.expected_from,
            "expected": match &self.expected {
                Ok(s) => json!({"summary": s}),
                Err(e) => json!({"error": e.message, "error_kind": e.kind, "error_at": e.offset}),
            },
            "python": self.python,
            "tiers": tiers,
            "rows": self.result_rows(),
        })
    }

    pub fn print_table(&self) {
        println!("task     {}\ninput    {}", self.task.name, self.input);
        match &self.expected {
            Ok(s) => println!(
                "expected {}  (from {})",
                (self.task.describe)(s),
                self.expected_from
            ),
            Err(e) => println!("expected error: {e}  (from {})", self.expected_from),
        }
        println!();
        println!(
            "{:<10} {:<28} {:<13} {:>9} {:>10}  result",
            "tier", "variant", "status", "seconds", "speed"
        );
        for r in &self.rows {
            let name = if r.pick {
                format!("{} *", r.variant)
            } else {
                r.variant.clone()
            };
            let secs = r.seconds.map_or("-".into(), |s| format!("{s:.3}"));
            let speed = self.mb_per_s(r).map_or("-".into(), |m| {
                if self.task.throughput_unit.ends_with("bytes") {
                    format!("{m:.1} MB/s")
                } else {
                    format!("{:.0}/s", m * 1e6)
                }
            });
            let result = match (&r.error, &r.summary) {
                (Some(e), _) => e.message.clone(),
                (None, Some(s)) => (self.task.describe)(s),
                (None, None) => String::new(),
            };
            println!(
                "{:<10} {:<28} {:<13} {:>9} {:>10}  {}",
                r.tier.as_str(),
                name,
                r.status.as_str(),
                secs,
                speed,
                result
            );
        }
        println!("\n* the tier's pick. Speed: {} per second of one warm-ish call (use `cargo bench` for statistics).", self.task.throughput_unit);
    }
}
