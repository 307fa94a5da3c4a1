//! `--baseline OLD.json`: what changed since an older results file.
//!
//! Machines and runs differ, so absolute throughputs do not compare; each row's ratio to its
//! regime's `rust` pick (measured in the same run, on the same machine) does. A row has
//! "changed" when the log of new/old ratio exceeds the sum of both rows' relative 95% CI
//! half-widths (their noise), or 10% when either has no CI. Verdicts are recomputed on the old
//! file and every flip is listed.

use super::verdicts::{self, Status};
use super::{rel_ci, tp, Data};
use crate::results::{Row, Store};

/// Threshold used when a row has no CI of its mean.
pub const NO_CI_THRESHOLD: f64 = 0.10;

#[derive(Debug, Clone)]
pub struct Change {
    /// `group dataset tier/variant`.
    pub key: String,
    pub old: f64,
    pub new: f64,
    pub threshold: f64,
}

impl Change {
    /// |ln(new/old)|: the size of the change, comparable with the threshold.
    pub fn log_change(&self) -> f64 {
        (self.new / self.old).ln().abs()
    }

    pub fn changed(&self) -> bool {
        self.log_change() > self.threshold
    }
}

#[derive(Debug, Clone)]
pub struct Comparison {
    /// Every row present and measured in both files (rust picks excluded: their ratio is 1).
    pub rows: Vec<Change>,
    pub flips: Vec<(&'static str, Status, Status)>,
    pub only_new: usize,
    pub only_old: usize,
}

impl Comparison {
    pub fn changed(&self) -> impl Iterator<Item = &Change> {
        self.rows.iter().filter(|c| c.changed())
    }
}

/// The `rust` pick a row is compared with: its regime's, or for a sweep point the rust pick on
/// the same sweep dataset.
fn rust_ref<'a>(store: &'a Store, r: &Row) -> Option<&'a Row> {
    store.rows.iter().find(|q| {
        q.task == r.task
            && q.workload == r.workload
            && q.tier == "rust"
            && q.pick
            && q.is_measured()
            && q.sweep == r.sweep
            && if r.sweep.is_empty() {
                q.regime == r.regime
            } else {
                q.dataset == r.dataset
            }
    })
}

fn ratio(store: &Store, r: &Row) -> Option<f64> {
    if !r.is_measured() || (r.tier == "rust" && r.pick) {
        return None;
    }
    let base = rust_ref(store, r)?;
    Some(tp(r) / tp(base))
}

pub fn compare(new: &Store, old: &Store) -> Comparison {
    let mut rows = Vec::new();
    let mut only_new = 0;
    for r in &new.rows {
        let Some(o) = old.rows.iter().find(|o| o.key() == r.key()) else {
            only_new += 1;
            continue;
        };
        if let (Some(n), Some(p)) = (ratio(new, r), ratio(old, o)) {
            let threshold = match (rel_ci(r), rel_ci(o)) {
                (Some(a), Some(b)) => a + b,
                _ => NO_CI_THRESHOLD,
            };
            rows.push(Change {
                key: format!("{} {} {}", r.group(), r.dataset, r.id()),
                old: p,
                new: n,
                threshold,
            });
        }
    }
    let only_old = old
        .rows
        .iter()
        .filter(|o| !new.rows.iter().any(|r| r.key() == o.key()))
        .count();
    let before = verdicts::evaluate(&Data::new(old));
    let after = verdicts::evaluate(&Data::new(new));
    let flips = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b.status != a.status)
        .map(|(b, a)| (a.id, b.status, a.status))
        .collect();
    Comparison {
        rows,
        flips,
        only_new,
        only_old,
    }
}
