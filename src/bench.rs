//! What the criterion benches share that does not depend on criterion itself: the command line
//! (criterion's own, mirrored so that our filter and settings agree with criterion's), the run
//! settings, which dataset each variant is timed on (regimes and sweeps), progress, and
//! recording each finished benchmark as a typed [`Row`] in the results store.
//!
//! Results flow one way: criterion measures and writes `target/criterion/…/new/estimates.json`
//! and `sample.json`; right after each benchmark [`Recorder::record`] reads them back (only if
//! written by this benchmark: the file must be newer than its start) and upserts the row into
//! `reports/results.json`, so a crash loses nothing that finished. Criterion's JSON is private,
//! so its version is pinned in Cargo.lock.

use crate::manifest::{self, Manifest};
use crate::results::{self, Row, Store, SCHEMA_VERSION};
use crate::session::Input;
use crate::task::{Summary, Variant};
use crate::tasks::Task;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

/// Criterion's command line, read the way criterion reads it (criterion 0.8's clap definition):
/// flags that take a value are skipped with their value, so `--save-baseline main` is not
/// mistaken for the filter `main`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args {
    pub filter: Option<String>,
    pub exact: bool,
    pub ignored: bool,
    pub quick: bool,
    pub list: bool,
    /// `cargo test --benches` or `cargo bench -- --test`: every benchmark runs once, untimed.
    pub test: bool,
    pub profile: bool,
    /// `--discard-baseline` or `--load-baseline`: criterion writes no new estimates.
    pub no_estimates: bool,
    pub sample_size: Option<usize>,
    pub warm_up: Option<f64>,
    pub measurement: Option<f64>,
}

/// Criterion's options that take a value (long and short forms).
const WITH_VALUE: &[&str] = &[
    "--color",
    "-c",
    "--save-baseline",
    "-s",
    "--baseline",
    "-b",
    "--baseline-lenient",
    "--format",
    "--profile-time",
    "--load-baseline",
    "--sample-size",
    "--warm-up-time",
    "--measurement-time",
    "--nresamples",
    "--noise-threshold",
    "--confidence-level",
    "--significance-level",
    "--plotting-backend",
    "--output-format",
];

impl Args {
    pub fn from_env() -> Args {
        Args::parse(std::env::args().skip(1))
    }

    pub fn parse(args: impl IntoIterator<Item = String>) -> Args {
        let mut out = Args::default();
        let (mut bench, mut test) = (false, false);
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            if !flag.starts_with('-') || flag == "-" {
                out.filter.get_or_insert(arg);
                continue;
            }
            let value = if WITH_VALUE.contains(&flag.as_str()) {
                inline.or_else(|| it.next())
            } else {
                None
            };
            let num = |v: &Option<String>| v.as_deref().and_then(|v| v.parse::<f64>().ok());
            match flag.as_str() {
                "--bench" => bench = true,
                "--test" => test = true,
                "--list" => out.list = true,
                "--exact" => out.exact = true,
                "--ignored" => out.ignored = true,
                "--quick" => out.quick = true,
                "--profile-time" => out.profile = true,
                "--discard-baseline" | "--load-baseline" => out.no_estimates = true,
                "--sample-size" => out.sample_size = num(&value).map(|n| n as usize),
                "--warm-up-time" => out.warm_up = num(&value),
                "--measurement-time" => out.measurement = num(&value),
                _ => {}
            }
        }
        // As criterion decides: `cargo bench` passes --bench; without it (cargo test --benches)
        // or with --test as well, each benchmark runs once as a test.
        out.test = test || !bench;
        out
    }

    /// Whether criterion will run the benchmark `id` (the same filter criterion applies), so
    /// variants that will not run are not set up either (no dataset generation, no gate run).
    pub fn wanted(&self, id: &str) -> bool {
        if self.ignored {
            return false;
        }
        match &self.filter {
            None => true,
            Some(f) if self.exact => f == id,
            Some(f) => regex::Regex::new(f).map_or(true, |re| re.is_match(id)),
        }
    }

    /// Whether this run measures (and so records rows): not when listing, testing, profiling
    /// or discarding estimates.
    pub fn measures(&self) -> bool {
        !(self.list || self.test || self.profile || self.no_estimates)
    }
}

/// How much a `cargo bench` run measures (README, "Modes"):
/// - `Quick` (`-- --quick` or `GLUEBENCH_QUICK=1`): each tier's pick and the baselines in each
///   task's main regime and its size sweep at two sizes, short samples;
/// - `Default`: every variant in each task's main regime, picks and baselines in the other
///   regimes (slow picks only in the main regime and the size sweep), the size sweep at four
///   sizes (slow variants up to 256 KiB);
/// - `Full` (`GLUEBENCH_FULL=1`): every variant everywhere, the size sweep at six sizes (slow
///   variants up to 1 MiB), longer samples.
///
/// A task with a service (fetch, pipeline) says what it times in each mode (its fixture's
/// `measured`); quick mode times picks only there too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Quick,
    Default,
    Full,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Quick => "quick",
            Mode::Default => "default",
            Mode::Full => "full",
        }
    }

    /// The sizes of the size sweep in this mode, in throughput units (decompressed bytes,
    /// input bytes). The largest sizes add little to the fit (`time = fixed + per_byte x n`)
    /// that the main regime's 16 MB row does not show, and cost the most.
    pub fn sweep_sizes(self) -> &'static [u64] {
        match self {
            Mode::Quick => &[1 << 10, 1 << 20],
            Mode::Default => &SWEEP_SIZES[..4],
            Mode::Full => &SWEEP_SIZES,
        }
    }

    /// Whether a variant (`pick`: its tier's pick; `small`: a slow one, timed on the small
    /// dataset) is timed in `regime`, number `index` of a task without a service (0: the main
    /// regime). By default slow variants run in the main regime and the size sweep only: each
    /// costs 10 calls of up to 2 s wherever it runs.
    pub fn times(self, index: usize, regime: &Regime, pick: bool, small: bool) -> bool {
        let main_or_sweep = index == 0 || regime.sweep == "size";
        match self {
            Mode::Quick => pick && main_or_sweep,
            Mode::Default => (pick || index == 0) && (!small || main_or_sweep),
            Mode::Full => true,
        }
    }

    /// Rounds of the interleaved `rust`-versus-`pyo3` measurement (`Task::paired`): each is
    /// one batch of each, about [`PAIRED_BATCH`] long, after a warm-up call.
    pub fn paired_rounds(self) -> usize {
        match self {
            Mode::Quick => 20,
            Mode::Default => 60,
            Mode::Full => 120,
        }
    }

    /// Slow (`small`) variants join the size sweep up to this size: each call of the slowest
    /// (the naive emoji lookup, 0.5 MB/s) at 1 MiB takes 2 s, and criterion takes at least 10.
    pub fn sweep_small_limit(self) -> u64 {
        match self {
            Mode::Full => 1 << 20,
            _ => 256 << 10,
        }
    }
}

/// The Python workers an interleaved pair with a Python side spreads its rounds over, each a
/// fresh process (as pyperf spreads a benchmark over processes): one process's luck, its
/// address-space layout or heap, weighs on a third of the rounds, not on the verdict. Once a
/// whole run's worker ran the pyo3 emoji pick 6-9% slower than the others (every dataset,
/// its criterion rows too) while the Rust side ran as in every other run.
pub const PAIRED_WORKERS: usize = 3;

/// Whether round `round` of `rounds` begins the next worker's share of a pair spread over
/// `workers` (shares as even as the rounds allow; the first worker's begins at round 0).
pub fn starts_share(round: usize, rounds: usize, workers: usize) -> bool {
    round > 0 && round * workers % rounds < workers
}

/// How long one batch of calls of the interleaved measurement lasts (at least one call).
pub const PAIRED_BATCH: Duration = Duration::from_millis(25);

/// The results group of the interleaved measurements (`Task::paired`); their regime is
/// `<task>/<dataset>`.
pub const PAIRED_GROUP: &str = "glue/paired";

/// This thread and the processes `pids` pinned to one CPU until dropped (which gives every one
/// its mask back): two processes timed against each other then share one core, its caches and
/// its hyperthread sibling (on a VM, another tenant's). `None` where that cannot be done (not
/// Linux, or the kernel refused).
pub struct Pinned {
    pub cpu: usize,
    #[cfg(target_os = "linux")]
    saved: Vec<(libc::pid_t, libc::cpu_set_t)>,
}

/// Pins this thread and `pids` to `cpu`, or to the CPU this thread is running on (`None`).
#[cfg(target_os = "linux")]
pub fn pin(cpu: Option<usize>, pids: &[u32]) -> Option<Pinned> {
    // SAFETY: sched_* read and write a cpu_set_t we own; pid 0 is the calling thread.
    unsafe {
        let cpu = match cpu {
            Some(cpu) => cpu,
            None => usize::try_from(libc::sched_getcpu()).ok()?,
        };
        let mut only: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut only);
        let mut pinned = Pinned {
            cpu,
            saved: Vec::new(),
        };
        for pid in std::iter::once(0).chain(pids.iter().map(|&p| p as libc::pid_t)) {
            let mut mask: libc::cpu_set_t = std::mem::zeroed();
            let size = std::mem::size_of::<libc::cpu_set_t>();
            if libc::sched_getaffinity(pid, size, &mut mask) != 0
                || libc::sched_setaffinity(pid, size, &only) != 0
            {
                return None; // the guard restores the ones already pinned
            }
            pinned.saved.push((pid, mask));
        }
        Some(pinned)
    }
}

#[cfg(not(target_os = "linux"))]
pub fn pin(_cpu: Option<usize>, _pids: &[u32]) -> Option<Pinned> {
    None
}

/// Whether a variant runs threads of its own (by its name: `scanner-2threads`,
/// `sockets-threads`, `e2e-2cores`): it is never pinned to one CPU, and its threads must not
/// inherit a pinned mask.
pub fn runs_threads(variant: &str) -> bool {
    variant.contains("thread") || variant.contains("cores")
}

#[cfg(target_os = "linux")]
impl Drop for Pinned {
    fn drop(&mut self) {
        for (pid, mask) in &self.saved {
            // SAFETY: as above; a process that has exited since makes this fail, harmlessly.
            unsafe {
                libc::sched_setaffinity(*pid, std::mem::size_of::<libc::cpu_set_t>(), mask);
            }
        }
    }
}

/// Run settings: the [`Mode`], and the sampling. Criterion's own `--sample-size`,
/// `--warm-up-time` and `--measurement-time` win over these.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub mode: Mode,
    pub quick: bool,
    pub warm_up: Duration,
    pub measurement: Duration,
    pub samples: usize,
    /// Sweep points (sizes, densities) are many and cheap: shorter measurements.
    pub sweep_warm_up: Duration,
    pub sweep_measurement: Duration,
}

impl Settings {
    pub fn new(args: &Args) -> Settings {
        let env = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0");
        let mode = if args.quick || env("GLUEBENCH_QUICK") {
            Mode::Quick
        } else if env("GLUEBENCH_FULL") {
            Mode::Full
        } else {
            Mode::Default
        };
        let secs = |cli: Option<f64>, default: f64| Duration::from_secs_f64(cli.unwrap_or(default));
        let (w, m, n, sw, sm) = match mode {
            Mode::Quick => (0.15, 0.5, 10, 0.1, 0.3),
            Mode::Default => (0.4, 1.5, 20, 0.15, 0.5),
            Mode::Full => (1.0, 4.0, 20, 0.3, 1.0),
        };
        Settings {
            mode,
            quick: mode == Mode::Quick,
            warm_up: secs(args.warm_up, w),
            measurement: secs(args.measurement, m),
            samples: args.sample_size.unwrap_or(n),
            sweep_warm_up: secs(args.warm_up, sw),
            sweep_measurement: secs(args.measurement, sm),
        }
    }

    pub fn from_env() -> Settings {
        Settings::new(&Args::from_env())
    }
}

/// The status a results row records for a variant that failed with an error of `kind`: the
/// verification outcomes and the ways the Python worker fails (`crashed`, `timeout` for the
/// kind `worker-timeout`, `out-of-memory`; the worker is restarted for the next benchmark),
/// anything else (e.g. a task's own `timeout` at a range, in fetch) `error`.
pub fn failure_status(kind: &str) -> &str {
    match kind {
        "differs" | "mismatch" | "unavailable" | "crashed" | "out-of-memory" => kind,
        "worker-timeout" => "timeout",
        _ => "error",
    }
}

/// The interpreter axis (README, "The JIT question"): the interpreters of
/// `$GLUEBENCH_INTERPRETERS` (comma-separated: `3.12`, `3.13`, `pypy3`, a path). When set, a
/// `cargo bench` times each Python tier's pick in each task's main regime under the default
/// interpreter and under each of these, and the rust pick beside them, instead of its mode's
/// plan; the mode (default or quick) still sets the sampling.
pub fn interpreters() -> Vec<String> {
    std::env::var("GLUEBENCH_INTERPRETERS")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
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

/// The sizes of the size sweep, in throughput units (decompressed bytes, input bytes).
pub const SWEEP_SIZES: [u64; 6] = [1 << 10, 16 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20];

/// One dataset a task is benchmarked on, with where its slow variants run.
#[derive(Debug, Clone)]
pub struct Regime {
    pub dataset: String,
    /// The small dataset for `small` variants; `None`: they are not timed in this regime.
    pub small: Option<String>,
    /// Only each tier's pick is timed (a sweep point rather than a regime of its own).
    pub picks_only: bool,
    /// `size` or `density` for a sweep point (see [`Row::sweep`]).
    pub sweep: &'static str,
    /// The sweep's parameter: emoji per MB for density; for size, filled from the cut input.
    pub x: Option<f64>,
    /// A size-sweep point: the first members/lines of `dataset`'s source up to this many units.
    pub cut: Option<(String, u64)>,
    /// Slow variants are timed at sweep points up to this size.
    pub small_limit: u64,
}

impl Regime {
    /// The dataset `v` is timed on in this regime, or `None` when it is not timed here.
    pub fn dataset_for(&self, v: &Variant) -> Option<&str> {
        if self.picks_only && !v.pick {
            return None;
        }
        if !v.small {
            return Some(&self.dataset);
        }
        match &self.cut {
            Some((_, size)) if *size <= self.small_limit => Some(&self.dataset),
            Some(_) => None,
            None => self.small.as_deref(),
        }
    }
}

impl Regime {
    /// A regime of one dataset: no small stand-in, every variant, no sweep.
    pub fn single(dataset: &str) -> Regime {
        Regime {
            dataset: dataset.to_string(),
            small: None,
            picks_only: false,
            sweep: "",
            x: None,
            cut: None,
            small_limit: 0,
        }
    }
}

/// The regimes of a task: its default dataset first, then its `more_datasets`, then the size
/// sweep over prefixes of the default dataset (picks only).
pub fn regimes(task: &Task, mode: Mode) -> Vec<Regime> {
    if let Some(f) = &task.fixture {
        // A service's regimes (e.g. latency x concurrency): every one its own benchmark; slow
        // variants run on `<regime>-small` (the task's small dataset, or fewer records).
        return f
            .regimes
            .iter()
            .map(|(name, picks_only)| Regime {
                small: Some(format!("{name}-small")),
                picks_only: *picks_only,
                ..Regime::single(name)
            })
            .collect();
    }
    let main = default_dataset(task);
    let mut out = vec![Regime {
        small: Some(task.small_dataset.to_string()),
        ..Regime::single(&main)
    }];
    out.extend(task.more_datasets.iter().map(|m| {
        // `wet-4m-d100`: a point of the emoji density sweep, 100 emoji per MB.
        let density = m
            .picks_only
            .then(|| m.dataset.rsplit_once("-d"))
            .flatten()
            .and_then(|(_, d)| d.parse::<f64>().ok());
        Regime {
            dataset: m.dataset.to_string(),
            small: m.small.map(String::from),
            picks_only: m.picks_only,
            sweep: if density.is_some() { "density" } else { "" },
            x: density,
            cut: None,
            small_limit: 0,
        }
    }));
    if task.cut.is_some() {
        out.extend(mode.sweep_sizes().iter().map(|&size| Regime {
            dataset: sweep_label(&main, size),
            small: None,
            picks_only: true,
            sweep: "size",
            x: None,
            cut: Some((main.clone(), size)),
            small_limit: mode.sweep_small_limit(),
        }));
    }
    out
}

/// The dataset name of a size-sweep point: `wet-16m@64KiB`.
pub fn sweep_label(source: &str, size: u64) -> String {
    format!("{source}@{}", size_label(size))
}

/// `1024` -> `1KiB`, `16 << 20` -> `16MiB`.
pub fn size_label(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{}MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{}KiB", n >> 10)
    } else {
        format!("{n}B")
    }
}

/// The size-sweep inputs of a task: the task's cut of `full` at each `(size, label)` (whole
/// members or lines, at most `size` units), each written to a file for the Python worker. A
/// cut's expected summary is what the task's reference variant returns on it; the reference is
/// first checked, once, against the generator's expected summary of the whole dataset, so a
/// wrong reference cannot vouch for a prefix.
pub fn cut_inputs(
    task: &Task,
    full: &Input,
    sizes: &[(u64, String)],
) -> Vec<(String, Result<Input, String>)> {
    let reference = (|| {
        task.cut.ok_or("this task has no size sweep")?;
        let run = task
            .rust
            .iter()
            .find(|(name, _)| format!("rust/{name}") == task.reference)
            .map(|(_, run)| run.clone())
            .ok_or_else(|| format!("no rust reference {}", task.reference))?;
        if let Some(expected) = &full.expected {
            let (_, got) = run(&full.call()).map_err(|e| e.message)?;
            crate::task::compare(expected, &got).map_err(|d| {
                format!(
                    "the reference {} disagrees on {}: {d}",
                    task.reference, full.label
                )
            })?;
        }
        Ok::<_, String>(run)
    })();
    sizes
        .iter()
        .map(|(size, label)| {
            let input = reference.clone().and_then(|run| {
                let bytes = (task.cut.expect("checked above"))(&full.bytes, *size);
                let params = crate::task::Summary::new();
                let call = crate::task::Call {
                    bytes: &bytes,
                    params: &params,
                };
                let (_, summary) = run(&call).map_err(|e| e.message)?;
                let name = format!("{}.{label}.cut", task.name.replace('/', "-"));
                let path = crate::session::worker_input(&name, &bytes)?;
                Ok(Input::derived(label, path, bytes, summary))
            });
            (label.clone(), input)
        })
        .collect()
}

/// Progress on stderr between benchmarks (criterion writes to stdout): `[k/n]`, elapsed, and
/// an estimate of the time left from the benchmarks done so far.
pub struct Progress {
    total: usize,
    done: usize,
    started: Instant,
    per_bench: Duration,
}

impl Progress {
    pub fn new(total: usize, settings: &Settings) -> Progress {
        Progress {
            total,
            done: 0,
            started: Instant::now(),
            per_bench: settings.warm_up + settings.measurement + Duration::from_secs(1),
        }
    }

    pub fn start(&mut self, id: &str) {
        self.done += 1;
        let elapsed = self.started.elapsed();
        let per = if self.done > 1 {
            elapsed / (self.done - 1) as u32
        } else {
            self.per_bench
        };
        let left = per * (self.total + 1 - self.done) as u32;
        crate::bootstrap::progress(&format!(
            "[{}/{}] {id}  (elapsed {}, about {} left)",
            self.done,
            self.total,
            clock(elapsed),
            clock(left)
        ));
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

/// `75 s` -> `1m15s`.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// What one benchmark was: enough to make its [`Row`].
pub struct Measured<'a> {
    pub tier: &'a str,
    pub variant: &'a str,
    pub pick: bool,
    pub dataset: &'a str,
    pub regime: &'a Regime,
    pub units: u64,
    pub input_bytes: u64,
    pub expected: Option<&'a Summary>,
    /// When the benchmark started: criterion's files must be newer.
    pub since: SystemTime,
    /// The interpreter of the axis (empty: the default one, or a Rust tier).
    pub interpreter: &'a str,
}

impl Measured<'_> {
    /// Criterion's function id: `tier/variant`, `tier/variant@cpython-3.13.0` on the axis.
    pub fn function(&self) -> String {
        match self.interpreter {
            "" => format!("{}/{}", self.tier, self.variant),
            i => format!("{}/{}@{i}", self.tier, self.variant),
        }
    }
}

/// Records a task's benchmarks into the results store, one row at a time.
pub struct Recorder {
    path: PathBuf,
    task: String,
    workload: String,
    /// The task whose code the rows run (for [`Row::fallback`]): its own, or for a recorder
    /// of another group ([`Recorder::with_group`], e.g. `glue/paired`), the one it came from.
    code_of: String,
    unit: String,
    manifest: Manifest,
    quick: bool,
    enabled: bool,
    /// A run of the interpreter axis: its rows are marked [`Row::axis`].
    pub axis: bool,
    /// Rows of this run, for the summary at the end.
    pub rows: Vec<Row>,
}

impl Recorder {
    /// Fails at once if the store exists but cannot be read: better than measuring for
    /// twenty minutes and then refusing to write.
    pub fn new(
        task: &Task,
        settings: &Settings,
        args: &Args,
        python: Option<&Value>,
    ) -> Result<Recorder, String> {
        let path = results::default_path();
        if path.exists() {
            Store::load(&path)?;
        }
        let (task_name, workload) = results::split_group(task.name);
        let mut manifest = Manifest::collect(&run_id(), settings.quick);
        if let Some(hello) = python {
            manifest.add_python(hello);
        }
        let s = |d: Duration| format!("{:.2}", d.as_secs_f64());
        manifest.sampling = [
            ("warm_up_s", s(settings.warm_up)),
            ("measurement_s", s(settings.measurement)),
            ("samples", settings.samples.to_string()),
            ("samples_if_call_over_0.25s", "10".into()),
            ("sweep_warm_up_s", s(settings.sweep_warm_up)),
            ("sweep_measurement_s", s(settings.sweep_measurement)),
            ("sampling_mode", "flat".into()),
            ("criterion_quick", args.quick.to_string()),
            ("mode", settings.mode.name().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Ok(Recorder {
            path,
            code_of: task_name.clone(),
            task: task_name,
            workload,
            unit: task.throughput_unit.to_string(),
            manifest,
            quick: settings.quick,
            enabled: args.measures(),
            axis: false,
            rows: Vec::new(),
        })
    }

    /// Adds an interpreter of the axis to the run's manifest (from its worker's hello).
    pub fn add_interpreter(&mut self, hello: &Value) {
        self.manifest.add_interpreter(hello, false);
    }

    pub fn add_dataset(&mut self, name: &str, sha256: Option<&str>) {
        if let Some(sha) = sha256 {
            self.manifest
                .datasets
                .insert(name.to_string(), sha.to_string());
        }
    }

    /// Makes the row of a finished benchmark (or of one that could not run: `outcome` is the
    /// error) and writes it to the store.
    pub fn record(&mut self, m: Measured, outcome: Result<(), (String, String)>) {
        let group = results::group_name(&self.task, &self.workload);
        let estimates = outcome
            .as_ref()
            .ok()
            .and_then(|_| read_estimates(&group, &m.function(), m.dataset, m.since));
        self.write(m, outcome, estimates);
    }

    fn record_estimates(&mut self, m: Measured, e: Estimates) {
        self.write(m, Ok(()), Some(e));
    }

    fn write(
        &mut self,
        m: Measured,
        outcome: Result<(), (String, String)>,
        estimates: Option<Estimates>,
    ) {
        let (status, error) = match (&outcome, &estimates) {
            (Err((kind, msg)), _) => (kind.clone(), Some(msg.clone())),
            (Ok(()), Some(_)) => ("ok".to_string(), None),
            (Ok(()), None) => (
                "no-estimate".to_string(),
                Some("criterion wrote no estimate for this run".to_string()),
            ),
        };
        let x = match m.regime.sweep {
            "size" => Some(m.units as f64),
            _ => m.regime.x,
        };
        let mut row = Row {
            schema_version: SCHEMA_VERSION,
            task: self.task.clone(),
            workload: self.workload.clone(),
            dataset: m.dataset.to_string(),
            regime: m.regime.dataset.clone(),
            sweep: m.regime.sweep.to_string(),
            x,
            tier: m.tier.to_string(),
            variant: m.variant.to_string(),
            pick: m.pick,
            status,
            error,
            unit: self.unit.clone(),
            units: m.units,
            input_bytes: m.input_bytes,
            expected_digest: m.expected.map(results::digest),
            samples: None,
            iterations: None,
            mean_ns: None,
            mean_lo_ns: None,
            mean_hi_ns: None,
            median_ns: None,
            median_lo_ns: None,
            median_hi_ns: None,
            std_dev_ns: None,
            throughput: None,
            unstable: None,
            measured_at: results::now_rfc3339(),
            run: self.manifest.run.clone(),
            quick: self.quick,
            interpreter: m.interpreter.to_string(),
            fallback: crate::tasks::fallback(&self.code_of, m.tier, m.variant)
                .unwrap_or_default()
                .to_string(),
            axis: self.axis,
            paired_ratio: None,
            paired_ratio_lo: None,
            paired_ratio_hi: None,
        };
        if let Some(e) = estimates {
            if let Some([ratio, lo, hi]) = e.paired_ratio {
                row.paired_ratio = Some(ratio);
                row.paired_ratio_lo = Some(lo);
                row.paired_ratio_hi = Some(hi);
            }
            row.samples = Some(e.samples);
            row.iterations = Some(e.iterations);
            row.mean_ns = Some(e.mean[0]);
            row.mean_lo_ns = Some(e.mean[1]);
            row.mean_hi_ns = Some(e.mean[2]);
            row.median_ns = Some(e.median[0]);
            row.median_lo_ns = Some(e.median[1]);
            row.median_hi_ns = Some(e.median[2]);
            row.std_dev_ns = Some(e.std_dev);
            row.throughput = Some(m.units as f64 / (e.median[0] / 1e9) / 1e6);
            row.judge_stability();
        }
        self.rows.push(row.clone());
        if !self.enabled {
            return;
        }
        let manifest = self.manifest.clone();
        keep_run_alive();
        if let Err(e) = Store::update(&self.path, |store| {
            // Several bench binaries of one `cargo bench` share the run: merge what each read.
            let entry = store
                .runs
                .entry(manifest.run.clone())
                .or_insert_with(|| manifest.clone());
            entry.datasets.extend(manifest.datasets);
            entry.interpreters.extend(manifest.interpreters);
            store.upsert(row);
        }) {
            crate::bootstrap::progress(&format!("could not record the result: {e}"));
        }
    }

    /// The same run, recording rows of another group (e.g. `glue/import` beside `glue/calls`).
    pub fn with_group(&self, group: &str, unit: &str) -> Recorder {
        let (task, workload) = results::split_group(group);
        Recorder {
            code_of: self.code_of.clone(),
            path: self.path.clone(),
            task,
            workload,
            unit: unit.to_string(),
            manifest: self.manifest.clone(),
            quick: self.quick,
            enabled: self.enabled,
            axis: self.axis,
            rows: Vec::new(),
        }
    }

    /// Records a measurement made outside criterion from its wall times (seconds), one per
    /// call: see [`Recorder::record_samples`].
    pub fn record_wall_times(&mut self, m: Measured, seconds: &[f64]) {
        self.record_samples(m, seconds, seconds.len() as u64);
    }

    /// Records a measurement made outside criterion from samples of the time per call
    /// (seconds; `calls` calls in all): median, mean, standard deviation, and 95% intervals
    /// from the samples alone (no bootstrap): the order statistics around the median (the range
    /// for a handful of samples, e.g. imports), mean ± 1.96 standard errors.
    pub fn record_samples(&mut self, m: Measured, seconds: &[f64], calls: u64) {
        self.record_estimates(m, estimates_of(seconds, calls));
    }

    /// Records one side of an interleaved pair from its batches (`own[k]` and `other[k]`:
    /// seconds per call in round k) as [`Recorder::record_samples`] does, with its speed over
    /// the other side's, round by round ([`paired_ratio`]).
    pub fn record_paired(&mut self, m: Measured, own: &[f64], other: &[f64], calls: u64) {
        let mut e = estimates_of(own, calls);
        e.paired_ratio = Some(paired_ratio(own, other));
        self.record_estimates(m, e);
    }

    /// A table of this run's rows, fastest first within each regime.
    pub fn print_summary(&self) {
        let speed = |r: &Row| r.throughput.unwrap_or(-1.0);
        let mut regimes: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !regimes.contains(&r.regime.as_str()) {
                regimes.push(&r.regime);
            }
        }
        let out = |s: String| crate::bootstrap::progress(&s);
        out(format!(
            "{} ({} per second, median of criterion samples; ± is the 95% CI of the median)",
            results::group_name(&self.task, &self.workload),
            self.unit
        ));
        for regime in regimes {
            let mut rows: Vec<&Row> = self.rows.iter().filter(|r| r.regime == regime).collect();
            rows.sort_by(|a, b| speed(b).total_cmp(&speed(a)));
            let best = rows
                .iter()
                .filter(|r| r.tier != "baseline")
                .filter_map(|r| r.throughput)
                .fold(0.0, f64::max);
            // Throughput is in millions of units per second: MB/s for bytes, else thousands.
            let (scale, header) = if self.unit.ends_with("bytes") {
                (1.0, "MB/s".to_string())
            } else {
                (1e3, format!("k {}/s", self.unit))
            };
            out(format!(
                "  {:<10} {:<30} {:<20} {:>10} {:>7} {:>7}",
                "tier", "variant", "dataset", header, "±%", "ratio"
            ));
            for r in rows {
                let name = format!(
                    "{}{}{}",
                    r.variant,
                    if r.interpreter.is_empty() { "" } else { "@" },
                    r.interpreter
                ) + if r.pick { " *" } else { "" };
                match r.throughput {
                    Some(s) => {
                        let ci = match (r.median_lo_ns, r.median_hi_ns, r.median_ns) {
                            (Some(lo), Some(hi), Some(m)) => 50.0 * (hi - lo) / m,
                            _ => f64::NAN,
                        };
                        out(format!(
                            "  {:<10} {name:<30} {:<20} {:>10.1} {ci:>7.1} {:>7.3}{}",
                            r.tier,
                            r.dataset,
                            s * scale,
                            s / best,
                            if r.unstable == Some(true) {
                                "  unstable"
                            } else {
                                ""
                            }
                        ))
                    }
                    None => out(format!(
                        "  {:<10} {name:<30} {}: {}",
                        r.tier,
                        r.status,
                        r.error.as_deref().unwrap_or("")
                    )),
                }
            }
        }
        if self.enabled {
            out(format!(
                "* the tier's pick; ratio: to the fastest tier of the regime; rows in {}",
                self.path.display()
            ));
        }
    }
}

/// The estimates of samples of the time per call (seconds; `calls` calls in all):
/// [`Recorder::record_samples`].
fn estimates_of(seconds: &[f64], calls: u64) -> Estimates {
    let mut ns: Vec<f64> = seconds.iter().map(|s| s * 1e9).collect();
    ns.sort_by(f64::total_cmp);
    let n = ns.len() as f64;
    let mean = ns.iter().sum::<f64>() / n;
    let sd = (ns.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
    let (lo, hi) = median_interval(&ns);
    let half = 1.96 * sd / n.sqrt();
    Estimates {
        mean: [mean, mean - half, mean + half],
        median: [median(&ns), lo, hi],
        std_dev: sd,
        samples: ns.len() as u64,
        iterations: calls,
        paired_ratio: None,
    }
}

/// The median of sorted samples (the mean of the middle two of an even number).
fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    match n % 2 {
        1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// One side's speed over the other's in an interleaved pair, from the time per call of each
/// round's two batches (`own[k]`, `other[k]`): `other[k] / own[k]` per round, its median and
/// the 95% interval of that median ([`median_interval`]): [point, low, high]. The rounds are
/// paired: a slow minute of the machine slows both batches of a round, so it moves the ratio
/// of that round less than it moves either side's own median.
pub fn paired_ratio(own: &[f64], other: &[f64]) -> [f64; 3] {
    let mut ratios: Vec<f64> = own.iter().zip(other).map(|(o, t)| t / o).collect();
    ratios.sort_by(f64::total_cmp);
    let (lo, hi) = median_interval(&ratios);
    [median(&ratios), lo, hi]
}

/// The distribution-free 95% interval of the median of sorted samples: the order statistics
/// n/2 ∓ 0.98·√n (normal approximation of the binomial), clamped to the range.
pub fn median_interval(sorted: &[f64]) -> (f64, f64) {
    let n = sorted.len() as f64;
    let reach = 0.98 * n.sqrt();
    let lo = ((n / 2.0 - reach).floor().max(0.0)) as usize;
    let hi = ((n / 2.0 + reach).ceil() as usize).min(sorted.len() - 1);
    (sorted[lo], sorted[hi])
}

/// One run id per `cargo bench` invocation: cargo runs the bench binaries one after another,
/// so a binary reuses the run of the binary before it when both are children of the same cargo
/// process and that one finished (or said it was alive) in the last minute; the rows of one
/// `cargo bench` share one manifest. The marker holds `id parent-pid started-unix-seconds`.
fn run_id() -> String {
    let marker = run_marker();
    let fresh = std::fs::metadata(&marker)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age < Duration::from_secs(60));
    let parent = std::os::unix::process::parent_id().to_string();
    if let Some((id, ppid, _)) = fresh.then(read_run_marker).flatten() {
        if ppid == parent {
            keep_run_alive();
            return id;
        }
    }
    let id = manifest::new_run_id();
    let now = SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let _ = touch(&marker, &format!("{id} {parent} {now}"));
    id
}

fn run_marker() -> PathBuf {
    crate::bootstrap::root().join("target/gluebench/current-run")
}

/// The marker's id, parent pid and start time.
fn read_run_marker() -> Option<(String, String, u64)> {
    let text = std::fs::read_to_string(run_marker()).ok()?;
    let mut parts = text.split_whitespace();
    let id = parts.next()?.to_string();
    let ppid = parts.next()?.to_string();
    let started = parts.next()?.parse().ok()?;
    Some((id, ppid, started))
}

/// How long the current `cargo bench` run has been going: since its first bench binary started
/// (the build before it not included).
pub fn run_wall_time() -> Option<Duration> {
    let (_, _, started) = read_run_marker()?;
    let started = std::time::UNIX_EPOCH + Duration::from_secs(started);
    SystemTime::now().duration_since(started).ok()
}

/// Marks the run as still going (the next bench binary of the same `cargo bench` reuses it).
pub fn keep_run_alive() {
    if let Ok(text) = std::fs::read_to_string(run_marker()) {
        let _ = touch(&run_marker(), text.trim());
    }
}

fn touch(path: &std::path::Path, id: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, id)
}

/// After a measuring run of one bench binary: regenerate the report from the store.
/// (`cargo bench` runs the binaries one after another; each leaves store and report complete,
/// so the last one leaves the report of the whole run.)
pub fn after_run() {
    let path = results::default_path();
    crate::bootstrap::progress(&format!("results in {} (and .csv)", path.display()));
    // The report goes next to the results file (reports/ by default).
    let out = path.parent().map(PathBuf::from).unwrap_or_default();
    let args = [
        "--results".to_string(),
        path.display().to_string(),
        "--out".to_string(),
        out.display().to_string(),
    ];
    if let Err(e) = crate::report::cmd(&args) {
        crate::bootstrap::progress(&format!("the report could not be made: {e}"));
    }
}

/// The lone-`.rs`-file glue path at import time (`py_impls/glue/import_hook.py`): a first
/// import that compiles the module from scratch, cached imports, and importing the
/// maturin-built module, each in a fresh interpreter. Not criterion: a compile is one event,
/// so these rows are wall times (median of `samples` fresh processes; the first import is one
/// sample), recorded under `glue/import` with `samples` saying how many.
pub fn measure_imports(args: &Args, run: &Recorder) {
    let mut recorder = run.with_group("glue/import", "imports");
    let ids = [
        ("import-hook", "first-import"),
        ("import-hook", "cached-import"),
        ("maturin", "import"),
    ];
    if !args.measures()
        || !ids
            .iter()
            .any(|(t, v)| args.wanted(&format!("glue/import/{t}/{v}/standalone.rs")))
    {
        return;
    }
    crate::bootstrap::progress("glue/import: building py_impls/emoji/standalone.rs from scratch through maturin_import_hook (a release build, 15-60 s)");
    let samples = if recorder.quick { 5 } else { 20 };
    let env = match crate::bootstrap::python_env() {
        Ok(env) => env,
        Err(e) => return crate::bootstrap::progress(&format!("glue/import: no Python: {e}")),
    };
    let out = std::process::Command::new(&env.python)
        .args([
            "-m",
            "py_impls.glue.import_hook",
            "--json",
            "--samples",
            &samples.to_string(),
        ])
        .current_dir(crate::bootstrap::root())
        .env("PYTHONPATH", crate::bootstrap::root())
        .stderr(std::process::Stdio::inherit())
        .output();
    let doc: Result<Value, String> = match out {
        Ok(o) if o.status.success() => serde_json::from_slice(&o.stdout).map_err(|e| e.to_string()),
        Ok(o) => Err(format!(
            "py_impls.glue.import_hook exited with {}",
            o.status
        )),
        Err(e) => Err(e.to_string()),
    };
    let regime = Regime::single("standalone.rs");
    for (tier, variant) in ids {
        let times: Vec<f64> = match (&doc, variant) {
            (Ok(d), "first-import") => d["first_import_s"].as_f64().into_iter().collect(),
            (Ok(d), "cached-import") => d["cached_import_s"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_f64)
                .collect(),
            (Ok(d), _) => d["maturin_import_s"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_f64)
                .collect(),
            (Err(_), _) => Vec::new(),
        };
        let m = Measured {
            tier,
            variant,
            pick: true,
            dataset: "standalone.rs",
            regime: &regime,
            units: 1,
            input_bytes: 0,
            expected: None,
            since: SystemTime::now(),
            interpreter: "",
        };
        match (&doc, times.is_empty()) {
            (Err(e), _) => recorder.record(m, Err(("error".into(), e.clone()))),
            (Ok(_), true) => {
                recorder.record(m, Err(("error".into(), "no times in the output".into())))
            }
            (Ok(_), false) => recorder.record_wall_times(m, &times),
        }
    }
    recorder.print_summary();
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

/// Criterion's estimates of one benchmark, per call: [point, 95% low, 95% high].
#[derive(Debug, Clone, PartialEq)]
pub struct Estimates {
    pub mean: [f64; 3],
    pub median: [f64; 3],
    pub std_dev: f64,
    pub samples: u64,
    pub iterations: u64,
    /// A side of an interleaved pair: its speed over the other side's ([`paired_ratio`]).
    pub paired_ratio: Option<[f64; 3]>,
}

/// Reads `new/estimates.json` and `new/sample.json` of one benchmark, if criterion wrote them
/// after `since` (an older file is a previous run's, not this one's).
pub fn read_estimates(
    group: &str,
    function: &str,
    parameter: &str,
    since: SystemTime,
) -> Option<Estimates> {
    // Criterion replaces '/' (and a few other characters) with '_' in directory names.
    let safe = |s: &str| s.replace(['?', '"', '/', '\\', '*', '<', '>', ':', '|', '^'], "_");
    let dir = criterion_dir()
        .join(safe(group))
        .join(safe(function))
        .join(safe(parameter))
        .join("new");
    let est_path = dir.join("estimates.json");
    let written = std::fs::metadata(&est_path)
        .and_then(|m| m.modified())
        .ok()?;
    if written < since {
        return None;
    }
    let est: Value = serde_json::from_str(&std::fs::read_to_string(est_path).ok()?).ok()?;
    let sample: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sample.json")).ok()?).ok()?;
    let triple = |k: &str| -> Option<[f64; 3]> {
        let e = &est[k];
        Some([
            e["point_estimate"].as_f64()?,
            e["confidence_interval"]["lower_bound"].as_f64()?,
            e["confidence_interval"]["upper_bound"].as_f64()?,
        ])
    };
    let iters = sample["iters"].as_array()?;
    Some(Estimates {
        mean: triple("mean")?,
        median: triple("median")?,
        std_dev: est["std_dev"]["point_estimate"].as_f64()?,
        samples: iters.len() as u64,
        iterations: iters.iter().filter_map(Value::as_f64).sum::<f64>() as u64,
        paired_ratio: None,
    })
}

/// The fetch server's capacity, so the report can show it is not the bottleneck: a load
/// generator (wrk, else oha; see [`crate::serve::measure_capacity`]) on one thread with 64
/// keep-alive connections asks the server of the `lat0` regimes for a range of the index's
/// mean length, three times 3 s (once 2 s in quick mode). Recorded as `fetch/baseline/server-capacity`
/// on `lat0-c64`: seconds per 1,000 requests, one sample per load run. On a small machine the
/// load generator competes with the server for the cores, so the server's CPU time per request
/// is recorded too (`server-per-core`: CPU-seconds per 1,000 requests, read from
/// `/proc/self/stat`, in which the server is the only busy part of the process).
pub fn measure_server_capacity(args: &Args, run: &Recorder) {
    let id = "fetch/baseline/server-capacity/lat0-c64";
    if !args.measures() || !args.wanted(id) {
        return;
    }
    let mut recorder = run.with_group("fetch", "requests");
    let regime = Regime::single("lat0-c64");
    let m = |variant: &'static str| Measured {
        tier: "baseline",
        variant,
        pick: true,
        dataset: "lat0-c64",
        regime: &regime,
        units: 1000,
        input_bytes: 0,
        expected: None,
        since: SystemTime::now(),
        interpreter: "",
    };
    let measured = (|| -> Result<(Vec<f64>, Vec<f64>), String> {
        let ds = gluebench_datasets::ensure("cdxj-1m").map_err(|e| e.to_string())?;
        let loaded = crate::tasks::fetch::load(&ds.path, None).map_err(|e| e.message)?;
        let ranges = crate::tasks::fetch::read_ranges(&loaded.bytes);
        // The range closest to the mean length: what an average request of the task asks for.
        let mean = ranges.iter().map(|r| r.2).sum::<u64>() / (ranges.len() as u64).max(1);
        let (path, offset, length) = ranges
            .iter()
            .min_by_key(|r| r.2.abs_diff(mean))
            .cloned()
            .ok_or("no ranges")?;
        let root = loaded.params["root"].as_str().unwrap_or(".").to_string();
        let server = crate::serve::Server::start(crate::serve::ServerConfig::new(root))
            .map_err(|e| e.to_string())?;
        let url = format!("{}{path}", server.url());
        let (runs, secs) = if run.quick { (1, 2) } else { (3, 3) };
        let (mut samples, mut cpu) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let c = crate::serve::measure_capacity(&url, (offset, offset + length - 1), 64, secs)?;
            let per_core = c.cpu_per_request.map(|d| 1.0 / d.as_secs_f64());
            crate::bootstrap::progress(&format!(
                "fetch: server capacity {:.0} req/s of {length}-byte ranges ({}, 64 connections); \
                 {} req/s per CPU-second of the server",
                c.requests_per_s,
                c.tool,
                per_core.map_or("unknown".into(), |r| format!("{r:.0}")),
            ));
            samples.push(1000.0 / c.requests_per_s);
            cpu.extend(c.cpu_per_request.map(|d| 1000.0 * d.as_secs_f64()));
        }
        Ok((samples, cpu))
    })();
    match measured {
        Ok((samples, cpu)) => {
            recorder.record_wall_times(m("server-capacity"), &samples);
            // The server's own cost, one row: 1,000 requests per this many CPU-seconds, so its
            // "requests/s" is what one core of the server answers with the cores to itself.
            if cpu.len() == samples.len() {
                recorder.record_wall_times(m("server-per-core"), &cpu);
            }
        }
        Err(e) => {
            crate::bootstrap::progress(&format!("fetch: server capacity not measured: {e}"));
            recorder.record(m("server-capacity"), Err(("error".into(), e)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Args {
        Args::parse(s.split_whitespace().map(String::from))
    }

    #[test]
    fn criterion_flags_with_values_are_not_the_filter() {
        let a = parse("--bench --save-baseline main");
        assert_eq!(a.filter, None);
        assert!(a.measures());
        let a = parse("--bench --baseline main emoji/rust");
        assert_eq!(a.filter.as_deref(), Some("emoji/rust"));
        let a = parse("--bench --sample-size 12 --noplot decompress");
        assert_eq!(
            (a.sample_size, a.filter.as_deref()),
            (Some(12), Some("decompress"))
        );
        let a = parse("--bench --measurement-time=2.5 --warm-up-time 0.5");
        assert_eq!(
            (a.measurement, a.warm_up, a.filter),
            (Some(2.5), Some(0.5), None)
        );
        let a = parse("--bench -s main -b old --color never --output-format bencher x");
        assert_eq!(a.filter.as_deref(), Some("x"));
    }

    #[test]
    fn modes_as_criterion_decides_them() {
        assert!(parse("--bench --list").list);
        assert!(!parse("--bench --list").measures());
        assert!(parse("--bench --test").test, "cargo bench -- --test");
        assert!(parse("").test, "cargo test --benches passes no --bench");
        assert!(!parse("--bench").test);
        assert!(!parse("--bench --discard-baseline").measures());
        assert!(!parse("--bench --load-baseline x").measures());
        assert!(parse("--bench --quick").quick);
        let s = Settings::new(&parse("--bench --quick --sample-size 30"));
        assert!(s.quick);
        assert_eq!(s.samples, 30, "criterion's --sample-size wins");
    }

    #[test]
    fn the_filter_is_criterions() {
        let a = parse("--bench emoji/rust --exact");
        assert!(a.wanted("emoji/rust") && !a.wanted("emoji/rust/scanner/wet-16m"));
        assert!(!parse("--bench --ignored").wanted("x"));
        assert!(parse("--bench").wanted("anything"));
    }

    #[test]
    fn worker_failures_are_statuses_a_tasks_own_errors_are_not() {
        assert_eq!(failure_status("crashed"), "crashed");
        assert_eq!(failure_status("worker-timeout"), "timeout");
        assert_eq!(failure_status("out-of-memory"), "out-of-memory");
        assert_eq!(failure_status("timeout"), "error"); // fetch's, at a range
        assert_eq!(failure_status("truncated"), "error");
    }

    #[test]
    fn a_pairs_rounds_are_shared_evenly_between_its_workers() {
        let starts = |rounds, workers| {
            (0..rounds)
                .filter(|&r| starts_share(r, rounds, workers))
                .collect::<Vec<_>>()
        };
        assert_eq!(starts(60, 3), [20, 40]);
        assert_eq!(starts(20, 3), [7, 14]);
        assert_eq!(starts(120, 3), [40, 80]);
        assert_eq!(starts(2, 2), [1]);
        assert_eq!(starts(60, 1), [] as [usize; 0]);
    }

    #[test]
    fn a_paired_ratio_is_the_median_of_the_rounds_ratios() {
        // Round 3 ran on a slow machine (10× both): its ratio is the others'.
        let own = [2.0, 4.0, 2.0, 20.0, 2.2];
        let other = [1.0, 2.0, 1.0, 10.0, 1.0];
        assert_eq!(paired_ratio(&own, &other), [0.5, 1.0 / 2.2, 0.5]);
        let est = estimates_of(&own, 5);
        assert_eq!((est.median[0], est.paired_ratio), (2.2e9, None));
        // The other side's view of the same rounds.
        assert_eq!(paired_ratio(&other, &own)[0], 2.0);
    }

    #[test]
    fn the_median_interval_is_order_statistics_and_the_range_for_a_handful() {
        let five = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(median_interval(&five), (1.0, 5.0));
        let hundred: Vec<f64> = (0..100).map(f64::from).collect();
        // 50 ∓ 9.8: ranks 40 and 60.
        assert_eq!(median_interval(&hundred), (40.0, 60.0));
        assert_eq!(median_interval(&[7.0]), (7.0, 7.0));
    }

    #[test]
    fn sweep_labels() {
        assert_eq!(size_label(1024), "1KiB");
        assert_eq!(size_label(16 << 20), "16MiB");
        assert_eq!(size_label(256 << 10), "256KiB");
    }

    #[test]
    fn estimates_older_than_the_benchmark_are_ignored() {
        let dir = std::env::temp_dir().join(format!("gluebench-crit-{}", std::process::id()));
        let bench = dir.join("g/t_v/d/new");
        std::fs::create_dir_all(&bench).unwrap();
        let ci = |p: f64| serde_json::json!({"point_estimate": p, "confidence_interval": {"lower_bound": p * 0.9, "upper_bound": p * 1.1, "confidence_level": 0.95}, "standard_error": 1.0});
        let est = serde_json::json!({"mean": ci(100.0), "median": ci(98.0), "std_dev": ci(3.0), "median_abs_dev": ci(1.0), "slope": null});
        std::fs::write(bench.join("estimates.json"), est.to_string()).unwrap();
        std::fs::write(
            bench.join("sample.json"),
            r#"{"sampling_mode":"Flat","iters":[3.0,3.0],"times":[300.0,310.0]}"#,
        )
        .unwrap();
        std::env::set_var("CRITERION_HOME", &dir);
        let before = SystemTime::now() - Duration::from_secs(60);
        let e = read_estimates("g", "t/v", "d", before).expect("fresh estimates");
        assert_eq!((e.samples, e.iterations), (2, 6));
        assert_eq!(e.median[0], 98.0);
        assert!((e.median[2] - 107.8).abs() < 1e-9);
        let after = SystemTime::now() + Duration::from_secs(60);
        assert_eq!(read_estimates("g", "t/v", "d", after), None);
        std::env::remove_var("CRITERION_HOME");
        std::fs::remove_dir_all(&dir).ok();
    }
}
