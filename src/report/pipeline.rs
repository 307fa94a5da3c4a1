//! The pipeline's per-stage Amdahl breakdown. Pipeline rows: every tier has variant `e2e`
//! (the whole pipeline) and `stage-<name>` per stage (that stage alone on the same input), so
//! stage shares and Amdahl's law can be computed.

use super::verdicts;
use super::{esc, num, Data};
use crate::results::Row;
use std::fmt::Write;

pub fn section(data: &Data) -> String {
    let mut h = String::new();
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


