//! The `gluebench` command line: `check` a task on the default dataset or your own file,
//! manage the generated datasets, or set up the Python side ahead of time.
//!
//! Parsed with clap's builder API; every command has `--help`, and a usage error (an unknown or
//! conflicting option, a bad value) is clap's message with exit status 2.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::ErrorKind;
use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};
use gluebench::check::{self, Options};
use gluebench::serve::{Fault, Server, ServerConfig};
use gluebench::task::Tier;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::ExitCode;

fn cli() -> Command {
    Command::new("gluebench")
        .version(env!("CARGO_PKG_VERSION"))
        .about("when is Python's hot path as good as Rust?")
        .after_help(
            "From the project, run it as `cargo run --release -- COMMAND [OPTIONS]`;
`gluebench COMMAND --help` shows a command's options.",
        )
        .arg_required_else_help(true)
        // As before clap: the last of a repeated option wins (`--tier` adds up).
        .args_override_self(true)
        .subcommand_required(true)
        .subcommand(check_command())
        .subcommand(datasets_command())
        .subcommand(Command::new("bootstrap").about(
            "Create .venv/, install the pinned Python packages and the PyO3 module (release).
`check`, `cargo bench` and `cargo test` do this themselves on first use.",
        ))
        .subcommand(serve_command())
        .subcommand(gluebench::report::command())
}

fn check_command() -> Command {
    let tiers: Vec<&str> = Tier::ALL.iter().map(|t| t.as_str()).collect();
    Command::new("check")
        .about(
            "Run every tier of TASK once, verify each against the expected result, and print one
row per tier (tier, variant, status, seconds, speed, result). Status: ok, mismatch,
error, skipped (a slow tier on a big input), differs (a variant that follows
other rules by design, as it declares), or how the Python worker failed under the
tier: crashed, timeout (GLUEBENCH_TIMEOUT) or out-of-memory (GLUEBENCH_WORKER_MEMORY);
the worker is then restarted for the next tier. Exits 1 naming the tiers that
disagree or fail.",
        )
        .arg(
            Arg::new("task")
                .long("task")
                .value_name("TASK")
                .required(true)
                .help("the task: decompress, json/cdxj, json/wat, emoji, fetch, pipeline,\nglue/calls"),
        )
        .arg(
            Arg::new("input")
                .long("input")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help(
                    "your own input instead of the default dataset: a .warc.wet.gz (or any
gzip) for decompress, a .cdxj or .cdxj.gz for json/cdxj, a .warc.wat.gz or
JSON lines for json/wat, any UTF-8 text file or .warc.wet.gz for emoji and
glue/calls, a .warc.gz with --index for fetch and pipeline; its expected
result comes from the task's reference variant (fetch: from the file's
bytes at the ranges)",
                ),
        )
        .arg(
            Arg::new("index")
                .long("index")
                .value_name("INDEX")
                .value_parser(value_parser!(PathBuf))
                .requires("input")
                .help(
                    "fetch, pipeline: a CDXJ index whose every line is a range of --input (its
`filename` is ignored)",
                ),
        )
        .arg(
            Arg::new("dataset")
                .long("dataset")
                .value_name("NAME")
                .help(
                    "a generated dataset other than the task's default (see `datasets`); for
fetch and pipeline, a regime: lat<ms>-c<n> (default lat0-c16), optionally
with knobs -<fault>@<range> -timeout<s> -retries<n> -n<ranges>, e.g.
lat0-c4-reset@3-timeout0.5; with --input, only with --index (the regime
your file is fetched in)",
                ),
        )
        .arg(
            Arg::new("tier")
                .long("tier")
                .value_name("TIER")
                .action(ArgAction::Append)
                .value_parser(
                    PossibleValuesParser::new(tiers)
                        .map(|t| Tier::parse(&t).expect("one of Tier::ALL")),
                )
                .hide_possible_values(true)
                .help("only this tier (repeatable): pure, naive, hotpath, ecosystem, pyo3, rust"),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help("print one JSON document instead of the table"),
        )
        .arg(
            Arg::new("full")
                .long("full")
                .action(ArgAction::SetTrue)
                .help("also run slow tiers (pure, ...) on inputs above their size cap"),
        )
}

fn datasets_command() -> Command {
    let names = wrap(&gluebench_datasets::names().join(", "), 76);
    Command::new("datasets")
        .about("Generate (or verify) the named datasets, or all of them; print where they are.")
        .arg(
            Arg::new("name")
                .value_name("NAME")
                .action(ArgAction::Append)
                .value_parser(DatasetName)
                .hide_possible_values(true)
                .help(format!(
                    "a dataset (all of them when none is named):\n{names},\nor warc-NNNNN (a WARC segment of the generated crawl)"
                )),
        )
}

fn serve_command() -> Command {
    Command::new("serve")
        .about(
            "Serve DIR over HTTP/1.1 on 127.0.0.1 (an ephemeral port) until killed, the way the
fetch task's benchmarks do: keep-alive, `Range: bytes=a-b` answered with 206 and
Content-Range as Common Crawl's data server does. Prints the base URL as one line on
stdout.",
        )
        .arg(
            Arg::new("dir")
                .value_name("DIR")
                .required(true)
                .value_parser(value_parser!(PathBuf))
                .help("the directory served (e.g. datasets/cache)"),
        )
        .arg(
            Arg::new("latency-ms")
                .long("latency-ms")
                .value_name("N")
                .value_parser(value_parser!(u64))
                .help("sleep N ms before each response head (default 0)"),
        )
        .arg(
            Arg::new("fault")
                .long("fault")
                .value_name("SPEC")
                .value_parser(Fault::parse)
                .help(
                    "inject a fault, for testing clients: MODE[@OFFSET][xTIMES] with MODE one
of 503 (with Retry-After), reset (mid-body), stall (mid-body), short
(fewer bytes than Content-Length); @OFFSET only ranges starting there,
xTIMES only that many times per (path, range start). E.g. reset,
503@1234x1, stallx2",
                ),
        )
        .arg(
            Arg::new("retry-after")
                .long("retry-after")
                .value_name("S")
                .value_parser(value_parser!(u64))
                .help("the Retry-After seconds of a 503 fault (default 1)"),
        )
        .arg(
            Arg::new("threads")
                .long("threads")
                .value_name("N")
                .value_parser(value_parser!(u64).range(1..=64))
                .help("runtime threads answering requests (default: the CPU count, at most 4)"),
        )
}

/// A dataset name `gluebench_datasets::ensure` knows: one of `names()` (the possible values an
/// error lists) or a WARC segment, `warc-NNNNN`.
#[derive(Clone)]
struct DatasetName;

impl TypedValueParser for DatasetName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        match value.to_str() {
            Some(name) if gluebench_datasets::spec(name).is_some() => Ok(name.to_owned()),
            _ => PossibleValuesParser::new(gluebench_datasets::names()).parse_ref(cmd, arg, value),
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            gluebench_datasets::names()
                .into_iter()
                .map(PossibleValue::new),
        ))
    }
}

/// `text` broken at spaces into lines of at most `width` characters (clap's own wrapping needs
/// its `wrap_help` feature and the terminal_size crate).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + 1 + word.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let result = match matches.subcommand() {
        Some(("check", m)) => cmd_check(m),
        Some(("datasets", m)) => cmd_datasets(m),
        Some(("bootstrap", _)) => gluebench::bootstrap::python_env().map(|env| {
            println!("ready: {}", env.python.display());
            ExitCode::SUCCESS
        }),
        Some(("serve", m)) => cmd_serve(m),
        Some(("report", m)) => gluebench::report::run(&gluebench::report::Options::from_matches(m)),
        _ => unreachable!("clap requires a known subcommand"),
    };
    result.unwrap_or_else(|e| {
        eprintln!("gluebench: error: {e}");
        ExitCode::from(2)
    })
}

/// A usage error of subcommand `name` in clap's words (usage line, exit status 2).
fn usage_error(name: &str, kind: ErrorKind, message: String) -> ! {
    let mut cmd = cli();
    cmd.build();
    let sub = cmd
        .find_subcommand_mut(name)
        .expect("a subcommand of cli()");
    sub.error(kind, message).exit()
}

fn cmd_check(m: &ArgMatches) -> Result<ExitCode, String> {
    let opts = Options {
        task: m.get_one::<String>("task").cloned().expect("required"),
        input: m.get_one::<PathBuf>("input").cloned(),
        index: m.get_one::<PathBuf>("index").cloned(),
        dataset: m.get_one::<String>("dataset").cloned(),
        tiers: m
            .get_many::<Tier>("tier")
            .map(|t| t.copied().collect())
            .unwrap_or_default(),
        full: m.get_flag("full"),
        expected: None,
    };
    // With your own file, --dataset can only name the regime a range index is fetched in.
    if opts.input.is_some() && opts.dataset.is_some() && opts.index.is_none() {
        usage_error(
            "check",
            ErrorKind::ArgumentConflict,
            "the argument '--input <FILE>' cannot be used with '--dataset <NAME>' \
             (with your own file, --dataset names only the regime of fetch or pipeline, \
             with --index)"
                .into(),
        );
    }
    let report = check::run(&opts)?;
    if m.get_flag("json") {
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

fn cmd_datasets(m: &ArgMatches) -> Result<ExitCode, String> {
    let names: Vec<String> = match m.get_many::<String>("name") {
        Some(names) => names.cloned().collect(),
        None => gluebench_datasets::names()
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    for name in names {
        let ds = gluebench_datasets::ensure(&name).map_err(|e| e.to_string())?;
        println!("{name}\t{}", ds.path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_serve(m: &ArgMatches) -> Result<ExitCode, String> {
    use std::io::Write;
    let mut cfg = ServerConfig::new(m.get_one::<PathBuf>("dir").cloned().expect("required"));
    if let Some(ms) = m.get_one::<u64>("latency-ms") {
        cfg.latency = std::time::Duration::from_millis(*ms);
    }
    cfg.fault = m.get_one::<Fault>("fault").cloned();
    if let Some(s) = m.get_one::<u64>("retry-after") {
        cfg.retry_after_s = *s;
    }
    if let Some(n) = m.get_one::<u64>("threads") {
        cfg.threads = *n as usize;
    }
    let about = format!(
        "{} (latency {} ms, {} threads, fault {})",
        cfg.root.display(),
        cfg.latency.as_millis(),
        cfg.threads,
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_consistent() {
        super::cli().debug_assert();
    }
}
