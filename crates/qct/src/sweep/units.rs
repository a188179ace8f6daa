//! Units on sweep axes (`--vary eps=0:1meV:41`, `T_l=log:10mK:1K:30`, `T=20mK,50mK`).
//!
//! The same rules as `--set` ([`crate::units`]): a value with a unit is converted to natural
//! units with the meV energy unit; plain numbers keep the model's own unit. Within one axis
//! every non-zero value carries a unit of one dimension (different prefixes may mix:
//! `10mK:1K`); a plain 0 is allowed, being 0 in every unit. Across the sweep, an axis with
//! units, `--set` values with units and plain non-zero dimensional values may not mix.

use super::grid::{Axis, AxisUnit};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::thermo::{FluxKind, ForceBasis};
use crate::units::{self, Value};

/// The unit of an axis whose values (`values`, as parsed) are `range` after `NAME=` in the
/// argument `text`; `None` when every value is plain.
pub(super) fn axis_unit(text: &str, range: &str, values: &[Value]) -> Result<Option<AxisUnit>> {
    let mut dimension = None;
    for value in values {
        match *value {
            Value::United { dimension: d, .. } => match dimension {
                None => dimension = Some(d),
                Some(first) if first != d => {
                    return Err(Error::BadAssignment(format!(
                        "--vary {text}: the values have units of different dimensions; give \
                         every value a unit of the parameter's dimension"
                    )));
                }
                Some(_) => {}
            },
            Value::Plain(_) => {}
        }
    }
    let Some(dimension) = dimension else {
        return Ok(None);
    };
    if let Some(plain) = values
        .iter()
        .find(|v| matches!(v, Value::Plain(x) if *x != 0.0))
    {
        return Err(Error::BadAssignment(format!(
            "--vary {text}: values with units mixed with the plain number {}; give every \
             non-zero value a unit (e.g. eps=0:1meV:41)",
            plain.natural()
        )));
    }
    Ok(Some(AxisUnit {
        dimension,
        written: range.trim().to_string(),
    }))
}

/// Whether the sweep of `model` over `axes` at the fixed point `values` (`united[k]`: value
/// k was given with a unit, by `--set` or as a model-file default) is in physical units.
/// Checks that each axis with units fits its parameter, that forces are varied in plain
/// numbers, and refuses mixing: varied parameters count by their axis, a force F_N is
/// dimensionless, and a force F_E (1/energy) cannot be varied in a sweep with units.
pub fn sweep_in_physical_units(
    model: &Model,
    basis: &ForceBasis,
    values: &[f64],
    united: &[bool],
    axes: &[Axis],
) -> Result<bool> {
    let mut values = values.to_vec();
    let mut united = united.to_vec();
    let mut energy_force_axis = None;
    for axis in axes {
        if let Some(p) = model.param(&axis.name) {
            if let Some(unit) = &axis.unit {
                let probe = Value::United {
                    natural: axis.start,
                    dimension: unit.dimension,
                };
                units::check_fits(
                    probe,
                    model.parameters[p.0].role,
                    &format!("--vary {axis}: the axis"),
                    &axis.name,
                )?;
            }
            let largest = axis.values().iter().fold(0.0f64, |m, x| m.max(x.abs()));
            values[p.0] = largest;
            united[p.0] = axis.unit.is_some();
        } else if let Some(force) = basis
            .forces
            .iter()
            .find(|f| basis.force_name(f) == axis.name)
        {
            if axis.unit.is_some() {
                return Err(Error::BadAssignment(format!(
                    "--vary {axis}: a force is varied in plain numbers (F_N = Δμ/T is \
                     dimensionless; F_E in 1/energy): vary a temperature or a chemical \
                     potential for values with units"
                )));
            }
            if force.kind == FluxKind::Energy {
                energy_force_axis = Some(axis);
            }
        }
    }
    let names: Vec<&str> = model.parameters.iter().map(|p| p.name.as_str()).collect();
    let roles: Vec<_> = model.parameters.iter().map(|p| p.role).collect();
    let physical = units::check_mixing(&names, &roles, &values, &united)?;
    if physical && let Some(axis) = energy_force_axis {
        return Err(Error::BadAssignment(format!(
            "--vary {axis}: an energy force (1/energy) in plain numbers would be read in \
             1/meV in a sweep with units; vary the temperature instead (e.g. T_l=log:10mK:1K:30)"
        )));
    }
    Ok(physical)
}
