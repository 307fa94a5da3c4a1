//! The `pipeline` task end to end through `check`: every tier and variant on the small
//! generated index (whose exact summary the generator knows by construction), and a server
//! that breaks every body (the variants that fetch must fail at record 0, the stages that do
//! not touch the server must still succeed).

mod common;

use common::{assert_every_tier, assert_no_failures};
use gluebench::check::{self, Options, Status};

fn check_regime(regime: &str) -> check::Report {
    check::run(&Options {
        task: "pipeline".into(),
        input: None,
        index: None,
        dataset: Some(regime.into()),
        tiers: vec![],
        full: true,
        expected: None,
    })
    .expect("check runs")
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
