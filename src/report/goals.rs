//! The performance issue's speed goals for the compute tasks, measured in this run: each goal
//! is a ratio between two rows of the same run and the same regime, met or not. (fetch's goals
//! are in the I/O section, next to its grid.)

use super::{esc, num, tp, Data};
use crate::results::Row;
use std::fmt::Write;

/// One goal: what it asks, the ratio and the two rows it compares (if both were measured).
pub struct Goal {
    pub goal: String,
    pub at_least: f64,
    pub measured: Option<(f64, String)>,
}

impl Goal {
    pub fn met(&self) -> Option<bool> {
        self.measured.as_ref().map(|m| m.0 >= self.at_least)
    }
}

/// The emoji regimes the pyo3 goal covers: the main regime, social text, English text.
const EMOJI_REGIMES: [&str; 3] = ["wet-16m", "wet-16m-emoji", "wet-16m-en"];

pub fn evaluate(data: &Data) -> Vec<Goal> {
    let mut goals = Vec::new();
    let mut ratio = |goal: String, at_least: f64, a: Option<&Row>, b: Option<&Row>| {
        let measured = a.zip(b).filter(|(a, b)| tp(a) > 0.0 && tp(b) > 0.0);
        goals.push(Goal {
            goal,
            at_least,
            measured: measured.map(|(a, b)| {
                let unit = if a.unit == "input bytes" {
                    "MB/s"
                } else {
                    "M/s"
                };
                let rows = format!(
                    "{} vs {} {unit}, {} vs {}",
                    num(tp(a)),
                    num(tp(b)),
                    a.id(),
                    b.id()
                );
                // An interleaved pair's goal is its paired ratio: the median of the rounds'
                // ratios (the ratio of the two medians is in the rows).
                match a.paired() {
                    Some([x, lo, hi]) => (
                        x,
                        format!(
                            "median of {} rounds' ratios, 95% CI {}–{}; medians {rows}",
                            a.samples.unwrap_or(0),
                            num(lo),
                            num(hi)
                        ),
                    ),
                    _ => (tp(a) / tp(b), rows),
                }
            }),
        });
    };
    let json = |workload: &str| {
        data.default_regime("json", workload)
            .unwrap_or_else(|| format!("{workload}-16m"))
    };
    let (cdxj, wat) = (json("cdxj"), json("wat"));
    let fastest_plain_rust = data
        .plain("json", "cdxj")
        .filter(|r| r.regime == cdxj && r.tier == "baseline" && r.is_measured())
        .filter(|r| r.variant.starts_with("plain-") && !r.variant.starts_with("plain-py-"))
        .max_by(|a, b| tp(a).total_cmp(&tp(b)));
    // The pick's own scanner without the rule is the fastest plain loop by design: when the
    // run timed the two interleaved on one CPU (`glue/paired`), the goal reads that pair.
    let paired = format!("json/cdxj/{cdxj}");
    let pair = data
        .pick("glue", "paired", &paired, "rust")
        .zip(data.variant("glue", "paired", &paired, "baseline/plain-scanner"))
        .filter(|(_, b)| b.is_measured());
    let (how, rust, plain) = match pair {
        Some((r, b)) => (" (plain-scanner, interleaved on one CPU)", Some(r), Some(b)),
        None => (
            "",
            data.pick("json", "cdxj", &cdxj, "rust"),
            fastest_plain_rust,
        ),
    };
    ratio(
        format!("json/cdxj ({cdxj}): rust ≥ 0.95× the fastest plain Rust loop{how}"),
        0.95,
        rust,
        plain,
    );
    ratio(
        format!("json/cdxj ({cdxj}): ecosystem ≥ 0.8× the plain msgspec loop"),
        0.8,
        data.pick("json", "cdxj", &cdxj, "ecosystem"),
        data.variant("json", "cdxj", &cdxj, "baseline/plain-py-msgspec-struct"),
    );
    for (tier, at_least) in [("rust", 10.0), ("ecosystem", 2.5)] {
        ratio(
            format!("json/wat ({wat}): {tier} ≥ {at_least}× hotpath"),
            at_least,
            data.pick("json", "wat", &wat, tier),
            data.pick("json", "wat", &wat, "hotpath"),
        );
    }
    // The same Rust natively and through PyO3: from the interleaved pair on one CPU when the
    // run has it (`glue/paired`), else from the task's own benchmarks, timed apart.
    for regime in EMOJI_REGIMES {
        let paired = format!("emoji/{regime}");
        let pair = |task, workload, regime: &str| {
            data.pick(task, workload, regime, "pyo3")
                .zip(data.pick(task, workload, regime, "rust"))
        };
        let (how, rows) = match pair("glue", "paired", &paired) {
            Some(rows) => ("interleaved on one CPU", Some(rows)),
            None => ("timed apart", pair("emoji", "emoji", regime)),
        };
        ratio(
            format!("emoji ({regime}): pyo3 ≥ 0.97× rust ({how})"),
            0.97,
            rows.map(|r| r.0),
            rows.map(|r| r.1),
        );
    }
    ratio(
        "emoji (wet-16m-en, English text): rust ≥ 1.0× std::str::from_utf8".into(),
        1.0,
        data.pick("emoji", "emoji", "wet-16m-en", "rust"),
        data.variant("emoji", "emoji", "wet-16m-en", "baseline/std-from-utf8"),
    );
    goals
}

/// The goals as an HTML table (also spliced into the README as Markdown).
pub fn section(data: &Data) -> String {
    let mut h = String::from(
        "<p>The performance issue's speed goals for the compute tasks, each a ratio of two rows \
         of this run in the same regime (run-to-run noise on this machine is about ±10–25%: \
         a goal is met robustly only in repeated runs).</p>\
         <table><tr><th>goal</th><th>measured</th><th>rows</th><th></th></tr>\n",
    );
    for g in evaluate(data) {
        let (ratio, rows) = match &g.measured {
            Some((x, rows)) => (format!("{}×", num(*x)), esc(rows)),
            None => ("not measured".into(), "–".into()),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{ratio}</td><td>{rows}</td><td>{}</td></tr>",
            esc(&g.goal),
            met_cell(g.met())
        );
    }
    h += "</table>\n";
    h
}

/// A goal's verdict cell: met, not met, or "–" when it was not measured.
pub fn met_cell(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "<span class=\"ok\">met</span>",
        Some(false) => "<span class=\"bad\">not met</span>",
        None => "–",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_row;
    use crate::results::Store;

    fn row(group: &str, regime: &str, tier: &str, variant: &str, mbps: f64) -> Row {
        let mut r = test_row(group, tier, variant, mbps);
        r.regime = regime.into();
        r.dataset = regime.into();
        r.pick = tier != "baseline";
        r
    }

    /// A results file holding `rows`.
    fn store_of(rows: impl IntoIterator<Item = Row>) -> Store {
        let mut store = Store::new();
        for r in rows {
            store.upsert(r);
        }
        store
    }

    #[test]
    fn goals_are_ratios_of_rows_of_the_same_regime() {
        let store = store_of([
            row("json/cdxj", "cdxj-16m", "rust", "serde-typed", 900.0),
            row(
                "json/cdxj",
                "cdxj-16m",
                "baseline",
                "plain-serde-typed",
                1000.0,
            ),
            row(
                "json/cdxj",
                "cdxj-16m",
                "baseline",
                "plain-sonic-typed",
                800.0,
            ),
            row(
                "json/cdxj",
                "cdxj-16m",
                "baseline",
                "plain-py-msgspec-struct",
                5000.0,
            ),
            row(
                "json/cdxj",
                "cdxj-16m",
                "ecosystem",
                "msgspec-struct",
                300.0,
            ),
            row("emoji", "wet-16m-en", "rust", "scanner", 20000.0),
            row("emoji", "wet-16m-en", "pyo3", "scanner-bytes", 19800.0),
            row("emoji", "wet-16m-en", "baseline", "std-from-utf8", 19000.0),
        ]);
        let goals = evaluate(&Data::new(&store));
        let find = |text: &str| goals.iter().find(|g| g.goal.contains(text)).unwrap();
        // The fastest plain Rust loop, not a Python one: 900 / 1000.
        let rust = find("fastest plain Rust loop");
        assert_eq!(
            (rust.measured.as_ref().unwrap().0, rust.met()),
            (0.9, Some(false))
        );
        assert_eq!(find("plain msgspec").met(), Some(false));
        assert_eq!(find("(wet-16m-en): pyo3").met(), Some(true));
        assert_eq!(find("from_utf8").met(), Some(true));
        // Missing rows: not measured, neither met nor missed.
        assert_eq!(find("json/wat").met(), None);
        assert_eq!(find("emoji (wet-16m-emoji)").met(), None);
        let html = section(&Data::new(&store));
        assert!(
            html.contains("0.900×") && html.contains("not measured"),
            "{html}"
        );
    }

    #[test]
    fn the_pyo3_goal_reads_the_interleaved_pair_when_the_run_has_it() {
        let store = store_of([
            row("emoji", "wet-16m", "rust", "scanner", 20000.0),
            row("emoji", "wet-16m", "pyo3", "scanner-bytes", 20000.0),
            row("emoji", "wet-16m-en", "rust", "scanner", 20000.0),
            row("emoji", "wet-16m-en", "pyo3", "scanner-bytes", 15000.0),
            row("glue/paired", "emoji/wet-16m", "rust", "scanner", 20000.0),
            row(
                "glue/paired",
                "emoji/wet-16m",
                "pyo3",
                "scanner-bytes",
                18000.0,
            ),
        ]);
        let goals = evaluate(&Data::new(&store));
        let find = |text: &str| goals.iter().find(|g| g.goal.contains(text)).unwrap();
        let paired = find("(wet-16m): pyo3");
        assert!(paired.goal.contains("interleaved"), "{}", paired.goal);
        assert_eq!(
            (paired.measured.as_ref().unwrap().0, paired.met()),
            (0.9, Some(false))
        );
        let apart = find("(wet-16m-en): pyo3");
        assert!(apart.goal.contains("timed apart"), "{}", apart.goal);
        assert_eq!(apart.met(), Some(false));
    }

    #[test]
    fn the_cdxj_floor_goal_reads_its_interleaved_pair_when_the_run_has_it() {
        let store = store_of([
            row("json/cdxj", "cdxj-16m", "rust", "scanner", 2000.0),
            row("json/cdxj", "cdxj-16m", "baseline", "plain-scanner", 2000.0),
            row(
                "glue/paired",
                "json/cdxj/cdxj-16m",
                "rust",
                "scanner",
                1800.0,
            ),
            row(
                "glue/paired",
                "json/cdxj/cdxj-16m",
                "baseline",
                "plain-scanner",
                2000.0,
            ),
        ]);
        let goals = evaluate(&Data::new(&store));
        let g = goals
            .iter()
            .find(|g| g.goal.contains("plain Rust loop"))
            .unwrap();
        assert!(g.goal.contains("interleaved"), "{}", g.goal);
        assert_eq!(
            (g.measured.as_ref().unwrap().0, g.met()),
            (0.9, Some(false))
        );
    }

    #[test]
    fn a_pair_with_its_rounds_ratio_is_judged_by_it_not_by_the_ratio_of_its_medians() {
        let mut pyo3 = row(
            "glue/paired",
            "emoji/wet-16m",
            "pyo3",
            "scanner-bytes",
            19000.0,
        );
        pyo3.samples = Some(60);
        (
            pyo3.paired_ratio,
            pyo3.paired_ratio_lo,
            pyo3.paired_ratio_hi,
        ) = (Some(0.981), Some(0.975), Some(0.99));
        let store = store_of([
            row("glue/paired", "emoji/wet-16m", "rust", "scanner", 20000.0),
            pyo3,
        ]);
        let goals = evaluate(&Data::new(&store));
        let g = goals
            .iter()
            .find(|g| g.goal.contains("(wet-16m): pyo3"))
            .unwrap();
        let (x, rows) = g.measured.as_ref().unwrap();
        assert_eq!((*x, g.met()), (0.981, Some(true)));
        assert!(
            rows.contains("median of 60 rounds' ratios, 95% CI 0.975–0.990"),
            "{rows}"
        );
    }
}
