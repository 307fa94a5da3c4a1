//! The WAT extractor: every `WAT_VARIANTS` entry agrees (documents, links, servers, or the
//! error kind at the same line).
#![no_main]
use libfuzzer_sys::fuzz_target;
use rust_impls::json;

fuzz_target!(|data: &[u8]| {
    if gluebench_fuzz::json_outside_rule(data) {
        return;
    }
    let summary = |r: Result<json::Wat, json::JsonError>| {
        r.map(|w| {
            (
                w.documents,
                w.links,
                w.servers.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            )
        })
        .map_err(|e| (e.kind, e.line))
    };
    let (pick, parse) = json::WAT_VARIANTS[0];
    let want = summary(parse(data));
    for (name, parse) in &json::WAT_VARIANTS[1..] {
        let got = summary(parse(data));
        assert!(
            got == want,
            "wat: {name} says {got:?} but {pick} says {want:?}"
        );
    }
});
