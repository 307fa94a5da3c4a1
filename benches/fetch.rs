//! `cargo bench -- fetch`: HTTP range requests against gluebench's own server, latency x
//! concurrency (see README, "fetch"), then the server's capacity under a load generator.

use criterion::{criterion_group, criterion_main, Criterion};

mod support;

fn fetch(c: &mut Criterion) {
    support::bench_task_then(c, "fetch", gluebench::bench::measure_server_capacity);
}

criterion_group! {
    name = benches;
    config = support::config();
    targets = fetch
}
criterion_main!(benches);
