//! A CDXJ index of the crawl's `response` records, in Common Crawl's format.
//!
//! One line per response record: `SURT-key SP 14-digit-timestamp SP {json}`, the JSON written as
//! Common Crawl's index writer (Python's `json.dumps`) writes it: `{"url": "...", "mime": ...}`
//! with `": "` and `", "`, non-ASCII escaped, all values strings, keys in the real index's order
//! (`url, mime, mime-detected, status, digest, length, offset, filename`, then `truncated`,
//! `charset`, `languages` or `redirect` when they apply). `offset` and `length` are the exact
//! position of the record's gzip member in the segment file named by `filename`, so a fetcher
//! can range-request it. Lines are sorted like the real index (by key, then timestamp).
//!
//! Pages are indexed in order from page 0 until the lines reach the requested size; the
//! segments they fall in must be compressed to know the offsets (not written), which
//! [`crawl::run`] does in parallel.
//!
//! The index also carries the `pipeline` task's expected result ([`pipeline_summary`]): the
//! records it selects, and the emoji in their content blocks by language, known by construction
//! ([`crate::crawl::Http::emoji`]).

use crate::crawl::{self, Member, PageRecords};
use crate::page::Corpus;
use crate::wet::hex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{self, Write};

/// A crawl-derived dataset: pages from 0 until the output reaches `target_bytes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrawlSpec {
    pub seed: u64,
    pub target_bytes: u64,
}

impl CrawlSpec {
    pub fn corpus(&self) -> Corpus {
        Corpus::new(self.seed, crate::WEB_EMOJI_PER_MB)
    }
}

/// The SURT form of a URL as Common Crawl's index keys it: scheme and `www.` dropped, host labels
/// reversed and joined by commas, `)` before the path, query arguments sorted, all lower case
/// (`https://www.Example.com/a?b=2&a=1` -> `com,example)/a?a=1&b=2`).
pub fn surt(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or(rest);
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(split);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = match host.rsplit_once(':') {
        Some((h, p)) if p == "80" || p == "443" || p.is_empty() => h,
        _ => host,
    };
    let mut host = host.to_ascii_lowercase();
    while let Some(h) = host.strip_suffix('.') {
        host = h.to_string();
    }
    // surt's default host massage strips "www", "www2", ... prefixes.
    if let Some(r) = host.strip_prefix("www") {
        let digits = r.bytes().take_while(|b| b.is_ascii_digit()).count();
        if r[digits..].starts_with('.') && r.len() > digits + 1 {
            host = r[digits + 1..].to_string();
        }
    }
    let mut key: String = host.split('.').rev().collect::<Vec<_>>().join(",");
    key.push(')');
    let path = path.to_ascii_lowercase();
    let (p, q) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path.as_str(), None),
    };
    key.push_str(if p.is_empty() { "/" } else { p });
    if let Some(q) = q.filter(|q| !q.is_empty()) {
        // surt's alphaReorderQuery: sort the (name, value?) pairs; a bare name sorts first.
        let mut args: Vec<(&str, Option<&str>)> = q
            .split('&')
            .map(|a| match a.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (a, None),
            })
            .collect();
        args.sort();
        key.push('?');
        for (i, (k, v)) in args.iter().enumerate() {
            if i > 0 {
                key.push('&');
            }
            key.push_str(k);
            if let Some(v) = v {
                key.push('=');
                key.push_str(v);
            }
        }
    }
    key.to_ascii_lowercase()
}

/// `"key": "value"` for the index's JSON (", " between pairs is the caller's).
fn pair(out: &mut String, key: &str, value: &str) {
    crate::json::push_str_ascii(out, key);
    out.push_str(": ");
    crate::json::push_str_ascii(out, value);
}

/// One index line before its offset is known.
struct Pending {
    /// `key ts {"url": ..., "offset": "` (up to the offset's digits).
    prefix: String,
    /// `", "filename": ...}` (after the offset's digits).
    suffix: String,
    filename: String,
    length: u64,
    status: u16,
    selected: bool,
    /// The first entry of the line's `languages`, else "unknown" (the pipeline's key).
    language: String,
    /// RGI emoji in the response record's content block.
    emoji: u32,
}

fn pending(recs: &PageRecords, members: &[Member; 3]) -> Pending {
    let page = &recs.page;
    let f = &recs.capture;
    let length = members[1].len;
    let filename = crawl::segment_cc_path(recs.seed, crawl::segment_of(page.index));
    let ts = crate::warc::warc_date(page.fetch_unix).replace(['-', ':', 'T', 'Z'], "");
    let digest = recs
        .http
        .payload_digest
        .strip_prefix("sha1:")
        .unwrap_or(&recs.http.payload_digest);
    let mut prefix = String::with_capacity(512);
    prefix.push_str(&surt(&page.url));
    prefix.push(' ');
    prefix.push_str(&ts);
    prefix.push_str(" {");
    pair(&mut prefix, "url", &page.url);
    prefix.push_str(", ");
    pair(&mut prefix, "mime", f.mime);
    prefix.push_str(", ");
    pair(&mut prefix, "mime-detected", f.mime_detected);
    prefix.push_str(", ");
    pair(&mut prefix, "status", &f.status.to_string());
    prefix.push_str(", ");
    pair(&mut prefix, "digest", digest);
    prefix.push_str(", ");
    pair(&mut prefix, "length", &length.to_string());
    prefix.push_str(", \"offset\": \"");
    let mut suffix = String::with_capacity(200);
    suffix.push_str("\", ");
    pair(&mut suffix, "filename", &filename);
    if recs.http.truncated {
        suffix.push_str(", ");
        pair(&mut suffix, "truncated", "length");
    }
    let mut language = "unknown";
    if let Some(cs) = f.charset_detected() {
        suffix.push_str(", ");
        pair(&mut suffix, "charset", cs);
        if (f.is_html() || f.mime == "text/plain") && !page.languages.is_empty() {
            suffix.push_str(", ");
            pair(&mut suffix, "languages", &page.languages.join(","));
            language = page.languages[0];
        }
    }
    if let Some(loc) = &recs.http.location {
        suffix.push_str(", ");
        pair(&mut suffix, "redirect", loc);
    }
    suffix.push('}');
    Pending {
        prefix,
        suffix,
        filename,
        length,
        status: f.status,
        selected: f.status == 200 && f.mime == "text/html",
        language: language.to_string(),
        emoji: recs.http.emoji,
    }
}

/// What writing an index produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CdxjReport {
    /// Lines (= response records = pages indexed).
    pub lines: u64,
    pub bytes: u64,
    pub sha256: String,
    /// Segments the lines point into.
    pub segments: Vec<u64>,
    /// The expected result of the `json/cdxj` task.
    pub expected: serde_json::Value,
    /// The expected result of the `pipeline` task (see [`pipeline_summary`]).
    pub pipeline: serde_json::Value,
}

/// The `json/cdxj` summary of index lines in file order: lines, records with status 200 and mime
/// text/html, the sum of their lengths, and the sha256 of their
/// `"{filename}\t{offset}\t{length}\t{status}\n"`.
pub fn summary<'a>(
    lines: u64,
    selected: impl Iterator<Item = (&'a str, u64, u64, u16)>,
) -> serde_json::Value {
    let mut sha = Sha256::new();
    let (mut n, mut sum) = (0u64, 0u64);
    for (filename, offset, length, status) in selected {
        sha.update(format!("{filename}\t{offset}\t{length}\t{status}\n").as_bytes());
        n += 1;
        sum += length;
    }
    serde_json::json!({
        "lines": lines,
        "selected": n,
        "length_sum": sum,
        "sha256": hex(&sha.finalize()),
    })
}

/// The `pipeline` summary of the selected records (as `json/cdxj` selects them: status 200, mime
/// text/html), each given as (language, emoji in its response's content block): `records`, their
/// number; `emoji_total`, the sum of their emoji; `by_language`, the emoji per language (the
/// first entry of the line's `languages`, else "unknown"), keys sorted, with every language that
/// has a selected record, also when its total is 0. Records per language are not kept: the
/// task's work is counting emoji, and a language's records come from the index alone.
pub fn pipeline_summary<'a>(selected: impl Iterator<Item = (&'a str, u32)>) -> serde_json::Value {
    let mut records = 0u64;
    let mut total = 0u64;
    let mut by_language = std::collections::BTreeMap::<&str, u64>::new();
    for (language, emoji) in selected {
        records += 1;
        total += u64::from(emoji);
        *by_language.entry(language).or_insert(0) += u64::from(emoji);
    }
    serde_json::json!({
        "records": records,
        "emoji_total": total,
        "by_language": by_language,
    })
}

/// Writes the index for `spec` to `out` (pages from 0 until the lines reach
/// `spec.target_bytes`; at least one line).
pub fn write_cdxj<W: Write>(
    spec: &CrawlSpec,
    mut out: W,
    threads: usize,
    mut progress: Option<&mut dyn FnMut(u64, u64)>,
) -> io::Result<CdxjReport> {
    let corpus = spec.corpus();
    struct Line {
        text: String,
        filename: String,
        offset: u64,
        length: u64,
        status: u16,
        selected: bool,
        language: String,
        emoji: u32,
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut bytes = 0u64;
    let mut segments = Vec::new();
    crawl::run(
        &corpus,
        0,
        threads,
        false,
        |recs, members| pending(&recs, &members),
        |s| {
            segments.push(s.segment);
            Ok(())
        },
        |p| {
            let it = p.item;
            let offset = p.offsets[1];
            let mut text = it.prefix;
            text.push_str(&offset.to_string());
            text.push_str(&it.suffix);
            bytes += text.len() as u64 + 1;
            lines.push(Line {
                text,
                filename: it.filename,
                offset,
                length: it.length,
                status: it.status,
                selected: it.selected,
                language: it.language,
                emoji: it.emoji,
            });
            if let Some(f) = progress.as_mut() {
                f(bytes.min(spec.target_bytes), spec.target_bytes);
            }
            Ok(bytes < spec.target_bytes)
        },
    )?;
    // The real index is sorted by SURT key, then timestamp (byte order of the whole line).
    lines.sort_by(|a, b| a.text.cmp(&b.text));
    let mut sha = Sha256::new();
    for l in &lines {
        out.write_all(l.text.as_bytes())?;
        out.write_all(b"\n")?;
        sha.update(l.text.as_bytes());
        sha.update(b"\n");
    }
    out.flush()?;
    let expected = summary(
        lines.len() as u64,
        lines
            .iter()
            .filter(|l| l.selected)
            .map(|l| (l.filename.as_str(), l.offset, l.length, l.status)),
    );
    let pipeline = pipeline_summary(
        lines
            .iter()
            .filter(|l| l.selected)
            .map(|l| (l.language.as_str(), l.emoji)),
    );
    Ok(CdxjReport {
        lines: lines.len() as u64,
        bytes,
        sha256: hex(&sha.finalize()),
        segments,
        expected,
        pipeline,
    })
}

/// The index for `spec` in memory.
pub fn generate_cdxj(spec: &CrawlSpec) -> (Vec<u8>, CdxjReport) {
    let mut buf = Vec::new();
    let r = write_cdxj(spec, &mut buf, 0, None).expect("writing to a Vec cannot fail");
    (buf, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surt_keys() {
        assert_eq!(surt("https://www.commoncrawl.org/"), "org,commoncrawl)/");
        assert_eq!(surt("http://commoncrawl.org"), "org,commoncrawl)/");
        assert_eq!(
            surt("https://learningenglish-esl.blogspot.com/2010/08/Billy.html"),
            "com,blogspot,learningenglish-esl)/2010/08/billy.html"
        );
        assert_eq!(
            surt("https://www.a.co.uk/index.php?option=com_content&view=article&id=5"),
            "uk,co,a)/index.php?id=5&option=com_content&view=article"
        );
        assert_eq!(surt("https://www2.x.com:443/P%C3%A4"), "com,x)/p%c3%a4");
        assert_eq!(surt("https://x.com/a?"), "com,x)/a");
    }
}
