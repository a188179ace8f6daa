//! Heat maps and category maps over a 2-D grid, with overlaid curves.

use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{self, AxisSpec, Chart, Scale, data_range, finite_segments, tick_count};
use super::colour::{CATEGORY_COLOURS, COLOUR_BAR_WIDTH, ColourScale, UNDEFINED, colour_bar};
use super::legend::{
    LegendEntry, LineKind, Mark, draw_legend, draw_line, legend_height, legend_width,
};
use super::{Curve, DrawResult, Figure, GridAxis, SCALE, Style, TOP_MARGIN, X_LABEL_AREA};
use super::{drawing, plot_error, start, u};
use crate::Result;

pub(super) struct HeatMap<'a> {
    pub title: &'a str,
    pub x: &'a GridAxis,
    pub y: &'a GridAxis,
    pub z: &'a [f64],
    pub z_label: &'a str,
    pub overlays: &'a [Curve],
    pub style: &'a Style,
}

impl HeatMap<'_> {
    fn has_undefined(&self) -> bool {
        self.z.iter().any(|z| !z.is_finite())
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut legend = overlay_legend(self.overlays);
        if self.has_undefined() {
            legend.push(LegendEntry {
                name: "undefined".to_string(),
                mark: Mark::Swatch(UNDEFINED),
            });
        }
        legend
    }
}

impl Figure for HeatMap<'_> {
    fn panel_width(&self) -> u32 {
        let legend = self.legend();
        legend_width(legend.iter().map(|e| e.name.as_str())).max(COLOUR_BAR_WIDTH)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        main_width: u32,
    ) -> DrawResult {
        let scale = ColourScale::new(self.z);
        let (main, panel) = start(root, self.title, main_width, self.panel_width() > 0)?;
        let colour = |k: usize| match scale {
            Some(s) if self.z[k].is_finite() => s.colour(self.z[k]),
            _ => UNDEFINED,
        };
        let (mut chart, x, y) = cell_map(&main, self.x, self.y, self.style, colour)?;
        draw_overlays(&mut chart, self.overlays, &x, &y)?;

        let Some(panel) = panel else { return Ok(()) };
        let legend = self.legend();
        let legend_height = legend_height(legend.len());
        if let Some(scale) = scale {
            colour_bar(&panel, &scale, self.z_label, legend_height)?;
        }
        let panel_height = (panel.dim_in_pixel().1 / SCALE) as i32;
        let legend_top = panel_height - X_LABEL_AREA as i32 - legend_height as i32 + 10;
        draw_legend(&panel, &legend, legend_top)?;
        Ok(())
    }
}

pub(super) struct CategoryMap<'a> {
    pub title: &'a str,
    pub x: &'a GridAxis,
    pub y: &'a GridAxis,
    pub labels: &'a [usize],
    pub categories: &'a [&'a str],
    pub overlays: &'a [Curve],
    pub style: &'a Style,
}

impl CategoryMap<'_> {
    fn legend(&self) -> Vec<LegendEntry> {
        let mut present = vec![false; self.categories.len()];
        for &l in self.labels {
            present[l] = true;
        }
        let mut legend: Vec<LegendEntry> = (0..self.categories.len())
            .filter(|&c| present[c])
            .map(|c| LegendEntry {
                name: self.categories[c].to_string(),
                mark: Mark::Swatch(category_colour(c)),
            })
            .collect();
        legend.extend(overlay_legend(self.overlays));
        legend
    }
}

impl Figure for CategoryMap<'_> {
    fn panel_width(&self) -> u32 {
        legend_width(self.legend().iter().map(|e| e.name.as_str()))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        main_width: u32,
    ) -> DrawResult {
        let (main, panel) = start(root, self.title, main_width, self.panel_width() > 0)?;
        let (mut chart, x, y) = cell_map(&main, self.x, self.y, self.style, |k| {
            category_colour(self.labels[k])
        })?;
        let (x_range, y_range) = (x.range.clone(), y.range.clone());
        let axis = BLACK.mix(0.6).stroke_width(u(1));
        if x.scale == Scale::Linear && x_range.start < 0.0 && 0.0 < x_range.end {
            let line = vec![(0.0, y_range.start), (0.0, y_range.end)];
            chart
                .draw_series(std::iter::once(PathElement::new(line, axis)))
                .map_err(drawing)?;
        }
        if y.scale == Scale::Linear && y_range.start < 0.0 && 0.0 < y_range.end {
            let line = vec![(x_range.start, 0.0), (x_range.end, 0.0)];
            chart
                .draw_series(std::iter::once(PathElement::new(line, axis)))
                .map_err(drawing)?;
        }
        draw_overlays(&mut chart, self.overlays, &x, &y)?;
        if let Some(panel) = panel {
            draw_legend(&panel, &self.legend(), TOP_MARGIN as i32)?;
        }
        Ok(())
    }
}

fn category_colour(index: usize) -> RGBColor {
    CATEGORY_COLOURS[index % CATEGORY_COLOURS.len()]
}

/// The chart of a 2-D map: cells centred on the grid values (in drawn coordinates: on a
/// log axis the cells are centred on log₁₀ of the values), coloured by `colour(index)`
/// (index = i * y.len() + j), with the mesh and axis labels; returns the chart and its axes.
fn cell_map<'a, DB: DrawingBackend>(
    main: &'a DrawingArea<DB, Shift>,
    x: &GridAxis,
    y: &GridAxis,
    style: &Style,
    colour: impl Fn(usize) -> RGBColor,
) -> std::result::Result<(Chart<'a, DB>, AxisSpec, AxisSpec), String> {
    let (sx, sy) = (Scale::of(style.log_x), Scale::of(style.log_y));
    let map =
        |values: &[f64], scale: Scale| values.iter().map(|&v| scale.map(v)).collect::<Vec<_>>();
    let xe = cell_edges(&map(&x.values, sx));
    let ye = cell_edges(&map(&y.values, sy));
    let (width, height) = main.dim_in_pixel();
    let x_axis = AxisSpec {
        range: span_of(&xe),
        scale: sx,
        max_ticks: tick_count(width / SCALE, 100),
    };
    let y_axis = AxisSpec {
        range: span_of(&ye),
        scale: sy,
        max_ticks: tick_count(height / SCALE, 60),
    };
    let y_area = axes::y_label_area(&y_axis);
    let mut chart = axes::cartesian(main, &x_axis, &y_axis, X_LABEL_AREA, y_area)?;
    draw_cells(&mut chart, &xe, &ye, colour)?;
    axes::mesh(
        &mut chart,
        &x_axis,
        &y_axis,
        Some(&x.label),
        &y.label,
        false,
    )?;
    Ok((chart, x_axis, y_axis))
}

/// Checks that both axes are finite and strictly monotone and that `len` = nx · ny.
pub(super) fn check_grid(
    path: &Path,
    x: &GridAxis,
    y: &GridAxis,
    len: usize,
    what: &str,
    style: &Style,
) -> Result<()> {
    for (axis, log) in [(x, style.log_x), (y, style.log_y)] {
        let v = &axis.values;
        if log && v.iter().any(|t| *t <= 0.0) {
            return Err(plot_error(
                path,
                format!(
                    "axis '{}' has values ≤ 0: it cannot be drawn on a log scale",
                    axis.label
                ),
            ));
        }
        if v.is_empty() {
            return Err(plot_error(
                path,
                format!("axis '{}' has no values", axis.label),
            ));
        }
        if v.iter().any(|t| !t.is_finite()) {
            return Err(plot_error(
                path,
                format!("axis '{}' has a non-finite value", axis.label),
            ));
        }
        let increasing = v.windows(2).all(|w| w[0] < w[1]);
        let decreasing = v.windows(2).all(|w| w[0] > w[1]);
        if !(increasing || decreasing) {
            return Err(plot_error(
                path,
                format!("axis '{}' values are not strictly monotone", axis.label),
            ));
        }
    }
    let (nx, ny) = (x.values.len(), y.values.len());
    if nx.checked_mul(ny) != Some(len) {
        return Err(plot_error(
            path,
            format!(
                "{what} has {len} values but the grid has {nx} × {ny} = {} points",
                nx.saturating_mul(ny)
            ),
        ));
    }
    Ok(())
}

/// Cell edges: midpoints between grid values, the outer cells as wide as their
/// neighbours. A single value v gets the cell v ± |v|/2 (± 1/2 for v = 0).
pub(super) fn cell_edges(values: &[f64]) -> Vec<f64> {
    match values {
        [] => vec![0.0, 1.0],
        [v] => {
            let half = if *v == 0.0 { 0.5 } else { 0.5 * v.abs() };
            vec![v - half, v + half]
        }
        _ => {
            let n = values.len();
            let mut edges = Vec::with_capacity(n + 1);
            edges.push(values[0] - (values[1] - values[0]) / 2.0);
            edges.extend(values.windows(2).map(|w| w[0] + (w[1] - w[0]) / 2.0));
            edges.push(values[n - 1] + (values[n - 1] - values[n - 2]) / 2.0);
            edges
        }
    }
}

fn span_of(edges: &[f64]) -> Range<f64> {
    let lo = edges.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = edges.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo < hi && (hi - lo).is_finite() {
        lo..hi
    } else {
        data_range([lo, hi].into_iter().filter(|v| v.is_finite()), 0.0)
    }
}

/// Fills the cells; `colour(i * ny + j)` is the colour of cell (i, j). Runs of equal
/// colour along y are merged into one rectangle (smaller SVG, no seams).
fn draw_cells<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    xe: &[f64],
    ye: &[f64],
    colour: impl Fn(usize) -> RGBColor,
) -> DrawResult {
    let (nx, ny) = (xe.len() - 1, ye.len() - 1);
    let mut rects = Vec::new();
    for i in 0..nx {
        let (x0, x1) = (xe[i].min(xe[i + 1]), xe[i].max(xe[i + 1]));
        let mut j = 0;
        while j < ny {
            let c = colour(i * ny + j);
            let mut end = j + 1;
            while end < ny && colour(i * ny + end) == c {
                end += 1;
            }
            let (y0, y1) = (ye[j].min(ye[end]), ye[j].max(ye[end]));
            rects.push(Rectangle::new([(x0, y1), (x1, y0)], c.filled()));
            j = end;
        }
    }
    chart.draw_series(rects).map_err(drawing)?;
    Ok(())
}

fn overlay_kind(index: usize) -> LineKind {
    [LineKind::Solid, LineKind::Dashed, LineKind::Dotted][index % 3]
}

/// Overlay colours: black for the first three, then dark red, then black again.
fn overlay_colour(index: usize) -> RGBColor {
    if (index / 3).is_multiple_of(2) {
        BLACK
    } else {
        RGBColor(190, 0, 40)
    }
}

fn overlay_legend(overlays: &[Curve]) -> Vec<LegendEntry> {
    overlays
        .iter()
        .enumerate()
        .map(|(k, c)| LegendEntry {
            name: c.name.clone(),
            mark: Mark::Line(overlay_colour(k), overlay_kind(k)),
        })
        .collect()
}

fn draw_overlays<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    overlays: &[Curve],
    x: &AxisSpec,
    y: &AxisSpec,
) -> DrawResult {
    for (k, curve) in overlays.iter().enumerate() {
        let points: Vec<(f64, f64)> = curve
            .points
            .iter()
            .map(|&(a, b)| (x.scale.map(a), y.scale.map(b)))
            .collect();
        for segment in finite_segments(&points) {
            for piece in clip_polyline(&segment, &x.range, &y.range) {
                let kind = overlay_kind(k);
                draw_line(chart.plotting_area(), piece, overlay_colour(k), kind)?;
            }
        }
    }
    Ok(())
}

/// The parts of a polyline inside the rectangle x × y (Liang–Barsky clipping per segment).
pub(super) fn clip_polyline(
    points: &[(f64, f64)],
    x: &Range<f64>,
    y: &Range<f64>,
) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let inside = |p: (f64, f64)| x.contains(&p.0) && y.contains(&p.1);
    if let [p] = points {
        if inside(*p) {
            // A single point is a degenerate segment: draw it as a dot.
            pieces.push(vec![*p, *p]);
        }
        return pieces;
    }
    for w in points.windows(2) {
        match clip_segment(w[0], w[1], x, y) {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() > 1 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(a);
                }
                current.push(b);
            }
            None => {
                if current.len() > 1 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    x: &Range<f64>,
    y: &Range<f64>,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x.start),
        (dx, x.end - a.0),
        (-dy, a.1 - y.start),
        (dy, y.end - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 || !t0.is_finite() || !t1.is_finite() {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + t * dx, a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}
