//! The legend in the right panel, and line styles shared by series and overlays.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::lines::LINE_WIDTH;
use super::{DrawResult, LEGEND_SIZE, drawing, font, text_width, u, ui};

/// Line styles of overlays, in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum LineKind {
    Solid,
    Dashed,
    Dotted,
}

/// The symbol drawn next to a legend entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Mark {
    /// A short line of a series or overlay.
    Line(RGBColor, LineKind),
    /// A filled square of a map colour.
    Swatch(RGBColor),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct LegendEntry {
    pub name: String,
    pub mark: Mark,
}

/// Row height and mark length in pixels.
const LEGEND_ROW: u32 = 30;
const LEGEND_MARK: i32 = 36;

/// Height in pixels of a legend of `entries` rows.
pub(super) fn legend_height(entries: usize) -> u32 {
    if entries == 0 {
        0
    } else {
        entries as u32 * LEGEND_ROW + 20
    }
}

/// Panel width in pixels fitting the longest legend name, at most 420 px (names are not
/// wrapped; longer ones run off the figure). 0 when there are no names.
pub(super) fn legend_width<'a>(mut names: impl Iterator<Item = &'a str>) -> u32 {
    let Some(first) = names.next() else { return 0 };
    let longest = std::iter::once(first)
        .chain(names)
        .map(|n| text_width(n, LEGEND_SIZE))
        .max()
        .unwrap_or(0);
    (10 + LEGEND_MARK as u32 + 12 + longest + 20).clamp(150, 420)
}

/// Draws a polyline (layout units or data coordinates) in the given style on any area.
pub(super) fn draw_line<DB: DrawingBackend, C: CoordTranslate>(
    area: &DrawingArea<DB, C>,
    points: Vec<C::From>,
    colour: RGBColor,
    kind: LineKind,
) -> DrawResult
where
    C::From: Clone + 'static,
{
    let style = colour.stroke_width(LINE_WIDTH);
    match kind {
        LineKind::Solid => area.draw(&PathElement::new(points, style)),
        LineKind::Dashed => area.draw(&DashedPathElement::new(points, u(12), u(8), style)),
        LineKind::Dotted => area.draw(&DashedPathElement::new(points, u(3), u(6), style)),
    }
    .map_err(drawing)
}

/// Draws the legend entries top-down from pixel row `top` of the panel.
pub(super) fn draw_legend<DB: DrawingBackend>(
    panel: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    top: i32,
) -> DrawResult {
    let left = 10;
    let text_style = font(LEGEND_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    for (k, entry) in entries.iter().enumerate() {
        let y = top + (k as u32 * LEGEND_ROW) as i32 + LEGEND_ROW as i32 / 2;
        match entry.mark {
            Mark::Line(colour, kind) => {
                let line = vec![(ui(left), ui(y)), (ui(left + LEGEND_MARK), ui(y))];
                draw_line(panel, line, colour, kind)?;
            }
            Mark::Swatch(colour) => {
                let (x0, y0) = (ui(left + 4), ui(y - 10));
                let (x1, y1) = (ui(left + LEGEND_MARK - 4), ui(y + 10));
                panel
                    .draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.filled()))
                    .map_err(drawing)?;
                let edge = BLACK.mix(0.5).stroke_width(u(1));
                panel
                    .draw(&Rectangle::new([(x0, y0), (x1, y1)], edge))
                    .map_err(drawing)?;
            }
        }
        panel
            .draw(&Text::new(
                entry.name.clone(),
                (ui(left + LEGEND_MARK + 12), ui(y)),
                text_style.clone(),
            ))
            .map_err(drawing)?;
    }
    Ok(())
}
