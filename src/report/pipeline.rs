//! The pipeline's per-stage Amdahl breakdown. Pipeline rows: every tier has variant `e2e` (the
//! whole job), `stage-<name>` per stage (that stage alone on its own input) and `e2e-2cores`;
//! datasets `lat0-c16` and `lat20-c16` (a slow tier's `lat0-c16-small`: the small index, so
//! its times are not comparable with the others' and it is shown per record). At 20 ms only
//! `stage-fetch` is measured: the other stages never touch the server, their 0 ms times stand.

use super::{esc, num, Data};
use crate::results::Row;
use std::fmt::Write;

pub const STAGES: [&str; 4] = ["index", "fetch", "gunzip", "emoji"];

/// Median ns per record of a pipeline row (rows of the small index compare with the others).
fn per_record(r: &Row) -> Option<f64> {
    r.is_measured().then_some(())?;
    Some(r.median_ns? / r.units.max(1) as f64)
}

fn find<'a>(data: &Data<'a>, tier: &str, variant: &str, latency: u64) -> Option<&'a Row> {
    let want = format!("lat{latency}-c16");
    let small = format!("{want}-small");
    let rows: Vec<&Row> = data
        .rows()
        .filter(|r| r.task == "pipeline" && r.tier == tier && r.variant == variant)
        .filter(|r| r.is_measured())
        .collect();
    rows.iter()
        .find(|r| r.dataset == want)
        .or_else(|| rows.iter().find(|r| r.dataset == small))
        .copied()
}

/// A tier's stage times (ns per record) at a latency: fetch from that latency, the others from
/// 0 ms.
pub fn stages(data: &Data, tier: &str, latency: u64) -> Option<[f64; 4]> {
    let mut out = [0.0; 4];
    for (i, s) in STAGES.iter().enumerate() {
        let at = if *s == "fetch" { latency } else { 0 };
        out[i] = per_record(find(data, tier, &format!("stage-{s}"), at)?)?;
    }
    Some(out)
}

/// (measured, predicted) end-to-end speedup of `tier` over `base` at a latency: measured from
/// the `e2e` rows, predicted by Amdahl's law from the stage rows (each stage's speedup weighted
/// by its share of `base`'s time).
pub fn speedup(data: &Data, base: &str, tier: &str, latency: u64) -> Option<(f64, f64)> {
    let e2e = |t: &str| per_record(find(data, t, "e2e", latency)?);
    let measured = e2e(base)? / e2e(tier)?;
    let (b, t) = (stages(data, base, latency)?, stages(data, tier, latency)?);
    let total: f64 = b.iter().sum();
    let predicted = 1.0
        / b.iter()
            .zip(&t)
            .map(|(b, t)| b / total * (t / b))
            .sum::<f64>();
    Some((measured, predicted))
}

const TIERS: [&str; 5] = ["pure", "hotpath", "ecosystem", "pyo3", "rust"];

pub fn section(data: &Data) -> String {
    if !data.rows().any(|r| r.task == "pipeline" && r.is_measured()) {
        return "<p class=\"note\">not measured yet: run <code>cargo bench -- pipeline</code>.</p>"
            .into();
    }
    let mut h = String::from(
        "<p>One Common Crawl job: read the CDXJ index, fetch each selected record from the \
         server (16 in flight), gunzip it, count the emoji in its content block, add them up \
         per language. Each tier chains its own tier's stages. Times are per record (µs), so \
         the pure tier, timed on the small index, compares with the others; shares are of the \
         sum of the stages (<i>stages</i>), each timed alone on its own input. <i>vs \
         hotpath</i>: the measured end-to-end speedup over the hotpath tier; <i>Amdahl</i>: the \
         one Amdahl's law predicts from the stage times; <i>2 cores</i>: e2e-2cores over e2e. The naive tier runs in \
         <code>check</code> only (its emoji stage makes one call take about 25 s).</p>",
    );
    for latency in [0, 20] {
        let _ = writeln!(
            h,
            "<h4>{latency} ms per response</h4><table><tr><th>tier</th><th>e2e µs</th>\
             <th>index</th><th>fetch</th><th>gunzip</th><th>emoji</th><th>stages</th>\
             <th>vs hotpath</th><th>Amdahl</th><th>2 cores</th></tr>"
        );
        for tier in TIERS {
            let e2e = find(data, tier, "e2e", latency).and_then(per_record);
            let st = stages(data, tier, latency);
            if e2e.is_none() && st.is_none() {
                continue;
            }
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td>",
                esc(tier),
                e2e.map_or("–".into(), |ns| num(ns / 1e3))
            );
            match st {
                Some(s) => {
                    let total: f64 = s.iter().sum();
                    for v in s {
                        let _ = write!(
                            h,
                            "<td class=\"n\">{} ({:.0}%)</td>",
                            num(v / 1e3),
                            v / total * 100.0
                        );
                    }
                    let _ = write!(h, "<td class=\"n\">{}</td>", num(total / 1e3));
                }
                None => h += "<td>–</td><td>–</td><td>–</td><td>–</td><td>–</td>",
            }
            let (m, p) = match speedup(data, "hotpath", tier, latency) {
                Some((m, p)) if tier != "hotpath" => {
                    (format!("{}×", num(m)), format!("{}×", num(p)))
                }
                _ => ("–".into(), "–".into()),
            };
            let par = find(data, tier, "e2e-2cores", latency)
                .and_then(per_record)
                .zip(e2e)
                .map_or("–".into(), |(two, one)| format!("{}×", num(one / two)));
            let _ = writeln!(
                h,
                "<td class=\"n\">{m}</td><td class=\"n\">{p}</td><td class=\"n\">{par}</td></tr>"
            );
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

    fn r(tier: &str, variant: &str, ds: &str, ms: f64) -> Row {
        let mut r = row("pipeline", tier, variant, 1.0);
        r.dataset = ds.into();
        r.regime = ds.into();
        r.units = 100;
        r.median_ns = Some(ms * 1e6);
        r.throughput = None;
        r
    }

    #[test]
    fn amdahl_from_stage_rows() {
        let mut store = Store::new();
        for (tier, stages, e2e) in [
            ("hotpath", [10.0, 40.0, 20.0, 30.0], 100.0),
            ("pyo3", [1.0, 30.0, 4.0, 5.0], 40.0),
        ] {
            store.rows.push(r(tier, "e2e", "lat0-c16", e2e));
            store
                .rows
                .push(r(tier, "e2e-2cores", "lat0-c16", e2e / 1.6));
            for (s, ms) in STAGES.iter().zip(stages) {
                store
                    .rows
                    .push(r(tier, &format!("stage-{s}"), "lat0-c16", ms));
            }
        }
        let data = Data::new(&store);
        let (m, p) = speedup(&data, "hotpath", "pyo3", 0).unwrap();
        assert!((m - 2.5).abs() < 1e-9 && (p - 2.5).abs() < 1e-9, "{m} {p}");
        let h = section(&data);
        assert!(h.contains("2.50×") && h.contains("1.60×"), "{h}");
        assert!(h.contains("(40%)"), "fetch's share of hotpath: {h}");
        // No 20 ms rows: that table lists nothing.
        assert!(speedup(&data, "hotpath", "pyo3", 20).is_none());
    }
}
