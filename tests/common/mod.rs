//! Helpers shared by the integration tests (each test binary uses a different subset).
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// A fresh directory under target/ for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One gzip member holding `text`.
pub fn member(text: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(text).unwrap();
    e.finish().unwrap()
}

/// Some WET-like text: words from several scripts, `n` of them, deterministic.
pub fn text(seed: u64, n: usize) -> Vec<u8> {
    let words = [
        "web",
        "crawl",
        "Zürich",
        "данные",
        "数据",
        "🙂",
        "the",
        "of",
        "and",
        "a\r\n",
    ];
    let mut x = seed;
    let mut out = String::new();
    for _ in 0..n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.push_str(words[(x >> 33) as usize % words.len()]);
        out.push(' ');
    }
    out.into_bytes()
}

/// The shared real samples (../shared/datasets), when this checkout has them.
pub fn shared_datasets() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets");
    dir.is_dir().then_some(dir)
}

/// Bootstraps the Python side and the default dataset in this process, where the progress lines
/// reach the terminal, before a test runs the `gluebench` binary with its output captured.
pub fn ready() {
    gluebench::bootstrap::python_env().expect("bootstrap the Python side");
    gluebench_datasets::ensure("wet-16m").expect("generate the default dataset");
}

/// Every tier has at least one row in a `check` report.
pub fn assert_every_tier(report: &gluebench::check::Report, case: &str) {
    for tier in gluebench::task::Tier::ALL {
        assert!(
            report.rows.iter().any(|r| r.tier == tier),
            "{case}: tier {tier} missing from check"
        );
    }
}

/// No tier of `report` disagrees with the expected result or fails.
pub fn assert_no_failures(report: &gluebench::check::Report, case: &str) {
    let failed: Vec<_> = report
        .failures()
        .iter()
        .map(|r| (r.tier, &r.variant, &r.error))
        .collect();
    assert!(failed.is_empty(), "{case}: {failed:?}");
}

/// The reference failed with `kind` at `at` (byte or line), and every tier, each with at least
/// one row, reports the same problem. Returns the reference's error.
pub fn assert_same_error_everywhere<'r>(
    report: &'r gluebench::check::Report,
    case: &str,
    kind: &str,
    at: u64,
) -> &'r gluebench::task::TaskError {
    let reference = report
        .expected
        .as_ref()
        .expect_err("the reference must fail");
    assert_eq!(
        (reference.kind.as_str(), reference.offset),
        (kind, Some(at)),
        "{case}: {reference}"
    );
    assert_every_tier(report, case);
    for row in &report.rows {
        let err = row
            .error
            .as_ref()
            .unwrap_or_else(|| panic!("{case}: {}/{} did not fail", row.tier, row.variant));
        assert!(
            err.same_problem(reference),
            "{case}: {}/{} says {err}, the reference {reference}",
            row.tier,
            row.variant
        );
    }
    reference
}

/// `check` of every tier of `task` (slow ones too) on a file of the user's.
pub fn check_file(task: &str, path: PathBuf) -> gluebench::check::Report {
    gluebench::check::run(&gluebench::check::Options {
        dataset: None,
        task: task.into(),
        input: Some(path),
        tiers: vec![],
        full: true,
        index: None,
        expected: None,
    })
    .expect("check runs")
}

/// `check` of every tier of a task with a fixture, on one of its regimes (e.g. `lat0-c4-small`).
pub fn check_regime(task: &str, regime: &str) -> gluebench::check::Report {
    check_regime_on(task, regime, None)
}

/// [`check_regime`] on the user's own files: `(WARC file, CDXJ index)`, as `check --input
/// FILE --index INDEX --dataset REGIME` runs it.
pub fn check_regime_on(
    task: &str,
    regime: &str,
    files: Option<(PathBuf, PathBuf)>,
) -> gluebench::check::Report {
    let (input, index) = files.unzip();
    gluebench::check::run(&gluebench::check::Options {
        task: task.into(),
        input,
        index,
        dataset: Some(regime.into()),
        tiers: vec![],
        full: true,
        expected: None,
    })
    .expect("check runs")
}
