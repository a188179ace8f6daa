//! The commands whose output follows `--units natural|si` beyond the point reports:
//! `qct performance --tradeoff`, `qct noise`, `qct fcs` and `qct check` — resolve the point,
//! build the report, render it in the requested format and units (SI renderers in
//! `report::si_tradeoff` and `report::si_noise`).

use super::Output;
use super::args::{Format, PointArgs};
use super::figure::FigureArgs;
use super::{si_json_units, to_json};
use crate::report::units::{Si, Units};
use crate::report::{self, quantity_units};
use qct::error::Result;
use std::path::PathBuf;

/// `qct performance --tradeoff`: both curves over the load, optionally drawn (the power
/// axis in W with a prefix under `--units si`).
pub(super) fn tradeoff(
    point: &PointArgs,
    samples: u32,
    plot: Option<&PathBuf>,
    figure: &FigureArgs,
    units: Units,
) -> Result<String> {
    let (model, values, basis) = point.resolve()?;
    let si = si_json_units(&model, point, units)?;
    let r = report::tradeoff::tradeoff_report(&model, &values, &basis, samples as usize)?;
    if let Some(path) = plot {
        let (factor, unit) = match si {
            false => (1.0, "energy/time".to_string()),
            true => quantity_units::si_display("P", &model, &basis, &r.tradeoff.engine.power)
                .unwrap_or((Si::ENERGY_CURRENT, "W".into())),
        };
        report::tradeoff::tradeoff_plot(path, &r, &figure.style()?, (factor, &unit))?;
    }
    Ok(match (point.format, si) {
        (Format::Json, false) => to_json(&r),
        (Format::Json, true) => to_json(&report::si_tradeoff::tradeoff_json(&model, &r)?),
        (_, false) => report::tradeoff::tradeoff_text(&r),
        (_, true) => report::si_tradeoff::tradeoff_text(&model, &r)?,
    })
}

/// `qct noise`: means, noise matrices, Fano factors, TUR ratios of one point.
pub(super) fn noise(point: &PointArgs, units: Units) -> Result<String> {
    let (model, values, basis) = point.resolve()?;
    let si = si_json_units(&model, point, units)?;
    let r = report::noise::noise_report(&model, &values, &basis)?;
    Ok(match (point.format, si) {
        (Format::Text, false) => report::noise::noise_text(&r),
        (Format::Text, true) => report::si_noise::noise_text(&model, &r)?,
        (Format::Json, false) => to_json(&r),
        (Format::Json, true) => to_json(&report::si_noise::noise_json(&model, &r)?),
    })
}

/// `qct fcs`: the cumulants to `order` of the transfers from `lead` (every lead if empty).
pub(super) fn fcs(point: &PointArgs, lead: &[String], order: u32, units: Units) -> Result<String> {
    let (model, values, _) = point.resolve()?;
    let si = si_json_units(&model, point, units)?;
    let r = report::noise::fcs_report(&model, &values, lead, order as usize)?;
    Ok(match (point.format, si) {
        (Format::Text, false) => report::noise::fcs_text(&r),
        (Format::Text, true) => report::si_noise::fcs_text(&model, &r)?,
        (Format::Json, false) => to_json(&r),
        (Format::Json, true) => to_json(&report::si_noise::fcs_json(&model, &r)?),
    })
}

/// `qct check`: closed forms against the numeric layer; exit status 1 beyond `rtol`.
pub(super) fn check(point: &PointArgs, rtol: f64, units: Units) -> Result<Output> {
    let (model, values, basis) = point.resolve()?;
    let si = si_json_units(&model, point, units)?;
    let r = report::check::check_report(&model, &values, &basis, rtol)?;
    let text = match (point.format, si) {
        (Format::Text, false) => report::check::text(&r),
        (Format::Text, true) => report::si_noise::check_text(&model, &r)?,
        (Format::Json, false) => to_json(&r),
        (Format::Json, true) => to_json(&report::si_noise::check_json(&model, &r)?),
    };
    Ok(Output {
        text,
        passed: r.passed,
        failed_points: 0,
    })
}
