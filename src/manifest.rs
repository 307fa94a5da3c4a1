//! The environment manifest of a run: what the numbers were measured on and with. One per
//! run, stored beside the rows it measured (see [`crate::results`]), shown in the report.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::process::Command;

/// The CPU features the code's speed depends on (the emoji scanner needs AVX2; SHA and
/// PCLMULQDQ speed up hashing and CRC-32).
const CPU_FLAGS: &[&str] = &[
    "avx2",
    "avx512f",
    "avx512bw",
    "bmi2",
    "sse4_2",
    "popcnt",
    "pclmulqdq",
    "vpclmulqdq",
    "sha_ni",
];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub run: String,
    pub started_at: String,
    /// The bench binary's command line after `--` (filters, criterion flags).
    pub command: Vec<String>,
    pub quick: bool,
    /// Warm-up and measurement seconds, samples; the sweep's settings.
    pub sampling: BTreeMap<String, String>,
    pub hostname: String,
    pub cpu_model: String,
    /// Of [`CPU_FLAGS`], those this CPU has.
    pub cpu_flags: Vec<String>,
    pub cores: usize,
    /// `/sys/kernel/mm/transparent_hugepage/enabled` (decompress asks for 2 MiB pages).
    pub transparent_hugepages: String,
    pub os: String,
    pub kernel: String,
    pub rustc: String,
    /// Crates that do (or time) the work, from Cargo.lock at build time.
    pub rust_crates: BTreeMap<String, String>,
    pub python: String,
    pub python_executable: String,
    /// Every distribution in the venv, name -> version.
    pub python_packages: BTreeMap<String, String>,
    /// The interpreters of the run's Python rows, by name (a row's `interpreter`, or the
    /// default's name for rows without one).
    #[serde(default)]
    pub interpreters: BTreeMap<String, Interpreter>,
    pub git_commit: String,
    pub git_dirty: bool,
    pub generator_version: u32,
    /// Dataset name -> sha256 of the file, for the datasets this run read.
    pub datasets: BTreeMap<String, String>,
}

/// One Python interpreter of a run, as its worker described itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Interpreter {
    /// `cpython`, `pypy`.
    pub implementation: String,
    pub version: String,
    pub executable: String,
    /// Which JIT it has: PyPy's tracing JIT; CPython 3.13+'s experimental JIT if it was built
    /// with it (and whether it is on); none before 3.13 (the specialising adaptive interpreter).
    pub jit: String,
    pub jit_enabled: bool,
    /// The default interpreter (`.venv/`): its rows have no `interpreter`.
    pub default: bool,
}

/// An interpreter's name from its worker's hello: `cpython-3.11.7`, `pypy-3.9.16`.
pub fn interpreter_name(hello: &serde_json::Value) -> String {
    format!(
        "{}-{}",
        hello["implementation"].as_str().unwrap_or("python"),
        hello["version"].as_str().unwrap_or("?")
    )
}

impl Manifest {
    /// What can be read off this machine and build now; the caller adds Python, datasets and
    /// sampling as it learns them.
    pub fn collect(run: &str, quick: bool) -> Manifest {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let field = |name: &str| {
            cpuinfo
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        let flags = field("flags");
        let flags: Vec<&str> = flags.split_whitespace().collect();
        let read = |p: &str| {
            std::fs::read_to_string(p)
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|_| "unknown".into())
        };
        let os = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                    .map(|v| v.trim_matches('"').to_string())
            })
            .unwrap_or_else(|| std::env::consts::OS.to_string());
        let root = crate::bootstrap::root();
        let git = |args: &[&str]| {
            Command::new("git")
                .args(args)
                .current_dir(root)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        };
        Manifest {
            run: run.to_string(),
            started_at: crate::results::now_rfc3339(),
            command: std::env::args().skip(1).collect(),
            quick,
            sampling: BTreeMap::new(),
            hostname: read("/proc/sys/kernel/hostname"),
            cpu_model: field("model name"),
            cpu_flags: CPU_FLAGS
                .iter()
                .filter(|f| flags.contains(f))
                .map(|f| f.to_string())
                .collect(),
            cores: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            transparent_hugepages: read("/sys/kernel/mm/transparent_hugepage/enabled"),
            os: format!("{os} ({})", std::env::consts::ARCH),
            kernel: read("/proc/sys/kernel/osrelease"),
            rustc: env!("GLUEBENCH_RUSTC").to_string(),
            rust_crates: env!("GLUEBENCH_CRATES")
                .split(',')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            python: String::new(),
            python_executable: String::new(),
            python_packages: BTreeMap::new(),
            interpreters: BTreeMap::new(),
            git_commit: git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into()),
            // Changes to code, not to the results a run itself writes (reports/ is tracked:
            // it holds the published example).
            git_dirty: git(&[
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ".",
                ":!reports",
            ])
            .is_some_and(|s| !s.is_empty()),
            generator_version: gluebench_datasets::GENERATOR_VERSION,
            datasets: BTreeMap::new(),
        }
    }

    /// Adds an interpreter of the run from its worker's hello.
    pub fn add_interpreter(&mut self, hello: &serde_json::Value, default: bool) {
        let text = |k: &str| hello[k].as_str().unwrap_or("").to_string();
        let it = Interpreter {
            implementation: text("implementation"),
            version: text("version"),
            executable: text("executable"),
            jit: text("jit"),
            jit_enabled: hello["jit_enabled"].as_bool().unwrap_or(false),
            default,
        };
        self.interpreters.insert(interpreter_name(hello), it);
    }

    /// Adds what the Python worker said of itself (its `hello`).
    pub fn add_python(&mut self, hello: &serde_json::Value) {
        self.add_interpreter(hello, true);
        self.python = hello["python"].as_str().unwrap_or("").to_string();
        self.python_executable = hello["executable"].as_str().unwrap_or("").to_string();
        if let Some(pkgs) = hello["packages"].as_object() {
            self.python_packages = pkgs
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect();
        }
    }
}

/// A new run id: start time and process id (`20261206T184045Z-4242`).
pub fn new_run_id() -> String {
    let t = crate::results::now_rfc3339().replace(['-', ':'], "");
    format!("{t}-{}", std::process::id())
}
