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

/// A minimal HTTP/1.1 range server with `gluebench::serve`'s API and fault modes (keep-alive,
/// `Range: bytes=a-b` → 206, 416 past the end, 404), one thread per connection. A test fixture,
/// not a server: it trusts its client and serves only the files of its root by name.
mod fixture {
    use std::collections::HashMap;
    use std::io::{BufRead, BufReader, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum FaultMode {
        Unavailable,
        Reset,
        Stall,
        Short,
    }

    #[derive(Clone, Debug)]
    pub struct Fault {
        pub mode: FaultMode,
        pub at: Option<u64>,
        pub times: Option<u32>,
    }

    pub struct ServerConfig {
        pub root: PathBuf,
        pub latency: Duration,
        pub fault: Option<Fault>,
        pub retry_after_s: u64,
    }

    impl ServerConfig {
        pub fn new(root: impl Into<PathBuf>) -> Self {
            ServerConfig {
                root: root.into(),
                latency: Duration::ZERO,
                fault: None,
                retry_after_s: 1,
            }
        }
    }

    struct Shared {
        config: ServerConfig,
        stop: AtomicBool,
        requests: AtomicU64,
        fired: Mutex<HashMap<(String, u64), u32>>,
    }

    pub struct Server {
        addr: SocketAddr,
        shared: Arc<Shared>,
    }

    impl Server {
        pub fn start(config: ServerConfig) -> std::io::Result<Server> {
            let listener = TcpListener::bind("127.0.0.1:0")?;
            let addr = listener.local_addr()?;
            let shared = Arc::new(Shared {
                config,
                stop: AtomicBool::new(false),
                requests: AtomicU64::new(0),
                fired: Mutex::new(HashMap::new()),
            });
            let accepting = shared.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if accepting.stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let shared = accepting.clone();
                    std::thread::spawn(move || {
                        let _ = serve_connection(&shared, stream?);
                        Ok::<_, std::io::Error>(())
                    });
                }
            });
            Ok(Server { addr, shared })
        }

        pub fn url(&self) -> String {
            format!("http://{}", self.addr)
        }

        pub fn requests(&self) -> u64 {
            self.shared.requests.load(Ordering::SeqCst)
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.shared.stop.store(true, Ordering::Relaxed);
            let _ = TcpStream::connect(self.addr); // wakes the accept loop
        }
    }

    fn serve_connection(shared: &Shared, stream: TcpStream) -> std::io::Result<()> {
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut out = stream;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let path = line
                .split(' ')
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/')
                .to_string();
            let mut range = None;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header)?;
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                if let Some((name, value)) = header.split_once(':') {
                    if name.eq_ignore_ascii_case("range") {
                        let (a, b) = value
                            .trim()
                            .trim_start_matches("bytes=")
                            .split_once('-')
                            .unwrap();
                        range = Some((a.parse::<u64>().unwrap(), b.parse::<u64>().unwrap()));
                    }
                }
            }
            shared.requests.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(shared.config.latency);
            let data = match std::fs::read(shared.config.root.join(&path)) {
                Ok(data) if !path.contains("..") => data,
                _ => {
                    out.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")?;
                    continue;
                }
            };
            let (start, end) = range.unwrap_or((0, data.len() as u64 - 1));
            if start >= data.len() as u64 {
                out.write_all(b"HTTP/1.1 416 Range Not Satisfiable\r\ncontent-length: 0\r\n\r\n")?;
                continue;
            }
            let body = &data[start as usize..=(end as usize).min(data.len() - 1)];
            let head = format!(
                "HTTP/1.1 206 Partial Content\r\ncontent-length: {}\r\ncontent-range: bytes {start}-{}/{}\r\n\r\n",
                body.len(),
                start + body.len() as u64 - 1,
                data.len()
            );
            let half = &body[..body.len() / 2];
            match fault_for(shared, &path, start) {
                None => {
                    out.write_all(head.as_bytes())?;
                    out.write_all(body)?;
                }
                Some(FaultMode::Unavailable) => {
                    let retry = shared.config.retry_after_s;
                    let answer = format!("HTTP/1.1 503 Service Unavailable\r\nretry-after: {retry}\r\ncontent-length: 4\r\n\r\nbusy");
                    out.write_all(answer.as_bytes())?;
                }
                Some(FaultMode::Short) => {
                    out.write_all(head.as_bytes())?;
                    return out.write_all(half);
                }
                Some(FaultMode::Reset) => {
                    out.write_all(head.as_bytes())?;
                    out.write_all(half)?;
                    // SO_LINGER 0: closing sends a TCP reset instead of a FIN.
                    let linger = libc::linger {
                        l_onoff: 1,
                        l_linger: 0,
                    };
                    let fd = std::os::fd::AsRawFd::as_raw_fd(&out);
                    // SAFETY: a valid socket and a correctly sized option value.
                    unsafe {
                        libc::setsockopt(
                            fd,
                            libc::SOL_SOCKET,
                            libc::SO_LINGER,
                            (&linger as *const libc::linger).cast(),
                            size_of::<libc::linger>() as u32,
                        );
                    }
                    return Ok(());
                }
                Some(FaultMode::Stall) => {
                    out.write_all(head.as_bytes())?;
                    out.write_all(half)?;
                    while !shared.stop.load(Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    return Ok(());
                }
            }
        }
    }

    /// The configured fault, if it hits this request (and has fired fewer than `times` times).
    fn fault_for(shared: &Shared, path: &str, start: u64) -> Option<FaultMode> {
        let fault = shared.config.fault.as_ref()?;
        if fault.at.is_some_and(|at| at != start) {
            return None;
        }
        let mut fired = shared.fired.lock().unwrap();
        let count = fired.entry((path.to_string(), start)).or_insert(0);
        if fault.times.is_some_and(|times| *count >= times) {
            return None;
        }
        *count += 1;
        Some(fault.mode)
    }
}
