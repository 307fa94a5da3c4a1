//! `cargo bench -- pipeline`: one Common Crawl job chaining the tasks, end to end and stage by
//! stage, at 0 and 20 ms of server latency (see README, "pipeline").

use criterion::{criterion_group, criterion_main, Criterion};

mod support;

fn pipeline(c: &mut Criterion) {
    support::bench_task(c, "pipeline");
}

criterion_group! {
    name = benches;
    config = support::config();
    targets = pipeline
}
criterion_main!(benches);
