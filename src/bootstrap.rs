//! Everything `cargo bench` and `cargo test` need beyond Rust, set up once and cached:
//!
//! 1. a virtual environment in `.venv/` (from `python3`, or `$GLUEBENCH_PYTHON`),
//! 2. the exact Python packages of `py_impls/requirements.lock`,
//! 3. the PyO3 module (`pyo3_impls/`) built by maturin in **release** mode and installed,
//! 4. the emoji set every tier of the `emoji` task loads (`.venv/gluebench/rgi-emoji.txt`),
//!    written from the pinned `emoji` package by `py_impls/emoji/rgi.py`.
//!
//! Each step leaves a stamp in `.venv/gluebench/` holding a hash of its inputs and is skipped
//! while the hash matches, so later runs cost a few milliseconds and only what changed is
//! rebuilt. A file lock makes concurrent test binaries wait for one bootstrap instead of racing.
//! Progress goes to stderr, one line per step, with pip's and cargo's own output under it.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// The project's root (the workspace root, where `Cargo.toml` and `.venv/` live).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The ready Python environment: the venv's interpreter and, unless it failed to build (then
/// only the `pyo3` tier is unavailable, and `pyo3_error` says why), the PyO3 module.
#[derive(Debug, Clone)]
pub struct PythonEnv {
    pub python: PathBuf,
    pub pyo3_error: Option<String>,
    /// The interpreter's name on the interpreter axis (`cpython-3.13.0`, `pypy-3.9.16`);
    /// empty for the default `.venv/`.
    pub name: String,
}

/// Bootstraps once per process; every caller gets the same result (or the same error).
pub fn python_env() -> Result<&'static PythonEnv, String> {
    static ENV: OnceLock<Result<PythonEnv, String>> = OnceLock::new();
    ENV.get_or_init(bootstrap).as_ref().map_err(Clone::clone)
}

/// Progress lines go to the stderr handle itself, not through `eprintln!`, which the test
/// harness captures: a first `cargo test` shows what it is installing and building.
pub fn progress(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "gluebench: {msg}");
}

/// Concurrent test binaries wait for one bootstrap instead of racing; held until dropped.
fn lock(root: &Path) -> Result<fs::File, String> {
    let target = root.join("target");
    fs::create_dir_all(&target).map_err(|e| format!("cannot create {}: {e}", target.display()))?;
    let lock = fs::File::create(target.join("gluebench-bootstrap.lock"))
        .map_err(|e| format!("cannot create the bootstrap lock in target/: {e}"))?;
    lock.lock()
        .map_err(|e| format!("cannot lock target/gluebench-bootstrap.lock: {e}"))?;
    Ok(lock)
}

fn bootstrap() -> Result<PythonEnv, String> {
    let root = root();
    let _lock = lock(root)?;
    let venv = root.join(".venv");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        let base = std::env::var("GLUEBENCH_PYTHON").unwrap_or_else(|_| "python3".into());
        let version = check_interpreter(&base)?;
        make_venv(&base, &version, &venv, "[1/4]")?;
    }
    // The default venv's interpreter passed check_interpreter when it was made.
    let found = Found {
        version: format!("{}.{}", PYTHON_MIN.0, PYTHON_MIN.1),
        implementation: String::new(),
    };
    let pyo3_error = install(root, &venv, "[2/4]", "[3/4]", true, &found)?;
    let stamps = venv.join("gluebench");
    let lockfile = root.join("py_impls/requirements.lock");
    let set_inputs = hash_files(&[lockfile, root.join("py_impls/emoji/rgi.py")])?;
    if read_stamp(&stamps, "emoji_set") != set_inputs || !emoji_set_path().exists() {
        progress("[4/4] writing the RGI emoji set of the pinned `emoji` package to .venv/gluebench/rgi-emoji.txt");
        let mut write = Command::new(&python);
        write
            .args([
                "-c",
                "import sys; from py_impls.emoji import rgi; rgi.main(sys.argv)",
            ])
            .arg(emoji_set_path())
            .current_dir(root)
            .env("PYTHONPATH", root);
        run(&mut write, "py_impls/emoji/rgi.py: write the emoji set")?;
        write_stamp(&stamps, "emoji_set", &set_inputs)?;
    }
    Ok(PythonEnv {
        python,
        pyo3_error,
        name: String::new(),
    })
}

/// Step 1: the virtual environment `venv` from the interpreter `base`.
fn make_venv(base: &str, version: &str, venv: &Path, step: &str) -> Result<(), String> {
    let shown = shown(venv);
    progress(&format!(
        "{step} creating the virtual environment {shown} with {base} (Python {version})"
    ));
    let made = run(
        Command::new(base).args(["-m", "venv"]).arg(venv),
        &format!("create {shown}"),
    );
    match made {
        Ok(()) if venv.join("bin/python").exists() => Ok(()),
        Ok(()) => Err(format!("`{base} -m venv` made no {shown}bin/python")),
        Err(e) => Err(format!(
            "{e}\n  {base} (Python {version}) could not make a virtual environment"
        )),
    }
}

/// A path as the progress lines show it: relative to the project.
fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
        + "/"
}

/// Steps 2 and 3 of a venv: the locked packages, then the PyO3 module (`Some(why)` when it
/// did not build). `strict` (`.venv/`): a package that does not install is an error. Otherwise
/// (an interpreter of the axis) only wheels are installed, the lock at once or else package by
/// package, and those without a wheel for the interpreter are named in one line: the tiers
/// that import them are then reported unavailable there.
fn install(
    root: &Path,
    venv: &Path,
    step2: &str,
    step3: &str,
    strict: bool,
    found: &Found,
) -> Result<Option<String>, String> {
    let (python, stamps, shown) = (venv.join("bin/python"), venv.join("gluebench"), shown(venv));
    fs::create_dir_all(&stamps).map_err(|e| e.to_string())?;
    let lockfile = root.join("py_impls/requirements.lock");
    let deps = hash_files(std::slice::from_ref(&lockfile))?;
    if read_stamp(&stamps, "requirements") != deps {
        progress(&format!(
            "{step2} installing the pinned Python packages of py_impls/requirements.lock into {shown}"
        ));
        let pip = |args: &[&str]| {
            let mut pip = Command::new(&python);
            pip.args(["-m", "pip", "install", "--disable-pip-version-check"])
                .args(args);
            pip
        };
        let lock = lockfile.to_string_lossy();
        if strict {
            // Wheels only: nothing from the lock runs code of its own at install time (every
            // locked package has a wheel for CPython 3.11 to 3.13 on Linux x86-64).
            run(
                &mut pip(&["--only-binary", ":all:", "-r", &lock]),
                "pip install --only-binary :all: -r py_impls/requirements.lock",
            )?;
        } else if run(&mut pip(&["--only-binary", ":all:", "-r", &lock]), "pip").is_err() {
            progress(&format!("      {shown}: not every locked package has a wheel for this interpreter; installing them one by one"));
            let text = fs::read_to_string(&lockfile).map_err(|e| e.to_string())?;
            // One package at a time, still with its hashes: a requirements file of its own.
            let one = stamps.join("one-package.txt");
            let mut failed = Vec::new();
            for (name, requirement) in locked_packages(&text) {
                fs::write(&one, &requirement).map_err(|e| e.to_string())?;
                let args = ["--only-binary", ":all:", "--no-deps", "-q", "-r"];
                if run(pip(&args).arg(&one), &name).is_err() {
                    failed.push(name);
                }
            }
            if !failed.is_empty() {
                progress(&format!(
                    "{shown}: no installable wheel of {} for this interpreter (none built for it, or it needs a newer Python); the tiers that import them are reported unavailable (delete {shown} to retry)",
                    failed.join(", ")
                ));
            }
        }
        write_stamp(&stamps, "requirements", &deps)?;
        // New packages (maturin among them) mean the module must be rebuilt against them.
        let _ = fs::remove_file(stamps.join("pyo3_module"));
    }

    let parts: Vec<u32> = found
        .version
        .split('.')
        .filter_map(|p| p.parse().ok())
        .collect();
    if parts[..] < [PYTHON_MIN.0, PYTHON_MIN.1][..] {
        let why = format!(
            "PyO3 (of pyo3_impls) needs Python {}.{}+, and {} is {}",
            PYTHON_MIN.0,
            PYTHON_MIN.1,
            found.name(),
            found.version
        );
        progress(&format!("the pyo3 tier is unavailable in {shown}: {why}"));
        return Ok(Some(why));
    }
    let sources = pyo3_sources(root)?;
    let module = hash_files(&sources)?;
    if read_stamp(&stamps, "pyo3_module") == module {
        return Ok(None);
    }
    match build_pyo3_module(root, &python, step3) {
        Ok(()) => write_stamp(&stamps, "pyo3_module", &module).map(|_| None),
        Err(e) => {
            progress(&format!("the pyo3 tier is unavailable in {shown}: {e}"));
            Ok(Some(e))
        }
    }
}

/// Each package of a lock file: (`name==version`, its whole requirement with its hashes).
fn locked_packages(text: &str) -> Vec<(String, String)> {
    // A requirement continues over lines ending in `\` (its `--hash=sha256:` options).
    let mut out: Vec<(String, String)> = Vec::new();
    let mut continued = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (body, more) = match line.strip_suffix('\\') {
            Some(body) => (body.trim(), true),
            None => (line, false),
        };
        match out.last_mut() {
            Some((_, requirement)) if continued => {
                requirement.push(' ');
                requirement.push_str(body);
            }
            _ => {
                let name = body.split_whitespace().next().unwrap_or(body).to_string();
                out.push((name, body.to_string()));
            }
        }
        continued = more;
    }
    out
}

/// The oldest Python the lock file installs on (regex 2026.11.19, pytest 9, msgspec, orjson).
pub const PYTHON_MIN: (u32, u32) = (3, 11);
/// The interpreters gluebench was run with (README, "The two commands").
pub const PYTHON_TESTED: &str = "CPython 3.11.7";
/// The oldest Python of the interpreter axis: what the worker and the tiers' own code need
/// (Debian's PyPy is 3.9). Packages that need newer are reported unavailable there.
pub const AXIS_MIN: (u32, u32) = (3, 9);

/// What [`probe`] learns of an interpreter.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// `3.12.1`: the language version (PyPy's too).
    pub version: String,
    /// `cpython`, `pypy` (`sys.implementation.name`).
    pub implementation: String,
}

impl Found {
    /// Its name on the interpreter axis and its venv's: `cpython-3.12.1`.
    pub fn name(&self) -> String {
        format!("{}-{}", self.implementation, self.version)
    }
}

/// Checks that `python` runs, is at least [`PYTHON_MIN`], and has `venv` and `ensurepip`, and
/// returns its version; otherwise one line naming the interpreter and what to do.
pub fn check_interpreter(python: &str) -> Result<String, String> {
    let what_to_do = format!(
        "install Python {}.{}+ with pip and venv (tested: {PYTHON_TESTED}), or point \
         GLUEBENCH_PYTHON at one",
        PYTHON_MIN.0, PYTHON_MIN.1
    );
    probe(python, PYTHON_MIN, &what_to_do).map(|f| f.version)
}

/// [`check_interpreter`] with the oldest version `min` and the advice `what_to_do`.
pub fn probe(python: &str, min: (u32, u32), what_to_do: &str) -> Result<Found, String> {
    let probe = "import sys; print('%d.%d.%d' % sys.version_info[:3]); \
                 import importlib.util as u; \
                 print(' '.join(m for m in ('venv', 'ensurepip') if u.find_spec(m) is None)); \
                 print(sys.implementation.name)";
    let run = || Command::new(python).args(["-c", probe]).output();
    // An executable written a moment ago is "busy" while a fork of another thread of this
    // process still holds it open (ETXTBSY, until that child execs): wait a little and retry.
    let mut out = run();
    for _ in 0..50 {
        match &out {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(10));
                out = run();
            }
            _ => break,
        }
    }
    let out = out
        .map_err(|e| format!("cannot run the Python interpreter `{python}`: {e}; {what_to_do}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let version = lines.next().unwrap_or("").trim().to_string();
    let parts: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    if !out.status.success() || parts.len() != 3 {
        return Err(format!(
            "`{python}` did not answer as a Python 3 interpreter ({}); {what_to_do}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    if (parts[0], parts[1]) < min {
        return Err(format!(
            "`{python}` is Python {version}, older than {}.{}; {what_to_do}",
            min.0, min.1
        ));
    }
    let missing = lines.next().unwrap_or("").trim();
    if !missing.is_empty() {
        return Err(format!(
            "`{python}` (Python {version}) lacks `{missing}`, needed to make a virtual \
             environment (Debian and Ubuntu: apt install python3-venv); {what_to_do}"
        ));
    }
    let implementation = match lines.next().map(str::trim) {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => "cpython".to_string(),
    };
    Ok(Found {
        version,
        implementation,
    })
}

/// An interpreter of `GLUEBENCH_INTERPRETERS` as a command: `3.12` is pyenv's newest 3.12.x
/// when there is one, else `python3.12`; a path or a command (`pypy3`) stays as it is.
pub fn resolve_interpreter(spec: &str) -> String {
    if !spec.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return spec.to_string();
    }
    let versions = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")))
        .map(|p| p.join("versions"));
    let key = |name: &str| -> Vec<u32> { name.split('.').filter_map(|p| p.parse().ok()).collect() };
    let newest = versions
        .and_then(|dir| fs::read_dir(dir).ok())
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name == spec || name.starts_with(&format!("{spec}.")))
        .max_by_key(|name| key(name));
    let found = newest.and_then(|name| {
        let python = std::env::var_os("HOME")
            .map(PathBuf::from)
            .map(|h| h.join(".pyenv/versions").join(name).join("bin/python3"))?;
        python.exists().then(|| python.display().to_string())
    });
    found.unwrap_or_else(|| format!("python{spec}"))
}

/// The venv of one more interpreter (the interpreter axis, `GLUEBENCH_INTERPRETERS`):
/// `.venvs/<implementation>-<version>/`, bootstrapped like `.venv/` (stamps, the lock, the PyO3
/// module built for it) once per process. An interpreter that cannot be used is one line
/// naming it and what to do.
pub fn interpreter_env(spec: &str) -> Result<PythonEnv, String> {
    static ENVS: Mutex<BTreeMap<String, Result<PythonEnv, String>>> = Mutex::new(BTreeMap::new());
    let mut envs = ENVS.lock().unwrap_or_else(|e| e.into_inner());
    envs.entry(spec.to_string())
        .or_insert_with(|| axis_bootstrap(spec))
        .clone()
}

fn axis_bootstrap(spec: &str) -> Result<PythonEnv, String> {
    let base = resolve_interpreter(spec);
    let what_to_do = format!(
        "install it with pip and venv (Python {}.{}+; e.g. apt install pypy3 pypy3-venv), or \
         drop `{spec}` from GLUEBENCH_INTERPRETERS",
        AXIS_MIN.0, AXIS_MIN.1
    );
    let found = probe(&base, AXIS_MIN, &what_to_do)
        .map_err(|e| format!("interpreter `{spec}` skipped: {e}"))?;
    let name = found.name();
    let root = root();
    let _lock = lock(root)?;
    let venv = root.join(".venvs").join(&name);
    let python = venv.join("bin").join("python");
    if !python.exists() {
        make_venv(&base, &found.version, &venv, "[1/3]")
            .map_err(|e| format!("interpreter `{spec}` ({name}) skipped: {e}"))?;
    }
    let pyo3_error = install(root, &venv, "[2/3]", "[3/3]", false, &found)?;
    Ok(PythonEnv {
        python,
        pyo3_error,
        name,
    })
}

/// The emoji set file (`RGI_Emoji` of one Emoji version) that every tier of the `emoji` task
/// loads; written by the bootstrap (see `py_impls/emoji/rgi.py` for its format).
pub fn emoji_set_path() -> PathBuf {
    root().join(".venv/gluebench/rgi-emoji.txt")
}

/// Builds `pyo3_impls` in release mode with maturin and installs the wheel into the venv.
/// It gets its own target directory so it never waits on, or invalidates, the outer cargo.
fn build_pyo3_module(root: &Path, python: &Path, step: &str) -> Result<(), String> {
    let venv = python.parent().and_then(Path::parent).unwrap_or(root);
    progress(&format!(
        "{step} building the PyO3 module gluebench_rs (release) with maturin and installing it into {}",
        shown(venv)
    ));
    let started = Instant::now();
    // One wheel directory per venv: the module is built for each interpreter's ABI.
    let wheels = match venv.file_name().and_then(|n| n.to_str()) {
        Some(".venv") | None => root.join("target/gluebench/wheels"),
        Some(name) => root.join("target/gluebench/wheels").join(name),
    };
    let _ = fs::remove_dir_all(&wheels);
    let maturin = python.with_file_name("maturin");
    let mut build = Command::new(&maturin);
    build
        .args(["build", "--release", "--manifest-path"])
        .arg(root.join("pyo3_impls/Cargo.toml"))
        .arg("--interpreter")
        .arg(python)
        .args(["--compatibility", "linux", "--out"])
        .arg(&wheels)
        .env("CARGO_TARGET_DIR", root.join("target/maturin"))
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    // Cargo sets these for the process running a test or bench; they must not leak into maturin.
    for (key, _) in std::env::vars() {
        if key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_CFG_")
            || key == "CARGO_PRIMARY_PACKAGE"
        {
            build.env_remove(key);
        }
    }
    run(&mut build, "maturin build --release")?;
    let wheel = fs::read_dir(&wheels)
        .map_err(|e| format!("maturin wrote no wheel into {}: {e}", wheels.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or_else(|| format!("maturin wrote no wheel into {}", wheels.display()))?;
    let mut install = Command::new(python);
    install
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-deps",
            "--force-reinstall",
            "-q",
        ])
        .arg(&wheel);
    run(&mut install, "pip install the gluebench_rs wheel")?;
    progress(&format!(
        "      built and installed in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// The files the PyO3 module is built from: the bindings, the Rust tier, the lock file and the
/// build flags.
fn pyo3_sources(root: &Path) -> Result<Vec<PathBuf>, String> {
    // The build flags too (a missing file hashes as empty).
    let mut files = vec![
        root.join("Cargo.lock"),
        root.join("Cargo.toml"),
        root.join(".cargo/config.toml"),
    ];
    for dir in ["pyo3_impls", "rust_impls"] {
        collect(&root.join(dir), &mut files)?;
    }
    Ok(files)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                collect(&path, out)?;
            }
        } else if name.ends_with(".rs") || name.ends_with(".toml") {
            out.push(path);
        }
    }
    Ok(())
}

fn hash_files(files: &[PathBuf]) -> Result<String, String> {
    let mut h = Sha256::new();
    for f in files {
        // A missing file (e.g. no Cargo.lock yet) hashes as empty: it will change once written.
        h.update(f.to_string_lossy().as_bytes());
        h.update(fs::read(f).unwrap_or_default());
    }
    Ok(format!("{:x}", h.finalize()))
}

fn read_stamp(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap_or_default()
}

fn write_stamp(dir: &Path, name: &str, value: &str) -> Result<(), String> {
    fs::write(dir.join(name), value)
        .map_err(|e| format!("cannot write a stamp in {}: {e}", dir.display()))
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    // Child output goes to our stderr: pip's and cargo's progress stays visible, and stdout
    // stays clean for criterion's and `check --json`'s own output.
    let status = cmd
        .stdout(std::io::stderr())
        .status()
        .map_err(|e| format!("{what}: cannot run {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({status}); see the output above, fix it, and run again"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in interpreter: a shell script that answers the probe with `answer`.
    fn fake_python(name: &str, answer: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gluebench-fake-python-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        fs::write(&path, format!("#!/bin/sh\nprintf '{answer}'\n")).unwrap();
        let mut perms = fs::metadata(&path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        fs::set_permissions(&path, perms).unwrap();
        path
    }

    #[test]
    fn interpreters_that_cannot_make_the_venv_get_one_clear_line() {
        let missing = check_interpreter("/nonexistent/python3.11").unwrap_err();
        assert!(
            missing.contains("cannot run the Python interpreter `/nonexistent/python3.11`"),
            "{missing}"
        );
        assert!(missing.contains("GLUEBENCH_PYTHON"), "{missing}");

        let old = fake_python("old", "3.9.2\\n\\n");
        let e = check_interpreter(old.to_str().unwrap()).unwrap_err();
        assert!(e.contains("is Python 3.9.2, older than 3.11"), "{e}");

        let no_venv = fake_python("novenv", "3.12.1\\nvenv ensurepip\\n");
        let e = check_interpreter(no_venv.to_str().unwrap()).unwrap_err();
        assert!(e.contains("lacks `venv ensurepip`"), "{e}");
        assert!(!e.contains('\n'), "one line: {e}");

        let good = fake_python("good", "3.13.0\\n\\n");
        assert_eq!(check_interpreter(good.to_str().unwrap()).unwrap(), "3.13.0");
    }

    #[test]
    fn interpreters_of_the_axis_get_one_clear_line_each() {
        let one_line = |e: &str| assert!(!e.contains('\n'), "one line: {e}");
        let e = interpreter_env("/nonexistent/pypy3").unwrap_err();
        assert!(
            e.starts_with("interpreter `/nonexistent/pypy3` skipped: cannot run"),
            "{e}"
        );
        assert!(
            e.contains("drop `/nonexistent/pypy3` from GLUEBENCH_INTERPRETERS"),
            "{e}"
        );
        one_line(&e);

        let old = fake_python("axis-old", "3.8.18\\n\\npypy\\n");
        let e = interpreter_env(old.to_str().unwrap()).unwrap_err();
        assert!(e.contains("is Python 3.8.18, older than 3.9"), "{e}");
        one_line(&e);

        let no_venv = fake_python("axis-novenv", "3.10.14\\nvenv\\npypy\\n");
        let e = interpreter_env(no_venv.to_str().unwrap()).unwrap_err();
        assert!(e.contains("lacks `venv`") && e.contains("skipped"), "{e}");
        one_line(&e);

        // It answers the probe but makes no venv: named, with its name on the axis.
        let liar = fake_python("axis-liar", "3.10.14\\n\\nfakepy\\n");
        let e = interpreter_env(liar.to_str().unwrap()).unwrap_err();
        assert!(
            e.contains("(fakepy-3.10.14) skipped")
                && e.contains("made no .venvs/fakepy-3.10.14/bin/python"),
            "{e}"
        );
        one_line(&e);

        // Pypy 3.9 passes the axis' check (not the default's), with its implementation.
        let pypy = fake_python("axis-pypy", "3.9.16\\n\\npypy\\n");
        let found = probe(pypy.to_str().unwrap(), AXIS_MIN, "").unwrap();
        assert_eq!(found.name(), "pypy-3.9.16");
        assert!(check_interpreter(pypy.to_str().unwrap()).is_err());
    }

    #[test]
    fn interpreter_specs_resolve_to_commands() {
        assert_eq!(resolve_interpreter("pypy3"), "pypy3");
        assert_eq!(resolve_interpreter("/usr/bin/python3"), "/usr/bin/python3");
        let r = resolve_interpreter("2.99");
        assert_eq!(r, "python2.99", "no such pyenv version: the command");
        let lock =
            "# c\n\nregex==1 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n  orjson==3 \n";
        let packages = locked_packages(lock);
        assert_eq!(
            packages,
            [
                (
                    "regex==1".into(),
                    "regex==1 --hash=sha256:aa --hash=sha256:bb".into()
                ),
                ("orjson==3".to_string(), "orjson==3".to_string())
            ]
        );
    }
}
