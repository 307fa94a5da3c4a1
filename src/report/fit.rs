//! Size sweeps: `time = fixed + per_unit × n` per tier, and where two tiers' lines cross.
//!
//! The fit is weighted least squares with weights 1/t², i.e. it minimises the *relative*
//! error: sweep points span four decades of time, and an unweighted fit would ignore every
//! point but the largest. A negative fixed cost is meaningless (and comes only from noise), so
//! it is clamped to 0 and the slope refitted through the origin.

/// A fitted line; times in ns, sizes in throughput units (bytes, mostly).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub fixed_ns: f64,
    pub per_unit_ns: f64,
}

impl Fit {
    pub fn at(&self, n: f64) -> f64 {
        self.fixed_ns + self.per_unit_ns * n
    }

    /// Asymptotic throughput in millions of units per second (MB/s for bytes).
    pub fn asymptotic(&self) -> f64 {
        1e3 / self.per_unit_ns
    }

    /// Hockney's n½: the size at which half the asymptotic throughput is reached.
    pub fn n_half(&self) -> f64 {
        self.fixed_ns / self.per_unit_ns
    }
}

/// Fits `(n, t_ns)` points; `None` with fewer than two distinct sizes or a non-positive slope.
pub fn fit(points: &[(f64, f64)]) -> Option<Fit> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|&(n, t)| n > 0.0 && t > 0.0 && n.is_finite() && t.is_finite())
        .collect();
    if pts.len() < 2 || pts.iter().all(|p| p.0 == pts[0].0) {
        return None;
    }
    // Normal equations of Σ w (t − a − b n)², w = 1/t².
    let (mut sw, mut sn, mut snn, mut st, mut snt) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(n, t) in &pts {
        let w = 1.0 / (t * t);
        sw += w;
        sn += w * n;
        snn += w * n * n;
        st += w * t;
        snt += w * n * t;
    }
    let det = sw * snn - sn * sn;
    let (mut a, mut b) = if det.abs() > 0.0 {
        ((st * snn - sn * snt) / det, (sw * snt - sn * st) / det)
    } else {
        (0.0, snt / snn)
    };
    if a < 0.0 {
        a = 0.0;
        b = snt / snn;
    }
    (b > 0.0).then_some(Fit {
        fixed_ns: a,
        per_unit_ns: b,
    })
}

/// Where line `a` and line `b` cross (`None` when parallel or crossing at n ≤ 0). Above the
/// crossing the line with the smaller slope is the faster.
pub fn crossing(a: &Fit, b: &Fit) -> Option<f64> {
    let dslope = a.per_unit_ns - b.per_unit_ns;
    if dslope == 0.0 {
        return None;
    }
    let n = (b.fixed_ns - a.fixed_ns) / dslope;
    (n > 0.0 && n.is_finite()).then_some(n)
}

/// A crossing is worth reporting when it lies within a factor 4 of the measured sizes: further
/// out it is an extrapolation of two straight lines, not a measurement.
pub fn near(n: f64, lo: f64, hi: f64) -> bool {
    n >= lo / 4.0 && n <= hi * 4.0
}

/// Sizes in bytes as people read them: 1 KiB, 64 KiB, 16 MiB, 1.5 MiB.
pub fn bytes(n: f64) -> String {
    let units = [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (name, size) in units {
        let v = n / size as f64;
        if v >= 1.0 {
            return if (v - v.round()).abs() < 0.05 {
                format!("{:.0} {name}", v.round())
            } else {
                format!("{v:.1} {name}")
            };
        }
    }
    format!("{n:.0} B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_an_exact_line() {
        let pts: Vec<(f64, f64)> = [1e3, 1e4, 1e5, 1e6]
            .iter()
            .map(|&n| (n, 5000.0 + 2.0 * n))
            .collect();
        let f = fit(&pts).unwrap();
        assert!((f.fixed_ns - 5000.0).abs() < 1e-6);
        assert!((f.per_unit_ns - 2.0).abs() < 1e-9);
        assert!((f.n_half() - 2500.0).abs() < 1e-6);
        assert!((f.asymptotic() - 500.0).abs() < 1e-6);
    }

    #[test]
    fn clamps_a_negative_fixed_cost() {
        let f = fit(&[(1e3, 900.0), (1e6, 1e6)]).unwrap();
        assert_eq!(f.fixed_ns, 0.0);
        assert!(f.per_unit_ns > 0.0);
        assert!(fit(&[(1e3, 1.0)]).is_none());
    }

    #[test]
    fn crossing_of_two_tiers() {
        // A: high fixed cost, fast per byte (pyo3); B: no fixed cost, slow per byte (hotpath).
        let a = Fit {
            fixed_ns: 1000.0,
            per_unit_ns: 1.0,
        };
        let b = Fit {
            fixed_ns: 0.0,
            per_unit_ns: 3.0,
        };
        assert_eq!(crossing(&a, &b), Some(500.0));
        assert!(near(500.0, 1024.0, 1e6));
        assert!(!near(100.0, 1024.0, 1e6));
        assert_eq!(bytes(65536.0), "64 KiB");
    }
}
