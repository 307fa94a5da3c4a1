//! Runs the Python-side tests (pytest, in the project's venv) as part of `cargo test`, after
//! the same bootstrap the benches use, so one command proves every tier correct.

use std::process::Command;

#[test]
fn pytest_passes_in_the_project_venv() {
    let env = gluebench::bootstrap::python_env().expect("bootstrap the Python side");
    assert!(
        env.pyo3_error.is_none(),
        "the PyO3 module did not build: {:?}",
        env.pyo3_error
    );
    let status = Command::new(&env.python)
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "py_impls/tests",
        ])
        .current_dir(gluebench::bootstrap::root())
        // The fetch and pipeline tests serve their files with `gluebench serve` itself.
        .env("GLUEBENCH_SERVE", env!("CARGO_BIN_EXE_gluebench"))
        .status()
        .expect("run pytest");
    assert!(
        status.success(),
        "pytest failed: {status} (its output is above)"
    );
}
