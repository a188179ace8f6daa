//! Axes: linear or logarithmic scales, tick positions and labels, the chart and its mesh.
//!
//! A log axis is drawn as a linear axis over log₁₀ of the data: data are mapped with
//! [`Scale::map`] before drawing (non-positive values become gaps), ticks sit at decades
//! (and at 2 and 5 times them when the range spans less than two decades) and are labelled
//! 10^k.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::{DESC_SIZE, DrawResult, TICK_SIZE, TOP_MARGIN, drawing, font};
use super::{text_width, u, ui};

/// A chart whose axes carry their own tick positions.
pub(super) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Ticked, Ticked>>;

/// A linear coordinate with the given tick positions (and no minor ticks).
#[derive(Clone)]
pub(super) struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    pub(super) fn new(range: Range<f64>, ticks: Vec<f64>) -> Self {
        Self {
            inner: range.into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn axis_pixel_range(&self, limit: (i32, i32)) -> Range<i32> {
        self.inner.axis_pixel_range(limit)
    }
}

/// Linear or logarithmic axis scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scale {
    Linear,
    Log,
}

impl Scale {
    pub(super) fn of(log: bool) -> Self {
        if log { Scale::Log } else { Scale::Linear }
    }

    /// The drawn coordinate of data value `v`: v, or log₁₀ v (NaN for v ≤ 0).
    pub(super) fn map(self, v: f64) -> f64 {
        match self {
            Scale::Linear => v,
            Scale::Log if v > 0.0 => v.log10(),
            Scale::Log => f64::NAN,
        }
    }
}

/// One axis of a chart: its range in drawn coordinates and its scale.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AxisSpec {
    pub range: Range<f64>,
    pub scale: Scale,
    /// Most ticks that fit along the axis.
    pub max_ticks: usize,
}

/// Most ticks on an axis `length` pixels long with at least `spacing` pixels between them
/// (3 to 8).
pub(super) fn tick_count(length: u32, spacing: u32) -> usize {
    (length / spacing.max(1)).clamp(3, 8) as usize
}

impl AxisSpec {
    /// Tick positions (drawn coordinates) inside the range.
    pub(super) fn ticks(&self) -> Vec<f64> {
        match self.scale {
            Scale::Linear => linear_ticks(&self.range, self.max_ticks),
            Scale::Log => log_ticks(&self.range, self.max_ticks),
        }
    }

    /// The tick label of drawn coordinate `v` (marked up).
    pub(super) fn label(&self) -> impl Fn(&f64) -> String + use<> {
        let linear = tick_formatter(&self.range);
        let scale = self.scale;
        move |v: &f64| match scale {
            Scale::Linear => linear(v),
            Scale::Log => decade_label(*v),
        }
    }
}

/// The 1–2–5 step giving at most `max` ticks over a range `span` wide.
fn nice_step(span: f64, max: usize) -> f64 {
    if !(span > 0.0 && span.is_finite()) {
        return 1.0;
    }
    let raw = span / (max.max(2) - 1) as f64;
    let decade = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * decade)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * decade)
}

/// At most `max` ticks at multiples of a 1–2–5 step inside `range`.
pub(super) fn linear_ticks(range: &Range<f64>, max: usize) -> Vec<f64> {
    let (lo, hi) = (range.start.min(range.end), range.start.max(range.end));
    let step = nice_step(hi - lo, max);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    if last < first || last - first > 100 {
        return vec![lo, hi];
    }
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Ticks of a log axis over `range` (log₁₀ units): decades, thinned to at most `max`; with
/// 2× and 5× (or every mantissa) when fewer than three decades fall inside.
pub(super) fn log_ticks(range: &Range<f64>, max: usize) -> Vec<f64> {
    let (lo, hi) = (range.start.min(range.end), range.start.max(range.end));
    let eps = 1e-9 * (hi - lo).abs().max(1e-300);
    let decades: Vec<i64> = ((lo - eps).ceil() as i64..=(hi + eps).floor() as i64).collect();
    if decades.len() >= 3 {
        let stride = decades.len().div_ceil(max.max(2));
        return decades
            .into_iter()
            .filter(|k| k.rem_euclid(stride as i64) == 0)
            .map(|k| k as f64)
            .collect();
    }
    for mantissas in [
        &[1.0, 2.0, 5.0][..],
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
    ] {
        let ticks: Vec<f64> = ((lo.floor() as i64)..=(hi.ceil() as i64))
            .flat_map(|k| mantissas.iter().map(move |m| k as f64 + f64::log10(*m)))
            .filter(|t| (lo - eps..=hi + eps).contains(t))
            .collect();
        if ticks.len() >= 3 && ticks.len() <= max.max(3) {
            return ticks;
        }
    }
    linear_ticks(range, max)
}

/// Label of the log-axis tick at log₁₀ value `v`: 10^k at decades, else the number.
pub(super) fn decade_label(v: f64) -> String {
    let k = v.round();
    if (v - k).abs() < 1e-9 {
        return format!("10^{{{}}}", (k as i64).to_string().replace('-', "\u{2212}"));
    }
    let x = 10f64.powf(v);
    let exponent = x.log10().floor();
    let text = if (-3.0..5.0).contains(&exponent) {
        let decimals = (-exponent).max(0.0) as usize;
        trim_zeros(&format!("{x:.decimals$}")).to_string()
    } else {
        let mantissa = (x / 10f64.powf(exponent)).round();
        format!("{mantissa}×10^{{{}}}", exponent as i64)
    };
    text.replace('-', "\u{2212}")
}

/// Tick labels for a linear axis over `range`: no more digits than the tick spacing
/// needs, trailing zeros dropped, scientific notation for very large or small magnitudes,
/// and a true minus sign (−).
pub(super) fn tick_formatter(range: &Range<f64>) -> impl Fn(&f64) -> String + use<> {
    let span = (range.end - range.start).abs();
    let magnitude = range.start.abs().max(range.end.abs());
    // Ticks are at most 8 over the range: their spacing is at least span / 10.
    let step = if span > 0.0 { span / 10.0 } else { 1.0 };
    let scientific = magnitude >= 1e5 || (magnitude > 0.0 && magnitude < 1e-3);
    move |&v: &f64| {
        if v.abs() < step * 1e-6 {
            return "0".to_string();
        }
        let text = if scientific {
            let digits = (v.abs() / step).log10().ceil().clamp(0.0, 6.0) as usize;
            let text = format!("{v:.digits$e}");
            match text.split_once('e') {
                Some((mantissa, exponent)) => format!("{}e{exponent}", trim_zeros(mantissa)),
                None => text,
            }
        } else {
            let decimals = (-step.log10()).ceil().clamp(0.0, 12.0) as usize;
            trim_zeros(&format!("{v:.decimals$}")).to_string()
        };
        // Typographic minus sign.
        text.replace('-', "\u{2212}")
    }
}

pub(super) fn trim_zeros(number: &str) -> &str {
    let trimmed = if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    };
    if trimmed == "-0" { "0" } else { trimmed }
}

/// The range of finite values, padded by `pad` of its width on each side; a single value
/// gets a range around it, no values the range [0, 1].
pub(super) fn data_range(values: impl Iterator<Item = f64>, pad: f64) -> Range<f64> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return 0.0..1.0;
    }
    let width = hi - lo;
    if width > 0.0 && width.is_finite() {
        (lo - pad * width)..(hi + pad * width)
    } else {
        let half = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
        (lo - half)..(hi + half)
    }
}

/// Points split into runs of finite points.
pub(super) fn finite_segments(points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    points
        .split(|(x, y)| !(x.is_finite() && y.is_finite()))
        .filter(|s| !s.is_empty())
        .map(<[_]>::to_vec)
        .collect()
}

/// Width in pixels of the label area left of a y axis: its widest tick label, the axis
/// label and the gaps.
pub(super) fn y_label_area(y: &AxisSpec) -> u32 {
    let y_ticks = y.label();
    let widest = y
        .ticks()
        .iter()
        .map(|v| text_width(&y_ticks(v), TICK_SIZE))
        .max()
        .unwrap_or(0);
    widest + 55
}

/// A chart on `area` with `x_label_area` pixels below it for tick labels and the x-axis
/// label and `y_label_area` pixels left of it ([`y_label_area`]).
pub(super) fn cartesian<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: &AxisSpec,
    y: &AxisSpec,
    x_label_area: u32,
    y_label_area: u32,
) -> std::result::Result<Chart<'a, DB>, String> {
    ChartBuilder::on(area)
        .margin_top(u(TOP_MARGIN))
        .margin_right(u(25))
        .margin_left(u(10))
        .x_label_area_size(u(x_label_area))
        .y_label_area_size(u(y_label_area))
        .build_cartesian_2d(
            Ticked::new(x.range.clone(), x.ticks()),
            Ticked::new(y.range.clone(), y.ticks()),
        )
        .map_err(drawing)
}

/// Axes, ticks and axis labels; grid lines only when `grid`; no x tick labels nor x-axis
/// label when `x_label` is `None` (an upper panel of small multiples).
pub(super) fn mesh<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x: &AxisSpec,
    y: &AxisSpec,
    x_label: Option<&str>,
    y_label: &str,
    grid: bool,
) -> DrawResult {
    let x_ticks = x.label();
    let y_ticks = y.label();
    let no_label = |_: &f64| String::new();
    let mut mesh = chart.configure_mesh();
    mesh.y_desc(y_label)
        .y_label_formatter(&y_ticks)
        .label_style(font(TICK_SIZE))
        .axis_desc_style(font(DESC_SIZE))
        .axis_style(BLACK.stroke_width(u(1)))
        .bold_line_style(BLACK.mix(0.12).stroke_width(u(1)))
        .light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(ui(5));
    match x_label {
        Some(label) => mesh.x_desc(label).x_label_formatter(&x_ticks),
        None => mesh.x_label_formatter(&no_label),
    };
    if !grid {
        mesh.disable_mesh();
    }
    mesh.draw().map_err(drawing)
}
