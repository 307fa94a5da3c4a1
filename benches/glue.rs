//! `cargo bench -- glue`: the cost of 1,000 calls, in Python, from Python into Rust, and in
//! Rust (see README, "glue/calls").

use criterion::{criterion_group, criterion_main, Criterion};

mod support;

fn glue(c: &mut Criterion) {
    support::bench_task(c, "glue/calls");
}

criterion_group! {
    name = benches;
    config = support::config();
    targets = glue
}
criterion_main!(benches);
