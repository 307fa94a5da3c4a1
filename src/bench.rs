//! What the criterion benches share that does not depend on criterion itself: which dataset
//! each variant is timed on, the run settings (quick or full), and the results files.
//!
//! Results flow one way: criterion measures and writes `target/criterion/…/estimates.json`;
//! after each task, [`Results::record`] reads those estimates back and writes
//! `reports/results/<task>.json` and `.csv` (one row per variant, with the ratio to the fastest
//! and the run's metadata), rewriting them after every variant so a crash loses nothing
//! that finished. Criterion's JSON is private, so its version is pinned in Cargo.lock.

use crate::task::Variant;
use crate::tasks::Task;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Run settings: `GLUEBENCH_QUICK=1` (or criterion's `--quick`) for a fast pass.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub quick: bool,
    pub warm_up: Duration,
    pub measurement: Duration,
    pub samples: usize,
}

impl Settings {
    pub fn from_env() -> Settings {
        let quick = std::env::var("GLUEBENCH_QUICK").is_ok_and(|v| v != "0")
            || std::env::args().any(|a| a == "--quick");
        if quick {
            Settings {
                quick,
                warm_up: Duration::from_millis(150),
                measurement: Duration::from_millis(500),
                samples: 10,
            }
        } else {
            Settings {
                quick,
                warm_up: Duration::from_secs(1),
                measurement: Duration::from_secs(4),
                samples: 20,
            }
        }
    }
}

/// The dataset a variant is timed on in the task's default regime: the task's small one for
/// slow tiers, otherwise [`default_dataset`].
pub fn dataset_for(task: &Task, v: &Variant) -> String {
    if v.small {
        return task.small_dataset.to_string();
    }
    default_dataset(task)
}

/// The task's default dataset, or one of `$GLUEBENCH_DATASET` (comma-separated, e.g.
/// `wet-128m,cdxj-16m`): the first of the same kind as the task's default (`wet-`, `cdxj-`, `wat-`).
pub fn default_dataset(task: &Task) -> String {
    let kind = |name: &str| name.split('-').next().unwrap_or("").to_string();
    std::env::var("GLUEBENCH_DATASET")
        .ok()
        .and_then(|list| {
            list.split(',')
                .map(str::trim)
                .find(|d| kind(d) == kind(task.dataset))
                .map(String::from)
        })
        .unwrap_or_else(|| task.dataset.to_string())
}

/// One dataset a task is benchmarked on, with where its slow variants run.
pub struct Regime {
    pub dataset: String,
    /// The small dataset for `small` variants; `None`: they are not timed in this regime.
    pub small: Option<String>,
    /// Only each tier's pick is timed (a sweep point rather than a regime of its own).
    pub picks_only: bool,
}

impl Regime {
    /// The dataset `v` is timed on in this regime, or `None` when it is not timed here.
    pub fn dataset_for(&self, v: &Variant) -> Option<&str> {
        if self.picks_only && !v.pick {
            return None;
        }
        if v.small {
            self.small.as_deref()
        } else {
            Some(&self.dataset)
        }
    }
}

/// The regimes of a task: its default dataset first, then its `more_datasets`.
pub fn regimes(task: &Task) -> Vec<Regime> {
    let mut out = vec![Regime {
        dataset: default_dataset(task),
        small: Some(task.small_dataset.to_string()),
        picks_only: false,
    }];
    out.extend(task.more_datasets.iter().map(|m| Regime {
        dataset: m.dataset.to_string(),
        small: m.small.map(String::from),
        picks_only: m.picks_only,
    }));
    out
}

fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::bootstrap::root().join("target"));
    target.join("criterion")
}

/// Criterion's estimate of one benchmark: (mean, median) nanoseconds per call.
pub fn read_estimates(group: &str, function: &str, parameter: &str) -> Option<(f64, f64)> {
    // Criterion replaces '/' (and a few other characters) with '_' in directory names.
    let safe = |s: &str| s.replace(['?', '"', '/', '\\', '*', '<', '>', ':', '|', '^'], "_");
    let path = criterion_dir()
        .join(safe(group))
        .join(safe(function))
        .join(safe(parameter))
        .join("new/estimates.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    Some((
        v["mean"]["point_estimate"].as_f64()?,
        v["median"]["point_estimate"].as_f64()?,
    ))
}

/// The rows of one task's run, kept in `reports/results/`.
pub struct Results {
    task: &'static str,
    unit: &'static str,
    rows: Vec<Value>,
    meta: Value,
}

impl Results {
    pub fn new(task: &Task, settings: &Settings, python: Option<Value>) -> Results {
        let meta = json!({
            "task": task.name,
            "throughput_unit": task.throughput_unit,
            "quick": settings.quick,
            "when_unix": std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
            "machine": machine(),
            "python": python,
            "rustc": option_env!("GLUEBENCH_RUSTC").unwrap_or("unknown"),
        });
        Results {
            task: task.name,
            unit: task.throughput_unit,
            rows: Vec::new(),
            meta,
        }
    }

    /// Records a finished benchmark (or why it was not timed) and rewrites the results files.
    /// `regime` is the dataset the row is ranked in (a slow variant's small dataset stands in
    /// for its regime's big one: throughput is per byte, so the two compare).
    pub fn record(
        &mut self,
        v: &Variant,
        dataset: &str,
        regime: &str,
        units: u64,
        outcome: Result<(), String>,
    ) {
        self.record_row(
            v.tier.as_str(),
            &v.name,
            v.pick,
            dataset,
            regime,
            units,
            outcome,
        );
    }

    /// Records a baseline (`tier` "baseline"): a reference point, not a tier.
    pub fn record_baseline(
        &mut self,
        name: &str,
        dataset: &str,
        units: u64,
        outcome: Result<(), String>,
    ) {
        self.record_row("baseline", name, false, dataset, dataset, units, outcome);
    }

    #[allow(clippy::too_many_arguments)]
    fn record_row(
        &mut self,
        tier: &str,
        name: &str,
        pick: bool,
        dataset: &str,
        regime: &str,
        units: u64,
        outcome: Result<(), String>,
    ) {
        let estimate = outcome
            .as_ref()
            .ok()
            .and_then(|_| read_estimates(self.task, &format!("{tier}/{name}"), dataset));
        let mut row = json!({
            "tier": tier, "variant": name, "pick": pick, "dataset": dataset, "regime": regime,
            "units": units, "status": if outcome.is_ok() { "ok" } else { "error" },
            "error": outcome.err(),
        });
        if let Some((mean, median)) = estimate {
            row["mean_ns"] = json!(mean);
            row["median_ns"] = json!(median);
            row["mb_per_s"] = json!(units as f64 / (median / 1e9) / 1e6);
        }
        self.rows.push(row);
        if let Err(e) = self.write() {
            eprintln!(
                "gluebench: could not write reports/results/{}.json: {e}",
                self.task
            );
        }
    }

    fn write(&mut self) -> std::io::Result<()> {
        // The fastest tier of each regime (baselines are not tiers and do not count).
        let mut best: std::collections::HashMap<String, f64> = Default::default();
        for r in self.rows.iter().filter(|r| r["tier"] != "baseline") {
            if let Some(speed) = r["mb_per_s"].as_f64() {
                let e = best
                    .entry(r["regime"].as_str().unwrap_or("").to_string())
                    .or_insert(0.0);
                *e = e.max(speed);
            }
        }
        for r in &mut self.rows {
            let fastest = best.get(r["regime"].as_str().unwrap_or("")).copied();
            if let (Some(speed), Some(fastest)) = (r["mb_per_s"].as_f64(), fastest) {
                r["ratio_to_fastest"] = json!(speed / fastest);
            }
        }
        let dir = crate::bootstrap::root().join("reports/results");
        std::fs::create_dir_all(&dir)?;
        let doc = json!({"meta": self.meta, "rows": self.rows});
        let stem = self.file_stem();
        write_atomically(
            &dir.join(format!("{stem}.json")),
            serde_json::to_string_pretty(&doc)?.as_bytes(),
        )?;
        let mut csv = String::from(
            "task,tier,variant,pick,dataset,regime,status,median_ns,mb_per_s,ratio_to_fastest,error\n",
        );
        for r in &self.rows {
            let num = |k: &str| r[k].as_f64().map_or(String::new(), |x| format!("{x:.4}"));
            let text = |k: &str| r[k].as_str().unwrap_or("").replace('"', "'");
            csv.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},\"{}\"\n",
                self.task,
                text("tier"),
                text("variant"),
                r["pick"],
                text("dataset"),
                text("regime"),
                text("status"),
                num("median_ns"),
                num("mb_per_s"),
                num("ratio_to_fastest"),
                text("error")
            ));
        }
        write_atomically(&dir.join(format!("{stem}.csv")), csv.as_bytes())
    }

    /// `json/cdxj` -> `json-cdxj`: one flat file per task in reports/results/.
    fn file_stem(&self) -> String {
        self.task.replace('/', "-")
    }

    /// A table of this task's results, fastest first within each regime, for the end of the run.
    pub fn print_summary(&self) {
        let speed = |r: &Value| r["mb_per_s"].as_f64().unwrap_or(-1.0);
        let mut regimes: Vec<&str> = Vec::new();
        for r in &self.rows {
            let regime = r["regime"].as_str().unwrap_or("");
            if !regimes.contains(&regime) {
                regimes.push(regime);
            }
        }
        eprintln!(
            "\ngluebench: {} ({} per second, median of criterion samples)",
            self.task, self.unit
        );
        for regime in regimes {
            let mut rows: Vec<&Value> = self
                .rows
                .iter()
                .filter(|r| r["regime"].as_str() == Some(regime))
                .collect();
            rows.sort_by(|a, b| speed(b).total_cmp(&speed(a)));
            eprintln!(
                "  {:<10} {:<28} {:<14} {:>10} {:>8}",
                "tier", "variant", "dataset", "MB/s", "ratio"
            );
            for r in rows {
                let name = format!(
                    "{}{}",
                    r["variant"].as_str().unwrap_or(""),
                    if r["pick"] == true { " *" } else { "" }
                );
                let tier = r["tier"].as_str().unwrap_or("");
                match (r["mb_per_s"].as_f64(), r["ratio_to_fastest"].as_f64()) {
                    (Some(s), Some(q)) => eprintln!(
                        "  {tier:<10} {name:<28} {:<14} {s:>10.1} {q:>8.3}",
                        r["dataset"].as_str().unwrap_or(""),
                    ),
                    _ => eprintln!(
                        "  {tier:<10} {name:<28} not timed: {}",
                        r["error"].as_str().unwrap_or("filtered out or no estimate")
                    ),
                }
            }
            eprintln!();
        }
        eprintln!(
            "  (* the tier's pick; ratio: to the fastest tier on the same regime; results in reports/results/{}.json and .csv)\n",
            self.task.replace('/', "-")
        );
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(tmp, path)
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|s| {
        s.lines()
            .find(|l| l.starts_with("model name"))
            .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
    });
    json!({
        "cpu": cpu,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
    })
}
