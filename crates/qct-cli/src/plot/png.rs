//! PNG output: the plotters bitmap backend on a supersampled raster, box-filtered down to
//! the output resolution (antialiased lines, edges and text), encoded as 8-bit RGB.
//!
//! Figures are laid out in layout units ([`SCALE`] per pixel at 96 dpi); this backend maps
//! them onto a raster of `dpi/96 · supersample` pixels per pixel. Text is drawn glyph by
//! glyph with ab_glyph at the positions of [`super::text`] (plotters 0.3.7 ignores glyph
//! side bearings and knows no scripts).

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use ab_glyph::{Font, ScaleFont};
use plotters::backend::BitMapBackend;
use plotters::style::FontTransform;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use super::SCALE;
use super::text;

/// Raster geometry of a PNG: output size and samples per output pixel along each axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Raster {
    /// Output size in pixels.
    pub width: u32,
    pub height: u32,
    /// Samples per output pixel along x and y (box filter).
    pub supersample: u32,
    /// Raster samples per layout unit.
    pub per_unit: f64,
}

/// Largest supersampled raster (samples): bounds the memory of high-dpi figures.
const MAX_SAMPLES: f64 = 1.2e8;

impl Raster {
    /// The raster of a figure `size` layout units large at `dpi` (96 dpi: one output pixel
    /// per pixel of the layout).
    pub(super) fn new(size: (u32, u32), dpi: f64) -> Self {
        let per_pixel = dpi / 96.0;
        let (w, h) = (size.0 as f64 / SCALE as f64, size.1 as f64 / SCALE as f64);
        let width = (w * per_pixel).round().max(1.0) as u32;
        let height = (h * per_pixel).round().max(1.0) as u32;
        // At least 4 samples per layout pixel and 2 per output pixel, within MAX_SAMPLES.
        let mut supersample = ((4.0 / per_pixel).ceil() as u32).max(2);
        while supersample > 1
            && (width * supersample) as f64 * (height * supersample) as f64 > MAX_SAMPLES
        {
            supersample -= 1;
        }
        Self {
            width,
            height,
            supersample,
            per_unit: per_pixel * supersample as f64 / SCALE as f64,
        }
    }

    fn samples(&self) -> (u32, u32) {
        (
            self.width * self.supersample,
            self.height * self.supersample,
        )
    }
}

/// The supersampled RGB buffer of `raster`, white.
pub(super) fn buffer(raster: &Raster) -> Vec<u8> {
    let (w, h) = raster.samples();
    vec![255u8; w as usize * h as usize * 3]
}

/// A plotters backend in layout units over a bitmap backend on the supersampled raster.
pub(super) struct PngCanvas<'a> {
    inner: BitMapBackend<'a>,
    layout_size: (u32, u32),
    per_unit: f64,
}

type BitmapError = <BitMapBackend<'static> as DrawingBackend>::ErrorType;
type Drawn = Result<(), DrawingErrorKind<BitmapError>>;

/// A style with its stroke width mapped onto the raster.
struct Mapped {
    colour: BackendColor,
    width: u32,
}

impl BackendStyle for Mapped {
    fn color(&self) -> BackendColor {
        self.colour
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

impl<'a> PngCanvas<'a> {
    pub(super) fn new(rgb: &'a mut [u8], raster: &Raster, layout_size: (u32, u32)) -> Self {
        Self {
            inner: BitMapBackend::with_buffer(rgb, raster.samples()),
            layout_size,
            per_unit: raster.per_unit,
        }
    }

    fn at(&self, (x, y): BackendCoord) -> BackendCoord {
        (
            (x as f64 * self.per_unit).round() as i32,
            (y as f64 * self.per_unit).round() as i32,
        )
    }

    fn length(&self, v: u32) -> u32 {
        ((v as f64 * self.per_unit).round() as u32).max(1)
    }

    fn mapped(&self, style: &impl BackendStyle) -> Mapped {
        Mapped {
            colour: style.color(),
            width: self.length(style.stroke_width()),
        }
    }
}

impl DrawingBackend for PngCanvas<'_> {
    type ErrorType = BitmapError;

    fn get_size(&self) -> (u32, u32) {
        self.layout_size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Drawn {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, colour: BackendColor) -> Drawn {
        let (x0, y0) = self.at(point);
        let (x1, y1) = self.at((point.0 + 1, point.1 + 1));
        let style = Mapped { colour, width: 1 };
        self.inner
            .draw_rect((x0, y0), (x1.max(x0 + 1), y1.max(y0 + 1)), &style, true)
    }

    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S) -> Drawn {
        self.draw_path([a, b], s)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let mapped = self.mapped(style);
        if fill {
            let (a, b) = (self.at(a), self.at(b));
            self.inner.draw_rect(a, b, &mapped, true)
        } else {
            let corners = [a, (b.0, a.1), b, (a.0, b.1), a];
            self.draw_path(corners, style)
        }
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let mapped = self.mapped(style);
        let path: Vec<BackendCoord> = path.into_iter().map(|p| self.at(p)).collect();
        self.inner.draw_path(path, &mapped)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let mapped = self.mapped(style);
        let center = self.at(center);
        self.inner
            .draw_circle(center, self.length(radius), &mapped, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Drawn {
        let mapped = self.mapped(style);
        let vertices: Vec<BackendCoord> = vertices.into_iter().map(|p| self.at(p)).collect();
        self.inner.fill_polygon(vertices, &mapped)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, t: &str, style: &S, pos: BackendCoord) -> Drawn {
        let colour = style.color();
        if colour.alpha == 0.0 || t.is_empty() {
            return Ok(());
        }
        let label = text::layout(t, style.size() as f32);
        let anchor = style.anchor();
        let transform = style.transform();
        let k = self.per_unit as f32;
        let (px, py) = (pos.0 as f32 * k, pos.1 as f32 * k);
        // Runs relative to the anchor (at the origin), rotated below with each pixel.
        for run in label.anchored(anchor.h_pos, anchor.v_pos, (0.0, 0.0)) {
            let font = text::font().as_scaled(text::px_scale(run.size * k));
            let mut pen = run.x * k;
            let mut previous = None;
            for c in run.text.chars() {
                let id = font.glyph_id(c);
                if let Some(p) = previous {
                    pen += font.kern(p, id);
                }
                let glyph = id.with_scale_and_position(font.scale(), ab_glyph::point(pen, 0.0));
                pen += font.h_advance(id);
                previous = Some(id);
                let Some(outline) = font.outline_glyph(glyph) else {
                    continue;
                };
                let bounds = outline.px_bounds();
                let baseline = run.y * k;
                let mut failure = None;
                outline.draw(|x, y, coverage| {
                    let lx = bounds.min.x + x as f32;
                    let ly = bounds.min.y + y as f32 + baseline;
                    let (tx, ty) = rotate(&transform, lx, ly);
                    let pixel = BackendColor {
                        alpha: colour.alpha * f64::from(coverage.clamp(0.0, 1.0)),
                        rgb: colour.rgb,
                    };
                    if failure.is_none() {
                        let at = ((px + tx).round() as i32, (py + ty).round() as i32);
                        failure = self.inner.draw_pixel(at, pixel).err();
                    }
                });
                if let Some(e) = failure {
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        t: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<BitmapError>> {
        Ok(text::layout(t, style.size() as f32).extent())
    }
}

/// A text-frame offset rotated as `transform` rotates text (clockwise, y down).
fn rotate(transform: &FontTransform, x: f32, y: f32) -> (f32, f32) {
    match transform {
        FontTransform::None => (x, y),
        FontTransform::Rotate90 => (-y, x),
        FontTransform::Rotate180 => (-x, -y),
        FontTransform::Rotate270 => (y, -x),
    }
}

/// Averages each `supersample`² block of the raster into one output pixel.
pub(super) fn downsample(raster: &Raster, samples: &[u8]) -> Vec<u8> {
    let s = raster.supersample as usize;
    let (w, h) = (raster.width as usize, raster.height as usize);
    let row = w * s * 3;
    let mut out = vec![0u8; w * h * 3];
    let n = (s * s) as u32;
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                let mut sum = 0u32;
                for dy in 0..s {
                    let base = (y * s + dy) * row + x * s * 3 + c;
                    for dx in 0..s {
                        sum += u32::from(samples[base + dx * 3]);
                    }
                }
                out[(y * w + x) * 3 + c] = ((sum + n / 2) / n) as u8;
            }
        }
    }
    out
}

/// Writes an 8-bit RGB PNG of `raster`'s output size, with its resolution (pHYs) in it.
pub(super) fn write(path: &Path, raster: &Raster, dpi: f64, rgb: &[u8]) -> Result<(), String> {
    let file = File::create(path).map_err(|e| e.to_string())?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), raster.width, raster.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let per_metre = (dpi / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())
}
