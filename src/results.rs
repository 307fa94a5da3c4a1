//! The results layer: one typed row per measurement, kept in one store that every run updates.
//!
//! Results flow one way (as in rebar): criterion measures and writes its estimates; the bench
//! support reads them back into a [`Row`] and [`Store::upsert`]s it into `reports/results.json`
//! (and its flat twin `reports/results.csv`) right after each benchmark, so a crash loses
//! nothing that finished; `gluebench report` reads only the store. A row is keyed by
//! (task, workload, dataset, tier, variant, interpreter, axis): a run replaces the rows it measured and keeps all
//! others. Each row names the run that measured it, and each run has an environment
//! [`Manifest`](crate::manifest::Manifest) in the same file.
//!
//! The schema is documented in the README ("Results files"); bump [`SCHEMA_VERSION`] when a
//! field changes meaning or goes away. An unreadable store (empty, truncated, another schema) is
//! an error naming the file, never silently replaced.

use crate::manifest::Manifest;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const SCHEMA_VERSION: u32 = 1;

/// A row is `unstable` when criterion's 95% confidence interval of the mean is wider than this
/// fraction of the mean on either side, or its standard deviation exceeds [`UNSTABLE_STD_DEV`]
/// of the mean: then the row cannot support a ratio finer than its own spread.
pub const UNSTABLE_CI: f64 = 0.05;
pub const UNSTABLE_STD_DEV: f64 = 0.10;

/// One measurement (or one variant that could not be measured, with why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub schema_version: u32,
    /// `decompress`, `json`, `emoji`, `glue`, …
    pub task: String,
    /// The task's workload: `cdxj` and `wat` for `json`, the task's own name otherwise.
    pub workload: String,
    /// The input measured: a generated dataset (`wet-16m`), or a prefix of one in a size sweep
    /// (`wet-16m@64KiB`).
    pub dataset: String,
    /// Rows with the same regime are ranked together (a slow variant's small dataset stands
    /// in for its regime's big one: throughput is per unit, so the two compare).
    pub regime: String,
    /// `size` or `density` for a point of a sweep, with its parameter in `x` (throughput
    /// units of the input, or emoji per MB); empty otherwise.
    pub sweep: String,
    pub x: Option<f64>,
    /// `pure` … `rust`, or `baseline` for a reference point that is not a tier.
    pub tier: String,
    pub variant: String,
    /// The tier's pick (its first variant).
    pub pick: bool,
    /// `ok`; `error` or `mismatch` (never timed); `differs` (a declared known mismatch, never
    /// timed where it differs); `no-estimate` (ran, but criterion wrote no estimate).
    pub status: String,
    pub error: Option<String>,
    /// What one throughput unit counts (`decompressed bytes`, `input bytes`, `calls`).
    pub unit: String,
    /// Throughput units per call.
    pub units: u64,
    pub input_bytes: u64,
    /// sha256 (first 16 hex digits) of the expected summary every sample was verified against.
    pub expected_digest: Option<String>,
    pub samples: Option<u64>,
    /// Calls timed over all samples.
    pub iterations: Option<u64>,
    /// Per call, from criterion's estimates (95% confidence intervals).
    pub mean_ns: Option<f64>,
    pub mean_lo_ns: Option<f64>,
    pub mean_hi_ns: Option<f64>,
    pub median_ns: Option<f64>,
    pub median_lo_ns: Option<f64>,
    pub median_hi_ns: Option<f64>,
    pub std_dev_ns: Option<f64>,
    /// Millions of units per second at the median (MB/s for bytes).
    pub throughput: Option<f64>,
    pub unstable: Option<bool>,
    /// RFC 3339, UTC.
    pub measured_at: String,
    /// The run that measured it: a key of [`Store::runs`].
    pub run: String,
    pub quick: bool,
    /// The interpreter of a Python row of the interpreter axis (`cpython-3.13.0`,
    /// `pypy-3.9.16`); empty for the default interpreter (`.venv/`, named in the run's
    /// manifest) and for the Rust tiers. Files older than the axis have no such field.
    #[serde(default)]
    pub interpreter: String,
    /// The slower path the variant ran on this machine instead of its fast one, if any (e.g.
    /// the emoji scanner without AVX2: [`crate::tasks::fallback`]); empty when none.
    #[serde(default)]
    pub fallback: String,
    /// Measured by a run of the interpreter axis (`GLUEBENCH_INTERPRETERS`): its rows of the
    /// default interpreter and of Rust are kept apart from the default run's, so "The JIT
    /// question" sets side by side rows of one run. Files older than this field: `false`.
    #[serde(default)]
    pub axis: bool,
    /// A side of an interleaved pair (`glue/paired`): its speed over the other side's, as the
    /// median over the rounds of `other / own` (the two batches of a round were timed back to
    /// back), with the 95% interval of that median. A paired ratio: what drifts between rounds
    /// weighs on both batches of a round alike. Other rows, and files older than the field:
    /// none.
    #[serde(default)]
    pub paired_ratio: Option<f64>,
    #[serde(default)]
    pub paired_ratio_lo: Option<f64>,
    #[serde(default)]
    pub paired_ratio_hi: Option<f64>,
}

impl Row {
    pub fn key(&self) -> (&str, &str, &str, &str, &str, &str, bool) {
        (
            &self.task,
            &self.workload,
            &self.dataset,
            &self.tier,
            &self.variant,
            &self.interpreter,
            self.axis,
        )
    }

    /// A row of an interpreter-axis run (or, in files older than `axis`, of another
    /// interpreter): read by "The JIT question" only.
    pub fn on_axis(&self) -> bool {
        self.axis || !self.interpreter.is_empty()
    }

    /// A side of an interleaved pair: its paired ratio, [point, low, high] (`None` for other
    /// rows, and for pairs from files older than the field).
    pub fn paired(&self) -> Option<[f64; 3]> {
        Some([
            self.paired_ratio?,
            self.paired_ratio_lo?,
            self.paired_ratio_hi?,
        ])
    }

    /// `task/workload` as the benchmark group is named (`json/cdxj`, `emoji`).
    pub fn group(&self) -> String {
        group_name(&self.task, &self.workload)
    }

    pub fn id(&self) -> String {
        format!("{}/{}", self.tier, self.variant)
    }

    pub fn is_measured(&self) -> bool {
        self.status == "ok" && self.median_ns.is_some()
    }

    /// Seconds per call at the median.
    pub fn seconds(&self) -> Option<f64> {
        self.median_ns.map(|ns| ns / 1e9)
    }

    /// Fills `unstable` from the spread, by the rule of [`UNSTABLE_CI`].
    pub fn judge_stability(&mut self) {
        self.unstable = match (self.mean_ns, self.mean_lo_ns, self.mean_hi_ns) {
            (Some(m), Some(lo), Some(hi)) if m > 0.0 => {
                let ci = ((m - lo).max(hi - m)) / m;
                let sd = self.std_dev_ns.unwrap_or(0.0) / m;
                Some(ci > UNSTABLE_CI || sd > UNSTABLE_STD_DEV)
            }
            _ => None,
        };
    }
}

/// The benchmark group of a task's workload: `json/cdxj`, or `emoji` when they are the same;
/// the inverse of [`split_group`].
pub fn group_name(task: &str, workload: &str) -> String {
    if workload == task {
        task.to_string()
    } else {
        format!("{task}/{workload}")
    }
}

/// Where a split `json/cdxj` group name goes: (`json`, `cdxj`); `emoji` -> (`emoji`, `emoji`).
pub fn split_group(group: &str) -> (String, String) {
    match group.split_once('/') {
        Some((task, workload)) => (task.to_string(), workload.to_string()),
        None => (group.to_string(), group.to_string()),
    }
}

/// The results file: every row, and the manifest of every run a row refers to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Store {
    pub schema_version: u32,
    pub runs: BTreeMap<String, Manifest>,
    pub rows: Vec<Row>,
}

/// `reports/results.json`, or `$GLUEBENCH_RESULTS`.
pub fn default_path() -> PathBuf {
    std::env::var_os("GLUEBENCH_RESULTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::bootstrap::root().join("reports/results.json"))
}

impl Store {
    pub fn new() -> Store {
        Store {
            schema_version: SCHEMA_VERSION,
            ..Store::default()
        }
    }

    /// Reads a results file. Every failure is one line naming the file and what to do.
    pub fn load(path: &Path) -> Result<Store, String> {
        let name = path.display();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!(
                    "{name}: no such results file; run `cargo bench` first (or pass --results FILE)"
                ))
            }
            Err(e) => return Err(format!("{name}: cannot read: {e}")),
        };
        if text.trim().is_empty() {
            return Err(format!(
                "{name}: the file is empty; it holds no results (delete it and run `cargo bench`)"
            ));
        }
        let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            format!("{name}: not a complete results file ({e}); it may be truncated: restore it from git or delete it and run `cargo bench`")
        })?;
        let version = doc.get("schema_version").and_then(|v| v.as_u64());
        if version != Some(SCHEMA_VERSION as u64) {
            return Err(format!(
                "{name}: results schema_version {} but this gluebench reads {SCHEMA_VERSION}; move the file away and re-run `cargo bench`",
                version.map_or("missing".to_string(), |v| v.to_string())
            ));
        }
        serde_json::from_value(doc)
            .map_err(|e| format!("{name}: a row does not fit schema {SCHEMA_VERSION}: {e}"))
    }

    /// The store at `path`, or a new one when there is no file yet. An unreadable file is an
    /// error (a run must not replace results it could not read).
    pub fn load_or_new(path: &Path) -> Result<Store, String> {
        if path.exists() {
            Store::load(path)
        } else {
            Ok(Store::new())
        }
    }

    /// Replaces the row with the same key, or adds it; keeps rows sorted by key.
    pub fn upsert(&mut self, row: Row) {
        match self.rows.iter_mut().find(|r| r.key() == row.key()) {
            Some(old) => *old = row,
            None => self.rows.push(row),
        }
        self.sort();
    }

    fn sort(&mut self) {
        let tier_order = |t: &str| {
            [
                "pure",
                "naive",
                "hotpath",
                "ecosystem",
                "pyo3",
                "rust",
                "baseline",
            ]
            .iter()
            .position(|x| *x == t)
            .unwrap_or(99)
        };
        self.rows.sort_by(|a, b| {
            (&a.task, &a.workload, &a.regime, &a.dataset)
                .cmp(&(&b.task, &b.workload, &b.regime, &b.dataset))
                .then(tier_order(&a.tier).cmp(&tier_order(&b.tier)))
                .then(b.pick.cmp(&a.pick))
                .then(a.variant.cmp(&b.variant))
        });
    }

    /// Drops manifests no row refers to.
    fn prune(&mut self) {
        let used: std::collections::BTreeSet<&str> =
            self.rows.iter().map(|r| r.run.as_str()).collect();
        self.runs.retain(|id, _| used.contains(id.as_str()));
    }

    /// Writes `path` (JSON) and the CSV beside it, each atomically.
    pub fn save(&mut self, path: &Path) -> Result<(), String> {
        self.prune();
        self.schema_version = SCHEMA_VERSION;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let json = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        write_atomically(path, json.as_bytes())?;
        write_atomically(&path.with_extension("csv"), &self.csv()?)
    }

    pub fn csv(&self) -> Result<Vec<u8>, String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        for row in &self.rows {
            w.serialize(row).map_err(|e| e.to_string())?;
        }
        w.into_inner().map_err(|e| e.to_string())
    }

    /// Load, change, save, under a lock, so concurrent writers cannot lose each other's rows.
    pub fn update(path: &Path, change: impl FnOnce(&mut Store)) -> Result<(), String> {
        let lock_path = path.with_extension("lock");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let lock = std::fs::File::create(&lock_path)
            .map_err(|e| format!("cannot create {}: {e}", lock_path.display()))?;
        lock.lock()
            .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
        let mut store = Store::load_or_new(path)?;
        change(&mut store);
        store.save(path)
    }
}

/// Writes through a temporary file beside `path` and renames it into place, so a reader (or a
/// crash) never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}

/// sha256 of a summary's JSON text, first 16 hex digits: which expected output a row was
/// verified against.
pub fn digest(summary: &serde_json::Map<String, serde_json::Value>) -> String {
    use sha2::{Digest, Sha256};
    let text = serde_json::to_string(summary).unwrap_or_default();
    let hash = Sha256::digest(text.as_bytes());
    hash.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Now, as RFC 3339 UTC (`2026-12-06T18:40:12Z`), without a date crate.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    rfc3339(secs)
}

pub fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn row(task: &str, dataset: &str, tier: &str, variant: &str) -> Row {
        Row {
            schema_version: SCHEMA_VERSION,
            task: task.into(),
            workload: task.into(),
            dataset: dataset.into(),
            regime: dataset.into(),
            sweep: String::new(),
            x: None,
            tier: tier.into(),
            variant: variant.into(),
            pick: true,
            status: "ok".into(),
            error: None,
            unit: "input bytes".into(),
            units: 1000,
            input_bytes: 1000,
            expected_digest: None,
            samples: Some(10),
            iterations: Some(100),
            mean_ns: Some(100.0),
            mean_lo_ns: Some(99.0),
            mean_hi_ns: Some(101.0),
            median_ns: Some(100.0),
            median_lo_ns: Some(99.0),
            median_hi_ns: Some(101.0),
            std_dev_ns: Some(2.0),
            throughput: Some(10_000.0),
            unstable: None,
            measured_at: "2026-12-06T00:00:00Z".into(),
            run: "r1".into(),
            quick: false,
            interpreter: String::new(),
            fallback: String::new(),
            axis: false,
            paired_ratio: None,
            paired_ratio_lo: None,
            paired_ratio_hi: None,
        }
    }

    #[test]
    fn rfc3339_known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_796_582_445), "2026-12-06T18:40:45Z");
    }

    #[test]
    fn upsert_replaces_by_key_and_keeps_the_rest() {
        let mut s = Store::new();
        s.upsert(row("emoji", "wet-16m", "rust", "scanner"));
        s.upsert(row("emoji", "wet-16m", "hotpath", "re"));
        let mut newer = row("emoji", "wet-16m", "rust", "scanner");
        newer.median_ns = Some(50.0);
        s.upsert(newer);
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].tier, "hotpath", "tier order");
        assert_eq!(s.rows[1].median_ns, Some(50.0));
    }

    #[test]
    fn rows_of_two_interpreters_both_survive() {
        let mut s = Store::new();
        s.upsert(row("json", "cdxj-16m", "pure", "recursive-descent"));
        let mut pypy = row("json", "cdxj-16m", "pure", "recursive-descent");
        pypy.interpreter = "pypy-3.9.16".into();
        pypy.median_ns = Some(20.0);
        s.upsert(pypy.clone());
        s.upsert(pypy);
        assert_eq!(s.rows.len(), 2, "one row per interpreter");
        // A file written before the axis: rows without the field are the default interpreter.
        let mut old = serde_json::to_value(&s).unwrap();
        for field in [
            "interpreter",
            "paired_ratio",
            "paired_ratio_lo",
            "paired_ratio_hi",
        ] {
            old["rows"][0].as_object_mut().unwrap().remove(field);
        }
        let back: Store = serde_json::from_value(old).unwrap();
        assert_eq!(back.rows[0].interpreter, "");
        assert_eq!(back.rows[0].paired_ratio, None);
        let csv = String::from_utf8(s.csv().unwrap()).unwrap();
        assert!(
            csv.lines().next().unwrap().ends_with(
                ",interpreter,fallback,axis,paired_ratio,paired_ratio_lo,paired_ratio_hi"
            ),
            "{csv}"
        );
        assert!(csv.contains("pypy-3.9.16"));
    }

    #[test]
    fn stability_rule() {
        let mut r = row("emoji", "d", "rust", "v");
        r.judge_stability();
        assert_eq!(r.unstable, Some(false));
        r.mean_hi_ns = Some(106.0);
        r.judge_stability();
        assert_eq!(r.unstable, Some(true), "CI over 5%");
        r.mean_hi_ns = Some(101.0);
        r.std_dev_ns = Some(11.0);
        r.judge_stability();
        assert_eq!(r.unstable, Some(true), "std dev over 10%");
    }

    #[test]
    fn bad_files_are_one_line_errors_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("gluebench-results-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("results.json");
        let missing = Store::load(&p).unwrap_err();
        assert!(missing.contains("results.json") && missing.contains("cargo bench"));
        std::fs::write(&p, "").unwrap();
        assert!(Store::load(&p).unwrap_err().contains("empty"));
        std::fs::write(&p, "{\"schema_version\": 1, \"runs\": {}, \"rows\": [").unwrap();
        assert!(Store::load(&p).unwrap_err().contains("truncated"));
        std::fs::write(&p, "{\"schema_version\": 0, \"runs\": {}, \"rows\": []}").unwrap();
        assert!(Store::load(&p).unwrap_err().contains("schema_version 0"));
        assert!(!Store::load(&p).unwrap_err().contains('\n'));
        // An unreadable store is not replaced by an update.
        assert!(Store::update(&p, |_| {}).is_err());
        assert!(std::fs::read_to_string(&p)
            .unwrap()
            .contains("\"schema_version\": 0"));
        let mut s = Store::new();
        s.upsert(row("emoji", "wet-16m", "rust", "scanner"));
        s.runs.insert("r1".into(), Manifest::default());
        s.save(&p).unwrap();
        let back = Store::load(&p).unwrap();
        assert_eq!(back.rows, s.rows);
        let csv = std::fs::read_to_string(p.with_extension("csv")).unwrap();
        assert!(csv.starts_with("schema_version,task,workload,dataset,regime"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
