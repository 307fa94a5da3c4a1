//! The `glue` section (what crossing between Python and Rust costs) and the `io` section
//! (fetch and pipeline, placeholders until those tasks exist).

use super::html::status_cell;
use super::verdicts;
use super::{esc, num, tp, Data};
use crate::results::Row;
use std::collections::BTreeMap;
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
    h += "<h3>Per-object conversion</h3><p>ns per KiB of input, same regime: what crossing the glue costs per amount of data.</p>";
    for (group, task, workload, ids) in [
        (
            "json/cdxj",
            "json",
            "cdxj",
            ["pyo3/tuples", "pyo3/dicts", "rust/serde-typed"],
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

/// Fetch rows (task `fetch`, issue 9) follow this convention: dataset `lat<ms>-c<n>` for a
/// simulated latency of `<ms>` milliseconds and `<n>` concurrent requests, one variant per
/// client (`tier/variant`, `…-unpooled` for a client without a connection pool), throughput in
/// requests per second. Pipeline rows (task `pipeline`): tiers `hotpath` (all Python) and `pyo3`
/// (stages in Rust), each with variant `e2e` (the whole pipeline) and `stage-<name>` per stage
/// (that stage alone on the same input), so stage shares and Amdahl's law can be computed.
pub fn io(data: &Data) -> String {
    let mut h = String::from("<h3>Fetch: latency × concurrency</h3>");
    let fetch: Vec<&Row> = data
        .rows()
        .filter(|r| r.task == "fetch" && r.is_measured())
        .collect();
    if fetch.is_empty() {
        h += "<p class=\"note\">not measured yet: the fetch task (issue 9) will fill this.</p>";
    } else {
        h += &fetch_grid(&fetch);
    }
    h += "<h3>Pipeline: per-stage Amdahl breakdown</h3>";
    let stages: Vec<&Row> = data
        .rows()
        .filter(|r| r.task == "pipeline" && r.is_measured())
        .collect();
    if stages.is_empty() {
        h += "<p class=\"note\">not measured yet: the pipeline task will fill this.</p>";
        return h;
    }
    h += "<table><tr><th>stage</th><th>hotpath ms</th><th>share</th><th>pyo3 ms</th><th>stage speedup</th></tr>\n";
    let t = |tier: &str, v: &str| {
        stages
            .iter()
            .find(|r| r.tier == tier && r.variant == v)
            .and_then(|r| r.median_ns)
    };
    let total: f64 = stages
        .iter()
        .filter(|r| r.tier == "hotpath" && r.variant.starts_with("stage-"))
        .filter_map(|r| r.median_ns)
        .sum();
    for r in stages
        .iter()
        .filter(|r| r.tier == "hotpath" && r.variant.starts_with("stage-"))
    {
        let hot = r.median_ns.unwrap_or(0.0);
        let p = t("pyo3", &r.variant);
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.0}%</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&r.variant),
            num(hot / 1e6),
            hot / total * 100.0,
            p.map_or("–".into(), |p| num(p / 1e6)),
            p.map_or("–".into(), |p| format!("{}×", num(hot / p)))
        );
    }
    h += "</table>";
    if let Some((m, p)) = verdicts::amdahl(data) {
        let _ = write!(
            h,
            "<p>End to end: measured speedup {}×, Amdahl's prediction {}×.</p>",
            num(m),
            num(p)
        );
    }
    h
}

/// One table per client: latency rows × concurrency columns, cells shaded by throughput.
fn fetch_grid(rows: &[&Row]) -> String {
    let parse = |ds: &str| -> Option<(u64, u64)> {
        let (l, c) = ds.strip_prefix("lat")?.split_once("-c")?;
        Some((l.parse().ok()?, c.parse().ok()?))
    };
    let mut clients: BTreeMap<String, BTreeMap<(u64, u64), f64>> = BTreeMap::new();
    for r in rows {
        if let Some(k) = parse(&r.dataset) {
            clients.entry(r.id()).or_default().insert(k, tp(r));
        }
    }
    let max = rows
        .iter()
        .map(|r| tp(r))
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let mut h = String::new();
    for (client, cells) in clients {
        let lats: std::collections::BTreeSet<u64> = cells.keys().map(|k| k.0).collect();
        let concs: std::collections::BTreeSet<u64> = cells.keys().map(|k| k.1).collect();
        let _ = write!(h, "<table><tr><th>{} (M requests/s)</th>", esc(&client));
        for c in &concs {
            let _ = write!(h, "<th>c{c}</th>");
        }
        h += "</tr>\n";
        for l in &lats {
            let _ = write!(h, "<tr><th>{l} ms</th>");
            for c in &concs {
                let _ = match cells.get(&(*l, *c)) {
                    Some(v) => write!(
                        h,
                        "<td class=\"n\" style=\"background:rgba(0,114,178,{:.2})\">{}</td>",
                        0.1 + 0.6 * v / max,
                        num(*v)
                    ),
                    None => write!(h, "<td>–</td>"),
                };
            }
            h += "</tr>\n";
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
    fn io_placeholders_then_the_fetch_grid() {
        let empty = Store::new();
        let h = io(&Data::new(&empty));
        assert!(h.contains("not measured yet: the fetch task (issue 9) will fill this"));
        let mut store = Store::new();
        for (ds, rps) in [
            ("lat0-c1", 0.002),
            ("lat0-c16", 0.03),
            ("lat20-c1", 0.00005),
        ] {
            let mut r = row("fetch", "rust", "reqwest", rps);
            r.dataset = ds.into();
            store.rows.push(r);
        }
        let h = io(&Data::new(&store));
        assert!(!h.contains("issue 9"));
        assert!(
            h.contains("rust/reqwest")
                && h.contains("<th>c16</th>")
                && h.contains("<th>20 ms</th>")
        );
        assert_eq!(
            h.matches("<td>–</td>").count(),
            1,
            "lat20-c16 not measured: {h}"
        );
    }
}
