//! The criterion side of the harness, shared by every `benches/<task>.rs`: one group per task,
//! one benchmark per variant (`<task>/<tier>/<variant>/<dataset>`), each verified before it is
//! timed and on every sample, each recorded as a row of `reports/results.json` as soon as it
//! finishes.
//!
//! Every variant, Rust or Python, goes through `iter_custom`: Rust variants time the call
//! in-process with `Instant`, Python ones get the sum of `perf_counter_ns()` around each call
//! from the worker. Same statistics, warm-up and sampling for both. Sampling is `Flat` for all
//! variants so that a 1 MB/s pure-Python tier and a 1 GB/s Rust one are measured alike.

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use gluebench::bench::{
    self, clock, regimes, Args, Measured, Progress, Recorder, Regime, Settings, PAIRED_GROUP,
};
use gluebench::session::{Input, Session};
use gluebench::task::{Tier, Variant};
use gluebench::tasks::{self, Task};
use std::collections::HashMap;
use std::hint::black_box;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant, SystemTime};

/// Our defaults; criterion's own command line (`--sample-size`, `--measurement-time`, …) is
/// applied after this by `criterion_group!` and wins.
///
/// Criterion's per-benchmark plots are off unless `GLUEBENCH_CRITERION_PLOTS=1`: drawing them
/// cost about 4 s per benchmark here (54.7 s against 4.2 s for 12 quick benchmarks), over half
/// of a full run, and gluebench's own report (`reports/index.html`) is the overview. They are
/// drawn after the analysis, never inside a measurement.
pub fn config() -> Criterion {
    let s = Settings::from_env();
    let c = Criterion::default()
        .warm_up_time(s.warm_up)
        .measurement_time(s.measurement)
        .sample_size(s.samples);
    if std::env::var("GLUEBENCH_CRITERION_PLOTS").is_ok_and(|v| v != "0") {
        c
    } else {
        c.without_plots()
    }
}

/// One benchmark to run: a baseline or a variant, on one dataset of one regime, in one of the
/// sessions (0: the default interpreter; more on the interpreter axis, named `interpreter`).
struct Job<'a> {
    regime: &'a Regime,
    dataset: String,
    what: What<'a>,
    session: usize,
    interpreter: &'a str,
}

#[derive(Clone)]
enum What<'a> {
    Baseline(&'static str, gluebench::tasks::Baseline),
    Variant(&'a Variant),
}

impl What<'_> {
    /// `tier/variant`.
    fn id(&self) -> String {
        match self {
            What::Baseline(name, _) => format!("baseline/{name}"),
            What::Variant(v) => v.id(),
        }
    }

    /// The row's tier and variant (a Python plain loop is a `baseline` row too).
    fn names(&self) -> (&str, &str) {
        match self {
            What::Baseline(name, _) => ("baseline", name),
            What::Variant(v) if v.baseline => ("baseline", v.name.as_str()),
            What::Variant(v) => (v.tier.as_str(), v.name.as_str()),
        }
    }
}

impl Job<'_> {
    /// `tier/variant`.
    fn base_id(&self) -> String {
        self.what.id()
    }

    /// The benchmark's id within its task: `tier/variant`, `tier/variant@pypy-3.9.16`.
    fn id(&self) -> String {
        match self.interpreter {
            "" => self.base_id(),
            i => format!("{}@{i}", self.base_id()),
        }
    }
}

#[allow(dead_code)] // not every bench binary uses both entry points
pub fn bench_task(c: &mut Criterion, name: &str) {
    bench_task_then(c, name, |_, _| {});
}

/// [`bench_task`], then `more` (measurements outside criterion, e.g. imports) in the same run,
/// before the report is made.
pub fn bench_task_then(c: &mut Criterion, name: &str, more: impl FnOnce(&Args, &Recorder)) {
    let started = Instant::now();
    let results_before = results_modified();
    let args = Args::from_env();
    let task = tasks::find(name).expect("a task defined in src/tasks");
    let settings = Settings::new(&args);
    let mut session = Session::new();
    let (variants, python_error) = session.variants(&task);
    let axis = bench::interpreters();
    let py_baselines = session.python_baselines(&task);
    if let Some(e) = python_error {
        eprintln!("gluebench: {name}: the Python tiers cannot run: {e}");
    }
    let python = session.python_info();
    let mut recorder =
        Recorder::new(&task, &settings, &args, python.as_ref()).unwrap_or_else(|e| {
            eprintln!("gluebench: error: {e}");
            std::process::exit(2);
        });

    // The plan first, so progress can say "k of n" and the filter is applied once.
    let regimes = regimes(&task, settings.mode);
    let mut plan = Vec::new();
    for (index, regime) in regimes.iter().enumerate() {
        if regime.cut.is_none() {
            for (baseline, run) in &task.baselines {
                plan.push(Job {
                    regime,
                    dataset: regime.dataset.clone(),
                    what: What::Baseline(baseline, *run),
                    session: 0,
                    interpreter: "",
                });
            }
            for v in &py_baselines {
                plan.push(Job {
                    regime,
                    dataset: regime.dataset.clone(),
                    what: What::Variant(v),
                    session: 0,
                    interpreter: "",
                });
            }
        }
        for v in &variants {
            let measured = match &task.fixture {
                Some(f) => {
                    (v.pick || settings.mode != bench::Mode::Quick)
                        && (f.measured)(&regime.dataset, v.tier, &v.name, settings.mode)
                }
                None => settings.mode.times(index, regime, v.pick, v.small),
            };
            if let Some(dataset) = regime.dataset_for(v).filter(|_| measured) {
                plan.push(Job {
                    regime,
                    dataset: dataset.to_string(),
                    what: What::Variant(v),
                    session: 0,
                    interpreter: "",
                });
            }
        }
    }
    // The interpreter axis replaces the plan: each tier's pick in the main regime, the Python
    // ones under every interpreter (the same variants: py_impls is one code base).
    let mut sessions = vec![session];
    let mut names = vec![String::new()];
    for spec in &axis {
        match gluebench::bootstrap::interpreter_env(spec) {
            Ok(env) => {
                names.push(env.name.clone());
                sessions.push(Session::with_env(env));
            }
            Err(e) => gluebench::bootstrap::progress(&format!("{name}: {e}")),
        }
    }
    if !axis.is_empty() {
        let main = &regimes[0];
        plan = variants
            .iter()
            .filter(|v| v.pick)
            .filter_map(|v| Some((v, main.dataset_for(v)?)))
            .flat_map(|(v, dataset)| {
                let under = if v.tier == Tier::Rust { 1 } else { names.len() };
                names.iter().take(under).enumerate().map(move |(s, i)| Job {
                    regime: main,
                    dataset: dataset.to_string(),
                    what: What::Variant(v),
                    session: s,
                    interpreter: i,
                })
            })
            .collect();
        for s in &mut sessions[1..] {
            if let Some(hello) = s.python_info() {
                recorder.add_interpreter(&hello);
            }
        }
        // Its default-interpreter and Rust rows too are the axis run's own, kept apart from
        // the default run's.
        recorder.axis = true;
    }
    plan.retain(|job| args.wanted(&format!("{name}/{}/{}", job.id(), job.dataset)));

    let mut inputs: HashMap<String, Result<Input, String>> = HashMap::new();
    // Benchmarks that could not be timed (a variant declared `known_mismatch` that differs, as
    // it says it will, is not one of them): listed at the end, and in criterion's test mode
    // (`cargo bench -- --test`, what CI runs) they fail the run.
    let mut failed: Vec<String> = Vec::new();
    let mut progress = Progress::new(plan.len(), &settings);
    // One CPU for every single-threaded benchmark of this binary (tasks without a service):
    // the harness thread and the worker's main thread are pinned to it while each is timed, so
    // all tiers of a run are timed on the same vCPU (here the two ran one loop up to 1.4x
    // apart). Variants with threads of their own, and services, run on every CPU: the guard
    // is dropped before each benchmark's gate, so no thread it starts inherits the pin.
    let pin_jobs = task.fixture.is_none() && !args.list;
    let mut run_cpu: Option<usize> = None;
    let mut placement: Option<bench::Pinned> = None;
    let mut place = |pids: &[u32], placement: &mut Option<bench::Pinned>| {
        *placement = bench::pin(run_cpu, pids);
        if let (None, Some(p)) = (run_cpu, placement.as_ref()) {
            run_cpu = Some(p.cpu);
            gluebench::bootstrap::progress(&format!(
                "{name}: single-threaded benchmarks pinned to CPU {} (harness and worker)",
                p.cpu
            ));
        }
    };
    let mut group = c.benchmark_group(name);
    group.sampling_mode(SamplingMode::Flat);
    for job in &plan {
        let id = job.id();
        let session = &mut sessions[job.session];
        if args.list {
            // Criterion prints the id; nothing is loaded or run.
            group.bench_function(BenchmarkId::new(&id, &job.dataset), |b| b.iter(|| ()));
            continue;
        }
        placement = None; // every CPU again, before anything of this benchmark runs
        progress.start(&format!("{name}/{id}/{}", job.dataset));
        // Sweep points and the picks-only cells of a grid (e.g. fetch's latency x concurrency)
        // are many: shorter measurements.
        let sweep = !job.regime.sweep.is_empty() || job.regime.picks_only;
        group.warm_up_time(if sweep {
            settings.sweep_warm_up
        } else {
            settings.warm_up
        });
        group.measurement_time(if sweep {
            settings.sweep_measurement
        } else {
            settings.measurement
        });
        let since = SystemTime::now();
        let input = match load(&mut inputs, &task, settings.mode, job.regime, &job.dataset) {
            Ok(input) => input,
            Err(e) => {
                eprintln!("gluebench: {name}/{id}/{}: no input: {e}", job.dataset);
                failed.push(format!("{name}/{id}/{} (no input)", job.dataset));
                let m = measured(job, 0, 0, None, since);
                recorder.record(m, Err(("error".into(), e)));
                continue;
            }
        };
        recorder.add_dataset(&job.dataset, input.sha256.as_deref());
        match &job.what {
            What::Baseline(_, run) => {
                group.sample_size(settings.samples);
                group.throughput(Throughput::Bytes(input.len()));
                let run = *run;
                if pin_jobs {
                    place(&[], &mut placement);
                }
                group.bench_function(BenchmarkId::new(&id, &job.dataset), |b| {
                    b.iter_custom(|iters| {
                        let started = Instant::now();
                        for _ in 0..iters {
                            black_box(run(black_box(&input.bytes)));
                        }
                        started.elapsed()
                    })
                });
                let m = measured(job, input.len(), input.len(), None, since);
                recorder.record(m, Ok(()));
            }
            What::Variant(v) => {
                let expected = input
                    .expected
                    .clone()
                    .expect("datasets carry their expected summary");
                let units = (task.throughput)(&expected, input.len());
                // What one call processes: for a task with a fixture (fetch), the body bytes it
                // fetches rather than the list of ranges it is handed.
                let processed = match expected.get("bytes").and_then(|b| b.as_u64()) {
                    Some(bytes) if task.fixture.is_some() => bytes,
                    _ => input.len(),
                };
                // The gate: a variant whose output is wrong (or that fails) is reported,
                // never timed.
                // A baseline applies no rule: its own first summary (a checksum) is what every
                // timed call must repeat.
                let gate = session
                    .run_once(&task, v, input)
                    .and_then(|(secs, summary)| {
                        if v.baseline {
                            Ok((secs, summary))
                        } else {
                            v.verify(&expected, &summary)
                                .map(|_| (secs, expected.clone()))
                        }
                    });
                let m = measured(
                    job,
                    units,
                    processed,
                    (!v.baseline).then_some(&expected),
                    since,
                );
                let (secs, expected) = match gate {
                    Ok(gated) => gated,
                    Err(e) => {
                        eprintln!("gluebench: {name}/{id}/{}: not timed: {e}", job.dataset);
                        let kind = bench::failure_status(&e.kind).to_string();
                        // A tier whose packages do not install under an interpreter of the
                        // axis is a finding there, not a failure.
                        let expected_gap = kind == "unavailable" && job.session > 0;
                        if kind != "differs" && !expected_gap {
                            failed.push(format!("{name}/{id}/{} ({kind})", job.dataset));
                        }
                        recorder.record(m, Err((kind, e.message)));
                        continue;
                    }
                };
                // Slow calls get the minimum sample count so the whole suite fits its time
                // budget, unless criterion's --sample-size says otherwise.
                let samples = match args.sample_size {
                    Some(n) => n,
                    None if secs > 0.25 => 10,
                    None => settings.samples,
                };
                group.sample_size(samples);
                if pin_jobs && !bench::runs_threads(&v.name) {
                    let pids: Vec<u32> = session.worker_pid().into_iter().collect();
                    place(&pids, &mut placement);
                }
                group.throughput(if task.throughput_unit.ends_with("bytes") {
                    Throughput::Bytes(units)
                } else {
                    Throughput::Elements(units) // e.g. calls
                });
                // A failure while timed (a wrong answer, a crash, a deadline) ends the
                // benchmark through a panic; its error is kept for the row. The session starts
                // a fresh worker for the next benchmark if this one died.
                let mut timing_error = None;
                let run = catch_unwind(AssertUnwindSafe(|| {
                    group.bench_function(BenchmarkId::new(&id, &job.dataset), |b| {
                        b.iter_custom(|iters| {
                            session
                                .time(&task, v, input, iters, &expected)
                                .unwrap_or_else(|e| {
                                    let message = format!("{name}/{id}: {e}");
                                    timing_error = Some(e);
                                    panic!("{message}")
                                })
                        })
                    });
                }));
                let outcome = run.map_err(|_| match &timing_error {
                    Some(e) => (
                        bench::failure_status(&e.kind).to_string(),
                        format!("while timed: {}", e.message),
                    ),
                    None => (
                        "error".to_string(),
                        "failed while being timed (see above)".to_string(),
                    ),
                });
                if let Err((kind, _)) = &outcome {
                    failed.push(format!("{name}/{id}/{} ({kind} while timed)", job.dataset));
                }
                recorder.record(m, outcome);
            }
        }
    }
    group.finish();
    drop(placement);
    if axis.is_empty() && !args.list {
        for (dataset, other) in task.paired {
            // The rust pick and the other side (`pyo3`: its pick; `baseline/NAME`), as they
            // were planned: only where both are in this run's plan (a filter may leave one out).
            let side = |id: &str| {
                plan.iter().find_map(|job| {
                    let wanted = match &job.what {
                        What::Variant(v) => v.pick && !v.baseline && v.tier.as_str() == id,
                        What::Baseline(..) => job.base_id() == id,
                    };
                    (wanted && job.dataset == *dataset).then(|| job.what.clone())
                })
            };
            let (Some(rust), Some(other)) = (side("rust"), side(other)) else {
                continue;
            };
            let label = format!("{name}/{dataset}");
            let input = match load(
                &mut inputs,
                &task,
                settings.mode,
                &Regime::single(dataset),
                dataset,
            ) {
                Ok(input) => input,
                Err(e) => {
                    eprintln!("gluebench: {PAIRED_GROUP}/{label}: no input: {e}");
                    failed.push(format!("{PAIRED_GROUP}/{label} (no input)"));
                    continue;
                }
            };
            // Criterion's test mode (CI): two rounds of one call, so that a pair with a
            // Python side also goes through its change of worker.
            let rounds = if args.test {
                2
            } else {
                settings.mode.paired_rounds()
            };
            gluebench::bootstrap::progress(&format!(
                "{PAIRED_GROUP}/{label}: {} and {} interleaved, {rounds} round{}",
                rust.id(),
                other.id(),
                if rounds == 1 { "" } else { "s" }
            ));
            let mut paired_recorder = recorder.with_group(PAIRED_GROUP, task.throughput_unit);
            if let Err(e) = paired(
                run_cpu,
                &task,
                &mut sessions[0],
                [rust, other],
                input,
                &label,
                rounds,
                args.test,
                &mut paired_recorder,
            ) {
                eprintln!("gluebench: {PAIRED_GROUP}/{label}: not timed: {e}");
                failed.push(format!("{PAIRED_GROUP}/{label}"));
            }
            recorder.rows.extend(paired_recorder.rows);
        }
    }
    if !failed.is_empty() {
        eprintln!(
            "gluebench: {name}: {} of {} benchmarks not timed: {}",
            failed.len(),
            plan.len(),
            failed.join(", ")
        );
        if args.test {
            std::process::exit(1);
        }
    }
    if args.list {
        return;
    }
    recorder.print_summary();
    gluebench::bootstrap::progress(&format!(
        "{name}: {} benchmarks, wall time {} (bench {}); this `cargo bench` ({} mode) so far: {}",
        plan.len(),
        clock(started.elapsed()),
        clock(progress.elapsed()),
        settings.mode.name(),
        bench::run_wall_time().map_or("?".into(), clock),
    ));
    if axis.is_empty() {
        more(&args, &recorder);
    }
    // A run that recorded nothing (a filter that matched nothing here) leaves the report as
    // it was.
    if args.measures() && results_modified() != results_before {
        bench::after_run();
    }
}

/// Two sides on one dataset (`Task::paired`): the rust pick and the same Rust through PyO3,
/// or the rust pick and a plain loop, timed interleaved after the criterion benchmarks: rounds
/// of one batch of each (a warm-up call, untimed, then calls for about
/// [`bench::PAIRED_BATCH`]), the order alternating every round, so that what drifts over
/// minutes on this machine (the vCPU's sibling, the L3 it shares with neighbours) weighs on
/// both alike; the harness thread and the worker pinned to `cpu` (the run's, or the one the
/// harness is on). Both are gated first, and every timed call is checked as in criterion's loop
/// (a baseline: its checksum repeated). A pair with a Python side spreads its rounds over
/// [`bench::PAIRED_WORKERS`] fresh workers, the harness's side on a fresh copy of the input
/// with each. Recorded under `glue/paired`, regime `<task>/<dataset>`: one sample per batch,
/// time per call, and each side's speed over the other's, the median of the rounds' ratios
/// (`paired_ratio`).
#[allow(clippy::too_many_arguments)]
fn paired(
    cpu: Option<usize>,
    task: &Task,
    session: &mut Session,
    sides: [What; 2],
    input: &Input,
    label: &str,
    rounds: usize,
    test: bool,
    recorder: &mut Recorder,
) -> Result<(), String> {
    let regime = Regime::single(label);
    let expected = input
        .expected
        .clone()
        .expect("datasets carry their expected summary");
    let units = (task.throughput)(&expected, input.len());
    let since = SystemTime::now();
    let measured = |i: usize| {
        let (tier, variant) = sides[i].names();
        Measured {
            tier,
            variant,
            pick: tier != "baseline",
            dataset: label.rsplit('/').next().unwrap_or(label),
            regime: &regime,
            units,
            input_bytes: input.len(),
            expected: (tier != "baseline").then_some(&expected),
            since,
            interpreter: "",
        }
    };
    let mut record_failure = |kind: &str, message: String| {
        for i in 0..2 {
            recorder.record(measured(i), Err((kind.to_string(), message.clone())));
        }
        message
    };
    // A baseline applies no rule: the checksum of its gate call is what every call repeats.
    let gate = |session: &mut Session, input: &Input, i: usize| match &sides[i] {
        What::Variant(v) => session
            .run_once(task, v, input)
            .and_then(|(_, summary)| v.verify(&expected, &summary))
            .map(|()| None),
        What::Baseline(_, run) => Ok(Some(run(&input.bytes))),
    };
    let mut checksums = [None, None];
    for i in 0..2 {
        match gate(session, input, i) {
            Ok(sum) => checksums[i] = sum,
            Err(e) => {
                let kind = bench::failure_status(&e.kind);
                return Err(record_failure(
                    kind,
                    format!("{}: {}", sides[i].id(), e.message),
                ));
            }
        }
    }
    // A Python side's rounds are spread over fresh workers, each gated like the first.
    let python = |i: usize| matches!(&sides[i], What::Variant(v) if v.tier != Tier::Rust);
    let workers = if python(0) || python(1) {
        bench::PAIRED_WORKERS.min(rounds)
    } else {
        1
    };
    let pin = |session: &mut Session, announce: bool| {
        let pids: Vec<u32> = session.worker_pid().into_iter().collect();
        let pinned = bench::pin(cpu, &pids);
        if announce {
            let each = if workers > 1 {
                format!(", {workers} workers in turn")
            } else {
                String::new()
            };
            match &pinned {
                Some(p) => gluebench::bootstrap::progress(&format!("{PAIRED_GROUP}/{label}: both pinned to CPU {}{each}", p.cpu)),
                None => gluebench::bootstrap::progress(&format!("{PAIRED_GROUP}/{label}: not pinned (no affinity here); where each runs is the scheduler's choice{each}")),
            }
        }
        pinned
    };
    let mut pinned = pin(session, true);
    let time = |session: &mut Session, input: &Input, i: usize, iters: u64| match &sides[i] {
        What::Variant(v) => session.time(task, v, input, iters, &expected),
        What::Baseline(name, run) => {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                let sum = black_box(run(black_box(&input.bytes)));
                total += started.elapsed();
                if Some(sum) != checksums[i] {
                    let detail = format!(
                        "baseline/{name} returned {sum}, its first call {:?}",
                        checksums[i]
                    );
                    return Err(gluebench::task::TaskError::new("mismatch", detail));
                }
            }
            Ok(total)
        }
    };
    // The batch is sized from each side's second call: a gate call also pays for the first
    // touch of its input (16 MB: several ms), which once made batches of 2 calls where 30 were
    // meant, and in short batches the pyo3 side measured 1-2% lower on English text (4 ms
    // against 25 ms batches, three runs each). A side that fails (its index and error) ends
    // the pair; the pin is lifted either way.
    let timed = (|| {
        // An untimed call first, for the caches: the other side has just run.
        let warm = |session: &mut Session, input: &Input, i: usize, iters: u64| {
            time(session, input, i, 1)
                .and_then(|_| time(session, input, i, iters))
                .map_err(|e| (i, e))
        };
        let mut call = Duration::ZERO;
        for i in 0..2 {
            call = call.max(warm(session, input, i, 1)?);
        }
        let batch = match test {
            true => 1,
            false => (bench::PAIRED_BATCH.as_secs_f64() / call.as_secs_f64().max(1e-9))
                .clamp(1.0, 10_000.0) as u64,
        };
        let mut samples = [Vec::new(), Vec::new()];
        let mut copy: Option<Input> = None;
        for round in 0..rounds {
            if bench::starts_share(round, rounds, workers) {
                // The next worker's share of the rounds: a fresh process, which reads the
                // input into fresh memory, gated and pinned; and a fresh copy of the input
                // for the harness's side, so that neither side keeps one placement of its
                // pages for the whole pair.
                pinned = None;
                drop(copy.take()); // the last copy goes before the next is made
                let fresh = Input::derived(
                    &input.label,
                    input.path.clone(),
                    input.bytes.clone(),
                    expected.clone(),
                );
                session.restart_worker();
                for i in (0..2).filter(|&i| python(i)) {
                    gate(session, &fresh, i).map_err(|e| (i, e))?;
                }
                copy = Some(fresh);
                pinned = pin(session, false);
            }
            let input = copy.as_ref().unwrap_or(input);
            for i in [round % 2, 1 - round % 2] {
                let d = warm(session, input, i, batch)?;
                samples[i].push(d.as_secs_f64() / batch as f64);
            }
        }
        Ok((batch, samples))
    })();
    drop(pinned);
    let (batch, samples) = timed.map_err(|(i, e): (usize, gluebench::task::TaskError)| {
        let kind = bench::failure_status(&e.kind);
        record_failure(
            kind,
            format!("while timed: {}: {}", sides[i].id(), e.message),
        )
    })?;
    for i in 0..2 {
        let (own, other) = (&samples[i], &samples[1 - i]);
        recorder.record_paired(measured(i), own, other, batch * rounds as u64);
    }
    Ok(())
}

/// When the results file was last written (`None`: it does not exist).
fn results_modified() -> Option<SystemTime> {
    std::fs::metadata(gluebench::results::default_path())
        .and_then(|m| m.modified())
        .ok()
}

fn measured<'a>(
    job: &'a Job,
    units: u64,
    input_bytes: u64,
    expected: Option<&'a gluebench::task::Summary>,
    since: SystemTime,
) -> Measured<'a> {
    let (tier, variant) = job.what.names();
    Measured {
        tier,
        variant,
        pick: matches!(job.what, What::Variant(v) if v.pick),
        dataset: &job.dataset,
        regime: job.regime,
        units,
        input_bytes,
        expected,
        since,
        interpreter: job.interpreter,
    }
}

/// A dataset's input, generated (or cut, for a size-sweep point) and read once per bench run.
fn load<'a>(
    inputs: &'a mut HashMap<String, Result<Input, String>>,
    task: &Task,
    mode: bench::Mode,
    regime: &Regime,
    dataset: &str,
) -> Result<&'a Input, String> {
    if let Some((source, _)) = &regime.cut {
        if !inputs.contains_key(dataset) {
            // Every size of the sweep at once: the reference is verified once per dataset.
            let sizes: Vec<(u64, String)> = mode
                .sweep_sizes()
                .iter()
                .map(|&s| (s, bench::sweep_label(source, s)))
                .collect();
            let cuts = match load(inputs, task, mode, &Regime::single(source), source) {
                Ok(full) => bench::cut_inputs(task, full, &sizes),
                Err(e) => sizes
                    .into_iter()
                    .map(|(_, l)| (l, Err(e.clone())))
                    .collect(),
            };
            inputs.extend(cuts);
        }
    }
    inputs
        .entry(dataset.to_string())
        .or_insert_with(|| Input::dataset(task, dataset))
        .as_ref()
        .map_err(Clone::clone)
}
