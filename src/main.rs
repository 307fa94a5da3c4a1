//! The `gluebench` command line: `check` a task on the default dataset or your own file,
//! manage the generated datasets, or set up the Python side ahead of time.

use gluebench::check::{self, Options};
use gluebench::task::Tier;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
gluebench: when is Python's hot path as good as Rust?

USAGE:
    cargo run --release -- check --task TASK [--input FILE | --dataset NAME] [--tier TIER]... [--json] [--full]
    cargo run --release -- datasets [NAME]...
    cargo run --release -- bootstrap
    cargo run --release -- serve DIR [--latency-ms N] [--fault SPEC] [--retry-after S]
    cargo run --release -- report [--results FILE] [--out DIR] [--baseline OLD.json] [--format html|md] [--splice FILE]

COMMANDS:
    check       Run every tier of TASK once, verify each against the expected result, and print
                one row per tier (tier, variant, status, seconds, MB/s, result). Status: ok,
                mismatch, error, skipped (a slow tier on a big input), or differs (a variant
                that follows other rules by design, as it declares). Exits 1 naming the tiers
                that disagree or fail.
    datasets    Generate (or verify) the named datasets, or all of them; print where they are.
    bootstrap   Create .venv/, install the pinned Python packages and the PyO3 module (release).
                `check`, `cargo bench` and `cargo test` do this themselves on first use.
    serve       Serve DIR over HTTP/1.1 on 127.0.0.1 (an ephemeral port) until killed, the way
                the fetch task's benchmarks do: keep-alive, `Range: bytes=a-b` answered with 206
                and Content-Range as Common Crawl's data server does. Prints the base URL as
                one line on stdout.
    report      Read the results file (default reports/results.json) and write DIR/index.html
                (default reports/), one self-contained page with charts, verdicts and the
                environment, plus DIR/results.json and .csv. --format md prints Markdown tables
                instead; --splice FILE puts them between FILE's
                `<!-- gluebench:results:begin -->` and `<!-- gluebench:results:end -->` markers.
                --baseline OLD.json adds what changed since an older results file.

CHECK OPTIONS:
    --task TASK     the task: decompress, json/cdxj, json/wat, emoji, glue/calls
    --input FILE    your own input instead of the default dataset: a .warc.wet.gz (or any
                    gzip) for decompress, a .cdxj or .cdxj.gz for json/cdxj, a .warc.wat.gz
                    or JSON lines for json/wat, any UTF-8 text file or .warc.wet.gz for emoji
                    and glue/calls;
                    its expected result comes from the task's reference variant
    --dataset NAME  a generated dataset other than the task's default (see `datasets`)
    --tier TIER     only this tier (repeatable): pure, naive, hotpath, ecosystem, pyo3, rust
    --json          print one JSON document instead of the table
    --full          also run slow tiers (pure, ...) on inputs above their size cap

SERVE OPTIONS:
    --latency-ms N  sleep N ms before each response head (default 0)
    --fault SPEC    inject a fault, for testing clients: MODE[@OFFSET][xTIMES] with MODE one
                    of 503 (with Retry-After), reset (mid-body), stall (mid-body), short (fewer
                    bytes than Content-Length); @OFFSET only ranges starting there, xTIMES only
                    that many times per (path, range start). E.g. reset, 503@1234x1, stallx2
    --retry-after S the Retry-After seconds of a 503 fault (default 1)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => cmd_check(&args[1..]),
        Some("datasets") => cmd_datasets(&args[1..]),
        Some("bootstrap") => gluebench::bootstrap::python_env().map(|env| {
            println!("ready: {}", env.python.display());
            ExitCode::SUCCESS
        }),
        Some("serve") => cmd_serve(&args[1..]),
        Some("report") => gluebench::report::cmd(&args[1..]),
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    result.unwrap_or_else(|e| {
        eprintln!("gluebench: error: {e}");
        ExitCode::from(2)
    })
}

fn cmd_check(args: &[String]) -> Result<ExitCode, String> {
    let mut opts = Options {
        task: String::new(),
        input: None,
        index: None,
        dataset: None,
        tiers: Vec::new(),
        full: false,
        expected: None,
    };
    let mut json = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--task" => opts.task = value("--task")?,
            "--input" => opts.input = Some(PathBuf::from(value("--input")?)),
            "--index" => opts.index = Some(PathBuf::from(value("--index")?)),
            "--dataset" => opts.dataset = Some(value("--dataset")?),
            "--tier" => {
                let t = value("--tier")?;
                opts.tiers.push(Tier::parse(&t).ok_or_else(|| {
                    format!("unknown tier {t:?}; the tiers are: pure, naive, hotpath, ecosystem, pyo3, rust")
                })?);
            }
            "--json" => json = true,
            "--full" => opts.full = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => return Err(format!("unknown option {other:?} for check (see --help)")),
        }
    }
    if opts.task.is_empty() {
        return Err("check needs --task (e.g. --task decompress)".into());
    }
    let report = check::run(&opts)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json()).expect("serialisable")
        );
    } else {
        report.print_table();
    }
    let failures = report.failures();
    if failures.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let names: Vec<String> = failures
        .iter()
        .map(|r| format!("{}/{} ({})", r.tier, r.variant, r.status.as_str()))
        .collect();
    eprintln!("gluebench: check failed for: {}", names.join(", "));
    Ok(ExitCode::FAILURE)
}

fn cmd_datasets(args: &[String]) -> Result<ExitCode, String> {
    let names: Vec<String> = if args.is_empty() {
        gluebench_datasets::names()
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        args.to_vec()
    };
    for name in names {
        let ds = gluebench_datasets::ensure(&name).map_err(|e| e.to_string())?;
        println!("{name}\t{}", ds.path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_serve(args: &[String]) -> Result<ExitCode, String> {
    use gluebench::serve::{Fault, Server, ServerConfig};
    use std::io::Write;
    let mut dir = None;
    let mut cfg = ServerConfig::new(PathBuf::new());
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--latency-ms" => {
                let v = value("--latency-ms")?;
                let ms: u64 = v
                    .parse()
                    .map_err(|_| format!("--latency-ms takes whole milliseconds, not {v:?}"))?;
                cfg.latency = std::time::Duration::from_millis(ms);
            }
            "--fault" => cfg.fault = Some(Fault::parse(&value("--fault")?)?),
            "--retry-after" => {
                let v = value("--retry-after")?;
                cfg.retry_after_s = v
                    .parse()
                    .map_err(|_| format!("--retry-after takes whole seconds, not {v:?}"))?;
            }
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other if other.starts_with('-') => {
                return Err(format!("unknown option {other:?} for serve (see --help)"))
            }
            other if dir.is_none() => dir = Some(PathBuf::from(other)),
            other => return Err(format!("serve takes one DIR, got a second: {other:?}")),
        }
    }
    cfg.root = dir.ok_or("serve needs a DIR to serve (e.g. serve datasets/cache)")?;
    let about = format!(
        "{} (latency {} ms, fault {})",
        cfg.root.display(),
        cfg.latency.as_millis(),
        cfg.fault.as_ref().map_or("none".into(), |f| f.to_string()),
    );
    let server = Server::start(cfg).map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", server.url())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the URL to stdout: {e}"))?;
    drop(out);
    eprintln!(
        "gluebench: serving {about} at {}; Ctrl-C to stop",
        server.url()
    );
    loop {
        std::thread::park();
    }
}
