//! SVG output: a plotters backend that writes coordinates in floating point.
//!
//! Plotters draws on an integer grid; figures are laid out on a grid [`SCALE`] times finer
//! than the pixel, and this backend writes every coordinate divided by it (to 0.05 px), so
//! curves are placed to sub-pixel precision and drawn antialiased by any SVG renderer.
//! Text is written with the layout of [`super::text`] (real sub- and superscripts, one
//! `<tspan>` per run). Output is a pure function of the figure: byte-for-byte deterministic.

use std::fmt::Write;

use plotters::style::FontTransform;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use super::SCALE;
use super::text;

/// An SVG document being drawn into `out` (`size` in layout units, [`SCALE`] per pixel).
pub(super) struct SvgCanvas<'a> {
    out: &'a mut String,
    size: (u32, u32),
}

#[derive(Debug)]
pub(super) struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unreachable")
    }
}

impl std::error::Error for Never {}

type Drawn = Result<(), DrawingErrorKind<Never>>;

/// A layout coordinate in pixels, shortest decimal form.
pub(super) fn px(v: impl Into<f64>) -> String {
    let text = format!("{:.2}", v.into() / SCALE as f64);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

fn colour(c: BackendColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.rgb.0, c.rgb.1, c.rgb.2)
}

/// ` fill-opacity="…"` (or `stroke-opacity`) when the colour is translucent.
fn opacity(attribute: &str, c: BackendColor) -> String {
    if c.alpha >= 1.0 {
        String::new()
    } else {
        let a = format!("{:.3}", c.alpha.max(0.0));
        let a = a.trim_end_matches('0').trim_end_matches('.');
        format!(" {attribute}=\"{a}\"")
    }
}

fn stroke(style: &impl BackendStyle) -> String {
    let c = style.color();
    format!(
        "fill=\"none\" stroke=\"{}\"{} stroke-width=\"{}\"",
        colour(c),
        opacity("stroke-opacity", c),
        px(style.stroke_width())
    )
}

fn fill(c: BackendColor) -> String {
    format!("fill=\"{}\"{}", colour(c), opacity("fill-opacity", c))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn points(path: impl IntoIterator<Item = BackendCoord>) -> String {
    path.into_iter()
        .map(|(x, y)| format!("{},{}", px(x), px(y)))
        .collect::<Vec<_>>()
        .join(" ")
}

impl<'a> SvgCanvas<'a> {
    /// Starts the document: `size` in layout units.
    pub(super) fn new(out: &'a mut String, size: (u32, u32)) -> Self {
        let (w, h) = (px(size.0), px(size.1));
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans, sans-serif\">"
        );
        Self { out, size }
    }
}

/// Closes a document started by [`SvgCanvas::new`].
pub(super) fn finish(out: &mut String) {
    out.push_str("</svg>\n");
}

impl DrawingBackend for SvgCanvas<'_> {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, c: BackendColor) -> Drawn {
        if c.alpha > 0.0 {
            let _ = writeln!(
                self.out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}/>",
                px(x),
                px(y),
                px(1),
                px(1),
                fill(c)
            );
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S) -> Drawn {
        self.draw_path([a, b], s)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        filled: bool,
    ) -> Drawn {
        let (x0, y0) = (a.0.min(b.0), a.1.min(b.1));
        let (w, h) = ((a.0 - b.0).abs(), (a.1 - b.1).abs());
        // Filled rectangles (map cells) have crisp edges: no antialiasing seams between
        // neighbouring cells.
        let paint = if filled {
            format!("{} shape-rendering=\"crispEdges\"", fill(style.color()))
        } else {
            stroke(style)
        };
        let _ = writeln!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {paint}/>",
            px(x0),
            px(y0),
            px(w),
            px(h)
        );
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        if style.color().alpha > 0.0 {
            let _ = writeln!(
                self.out,
                "<polyline points=\"{}\" {} stroke-linejoin=\"round\" stroke-linecap=\"round\"/>",
                points(path),
                stroke(style)
            );
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        (x, y): BackendCoord,
        radius: u32,
        style: &S,
        filled: bool,
    ) -> Drawn {
        let paint = if filled {
            fill(style.color())
        } else {
            stroke(style)
        };
        let _ = writeln!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {paint}/>",
            px(x),
            px(y),
            px(radius)
        );
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Drawn {
        let _ = writeln!(
            self.out,
            "<polygon points=\"{}\" {}/>",
            points(vertices),
            fill(style.color())
        );
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(&mut self, t: &str, style: &S, pos: BackendCoord) -> Drawn {
        let c = style.color();
        if c.alpha == 0.0 || t.is_empty() {
            return Ok(());
        }
        let label = text::layout(t, style.size() as f32);
        let anchor = style.anchor();
        let rotation = match style.transform() {
            FontTransform::None => None,
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(-90),
        };
        let transform = rotation
            .map(|deg| format!(" transform=\"rotate({deg} {} {})\"", px(pos.0), px(pos.1)))
            .unwrap_or_default();
        let _ = write!(
            self.out,
            "<text xml:space=\"preserve\" font-size=\"{}\" {}{transform}>",
            px(label.size),
            fill(c)
        );
        let at = (pos.0 as f32, pos.1 as f32);
        for run in label.anchored(anchor.h_pos, anchor.v_pos, at) {
            let size = if run.size == label.size {
                String::new()
            } else {
                format!(" font-size=\"{}\"", px(run.size))
            };
            let _ = write!(
                self.out,
                "<tspan x=\"{}\" y=\"{}\"{size}>{}</tspan>",
                px(run.x),
                px(run.y),
                escape(run.text)
            );
        }
        let _ = writeln!(self.out, "</text>");
        Ok(())
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        t: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Never>> {
        Ok(text::layout(t, style.size() as f32).extent())
    }
}
