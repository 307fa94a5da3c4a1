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
    common::ready();
    let out = Command::new(env!("CARGO"))
        .args(["bench", "--profile", "dev", "--bench", "decompress", "--"])
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
    assert!(listed.contains("decompress/rust/libdeflate/wet-16m@16MiB: benchmark"));
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
