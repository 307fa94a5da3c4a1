//! `fetch`: HTTP range requests to a real server, as a Common Crawl job makes them.
//!
//! Each range of the [`Plan`] is one `GET` with `Range: bytes=start-end` (inclusive end),
//! answered `206 Partial Content` with exactly `end - start + 1` bytes; the result is every
//! body in plan order, whatever order the requests completed in.
//!
//! The one retry and timeout policy (the same in every tier, see `py_impls/fetch/__init__.py`)
//! lives here once (`Failure`, `Plan::pause_before_retry`, `Body`, `Collected`); each variant
//! only makes attempts and classifies what its client reports:
//!
//! * an attempt may wait `timeout` to connect and then `timeout` for each read: a stalled
//!   body ends in [`Kind::Timeout`], it never hangs;
//! * 503 and 429 (after `Retry-After` seconds, at most [`MAX_RETRY_AFTER`]), connection
//!   failures, incomplete bodies and timeouts are retried up to `retries` times per range;
//!   any other status but 206 is final at once (a 200 means the Range header was ignored);
//! * a 206 body must be exactly the range's length, else [`Kind::Incomplete`];
//! * with several requests in flight, the lowest failing index is reported: after a failure no
//!   new range is started, and the ones in flight (every lower index among them) finish.
//!
//! The pick is reqwest on tokio, `concurrency` requests in flight on one task; the runners-up
//! are blocking ureq on `concurrency` OS threads (what a thread pool buys without async) and
//! hyper-util's client without reqwest's layers (what those layers cost).

use futures_util::stream::{self, StreamExt};
use http_body_util::BodyExt;
use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// A longer `Retry-After` is waited for this long (the spec's `MAX_RETRY_AFTER`).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(2);
/// The pause before retrying a 503/429 whose `Retry-After` is missing or a date.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_millis(100);

/// One range request: `url` and an inclusive byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    pub url: String,
    pub start: u64,
    pub end: u64,
}

impl Range {
    /// The length a 206 body must have. Panics if `end < start` (a bug of whoever built the
    /// range: [`Plan::parse`] never does).
    pub fn len(&self) -> u64 {
        assert!(
            self.end >= self.start,
            "{self:?}: the end (inclusive) is before the start"
        );
        self.end - self.start + 1
    }

    pub fn is_empty(&self) -> bool {
        false // an inclusive range holds at least one byte
    }

    fn header(&self) -> String {
        format!("bytes={}-{}", self.start, self.end)
    }
}

/// What to fetch and how: the ranges in index order and the policy's knobs.
#[derive(Debug, Clone)]
pub struct Plan {
    pub ranges: Vec<Range>,
    /// Requests in flight at once (1: one at a time).
    pub concurrency: usize,
    /// How long an attempt may wait to connect, and then for each read.
    pub timeout: Duration,
    /// How many times a failed attempt is retried, per range.
    pub retries: u32,
}

impl Plan {
    /// `ranges` text: one `PATH\tOFFSET\tLENGTH\n` per line, PATH relative to `base_url`
    /// (blank lines are skipped).
    pub fn parse(
        ranges: &[u8],
        base_url: &str,
        concurrency: usize,
        timeout: Duration,
        retries: u32,
    ) -> Result<Plan, String> {
        if !base_url.starts_with("http://") {
            return Err(format!(
                "base URL {base_url:?}: only http:// URLs are supported (this build has no TLS)"
            ));
        }
        if concurrency == 0 {
            return Err("concurrency must be at least 1 (1: one request at a time)".into());
        }
        let text = std::str::from_utf8(ranges)
            .map_err(|e| format!("the ranges file is not UTF-8: {e}"))?;
        let base = base_url.trim_end_matches('/');
        let mut parsed = Vec::new();
        for (number, line) in text.lines().enumerate() {
            if line.is_empty() {
                continue;
            }
            let bad = |why: &str| {
                format!(
                    "ranges line {}: {why}; expected PATH<TAB>OFFSET<TAB>LENGTH, got {line:?}",
                    number + 1
                )
            };
            let mut fields = line.split('\t');
            let (Some(path), Some(offset), Some(length), None) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                return Err(bad("not three tab-separated fields"));
            };
            let start: u64 = offset.parse().map_err(|_| bad("OFFSET is not a number"))?;
            let length: u64 = length.parse().map_err(|_| bad("LENGTH is not a number"))?;
            if length == 0 {
                return Err(bad("LENGTH is 0 (a range request cannot ask for no bytes)"));
            }
            let end = start
                .checked_add(length - 1)
                .ok_or_else(|| bad("OFFSET + LENGTH overflows"))?;
            let url = format!("{base}/{}", path.trim_start_matches('/'));
            parsed.push(Range { url, start, end });
        }
        Ok(Plan {
            ranges: parsed,
            concurrency,
            timeout,
            retries,
        })
    }

    /// The policy after attempt number `attempt` (0-based) of range `index` failed: the pause
    /// before the next attempt, or the range's final error.
    fn pause_before_retry(
        &self,
        index: usize,
        attempt: u32,
        failure: Failure,
    ) -> Result<Duration, FetchError> {
        match failure.retry_after {
            Some(pause) if attempt < self.retries => Ok(pause),
            _ => {
                let r = &self.ranges[index];
                Err(FetchError {
                    kind: failure.kind,
                    index,
                    url: r.url.clone(),
                    start: r.start,
                    end: r.end,
                    detail: failure.detail,
                })
            }
        }
    }
}

/// Why a range could not be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Could not connect.
    Connect,
    /// The connection broke, or the body was not exactly the range's length.
    Incomplete,
    /// The server was silent for `timeout` (connecting, or at a read).
    Timeout,
    /// Not a 206.
    Status,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Connect => "connect",
            Kind::Incomplete => "incomplete",
            Kind::Timeout => "timeout",
            Kind::Status => "status",
        }
    }
}

/// A range whose last attempt failed; `index` is its 0-based position in the plan.
#[derive(Debug, Clone)]
pub struct FetchError {
    pub kind: Kind,
    pub index: usize,
    pub url: String,
    pub start: u64,
    pub end: u64,
    pub detail: String,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at range {} ({} bytes={}-{}): {}",
            self.kind.as_str(),
            self.index,
            self.url,
            self.start,
            self.end,
            self.detail
        )
    }
}

impl std::error::Error for FetchError {}

pub type Fetcher = fn(&Plan) -> Result<Vec<Vec<u8>>, FetchError>;

/// Every Rust implementation of the task, the tier's pick first.
pub const VARIANTS: &[(&str, Fetcher)] = &[
    ("reqwest", fetch),
    ("ureq-threads", fetch_ureq_threads),
    ("hyper", fetch_hyper),
];

// ---------------------------------------------------------------- the shared policy

/// One failed attempt: its kind, what happened, and the pause before a retry (`None`: final).
#[derive(Debug)]
struct Failure {
    kind: Kind,
    detail: String,
    retry_after: Option<Duration>,
}

impl Failure {
    /// A failure the policy retries at once (connect, incomplete, timeout).
    fn retry(kind: Kind, detail: impl fmt::Display) -> Failure {
        let detail = detail.to_string();
        Failure {
            kind,
            detail,
            retry_after: Some(Duration::ZERO),
        }
    }

    /// Checks the status line: 206 goes on to the body; 503/429 are retried after their
    /// `Retry-After` (the header's value, if any); anything else is final.
    fn check_status(status: u16, retry_after: Option<&[u8]>) -> Result<(), Failure> {
        let detail = format!("HTTP {status}, expected 206 Partial Content");
        match status {
            206 => Ok(()),
            503 | 429 => Err(Failure {
                kind: Kind::Status,
                detail,
                retry_after: Some(parse_retry_after(retry_after)),
            }),
            200 => Err(Failure {
                kind: Kind::Status,
                detail: format!("{detail} (the server ignored the Range header)"),
                retry_after: None,
            }),
            _ => Err(Failure {
                kind: Kind::Status,
                detail,
                retry_after: None,
            }),
        }
    }
}

/// `Retry-After` in seconds, clamped to 0..=[`MAX_RETRY_AFTER`]; missing or a date: 100 ms.
fn parse_retry_after(value: Option<&[u8]>) -> Duration {
    value
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite())
        .map_or(DEFAULT_RETRY_AFTER, |s| {
            Duration::from_secs_f64(s.max(0.0)).min(MAX_RETRY_AFTER)
        })
}

/// A 206 body being received: it must come to exactly `want` bytes, never fewer, never more.
struct Body {
    data: Vec<u8>,
    want: usize,
}

impl Body {
    fn new(range: &Range) -> Body {
        let want = range.len() as usize;
        Body {
            data: Vec::with_capacity(want),
            want,
        }
    }

    fn push(&mut self, chunk: &[u8]) -> Result<(), Failure> {
        if self.data.len() + chunk.len() > self.want {
            return Err(self.wrong_length(self.data.len() + chunk.len(), "at least "));
        }
        self.data.extend_from_slice(chunk);
        Ok(())
    }

    fn finish(self) -> Result<Vec<u8>, Failure> {
        if self.data.len() != self.want {
            return Err(self.wrong_length(self.data.len(), ""));
        }
        Ok(self.data)
    }

    fn wrong_length(&self, got: usize, qualifier: &str) -> Failure {
        let detail = format!("body of {qualifier}{got} bytes, expected {}", self.want);
        Failure::retry(Kind::Incomplete, detail)
    }
}

/// Bodies in plan order, and the failure with the lowest index, as results come in any order.
struct Collected {
    bodies: Vec<Vec<u8>>,
    error: Option<FetchError>,
}

impl Collected {
    fn new(n: usize) -> Collected {
        Collected {
            bodies: vec![Vec::new(); n],
            error: None,
        }
    }

    fn add(&mut self, index: usize, result: Result<Vec<u8>, FetchError>) {
        match result {
            Ok(body) => self.bodies[index] = body,
            Err(e)
                if self
                    .error
                    .as_ref()
                    .is_none_or(|first| e.index < first.index) =>
            {
                self.error = Some(e)
            }
            Err(_) => {}
        }
    }

    fn finish(self) -> Result<Vec<Vec<u8>>, FetchError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.bodies),
        }
    }
}

/// Runs `attempt` under the policy for every range, `plan.concurrency` at a time, on one
/// tokio task (a fresh current-thread runtime per call: see [`runtime`]).
fn run_async<'a, F, Fut>(plan: &'a Plan, attempt: F) -> Result<Vec<Vec<u8>>, FetchError>
where
    F: Fn(&'a Range) -> Fut,
    Fut: Future<Output = Result<Vec<u8>, Failure>>,
{
    let attempt = &attempt;
    let one = move |index: usize| async move {
        let mut tries = 0;
        let result = loop {
            match attempt(&plan.ranges[index]).await {
                Ok(body) => break Ok(body),
                Err(failure) => match plan.pause_before_retry(index, tries, failure) {
                    Ok(pause) => tokio::time::sleep(pause).await,
                    Err(e) => break Err(e),
                },
            }
            tries += 1;
        };
        (index, result)
    };
    let failed = Cell::new(false);
    let mut collected = Collected::new(plan.ranges.len());
    runtime().block_on(async {
        // Indices are started in order, so once one fails every lower one is already in flight.
        let indices = (0..plan.ranges.len()).take_while(|_| !failed.get());
        let mut results = stream::iter(indices)
            .map(one)
            .buffer_unordered(plan.concurrency.max(1));
        while let Some((index, result)) = results.next().await {
            failed.set(failed.get() || result.is_err());
            collected.add(index, result);
        }
    });
    collected.finish()
}

/// A current-thread runtime per call: the client's connection tasks and the requests then
/// share one thread (no cross-thread wake-ups per request, the server keeps the other core),
/// calls from several threads run in parallel, and nothing outlives the call (no runtime
/// threads to break a `fork()`ing caller such as a Python process pool). The runtime and the
/// client cost about 20 us per call, the price of a single request. Measured on 2,000 ranges,
/// it also takes the least CPU per request: 25 us at 16 in flight, against 34 us for a
/// two-worker runtime, whose connection tasks and requests wake each other across threads.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("cannot start a tokio runtime: out of file descriptors or memory?")
}

/// Waits at most `timeout` for `future`, the per-read timeout of the hyper variant.
async fn within<T>(timeout: Duration, future: impl Future<Output = T>) -> Result<T, Failure> {
    tokio::time::timeout(timeout, future).await.map_err(|_| {
        let detail = format!("no answer from the server within {timeout:?}");
        Failure::retry(Kind::Timeout, detail)
    })
}

// ---------------------------------------------------------------- reqwest (the pick)

/// The pick: async reqwest, `concurrency` requests in flight, one client (keep-alive pool) per
/// call. reqwest's `read_timeout` restarts at every read, which is exactly the policy's.
pub fn fetch(plan: &Plan) -> Result<Vec<Vec<u8>>, FetchError> {
    let client = reqwest::Client::builder()
        .connect_timeout(plan.timeout)
        .read_timeout(plan.timeout)
        .no_proxy()
        // The policy: any status but 206 (a redirect too) is final, as in the other variants.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| plan_error(plan, format!("cannot build the reqwest client: {e}")))?;
    run_async(plan, |range| {
        let request = client
            .get(&range.url)
            .header(reqwest::header::RANGE, range.header());
        async move {
            let mut response = request.send().await.map_err(reqwest_failure)?;
            let retry_after = response.headers().get(reqwest::header::RETRY_AFTER);
            Failure::check_status(
                response.status().as_u16(),
                retry_after.map(|v| v.as_bytes()),
            )?;
            let mut body = Body::new(range);
            while let Some(chunk) = response.chunk().await.map_err(reqwest_failure)? {
                body.push(&chunk)?;
            }
            body.finish()
        }
    })
}

fn reqwest_failure(e: reqwest::Error) -> Failure {
    let kind = if e.is_timeout() {
        Kind::Timeout
    } else if e.is_connect() {
        Kind::Connect
    } else {
        Kind::Incomplete
    };
    // reqwest's Display is only the outermost layer ("error sending request"): add the causes.
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        detail = format!("{detail}: {cause}");
        source = cause.source();
    }
    Failure::retry(kind, detail)
}

/// An error that is no range's fault (a client that cannot be built) reported at range 0.
fn plan_error(plan: &Plan, detail: String) -> FetchError {
    let (url, start, end) = plan
        .ranges
        .first()
        .map_or((String::new(), 0, 0), |r| (r.url.clone(), r.start, r.end));
    FetchError {
        kind: Kind::Connect,
        index: 0,
        url,
        start,
        end,
        detail,
    }
}

// ---------------------------------------------------------------- hyper

/// hyper-util's pooled client straight on hyper, without reqwest's layers (URL parsing,
/// redirects, its timeout futures): the timeouts are `tokio::time::timeout` around the
/// response and each body frame.
pub fn fetch_hyper(plan: &Plan) -> Result<Vec<Vec<u8>>, FetchError> {
    use hyper_util::client::legacy::{connect::HttpConnector, Client};
    let mut connector = HttpConnector::new();
    connector.set_connect_timeout(Some(plan.timeout));
    connector.set_nodelay(true);
    let client: Client<_, http_body_util::Empty<&[u8]>> =
        Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
    run_async(plan, |range| {
        let client = &client;
        async move {
            let request = hyper::Request::get(range.url.as_str())
                .header(hyper::header::RANGE, range.header())
                .body(http_body_util::Empty::new())
                .map_err(|e| Failure {
                    kind: Kind::Connect,
                    detail: format!("not a valid request URL: {e}"),
                    retry_after: None,
                })?;
            let response = within(plan.timeout, client.request(request))
                .await?
                .map_err(|e| {
                    let kind = if e.is_connect() {
                        Kind::Connect
                    } else {
                        Kind::Incomplete
                    };
                    Failure::retry(kind, error_chain(&e))
                })?;
            let retry_after = response.headers().get(hyper::header::RETRY_AFTER);
            Failure::check_status(
                response.status().as_u16(),
                retry_after.map(|v| v.as_bytes()),
            )?;
            let mut body = Body::new(range);
            let mut incoming = response.into_body();
            while let Some(frame) = within(plan.timeout, incoming.frame()).await? {
                let frame = frame.map_err(|e| Failure::retry(Kind::Incomplete, error_chain(&e)))?;
                if let Some(chunk) = frame.data_ref() {
                    body.push(chunk)?;
                }
            }
            body.finish()
        }
    })
}

/// An error and its causes, `outer: inner: ...` (hyper's own Display is only the outer one).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut detail = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        detail = format!("{detail}: {cause}");
        source = cause.source();
    }
    detail
}

// ---------------------------------------------------------------- ureq on threads

/// Blocking ureq 3 on `concurrency` OS threads that take the next index from a shared counter,
/// one `Agent` (its keep-alive pool) per call. ureq's `timeout_per_read` restarts at every
/// read, as the policy says.
pub fn fetch_ureq_threads(plan: &Plan) -> Result<Vec<Vec<u8>>, FetchError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(plan.timeout))
        .timeout_per_read(Some(plan.timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        // The default pool keeps 3 idle connections per host: with more threads than that,
        // every request beyond them would open a new connection.
        .max_idle_connections(plan.concurrency)
        .max_idle_connections_per_host(plan.concurrency)
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let collected = Mutex::new(Collected::new(plan.ranges.len()));
    let worker = || loop {
        // Indices are taken in order, so once one fails every lower one is already taken.
        let index = next.fetch_add(1, Ordering::Relaxed);
        if index >= plan.ranges.len() || failed.load(Ordering::Relaxed) {
            return;
        }
        let result = run_blocking(plan, index, |range| ureq_attempt(&agent, range));
        failed.fetch_or(result.is_err(), Ordering::Relaxed);
        collected.lock().unwrap().add(index, result);
    };
    let threads = plan.concurrency.min(plan.ranges.len()).max(1);
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(worker);
        }
        worker();
    });
    collected.into_inner().unwrap().finish()
}

/// The policy's retry loop for a blocking client.
fn run_blocking(
    plan: &Plan,
    index: usize,
    attempt: impl Fn(&Range) -> Result<Vec<u8>, Failure>,
) -> Result<Vec<u8>, FetchError> {
    let mut tries = 0;
    loop {
        match attempt(&plan.ranges[index]) {
            Ok(body) => return Ok(body),
            Err(failure) => std::thread::sleep(plan.pause_before_retry(index, tries, failure)?),
        }
        tries += 1;
    }
}

fn ureq_attempt(agent: &ureq::Agent, range: &Range) -> Result<Vec<u8>, Failure> {
    let mut response = agent
        .get(&range.url)
        .header("Range", range.header())
        .call()
        .map_err(ureq_failure)?;
    let retry_after = response.headers().get("retry-after");
    Failure::check_status(
        response.status().as_u16(),
        retry_after.map(|v| v.as_bytes()),
    )?;
    let mut body = Body::new(range);
    let mut reader = response.body_mut().as_reader();
    let mut buf = [0u8; 64 * 1024];
    loop {
        match std::io::Read::read(&mut reader, &mut buf) {
            Ok(0) => return body.finish(),
            Ok(n) => body.push(&buf[..n])?,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ureq_failure(ureq::Error::from(e))),
        }
    }
}

fn ureq_failure(e: ureq::Error) -> Failure {
    use std::io::ErrorKind as Io;
    let kind = match &e {
        ureq::Error::Timeout(_) => Kind::Timeout,
        ureq::Error::Io(io) if matches!(io.kind(), Io::TimedOut | Io::WouldBlock) => Kind::Timeout,
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => Kind::Connect,
        ureq::Error::Io(io)
            if matches!(io.kind(), Io::ConnectionRefused | Io::AddrNotAvailable) =>
        {
            Kind::Connect
        }
        _ => Kind::Incomplete,
    };
    Failure::retry(kind, error_chain(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn parse_makes_inclusive_ranges_under_the_base_url() {
        let text = b"a.warc.gz\t0\t10\n\nsub/b.warc.gz\t100\t1\r\n";
        let plan = Plan::parse(text, "http://127.0.0.1:8080/", 16, SECOND, 2).unwrap();
        assert_eq!(
            plan.ranges,
            [
                Range {
                    url: "http://127.0.0.1:8080/a.warc.gz".into(),
                    start: 0,
                    end: 9
                },
                Range {
                    url: "http://127.0.0.1:8080/sub/b.warc.gz".into(),
                    start: 100,
                    end: 100
                },
            ]
        );
        assert_eq!(plan.ranges[0].len(), 10);
        assert_eq!(
            (plan.concurrency, plan.timeout, plan.retries),
            (16, SECOND, 2)
        );
        let plan = Plan::parse(b"a\t5\t5", "http://h:1", 1, SECOND, 0).unwrap();
        assert_eq!(plan.ranges[0].url, "http://h:1/a");
        assert_eq!((plan.ranges[0].start, plan.ranges[0].end), (5, 9));
    }

    #[test]
    fn parse_rejects_bad_lines_naming_them() {
        let parse = |text: &[u8]| Plan::parse(text, "http://h", 1, SECOND, 0).unwrap_err();
        assert!(parse(b"a\t0\t1\na\t0\n").starts_with("ranges line 2: not three"));
        assert!(parse(b"a\tx\t1\n").contains("OFFSET is not a number"));
        assert!(parse(b"a\t0\t-1\n").contains("LENGTH is not a number"));
        assert!(parse(b"a\t0\t0\n").contains("LENGTH is 0"));
        assert!(parse(b"a\t0\t1\textra\n").contains("not three"));
        assert!(parse(b"a\t18446744073709551615\t2\n").contains("overflows"));
        assert!(parse(b"\xff\t0\t1\n").contains("not UTF-8"));
        assert!(Plan::parse(b"", "https://h", 1, SECOND, 0)
            .unwrap_err()
            .contains("no TLS"));
        assert!(Plan::parse(b"", "http://h", 0, SECOND, 0)
            .unwrap_err()
            .contains("at least 1"));
        assert!(Plan::parse(b"", "http://h", 1, SECOND, 0)
            .unwrap()
            .ranges
            .is_empty());
    }

    #[test]
    fn errors_display_kind_index_and_range() {
        let e = FetchError {
            kind: Kind::Incomplete,
            index: 7,
            url: "http://127.0.0.1:1/a".into(),
            start: 10,
            end: 19,
            detail: "body of 3 bytes, expected 10".into(),
        };
        assert_eq!(
            e.to_string(),
            "incomplete at range 7 (http://127.0.0.1:1/a bytes=10-19): body of 3 bytes, expected 10"
        );
        let kinds = [Kind::Connect, Kind::Incomplete, Kind::Timeout, Kind::Status];
        let names: Vec<_> = kinds.iter().map(|k| k.as_str()).collect();
        assert_eq!(names, ["connect", "incomplete", "timeout", "status"]);
    }

    #[test]
    fn retry_after_is_seconds_clamped_with_a_default() {
        let ms = |v: Option<&str>| parse_retry_after(v.map(str::as_bytes)).as_millis();
        assert_eq!(ms(Some("1")), 1000);
        assert_eq!(ms(Some(" 0.25 ")), 250);
        assert_eq!(ms(Some("120")), 2000);
        assert_eq!(ms(Some("-3")), 0);
        assert_eq!(ms(Some("Wed, 21 Oct 2015 07:28:00 GMT")), 100);
        assert_eq!(ms(None), 100);
    }

    #[test]
    fn the_policy_retries_only_what_may_get_better() {
        let plan = Plan::parse(b"a\t0\t4\n", "http://h", 1, SECOND, 1).unwrap();
        let status = |code| Failure::check_status(code, Some(b"0.5")).err();
        assert!(status(206).is_none());
        for code in [503, 429] {
            assert_eq!(
                plan.pause_before_retry(0, 0, status(code).unwrap())
                    .unwrap()
                    .as_millis(),
                500
            );
            let last = plan
                .pause_before_retry(0, 1, status(code).unwrap())
                .unwrap_err();
            assert_eq!((last.kind, last.index), (Kind::Status, 0));
        }
        for code in [200, 404, 416, 500] {
            let e = plan
                .pause_before_retry(0, 0, status(code).unwrap())
                .unwrap_err();
            assert_eq!(e.kind, Kind::Status, "{code} is final at once");
        }
        let mut body = Body::new(&plan.ranges[0]);
        body.push(b"abc").unwrap();
        assert_eq!(body.push(b"de").err().unwrap().kind, Kind::Incomplete); // never truncated
        let mut short = Body::new(&plan.ranges[0]);
        short.push(b"abc").unwrap();
        let failure = short.finish().err().unwrap();
        assert_eq!(failure.detail, "body of 3 bytes, expected 4");
        assert!(plan.pause_before_retry(0, 0, failure).is_ok());
    }
}
