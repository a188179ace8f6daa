//! `qct regime` and `qct performance` (without `--tradeoff`): one operating point by the
//! chosen steady-state method (`--method`, [`qct::method`]), rendered in the requested
//! format and units.

use super::args::{Format, PointArgs};
use super::{apply_assignments_with_units, si_json_units, to_json};
use crate::report::units::Units;
use crate::report::{self, units};
use qct::error::Result;
use qct::method::Method;

/// `qct regime`: the regime of the point and its linear prediction.
pub(super) fn regime(point: &PointArgs, unit_system: Units, method: Method) -> Result<String> {
    let (model, values, basis) = point.resolve()?;
    let si = unit_system == Units::Si;
    if si {
        let (_, physical) = apply_assignments_with_units(&model, &point.at.set)?;
        units::require_physical(physical)?;
    }
    let r = report::physics::regime_report(&model, &values, &basis, method)?;
    Ok(match (point.format, si) {
        (Format::Text, false) => report::physics::regime_text(&r),
        (Format::Json, false) => to_json(&r),
        (Format::Text, true) => units::regime_text(&model, &r),
        (Format::Json, true) => to_json(&units::regime_json(&model, &r)?),
    })
}

/// `qct performance`: the machine, G, S, K, ZT and the load optimum of the point.
pub(super) fn performance(point: &PointArgs, unit_system: Units, method: Method) -> Result<String> {
    let (model, values, basis) = point.resolve()?;
    let si = si_json_units(&model, point, unit_system)?;
    let r = report::physics::performance_report(&model, &values, &basis, method)?;
    Ok(match (point.format, si) {
        (Format::Text, false) => report::physics::performance_text(&r),
        (Format::Text, true) => report::si_text::performance_text(&model, &r)?,
        (Format::Json, false) => to_json(&r),
        (Format::Json, true) => to_json(&units::performance_json(&model, &r)?),
    })
}
