//! `--units si`: reports of a point given in physical units (natural units with the meV
//! energy unit, see [`qct::units`]) converted to SI base units, with a `"units"` object
//! naming each quantity's unit, and a text rendering with engineering prefixes (pA, fW,
//! mK, µeV).
//!
//! Conversions (k_B = ħ = 1, energy unit 1 meV = 1.602176634e-22 J): energies × meV → J;
//! temperatures × meV/k_B → K; rates and particle currents × meV/ħ → 1/s; the charge
//! current I = e J_N (A, positive into the system); energy and heat currents × meV²/ħ → W;
//! Σ̇ × k_B meV/ħ → W/K; F_E (1/energy) ÷ meV → 1/J; F_N and probabilities are
//! dimensionless.

use crate::report::physics::{IccReport, PerformanceReport, RegimeReport};
use crate::report::{OnsagerReport, SolveReport};
use qct::model::{Model, Role};
pub use qct::si::Si;
use qct::si::conjugate_flux;
pub(crate) use qct::si::{force_or_flux, onsager_entry};
use qct::units::ELEMENTARY_CHARGE;
use qct::{Error, Result};
use serde_json::{Map, Value, json};
use std::fmt::Write;

/// Output units of the point reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Units {
    /// k_B = ħ = 1 in the energy unit of the inputs (meV when they carry units).
    Natural,
    /// SI base units (J, K, 1/s, A, W, W/K); needs inputs with units.
    Si,
}

/// The `"units"` object of an SI report.
fn units_object() -> Value {
    json!({
        "energy": "J", "mu": "J", "T": "K", "rate": "1/s", "probability": "1",
        "J_N": "1/s", "I": "A", "J_E": "W", "J_Q": "W",
        "sigma": "W/K", "F_N": "1", "F_E": "1/J", "F_Q": "1/J"
    })
}

/// The parameter values in `object[key]` (natural, meV) converted to SI by their roles.
pub(crate) fn parameters_to_si(object: &mut Map<String, Value>, key: &str, model: &Model) {
    if let Some(Value::Object(parameters)) = object.get_mut(key) {
        for p in &model.parameters {
            if let Some(v) = parameters.get_mut(&p.name)
                && let Some(x) = v.as_f64()
            {
                *v = json!(x * Si::parameter(p.role));
            }
        }
    }
}

/// Multiply the number at `value` (if it is one) by `factor`.
pub(crate) fn scale(value: Option<&mut Value>, factor: f64) {
    if let Some(v) = value
        && let Some(x) = v.as_f64()
    {
        *v = json!(x * factor);
    }
}

/// Refuse SI output for a point in plain (unit-less) numbers.
pub fn require_physical(physical: bool) -> Result<()> {
    if physical {
        Ok(())
    } else {
        Err(Error::BadAssignment(
            "--units si needs the point in physical units: give the parameters units \
             (e.g. --set eps=0.1meV --set T_l=200mK --set gamma_l=1ueV)"
                .into(),
        ))
    }
}

/// The `qct solve` JSON in SI units.
pub fn solve_json(model: &Model, report: &SolveReport) -> Result<Value> {
    let mut value = super::json_value(report)?;
    let scale = |v: &mut Value, factor: f64| {
        if let Some(x) = v.as_f64() {
            *v = json!(x * factor);
        }
    };
    let object = value.as_object_mut().expect("a report is an object");
    parameters_to_si(object, "parameters", model);
    if let Some(Value::Array(states)) = object.get_mut("states") {
        for state in states {
            scale(&mut state["energy"], Si::ENERGY);
        }
    }
    if let Some(Value::Array(leads)) = object.get_mut("leads") {
        for lead in leads {
            let lead = lead.as_object_mut().expect("lead object");
            scale(lead.get_mut("T").expect("T"), Si::TEMPERATURE);
            scale(lead.get_mut("mu").expect("mu"), Si::ENERGY);
            let j_n = lead["J_N"].as_f64().unwrap_or(0.0);
            scale(lead.get_mut("J_N").expect("J_N"), Si::RATE);
            scale(lead.get_mut("J_E").expect("J_E"), Si::ENERGY_CURRENT);
            scale(lead.get_mut("J_Q").expect("J_Q"), Si::ENERGY_CURRENT);
            // Present only with a spin bias: μ_s in J, J_S in 1/s.
            for (key, factor) in [("mu_s", Si::ENERGY), ("J_S", Si::RATE)] {
                if let Some(v) = lead.get_mut(key) {
                    scale(v, factor);
                }
            }
            lead.insert("I".into(), json!(j_n * Si::CHARGE_CURRENT));
        }
    }
    if let Some(Value::Object(ep)) = object.get_mut("sigma") {
        for key in ["minus_sum_beta_heat", "sum_forces_fluxes"] {
            scale(
                ep.get_mut(key).expect("entropy production"),
                Si::ENTROPY_PRODUCTION,
            );
        }
    }
    for key in ["forces", "fluxes"] {
        if let Some(Value::Array(items)) = object.get_mut(key) {
            for item in items {
                let (_, factor) = force_or_flux(item["name"].as_str().unwrap_or(""));
                scale(&mut item["value"], factor);
            }
        }
    }
    object.insert("units".into(), units_object());
    Ok(value)
}

/// Unit and SI factor of every entry L_ij = ∂J_i/∂F_j ([`onsager_entry`]) for the fluxes
/// (rows) and forces (columns).
pub(crate) fn onsager_entries(
    fluxes: &[String],
    forces: &[String],
) -> Vec<Vec<(&'static str, f64)>> {
    fluxes
        .iter()
        .map(|flux| {
            forces
                .iter()
                .map(|force| onsager_entry(flux, force))
                .collect()
        })
        .collect()
}

/// The `qct onsager` JSON in SI units: parameters, the equilibrium, L and L_fd entry by
/// entry (with a matrix of units), det L (unit: the product of the diagonal units) and the
/// reciprocity residual in SI. The eigenvalues of a matrix whose entries have different
/// units are not defined in SI and are left out.
pub fn onsager_json(model: &Model, report: &OnsagerReport) -> Result<Value> {
    let mut value = super::json_value(report)?;
    let object = value.as_object_mut().expect("a report is an object");
    for key in ["parameters", "equilibrium"] {
        parameters_to_si(object, key, model);
    }
    let entries = onsager_entries(&report.fluxes, &report.forces);
    let convert = |m: &[Vec<f64>]| -> Vec<Vec<f64>> {
        m.iter()
            .zip(&entries)
            .map(|(row, units)| row.iter().zip(units).map(|(x, u)| x * u.1).collect())
            .collect()
    };
    let l = convert(&report.l);
    let mut asymmetry: f64 = 0.0;
    for i in 0..l.len() {
        for j in 0..l.len() {
            asymmetry = asymmetry.max((l[i][j] - l[j][i]).abs());
        }
    }
    let det_factor: f64 = (0..entries.len()).map(|i| entries[i][i].1).product();
    object.insert("L".into(), json!(l));
    object.insert(
        "L_finite_difference".into(),
        json!(convert(&report.l_finite_difference)),
    );
    object.insert("determinant".into(), json!(report.determinant * det_factor));
    object.insert("reciprocity_residual".into(), json!(asymmetry));
    object.remove("eigenvalues");
    let mut units = units_object();
    let matrix: Vec<Vec<&str>> = entries
        .iter()
        .map(|row| row.iter().map(|u| u.0).collect())
        .collect();
    units["L"] = json!(matrix);
    units["determinant"] = json!(
        (0..entries.len())
            .map(|i| entries[i][i].0)
            .collect::<Vec<_>>()
            .join(" ")
    );
    object.insert("units".into(), units);
    Ok(value)
}

/// The `qct performance` JSON in SI units: powers and heat flows in W, temperatures in K,
/// biases in J; the linear coefficients as electrical quantities: G = e² L_NN/(k_B T) in S,
/// the electron thermopower S_e = −(k_B/e) S in V/K (S the particle thermopower in units of
/// k_B), K in W/K and the power factor G S_e² in W/K². Efficiencies, ZT and their ratios
/// are dimensionless and unchanged.
pub fn performance_json(model: &Model, report: &PerformanceReport) -> Result<Value> {
    let mut value = super::json_value(report)?;
    let object = value.as_object_mut().expect("a report is an object");
    let scale = |object: &mut Map<String, Value>, key: &str, factor: f64| {
        if let Some(v) = object.get_mut(key)
            && let Some(x) = v.as_f64()
        {
            *v = json!(x * factor);
        }
    };
    parameters_to_si(object, "parameters", model);
    if let Some(Value::Object(machine)) = object.get_mut("machine") {
        for key in ["P", "Q_in"] {
            scale(machine, key, Si::ENERGY_CURRENT);
        }
    }
    if let Some(Value::Object(linear)) = object.get_mut("linear") {
        scale(linear, "T", Si::TEMPERATURE);
        scale(linear, "G", Si::CONDUCTANCE);
        scale(linear, "S", Si::THERMOPOWER);
        scale(linear, "K", Si::THERMAL_CONDUCTANCE);
        scale(
            linear,
            "power_factor",
            Si::CONDUCTANCE * Si::THERMOPOWER * Si::THERMOPOWER,
        );
    }
    if let Some(Value::Object(optimum)) = object.get_mut("load_optimum") {
        load_optimum_to_si(optimum);
    }
    object.insert(
        "units".into(),
        json!({
            "energy": "J", "T": "K", "rate": "1/s", "P": "W", "Q_in": "W",
            "P_max": "W", "bias": "J",
            "G": "S", "S": "V/K (electron thermopower, -k_B S/e)",
            "K": "W/K", "power_factor": "W/K^2",
            "eta": "1", "ZT": "1"
        }),
    );
    Ok(value)
}

/// The `"load_optimum"` of `qct performance` (and of `--tradeoff`) in SI: the biases Δμ in
/// J, the maximum power in W; efficiencies are dimensionless.
pub(crate) fn load_optimum_to_si(optimum: &mut Map<String, Value>) {
    for key in ["stall_bias", "bias_at_max_power", "bias_at_eta_max"] {
        scale(optimum.get_mut(key), Si::ENERGY);
    }
    scale(optimum.get_mut("P_max"), Si::ENERGY_CURRENT);
}

/// x with an engineering prefix and `unit`, 4 significant digits (e.g. 12.35 pA).
pub fn engineering(x: f64, unit: &str) -> String {
    const PREFIXES: [(i32, &str); 17] = [
        (-24, "y"),
        (-21, "z"),
        (-18, "a"),
        (-15, "f"),
        (-12, "p"),
        (-9, "n"),
        (-6, "µ"),
        (-3, "m"),
        (0, ""),
        (3, "k"),
        (6, "M"),
        (9, "G"),
        (12, "T"),
        (15, "P"),
        (18, "E"),
        (21, "Z"),
        (24, "Y"),
    ];
    if x == 0.0 {
        return format!("0 {unit}");
    }
    let exponent = (x.abs().log10() / 3.0).floor() as i32 * 3;
    match PREFIXES.iter().find(|p| p.0 == exponent) {
        Some((e, prefix)) => format!("{:.4} {prefix}{unit}", x / 10f64.powi(*e)),
        None => format!("{x:.4e} {unit}"),
    }
}

/// The `qct solve` text in SI units with engineering prefixes; energies in eV (meV, µeV).
pub fn solve_text(model: &Model, report: &SolveReport) -> String {
    let ev = Si::ENERGY / ELEMENTARY_CHARGE; // natural unit (meV) in eV
    let mut out = String::new();
    writeln!(
        out,
        "model {}: nonlinear Pauli steady state (SI units)",
        report.model
    )
    .unwrap();
    writeln!(
        out,
        "parameters: {}",
        parameters_line(model, &report.parameters)
    )
    .unwrap();
    writeln!(out, "\nstates").unwrap();
    for s in &report.states {
        writeln!(
            out,
            "   {:<4} E = {:>14}   p = {:.6e}",
            s.label,
            engineering(s.energy * ev, "eV"),
            s.probability
        )
        .unwrap();
    }
    writeln!(out, "\nlead currents (positive into the system; I = e J_N)").unwrap();
    writeln!(
        out,
        "   {:<5} {:>12} {:>14} {:>14} {:>14} {:>14}",
        "lead", "T", "mu", "I", "J_E", "J_Q"
    )
    .unwrap();
    for l in &report.leads {
        writeln!(
            out,
            "   {:<5} {:>12} {:>14} {:>14} {:>14} {:>14}",
            l.name,
            engineering(l.temperature * Si::TEMPERATURE, "K"),
            engineering(l.mu * ev, "eV"),
            engineering(l.particle_current * Si::CHARGE_CURRENT, "A"),
            engineering(l.energy_current * Si::ENERGY_CURRENT, "W"),
            engineering(l.heat_current * Si::ENERGY_CURRENT, "W"),
        )
        .unwrap();
    }
    writeln!(
        out,
        "\nentropy production  {}",
        engineering(
            report.entropy_production.minus_sum_beta_heat * Si::ENTROPY_PRODUCTION,
            "W/K"
        )
    )
    .unwrap();
    for note in &report.notes {
        writeln!(out, "\nnote: {note}").unwrap();
    }
    out
}

/// The `qct regime` JSON in SI units: parameters by role, the analysis as
/// [`qct::si::regime_to_si`] converts it (the same function as Python's `Model.regime(units="si")`),
/// and the steady state's power and heat in W.
pub fn regime_json(model: &Model, report: &RegimeReport) -> Result<Value> {
    let mut value = super::json_value(report)?;
    let object = value.as_object_mut().expect("a report is an object");
    parameters_to_si(object, "parameters", model);
    let mut units = qct::si::regime_to_si(object);
    if let Some(Value::Object(performance)) = object.get_mut("performance") {
        for key in ["P", "Q_in"] {
            scale(performance.get_mut(key), Si::ENERGY_CURRENT);
        }
    }
    units["P"] = json!("W");
    units["Q_in"] = json!("W");
    object.insert("units".into(), units);
    Ok(value)
}

/// The `qct regime` text in SI units: the verdict, the parameters, and each force with its
/// flux in engineering units (particle fluxes also as the charge current I = e J_N).
pub fn regime_text(model: &Model, report: &RegimeReport) -> String {
    let a = &report.analysis;
    let mut out = String::new();
    writeln!(
        out,
        "model {} ({} representation, SI units)",
        report.model, report.representation
    )
    .unwrap();
    writeln!(out, "regime: {}", a.regime.label()).unwrap();
    writeln!(
        out,
        "linear-response prediction: {}",
        a.linear_prediction.label()
    )
    .unwrap();
    writeln!(
        out,
        "parameters: {}",
        parameters_line(model, &report.parameters)
    )
    .unwrap();
    writeln!(
        out,
        "\n   {:<8} {:>13} {:<8} {:>14} {:>14} {:>14}",
        "force", "value", "flux", "value", "linear", "gradient"
    )
    .unwrap();
    for f in &a.fluxes {
        let force = match force_or_flux(&f.force) {
            ("1", _) => format!("{:.6}", f.force_value),
            (_, factor) => format!("{:.4e} /J", f.force_value * factor),
        };
        let flux = |x: f64| match force_or_flux(&f.flux) {
            ("1/s", _) => engineering(x * Si::CHARGE_CURRENT, "A"),
            (_, factor) => engineering(x * factor, "W"),
        };
        let gradient = match f.gradient.name.as_str() {
            "ΔT" => engineering(f.gradient.value * Si::TEMPERATURE, "K"),
            _ => engineering(f.gradient.value * Si::ENERGY / ELEMENTARY_CHARGE, "eV"),
        };
        writeln!(
            out,
            "   {:<8} {:>13} {:<8} {:>14} {:>14} {:>14}",
            f.force,
            force,
            f.flux,
            flux(f.flux_value),
            flux(f.linear_flux),
            format!("{} {gradient}", f.gradient.name),
        )
        .unwrap();
    }
    writeln!(out, "   (particle fluxes as the charge current I = e J_N)").unwrap();
    writeln!(
        out,
        "\nentropy production  {}",
        engineering(a.entropy_production * Si::ENTROPY_PRODUCTION, "W/K")
    )
    .unwrap();
    let p = &report.performance;
    writeln!(
        out,
        "{}: power {}, heat in {}",
        p.role,
        engineering(p.power * Si::ENERGY_CURRENT, "W"),
        engineering(p.heat_in * Si::ENERGY_CURRENT, "W")
    )
    .unwrap();
    for note in &a.notes {
        writeln!(out, "note (natural units, meV): {note}").unwrap();
    }
    out
}

/// The `qct icc` JSON in SI units: parameters by role; β_ρ in 1/J; L in 1/s, W and J W;
/// each wedge's cross coefficient in W and its bounds on F_N/F_E in J; the minimum Σ̇ of
/// each scan in W/K. Angles and scan radii in the dimensionless plane (F_E/β_ρ, F_N) and
/// the symbolic criterion are unchanged.
pub fn icc_json(model: &Model, report: &IccReport) -> Result<Value> {
    let mut value = super::json_value(report)?;
    let object = value.as_object_mut().expect("a report is an object");
    parameters_to_si(object, "parameters", model);
    let mut units = units_object();
    if let Some(Value::Object(analysis)) = object.get_mut("analysis") {
        let forces = [
            analysis["particle_force"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            analysis["energy_force"].as_str().unwrap_or("").to_string(),
        ];
        scale(analysis.get_mut("beta_reference"), 1.0 / Si::ENERGY);
        let mut matrix = vec![vec![""; 2]; 2];
        if let Some(Value::Array(rows)) = analysis.get_mut("L") {
            for (i, row) in rows.iter_mut().enumerate() {
                for j in 0..2 {
                    let (unit, factor) = onsager_entry(&conjugate_flux(&forces[i]), &forces[j]);
                    scale(row.get_mut(j), factor);
                    matrix[i][j] = unit;
                }
            }
        }
        if let Some(Value::Array(wedges)) = analysis.get_mut("wedges") {
            for wedge in wedges {
                scale(
                    wedge.get_mut("cross_coefficient"),
                    onsager_entry(&conjugate_flux(&forces[0]), &forces[1]).1,
                );
                for key in ["ratio_from", "ratio_to"] {
                    scale(wedge.get_mut(key), Si::ENERGY);
                }
            }
        }
        if let Some(Value::Array(scans)) = analysis.get_mut("scans") {
            for scan in scans {
                scale(scan.get_mut("min_sigma"), Si::ENTROPY_PRODUCTION);
            }
        }
        units["L"] = json!(matrix);
    }
    units["beta_reference"] = json!("1/J");
    units["cross_coefficient"] = json!("W");
    units["ratio"] = json!("J (F_N/F_E)");
    units["min_sigma"] = json!("W/K");
    units["angle"] = json!("deg in the dimensionless plane (F_E/beta_ref, F_N)");
    object.insert("units".into(), units);
    Ok(value)
}

/// `name=value` of every parameter with its unit and an engineering prefix: energies in
/// eV, temperatures in K, rates in 1/s.
pub(crate) fn parameters_line(model: &Model, parameters: &Map<String, Value>) -> String {
    let ev = Si::ENERGY / ELEMENTARY_CHARGE; // natural unit (meV) in eV
    model
        .parameters
        .iter()
        .map(|p| {
            let x = parameters
                .get(&p.name)
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            let shown = match p.role {
                Role::Energy | Role::ChemicalPotential => engineering(x * ev, "eV"),
                Role::Temperature => engineering(x * Si::TEMPERATURE, "K"),
                Role::Rate => engineering(x * Si::RATE, "/s"),
                Role::Dimensionless => format!("{x}"),
            };
            format!("{}={}", p.name, shown.replace(' ', ""))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engineering_prefixes() {
        assert_eq!(engineering(1.2345e-12, "A"), "1.2345 pA");
        assert_eq!(engineering(-3.0e-15, "W"), "-3.0000 fW");
        assert_eq!(engineering(0.02, "K"), "20.0000 mK");
        assert_eq!(engineering(1e-6, "eV"), "1.0000 µeV");
        assert_eq!(engineering(0.0, "A"), "0 A");
    }

    #[test]
    fn factors_follow_from_the_constants() {
        // 1 meV/ħ = 1.519267447e12 1/s; 1 meV/k_B = 11.60451812 K.
        assert!((Si::RATE / 1.519_267_447e12 - 1.0).abs() < 1e-9);
        assert!((Si::TEMPERATURE / 11.604_518_12 - 1.0).abs() < 1e-9);
        assert!((Si::ENERGY_CURRENT / (qct::units::MEV * Si::RATE) - 1.0).abs() < 1e-15);
    }
}
