//! The `fetch` task end to end: every tier, Rust and Python, against gluebench's own server on
//! the generated index, under every fault mode, against paths that try to leave the served
//! directory, on a user's own WARC file with its index, and the server's teardown when a tier
//! crashes.

mod common;

use common::{assert_every_tier, assert_no_failures, scratch};
use gluebench::check::{self, Status};
use gluebench::serve::{Server, ServerConfig};
use gluebench::session::{Input, Session};
use gluebench::tasks;
use serde_json::json;
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn check_regime(regime: &str) -> check::Report {
    common::check_regime("fetch", regime)
}

/// Every row failed with `kind` at range `index`.
fn assert_every_tier_fails(report: &check::Report, case: &str, kind: &str, index: u64) {
    assert_every_tier(report, case);
    for row in &report.rows {
        let err = row
            .error
            .as_ref()
            .unwrap_or_else(|| panic!("{case}: {}/{} did not fail", row.tier, row.variant));
        assert_eq!(
            (row.status, err.kind.as_str(), err.offset),
            (Status::Error, kind, Some(index)),
            "{case}: {}/{}: {err}",
            row.tier,
            row.variant
        );
    }
}

#[test]
fn every_tier_fetches_the_generated_ranges() {
    // Few ranges, so each of the 2 x 6+ tiers is quick; c4: concurrency in every tier that has it.
    for regime in ["lat0-c1-n40", "lat0-c4-n200"] {
        let report = check_regime(regime);
        let expected = report.expected.as_ref().expect("expected from the files");
        assert!(expected["ranges"].as_u64().unwrap() >= 40, "{regime}");
        assert_every_tier(&report, regime);
        assert_no_failures(&report, regime);
    }
}

#[test]
fn latency_is_injected_per_response() {
    // 10 ranges one at a time at 20 ms: at least 200 ms, in every tier.
    let report = check_regime("lat20-c1-n10");
    assert_no_failures(&report, "lat20");
    for row in &report.rows {
        let secs = row.seconds.unwrap_or(0.0);
        assert!(secs >= 0.2, "{}/{} took {secs} s", row.tier, row.variant);
    }
}

#[test]
fn a_transient_503_is_retried() {
    // Range 3 answers 503 (Retry-After: 1) once, then the file: every tier must succeed.
    let report = check_regime("lat0-c2-n8-503@3x1");
    assert_every_tier(&report, "503x1");
    assert_no_failures(&report, "503x1");
}

#[test]
fn every_fault_mode_is_an_error_at_its_range() {
    for (fault, kind) in [
        ("503@5", "status"),
        ("reset@5", "incomplete"),
        ("short@5", "incomplete"),
        ("stall@5", "timeout"),
    ] {
        let regime = format!("lat0-c4-n12-{fault}-timeout0.5-retries1");
        let report = check_regime(&regime);
        assert_every_tier_fails(&report, &regime, kind, 5);
    }
}

/// A server over a directory holding `data.bin`, with a secret beside the directory and a
/// symlink inside it that leads to the secret.
fn traversal_fixture() -> (PathBuf, Server) {
    let dir = scratch("fetch-traversal");
    let root = dir.join("root");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("data.bin"), vec![7u8; 4096]).unwrap();
    std::fs::write(dir.join("secret.txt"), b"not yours").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("secret.txt"), root.join("link.txt")).unwrap();
    let server = Server::start(ServerConfig::new(root.clone())).expect("server starts");
    (root, server)
}

#[test]
fn no_tier_gets_out_of_the_served_directory() {
    let task = tasks::find("fetch").unwrap();
    let mut session = Session::new();
    let (variants, python_error) = session.variants(&task);
    assert!(python_error.is_none(), "{python_error:?}");
    for bad in [
        "../secret.txt",
        "%2e%2e/secret.txt",
        "%2E%2E%2Fsecret.txt",
        "..%2fsecret.txt",
        "link.txt",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
    ] {
        let (root, server) = traversal_fixture();
        let ranges = format!("data.bin\t0\t100\n{bad}\t0\t4\n");
        let path =
            gluebench::session::worker_input("fetch-traversal.ranges", ranges.as_bytes()).unwrap();
        let params = json!({"url": server.url(), "concurrency": 1, "timeout_s": 2.0, "retries": 0, "root": root});
        let input = Input::with_fixture(
            bad,
            path,
            ranges.into_bytes(),
            None,
            params.as_object().cloned().unwrap(),
            Box::new(server),
        );
        for v in &variants {
            let err = session
                .run_once(&task, v, &input)
                .map(|(_, s)| s)
                .expect_err(&format!("{}: {bad} must not be served", v.id()));
            assert_eq!(
                (err.kind.as_str(), err.offset),
                ("status", Some(1)),
                "{}: {bad}: {err}",
                v.id()
            );
        }
    }
}

#[test]
fn a_users_own_warc_file_and_index() {
    // The generated segment and index stand in for a user's: the index's filenames are
    // ignored, every line is a range of --input.
    let segment = gluebench_datasets::ensure("warc-00000").unwrap();
    let index = gluebench_datasets::ensure("cdxj-1m").unwrap();
    let dir = scratch("fetch-own");
    let own = dir.join("mine.warc.gz");
    std::fs::copy(&segment.path, &own).unwrap();
    let text = std::fs::read_to_string(&index.path).unwrap();
    let lines: String = text
        .lines()
        .filter(|l| l.contains("-00000.warc.gz"))
        .take(30)
        .map(|l| format!("{l}\n"))
        .collect();
    let own_index = dir.join("mine.cdxj");
    std::fs::write(&own_index, lines).unwrap();
    let report = common::check_regime_on("fetch", "lat0-c4", Some((own, own_index)));
    assert_eq!(report.expected.as_ref().unwrap()["ranges"], 30);
    assert_every_tier(&report, "own files");
    assert_no_failures(&report, "own files");
}

#[test]
fn the_server_stops_when_a_tier_crashes() {
    let task = tasks::find("fetch").unwrap();
    let mut addr = None;
    let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let input = Input::dataset(&task, "lat0-c1-n5").expect("fixture starts");
        let url = input.params["url"].as_str().unwrap().to_string();
        addr = Some(
            url.trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string(),
        );
        assert!(TcpStream::connect(addr.as_ref().unwrap()).is_ok());
        panic!("a tier crashed");
    }));
    assert!(crashed.is_err());
    let addr = addr.expect("the server had started");
    let started = Instant::now();
    while TcpStream::connect(&addr).is_ok() {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the server on {addr} still accepts connections after its input was dropped"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
