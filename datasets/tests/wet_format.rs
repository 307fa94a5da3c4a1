//! Every generated file is a well-formed Common-Crawl-style WET file, and the summary the
//! generator records is what an independent decompressor computes.

use flate2::bufread::{GzDecoder, MultiGzDecoder};
use gluebench_datasets::warc::{self, parse_record};
use gluebench_datasets::{write_wet, WetSpec, WriteOptions};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

fn spec() -> WetSpec {
    WetSpec {
        seed: 3,
        target_bytes: 300 << 10,
        emoji_per_mb: 500.0,
        language: None,
    }
}

fn generate() -> (Vec<u8>, gluebench_datasets::WetReport) {
    let mut out = Vec::new();
    let r = write_wet(
        &spec(),
        &mut out,
        WriteOptions {
            member_index: true,
            ..Default::default()
        },
    )
    .unwrap();
    (out, r)
}

/// Splits a multi-member gzip file into (compressed member, inflated member).
fn members(file: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut rest = file;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let mut dec = GzDecoder::new(rest);
        let mut raw = Vec::new();
        dec.read_to_end(&mut raw).unwrap();
        let left = dec.into_inner();
        let used = rest.len() - left.len();
        out.push((rest[..used].to_vec(), raw));
        rest = left;
    }
    out
}

#[test]
fn summary_matches_an_independent_decompression() {
    let (file, r) = generate();
    let mut all = Vec::new();
    MultiGzDecoder::new(&file[..])
        .read_to_end(&mut all)
        .unwrap();
    assert_eq!(r.summary.bytes, all.len() as u64);
    assert_eq!(r.summary.sha256, format!("{:x}", Sha256::digest(&all)));
    assert_eq!(r.summary.members, members(&file).len() as u64);
    assert_eq!(r.compressed_bytes, file.len() as u64);
    assert_eq!(r.compressed_sha256, format!("{:x}", Sha256::digest(&file)));
    assert_eq!(r.pages + 1, r.summary.members);
    // Generation stops at the first record that reaches the target.
    let last = members(&file).last().unwrap().1.len() as u64;
    assert!(r.summary.bytes >= spec().target_bytes && r.summary.bytes - last < spec().target_bytes);
}

#[test]
fn every_member_is_one_valid_warc_record() {
    let (file, r) = generate();
    let ms = members(&file);
    let index = r.member_index.unwrap();
    assert_eq!(index.len(), ms.len());
    let mut offset = 0u64;
    let mut ids = std::collections::HashSet::new();
    for (i, ((gz, raw), (off, len))) in ms.iter().zip(&index).enumerate() {
        assert_eq!(
            (*off, *len),
            (offset, gz.len() as u64),
            "member index of record {i}"
        );
        offset += gz.len() as u64;
        // gzip header as Common Crawl writes it: deflate, no flags, mtime 0, OS = Unix.
        assert_eq!(&gz[..4], &[0x1f, 0x8b, 8, 0], "gzip header of member {i}");
        assert_eq!(gz[9], 3, "gzip OS byte of member {i}");
        let rec = parse_record(raw).unwrap_or_else(|e| panic!("record {i}: {e}"));
        assert_eq!(rec.len, raw.len(), "member {i} holds exactly one record");
        assert_eq!(rec.version, "WARC/1.0");
        let cl: usize = rec.header("Content-Length").unwrap().parse().unwrap();
        assert_eq!(cl, rec.block.len());
        assert_eq!(
            rec.header("WARC-Block-Digest").unwrap(),
            warc::sha1_digest(rec.block),
            "record {i}"
        );
        assert!(
            ids.insert(rec.header("WARC-Record-ID").unwrap().to_string()),
            "duplicate record id"
        );
        let names: Vec<&str> = rec.headers.iter().map(|(n, _)| *n).collect();
        if i == 0 {
            assert_eq!(
                names,
                [
                    "WARC-Type",
                    "WARC-Date",
                    "WARC-Filename",
                    "WARC-Record-ID",
                    "Content-Type",
                    "Content-Length",
                    "WARC-Block-Digest"
                ]
            );
            assert_eq!(rec.header("WARC-Type"), Some("warcinfo"));
        } else {
            let mut expect = vec![
                "WARC-Type",
                "WARC-Target-URI",
                "WARC-Date",
                "WARC-Record-ID",
                "WARC-Refers-To",
                "WARC-Block-Digest",
                "WARC-Identified-Content-Language",
                "Content-Type",
                "Content-Length",
                "WARC-Payload-Digest",
            ];
            if rec.header("WARC-Identified-Content-Language").is_none() {
                expect.retain(|n| *n != "WARC-Identified-Content-Language");
            }
            assert_eq!(names, expect, "header order of record {i}");
            assert_eq!(rec.header("WARC-Type"), Some("conversion"));
            assert_eq!(rec.header("Content-Type"), Some("text/plain"));
            assert_eq!(
                rec.header("WARC-Payload-Digest"),
                rec.header("WARC-Block-Digest")
            );
            assert_ne!(rec.header("WARC-Refers-To"), rec.header("WARC-Record-ID"));
            let date = rec.header("WARC-Date").unwrap();
            assert!(
                date.len() == 20 && date.ends_with('Z') && date.as_bytes()[10] == b'T',
                "{date}"
            );
            let body = std::str::from_utf8(rec.block).expect("bodies are UTF-8");
            assert!(
                body.ends_with('\n') && !body.contains('\r'),
                "record {i}: LF lines, final LF"
            );
        }
    }
}

/// Same header names in the same order as the real sample, when the samples folder is present.
#[test]
fn header_layout_matches_the_real_whirlwind_sample() {
    let real = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/datasets/cc/whirlwind.warc.wet.gz");
    let Ok(real) = std::fs::read(&real) else {
        eprintln!(
            "skipped: {} not found (real samples are optional)",
            real.display()
        );
        return;
    };
    let (file, _) = generate();
    let names = |raw: &[u8]| -> Vec<String> {
        parse_record(raw)
            .unwrap()
            .headers
            .iter()
            .map(|(n, _)| n.to_string())
            .collect()
    };
    let real_ms = members(&real);
    let ours = members(&file);
    assert_eq!(names(&ours[0].1), names(&real_ms[0].1), "warcinfo layout");
    let with_lang = ours[1..]
        .iter()
        .find(|(_, raw)| {
            parse_record(raw)
                .unwrap()
                .header("WARC-Identified-Content-Language")
                .is_some()
        })
        .unwrap();
    assert_eq!(
        names(&with_lang.1),
        names(&real_ms[1].1),
        "conversion layout"
    );
}

/// `language: Some("eng")` keeps the pages identified as English alone and nothing else:
/// mostly-ASCII text, the same crawl minus the other pages.
#[test]
fn an_english_only_file_has_english_pages_only() {
    let languages = |spec: &WetSpec| {
        let (file, _) = gluebench_datasets::generate_wet(spec);
        let mut text = Vec::new();
        MultiGzDecoder::new(&file[..])
            .read_to_end(&mut text)
            .unwrap();
        let header = b"WARC-Identified-Content-Language: ";
        let mut langs = Vec::new();
        for line in text.split(|&b| b == b'\n') {
            if let Some(rest) = line.strip_prefix(&header[..]) {
                langs.push(String::from_utf8_lossy(rest).trim().to_string());
            }
        }
        let non_ascii = text.iter().filter(|&&b| b >= 0x80).count() as f64 / text.len() as f64;
        (langs, non_ascii)
    };
    let (all, all_non_ascii) = languages(&WetSpec {
        language: None,
        ..spec()
    });
    let (eng, eng_non_ascii) = languages(&WetSpec {
        language: Some("eng".into()),
        ..spec()
    });
    assert!(
        all.iter().any(|l| l != "eng"),
        "the crawl has other languages: {all:?}"
    );
    assert!(eng.len() > 10, "{eng:?}");
    assert!(eng.iter().all(|l| l == "eng"), "{eng:?}");
    assert!(
        eng_non_ascii < 0.01 && all_non_ascii > 0.1,
        "{eng_non_ascii} {all_non_ascii}"
    );
}
