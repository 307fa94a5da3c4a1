//! `cargo bench -- emoji`: the emoji task on web-like and social-like text, a density sweep,
//! and two baselines on the same buffers (see README, "emoji").

use criterion::{criterion_group, criterion_main, Criterion};

mod support;

fn emoji(c: &mut Criterion) {
    support::bench_task(c, "emoji");
}

criterion_group! {
    name = benches;
    config = support::config();
    targets = emoji
}
criterion_main!(benches);
