//! The page's charts, drawn with plotters into SVG strings that are embedded inline.
//!
//! plotters is built without a font feature, so it lays text out with a naive width estimator
//! and the SVG carries real `<text>` elements in the browser's sans-serif: no font files, no
//! fetches. Every chart has a fixed-size viewBox and the page's CSS scales it to the width.
//! Throughput spans four decades between tiers, so every throughput axis is logarithmic.

use super::fit::Fit;
use super::tier_color;
use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::RangedCoordusize;
use plotters::prelude::*;

const WIDTH: u32 = 900;
const FONT: &str = "sans-serif";

fn color(tier: &str) -> RGBColor {
    let (r, g, b) = tier_color(tier);
    RGBColor(r, g, b)
}

/// A logarithmic range covering `values` on whole decades (and never empty).
fn decades(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| *v > 0.0 && v.is_finite())
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return (0.1, 10.0);
    }
    let lo = 10f64.powf(lo.log10().floor());
    let hi = 10f64.powf(hi.log10().ceil()).max(lo * 10.0);
    (lo, hi)
}

/// Axis labels on a log axis: 0.1, 1, 10, 1,000, 1e6.
fn log_label(v: f64) -> String {
    if v >= 1e6 || (v < 1e-2 && v > 0.0) {
        format!("{v:.0e}")
    } else if v >= 1.0 && v.fract() == 0.0 {
        super::num(v)
            .split('.')
            .next()
            .unwrap_or_default()
            .to_string()
    } else {
        super::num(v)
    }
}

/// Runs a drawing closure on a fresh SVG; a drawing error becomes a note instead of a chart
/// (a report with one chart missing beats no report).
fn svg(
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), String>,
) -> String {
    let mut out = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|_| draw(&root))
            .and_then(|_| root.present().map_err(|e| e.to_string()))
    };
    match result {
        Ok(()) => out,
        Err(e) => format!("<p class=\"note\">chart not drawn: {}</p>", super::esc(&e)),
    }
}

/// The two charts with one row per label: the headline's dots, a regime's bars.
#[derive(Clone, Copy, PartialEq)]
enum Rows {
    Headline,
    Bars,
}

type RowChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<LogCoord<f64>, SegmentedCoord<RangedCoordusize>>>;

/// A chart with one row per label (the first at the top) on a log throughput axis from `lo`
/// to `hi`, its mesh drawn: what the headline and the bar charts share.
fn row_chart<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    labels: &[&str],
    (lo, hi): (f64, f64),
    unit: &str,
    kind: Rows,
) -> Result<RowChart<'a, 'b>, String> {
    let n = labels.len().max(1);
    let (label_width, label_size) = match kind {
        Rows::Headline => (260, 13),
        Rows::Bars => (300, 12),
    };
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .margin_right(36)
        .x_label_area_size(40)
        .y_label_area_size(label_width)
        .build_cartesian_2d((lo..hi).log_scale(), (0..n - 1).into_segmented())
        .map_err(|e| e.to_string())?;
    let label = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => labels
            .get(n - 1 - (*i).min(n - 1))
            .map_or(String::new(), |l| l.to_string()),
        SegmentValue::Last => String::new(),
    };
    let mut mesh = chart.configure_mesh();
    mesh.y_labels(n)
        .y_label_formatter(&label)
        .x_label_formatter(&|v| log_label(*v))
        .x_desc(unit)
        .label_style((FONT, label_size))
        .axis_desc_style((FONT, 14));
    if kind == Rows::Headline {
        // The paved/unpaved bands carry the rows; light grid lines would cross them.
        mesh.light_line_style(WHITE.mix(0.0));
    }
    mesh.draw().map_err(|e| e.to_string())?;
    Ok(chart)
}

/// One row of the headline chart: a regime, its class, and each tier's pick.
pub struct DotRow {
    pub label: String,
    pub paved: bool,
    pub points: Vec<(String, f64)>,
}

/// One row per regime (the first at the top), one dot per tier on a shared log throughput axis; paved rows on a green
/// band, unpaved on an orange one, so the two classes separate at a glance.
pub fn dots(rows: &[DotRow], unit: &str) -> String {
    let n = rows.len().max(1);
    let (lo, hi) = decades(rows.iter().flat_map(|r| r.points.iter().map(|p| p.1)));
    svg(70 + 34 * n as u32, |root| {
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        let mut chart = row_chart(root, &labels, (lo, hi), unit, Rows::Headline)?;
        let bands = rows.iter().enumerate().map(|(k, r)| {
            let i = n - 1 - k;
            let fill = if r.paved {
                RGBColor(0, 158, 115).mix(0.10)
            } else {
                RGBColor(230, 159, 0).mix(0.14)
            };
            Rectangle::new(
                [
                    (lo, SegmentValue::Exact(i)),
                    (hi, SegmentValue::Exact(i + 1)),
                ],
                fill.filled(),
            )
        });
        chart.draw_series(bands).map_err(|e| e.to_string())?;
        let dots = rows.iter().enumerate().flat_map(|(k, r)| {
            let i = n - 1 - k;
            r.points.iter().map(move |(tier, v)| {
                Circle::new((*v, SegmentValue::CenterOf(i)), 6, color(tier).filled())
            })
        });
        chart.draw_series(dots).map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// One bar of a regime's chart.
pub struct Bar {
    pub label: String,
    pub tier: String,
    pub value: f64,
    pub ci: Option<(f64, f64)>,
}

/// Horizontal bars on a log axis, one per variant (the first at the top), with the 95% CI as a
/// whisker.
pub fn bars(bars: &[Bar], unit: &str) -> String {
    let n = bars.len().max(1);
    let (lo, hi) = decades(
        bars.iter()
            .flat_map(|b| [Some(b.value), b.ci.map(|c| c.0), b.ci.map(|c| c.1)])
            .flatten(),
    );
    svg(60 + 24 * n as u32, |root| {
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        let mut chart = row_chart(root, &labels, (lo, hi), unit, Rows::Bars)?;
        let rects = bars.iter().enumerate().map(|(k, b)| {
            let i = n - 1 - k;
            let mut r = Rectangle::new(
                [
                    (lo, SegmentValue::Exact(i)),
                    (b.value, SegmentValue::Exact(i + 1)),
                ],
                color(&b.tier).filled(),
            );
            r.set_margin(4, 4, 0, 0);
            r
        });
        chart.draw_series(rects).map_err(|e| e.to_string())?;
        let whiskers = bars.iter().enumerate().filter_map(|(k, b)| {
            let i = n - 1 - k;
            let (l, h) = b.ci?;
            Some(PathElement::new(
                vec![
                    (l, SegmentValue::CenterOf(i)),
                    (h, SegmentValue::CenterOf(i)),
                ],
                BLACK.stroke_width(2),
            ))
        });
        chart.draw_series(whiskers).map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// A measured series of one tier (x, y), and optionally its fitted line.
pub struct Series {
    pub tier: String,
    pub points: Vec<(f64, f64)>,
    pub fit: Option<Fit>,
}

/// Log-log time per call (µs) against input size, per tier, with each tier's fitted line
/// dashed. Points' x are in units of `x_unit` throughput units (1024: KiB, so the decades of
/// the axis read 1, 10, 100 KiB); fits are per throughput unit, in ns.
pub fn sweep(series: &[Series], x_unit: f64, x_desc: &str, y_desc: &str) -> String {
    let (xlo, xhi) = decades(series.iter().flat_map(|s| s.points.iter().map(|p| p.0)));
    let (ylo, yhi) = decades(series.iter().flat_map(|s| s.points.iter().map(|p| p.1)));
    svg(460, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(14)
            .margin_right(40)
            .x_label_area_size(44)
            .y_label_area_size(70)
            .build_cartesian_2d((xlo..xhi).log_scale(), (ylo..yhi).log_scale())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_label_formatter(&|v| log_label(*v))
            .y_label_formatter(&|v| log_label(*v))
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 14))
            .draw()
            .map_err(|e| e.to_string())?;
        for s in series {
            let c = color(&s.tier);
            if let Some(f) = s.fit {
                // Points are µs per call; fits are in ns.
                let steps = 60;
                let line = (0..=steps).map(|k| {
                    let x = xlo * (xhi / xlo).powf(k as f64 / steps as f64);
                    (x, f.at(x * x_unit) / 1e3)
                });
                let line: Vec<(f64, f64)> = line.filter(|p| p.1 >= ylo && p.1 <= yhi).collect();
                chart
                    .draw_series(DashedLineSeries::new(
                        line,
                        6,
                        4,
                        c.mix(0.7).stroke_width(1),
                    ))
                    .map_err(|e| e.to_string())?;
            }
            chart
                .draw_series(LineSeries::new(s.points.clone(), c.stroke_width(2)))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(s.points.iter().map(|p| Circle::new(*p, 4, c.filled())))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// Throughput against a density on a log x axis where 0 (no log position) is drawn at
/// `floor` and labelled "0".
pub fn density(series: &[Series], floor: f64, x_desc: &str, y_desc: &str) -> String {
    let placed: Vec<Series> = series
        .iter()
        .map(|s| Series {
            tier: s.tier.clone(),
            points: s.points.iter().map(|&(x, y)| (x.max(floor), y)).collect(),
            fit: None,
        })
        .collect();
    let (xlo, xhi) = decades(placed.iter().flat_map(|s| s.points.iter().map(|p| p.0)));
    let (ylo, yhi) = decades(placed.iter().flat_map(|s| s.points.iter().map(|p| p.1)));
    svg(420, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(14)
            .margin_right(40)
            .x_label_area_size(44)
            .y_label_area_size(70)
            .build_cartesian_2d((xlo..xhi).log_scale(), (ylo..yhi).log_scale())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_label_formatter(&|v| {
                if (*v - floor).abs() <= floor * 1e-6 {
                    "0".into()
                } else {
                    log_label(*v)
                }
            })
            .y_label_formatter(&|v| log_label(*v))
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 14))
            .draw()
            .map_err(|e| e.to_string())?;
        for s in &placed {
            let c = color(&s.tier);
            chart
                .draw_series(LineSeries::new(s.points.clone(), c.stroke_width(2)))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(s.points.iter().map(|p| Circle::new(*p, 4, c.filled())))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_with_text_and_a_viewbox() {
        let b = bars(
            &[
                Bar {
                    label: "rust/scanner".into(),
                    tier: "rust".into(),
                    value: 5000.0,
                    ci: Some((4900.0, 5100.0)),
                },
                Bar {
                    label: "pure/dict-trie".into(),
                    tier: "pure".into(),
                    value: 18.0,
                    ci: None,
                },
            ],
            "MB/s",
        );
        assert!(b.starts_with("<svg"), "{}", &b[..b.len().min(200)]);
        assert!(b.contains("viewBox") && b.contains("<text") && b.contains("rust/scanner"));
        let s = sweep(
            &[Series {
                tier: "pyo3".into(),
                points: vec![(1024.0, 2.0), (65536.0, 20.0), (1048576.0, 250.0)],
                fit: Some(Fit {
                    fixed_ns: 1500.0,
                    per_unit_ns: 0.24,
                }),
            }],
            1.0,
            "input size",
            "µs per call",
        );
        assert!(
            s.contains("<text") && s.contains("<polyline"),
            "{}",
            &s[..300]
        );
        let d = density(
            &[Series {
                tier: "rust".into(),
                points: vec![(0.0, 7000.0), (10.0, 7100.0), (10000.0, 2000.0)],
                fit: None,
            }],
            1.0,
            "emoji per MB",
            "MB/s",
        );
        // plotters writes each label on a line of its own.
        assert!(
            d.contains("\n0\n</text>"),
            "zero placed at the floor and labelled"
        );
        assert!(
            d.contains("\n10\n</text>"),
            "whole decades without decimals"
        );
    }
}
