//! The `json` task end to end through `check`: every tier, Rust and Python, on good input, on
//! each kind of bad input (the first bad line wins), and on the real CDXJ samples.

mod common;

use common::{
    assert_every_tier, assert_no_failures, assert_same_error_everywhere, check_file, scratch,
    shared_datasets,
};
use gluebench::check::{self, Options, Status};

fn cdx(fields: &str) -> String {
    format!(
        "org,example)/ 20240518015810 {{\"url\": \"https://example.org/\", \"mime\": \"text/html\", \"status\": \"200\", \"length\": \"100\", \"offset\": \"5\", \"filename\": \"crawl-data/x.warc.gz\"{fields}}}\n"
    )
}

#[test]
fn cdxj_every_tier_agrees_on_good_input() {
    let dir = scratch("json-cdxj-good");
    let text = [
        cdx(""),
        cdx("").replace("\"200\"", "\"404\""),
        "\n".into(),
        cdx(", \"x\": [1, {\"y\": null}]").replace('\n', "\r\n"),
    ]
    .concat();
    let path = dir.join("good.cdxj");
    std::fs::write(&path, text).unwrap();
    let report = check_file("json/cdxj", path);
    let expected = report.expected.as_ref().expect("the reference parses it");
    assert_eq!(
        (expected["lines"].as_u64(), expected["selected"].as_u64()),
        (Some(3), Some(2))
    );
    assert_every_tier(&report, "good");
    for row in &report.rows {
        assert_eq!(
            row.status,
            Status::Ok,
            "{}/{}: {:?}",
            row.tier,
            row.variant,
            row.error
        );
    }
}

#[test]
fn every_tier_reports_the_first_bad_line() {
    let cases: Vec<(&str, &str, Vec<u8>, &str, u64)> = vec![
        (
            "json/cdxj",
            "invalid-json",
            [cdx(""), cdx("").replace("}\n", "\n")]
                .concat()
                .into_bytes(),
            "invalid-json",
            2,
        ),
        (
            "json/cdxj",
            "missing-json",
            format!("{}k 20240518015810\n", cdx("")).into_bytes(),
            "missing-json",
            2,
        ),
        (
            "json/cdxj",
            "missing-field",
            cdx("").replace(", \"offset\": \"5\"", "").into_bytes(),
            "missing-field",
            1,
        ),
        (
            "json/cdxj",
            "overflow",
            cdx("")
                .replace("\"5\"", "\"99999999999999999999\"")
                .into_bytes(),
            "bad-field",
            1,
        ),
        (
            "json/cdxj",
            "bad-field-first",
            [
                cdx(""),
                cdx("").replace("\"100\"", "\"x\""),
                "k t {\n".into(),
            ]
            .concat()
            .into_bytes(),
            "bad-field",
            2,
        ),
        (
            "json/cdxj",
            "utf8",
            [cdx("").into_bytes(), b"k t {\"a\": \"\xff\"}\n".to_vec()].concat(),
            "invalid-utf8",
            2,
        ),
        (
            "json/wat",
            "invalid-json",
            b"{\"Envelope\": {}}\n{]\n".to_vec(),
            "invalid-json",
            2,
        ),
        (
            "json/wat",
            "bad-field",
            b"{\"Envelope\": {\"Payload-Metadata\": 5}}\n".to_vec(),
            "bad-field",
            1,
        ),
        (
            "json/wat",
            "syntax-beats-type",
            b"{\"Envelope\": 5, \"x\": }\n".to_vec(),
            "invalid-json",
            1,
        ),
    ];
    let dir = scratch("json-bad");
    for (task, name, data, kind, line) in cases {
        let path = dir.join(format!("{}-{name}", task.replace('/', "-")));
        std::fs::write(&path, data).unwrap();
        let report = check_file(task, path);
        assert_same_error_everywhere(&report, &format!("{task} {name}"), kind, line);
    }
}

#[test]
fn real_cdxj_and_wat_samples_agree_in_every_tier() {
    let Some(shared) = shared_datasets() else {
        eprintln!("skipped: ../shared/datasets is not here");
        return;
    };
    for name in [
        "preciz_CC-MAIN-2021-43_index_snippet.cdxj",
        "preciz_CC-MAIN-2021-43_de-berlin-pdf.cdxj",
    ] {
        let report = check_file("json/cdxj", shared.join("cc/cdxj").join(name));
        assert_no_failures(&report, name);
    }
    let wat = check_file("json/wat", shared.join("cc/whirlwind.warc.wat.gz"));
    assert_no_failures(&wat, "whirlwind WAT");
    assert_eq!(
        wat.expected.as_ref().map(|s| s["documents"].as_u64()),
        Ok(Some(1))
    );
}

#[test]
fn generated_datasets_match_their_expected_results_in_every_tier() {
    for (task, dataset) in [("json/cdxj", "cdxj-1m"), ("json/wat", "wat-1m")] {
        let opts = Options {
            dataset: Some(dataset.into()),
            task: task.into(),
            input: None,
            tiers: vec![],
            full: true,
            index: None,
            expected: None,
        };
        let report = check::run(&opts).expect("check runs");
        assert!(
            report.expected_from.contains("generator"),
            "{task}: {}",
            report.expected_from
        );
        assert_every_tier(&report, dataset);
        assert_no_failures(&report, &format!("{task} on {dataset}"));
    }
}

#[test]
fn a_warc_wat_gz_is_read_as_its_json_payloads() {
    let jsonl = gluebench_datasets::ensure("wat-1m").unwrap();
    let warc = gluebench_datasets::ensure("wat-1m-gz").unwrap();
    let report = check_file("json/wat", warc.path);
    assert_no_failures(&report, ".warc.wat.gz");
    let got = report.expected.as_ref().expect("the reference parses it");
    assert_eq!(
        Some(got),
        jsonl.expected.get("json/wat").and_then(|v| v.as_object())
    );
}
