//! The CDXJ line parser: the pick (`scanner`), every other `CDXJ_VARIANTS` entry and the
//! pipeline's index stage agree: same lines and records, or same error kind at the same line.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rust_impls::{json, pipeline};

fuzz_target!(|data: &[u8]| {
    if gluebench_fuzz::json_outside_rule(data) {
        return;
    }
    let summary = |r: Result<json::Cdxj, json::JsonError>| {
        r.map(|c| {
            let records: Vec<_> = c
                .records
                .iter()
                .map(|r| (r.filename.to_string(), r.offset, r.length))
                .collect();
            (c.lines, records)
        })
        .map_err(|e| (e.kind, e.line))
    };
    let (pick, parse) = json::CDXJ_VARIANTS[0];
    let want = summary(parse(data));
    for (name, parse) in &json::CDXJ_VARIANTS[1..] {
        let got = summary(parse(data));
        assert!(
            got == want,
            "cdxj: {name} says {got:?} but {pick} says {want:?}"
        );
    }
    let select = pipeline::select(data)
        .map(|rs| {
            rs.into_iter()
                .map(|r| (r.path, r.offset, r.length))
                .collect::<Vec<_>>()
        })
        .map_err(|e| (e.kind, e.line));
    assert!(
        select == want.clone().map(|(_, records)| records),
        "cdxj: pipeline::select says {select:?} but {pick} says {want:?}"
    );
});
