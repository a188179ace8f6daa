//! The unit of every sweep column (a parameter, a force or a quantity of
//! [`crate::quantity`]) in natural units and in SI, for `qct sweep --units si` and for the
//! axis labels of figures ([`unit_of`]).
//!
//! Natural units: k_B = ħ = 1 with one energy unit (meV for inputs with units), so
//! "1/time" = energy/ħ. SI: the factors of [`qct::si::Si`] from natural meV units.

use super::units::Units;
use qct::model::Model;
pub use qct::si::{ColumnUnit, column_unit};
use qct::sweep::{Cell, ERROR_COLUMN, Table};
use qct::thermo::ForceBasis;

/// The unit string of sweep column `name` in `units` (for axis labels); `None` for labels
/// and unknown names.
pub fn unit_of(name: &str, model: &Model, basis: &ForceBasis, units: Units) -> Option<String> {
    column_unit(name, model, basis).map(|u| match units {
        Units::Natural => u.natural,
        Units::Si => u.si,
    })
}

/// The `units` header of a sweep whose inputs carry units, in natural units.
pub const PHYSICAL_NATURAL_HEADER: &str = "k_B = hbar = 1 with the energy unit meV (inputs with \
     units): energies and mu in meV, T as k_B T in meV, rates as hbar Gamma in meV, currents \
     per hbar/meV = 0.6582 ps";

/// Convert a sweep `table` of `model` (natural meV units) to SI: every numeric column is
/// multiplied by its factor and named `NAME [UNIT]`, labels and the error column are
/// unchanged; the `parameters` header gives the fixed values in SI with their units and the
/// `units` header says so.
pub fn table_to_si(table: &mut Table, model: &Model, basis: &ForceBasis) {
    let units: Vec<Option<ColumnUnit>> = table
        .columns
        .iter()
        .map(|name| {
            (name != ERROR_COLUMN)
                .then(|| column_unit(name, model, basis))
                .flatten()
        })
        .collect();
    for row in &mut table.rows {
        for (cell, unit) in row.iter_mut().zip(&units) {
            if let (Cell::Number(x), Some(unit)) = (&mut *cell, unit) {
                *x *= unit.si_factor;
            }
        }
    }
    for (name, unit) in table.columns.iter_mut().zip(&units) {
        if let Some(unit) = unit {
            *name = format!("{name} [{}]", unit.si);
        }
    }
    for (key, value) in &mut table.header {
        match key.as_str() {
            "units" => {
                *value = "SI base units, each column's in brackets (I = e J_N, positive into \
                          the system; TUR in units of k_B)"
                    .into()
            }
            "parameters" => {
                *value = value
                    .split_whitespace()
                    .map(|assignment| {
                        let Some((name, x)) = assignment.split_once('=') else {
                            return assignment.to_string();
                        };
                        match (column_unit(name, model, basis), x.parse::<f64>()) {
                            (Some(unit), Ok(x)) => {
                                let x = qct::sweep::number_text(x * unit.si_factor);
                                format!("{name}={x}[{}]", unit.si)
                            }
                            _ => assignment.to_string(),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            _ => {}
        }
    }
}

/// Set the `units` header of a sweep whose inputs carry units, in natural (meV) units.
pub fn table_physical_natural(table: &mut Table) {
    for (key, value) in &mut table.header {
        if key == "units" {
            *value = PHYSICAL_NATURAL_HEADER.into();
        }
    }
}

/// How a column is drawn in SI (`qct sweep --plot … --units si`): the factor from natural
/// (meV) values to the drawn numbers and the unit of the axis label, with an engineering
/// prefix chosen from the largest |value| of `values` (e.g. `mK`, `pA`); energies in eV
/// (`µeV`), rates as 1/(prefixed second) (`1/ns`). `None` for labels and unknown names.
pub fn si_display(
    name: &str,
    model: &Model,
    basis: &ForceBasis,
    values: &[f64],
) -> Option<(f64, String)> {
    let unit = column_unit(name, model, basis)?;
    let (base, factor) = match unit.si.as_str() {
        "J" => (
            "eV".to_string(),
            unit.si_factor / qct::units::ELEMENTARY_CHARGE,
        ),
        "1/J" => (
            "1/eV".to_string(),
            unit.si_factor * qct::units::ELEMENTARY_CHARGE,
        ),
        other => (other.to_string(), unit.si_factor),
    };
    let largest = values
        .iter()
        .filter(|x| x.is_finite())
        .fold(0.0f64, |m, x| m.max((x * factor).abs()));
    if matches!(base.as_str(), "1" | "1/eV" | "J W" | "J^2/s") || largest == 0.0 {
        return Some((factor, base));
    }
    let exponent = ((largest.log10() / 3.0).floor() as i32 * 3).clamp(-24, 24);
    const PREFIXES: [&str; 17] = [
        "y", "z", "a", "f", "p", "n", "µ", "m", "", "k", "M", "G", "T", "P", "E", "Z", "Y",
    ];
    let scale = 10f64.powi(-exponent);
    if base == "1/s" {
        // 1e9/s = 1/ns: the prefix of the second is the inverse one.
        let prefix = PREFIXES[((-exponent + 24) / 3) as usize];
        return Some((factor * scale, format!("1/{prefix}s")));
    }
    let prefix = PREFIXES[((exponent + 24) / 3) as usize];
    Some((factor * scale, format!("{prefix}{base}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drawn units: mK for 20–200 mK, pA for currents of tens of pA, µeV for levels of
    /// 0.1 meV, 1/ns for rates of 10⁹/s; the factor takes natural meV values to them.
    #[test]
    fn si_display_prefixes() {
        let model = qct::model::builtin::builtin("sqd").unwrap();
        let basis = ForceBasis::new(
            &model,
            qct::thermo::Representation::Energy,
            model.default_references(),
        )
        .unwrap();
        let kelvin = qct::units::MEV / qct::units::BOLTZMANN;
        let (factor, unit) =
            si_display("T_l", &model, &basis, &[0.02 / kelvin, 0.2 / kelvin]).unwrap();
        assert_eq!(unit, "mK");
        assert!((factor * 0.2 / kelvin - 200.0).abs() < 1e-9);
        let (factor, unit) = si_display("eps", &model, &basis, &[0.1]).unwrap();
        assert_eq!(unit, "µeV");
        assert!((factor * 0.1 - 100.0).abs() < 1e-9);
        let rate = 1e9 * qct::units::HBAR / qct::units::MEV; // 10⁹/s in meV
        let (factor, unit) = si_display("gamma_l", &model, &basis, &[rate]).unwrap();
        assert_eq!(unit, "1/ns");
        assert!((factor * rate - 1.0).abs() < 1e-12);
        let ampere = qct::units::ELEMENTARY_CHARGE * qct::units::MEV / qct::units::HBAR;
        let (factor, unit) = si_display("I^l", &model, &basis, &[-3e-11 / ampere]).unwrap();
        assert_eq!(unit, "pA");
        assert!((factor * -3e-11 / ampere + 30.0).abs() < 1e-9);
    }
}
