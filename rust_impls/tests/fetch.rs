//! Every `fetch` variant against a real HTTP/1.1 server on 127.0.0.1, with the policy's faults:
//! bodies in plan order, a 503 retried, a persistent 503 / reset / short body / stall / 404
//! reported with the right kind at the lowest failing index, a refused connection.
//!
//! The server is `fixture::Server` below, a stand-in with the API of `gluebench::serve` (which
//! depends on this crate, so it cannot be used from here): the same tests run against the
//! project's server from the root crate by swapping `use fixture::...` for
//! `use gluebench::serve::...`.

use rust_impls::fetch::{FetchError, Kind, Plan, Range, VARIANTS};
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod fixture;

use fixture::{Fault, FaultMode, Server, ServerConfig};

const FILE: &str = "segment.warc.gz";
const FILE_LEN: usize = 300_000;
const TIMEOUT: Duration = Duration::from_millis(500);

/// A directory with one file of pseudo-random bytes, made once per test process.
fn root() -> (PathBuf, &'static [u8]) {
    static ROOT: std::sync::OnceLock<(PathBuf, Vec<u8>)> = std::sync::OnceLock::new();
    let (dir, data) = ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("gluebench-fetch-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let data: Vec<u8> = (0..FILE_LEN)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        std::fs::write(dir.join(FILE), &data).unwrap();
        (dir, data)
    });
    (dir.clone(), data)
}

fn serve(fault: Option<Fault>) -> Server {
    let (root, _) = root();
    let config = ServerConfig {
        fault,
        retry_after_s: 0, // retried at once: the tests stay fast
        ..ServerConfig::new(root)
    };
    Server::start(config).expect("cannot start the test server")
}

fn fault(mode: FaultMode, at: Option<u64>, times: Option<u32>) -> Option<Fault> {
    Some(Fault { mode, at, times })
}

/// 40 ranges of 1 to ~15 KB over the file, as a ranges file names them.
fn plan(server: &Server, concurrency: usize, retries: u32) -> Plan {
    let mut text = String::new();
    let mut offset = 0;
    for i in 0..40 {
        let length = 1 + (i * 7919) % 15_000;
        text += &format!("{FILE}\t{offset}\t{length}\n");
        offset += length;
    }
    assert!(offset <= FILE_LEN);
    Plan::parse(
        text.as_bytes(),
        &server.url(),
        concurrency,
        TIMEOUT,
        retries,
    )
    .unwrap()
}

fn expected(plan: &Plan) -> Vec<Vec<u8>> {
    let (_, data) = root();
    plan.ranges
        .iter()
        .map(|r| data[r.start as usize..=r.end as usize].to_vec())
        .collect()
}

/// Runs every variant at concurrency 1 and 8 and hands each result to `check`.
fn each_variant(
    server: &Server,
    retries: u32,
    check: impl Fn(&str, &Plan, Result<Vec<Vec<u8>>, FetchError>),
) {
    for (name, fetch) in VARIANTS {
        for concurrency in [1, 8] {
            let plan = plan(server, concurrency, retries);
            check(&format!("{name} c={concurrency}"), &plan, fetch(&plan));
        }
    }
}

fn expect_error(
    kind: Kind,
    index: usize,
) -> impl Fn(&str, &Plan, Result<Vec<Vec<u8>>, FetchError>) {
    move |variant, _plan, result| match result {
        Err(e) => {
            assert_eq!((e.kind, e.index), (kind, index), "{variant}: {e}");
            assert!(
                e.to_string().contains(&format!("at range {index} (")),
                "{variant}: {e}"
            );
        }
        Ok(_) => panic!("{variant}: fetched everything despite the fault"),
    }
}

#[test]
fn bodies_come_back_in_plan_order() {
    let server = serve(None);
    each_variant(&server, 0, |variant, plan, result| {
        let bodies = result.unwrap_or_else(|e| panic!("{variant}: {e}"));
        assert!(bodies == expected(plan), "{variant}: wrong bodies");
    });
}

#[test]
fn a_503_is_retried() {
    let server = serve(None);
    let at = plan(&server, 1, 0).ranges[3].start;
    for (name, fetch) in VARIANTS {
        // A fresh fault per variant: it fires once per range, then lets the retry through.
        let server = serve(fault(FaultMode::Unavailable, Some(at), Some(1)));
        let plan = plan(&server, 8, 1);
        let bodies = fetch(&plan).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(bodies == expected(&plan), "{name}: wrong bodies");
        assert_eq!(server.requests(), 41, "{name}: one retry, no more");
    }
}

#[test]
fn a_persistent_503_is_a_status_error_at_its_range() {
    let server = serve(None);
    let at = plan(&server, 1, 0).ranges[5].start;
    let server = serve(fault(FaultMode::Unavailable, Some(at), None));
    each_variant(&server, 2, expect_error(Kind::Status, 5));
}

#[test]
fn a_reset_or_short_body_is_incomplete() {
    let server = serve(None);
    let at = plan(&server, 1, 0).ranges[7].start;
    for mode in [FaultMode::Reset, FaultMode::Short] {
        let server = serve(fault(mode, Some(at), None));
        each_variant(&server, 1, expect_error(Kind::Incomplete, 7));
    }
}

#[test]
fn failures_everywhere_report_the_lowest_index() {
    let server = serve(fault(FaultMode::Reset, None, None));
    each_variant(&server, 0, expect_error(Kind::Incomplete, 0));
}

#[test]
fn a_stalled_body_times_out() {
    let server = serve(None);
    let at = plan(&server, 1, 0).ranges[2].start;
    let server = serve(fault(FaultMode::Stall, Some(at), None));
    for (name, fetch) in VARIANTS {
        for concurrency in [1, 8] {
            let plan = plan(&server, concurrency, 0);
            let started = Instant::now();
            let result = fetch(&plan);
            let took = started.elapsed();
            expect_error(Kind::Timeout, 2)(name, &plan, result);
            let limit = TIMEOUT + Duration::from_secs(1);
            assert!(
                took >= TIMEOUT && took < limit,
                "{name} c={concurrency}: {took:?}"
            );
        }
    }
}

#[test]
fn a_404_is_final_at_once() {
    let server = serve(None);
    for (name, fetch) in VARIANTS {
        let text = format!("{FILE}\t0\t10\nmissing.warc.gz\t0\t10\n");
        let plan = Plan::parse(text.as_bytes(), &server.url(), 1, TIMEOUT, 3).unwrap();
        let before = server.requests();
        let e = fetch(&plan).unwrap_err();
        assert_eq!((e.kind, e.index), (Kind::Status, 1), "{name}: {e}");
        assert!(e.detail.contains("404"), "{name}: {e}");
        assert_eq!(
            server.requests() - before,
            2,
            "{name}: a 404 must not be retried"
        );
    }
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let range = Range {
        url: format!("http://127.0.0.1:{port}/{FILE}"),
        start: 0,
        end: 9,
    };
    let plan = Plan {
        ranges: vec![range],
        concurrency: 1,
        timeout: TIMEOUT,
        retries: 1,
    };
    for (name, fetch) in VARIANTS {
        let e = fetch(&plan).unwrap_err();
        assert_eq!((e.kind, e.index), (Kind::Connect, 0), "{name}: {e}");
    }
}

/// With 20 ms per response, `concurrency` requests in flight should make close to
/// `concurrency / 20 ms` requests per second: the issue asks the pick for 0.85 of that ceiling
/// (the runners-up are printed). Timing, so not run by default:
/// `cargo test -p rust_impls --test fetch -- --ignored --nocapture`.
#[test]
#[ignore]
fn concurrency_hides_latency() {
    let (root, _) = root();
    let latency = Duration::from_millis(20);
    let server = Server::start(ServerConfig {
        latency,
        ..ServerConfig::new(root)
    })
    .unwrap();
    for (name, fetch) in VARIANTS {
        for concurrency in [16, 64] {
            let mut plan = plan(&server, concurrency, 0);
            let rounds = concurrency * 50 / plan.ranges.len() + 1;
            plan.ranges = plan
                .ranges
                .iter()
                .cycle()
                .take(rounds * plan.ranges.len())
                .cloned()
                .collect();
            let started = Instant::now();
            fetch(&plan).unwrap_or_else(|e| panic!("{name}: {e}"));
            let rate = plan.ranges.len() as f64 / started.elapsed().as_secs_f64();
            let ceiling = concurrency as f64 / latency.as_secs_f64();
            eprintln!(
                "{name} c={concurrency}: {rate:.0} req/s, {:.2} of the ceiling",
                rate / ceiling
            );
            if *name == VARIANTS[0].0 {
                let at_least = 0.85 * ceiling;
                assert!(rate >= at_least, "{name} c={concurrency}: {rate:.0} req/s");
            }
        }
    }
}
