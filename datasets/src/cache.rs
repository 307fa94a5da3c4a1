//! Named datasets, generated once and then reused from a verified on-disk cache.
//!
//! Benchmarks want the same 128 MB file every run without paying seconds to regenerate it, and a
//! stale or damaged file must never be measured silently. So each file sits next to a JSON
//! manifest that records what made it (generator version + spec) and what it is (size, sha256,
//! the expected result of every task that can read it). A file is reused only when all of that
//! still matches.
//!
//! Verification policy: every call checks the manifest (generator version, spec) and the file size;
//! the file's sha256 is checked once per process for each (path, size, mtime), so a file that
//! changed on disk is always re-hashed, and a process that calls [`ensure`] in a loop pays for
//! hashing (~0.1 s for wet-128m's 59 MiB with SHA extensions) only once.
//!
//! Concurrency: generation writes `<file>.tmp-<pid>-<n>` and renames it into place, then does the
//! same for the manifest; the manifest is written last, so its presence means the file is
//! complete. Two processes generating at once both produce identical bytes (the generator is
//! deterministic) and the renames are atomic, so readers only ever see a whole file.

use crate::cdxj::{self, CrawlSpec};
use crate::crawl::{self, SegmentSpec};
use crate::wat::{self, WatFormat};
use crate::wet::{self, DecompressSummary, WetSpec, WriteOptions};
use crate::GENERATOR_VERSION;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

/// Environment variable that overrides the cache directory.
pub const CACHE_ENV: &str = "GLUEBENCH_CACHE";

/// What a named dataset is. Serialised into the manifest; any change regenerates the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DatasetSpec {
    /// A `.warc.wet.gz` file (see [`crate::wet`]).
    Wet(WetSpec),
    /// One WARC segment file `.warc.gz` of the crawl (see [`crate::crawl`]).
    Warc(SegmentSpec),
    /// A CDXJ index of the crawl's response records (see [`crate::cdxj`]).
    Cdxj(CrawlSpec),
    /// WAT documents, one JSON document per line (see [`crate::wat`]).
    Wat(CrawlSpec),
    /// The same WAT documents as a `.warc.wat.gz` file.
    WatGz(CrawlSpec),
}

impl DatasetSpec {
    /// File name extension including the leading dot.
    pub fn extension(&self) -> &'static str {
        match self {
            DatasetSpec::Wet(_) => ".warc.wet.gz",
            DatasetSpec::Warc(_) => ".warc.gz",
            DatasetSpec::Cdxj(_) => ".cdxj",
            DatasetSpec::Wat(_) => ".wat.jsonl",
            DatasetSpec::WatGz(_) => ".warc.wat.gz",
        }
    }

    fn describe(&self) -> String {
        match self {
            DatasetSpec::Wet(w) => format!("{} of text", human_bytes(w.target_bytes)),
            DatasetSpec::Warc(s) => format!(
                "segment {} of the crawl, {} pages",
                s.segment,
                crawl::SEGMENT_PAGES
            ),
            DatasetSpec::Cdxj(c) => format!("{} of CDXJ index", human_bytes(c.target_bytes)),
            DatasetSpec::Wat(c) | DatasetSpec::WatGz(c) => {
                format!("{} of WAT JSON", human_bytes(c.target_bytes))
            }
        }
    }
}

const MIB: u64 = 1 << 20;

/// The named datasets: `(name, spec)`. The number in a name is the approximate size in MiB:
/// decompressed text for WET, the index for CDXJ, the one-document-per-line JSON for WAT
/// (generation stops at the first record, page or line that reaches it).
fn registry() -> Vec<(&'static str, DatasetSpec)> {
    let wet = |mib: u64, emoji_per_mb: f64| {
        DatasetSpec::Wet(WetSpec {
            seed: 1,
            target_bytes: mib * MIB,
            emoji_per_mb,
            language: None,
        })
    };
    // English pages only (the emoji task's mostly-ASCII regime: about 0.4% non-ASCII bytes,
    // like real English web text).
    let english = |mib: u64| {
        DatasetSpec::Wet(WetSpec {
            seed: 1,
            target_bytes: mib * MIB,
            emoji_per_mb: crate::WEB_EMOJI_PER_MB,
            language: Some("eng".into()),
        })
    };
    let crawl = |mib: u64| CrawlSpec {
        seed: 1,
        target_bytes: mib * MIB,
    };
    vec![
        ("wet-1m", wet(1, crate::WEB_EMOJI_PER_MB)),
        ("wet-16m", wet(16, crate::WEB_EMOJI_PER_MB)),
        ("wet-128m", wet(128, crate::WEB_EMOJI_PER_MB)),
        ("wet-1m-emoji", wet(1, crate::TWEET_EMOJI_PER_MB)),
        ("wet-16m-emoji", wet(16, crate::TWEET_EMOJI_PER_MB)),
        ("wet-1m-en", english(1)),
        ("wet-16m-en", english(16)),
        // The emoji task's density sweep: 4 MiB of the same crawl at 0 ... 10,000 emoji per 10^6
        // bytes of text (web-like to far beyond tweets), the density in the name.
        ("wet-4m-d0", wet(4, 0.0)),
        ("wet-4m-d10", wet(4, 10.0)),
        ("wet-4m-d100", wet(4, 100.0)),
        ("wet-4m-d1000", wet(4, 1_000.0)),
        ("wet-4m-d10000", wet(4, 10_000.0)),
        // The pipeline's small index, for its slow tiers (pure inflate...): about 110 records.
        (
            "cdxj-64k",
            DatasetSpec::Cdxj(CrawlSpec {
                seed: 1,
                target_bytes: 64 << 10,
            }),
        ),
        // The pipeline's index: about 470 records (every one fetched, gunzipped, counted).
        (
            "cdxj-256k",
            DatasetSpec::Cdxj(CrawlSpec {
                seed: 1,
                target_bytes: 256 << 10,
            }),
        ),
        ("cdxj-1m", DatasetSpec::Cdxj(crawl(1))),
        ("cdxj-16m", DatasetSpec::Cdxj(crawl(16))),
        ("wat-1m", DatasetSpec::Wat(crawl(1))),
        ("wat-16m", DatasetSpec::Wat(crawl(16))),
        ("wat-1m-gz", DatasetSpec::WatGz(crawl(1))),
        ("wat-16m-gz", DatasetSpec::WatGz(crawl(16))),
    ]
}

/// Names of the fixed datasets [`ensure`] knows, smallest first within each kind. WARC segment
/// files are named on demand, `warc-00000`, `warc-00001`, ... (see [`spec`]), and not listed.
pub fn names() -> Vec<&'static str> {
    registry().into_iter().map(|(n, _)| n).collect()
}

/// The spec behind a dataset name: a fixed name from [`names`], or `warc-NNNNN` (five digits),
/// segment NNNNN of the crawl the CDXJ and WAT datasets index (seed 1).
pub fn spec(name: &str) -> Option<DatasetSpec> {
    if let Some(segment) = crawl::parse_segment_name(name) {
        return Some(DatasetSpec::Warc(SegmentSpec { seed: 1, segment }));
    }
    registry()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| s)
}

/// A dataset file ready to use.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub name: String,
    pub path: PathBuf,
    /// Size of the file on disk (compressed for `.gz` files).
    pub compressed_size: u64,
    /// SHA-256 of the file on disk, lower-case hex.
    pub file_sha256: String,
    /// What each task that can use this file must report for it, keyed by task name
    /// (`"decompress"`, `"emoji"`, `"json/cdxj"`, `"json/wat"`, `"pipeline"`); each value is a JSON
    /// object.
    pub expected: BTreeMap<String, Value>,
    pub spec: DatasetSpec,
    /// Whether this call generated the file (false: reused from the cache).
    pub generated: bool,
}

/// Why a dataset could not be provided. `Display` is one line that says what to do.
#[derive(Debug)]
pub enum DatasetError {
    UnknownName {
        name: String,
        known: Vec<&'static str>,
    },
    InvalidName {
        name: String,
    },
    Io {
        action: String,
        path: PathBuf,
        source: io::Error,
    },
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatasetError::UnknownName { name, known } => {
                write!(
                    f,
                    "unknown dataset {name:?}; use one of: {}, or warc-NNNNN (a WARC segment)",
                    known.join(", ")
                )
            }
            DatasetError::Io { action, path, source } => write!(
                f,
                "cannot {action} {}: {source} (check permissions and free space, or set {CACHE_ENV} to a writable directory)",
                path.display()
            ),
            DatasetError::InvalidName { name } => {
                write!(f, "invalid dataset name {name:?}; use a plain file name of letters, digits, '-', '_' and '.'")
            }
        }
    }
}

impl std::error::Error for DatasetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DatasetError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io_err(action: &str, path: &Path) -> impl FnOnce(io::Error) -> DatasetError {
    let (action, path) = (action.to_string(), path.to_path_buf());
    move |source| DatasetError::Io {
        action,
        path,
        source,
    }
}

/// The cache directory: `$GLUEBENCH_CACHE` if set and non-empty, else `<workspace>/datasets/cache`
/// (this crate's directory is `<workspace>/datasets`).
pub fn cache_dir() -> PathBuf {
    match std::env::var_os(CACHE_ENV) {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("cache"),
    }
}

/// Returns dataset `name` from the default cache, generating it on first use (progress on stderr).
pub fn ensure(name: &str) -> Result<Dataset, DatasetError> {
    Cache::new(cache_dir()).ensure(name)
}

/// The on-disk manifest next to each file (`<file>.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub generator_version: u32,
    pub name: String,
    pub spec: DatasetSpec,
    pub file: String,
    pub file_size: u64,
    pub file_sha256: String,
    /// Expected result of each task that can use the file (see [`Dataset::expected`]).
    pub expected: BTreeMap<String, Value>,
    /// For information: pages, records, lines, documents, segments, emoji, ...
    pub info: Value,
    pub generation_seconds: f64,
}

/// A cache directory. [`ensure`] uses [`cache_dir`]; tests point one at a temporary directory.
#[derive(Clone, Debug)]
pub struct Cache {
    pub dir: PathBuf,
    /// Print progress on stderr while generating (default true).
    pub progress: bool,
}

/// (path, size, mtime) triples whose sha256 this process has verified.
static VERIFIED: Mutex<Option<HashSet<(PathBuf, u64, SystemTime)>>> = Mutex::new(None);

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Cache {
            dir: dir.into(),
            progress: true,
        }
    }

    /// Path of the data file for `name`.
    pub fn path(&self, name: &str, spec: &DatasetSpec) -> PathBuf {
        self.dir.join(format!("{name}{}", spec.extension()))
    }

    fn manifest_path(data: &Path) -> PathBuf {
        let mut p = data.as_os_str().to_owned();
        p.push(".json");
        PathBuf::from(p)
    }

    /// Named dataset from this cache (see [`names`]).
    pub fn ensure(&self, name: &str) -> Result<Dataset, DatasetError> {
        let spec = spec(name).ok_or_else(|| DatasetError::UnknownName {
            name: name.to_string(),
            known: names(),
        })?;
        self.ensure_spec(name, &spec)
    }

    /// A dataset under an arbitrary name and spec (for tests and experiments). The name must be a
    /// plain file name.
    pub fn ensure_spec(&self, name: &str, spec: &DatasetSpec) -> Result<Dataset, DatasetError> {
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if name.is_empty() || name.starts_with('.') || !name.chars().all(plain) {
            return Err(DatasetError::InvalidName {
                name: name.to_string(),
            });
        }
        let path = self.path(name, spec);
        if let Some(ds) = self.reuse(name, spec, &path)? {
            return Ok(ds);
        }
        self.generate(name, spec, &path)
    }

    /// The cached dataset if manifest, size and (once per process) sha256 all match.
    fn reuse(
        &self,
        name: &str,
        spec: &DatasetSpec,
        path: &Path,
    ) -> Result<Option<Dataset>, DatasetError> {
        let Ok(text) = fs::read_to_string(Self::manifest_path(path)) else {
            return Ok(None);
        };
        let Ok(m) = serde_json::from_str::<Manifest>(&text) else {
            return Ok(None);
        };
        if m.generator_version != GENERATOR_VERSION || &m.spec != spec {
            return Ok(None);
        }
        let Ok(meta) = fs::metadata(path) else {
            return Ok(None);
        };
        if meta.len() != m.file_size {
            return Ok(None);
        }
        let mtime = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let key = (path.to_path_buf(), meta.len(), mtime);
        let known = VERIFIED
            .lock()
            .unwrap()
            .as_ref()
            .is_some_and(|s| s.contains(&key));
        if !known {
            if sha256_file(path).map_err(io_err("read", path))? != m.file_sha256 {
                return Ok(None);
            }
            VERIFIED
                .lock()
                .unwrap()
                .get_or_insert_with(HashSet::new)
                .insert(key);
        }
        Ok(Some(Dataset {
            name: name.to_string(),
            path: path.to_path_buf(),
            compressed_size: m.file_size,
            file_sha256: m.file_sha256,
            expected: m.expected,
            spec: spec.clone(),
            generated: false,
        }))
    }

    fn generate(
        &self,
        name: &str,
        spec: &DatasetSpec,
        path: &Path,
    ) -> Result<Dataset, DatasetError> {
        fs::create_dir_all(&self.dir).map_err(io_err("create cache directory", &self.dir))?;
        let shown = display_path(path);
        let started = Instant::now();
        let tmp = temp_name(path);
        let guard = RemoveOnDrop(vec![tmp.clone()]);
        let file = File::create(&tmp).map_err(io_err("create", &tmp))?;
        let tty = io::stderr().is_terminal();
        let mut last_pct = u64::MAX;
        let mut progress = |done: u64, total: u64| {
            let pct = (done * 100 / total.max(1)).min(100);
            // On a terminal: one line updated in place; in logs: a line per 25%.
            let step = if tty { 1 } else { 25 };
            if self.progress && pct / step != last_pct / step {
                last_pct = pct;
                let msg = format!(
                    "gluebench: generating {shown} ({}) ... {pct}%",
                    spec.describe()
                );
                if tty {
                    let _ = write!(std::io::stderr(), "\r{msg} ");
                } else {
                    let _ = writeln!(std::io::stderr(), "{msg}");
                }
            }
        };
        let out = BufWriter::with_capacity(1 << 20, file);
        let made = produce(spec, out, &mut progress).map_err(io_err("write", &tmp))?;
        if self.progress && tty {
            let _ = writeln!(std::io::stderr());
        }
        fs::rename(&tmp, path).map_err(io_err("move into place", path))?;
        let seconds = started.elapsed().as_secs_f64();
        let manifest = Manifest {
            generator_version: GENERATOR_VERSION,
            name: name.to_string(),
            spec: spec.clone(),
            file: path.file_name().unwrap().to_string_lossy().into_owned(),
            file_size: made.size,
            file_sha256: made.sha256.clone(),
            expected: made.expected.clone(),
            info: made.info,
            generation_seconds: (seconds * 1000.0).round() / 1000.0,
        };
        let mpath = Self::manifest_path(path);
        let mtmp = temp_name(&mpath);
        let guard = guard.with(mtmp.clone());
        let json = serde_json::to_string_pretty(&manifest).expect("manifest serialises") + "\n";
        fs::write(&mtmp, json).map_err(io_err("write", &mtmp))?;
        fs::rename(&mtmp, &mpath).map_err(io_err("move into place", &mpath))?;
        drop(guard);
        // We just hashed it while writing: no need to re-verify in this process.
        if let Ok(meta) = fs::metadata(path) {
            let mtime = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            VERIFIED
                .lock()
                .unwrap()
                .get_or_insert_with(HashSet::new)
                .insert((path.to_path_buf(), meta.len(), mtime));
        }
        if self.progress {
            let _ = writeln!(
                std::io::stderr(),
                "gluebench: generated {shown}: {} in {:.1} s",
                made.what,
                seconds
            );
        }
        Ok(Dataset {
            name: name.to_string(),
            path: path.to_path_buf(),
            compressed_size: made.size,
            file_sha256: made.sha256,
            expected: made.expected,
            spec: spec.clone(),
            generated: true,
        })
    }
}

/// What generating a file produced.
struct Made {
    size: u64,
    sha256: String,
    expected: BTreeMap<String, Value>,
    info: Value,
    /// One-line description for the log.
    what: String,
}

fn decompress_value(s: &DecompressSummary) -> Value {
    serde_json::json!({"members": s.members, "bytes": s.bytes, "sha256": s.sha256})
}

/// Generates `spec` into `out`.
fn produce<W: Write>(
    spec: &DatasetSpec,
    out: W,
    progress: &mut dyn FnMut(u64, u64),
) -> io::Result<Made> {
    let mut expected = BTreeMap::new();
    Ok(match spec {
        DatasetSpec::Wet(w) => {
            let opts = WriteOptions {
                threads: 0,
                progress: Some(progress),
                member_index: false,
            };
            let r = wet::write_wet(w, out, opts)?;
            expected.insert("decompress".to_string(), decompress_value(&r.summary));
            let e = &r.emoji_summary;
            expected.insert(
                "emoji".to_string(),
                serde_json::json!({
                    "total": e.total,
                    "distinct": e.distinct,
                    "replacements": e.replacements,
                    "counts": e.counts,
                }),
            );
            // `emoji` counts every insertion, `emoji_not_rgi` those that are not RGI emoji (so
            // `emoji - emoji_not_rgi` is the emoji task's total); `emoji_per_mb` is the density
            // achieved, per 10^6 bytes of page text like the spec's.
            let per_mb = (r.emoji_per_mb() * 10.0).round() / 10.0;
            Made {
                size: r.compressed_bytes,
                sha256: r.compressed_sha256,
                expected,
                info: serde_json::json!({
                    "pages": r.pages,
                    "text_bytes": r.text_bytes,
                    "emoji": r.emoji,
                    "emoji_not_rgi": r.emoji - e.total,
                    "emoji_per_mb": per_mb,
                }),
                what: format!(
                    "{} records, {} inflated -> {}",
                    r.summary.members,
                    human_bytes(r.summary.bytes),
                    human_bytes(r.compressed_bytes)
                ),
            }
        }
        DatasetSpec::Warc(s) => {
            let r = crawl::write_segment(s, out, 0, Some(progress))?;
            expected.insert("decompress".to_string(), decompress_value(&r.summary));
            Made {
                size: r.compressed_bytes,
                sha256: r.compressed_sha256,
                expected,
                info: serde_json::json!({
                    "pages": r.pages,
                    "first_page": s.segment * crawl::SEGMENT_PAGES,
                    "records": r.summary.members,
                    "cc_path": crawl::segment_cc_path(s.seed, s.segment),
                }),
                what: format!(
                    "{} records, {} inflated -> {}",
                    r.summary.members,
                    human_bytes(r.summary.bytes),
                    human_bytes(r.compressed_bytes)
                ),
            }
        }
        DatasetSpec::Cdxj(c) => {
            let r = cdxj::write_cdxj(c, out, 0, Some(progress))?;
            expected.insert("json/cdxj".to_string(), r.expected.clone());
            expected.insert("pipeline".to_string(), r.pipeline.clone());
            Made {
                size: r.bytes,
                sha256: r.sha256,
                expected,
                info: serde_json::json!({
                    "lines": r.lines,
                    "segments": r.segments.iter().map(|&n| crawl::segment_name(n)).collect::<Vec<_>>(),
                }),
                what: format!(
                    "{} lines in {} segments, {}",
                    r.lines,
                    r.segments.len(),
                    human_bytes(r.bytes)
                ),
            }
        }
        DatasetSpec::Wat(c) | DatasetSpec::WatGz(c) => {
            let gz = matches!(spec, DatasetSpec::WatGz(_));
            let format = if gz {
                WatFormat::WarcGz
            } else {
                WatFormat::Jsonl
            };
            let r = wat::write_wat(c, format, out, 0, Some(progress))?;
            expected.insert("json/wat".to_string(), r.expected.clone());
            if let Some(d) = &r.decompress {
                expected.insert("decompress".to_string(), decompress_value(d));
            }
            Made {
                size: r.bytes,
                sha256: r.sha256,
                expected,
                info: serde_json::json!({
                    "documents": r.documents,
                    "pages": r.pages,
                    "segments": r.segments.iter().map(|&n| crawl::segment_name(n)).collect::<Vec<_>>(),
                }),
                what: format!(
                    "{} documents of {} pages, {}",
                    r.documents,
                    r.pages,
                    human_bytes(r.bytes)
                ),
            }
        }
    })
}

/// Deletes leftover temporary files if generation fails or panics.
struct RemoveOnDrop(Vec<PathBuf>);

impl RemoveOnDrop {
    fn with(mut self, p: PathBuf) -> Self {
        self.0.push(p);
        self
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = fs::remove_file(p);
        }
    }
}

fn temp_name(path: &Path) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let mut s = path.as_os_str().to_owned();
    s.push(format!(
        ".tmp-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    PathBuf::from(s)
}

/// SHA-256 of a file, lower-case hex.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(wet::hex(&h.finalize()))
}

/// `path` relative to the workspace root when inside it (`datasets/cache/wet-1m.warc.wet.gz`).
fn display_path(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("/"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `128 MB`, `1.5 MB`, `900 KB` (binary units, as the dataset names use).
pub fn human_bytes(n: u64) -> String {
    let (v, unit) = if n >= MIB {
        (n as f64 / MIB as f64, "MB")
    } else {
        (n as f64 / 1024.0, "KB")
    };
    if v >= 10.0 || v.fract() == 0.0 {
        format!("{v:.0} {unit}")
    } else {
        format!("{v:.1} {unit}")
    }
}
