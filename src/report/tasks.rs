//! The `tasks` section: every variant of every regime, and the size and density sweeps.

use super::charts::{self, Bar, Series};
use super::fit::{self, Fit};
use super::html::{figure, slug, status_cell, throughput_groups};
use super::{esc, num, tier_rank, tp, tp_ci, Data};
use crate::results::Row;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Every task/workload: its regimes' tables and bar charts, then its sweeps.
pub fn section(data: &Data) -> String {
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
            "<tr><td>{}</td><td>{}{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td><td class=\"msg\">{}</td></tr>",
            esc(&r.tier),
            esc(&r.variant),
            if r.pick { " <b>(pick)</b>" } else { "" }.to_string()
                + &if r.fallback.is_empty() { String::new() } else { format!(" <b class=\"bad\">(fallback: {})</b>", esc(&r.fallback)) },
            esc(&r.dataset),
            if measured { num(v) } else { "–".into() },
            match ci { Some((lo, hi)) if measured => format!("{}–{}", num(lo), num(hi)), _ => "–".into() },
            match rust { Some(x) if measured => num(v / x), _ => "–".into() },
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

/// Size sweeps: time per call against input size per tier pick (only picks: one line per tier),
/// fits and break-even sizes.
fn size_sweep(data: &Data, task: &str, workload: &str, group: &str) -> String {
    let rows: Vec<&Row> = data
        .rows()
        .filter(|r| {
            r.task == task
                && r.workload == workload
                && r.sweep == "size"
                && r.pick
                && r.is_measured()
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
            // Nearly parallel lines (asymptotic throughputs within 10%) cross wherever the
            // noise puts them: not a break-even worth naming.
            if (fa.per_unit_ns / fb.per_unit_ns - 1.0).abs() < 0.1 {
                continue;
            }
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
        "<p>Break-even sizes: no two fitted lines (with asymptotic throughputs 10% or more apart) cross within 4× of the measured range.</p>\n"
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
            r.task == task
                && r.workload == workload
                && r.sweep == "density"
                && r.pick
                && r.is_measured()
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
    let floor = match 10f64.powf(min_pos.log10().floor()) {
        f if !f.is_finite() => 1.0,
        f if f >= min_pos => f / 10.0,
        f => f,
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
        let _ = write!(h, "<th>{} / MB</th>", super::count(*x));
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
