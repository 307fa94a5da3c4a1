//! `gluebench report`: one self-contained HTML page (or Markdown) from the results store.
//!
//! The report reads only the results file ([`crate::results::Store`]); it never runs anything.
//! Everything is rendered in memory first and only then written, each file atomically, so a bad
//! input (missing, empty, truncated, another schema) leaves the previous report untouched.
//!
//! - [`html`]: page assembly; [`tasks`], [`glue`]: those sections; [`charts`]: the plotters SVGs; [`fit`]: size-sweep fits;
//! - [`verdicts`]: the thesis' claims as table-driven rules; [`compare`]: `--baseline`;
//! - [`jit`]: the interpreter axis ("The JIT question");
//! - [`markdown`]: `--format md` and `--splice`; [`tutorial`], [`scale`]: sections owned elsewhere.

pub mod charts;
pub mod compare;
pub mod fit;
pub mod glue;
pub mod goals;
pub mod html;
pub mod io;
pub mod jit;
pub mod markdown;
pub mod pipeline;
pub mod scale;
pub mod tasks;
pub mod tutorial;
pub mod verdicts;

use crate::results::{write_atomically, Row, Store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The tiers in the order every table and chart shows them.
pub const TIERS: [&str; 6] = ["pure", "naive", "hotpath", "ecosystem", "pyo3", "rust"];
/// The Python tiers that do not use our Rust: "the best Python" in every ratio.
pub const PYTHON_TIERS: [&str; 4] = ["pure", "naive", "hotpath", "ecosystem"];

/// One fixed colour per tier, the same in every chart and table (Okabe-Ito, colour-blind safe).
pub fn tier_color(tier: &str) -> (u8, u8, u8) {
    match tier {
        "pure" => (153, 153, 153),
        "naive" => (230, 159, 0),
        "hotpath" => (86, 180, 233),
        "ecosystem" => (0, 158, 115),
        "pyo3" => (204, 121, 167),
        "rust" => (213, 94, 0),
        _ => (0, 0, 0),
    }
}

pub fn tier_rank(tier: &str) -> usize {
    TIERS.iter().position(|t| *t == tier).unwrap_or(TIERS.len())
}

/// What the thesis expects of a task/workload: paved (Python's hot path is close to Rust) or
/// unpaved. `None` for groups the thesis says nothing about.
pub fn expectation(group: &str) -> Option<&'static str> {
    match group {
        "decompress" | "json/wat" => Some("paved"),
        "emoji" | "json/cdxj" => Some("unpaved"),
        _ => None,
    }
}

/// The rule that classifies a regime: paved when the rust pick is less than this many times
/// faster than the best Python pick without our Rust.
pub const PAVED_BELOW: f64 = 3.0;

/// Read-only queries over the store that every section shares.
pub struct Data<'a> {
    pub store: &'a Store,
}

impl<'a> Data<'a> {
    pub fn new(store: &'a Store) -> Self {
        Data { store }
    }

    /// The rows of the default runs (the default interpreter and the Rust tiers, not an
    /// interpreter-axis run): what every section but "The JIT question" ([`jit`]) reads.
    pub fn rows(&self) -> impl Iterator<Item = &'a Row> + 'a {
        self.store.rows.iter().filter(|r| !r.on_axis())
    }

    /// Rows of a task/workload outside any sweep.
    pub fn plain<'s>(
        &'s self,
        task: &'s str,
        workload: &'s str,
    ) -> impl Iterator<Item = &'a Row> + 's {
        self.rows()
            .filter(move |r| r.task == task && r.workload == workload && r.sweep.is_empty())
    }

    /// The distinct (task, workload) pairs, in store order.
    pub fn groups(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for r in self.rows() {
            let g = (r.task.clone(), r.workload.clone());
            if !out.contains(&g) {
                out.push(g);
            }
        }
        out
    }

    /// The regimes of a task/workload outside sweeps, the default (most rows) first.
    pub fn regimes(&self, task: &str, workload: &str) -> Vec<String> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for r in self.rows() {
            if r.task == task && r.workload == workload && r.sweep.is_empty() {
                match counts.iter_mut().find(|(g, _)| *g == r.regime) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((r.regime.clone(), 1)),
                }
            }
        }
        // Stable sort: ties keep store order, so the default regime does not flicker.
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        counts.into_iter().map(|(g, _)| g).collect()
    }

    /// The default regime of a task/workload: the non-sweep regime with the most rows.
    pub fn default_regime(&self, task: &str, workload: &str) -> Option<String> {
        self.regimes(task, workload).into_iter().next()
    }

    /// A tier's measured pick in a regime.
    pub fn pick(&self, task: &str, workload: &str, regime: &str, tier: &str) -> Option<&'a Row> {
        self.rows().find(|r| {
            r.task == task
                && r.workload == workload
                && r.regime == regime
                && r.sweep.is_empty()
                && r.tier == tier
                && r.pick
                && r.is_measured()
        })
    }

    /// A named variant in a regime, whatever its status.
    pub fn variant(&self, task: &str, workload: &str, regime: &str, id: &str) -> Option<&'a Row> {
        self.rows().find(|r| {
            r.task == task
                && r.workload == workload
                && r.regime == regime
                && r.sweep.is_empty()
                && r.id() == id
        })
    }

    /// The best throughput among the Python tiers' picks (pure, naive, hotpath, ecosystem).
    pub fn best_python(&self, task: &str, workload: &str, regime: &str) -> Option<&'a Row> {
        PYTHON_TIERS
            .iter()
            .filter_map(|t| self.pick(task, workload, regime, t))
            .max_by(|a, b| tp(a).total_cmp(&tp(b)))
    }
}

/// One line naming the rows that ran a slower path than their fast one on the measuring
/// machine (e.g. the emoji scanner without AVX2), grouped by reason; `None` when none did.
pub fn fallbacks(store: &Store) -> Option<String> {
    let mut by_reason: Vec<(&str, Vec<String>)> = Vec::new();
    for r in store.rows.iter().filter(|r| !r.fallback.is_empty()) {
        let id = format!("{}/{}", r.group(), r.id());
        match by_reason.iter_mut().find(|(why, _)| *why == r.fallback) {
            Some((_, ids)) if ids.contains(&id) => {}
            Some((_, ids)) => ids.push(id),
            None => by_reason.push((&r.fallback, vec![id])),
        }
    }
    (!by_reason.is_empty()).then(|| {
        let parts: Vec<String> = by_reason
            .iter()
            .map(|(why, ids)| format!("{why} ({})", ids.join(", ")))
            .collect();
        format!(
            "Fallbacks: these variants ran a slower path than their fast one on the measuring \
             machine, and their rows say so: {}.",
            parts.join("; ")
        )
    })
}

/// Throughput at the median, in millions of units per second (0 when unmeasured).
pub fn tp(r: &Row) -> f64 {
    r.throughput
        .or_else(|| r.median_ns.map(|ns| r.units as f64 * 1e3 / ns))
        .unwrap_or(0.0)
}

/// The 95% CI of the median as throughput (low, high): a longer time is a lower throughput.
pub fn tp_ci(r: &Row) -> Option<(f64, f64)> {
    let conv = |ns: f64| r.units as f64 * 1e3 / ns;
    Some((conv(r.median_hi_ns?), conv(r.median_lo_ns?)))
}

/// The relative half-width of a row's 95% CI of the mean, if it has one.
pub fn rel_ci(r: &Row) -> Option<f64> {
    let (m, lo, hi) = (r.mean_ns?, r.mean_lo_ns?, r.mean_hi_ns?);
    (m > 0.0).then(|| (m - lo).max(hi - m) / m)
}

/// A number with 3 significant digits and thousands separators: 5,903 / 18.5 / 0.039.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let a = x.abs();
    let s = if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else if a == 0.0 {
        "0".into()
    } else {
        let digits = (-a.log10().floor()) as usize + 2;
        format!("{x:.digits$}")
    };
    // Group the integer part's digits in threes.
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let (sign, int) = int.strip_prefix('-').map_or(("", int), |i| ("-", i));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// A count or a whole-number parameter: 9,021 (with decimals only when it has them).
pub fn count(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        num(x).split('.').next().unwrap_or_default().to_string()
    } else {
        num(x)
    }
}

/// HTML-escapes text for element content and attribute values.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Debug, Clone, PartialEq)]
pub enum Format {
    Html,
    Md,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub results: PathBuf,
    pub out: PathBuf,
    pub baseline: Option<PathBuf>,
    pub format: Format,
    pub splice: Option<PathBuf>,
}

/// What `report` does and takes: the `report` subcommand of `gluebench` (src/main.rs) and the
/// parser of [`cmd`]'s arguments, one definition.
pub fn command() -> clap::Command {
    use clap::{value_parser, Arg};
    clap::Command::new("report")
        // The last of a repeated option wins (`cargo bench` passes `--results`, a caller may again).
        .args_override_self(true)
        .about(
            "Read the results file (default reports/results.json) and write DIR/index.html
(default reports/), one self-contained page with charts, verdicts and the
environment, plus DIR/results.json and .csv. --format md prints Markdown tables
instead; --splice FILE puts them between FILE's `<!-- gluebench:results:begin -->`
and `<!-- gluebench:results:end -->` markers. --baseline OLD.json adds what changed
since an older results file.",
        )
        .arg(
            Arg::new("results")
                .long("results")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help("the results file (default reports/results.json)"),
        )
        .arg(
            Arg::new("out")
                .long("out")
                .value_name("DIR")
                .value_parser(value_parser!(PathBuf))
                .help("write DIR/index.html, DIR/results.json and .csv (default reports/)"),
        )
        .arg(
            Arg::new("baseline")
                .long("baseline")
                .value_name("OLD.json")
                .value_parser(value_parser!(PathBuf))
                .help("add what changed since an older results file"),
        )
        .arg(
            Arg::new("format")
                .long("format")
                .value_name("FORMAT")
                .value_parser(["html", "md"])
                .hide_possible_values(true)
                .help("html (the page, the default) or md (prints Markdown tables instead)"),
        )
        .arg(
            Arg::new("splice")
                .long("splice")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help(
                    "with --format md: put the tables between FILE's
`<!-- gluebench:results:begin -->` and
`<!-- gluebench:results:end -->` markers",
                ),
        )
}

impl Options {
    /// The options of a parsed [`command`] (defaults filled in).
    pub fn from_matches(m: &clap::ArgMatches) -> Options {
        let path = |id: &str| m.get_one::<PathBuf>(id).cloned();
        Options {
            results: path("results").unwrap_or_else(crate::results::default_path),
            out: path("out").unwrap_or_else(|| crate::bootstrap::root().join("reports")),
            baseline: path("baseline"),
            format: match m.get_one::<String>("format").map(String::as_str) {
                Some("md") => Format::Md,
                _ => Format::Html,
            },
            splice: path("splice"),
        }
    }

    /// Parses `report`'s arguments (without the command name) with [`command`]; a usage error
    /// (or `--help`) is clap's message.
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let m = command()
            .no_binary_name(true)
            .try_get_matches_from(args)
            .map_err(|e| e.to_string())?;
        Ok(Options::from_matches(&m))
    }

    /// The command line that regenerates this output, for the spliced Markdown.
    pub fn command(&self) -> String {
        let mut c = String::from("cargo run --release -- report --format md");
        let rel = |p: &Path| {
            p.strip_prefix(crate::bootstrap::root())
                .unwrap_or(p)
                .display()
                .to_string()
        };
        if self.results != crate::results::default_path() {
            c += &format!(" --results {}", rel(&self.results));
        }
        if let Some(b) = &self.baseline {
            c += &format!(" --baseline {}", rel(b));
        }
        if let Some(s) = &self.splice {
            c += &format!(" --splice {}", rel(s));
        }
        c
    }
}

/// The `report` command on its arguments (without the command name), e.g. `--results P --out D`.
pub fn cmd(args: &[String]) -> Result<ExitCode, String> {
    run(&Options::parse(args)?)
}

/// The `report` command: load, render in memory, then write.
pub fn run(opts: &Options) -> Result<ExitCode, String> {
    let start = Instant::now();
    let mut store = Store::load(&opts.results)?;
    let baseline = match &opts.baseline {
        Some(p) => Some(Store::load(p)?),
        None => None,
    };
    let generated = crate::results::now_rfc3339();
    match opts.format {
        Format::Md => {
            let md = markdown::render(&store, baseline.as_ref(), opts, &generated);
            if let Some(path) = &opts.splice {
                let old = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
                let new =
                    markdown::splice(&old, &md).map_err(|e| format!("{}: {e}", path.display()))?;
                write_atomically(path, new.as_bytes())?;
                eprintln!("spliced the results into {}", path.display());
            } else {
                print!("{md}");
            }
        }
        Format::Html => {
            let page = html::page(&store, baseline.as_ref(), opts, &generated);
            std::fs::create_dir_all(&opts.out)
                .map_err(|e| format!("cannot create {}: {e}", opts.out.display()))?;
            let index = opts.out.join("index.html");
            write_atomically(&index, page.as_bytes())?;
            println!("wrote {}", index.display());
            let copy = opts.out.join("results.json");
            if !same_file(&copy, &opts.results) {
                store.save(&copy)?;
                println!("wrote {}", copy.display());
                println!("wrote {}", copy.with_extension("csv").display());
            }
        }
    }
    eprintln!("report took {:.2} s", start.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A measured row of `mbps` on dataset `d`, for the unit tests.
#[cfg(test)]
pub(crate) fn test_row(group: &str, tier: &str, variant: &str, mbps: f64) -> Row {
    let (task, workload) = crate::results::split_group(group);
    let units = 1_000_000u64;
    Row {
        schema_version: crate::results::SCHEMA_VERSION,
        task,
        workload,
        dataset: "d".into(),
        regime: "d".into(),
        sweep: String::new(),
        x: None,
        tier: tier.into(),
        variant: variant.into(),
        pick: true,
        status: "ok".into(),
        error: None,
        unit: "input bytes".into(),
        units,
        input_bytes: units,
        expected_digest: None,
        samples: Some(10),
        iterations: Some(10),
        mean_ns: Some(units as f64 * 1e3 / mbps),
        mean_lo_ns: None,
        mean_hi_ns: None,
        median_ns: Some(units as f64 * 1e3 / mbps),
        median_lo_ns: None,
        median_hi_ns: None,
        std_dev_ns: None,
        throughput: Some(mbps),
        unstable: Some(false),
        measured_at: String::new(),
        run: "r".into(),
        quick: false,
        interpreter: String::new(),
        fallback: String::new(),
        axis: false,
        paired_ratio: None,
        paired_ratio_lo: None,
        paired_ratio_hi: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_the_way_cargo_bench_calls_report() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let o = Options::parse(&args(&["--results", "r.json", "--out", "d"])).unwrap();
        assert_eq!(
            (o.results, o.out, o.format, o.baseline),
            ("r.json".into(), "d".into(), Format::Html, None)
        );
        let o = Options::parse(&args(&["--format", "md", "--splice", "README.md"])).unwrap();
        assert_eq!(o.format, Format::Md);
        assert_eq!(o.splice, Some("README.md".into()));
        assert_eq!(o.results, crate::results::default_path());
        let err = Options::parse(&args(&["--format", "pdf"])).unwrap_err();
        assert!(err.contains("[possible values: html, md]"), "{err}");
        let err = Options::parse(&args(&["--nope"])).unwrap_err();
        assert!(err.contains("unexpected argument '--nope'"), "{err}");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(num(5903.2), "5,903");
        assert_eq!(num(18.46), "18.5");
        assert_eq!(num(1.234), "1.23");
        assert_eq!(num(0.0391), "0.0391");
        assert_eq!(num(-1234567.0), "-1,234,567");
    }
}
