//! The page: one self-contained HTML file (inline CSS and SVG, no script, no fetches).

use super::charts::{self, Bar, DotRow, Series};
use super::compare::{self, Comparison};
use super::fit::{self, Fit};
use super::verdicts;
use super::{
    esc, expectation, num, tier_color, tier_rank, tp, tp_ci, Data, Options, PAVED_BELOW, TIERS,
};
use crate::results::{Row, Store};
use std::collections::BTreeMap;
use std::fmt::Write;

const CSS: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:0 auto;max-width:1100px;padding:0 1rem 3rem;color:#222;line-height:1.45}
header{border-bottom:1px solid #ccc;margin-bottom:1rem}
nav a{margin-right:.8rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f4f4f4}
svg{max-width:100%;height:auto}
figure.chart{margin:1rem 0}
figcaption{font-size:.9rem;color:#444}
.chip{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;vertical-align:middle;margin:0 .25rem 0 .6rem}
.paved{background:#e3f4ee}.unpaved{background:#fcefd9}
.Confirmed{background:#d8f0d8}.Refuted{background:#f6d5d5}.Not-shown{background:#eee}
.warn{border-left:4px solid #d55e00;background:#fff4ec;padding:.5rem .8rem}
.note{color:#555;font-style:italic}
.bad{color:#a00}
code{font-size:.9em}
"#;

/// Builds the whole page in memory.
pub fn page(store: &Store, baseline: Option<&Store>, opts: &Options, generated: &str) -> String {
    let data = Data::new(store);
    let mut sections: Vec<(&str, &str, String)> = vec![
        (
            "headline",
            "Headline: paved and unpaved paths",
            headline(&data),
        ),
        ("tasks", "Tasks", tasks(&data)),
        ("glue", "Glue costs", glue(&data)),
        ("io", "I/O: fetch and pipeline", io(&data)),
        (
            "tutorial",
            "Tutorial",
            super::tutorial::section(crate::bootstrap::root()),
        ),
        ("verdicts", "Verdicts", verdicts_html(&data)),
    ];
    if let Some(old) = baseline {
        let path = opts
            .baseline
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        sections.push((
            "changes",
            "Changes since the baseline",
            changes(&compare::compare(store, old), &path),
        ));
    }
    sections.push(("scale", "Scale", super::scale::section(store)));
    sections.push(("environment", "Environment", environment(store)));

    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>gluebench report</title><style>{CSS}</style></head><body>\n<header><h1>gluebench: when is Python's hot path as good as Rust?</h1>\
         <p>Generated {generated} from <code>{}</code>: {} rows from {} run(s).</p><nav>",
        esc(&opts.results.display().to_string()),
        store.rows.len(),
        store.runs.len()
    );
    for (id, title, _) in &sections {
        let _ = write!(h, "<a href=\"#{id}\">{}</a>", esc(title));
    }
    h += "</nav>";
    h += &legend();
    h += "</header>\n";
    for w in machine_mix(store) {
        let _ = writeln!(h, "<p class=\"warn\">{}</p>", esc(&w));
    }
    for (id, title, body) in sections {
        // The tutorial and scale sections come from other modules: accept a whole section or
        // only its body.
        if body.contains(&format!("<section id=\"{id}\"")) {
            h += &body;
        } else {
            let body = if body.trim().is_empty() {
                "<p class=\"note\">Not written yet.</p>".to_string()
            } else {
                body
            };
            let _ = writeln!(
                h,
                "<section id=\"{id}\"><h2>{}</h2>\n{body}</section>",
                esc(title)
            );
        }
    }
    h += "</body></html>\n";
    h
}

fn legend() -> String {
    let mut s = String::from("<p>Tiers:");
    for t in TIERS {
        let (r, g, b) = tier_color(t);
        let _ = write!(
            s,
            "<span class=\"chip\" style=\"background:rgb({r},{g},{b})\"></span>{t}"
        );
    }
    s + "</p>"
}

fn figure(id: &str, svg: String, caption: &str) -> String {
    format!(
        "<figure class=\"chart\" id=\"{}\">{svg}<figcaption>{caption}</figcaption></figure>\n",
        esc(id)
    )
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The task/workload groups that have throughput regimes (glue, fetch, pipeline have their own).
fn throughput_groups(data: &Data) -> Vec<(String, String)> {
    data.groups()
        .into_iter()
        .filter(|(t, _)| !matches!(t.as_str(), "glue" | "fetch" | "pipeline"))
        .collect()
}

/// One regime's classification for the headline.
struct Regime<'a> {
    group: String,
    regime: String,
    picks: Vec<&'a Row>,
    rust: Option<&'a Row>,
    best: Option<&'a Row>,
}

impl Regime<'_> {
    fn ratio(&self) -> Option<f64> {
        Some(tp(self.rust?) / tp(self.best?))
    }
    fn class(&self) -> Option<&'static str> {
        self.ratio()
            .map(|r| if r < PAVED_BELOW { "paved" } else { "unpaved" })
    }
}

fn regimes<'a>(data: &Data<'a>) -> Vec<Regime<'a>> {
    let mut out = Vec::new();
    for (task, workload) in throughput_groups(data) {
        for regime in data.regimes(&task, &workload) {
            let picks: Vec<&Row> = TIERS
                .iter()
                .filter_map(|t| data.pick(&task, &workload, &regime, t))
                .collect();
            if picks.is_empty() {
                continue;
            }
            out.push(Regime {
                group: picks[0].group(),
                rust: data.pick(&task, &workload, &regime, "rust"),
                best: data.best_python(&task, &workload, &regime),
                regime,
                picks,
            });
        }
    }
    // Paved first, then by how far Rust is ahead: the classes stand apart in chart and table.
    out.sort_by(|a, b| {
        (a.class() != Some("paved"))
            .cmp(&(b.class() != Some("paved")))
            .then(
                a.ratio()
                    .unwrap_or(f64::MAX)
                    .total_cmp(&b.ratio().unwrap_or(f64::MAX)),
            )
    });
    out
}

fn headline(data: &Data) -> String {
    let rs = regimes(data);
    if rs.is_empty() {
        return "<p class=\"note\">No measured picks yet.</p>".into();
    }
    let dots: Vec<DotRow> = rs
        .iter()
        .map(|r| DotRow {
            label: format!("{} · {}", r.group, r.regime),
            paved: r.class() == Some("paved"),
            points: r.picks.iter().map(|p| (p.tier.clone(), tp(p))).collect(),
        })
        .collect();
    let mut h = format!(
        "<p>Each tier's pick per regime on one logarithmic throughput axis (millions of units per \
         second: decompressed bytes for decompress, input bytes otherwise). <b>Rule:</b> a regime is \
         <span class=\"paved\">paved</span> when the <code>rust</code> pick is less than {PAVED_BELOW}× \
         faster than the best Python tier without our Rust (best pick of pure, naive, hotpath, \
         ecosystem), else <span class=\"unpaved\">unpaved</span>. The thesis expects decompress and \
         json/wat paved, emoji and json/cdxj unpaved.</p>"
    );
    h += &figure(
        "chart-headline",
        charts::dots(&dots, "MB/s (log)"),
        "Tier picks per regime; green band: paved, orange band: unpaved (by the rule above).",
    );
    h += "<table><tr><th>task</th><th>regime</th><th>expected</th><th>measured</th><th>rust MB/s</th>\
          <th>best Python (tier)</th><th>rust / best Python</th>";
    for t in TIERS {
        let _ = write!(h, "<th>{t}</th>");
    }
    h += "</tr>\n";
    for r in &rs {
        let class = r.class().unwrap_or("unclassified");
        let expected = expectation(&r.group).unwrap_or("–");
        let mark = if expected == class {
            ""
        } else {
            " (not as expected)"
        };
        let _ = write!(
            h,
            "<tr class=\"{class}\"><td>{}</td><td>{}</td><td>{expected}</td><td><b>{class}</b>{mark}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td>",
            esc(&r.group),
            esc(&r.regime),
            r.rust.map_or("–".into(), |x| num(tp(x))),
            r.best.map_or("–".into(), |b| format!("{} ({})", num(tp(b)), esc(&b.id()))),
            r.ratio().map_or("–".into(), |x| format!("{}×", num(x))),
        );
        for t in TIERS {
            let v = r
                .picks
                .iter()
                .find(|p| p.tier == t)
                .map_or("–".into(), |p| num(tp(p)));
            let _ = write!(h, "<td class=\"n\">{v}</td>");
        }
        h += "</tr>\n";
    }
    h + "</table>"
}

fn status_cell(r: &Row) -> String {
    match (&r.status[..], &r.error) {
        ("ok", _) => "ok".into(),
        (s, Some(e)) => format!("<span class=\"bad\">{}</span>: {}", esc(s), esc(e)),
        (s, None) => format!("<span class=\"bad\">{}</span>", esc(s)),
    }
}

fn tasks(data: &Data) -> String {
    let mut h = String::new();
    for (task, workload) in throughput_groups(data) {
        let group = if task == workload {
            task.clone()
        } else {
            format!("{task}/{workload}")
        };
        let _ = writeln!(h, "<h3 id=\"task-{}\">{}</h3>", slug(&group), esc(&group));
        for regime in data.regimes(&task, &workload) {
            h += &regime_table(data, &task, &workload, &group, &regime);
        }
        h += &size_sweep(data, &task, &workload, &group);
        h += &density_sweep(data, &task, &workload, &group);
    }
    h
}

fn regime_table(data: &Data, task: &str, workload: &str, group: &str, regime: &str) -> String {
    let mut rows: Vec<&Row> = data
        .plain(task, workload)
        .filter(|r| r.regime == regime)
        .collect();
    rows.sort_by(|a, b| {
        tp(b)
            .total_cmp(&tp(a))
            .then(tier_rank(&a.tier).cmp(&tier_rank(&b.tier)))
    });
    let rust = data.pick(task, workload, regime, "rust").map(tp);
    let mut h = format!("<h4>{} on <code>{}</code></h4>\n", esc(group), esc(regime));
    h += "<table><tr><th>tier</th><th>variant</th><th>dataset</th><th>MB/s</th><th>95% CI</th><th>vs rust pick</th>\
          <th>samples</th><th>expected digest</th><th>unstable</th><th>status</th></tr>\n";
    let mut bars = Vec::new();
    let mut untimed = Vec::new();
    for r in &rows {
        let measured = r.is_measured();
        let v = tp(r);
        let ci = tp_ci(r);
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            esc(&r.tier),
            esc(&r.variant),
            if r.pick { " <b>(pick)</b>" } else { "" },
            esc(&r.dataset),
            if measured { num(v) } else { "–".into() },
            match ci { Some((lo, hi)) if measured => format!("{}–{}", num(lo), num(hi)), _ => "–".into() },
            match rust { Some(x) if measured => format!("{}", num(v / x)), _ => "–".into() },
            r.samples.map_or("–".into(), |s| s.to_string()),
            esc(r.expected_digest.as_deref().unwrap_or("–")),
            if r.unstable == Some(true) { "<b>unstable</b>" } else { "" },
            status_cell(r),
        );
        if measured {
            bars.push(Bar {
                label: r.id(),
                tier: r.tier.clone(),
                value: v,
                ci: ci.filter(|_| measured),
            });
        } else {
            untimed.push(*r);
        }
    }
    h += "</table>\n";
    if !bars.is_empty() {
        h += &figure(
            &format!("chart-{}-{}", slug(group), slug(regime)),
            charts::bars(&bars, "MB/s (log)"),
            &format!(
                "{} on {}: median throughput per variant, whiskers the 95% CI of the median.",
                esc(group),
                esc(regime)
            ),
        );
    }
    if !untimed.is_empty() {
        h += "<p>Not timed (known mismatches and errors are never drawn as bars):</p><ul>";
        for r in untimed {
            let _ = write!(
                h,
                "<li><code>{}</code>: {}</li>",
                esc(&r.id()),
                status_cell(r)
            );
        }
        h += "</ul>\n";
    }
    h
}

/// Size sweeps: time per call against input size per tier pick, fits and break-even sizes.
fn size_sweep(data: &Data, task: &str, workload: &str, group: &str) -> String {
    let rows: Vec<&Row> = data
        .rows()
        .filter(|r| {
            r.task == task && r.workload == workload && r.sweep == "size" && r.is_measured()
        })
        .collect();
    // One sweep per base dataset (`wet-16m@64KiB` belongs to `wet-16m`).
    let mut bases: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        let base = r.dataset.split('@').next().unwrap_or(&r.dataset);
        bases.entry(base).or_default().push(r);
    }
    let mut h = String::new();
    for (base, rows) in bases {
        let mut by_tier: BTreeMap<usize, (String, Vec<(f64, f64)>)> = BTreeMap::new();
        for r in &rows {
            let n = r.x.unwrap_or(r.units as f64);
            let e = by_tier
                .entry(tier_rank(&r.tier))
                .or_insert_with(|| (r.tier.clone(), Vec::new()));
            e.1.push((n, r.median_ns.unwrap_or(0.0)));
        }
        let mut series = Vec::new();
        for (_, (tier, mut pts)) in by_tier {
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            let f = fit::fit(&pts);
            series.push(Series {
                tier,
                points: pts.iter().map(|&(n, t)| (n / 1024.0, t / 1e3)).collect(),
                fit: f,
            });
        }
        let (lo, hi) = series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .fold((f64::INFINITY, 0.0f64), |(l, h), x| {
                (l.min(x * 1024.0), h.max(x * 1024.0))
            });
        let _ = writeln!(
            h,
            "<h4>{} size sweep on prefixes of <code>{}</code></h4>",
            esc(group),
            esc(base)
        );
        h += &figure(
            &format!("chart-{}-size-{}", slug(group), slug(base)),
            charts::sweep(&series, 1024.0, "input size, KiB (log)", "µs per call (log)"),
            "Time per call against input size; dashed: the fit time = fixed + per_byte × n (weighted least squares on relative error, fixed ≥ 0).",
        );
        h += "<table><tr><th>tier</th><th>points</th><th>fixed (µs)</th><th>asymptotic MB/s (1/per_byte)</th><th>n½ = fixed/per_byte</th></tr>\n";
        for s in &series {
            let _ = match s.fit {
                Some(f) => writeln!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    s.tier, s.points.len(), num(f.fixed_ns / 1e3), num(f.asymptotic()), fit::bytes(f.n_half())
                ),
                None => writeln!(h, "<tr><td>{}</td><td class=\"n\">{}</td><td colspan=3>no fit (too few points)</td></tr>", s.tier, s.points.len()),
            };
        }
        h += "</table>\n";
        h += &break_even(&series, lo, hi);
    }
    h
}

fn break_even(series: &[Series], lo: f64, hi: f64) -> String {
    let fits: Vec<(&str, Fit)> = series
        .iter()
        .filter_map(|s| Some((s.tier.as_str(), s.fit?)))
        .collect();
    let mut items = Vec::new();
    for (i, (a, fa)) in fits.iter().enumerate() {
        for (b, fb) in &fits[i + 1..] {
            if let Some(n) = fit::crossing(fa, fb).filter(|&n| fit::near(n, lo, hi)) {
                // Above the crossing the smaller slope wins; below it the smaller fixed cost.
                let (win, lose) = if fa.per_unit_ns < fb.per_unit_ns {
                    (a, b)
                } else {
                    (b, a)
                };
                let inside = if n >= lo && n <= hi {
                    "inside"
                } else {
                    "just outside"
                };
                items.push(format!("<li><b>{win}</b> overtakes <b>{lose}</b> above ≈ {} ({inside} the measured range)</li>", fit::bytes(n)));
            }
        }
    }
    if items.is_empty() {
        "<p>Break-even sizes: no two fitted lines cross within 4× of the measured range.</p>\n"
            .into()
    } else {
        format!(
            "<p>Break-even sizes (where two fitted lines cross):</p><ul>{}</ul>\n",
            items.join("")
        )
    }
}

/// The density sweep: throughput against emoji per MB per tier pick.
fn density_sweep(data: &Data, task: &str, workload: &str, group: &str) -> String {
    let rows: Vec<&Row> = data
        .rows()
        .filter(|r| {
            r.task == task && r.workload == workload && r.sweep == "density" && r.is_measured()
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut by_tier: BTreeMap<usize, Series> = BTreeMap::new();
    let mut xs: Vec<f64> = Vec::new();
    for r in &rows {
        let x = r.x.unwrap_or(0.0);
        if !xs.contains(&x) {
            xs.push(x);
        }
        by_tier
            .entry(tier_rank(&r.tier))
            .or_insert_with(|| Series {
                tier: r.tier.clone(),
                points: Vec::new(),
                fit: None,
            })
            .points
            .push((x, tp(r)));
    }
    xs.sort_by(f64::total_cmp);
    let series: Vec<Series> = by_tier
        .into_values()
        .map(|mut s| {
            s.points.sort_by(|a, b| a.0.total_cmp(&b.0));
            s
        })
        .collect();
    // 0 has no place on a log axis: draw it one decade below the smallest positive density.
    let min_pos = xs
        .iter()
        .copied()
        .filter(|x| *x > 0.0)
        .fold(f64::INFINITY, f64::min);
    let floor = if min_pos.is_finite() {
        10f64.powf(min_pos.log10().floor() - 1.0)
    } else {
        1.0
    };
    let mut h = format!("<h4>{} density sweep</h4>\n", esc(group));
    h += &figure(
        &format!("chart-{}-density", slug(group)),
        charts::density(
            &series,
            floor,
            "emoji per MB (log; 0 drawn at the left edge)",
            "MB/s (log)",
        ),
        "Throughput of each tier's pick against emoji density (same pages, emoji inserted).",
    );
    h += "<table><tr><th>tier</th>";
    for x in &xs {
        let _ = write!(h, "<th>{} / MB</th>", num(*x));
    }
    h += "</tr>\n";
    for s in &series {
        let _ = write!(h, "<tr><td>{}</td>", s.tier);
        for x in &xs {
            let v = s
                .points
                .iter()
                .find(|p| p.0 == *x)
                .map_or("–".into(), |p| num(p.1));
            let _ = write!(h, "<td class=\"n\">{v}</td>");
        }
        h += "</tr>\n";
    }
    h + "</table>\n"
}

/// ns per call of a glue/calls row: each timed call makes `units` calls.
fn ns_per_call(r: &Row) -> Option<f64> {
    Some(r.median_ns? / r.units.max(1) as f64)
}

fn find<'a>(data: &Data<'a>, task: &str, workload: &str, id: &str) -> Option<&'a Row> {
    let mut rows = data
        .rows()
        .filter(|r| r.task == task && r.workload == workload && r.id() == id && r.sweep.is_empty());
    let regime = data.default_regime(task, workload);
    let all: Vec<&Row> = rows.by_ref().collect();
    all.iter()
        .find(|r| Some(&r.regime) == regime.as_ref())
        .or(all.first())
        .copied()
}

fn glue(data: &Data) -> String {
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
                (Some(n), Some(p)) if r.tier == "pyo3" => format!("{:+} ns", num(n - p)),
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
            ["pyo3/scanner-str", "pyo3/scanner-bytes", "rust/scanner"],
        ),
    ] {
        let _ = write!(
            h,
            "<table><tr><th>{group}</th><th>dataset</th><th>ns per input KiB</th></tr>\n"
        );
        for id in ids {
            let r = find(data, task, workload, id).filter(|r| r.is_measured());
            let cell = r.and_then(|r| Some(r.median_ns? / (r.input_bytes as f64 / 1024.0)));
            let _ = writeln!(
                h,
                "<tr><td>{id}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                r.map_or("–".into(), |r| esc(&r.dataset)),
                cell.map_or("not measured".into(), num)
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

fn verdicts_html(data: &Data) -> String {
    let mut h = String::from(
        "<p>Computed from the rows by the rules below (picks in each task's default regime: the \
         regime with the most rows outside sweeps; both sides of a ratio from the same regime). \
         A claim is not shown when a row it needs is missing or was not timed.</p>\
         <table><tr><th>claim</th><th>verdict</th><th>rule</th><th>numbers</th></tr>\n",
    );
    for v in verdicts::evaluate(data) {
        let class = v.status.label().replace(' ', "-");
        let unstable = if v.unstable {
            " <b>(on unstable inputs)</b>"
        } else {
            ""
        };
        let _ = writeln!(
            h,
            "<tr id=\"verdict-{}\" data-status=\"{}\"><td><b>{}</b> {}</td><td class=\"{class}\">{}{unstable}</td><td>{}</td><td>{}</td></tr>",
            v.id,
            class,
            v.id,
            esc(v.claim),
            v.status.label(),
            esc(v.rule),
            esc(&v.numbers)
        );
    }
    h + "</table>"
}

fn changes(c: &Comparison, path: &str) -> String {
    let mut h = format!(
        "<p>Compared with <code>{}</code>: each row's ratio to its regime's <code>rust</code> pick (a \
         within-run ratio, so the machines may differ). Changed: |ln(new/old)| above the sum of both \
         rows' relative 95% CI half-widths, or {}% without a CI. {} rows compared, {} only in the new \
         file, {} only in the old.</p>",
        esc(path),
        compare::NO_CI_THRESHOLD * 100.0,
        c.rows.len(),
        c.only_new,
        c.only_old
    );
    let changed: Vec<_> = c.changed().collect();
    if changed.is_empty() {
        h += "<p>No row changed beyond its noise.</p>";
    } else {
        h += "<table><tr><th>row</th><th>old ratio to rust</th><th>new</th><th>change</th><th>threshold</th></tr>\n";
        for ch in changed {
            let _ = writeln!(
                h,
                "<tr class=\"changed\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:+.0}%</td><td class=\"n\">{:.0}%</td></tr>",
                esc(&ch.key),
                num(ch.old),
                num(ch.new),
                (ch.new / ch.old - 1.0) * 100.0,
                ch.threshold * 100.0
            );
        }
        h += "</table>";
    }
    if c.flips.is_empty() {
        h += "<p>No verdict flipped.</p>";
    } else {
        h += "<p>Verdicts that flipped:</p><ul>";
        for (id, old, new) in &c.flips {
            let _ = write!(
                h,
                "<li class=\"flipped\">{id}: {} → {}</li>",
                old.label(),
                new.label()
            );
        }
        h += "</ul>";
    }
    h
}

/// Regimes whose rows come from runs on different machines: their ratios mix machines.
pub fn machine_mix(store: &Store) -> Vec<String> {
    let mut regimes: BTreeMap<(String, String), std::collections::BTreeSet<(String, String)>> =
        BTreeMap::new();
    for r in &store.rows {
        if let Some(m) = store.runs.get(&r.run) {
            regimes
                .entry((r.group(), r.regime.clone()))
                .or_default()
                .insert((m.hostname.clone(), m.cpu_model.clone()));
        }
    }
    regimes
        .into_iter()
        .filter(|(_, machines)| machines.len() > 1)
        .map(|((g, regime), machines)| {
            let names: Vec<String> = machines.iter().map(|(h, c)| format!("{h} ({c})")).collect();
            format!("Rows of {g} on {regime} come from different machines ({}): ratios across machines mean little.", names.join(", "))
        })
        .collect()
}

fn environment(store: &Store) -> String {
    let mut h = String::new();
    for w in machine_mix(store) {
        let _ = writeln!(h, "<p class=\"warn\">{}</p>", esc(&w));
    }
    for (id, m) in &store.runs {
        let rows = store.rows.iter().filter(|r| &r.run == id).count();
        let _ = write!(
            h,
            "<h3>Run <code>{}</code> ({rows} rows)</h3><table>",
            esc(id)
        );
        let kv = |k: &str, v: String| format!("<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
        let map = |m: &BTreeMap<String, String>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (k, v) in [
            ("started", m.started_at.clone()),
            ("command", m.command.join(" ")),
            ("quick", m.quick.to_string()),
            ("sampling", map(&m.sampling)),
            ("host", m.hostname.clone()),
            ("cpu", m.cpu_model.clone()),
            ("cpu flags", m.cpu_flags.join(" ")),
            ("cores", m.cores.to_string()),
            ("transparent hugepages", m.transparent_hugepages.clone()),
            ("os", m.os.clone()),
            ("kernel", m.kernel.clone()),
            ("rustc", m.rustc.clone()),
            ("rust crates", map(&m.rust_crates)),
            ("python", format!("{} ({})", m.python, m.python_executable)),
            (
                "git commit",
                format!(
                    "{}{}",
                    m.git_commit,
                    if m.git_dirty { " (dirty)" } else { "" }
                ),
            ),
            ("dataset generator version", m.generator_version.to_string()),
        ] {
            h += &kv(k, v);
        }
        let _ = write!(
            h,
            "<tr><th>python packages</th><td><details><summary>{} packages</summary>",
            m.python_packages.len()
        );
        for (k, v) in &m.python_packages {
            let _ = write!(h, "{} {}<br>", esc(k), esc(v));
        }
        h += "</details></td></tr><tr><th>datasets</th><td>";
        for (k, v) in &m.datasets {
            let _ = write!(
                h,
                "<code>{}</code> sha256 <code>{}</code><br>",
                esc(k),
                esc(v)
            );
        }
        h += "</td></tr></table>\n";
    }
    let unknown: std::collections::BTreeSet<&str> = store
        .rows
        .iter()
        .filter(|r| !store.runs.contains_key(&r.run))
        .map(|r| r.run.as_str())
        .collect();
    if !unknown.is_empty() {
        let _ = write!(
            h,
            "<p class=\"warn\">Rows refer to runs without a manifest: {}</p>",
            esc(&unknown.into_iter().collect::<Vec<_>>().join(", "))
        );
    }
    h
}
