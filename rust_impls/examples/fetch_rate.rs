//! Requests per second of every `fetch` variant against a running server:
//! `cargo run --release -p rust_impls --example fetch_rate -- RANGES.tsv BASE_URL [CONCURRENCY...]`
//! (RANGES.tsv: one `PATH\tOFFSET\tLENGTH` line per range, as `Plan::parse` reads it).
use rust_impls::fetch::{Plan, VARIANTS};
use std::time::{Duration, Instant};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [ranges, base, levels @ ..] = args.as_slice() else {
        return Err("usage: fetch_rate RANGES.tsv BASE_URL [CONCURRENCY...]".into());
    };
    let text = std::fs::read(ranges).map_err(|e| format!("cannot read {ranges}: {e}"))?;
    let levels: Vec<usize> = if levels.is_empty() {
        vec![1, 16, 64]
    } else {
        levels
            .iter()
            .map(|c| c.parse().map_err(|_| format!("not a concurrency: {c}")))
            .collect::<Result<_, _>>()?
    };
    let only = std::env::var("FETCH_VARIANT").ok();
    for (name, fetch) in VARIANTS
        .iter()
        .filter(|(n, _)| only.as_deref().is_none_or(|o| o == *n))
    {
        for &c in &levels {
            let plan = Plan::parse(&text, base, c, Duration::from_secs(10), 2)?;
            fetch(&plan).map_err(|e| e.to_string())?; // warm-up (page cache, server)
            let (mut best, mut cpu_best) = (f64::MAX, f64::MAX);
            let mut bytes = 0;
            for _ in 0..5 {
                let (t, cpu) = (Instant::now(), cpu_seconds());
                let bodies = fetch(&plan).map_err(|e| e.to_string())?;
                best = best.min(t.elapsed().as_secs_f64());
                cpu_best = cpu_best.min(cpu_seconds() - cpu);
                bytes = bodies.iter().map(Vec::len).sum::<usize>();
            }
            let n = plan.ranges.len() as f64;
            println!(
                "{name:>13} c={c:<3} {:>8.0} req/s {:>7.1} MB/s {:>6.1} us CPU/req  (best of 5, {n} ranges)",
                n / best,
                bytes as f64 / best / 1e6,
                cpu_best / n * 1e6
            );
        }
    }
    Ok(())
}

/// The process's CPU time so far (user + system, all threads): the client's own cost per
/// request, which a busy machine does not inflate the way it inflates wall time.
fn cpu_seconds() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}
