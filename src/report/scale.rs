//! At scale: what one whole Common Crawl crawl costs per tier, in core-hours and dollars, from
//! the throughputs in the store. A per-MB difference is abstract; "$90 or $9,000 per crawl" is
//! the decision a reader actually faces.
//!
//! The crawl is CC-MAIN-2024-22, the crawl of the real samples in `../shared/datasets/cc/`
//! (PROVENANCE.md). Its announcement gives pages and uncompressed content; the per-format totals
//! were not in any source reachable when this was written, so WET and WAT sizes are estimates
//! (pages × bytes per page of this project's generated datasets, which are tuned against real
//! samples), cross-checked against the last per-format table we could read (CC-MAIN-2016-40),
//! scaled by pages. The page says all of this next to the numbers.

use super::esc as escape;
use crate::results::{Row, Store};
use std::fmt::Write as _;

const CRAWL: &str = "CC-MAIN-2024-22";
const ANNOUNCEMENT: &str = "https://commoncrawl.org/blog/may-2024-crawl-archive-now-available";
/// Where the announcement's text was read (its page itself was not reachable from here).
const ANNOUNCEMENT_QUOTED: &str =
    "https://gist.github.com/0xdevalias/e3618a3a256b3d43802cf2138f1d446a";
/// Published: 2.7 billion pages, 377 TiB of uncompressed content, crawled May 18-31, 2024.
const PAGES: f64 = 2.7e9;
const CONTENT_TIB: f64 = 377.0;

/// `wet-16m`: 16,785,434 decompressed bytes (headers and text) in 2,661 pages, 7,845,085 bytes
/// gzipped (its manifest in `datasets/cache/`).
const WET_BYTES_PER_PAGE: f64 = 16_785_434.0 / 2_661.0;
const WET_RATIO: f64 = 16_785_434.0 / 7_845_085.0;
/// `wat-16m`: 16.1 MiB of WAT JSON for 1,191 pages; 5.6 MiB as `.warc.wat.gz` (datasets/README).
const WAT_BYTES_PER_PAGE: f64 = 16.1 * MIB / 1_191.0;
const WAT_RATIO: f64 = 16.1 / 5.6;
/// The largest real crawl WARC sample (PROVENANCE.md: 50 records of CC-MAIN-2020-34, 135,896
/// bytes gzipped, 550,336 inflated).
const WARC_RATIO: f64 = 550_336.0 / 135_896.0;

/// CC-MAIN-2016-40, the cross-check: its announcement's table (compressed TiB) and pages.
const OLD_CRAWL: &str = "CC-MAIN-2016-40";
const OLD_ANNOUNCEMENT: &str =
    "https://commoncrawl.org/2016/10/september-2016-crawl-archive-now-available/";
const OLD_PAGES: f64 = 1.72e9;
const OLD_TIB: [(&str, f64); 3] = [("WARC", 28.94), ("WAT", 10.35), ("WET", 4.54)];

/// The price of a core-hour: AWS m7g.large (2 vCPU, Graviton3, where a vCPU is a whole core),
/// Linux on-demand in us-east-1, $0.0816 per instance-hour.
const PRICE_PER_CORE_HOUR: f64 = 0.0816 / 2.0;
const PRICE_SOURCE: &str =
    "https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/";

const MIB: f64 = 1_048_576.0;
const TIB: f64 = 1_099_511_627_776.0;
const TIERS: [&str; 6] = ["pure", "naive", "hotpath", "ecosystem", "pyo3", "rust"];

/// A whole-crawl job: a benchmark group run over every byte of one of the crawl's formats.
struct Job {
    task: &'static str,
    workload: &'static str,
    what: &'static str,
    /// Bytes in the group's throughput unit.
    bytes: f64,
}

impl Job {
    /// The benchmark group's name (`json/wat`, `emoji`).
    fn group(&self) -> String {
        match self.task == self.workload {
            true => self.task.to_string(),
            false => format!("{}/{}", self.task, self.workload),
        }
    }
}

fn jobs() -> [Job; 3] {
    let wet = PAGES * WET_BYTES_PER_PAGE;
    [
        Job {
            task: "decompress",
            workload: "decompress",
            what: "gunzip every WET file",
            bytes: wet,
        },
        Job {
            task: "emoji",
            workload: "emoji",
            what: "count emoji in all WET text",
            bytes: wet,
        },
        Job {
            task: "json",
            workload: "wat",
            what: "parse all WAT JSON (links, servers)",
            bytes: PAGES * WAT_BYTES_PER_PAGE,
        },
    ]
}

pub fn section(store: &Store) -> String {
    let jobs = jobs();
    let mut html = format!(
        "<section id=\"scale\">\n<h2>At scale: one whole crawl ({CRAWL})</h2>\n\
         <p>What processing every file of one Common Crawl crawl costs in each tier, on one core \
         at the measured throughput: core-hours = bytes / (MB/s &times; 10<sup>6</sup>) / 3600. \
         CPU time only (no download, no parallel overhead); 1,000 cores divide the wall time, \
         not the bill.</p>\n"
    );
    html.push_str(STYLE);
    html.push_str(&sizes_table());
    let _ = writeln!(
        html,
        "<p>Price: ${PRICE_PER_CORE_HOUR:.4} per core-hour, the on-demand Linux price of an AWS \
         <code>m7g.large</code> in us-east-1 ($0.0816/h for 2 vCPU, each a whole Graviton3 \
         core) as listed on 2026-06-17 by <a href=\"{PRICE_SOURCE}\">factualminds.com</a>. An \
         assumption: the throughputs were measured on this project's x86 machine, not on \
         Graviton.</p>"
    );

    html.push_str("<table class=\"scale\">\n<thead><tr><th rowspan=\"2\">tier</th>");
    for job in &jobs {
        let _ = write!(
            html,
            "<th colspan=\"3\">{}: {} ({})</th>",
            job.group(),
            job.what,
            tib(job.bytes)
        );
    }
    html.push_str("</tr>\n<tr>");
    for _ in &jobs {
        html.push_str("<th>MB/s</th><th>core-hours</th><th>$</th>");
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    let picks: Vec<Vec<Pick>> = jobs.iter().map(|j| picks(store, j)).collect();
    for (t, tier) in TIERS.iter().enumerate() {
        let _ = write!(html, "<tr><th>{tier}</th>");
        for pick in picks.iter().map(|p| &p[t]) {
            match pick {
                Pick::Measured { mb_s, core_hours } => {
                    let _ = write!(
                        html,
                        "<td>{}</td><td>{}</td><td>{}</td>",
                        num(*mb_s),
                        num(*core_hours),
                        num(core_hours * PRICE_PER_CORE_HOUR)
                    );
                }
                Pick::Missing(why) => {
                    let _ = write!(html, "<td colspan=\"3\" class=\"na\">{}</td>", escape(why));
                }
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n");
    let _ = writeln!(html, "<p class=\"reading\">{}</p>", reading(&jobs, &picks));
    html.push_str(
        "<p class=\"note\">Each tier's pick in its task's default regime (the largest dataset \
         measured outside the sweeps); a slow tier's smaller stand-in dataset counts, since \
         throughput is per byte.</p>\n</section>\n",
    );
    html
}

/// The crawl's sizes: published where a source gives them, estimated (and saying how) otherwise.
fn sizes_table() -> String {
    let wet = PAGES * WET_BYTES_PER_PAGE;
    let wat = PAGES * WAT_BYTES_PER_PAGE;
    let content = CONTENT_TIB * TIB;
    let old = |name: &str| {
        let (_, t) = OLD_TIB.iter().find(|(n, _)| *n == name).expect("listed");
        t * PAGES / OLD_PAGES * TIB
    };
    let mut html = format!(
        "<p>{CRAWL} (crawled May 18&ndash;31, 2024) holds <b>2.7 billion pages, 377 TiB of \
         uncompressed content</b>, as its <a href=\"{ANNOUNCEMENT}\">announcement</a> says (read \
         through <a href=\"{ANNOUNCEMENT_QUOTED}\">a quotation of it</a>). The announcement's \
         per-format table was not in any source reachable here, so the WET and WAT totals below \
         are <b>estimates</b>: pages &times; the bytes per page of this project's datasets \
         (<code>wet-16m</code>: {} per page, gzip ratio {:.2}; <code>wat-16m</code>: {} per \
         page, ratio {:.2}; both tuned against real crawl samples), and the compressed WARC \
         size is the published content over the gzip ratio of a real crawl WARC sample \
         ({WARC_RATIO:.2}, PROVENANCE.md in <code>shared/datasets/cc/</code>). Cross-check: \
         the <a href=\"{OLD_ANNOUNCEMENT}\">{OLD_CRAWL} announcement</a> lists compressed \
         WARC/WAT/WET of {}/{}/{} TiB for 1.72 billion pages; scaled by pages that is the last \
         column.</p>\n",
        bytes(WET_BYTES_PER_PAGE),
        WET_RATIO,
        bytes(WAT_BYTES_PER_PAGE),
        WAT_RATIO,
        OLD_TIB[0].1,
        OLD_TIB[1].1,
        OLD_TIB[2].1,
    );
    html.push_str(
        "<table class=\"sizes\">\n<thead><tr><th>format</th><th>compressed</th>\
         <th>uncompressed</th><th>how</th><th>2016 table scaled by pages</th></tr></thead>\n<tbody>\n",
    );
    let rows = [
        (
            "WARC",
            content / WARC_RATIO,
            content,
            "uncompressed published; compressed estimated",
        ),
        ("WAT", wat / WAT_RATIO, wat, "estimated"),
        ("WET", wet / WET_RATIO, wet, "estimated"),
    ];
    for (name, gz, raw, how) in rows {
        let _ = writeln!(
            html,
            "<tr><th>{name}</th><td>{}</td><td>{}</td><td class=\"how\">{how}</td><td>{} compressed</td></tr>",
            tib(gz),
            tib(raw),
            tib(old(name))
        );
    }
    html.push_str("</tbody>\n</table>\n");
    html
}

enum Pick {
    Measured { mb_s: f64, core_hours: f64 },
    Missing(String),
}

/// Each tier's pick for a job, in [`TIERS`] order.
fn picks(store: &Store, job: &Job) -> Vec<Pick> {
    let plain: Vec<&Row> = store
        .rows
        .iter()
        .filter(|r| r.task == job.task && r.workload == job.workload && r.sweep.is_empty())
        .filter(|r| !r.on_axis())
        .collect();
    // The default regime: the largest dataset that is its own regime (not a stand-in).
    let regime = plain
        .iter()
        .filter(|r| r.dataset == r.regime)
        .max_by_key(|r| r.input_bytes)
        .map(|r| r.regime.as_str());
    TIERS
        .iter()
        .map(|tier| {
            let row = plain
                .iter()
                .find(|r| Some(r.regime.as_str()) == regime && r.tier == *tier && r.pick);
            match row {
                Some(r) => match r.throughput.filter(|t| *t > 0.0 && r.status == "ok") {
                    Some(mb_s) => Pick::Measured {
                        mb_s,
                        core_hours: job.bytes / (mb_s * 1e6) / 3600.0,
                    },
                    None => Pick::Missing(format!("not measured ({})", r.status)),
                },
                None => Pick::Missing("not measured".into()),
            }
        })
        .collect()
}

/// One line: per job, the best Python without our Rust against Rust, and pure Python's bill.
fn reading(jobs: &[Job], picks: &[Vec<Pick>]) -> String {
    let cost = |p: &Pick| match p {
        Pick::Measured { core_hours, .. } => Some(core_hours * PRICE_PER_CORE_HOUR),
        Pick::Missing(_) => None,
    };
    let (mut parts, mut widest) = (Vec::new(), 0.0f64);
    for (job, p) in jobs.iter().zip(picks) {
        // Tiers 1..=3 are naive, hotpath, ecosystem: Python as found, without our Rust.
        let python = (1..=3)
            .filter_map(|t| cost(&p[t]).map(|c| (c, TIERS[t])))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let (Some((py, tier)), Some(rust)) = (python, cost(&p[5])) else {
            continue;
        };
        widest = widest.max(py / rust);
        let mut part = format!(
            "{}: ${} in Python ({tier}) vs ${} in Rust ({:.1}&times;)",
            job.group(),
            num(py),
            num(rust),
            py / rust
        );
        if let Some(pure) = cost(&p[0]) {
            let _ = write!(part, ", ${} in pure Python", num(pure));
        }
        parts.push(part);
    }
    if parts.is_empty() {
        return "Reading: not enough measured tiers to compare.".into();
    }
    format!(
        "Reading: per crawl, {}. The widest gap between Python as found (no Rust of ours) and \
         Rust is {widest:.1}&times;.",
        parts.join("; ")
    )
}

const STYLE: &str = "<style>
#scale table { border-collapse: collapse; margin: .5em 0; }
#scale th, #scale td { border: 1px solid #ddd; padding: .15em .5em; }
#scale td { text-align: right; font-variant-numeric: tabular-nums; }
#scale td.na { text-align: center; color: #888; }
#scale td.how { text-align: left; }
</style>
";

fn tib(b: f64) -> String {
    format!("{} TiB", num(b / TIB))
}

fn bytes(b: f64) -> String {
    format!("{} KB", num(b / 1e3))
}

/// Three significant digits, thousands grouped: 12,345 / 123 / 12.3 / 1.23 / 0.0123.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return "&ndash;".into();
    }
    if x.abs() >= 1000.0 {
        let digits = format!("{:.0}", x.abs());
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        return if x < 0.0 { format!("-{out}") } else { out };
    }
    let decimals = if x == 0.0 {
        0
    } else {
        (2 - x.abs().log10().floor() as i32).max(0) as usize
    };
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::SCHEMA_VERSION;

    fn row(task: &str, workload: &str, dataset: &str, regime: &str, tier: &str, mb_s: f64) -> Row {
        Row {
            schema_version: SCHEMA_VERSION,
            task: task.into(),
            workload: workload.into(),
            dataset: dataset.into(),
            regime: regime.into(),
            sweep: String::new(),
            x: None,
            tier: tier.into(),
            variant: "v".into(),
            pick: true,
            status: "ok".into(),
            error: None,
            unit: "input bytes".into(),
            units: 1,
            input_bytes: if dataset.ends_with("16m") {
                16 << 20
            } else {
                1 << 20
            },
            expected_digest: None,
            samples: None,
            iterations: None,
            mean_ns: None,
            mean_lo_ns: None,
            mean_hi_ns: None,
            median_ns: Some(1.0),
            median_lo_ns: None,
            median_hi_ns: None,
            std_dev_ns: None,
            throughput: Some(mb_s),
            unstable: None,
            measured_at: String::new(),
            run: "r".into(),
            quick: false,
            interpreter: String::new(),
            axis: false,
            paired_ratio: None,
            paired_ratio_lo: None,
            paired_ratio_hi: None,
            fallback: String::new(),
        }
    }

    #[test]
    fn costs_per_tier_from_the_default_regime() {
        let mut store = Store::new();
        let d = "decompress";
        store.rows = vec![
            // The default regime is wet-16m (largest own dataset); pure stands in with wet-1m.
            row(d, d, "wet-1m", "wet-16m", "pure", 4.0),
            row(d, d, "wet-16m", "wet-16m", "hotpath", 200.0),
            row(d, d, "wet-16m", "wet-16m", "rust", 400.0),
            // Another, smaller regime and a sweep point: ignored.
            row(d, d, "wet-1m", "wet-1m", "naive", 1.0),
            Row {
                sweep: "size".into(),
                ..row(d, d, "wet-16m@64KiB", "wet-16m", "naive", 1.0)
            },
            // Not ok: named, not costed.
            Row {
                status: "mismatch".into(),
                ..row(d, d, "wet-16m", "wet-16m", "ecosystem", 9.0)
            },
            Row {
                pick: false,
                ..row(d, d, "wet-16m", "wet-16m", "pyo3", 9.0)
            },
        ];
        let job = &jobs()[0];
        let p = picks(&store, job);
        let hours = |t: usize| match p[t] {
            Pick::Measured { core_hours, .. } => core_hours,
            Pick::Missing(_) => f64::NAN,
        };
        let expected_rust = job.bytes / 400e6 / 3600.0;
        assert!((hours(5) - expected_rust).abs() < 1e-9 * expected_rust);
        assert!(
            (hours(0) / hours(5) - 100.0).abs() < 1e-9,
            "pure at 4 MB/s, 100x rust"
        );
        assert!(matches!(&p[1], Pick::Missing(m) if m == "not measured"));
        assert!(matches!(&p[3], Pick::Missing(m) if m == "not measured (mismatch)"));
        assert!(matches!(&p[4], Pick::Missing(m) if m == "not measured"));

        let html = section(&store);
        assert!(html.starts_with("<section id=\"scale\">") && html.ends_with("</section>\n"));
        assert!(html.contains(CRAWL) && html.contains(ANNOUNCEMENT) && html.contains(PRICE_SOURCE));
        assert!(html.contains("decompress: $") && html.contains("(2.0&times;)"));
        // json/wat and emoji have no rows: every tier says so.
        assert_eq!(
            html.matches("<td colspan=\"3\" class=\"na\">not measured</td>")
                .count(),
            2 + 12
        );
    }

    #[test]
    fn the_estimates_hold_together() {
        // WET from bytes per page agrees with the 2016 table scaled by pages within 5%.
        let wet_gz = PAGES * WET_BYTES_PER_PAGE / WET_RATIO;
        let old = 4.54 * TIB * PAGES / OLD_PAGES;
        assert!((wet_gz / old - 1.0).abs() < 0.05, "{wet_gz} vs {old}");
        assert_eq!(num(1234.6), "1,235");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(0.012345), "0.0123");
        assert_eq!(section(&Store::new()).matches("not measured").count(), 18);
    }
}
