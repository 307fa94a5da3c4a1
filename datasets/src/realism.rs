//! Measuring how much generated data looks like the real thing.
//!
//! A generator tuned by eye drifts; one tuned against numbers can be checked in CI. This module
//! computes the same statistics for generated WET files and for real samples (WET/WARC `.gz`,
//! JSON-lines documents, TSV sentences, plain lines), so they can sit side by side in one table
//! (`examples/realism.rs`, README) and in tests with tolerance bands (`tests/realism.rs`).
//!
//! Definitions (all per *document*: a WET `conversion` body, a WARC `response` payload, a JSON
//! line's text field, a TSV/plain line):
//! - record size: body bytes; percentiles are nearest-rank.
//! - non-ASCII share: body bytes >= 0x80 / body bytes.
//! - languages: the first code of `WARC-Identified-Content-Language` (WET), the first
//!   `code-iso-639-3` of the `languages-cld2` field of the matching `metadata` record (WARC), or a
//!   language field/column (JSONL/TSV); share of documents.
//! - scripts: share of *letters* (alphabetic code points) by Unicode block: Latin, Cyrillic, Han,
//!   Kana, Arabic, other (Hangul, Greek, Hebrew, Indic, Thai, ...). HTML payloads are reduced to
//!   their text first (tags, `<script>` and `<style>` skipped); bytes that are not UTF-8 (e.g. GBK or
//!   windows-1251 pages) are skipped and counted in `undecodable_bytes`.
//! - emoji: a deliberately simple code-point range count: U+1F300–1F6FF (minus skin-tone
//!   modifiers), U+1F900–1FAFF, U+2600–27BF, U+2B50, U+2B55, U+231A–231B, U+23E9–23FA, U+20E3
//!   (keycaps), U+1F004, U+1F0CF, U+1F170–1F251, and regional-indicator pairs (flags) as one. So a
//!   ZWJ family counts once per person, `❤️` once, and text-style dingbats like `★`/`✓` count too.
//!   Reported per 10^6 body bytes.
//! - compression ratio (members): decompressed / compressed bytes of the gzip members as stored.
//!   compression ratio (bodies): each body gzip'ed alone at level 6 (one member per document, no
//!   WARC headers), which makes WET, WARC payloads and plain documents comparable.

use crate::warc::parse_record;
use flate2::bufread::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

/// Letter counts by script.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScriptCounts {
    pub latin: u64,
    pub cyrillic: u64,
    pub han: u64,
    pub kana: u64,
    pub arabic: u64,
    pub other: u64,
}

impl ScriptCounts {
    pub fn total(&self) -> u64 {
        self.latin + self.cyrillic + self.han + self.kana + self.arabic + self.other
    }

    /// `(name, share)` pairs in a fixed order.
    pub fn shares(&self) -> [(&'static str, f64); 6] {
        let t = self.total().max(1) as f64;
        [
            ("Latin", self.latin as f64 / t),
            ("Cyrillic", self.cyrillic as f64 / t),
            ("Han", self.han as f64 / t),
            ("Kana", self.kana as f64 / t),
            ("Arabic", self.arabic as f64 / t),
            ("other", self.other as f64 / t),
        ]
    }

    fn add(&mut self, c: char) {
        let u = c as u32;
        match u {
            0x41..=0x5A
            | 0x61..=0x7A
            | 0xC0..=0xD6
            | 0xD8..=0xF6
            | 0xF8..=0x24F
            | 0x1E00..=0x1EFF => self.latin += 1,
            0x400..=0x52F => self.cyrillic += 1,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => {
                self.han += 1
            }
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => self.kana += 1,
            0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF
                if c.is_alphabetic() =>
            {
                self.arabic += 1
            }
            _ if c.is_alphabetic() => self.other += 1,
            _ => {}
        }
    }
}

/// Whether `c` counts as an emoji for [`Stats::emoji`] (see the module docs). Regional indicators
/// are handled by the caller (a pair is one flag).
pub fn is_emoji_code_point(c: char) -> bool {
    matches!(c as u32,
        0x1F300..=0x1F3FA | 0x1F400..=0x1F6FF | 0x1F900..=0x1FAFF | 0x2600..=0x27BF
        | 0x2B50 | 0x2B55 | 0x231A..=0x231B | 0x23E9..=0x23FA | 0x20E3 | 0x1F004 | 0x1F0CF
        | 0x1F170..=0x1F251)
}

fn is_regional_indicator(c: char) -> bool {
    (0x1F1E6..=0x1F1FF).contains(&(c as u32))
}

/// Statistics of one source (see the module docs for definitions).
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub label: String,
    /// "WET", "WARC", "JSONL", "TSV", "lines".
    pub format: String,
    /// Documents analysed.
    pub records: u64,
    pub body_sizes: Vec<u64>,
    pub body_bytes: u64,
    pub non_ascii_bytes: u64,
    /// Documents by primary language (documents without one under "-").
    pub languages: BTreeMap<String, u64>,
    pub scripts: ScriptCounts,
    pub undecodable_bytes: u64,
    pub emoji: u64,
    /// gzip members read (0 for plain files).
    pub members: u64,
    pub member_compressed_bytes: u64,
    pub member_decompressed_bytes: u64,
    /// Sum over documents of gzip -6 of the body alone (0 when not computed).
    pub body_gzip_bytes: u64,
    /// Sizes of the *raw* extracted page text where a sample records them: CLD2's `text-bytes` in
    /// WARC `metadata` records, dolma's `original_length` (the WET document before CCNet's line
    /// filtering). The closest thing to real WET body sizes these samples hold.
    pub raw_text_sizes: Vec<u64>,
}

/// Nearest-rank percentile (`p` in 0..=100) of `values` (0 when empty).
pub fn percentile_of(values: &[u64], p: f64) -> u64 {
    if values.is_empty() {
        return 0;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v[rank.min(v.len()) - 1]
}

impl Stats {
    /// Nearest-rank percentile of body sizes (`p` in 0..=100).
    pub fn percentile(&self, p: f64) -> u64 {
        percentile_of(&self.body_sizes, p)
    }

    /// Adds another source's counts to this one (e.g. several JSONL files as one sample).
    pub fn merge(&mut self, other: Stats) {
        self.records += other.records;
        self.body_sizes.extend(other.body_sizes);
        self.body_bytes += other.body_bytes;
        self.non_ascii_bytes += other.non_ascii_bytes;
        for (l, n) in other.languages {
            *self.languages.entry(l).or_insert(0) += n;
        }
        let (a, b) = (&mut self.scripts, other.scripts);
        a.latin += b.latin;
        a.cyrillic += b.cyrillic;
        a.han += b.han;
        a.kana += b.kana;
        a.arabic += b.arabic;
        a.other += b.other;
        self.undecodable_bytes += other.undecodable_bytes;
        self.emoji += other.emoji;
        self.members += other.members;
        self.member_compressed_bytes += other.member_compressed_bytes;
        self.member_decompressed_bytes += other.member_decompressed_bytes;
        self.body_gzip_bytes += other.body_gzip_bytes;
        self.raw_text_sizes.extend(other.raw_text_sizes);
    }

    pub fn mean_body(&self) -> f64 {
        self.body_bytes as f64 / self.records.max(1) as f64
    }

    pub fn non_ascii_share(&self) -> f64 {
        self.non_ascii_bytes as f64 / self.body_bytes.max(1) as f64
    }

    pub fn emoji_per_mb(&self) -> f64 {
        self.emoji as f64 * 1e6 / self.body_bytes.max(1) as f64
    }

    /// Decompressed / compressed bytes of the members as stored (None for plain files).
    pub fn member_ratio(&self) -> Option<f64> {
        (self.member_compressed_bytes > 0)
            .then(|| self.member_decompressed_bytes as f64 / self.member_compressed_bytes as f64)
    }

    /// Body bytes / gzip -6 of each body alone (None when not computed).
    pub fn body_ratio(&self) -> Option<f64> {
        (self.body_gzip_bytes > 0).then(|| self.body_bytes as f64 / self.body_gzip_bytes as f64)
    }

    /// Mean decompressed bytes per gzip member (headers included).
    pub fn mean_member(&self) -> Option<f64> {
        (self.members > 0).then(|| self.member_decompressed_bytes as f64 / self.members as f64)
    }

    /// Share of documents in `lang` (primary language).
    pub fn language_share(&self, lang: &str) -> f64 {
        *self.languages.get(lang).unwrap_or(&0) as f64 / self.records.max(1) as f64
    }

    fn add_document(&mut self, body: &[u8], lang: Option<&str>, html: bool, body_gzip: bool) {
        self.records += 1;
        self.body_sizes.push(body.len() as u64);
        self.body_bytes += body.len() as u64;
        self.non_ascii_bytes += body.iter().filter(|&&b| b >= 0x80).count() as u64;
        *self
            .languages
            .entry(lang.unwrap_or("-").to_string())
            .or_insert(0) += 1;
        let mut pending_ri = false;
        let mut count_chars = |text: &str, scripts: &mut ScriptCounts, emoji: &mut u64| {
            for c in text.chars() {
                if is_regional_indicator(c) {
                    if pending_ri {
                        *emoji += 1;
                    }
                    pending_ri = !pending_ri;
                    continue;
                }
                pending_ri = false;
                if is_emoji_code_point(c) {
                    *emoji += 1;
                } else {
                    scripts.add(c);
                }
            }
        };
        let mut undecodable = 0u64;
        for chunk in body.utf8_chunks() {
            undecodable += chunk.invalid().len() as u64;
            let valid = chunk.valid();
            if html {
                for piece in HtmlText::new(valid) {
                    count_chars(piece, &mut self.scripts, &mut self.emoji);
                }
            } else {
                count_chars(valid, &mut self.scripts, &mut self.emoji);
            }
        }
        self.undecodable_bytes += undecodable;
        if body_gzip {
            self.body_gzip_bytes += gzip_len(body);
        }
    }
}

/// Compressed size of `data` as one gzip member at level 6.
pub fn gzip_len(data: &[u8]) -> u64 {
    let mut enc = GzEncoder::new(Vec::with_capacity(data.len() / 2 + 64), Compression::new(6));
    enc.write_all(data).expect("Vec write");
    enc.finish().expect("Vec write").len() as u64
}

/// Iterator over the text pieces of an HTML fragment (outside tags, `<script>`, `<style>`).
struct HtmlText<'a> {
    rest: &'a str,
}

impl<'a> HtmlText<'a> {
    fn new(s: &'a str) -> Self {
        HtmlText { rest: s }
    }
}

impl<'a> Iterator for HtmlText<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        while !self.rest.is_empty() {
            if let Some(tag) = self.rest.strip_prefix('<') {
                let lower = tag.get(..6).map(|s| s.to_ascii_lowercase());
                let skip_to = match lower.as_deref() {
                    Some("script") => find_ci(self.rest, "</script"),
                    Some(p) if p.starts_with("style") => find_ci(self.rest, "</style"),
                    _ => None,
                };
                let from = skip_to.unwrap_or(0);
                match self.rest[from..].find('>') {
                    Some(end) => self.rest = &self.rest[from + end + 1..],
                    None => self.rest = "",
                }
                continue;
            }
            let end = self.rest.find('<').unwrap_or(self.rest.len());
            let (text, rest) = self.rest.split_at(end);
            self.rest = rest;
            return Some(text);
        }
        None
    }
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

/// What to include and compute.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only documents whose primary language is this code (e.g. "eng"); members likewise.
    pub only_lang: Option<String>,
    /// Also gzip each body alone (for [`Stats::body_ratio`]); costs one compression pass.
    pub body_gzip: bool,
}

/// A `BufRead` that counts consumed bytes (to attribute compressed bytes to gzip members).
struct Counting<R> {
    inner: R,
    consumed: u64,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.consumed += amt as u64;
        self.inner.consume(amt);
    }
}

fn first_code(v: &str) -> &str {
    v.split(',').next().unwrap_or(v).trim()
}

/// Language and `text-bytes` of a WARC `metadata` record's `languages-cld2: {json}` line.
fn cld2_info(block: &[u8]) -> Option<(Option<String>, Option<u64>)> {
    let text = std::str::from_utf8(block).ok()?;
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("languages-cld2: "))?;
    let v: serde_json::Value = serde_json::from_str(line.trim()).ok()?;
    Some((
        v["languages"][0]["code-iso-639-3"]
            .as_str()
            .map(str::to_string),
        v["text-bytes"].as_u64(),
    ))
}

/// Analyses a `.warc.gz` / `.warc.wet.gz` file (one or more records per gzip member).
pub fn analyze_warc(path: &Path, label: &str, opts: &Options) -> io::Result<Stats> {
    analyze_warc_reader(
        BufReader::with_capacity(1 << 20, File::open(path)?),
        label,
        opts,
    )
}

/// [`analyze_warc`] over any buffered reader (e.g. an in-memory file).
pub fn analyze_warc_reader<R: BufRead>(
    reader: R,
    label: &str,
    opts: &Options,
) -> io::Result<Stats> {
    let mut st = Stats {
        label: label.to_string(),
        ..Default::default()
    };
    let mut input = Counting {
        inner: reader,
        consumed: 0,
    };
    let mut member = Vec::new();
    // WARC responses: (payload, uri, member compressed, member decompressed), languages come later.
    let mut responses: Vec<(Vec<u8>, String, u64, u64)> = Vec::new();
    let mut uri_lang: BTreeMap<String, String> = BTreeMap::new();
    let mut raw_sizes: Vec<(String, u64)> = Vec::new();
    let mut saw_wet = false;
    while !input.fill_buf()?.is_empty() {
        let before = input.consumed;
        member.clear();
        GzDecoder::new(&mut input).read_to_end(&mut member)?;
        let compressed = input.consumed - before;
        let mut member_included = opts.only_lang.is_none();
        let mut pos = 0;
        while pos < member.len() {
            let rec = parse_record(&member[pos..])
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{label}: {e}")))?;
            pos += rec.len;
            match rec.header("WARC-Type").unwrap_or("") {
                "conversion" => {
                    saw_wet = true;
                    let lang = rec
                        .header("WARC-Identified-Content-Language")
                        .map(first_code);
                    if opts.only_lang.as_deref().is_none_or(|l| Some(l) == lang) {
                        member_included = true;
                        st.add_document(rec.block, lang, false, opts.body_gzip);
                    }
                }
                "response" => {
                    let payload = match rec.block.windows(4).position(|w| w == b"\r\n\r\n") {
                        Some(i) => &rec.block[i + 4..],
                        None => rec.block,
                    };
                    let uri = rec.header("WARC-Target-URI").unwrap_or("").to_string();
                    responses.push((payload.to_vec(), uri, compressed, member.len() as u64));
                    member_included = false; // decided once languages are known
                }
                "metadata" => {
                    if let (Some((lang, bytes)), Some(u)) =
                        (cld2_info(rec.block), rec.header("WARC-Target-URI"))
                    {
                        if let Some(l) = lang {
                            uri_lang.insert(u.to_string(), l);
                        }
                        if let Some(b) = bytes {
                            raw_sizes.push((u.to_string(), b));
                        }
                    }
                }
                _ => {}
            }
        }
        if member_included {
            st.members += 1;
            st.member_compressed_bytes += compressed;
            st.member_decompressed_bytes += member.len() as u64;
        }
    }
    for (payload, uri, comp, decomp) in &responses {
        let lang = uri_lang.get(uri).map(String::as_str);
        if opts.only_lang.as_deref().is_none_or(|l| Some(l) == lang) {
            st.add_document(payload, lang, true, opts.body_gzip);
            if opts.only_lang.is_some() {
                st.members += 1;
                st.member_compressed_bytes += comp;
                st.member_decompressed_bytes += decomp;
            }
        }
    }
    for (uri, b) in raw_sizes {
        let lang = uri_lang.get(&uri).map(String::as_str);
        if opts.only_lang.as_deref().is_none_or(|l| Some(l) == lang) {
            st.raw_text_sizes.push(b);
        }
    }
    st.format = if saw_wet { "WET" } else { "WARC" }.to_string();
    Ok(st)
}

/// Analyses JSON lines whose `text_field` holds a document; the language is taken from
/// `"language"`/`"lang"` at top level or under `"metadata"` when present.
pub fn analyze_jsonl(
    path: &Path,
    label: &str,
    text_field: &str,
    opts: &Options,
) -> io::Result<Stats> {
    let mut st = Stats {
        label: label.to_string(),
        format: "JSONL".into(),
        ..Default::default()
    };
    for line in BufReader::new(File::open(path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?;
        let Some(text) = v[text_field].as_str() else {
            continue;
        };
        let lang = ["language", "lang"]
            .iter()
            .find_map(|k| v[*k].as_str().or_else(|| v["metadata"][*k].as_str()))
            .map(normalize_lang);
        if opts
            .only_lang
            .as_deref()
            .is_none_or(|l| Some(l) == lang.as_deref())
        {
            st.add_document(text.as_bytes(), lang.as_deref(), false, opts.body_gzip);
            if let Some(n) = v["metadata"]["original_length"].as_u64() {
                st.raw_text_sizes.push(n);
            }
        }
    }
    Ok(st)
}

/// Analyses a TSV of sentences: `text_col` holds the text, `lang_col` (if any) a language code;
/// the first line is skipped when `header` is set.
pub fn analyze_tsv(
    path: &Path,
    label: &str,
    text_col: usize,
    lang_col: Option<usize>,
    header: bool,
    opts: &Options,
) -> io::Result<Stats> {
    let mut st = Stats {
        label: label.to_string(),
        format: "TSV".into(),
        ..Default::default()
    };
    for (i, line) in BufReader::new(File::open(path)?).lines().enumerate() {
        let line = line?;
        if (header && i == 0) || line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let Some(text) = cols.get(text_col) else {
            continue;
        };
        let lang = lang_col
            .and_then(|c| cols.get(c))
            .map(|s| normalize_lang(s));
        if opts
            .only_lang
            .as_deref()
            .is_none_or(|l| Some(l) == lang.as_deref())
        {
            st.add_document(text.as_bytes(), lang.as_deref(), false, opts.body_gzip);
        }
    }
    Ok(st)
}

/// Analyses a plain text file, one document per line.
pub fn analyze_lines(path: &Path, label: &str, opts: &Options) -> io::Result<Stats> {
    let mut st = Stats {
        label: label.to_string(),
        format: "lines".into(),
        ..Default::default()
    };
    let data = std::fs::read(path)?;
    for line in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        st.add_document(line, None, false, opts.body_gzip);
    }
    Ok(st)
}

/// Two-letter codes as used by dolma/CLD2 mapped to the ISO 639-3 codes WET headers use.
fn normalize_lang(code: &str) -> String {
    let map = [
        ("en", "eng"),
        ("de", "deu"),
        ("fr", "fra"),
        ("es", "spa"),
        ("ru", "rus"),
        ("ja", "jpn"),
        ("zh", "zho"),
        ("it", "ita"),
        ("pt", "por"),
        ("nl", "nld"),
        ("pl", "pol"),
        ("ar", "ara"),
        ("ko", "kor"),
        ("tr", "tur"),
        ("vi", "vie"),
    ];
    map.iter()
        .find(|(a, _)| *a == code)
        .map_or_else(|| code.to_string(), |(_, b)| b.to_string())
}

fn pct(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x < 0.001 {
        format!("{:.3}%", x * 100.0)
    } else if x < 0.1 {
        format!("{:.2}%", x * 100.0)
    } else {
        format!("{:.1}%", x * 100.0)
    }
}

fn kb(n: f64) -> String {
    if n >= 10_000.0 {
        format!("{:.0} K", n / 1000.0)
    } else if n >= 1000.0 {
        format!("{:.1} K", n / 1000.0)
    } else {
        format!("{n:.0}")
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A markdown table with one column per source (sizes in bytes, K = 1000).
pub fn markdown_table(stats: &[Stats]) -> String {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut row = |name: &str, f: &dyn Fn(&Stats) -> String| {
        rows.push((name.to_string(), stats.iter().map(f).collect()))
    };
    row("format", &|s| s.format.clone());
    row("documents", &|s| thousands(s.records));
    row("gzip members", &|s| {
        if s.members > 0 {
            thousands(s.members)
        } else {
            "-".into()
        }
    });
    row("mean bytes / member (incl. headers)", &|s| {
        s.mean_member().map_or("-".into(), kb)
    });
    row("members per 100 MB inflated", &|s| {
        s.mean_member().map_or("-".into(), |m| {
            thousands((100.0 * 1024.0 * 1024.0 / m).round() as u64)
        })
    });
    row("body bytes p10 / p50 / p90", &|s| {
        format!(
            "{} / {} / {}",
            kb(s.percentile(10.0) as f64),
            kb(s.percentile(50.0) as f64),
            kb(s.percentile(90.0) as f64)
        )
    });
    row("body bytes p99 / max", &|s| {
        format!(
            "{} / {}",
            kb(s.percentile(99.0) as f64),
            kb(s.percentile(100.0) as f64)
        )
    });
    row("body bytes mean", &|s| kb(s.mean_body()));
    row(
        "raw page-text size p10 / p50 / p90 (sample metadata)",
        &|s| {
            let v = &s.raw_text_sizes;
            if v.is_empty() {
                "-".into()
            } else {
                let p = |q| kb(percentile_of(v, q) as f64);
                format!("{} / {} / {} (n={})", p(10.0), p(50.0), p(90.0), v.len())
            }
        },
    );
    row("non-ASCII share of body bytes", &|s| {
        pct(s.non_ascii_share())
    });
    row("top languages (share of documents)", &|s| {
        let mut v: Vec<_> = s.languages.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let n = s.records.max(1) as f64;
        let mut parts: Vec<String> = v
            .iter()
            .take(6)
            .map(|(l, c)| format!("{l} {}", pct(**c as f64 / n)))
            .collect();
        if v.len() > 6 {
            parts.push(format!("+{} more", v.len() - 6));
        }
        parts.join(", ")
    });
    row("scripts (share of letters)", &|s| {
        s.scripts
            .shares()
            .iter()
            .filter(|(_, x)| *x >= 0.0005)
            .map(|(n, x)| format!("{n} {}", pct(*x)))
            .collect::<Vec<_>>()
            .join(", ")
    });
    row("emoji per MB of text", &|s| {
        format!("{:.1}", s.emoji_per_mb())
    });
    row("compression ratio, members as stored", &|s| {
        s.member_ratio().map_or("-".into(), |r| format!("{r:.2}"))
    });
    row("compression ratio, each body gzip -6", &|s| {
        s.body_ratio().map_or("-".into(), |r| format!("{r:.2}"))
    });

    let mut out = String::new();
    out.push_str("| |");
    for s in stats {
        out.push_str(&format!(" {} |", s.label));
    }
    out.push_str("\n|---|");
    for _ in stats {
        out.push_str("---|");
    }
    out.push('\n');
    for (name, cells) in rows {
        out.push_str(&format!("| {name} |"));
        for c in cells {
            out.push_str(&format!(" {c} |"));
        }
        out.push('\n');
    }
    out
}

// ------------------------------------------------------------------------------------ CDXJ

/// Statistics of a CDXJ index (or of Common Crawl's index-server JSON lines, converted to CDXJ).
#[derive(Clone, Debug, Default)]
pub struct CdxjStats {
    pub label: String,
    pub lines: u64,
    pub line_lengths: Vec<u64>,
    pub key_lengths: Vec<u64>,
    pub url_lengths: Vec<u64>,
    /// Lines carrying each JSON field.
    pub fields: BTreeMap<String, u64>,
    pub statuses: BTreeMap<String, u64>,
    pub mimes: BTreeMap<String, u64>,
    pub offset_digits: Vec<u64>,
}

/// Python's `json.dumps` of a flat object of strings (`{"k": "v", ...}`, non-ASCII escaped).
fn python_json(map: &serde_json::Map<String, serde_json::Value>) -> String {
    let mut s = String::from("{");
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        crate::json::push_str_ascii(&mut s, k);
        s.push_str(": ");
        match v.as_str() {
            Some(v) => crate::json::push_str_ascii(&mut s, v),
            None => s.push_str(&v.to_string()),
        }
    }
    s.push('}');
    s
}

/// Analyses a `.cdxj` file; lines that are whole JSON objects with `urlkey` and `timestamp`
/// (the index server's `output=json`) are first converted to the CDXJ form.
pub fn analyze_cdxj(path: &Path, label: &str) -> io::Result<CdxjStats> {
    let data = std::fs::read(path)?;
    let bad = |e: String| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    };
    let mut st = CdxjStats {
        label: label.to_string(),
        ..Default::default()
    };
    for raw in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let text = std::str::from_utf8(raw).map_err(|e| bad(e.to_string()))?;
        let (line, key, json) = if text.starts_with('{') {
            let mut m: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
            let key = m
                .remove("urlkey")
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let ts = m
                .remove("timestamp")
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let json = python_json(&m);
            (format!("{key} {ts} {json}"), key, m)
        } else {
            let mut parts = text.splitn(3, ' ');
            let key = parts.next().unwrap_or("").to_string();
            let _ts = parts.next();
            let m: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(parts.next().unwrap_or("{}"))
                    .map_err(|e| bad(e.to_string()))?;
            (text.to_string(), key, m)
        };
        st.lines += 1;
        st.line_lengths.push(line.len() as u64 + 1);
        st.key_lengths.push(key.len() as u64);
        let get = |k: &str| json.get(k).and_then(|v| v.as_str()).unwrap_or("");
        st.url_lengths.push(get("url").len() as u64);
        st.offset_digits.push(get("offset").len() as u64);
        for k in json.keys() {
            *st.fields.entry(k.clone()).or_insert(0) += 1;
        }
        *st.statuses.entry(get("status").to_string()).or_insert(0) += 1;
        *st.mimes.entry(get("mime").to_string()).or_insert(0) += 1;
    }
    Ok(st)
}

fn shares(m: &BTreeMap<String, u64>, n: u64, top: usize) -> String {
    let mut v: Vec<_> = m.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut parts: Vec<String> = v
        .iter()
        .take(top)
        .map(|(k, c)| format!("{k} {}", pct(**c as f64 / n.max(1) as f64)))
        .collect();
    if v.len() > top {
        parts.push(format!("+{} more", v.len() - top));
    }
    parts.join(", ")
}

fn p3(v: &[u64]) -> String {
    format!(
        "{} / {} / {}",
        percentile_of(v, 10.0),
        percentile_of(v, 50.0),
        percentile_of(v, 90.0)
    )
}

fn mean(v: &[u64]) -> f64 {
    v.iter().sum::<u64>() as f64 / v.len().max(1) as f64
}

/// A markdown table comparing CDXJ indexes (bytes, not K).
pub fn cdxj_table(stats: &[CdxjStats]) -> String {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut row = |name: &str, f: &dyn Fn(&CdxjStats) -> String| {
        rows.push((name.to_string(), stats.iter().map(f).collect()))
    };
    row("lines", &|s| thousands(s.lines));
    row("line bytes p10 / p50 / p90", &|s| p3(&s.line_lengths));
    row("line bytes mean", &|s| {
        format!("{:.0}", mean(&s.line_lengths))
    });
    row("SURT key bytes p10 / p50 / p90", &|s| p3(&s.key_lengths));
    row("url bytes p10 / p50 / p90", &|s| p3(&s.url_lengths));
    row("offset digits p10 / p50 / p90", &|s| p3(&s.offset_digits));
    row("fields (share of lines)", &|s| {
        shares(&s.fields, s.lines, 14)
    });
    row("status", &|s| shares(&s.statuses, s.lines, 6));
    row("mime", &|s| shares(&s.mimes, s.lines, 5));
    table(stats.iter().map(|s| s.label.as_str()), rows)
}

fn table<'a>(labels: impl Iterator<Item = &'a str>, rows: Vec<(String, Vec<String>)>) -> String {
    let labels: Vec<&str> = labels.collect();
    let mut out = String::from("| |");
    for l in &labels {
        out.push_str(&format!(" {l} |"));
    }
    out.push_str("\n|---|");
    for _ in &labels {
        out.push_str("---|");
    }
    out.push('\n');
    for (name, cells) in rows {
        out.push_str(&format!("| {name} |"));
        for c in cells {
            out.push_str(&format!(" {c} |"));
        }
        out.push('\n');
    }
    out
}

// ------------------------------------------------------------------------------------ WAT and HTML links

/// Statistics of WAT documents (one JSON document per line, or a `.warc.wat.gz`).
#[derive(Clone, Debug, Default)]
pub struct WatStats {
    pub label: String,
    pub documents: u64,
    /// Document sizes in bytes by the WARC type they describe.
    pub sizes: BTreeMap<String, Vec<u64>>,
    /// `HTML-Metadata.Links` entries per HTML response document with status 200.
    pub links: Vec<u64>,
    /// `Links` entries by `path` (`A@/href`, `IMG@/src`, ...).
    pub link_paths: BTreeMap<String, u64>,
    /// `Head.Metas` / `Head.Link` / `Head.Scripts` entries per HTML response document.
    pub metas: Vec<u64>,
    pub link_tags: Vec<u64>,
    pub scripts: Vec<u64>,
    pub servers: std::collections::BTreeSet<String>,
    pub http2_share: f64,
}

/// Analyses WAT documents from a `.wat.jsonl` file or (by extracting them) a `.warc.wat.gz`.
pub fn analyze_wat(path: &Path, label: &str) -> io::Result<WatStats> {
    let data = if path.to_string_lossy().ends_with(".gz") {
        crate::wat::extract_payloads_from_file(path)?
    } else {
        std::fs::read(path)?
    };
    analyze_wat_bytes(&data, label)
}

/// [`analyze_wat`] over documents in memory (one per line).
pub fn analyze_wat_bytes(data: &[u8], label: &str) -> io::Result<WatStats> {
    let mut st = WatStats {
        label: label.to_string(),
        ..Default::default()
    };
    let (mut responses, mut h2) = (0u64, 0u64);
    for line in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let v: serde_json::Value = serde_json::from_slice(line)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{label}: {e}")))?;
        st.documents += 1;
        let e = &v["Envelope"];
        let t = e["WARC-Header-Metadata"]["WARC-Type"]
            .as_str()
            .unwrap_or("-")
            .to_string();
        st.sizes.entry(t).or_default().push(line.len() as u64);
        let http = &e["Payload-Metadata"]["HTTP-Response-Metadata"];
        if let Some(h) = http["Headers"].as_object() {
            responses += 1;
            // HTTP/2 header names are lower case; the crawler adds `X-Crawler-…` and a final
            // `Content-Length` in its own spelling.
            let h1 = h.keys().any(|k| {
                k.chars().any(|c| c.is_ascii_uppercase())
                    && !k.starts_with("X-Crawler")
                    && k != "Content-Length"
            });
            if !h1 {
                h2 += 1;
            }
            if let Some((_, s)) = h.iter().find(|(k, _)| k.eq_ignore_ascii_case("server")) {
                st.servers.insert(s.as_str().unwrap_or("").to_string());
            }
        }
        let ok = http["Response-Message"]["Status"] == "200";
        if let Some(html) = http["HTML-Metadata"].as_object().filter(|_| ok) {
            let links = html.get("Links").and_then(|l| l.as_array());
            st.links.push(links.map_or(0, |l| l.len() as u64));
            for l in links.into_iter().flatten() {
                *st.link_paths
                    .entry(l["path"].as_str().unwrap_or("").to_string())
                    .or_insert(0) += 1;
            }
            let head = &html.get("Head").cloned().unwrap_or_default();
            let n = |k: &str| head[k].as_array().map_or(0, |a| a.len() as u64);
            st.metas.push(n("Metas"));
            st.link_tags.push(n("Link"));
            st.scripts.push(n("Scripts"));
        }
    }
    st.http2_share = h2 as f64 / responses.max(1) as f64;
    Ok(st)
}

/// Approximate `Links` counts of real HTML pages: ia-web-commons' main link sources counted in
/// the raw HTML (`<a href>`, `<img src>`, `<form action>`, `<iframe src>`, `<area href>`,
/// `<embed/source/video src>`), plus `<link href>`, `<meta>` and `<script src>` for the head.
#[derive(Clone, Debug, Default)]
pub struct HtmlLinkStats {
    pub label: String,
    pub pages: u64,
    pub html_bytes: Vec<u64>,
    pub links: Vec<u64>,
    pub anchors: Vec<u64>,
    pub images: Vec<u64>,
    pub link_tags: Vec<u64>,
    pub metas: Vec<u64>,
    pub scripts: Vec<u64>,
}

fn count_tags(html: &[u8], tag: &str, attr: Option<&str>) -> u64 {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let mut n = 0;
    let mut pos = 0;
    while let Some(i) = find_bytes(&lower[pos..], open.as_bytes()) {
        let start = pos + i + open.len();
        pos = start;
        // A tag name ends at whitespace, '>' or '/'.
        if !matches!(
            lower.get(start),
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
        ) {
            continue;
        }
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let inside = &lower[start..end];
        if attr.is_none_or(|a| {
            find_bytes(inside, format!(" {a}=").as_bytes()).is_some()
                || find_bytes(inside, format!("\n{a}=").as_bytes()).is_some()
                || find_bytes(inside, format!("\t{a}=").as_bytes()).is_some()
        }) {
            n += 1;
        }
    }
    n
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Link counts of the HTML `response` payloads of a WARC file (status 200, HTML content type).
pub fn analyze_html_links(path: &Path, label: &str) -> io::Result<HtmlLinkStats> {
    let mut st = HtmlLinkStats {
        label: label.to_string(),
        ..Default::default()
    };
    let mut all = Vec::new();
    flate2::read::MultiGzDecoder::new(BufReader::new(File::open(path)?)).read_to_end(&mut all)?;
    let mut pos = 0;
    while pos < all.len() {
        let rec = parse_record(&all[pos..])
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{label}: {e}")))?;
        pos += rec.len;
        if rec.header("WARC-Type") != Some("response") {
            continue;
        }
        let Some(i) = rec.block.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&rec.block[..i]).to_ascii_lowercase();
        if !head.starts_with("http/1.1 200")
            || !head.contains("content-type: text/html")
                && !head.contains("content-type: application/xhtml")
        {
            continue;
        }
        let html = &rec.block[i + 4..];
        st.pages += 1;
        st.html_bytes.push(html.len() as u64);
        let a = count_tags(html, "a", Some("href"));
        let img = count_tags(html, "img", Some("src"));
        let other = count_tags(html, "form", Some("action"))
            + count_tags(html, "iframe", Some("src"))
            + count_tags(html, "area", Some("href"))
            + count_tags(html, "embed", Some("src"))
            + count_tags(html, "source", Some("src"))
            + count_tags(html, "video", Some("src"));
        st.anchors.push(a);
        st.images.push(img);
        st.links.push(a + img + other);
        st.link_tags.push(count_tags(html, "link", Some("href")));
        st.metas.push(count_tags(html, "meta", None));
        st.scripts.push(count_tags(html, "script", Some("src")));
    }
    Ok(st)
}

/// A markdown table: WAT document sizes and link counts, and link counts of HTML pages.
pub fn wat_table(wat: &[WatStats], html: &[HtmlLinkStats]) -> String {
    let mut labels: Vec<String> = wat.iter().map(|w| w.label.clone()).collect();
    labels.extend(html.iter().map(|h| h.label.clone()));
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let dash = || "-".to_string();
    let mut row =
        |name: &str, w: &dyn Fn(&WatStats) -> String, h: &dyn Fn(&HtmlLinkStats) -> String| {
            let mut cells: Vec<String> = wat.iter().map(w).collect();
            cells.extend(html.iter().map(h));
            rows.push((name.to_string(), cells));
        };
    row(
        "documents / HTML pages",
        &|w| thousands(w.documents),
        &|h| thousands(h.pages),
    );
    for t in ["warcinfo", "request", "response", "metadata"] {
        row(
            &format!("{t} document bytes p10 / p50 / p90"),
            &|w| {
                w.sizes
                    .get(t)
                    .map_or(dash(), |v| format!("{} (n={})", p3(v), v.len()))
            },
            &|_| dash(),
        );
    }
    row("HTML bytes p10 / p50 / p90", &|_| dash(), &|h| {
        p3(&h.html_bytes)
    });
    row(
        "links per HTML page p10 / p50 / p90 (mean)",
        &|w| {
            if w.links.is_empty() {
                dash()
            } else {
                format!("{} ({:.0})", p3(&w.links), mean(&w.links))
            }
        },
        &|h| format!("{} ({:.0})", p3(&h.links), mean(&h.links)),
    );
    row(
        "of which `<a href>` / `<img src>` (mean per page)",
        &|w| {
            let n = w.links.len().max(1) as f64;
            let g = |k: &str| *w.link_paths.get(k).unwrap_or(&0) as f64 / n;
            if w.links.is_empty() {
                dash()
            } else {
                format!("{:.0} / {:.0}", g("A@/href"), g("IMG@/src"))
            }
        },
        &|h| format!("{:.0} / {:.0}", mean(&h.anchors), mean(&h.images)),
    );
    row(
        "head `<meta>` / `<link>` / `<script src>` (median)",
        &|w| {
            if w.links.is_empty() {
                dash()
            } else {
                format!(
                    "{} / {} / {}",
                    percentile_of(&w.metas, 50.0),
                    percentile_of(&w.link_tags, 50.0),
                    percentile_of(&w.scripts, 50.0)
                )
            }
        },
        &|h| {
            format!(
                "{} / {} / {}",
                percentile_of(&h.metas, 50.0),
                percentile_of(&h.link_tags, 50.0),
                percentile_of(&h.scripts, 50.0)
            )
        },
    );
    row(
        "distinct Server values (HTTP/2 share of responses)",
        &|w| {
            if w.servers.is_empty() {
                dash()
            } else {
                format!("{} ({})", w.servers.len(), pct(w.http2_share))
            }
        },
        &|_| dash(),
    );
    table(labels.iter().map(String::as_str), rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_emoji() {
        let mut s = Stats::default();
        s.add_document(
            "Aé Жж 漢 かカ ع ש 😀🇩🇪 ❤️ 👍🏻".as_bytes(),
            Some("x"),
            false,
            false,
        );
        assert_eq!(
            s.scripts,
            ScriptCounts {
                latin: 2,
                cyrillic: 2,
                han: 1,
                kana: 2,
                arabic: 1,
                other: 1
            }
        );
        assert_eq!(s.emoji, 4);
    }

    #[test]
    fn html_text_skips_markup() {
        let pieces: String =
            HtmlText::new("<p>Hi <b>there</b></p><script>var x=1;</script><STYLE>a{}</STYLE>!")
                .collect();
        assert_eq!(pieces, "Hi there!");
    }

    #[test]
    fn percentiles_nearest_rank() {
        let s = Stats {
            body_sizes: (1..=10).collect(),
            ..Default::default()
        };
        assert_eq!(s.percentile(10.0), 1);
        assert_eq!(s.percentile(50.0), 5);
        assert_eq!(s.percentile(100.0), 10);
    }
}
