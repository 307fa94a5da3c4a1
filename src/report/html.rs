//! The page: one self-contained HTML file (inline CSS and SVG, no script, no fetches).

use super::charts::{self, DotRow};
use super::compare::{self, Comparison};
use super::verdicts;
use super::{esc, expectation, num, tier_color, tp, Data, Options, PAVED_BELOW, TIERS};
use crate::results::{Row, Store};
use std::collections::BTreeMap;
use std::fmt::Write;

const CSS: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:0 auto;max-width:1100px;padding:0 1rem 3rem;color:#222;line-height:1.45}
header{border-bottom:1px solid #ccc;margin-bottom:1rem}
nav a{margin-right:.8rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top;white-space:nowrap}
td.msg,#verdicts td,#environment td,#headline td{white-space:normal}
td.msg{min-width:16rem}
table{display:block;overflow-x:auto;max-width:100%}
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
        ("tasks", "Tasks", super::tasks::section(&data)),
        ("goals", "Speed goals", super::goals::section(&data)),
        ("glue", "Glue costs", super::glue::section(&data)),
        ("io", "I/O: fetch and pipeline", super::io::section(&data)),
        ("jit", "The JIT question", super::jit::section(&data)),
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
        // Relative to the project when inside it: the published page should not carry the
        // absolute path of the machine that made it.
        esc(&opts
            .results
            .strip_prefix(crate::bootstrap::root())
            .unwrap_or(&opts.results)
            .display()
            .to_string()),
        store.rows.len(),
        store.runs.len()
    );
    for (id, title, _) in &sections {
        let _ = write!(h, "<a href=\"#{id}\">{}</a>", esc(title));
    }
    h += "</nav>";
    h += &format!("<p>{}</p></header>\n", legend());
    for w in machine_mix(store)
        .into_iter()
        .chain(super::fallbacks(store))
    {
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
    let mut s = String::from("<span class=\"legend\">Tiers:");
    for t in TIERS {
        let (r, g, b) = tier_color(t);
        let _ = write!(
            s,
            "<span class=\"chip\" style=\"background:rgb({r},{g},{b})\"></span>{t}"
        );
    }
    s + "</span>"
}

pub(super) fn figure(id: &str, svg: String, caption: &str) -> String {
    format!(
        "<figure class=\"chart\" id=\"{}\">{svg}<figcaption>{caption}</figcaption></figure>\n",
        esc(id)
    )
}

pub(super) fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The task/workload groups that have throughput regimes (glue, fetch, pipeline have their own).
pub(super) fn throughput_groups(data: &Data) -> Vec<(String, String)> {
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
        &format!(
            "Tier picks per regime; green band: paved, orange band: unpaved (by the rule above). {}",
            legend()
        ),
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

pub(super) fn status_cell(r: &Row) -> String {
    match (&r.status[..], &r.error) {
        ("ok", _) => "ok".into(),
        (s, Some(e)) => format!("<span class=\"bad\">{}</span>: {}", esc(s), esc(e)),
        (s, None) => format!("<span class=\"bad\">{}</span>", esc(s)),
    }
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
    for w in machine_mix(store)
        .into_iter()
        .chain(super::fallbacks(store))
    {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Manifest;
    use crate::report::test_row as row;

    #[test]
    fn rows_of_one_regime_from_two_machines_are_flagged() {
        let mut store = Store::new();
        for (run, host) in [("r1", "a"), ("r2", "b")] {
            store.runs.insert(
                run.into(),
                Manifest {
                    hostname: host.into(),
                    ..Manifest::default()
                },
            );
        }
        store.rows.push(row("emoji", "rust", "scanner", 5000.0));
        store.rows.push(row("emoji", "hotpath", "re", 170.0));
        assert!(machine_mix(&store).is_empty(), "both rows from run r");
        store.rows[0].run = "r1".into();
        store.rows[1].run = "r2".into();
        let w = machine_mix(&store);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("emoji on d") && w[0].contains("a (") && w[0].contains("b ("));
    }
}
