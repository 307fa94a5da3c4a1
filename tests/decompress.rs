//! The `decompress` task end to end: every tier, Rust and Python, through `check` (the same
//! path `cargo run -- check` takes), on good input, on each kind of bad input, and on the real
//! Common Crawl samples when `../shared/datasets` exists.

mod common;

use common::{
    assert_every_tier, assert_no_failures, assert_same_error_everywhere, member, scratch,
    shared_datasets, text,
};
use gluebench::check::{self, Status};
use std::path::PathBuf;

fn check_file(path: PathBuf) -> check::Report {
    common::check_file("decompress", path)
}

fn flip(mut data: Vec<u8>, index: usize, mask: u8) -> Vec<u8> {
    data[index] ^= mask;
    data
}

#[test]
fn every_tier_agrees_on_good_input() {
    let (m1, m2) = (member(&text(1, 4000)), member(&text(2, 10)));
    let dir = scratch("decompress-good");
    let mut padded = m1.clone();
    padded.extend([0u8; 5]);
    padded.extend(&m2);
    padded.extend([0u8; 2]);
    for (name, data) in [
        ("two-members", [m1.clone(), m2.clone()].concat()),
        ("nul-padding", padded),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, &data).unwrap();
        let report = check_file(path);
        let expected = report.expected.as_ref().expect("the reference decodes it");
        assert_eq!(expected["members"], 2, "{name}");
        assert_every_tier(&report, "decompress");
        for row in &report.rows {
            assert_eq!(
                row.status,
                Status::Ok,
                "{name}: {}/{}: {:?}",
                row.tier,
                row.variant,
                row.error
            );
        }
    }
}

#[test]
fn every_tier_reports_the_same_error_for_bad_input() {
    let (m1, m2) = (member(&text(1, 4000)), member(&text(2, 500)));
    let at_m2 = m1.len() as u64;
    let mut bad_block = m2.clone();
    bad_block[10] = 0b111; // BFINAL=1, BTYPE=11: a reserved block type
    let cases: Vec<(&str, Vec<u8>, &str, u64)> = vec![
        ("empty", vec![], "empty", 0),
        (
            "not-gzip",
            b"WARC/1.0\r\nWARC-Type: warcinfo\r\n".to_vec(),
            "not-gzip",
            0,
        ),
        (
            "garbage-between",
            [&m1[..], b"GARBAGE", &m2[..]].concat(),
            "not-gzip",
            at_m2,
        ),
        (
            "truncated",
            [&m1[..], &m2[..m2.len() / 2]].concat(),
            "truncated",
            at_m2,
        ),
        (
            "truncated-trailer",
            [&m1[..], &m2[..m2.len() - 3]].concat(),
            "truncated",
            at_m2,
        ),
        (
            "bad-crc",
            [m1.clone(), flip(m2.clone(), m2.len() - 6, 0xff)].concat(),
            "checksum",
            at_m2,
        ),
        (
            "bad-deflate",
            [m1.clone(), bad_block].concat(),
            "corrupt",
            at_m2,
        ),
    ];
    let dir = scratch("decompress-bad");
    for (name, data, kind, offset) in cases {
        let path = dir.join(name);
        std::fs::write(&path, &data).unwrap();
        let report = check_file(path);
        assert_same_error_everywhere(&report, name, kind, offset);
        for row in &report.rows {
            let err = row.error.as_ref().expect("checked above");
            assert_eq!(
                row.status,
                Status::Error,
                "{name}: {}/{}",
                row.tier,
                row.variant
            );
            assert!(
                !err.message.contains('\n'),
                "{name}: {}/{}: one line, no traceback: {}",
                row.tier,
                row.variant,
                err.message
            );
        }
        assert!(
            !report.failures().is_empty(),
            "check must fail on bad input"
        );
    }
}

#[test]
fn real_common_crawl_samples_decode_in_every_tier() {
    let Some(shared) = shared_datasets() else {
        eprintln!("skipped: ../shared/datasets is not here");
        return;
    };
    let mut files: Vec<PathBuf> = ["cc", "cc/range_fetch"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(shared.join(d))
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path()))
        })
        .filter(|p| p.to_string_lossy().ends_with(".gz"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "expected the real WARC/WET/WAT samples in {}",
        shared.display()
    );
    for path in files {
        let report = check_file(path.clone());
        assert!(
            report.expected.is_ok(),
            "{}: {:?}",
            path.display(),
            report.expected.err()
        );
        assert_no_failures(&report, &path.display().to_string());
    }
}
