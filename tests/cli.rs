//! The `gluebench check` command line as a user runs it: flags, exit codes, JSON shape.

mod common;

use serde_json::Value;
use std::process::{Command, Output};

fn gluebench(args: &[&str]) -> Output {
    common::ready();
    bare(args)
}

/// The binary without the bootstrap first: for help and usage errors, which need neither the
/// Python side nor a dataset.
fn bare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gluebench"))
        .args(args)
        .output()
        .expect("run gluebench")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A usage error: exit status 2, clap's message on stderr, nothing on stdout.
fn usage_error(args: &[&str]) -> String {
    let out = bare(args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
    stderr
}

#[test]
fn check_json_on_the_default_dataset_has_every_tier_ok() {
    let out = gluebench(&["check", "--task", "decompress", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "check failed: {stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document on stdout");
    assert_eq!(doc["task"], "decompress");
    assert!(doc["input"].as_str().unwrap().ends_with(".warc.wet.gz"));
    let tiers = doc["tiers"].as_array().unwrap();
    for tier in ["pure", "naive", "hotpath", "ecosystem", "pyo3", "rust"] {
        let row = tiers
            .iter()
            .find(|t| t["tier"] == tier)
            .unwrap_or_else(|| panic!("no {tier} row"));
        assert_eq!(row["status"], "ok", "{tier}: {row}");
        assert!(row["variant"].is_string() && row["seconds"].as_f64().unwrap() > 0.0);
        let summary = &row["summary"];
        assert_eq!(summary["bytes"], doc["expected"]["summary"]["bytes"]);
        assert_eq!(summary["sha256"], doc["expected"]["summary"]["sha256"]);
    }
    // The same typed rows `cargo bench` records (src/results.rs), one per variant.
    let rows: Vec<gluebench::results::Row> =
        serde_json::from_value(doc["rows"].clone()).expect("rows of the results schema");
    assert_eq!(rows.len(), tiers.len());
    assert!(rows
        .iter()
        .all(|r| r.task == "decompress" && r.status == "ok" && r.samples == Some(1)));
}

#[test]
fn check_fails_naming_the_tiers_on_a_corrupt_file() {
    let dir = common::scratch("cli-corrupt");
    let path = dir.join("corrupt.warc.wet.gz");
    let mut data = common::member(&common::text(7, 2000));
    let n = data.len();
    data[n - 6] ^= 0xff; // CRC-32
    std::fs::write(&path, data).unwrap();
    let out = gluebench(&[
        "check",
        "--task",
        "decompress",
        "--input",
        path.to_str().unwrap(),
        "--tier",
        "rust",
        "--tier",
        "hotpath",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rust/libdeflate (error)") && stderr.contains("hotpath/zlib (error)"),
        "{stderr}"
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("checksum at byte 0"), "{table}");
    assert!(!table.contains("pure"), "--tier filters the rows: {table}");
}

#[test]
fn bad_flags_say_what_to_do() {
    let out = gluebench(&["check", "--task", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the tasks are: decompress"));
    let out = gluebench(&["check", "--task", "decompress", "--tier", "cython"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("[possible values: pure, naive, hotpath, ecosystem, pyo3, rust]"));
    let out = gluebench(&[
        "check",
        "--task",
        "decompress",
        "--input",
        "/nonexistent.gz",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent.gz"));
}

#[test]
fn check_emoji_json_names_the_emoji_version() {
    let dir = common::scratch("cli-emoji");
    let path = dir.join("tweet.txt");
    let mut text = "so good 😂😂 ❤️ #️⃣ 👨‍👩‍👧 ".as_bytes().to_vec();
    text.push(0xff); // invalid UTF-8: a replacement, not an error
    std::fs::write(&path, text).unwrap();
    let out = gluebench(&[
        "check",
        "--task",
        "emoji",
        "--input",
        path.to_str().unwrap(),
        "--json",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "check failed: {stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document on stdout");
    let summary = &doc["expected"]["summary"];
    assert_eq!(summary["emoji_version"], "17.0");
    assert_eq!(summary["total"], 5);
    assert_eq!(summary["distinct"], 4);
    assert_eq!(summary["counts"]["😂"], 2);
    assert_eq!(summary["replacements"], 1);
    for row in doc["tiers"].as_array().unwrap() {
        assert!(
            matches!(row["status"].as_str(), Some("ok" | "differs")),
            "{row}"
        );
        if row["status"] == "ok" {
            assert_eq!(row["summary"]["emoji_version"], "17.0", "{row}");
        }
    }
}

#[test]
fn help_of_datasets_and_bootstrap_does_nothing_else() {
    // An empty dataset cache: `datasets --help` must not generate (or verify) anything there.
    let cache = common::scratch("cli-help-cache");
    for flag in ["--help", "-h"] {
        let out = Command::new(env!("CARGO_BIN_EXE_gluebench"))
            .args(["datasets", flag])
            .env("GLUEBENCH_CACHE", &cache)
            .output()
            .unwrap();
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            stdout.contains("Usage: gluebench datasets [NAME]..."),
            "{stdout}"
        );
        assert!(stdout.contains("Generate (or verify) the named datasets"));
        assert!(stdout.contains("wet-16m") && stdout.contains("warc-NNNNN"));
        assert!(!stdout.contains('\t'), "no `name\tpath` line: {stdout}");
        assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
        assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 0, "{flag}");

        let out = bare(&["bootstrap", flag]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(stdout.contains("Usage: gluebench bootstrap"), "{stdout}");
        assert!(stdout.contains("Create .venv/"), "{stdout}");
        assert!(!stdout.contains("ready:"), "bootstrapped: {stdout}");
        assert!(
            out.stderr.is_empty(),
            "no progress lines: {}",
            text(&out.stderr)
        );
    }
    // Every command has its help, with its options.
    for (cmd, option) in [
        ("check", "--task <TASK>"),
        ("serve", "--latency-ms <N>"),
        ("report", "--baseline <OLD.json>"),
    ] {
        let out = bare(&[cmd, "--help"]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{cmd}");
        assert!(
            stdout.contains(&format!("Usage: gluebench {cmd}")) && stdout.contains(option),
            "{cmd}: {stdout}"
        );
    }
}

#[test]
fn version_prints_the_package_version() {
    let out = bare(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        format!("gluebench {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn no_command_prints_the_help() {
    let out = bare(&[]);
    assert_eq!(out.status.code(), Some(2));
    let help = text(&out.stderr);
    for cmd in ["check", "datasets", "bootstrap", "serve", "report"] {
        assert!(help.contains(&format!("\n  {cmd} ")), "{cmd}: {help}");
    }
}

#[test]
fn input_and_dataset_are_a_usage_error() {
    let err = usage_error(&[
        "check",
        "--task",
        "decompress",
        "--input",
        "x",
        "--dataset",
        "y",
    ]);
    assert!(
        err.contains("'--input <FILE>'") && err.contains("'--dataset <NAME>'"),
        "{err}"
    );
    let err = usage_error(&["check", "--task", "fetch", "--index", "x.cdxj"]);
    assert!(
        err.contains("--input <FILE>"),
        "--index needs --input: {err}"
    );
    let err = usage_error(&["check", "--json"]);
    assert!(err.contains("--task <TASK>"), "{err}");
}

#[test]
fn an_unknown_tier_is_a_usage_error_listing_the_tiers() {
    let err = usage_error(&["check", "--task", "decompress", "--tier", "nope"]);
    assert!(err.contains("'nope'"), "{err}");
    assert!(
        err.contains("pure, naive, hotpath, ecosystem, pyo3, rust"),
        "{err}"
    );
}

#[test]
fn serve_takes_exactly_one_dir() {
    let dir = common::scratch("cli-serve-two");
    let d = dir.to_str().unwrap();
    let err = usage_error(&["serve", d, d]);
    assert!(err.contains("unexpected argument"), "{err}");
    let err = usage_error(&["serve"]);
    assert!(err.contains("<DIR>"), "{err}");
    let err = usage_error(&["serve", d, "--latency-ms", "soon"]);
    assert!(err.contains("--latency-ms <N>"), "{err}");
}

#[test]
fn an_unknown_dataset_is_a_usage_error_listing_the_names() {
    let err = usage_error(&["datasets", "wet-17m"]);
    assert!(err.contains("'wet-17m'"), "{err}");
    for name in gluebench_datasets::names() {
        assert!(err.contains(name), "{name}: {err}");
    }
}
