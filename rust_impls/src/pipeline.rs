//! `pipeline`: one Common Crawl job, chaining the tasks (the spec is the docstring of
//! `py_impls/pipeline/__init__.py`): read the CDXJ index, fetch every selected record from the
//! server, gunzip it, count the emoji in its content block, add them up per language.
//!
//! Each stage is its task's pick, and a public function so that the harness can time it alone:
//!
//! 1. [`select`]: the index -> the selected [`Record`]s, with the `json/cdxj` pick's scanner
//!    (one field more: `languages`);
//! 2. [`fetch`]: the records -> their gzip members, reqwest on tokio ([`crate::fetch::fetch`]);
//! 3. [`gunzip`]: the members -> the decompressed records, libdeflate one member per call
//!    ([`crate::decompress::decompress`]); the content block is a slice of each
//!    ([`content_block`]), so cutting it copies nothing;
//! 4. [`emoji`]: the content blocks -> each one's emoji total, with a counter of the emoji task
//!    that the caller builds once ([`crate::emoji::VARIANTS`]: its pick is `scanner`);
//! 5. [`aggregate`]: emoji per language.
//!
//! [`run`] chains them on one thread (the fetch runs its own tokio runtime); [`run_2cores`]
//! runs two halves of the selected records on two threads (`std::thread::scope`), each with
//! half of the job's concurrency: the two halves overlap one's decompression with the other's
//! waiting on the network, and split the CPU work in two.
//!
//! Errors are the failing stage's task's own ([`PipelineError`]): a `json/cdxj` error at its
//! line, a fetch error at its record (the plan's range index is the record's), a gzip error at
//! its record (with the byte offset inside the member in the message).

use crate::decompress::{self, GzipError};
use crate::emoji::Counter;
use crate::fetch::{FetchError, Plan, Range};
use crate::json::{self, Field, JsonError};
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// A selected record: where its gzip member lives and the language it is counted under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The file's path relative to the server's URL (the CDXJ `filename`).
    pub path: String,
    pub offset: u64,
    pub length: u64,
    /// The first entry of the CDXJ `languages`, else `"unknown"`.
    pub language: String,
}

/// What a pipeline runs on: the index, the server and the fetch knobs, and the emoji counter
/// (built once per set by the caller: building is not part of the job).
pub struct Job<'a> {
    pub index: &'a [u8],
    /// The server's URL; a record's range is fetched from `base/path`.
    pub base: &'a str,
    pub concurrency: usize,
    pub timeout: Duration,
    pub retries: u32,
    pub counter: &'a dyn Counter,
}

/// The result: the number of selected records and the emoji per language (every language of
/// a selected record present, 0 when its records hold none).
pub type Summary = (u64, BTreeMap<String, u64>);

pub type PipelineFn = fn(&Job) -> Result<Summary, PipelineError>;

/// Every Rust implementation of the whole job, the tier's pick first.
pub const VARIANTS: &[(&str, PipelineFn)] = &[("e2e", run), ("e2e-2cores", run_2cores)];

/// The stage that failed, with its task's error.
#[derive(Debug, Clone)]
pub enum PipelineError {
    Index(JsonError),
    Fetch(FetchError),
    /// The member of the `record`-th selected record (0-based) is not valid gzip.
    Gunzip {
        record: usize,
        error: GzipError,
    },
}

impl PipelineError {
    pub fn stage(&self) -> &'static str {
        match self {
            PipelineError::Index(_) => "index",
            PipelineError::Fetch(_) => "fetch",
            PipelineError::Gunzip { .. } => "gunzip",
        }
    }

    /// The task's error kind (`invalid-json`, `incomplete`, `corrupt`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            PipelineError::Index(e) => e.kind.as_str(),
            PipelineError::Fetch(e) => e.kind.as_str(),
            PipelineError::Gunzip { error, .. } => error.kind.as_str(),
        }
    }

    /// Where: the 1-based index line (`index`), else the 0-based selected record.
    pub fn at(&self) -> u64 {
        match self {
            PipelineError::Index(e) => e.line,
            PipelineError::Fetch(e) => e.index as u64,
            PipelineError::Gunzip { record, .. } => *record as u64,
        }
    }

    /// This error for a part of the records that starts at record `first` of the job.
    fn shifted(mut self, first: usize) -> PipelineError {
        match &mut self {
            PipelineError::Index(_) => {}
            PipelineError::Fetch(e) => e.index += first,
            PipelineError::Gunzip { record, .. } => *record += first,
        }
        self
    }
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineError::Index(e) => write!(f, "index: {e}"),
            PipelineError::Fetch(e) => write!(f, "fetch: record {}: {e}", e.index),
            PipelineError::Gunzip { record, error } => {
                write!(f, "gunzip: record {record}: {error}")
            }
        }
    }
}

impl std::error::Error for PipelineError {}

// ---------------------------------------------------------------- the stages

/// Stage 1: the selected records of a CDXJ index, in index order (the `json/cdxj` rule).
pub fn select(index: &[u8]) -> Result<Vec<Record>, JsonError> {
    let mut records = Vec::new();
    json::each_cdxj_line(index, |number, json| {
        let [status, mime, filename, offset, length, languages] =
            json::cdxj_record::<true>(json, number)?;
        if status.is("200") && mime.is("text/html") {
            let found = json::fetch(number, filename, offset, length)?;
            records.push(Record {
                path: found.filename.into_owned(),
                offset: found.offset,
                length: found.length,
                language: language_of(&languages).to_string(),
            });
        }
        Ok(())
    })?;
    Ok(records)
}

/// The first entry of a comma-separated `languages` string, else "unknown".
fn language_of<'a>(languages: &'a Field) -> &'a str {
    match languages {
        Field::Str(s) if !s.is_empty() => s.split(',').next().unwrap_or(""),
        _ => "unknown",
    }
}

/// The fetch plan of some records: each one's range at `base/path`.
pub fn plan(job: &Job, records: &[Record], concurrency: usize) -> Plan {
    let base = job.base.trim_end_matches('/');
    Plan {
        ranges: records
            .iter()
            .map(|r| Range {
                url: format!("{base}/{}", r.path),
                start: r.offset,
                end: r.offset + r.length - 1,
            })
            .collect(),
        concurrency: concurrency.max(1),
        timeout: job.timeout,
        retries: job.retries,
    }
}

/// Stage 2: every range of the plan (the fetch task's pick).
pub fn fetch(plan: &Plan) -> Result<Vec<Vec<u8>>, FetchError> {
    crate::fetch::fetch(plan)
}

/// Stage 3: each member decompressed (the decompress task's pick). The error names the record.
pub fn gunzip<B: AsRef<[u8]>>(members: &[B]) -> Result<Vec<Vec<u8>>, PipelineError> {
    members
        .iter()
        .enumerate()
        .map(|(record, member)| {
            decompress::decompress(member.as_ref())
                .map(|out| out.data)
                .map_err(|error| PipelineError::Gunzip { record, error })
        })
        .collect()
}

/// Where a decompressed record's content block starts: after the first `\r\n\r\n` (the end of
/// the WARC header block); the record's length if there is none (an empty block).
pub fn content_start(record: &[u8]) -> usize {
    memchr::memmem::find(record, b"\r\n\r\n").map_or(record.len(), |i| i + 4)
}

/// A decompressed record's content block: the HTTP headers and the body.
pub fn content_block(record: &[u8]) -> &[u8] {
    &record[content_start(record)..]
}

/// Stage 4: the emoji total of each content block.
pub fn emoji<B: AsRef<[u8]>>(counter: &dyn Counter, blocks: &[B]) -> Vec<u64> {
    blocks
        .iter()
        .map(|block| counter.count(block.as_ref()).per_sequence.iter().sum())
        .collect()
}

/// Stage 5: (records, emoji per language).
pub fn aggregate(records: &[Record], counts: &[u64]) -> Summary {
    assert_eq!(records.len(), counts.len(), "one count per record");
    let mut by_language = BTreeMap::new();
    for (record, &n) in records.iter().zip(counts) {
        *by_language.entry(record.language.clone()).or_insert(0) += n;
    }
    (records.len() as u64, by_language)
}

// ---------------------------------------------------------------- the job

/// Stages 2 to 4 for some records: their emoji totals.
pub fn count_records(
    job: &Job,
    records: &[Record],
    concurrency: usize,
) -> Result<Vec<u64>, PipelineError> {
    let members = fetch(&plan(job, records, concurrency)).map_err(PipelineError::Fetch)?;
    let decompressed = gunzip(&members)?;
    drop(members);
    let blocks: Vec<&[u8]> = decompressed.iter().map(|r| content_block(r)).collect();
    Ok(emoji(job.counter, &blocks))
}

/// The pick: the stages one after the other.
pub fn run(job: &Job) -> Result<Summary, PipelineError> {
    let records = select(job.index).map_err(PipelineError::Index)?;
    let counts = count_records(job, &records, job.concurrency)?;
    Ok(aggregate(&records, &counts))
}

/// Both cores: the index read here, then each half of the records fetched, decompressed and
/// counted on its own thread with half of the concurrency (at least 1). The lower half's error
/// comes first, as a single thread would report it.
pub fn run_2cores(job: &Job) -> Result<Summary, PipelineError> {
    let records = select(job.index).map_err(PipelineError::Index)?;
    let (first, second) = records.split_at(records.len() / 2);
    let c = job.concurrency;
    let (a, b) = std::thread::scope(|s| {
        let other = s.spawn(|| count_records(job, second, c - c / 2));
        let mine = count_records(job, first, c / 2);
        (mine, other.join().expect("a pipeline thread panicked"))
    });
    let mut counts = a?;
    counts.extend(b.map_err(|e| e.shifted(first.len()))?);
    Ok(aggregate(&records, &counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(json: &str) -> String {
        format!("com,example)/ 20240529061930 {json}\n")
    }

    #[test]
    fn select_keeps_html_200_with_its_first_language() {
        let index = [
            line(r#"{"status": "200", "mime": "text/html", "filename": "a.warc.gz", "offset": "10", "length": "5", "languages": "deu,eng"}"#),
            line(r#"{"status": "404", "mime": "text/html", "filename": "a.warc.gz", "offset": "15", "length": "5"}"#),
            line(r#"{"status": "200", "mime": "application/pdf", "filename": "a.warc.gz", "offset": "20", "length": "5"}"#),
            "\n".to_string(),
            line(r#"{"status": "200", "mime": "text/html", "filename": "b.warc.gz", "offset": "0", "length": "7"}"#),
            line(r#"{"status": "200", "mime": "text/html", "filename": "b.warc.gz", "offset": "7", "length": "7", "languages": null}"#),
            line(r#"{"status": "200", "mime": "text/html", "filename": "b.warc.gz", "offset": "14", "length": "7", "languages": ["eng"]}"#),
            line(r#"{"status": "200", "mime": "text/html", "filename": "b.warc.gz", "offset": "21", "length": "7", "languages": ""}"#),
        ]
        .concat();
        let records = select(index.as_bytes()).unwrap();
        let got: Vec<(&str, u64, u64, &str)> = records
            .iter()
            .map(|r| (r.path.as_str(), r.offset, r.length, r.language.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a.warc.gz", 10, 5, "deu"),
                ("b.warc.gz", 0, 7, "unknown"),
                ("b.warc.gz", 7, 7, "unknown"),
                ("b.warc.gz", 14, 7, "unknown"),
                ("b.warc.gz", 21, 7, "unknown"),
            ]
        );
    }

    #[test]
    fn select_reports_the_json_rule_errors_at_their_line() {
        let index = [
            line(r#"{"status": "200", "mime": "text/html", "filename": "a", "offset": "1", "length": "2"}"#),
            line(r#"{"status": "200", "mime": "text/html", "filename": "a", "offset": "x", "length": "2"}"#),
        ]
        .concat();
        let e = select(index.as_bytes()).unwrap_err();
        assert_eq!((e.kind.as_str(), e.line), ("bad-field", 2));
        let e = select(b"k 1 {\"status\": \"200\",\n").unwrap_err();
        assert_eq!((e.kind.as_str(), e.line), ("invalid-json", 1));
        let e = select(b"\nno-json-part\n").unwrap_err();
        assert_eq!((e.kind.as_str(), e.line), ("missing-json", 2));
        assert!(select(b"").unwrap().is_empty());
    }

    #[test]
    fn the_content_block_is_everything_after_the_warc_headers() {
        let record = b"WARC/1.1\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>\xf0\x9f\x98\x80</p>\r\n\r\n";
        assert_eq!(
            content_block(record),
            b"HTTP/1.1 200 OK\r\n\r\n<p>\xf0\x9f\x98\x80</p>\r\n\r\n"
        );
        assert_eq!(content_block(b"WARC/1.1\r\nno end"), b"");
        assert_eq!(content_block(b"\r\n\r\n"), b"");
    }

    #[test]
    fn gunzip_names_the_record_of_a_bad_member() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(b"WARC/1.1\r\n\r\nbody").unwrap();
        let good = gz.finish().unwrap();
        let records = gunzip(std::slice::from_ref(&good)).unwrap();
        assert_eq!(content_block(&records[0]), b"body");
        let e = gunzip(&[good.clone(), good[..good.len() - 3].to_vec()]).unwrap_err();
        assert_eq!((e.stage(), e.kind(), e.at()), ("gunzip", "truncated", 1));
        assert_eq!(e.shifted(10).at(), 11);
    }

    #[test]
    fn aggregate_keeps_languages_without_emoji() {
        let record = |language: &str| Record {
            path: "p".into(),
            offset: 0,
            length: 1,
            language: language.into(),
        };
        let (n, by) = aggregate(&[record("eng"), record("deu"), record("eng")], &[2, 0, 3]);
        assert_eq!(n, 3);
        assert_eq!(by, BTreeMap::from([("deu".into(), 0), ("eng".into(), 5)]));
    }
}
