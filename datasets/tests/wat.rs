//! WAT documents: one per WARC record, in ia-web-commons' structure and key order, pointing at
//! the records they describe; the `.warc.wat.gz` form holds the same documents as the
//! one-per-line form; the recorded summary equals an independent recomputation.

use flate2::read::{GzDecoder, MultiGzDecoder};
use gluebench_datasets::crawl::{self, SegmentSpec};
use gluebench_datasets::warc::{parse_record, sha1_digest};
use gluebench_datasets::{
    extract_payloads, generate_segment, generate_wat, CrawlSpec, WatFormat, WatReport,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

const SEED: u64 = 4;

fn spec() -> CrawlSpec {
    CrawlSpec {
        seed: SEED,
        target_bytes: 300 << 10,
    }
}

struct Fixture {
    jsonl: Vec<u8>,
    report: WatReport,
    gz: Vec<u8>,
    gz_report: WatReport,
    segment0: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let (jsonl, report) = generate_wat(&spec(), WatFormat::Jsonl);
        let (gz, gz_report) = generate_wat(&spec(), WatFormat::WarcGz);
        let (segment0, _) = generate_segment(&SegmentSpec {
            seed: SEED,
            segment: 0,
        });
        Fixture {
            jsonl,
            report,
            gz,
            gz_report,
            segment0,
        }
    })
}

fn docs(jsonl: &[u8]) -> Vec<Value> {
    std::str::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets/cc");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!(
            "skipped: {} not found (real samples are optional)",
            p.display()
        );
        None
    }
}

#[test]
fn jsonl_equals_the_payloads_of_the_warc_wat_gz() {
    let f = fixture();
    let mut extracted = Vec::new();
    let n = extract_payloads(&f.gz[..], &mut extracted).unwrap();
    assert_eq!(n, f.report.documents);
    assert!(
        extracted == f.jsonl,
        "extracted payloads differ from the .wat.jsonl"
    );
    assert_eq!(f.report.expected, f.gz_report.expected);
    assert_eq!(f.report.bytes, f.jsonl.len() as u64);
    assert_eq!(f.report.sha256, format!("{:x}", Sha256::digest(&f.jsonl)));
    assert!(f.report.bytes >= spec().target_bytes);
    // The .warc.wat.gz: a WAT warcinfo first, then one application/json metadata record per
    // document, one gzip member each; the decompress summary is right.
    let mut all = Vec::new();
    MultiGzDecoder::new(&f.gz[..])
        .read_to_end(&mut all)
        .unwrap();
    let d = f.gz_report.decompress.as_ref().unwrap();
    assert_eq!(d.bytes, all.len() as u64);
    assert_eq!(d.sha256, format!("{:x}", Sha256::digest(&all)));
    assert_eq!(
        d.members,
        f.report.documents + f.report.segments.len() as u64
    );
    let first = parse_record(&all).unwrap();
    assert_eq!(first.header("WARC-Type"), Some("warcinfo"));
    assert!(first
        .header("WARC-Filename")
        .unwrap()
        .ends_with(".warc.wat.gz"));
    let second = parse_record(&all[first.len..]).unwrap();
    assert_eq!(second.header("WARC-Type"), Some("metadata"));
    assert_eq!(second.header("Content-Type"), Some("application/json"));
    assert_eq!(
        second.header("WARC-Block-Digest").unwrap(),
        sha1_digest(second.block)
    );
}

#[test]
fn expected_summary_matches_an_independent_recomputation() {
    let f = fixture();
    let (mut links, mut servers) = (0u64, BTreeSet::new());
    let all = docs(&f.jsonl);
    for d in &all {
        let http = &d["Envelope"]["Payload-Metadata"]["HTTP-Response-Metadata"];
        if let Some(l) = http["HTML-Metadata"]["Links"].as_array() {
            links += l.len() as u64;
        }
        if let Some(h) = http["Headers"].as_object() {
            if let Some((_, v)) = h.iter().find(|(k, _)| k.eq_ignore_ascii_case("server")) {
                servers.insert(v.as_str().unwrap().to_string());
            }
        }
    }
    let joined: Vec<&str> = servers.iter().map(String::as_str).collect();
    let want = serde_json::json!({
        "documents": all.len(),
        "links": links,
        "servers": servers.len(),
        "servers_sha256": format!("{:x}", Sha256::digest(joined.join("\n").as_bytes())),
    });
    assert_eq!(f.report.expected, want);
    assert!(
        links > 20 * f.report.pages,
        "{links} links in {} pages",
        f.report.pages
    );
    assert!(servers.len() > 3);
}

#[test]
fn documents_describe_the_records_they_point_at() {
    let f = fixture();
    let all = docs(&f.jsonl);
    assert_eq!(all.len() as u64, 1 + 3 * f.report.pages);
    let mut types = Vec::new();
    for d in &all {
        let c = &d["Container"];
        assert_eq!(c["Filename"], crawl::segment_file_name(SEED, 0));
        assert_eq!(c["Compressed"], true);
        let num = |v: &Value| v.as_str().unwrap().parse::<usize>().unwrap();
        let g = &c["Gzip-Metadata"];
        let (offset, len) = (num(&c["Offset"]), num(&g["Deflate-Length"]) + 18);
        let mut dec = GzDecoder::new(&f.segment0[offset..offset + len]);
        let mut raw = Vec::new();
        dec.read_to_end(&mut raw).unwrap();
        assert!(dec.into_inner().is_empty());
        assert_eq!(raw.len(), num(&g["Inflated-Length"]));
        let mut crc = flate2::Crc::new();
        crc.update(&raw);
        assert_eq!(
            g["Inflated-CRC"].as_str().unwrap(),
            (crc.sum() as i32).to_string()
        );
        let rec = parse_record(&raw).unwrap();
        let e = &d["Envelope"];
        let wh = e["WARC-Header-Metadata"].as_object().unwrap();
        let names: Vec<&str> = rec.headers.iter().map(|h| h.0).collect();
        assert_eq!(wh.keys().map(String::as_str).collect::<Vec<_>>(), names);
        for (k, v) in &rec.headers {
            assert_eq!(wh[*k], *v);
        }
        assert_eq!(
            num(&e["WARC-Header-Length"]),
            raw.len() - rec.block.len() - 4
        );
        assert_eq!(e["Format"], "WARC/1.0");
        let p = &e["Payload-Metadata"];
        assert_eq!(num(&p["Actual-Content-Length"]), rec.block.len());
        assert_eq!(p["Block-Digest"], sha1_digest(rec.block));
        let t = rec.header("WARC-Type").unwrap().to_string();
        if t == "response" {
            let h = &p["HTTP-Response-Metadata"];
            let head_end = rec.block.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
            assert_eq!(num(&h["Headers-Length"]), head_end + 2);
            let payload = &rec.block[head_end + 4..];
            assert_eq!(num(&h["Entity-Length"]), payload.len());
            assert_eq!(
                h["Entity-Digest"],
                rec.header("WARC-Payload-Digest").unwrap()
            );
            let status = std::str::from_utf8(
                &rec.block[..rec.block.iter().position(|&b| b == b'\r').unwrap()],
            )
            .unwrap();
            assert_eq!(
                status,
                format!(
                    "HTTP/1.1 {} {}",
                    h["Response-Message"]["Status"].as_str().unwrap(),
                    h["Response-Message"]["Reason"].as_str().unwrap()
                )
            );
            // The HTML's anchors, images and forms are the extracted links, one for one.
            if let Some(html) = h.get("HTML-Metadata") {
                let text = String::from_utf8_lossy(payload);
                let links = html["Links"].as_array().map_or(&[][..], |v| &v[..]);
                let count = |path: &str| links.iter().filter(|l| l["path"] == path).count();
                assert_eq!(count("A@/href"), text.matches("<a ").count());
                assert_eq!(count("IMG@/src"), text.matches("<img ").count());
                assert_eq!(count("FORM@/action"), text.matches("<form ").count());
                let head = &html["Head"];
                let scripts = head["Scripts"].as_array().map_or(0, |v| v.len());
                assert_eq!(
                    scripts,
                    text.matches(" src=").count() - count("IMG@/src") - count("IFRAME@/src")
                );
                if let Some(title) = head["Title"].as_str() {
                    assert!(text.contains(&format!(
                        "<title>{}",
                        title
                            .replace('&', "&amp;")
                            .replace('<', "&lt;")
                            .replace('>', "&gt;")
                            .split(' ')
                            .next()
                            .unwrap()
                    )));
                }
            }
        }
        types.push(t);
    }
    assert_eq!(types[0], "warcinfo");
    for chunk in types[1..].chunks(3) {
        assert_eq!(chunk, ["request", "response", "metadata"]);
    }
}

/// Key paths of a JSON value in document order (`Envelope.Payload-Metadata.…`).
fn key_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Some(o) = v.as_object() {
        for (k, x) in o {
            let p = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            out.push(p.clone());
            key_paths(x, &p, out);
        }
    }
}

#[test]
fn request_documents_have_the_real_structure_and_key_order() {
    let Some(cc) = shared() else { return };
    let mut real = Vec::new();
    extract_payloads(
        std::fs::File::open(cc.join("whirlwind.warc.wat.gz")).unwrap(),
        &mut real,
    )
    .unwrap();
    let real: Value =
        serde_json::from_str(std::str::from_utf8(&real).unwrap().lines().next().unwrap()).unwrap();
    let mut want = Vec::new();
    key_paths(&real, "", &mut want);
    let mut checked = 0;
    for d in docs(&fixture().jsonl) {
        let e = &d["Envelope"];
        if e["WARC-Header-Metadata"]["WARC-Type"] != "request"
            || e["Payload-Metadata"]["HTTP-Request-Metadata"]["Headers"]
                .get("If-Modified-Since")
                .is_some()
        {
            continue;
        }
        let mut got = Vec::new();
        key_paths(&d, "", &mut got);
        assert_eq!(got, want);
        checked += 1;
    }
    assert!(checked > 5);
}

#[test]
fn the_extractor_reads_a_real_wat_file() {
    let Some(cc) = shared() else { return };
    let path = cc.join("whirlwind.warc.wat.gz");
    let out = gluebench_datasets::extract_payloads_from_file(&path).unwrap();
    let text = std::str::from_utf8(&out).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(text.ends_with('\n'));
    let doc: Value = serde_json::from_str(text.trim_end()).unwrap();
    assert_eq!(
        doc["Envelope"]["WARC-Header-Metadata"]["WARC-Target-URI"],
        "https://an.wikipedia.org/wiki/Escopete"
    );
    assert_eq!(
        doc["Container"]["Filename"],
        "CC-MAIN-20240517233122-20240518023122-00000.warc.gz"
    );
    // The document is the record's payload, byte for byte.
    let mut all = Vec::new();
    MultiGzDecoder::new(std::fs::File::open(&path).unwrap())
        .read_to_end(&mut all)
        .unwrap();
    let info = parse_record(&all).unwrap();
    let meta = parse_record(&all[info.len..]).unwrap();
    assert_eq!(meta.block, text.trim_end().as_bytes());
}

#[test]
fn the_extractor_rejects_garbage_with_an_error() {
    let mut out = Vec::new();
    let gz = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b"not a warc record\r\n").unwrap();
        e.finish().unwrap()
    };
    assert!(extract_payloads(&gz[..], &mut out).is_err());
    assert!(extract_payloads(&b"plain text"[..], &mut out).is_err());
}
