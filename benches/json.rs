//! `cargo bench -- json`: both workloads of the json task (see README, "json").

use criterion::{criterion_group, criterion_main, Criterion};

mod support;

fn cdxj(c: &mut Criterion) {
    support::bench_task(c, "json/cdxj");
}

fn wat(c: &mut Criterion) {
    support::bench_task(c, "json/wat");
}

criterion_group! {
    name = benches;
    config = support::config();
    targets = cdxj, wat
}
criterion_main!(benches);
