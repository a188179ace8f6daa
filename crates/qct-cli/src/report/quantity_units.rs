//! The unit of every sweep column (a parameter, a force or a quantity of
//! [`crate::quantity`]) in natural units and in SI, for `qct sweep --units si` and for the
//! axis labels of figures ([`unit_of`]).
//!
//! Natural units: k_B = ħ = 1 with one energy unit (meV for inputs with units), so
//! "1/time" = energy/ħ. SI: the factors of [`Si`] from natural meV units.

use super::units::{Si, Units, force_or_flux, onsager_entry};
use qct::model::{Model, Role};
use qct::quantity::{self, FluctuationKind, LinearCoefficient, Quantity};
use qct::sweep::{Cell, ERROR_COLUMN, Table};
use qct::thermo::ForceBasis;

/// A column's unit in natural units and in SI, with the factor from natural (meV) values
/// to SI values.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnUnit {
    pub natural: String,
    pub si: String,
    pub si_factor: f64,
}

impl ColumnUnit {
    fn new(natural: &str, si: &str, si_factor: f64) -> ColumnUnit {
        ColumnUnit {
            natural: natural.to_string(),
            si: si.to_string(),
            si_factor,
        }
    }

    /// From an SI unit of [`force_or_flux`] or [`onsager_entry`], with its factor.
    fn from_si((si, si_factor): (&str, f64)) -> ColumnUnit {
        let natural = match si {
            "1/s" => "1/time",
            "W" => "energy/time",
            "J W" => "energy^2/time",
            "1/J" => "1/energy",
            _ => "1",
        };
        ColumnUnit::new(natural, si, si_factor)
    }

    /// The unit string in `units`.
    pub fn name(&self, units: Units) -> &str {
        match units {
            Units::Natural => &self.natural,
            Units::Si => &self.si,
        }
    }
}

const DIMENSIONLESS: (&str, &str, f64) = ("1", "1", 1.0);

/// The unit of sweep column `name` of `model` in `basis`: a parameter (by its role), a force
/// or a quantity. `None` for labels (`regime`) and unknown names.
pub fn column_unit(name: &str, model: &Model, basis: &ForceBasis) -> Option<ColumnUnit> {
    if let Some(p) = model.param(name) {
        let role = model.parameters[p.0].role;
        let si = match role {
            Role::Energy | Role::ChemicalPotential => "J",
            Role::Temperature => "K",
            Role::Rate => "1/s",
            Role::Dimensionless => "1",
        };
        return Some(ColumnUnit::new(role.unit(), si, Si::parameter(role)));
    }
    let flux = |i: usize| basis.flux_name(&basis.forces[i]);
    let force = |i: usize| basis.force_name(&basis.forces[i]);
    let (natural, si, factor) = match quantity::parse(name, model, basis).ok()? {
        Quantity::Force(i) => return Some(ColumnUnit::from_si(force_or_flux(&force(i)))),
        Quantity::Onsager(i, j) => {
            return Some(ColumnUnit::from_si(onsager_entry(&flux(i), &force(j))));
        }
        Quantity::Determinant => {
            let diagonal: Vec<ColumnUnit> = (0..basis.len())
                .map(|i| ColumnUnit::from_si(onsager_entry(&flux(i), &force(i))))
                .collect();
            let join =
                |f: fn(&ColumnUnit) -> &str| diagonal.iter().map(f).collect::<Vec<_>>().join(" ");
            return Some(ColumnUnit {
                natural: join(|u| &u.natural),
                si: join(|u| &u.si),
                si_factor: diagonal.iter().map(|u| u.si_factor).product(),
            });
        }
        Quantity::ParticleCurrent(_) => ("1/time", "1/s", Si::RATE),
        Quantity::ChargeCurrent(_) => ("e/time", "A", Si::CHARGE_CURRENT),
        Quantity::EnergyCurrent(_) | Quantity::HeatCurrent(_) | Quantity::Power => {
            ("energy/time", "W", Si::ENERGY_CURRENT)
        }
        Quantity::EntropyProduction => ("k_B/time", "W/K", Si::ENTROPY_PRODUCTION),
        Quantity::Regime | Quantity::LinearRegime => return None,
        Quantity::Probability(_)
        | Quantity::RelativeDeterminant
        | Quantity::Efficiency
        | Quantity::EfficiencyOverCarnot
        | Quantity::Cop
        | Quantity::CopOverCarnot => DIMENSIONLESS,
        Quantity::Linear(c) => match c {
            LinearCoefficient::Conductance => ("1/(time energy)", "S", Si::CONDUCTANCE),
            LinearCoefficient::Seebeck => ("k_B", "V/K", Si::THERMOPOWER),
            LinearCoefficient::ThermalConductance => ("k_B/time", "W/K", Si::THERMAL_CONDUCTANCE),
            LinearCoefficient::PowerFactor => (
                "k_B^2/(time energy)",
                "W/K^2",
                Si::CONDUCTANCE * Si::THERMOPOWER * Si::THERMOPOWER,
            ),
            LinearCoefficient::Zt
            | LinearCoefficient::MaxEfficiencyOverCarnot
            | LinearCoefficient::EfficiencyAtMaxPowerOverCarnot => DIMENSIONLESS,
        },
        Quantity::Fluctuation(kind, _, transfer) => {
            let particle = transfer == qct::fcs::Transfer::Particle;
            match (kind, particle) {
                (FluctuationKind::Noise, true) => ("1/time", "1/s", Si::RATE),
                (FluctuationKind::Noise, false) => {
                    ("energy^2/time", "J W", Si::ENERGY * Si::ENERGY_CURRENT)
                }
                (FluctuationKind::Fano, true) => DIMENSIONLESS,
                (FluctuationKind::Fano, false) => ("energy", "J", Si::ENERGY),
                // ⟨⟨J J⟩⟩ Σ̇/⟨J⟩² in units of k_B in both modes (the bound is 2 k_B).
                (FluctuationKind::Tur, _) => ("k_B", "k_B", 1.0),
            }
        }
    };
    Some(ColumnUnit::new(natural, si, factor))
}

/// The unit string of sweep column `name` in `units` (for axis labels); `None` for labels
/// and unknown names.
pub fn unit_of(name: &str, model: &Model, basis: &ForceBasis, units: Units) -> Option<String> {
    column_unit(name, model, basis).map(|u| u.name(units).to_string())
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
        "J" => ("eV".to_string(), unit.si_factor / qct::units::ELEMENTARY_CHARGE),
        "1/J" => ("1/eV".to_string(), unit.si_factor * qct::units::ELEMENTARY_CHARGE),
        other => (other.to_string(), unit.si_factor),
    };
    let largest = values
        .iter()
        .filter(|x| x.is_finite())
        .fold(0.0f64, |m, x| m.max((x * factor).abs()));
    if matches!(base.as_str(), "1" | "1/eV" | "J W") || largest == 0.0 {
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
        let (factor, unit) = si_display("T_l", &model, &basis, &[0.02 / kelvin, 0.2 / kelvin]).unwrap();
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
