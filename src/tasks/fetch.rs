//! `fetch`: HTTP range requests to a real local server (the spec: `py_impls/fetch/__init__.py`).
//! Throughput unit: requests, one per range.
//!
//! The input is a CDXJ index: each line a range (offset, length) of a WARC file. For the
//! generated index (`cdxj-1m`), a line's `filename` names a generated segment (`warc-00000`,
//! …) in the dataset cache; for a user's own files (`--input FILE.warc.gz --index FILE.cdxj`)
//! every line is a range of FILE and its `filename` is ignored. The tiers receive the ranges as
//! `PATH\tOFFSET\tLENGTH` lines and the fixture's parameters (`url`, `concurrency`,
//! `timeout_s`, `retries`). The expected summary is read from the files themselves.
//!
//! Regimes: `lat<ms>-c<n>`, a latency the server adds to every response and how many requests
//! a tier may have in flight; then optional `-`-separated knobs for tests and the curious:
//! a fault (`reset@3`: a fault at range 3, see [`crate::serve::Fault`]; `503x1@3`: once),
//! `timeout<s>`, `retries<n>`, `n<ranges>` (only the first ranges), `small` (the first 200:
//! where the slow clients are timed).

use super::{Fixture, Loaded, Started, Task};
use crate::serve::{Fault, Server, ServerConfig};
use crate::task::{Call, RustRun, Summary, TaskError};
use rust_impls::fetch::{FetchError, Fetcher, Plan, VARIANTS};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Ranges fetched per call: the first lines of the index.
pub const RANGES: usize = 2_000;
/// Ranges a slow client fetches per call (regimes `…-small`).
pub const SMALL_RANGES: usize = 200;
/// The one policy's defaults (see the spec): seconds an attempt may wait, retries per range.
pub const TIMEOUT_S: f64 = 10.0;
pub const RETRIES: u64 = 2;

/// The grid `cargo bench` measures: latency x concurrency, every tier's pick in every cell and
/// all variants in the first. At 20 ms a call takes at least `ranges / concurrency x 20 ms`, so
/// those cells fetch fewer ranges (a fifth to half a second of waiting per call); req/s does not
/// depend on the count once the connections are open, as long as each connection makes
/// enough of them (25 rounds here: opening 64 connections is not free).
const GRID: [(u64, u64, Option<usize>, bool); 6] = [
    // (latency ms, concurrency, ranges, picks only)
    (0, 16, None, false),
    (0, 1, None, true),
    (0, 64, None, true),
    (20, 1, Some(10), true),
    (20, 16, Some(400), true),
    (20, 64, Some(1_600), true),
];

pub fn task() -> Task {
    Task {
        name: "fetch",
        throughput_unit: "requests",
        throughput: |s, _| s["ranges"].as_u64().unwrap_or(0),
        dataset: "cdxj-1m",
        small_dataset: "cdxj-1m",
        small_limit: u64::MAX,
        more_datasets: vec![],
        baselines: vec![],
        rust: VARIANTS
            .iter()
            .map(|&(name, fetcher)| (name, runner(fetcher)))
            .collect(),
        small_rust: &[],
        paired: &[],
        reference: "rust/reqwest",
        expected: |_| Summary::new(), // read from the served files (`Loaded::expected`)
        error_at: "range",
        describe: |s| {
            format!(
                "{} ranges, {} bytes, sha256 {}…",
                s["ranges"],
                s["bytes"],
                s["sha256"].as_str().unwrap_or("").get(..12).unwrap_or("")
            )
        },
        load,
        cut: None,
        fixture: Some(Fixture {
            regimes: GRID
                .iter()
                .map(|&(lat, c, _, picks)| (format!("lat{lat}-c{c}"), picks))
                .collect(),
            start,
            measured,
        }),
    }
}

/// What `cargo bench` times: every cell of the grid, but the naive tier (sequential by
/// design: urllib one range at a time, whatever the concurrency) only with one request in
/// flight and in the main cell (lat0-c16, where every client is compared), plus lat0-c64 in
/// full mode; at 20 ms with more in flight it would be the same rate over 40 to 160 times as
/// many ranges (up to 6 minutes). Quick mode: lat0-c16 and lat20-c16 only.
fn measured(
    regime: &str,
    tier: crate::task::Tier,
    _variant: &str,
    mode: crate::bench::Mode,
) -> bool {
    use crate::bench::Mode;
    let Ok(r) = Regime::parse(regime) else {
        return false;
    };
    if mode == Mode::Quick && r.concurrency != 16 {
        return false;
    }
    if tier != crate::task::Tier::Naive
        || r.concurrency <= 16 && (r.latency_ms == 0 || r.concurrency == 1)
    {
        return true;
    }
    mode == Mode::Full && r.latency_ms == 0
}

/// A regime's knobs, parsed from its name.
#[derive(Debug, Clone, PartialEq)]
pub struct Regime {
    pub latency_ms: u64,
    pub concurrency: u64,
    pub ranges: Option<usize>,
    /// A fault and the index of the range it hits (`None`: every range).
    pub fault: Option<(Fault, Option<usize>)>,
    pub timeout_s: f64,
    pub retries: u64,
}

impl Regime {
    pub fn parse(name: &str) -> Result<Regime, String> {
        let bad = |why: &str| {
            format!(
                "bad fetch regime {name:?} ({why}); write lat<ms>-c<n>[-<fault>][-timeout<s>][-retries<n>][-n<ranges>], e.g. lat20-c16 or lat0-c4-reset@3"
            )
        };
        let mut parts = name.split('-');
        let latency_ms = parts
            .next()
            .and_then(|p| p.strip_prefix("lat")?.parse().ok())
            .ok_or_else(|| bad("no lat<ms>"))?;
        let concurrency: u64 = parts
            .next()
            .and_then(|p| p.strip_prefix('c')?.parse().ok())
            .filter(|c| *c > 0)
            .ok_or_else(|| bad("no c<n>"))?;
        let ranges = GRID
            .iter()
            .find(|g| (g.0, g.1) == (latency_ms, concurrency))
            .and_then(|g| g.2);
        let mut r = Regime {
            latency_ms,
            concurrency,
            ranges,
            fault: None,
            timeout_s: TIMEOUT_S,
            retries: RETRIES,
        };
        for part in parts {
            let number = |prefix: &str| {
                part.strip_prefix(prefix)
                    .and_then(|v| v.parse::<f64>().ok())
            };
            if let Some(t) = number("timeout") {
                r.timeout_s = t;
            } else if let Some(n) = number("retries") {
                r.retries = n as u64;
            } else if part == "small" {
                // The slow clients' stand-in: the first ranges only.
                r.ranges = Some(SMALL_RANGES);
            } else if let Some(n) = part.strip_prefix('n').and_then(|v| v.parse().ok()) {
                r.ranges = Some(n);
            } else {
                // `reset@3`: the fault's `at` is a range index here, a byte offset for the server.
                let (spec, index) = match part.split_once('@') {
                    Some((mode, rest)) => {
                        let (index, times) = rest.split_once('x').unwrap_or((rest, ""));
                        let index: usize = index.parse().map_err(|_| bad("fault@<range index>"))?;
                        let spec = if times.is_empty() {
                            mode.to_string()
                        } else {
                            format!("{mode}x{times}")
                        };
                        (spec, Some(index))
                    }
                    None => (part.to_string(), None),
                };
                r.fault = Some((Fault::parse(&spec).map_err(|e| bad(&e))?, index));
            }
        }
        Ok(r)
    }
}

/// Starts the server over the input's files for one regime.
fn start(regime: &str, input: &Loaded) -> Result<Started, TaskError> {
    let r = Regime::parse(regime).map_err(|e| TaskError::new("usage", e))?;
    let root = PathBuf::from(input.params["root"].as_str().unwrap_or("."));
    let ranges = read_ranges(&input.bytes);
    let n = r.ranges.unwrap_or(ranges.len()).min(ranges.len());
    let cut = if n < ranges.len() {
        let kept = &ranges[..n];
        Some(Loaded {
            bytes: ranges_text(kept),
            transformed: true,
            params: input.params.clone(),
            expected: Some(expected(&root, kept)?),
        })
    } else {
        None
    };
    let fault_at = match r.fault.as_ref().and_then(|f| f.1) {
        None => None,
        Some(i) => Some(ranges.get(i).map(|range| range.1).ok_or_else(|| {
            TaskError::new(
                "usage",
                format!("the fault is at range {i}, but there are {n} ranges"),
            )
        })?),
    };
    let (server, params) = serve(&r, root, fault_at)?;
    Ok(Started {
        input: cut,
        params,
        guard: Box::new(server),
    })
}

/// Starts the server over `root` with the regime's latency and fault (`fault_at`: the byte
/// offset of the one range it hits), and the parameters every tier receives.
pub fn serve(
    r: &Regime,
    root: PathBuf,
    fault_at: Option<u64>,
) -> Result<(Server, Summary), TaskError> {
    let fault = r.fault.as_ref().map(|(fault, index)| Fault {
        at: if index.is_some() { fault_at } else { fault.at },
        ..fault.clone()
    });
    let server = Server::start(ServerConfig {
        latency: Duration::from_millis(r.latency_ms),
        fault,
        ..ServerConfig::new(root)
    })
    .map_err(|e| TaskError::new("io", format!("cannot start the server: {e}")))?;
    let params = json!({
        "url": server.url(),
        "concurrency": r.concurrency,
        "timeout_s": r.timeout_s,
        "retries": r.retries,
        "latency_ms": r.latency_ms,
    });
    Ok((server, params.as_object().cloned().unwrap_or_default()))
}

/// Times one call of a Rust client; reading the plan and summarising are not timed.
fn runner(fetcher: Fetcher) -> RustRun {
    Arc::new(move |call: &Call| {
        let plan = plan(call)?;
        let started = Instant::now();
        let bodies = fetcher(&plan);
        let took = started.elapsed();
        let bodies = bodies.map_err(task_error)?;
        Ok((took, summary(&bodies)))
    })
}

fn plan(call: &Call) -> Result<Plan, TaskError> {
    let p = call.params;
    let url = p.get("url").and_then(Value::as_str).ok_or_else(|| {
        TaskError::new(
            "internal",
            "no server URL: the fetch task runs with its fixture",
        )
    })?;
    Plan::parse(
        call.bytes,
        url,
        p["concurrency"].as_u64().unwrap_or(1) as usize,
        Duration::from_secs_f64(p["timeout_s"].as_f64().unwrap_or(TIMEOUT_S)),
        p["retries"].as_u64().unwrap_or(RETRIES) as u32,
    )
    .map_err(|e| TaskError::new("internal", e))
}

fn task_error(e: FetchError) -> TaskError {
    TaskError {
        kind: e.kind.as_str().to_string(),
        offset: Some(e.index as u64),
        message: e.to_string(),
    }
}

/// `{ranges, bytes, sha256}` of the bodies in plan order.
pub fn summary<B: AsRef<[u8]>>(bodies: &[B]) -> Summary {
    let mut sha = Sha256::new();
    let mut total = 0u64;
    for body in bodies {
        sha.update(body.as_ref());
        total += body.as_ref().len() as u64;
    }
    let v =
        json!({"ranges": bodies.len(), "bytes": total, "sha256": format!("{:x}", sha.finalize())});
    v.as_object().cloned().unwrap_or_default()
}

/// One range: (path under the served root, offset, length).
pub type Range = (String, u64, u64);

fn ranges_text(ranges: &[Range]) -> Vec<u8> {
    ranges
        .iter()
        .map(|(path, offset, length)| format!("{path}\t{offset}\t{length}\n"))
        .collect::<String>()
        .into_bytes()
}

/// The ranges of the tiers' input (`PATH\tOFFSET\tLENGTH` lines).
pub fn read_ranges(text: &[u8]) -> Vec<Range> {
    String::from_utf8_lossy(text)
        .lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            Some((
                f.next()?.to_string(),
                f.next()?.parse().ok()?,
                f.next()?.parse().ok()?,
            ))
        })
        .collect()
}

/// The expected summary, by construction: the bytes the ranges cover, read from the files.
fn expected(root: &Path, ranges: &[Range]) -> Result<Summary, TaskError> {
    Ok(summary(&read_bodies(root, ranges)?))
}

/// The bytes each range covers, read from the files under `root` (not over HTTP).
pub fn read_bodies(root: &Path, ranges: &[Range]) -> Result<Vec<Vec<u8>>, TaskError> {
    let mut bodies = Vec::with_capacity(ranges.len());
    let mut open: Option<(String, std::fs::File)> = None;
    for (i, (path, offset, length)) in ranges.iter().enumerate() {
        if open.as_ref().map(|(p, _)| p) != Some(path) {
            let file = std::fs::File::open(root.join(path)).map_err(|e| {
                TaskError::new(
                    "io",
                    format!("cannot read {}: {e}", root.join(path).display()),
                )
            })?;
            open = Some((path.clone(), file));
        }
        let file = &mut open.as_mut().expect("just opened").1;
        let mut body = vec![0; *length as usize];
        file.seek(SeekFrom::Start(*offset))
            .and_then(|_| file.read_exact(&mut body))
            .map_err(|e| {
                TaskError::new(
                    "bad-index",
                    format!(
                        "range {i} ({path} bytes {offset}+{length}) is not inside the file: {e}"
                    ),
                )
            })?;
        bodies.push(body);
    }
    Ok(bodies)
}

/// The file the server serves for an index line: `file`'s own name when the user gave one
/// (the line's `filename` is then ignored), else the generated segment `filename` names,
/// generated on first use; `root` becomes the directory they are served from.
pub fn served_file(
    filename: &str,
    file: Option<&Path>,
    root: &mut Option<PathBuf>,
) -> Result<String, String> {
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if let Some(f) = file {
        return Ok(name_of(f));
    }
    let name = gluebench_datasets::segment_name_for_filename(filename).ok_or_else(|| {
        format!("{filename:?} is not a generated segment; pass your WARC file with --input FILE --index INDEX")
    })?;
    let ds = gluebench_datasets::ensure(&name).map_err(|e| e.to_string())?;
    root.get_or_insert_with(|| ds.path.parent().unwrap_or(Path::new(".")).to_path_buf());
    Ok(name_of(&ds.path))
}

/// A CDXJ index and the WARC file its lines are ranges of, as `load` (fetch's and the
/// pipeline's) is given them: `path` alone is a generated index whose filenames name generated
/// segments; with `index`, `path` is the user's WARC file.
pub struct IndexInput<'a> {
    pub index: &'a Path,
    /// The user's WARC file (`None`: the index names generated segments).
    pub file: Option<&'a Path>,
    /// The index's bytes.
    pub text: Vec<u8>,
    /// The served directory, once known: the user's file's (see [`served_file`]).
    pub root: Option<PathBuf>,
}

/// Sorts out `load`'s arguments and reads the index.
pub fn read_index<'a>(
    path: &'a Path,
    index: Option<&'a Path>,
) -> Result<IndexInput<'a>, TaskError> {
    let (index, file) = match index {
        Some(index) => (index, Some(path)),
        None => (path, None),
    };
    let text = std::fs::read(index)
        .map_err(|e| TaskError::new("io", format!("cannot read {}: {e}", index.display())))?;
    Ok(IndexInput {
        index,
        file,
        text,
        root: file.and_then(Path::parent).map(Path::to_path_buf),
    })
}

/// The ranges of a CDXJ index: the first [`RANGES`] lines. Without `index`, `path` is a
/// generated index whose filenames name generated segments; with it, `path` is the WARC file
/// and every index line a range of it.
pub fn load(path: &Path, index: Option<&Path>) -> Result<Loaded, TaskError> {
    let IndexInput {
        index: index_path,
        file,
        text,
        mut root,
    } = read_index(path, index)?;
    let mut ranges = Vec::new();
    for (number, line) in text.split(|&b| b == b'\n').enumerate() {
        if ranges.len() == RANGES {
            break;
        }
        let line = String::from_utf8_lossy(line);
        if line.trim().is_empty() {
            continue;
        }
        let bad = |why: &str| TaskError {
            kind: "bad-index".into(),
            offset: Some(number as u64 + 1),
            message: format!("{} line {}: {why}", index_path.display(), number + 1),
        };
        let json = line
            .splitn(3, ' ')
            .nth(2)
            .ok_or_else(|| bad("no JSON part"))?;
        let rec: Value =
            serde_json::from_str(json).map_err(|e| bad(&format!("invalid JSON: {e}")))?;
        let field = |k: &str| -> Result<u64, TaskError> {
            rec.get(k)
                .and_then(Value::as_str)
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| bad(&format!("no numeric {k:?}")))
        };
        let (offset, length) = (field("offset")?, field("length")?);
        let filename = rec.get("filename").and_then(Value::as_str).unwrap_or("");
        let served = served_file(filename, file, &mut root).map_err(|e| bad(&e))?;
        ranges.push((served, offset, length));
    }
    if ranges.is_empty() {
        return Err(TaskError::new(
            "bad-index",
            format!("{} lists no ranges", index_path.display()),
        ));
    }
    let root = root.unwrap_or_else(|| PathBuf::from("."));
    let mut loaded = Loaded::new(ranges_text(&ranges), true);
    loaded.expected = Some(expected(&root, &ranges)?);
    loaded
        .params
        .insert("root".into(), Value::String(root.display().to_string()));
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regimes_parse() {
        let r = Regime::parse("lat20-c16").unwrap();
        assert_eq!((r.latency_ms, r.concurrency, r.ranges), (20, 16, Some(400)));
        let r = Regime::parse("lat0-c4-reset@3-timeout0.5-retries1-n10").unwrap();
        assert_eq!(r.fault.as_ref().unwrap().1, Some(3));
        assert_eq!((r.timeout_s, r.retries, r.ranges), (0.5, 1, Some(10)));
        assert_eq!(Regime::parse("lat0-c16-small").unwrap().ranges, Some(200));
        let r = Regime::parse("lat0-c1-503@2x1").unwrap();
        assert_eq!(r.fault.as_ref().unwrap().0.times, Some(1));
        assert!(Regime::parse("c16").is_err());
        assert!(Regime::parse("lat0-c0").is_err());
        assert!(Regime::parse("lat0-c1-bogus").is_err());
    }

    #[test]
    fn grid_names_parse_back() {
        for (name, _) in task().fixture.unwrap().regimes {
            Regime::parse(&name).unwrap();
        }
    }
}
