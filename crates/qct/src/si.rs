//! SI units of qct's outputs: the factor from natural units with the meV energy unit
//! (k_B = ħ = 1, [`crate::units`]) to SI base units for every kind of quantity, and the unit
//! of every sweep column ([`column_unit`]) — one definition for the command line's
//! `--units si` and the Python package's `units="si"`.
//!
//! Conversions: energies × meV → J; temperatures × meV/k_B → K; rates and particle currents
//! × meV/ħ → 1/s; the charge current I = e J_N (A, positive into the system); energy and heat
//! currents × meV²/ħ → W; Σ̇ × k_B meV/ħ → W/K; F_E (1/energy) ÷ meV → 1/J; F_N and
//! probabilities are dimensionless.

use crate::model::{Model, Role};
use crate::quantity::{self, FluctuationKind, LinearCoefficient, Quantity};
use crate::thermo::ForceBasis;
use crate::units::{BOLTZMANN, ELEMENTARY_CHARGE, HBAR, MEV};

/// Factor from natural units (meV) to SI for each kind of quantity.
pub struct Si;

impl Si {
    pub const ENERGY: f64 = MEV;
    pub const TEMPERATURE: f64 = MEV / BOLTZMANN;
    pub const RATE: f64 = MEV / HBAR;
    pub const ENERGY_CURRENT: f64 = MEV * MEV / HBAR;
    pub const ENTROPY_PRODUCTION: f64 = BOLTZMANN * MEV / HBAR;
    /// The charge current I = e J_N (A) per natural particle current.
    pub const CHARGE_CURRENT: f64 = ELEMENTARY_CHARGE * MEV / HBAR;
    /// G = e² L_NN/(k_B T) (S) per natural G = L_NN/T.
    pub const CONDUCTANCE: f64 = ELEMENTARY_CHARGE * ELEMENTARY_CHARGE / HBAR;
    /// The electron thermopower S_e = −(k_B/e) S (V/K) per particle thermopower S (k_B).
    pub const THERMOPOWER: f64 = -BOLTZMANN / ELEMENTARY_CHARGE;
    /// K (W/K) per natural K (k_B per unit time).
    pub const THERMAL_CONDUCTANCE: f64 = BOLTZMANN * MEV / HBAR;

    /// SI factor of a parameter of role `role`.
    pub fn parameter(role: Role) -> f64 {
        match role {
            Role::Energy | Role::ChemicalPotential => Si::ENERGY,
            Role::Temperature => Si::TEMPERATURE,
            Role::Rate => Si::RATE,
            Role::Dimensionless => 1.0,
        }
    }
}

/// The unit of a force or flux named like `F_E^l` / `J_N^l`, and its SI factor.
pub fn force_or_flux(name: &str) -> (&'static str, f64) {
    match name.get(..3) {
        Some("F_N") | Some("F_S") => ("1", 1.0),
        Some("F_E") | Some("F_Q") => ("1/J", 1.0 / Si::ENERGY),
        Some("J_N") | Some("J_S") => ("1/s", Si::RATE),
        _ => ("W", Si::ENERGY_CURRENT),
    }
}

/// Unit and SI factor of L_ij = ∂J_i/∂F_j from the names of J_i and F_j: L_NN 1/s,
/// L_NE and L_EN W (reciprocity holds in SI too), L_EE J W.
pub fn onsager_entry(flux: &str, force: &str) -> (&'static str, f64) {
    let (flux_unit, flux_factor) = force_or_flux(flux);
    let (force_unit, force_factor) = force_or_flux(force);
    let unit = match (flux_unit, force_unit) {
        ("1/s", "1") => "1/s",
        ("1/s", _) | ("W", "1") => "W",
        _ => "J W",
    };
    (unit, flux_factor / force_factor)
}

/// A column's unit in natural units and in SI, with the factor from natural (meV) values
/// to SI values.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnUnit {
    pub natural: String,
    pub si: String,
    pub si_factor: f64,
}

impl ColumnUnit {
    pub fn new(natural: &str, si: &str, si_factor: f64) -> ColumnUnit {
        ColumnUnit {
            natural: natural.to_string(),
            si: si.to_string(),
            si_factor,
        }
    }

    /// From an SI unit of [`force_or_flux`] or [`onsager_entry`], with its factor.
    pub(crate) fn from_si((si, si_factor): (&str, f64)) -> ColumnUnit {
        let natural = match si {
            "1/s" => "1/time",
            "W" => "energy/time",
            "J W" => "energy^2/time",
            "1/J" => "1/energy",
            _ => "1",
        };
        ColumnUnit::new(natural, si, si_factor)
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
        // J_S in particles per unit time, like J_N (the spin current ħ/2 J_S is not used).
        Quantity::ParticleCurrent(_) | Quantity::SpinCurrent(_) => ("1/time", "1/s", Si::RATE),
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
            let particle = transfer == crate::fcs::Transfer::Particle;
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
