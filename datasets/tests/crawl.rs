//! The WARC segments and the CDXJ index agree: every index line points at exactly one gzip member
//! of a segment file, holding the response record the line describes. The expected summary the
//! generator records equals an independent recomputation, and the lines look like Common Crawl's.

use flate2::read::{GzDecoder, MultiGzDecoder};
use gluebench_datasets::crawl::{self, SegmentSpec};
use gluebench_datasets::warc::parse_record;
use gluebench_datasets::{
    generate_cdxj, generate_segment, generate_wet, CdxjReport, CrawlSpec, WetSpec,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

const SEED: u64 = 3;

/// ~1,100 lines: all of segment 0 and the start of segment 1.
fn spec() -> CrawlSpec {
    CrawlSpec {
        seed: SEED,
        target_bytes: 480 << 10,
    }
}

struct Fixture {
    cdxj: Vec<u8>,
    report: CdxjReport,
    /// Segment files by their CDXJ `filename`.
    segments: HashMap<String, Vec<u8>>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let (cdxj, report) = generate_cdxj(&spec());
        let segments = report
            .segments
            .iter()
            .map(|&n| {
                let (file, _) = generate_segment(&SegmentSpec {
                    seed: SEED,
                    segment: n,
                });
                (crawl::segment_cc_path(SEED, n), file)
            })
            .collect();
        Fixture {
            cdxj,
            report,
            segments,
        }
    })
}

/// (key, timestamp, json) of each line.
fn lines(cdxj: &[u8]) -> Vec<(String, String, serde_json::Map<String, Value>)> {
    std::str::from_utf8(cdxj)
        .unwrap()
        .lines()
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let key = parts.next().unwrap().to_string();
            let ts = parts.next().unwrap().to_string();
            let json: Value = serde_json::from_str(parts.next().unwrap()).unwrap();
            (key, ts, json.as_object().unwrap().clone())
        })
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
fn the_index_spans_two_segments() {
    let f = fixture();
    assert_eq!(f.report.segments, vec![0, 1]);
    assert!(f.report.lines > crawl::SEGMENT_PAGES);
    assert_eq!(f.report.bytes, f.cdxj.len() as u64);
    assert_eq!(f.report.sha256, format!("{:x}", Sha256::digest(&f.cdxj)));
    assert!(f.report.bytes >= spec().target_bytes);
}

#[test]
fn every_line_points_at_its_response_record() {
    let f = fixture();
    for (key, ts, j) in lines(&f.cdxj) {
        let s = |k: &str| {
            j[k].as_str()
                .unwrap_or_else(|| panic!("{k} missing or not a string"))
        };
        let file = &f.segments[s("filename")];
        let offset: usize = s("offset").parse().unwrap();
        let length: usize = s("length").parse().unwrap();
        let member = &file[offset..offset + length];
        assert_eq!(
            &member[..3],
            b"\x1f\x8b\x08",
            "{key}: no gzip member at {offset}"
        );
        // Exactly one member: the decoder ends at the last byte of the range.
        let mut dec = GzDecoder::new(member);
        let mut raw = Vec::new();
        dec.read_to_end(&mut raw).unwrap();
        assert!(
            dec.into_inner().is_empty(),
            "{key}: trailing bytes after the member"
        );
        let rec = parse_record(&raw).unwrap();
        assert_eq!(rec.len, raw.len(), "{key}: one record per member");
        assert_eq!(rec.header("WARC-Type"), Some("response"));
        assert_eq!(rec.header("WARC-Target-URI"), Some(s("url")));
        assert_eq!(
            rec.header("WARC-Payload-Digest").unwrap(),
            format!("sha1:{}", s("digest"))
        );
        assert_eq!(
            rec.header("WARC-Date")
                .unwrap()
                .replace(['-', ':', 'T', 'Z'], ""),
            ts
        );
        assert_eq!(
            rec.header("WARC-Identified-Payload-Type"),
            Some(s("mime-detected"))
        );
        let status_line = rec.block.split(|&b| b == b'\r').next().unwrap();
        let status = std::str::from_utf8(status_line).unwrap();
        assert!(
            status.starts_with(&format!("HTTP/1.1 {} ", s("status"))),
            "{status}"
        );
        let payload_at = rec.block.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let digest = gluebench_datasets::warc::sha1_digest(&rec.block[payload_at..]);
        assert_eq!(digest, format!("sha1:{}", s("digest")));
        if let Some(loc) = j.get("redirect") {
            let head = String::from_utf8_lossy(&rec.block[..payload_at]).to_ascii_lowercase();
            assert!(head.contains(&format!(
                "location: {}",
                loc.as_str().unwrap().to_ascii_lowercase()
            )));
        }
    }
}

#[test]
fn lines_are_sorted_with_common_crawls_fields() {
    let f = fixture();
    let text = std::str::from_utf8(&f.cdxj).unwrap();
    let raw: Vec<&str> = text.lines().collect();
    assert!(raw.windows(2).all(|w| w[0] <= w[1]), "lines not sorted");
    let parsed = lines(&f.cdxj);
    for w in parsed.windows(2) {
        assert!(
            (&w[0].0, &w[0].1) <= (&w[1].0, &w[1].1),
            "not sorted by key, timestamp"
        );
    }
    let base = [
        "url",
        "mime",
        "mime-detected",
        "status",
        "digest",
        "length",
        "offset",
        "filename",
    ];
    let mut statuses = HashMap::new();
    for ((key, ts, j), line) in parsed.iter().zip(&raw) {
        assert_eq!(ts.len(), 14);
        assert!(ts.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(
            key,
            &gluebench_datasets::cdxj::surt(j["url"].as_str().unwrap())
        );
        assert!(line.is_ascii());
        // Python's json.dumps separators, all values strings.
        assert!(line.contains("{\"url\": \"") && line.contains("\", \"mime\": \""));
        let keys: Vec<&str> = j.keys().map(String::as_str).collect();
        assert_eq!(&keys[..8], &base, "{line}");
        let rest = &keys[8..];
        let status = j["status"].as_str().unwrap();
        *statuses.entry(status.to_string()).or_insert(0) += 1;
        let allowed: &[&[&str]] = match status {
            "200" => &[&[], &["charset"], &["charset", "languages"], &["truncated"]],
            "301" | "302" => &[&["redirect"]],
            _ => &[&[]],
        };
        assert!(allowed.contains(&rest), "{status}: {rest:?}");
        assert!(j.values().all(Value::is_string));
        for k in ["length", "offset", "status"] {
            assert!(j[k].as_str().unwrap().bytes().all(|b| b.is_ascii_digit()));
        }
        assert_eq!(j["digest"].as_str().unwrap().len(), 32);
        assert!(
            gluebench_datasets::segment_name_for_filename(j["filename"].as_str().unwrap())
                .is_some()
        );
    }
    // A realistic status mix: mostly 200, some redirects and errors.
    let n = parsed.len() as f64;
    let share = |s: &str| *statuses.get(s).unwrap_or(&0) as f64 / n;
    assert!(share("200") > 0.8 && share("200") < 0.93, "{statuses:?}");
    assert!(share("301") + share("302") > 0.03, "{statuses:?}");
    assert!(share("404") > 0.01, "{statuses:?}");
}

#[test]
fn expected_summary_matches_an_independent_recomputation() {
    let f = fixture();
    let mut sha = Sha256::new();
    let (mut selected, mut sum, mut n) = (0u64, 0u64, 0u64);
    for line in std::str::from_utf8(&f.cdxj).unwrap().split('\n') {
        if line.is_empty() {
            continue;
        }
        n += 1;
        let json: Value = serde_json::from_str(line.splitn(3, ' ').nth(2).unwrap()).unwrap();
        if json["status"] == "200" && json["mime"] == "text/html" {
            let g = |k: &str| json[k].as_str().unwrap().to_string();
            sha.update(format!(
                "{}\t{}\t{}\t{}\n",
                g("filename"),
                g("offset"),
                g("length"),
                g("status")
            ));
            selected += 1;
            sum += g("length").parse::<u64>().unwrap();
        }
    }
    let want = serde_json::json!({
        "lines": n,
        "selected": selected,
        "length_sum": sum,
        "sha256": format!("{:x}", sha.finalize()),
    });
    assert_eq!(f.report.expected, want);
    assert!(selected > n / 2);
}

#[test]
fn segment_files_are_well_formed_and_summarised() {
    let (file, r) = generate_segment(&SegmentSpec {
        seed: SEED,
        segment: 1,
    });
    assert_eq!(file, fixture().segments[&crawl::segment_cc_path(SEED, 1)]);
    let mut all = Vec::new();
    MultiGzDecoder::new(&file[..])
        .read_to_end(&mut all)
        .unwrap();
    assert_eq!(r.summary.bytes, all.len() as u64);
    assert_eq!(r.summary.sha256, format!("{:x}", Sha256::digest(&all)));
    assert_eq!(r.compressed_bytes, file.len() as u64);
    assert_eq!(r.compressed_sha256, format!("{:x}", Sha256::digest(&file)));
    assert_eq!(r.summary.members, 1 + 3 * crawl::SEGMENT_PAGES);
    // Records in order: warcinfo, then request, response, metadata per page, linked by ids.
    let mut pos = 0;
    let mut types = Vec::new();
    let mut last_id = String::new();
    while pos < all.len() {
        let rec = parse_record(&all[pos..]).unwrap();
        pos += rec.len;
        let t = rec.header("WARC-Type").unwrap().to_string();
        match t.as_str() {
            "response" | "metadata" => {
                assert_eq!(
                    rec.header("WARC-Concurrent-To").unwrap(),
                    last_id,
                    "{t} must follow its partner"
                )
            }
            "warcinfo" => assert_eq!(
                rec.header("WARC-Filename").unwrap(),
                crawl::segment_file_name(SEED, 1)
            ),
            _ => {}
        }
        last_id = rec.header("WARC-Record-ID").unwrap().to_string();
        types.push(t);
    }
    assert_eq!(types[0], "warcinfo");
    for chunk in types[1..].chunks(3) {
        assert_eq!(chunk, ["request", "response", "metadata"]);
    }
}

#[test]
fn the_wet_file_holds_exactly_the_successful_html_pages() {
    // WET pages 0.. are the crawl's pages: a conversion record for each 200 HTML response, in
    // page order, referring to that response record.
    let (wet, _) = generate_wet(&WetSpec {
        seed: SEED,
        target_bytes: 128 << 10,
        emoji_per_mb: gluebench_datasets::WEB_EMOJI_PER_MB,
        language: None,
    });
    let mut all = Vec::new();
    MultiGzDecoder::new(&wet[..]).read_to_end(&mut all).unwrap();
    let seg = &fixture().segments[&crawl::segment_cc_path(SEED, 0)];
    let mut seg_all = Vec::new();
    MultiGzDecoder::new(&seg[..])
        .read_to_end(&mut seg_all)
        .unwrap();
    let mut responses = Vec::new(); // (id, uri, status line, content-type)
    let mut pos = 0;
    while pos < seg_all.len() {
        let rec = parse_record(&seg_all[pos..]).unwrap();
        pos += rec.len;
        if rec.header("WARC-Type") == Some("response") {
            let end = rec.block.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
            let head = String::from_utf8_lossy(&rec.block[..end]).to_string();
            responses.push((
                rec.header("WARC-Record-ID").unwrap().to_string(),
                rec.header("WARC-Target-URI").unwrap().to_string(),
                head,
            ));
        }
    }
    let mut pos = 0;
    let mut conversions = Vec::new();
    while pos < all.len() {
        let rec = parse_record(&all[pos..]).unwrap();
        pos += rec.len;
        if rec.header("WARC-Type") == Some("conversion") {
            conversions.push((
                rec.header("WARC-Refers-To").unwrap().to_string(),
                rec.header("WARC-Target-URI").unwrap().to_string(),
            ));
        }
    }
    let ok: Vec<&(String, String, String)> = responses
        .iter()
        .filter(|(_, _, head)| {
            let ctype = head
                .split("\r\n")
                .find_map(|l| {
                    l.split_once(": ")
                        .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                })
                .map_or(String::new(), |(_, v)| v.to_ascii_lowercase());
            head.starts_with("HTTP/1.1 200 ") && ctype.contains("html")
        })
        .collect();
    assert!(conversions.len() > 10);
    for (i, (refers, uri)) in conversions.iter().enumerate() {
        assert_eq!(refers, &ok[i].0, "conversion {i}");
        assert_eq!(uri, &ok[i].1);
    }
}

#[test]
fn line_fields_are_in_the_real_index_order() {
    let Some(cc) = shared() else { return };
    let real = std::fs::read(cc.join("cdxj/preciz_CC-MAIN-2021-43_index_snippet.cdxj")).unwrap();
    let real_html: Vec<String> = lines(&real)
        .into_iter()
        .filter(|(_, _, j)| j.contains_key("languages"))
        .map(|(_, _, j)| j.keys().cloned().collect::<Vec<_>>().join(","))
        .collect();
    let real_redirect: Vec<String> =
        lines(&std::fs::read(cc.join("cdxj/preciz_CC-MAIN-2021-43_de-berlin-pdf.cdxj")).unwrap())
            .into_iter()
            .filter(|(_, _, j)| j.contains_key("redirect"))
            .map(|(_, _, j)| j.keys().cloned().collect::<Vec<_>>().join(","))
            .collect();
    for (_, _, j) in lines(&fixture().cdxj) {
        let keys = j.keys().cloned().collect::<Vec<_>>().join(",");
        if j.contains_key("languages") {
            assert_eq!(keys, real_html[0]);
        }
        if j.contains_key("redirect") {
            assert_eq!(keys, real_redirect[0]);
        }
    }
}
