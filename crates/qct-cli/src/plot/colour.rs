//! Colour maps of heat and category maps, and the colour bar.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{Ticked, data_range, linear_ticks, tick_formatter};
use super::{DESC_SIZE, DrawResult, TICK_SIZE, TOP_MARGIN, X_LABEL_AREA, drawing, font};
use super::{text_width, u, ui};

/// Colour of cells whose value is not finite.
pub(super) const UNDEFINED: RGBColor = RGBColor(160, 160, 160);

/// Category colours: Okabe–Ito without black (black is for overlays), then grey and four of
/// Paul Tol's muted colours. Beyond 12 categories the colours repeat.
pub(super) const CATEGORY_COLOURS: [RGBColor; 12] = [
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(240, 228, 66),
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(153, 153, 153),
    RGBColor(51, 34, 136),
    RGBColor(136, 34, 85),
    RGBColor(153, 153, 51),
    RGBColor(68, 170, 153),
];

/// Diverging colormap, negative → zero → positive (ColorBrewer RdBu, white centre).
const DIVERGING: [(f64, [u8; 3]); 7] = [
    (-1.0, [33, 102, 172]),
    (-2.0 / 3.0, [103, 169, 207]),
    (-1.0 / 3.0, [209, 229, 240]),
    (0.0, [255, 255, 255]),
    (1.0 / 3.0, [253, 219, 199]),
    (2.0 / 3.0, [239, 138, 98]),
    (1.0, [178, 24, 43]),
];

/// Sequential colormap (viridis, sampled every 0.1).
const SEQUENTIAL: [(f64, [u8; 3]); 11] = [
    (0.0, [68, 1, 84]),
    (0.1, [72, 36, 117]),
    (0.2, [65, 68, 135]),
    (0.3, [53, 95, 141]),
    (0.4, [42, 120, 142]),
    (0.5, [33, 145, 140]),
    (0.6, [34, 168, 132]),
    (0.7, [68, 191, 112]),
    (0.8, [122, 209, 81]),
    (0.9, [189, 223, 38]),
    (1.0, [253, 231, 37]),
];

/// Width in pixels of the colour bar's panel.
pub(super) const COLOUR_BAR_WIDTH: u32 = 190;

/// Maps finite z values to colours.
#[derive(Debug, Clone, Copy)]
pub(super) struct ColourScale {
    /// The colour bar's range.
    pub lo: f64,
    pub hi: f64,
    /// Diverging (both signs) or sequential.
    pub diverging: bool,
}

impl ColourScale {
    /// The scale of the finite values of `z`; `None` when there are none.
    pub(super) fn new(z: &[f64]) -> Option<Self> {
        let finite = z.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if lo > hi {
            return None;
        }
        let diverging = lo < 0.0 && hi > 0.0;
        let range = if lo < hi && (hi - lo).is_finite() {
            lo..hi
        } else {
            data_range(std::iter::once(lo), 0.0)
        };
        Some(Self {
            lo: range.start,
            hi: range.end,
            diverging,
        })
    }

    pub(super) fn colour(&self, z: f64) -> RGBColor {
        if self.diverging {
            let m = self.lo.abs().max(self.hi.abs());
            interpolate(&DIVERGING, z / m)
        } else {
            interpolate(&SEQUENTIAL, (z - self.lo) / (self.hi - self.lo))
        }
    }
}

/// Piecewise-linear colormap lookup; `t` is clamped to the map's range.
pub(super) fn interpolate(map: &[(f64, [u8; 3])], t: f64) -> RGBColor {
    let (first, last) = (map[0], map[map.len() - 1]);
    let t = if t.is_nan() {
        first.0
    } else {
        t.clamp(first.0, last.0)
    };
    let k = map
        .iter()
        .position(|&(s, _)| s >= t)
        .unwrap_or(map.len() - 1);
    if k == 0 {
        let [r, g, b] = first.1;
        return RGBColor(r, g, b);
    }
    let ((s0, c0), (s1, c1)) = (map[k - 1], map[k]);
    let f = if s1 > s0 { (t - s0) / (s1 - s0) } else { 0.0 };
    let mix = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    RGBColor(mix(c0[0], c1[0]), mix(c0[1], c1[1]), mix(c0[2], c1[2]))
}

/// The colour bar in the right panel, aligned with the top of the plot area, leaving
/// `legend_height` below it for the legend.
pub(super) fn colour_bar<DB: DrawingBackend>(
    panel: &DrawingArea<DB, Shift>,
    scale: &ColourScale,
    label: &str,
    legend_height: u32,
) -> DrawResult {
    let range = scale.lo..scale.hi;
    let ticks = tick_formatter(&range);
    let mut chart = ChartBuilder::on(panel)
        .margin_top(u(TOP_MARGIN))
        .margin_bottom(u(legend_height))
        .margin_left(u(10))
        .margin_right(u(10))
        .x_label_area_size(u(X_LABEL_AREA))
        .right_y_label_area_size(u(COLOUR_BAR_WIDTH - 10 - 10 - 30))
        .build_cartesian_2d(0f64..1f64, range.clone())
        .map_err(drawing)?
        .set_secondary_coord(
            0f64..1f64,
            Ticked::new(range.clone(), linear_ticks(&range, 8)),
        );
    const STRIPS: usize = 128;
    let step = (scale.hi - scale.lo) / STRIPS as f64;
    let strips = (0..STRIPS).map(|k| {
        let z0 = scale.lo + k as f64 * step;
        let z1 = if k + 1 == STRIPS { scale.hi } else { z0 + step };
        Rectangle::new(
            [(0.0, z1), (1.0, z0)],
            scale.colour(z0 + step / 2.0).filled(),
        )
    });
    chart.draw_series(strips).map_err(drawing)?;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, scale.hi), (1.0, scale.lo)],
            BLACK.stroke_width(u(1)),
        )))
        .map_err(drawing)?;
    chart
        .configure_secondary_axes()
        .y_label_formatter(&ticks)
        .label_style(font(TICK_SIZE))
        .axis_style(BLACK.stroke_width(u(1)))
        .set_all_tick_mark_size(ui(5))
        .draw()
        .map_err(drawing)?;
    // The label, reading upwards, right of the widest tick label.
    let (bar_x, bar_y) = chart.plotting_area().get_pixel_range();
    let (base_x, base_y) = panel.get_base_pixel();
    let widest = linear_ticks(&range, 8)
        .iter()
        .map(|v| text_width(&ticks(v), TICK_SIZE))
        .max()
        .unwrap_or(0) as i32;
    let x = bar_x.end - base_x + ui(15 + widest);
    let y = (bar_y.start + bar_y.end) / 2 - base_y;
    let style = font(DESC_SIZE)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Top));
    panel
        .draw(&Text::new(label.to_string(), (x, y), style))
        .map_err(drawing)
}
