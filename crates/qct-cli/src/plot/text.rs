//! Labels with real subscripts and superscripts, laid out once for both backends.
//!
//! Markup: `_x` and `^x` set the following run of letters and digits (or a `{…}` group) as a
//! subscript or superscript; a subscript directly followed by a superscript (`F_N^l`) is
//! stacked above it, as in print. `\_`, `\^`, `\{`, `\}` and `\\` are the literal characters
//! ([`literal`] escapes a name, e.g. a model called `double_dot`). Widths and positions come
//! from the embedded DejaVu Sans, so the SVG and the PNG of a figure place every glyph alike.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

use plotters::style::text_anchor::{HPos, VPos};

use super::FONT;

/// Size of a script relative to the base text.
const SCRIPT: f32 = 0.7;
/// Baseline shift of a subscript (down) and a superscript (up), in em of the base text.
const SUB_SHIFT: f32 = 0.22;
const SUP_SHIFT: f32 = 0.42;

/// Position of a run relative to the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Base,
    Sub,
    Sup,
}

/// A run of text placed relative to the start of the label's baseline (y down).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Placed {
    pub text: String,
    pub x: f32,
    pub dy: f32,
    /// Font size (em) of the run.
    pub size: f32,
}

/// A laid-out label: its runs and its advance width, for font size `size` (em).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Label {
    pub runs: Vec<Placed>,
    pub width: f32,
    pub size: f32,
}

/// A run of a label placed for drawing: where its baseline starts (layout units, in the
/// unrotated frame, y down) and its font size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct AnchoredRun<'a> {
    pub text: &'a str,
    pub x: f32,
    pub y: f32,
    pub size: f32,
}

impl Label {
    /// The runs of the label drawn with its anchor `(h, v)` at `at`: the one run layout both
    /// backends (SVG, PNG) draw from.
    pub fn anchored(
        &self,
        h: HPos,
        v: VPos,
        at: (f32, f32),
    ) -> impl Iterator<Item = AnchoredRun<'_>> {
        let (dx, dy) = origin(self, h, v);
        self.runs.iter().map(move |run| AnchoredRun {
            text: &run.text,
            x: at.0 + dx + run.x,
            y: at.1 + dy + run.dy,
            size: run.size,
        })
    }

    /// The extent (width, ascent + descent) plotters asks for, rounded up.
    pub fn extent(&self) -> (u32, u32) {
        (
            self.width.ceil() as u32,
            (self.ascent() + self.descent()).ceil() as u32,
        )
    }

    /// Ascent of the base text above the baseline (positive).
    pub fn ascent(&self) -> f32 {
        let f = font();
        f.ascent_unscaled() / f.units_per_em().unwrap_or(2048.0) * self.size
    }

    /// Descent of the base text below the baseline (positive).
    pub fn descent(&self) -> f32 {
        let f = font();
        -f.descent_unscaled() / f.units_per_em().unwrap_or(2048.0) * self.size
    }
}

/// The embedded font (parsed once).
pub(super) fn font() -> &'static FontRef<'static> {
    static PARSED: OnceLock<FontRef<'static>> = OnceLock::new();
    PARSED.get_or_init(|| FontRef::try_from_slice(FONT).expect("the embedded font is valid"))
}

/// ab_glyph's scale for font size `size` (em): ab_glyph scales by ascent − descent.
pub(super) fn px_scale(size: f32) -> PxScale {
    let f = font();
    let em = f.units_per_em().unwrap_or(2048.0);
    PxScale::from(size * f.height_unscaled() / em)
}

/// Kerned advance width of plain `text` at font size `size`.
pub(super) fn advance(text: &str, size: f32) -> f32 {
    let f = font().as_scaled(px_scale(size));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = f.glyph_id(c);
        if let Some(p) = previous {
            width += f.kern(p, id);
        }
        width += f.h_advance(id);
        previous = Some(id);
    }
    width
}

/// Escapes the markup characters of `text`, so that it is drawn as written.
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '_' | '^' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Splits marked-up `text` into runs (module doc).
pub(super) fn parse(text: &str) -> Vec<(String, Level)> {
    let chars: Vec<char> = text.chars().collect();
    let mut runs: Vec<(String, Level)> = Vec::new();
    let mut base = String::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        if c == '\\' && k + 1 < chars.len() {
            base.push(chars[k + 1]);
            k += 2;
            continue;
        }
        if c == '_' || c == '^' {
            let level = if c == '_' { Level::Sub } else { Level::Sup };
            let (script, next) = script_at(&chars, k + 1);
            if !script.is_empty() {
                if !base.is_empty() {
                    runs.push((std::mem::take(&mut base), Level::Base));
                }
                runs.push((script, level));
                k = next;
                continue;
            }
        }
        base.push(c);
        k += 1;
    }
    if !base.is_empty() {
        runs.push((base, Level::Base));
    }
    runs
}

/// The script starting at `chars[k]`: a `{…}` group or a run of letters and digits; with the
/// index after it.
fn script_at(chars: &[char], k: usize) -> (String, usize) {
    if chars.get(k) == Some(&'{')
        && let Some(close) = chars[k..].iter().position(|&c| c == '}')
    {
        return (chars[k + 1..k + close].iter().collect(), k + close + 1);
    }
    let end = chars[k..]
        .iter()
        .position(|c| !c.is_alphanumeric())
        .map_or(chars.len(), |n| k + n);
    (chars[k..end].iter().collect(), end)
}

/// Lays out marked-up `text` at font size `size` (em).
pub(super) fn layout(text: &str, size: f32) -> Label {
    let mut runs = Vec::new();
    let mut pen = 0.0f32;
    // Start and width of the script just placed, so that a following script of the other
    // level stacks on it.
    let mut previous_script: Option<(Level, f32, f32)> = None;
    for (text, level) in parse(text) {
        let run_size = if level == Level::Base {
            size
        } else {
            SCRIPT * size
        };
        let width = advance(&text, run_size);
        let dy = match level {
            Level::Base => 0.0,
            Level::Sub => SUB_SHIFT * size,
            Level::Sup => -SUP_SHIFT * size,
        };
        let x = match previous_script {
            Some((l, start, w)) if level != Level::Base && l != level => {
                pen = start + w.max(width);
                previous_script = None;
                runs.push(Placed {
                    text,
                    x: start,
                    dy,
                    size: run_size,
                });
                continue;
            }
            _ => pen,
        };
        previous_script = (level != Level::Base).then_some((level, x, width));
        pen = x + width;
        runs.push(Placed {
            text,
            x,
            dy,
            size: run_size,
        });
    }
    Label {
        runs,
        width: pen,
        size,
    }
}

/// Where the baseline of `label` starts relative to its anchor point, for the anchor
/// `(h, v)` (unrotated frame).
fn origin(label: &Label, h: HPos, v: VPos) -> (f32, f32) {
    let dx = match h {
        HPos::Left => 0.0,
        HPos::Center => -label.width / 2.0,
        HPos::Right => -label.width,
    };
    let dy = match v {
        VPos::Top => label.ascent(),
        VPos::Center => (label.ascent() - label.descent()) / 2.0,
        VPos::Bottom => -label.descent(),
    };
    (dx, dy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_parsed() {
        use Level::*;
        let runs = parse("F_N^l");
        assert_eq!(
            runs,
            vec![("F".into(), Base), ("N".into(), Sub), ("l".into(), Sup)]
        );
        assert_eq!(
            parse("L_NE, G"),
            vec![("L".into(), Base), ("NE".into(), Sub), (", G".into(), Base)]
        );
        assert_eq!(
            parse("T_{l0} (x)"),
            vec![
                ("T".into(), Base),
                ("l0".into(), Sub),
                (" (x)".into(), Base)
            ]
        );
        assert_eq!(parse("a_ b"), vec![("a_ b".into(), Base)]);
        assert_eq!(
            parse(&literal("double_dot^2")),
            vec![("double_dot^2".into(), Base)]
        );
    }

    #[test]
    fn stacked_scripts_share_their_start() {
        let label = layout("F_N^l", 20.0);
        let (n, l) = (&label.runs[1], &label.runs[2]);
        assert_eq!(n.x, l.x);
        assert!(n.dy > 0.0 && l.dy < 0.0);
        assert!(n.size < 20.0);
        // The label is as wide as F plus the wider script.
        let expected = advance("F", 20.0) + advance("N", 14.0).max(advance("l", 14.0));
        assert!((label.width - expected).abs() < 1e-3);
        // Sequential scripts of one level do not overlap.
        let label = layout("x_a y_b", 20.0);
        assert!(label.runs[2].x > label.runs[1].x);
    }
}
