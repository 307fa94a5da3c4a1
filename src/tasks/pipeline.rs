//! `pipeline`: one Common Crawl job chaining the tasks (the spec: `py_impls/pipeline/__init__.py`).
//! Throughput unit: records (the index's selected records, each fetched, gunzipped, counted).
//!
//! The input is a CDXJ index whose `filename`s are rewritten to the served files (the generated
//! segments, or `--input FILE.warc.gz` with `--index FILE.cdxj`); the fixture is the fetch
//! task's server (same regimes: `lat<ms>-c<n>`, plus `-small` for the slow tiers, which run on
//! the small index). Every tier has the variants `e2e` (its pick), `stage-<name>` (one stage
//! alone on that stage's input, made outside the timing from the served files; the rest of the
//! job is finished after the timing, so a stage is verified against the whole job's result) and
//! `e2e-2cores`.

use super::fetch::{self, Regime};
use super::{Fixture, Loaded, Started, Task};
use crate::task::{Call, RustRun, Summary, TaskError, Tier};
use rust_impls::emoji::{self, Counter};
use rust_impls::pipeline::{self as pipe, Job, PipelineError, Record};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

pub const STAGES: [&str; 4] = ["index", "fetch", "gunzip", "emoji"];

pub fn task() -> Task {
    let mut rust: Vec<(&'static str, RustRun)> = pipe::VARIANTS
        .iter()
        .map(|&(name, run)| (name, whole(run)))
        .collect();
    rust.extend([
        ("stage-index", stage("index")),
        ("stage-fetch", stage("fetch")),
        ("stage-gunzip", stage("gunzip")),
        ("stage-emoji", stage("emoji")),
    ]);
    Task {
        name: "pipeline",
        throughput_unit: "records",
        throughput: |s, _| s["records"].as_u64().unwrap_or(0),
        dataset: "cdxj-256k",
        small_dataset: "cdxj-64k",
        small_limit: u64::MAX,
        more_datasets: vec![],
        baselines: vec![],
        rust,
        small_rust: &[],
        paired: &[],
        reference: "rust/e2e",
        expected: |ds| super::expected(ds, "pipeline"),
        error_at: "record",
        describe: |s| {
            let langs = s["by_language"].as_object().map_or(0, |m| m.len());
            format!(
                "{} records, {} emoji, {langs} languages",
                s["records"], s["emoji_total"]
            )
        },
        load,
        cut: None,
        fixture: Some(Fixture {
            regimes: vec![("lat0-c16".into(), false), ("lat20-c16".into(), false)],
            start,
            measured,
        }),
    }
}

/// What `cargo bench` times: every variant at 0 ms; at 20 ms only what waits on the server
/// (the other stages do not touch it, so their 0 ms times stand): `e2e` and `stage-fetch` (the
/// 20 ms Amdahl table), and in full mode also `e2e-2cores`, `e2e-one-call` and `e2e-warcio`
/// (each waits like `e2e`: the network leaves them nothing to win there); quick mode: 0 ms
/// only, and picks (`e2e`) only as everywhere in quick mode. The naive tier only
/// in `check`: its emoji stage (the naive slice lookup) makes one call of even the small index
/// take about 10 s, 100 s per benchmark.
fn measured(regime: &str, tier: Tier, variant: &str, mode: crate::bench::Mode) -> bool {
    if tier == Tier::Naive {
        return false;
    }
    if regime.starts_with("lat0-") {
        return true;
    }
    if mode == crate::bench::Mode::Quick {
        return false;
    }
    match variant {
        "e2e" | "stage-fetch" => true,
        _ => mode == crate::bench::Mode::Full && !variant.starts_with("stage-"),
    }
}

/// The fetch task's server over the index's files; the index is not cut.
fn start(regime: &str, input: &Loaded) -> Result<Started, TaskError> {
    let r = Regime::parse(regime).map_err(|e| TaskError::new("usage", e))?;
    if r.fault.as_ref().is_some_and(|f| f.1.is_some()) {
        return Err(TaskError::new(
            "usage",
            "a pipeline fault hits every request (no @<range>)",
        ));
    }
    let root = PathBuf::from(input.params["root"].as_str().unwrap_or("."));
    let (server, params) = fetch::serve(&r, root, None)?;
    Ok(Started {
        input: None,
        params,
        guard: Box::new(server),
    })
}

/// The emoji counter of the emoji task's pick, built once.
fn counter() -> Result<&'static dyn Counter, TaskError> {
    static COUNTER: OnceLock<Box<dyn Counter>> = OnceLock::new();
    let set = super::emoji::set()?;
    Ok(COUNTER.get_or_init(|| (emoji::VARIANTS[0].1)(set)).as_ref())
}

fn job<'a>(call: &'a Call, counter: &'a dyn Counter) -> Result<Job<'a>, TaskError> {
    let p = call.params;
    Ok(Job {
        index: call.bytes,
        base: p.get("url").and_then(Value::as_str).ok_or_else(|| {
            TaskError::new(
                "internal",
                "no server URL: the pipeline runs with its fixture",
            )
        })?,
        concurrency: p["concurrency"].as_u64().unwrap_or(1) as usize,
        timeout: Duration::from_secs_f64(p["timeout_s"].as_f64().unwrap_or(fetch::TIMEOUT_S)),
        retries: p["retries"].as_u64().unwrap_or(fetch::RETRIES) as u32,
        counter,
    })
}

fn task_error(e: PipelineError) -> TaskError {
    TaskError {
        kind: e.kind().to_string(),
        offset: Some(e.at()),
        message: e.to_string(),
    }
}

/// The whole job, timed.
fn whole(run: pipe::PipelineFn) -> RustRun {
    Arc::new(move |call: &Call| {
        let job = job(call, counter()?)?;
        let started = Instant::now();
        let out = run(&job);
        let took = started.elapsed();
        Ok((took, summary(&out.map_err(task_error)?)))
    })
}

/// One stage timed on its own input (made from the served files before the timing); the rest
/// of the job finished after it by the same stages, so the summary is the whole job's.
fn stage(name: &'static str) -> RustRun {
    Arc::new(move |call: &Call| {
        let job = job(call, counter()?)?;
        let root = PathBuf::from(call.params["root"].as_str().unwrap_or("."));
        let records = pipe::select(job.index).map_err(|e| task_error(PipelineError::Index(e)))?;
        let members = || read_members(&root, &records);
        let (took, counts) = match name {
            "index" => {
                let started = Instant::now();
                let selected = pipe::select(job.index);
                let took = started.elapsed();
                let selected = selected.map_err(|e| task_error(PipelineError::Index(e)))?;
                let members = read_members(&root, &selected)?;
                (took, count(&job, &members)?)
            }
            "fetch" => {
                let plan = pipe::plan(&job, &records, job.concurrency);
                let started = Instant::now();
                let fetched = pipe::fetch(&plan);
                let took = started.elapsed();
                let fetched = fetched.map_err(|e| task_error(PipelineError::Fetch(e)))?;
                (took, count(&job, &fetched)?)
            }
            "gunzip" => {
                let members = members()?;
                let started = Instant::now();
                let records = pipe::gunzip(&members);
                let took = started.elapsed();
                let blocks: Vec<&[u8]> = records
                    .as_ref()
                    .map_err(|e| task_error(e.clone()))?
                    .iter()
                    .map(|r| pipe::content_block(r))
                    .collect();
                (took, pipe::emoji(job.counter, &blocks))
            }
            _ => {
                let decompressed = pipe::gunzip(&members()?).map_err(task_error)?;
                let blocks: Vec<&[u8]> = decompressed
                    .iter()
                    .map(|r| pipe::content_block(r))
                    .collect();
                let started = Instant::now();
                let counts = pipe::emoji(job.counter, &blocks);
                (started.elapsed(), counts)
            }
        };
        Ok((took, summary(&pipe::aggregate(&records, &counts))))
    })
}

/// Stages gunzip and emoji, untimed.
fn count(job: &Job, members: &[Vec<u8>]) -> Result<Vec<u64>, TaskError> {
    let decompressed = pipe::gunzip(members).map_err(task_error)?;
    let blocks: Vec<&[u8]> = decompressed
        .iter()
        .map(|r| pipe::content_block(r))
        .collect();
    Ok(pipe::emoji(job.counter, &blocks))
}

/// The members the records point at, read from the served files (not over HTTP).
fn read_members(root: &Path, records: &[Record]) -> Result<Vec<Vec<u8>>, TaskError> {
    let ranges: Vec<fetch::Range> = records
        .iter()
        .map(|r| (r.path.clone(), r.offset, r.length))
        .collect();
    fetch::read_bodies(root, &ranges)
}

/// `{records, emoji_total, by_language}`, languages sorted.
pub fn summary((records, by_language): &pipe::Summary) -> Summary {
    let total: u64 = by_language.values().sum();
    let v = json!({"records": records, "emoji_total": total, "by_language": by_language});
    v.as_object().cloned().unwrap_or_default()
}

/// The index with every `filename` rewritten to the file the server serves: a generated
/// segment's cache file, or (with `index`) `path`'s own name.
pub fn load(path: &Path, index: Option<&Path>) -> Result<Loaded, TaskError> {
    let fetch::IndexInput {
        file,
        text,
        mut root,
        ..
    } = fetch::read_index(path, index)?;
    let mut out = String::with_capacity(text.len());
    for line in String::from_utf8_lossy(&text).lines() {
        // A line's JSON keeps its bytes; only the filename's value is replaced.
        let rewritten = (|| {
            let json = line.splitn(3, ' ').nth(2)?;
            let rec: Value = serde_json::from_str(json).ok()?;
            let filename = rec.get("filename")?.as_str()?;
            let served = fetch::served_file(filename, file, &mut root).ok()?;
            let written = format!("\"filename\": \"{filename}\"");
            if line.contains(&written) {
                return Some(line.replacen(&written, &format!("\"filename\": \"{served}\""), 1));
            }
            // Written otherwise (no space, escapes): the JSON again, with the new value.
            let mut rec = rec.clone();
            rec["filename"] = Value::String(served);
            let head: Vec<&str> = line.splitn(3, ' ').take(2).collect();
            Some(format!("{} {}", head.join(" "), rec))
        })();
        // A line that cannot be rewritten goes through as it is: the index stage judges it.
        out.push_str(rewritten.as_deref().unwrap_or(line));
        out.push('\n');
    }
    let mut loaded = Loaded::new(out.into_bytes(), true);
    let root = root.unwrap_or_else(|| PathBuf::from("."));
    loaded
        .params
        .insert("root".into(), Value::String(root.display().to_string()));
    Ok(loaded)
}
