//! WAT: the metadata documents Common Crawl extracts from every WARC record.
//!
//! One JSON document per WARC record (the segment's `warcinfo`, then `request`, `response` and
//! `metadata` for each page), in the structure and key order of ia-web-commons as Common Crawl
//! runs it (checked against the real request document in `whirlwind.warc.wat.gz`; response
//! documents follow the extractor's code: `HTML-Metadata` is created before the entity is read,
//! so it precedes `Entity-Length`):
//!
//! ```text
//! {"Container":{"Filename","Compressed","Offset","Gzip-Metadata":{"Deflate-Length",
//!   "Header-Length","Footer-Length","Inflated-CRC","Inflated-Length"}},
//!  "Envelope":{"Payload-Metadata":{"Actual-Content-Type",
//!     "HTTP-Response-Metadata":{"Response-Message":{"Status","Version","Reason"},
//!       "Headers-Length","Headers":{...},"HTML-Metadata":{"Head":{"Metas","Title","Link",
//!       "Scripts"},"Links":[{"path":"A@/href","url":"...","text":"..."},...]},
//!       "Entity-Length","Entity-Digest","Entity-Trailing-Slop-Length"},
//!     "Actual-Content-Length","Trailing-Slop-Length","Block-Digest"},
//!   "Format":"WARC/1.0","WARC-Header-Length","WARC-Header-Metadata":{...}}}
//! ```
//!
//! Two forms: `.wat.jsonl` (one document per line, what the `json/wat` task reads) and a real
//! `.warc.wat.gz` (per segment a WAT `warcinfo`, then one `metadata` record with
//! `Content-Type: application/json` per document, one gzip member each). [`extract_payloads`]
//! turns any `.warc.wat.gz` (ours or Common Crawl's) back into the one-per-line form.

use crate::cdxj::CrawlSpec;
use crate::crawl::{self, Member, PageRecords, Record, SegmentStart};
use crate::html::{Attrs, HtmlMeta};
use crate::json::{key_str, push_str};
use crate::page::format_uuid;
use crate::prng::derive;
use crate::warc;
use crate::wet::{gzip_member, hex, DecompressSummary};
use flate2::read::MultiGzDecoder;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};

const TAG_WAT_RECORD: u64 = 0x5741_5452; // "WATR"
const TAG_WAT_INFO: u64 = 0x5741_5449; // "WATI"
/// `sha1:` of the empty entity (a request's body).
const EMPTY_SHA1: &str = "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ";

/// Output form of a WAT dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatFormat {
    /// One JSON document per line.
    Jsonl,
    /// A `.warc.wat.gz` file.
    WarcGz,
}

/// `{"k":"v",...}` of header pairs; repeated names become arrays at the first name's position,
/// as ia-web-commons' multi-valued `MetaData` does.
fn headers_object<K: AsRef<str>, V: AsRef<str>>(out: &mut String, headers: &[(K, V)]) {
    out.push('{');
    let mut done: Vec<&str> = Vec::new();
    let mut first = true;
    for (i, (k, v)) in headers.iter().enumerate() {
        let k = k.as_ref();
        if done.contains(&k) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        let repeats: Vec<&str> = headers[i + 1..]
            .iter()
            .filter(|(k2, _)| k2.as_ref() == k)
            .map(|(_, v2)| v2.as_ref())
            .collect();
        push_str(out, k);
        out.push(':');
        if repeats.is_empty() {
            push_str(out, v.as_ref());
        } else {
            out.push('[');
            push_str(out, v.as_ref());
            for r in repeats {
                out.push(',');
                push_str(out, r);
            }
            out.push(']');
            done.push(k);
        }
    }
    out.push('}');
}

fn attrs_array(out: &mut String, items: &[Attrs]) {
    out.push('[');
    for (i, a) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        for (j, (k, v)) in a.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            key_str(out, k, v);
        }
        out.push('}');
    }
    out.push(']');
}

/// The `HTML-Metadata` object of an extraction record.
pub fn html_metadata(out: &mut String, m: &HtmlMeta) {
    out.push('{');
    let head = |out: &mut String| {
        out.push_str("\"Head\":{");
        for (i, k) in m.head_keys.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_str(out, k);
            out.push(':');
            match *k {
                "Metas" => attrs_array(out, &m.metas),
                "Title" => push_str(out, m.title.as_deref().unwrap_or("")),
                "Link" => attrs_array(out, &m.link_tags),
                _ => attrs_array(out, &m.scripts),
            }
        }
        out.push('}');
    };
    let links = |out: &mut String| {
        out.push_str("\"Links\":");
        attrs_array(out, &m.links);
    };
    let has_head = !m.head_keys.is_empty();
    let has_links = !m.links.is_empty();
    match (has_head, has_links) {
        (true, true) if m.head_before_links => {
            head(out);
            out.push(',');
            links(out);
        }
        (true, true) => {
            links(out);
            out.push(',');
            head(out);
        }
        (true, false) => head(out),
        (false, true) => links(out),
        (false, false) => {}
    }
    out.push('}');
}

/// `"Container":{...}` up to the offset's digits, and what follows them.
fn container(filename: &str, member: &Member) -> (String, String) {
    let mut pre = String::with_capacity(100);
    pre.push_str("{\"Container\":{");
    key_str(&mut pre, "Filename", filename);
    pre.push_str(",\"Compressed\":true,\"Offset\":\"");
    let mut post = String::with_capacity(200);
    let _ = write!(
        post,
        "\",\"Gzip-Metadata\":{{\"Deflate-Length\":\"{}\",\"Header-Length\":\"10\",\"Footer-Length\":\"8\",\"Inflated-CRC\":\"{}\",\"Inflated-Length\":\"{}\"}}}},\"Envelope\":{{",
        member.len - 18,
        member.crc as i32,
        member.raw_len
    );
    (pre, post)
}

/// The envelope's tail: payload lengths and digest, format, WARC headers.
fn envelope_tail(out: &mut String, rec: &Record) {
    let _ = write!(
        out,
        ",\"Actual-Content-Length\":\"{}\",\"Trailing-Slop-Length\":\"4\",",
        rec.block_len
    );
    key_str(out, "Block-Digest", &rec.block_digest);
    let _ = write!(
        out,
        "}},\"Format\":\"WARC/1.0\",\"WARC-Header-Length\":\"{}\",\"WARC-Header-Metadata\":",
        rec.header_len
    );
    headers_object(out, &rec.headers);
    out.push_str("}}");
}

/// A document whose offset is not known yet: `prefix + offset + suffix`.
pub struct PendingDoc {
    pub prefix: String,
    pub suffix: String,
    /// Entries of `HTML-Metadata.Links`.
    pub links: u64,
    /// The first `Server` header (any case) of an HTTP response.
    pub server: Option<String>,
    /// For the `.warc.wat.gz` record: target URI and the WARC record id it describes.
    pub target: String,
    pub refers_to: String,
}

/// The WAT documents of a page's three records.
pub fn page_documents(recs: &PageRecords, members: &[Member; 3]) -> [PendingDoc; 3] {
    let filename = crawl::segment_file_name(recs.seed, crawl::segment_of(recs.page.index));
    let url = &recs.page.url;
    let id = |r: &Record| {
        r.headers
            .iter()
            .find(|(k, _)| *k == "WARC-Record-ID")
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };

    // Request.
    let (pre, mut s) = container(&filename, &members[0]);
    s.push_str("\"Payload-Metadata\":{\"Actual-Content-Type\":\"application/http; msgtype=request\",\"HTTP-Request-Metadata\":{\"Request-Message\":{\"Method\":\"GET\",");
    key_str(&mut s, "Path", &recs.req.path);
    let _ = write!(
        s,
        ",\"Version\":\"HTTP/1.1\"}},\"Headers-Length\":\"{}\",\"Headers\":",
        recs.req.head_len
    );
    headers_object(&mut s, &recs.req.headers);
    let _ = write!(s, ",\"Entity-Length\":\"0\",\"Entity-Digest\":\"{EMPTY_SHA1}\",\"Entity-Trailing-Slop-Length\":\"0\"}}");
    envelope_tail(&mut s, &recs.request);
    let request = PendingDoc {
        prefix: pre,
        suffix: s,
        links: 0,
        server: None,
        target: url.clone(),
        refers_to: id(&recs.request),
    };

    // Response.
    let h = &recs.http;
    let (pre, mut s) = container(&filename, &members[1]);
    let _ = write!(
        s,
        "\"Payload-Metadata\":{{\"Actual-Content-Type\":\"application/http; msgtype=response\",\"HTTP-Response-Metadata\":{{\"Response-Message\":{{\"Status\":\"{}\",\"Version\":\"{}\",",
        h.status, h.version
    );
    key_str(&mut s, "Reason", h.reason);
    let _ = write!(s, "}},\"Headers-Length\":\"{}\",\"Headers\":", h.head_len);
    headers_object(&mut s, &h.headers);
    let mut links = 0;
    if let Some(m) = &h.html {
        s.push_str(",\"HTML-Metadata\":");
        html_metadata(&mut s, m);
        links = m.links.len() as u64;
    }
    let _ = write!(s, ",\"Entity-Length\":\"{}\",", h.payload_len);
    key_str(&mut s, "Entity-Digest", &h.payload_digest);
    s.push_str(",\"Entity-Trailing-Slop-Length\":\"0\"}");
    envelope_tail(&mut s, &recs.response);
    let server = h
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("server"))
        .map(|(_, v)| v.clone());
    let response = PendingDoc {
        prefix: pre,
        suffix: s,
        links,
        server,
        target: url.clone(),
        refers_to: id(&recs.response),
    };

    // Metadata.
    let (pre, mut s) = container(&filename, &members[2]);
    s.push_str("\"Payload-Metadata\":{\"Actual-Content-Type\":\"application/metadata-fields\",\"WARC-Metadata-Metadata\":{\"Metadata-Records\":[");
    for (i, (k, v)) in recs.meta_fields.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push('{');
        key_str(&mut s, "Name", k);
        s.push(',');
        key_str(&mut s, "Value", v);
        s.push('}');
    }
    s.push_str("]}");
    envelope_tail(&mut s, &recs.metadata);
    let metadata = PendingDoc {
        prefix: pre,
        suffix: s,
        links: 0,
        server: None,
        target: url.clone(),
        refers_to: id(&recs.metadata),
    };
    [request, response, metadata]
}

/// The WAT document of a segment's `warcinfo` record (offset 0).
pub fn warcinfo_document(seed: u64, start: &SegmentStart) -> String {
    let filename = crawl::segment_file_name(seed, start.segment);
    let (mut doc, s) = container(&filename, &start.member);
    doc.push('0');
    doc.push_str(&s);
    doc.push_str("\"Payload-Metadata\":{\"Actual-Content-Type\":\"application/warc-fields\",\"WARC-Info-Metadata\":");
    let block = &start.warcinfo.raw
        [start.warcinfo.header_len..start.warcinfo.header_len + start.warcinfo.block_len];
    let fields: Vec<(&str, &str)> = std::str::from_utf8(block)
        .unwrap_or("")
        .split("\r\n")
        .filter_map(|l| l.split_once(": "))
        .collect();
    headers_object(&mut doc, &fields);
    envelope_tail(&mut doc, &start.warcinfo);
    doc
}

/// What writing a WAT dataset produced.
#[derive(Clone, Debug, PartialEq)]
pub struct WatReport {
    pub documents: u64,
    pub pages: u64,
    pub segments: Vec<u64>,
    /// Bytes and sha256 of the file as written.
    pub bytes: u64,
    pub sha256: String,
    /// The expected result of the `json/wat` task.
    pub expected: serde_json::Value,
    /// For the `.warc.wat.gz` form: the decompress task's summary.
    pub decompress: Option<DecompressSummary>,
}

/// The `json/wat` summary: documents, `Links` entries, distinct `Server` values and the sha256
/// of those values sorted by code point and joined with "\n".
pub fn summary(documents: u64, links: u64, servers: &BTreeSet<String>) -> serde_json::Value {
    // BTreeSet<String> orders by bytes, which for UTF-8 is code point order.
    let joined: Vec<&str> = servers.iter().map(String::as_str).collect();
    serde_json::json!({
        "documents": documents,
        "links": links,
        "servers": servers.len(),
        "servers_sha256": hex(&Sha256::digest(joined.join("\n").as_bytes())),
    })
}

struct Sink<W: Write> {
    out: W,
    format: WatFormat,
    seed: u64,
    sha: Sha256,
    bytes: u64,
    raw_sha: Sha256,
    raw_bytes: u64,
    members: u64,
    documents: u64,
    jsonl_bytes: u64,
}

impl<W: Write> Sink<W> {
    fn put_raw(&mut self, data: &[u8]) -> io::Result<()> {
        self.out.write_all(data)?;
        self.sha.update(data);
        self.bytes += data.len() as u64;
        Ok(())
    }

    fn put_member(&mut self, raw: &[u8]) -> io::Result<()> {
        let gz = gzip_member(raw, Vec::with_capacity(raw.len() / 3 + 64));
        self.raw_sha.update(raw);
        self.raw_bytes += raw.len() as u64;
        self.members += 1;
        self.put_raw(&gz)
    }

    /// The WAT file's own warcinfo record (one per segment, as Common Crawl's files start).
    fn wat_warcinfo(&mut self, segment: u64) -> io::Result<()> {
        let c = crate::page::Corpus::new(self.seed, crate::WEB_EMOJI_PER_MB);
        let extracted = c.start_unix + 13 * 86_400 + 6_323 + segment * 60;
        let name = crawl::segment_file_name(self.seed, segment).replace(".warc.gz", ".warc.wat.gz");
        let block = format!(
            "Software-Info: gluebench-datasets/{} (generator {}; ia-web-commons layout, synthetic)\r\n\
             Extracted-Date: {}\r\n\
             hostname: gluebench-generator\r\n\
             format: WARC File Format 1.0\r\n\
             conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\n\r\n",
            env!("CARGO_PKG_VERSION"),
            crate::GENERATOR_VERSION,
            warc::http_date(extracted)
        );
        let id = format_uuid(
            derive(&[self.seed, TAG_WAT_INFO, segment]),
            derive(&[self.seed, TAG_WAT_INFO, segment, 1]),
        );
        let mut raw = Vec::new();
        let len = block.len().to_string();
        let digest = warc::sha1_digest(block.as_bytes());
        let date = warc::warc_date(extracted);
        warc::write_record(
            &mut raw,
            &[
                ("WARC-Type", "warcinfo"),
                ("WARC-Date", &date),
                ("WARC-Filename", &name),
                ("WARC-Record-ID", &id),
                ("Content-Type", "application/warc-fields"),
                ("Content-Length", &len),
                ("WARC-Block-Digest", &digest),
            ],
            block.as_bytes(),
        );
        self.put_member(&raw)
    }

    fn document(&mut self, doc: &str, target: &str, refers_to: &str) -> io::Result<()> {
        self.documents += 1;
        let n = self.documents;
        self.jsonl_bytes += doc.len() as u64 + 1;
        match self.format {
            WatFormat::Jsonl => {
                self.put_raw(doc.as_bytes())?;
                self.put_raw(b"\n")
            }
            WatFormat::WarcGz => {
                let c = crate::page::Corpus::new(self.seed, crate::WEB_EMOJI_PER_MB);
                let date = warc::warc_date(c.start_unix + 13 * 86_400 + 6_383 + n / 40);
                let id = format_uuid(
                    derive(&[self.seed, TAG_WAT_RECORD, n]),
                    derive(&[self.seed, TAG_WAT_RECORD, n, 1]),
                );
                let digest = warc::sha1_digest(doc.as_bytes());
                let len = doc.len().to_string();
                let mut raw = Vec::with_capacity(doc.len() + 600);
                warc::write_record(
                    &mut raw,
                    &[
                        ("WARC-Type", "metadata"),
                        ("WARC-Target-URI", target),
                        ("WARC-Date", &date),
                        ("WARC-Record-ID", &id),
                        ("WARC-Refers-To", refers_to),
                        ("Content-Type", "application/json"),
                        ("Content-Length", &len),
                        ("WARC-Payload-Digest", &digest),
                        ("WARC-Block-Digest", &digest),
                    ],
                    doc.as_bytes(),
                );
                self.put_member(&raw)
            }
        }
    }
}

/// Writes the WAT documents of pages from 0 until the one-per-line form reaches
/// `spec.target_bytes` (whole pages; each segment's warcinfo document first), in `format`.
/// Both forms of a spec hold the same documents.
pub fn write_wat<W: Write>(
    spec: &CrawlSpec,
    format: WatFormat,
    out: W,
    threads: usize,
    mut progress: Option<&mut dyn FnMut(u64, u64)>,
) -> io::Result<WatReport> {
    let corpus = spec.corpus();
    let sink = std::cell::RefCell::new(Sink {
        out,
        format,
        seed: spec.seed,
        sha: Sha256::new(),
        bytes: 0,
        raw_sha: Sha256::new(),
        raw_bytes: 0,
        members: 0,
        documents: 0,
        jsonl_bytes: 0,
    });
    let mut segments = Vec::new();
    let mut links = 0u64;
    let mut servers: BTreeSet<String> = BTreeSet::new();
    let mut pages = 0u64;
    crawl::run(
        &corpus,
        0,
        threads,
        false,
        |recs, members| page_documents(&recs, &members),
        |start| {
            segments.push(start.segment);
            let mut s = sink.borrow_mut();
            if format == WatFormat::WarcGz {
                s.wat_warcinfo(start.segment)?;
            }
            let doc = warcinfo_document(spec.seed, start);
            let target = crawl::segment_file_name(spec.seed, start.segment);
            let refers = crawl::warcinfo_id(spec.seed, start.segment);
            s.document(&doc, &target, &refers)
        },
        |p| {
            let mut s = sink.borrow_mut();
            for (k, d) in p.item.into_iter().enumerate() {
                let mut doc = d.prefix;
                doc.push_str(&p.offsets[k].to_string());
                doc.push_str(&d.suffix);
                links += d.links;
                if let Some(sv) = d.server {
                    servers.insert(sv);
                }
                s.document(&doc, &d.target, &d.refers_to)?;
            }
            pages += 1;
            if let Some(f) = progress.as_mut() {
                f(s.jsonl_bytes.min(spec.target_bytes), spec.target_bytes);
            }
            Ok(s.jsonl_bytes < spec.target_bytes)
        },
    )?;
    let mut s = sink.into_inner();
    s.out.flush()?;
    let decompress = (format == WatFormat::WarcGz).then(|| DecompressSummary {
        members: s.members,
        bytes: s.raw_bytes,
        sha256: hex(&s.raw_sha.finalize()),
    });
    Ok(WatReport {
        documents: s.documents,
        pages,
        segments,
        bytes: s.bytes,
        sha256: hex(&s.sha.finalize()),
        expected: summary(s.documents, links, &servers),
        decompress,
    })
}

/// The WAT dataset for `spec` in memory.
pub fn generate_wat(spec: &CrawlSpec, format: WatFormat) -> (Vec<u8>, WatReport) {
    let mut buf = Vec::new();
    let r = write_wat(spec, format, &mut buf, 0, None).expect("writing to a Vec cannot fail");
    (buf, r)
}

/// Copies the JSON payloads of a `.warc.wat.gz` stream (every `metadata` record whose
/// `Content-Type` is `application/json`) to `out`, one document per line: the payload with
/// surrounding whitespace trimmed, and any CR or LF inside it (possible only between JSON tokens
/// in valid JSON) replaced by a space. Returns the number of documents. Works on Common Crawl's
/// WAT files as well as ours (any number of records per gzip member).
pub fn extract_payloads<R: Read, W: Write>(input: R, mut out: W) -> io::Result<u64> {
    let mut r = BufReader::with_capacity(1 << 20, MultiGzDecoder::new(input));
    let bad = |m: String| io::Error::new(io::ErrorKind::InvalidData, m);
    let mut line = Vec::new();
    let mut docs = 0u64;
    let mut block = Vec::new();
    loop {
        // Skip blank lines between records; stop at the end.
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        if !line.starts_with(b"WARC/") {
            return Err(bad(format!(
                "expected a WARC record, found {:?}",
                String::from_utf8_lossy(&line[..line.len().min(40)])
            )));
        }
        let (mut length, mut metadata, mut json) = (None, false, false);
        loop {
            line.clear();
            if r.read_until(b'\n', &mut line)? == 0 {
                return Err(bad("truncated WARC headers".into()));
            }
            let l = String::from_utf8_lossy(&line);
            let l = l.trim_end_matches(['\r', '\n']);
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let v = v.trim();
                if k.eq_ignore_ascii_case("Content-Length") {
                    length = Some(
                        v.parse::<u64>()
                            .map_err(|_| bad(format!("bad Content-Length {v:?}")))?,
                    );
                } else if k.eq_ignore_ascii_case("WARC-Type") {
                    metadata = v.eq_ignore_ascii_case("metadata");
                } else if k.eq_ignore_ascii_case("Content-Type") {
                    json = v.to_ascii_lowercase().starts_with("application/json");
                }
            }
        }
        let length = length.ok_or_else(|| bad("WARC record without Content-Length".into()))?;
        block.clear();
        (&mut r).take(length).read_to_end(&mut block)?;
        if (block.len() as u64) < length {
            return Err(bad("truncated WARC record".into()));
        }
        if metadata && json {
            let start = block
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(block.len());
            let end = block
                .iter()
                .rposition(|b| !b.is_ascii_whitespace())
                .map_or(start, |e| e + 1);
            let doc = &mut block[start..end];
            for b in doc.iter_mut() {
                if *b == b'\r' || *b == b'\n' {
                    *b = b' ';
                }
            }
            out.write_all(doc)?;
            out.write_all(b"\n")?;
            docs += 1;
        }
    }
    out.flush()?;
    Ok(docs)
}

/// [`extract_payloads`] of a file, into memory.
pub fn extract_payloads_from_file(path: &std::path::Path) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    extract_payloads(std::fs::File::open(path)?, &mut out)?;
    Ok(out)
}
