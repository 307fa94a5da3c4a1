//! `cargo bench` as a user drives it: criterion's own flags work unchanged, the filter is
//! criterion's, and only what was measured lands in the results store.
//!
//! Runs the real decompress bench binary (built in the dev profile, so the test costs a link,
//! not a release build) on one cheap benchmark: the rust pick on the 1 KiB sweep point.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const ONE: &str = "decompress/rust/libdeflate/wet-16m@1KiB$";
const FAST: &[&str] = &["--warm-up-time", "0.1", "--measurement-time", "0.3"];

fn bench(dir: &Path, args: &[&str]) -> Output {
    bench_in(dir, &[], args)
}

/// `cargo bench -- ARGS` with extra environment variables (e.g. the mode).
fn bench_in(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    bench_of("decompress", dir, env, args)
}

/// `cargo bench --bench NAME -- ARGS` with extra environment variables.
fn bench_of(name: &str, dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    common::ready();
    let out = Command::new(env!("CARGO"))
        .envs(env.iter().copied())
        .args(["bench", "--profile", "dev", "--bench", name, "--"])
        .args(args)
        .current_dir(gluebench::bootstrap::root())
        .env("GLUEBENCH_RESULTS", dir.join("results.json"))
        .env("CRITERION_HOME", dir.join("criterion"))
        .output()
        .expect("run cargo bench");
    assert!(
        out.status.success(),
        "cargo bench -- {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn rows(dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("results.json")).unwrap_or_default();
    if text.is_empty() {
        return Vec::new();
    }
    let doc: Value = serde_json::from_str(&text).expect("a results file");
    doc["rows"].as_array().cloned().unwrap_or_default()
}

#[test]
fn criterions_command_line_works_unchanged() {
    let dir = common::scratch("bench-cli");

    // --list: every benchmark id, nothing run, nothing recorded.
    let out = bench(&dir, &["--list"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("decompress/rust/libdeflate/wet-16m: benchmark"),
        "{listed}"
    );
    assert!(listed.contains("decompress/rust/libdeflate/wet-16m@1MiB: benchmark"));
    assert!(rows(&dir).is_empty(), "--list recorded rows");

    // --save-baseline NAME: the value is not taken as the filter; the filter is honoured.
    let mut args = vec!["--save-baseline", "main", "--sample-size", "10", "--noplot"];
    args.extend(FAST);
    args.push(ONE);
    bench(&dir, &args);
    let after_save = rows(&dir);
    assert_eq!(
        after_save.len(),
        1,
        "exactly the filtered benchmark: {after_save:?}"
    );
    let row = &after_save[0];
    assert_eq!(row["status"], "ok", "{row}");
    assert_eq!(row["samples"], 10, "--sample-size reaches criterion: {row}");
    assert!(row["median_lo_ns"].as_f64().unwrap() <= row["median_ns"].as_f64().unwrap());
    assert!(dir
        .join("criterion/decompress/rust_libdeflate/wet-16m@1KiB/main/estimates.json")
        .exists());

    // --baseline NAME: compares with the saved baseline and records the new measurement.
    let mut args = vec!["--baseline", "main", "--sample-size", "10"];
    args.extend(FAST);
    args.push(ONE);
    let out = bench(&dir, &args);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("change:"),
        "no comparison printed"
    );
    let after_compare = rows(&dir);
    assert_eq!(
        after_compare.len(),
        1,
        "the same key is updated, not duplicated"
    );
    assert_ne!(after_compare[0]["measured_at"], Value::Null);

    // --quick: criterion's quick mode, still one row for the one benchmark.
    bench(&dir, &["--quick", ONE]);
    assert_eq!(rows(&dir).len(), 1);
    assert_eq!(rows(&dir)[0]["quick"], true);

    // --discard-baseline: criterion writes no estimates, so nothing is recorded over the row.
    let before = rows(&dir);
    let mut args = vec!["--discard-baseline"];
    args.extend(FAST);
    args.push(ONE);
    bench(&dir, &args);
    assert_eq!(rows(&dir), before, "--discard-baseline changed the store");
}

/// The modes choose what runs: the default leaves the largest sweep sizes and slow variants
/// above 256 KiB to full mode, quick mode times picks only.
#[test]
fn modes_choose_what_runs() {
    let dir = common::scratch("bench-modes");
    let list = |env: &[(&str, &str)]| {
        let out = bench_in(&dir, env, &["--list"]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.strip_suffix(": benchmark").map(String::from))
            .collect::<Vec<_>>()
    };
    let (default, full, quick) = (
        list(&[]),
        list(&[("GLUEBENCH_FULL", "1")]),
        list(&[("GLUEBENCH_QUICK", "1")]),
    );
    let has = |ids: &[String], id: &str| ids.iter().any(|i| i == id);
    for id in [
        "decompress/rust/libdeflate/wet-16m@16MiB",
        "decompress/rust/libdeflate/wet-16m@4MiB",
        "decompress/pure/inflate/wet-16m@1MiB",
    ] {
        assert!(
            !has(&default, id) && has(&full, id),
            "{id}: default {default:?}"
        );
    }
    assert!(has(&default, "decompress/pure/inflate/wet-16m@256KiB"));
    // A runner-up in the main regime runs by default, not in quick mode.
    let runner_up = "decompress/rust/flate2-zlib-rs/wet-16m";
    assert!(
        has(&default, runner_up) && has(&full, runner_up),
        "{default:?}"
    );
    assert!(!has(&quick, runner_up), "{quick:?}");
    assert!(
        has(&quick, "decompress/rust/libdeflate/wet-16m"),
        "{quick:?}"
    );
    assert!(quick.len() < default.len() && default.len() < full.len());
    assert!(rows(&dir).is_empty(), "--list recorded rows");
}

/// A variant that runs its slower path on this machine says so on its rows and in the report:
/// `GLUEBENCH_NO_AVX2` sends the emoji scanner to its portable path, as a CPU without AVX2 does.
#[test]
fn a_fallback_path_is_recorded_on_its_rows() {
    let dir = common::scratch("bench-fallback");
    let one = "emoji/(rust/scanner|pyo3/scanner-bytes|hotpath/re-utf8-clusters)/wet-16m@1KiB$";
    let mut args = vec![one];
    args.extend(FAST);
    bench_of("emoji", &dir, &[("GLUEBENCH_NO_AVX2", "1")], &args);
    let found = rows(&dir);
    assert_eq!(found.len(), 3, "{found:?}");
    for row in &found {
        let fallback = row["fallback"].as_str().unwrap_or_default();
        let tier = row["tier"].as_str().unwrap();
        assert_eq!(
            fallback.contains("GLUEBENCH_NO_AVX2"),
            tier != "hotpath",
            "{tier}: {fallback:?}"
        );
        assert_eq!(row["status"], "ok", "{row}");
    }
    let report = Command::new(env!("CARGO_BIN_EXE_gluebench"))
        .args(["report", "--format", "md", "--results"])
        .arg(dir.join("results.json"))
        .output()
        .expect("run gluebench report");
    let md = String::from_utf8_lossy(&report.stdout);
    assert!(
        md.contains("portable scan: GLUEBENCH_NO_AVX2 is set (emoji/pyo3/scanner-bytes, emoji/rust/scanner)"),
        "{md}"
    );
}
