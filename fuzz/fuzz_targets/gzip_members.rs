//! The multi-member gzip walker: every `decompress` variant agrees on any input, and the
//! pipeline's gunzip stage (the pick) says the same about it as one record.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rust_impls::pipeline::{self, PipelineError};

fuzz_target!(|data: &[u8]| {
    let want = gluebench_fuzz::gzip_agree(data);
    match (pipeline::gunzip(&[data]), want) {
        (Ok(out), Ok((_, d))) => assert_eq!(out[0], d),
        (Err(PipelineError::Gunzip { record: 0, error }), Err(e)) => {
            assert_eq!((error.kind, error.offset), e)
        }
        (got, want) => panic!("gunzip {:?} vs {:?}", got.map(|_| ()), want.map(|_| ())),
    }
});
