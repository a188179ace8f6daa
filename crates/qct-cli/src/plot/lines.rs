//! Line plots: small multiples sharing the x axis, one panel (one y axis) per unit.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{self, AxisSpec, Scale, data_range, finite_segments, tick_count};
use super::legend::{LegendEntry, LineKind, Mark, draw_legend, legend_width};
use super::{DrawResult, Figure, Panel, Style, TOP_MARGIN, X_LABEL_AREA, drawing, start, u};

/// Line colours (Okabe–Ito, colour-blind safe; yellow last as it is faint on white).
pub(super) const LINE_COLOURS: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// Stroke width of a data line, in layout units (2.5 px).
pub(super) const LINE_WIDTH: u32 = 50;

/// Height in pixels of the gap between two panels (their x axes carry no labels).
const PANEL_GAP: u32 = 12;

pub(super) struct LinePlot<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub panels: &'a [Panel],
    pub style: &'a Style,
}

impl LinePlot<'_> {
    fn series_count(&self) -> usize {
        self.panels.iter().map(|p| p.series.len()).sum()
    }

    /// Every series' points in drawn coordinates, panel by panel.
    fn mapped(&self) -> Vec<Vec<Vec<(f64, f64)>>> {
        let (sx, sy) = (Scale::of(self.style.log_x), Scale::of(self.style.log_y));
        self.panels
            .iter()
            .map(|p| {
                p.series
                    .iter()
                    .map(|s| {
                        s.points
                            .iter()
                            .map(|&(x, y)| (sx.map(x), sy.map(y)))
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    /// A log axis with data but nothing positive to draw is an error.
    fn check_log_axes(&self, mapped: &[Vec<Vec<(f64, f64)>>]) -> DrawResult {
        let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
        let raw = self
            .panels
            .iter()
            .flat_map(|p| p.series.iter().flat_map(|s| s.points.iter()))
            .any(finite);
        let drawn = mapped.iter().flatten().flatten().any(finite);
        if raw && !drawn {
            return Err("nothing to draw: on a log axis only positive values are drawn".into());
        }
        Ok(())
    }
}

impl Figure for LinePlot<'_> {
    fn panel_width(&self) -> u32 {
        if self.series_count() > 1 {
            legend_width(
                self.panels
                    .iter()
                    .flat_map(|p| p.series.iter().map(|s| s.name.as_str())),
            )
        } else {
            0
        }
    }

    fn default_height(&self) -> u32 {
        match self.panels.len() {
            0 | 1 => super::DEFAULT_HEIGHT,
            n => 160 + 230 * n as u32,
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        main_width: u32,
    ) -> DrawResult {
        let mapped = self.mapped();
        self.check_log_axes(&mapped)?;
        let points = || mapped.iter().flatten().flatten();
        let x = AxisSpec {
            range: data_range(points().filter(|p| p.1.is_finite()).map(|p| p.0), 0.0),
            scale: Scale::of(self.style.log_x),
            max_ticks: tick_count(main_width, 100),
        };
        let height = (root.dim_in_pixel().1 / super::SCALE).saturating_sub(X_LABEL_AREA);
        let panel_height = height / self.panels.len().max(1) as u32;
        let y_axes: Vec<AxisSpec> = mapped
            .iter()
            .map(|panel| AxisSpec {
                range: data_range(
                    panel
                        .iter()
                        .flatten()
                        .filter(|p| p.0.is_finite())
                        .map(|p| p.1),
                    0.05,
                ),
                scale: Scale::of(self.style.log_y),
                max_ticks: tick_count(panel_height, 45),
            })
            .collect();
        let y_label_area = y_axes.iter().map(axes::y_label_area).max().unwrap_or(0);

        let has_legend = self.panel_width() > 0;
        let (main, panel) = start(root, self.title, main_width, has_legend)?;
        let areas = split_panels(&main, self.panels.len().max(1));
        let mut legend = Vec::new();
        let mut colour_index = 0;
        let last = self.panels.len().saturating_sub(1);
        for (k, (p, area)) in self.panels.iter().zip(&areas).enumerate() {
            let bottom = k == last;
            let label_area = if bottom { X_LABEL_AREA } else { PANEL_GAP };
            let mut chart = axes::cartesian(area, &x, &y_axes[k], label_area, y_label_area)?;
            let x_label = bottom.then_some(self.x_label);
            axes::mesh(&mut chart, &x, &y_axes[k], x_label, &p.y_label, true)?;
            for (s, points) in p.series.iter().zip(&mapped[k]) {
                let colour = LINE_COLOURS[colour_index % LINE_COLOURS.len()];
                colour_index += 1;
                for segment in finite_segments(points) {
                    if let [point] = segment[..] {
                        let dot = Circle::new(point, u(4), colour.filled());
                        chart.draw_series(std::iter::once(dot)).map_err(drawing)?;
                    } else {
                        let line = PathElement::new(segment, colour.stroke_width(LINE_WIDTH));
                        chart.draw_series(std::iter::once(line)).map_err(drawing)?;
                    }
                }
                legend.push(LegendEntry {
                    name: s.name.clone(),
                    mark: Mark::Line(colour, LineKind::Solid),
                });
            }
            if self.style.log_y && !mapped[k].iter().flatten().any(|q| q.1.is_finite()) {
                note(&chart, &x, &y_axes[k], "no positive values")?;
            }
        }
        if self.panels.is_empty() {
            let y = AxisSpec {
                range: 0.0..1.0,
                scale: Scale::Linear,
                max_ticks: 6,
            };
            let mut chart = axes::cartesian(&areas[0], &x, &y, X_LABEL_AREA, y_label_area)?;
            axes::mesh(&mut chart, &x, &y, Some(self.x_label), "", true)?;
        }
        if let Some(panel) = panel {
            draw_legend(&panel, &legend, TOP_MARGIN as i32)?;
        }
        Ok(())
    }
}

/// A note in the middle of a panel's plot area (e.g. why nothing is drawn).
fn note<DB: DrawingBackend>(
    chart: &axes::Chart<'_, DB>,
    x: &AxisSpec,
    y: &AxisSpec,
    text: &str,
) -> DrawResult {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let centre = (
        (x.range.start + x.range.end) / 2.0,
        (y.range.start + y.range.end) / 2.0,
    );
    let style = super::font(super::LEGEND_SIZE).pos(Pos::new(HPos::Center, VPos::Center));
    chart
        .plotting_area()
        .draw(&Text::new(text.to_string(), centre, style))
        .map_err(drawing)
}

/// `n` areas stacked top to bottom, of equal plot height: the bottom one also holds the x
/// tick labels and the x-axis label, the others a small gap.
fn split_panels<DB: DrawingBackend>(
    main: &DrawingArea<DB, Shift>,
    n: usize,
) -> Vec<DrawingArea<DB, Shift>> {
    let height = main.dim_in_pixel().1 as f64;
    let n = n as f64;
    let fixed = u(X_LABEL_AREA) as f64 + (n - 1.0) * u(PANEL_GAP) as f64;
    let plot = ((height - fixed) / n).max(0.0);
    let step = plot + u(PANEL_GAP) as f64;
    let breaks: Vec<i32> = (1..n as usize)
        .map(|k| (k as f64 * step).round() as i32)
        .collect();
    main.split_by_breakpoints(Vec::<i32>::new(), breaks)
}
