//! The pipeline's WARC record reader: the input (after one control byte) is a decompressed
//! record; gzipped as one member (level from the control byte) it reads back through
//! `pipeline::gunzip`, its content block is what follows the first `\r\n\r\n` (checked against
//! a plain search), and the emoji stage gives the same total with every counter. The raw input
//! also goes through gunzip as a member, against the decompress variants.
#![no_main]
use flate2::{write::GzEncoder, Compression};
use libfuzzer_sys::fuzz_target;
use rust_impls::pipeline;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let Some((&control, record)) = data.split_first() else {
        return;
    };
    let mut gz = GzEncoder::new(Vec::new(), Compression::new(u32::from(control % 10)));
    gz.write_all(record).unwrap();
    let member = gz.finish().unwrap();
    // Two records: the raw input as a member (usually bad), then the good one.
    let raw = gluebench_fuzz::gzip_agree(data);
    match pipeline::gunzip(&[data, &member[..]]) {
        Ok(out) => {
            assert_eq!(Ok(out[0].clone()), raw.map(|(_, d)| d));
            assert_eq!(out[1], record);
        }
        Err(pipeline::PipelineError::Gunzip { record: 0, error }) => {
            assert_eq!(Err((error.kind, error.offset)), raw.map(|_| ()));
        }
        Err(e) => panic!("gunzip: {e}"),
    }
    let out = pipeline::gunzip(&[&member]).expect("a member we made");
    let block = pipeline::content_block(&out[0]);
    let start = record
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(record.len(), |i| i + 4);
    assert_eq!(block, &record[start..]);
    let c = gluebench_fuzz::counters();
    let totals: Vec<Vec<u64>> = c
        .counters
        .iter()
        .map(|(_, counter)| pipeline::emoji(counter.as_ref(), &[block]))
        .collect();
    assert!(
        totals.windows(2).all(|w| w[0] == w[1]),
        "emoji totals differ: {totals:?}"
    );
});
