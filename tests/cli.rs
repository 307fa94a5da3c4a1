//! The `gluebench check` command line as a user runs it: flags, exit codes, JSON shape.

mod common;

use serde_json::Value;
use std::process::{Command, Output};

fn gluebench(args: &[&str]) -> Output {
    common::ready();
    Command::new(env!("CARGO_BIN_EXE_gluebench"))
        .args(args)
        .output()
        .expect("run gluebench")
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("the tiers are: pure, naive"));
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
