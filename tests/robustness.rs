//! The harness survives a tier that crashes, hangs or exhausts memory, and the worker protocol
//! refuses what is not a request; shown with the deliberately broken variants of
//! `py_impls/tests/broken.py` (the task `tests/broken`, never benchmarked) run by the real
//! worker with short deadlines. Also: killing a bench run half-way keeps what finished.

mod common;

use gluebench::check::{self, Status};
use gluebench::session::{Input, Session};
use gluebench::task::{Engine, Summary, Tier, Variant};
use gluebench::tasks::{self, Task};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const INPUT: &[u8] = b"some bytes the broken variants get";

/// The test-only Python task, with one good Rust variant beside it.
fn broken_task() -> Task {
    let len: gluebench::task::RustRun = Arc::new(|call| {
        let started = Instant::now();
        let n = call.bytes.len();
        Ok((started.elapsed(), expected_for(n)))
    });
    Task {
        name: "tests/broken",
        rust: vec![("len", len)],
        small_rust: &[],
        paired: &[],
        reference: "rust/len",
        baselines: Vec::new(),
        more_datasets: Vec::new(),
        cut: None,
        fixture: None,
        describe: |s| format!("{} bytes", s["bytes"]),
        ..tasks::find("decompress").expect("decompress")
    }
}

fn expected_for(n: usize) -> Summary {
    json!({"bytes": n}).as_object().unwrap().clone()
}

fn input(name: &str) -> Input {
    let path = common::scratch(name).join("input.bin");
    std::fs::write(&path, INPUT).unwrap();
    Input::derived(name, path, INPUT.to_vec(), expected_for(INPUT.len()))
}

/// A session with a 3 s deadline and a 256 MiB memory limit for its worker.
fn session() -> Session {
    gluebench::bootstrap::python_env().expect("bootstrap the Python side");
    let mut s = Session::new();
    s.timeout = Duration::from_secs(3);
    s.worker_env = vec![("GLUEBENCH_WORKER_MEMORY".into(), "256M".into())];
    s
}

fn python(name: &str) -> Variant {
    Variant {
        tier: Tier::Pure,
        name: name.into(),
        pick: false,
        small: false,
        known_mismatch: None,
        engine: Engine::Python,
        baseline: false,
    }
}

#[test]
fn check_records_each_broken_tier_and_measures_the_rest() {
    let started = Instant::now();
    let mut session = session();
    let opts = check::Options {
        task: "tests/broken".into(),
        input: None,
        index: None,
        dataset: None,
        tiers: Vec::new(),
        full: false,
        expected: None,
    };
    let report = check::run_in(&mut session, broken_task(), input("robust-check"), &opts);
    report.print_table();
    let row = |tier: &str, variant: &str| {
        report
            .rows
            .iter()
            .find(|r| r.tier.as_str() == tier && r.variant == variant)
            .unwrap_or_else(|| panic!("no row {tier}/{variant}"))
    };
    let error = |tier: &str, variant: &str| {
        let r = row(tier, variant);
        r.error
            .as_ref()
            .map(|e| e.message.clone())
            .unwrap_or_default()
    };
    for (tier, variant, status) in [
        ("pure", "segfault", Status::Crashed),
        ("pure", "ok", Status::Ok),
        ("naive", "hang", Status::Timeout),
        ("naive", "ok", Status::Ok),
        ("hotpath", "hog", Status::OutOfMemory),
        ("hotpath", "ok", Status::Ok),
        ("ecosystem", "wrong", Status::Mismatch),
        ("ecosystem", "fails", Status::Error),
        ("ecosystem", "killed", Status::Crashed),
        ("ecosystem", "ok", Status::Ok),
        ("rust", "len", Status::Ok),
    ] {
        assert_eq!(
            row(tier, variant).status,
            status,
            "{tier}/{variant}: {}",
            error(tier, variant)
        );
    }
    // Each failure says what happened and what to do.
    let segfault = error("pure", "segfault");
    assert!(segfault.contains("signal 11 (SIGSEGV)"), "{segfault}");
    assert!(segfault.contains("broken.py"), "the crash site: {segfault}");
    assert!(segfault.contains("restarted"), "{segfault}");
    let hang = error("naive", "hang");
    assert!(
        hang.contains("within 3 s") && hang.contains("GLUEBENCH_TIMEOUT"),
        "{hang}"
    );
    let kind = row("naive", "hang").error.as_ref().unwrap().kind.clone();
    assert_eq!(kind, "worker-timeout", "not a task's own timeout");
    let hog = error("hotpath", "hog");
    assert!(
        hog.contains("MemoryError") && hog.contains("GLUEBENCH_WORKER_MEMORY"),
        "{hog}"
    );
    let killed = error("ecosystem", "killed");
    assert!(
        killed.contains("SIGKILL") && killed.contains("out-of-memory killer"),
        "{killed}"
    );
    assert!(error("ecosystem", "fails").contains("always fails"));
    // One worker to start with, a fresh one after the crash, the hang, the hog and the kill.
    assert_eq!(session.worker_starts(), 5);
    // The rows check records carry the same statuses; check fails on them.
    let rows = report.result_rows();
    let status = |v: &str| rows.iter().find(|r| r.variant == v).unwrap().status.clone();
    assert_eq!(status("segfault"), "crashed");
    assert_eq!(status("hang"), "timeout");
    assert_eq!(status("hog"), "out-of-memory");
    assert_eq!(report.failures().len(), 6);
    eprintln!("check of the broken tiers: {:?}", started.elapsed());
}

#[test]
fn a_crash_while_timed_is_recorded_and_the_next_variant_is_timed() {
    let mut session = session();
    let task = broken_task();
    let input = input("robust-time");
    let expected = expected_for(INPUT.len());
    // The gate passes (the first call is right); the timed calls crash the worker.
    let v = python("segfault-when-timed");
    let err = session
        .time(&task, &v, &input, 5, &expected)
        .expect_err("a crash while timed");
    assert_eq!(err.kind, "crashed", "{err}");
    assert_eq!(gluebench::bench::failure_status(&err.kind), "crashed");
    // The next variant gets a fresh worker and is timed.
    let ns = session
        .time(&task, &python("ok"), &input, 5, &expected)
        .expect("the next variant is timed");
    assert!(ns > Duration::ZERO);
    assert_eq!(session.worker_starts(), 2);
}

/// Runs the worker by hand, sends `lines` raw, and returns its replies.
fn raw_worker(lines: &[Vec<u8>]) -> Vec<Value> {
    let env = gluebench::bootstrap::python_env().expect("bootstrap the Python side");
    let mut child = Command::new(&env.python)
        .args(["-u", "-m", "py_impls.worker"])
        .current_dir(gluebench::bootstrap::root())
        .env("PYTHONPATH", gluebench::bootstrap::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the worker");
    let mut stdin = child.stdin.take().unwrap();
    let lines = lines.to_vec();
    let writer = std::thread::spawn(move || {
        for line in lines {
            stdin.write_all(&line).unwrap();
            stdin.write_all(b"\n").unwrap();
        }
        stdin.write_all(b"{\"op\":\"quit\"}\n").unwrap();
    });
    let replies = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).expect("every reply is JSON"))
        .collect();
    writer.join().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "the worker exited with {status}");
    replies
}

#[test]
fn the_protocol_refuses_malformed_and_oversized_requests() {
    let dir = common::scratch("robust-protocol");
    let marker = dir.join("evaluated");
    let code = format!("__import__('pathlib').Path({:?}).touch()", marker.display());
    let mut huge = br#"{"op":"variants","task":""#.to_vec();
    huge.extend(std::iter::repeat_n(b'a', 2 << 20));
    huge.extend(br#""}"#);
    let requests: Vec<Vec<u8>> = vec![
        b"not json".to_vec(),
        code.clone().into_bytes(),
        json!({"op": code}).to_string().into_bytes(),
        json!({"op": "variants", "task": code})
            .to_string()
            .into_bytes(),
        json!({"op": "variants", "task": "../../etc"})
            .to_string()
            .into_bytes(),
        json!({"op": "time", "iters": "1e99"})
            .to_string()
            .into_bytes(),
        json!({"op": "prepare", "task": "decompress"})
            .to_string()
            .into_bytes(),
        json!([1, 2, 3]).to_string().into_bytes(),
        vec![0xff, 0xfe, b'{', b'}'],
        "[".repeat(100_000).into_bytes(),
        huge,
        json!({"op": "hello"}).to_string().into_bytes(),
    ];
    let replies = raw_worker(&requests);
    assert_eq!(
        replies.len(),
        requests.len(),
        "one reply per line: {replies:?}"
    );
    let (refused, hello) = replies.split_at(requests.len() - 1);
    for (i, reply) in refused.iter().enumerate() {
        assert_eq!(reply["ok"], false, "request {i}: {reply}");
        assert_eq!(reply["error"]["kind"], "protocol", "request {i}: {reply}");
    }
    assert!(refused[10]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("over 1048576 bytes"));
    // Still serving after all that, and nothing was evaluated.
    assert_eq!(hello[0]["ok"], true, "{}", hello[0]);
    assert_eq!(hello[0]["protocol"], gluebench::worker::PROTOCOL);
    assert!(!marker.exists(), "a request was evaluated");
}

#[test]
fn killing_a_bench_run_keeps_the_finished_rows_and_the_report_regenerates() {
    common::ready();
    let dir = common::scratch("robust-kill");
    let results = dir.join("results.json");
    // The bench binary itself (dev profile, as tests/bench_cli.rs builds it), so the kill hits
    // the process that writes the results.
    let build = Command::new(env!("CARGO"))
        .args([
            "bench",
            "--profile",
            "dev",
            "--bench",
            "decompress",
            "--no-run",
        ])
        .args(["--message-format", "json"])
        .current_dir(gluebench::bootstrap::root())
        .stderr(Stdio::inherit())
        .output()
        .expect("build the bench");
    assert!(build.status.success());
    let exe = String::from_utf8_lossy(&build.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|m| m["target"]["name"] == "decompress" && m["target"]["kind"][0] == "bench")
        .find_map(|m| m["executable"].as_str().map(String::from))
        .expect("the bench executable");
    // Three cheap benchmarks; killed as soon as the first is recorded.
    let mut bench = Command::new(&exe)
        .args([
            "--bench",
            "--warm-up-time",
            "0.2",
            "--measurement-time",
            "1",
        ])
        .arg("decompress/rust/libdeflate/wet-16m@(1KiB|16KiB|256KiB)$")
        .current_dir(gluebench::bootstrap::root())
        .env("GLUEBENCH_RESULTS", &results)
        .env("CRITERION_HOME", dir.join("criterion"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the bench");
    let rows = |text: &str| -> Option<Vec<Value>> {
        let doc: Value = serde_json::from_str(text).ok()?;
        doc["rows"].as_array().cloned()
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let text = std::fs::read_to_string(&results).unwrap_or_default();
        if rows(&text).is_some_and(|r| !r.is_empty()) {
            break;
        }
        assert!(bench.try_wait().unwrap().is_none(), "the bench ended early");
        assert!(Instant::now() < deadline, "no row recorded in 120 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    bench.kill().unwrap(); // SIGKILL: no chance to tidy up
    bench.wait().unwrap();

    let text = std::fs::read_to_string(&results).expect("the results survive");
    let rows = rows(&text).expect("the results file is valid JSON with rows");
    assert!(!rows.is_empty() && rows.len() < 3, "{rows:?}");
    assert!(rows.iter().all(|r| r["status"] == "ok"), "{rows:?}");
    // The report regenerates from what finished.
    let out = dir.join("report");
    let report = Command::new(env!("CARGO_BIN_EXE_gluebench"))
        .args(["report", "--results"])
        .arg(&results)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run gluebench report");
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let page = std::fs::read_to_string(out.join("index.html")).expect("the report page");
    assert!(page.contains("libdeflate"));
}
