//! The crawl: pages `0..` grouped into WARC segments of [`SEGMENT_PAGES`] pages, each page a
//! `request`, a `response` and a `metadata` record (one gzip member each, in that order), after
//! one `warcinfo` record per segment file, as in Common Crawl's WARC files.
//!
//! Everything is a pure function of `(seed, page index)`, so a segment file is byte-identical
//! every time it is generated, which is what lets a CDXJ index point into it by offset. The
//! engine ([`run`]) renders and compresses pages in parallel batches and hands them to a sink
//! strictly in page order together with each member's offset in its segment file; the output
//! never depends on the thread count.

use crate::capture::{cld2_language, Capture, ServerKind};
use crate::html::{self, HtmlMeta};
use crate::page::{format_uuid, rgi_count, Corpus, Page, PlacedEmoji, RecordKind};
use crate::prng::{derive, Rng};
use crate::warc;
use crate::wet::{gzip_member, hex, DecompressSummary};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

/// Pages per WARC segment file. (Real Common Crawl files hold ~30-40 thousand pages in ~1 GB;
/// ours are ~1,000 pages in ~10 MB, so offsets have 7-8 digits instead of 9-10.)
pub const SEGMENT_PAGES: u64 = 1000;
/// Pages per unit of work (divides [`SEGMENT_PAGES`], so a batch never straddles two files).
const BATCH: u64 = 20;
/// The crawl our synthetic segments pretend to belong to (the corpus dates lie in its window).
pub const CRAWL: &str = "CC-MAIN-2024-22";
/// Common Crawl truncates payloads at 1 MiB (`WARC-Truncated: length`).
pub const MAX_PAYLOAD: usize = 1 << 20;

const TAG_WARCINFO: u64 = 0x5749_4E46; // "WINF"
const TAG_SEGMENT: u64 = 0x5345_4749; // "SEGI"
const TAG_BODY: u64 = 0x424F_4459; // "BODY"
const TAG_HEADERS: u64 = 0x4844_5253; // "HDRS"

/// One WARC segment file of the crawl of `seed`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentSpec {
    pub seed: u64,
    pub segment: u64,
}

/// Dataset name of segment `n`: `warc-00000`.
pub fn segment_name(n: u64) -> String {
    format!("warc-{n:05}")
}

/// The segment number of a dataset name `warc-NNNNN`.
pub fn parse_segment_name(name: &str) -> Option<u64> {
    let digits = name.strip_prefix("warc-")?;
    (digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

fn stamp(t: u64) -> String {
    warc::warc_date(t).replace(['-', ':', 'T', 'Z'], "")
}

/// File name of segment `n`, in Common Crawl's pattern:
/// `CC-MAIN-20240517233122-20240518023122-00000.warc.gz` (the job's 3-hour window, file number).
pub fn segment_file_name(seed: u64, n: u64) -> String {
    let c = Corpus::new(seed, crate::WEB_EMOJI_PER_MB);
    format!(
        "CC-MAIN-{}-{}-{n:05}.warc.gz",
        stamp(c.start_unix),
        stamp(c.start_unix + 3 * 3600)
    )
}

/// The Common-Crawl-style path of segment `n` (the CDXJ `filename`):
/// `crawl-data/CC-MAIN-2024-22/segments/1715988682123.17/warc/CC-MAIN-…-00000.warc.gz`.
pub fn segment_cc_path(seed: u64, n: u64) -> String {
    let c = Corpus::new(seed, crate::WEB_EMOJI_PER_MB);
    let h = derive(&[seed, TAG_SEGMENT]);
    format!(
        "crawl-data/{CRAWL}/segments/{}{:03}.{}/warc/{}",
        c.start_unix,
        h % 1000,
        (h >> 10) % 100,
        segment_file_name(seed, n)
    )
}

/// The dataset name (`warc-NNNNN`) of the segment a CDXJ `filename` (or a bare file name) points
/// at, for serving the generated files under their Common Crawl paths.
pub fn segment_name_for_filename(filename: &str) -> Option<String> {
    let file = filename.rsplit('/').next()?;
    let stem = file.strip_suffix(".warc.gz")?;
    let n = stem.rsplit('-').next()?;
    (file.starts_with("CC-MAIN-") && n.len() == 5 && n.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("warc-{n}"))
}

/// Segment number of page `index`.
pub fn segment_of(index: u64) -> u64 {
    index / SEGMENT_PAGES
}

/// Record id of segment `n`'s warcinfo record.
pub fn warcinfo_id(seed: u64, n: u64) -> String {
    format_uuid(
        derive(&[seed, TAG_WARCINFO, n]),
        derive(&[seed, TAG_WARCINFO, n, 1]),
    )
}

/// One WARC record as written, with what its WAT document needs.
#[derive(Clone, Debug)]
pub struct Record {
    pub raw: Vec<u8>,
    /// WARC headers in order.
    pub headers: Vec<(&'static str, String)>,
    /// Bytes of `WARC/1.0` + header lines + the blank line.
    pub header_len: usize,
    pub block_len: usize,
    /// `sha1:…` of the block.
    pub block_digest: String,
}

fn record(headers: Vec<(&'static str, String)>, block: &[u8]) -> Record {
    let mut raw = Vec::with_capacity(block.len() + 600);
    let pairs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    warc::write_record(&mut raw, &pairs, block);
    let header_len = raw.len() - block.len() - 4;
    Record {
        raw,
        headers,
        header_len,
        block_len: block.len(),
        block_digest: warc::sha1_digest(block),
    }
}

/// The segment's `warcinfo` record (Common Crawl's fields, honest values).
pub fn warcinfo_record(seed: u64, n: u64) -> Record {
    let c = Corpus::new(seed, crate::WEB_EMOJI_PER_MB);
    let block = format!(
        "isPartOf: {CRAWL} (synthetic)\r\n\
         publisher: gluebench-datasets\r\n\
         description: Synthetic Common-Crawl-style WARC segment {n} of seed {seed}, {SEGMENT_PAGES} pages; not web content\r\n\
         operator: gluebench benchmark suite\r\n\
         hostname: gluebench-generator\r\n\
         software: gluebench-datasets/{} (generator {})\r\n\
         robots: none (synthetic pages, never crawled)\r\n\
         format: WARC File Format 1.1\r\n\
         conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n\r\n",
        env!("CARGO_PKG_VERSION"),
        crate::GENERATOR_VERSION
    );
    let headers = vec![
        ("WARC-Type", "warcinfo".to_string()),
        (
            "WARC-Date",
            warc::warc_date(c.start_unix + n * SEGMENT_PAGES * 3 / 5),
        ),
        ("WARC-Record-ID", warcinfo_id(seed, n)),
        ("Content-Length", block.len().to_string()),
        ("Content-Type", "application/warc-fields".to_string()),
        ("WARC-Filename", segment_file_name(seed, n)),
    ];
    record(headers, block.as_bytes())
}

/// The HTTP exchange of a page as the response record holds it.
#[derive(Clone, Debug)]
pub struct Http {
    pub version: &'static str,
    pub status: u16,
    pub reason: &'static str,
    /// Response headers in order, names as sent (lower case for HTTP/2).
    pub headers: Vec<(String, String)>,
    /// Status line and header lines with their CRLFs, without the blank line (WAT
    /// `Headers-Length`).
    pub head_len: usize,
    pub payload_len: usize,
    /// `sha1:…` of the payload (`WARC-Payload-Digest`, WAT `Entity-Digest`).
    pub payload_digest: String,
    /// What the WAT extractor finds when the response is HTML.
    pub html: Option<HtmlMeta>,
    pub location: Option<String>,
    pub truncated: bool,
    /// The page's emoji in the payload as stored (after truncation), at their offsets in it,
    /// logged while the payload was written (see [`crate::page::Page::copy_text`]).
    pub placed: Vec<PlacedEmoji>,
    /// RGI emoji in the response's content block (HTTP headers and payload), by construction:
    /// exactly what the emoji task counts in it. The RGI entries of `placed`: the headers hold
    /// none, generated text no emoji of its own, and binary payloads (PDF images, JPEGs) no byte
    /// that could start one ([`random_fill`]).
    pub emoji: u32,
}

/// The request as recorded.
#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    pub head_len: usize,
}

/// Everything the crawl holds for one page.
#[derive(Clone, Debug)]
pub struct PageRecords {
    /// The corpus seed.
    pub seed: u64,
    pub page: Page,
    pub capture: Capture,
    pub request: Record,
    pub response: Record,
    pub metadata: Record,
    pub req: Request,
    pub http: Http,
    /// Fields of the metadata record (`fetchTimeMs`, `charset-detected`, `languages-cld2`).
    pub meta_fields: Vec<(&'static str, String)>,
}

impl PageRecords {
    pub fn records(&self) -> [&Record; 3] {
        [&self.request, &self.response, &self.metadata]
    }
}

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('/') => rest[i..].to_string(),
        Some(i) => format!("/{}", &rest[i..]),
        None => "/".to_string(),
    }
}

/// Where a redirect of `url` points: the https, www, trailing-slash or moved variant.
fn redirect_target(page: &Page, kind: u8, rng: &mut Rng) -> String {
    let url = &page.url;
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    match kind {
        0 if scheme == "http" => format!("https://{rest}"),
        0 | 1 => {
            if let Some(r) = rest.strip_prefix("www.") {
                format!("{scheme}://{r}")
            } else {
                format!("{scheme}://www.{rest}")
            }
        }
        2 if !url.ends_with('/') && !url.contains('?') => format!("{url}/"),
        _ => {
            let host = page.host();
            let n = rng.range(1, 99_999);
            match rng.below(3) {
                0 => format!("https://{host}/?p={n}"),
                1 => format!(
                    "https://{host}/{}/",
                    crate::capture::html_lang(page.languages.first().copied().unwrap_or("eng"))
                ),
                _ => format!("https://{host}/archives/{n}"),
            }
        }
    }
}

/// The response payload, for HTML its extraction record, and the page's emoji in the payload.
fn payload(
    page: &Page,
    capture: &Capture,
    corpus: &Corpus,
    location: Option<&str>,
    rng: &mut Rng,
) -> (Vec<u8>, Option<HtmlMeta>, Vec<PlacedEmoji>) {
    if capture.status != 200 {
        let d = html::render_error(page, capture, corpus, location);
        return (d.html.into_bytes(), Some(d.meta), d.placed);
    }
    let mut placed = Vec::new();
    let body = match capture.mime {
        "text/html" | "application/xhtml+xml" => {
            let d = html::render_page(page, capture, corpus);
            return (d.html.into_bytes(), Some(d.meta), d.placed);
        }
        "text/plain" => {
            let mut s = String::with_capacity(page.text.len());
            page.copy_text(&mut s, &mut placed, 0, page.text.len(), String::push_str);
            s.into_bytes()
        }
        "application/json" => json_body(page, &mut placed).into_bytes(),
        "application/rss+xml" => rss_body(page, rng, &mut placed).into_bytes(),
        "application/pdf" => pdf_body(page, rng, &mut placed),
        _ => jpeg_body(rng),
    };
    (body, None, placed)
}

fn json_body(page: &Page, placed: &mut Vec<PlacedEmoji>) -> String {
    use crate::json::{push_escaped, push_str};
    let mut s = String::with_capacity(page.text.len() + 512);
    let _ = write!(s, "{{\"id\":{},\"url\":", page.index);
    push_str(&mut s, &page.url);
    s.push_str(",\"title\":");
    push_str(&mut s, &page.title);
    s.push_str(",\"language\":");
    push_str(&mut s, page.languages.first().copied().unwrap_or(""));
    s.push_str(",\"published\":");
    push_str(
        &mut s,
        &warc::warc_date(page.fetch_unix - 86_400 * (page.index % 700)),
    );
    s.push_str(",\"content\":[");
    for (i, b) in page.blocks.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let kind = format!("{:?}", b.kind).to_ascii_lowercase();
        s.push_str("{\"type\":");
        push_str(&mut s, &kind);
        s.push_str(",\"text\":\"");
        page.copy_text(
            &mut s,
            placed,
            b.start as usize,
            b.end as usize,
            push_escaped,
        );
        s.push_str("\"}");
    }
    s.push_str("]}\n");
    s
}

fn xml_escape(out: &mut String, s: &str) {
    html::escape_text(out, s);
}

fn rss_body(page: &Page, rng: &mut Rng, placed: &mut Vec<PlacedEmoji>) -> String {
    let (scheme, rest) = page.url.split_once("://").unwrap_or(("http", &page.url));
    let host = rest.split(['/', '?']).next().unwrap_or(rest);
    let base = format!("{scheme}://{host}");
    let mut s = String::with_capacity(page.text.len() * 2 + 1024);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"\n\txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n\txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n\txmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\t<title>");
    xml_escape(&mut s, &page.site);
    let _ = write!(s, "</title>\n\t<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\" />\n\t<link>{base}/</link>\n\t<description>", page.url);
    xml_escape(&mut s, &page.heading);
    let _ = write!(
        s,
        "</description>\n\t<lastBuildDate>{}</lastBuildDate>\n\t<language>{}</language>\n",
        warc::http_date(page.fetch_unix).replace("GMT", "+0000"),
        crate::capture::html_lang(page.languages.first().copied().unwrap_or("eng"))
    );
    let mut t = page.fetch_unix;
    for b in page
        .blocks
        .iter()
        .filter(|b| b.kind == crate::page::BlockKind::Paragraph)
    {
        let (start, end) = (b.start as usize, b.end as usize);
        // The item's title: the paragraph's first 60 characters, never ending inside an emoji.
        let sixty = page.text[start..end]
            .char_indices()
            .nth(60)
            .map_or(end, |(i, _)| start + i);
        let cut = page.emoji_safe_cut(sixty);
        t -= rng.range(3600, 20 * 86_400);
        let slug = crate::page::ascii_slug(&page.text[start..cut], "-");
        s.push_str("\t<item>\n\t\t<title>");
        page.copy_text(&mut s, placed, start, cut, xml_escape);
        let _ = write!(s, "</title>\n\t\t<link>{base}/{slug}/</link>\n\t\t<pubDate>{}</pubDate>\n\t\t<guid isPermaLink=\"false\">{base}/?p={}</guid>\n\t\t<description><![CDATA[", warc::http_date(t).replace("GMT", "+0000"), rng.range(10, 40_000));
        page.copy_text(&mut s, placed, start, end, String::push_str);
        s.push_str("]]></description>\n\t</item>\n");
    }
    s.push_str("</channel>\n</rss>\n");
    s
}

/// Appends `n` random bytes (compressed image data), none of them a byte that can start an
/// emoji: every RGI sequence holds a code point whose UTF-8 form starts with `C2`, `E2`, `E3` or
/// `F0` (the keycaps' U+20E3 is `E2 83 A3`), and those four are turned into other bytes
/// (`^ 0x10`). So binary payloads hold no emoji by accident (uniform random bytes hold about one
/// RGI emoji per 240 KB).
fn random_fill(out: &mut Vec<u8>, n: usize, rng: &mut Rng) {
    let start = out.len();
    let end = start + n;
    while out.len() + 8 <= end {
        out.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    while out.len() < end {
        out.push(rng.next_u64() as u8);
    }
    for b in &mut out[start..] {
        if matches!(*b, 0xC2 | 0xE2 | 0xE3 | 0xF0) {
            *b ^= 0x10;
        }
    }
}

/// A PDF string's bytes: `(`, `)` and `\` escaped.
fn pdf_escape(out: &mut String, s: &str) {
    for c in s.chars() {
        if matches!(c, '(' | ')' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

fn pdf_body(page: &Page, rng: &mut Rng, placed: &mut Vec<PlacedEmoji>) -> Vec<u8> {
    let size = (rng.lognormal(150_000.0, 1.0) as usize).clamp(4_000, 3 << 20);
    let mut text = String::new();
    let mut text_placed = Vec::new();
    text.push_str("BT /F1 11 Tf 56 800 Td 14 TL\n");
    for line in page.text.lines().take(400) {
        let at = page.offset_of(line).expect("a line of the page text");
        text.push('(');
        page.copy_text(&mut text, &mut text_placed, at, at + line.len(), pdf_escape);
        text.push_str(") Tj T*\n");
    }
    text.push_str("ET\n");
    let mut out = Vec::with_capacity(size + 1024);
    out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
    let mut xref = Vec::new();
    let mut obj = |out: &mut Vec<u8>, body: &[u8]| {
        xref.push(out.len());
        let n = xref.len();
        let _ = writeln!(out, "{n} 0 obj");
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    obj(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    obj(&mut out, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    obj(&mut out, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>");
    let mut stream = format!("<< /Length {} >>\nstream\n", text.len()).into_bytes();
    // Where the text lands: after this object's "4 0 obj\n" and the stream's dictionary.
    let text_at = out.len() + "4 0 obj\n".len() + stream.len();
    stream.extend_from_slice(text.as_bytes());
    stream.extend_from_slice(b"\nendstream");
    obj(&mut out, &stream);
    assert!(out[text_at..].starts_with(text.as_bytes()));
    placed.extend(text_placed.into_iter().map(|mut p| {
        p.start += text_at;
        p
    }));
    obj(
        &mut out,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    );
    let fill = size.saturating_sub(out.len() + 300).max(256);
    let mut img = format!("<< /Type /XObject /Subtype /Image /Width 1240 /Height 1754 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length {fill} >>\nstream\n").into_bytes();
    random_fill(&mut img, fill, rng);
    img.extend_from_slice(b"\nendstream");
    obj(&mut out, &img);
    let start = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", xref.len() + 1);
    for off in &xref {
        let _ = writeln!(out, "{off:010} 00000 n ");
    }
    let _ = write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n",
        xref.len() + 1
    );
    out
}

fn jpeg_body(rng: &mut Rng) -> Vec<u8> {
    let size = (rng.lognormal(60_000.0, 0.9) as usize).clamp(2_000, 3 << 20);
    let mut out = Vec::with_capacity(size + 64);
    out.extend_from_slice(&[
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ]);
    out.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x43, 0x00]);
    for i in 0..64u8 {
        out.push(2 + i / 3);
    }
    let (w, h) = (rng.range(300, 2000) as u16, rng.range(200, 1500) as u16);
    out.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    out.extend_from_slice(&h.to_be_bytes());
    out.extend_from_slice(&w.to_be_bytes());
    out.extend_from_slice(&[0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
    out.extend_from_slice(&[
        0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00,
    ]);
    let start = out.len();
    random_fill(&mut out, size.saturating_sub(start + 2), rng);
    // Entropy-coded data stuffs a zero after every 0xFF.
    for b in &mut out[start..] {
        if *b == 0xFF {
            *b = 0xFE;
        }
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// Response headers in the order the page's server sends them (canonical case), before the
/// crawler's rewriting.
fn server_headers(
    page: &Page,
    capture: &Capture,
    payload_len: usize,
    location: Option<&str>,
    rng: &mut Rng,
) -> Vec<(&'static str, String)> {
    let date = warc::http_date(page.fetch_unix.saturating_sub(rng.below(2)));
    let ctype = match capture.charset_param {
        Some(cs) => format!("{}; charset={cs}", capture.mime),
        None => capture.mime.to_string(),
    };
    let server = capture.server.clone();
    let https = page.url.starts_with("https");
    let host = page.host().to_string();
    let mut h: Vec<(&'static str, String)> = Vec::new();
    let mut optional: Vec<(&'static str, String)> = Vec::new();
    if let Some(p) = &capture.powered_by {
        optional.push(("X-Powered-By", p.clone()));
    }
    if capture.status == 200 && rng.chance(0.3) {
        let n = rng.range(1, 3);
        for _ in 0..n {
            let c = match rng.below(5) {
                0 => format!("PHPSESSID={}; path=/", hex_token(rng, 26)),
                1 => format!(
                    "_gcl_au=1.1.{}.{}; Path=/; Max-Age=7776000",
                    rng.below(2_000_000_000),
                    page.fetch_unix
                ),
                2 => format!(
                    "cookielawinfo-checkbox-necessary=yes; expires={}; Max-Age=31536000; path=/",
                    warc::http_date(page.fetch_unix + 31_536_000)
                ),
                3 => format!(
                    "session={}; HttpOnly; Secure; SameSite=Lax; Path=/",
                    hex_token(rng, 40)
                ),
                _ => format!(
                    "visitor_id={}; Domain=.{}; Path=/; Expires={}",
                    rng.below(1_000_000_000),
                    host.trim_start_matches("www."),
                    warc::http_date(page.fetch_unix + 86_400 * 365)
                ),
            };
            optional.push(("Set-Cookie", c));
        }
    }
    if capture.status == 200 && rng.chance(0.5) {
        let cc = [
            "max-age=0, private, must-revalidate",
            "no-cache",
            "max-age=3600",
            "public, max-age=600",
            "no-store, no-cache, must-revalidate",
            "private",
            "public, max-age=31536000",
        ][rng.front_biased(7)];
        optional.push(("Cache-Control", cc.to_string()));
        if rng.chance(0.35) {
            optional.push(("Expires", "Thu, 19 Nov 1981 08:52:00 GMT".to_string()));
        }
    }
    if capture.status == 200
        && capture.cms == crate::capture::Cms::WordPress
        && capture.is_html()
        && rng.chance(0.7)
    {
        let (scheme, _) = page.url.split_once("://").unwrap_or(("https", ""));
        optional.push((
            "Link",
            format!("<{scheme}://{host}/wp-json/>; rel=\"https://api.w.org/\""),
        ));
    }
    if capture.status == 200 && rng.chance(0.4) {
        optional.push((
            "Last-Modified",
            warc::http_date(page.fetch_unix - rng.below(400 * 86_400)),
        ));
    }
    if capture.status == 200 && rng.chance(0.3) {
        optional.push((
            "ETag",
            format!("\"{}-{}\"", hex_token(rng, 8), hex_token(rng, 13)),
        ));
    }
    if https && rng.chance(0.3) {
        optional.push((
            "Strict-Transport-Security",
            [
                "max-age=31536000",
                "max-age=63072000; includeSubDomains; preload",
                "max-age=15768000",
            ][rng.index(3)]
            .to_string(),
        ));
    }
    if rng.chance(0.25) {
        optional.push(("X-Frame-Options", "SAMEORIGIN".to_string()));
    }
    if rng.chance(0.25) {
        optional.push(("X-Content-Type-Options", "nosniff".to_string()));
    }
    if rng.chance(0.1) {
        optional.push((
            "Referrer-Policy",
            "strict-origin-when-cross-origin".to_string(),
        ));
    }
    let len_or_chunked = if capture.chunked && !capture.http2 {
        ("Transfer-Encoding", "chunked".to_string())
    } else {
        ("Content-Length", payload_len.to_string())
    };
    let vary = capture.gzip || rng.chance(0.3);
    let keep_alive = !capture.http2 && rng.chance(0.7);
    let loc = location.map(|l| ("Location", l.to_string()));
    let enc = capture
        .gzip
        .then(|| ("Content-Encoding", "gzip".to_string()));
    match capture.server_kind {
        ServerKind::Nginx | ServerKind::OpenResty | ServerKind::Other | ServerKind::None => {
            if let Some(s) = server {
                h.push(("Server", s));
            }
            h.push(("Date", date));
            h.push(("Content-Type", ctype));
            h.push(len_or_chunked);
            if keep_alive {
                h.push(("Connection", "keep-alive".into()));
            }
            h.extend(loc);
            if vary {
                h.push(("Vary", "Accept-Encoding".into()));
            }
            h.extend(optional);
            h.extend(enc);
        }
        ServerKind::Apache => {
            h.push(("Date", date));
            if let Some(s) = server {
                h.push(("Server", s));
            }
            h.extend(optional);
            h.extend(loc);
            if vary {
                h.push(("Vary", "Accept-Encoding".into()));
            }
            h.extend(enc);
            if len_or_chunked.0 == "Content-Length" {
                h.push(len_or_chunked.clone());
            }
            if keep_alive {
                h.push(("Keep-Alive", "timeout=5, max=100".into()));
                h.push(("Connection", "Keep-Alive".into()));
            }
            if len_or_chunked.0 != "Content-Length" {
                h.push(len_or_chunked);
            }
            h.push(("Content-Type", ctype));
        }
        ServerKind::Iis => {
            h.push(("Cache-Control", "private".into()));
            if len_or_chunked.0 == "Content-Length" {
                h.push(len_or_chunked.clone());
            }
            h.push(("Content-Type", ctype));
            h.extend(enc);
            h.extend(loc);
            if vary {
                h.push(("Vary", "Accept-Encoding".into()));
            }
            if let Some(s) = server {
                h.push(("Server", s));
            }
            h.extend(optional.into_iter().filter(|(k, _)| *k != "Cache-Control"));
            h.push(("Date", date));
            if len_or_chunked.0 != "Content-Length" {
                h.push(len_or_chunked);
            }
        }
        ServerKind::Cloudflare => {
            h.push(("Date", date));
            h.push(("Content-Type", ctype));
            if len_or_chunked.0 != "Content-Length" || rng.chance(0.3) {
                h.push(len_or_chunked);
            }
            if keep_alive {
                h.push(("Connection", "keep-alive".into()));
            }
            h.extend(loc);
            h.extend(optional);
            h.push((
                "CF-Cache-Status",
                ["DYNAMIC", "DYNAMIC", "HIT", "MISS", "EXPIRED"][rng.index(5)].into(),
            ));
            if rng.chance(0.5) {
                h.push(("Report-To", format!("{{\"endpoints\":[{{\"url\":\"https:\\/\\/a.nel.cloudflare.com\\/report\\/v4?s={}\"}}],\"group\":\"cf-nel\",\"max_age\":604800}}", b64_token(rng, 120))));
                h.push((
                    "NEL",
                    "{\"success_fraction\":0,\"report_to\":\"cf-nel\",\"max_age\":604800}".into(),
                ));
            }
            if vary {
                h.push(("Vary", "Accept-Encoding".into()));
            }
            h.push(("Server", "cloudflare".into()));
            h.push((
                "CF-RAY",
                format!(
                    "{}-{}",
                    hex_token(rng, 16),
                    ["IAD", "EWR", "ORD", "FRA", "AMS", "CDG", "LHR", "SIN", "NRT", "DFW"]
                        [rng.index(10)]
                ),
            ));
            h.extend(enc);
            if rng.chance(0.6) {
                h.push(("alt-svc", "h3=\":443\"; ma=86400".into()));
            }
        }
        ServerKind::LiteSpeed => {
            if keep_alive {
                h.push(("Connection", "Keep-Alive".into()));
                h.push(("Keep-Alive", "timeout=5, max=100".into()));
            }
            h.push(("Content-Type", ctype));
            h.extend(optional);
            h.extend(loc);
            h.push(len_or_chunked);
            h.extend(enc);
            if vary {
                h.push(("Vary", "Accept-Encoding".into()));
            }
            h.push(("Date", date));
            if let Some(s) = server {
                h.push(("Server", s));
            }
            if rng.chance(0.5) {
                h.push((
                    "alt-svc",
                    "h3=\":443\"; ma=2592000, h3-29=\":443\"; ma=2592000".into(),
                ));
            }
        }
    }
    h
}

fn hex_token(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| b"0123456789abcdef"[rng.index(16)] as char)
        .collect()
}

fn b64_token(rng: &mut Rng, n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%";
    (0..n).map(|_| A[rng.index(A.len())] as char).collect()
}

/// The headers as Common Crawl records them: names lower case for HTTP/2, transfer/content
/// encodings (which the crawler undid) renamed `X-Crawler-…`, with the payload's real length
/// appended as `Content-Length` when the body was transformed.
fn recorded_headers(
    sent: Vec<(&'static str, String)>,
    capture: &Capture,
    payload_len: usize,
    original_len: usize,
) -> Vec<(String, String)> {
    let transformed = capture.gzip || sent.iter().any(|(k, _)| *k == "Transfer-Encoding");
    let mut out = Vec::with_capacity(sent.len() + 1);
    for (name, value) in sent {
        let shown = if capture.http2 {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        };
        match name {
            "Content-Encoding" | "Transfer-Encoding" => {
                out.push((format!("X-Crawler-{shown}"), value))
            }
            "Content-Length" if transformed => {
                out.push((format!("X-Crawler-{shown}"), original_len.to_string()))
            }
            _ => out.push((shown, value)),
        }
    }
    if transformed {
        out.push(("Content-Length".to_string(), payload_len.to_string()));
    }
    out
}

/// The `languages-cld2` JSON of a page's text, as Common Crawl's metadata records hold it.
fn cld2_json(page: &Page) -> String {
    let text_bytes = page.text.len();
    if page.languages.is_empty() {
        return format!("{{\"reliable\":false,\"text-bytes\":{text_bytes},\"languages\":[]}}");
    }
    let second: usize = page
        .blocks
        .iter()
        .filter(|b| b.lang == 1)
        .map(|b| (b.end - b.start) as usize)
        .sum();
    let total = text_bytes.max(1);
    let share2 = if page.languages.len() > 1 {
        second as f64 / total as f64
    } else {
        0.0
    };
    let share1 = (1.0 - share2 - 0.01 * (page.index % 4) as f64).max(0.3);
    let round2 = |x: f64| ((x * 100.0 + 0.5) as u64) as f64 / 100.0;
    let mut s = String::new();
    let reliable = text_bytes > 300 && share1 >= 0.7;
    let _ = write!(
        s,
        "{{\"reliable\":{reliable},\"text-bytes\":{text_bytes},\"languages\":["
    );
    for (i, (code3, share)) in page.languages.iter().zip([share1, share2]).enumerate() {
        let (code, name) = cld2_language(code3);
        if i > 0 {
            s.push(',');
        }
        let covered = round2(share);
        let score = ((share * 1800.0) as u64).max(1);
        let covered = if covered.fract() == 0.0 {
            format!("{covered:.1}")
        } else {
            format!("{covered}")
        };
        let _ = write!(s, "{{\"code\":\"{code}\",\"code-iso-639-3\":\"{code3}\",\"text-covered\":{covered},\"score\":{score}.0,\"name\":\"{name}\"}}");
    }
    s.push_str("]}");
    s
}

/// The crawler's fetch limit: a payload over `max` bytes keeps its first `max`, or, should that
/// cut an emoji the generator placed, the bytes before that emoji (a few less), so that a stored
/// payload holds whole emoji only and its count stays known. `placed` keeps the emoji left.
/// Returns whether the payload was truncated.
fn truncate_payload(body: &mut Vec<u8>, placed: &mut Vec<PlacedEmoji>, max: usize) -> bool {
    if body.len() <= max {
        return false;
    }
    let cut = placed
        .iter()
        .find(|p| p.start < max && p.end() > max)
        .map_or(max, |p| p.start);
    body.truncate(cut);
    placed.retain(|p| p.end() <= cut);
    true
}

/// Renders all records of page `index` (uncompressed).
pub fn render(corpus: &Corpus, index: u64) -> PageRecords {
    let page = Page::generate(corpus, index);
    let capture = Capture::of(corpus, index);
    let seg = segment_of(index);
    let info_id = warcinfo_id(corpus.seed, seg);
    let mut rng = Rng::new(derive(&[capture.seed, TAG_BODY]));
    let mut hrng = Rng::new(derive(&[capture.seed, TAG_HEADERS]));
    let date = warc::warc_date(page.fetch_unix);
    let ip = format!(
        "{}.{}.{}.{}",
        page.ip[0], page.ip[1], page.ip[2], page.ip[3]
    );
    let req_id = page.record_id(RecordKind::Request);
    let resp_id = page.record_id(RecordKind::Response);
    let meta_id = page.record_id(RecordKind::Metadata);

    // Request.
    let path = path_of(&page.url);
    let mut req_headers: Vec<(&'static str, String)> = vec![
        (
            "User-Agent",
            "CCBot/2.0 (https://commoncrawl.org/faq/)".into(),
        ),
        (
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8".into(),
        ),
        ("Accept-Language", "en-US,en;q=0.5".into()),
    ];
    if hrng.chance(0.1) {
        req_headers.push((
            "If-Modified-Since",
            warc::http_date(page.fetch_unix - hrng.range(86_400, 400 * 86_400)),
        ));
    }
    req_headers.push(("Accept-Encoding", "br,gzip".into()));
    req_headers.push(("Host", page.host().to_string()));
    req_headers.push(("Connection", "Keep-Alive".into()));
    let mut req_block = format!("GET {path} HTTP/1.1\r\n");
    for (k, v) in &req_headers {
        let _ = write!(req_block, "{k}: {v}\r\n");
    }
    let req_head_len = req_block.len();
    req_block.push_str("\r\n");
    let request = record(
        vec![
            ("WARC-Type", "request".into()),
            ("WARC-Date", date.clone()),
            ("WARC-Record-ID", req_id.clone()),
            ("Content-Length", req_block.len().to_string()),
            ("Content-Type", "application/http; msgtype=request".into()),
            ("WARC-Warcinfo-ID", info_id.clone()),
            ("WARC-IP-Address", ip.clone()),
            ("WARC-Target-URI", page.url.clone()),
        ],
        req_block.as_bytes(),
    );

    // Response.
    let location = capture
        .is_redirect()
        .then(|| redirect_target(&page, capture.redirect_kind, &mut rng));
    let (mut body, html, mut placed) =
        payload(&page, &capture, corpus, location.as_deref(), &mut rng);
    let full_len = body.len();
    let truncated = truncate_payload(&mut body, &mut placed, MAX_PAYLOAD);
    let emoji = rgi_count(&placed);
    let sent = server_headers(&page, &capture, full_len, location.as_deref(), &mut hrng);
    let original_len = if capture.gzip {
        (full_len * 2 / 7).max(20)
    } else {
        full_len
    };
    let headers = recorded_headers(sent, &capture, body.len(), original_len);
    let mut block = format!("HTTP/1.1 {} {}\r\n", capture.status, capture.reason).into_bytes();
    for (k, v) in &headers {
        block.extend_from_slice(k.as_bytes());
        block.extend_from_slice(b": ");
        block.extend_from_slice(v.as_bytes());
        block.extend_from_slice(b"\r\n");
    }
    let head_len = block.len();
    block.extend_from_slice(b"\r\n");
    block.extend_from_slice(&body);
    let payload_digest = warc::sha1_digest(&body);
    let mut wh: Vec<(&'static str, String)> = vec![
        ("WARC-Type", "response".into()),
        ("WARC-Date", date.clone()),
        ("WARC-Record-ID", resp_id.clone()),
        ("Content-Length", block.len().to_string()),
        ("Content-Type", "application/http; msgtype=response".into()),
        ("WARC-Warcinfo-ID", info_id.clone()),
        ("WARC-Concurrent-To", req_id),
        ("WARC-IP-Address", ip),
        ("WARC-Target-URI", page.url.clone()),
    ];
    if truncated {
        wh.push(("WARC-Truncated", "length".into()));
    }
    wh.push(("WARC-Payload-Digest", payload_digest.clone()));
    wh.push(("WARC-Block-Digest", warc::sha1_digest(&block)));
    wh.push(("WARC-Identified-Payload-Type", capture.mime_detected.into()));
    let response = record(wh, &block);

    // Metadata.
    let mut meta_fields: Vec<(&'static str, String)> =
        vec![("fetchTimeMs", capture.fetch_ms.to_string())];
    if let Some(cs) = capture.charset_detected() {
        meta_fields.push(("charset-detected", cs.into()));
        if capture.is_html() || capture.mime == "text/plain" {
            meta_fields.push(("languages-cld2", cld2_json(&page)));
        }
    }
    let mut meta_block = String::new();
    for (k, v) in &meta_fields {
        let _ = write!(meta_block, "{k}: {v}\r\n");
    }
    meta_block.push_str("\r\n");
    let metadata = record(
        vec![
            ("WARC-Type", "metadata".into()),
            ("WARC-Date", date),
            ("WARC-Record-ID", meta_id),
            ("Content-Length", meta_block.len().to_string()),
            ("Content-Type", "application/warc-fields".into()),
            ("WARC-Warcinfo-ID", info_id),
            ("WARC-Concurrent-To", resp_id),
            ("WARC-Target-URI", page.url.clone()),
        ],
        meta_block.as_bytes(),
    );
    PageRecords {
        seed: corpus.seed,
        http: Http {
            version: "HTTP/1.1",
            status: capture.status,
            reason: capture.reason,
            headers,
            head_len,
            payload_len: body.len(),
            payload_digest,
            html,
            location,
            truncated,
            placed,
            emoji,
        },
        req: Request {
            path,
            headers: req_headers,
            head_len: req_head_len,
        },
        page,
        capture,
        request,
        response,
        metadata,
        meta_fields,
    }
}

/// A compressed member: its bytes (when kept), length and the gzip trailer's CRC-32 and size.
#[derive(Clone, Debug, Default)]
pub struct Member {
    pub gz: Vec<u8>,
    pub len: u64,
    pub crc: u32,
    pub raw_len: u64,
}

/// Compresses `raw` as one member (see [`gzip_member`]); keeps the bytes if `keep`.
pub fn compress(raw: &[u8], keep: bool) -> Member {
    let gz = gzip_member(raw, Vec::with_capacity(raw.len() / 3 + 64));
    let n = gz.len();
    let crc = u32::from_le_bytes(gz[n - 8..n - 4].try_into().unwrap());
    Member {
        len: n as u64,
        crc,
        raw_len: raw.len() as u64,
        gz: if keep { gz } else { Vec::new() },
    }
}

/// A segment's opening: its warcinfo record and member.
pub struct SegmentStart {
    pub segment: u64,
    pub warcinfo: Record,
    pub member: Member,
}

/// A rendered page, ready for a sink: the worker's product and where its members sit.
pub struct Placed<T> {
    pub index: u64,
    pub item: T,
    /// Offsets of the request, response and metadata members in the segment file.
    pub offsets: [u64; 3],
    pub lengths: [u64; 3],
}

/// Renders pages `first..` in parallel (batches of 20, `threads` workers, 0 = one per core):
/// `work` turns a page's records and members into `T` on a worker thread; `on_segment` and `sink`
/// run on the calling thread, strictly in page order, `on_segment` before the first page of each
/// segment (including `first`'s); `sink` returns `false` to stop. Deterministic for any thread
/// count.
pub fn run<T, W, G, S>(
    corpus: &Corpus,
    first: u64,
    threads: usize,
    keep_members: bool,
    work: W,
    mut on_segment: G,
    mut sink: S,
) -> io::Result<()>
where
    T: Send,
    W: Fn(PageRecords, [Member; 3]) -> T + Sync,
    G: FnMut(&SegmentStart) -> io::Result<()>,
    S: FnMut(Placed<T>) -> io::Result<bool>,
{
    let threads = if threads == 0 {
        std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(16)
    } else {
        threads
    };
    assert!(first.is_multiple_of(BATCH), "first page must start a batch");
    let stop = AtomicBool::new(false);
    let next = AtomicU64::new(first / BATCH);
    type Batch<T> = (u64, Vec<(u64, T, [u64; 3])>);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Batch<T>>(threads * 2);
        for t in 0..threads {
            let tx = tx.clone();
            let (stop, next, work) = (&stop, &next, &work);
            scope.spawn(move || {
                for lang in (t..crate::text::LANGUAGES.len()).step_by(threads) {
                    crate::text::vocab(lang);
                }
                while !stop.load(Ordering::Relaxed) {
                    let id = next.fetch_add(1, Ordering::Relaxed);
                    let mut items = Vec::with_capacity(BATCH as usize);
                    for index in id * BATCH..(id + 1) * BATCH {
                        let recs = render(corpus, index);
                        let members = recs.records().map(|r| compress(&r.raw, keep_members));
                        let lens = [members[0].len, members[1].len, members[2].len];
                        items.push((index, work(recs, members), lens));
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                    }
                    if tx.send((id, items)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<u64, Vec<(u64, T, [u64; 3])>> = BTreeMap::new();
        let mut want = first / BATCH;
        let mut offset = 0u64;
        let mut outcome = Ok(());
        'outer: while let Ok((id, items)) = rx.recv() {
            pending.insert(id, items);
            while let Some(items) = pending.remove(&want) {
                want += 1;
                for (index, item, lengths) in items {
                    if index % SEGMENT_PAGES == 0 || index == first {
                        let seg = segment_of(index);
                        let warcinfo = warcinfo_record(corpus.seed, seg);
                        let member = compress(&warcinfo.raw, true);
                        offset = member.len;
                        if let Err(e) = on_segment(&SegmentStart {
                            segment: seg,
                            warcinfo,
                            member,
                        }) {
                            outcome = Err(e);
                            break 'outer;
                        }
                    }
                    let offsets = [
                        offset,
                        offset + lengths[0],
                        offset + lengths[0] + lengths[1],
                    ];
                    offset += lengths.iter().sum::<u64>();
                    match sink(Placed {
                        index,
                        item,
                        offsets,
                        lengths,
                    }) {
                        Ok(true) => {}
                        Ok(false) => break 'outer,
                        Err(e) => {
                            outcome = Err(e);
                            break 'outer;
                        }
                    }
                }
            }
        }
        stop.store(true, Ordering::Relaxed);
        drop(rx);
        outcome
    })
}

/// What writing a segment file produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentReport {
    pub summary: DecompressSummary,
    pub compressed_bytes: u64,
    pub compressed_sha256: String,
    pub pages: u64,
}

/// Writes segment `spec.segment` (warcinfo + 3 records per page) to `out`.
pub fn write_segment<W: Write>(
    spec: &SegmentSpec,
    out: W,
    threads: usize,
    mut progress: Option<&mut dyn FnMut(u64, u64)>,
) -> io::Result<SegmentReport> {
    struct State<W> {
        out: W,
        raw_sha: Sha256,
        file_sha: Sha256,
        raw_bytes: u64,
        file_bytes: u64,
        members: u64,
    }
    impl<W: Write> State<W> {
        fn put(&mut self, raw: &[u8], gz: &[u8]) -> io::Result<()> {
            self.out.write_all(gz)?;
            self.raw_sha.update(raw);
            self.file_sha.update(gz);
            self.raw_bytes += raw.len() as u64;
            self.file_bytes += gz.len() as u64;
            self.members += 1;
            Ok(())
        }
    }
    let corpus = Corpus::new(spec.seed, crate::WEB_EMOJI_PER_MB);
    let first = spec.segment * SEGMENT_PAGES;
    let last = first + SEGMENT_PAGES - 1;
    let state = std::cell::RefCell::new(State {
        out,
        raw_sha: Sha256::new(),
        file_sha: Sha256::new(),
        raw_bytes: 0,
        file_bytes: 0,
        members: 0,
    });
    run(
        &corpus,
        first,
        threads,
        true,
        |recs, [a, b, c]| {
            let raws = [recs.request.raw, recs.response.raw, recs.metadata.raw];
            (raws, [a.gz, b.gz, c.gz])
        },
        |s| state.borrow_mut().put(&s.warcinfo.raw, &s.member.gz),
        |p| {
            let (raws, gzs) = p.item;
            let mut st = state.borrow_mut();
            for k in 0..3 {
                st.put(&raws[k], &gzs[k])?;
            }
            if let Some(f) = progress.as_mut() {
                f(p.index - first + 1, SEGMENT_PAGES);
            }
            Ok(p.index < last)
        },
    )?;
    let mut st = state.into_inner();
    st.out.flush()?;
    Ok(SegmentReport {
        summary: DecompressSummary {
            members: st.members,
            bytes: st.raw_bytes,
            sha256: hex(&st.raw_sha.finalize()),
        },
        compressed_bytes: st.file_bytes,
        compressed_sha256: hex(&st.file_sha.finalize()),
        pages: SEGMENT_PAGES,
    })
}

/// Segment `spec.segment` in memory (tests, small experiments).
pub fn generate_segment(spec: &SegmentSpec) -> (Vec<u8>, SegmentReport) {
    let mut buf = Vec::new();
    let r = write_segment(spec, &mut buf, 0, None).expect("writing to a Vec cannot fail");
    (buf, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        assert_eq!(segment_name(7), "warc-00007");
        assert_eq!(parse_segment_name("warc-00007"), Some(7));
        assert_eq!(parse_segment_name("warc-7"), None);
        let p = segment_cc_path(1, 12);
        assert!(p.starts_with("crawl-data/CC-MAIN-2024-22/segments/"), "{p}");
        assert!(p.ends_with("-00012.warc.gz"), "{p}");
        assert_eq!(segment_name_for_filename(&p).as_deref(), Some("warc-00012"));
        assert_eq!(
            segment_name_for_filename(&segment_file_name(1, 3)).as_deref(),
            Some("warc-00003")
        );
        assert_eq!(path_of("https://a.b/x?y=1"), "/x?y=1");
        assert_eq!(path_of("https://a.b"), "/");
        assert_eq!(path_of("https://a.b?q"), "/?q");
    }

    #[test]
    fn truncation_keeps_whole_emoji() {
        let family = "👨\u{200d}👩\u{200d}👧"; // 18 bytes: a cut inside leaves 👨 or 👨 and 👩
        let mut body = b"abc ".to_vec();
        body.extend_from_slice(family.as_bytes());
        body.extend_from_slice(b" and more text");
        let placed = vec![PlacedEmoji {
            start: 4,
            emoji: family,
            rgi: true,
        }];
        for (max, kept, emoji) in [(10, 4, 0), (4, 4, 0), (22, 22, 1), (30, 30, 1)] {
            let (mut b, mut p) = (body.clone(), placed.clone());
            assert!(truncate_payload(&mut b, &mut p, max));
            assert_eq!((b.len(), p.len()), (kept, emoji), "max {max}");
        }
        let (mut b, mut p) = (body.clone(), placed.clone());
        assert!(!truncate_payload(&mut b, &mut p, body.len()));
        assert_eq!((b, p), (body, placed));
    }

    #[test]
    fn random_bytes_hold_no_byte_that_starts_an_emoji() {
        let mut out = b"head".to_vec();
        random_fill(&mut out, 1 << 20, &mut Rng::new(7));
        assert_eq!(out.len(), 4 + (1 << 20));
        assert!(!out.iter().any(|b| matches!(b, 0xC2 | 0xE2 | 0xE3 | 0xF0)));
    }

    #[test]
    fn records_are_well_formed() {
        let c = Corpus::new(5, 10.0);
        for i in 0..60 {
            let r = render(&c, i);
            for rec in r.records() {
                let p = warc::parse_record(&rec.raw).unwrap();
                assert_eq!(p.len, rec.raw.len());
                assert_eq!(p.block.len(), rec.block_len);
                assert_eq!(rec.header_len + rec.block_len + 4, rec.raw.len());
            }
            let p = warc::parse_record(&r.response.raw).unwrap();
            let payload = &p.block[r.http.head_len + 2..];
            assert_eq!(payload.len(), r.http.payload_len);
            assert_eq!(warc::sha1_digest(payload), r.http.payload_digest);
            assert_eq!(
                p.header("WARC-Block-Digest").unwrap(),
                warc::sha1_digest(p.block)
            );
        }
    }
}
