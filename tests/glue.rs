//! The `glue/calls` task end to end through `check`: every variant of every tier it has
//! (pure, pyo3, rust) makes its 1,000 calls, on the default dataset and on a file of ours.

mod common;

use common::{assert_no_failures, scratch};
use gluebench::check::{self, Options, Report, Status};
use gluebench::task::Tier;
use std::path::PathBuf;

fn check(input: Option<PathBuf>) -> Report {
    let opts = Options {
        task: "glue/calls".into(),
        input,
        dataset: None,
        tiers: vec![],
        full: true,
        index: None,
        expected: None,
    };
    check::run(&opts).expect("check runs")
}

fn assert_every_variant_ok(report: &Report, case: &str) {
    assert_no_failures(report, case);
    assert_eq!(
        report.expected.as_ref().map(|s| s["calls"].clone()).ok(),
        Some(serde_json::json!(1000)),
        "{case}"
    );
    let ids: Vec<String> = report
        .rows
        .iter()
        .map(|r| format!("{}/{}", r.tier, r.variant))
        .collect();
    for id in [
        "pure/py-call",
        "pyo3/noop",
        "pyo3/bytes-arg",
        "pyo3/str-arg",
        "rust/noop",
        "rust/bytes-arg",
    ] {
        assert!(ids.iter().any(|i| i == id), "{case}: {id} missing: {ids:?}");
    }
    for row in &report.rows {
        assert_eq!(
            row.status,
            Status::Ok,
            "{case}: {}/{}: {:?}",
            row.tier,
            row.variant,
            row.error
        );
    }
    for tier in [Tier::Pure, Tier::Pyo3, Tier::Rust] {
        assert!(report.rows.iter().any(|r| r.tier == tier), "{case}: {tier}");
    }
}

#[test]
fn every_tier_makes_its_calls_on_the_default_dataset() {
    let report = check(None);
    assert!(report.input.contains("wet-1m"), "{}", report.input);
    assert_every_variant_ok(&report, "wet-1m");
}

#[test]
fn every_tier_makes_its_calls_on_any_text() {
    let dir = scratch("glue-text");
    for (name, data) in [
        ("empty.txt", Vec::new()),
        ("ascii.txt", b"plain ASCII\n".repeat(100)),
        ("mixed.txt", "数据 🙂 ü\n".repeat(1000).into_bytes()),
        ("invalid.txt", b"bad \xff byte".to_vec()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, data).unwrap();
        let report = check(Some(path));
        assert!(
            report.expected_from.contains("rust/noop"),
            "{name}: {}",
            report.expected_from
        );
        assert_every_variant_ok(&report, name);
    }
}
