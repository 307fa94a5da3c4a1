//! `cargo bench -- glue`: the cost of 1,000 calls, in Python, from Python into Rust, and in
//! Rust (see README, "glue/calls"), and what importing a lone
//! `.rs` file through maturin_import_hook costs.

use criterion::{criterion_group, criterion_main, Criterion};

mod support;

fn glue(c: &mut Criterion) {
    // Then the lone-file glue path at import time (a clean build, cached imports), as rows of
    // glue/import: one-off events, so wall times rather than criterion samples.
    support::bench_task_then(c, "glue/calls", gluebench::bench::measure_imports);
}

criterion_group! {
    name = benches;
    config = support::config();
    targets = glue
}
criterion_main!(benches);
