//! The local HTTP/1.1 server the `fetch` and `pipeline` tasks run against: a directory served with
//! keep-alive and `Range: bytes=a-b` answered like Common Crawl's data server, plus knobs a real
//! server lacks (per-response latency, injected faults) so that every tier's retry and error
//! handling can be tested against the same thing.
//!
//! The stack is hyper 1 on a tokio runtime of its own (one thread per CPU, at most 4), with tower-http's
//! [`ServeDir`] doing the file serving, validation of ranges and `Content-Range`. What this module
//! adds is thin: a path guard in front of `ServeDir` (it would serve `//etc/x` as `root/etc/x`
//! and takes a backslash for an ordinary character), a [`Backend`] that confines every file to
//! the canonical root (so a symlink out of it is a 404) and reads with plain blocking syscalls
//! (page-cached local files; a round trip through tokio's blocking pool per read would cost more
//! than the read), latency, faults, and a graceful stop.
//!
//! [`load_generator`] and [`measure_capacity`] run `wrk` (or `oha`) against a server to show it is
//! not the bottleneck of what the clients measure.

use bytes::Bytes;
use http_body_util::{Either, Full};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use percent_encoding::percent_decode_str;
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::{ready, Future, Ready};
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower_http::services::fs::{Backend, File as BackendFile, ServeDir};

/// How long a stopping server lets open connections finish their response before cutting them.
const GRACE: Duration = Duration::from_millis(500);

/// What to serve and how.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The directory served; nothing outside it is ever sent.
    pub root: PathBuf,
    /// Slept before each response head (each response, 404s and 503s included).
    pub latency: Duration,
    /// An injected fault, for tests of the clients' error handling.
    pub fault: Option<Fault>,
    /// The `Retry-After` seconds of an [`FaultMode::Unavailable`] answer.
    pub retry_after_s: u64,
    /// Runtime threads answering requests: 1 is a current-thread runtime; more spread the
    /// connections over threads. Default: the CPU count, at most 4 (two here, like an nginx
    /// with a worker per core): with 64 requests in flight at 20 ms, one thread answering them
    /// in turn held the clients at 0.81 of the ceiling, two at 0.86-0.89.
    pub threads: usize,
}

impl ServerConfig {
    /// `root` served with no latency and no fault.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServerConfig {
            root: root.into(),
            ..ServerConfig::default()
        }
    }
}

/// No root yet (set it), no latency, no fault, `Retry-After: 1`, a thread per CPU (at most 4).
impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            root: PathBuf::new(),
            latency: Duration::ZERO,
            fault: None,
            retry_after_s: 1,
            threads: std::thread::available_parallelism().map_or(2, |n| n.get().min(4)),
        }
    }
}

/// The ways a response can go wrong on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultMode {
    /// `503 Service Unavailable` with `Retry-After` and a small body.
    Unavailable,
    /// About half the body, then the connection is aborted with a TCP reset.
    Reset,
    /// About half the body, then nothing more; the connection stays open until the server stops.
    Stall,
    /// `Content-Length` says the full length, about half is sent, then the connection closes.
    Short,
}

impl FaultMode {
    /// `"503"` or `"unavailable"`, `"reset"`, `"stall"`, `"short"`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "503" | "unavailable" => Some(FaultMode::Unavailable),
            "reset" => Some(FaultMode::Reset),
            "stall" => Some(FaultMode::Stall),
            "short" => Some(FaultMode::Short),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FaultMode::Unavailable => "unavailable",
            FaultMode::Reset => "reset",
            FaultMode::Stall => "stall",
            FaultMode::Short => "short",
        }
    }
}

/// A fault and the requests it hits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub mode: FaultMode,
    /// Only requests whose `Range` starts at this byte offset (a request without `Range` starts
    /// at 0); `None`: every request.
    pub at: Option<u64>,
    /// Fires this many times per (path, range start), then that range is served normally, so a
    /// client that retries gets through; `None`: always.
    pub times: Option<u32>,
}

impl Fault {
    /// `MODE[@OFFSET][xTIMES]`: `"reset"`, `"reset@1234"`, `"503@1234x1"`, `"stallx2"`.
    pub fn parse(s: &str) -> Result<Fault, String> {
        let bad = |why: String| {
            format!("bad fault {s:?}: {why}; the syntax is MODE[@OFFSET][xTIMES] with MODE one of 503, unavailable, reset, stall, short (e.g. reset, 503@1234x1, stallx2)")
        };
        let (rest, times) = match s.split_once('x') {
            Some((rest, n)) => (
                rest,
                Some(
                    n.parse::<u32>()
                        .map_err(|_| bad(format!("TIMES {n:?} is not a count")))?,
                ),
            ),
            None => (s, None),
        };
        let (mode, at) = match rest.split_once('@') {
            Some((mode, at)) => (
                mode,
                Some(
                    at.parse::<u64>()
                        .map_err(|_| bad(format!("OFFSET {at:?} is not a byte offset")))?,
                ),
            ),
            None => (rest, None),
        };
        let mode = FaultMode::parse(mode).ok_or_else(|| bad(format!("unknown mode {mode:?}")))?;
        Ok(Fault { mode, at, times })
    }
}

/// The spec again, as [`Fault::parse`] reads it.
impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.mode.as_str())?;
        if let Some(at) = self.at {
            write!(f, "@{at}")?;
        }
        if let Some(times) = self.times {
            write!(f, "x{times}")?;
        }
        Ok(())
    }
}

/// A running server; dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds 127.0.0.1 on an ephemeral port (never another address: the benchmarks' traffic
    /// stays on this machine) and returns once it is listening.
    pub fn start(cfg: ServerConfig) -> io::Result<Server> {
        let root = std::fs::canonicalize(&cfg.root).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot serve {}: {e}", cfg.root.display()),
            )
        })?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("cannot serve {}: not a directory", cfg.root.display()),
            ));
        }
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let shared = Arc::new(Shared {
            // A range of up to 128 KiB is one read and one body frame.
            files: ServeDir::with_backend(&root, RootedFs::new(root.clone()))
                .append_index_html_on_directories(false)
                .with_buf_chunk_size(128 * 1024),
            latency: cfg.latency,
            fault: cfg.fault,
            retry_after: HeaderValue::from(cfg.retry_after_s),
            fired: Mutex::new(HashMap::new()),
            requests: AtomicU64::new(0),
            stopped,
        });
        // The runtime is made on its own thread: `start` may be called from inside another
        // tokio runtime (the Rust client tiers), where blocking on a second one would panic.
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread_shared = shared.clone();
        let threads = cfg.threads.max(1);
        let thread = std::thread::Builder::new()
            .name(format!("gluebench-serve-{}", addr.port()))
            .spawn(move || {
                let mut builder = if threads > 1 {
                    let mut b = tokio::runtime::Builder::new_multi_thread();
                    b.worker_threads(threads).thread_name("gluebench-serve");
                    b
                } else {
                    tokio::runtime::Builder::new_current_thread()
                };
                let rt = match builder.enable_io().enable_time().build() {
                    Ok(rt) => rt,
                    Err(e) => return drop(ready_tx.send(Err(e))),
                };
                rt.block_on(async move {
                    match TcpListener::from_std(listener) {
                        Ok(listener) => {
                            let _ = ready_tx.send(Ok(()));
                            accept_loop(listener, thread_shared).await;
                        }
                        Err(e) => drop(ready_tx.send(Err(e))),
                    }
                });
            })?;
        let server = Server {
            addr,
            shared,
            stop,
            thread: Some(thread),
        };
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(server),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(io::Error::other("the server thread died while starting")),
        }
    }

    /// `http://127.0.0.1:PORT/`
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Responses sent so far (heads, including 404s and injected 503s).
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }
}

impl Drop for Server {
    /// Stops accepting, lets responses in flight finish for up to [`GRACE`], cuts the rest (a
    /// stalled body ends at once), and joins the thread.
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What every connection of a server shares.
struct Shared {
    files: ServeDir<tower_http::services::fs::DefaultServeDirFallback, RootedFs>,
    latency: Duration,
    fault: Option<Fault>,
    retry_after: HeaderValue,
    /// How often the fault fired per (path, range start), for `Fault::times`.
    fired: Mutex<HashMap<(String, Option<u64>), u32>>,
    requests: AtomicU64,
    stopped: watch::Receiver<bool>,
}

impl Shared {
    /// The fault aimed at a request whose range starts at `offset` (see [`range_start`]).
    fn aimed(&self, offset: Option<u64>) -> Option<FaultMode> {
        let fault = self.fault.as_ref()?;
        match fault.at {
            Some(at) if offset != Some(at) => None,
            _ => Some(fault.mode),
        }
    }

    /// Whether the fault may fire (again) on (path, offset), counting the fire if so. Called only
    /// when it is about to fire: a body fault on a 404 or a HEAD uses up nothing.
    fn fire(&self, path: &str, offset: Option<u64>) -> bool {
        let Some(times) = self.fault.as_ref().and_then(|f| f.times) else {
            return true;
        };
        let mut fired = self.fired.lock().unwrap_or_else(|e| e.into_inner());
        let n = fired.entry((path.to_owned(), offset)).or_insert(0);
        *n += 1;
        *n <= times
    }

    /// Resolves when the server is told to stop.
    fn stopping(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.stopped.clone();
        async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut conns = JoinSet::new();
    let stopping = shared.stopping();
    tokio::pin!(stopping);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    conns.spawn(connection(stream, shared.clone()));
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            () = &mut stopping => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(GRACE + Duration::from_millis(100), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    conns.abort_all();
}

async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let reset = Arc::new(AtomicBool::new(false));
    let io = TokioIo::new(Conn {
        stream,
        reset: reset.clone(),
    });
    let service_shared = shared.clone();
    let service =
        hyper::service::service_fn(move |req| handle(req, service_shared.clone(), reset.clone()));
    let conn = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = shared.stopping() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(GRACE, conn).await;
        }
    }
}

type ResponseBody = Either<Cut, Full<Bytes>>;

async fn handle(
    req: Request<Incoming>,
    shared: Arc<Shared>,
    reset: Arc<AtomicBool>,
) -> Result<Response<ResponseBody>, Infallible> {
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    let response = respond(req, &shared, reset).await;
    shared.requests.fetch_add(1, Ordering::Relaxed);
    Ok(response)
}

async fn respond(
    mut req: Request<Incoming>,
    shared: &Shared,
    reset: Arc<AtomicBool>,
) -> Response<ResponseBody> {
    if !is_confined(req.uri().path()) {
        return small(StatusCode::NOT_FOUND, "");
    }
    let offset = match shared.fault {
        Some(_) => range_start(&req),
        None => None,
    };
    let fault = shared.aimed(offset);
    let path = match fault {
        Some(_) => req.uri().path().to_owned(),
        None => String::new(),
    };
    if fault == Some(FaultMode::Unavailable) && shared.fire(&path, offset) {
        let mut r = small(
            StatusCode::SERVICE_UNAVAILABLE,
            "503 Service Unavailable (an injected fault): retry after Retry-After seconds\n",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, shared.retry_after.clone());
        return r;
    }
    // ServeDir streams a whole file without Content-Length (chunked). Common Crawl's server sends
    // one, and the raw-socket client relies on it, so a whole-file request is asked of ServeDir
    // as the range `bytes=0-` and its 206 answered as the 200 it is.
    let whole = !req.headers().contains_key(header::RANGE);
    if whole {
        req.headers_mut()
            .insert(header::RANGE, HeaderValue::from_static("bytes=0-"));
    }
    let head = req.method() == Method::HEAD;
    let mut response = match shared.files.clone().try_call(req).await {
        Ok(r) => r,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return small(StatusCode::NOT_FOUND, ""),
        Err(_) => return small(StatusCode::INTERNAL_SERVER_ERROR, ""),
    };
    if whole && response.status() == StatusCode::PARTIAL_CONTENT {
        *response.status_mut() = StatusCode::OK;
        response.headers_mut().remove(header::CONTENT_RANGE);
    }
    let length = content_length(&response);
    let cuttable = !head && response.status().is_success() && length > 0;
    let cut = match fault {
        Some(mode) if mode != FaultMode::Unavailable && cuttable && shared.fire(&path, offset) => {
            Some(CutPlan {
                mode,
                after: length / 2,
                flushed: false,
                reset,
                stopping: Box::pin(shared.stopping()),
            })
        }
        _ => None,
    };
    response.map(|inner| {
        Either::Left(Cut {
            inner,
            plan: cut,
            sent: 0,
        })
    })
}

/// A response with a small fixed body (its Content-Length set by hyper from the exact size).
fn small(status: StatusCode, body: &'static str) -> Response<ResponseBody> {
    let mut r = Response::new(Either::Right(Full::new(Bytes::from_static(
        body.as_bytes(),
    ))));
    *r.status_mut() = status;
    if !body.is_empty() {
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    }
    r
}

fn content_length<B>(r: &Response<B>) -> u64 {
    r.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .unwrap_or(0)
}

/// Where the request's `Range: bytes=N-...` starts; 0 without a Range; `None` for a suffix or
/// malformed range (no fault with `at` can match it).
fn range_start<B>(req: &Request<B>) -> Option<u64> {
    let Some(range) = req.headers().get(header::RANGE) else {
        return Some(0);
    };
    let spec = range.to_str().ok()?.trim().strip_prefix("bytes=")?;
    spec.split_once('-')?.0.trim().parse().ok()
}

/// The part of path safety that `ServeDir` leaves open: it trims leading slashes (so `//etc/x`
/// would be `root/etc/x`) and on Unix a backslash is an ordinary character. `..` in any encoding
/// is refused here and again by `ServeDir`; symlinks are for [`RootedFs`].
fn is_confined(raw_path: &str) -> bool {
    let Ok(path) = percent_decode_str(raw_path).decode_utf8() else {
        return false;
    };
    path.starts_with('/')
        && !path.contains("//")
        && !path.contains(['\\', '\0'])
        && path.split('/').all(|segment| segment != "..")
}

/// The file system as `ServeDir` sees it: confined to the canonical root (a path whose real
/// location is elsewhere, through a symlink, is not found) and read with blocking syscalls.
///
/// Resolving a path (canonicalize: a readlink per component, then open, fstat) cost more than
/// serving a 25 KB range, and even a `stat` per request was a tenth of the server's time, so
/// each served path keeps its open file and metadata, trusted for [`RECHECK`] after it was last
/// compared with the path (device, inode, size, mtime): a regenerated file or a symlink
/// re-pointed out of the root is resolved (and confined) again within that time.
#[derive(Clone, Debug)]
struct RootedFs {
    root: Arc<Path>,
    open: Arc<Mutex<HashMap<PathBuf, Arc<Resolved>>>>,
}

/// A confined file, open.
#[derive(Debug)]
struct Resolved {
    file: std::fs::File,
    meta: std::fs::Metadata,
    checked: Mutex<Instant>,
}

/// How long a resolved path is served without looking at the file system again.
const RECHECK: Duration = Duration::from_secs(1);

/// The most paths a server keeps open (more is not a use this server is for).
const MAX_OPEN: usize = 4096;

impl RootedFs {
    fn new(canonical_root: PathBuf) -> Self {
        RootedFs {
            root: canonical_root.into(),
            open: Arc::default(),
        }
    }

    fn resolve(&self, path: &Path) -> io::Result<Arc<Resolved>> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = open.get(path) {
            let mut checked = known.checked.lock().unwrap_or_else(|e| e.into_inner());
            if checked.elapsed() < RECHECK {
                return Ok(known.clone());
            }
            if std::fs::metadata(path).is_ok_and(|now| same_file(&known.meta, &now)) {
                *checked = Instant::now();
                return Ok(known.clone());
            }
        }
        // The real path is opened, not `path`: no symlink is followed after the check.
        let real = std::fs::canonicalize(path)?;
        if !real.starts_with(&self.root) {
            open.remove(path);
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "outside the served directory",
            ));
        }
        let file = std::fs::File::open(&real)?;
        let meta = file.metadata()?;
        let resolved = Arc::new(Resolved {
            file,
            meta,
            checked: Mutex::new(Instant::now()),
        });
        if open.len() >= MAX_OPEN {
            open.clear();
        }
        open.insert(path.to_owned(), resolved.clone());
        Ok(resolved)
    }
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino(), a.len(), a.mtime(), a.mtime_nsec())
        == (b.dev(), b.ino(), b.len(), b.mtime(), b.mtime_nsec())
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    (a.len(), a.modified().ok()) == (b.len(), b.modified().ok())
}

impl Backend for RootedFs {
    type File = LocalFile;
    type Metadata = std::fs::Metadata;
    type OpenFuture = Ready<io::Result<LocalFile>>;
    type MetadataFuture = Ready<io::Result<std::fs::Metadata>>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        ready(self.resolve(&path).map(|file| LocalFile { file, pos: 0 }))
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        ready(self.resolve(&path).map(|r| r.meta.clone()))
    }
}

/// A read cursor over a shared open file: positioned reads (`pread`), so concurrent responses
/// from the same file do not share an offset. Blocking calls from the runtime's thread (see the
/// module doc).
#[derive(Debug)]
struct LocalFile {
    file: Arc<Resolved>,
    pos: u64,
}

impl AsyncRead for LocalFile {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let n = read_at(&self.file.file, buf.initialize_unfilled(), self.pos)?;
        buf.advance(n);
        self.pos += n as u64;
        Poll::Ready(Ok(()))
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, pos)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, pos)
}

impl AsyncSeek for LocalFile {
    fn start_seek(mut self: Pin<&mut Self>, to: io::SeekFrom) -> io::Result<()> {
        let (base, delta) = match to {
            io::SeekFrom::Start(n) => (n, 0),
            io::SeekFrom::End(d) => (self.file.meta.len(), d),
            io::SeekFrom::Current(d) => (self.pos, d),
        };
        self.pos = base
            .checked_add_signed(delta)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(())
    }

    fn poll_complete(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Poll::Ready(Ok(self.pos))
    }
}

impl BackendFile for LocalFile {
    type Metadata = std::fs::Metadata;
    type MetadataFuture<'a> = Ready<io::Result<std::fs::Metadata>>;

    fn metadata(&self) -> Self::MetadataFuture<'_> {
        ready(Ok(self.file.meta.clone()))
    }
}

/// A response body passed through, or cut after `plan.after` bytes the way the fault says.
struct Cut {
    inner: tower_http::services::fs::ServeFileSystemResponseBody,
    plan: Option<CutPlan>,
    sent: u64,
}

struct CutPlan {
    mode: FaultMode,
    after: u64,
    flushed: bool,
    /// The connection's flag: close with a TCP reset instead of a FIN.
    reset: Arc<AtomicBool>,
    /// A stalled body waits on this, so that stopping the server ends it.
    stopping: Pin<Box<dyn Future<Output = ()> + Send>>,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Body for Cut {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        let Some(plan) = this.plan.as_mut() else {
            return Pin::new(&mut this.inner)
                .poll_frame(cx)
                .map_err(BoxError::from);
        };
        if this.sent >= plan.after {
            // Once Pending first, so that hyper flushes the half already given (head included)
            // before the cut: cutting in the same poll would drop them unsent.
            if !plan.flushed {
                plan.flushed = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            return match plan.mode {
                FaultMode::Reset => {
                    plan.reset.store(true, Ordering::Relaxed);
                    Poll::Ready(Some(Err("injected fault: connection reset".into())))
                }
                // hyper closes the connection when a body ends before its Content-Length.
                FaultMode::Short => Poll::Ready(None),
                FaultMode::Stall => match plan.stopping.as_mut().poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(()) => Poll::Ready(Some(Err("server stopped".into()))),
                },
                FaultMode::Unavailable => unreachable!("a 503 has no body to cut"),
            };
        }
        let frame = match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => frame,
            other => return other.map_err(BoxError::from),
        };
        let Ok(mut data) = frame.into_data() else {
            return Poll::Ready(None);
        };
        let left = plan.after - this.sent;
        if data.len() as u64 > left {
            data.truncate(left as usize);
        }
        this.sent += data.len() as u64;
        Poll::Ready(Some(Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.plan.is_none() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A connection's socket, closed with a TCP reset (SO_LINGER 0) rather than a FIN once a
/// [`FaultMode::Reset`] fired on it.
struct Conn {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for Conn {
    fn drop(&mut self) {
        if self.reset.load(Ordering::Relaxed) {
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// A server's measured capacity.
#[derive(Clone, Debug)]
pub struct Capacity {
    pub requests_per_s: f64,
    /// The CPU time this process spent per request meanwhile (`/proc/self/stat`), when the
    /// server is the only busy part of the process: the server's cost, whoever else competes
    /// for the cores (the load generator does, on a small machine).
    pub cpu_per_request: Option<std::time::Duration>,
    /// `wrk` or `oha`.
    pub tool: String,
    /// The tool's own version line.
    pub version: String,
}

/// The load generator on PATH: `wrk` if there, else `oha`, with its path.
pub fn load_generator() -> Option<(String, PathBuf)> {
    let path = std::env::var_os("PATH")?;
    ["wrk", "oha"].iter().find_map(|tool| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(tool))
            .find(|p| p.is_file())
            .map(|p| (tool.to_string(), p))
    })
}

/// Runs the load generator on one thread with `connections` keep-alive connections for
/// `seconds` against `url` (a file of a running [`Server`]), every request asking for the
/// inclusive byte range `range`. Fails if any answer was not a 2xx, or on a socket error, since
/// a capacity made of errors would say nothing.
pub fn measure_capacity(
    url: &str,
    range: (u64, u64),
    connections: u32,
    seconds: u32,
) -> Result<Capacity, String> {
    let (tool, exe) = load_generator().ok_or(
        "no load generator on PATH: install wrk (`apt-get install wrk` on Debian/Ubuntu) or oha (`cargo install oha`)",
    )?;
    let header = format!("Range: bytes={}-{}", range.0, range.1);
    let mut cmd = Command::new(&exe);
    if tool == "wrk" {
        cmd.args(["-t1", &format!("-c{connections}"), &format!("-d{seconds}s")])
            .args(["-H", &header, url]);
    } else {
        cmd.args(["--no-tui", "-c", &connections.to_string()])
            .args(["-z", &format!("{seconds}s"), "-H", &header, url]);
    }
    let cpu_before = process_cpu_seconds();
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let cpu = process_cpu_seconds().zip(cpu_before).map(|(a, b)| a - b);
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "{tool} failed ({}): {}{}",
            out.status,
            text.trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    if let Some(line) = text
        .lines()
        .find(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
    {
        return Err(format!(
            "{tool} saw failed requests ({}); full output:\n{text}",
            line.trim()
        ));
    }
    let requests_per_s = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| format!("no Requests/sec in {tool}'s output:\n{text}"))?;
    let requests = requests_per_s * f64::from(seconds);
    Ok(Capacity {
        requests_per_s,
        cpu_per_request: cpu
            .filter(|&c| c > 0.0 && requests > 0.0)
            .map(|c| std::time::Duration::from_secs_f64(c / requests)),
        version: tool_version(&tool, &exe),
        tool,
    })
}

/// User plus system CPU time of this process so far, in seconds (Linux: `/proc/self/stat`,
/// whose times are in USER_HZ, 100 per second).
pub fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces) start after its last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    // utime and stime are fields 14 and 15 of the line: 12 and 13 after the name.
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

/// The version word of `wrk -v` ("wrk 4.1.0 [epoll] Copyright ...", printed with its usage,
/// exit 1) or `oha --version` ("oha 1.4.5").
fn tool_version(tool: &str, exe: &Path) -> String {
    let flag = if tool == "wrk" { "-v" } else { "--version" };
    let out = Command::new(exe).arg(flag).output();
    let text = out.map_or(String::new(), |o| {
        String::from_utf8_lossy(&[o.stdout, o.stderr].concat()).into_owned()
    });
    let mut words = text.split_whitespace();
    match (words.next(), words.next()) {
        (Some(name), Some(version)) if name == tool => version.to_owned(),
        _ => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs() {
        let f = |mode, at, times| Fault { mode, at, times };
        assert_eq!(Fault::parse("reset"), Ok(f(FaultMode::Reset, None, None)));
        assert_eq!(
            Fault::parse("reset@1234"),
            Ok(f(FaultMode::Reset, Some(1234), None))
        );
        assert_eq!(
            Fault::parse("503@1234x1"),
            Ok(f(FaultMode::Unavailable, Some(1234), Some(1)))
        );
        assert_eq!(
            Fault::parse("unavailable"),
            Ok(f(FaultMode::Unavailable, None, None))
        );
        assert_eq!(
            Fault::parse("stallx2"),
            Ok(f(FaultMode::Stall, None, Some(2)))
        );
        assert_eq!(
            Fault::parse("short@0x3"),
            Ok(f(FaultMode::Short, Some(0), Some(3)))
        );
        for spec in ["reset", "unavailable@7x2", "stallx1", "short@0"] {
            assert_eq!(Fault::parse(spec).unwrap().to_string(), spec);
        }
        for bad in [
            "",
            "boom",
            "reset@",
            "reset@-1",
            "resetx",
            "stallxx2",
            "503@1x1@2",
            "short@abc",
        ] {
            let err = Fault::parse(bad).unwrap_err();
            assert!(err.contains("MODE[@OFFSET][xTIMES]"), "{bad}: {err}");
        }
    }

    #[test]
    fn modes_round_trip() {
        for m in [
            FaultMode::Unavailable,
            FaultMode::Reset,
            FaultMode::Stall,
            FaultMode::Short,
        ] {
            assert_eq!(FaultMode::parse(m.as_str()), Some(m));
        }
        assert_eq!(FaultMode::parse("503"), Some(FaultMode::Unavailable));
        assert_eq!(FaultMode::parse("RESET"), None);
    }

    #[test]
    fn confined_paths() {
        for ok in [
            "/",
            "/a.warc.gz",
            "/dir/file",
            "/a%20b",
            "/.hidden",
            "/a/./b",
        ] {
            assert!(is_confined(ok), "{ok}");
        }
        for bad in [
            "/..",
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/x",
            "/%2E%2E%2Fetc",
            "/a/%2e%2E",
            "//etc/passwd",
            "/%2Fetc/passwd",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%00b",
            "/%ff",
        ] {
            assert!(!is_confined(bad), "{bad}");
        }
    }
}
