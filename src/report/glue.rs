//! The `glue` section: what crossing between Python and Rust costs.

use super::html::status_cell;
use super::{esc, num, tp, Data};
use crate::results::Row;
use std::fmt::Write;

/// ns per call of a glue/calls row: each timed call makes `units` calls.
fn ns_per_call(r: &Row) -> Option<f64> {
    Some(r.median_ns? / r.units.max(1) as f64)
}

/// A variant outside sweeps, from the default regime when it was measured there (so the rows a
/// table sets side by side share their input), else from any regime.
fn find<'a>(data: &Data<'a>, task: &str, workload: &str, id: &str) -> Option<&'a Row> {
    let all: Vec<&Row> = data
        .plain(task, workload)
        .filter(|r| r.id() == id)
        .collect();
    let regime = data.default_regime(task, workload);
    all.iter()
        .find(|r| Some(&r.regime) == regime.as_ref())
        .or(all.first())
        .copied()
}

/// Per-call costs of the glue, per-object conversion, and imports.
pub fn section(data: &Data) -> String {
    let mut h = String::from("<h3>Calls</h3>");
    let calls = [
        "pure/py-call",
        "pyo3/noop",
        "pyo3/bytes-arg",
        "pyo3/str-arg",
        "rust/noop",
        "rust/bytes-arg",
    ];
    let py = find(data, "glue", "calls", "pure/py-call")
        .filter(|r| r.is_measured())
        .and_then(ns_per_call);
    let found: Vec<&Row> = calls
        .iter()
        .filter_map(|v| find(data, "glue", "calls", v))
        .collect();
    if found.is_empty() {
        h += "<p class=\"note\">not measured yet: no rows of task glue, workload calls.</p>";
    } else {
        h += "<table><tr><th>variant</th><th>ns per call</th><th>over a Python call</th><th>status</th></tr>\n";
        for r in found {
            let ns = ns_per_call(r).filter(|_| r.is_measured());
            let over = match (ns, py) {
                (Some(n), Some(p)) if r.tier == "pyo3" => {
                    format!("{}{} ns", if n >= p { "+" } else { "" }, num(n - p))
                }
                _ => "–".into(),
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{over}</td><td>{}</td></tr>",
                esc(&r.id()),
                ns.map_or("–".into(), num),
                status_cell(r)
            );
        }
        h += "</table>\n";
    }
    h += &paired(data);
    h += "<h3>Per-object conversion</h3><p>ns per KiB of input, same regime: what crossing the glue costs per amount of data.</p>";
    for (group, task, workload, ids) in [
        (
            "json/cdxj",
            "json",
            "cdxj",
            ["pyo3/tuples", "pyo3/dicts", "rust/scanner"],
        ),
        (
            "emoji",
            "emoji",
            "emoji",
            ["pyo3/scanner-bytes", "pyo3/scanner-str", "rust/scanner"],
        ),
    ] {
        let _ = writeln!(
            h,
            "<table><tr><th>{group}</th><th>dataset</th><th>ns per input KiB</th></tr>"
        );
        let mut per_kib = Vec::new();
        for id in ids {
            let r = find(data, task, workload, id).filter(|r| r.is_measured());
            let cell = r.and_then(|r| Some(r.median_ns? / (r.input_bytes as f64 / 1024.0)));
            per_kib.push(cell);
            let _ = writeln!(
                h,
                "<tr><td>{id}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                r.map_or("–".into(), |r| esc(&r.dataset)),
                cell.map_or("not measured".into(), num)
            );
        }
        // The first two differ only in what crosses the glue: their difference is the cost of
        // the richer objects, set against the third (the native work itself).
        if let [Some(a), Some(b), Some(native)] = per_kib[..] {
            let _ = writeln!(
                h,
                "<tr><td><i>{} − {}</i></td><td></td><td class=\"n\">{} ({}× {})</td></tr>",
                ids[1],
                ids[0],
                num(b - a),
                num((b - a) / native),
                ids[2]
            );
        }
        h += "</table>\n";
    }
    h += "<h3>Imports</h3>";
    let imports = [
        "import-hook/first-import",
        "import-hook/cached-import",
        "maturin/import",
    ];
    let rows: Vec<&Row> = imports
        .iter()
        .filter_map(|v| find(data, "glue", "import", v))
        .collect();
    if rows.is_empty() {
        h += "<p class=\"note\">not measured yet: no rows of task glue, workload import.</p>";
    } else {
        h += "<table><tr><th>variant</th><th>seconds per import</th><th>status</th></tr>\n";
        for r in rows {
            let s = r
                .median_ns
                .filter(|_| r.is_measured())
                .map(|ns| ns / 1e9 / r.units.max(1) as f64);
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                esc(&r.id()),
                s.map_or("–".into(), num),
                status_cell(r)
            );
        }
        h += "</table>\n";
    }
    let hook = find(data, "emoji", "emoji", "pyo3/import-hook").filter(|r| r.is_measured());
    let bytes = find(data, "emoji", "emoji", "pyo3/scanner-bytes").filter(|r| r.is_measured());
    if let (Some(a), Some(b)) = (hook, bytes) {
        let _ = write!(
            h,
            "<p>emoji through the import hook: {} MB/s, the maturin-built <code>pyo3/scanner-bytes</code>: {} MB/s ({}×).</p>",
            num(tp(a)),
            num(tp(b)),
            num(tp(a) / tp(b))
        );
    }
    h
}

/// The same Rust natively and through PyO3 (`glue/paired`): the two picks timed interleaved,
/// batch by batch on one CPU, next to the same ratio from the task's own benchmarks.
fn paired(data: &Data) -> String {
    let mut h = String::from(
        "<h3>The same Rust, natively and through PyO3</h3><p>The <code>rust</code> pick and the \
         <code>pyo3</code> pick (the same code in a Python extension, borrowing the input) timed \
         interleaved: rounds of one batch of each (a warm-up call, then about 25 ms of calls), \
         the order alternating, harness and Python worker pinned to one CPU. Timed apart, in \
         the task's own benchmarks minutes from each other, the two differ by as much as the \
         machine drifts in between (before those were pinned too, by which of the 2 vCPUs the \
         scheduler chose: one once ran the same loop 1.4× slower than the other); \
         interleaved, what is left is the glue. The ratio is paired: each round's two batches \
         ran back to back, so the median of the rounds' ratios (with its 95% interval) is \
         what a slow minute of the machine moves least.</p>",
    );
    // The pairs of the same Rust (a pyo3 side); a pick against its plain loop is a speed goal's.
    let regimes: Vec<String> = data
        .regimes("glue", "paired")
        .into_iter()
        .filter(|g| {
            data.plain("glue", "paired")
                .any(|r| r.regime == *g && r.tier == "pyo3")
        })
        .collect();
    if regimes.is_empty() {
        h += "<p class=\"note\">not measured in these results: no rows of glue/paired.</p>";
        return h;
    }
    h += "<table><tr><th>task</th><th>dataset</th><th>rust ms per call</th><th>pyo3 ms per call</th>\
          <th>pyo3 / rust, interleaved <small>(median of the rounds' ratios, 95% CI)</small></th><th>timed apart</th><th>status</th></tr>\n";
    for regime in regimes {
        let Some((task, dataset)) = regime.rsplit_once('/') else {
            continue;
        };
        let (t, w) = crate::results::split_group(task);
        let side = |tier| data.pick("glue", "paired", &regime, tier);
        let apart = |tier| data.pick(&t, &w, dataset, tier);
        let ms = |r: Option<&Row>| {
            r.and_then(|r| {
                let (m, lo, hi) = (r.median_ns?, r.median_lo_ns?, r.median_hi_ns?);
                Some(format!(
                    "{} <small>({}–{}) {}</small>",
                    num(m / 1e6),
                    num(lo / 1e6),
                    num(hi / 1e6),
                    esc(&r.variant)
                ))
            })
            .unwrap_or_else(|| "–".into())
        };
        let ratio = |a: Option<&Row>, b: Option<&Row>| {
            a.zip(b)
                .map_or("–".into(), |(a, b)| format!("{}×", num(tp(a) / tp(b))))
        };
        // The pair's own ratio, round by round, where the rows have it.
        let paired = |a: Option<&Row>, b: Option<&Row>| match a.and_then(Row::paired) {
            Some([x, lo, hi]) => format!("{}× <small>({}–{})</small>", num(x), num(lo), num(hi)),
            None => ratio(a, b),
        };
        let status = data
            .plain("glue", "paired")
            .filter(|r| r.regime == regime && !r.is_measured())
            .map(status_cell)
            .collect::<Vec<_>>();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(task),
            esc(dataset),
            ms(side("rust")),
            ms(side("pyo3")),
            paired(side("pyo3"), side("rust")),
            ratio(apart("pyo3"), apart("rust")),
            if status.is_empty() { "ok".into() } else { status.join("; ") }
        );
    }
    h += "</table>\n";
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_row;
    use crate::results::Store;

    #[test]
    fn the_pair_sets_the_interleaved_ratio_beside_the_one_timed_apart() {
        let mut store = Store::new();
        let mut add = |group: &str, regime: &str, tier: &str, variant: &str, mbps: f64| {
            let mut r = test_row(group, tier, variant, mbps);
            (r.regime, r.dataset, r.pick) = (regime.into(), regime.into(), true);
            store.upsert(r);
        };
        add("emoji", "wet-16m-en", "rust", "scanner", 20000.0);
        add("emoji", "wet-16m-en", "pyo3", "scanner-bytes", 15000.0);
        add(
            "glue/paired",
            "emoji/wet-16m-en",
            "rust",
            "scanner",
            20000.0,
        );
        add(
            "glue/paired",
            "emoji/wet-16m-en",
            "pyo3",
            "scanner-bytes",
            19000.0,
        );
        add(
            "glue/paired",
            "json/cdxj/cdxj-16m",
            "rust",
            "scanner",
            2000.0,
        );
        add(
            "glue/paired",
            "json/cdxj/cdxj-16m",
            "baseline",
            "plain-scanner",
            2100.0,
        );
        let h = paired(&Data::new(&store));
        assert!(h.contains("<td>emoji</td><td>wet-16m-en</td>"), "{h}");
        assert!(h.contains("0.950×") && h.contains("0.750×"), "{h}");
        assert!(
            !h.contains("cdxj"),
            "a pick against its plain loop is not a glue pair: {h}"
        );
        assert!(paired(&Data::new(&Store::new())).contains("not measured"));
    }
}
