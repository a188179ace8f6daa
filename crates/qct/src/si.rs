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

/// The counted amount of a current (a counter of the counting statistics,
/// docs/fluctuations.md) named like `J_N^l`, `I^l`, `J_E^l`, `J_Q^l`, `J_S^l` or `sigma`:
/// its SI unit and the SI size of one natural unit of it — particles (and spin, N↑ − N↓)
/// 1, the charge e (C), energy and heat 1 meV (J), the entropy k_B (J/K).
pub fn counted_amount(current: &str) -> (&'static str, f64) {
    match current.split('^').next().unwrap_or("") {
        "J_N" | "J_S" => ("1", 1.0),
        "I" => ("C", ELEMENTARY_CHARGE),
        "sigma" => ("J/K", BOLTZMANN),
        _ => ("J", Si::ENERGY),
    }
}

/// `unit^n` (`"1"` stays `"1"`; a compound unit is bracketed: `(J/K)^2`).
fn power(unit: &str, n: usize) -> String {
    match (unit, n) {
        ("1", _) => "1".to_string(),
        (u, 1) => u.to_string(),
        (u, n) if u.contains('/') => format!("({u})^{n}"),
        (u, n) => format!("{u}^{n}"),
    }
}

/// Unit and SI factor of the n-th cumulant per unit time κ_n = ⟨⟨X^n⟩⟩/t of the amount X
/// counted by `current` ([`counted_amount`], natural value × factor = SI value): X^n/s, the
/// size of X to the n-th power times meV/ħ. κ₁ is the mean current and carries its unit
/// (1/s, A, W, W/K); κ₂ of the charge in C²/s = A²/Hz, of energy in J²/s = W²/Hz.
pub fn cumulant(current: &str, n: usize) -> (String, f64) {
    let (amount, size) = counted_amount(current);
    let unit = match (amount, n) {
        ("1", _) => "1/s".to_string(),
        ("C", 1) => "A".to_string(),
        ("J", 1) => "W".to_string(),
        ("J/K", 1) => "W/K".to_string(),
        (a, n) => format!("{}/s", power(a, n)),
    };
    (unit, size.powi(n as i32) * Si::RATE)
}

/// Unit and SI factor of the noise entry ⟨⟨J_a J_b⟩⟩ (the joint second cumulant per unit
/// time of the amounts counted by currents `a` and `b`): X_a X_b/s, e.g. 1/s for two
/// particle currents, J/s for a particle and an energy current, J²/s for two energy
/// currents, C²/s = A²/Hz for the charge.
pub fn noise_entry(a: &str, b: &str) -> (String, f64) {
    if a == b || counted_amount(a).0 == counted_amount(b).0 {
        return cumulant(a, 2);
    }
    let ((ua, sa), (ub, sb)) = (counted_amount(a), counted_amount(b));
    let unit = match (ua, ub) {
        ("1", u) | (u, "1") => format!("{u}/s"),
        (ua, ub) => format!("{ua} {ub}/s"),
    };
    (unit, sa * sb * Si::RATE)
}

/// `"J_N^l"` for the force `"F_N^l"`: the flux conjugate to a force.
pub fn conjugate_flux(force: &str) -> String {
    format!("J{}", force.get(1..).unwrap_or(""))
}

/// Multiply the number at `value` (if it is one) by `factor`.
fn scale_json(value: Option<&mut serde_json::Value>, factor: f64) {
    if let Some(v) = value
        && let Some(x) = v.as_f64()
    {
        *v = serde_json::json!(x * factor);
    }
}

/// The keys of a regime analysis ([`crate::regime::RegimeAnalysis`] as JSON: `qct regime
/// --format json`, Python's `Model.regime`) converted in place from natural (meV) to SI
/// units: each force in its unit (F_N 1, F_E 1/J) with its flux and linear prediction
/// (J_N 1/s, J_E and J_Q W) and its gradient (Δμ in J, ΔT in K); the pairs' cross
/// coefficients like L (1/s, W or J W); `bare_levels[].above_reference` and `flux_ratio`
/// (J_E/J_N) in J; Σ̇ (`sigma`) in W/K. Notes stay in natural units. Returns the `"units"`
/// object naming them.
pub fn regime_to_si(object: &mut serde_json::Map<String, serde_json::Value>) -> serde_json::Value {
    use serde_json::{Value, json};
    if let Some(Value::Array(levels)) = object.get_mut("bare_levels") {
        for level in levels {
            scale_json(level.get_mut("above_reference"), Si::ENERGY);
        }
    }
    scale_json(object.get_mut("flux_ratio"), Si::ENERGY);
    if let Some(Value::Array(fluxes)) = object.get_mut("fluxes") {
        for flux in fluxes {
            let force_factor = force_or_flux(flux["force"].as_str().unwrap_or("")).1;
            let flux_factor = force_or_flux(flux["flux"].as_str().unwrap_or("")).1;
            scale_json(flux.get_mut("force_value"), force_factor);
            scale_json(flux.get_mut("flux_value"), flux_factor);
            scale_json(flux.get_mut("linear_flux"), flux_factor);
            let gradient_factor = match flux["gradient"]["name"].as_str() {
                Some("ΔT") => Si::TEMPERATURE,
                _ => Si::ENERGY,
            };
            scale_json(flux["gradient"].get_mut("value"), gradient_factor);
        }
    }
    let mut pair_units = Vec::new();
    if let Some(Value::Array(pairs)) = object.get_mut("pairs") {
        for pair in pairs {
            let first = conjugate_flux(pair["forces"][0].as_str().unwrap_or(""));
            let (unit, factor) = onsager_entry(&first, pair["forces"][1].as_str().unwrap_or(""));
            scale_json(pair.get_mut("cross_coefficient"), factor);
            pair_units.push(unit);
        }
    }
    scale_json(object.get_mut("sigma"), Si::ENTROPY_PRODUCTION);
    json!({
        "energy": "J", "mu": "J", "T": "K", "rate": "1/s", "probability": "1",
        "J_N": "1/s", "I": "A", "J_E": "W", "J_Q": "W",
        "sigma": "W/K", "F_N": "1", "F_E": "1/J", "F_Q": "1/J",
        "gradient": {"Δμ": "J", "ΔT": "K"}, "above_reference": "J", "flux_ratio": "J",
        "cross_coefficient": pair_units, "notes": "natural units (k_B = hbar = 1, meV)",
    })
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
    pub fn from_si((si, si_factor): (&str, f64)) -> ColumnUnit {
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
