//! Figure options shared by every command that draws (`--plot`): size, resolution, log axes.

use clap::Args;

use crate::plot::Style;
use qct::{Error, Result};

/// How a figure is drawn (with `--plot`).
#[derive(Debug, Clone, Args)]
pub struct FigureArgs {
    /// Figure size in pixels (1/96 inch), WIDTHxHEIGHT, e.g. 640x480 (default: 800 px plus
    /// the legend, 600 px high, taller for several panels).
    #[arg(long, value_name = "WxH")]
    size: Option<String>,
    /// PNG resolution in dots per inch (96: one PNG pixel per pixel; 300 for print). SVG
    /// is resolution-free.
    #[arg(long, default_value_t = 96.0)]
    dpi: f64,
    /// Logarithmic x axis (non-positive values are not drawn).
    #[arg(long)]
    log_x: bool,
    /// Logarithmic y axis (non-positive values are not drawn).
    #[arg(long)]
    log_y: bool,
}

impl FigureArgs {
    /// The validated drawing style.
    pub(super) fn style(&self) -> Result<Style> {
        if !(self.dpi.is_finite() && (10.0..=1200.0).contains(&self.dpi)) {
            return Err(Error::BadAssignment(format!(
                "--dpi must be between 10 and 1200; got {}",
                self.dpi
            )));
        }
        let size = self.size.as_deref().map(parse_size).transpose()?;
        Ok(Style {
            size,
            dpi: self.dpi,
            log_x: self.log_x,
            log_y: self.log_y,
        })
    }
}

/// `WxH` → (W, H) in pixels, each 100…10000.
fn parse_size(text: &str) -> Result<(u32, u32)> {
    let bad = || {
        Error::BadAssignment(format!(
            "--size must be WIDTHxHEIGHT in pixels, each 100 to 10000 (e.g. 640x480); got '{text}'"
        ))
    };
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| (100..=10_000).contains(v))
    };
    Ok((parse(w).ok_or_else(bad)?, parse(h).ok_or_else(bad)?))
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("640x480").unwrap(), (640, 480));
        assert_eq!(parse_size("1000X600").unwrap(), (1000, 600));
        for bad in [
            "640",
            "x480",
            "0x480",
            "640x-1",
            "640x480x2",
            "99x480",
            "640x20000",
        ] {
            let err = parse_size(bad).unwrap_err().to_string();
            assert!(err.contains("--size") && err.contains(bad), "{err}");
        }
    }
}
