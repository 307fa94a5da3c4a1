//! The thesis' claims, each a rule computed from the rows: Confirmed, Refuted or Not shown.
//!
//! One table ([`CLAIMS`]) holds every claim with its rule in words and a function that
//! evaluates it; the page and the Markdown print the table, so a verdict is never hand-written.
//! A rule reads rows through [`Ctx`], which remembers what was missing (then the verdict is
//! "not shown", naming the rows) and whether any row used was unstable (then the verdict says
//! "on unstable inputs"). All rules compare throughputs of picks in the task's default regime
//! unless they name a variant; both sides of a ratio come from the same regime.

use super::{tp, Data, PYTHON_TIERS};
use crate::results::Row;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Confirmed,
    Refuted,
    NotShown,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Confirmed => "Confirmed",
            Status::Refuted => "Refuted",
            Status::NotShown => "Not shown",
        }
    }
}

pub struct Claim {
    pub id: &'static str,
    pub claim: &'static str,
    pub rule: &'static str,
    eval: fn(&mut Ctx) -> Option<(bool, String)>,
}

#[derive(Debug, Clone)]
pub struct Verdict {
    pub id: &'static str,
    pub claim: &'static str,
    pub rule: &'static str,
    pub status: Status,
    /// The numbers the rule compared, or what was missing.
    pub numbers: String,
    pub unstable: bool,
}

/// Row lookups that record what a rule needed.
pub struct Ctx<'a> {
    data: &'a Data<'a>,
    missing: Vec<String>,
    unstable: bool,
}

impl<'a> Ctx<'a> {
    fn used(&mut self, r: Option<&'a Row>, what: String) -> Option<&'a Row> {
        match r {
            Some(r) if r.is_measured() => {
                self.unstable |= r.unstable == Some(true);
                Some(r)
            }
            Some(r) => {
                self.missing.push(format!("{what} ({})", r.status));
                None
            }
            None => {
                self.missing.push(what);
                None
            }
        }
    }

    fn regime(&mut self, task: &str, workload: &str) -> Option<String> {
        let r = self.data.default_regime(task, workload);
        if r.is_none() {
            self.missing.push(format!("any {task}/{workload} row"));
        }
        r
    }

    /// A tier's pick in the default regime of `group` ("json/cdxj", "emoji").
    fn pick(&mut self, group: &str, tier: &str) -> Option<&'a Row> {
        let (task, workload) = crate::results::split_group(group);
        let regime = self.regime(&task, &workload)?;
        let r = self.data.pick(&task, &workload, &regime, tier);
        self.used(r, format!("{group} {tier} pick on {regime}"))
    }

    /// A variant (`tier/name`) in the default regime of `group`.
    fn var(&mut self, group: &str, id: &str) -> Option<&'a Row> {
        let (task, workload) = crate::results::split_group(group);
        let regime = self.regime(&task, &workload)?;
        let r = self.data.variant(&task, &workload, &regime, id);
        self.used(r, format!("{group} {id} on {regime}"))
    }

    /// A variant on a given dataset (for pairs that must share their input).
    fn on(&mut self, group: &str, id: &str, dataset: &str) -> Option<&'a Row> {
        let (task, workload) = crate::results::split_group(group);
        let r = self.data.rows().find(|r| {
            r.task == task
                && r.workload == workload
                && r.dataset == dataset
                && r.sweep.is_empty()
                && r.id() == id
        });
        self.used(r, format!("{group} {id} on {dataset}"))
    }

    /// A variant of a task without regimes of interest (glue): the first measured row of it.
    fn any(&mut self, group: &str, id: &str) -> Option<&'a Row> {
        let (task, workload) = crate::results::split_group(group);
        let rows: Vec<&'a Row> = self
            .data
            .rows()
            .filter(|r| r.task == task && r.workload == workload && r.id() == id)
            .collect();
        let r = rows
            .iter()
            .find(|r| r.is_measured())
            .or(rows.first())
            .copied();
        self.used(r, format!("{group} {id}"))
    }
}

fn x(v: f64) -> String {
    format!("{}×", super::num(v))
}

/// `a` within `k`× of `b` (either side faster): b/a ≤ k.
fn within(a: &Row, b: &Row, k: f64) -> (bool, f64) {
    let ratio = tp(b) / tp(a);
    (ratio <= k, ratio)
}

fn c1(c: &mut Ctx) -> Option<(bool, String)> {
    let hot = c.pick("decompress", "hotpath")?;
    let zlib = c.var("decompress", "rust/flate2-zlib-rs")?;
    let regime = hot.regime.clone();
    let fastest = c
        .data
        .plain("decompress", "decompress")
        .filter(|r| r.regime == regime && r.tier == "rust" && r.is_measured())
        .max_by(|a, b| tp(a).total_cmp(&tp(b)));
    let fastest = c.used(fastest, format!("decompress rust variants on {regime}"))?;
    let (a, ra) = within(hot, zlib, 1.3);
    let (b, rb) = within(hot, fastest, 2.0);
    Some((
        a && b,
        format!(
            "flate2-zlib-rs / hotpath = {} (≤ 1.3×); {} / hotpath = {} (≤ 2×)",
            x(ra),
            fastest.id(),
            x(rb)
        ),
    ))
}

fn c2(c: &mut Ctx) -> Option<(bool, String)> {
    let orjson = c.var("json/wat", "ecosystem/orjson")?;
    let value = c.var("json/wat", "rust/serde-value")?;
    let rust = c.pick("json/cdxj", "rust")?;
    let mut picks = Vec::new();
    for t in PYTHON_TIERS {
        picks.push(c.pick("json/cdxj", t)?);
    }
    let best = picks.into_iter().max_by(|a, b| tp(a).total_cmp(&tp(b)))?;
    let (a, ra) = within(orjson, value, 2.0);
    let rb = tp(rust) / tp(best);
    Some((
        a && rb > 5.0,
        format!(
            "wat: serde-value / orjson = {} (≤ 2×); cdxj: rust / best Python ({}) = {} (> 5×)",
            x(ra),
            best.id(),
            x(rb)
        ),
    ))
}

fn c3(c: &mut Ctx) -> Option<(bool, String)> {
    let naive = c.pick("emoji", "naive")?;
    let rust = c.pick("emoji", "rust")?;
    let r = tp(rust) / tp(naive);
    Some((r >= 30.0, format!("rust / naive = {} (≥ 30×)", x(r))))
}

fn c4(c: &mut Ctx) -> Option<(bool, String)> {
    let hot = c.pick("emoji", "hotpath")?;
    let rust = c.pick("emoji", "rust")?;
    let (ok, r) = within(hot, rust, 3.0);
    Some((ok, format!("rust / hotpath = {} (≤ 3×)", x(r))))
}

fn c5(c: &mut Ctx) -> Option<(bool, String)> {
    let ac = c.var("emoji", "ecosystem/ahocorasick_rs-bytes")?;
    let native = c.var("emoji", "rust/aho-corasick")?;
    let rust = c.pick("emoji", "rust")?;
    let hot = c.pick("emoji", "hotpath")?;
    let (a, ra) = within(ac, native, 2.0);
    let mut text = format!(
        "rust/aho-corasick / ahocorasick_rs-bytes = {} (≤ 2×; the rust pick / it = {})",
        x(ra),
        x(tp(rust) / tp(ac))
    );
    // The `emoji` package counts only where its output equals the task's: when that row is not
    // timed (a known mismatch), the second half has nothing to compare and is left out.
    let regime = hot.regime.clone();
    let b = match c.data.variant(
        "emoji",
        "emoji",
        &regime,
        "ecosystem/emoji.emoji_list-rgi-only",
    ) {
        Some(r) if r.is_measured() => {
            c.unstable |= r.unstable == Some(true);
            text += &format!(
                "; emoji_list-rgi-only {} MB/s vs hotpath {} MB/s (slower)",
                super::num(tp(r)),
                super::num(tp(hot))
            );
            tp(r) < tp(hot)
        }
        Some(r) => {
            text += &format!(
                "; emoji_list-rgi-only not timed ({}): part skipped",
                r.status
            );
            true
        }
        None => {
            text += "; emoji_list-rgi-only not measured: part skipped";
            true
        }
    };
    Some((a && b, text))
}

fn c6(c: &mut Ctx) -> Option<(bool, String)> {
    let noop = c.any("glue/calls", "pyo3/noop")?;
    let ns = noop.median_ns? / noop.units.max(1) as f64;
    let tuples = c.pick("json/cdxj", "pyo3")?;
    let ds = tuples.dataset.clone();
    let tuples = c.on("json/cdxj", "pyo3/tuples", &ds)?;
    let dicts = c.on("json/cdxj", "pyo3/dicts", &ds)?;
    let parse = c.pick("json/cdxj", "rust")?;
    let extra = dicts.median_ns? - tuples.median_ns?;
    let parse_ns = parse.median_ns?;
    Some((
        ns < 100.0 && extra > parse_ns,
        format!(
            "pyo3/noop = {} ns per call (< 100); on {ds}: dicts − tuples = {} ms > rust/{} {} ms",
            super::num(ns),
            super::num(extra / 1e6),
            parse.variant,
            super::num(parse_ns / 1e6)
        ),
    ))
}

/// C7: fetch rows follow the convention documented in [`super::io`]: dataset
/// `lat<ms>-c<concurrency>`, one variant per client, `…-unpooled` for clients without a pool.
fn c7(c: &mut Ctx) -> Option<(bool, String)> {
    let rows: Vec<&Row> = c
        .data
        .rows()
        .filter(|r| r.task == "fetch" && r.sweep.is_empty() && r.is_measured())
        .collect();
    let at = |ds: &str| -> Vec<&Row> { rows.iter().copied().filter(|r| r.dataset == ds).collect() };
    // The naive tier is sequential by design (urllib, one range at a time): not a pooled,
    // concurrent client.
    let slow: Vec<&Row> = at("lat20-c16")
        .into_iter()
        .filter(|r| r.tier != "naive" && !r.variant.contains("unpooled"))
        .collect();
    let fast = at("lat0-c16");
    if slow.len() < 2 || fast.is_empty() {
        c.missing
            .push("fetch rows on lat20-c16 and lat0-c16".into());
        return None;
    }
    c.unstable |= slow.iter().chain(&fast).any(|r| r.unstable == Some(true));
    let max = |v: &[&Row]| v.iter().map(|r| tp(r)).fold(0.0, f64::max);
    let spread = max(&slow) / slow.iter().map(|r| tp(r)).fold(f64::INFINITY, f64::min);
    let rust = max(&fast
        .iter()
        .copied()
        .filter(|r| r.tier == "rust")
        .collect::<Vec<_>>());
    let other = max(&fast
        .iter()
        .copied()
        .filter(|r| r.tier != "rust")
        .collect::<Vec<_>>());
    if rust == 0.0 || other == 0.0 {
        c.missing
            .push("fetch rust and non-rust rows on lat0-c16".into());
        return None;
    }
    Some((
        spread <= 1.2 && rust / other >= 2.0,
        format!(
            "20 ms, c16: fastest / slowest pooled client = {} (≤ 1.2×); 0 ms: rust / best other = {} (≥ 2×)",
            x(spread),
            x(rust / other)
        ),
    ))
}

/// C8: pipeline rows (convention in [`super::pipeline`]): tiers `hotpath` (all Python) and
/// `pyo3` (stages in Rust), each with variant `e2e` and one `stage-<name>` per stage, at 0 ms.
fn c8(c: &mut Ctx) -> Option<(bool, String)> {
    let Some((measured, predicted)) = amdahl(c.data) else {
        c.missing
            .push("pipeline rows (hotpath and pyo3: e2e and stage-*)".into());
        return None;
    };
    c.unstable |= c
        .data
        .rows()
        .any(|r| r.task == "pipeline" && r.unstable == Some(true));
    let off = (measured / predicted - 1.0).abs();
    Some((
        off <= 0.15,
        format!(
            "measured speedup {} vs Amdahl's {} from stage shares: off by {:.0}% (≤ 15%)",
            x(measured),
            x(predicted),
            off * 100.0
        ),
    ))
}

/// (measured, predicted) end-to-end speedup of the pipeline's pyo3 tier over its hotpath tier,
/// the prediction being Amdahl's law over the per-stage speedups weighted by hotpath's shares.
pub fn amdahl(data: &Data) -> Option<(f64, f64)> {
    super::pipeline::speedup(data, "hotpath", "pyo3", 0)
}

fn c9(c: &mut Ctx) -> Option<(bool, String)> {
    let naive: Vec<&Row> = c
        .data
        .rows()
        .filter(|r| r.tier == "rust" && r.variant.starts_with("naive-") && r.sweep.is_empty())
        .filter(|r| r.is_measured())
        .collect();
    if naive.is_empty() {
        c.missing.push("any rust/naive-* row".into());
        return None;
    }
    let mut found = Vec::new();
    let mut compared = 0;
    for r in &naive {
        if let Some(hot) = c.data.pick(&r.task, &r.workload, &r.regime, "hotpath") {
            compared += 1;
            c.unstable |= r.unstable == Some(true) || hot.unstable == Some(true);
            if tp(r) < tp(hot) {
                found.push(format!(
                    "{} {}: hotpath / it = {}",
                    r.group(),
                    r.id(),
                    x(tp(hot) / tp(r))
                ));
            }
        }
    }
    if compared == 0 {
        c.missing
            .push("a hotpath pick in the regime of a rust/naive-* row".into());
        return None;
    }
    let text = if found.is_empty() {
        format!("none of {compared} rust/naive-* variants is slower than its hotpath pick")
    } else {
        found.join("; ")
    };
    Some((!found.is_empty(), text))
}

fn c10(c: &mut Ctx) -> Option<(bool, String)> {
    let pure = c.pick("emoji", "pure")?;
    let ds = pure.dataset.clone();
    let pure2 = c.on("emoji", "pure/dict-trie-2threads", &ds)?;
    let pure = c.on("emoji", "pure/dict-trie", &ds)?;
    let ratio = |c: &mut Ctx, a: &str, b: &str| -> Option<f64> {
        // The fast tiers run on the default dataset, which may differ from pure's small one.
        let regime = c.data.default_regime("emoji", "emoji")?;
        let two = c.data.variant("emoji", "emoji", &regime, a)?;
        let one = c.data.variant("emoji", "emoji", &regime, b)?;
        if two.dataset != one.dataset || !two.is_measured() || !one.is_measured() {
            return None;
        }
        c.unstable |= two.unstable == Some(true) || one.unstable == Some(true);
        Some(tp(two) / tp(one))
    };
    let rust = ratio(c, "rust/scanner-2threads", "rust/scanner");
    let pyo3 = ratio(c, "pyo3/scanner-bytes-2threads", "pyo3/scanner-bytes");
    if rust.is_none() && pyo3.is_none() {
        c.missing
            .push("emoji rust/scanner-2threads or pyo3/scanner-bytes-2threads".into());
        return None;
    }
    let p = tp(pure2) / tp(pure);
    let show = |v: Option<f64>| v.map_or("not measured".into(), x);
    Some((
        (rust.unwrap_or(0.0) >= 1.7 || pyo3.unwrap_or(0.0) >= 1.7) && p <= 1.1,
        format!(
            "rust 2 threads / 1 = {}, pyo3 2 threads / 1 = {} (either ≥ 1.7×); pure 2 threads / 1 = {} (≤ 1.1×)",
            show(rust),
            show(pyo3),
            x(p)
        ),
    ))
}

pub const CLAIMS: &[Claim] = &[
    Claim { id: "C1", claim: "decompress is paved: the stdlib hot path is close to Rust's zlib",
        rule: "hotpath pick within 1.3× of rust/flate2-zlib-rs AND within 2× of the fastest rust variant", eval: c1 },
    Claim { id: "C2", claim: "JSON parsing is paved, per-record Python work is not",
        rule: "json/wat ecosystem/orjson within 2× of rust/serde-value, AND the json/cdxj rust pick > 5× faster than every Python tier pick", eval: c2 },
    Claim { id: "C3", claim: "emoji is off the paved path: the naive loop is far behind",
        rule: "emoji naive pick ≥ 30× slower than the rust pick", eval: c3 },
    Claim { id: "C4", claim: "the stdlib hot path (compiled re) gets emoji close to Rust",
        rule: "emoji hotpath pick within 3× of the rust pick", eval: c4 },
    Claim { id: "C5", claim: "the ecosystem's automaton is as good as the same automaton in Rust, and beats the emoji package",
        rule: "ecosystem/ahocorasick_rs-bytes within 2× of rust/aho-corasick AND ecosystem/emoji.emoji_list-rgi-only (if timed) slower than the hotpath pick", eval: c5 },
    Claim { id: "C6", claim: "a PyO3 call is cheap; building Python objects is what costs",
        rule: "pyo3/noop < 100 ns per call AND on json/cdxj t(pyo3/dicts) − t(pyo3/tuples) > t(the rust pick), same dataset", eval: c6 },
    Claim { id: "C7", claim: "fetching is latency-bound: every pooled client is alike at 20 ms; Rust leads only at 0 ms",
        rule: "at lat20-c16 every pooled concurrent client (not naive: sequential by design) within 1.2× of the others AND at lat0-c16 rust leads by ≥ 2×", eval: c7 },
    Claim { id: "C8", claim: "a pipeline speeds up as Amdahl's law predicts from its stage shares",
        rule: "end-to-end speedup of pyo3 over hotpath within 15% of Amdahl's prediction", eval: c8 },
    Claim { id: "C9", claim: "naive Rust can lose to Python's hot path",
        rule: "some rust/naive-* variant slower than its task's hotpath pick on the same regime", eval: c9 },
    Claim { id: "C10", claim: "threads help Rust (GIL released), not pure Python",
        rule: "rust/scanner-2threads / rust/scanner ≥ 1.7 or pyo3/scanner-bytes-2threads / pyo3/scanner-bytes ≥ 1.7, AND pure/dict-trie-2threads / pure/dict-trie ≤ 1.1 (same dataset)", eval: c10 },
];

/// Every claim's verdict on the rows of `data`.
pub fn evaluate(data: &Data) -> Vec<Verdict> {
    CLAIMS
        .iter()
        .map(|claim| {
            let mut ctx = Ctx {
                data,
                missing: Vec::new(),
                unstable: false,
            };
            let result = (claim.eval)(&mut ctx);
            let (status, numbers) = match result {
                Some((true, n)) => (Status::Confirmed, n),
                Some((false, n)) => (Status::Refuted, n),
                None => (
                    Status::NotShown,
                    format!("missing: {}", ctx.missing.join(", ")),
                ),
            };
            Verdict {
                id: claim.id,
                claim: claim.claim,
                rule: claim.rule,
                status,
                numbers,
                unstable: ctx.unstable && status != Status::NotShown,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Store, SCHEMA_VERSION};

    use crate::report::test_row as row;

    fn verdict(rows: Vec<Row>, id: &str) -> Verdict {
        let store = Store {
            schema_version: SCHEMA_VERSION,
            runs: Default::default(),
            rows,
        };
        evaluate(&Data::new(&store))
            .into_iter()
            .find(|v| v.id == id)
            .unwrap()
    }

    fn emoji(naive: f64, hot: f64, rust: f64) -> Vec<Row> {
        vec![
            row("emoji", "naive", "slice-lookup", naive),
            row("emoji", "hotpath", "re", hot),
            row("emoji", "rust", "scanner", rust),
        ]
    }

    #[test]
    fn c3_and_c4_confirmed_refuted_and_not_shown() {
        let v = verdict(emoji(10.0, 100.0, 5000.0), "C3");
        assert_eq!(v.status, Status::Confirmed, "{}", v.numbers);
        assert!(v.numbers.contains("500×"), "{}", v.numbers);
        assert_eq!(
            verdict(emoji(10.0, 100.0, 5000.0), "C4").status,
            Status::Refuted
        );
        assert_eq!(
            verdict(emoji(10.0, 2000.0, 5000.0), "C4").status,
            Status::Confirmed
        );
        assert_eq!(
            verdict(emoji(200.0, 100.0, 5000.0), "C3").status,
            Status::Refuted
        );
        let mut rows = emoji(10.0, 100.0, 5000.0);
        rows[0].status = "error".into();
        let v = verdict(rows, "C3");
        assert_eq!(v.status, Status::NotShown);
        assert!(v.numbers.contains("naive pick"), "{}", v.numbers);
    }

    #[test]
    fn unstable_inputs_are_named() {
        let mut rows = emoji(10.0, 100.0, 5000.0);
        rows[2].unstable = Some(true);
        assert!(verdict(rows.clone(), "C3").unstable);
        assert!(!verdict(emoji(10.0, 100.0, 5000.0), "C3").unstable);
    }

    #[test]
    fn c1_needs_both_bounds() {
        let rows = |hot: f64| {
            let mut zlib = row("decompress", "rust", "flate2-zlib-rs", 340.0);
            zlib.pick = false;
            vec![
                row("decompress", "hotpath", "zlib", hot),
                row("decompress", "rust", "libdeflate", 460.0),
                zlib,
            ]
        };
        assert_eq!(verdict(rows(300.0), "C1").status, Status::Confirmed);
        assert_eq!(
            verdict(rows(180.0), "C1").status,
            Status::Refuted,
            "1.9× zlib-rs"
        );
        assert_eq!(
            verdict(rows(300.0)[..2].to_vec(), "C1").status,
            Status::NotShown
        );
    }

    #[test]
    fn c9_and_c7_not_shown_without_rows_then_computed() {
        assert_eq!(verdict(emoji(1.0, 2.0, 3.0), "C9").status, Status::NotShown);
        assert_eq!(verdict(emoji(1.0, 2.0, 3.0), "C7").status, Status::NotShown);
        let mut rows = emoji(10.0, 100.0, 5000.0);
        let mut n = row("emoji", "rust", "naive-chars", 50.0);
        n.pick = false;
        rows.push(n);
        assert_eq!(verdict(rows.clone(), "C9").status, Status::Confirmed);
        rows.last_mut().unwrap().throughput = Some(500.0);
        assert_eq!(verdict(rows, "C9").status, Status::Refuted);
    }

    #[test]
    fn c10_reports_all_three_ratios() {
        let mut rows = vec![
            row("emoji", "pure", "dict-trie", 18.0),
            row("emoji", "pure", "dict-trie-2threads", 19.0),
            row("emoji", "rust", "scanner", 5000.0),
            row("emoji", "rust", "scanner-2threads", 9000.0),
        ];
        rows[1].pick = false;
        rows[3].pick = false;
        let v = verdict(rows.clone(), "C10");
        assert_eq!(v.status, Status::Confirmed, "{}", v.numbers);
        assert!(
            v.numbers.contains("not measured"),
            "pyo3 ratio missing: {}",
            v.numbers
        );
        rows[1].throughput = Some(34.0);
        assert_eq!(verdict(rows, "C10").status, Status::Refuted);
    }

    #[test]
    fn c7_reads_the_fetch_grid() {
        let fetch = |ds: &str, tier: &str, v: &str, rps: f64| {
            let mut r = row("fetch", tier, v, rps);
            r.dataset = ds.into();
            r.regime = ds.into();
            r
        };
        let rows = vec![
            fetch("lat20-c16", "hotpath", "urllib3", 0.00078),
            fetch("lat20-c16", "ecosystem", "httpx", 0.00079),
            fetch("lat20-c16", "rust", "reqwest", 0.0008),
            fetch("lat20-c16", "naive", "requests-unpooled", 0.0002),
            fetch("lat0-c16", "hotpath", "urllib3", 0.01),
            fetch("lat0-c16", "rust", "reqwest", 0.05),
        ];
        let v = verdict(rows.clone(), "C7");
        assert_eq!(v.status, Status::Confirmed, "{}", v.numbers);
        let mut slow = rows;
        slow[5].throughput = Some(0.015);
        assert_eq!(verdict(slow, "C7").status, Status::Refuted);
    }

    #[test]
    fn c8_compares_with_amdahl() {
        // hotpath: index 10, fetch 40, gunzip 20, emoji 30 = 100 ms; pyo3 speeds index, gunzip
        // and emoji up 10x (1 + 40 + 2 + 3 = 46 ms): predicted 100 / 46 = 2.17x.
        let stage = |tier: &str, v: &str, ms: f64| {
            let mut r = row("pipeline", tier, v, 1.0);
            r.dataset = "lat0-c16".into();
            r.median_ns = Some(ms * 1e6);
            r.throughput = Some(1e3 * 1e6 / (ms * 1e6));
            r
        };
        let rows = |e2e: f64| {
            let mut rows = vec![stage("hotpath", "e2e", 100.0), stage("pyo3", "e2e", e2e)];
            for (s, hot, pyo3) in [
                ("index", 10.0, 1.0),
                ("fetch", 40.0, 40.0),
                ("gunzip", 20.0, 2.0),
                ("emoji", 30.0, 3.0),
            ] {
                rows.push(stage("hotpath", &format!("stage-{s}"), hot));
                rows.push(stage("pyo3", &format!("stage-{s}"), pyo3));
            }
            rows
        };
        let v = verdict(rows(48.0), "C8");
        assert_eq!(v.status, Status::Confirmed, "{}", v.numbers);
        assert_eq!(verdict(rows(30.0), "C8").status, Status::Refuted);
    }
}
