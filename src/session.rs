//! A session runs variants of a task on an input: Rust ones in-process, Python ones in the
//! worker. It is what `check`, the benches and the tests share, so a variant is verified and
//! timed the same way everywhere.

use crate::bootstrap;
use crate::task::{time_rust, Call, Engine, Summary, TaskError, Tier, Variant};
use crate::tasks::{Loaded, Task};
use crate::worker::Worker;
use std::path::PathBuf;
use std::time::Duration;

/// An input file, with its expected summary when it is a generated dataset; for a task with
/// a fixture, also the running service (stopped when the input is dropped).
pub struct Input {
    pub label: String,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub expected: Option<Summary>,
    /// sha256 of the dataset file, for the run's manifest (generated datasets only).
    pub sha256: Option<String>,
    /// Handed to every call along with the bytes (see [`crate::task::Call`]).
    pub params: Summary,
    /// The fixture's guard: dropping it stops the service.
    fixture: Option<Box<dyn std::any::Any + Send>>,
}

impl Input {
    /// A generated dataset (created on first use), with the summary its generator recorded.
    /// For a task with a fixture, `name` is one of its regimes (e.g. `lat20-c16`) over the
    /// task's dataset, and the fixture is started.
    pub fn dataset(task: &Task, name: &str) -> Result<Input, String> {
        let (source, regime) = match &task.fixture {
            // `-small`: the slow variants' stand-in (the small dataset, or fewer records).
            Some(_) if name.split('-').any(|t| t == "small") => (task.small_dataset, Some(name)),
            Some(_) => (task.dataset, Some(name)),
            None => (name, None),
        };
        let ds = gluebench_datasets::ensure(source).map_err(|e| e.to_string())?;
        let mut input = Input::open(task, ds.path.clone(), None, regime)?;
        if regime.is_none() {
            input.label = format!("datasets/cache/{}", file_name(&ds.path));
        }
        input.expected = input.expected.or_else(|| Some((task.expected)(&ds)));
        input.sha256 = Some(ds.file_sha256.clone());
        Ok(input)
    }

    /// A user's own file: its expected summary comes from the task's reference variant, unless
    /// the task knows it from the input itself. `index` lists ranges of the file (fetch and
    /// pipeline); `regime` picks one of a fixture task's regimes (default: the first).
    pub fn file(
        task: &Task,
        path: PathBuf,
        index: Option<PathBuf>,
        regime: Option<&str>,
    ) -> Result<Input, String> {
        let regime = match (&task.fixture, regime) {
            (Some(f), r) => Some(r.unwrap_or(&f.regimes[0].0)),
            (None, Some(r)) => {
                return Err(format!("{} has no regimes (asked for {r:?})", task.name))
            }
            (None, None) => None,
        };
        if index.is_some() && task.fixture.is_none() {
            return Err(format!(
                "--index is for the tasks that fetch ranges (fetch, pipeline), not {}",
                task.name
            ));
        }
        Input::open(task, path, index, regime)
    }

    fn open(
        task: &Task,
        path: PathBuf,
        index: Option<PathBuf>,
        regime: Option<&str>,
    ) -> Result<Input, String> {
        let mut loaded = (task.load)(&path, index.as_deref()).map_err(|e| e.message)?;
        let mut label = path.display().to_string();
        let mut fixture = None;
        if let (Some(f), Some(regime)) = (&task.fixture, regime) {
            let started = (f.start)(regime, &loaded).map_err(|e| e.message)?;
            if let Some(cut) = started.input {
                loaded = Loaded {
                    transformed: true,
                    ..cut
                };
            }
            loaded.params.extend(started.params);
            fixture = Some(started.guard);
            label = regime.to_string();
        }
        let path = if loaded.transformed {
            plain_copy(task, &path, regime, &loaded.bytes)?
        } else {
            path
        };
        Ok(Input {
            label,
            path,
            bytes: loaded.bytes,
            expected: loaded.expected,
            sha256: None,
            params: loaded.params,
            fixture,
        })
    }

    /// An input made by the harness (e.g. a size-sweep cut) with its verified expected summary.
    pub fn derived(label: &str, path: PathBuf, bytes: Vec<u8>, expected: Summary) -> Input {
        Input {
            label: label.to_string(),
            path,
            bytes,
            expected: Some(expected),
            sha256: None,
            params: Summary::new(),
            fixture: None,
        }
    }

    /// An input whose service the caller started (tests, experiments): `guard` is dropped with
    /// the input. `expected` may be `None` when every tier is expected to fail.
    pub fn with_fixture(
        label: &str,
        path: PathBuf,
        bytes: Vec<u8>,
        expected: Option<Summary>,
        params: Summary,
        guard: Box<dyn std::any::Any + Send>,
    ) -> Input {
        Input {
            label: label.to_string(),
            path,
            bytes,
            expected,
            sha256: None,
            params,
            fixture: Some(guard),
        }
    }

    /// What a tier's call is handed.
    pub fn call(&self) -> Call<'_> {
        Call {
            bytes: &self.bytes,
            params: &self.params,
        }
    }

    /// Whether a fixture (a server) is running for this input.
    pub fn has_fixture(&self) -> bool {
        self.fixture.is_some()
    }

    pub fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Writes the plain form of a transformed input once, for the Python worker to read.
fn plain_copy(
    task: &Task,
    original: &std::path::Path,
    regime: Option<&str>,
    bytes: &[u8],
) -> Result<PathBuf, String> {
    let name = format!(
        "{}.{}{}.plain",
        file_name(original),
        task.name.replace('/', "-"),
        regime.map_or(String::new(), |r| format!(".{r}"))
    );
    worker_input(&name, bytes)
}

/// An input the Python worker reads from a file (it is handed paths, not bytes), written to
/// `target/gluebench/inputs/NAME`.
pub fn worker_input(name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let dir = crate::bootstrap::root().join("target/gluebench/inputs");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub struct Session {
    worker: Option<Worker>,
    /// The Python environment: `None` for the default `.venv/`, else an interpreter of the
    /// axis ([`Session::with_env`]).
    env: Option<bootstrap::PythonEnv>,
    /// What the worker last prepared (task, variant id, input, its params), so `time` can re-prepare.
    prepared: Option<(String, String, PathBuf, String)>,
    pub timeout: Duration,
    /// Extra environment variables for the worker (tests: `GLUEBENCH_WORKER_MEMORY`).
    pub worker_env: Vec<(String, String)>,
    starts: usize,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    pub fn new() -> Session {
        let secs = std::env::var("GLUEBENCH_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(900);
        Session {
            worker: None,
            env: None,
            prepared: None,
            timeout: Duration::from_secs(secs),
            worker_env: Vec::new(),
            starts: 0,
        }
    }

    /// A session whose Python tiers run in `env` (an interpreter of the axis).
    pub fn with_env(env: bootstrap::PythonEnv) -> Session {
        Session {
            env: Some(env),
            ..Session::new()
        }
    }

    /// The session's Python environment, bootstrapping `.venv/` on first use by default.
    fn env(&self) -> Result<bootstrap::PythonEnv, TaskError> {
        match &self.env {
            Some(env) => Ok(env.clone()),
            None => bootstrap::python_env()
                .cloned()
                .map_err(|e| TaskError::new("unavailable", e)),
        }
    }

    /// The worker, bootstrapping the venv on first use and restarting it after it crashed, was
    /// killed at a deadline or ran out of memory (the failed variant's error says which).
    fn worker(&mut self) -> Result<&mut Worker, TaskError> {
        if !self.worker.as_mut().is_some_and(|w| w.is_alive()) {
            self.restart_worker(); // the old one is reaped before the new one starts
            let env = self.env()?;
            let worker = Worker::start_with(&env.python, bootstrap::root(), &self.worker_env)
                .map_err(|e| TaskError::new("unavailable", e))?;
            self.starts += 1;
            self.worker = Some(worker);
        }
        Ok(self.worker.as_mut().expect("just started"))
    }

    /// Every variant of the task, tier by tier. Python variants come from the worker; if it
    /// cannot start, the error says why and only the Rust tier is listed.
    pub fn variants(&mut self, task: &Task) -> (Vec<Variant>, Option<TaskError>) {
        let mut variants = Vec::new();
        let python = self.worker().and_then(|w| {
            w.request(
                serde_json::json!({"op": "variants", "task": task.name}),
                Duration::from_secs(60),
            )
        });
        let mut error = None;
        match python {
            Ok(reply) => {
                let mut seen = Vec::new();
                for v in reply["variants"].as_array().into_iter().flatten() {
                    let Some(tier) = v["tier"].as_str().and_then(Tier::parse) else {
                        continue;
                    };
                    variants.push(Variant {
                        tier,
                        name: v["variant"].as_str().unwrap_or("?").to_string(),
                        pick: !seen.contains(&tier),
                        small: v["small"].as_bool().unwrap_or(false),
                        known_mismatch: v["known_mismatch"].as_str().map(String::from),
                        engine: Engine::Python,
                        baseline: false,
                    });
                    seen.push(tier);
                }
            }
            Err(e) => error = Some(e),
        }
        for (i, (name, run)) in task.rust.iter().enumerate() {
            variants.push(Variant {
                tier: Tier::Rust,
                name: name.to_string(),
                pick: i == 0,
                small: task.small_rust.contains(name),
                known_mismatch: None,
                engine: Engine::Rust(run.clone()),
                baseline: false,
            });
        }
        variants.sort_by_key(|v| v.tier);
        (variants, error)
    }

    /// The task's Python baselines (plain loops without the rule, the `BASELINES` of its
    /// Python package), as variants whose `baseline` is set; none when Python is unavailable.
    pub fn python_baselines(&mut self, task: &Task) -> Vec<Variant> {
        let Ok(reply) = self.worker().and_then(|w| {
            w.request(
                serde_json::json!({"op": "variants", "task": task.name}),
                Duration::from_secs(60),
            )
        }) else {
            return Vec::new();
        };
        reply["variants"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| v["tier"] == "baseline")
            .map(|v| Variant {
                tier: Tier::Pure,
                name: v["variant"].as_str().unwrap_or("?").to_string(),
                pick: false,
                small: false,
                known_mismatch: None,
                engine: Engine::Python,
                baseline: true,
            })
            .collect()
    }

    /// Runs a variant once (the gate): returns its wall time for the call and its summary.
    pub fn run_once(
        &mut self,
        task: &Task,
        v: &Variant,
        input: &Input,
    ) -> Result<(f64, Summary), TaskError> {
        match &v.engine {
            Engine::Rust(run) => run(&input.call()).map(|(took, s)| (took.as_secs_f64(), s)),
            Engine::Python => {
                self.refuse_debug_pyo3(v)?;
                let timeout = self.timeout;
                let key = (
                    task.name.to_string(),
                    v.id(),
                    input.path.clone(),
                    serde_json::Value::Object(input.params.clone()).to_string(),
                );
                self.prepared = None;
                let out = self.worker()?.prepare(
                    task.name,
                    if v.baseline {
                        "baseline"
                    } else {
                        v.tier.as_str()
                    },
                    &v.name,
                    &input.path,
                    &input.params,
                    timeout,
                )?;
                self.prepared = Some(key);
                Ok(out)
            }
        }
    }

    /// Times `iters` calls; every call's summary must equal `expected`.
    pub fn time(
        &mut self,
        task: &Task,
        v: &Variant,
        input: &Input,
        iters: u64,
        expected: &Summary,
    ) -> Result<Duration, TaskError> {
        match &v.engine {
            Engine::Rust(run) => time_rust(run, &input.call(), iters, expected),
            Engine::Python => {
                let key = (
                    task.name.to_string(),
                    v.id(),
                    input.path.clone(),
                    serde_json::Value::Object(input.params.clone()).to_string(),
                );
                if self.prepared.as_ref() != Some(&key) {
                    let (_, summary) = self.run_once(task, v, input)?;
                    crate::task::compare(expected, &summary)
                        .map_err(|d| TaskError::new("mismatch", d))?;
                }
                let timeout = self.timeout;
                self.worker()?.time(iters, timeout)
            }
        }
    }

    /// The pyo3 tier is only timed from a release build of the module.
    fn refuse_debug_pyo3(&mut self, v: &Variant) -> Result<(), TaskError> {
        if v.tier != Tier::Pyo3 {
            return Ok(());
        }
        let hello = self.worker()?.hello.clone();
        if let Some(err) = self.env()?.pyo3_error {
            return Err(TaskError::new(
                "unavailable",
                format!("the PyO3 module gluebench_rs did not build: {err}"),
            ));
        }
        if let Some(err) = hello["pyo3_error"].as_str() {
            return Err(TaskError::new(
                "unavailable",
                format!("the PyO3 module gluebench_rs does not import: {err}"),
            ));
        }
        if hello["pyo3_debug"].as_bool() != Some(false) {
            return Err(TaskError::new(
                "unavailable",
                "the PyO3 module gluebench_rs is a debug build (debug assertions on); gluebench refuses to time it. \
                 Delete .venv/gluebench/pyo3_module and rerun to rebuild it in release mode",
            ));
        }
        Ok(())
    }

    /// Stops the worker (if any): the next call starts a fresh process, with its own
    /// address-space layout and heap, and prepares its variant again.
    pub fn restart_worker(&mut self) {
        self.prepared = None;
        self.worker = None;
    }

    /// The running worker's process id (`None`: no worker is running).
    pub fn worker_pid(&mut self) -> Option<u32> {
        let w = self.worker.as_mut()?;
        w.is_alive().then(|| w.pid())
    }

    /// How many workers this session has started (a restart after a failure counts one more).
    pub fn worker_starts(&self) -> usize {
        self.starts
    }

    /// The worker's hello (interpreter, library versions), if it is running.
    pub fn python_info(&mut self) -> Option<serde_json::Value> {
        self.worker().ok().map(|w| w.hello.clone())
    }
}
