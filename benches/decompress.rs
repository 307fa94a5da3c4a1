//! `cargo bench -- decompress`: every tier of the decompress task (see README, "decompress").

use criterion::{criterion_group, criterion_main, Criterion};

mod support;

fn decompress(c: &mut Criterion) {
    support::bench_task(c, "decompress");
}

criterion_group! {
    name = benches;
    config = support::config();
    targets = decompress
}
criterion_main!(benches);
