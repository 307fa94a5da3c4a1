//! The `pipeline` task end to end through `check`: every tier and variant on the small
//! generated index (whose exact summary the generator knows by construction), and a server
//! that breaks every body (the variants that fetch must fail at record 0, the stages that do
//! not touch the server must still succeed).

mod common;

use common::{assert_every_tier, assert_no_failures};
use gluebench::check::{self, Status};

fn check_regime(regime: &str) -> check::Report {
    common::check_regime("pipeline", regime)
}

#[test]
fn every_tier_and_stage_agrees_on_the_small_index() {
    let report = check_regime("lat0-c4-small");
    let expected = report.expected.as_ref().expect("the generator's summary");
    assert_eq!(
        (
            expected["records"].as_u64(),
            expected["emoji_total"].as_u64()
        ),
        (Some(117), Some(9)),
        "cdxj-64k's summary by construction"
    );
    assert_every_tier(&report, "small index");
    assert_no_failures(&report, "small index");
    for stage in [
        "e2e",
        "stage-index",
        "stage-fetch",
        "stage-gunzip",
        "stage-emoji",
        "e2e-2cores",
    ] {
        assert!(
            report.rows.iter().filter(|r| r.variant == stage).count() >= 6,
            "{stage} in every tier"
        );
    }
}

#[test]
fn a_server_that_resets_every_body_fails_what_fetches() {
    let report = check_regime("lat0-c4-small-reset-timeout1-retries0");
    assert_every_tier(&report, "reset");
    for row in &report.rows {
        let fetches = row.variant.starts_with("e2e") || row.variant == "stage-fetch";
        if fetches {
            let err = row
                .error
                .as_ref()
                .unwrap_or_else(|| panic!("{}/{} did not fail", row.tier, row.variant));
            assert_eq!(
                (row.status, err.kind.as_str(), err.offset),
                (Status::Error, "incomplete", Some(0)),
                "{}/{}: {err}",
                row.tier,
                row.variant
            );
        } else {
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
}

#[test]
fn a_users_own_warc_file_and_index() {
    // The generated segment and the first lines of its index stand in for a user's: every
    // line's `filename` is ignored, its range is one of --input; the expected result comes
    // from the reference variant (rust/e2e), which must agree with the generator's records.
    let segment = gluebench_datasets::ensure("warc-00000").unwrap();
    let index = gluebench_datasets::ensure("cdxj-64k").unwrap();
    let dir = common::scratch("pipeline-own");
    let own = dir.join("mine.warc.gz");
    std::fs::copy(&segment.path, &own).unwrap();
    let text = std::fs::read_to_string(&index.path).unwrap();
    let lines: String = text.lines().take(40).map(|l| format!("{l}\n")).collect();
    let own_index = dir.join("mine.cdxj");
    std::fs::write(&own_index, &lines).unwrap();
    let report = common::check_regime_on("pipeline", "lat0-c4", Some((own, own_index)));
    let expected = report.expected.as_ref().expect("the reference runs");
    let selected = lines
        .lines()
        .filter(|l| l.contains("\"status\": \"200\"") && l.contains("\"mime\": \"text/html\""))
        .count() as u64;
    assert_eq!(expected["records"].as_u64(), Some(selected));
    assert!(
        report.expected_from.contains("rust/e2e"),
        "{}",
        report.expected_from
    );
    assert_every_tier(&report, "own files");
    assert_no_failures(&report, "own files");
}
