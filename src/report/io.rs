//! The I/O section: `fetch` (requests per second over latency x concurrency, every client,
//! the server's capacity, the speed goals) and the `pipeline` (per-stage Amdahl
//! breakdown).
//!
//! Fetch rows: dataset `lat<ms>-c<n>` (a slow client's rows `lat<ms>-c<n>-small`: the first 200
//! ranges only; same regime otherwise), throughput in requests per second (units are
//! requests), `input_bytes` the body bytes one call fetches; the server's capacity is the row
//! `baseline/server-capacity` on `lat0-c64` (a load generator, not a tier).

use super::html::status_cell;
use super::{esc, num, tp, Data};
use crate::results::Row;
use std::collections::BTreeMap;
use std::fmt::Write;

/// (latency ms, concurrency, ranges limited) of a fetch row's dataset.
pub fn cell(dataset: &str) -> Option<(u64, u64, bool)> {
    let (l, rest) = dataset.strip_prefix("lat")?.split_once("-c")?;
    let (c, limited) = match rest.split_once('-') {
        Some((c, _)) => (c, true),
        None => (rest, false),
    };
    Some((l.parse().ok()?, c.parse().ok()?, limited))
}

/// Requests per second of a measured row.
pub fn rps(r: &Row) -> f64 {
    tp(r) * 1e6
}

/// The best request rate a client can reach at this latency and concurrency (each request
/// waits `latency` at least): `None` at 0 ms.
pub fn ceiling(latency_ms: u64, concurrency: u64) -> Option<f64> {
    (latency_ms > 0).then(|| concurrency as f64 * 1000.0 / latency_ms as f64)
}

fn mbps(r: &Row) -> Option<f64> {
    let ns = r.median_ns?;
    (r.input_bytes > 0).then(|| r.input_bytes as f64 * 1e3 / ns)
}

pub fn section(data: &Data) -> String {
    let rows: Vec<&Row> = data
        .rows()
        .filter(|r| r.task == "fetch" && r.sweep.is_empty())
        .collect();
    let mut h = String::from("<h3>Fetch: requests per second, latency × concurrency</h3>");
    if !rows.iter().any(|r| r.is_measured()) {
        h += "<p class=\"note\">not measured yet: run <code>cargo bench -- fetch</code>.</p>";
    } else {
        h += &grid(&rows);
        h += &clients(&rows);
        h += &goals(&rows, data);
    }
    h += "<h3>Pipeline: per-stage Amdahl breakdown</h3>";
    h += &super::pipeline::section(data);
    h
}

/// One client's rows by (latency, concurrency).
type Cells<'a> = BTreeMap<(u64, u64), &'a Row>;

/// Each tier's pick over the grid, with the ceiling at 20 ms and the server's capacity.
fn grid(rows: &[&Row]) -> String {
    let mut cells: Vec<(u64, u64)> = rows
        .iter()
        .filter(|r| r.tier != "baseline")
        .filter_map(|r| cell(&r.dataset).filter(|c| !c.2).map(|c| (c.0, c.1)))
        .collect();
    cells.sort();
    cells.dedup();
    let mut picks: BTreeMap<(usize, String), Cells> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.pick && r.tier != "baseline") {
        if let Some((l, c, false)) = cell(&r.dataset) {
            picks
                .entry((super::tier_rank(&r.tier), r.id()))
                .or_default()
                .insert((l, c), r);
        }
    }
    let mut h = String::from(
        "<p>Every tier's pick fetches the same ranges (gzip members of the generated WARC \
         files, as a CDXJ index lists them) from gluebench's own server on 127.0.0.1, which adds \
         the latency to every response. Requests per second, median of criterion's samples; the \
         20 ms columns fetch fewer ranges per call (the rate does not depend on it). The naive \
         tier is sequential by design (urllib, one range at a time): at 20 ms it is timed with \
         one request in flight only.</p>\
         <table><tr><th>tier / client</th>",
    );
    for (l, c) in &cells {
        let _ = write!(h, "<th>{l} ms, c{c}</th>");
    }
    h += "</tr>\n";
    let best: BTreeMap<(u64, u64), f64> = cells
        .iter()
        .map(|k| {
            let top = picks
                .values()
                .filter_map(|m| m.get(k))
                .filter(|r| r.is_measured())
                .map(|r| rps(r))
                .fold(0.0, f64::max);
            (*k, top)
        })
        .collect();
    for ((_, id), m) in &picks {
        let _ = write!(h, "<tr><td>{}</td>", esc(id));
        for k in &cells {
            let _ = match m.get(k) {
                Some(r) if r.is_measured() => {
                    let v = rps(r);
                    let share = v / best[k].max(f64::MIN_POSITIVE);
                    write!(
                        h,
                        "<td class=\"n\" style=\"background:rgba(0,114,178,{:.2})\">{}</td>",
                        0.05 + 0.5 * share,
                        num(v)
                    )
                }
                Some(r) => write!(h, "<td>{}</td>", status_cell(r)),
                None => write!(h, "<td>–</td>"),
            };
        }
        h += "</tr>\n";
    }
    h += "<tr><td><i>ceiling: concurrency / latency</i></td>";
    for (l, c) in &cells {
        let _ = write!(
            h,
            "<td class=\"n\">{}</td>",
            ceiling(*l, *c).map_or("–".into(), num)
        );
    }
    h += "</tr>\n<tr><td><i>the server under a load generator</i></td>";
    let capacity = capacity(rows);
    for (l, c) in &cells {
        let _ = match capacity {
            Some(r) if (*l, *c) == (0, 64) => write!(h, "<td class=\"n\">{}</td>", num(rps(r))),
            _ => write!(h, "<td>–</td>"),
        };
    }
    h += "</tr></table>\n";
    h
}

fn capacity<'a>(rows: &[&'a Row]) -> Option<&'a Row> {
    rows.iter()
        .copied()
        .find(|r| r.tier == "baseline" && r.variant == "server-capacity" && r.is_measured())
}

/// Every client at the default regime (0 ms, c16): the ecosystem's many clients side by side.
fn clients(rows: &[&Row]) -> String {
    let mut at: Vec<&Row> = rows
        .iter()
        .copied()
        .filter(|r| r.tier != "baseline")
        .filter(|r| matches!(cell(&r.dataset), Some((0, 16, _))))
        .collect();
    at.sort_by(|a, b| rps(b).total_cmp(&rps(a)));
    let mut h = String::from(
        "<p>Every client at 0 ms and 16 requests in flight (a client marked small fetched the \
         first 200 ranges only: it is too slow for all 2,000).</p><table><tr><th>client</th>\
         <th>requests/s</th><th>MB/s</th><th>status</th></tr>\n",
    );
    for r in at {
        let limited = cell(&r.dataset).is_some_and(|c| c.2);
        let _ = writeln!(
            h,
            "<tr><td>{}{}{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&r.id()),
            if r.pick { " *" } else { "" },
            if limited { " (small)" } else { "" },
            if r.is_measured() {
                num(rps(r))
            } else {
                "–".into()
            },
            mbps(r).filter(|_| r.is_measured()).map_or("–".into(), num),
            status_cell(r)
        );
    }
    h += "</table>\n";
    h
}

/// The speed goals for fetch, measured: met or not.
fn goals(rows: &[&Row], data: &Data) -> String {
    let pick = |tier: &str, l: u64, c: u64| {
        rows.iter().copied().find(|r| {
            r.pick && r.tier == tier && r.is_measured() && cell(&r.dataset) == Some((l, c, false))
        })
    };
    let mut lines: Vec<(String, String, Option<bool>)> = Vec::new();
    for c in [1, 16, 64] {
        let ratio = pick("rust", 0, c)
            .zip(pick("hotpath", 0, c))
            .map(|(r, h)| rps(r) / rps(h));
        lines.push((
            format!("0 ms, c{c}: rust ≥ 5× hotpath"),
            ratio.map_or("not measured".into(), |x| format!("{}×", num(x))),
            ratio.map(|x| x >= 5.0),
        ));
    }
    for c in [16, 64] {
        let cap = ceiling(20, c).unwrap_or(1.0);
        let shares: Vec<(String, f64)> = ["pure", "hotpath", "ecosystem", "pyo3", "rust"]
            .iter()
            .filter_map(|t| pick(t, 20, c).map(|r| (t.to_string(), rps(r) / cap)))
            .collect();
        let worst = shares.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
        lines.push((
            format!(
                "20 ms, c{c}: every concurrent tier ≥ 0.85 of the ceiling ({})",
                num(cap)
            ),
            if shares.is_empty() {
                "not measured".into()
            } else {
                shares
                    .iter()
                    .map(|(t, s)| format!("{t} {s:.2}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            (!shares.is_empty()).then_some(worst >= 0.85),
        ));
    }
    let fastest = rows
        .iter()
        .filter(|r| r.tier != "baseline" && r.is_measured())
        .filter(|r| matches!(cell(&r.dataset), Some((0, _, false))))
        .max_by(|a, b| rps(a).total_cmp(&rps(b)));
    let headroom = capacity(rows)
        .zip(fastest)
        .map(|(s, f)| (rps(s) / rps(f), f));
    lines.push((
        "the server ≥ 1.5× the fastest client at 0 ms".into(),
        headroom.map_or("not measured".into(), |(x, f)| {
            format!("{}× ({} on {})", num(x), esc(&f.id()), esc(&f.dataset))
        }),
        headroom.map(|(x, _)| x >= 1.5),
    ));
    // The same goal from the server's CPU cost: the load generator is not in it. The server
    // runs a thread per core, at most 4 (`ServerConfig::threads`).
    let per_core = rows
        .iter()
        .find(|r| r.tier == "baseline" && r.variant == "server-per-core" && r.is_measured());
    let from_cpu = per_core.zip(fastest).map(|(p, f)| {
        let threads = data
            .store
            .runs
            .get(&p.run)
            .map_or(1, |m| m.cores.clamp(1, 4));
        (rps(p), threads, rps(p) * threads as f64 / rps(f), f)
    });
    lines.push((
        "the server ≥ 1.5× the fastest client at 0 ms, from its CPU time per request".into(),
        from_cpu.map_or("not measured".into(), |(per_core, threads, x, f)| {
            format!(
                "{}× ({} req/s per core × {threads} threads, against {} on {}; \
                 {} µs of CPU per request)",
                num(x),
                num(per_core),
                esc(&f.id()),
                esc(&f.dataset),
                num(1e6 / per_core)
            )
        }),
        from_cpu.map(|(_, _, x, _)| x >= 1.5),
    ));
    let mut h = String::from(
        "<p>The issue's speed goals (figures measured with nginx on this machine), against \
         this run:</p><table><tr><th>goal</th><th>measured</th><th></th></tr>\n",
    );
    for (goal, measured, met) in lines {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{measured}</td><td>{}</td></tr>",
            esc(&goal),
            super::goals::met_cell(met)
        );
    }
    h += "</table>\n";
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_row as row;
    use crate::results::Store;

    fn fetch(ds: &str, tier: &str, v: &str, rps: f64) -> Row {
        let mut r = row("fetch", tier, v, rps / 1e6);
        r.dataset = ds.into();
        r.regime = ds.into();
        r.unit = "requests".into();
        r
    }

    #[test]
    fn cells_parse() {
        assert_eq!(cell("lat20-c16"), Some((20, 16, false)));
        assert_eq!(cell("lat0-c16-small"), Some((0, 16, true)));
        assert_eq!(cell("wet-16m"), None);
    }

    #[test]
    fn placeholder_then_grid_clients_and_goals() {
        let empty = Store::new();
        assert!(section(&Data::new(&empty)).contains("not measured yet"));
        let mut store = Store::new();
        store.rows = vec![
            fetch("lat0-c16", "rust", "reqwest", 40_000.0),
            fetch("lat0-c16", "hotpath", "http.client", 7_000.0),
            fetch("lat0-c16-small", "ecosystem", "httpx", 500.0),
            fetch("lat20-c16", "rust", "reqwest", 790.0),
            fetch("lat20-c16", "hotpath", "http.client", 600.0),
            fetch("lat0-c64", "baseline", "server-capacity", 90_000.0),
            fetch("lat0-c64", "baseline", "server-per-core", 66_000.0),
        ];
        store.rows[2].pick = false;
        let h = section(&Data::new(&store));
        assert!(
            h.contains("<th>20 ms, c16</th>") && h.contains("rust/reqwest"),
            "{h}"
        );
        assert!(h.contains("800"), "the ceiling at 20 ms, c16: {h}");
        assert!(h.contains("ecosystem/httpx (small)"), "{h}");
        assert!(h.contains("5.71×"), "rust over hotpath at c16: {h}");
        // No manifest for the run: one server thread, 66k per core against the fastest 40k.
        assert!(
            h.contains("1.65× (66,000 req/s per core × 1 threads"),
            "the goal from the server's CPU time: {h}"
        );
        assert!(h.contains("hotpath 0.75"), "the share of the ceiling: {h}");
        assert!(h.contains("2.25×"), "server over the fastest client: {h}");
    }
}
