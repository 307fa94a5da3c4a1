//! "The JIT question": each Python tier's pick under every interpreter of the interpreter axis
//! (`GLUEBENCH_INTERPRETERS`, README), as its ratio to the rust pick, and how much of the
//! default interpreter's gap to Rust each interpreter closes. The Markdown is this HTML
//! converted (see [`super::markdown`]).

use super::{esc, num, tp, Data, TIERS};
use crate::manifest::Interpreter;
use crate::results::Row;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The command that makes the axis' rows.
pub const HOW: &str = "GLUEBENCH_INTERPRETERS=3.12,3.13,pypy3 cargo bench";

/// One tier under one interpreter.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// `slower`: times slower than the rust pick; `closes`: the share of the default
    /// interpreter's gap to Rust this one removes (none for the default itself); `unstable`:
    /// this row or the default's was flagged unstable in its run, so the share may be noise.
    Ratio {
        slower: f64,
        closes: Option<f64>,
        unstable: bool,
    },
    /// Not timed there (e.g. a package without a wheel for it), with why.
    Unavailable(String),
    /// No row.
    Missing,
}

/// A task's tiers (rows) under each interpreter (columns; the default first).
#[derive(Debug)]
pub struct Table {
    pub group: String,
    pub regime: String,
    pub tiers: Vec<(&'static str, Vec<Cell>)>,
}

/// The interpreters of the axis with rows in the store (the default, `""`, not among them).
pub fn axis(data: &Data) -> Vec<String> {
    let mut names: Vec<String> = data
        .store
        .rows
        .iter()
        .filter(|r| !r.interpreter.is_empty())
        .map(|r| r.interpreter.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A tier's pick under an interpreter (`""`: the default), whatever its status: the axis
/// run's own row (so every cell of a table compares rows of one run), or for the default
/// interpreter and Rust in a file whose axis run predates [`Row::axis`], the default run's.
fn pick<'a>(
    data: &Data<'a>,
    g: (&str, &str),
    regime: &str,
    tier: &str,
    i: &str,
) -> Option<&'a Row> {
    let of = |axis: bool| {
        data.store.rows.iter().find(move |r| {
            (r.task.as_str(), r.workload.as_str()) == g
                && r.regime == regime
                && r.sweep.is_empty()
                && r.tier == tier
                && r.pick
                && r.interpreter == i
                && (r.axis == axis || !i.is_empty())
        })
    };
    of(true).or_else(|| of(false))
}

/// The smallest gap to Rust (the default interpreter's ratio) whose closing is stated.
pub const MEANINGFUL_GAP: f64 = 1.25;

/// One cell: `row` against the rust pick, its gap against the default's.
pub fn cell(row: Option<&Row>, rust: Option<&Row>, default: Option<&Row>) -> Cell {
    let Some(row) = row else {
        return Cell::Missing;
    };
    if !row.is_measured() {
        let why = row.error.as_deref().unwrap_or("");
        return Cell::Unavailable(format!("{}: {why}", row.status));
    }
    let Some(rust) = rust.filter(|r| r.is_measured()) else {
        return Cell::Missing;
    };
    let slower = tp(rust) / tp(row);
    let gap = default
        .filter(|d| d.is_measured() && !std::ptr::eq(*d, row))
        .map(|d| tp(rust) / tp(d))
        // A gap within run-to-run noise (under 1.25x) has no share worth stating.
        .filter(|g| *g >= MEANINGFUL_GAP);
    let shaky = |r: &Row| r.unstable == Some(true);
    Cell::Ratio {
        slower,
        closes: gap.map(|g| (g - slower) / (g - 1.0)),
        unstable: shaky(row) || default.is_some_and(shaky),
    }
}

/// The tables, one per task/workload with rows on the axis, on the regime they were timed in.
pub fn tables(data: &Data) -> Vec<Table> {
    let axis = axis(data);
    let mut out = Vec::new();
    for (task, workload) in data.groups() {
        let g = (task.as_str(), workload.as_str());
        let Some(first) = data
            .store
            .rows
            .iter()
            .find(|r| (r.task.as_str(), r.workload.as_str()) == g && r.on_axis())
        else {
            continue;
        };
        let regime = first.regime.clone();
        let rust = pick(data, g, &regime, "rust", "");
        let mut tiers = Vec::new();
        for tier in TIERS.iter().filter(|t| **t != "rust") {
            let default = pick(data, g, &regime, tier, "");
            let cells: Vec<Cell> = std::iter::once("")
                .chain(axis.iter().map(String::as_str))
                .map(|i| cell(pick(data, g, &regime, tier, i), rust, default))
                .collect();
            if cells.iter().any(|c| *c != Cell::Missing) {
                tiers.push((*tier, cells));
            }
        }
        out.push(Table {
            group: crate::results::group_name(&task, &workload),
            regime,
            tiers,
        });
    }
    out
}

/// Every interpreter the store's runs describe, by name (the latest run's word wins).
pub fn interpreters(data: &Data) -> BTreeMap<String, Interpreter> {
    let mut out = BTreeMap::new();
    for m in data.store.runs.values() {
        out.extend(m.interpreters.clone());
    }
    out
}

pub fn section(data: &Data) -> String {
    let axis = axis(data);
    if axis.is_empty() {
        return format!(
            "<p class=\"note\">No rows of other interpreters yet: <code>{}</code> times the Python tiers under CPython 3.12, 3.13 and PyPy too (README, \"The JIT question\").</p>\n",
            esc(HOW)
        );
    }
    let known = interpreters(data);
    let default = known
        .iter()
        .find(|(_, i)| i.default)
        .map_or("default".to_string(), |(n, _)| format!("{n} (default)"));
    let mut h = String::from(
        "<p>Each Python tier's pick in each task's main regime under each interpreter: \
         <b>N×</b> is how many times slower than the rust pick it is; <b>closes</b> is the \
         share of the default interpreter's gap to Rust that the interpreter removes, \
         (R<sub>default</sub> − R) / (R<sub>default</sub> − 1) of the ratios R, negative \
         when it widens the gap (not stated where the default is within 1.25× of Rust: \
         that gap is noise); <b>unstable</b>: this row or the default's was flagged unstable \
         in its run, so a share closed may be run-to-run noise. The same code, criterion and in-process worker under each. Every \
         row of a table comes from one run of the axis (quick sampling), which times the \
         default interpreter and Rust again beside the others (a file from before that kept \
         them apart falls back to the default run's rows for those two).</p>\n\
         <table><tr><th>interpreter</th><th>implementation</th><th>executable</th><th>JIT</th></tr>",
    );
    for (name, i) in &known {
        let _ = write!(
            h,
            "<tr><td>{}{}</td><td>{} {}</td><td><code>{}</code></td><td>{}</td></tr>",
            esc(name),
            if i.default { " (default)" } else { "" },
            esc(&i.implementation),
            esc(&i.version),
            esc(&i.executable),
            esc(&i.jit)
        );
    }
    h += "</table>\n";
    for t in tables(data) {
        let _ = write!(
            h,
            "<h3><code>{}</code> on <code>{}</code></h3>\n<table><tr><th>tier</th><th>{}</th>",
            esc(&t.group),
            esc(&t.regime),
            esc(&default)
        );
        for name in &axis {
            let _ = write!(h, "<th>{}</th>", esc(name));
        }
        h += "</tr>";
        for (tier, cells) in &t.tiers {
            let _ = write!(h, "<tr><td>{tier}</td>");
            for c in cells {
                h += &match c {
                    Cell::Ratio {
                        slower,
                        closes,
                        unstable,
                    } => {
                        let mut notes: Vec<String> = closes
                            .iter()
                            .map(|c| format!("closes {:.0}%", c * 100.0))
                            .collect();
                        if *unstable {
                            notes.push("unstable".into());
                        }
                        let notes = if notes.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", notes.join("; "))
                        };
                        format!("<td class=\"n\">{}×{notes}</td>", num(*slower))
                    }
                    Cell::Unavailable(why) => {
                        format!("<td class=\"msg bad\">{}</td>", esc(why))
                    }
                    Cell::Missing => "<td>–</td>".to_string(),
                };
            }
            h += "</tr>";
        }
        h += "</table>\n";
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_row as row;
    use crate::results::Store;

    #[test]
    fn without_axis_rows_the_section_says_how_to_make_them() {
        let mut store = Store::new();
        store.rows.push(row("emoji", "rust", "scanner", 1000.0));
        let s = section(&Data::new(&store));
        assert!(s.contains(HOW) && !s.contains("<table"), "{s}");
    }

    #[test]
    fn ratios_and_the_gap_each_interpreter_closes() {
        let mut store = Store::new();
        let on = |mut r: Row, i: &str| {
            r.interpreter = i.into();
            r
        };
        store.rows.push(row("json/cdxj", "rust", "serde", 1000.0));
        store.rows.push(row("json/cdxj", "pure", "rd", 10.0)); // 100x
        store
            .rows
            .push(on(row("json/cdxj", "pure", "rd", 100.0), "pypy-3.9.16")); // 10x
        store
            .rows
            .push(on(row("json/cdxj", "pure", "rd", 5.0), "cpython-3.13.0")); // 200x
        let mut gone = on(row("json/cdxj", "ecosystem", "orjson", 0.0), "pypy-3.9.16");
        gone.status = "unavailable".into();
        gone.error = Some("cannot import ecosystem: No module named 'orjson'".into());
        gone.median_ns = None;
        store.rows.push(gone);
        let data = Data::new(&store);
        assert_eq!(axis(&data), ["cpython-3.13.0", "pypy-3.9.16"]);
        let t = &tables(&data)[0];
        assert_eq!((t.group.as_str(), t.regime.as_str()), ("json/cdxj", "d"));
        let (tier, cells) = &t.tiers[0];
        assert_eq!(*tier, "pure");
        let ratio = |c: &Cell| match c {
            Cell::Ratio { slower, closes, .. } => {
                (slower.round(), closes.map(|c| (c * 100.0).round()))
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(
            ratio(&cells[0]),
            (100.0, None),
            "the default is the reference"
        );
        assert_eq!(
            ratio(&cells[1]),
            (200.0, Some(-101.0)),
            "3.13 widens the gap"
        );
        assert_eq!(ratio(&cells[2]), (10.0, Some(91.0)), "pypy closes 90 of 99");
        // A default row flagged unstable in its run: every share against it says so.
        let mut shaky = store.clone();
        shaky.rows[1].unstable = Some(true);
        let shaky_data = Data::new(&shaky);
        assert!(matches!(
            tables(&shaky_data)[0].tiers[0].1[2],
            Cell::Ratio { unstable: true, .. }
        ));
        assert!(section(&shaky_data).contains("10.0× (closes 91%; unstable)"));
        let (tier, cells) = &t.tiers[1];
        assert_eq!(*tier, "ecosystem");
        assert!(matches!(&cells[2], Cell::Unavailable(why) if why.contains("orjson")));
        let html = section(&data);
        assert!(
            html.contains("closes 91%") && html.contains("No module named"),
            "{html}"
        );
        // The other sections do not see the axis' rows.
        assert_eq!(data.rows().count(), 2);
    }

    #[test]
    fn the_axis_runs_own_default_and_rust_rows_come_before_the_default_runs() {
        let mut store = Store::new();
        let axis = |mut r: Row, i: &str| {
            (r.interpreter, r.axis) = (i.into(), true);
            r
        };
        store.upsert(row("emoji", "rust", "scanner", 1000.0)); // the default run
        store.upsert(row("emoji", "pure", "loop", 10.0));
        store.upsert(axis(row("emoji", "rust", "scanner", 500.0), "")); // the axis run
        store.upsert(axis(row("emoji", "pure", "loop", 5.0), ""));
        store.upsert(axis(row("emoji", "pure", "loop", 50.0), "pypy-3.9.16"));
        assert_eq!(
            store.rows.len(),
            5,
            "the axis run's rows do not replace the default run's"
        );
        let data = Data::new(&store);
        let cells = &tables(&data)[0].tiers[0].1;
        let slower = |c: &Cell| match c {
            Cell::Ratio { slower, .. } => slower.round(),
            other => panic!("{other:?}"),
        };
        // 500 / 5 and 500 / 50: the axis run's Rust, not the default run's 1000.
        assert_eq!((slower(&cells[0]), slower(&cells[1])), (100.0, 10.0));
        assert_eq!(
            data.rows().count(),
            2,
            "the other sections read the default run"
        );
    }
}
