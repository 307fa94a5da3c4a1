//! The criterion side of the harness, shared by every `benches/<task>.rs`: one group per task,
//! one benchmark per variant (`<task>/<tier>/<variant>/<dataset>`), each verified before it is
//! timed and on every sample.
//!
//! Every variant, Rust or Python, goes through `iter_custom`: Rust variants time the call
//! in-process with `Instant`, Python ones get the sum of `perf_counter_ns()` around each call
//! from the worker. Same statistics, warm-up and sampling for both. Sampling is `Flat` for all
//! variants so that a 1 MB/s pure-Python tier and a 1 GB/s Rust one are measured alike.

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use gluebench::bench::{regimes, Results, Settings};
use gluebench::session::{Input, Session};
use gluebench::tasks;
use std::collections::HashMap;
use std::hint::black_box;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

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

    for regime in regimes(&task) {
        for (baseline, run) in &task.baselines {
            let id = format!("baseline/{baseline}");
            if !wanted(&format!("{name}/{id}/{}", regime.dataset)) {
                continue;
            }
            let input = match load(&mut inputs, &task, &regime.dataset) {
                Ok(input) => input,
                Err(e) => {
                    results.record_baseline(baseline, &regime.dataset, 0, Err(e));
                    continue;
                }
            };
            group.sample_size(settings.samples);
            group.throughput(Throughput::Bytes(input.len()));
            group.bench_function(BenchmarkId::new(&id, &regime.dataset), |b| {
                b.iter_custom(|iters| {
                    let started = Instant::now();
                    for _ in 0..iters {
                        black_box(run(black_box(&input.bytes)));
                    }
                    started.elapsed()
                })
            });
            results.record_baseline(baseline, &regime.dataset, input.len(), Ok(()));
        }
        for v in &variants {
            let Some(dataset) = regime.dataset_for(v).map(String::from) else {
                continue;
            };
            if !wanted(&format!("{name}/{}/{dataset}", v.id())) {
                continue;
            }
            let record = |results: &mut Results, units, outcome| {
                results.record(v, &dataset, &regime.dataset, units, outcome)
            };
            let input = match load(&mut inputs, &task, &dataset) {
                Ok(input) => input,
                Err(e) => {
                    eprintln!("gluebench: {name}/{}: no input: {e}", v.id());
                    record(&mut results, 0, Err(e));
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
                .and_then(|(secs, summary)| v.verify(&expected, &summary).map(|_| secs));
            let secs = match gate {
                Ok(secs) => secs,
                Err(e) => {
                    eprintln!("gluebench: {name}/{}/{dataset}: not timed: {e}", v.id());
                    record(&mut results, units, Err(e.message));
                    continue;
                }
            };
            // Slow calls get the minimum sample count so the whole suite fits its time budget.
            group.sample_size(if secs > 0.25 { 10 } else { settings.samples });
            group.throughput(if task.throughput_unit.ends_with("bytes") {
                Throughput::Bytes(units)
            } else {
                Throughput::Elements(units) // e.g. calls
            });
            let run = catch_unwind(AssertUnwindSafe(|| {
                group.bench_function(BenchmarkId::new(v.id(), &dataset), |b| {
                    b.iter_custom(|iters| {
                        session
                            .time(&task, v, input, iters, &expected)
                            .unwrap_or_else(|e| panic!("{name}/{}: {e}", v.id()))
                    })
                });
            }));
            record(
                &mut results,
                units,
                run.map_err(|_| "failed while being timed (see above)".to_string()),
            );
        }
    }
    group.finish();
    results.print_summary();
}

/// A dataset's input, generated and read once per bench run.
fn load<'a>(
    inputs: &'a mut HashMap<String, Result<Input, String>>,
    task: &gluebench::tasks::Task,
    dataset: &str,
) -> Result<&'a Input, String> {
    inputs
        .entry(dataset.to_string())
        .or_insert_with(|| Input::dataset(task, dataset))
        .as_ref()
        .map_err(Clone::clone)
}
