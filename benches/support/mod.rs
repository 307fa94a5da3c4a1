//! The criterion side of the harness, shared by every `benches/<task>.rs`: one group per task,
//! one benchmark per variant (`<task>/<tier>/<variant>/<dataset>`), each verified before it is
//! timed and on every sample.
//!
//! Every variant, Rust or Python, goes through `iter_custom`: Rust variants time the call
//! in-process with `Instant`, Python ones get the sum of `perf_counter_ns()` around each call
//! from the worker. Same statistics, warm-up and sampling for both. Sampling is `Flat` for all
//! variants so that a 1 MB/s pure-Python tier and a 1 GB/s Rust one are measured alike.

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use gluebench::bench::{dataset_for, Results, Settings};
use gluebench::session::{Input, Session};
use gluebench::task::compare;
use gluebench::tasks;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub fn config() -> Criterion {
    let s = Settings::from_env();
    Criterion::default()
        .warm_up_time(s.warm_up)
        .measurement_time(s.measurement)
        .sample_size(s.samples)
}

/// The same filter criterion applies (a regex over the benchmark id), so variants that will
/// not run are not set up either (no dataset generation, no gate run).
fn wanted(id: &str) -> bool {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    match args.next() {
        Some(filter) => regex::Regex::new(&filter).map_or(true, |re| re.is_match(id)),
        None => true,
    }
}

pub fn bench_task(c: &mut Criterion, name: &str) {
    let task = tasks::find(name).expect("a task defined in src/tasks");
    let settings = Settings::from_env();
    let mut session = Session::new();
    let (variants, python_error) = session.variants(&task);
    if let Some(e) = python_error {
        eprintln!("gluebench: {name}: the Python tiers cannot run: {e}");
    }
    let mut results = Results::new(&task, &settings, session.python_info());
    let mut inputs: HashMap<String, Result<Input, String>> = HashMap::new();
    let mut group = c.benchmark_group(name);
    group.sampling_mode(SamplingMode::Flat);

    for v in &variants {
        let dataset = dataset_for(&task, v);
        if !wanted(&format!("{name}/{}/{dataset}", v.id())) {
            continue;
        }
        let input = match inputs
            .entry(dataset.clone())
            .or_insert_with(|| Input::dataset(&task, &dataset))
        {
            Ok(input) => &*input,
            Err(e) => {
                eprintln!("gluebench: {name}/{}: no input: {e}", v.id());
                results.record(v, &dataset, 0, Err(e.clone()));
                continue;
            }
        };
        let expected = input
            .expected
            .clone()
            .expect("datasets carry their expected summary");
        let units = (task.throughput)(&expected, input.len());
        // The gate: a variant whose output is wrong (or that fails) is reported, never timed.
        let gate = session
            .run_once(&task, v, input)
            .and_then(|(secs, summary)| {
                compare(&expected, &summary)
                    .map(|_| secs)
                    .map_err(|d| gluebench::task::TaskError::new("mismatch", d))
            });
        let secs = match gate {
            Ok(secs) => secs,
            Err(e) => {
                eprintln!("gluebench: {name}/{}: not timed: {e}", v.id());
                results.record(v, &dataset, units, Err(e.message));
                continue;
            }
        };
        // Slow calls get the minimum sample count so the whole suite fits its time budget.
        group.sample_size(if secs > 0.25 { 10 } else { settings.samples });
        group.throughput(Throughput::Bytes(units));
        let run = catch_unwind(AssertUnwindSafe(|| {
            group.bench_function(BenchmarkId::new(v.id(), &dataset), |b| {
                b.iter_custom(|iters| {
                    session
                        .time(&task, v, input, iters, &expected)
                        .unwrap_or_else(|e| panic!("{name}/{}: {e}", v.id()))
                })
            });
        }));
        results.record(
            v,
            &dataset,
            units,
            run.map_err(|_| "failed while being timed (see above)".to_string()),
        );
    }
    group.finish();
    results.print_summary();
}
