//! The fetch task's local server, spoken to the way the tiers do: raw HTTP/1.1 over a
//! `TcpStream`, so what is checked is the bytes on the wire (status line, headers, body length).

use gluebench::serve::{Fault, FaultMode, Server, ServerConfig};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LEN: usize = 100_000;
const SECRET: &[u8] = b"the secret outside the served directory";

/// The served file's bytes: position-dependent, so an off-by-one range shows.
fn data() -> Vec<u8> {
    (0..LEN).map(|i| (i * 7 % 251) as u8).collect()
}

/// A fresh `served/` directory with `data.bin`, `sub/inner.bin`, a symlink that stays inside and
/// two that lead out, next to `outside/secret.txt`.
struct Fixture {
    dir: PathBuf,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        let served = dir.join("served");
        std::fs::create_dir_all(served.join("sub")).unwrap();
        std::fs::create_dir_all(dir.join("outside")).unwrap();
        std::fs::write(served.join("data.bin"), data()).unwrap();
        std::fs::write(served.join("sub/inner.bin"), b"inner").unwrap();
        std::fs::write(dir.join("outside/secret.txt"), SECRET).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(dir.join("outside/secret.txt"), served.join("link-out.txt")).unwrap();
            symlink(dir.join("outside"), served.join("link-dir")).unwrap();
            symlink("sub/inner.bin", served.join("link-in.bin")).unwrap();
        }
        Fixture { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.join("served")
    }

    fn start(&self, fault: Option<&str>, latency_ms: u64) -> Server {
        Server::start(ServerConfig {
            root: self.root(),
            latency: Duration::from_millis(latency_ms),
            fault: fault.map(|f| Fault::parse(f).unwrap()),
            retry_after_s: 3,
            ..ServerConfig::default()
        })
        .expect("server starts")
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A keep-alive connection and what it reads.
struct Client {
    reader: BufReader<TcpStream>,
}

#[derive(Debug)]
struct Head {
    status: u16,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn content_length(&self) -> usize {
        self.header("content-length")
            .expect("a Content-Length")
            .parse()
            .unwrap()
    }
}

impl Client {
    fn connect(server: &Server) -> Client {
        let stream = TcpStream::connect(server.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        Client {
            reader: BufReader::new(stream),
        }
    }

    fn send(&mut self, target: &str, range: Option<&str>) {
        let range = range.map_or(String::new(), |r| format!("Range: bytes={r}\r\n"));
        let req = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{range}\r\n");
        self.reader.get_mut().write_all(req.as_bytes()).unwrap();
    }

    fn head(&mut self) -> Head {
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line: {line:?}"));
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (n, v) = l.split_once(':').unwrap();
            headers.push((n.to_owned(), v.trim().to_owned()));
        }
        Head { status, headers }
    }

    /// A whole response, its body read to its Content-Length.
    fn get(&mut self, target: &str, range: Option<&str>) -> (Head, Vec<u8>) {
        self.send(target, range);
        let head = self.head();
        let mut body = vec![0; head.content_length()];
        self.reader.read_exact(&mut body).unwrap();
        (head, body)
    }

    /// Reads the body until the connection ends or goes quiet: the bytes, and how it ended.
    fn drain(&mut self) -> (Vec<u8>, std::io::Result<()>) {
        let mut body = Vec::new();
        let mut buf = [0; 8192];
        loop {
            match self.reader.read(&mut buf) {
                Ok(0) => return (body, Ok(())),
                Ok(n) => body.extend_from_slice(&buf[..n]),
                Err(e) => return (body, Err(e)),
            }
        }
    }
}

fn get(server: &Server, target: &str, range: Option<&str>) -> (Head, Vec<u8>) {
    Client::connect(server).get(target, range)
}

#[test]
fn a_range_is_206_with_the_inclusive_bytes_and_content_range() {
    let fx = Fixture::new("range");
    let server = fx.start(None, 0);
    let (head, body) = get(&server, "/data.bin", Some("100-199"));
    assert_eq!(head.status, 206);
    assert_eq!(head.header("content-range"), Some("bytes 100-199/100000"));
    assert_eq!(body, &data()[100..=199]);

    let (head, body) = get(&server, "/data.bin", Some("0-0"));
    assert_eq!(
        (head.status, body),
        (206, vec![data()[0]]),
        "the end is inclusive"
    );
    // Like Common Crawl's server: an end past the file is clamped, a start past it is 416.
    let (head, body) = get(&server, "/data.bin", Some("99990-200000"));
    assert_eq!(
        head.header("content-range"),
        Some("bytes 99990-99999/100000")
    );
    assert_eq!(body, &data()[99990..]);
    let (head, body) = get(&server, "/data.bin", Some("100000-100010"));
    assert_eq!(head.status, 416);
    assert_eq!(head.header("content-range"), Some("bytes */100000"));
    assert!(body.is_empty());
}

#[test]
fn no_range_is_200_with_content_length() {
    let fx = Fixture::new("whole");
    let server = fx.start(None, 0);
    let (head, body) = get(&server, "/data.bin", None);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("100000"));
    assert_eq!(head.header("content-range"), None);
    assert_eq!(body, data());
    std::fs::write(fx.root().join("empty.bin"), b"").unwrap();
    let (head, body) = get(&server, "/empty.bin", None);
    assert_eq!(
        (head.status, head.content_length(), body.len()),
        (200, 0, 0)
    );
}

#[test]
fn keep_alive_answers_several_requests_on_one_connection() {
    let fx = Fixture::new("keepalive");
    let server = fx.start(None, 0);
    let mut c = Client::connect(&server);
    for (range, want) in [("0-9", &data()[..10]), ("500-1499", &data()[500..1500])] {
        let (head, body) = c.get("/data.bin", Some(range));
        assert_eq!(head.status, 206);
        assert_eq!(body, want);
    }
    let (head, body) = c.get("/sub/inner.bin", None);
    assert_eq!((head.status, body.as_slice()), (200, &b"inner"[..]));
    assert_eq!(server.requests(), 3);
}

#[test]
fn binds_127_0_0_1_on_an_ephemeral_port() {
    let fx = Fixture::new("bind");
    let (a, b) = (fx.start(None, 0), fx.start(None, 0));
    for s in [&a, &b] {
        assert_eq!(s.addr().ip().to_string(), "127.0.0.1");
        assert_ne!(s.addr().port(), 0);
        assert_eq!(s.url(), format!("http://127.0.0.1:{}/", s.addr().port()));
    }
    assert_ne!(a.addr().port(), b.addr().port());
}

#[test]
fn a_missing_root_is_an_error_naming_it() {
    let err = Server::start(ServerConfig::new("/no/such/gluebench/dir"))
        .err()
        .expect("no server on a missing directory");
    assert!(err.to_string().contains("/no/such/gluebench/dir"), "{err}");
}

#[test]
fn nothing_outside_the_root_is_served() {
    let fx = Fixture::new("traversal");
    let server = fx.start(None, 0);
    let secret = fx.dir.join("outside/secret.txt");
    let absolute = secret.to_str().unwrap();
    let targets = [
        "/../outside/secret.txt".to_owned(),
        "/sub/../../outside/secret.txt".to_owned(),
        "/%2e%2e/outside/secret.txt".to_owned(),
        "/%2E%2E%2Foutside%2Fsecret.txt".to_owned(),
        "/sub/%2e%2e%2f%2e%2e%2foutside/secret.txt".to_owned(),
        "/..%2Foutside/secret.txt".to_owned(),
        format!("/{absolute}"), // "//tmp/..."
        format!("/%2F{}", &absolute[1..]),
        "//data.bin".to_owned(), // ServeDir alone would trim the slashes and serve it
        "/..\\outside\\secret.txt".to_owned(),
        "/..%5Coutside%5Csecret.txt".to_owned(),
        "/sub%5C..%5C..%5Coutside%5Csecret.txt".to_owned(),
        "/link-out.txt".to_owned(),        // a symlink to a file outside
        "/link-dir/secret.txt".to_owned(), // through a symlink to a directory outside
        "http://127.0.0.1/../outside/secret.txt".to_owned(), // absolute-form request target
    ];
    // One connection for all: a refusal must not cost the keep-alive connection.
    let mut c = Client::connect(&server);
    for target in &targets {
        let (head, body) = c.get(target, None);
        assert_eq!(head.status, 404, "{target}");
        assert!(!body.windows(SECRET.len()).any(|w| w == SECRET), "{target}");
    }
    // Symlinks as such are fine while they stay inside.
    let (head, body) = get(&server, "/link-in.bin", None);
    assert_eq!((head.status, body.as_slice()), (200, &b"inner"[..]));
}

#[test]
fn unavailable_is_503_with_retry_after() {
    let fx = Fixture::new("503");
    let server = fx.start(Some("503"), 0);
    let mut c = Client::connect(&server);
    for _ in 0..2 {
        let (head, body) = c.get("/data.bin", Some("0-99"));
        assert_eq!(head.status, 503);
        assert_eq!(head.header("retry-after"), Some("3"));
        assert!(!body.is_empty() && body.len() < 200);
    }
    assert_eq!(server.requests(), 2);
}

#[test]
fn times_counts_per_path_and_range_start() {
    let fx = Fixture::new("times");
    let server = fx.start(Some("503x1"), 0);
    let mut c = Client::connect(&server);
    let mut status = |target, range| c.get(target, Some(range)).0.status;
    assert_eq!(status("/data.bin", "0-99"), 503);
    assert_eq!(
        status("/data.bin", "0-99"),
        206,
        "fired once for this range, then served"
    );
    assert_eq!(
        status("/data.bin", "0-50"),
        206,
        "same path and start: already fired"
    );
    assert_eq!(
        status("/data.bin", "100-199"),
        503,
        "another start counts on its own"
    );
    assert_eq!(status("/sub/inner.bin", "0-1"), 503, "another path too");
    assert_eq!(status("/sub/inner.bin", "0-1"), 206);
}

#[test]
fn at_limits_the_fault_to_one_range_start() {
    let fx = Fixture::new("at");
    let server = fx.start(Some("503@100"), 0);
    let mut c = Client::connect(&server);
    assert_eq!(c.get("/data.bin", Some("0-99")).0.status, 206);
    assert_eq!(c.get("/data.bin", Some("100-199")).0.status, 503);
    assert_eq!(c.get("/data.bin", Some("101-199")).0.status, 206);
    assert_eq!(
        c.get("/data.bin", None).0.status,
        200,
        "no Range starts at 0"
    );
}

/// Asks for 50,000 bytes and returns the head and what arrived before the connection ended.
fn cut_response(server: &Server) -> (Head, Vec<u8>, std::io::Result<()>) {
    let mut c = Client::connect(server);
    c.send("/data.bin", Some("10000-59999"));
    let head = c.head();
    let (body, end) = c.drain();
    (head, body, end)
}

#[test]
fn reset_sends_about_half_then_resets_the_connection() {
    let fx = Fixture::new("reset");
    let server = fx.start(Some("reset"), 0);
    let (head, body, end) = cut_response(&server);
    assert_eq!((head.status, head.content_length()), (206, 50_000));
    assert!(body.len() < 50_000, "{} bytes", body.len());
    assert_eq!(
        body,
        &data()[10_000..10_000 + body.len()],
        "what came is right"
    );
    assert_eq!(end.unwrap_err().kind(), ErrorKind::ConnectionReset);
}

#[test]
fn short_sends_fewer_bytes_than_content_length_then_closes() {
    let fx = Fixture::new("short");
    let server = fx.start(Some("short"), 0);
    let (head, body, end) = cut_response(&server);
    assert_eq!((head.status, head.content_length()), (206, 50_000));
    assert_eq!(body.len(), 25_000);
    assert_eq!(body, &data()[10_000..35_000]);
    assert!(end.is_ok(), "a clean close (EOF), not a reset: {end:?}");
}

#[test]
fn body_faults_honour_times_and_at() {
    let fx = Fixture::new("body-times");
    let server = fx.start(Some("reset@10000x1"), 0);
    let (head, _) = get(&server, "/missing.bin", Some("10000-59999"));
    assert_eq!(head.status, 404, "nothing to cut: the fault is not used up");
    let (_, body, end) = cut_response(&server);
    assert!(body.len() < 50_000 && end.is_err());
    let (head, body) = get(&server, "/data.bin", Some("10000-59999"));
    assert_eq!(
        (head.status, body.as_slice()),
        (206, &data()[10_000..60_000])
    );
    let (head, body) = get(&server, "/data.bin", Some("0-99"));
    assert_eq!(
        (head.status, body.len()),
        (206, 100),
        "@10000: other starts are served"
    );
}

#[test]
fn stall_keeps_the_connection_open_and_drop_still_returns() {
    let fx = Fixture::new("stall");
    let server = fx.start(Some("stall"), 0);
    let mut c = Client::connect(&server);
    c.send("/data.bin", Some("10000-59999"));
    let head = c.head();
    assert_eq!(head.content_length(), 50_000);
    c.reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let (body, end) = c.drain();
    assert!(
        !body.is_empty() && body.len() < 50_000,
        "{} bytes",
        body.len()
    );
    let kind = end.unwrap_err().kind();
    assert!(
        matches!(kind, ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{kind:?}"
    );

    let t = Instant::now();
    drop(server);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "drop took {:?}",
        t.elapsed()
    );
    c.reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let (rest, end) = c.drain();
    assert!(rest.is_empty(), "nothing more after the stall");
    if let Err(e) = end {
        assert!(
            !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
            "still open after drop: {e}"
        );
    }
}

#[test]
fn drop_closes_idle_keep_alive_connections() {
    let fx = Fixture::new("idle");
    let server = fx.start(None, 0);
    let mut c = Client::connect(&server);
    assert_eq!(c.get("/data.bin", Some("0-9")).0.status, 206);
    let t = Instant::now();
    drop(server);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "drop took {:?}",
        t.elapsed()
    );
    assert!(c.drain().0.is_empty());
}

#[test]
fn latency_delays_each_response() {
    let fx = Fixture::new("latency");
    let server = fx.start(None, 50);
    let mut c = Client::connect(&server);
    for range in ["0-9", "10-19"] {
        let t = Instant::now();
        assert_eq!(c.get("/data.bin", Some(range)).0.status, 206);
        assert!(
            t.elapsed() >= Duration::from_millis(50),
            "{:?}",
            t.elapsed()
        );
    }
}

#[test]
fn fault_spec_parses_the_documented_examples() {
    let f = Fault::parse("503@1234x1").unwrap();
    assert_eq!(
        (f.mode, f.at, f.times),
        (FaultMode::Unavailable, Some(1234), Some(1))
    );
    assert!(Fault::parse("explode")
        .unwrap_err()
        .contains("MODE[@OFFSET][xTIMES]"));
}

#[test]
fn serve_command_prints_the_url_and_serves() {
    let fx = Fixture::new("cli");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gluebench"))
        .args(["serve", fx.root().to_str().unwrap(), "--latency-ms", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim_end().to_owned();
    let result = std::panic::catch_unwind(|| {
        let port = url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|p| p.strip_suffix('/'))
            .unwrap_or_else(|| panic!("not the URL line: {url:?}"));
        let mut s = TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).unwrap();
        s.write_all(
            b"GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("HTTP/1.1 206"), "{text}");
        assert!(out.ends_with(&data()[..5]));
    });
    child.kill().unwrap();
    child.wait().unwrap();
    result.unwrap();
}

#[test]
fn serve_command_on_a_missing_dir_exits_2_naming_it() {
    let out = Command::new(env!("CARGO_BIN_EXE_gluebench"))
        .args(["serve", "/no/such/gluebench/dir"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/gluebench/dir"), "{err}");
    assert!(out.stdout.is_empty());
    let bad = Command::new(env!("CARGO_BIN_EXE_gluebench"))
        .args(["serve", "/tmp", "--fault", "boom"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn capacity_is_measured_with_wrk_or_oha_when_installed() {
    let fx = Fixture::new("capacity");
    let server = fx.start(None, 0);
    let url = format!("{}data.bin", server.url());
    match gluebench::serve::load_generator() {
        Some(_) => {
            let cap = gluebench::serve::measure_capacity(&url, (0, 24_999), 4, 1).unwrap();
            assert!(cap.requests_per_s > 100.0, "{cap:?}");
            assert!(server.requests() > 100);
        }
        None => {
            let err = gluebench::serve::measure_capacity(&url, (0, 24_999), 4, 1).unwrap_err();
            assert!(err.contains("apt-get install wrk"), "{err}");
        }
    }
    // A range past the end makes every answer a 416: an error, not a capacity.
    if gluebench::serve::load_generator().is_some() {
        let err = gluebench::serve::measure_capacity(&url, (LEN as u64, LEN as u64 + 10), 2, 1)
            .unwrap_err();
        assert!(err.contains("Non-2xx"), "{err}");
    }
}

/// The capacity number the fetch task reports, on a real generated WARC: 25 KB ranges, 64
/// connections, wrk on one thread. Ignored by default (it loads a core for 5 s):
/// `cargo test --release --test serve -- --ignored --nocapture capacity_on_a_generated_warc`
#[test]
#[ignore]
fn capacity_on_a_generated_warc() {
    let warc = gluebench_datasets::ensure("warc-00000").expect("the warc-00000 dataset");
    let dir = warc.path.parent().unwrap();
    let server = Server::start(ServerConfig::new(dir)).unwrap();
    let name = warc.path.file_name().unwrap().to_str().unwrap();
    let url = format!("{}{name}", server.url());
    let cap = gluebench::serve::measure_capacity(&url, (1_000_000, 1_024_999), 64, 5).unwrap();
    println!(
        "{:.0} req/s of 25 KB ranges ({} {}, 64 connections, 1 thread)",
        cap.requests_per_s, cap.tool, cap.version
    );
}
