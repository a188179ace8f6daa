//! Text output in SI units with engineering prefixes for `qct icc`, `qct onsager` and
//! `qct performance` (`--units si` without `--format json`). Each renders the numbers of the
//! command's SI JSON ([`super::units`]), so text and JSON cannot disagree: energies are shown
//! in eV (µeV, meV), temperatures in K (mK), rates in /s, currents in A, powers in W; a
//! conductance also in units of e²/h.

use super::json_number;
use super::physics::{IccReport, PerformanceReport};
use super::units::{engineering, icc_json, onsager_json, parameters_line, performance_json};
use crate::report::OnsagerReport;
use qct::Result;
use qct::model::Model;
use qct::units::{ELEMENTARY_CHARGE, PLANCK};
use serde_json::Value;
use std::fmt::Write;

/// An SI number `x` in `unit` (as the JSON's `"units"` names it) with an engineering prefix;
/// energies (J) in eV, inverse energies in /eV, the conductance also in e²/h.
pub fn show(x: f64, unit: &str) -> String {
    let e = ELEMENTARY_CHARGE;
    match unit {
        "J" => engineering(x / e, "eV"),
        "1/J" => engineering(x * e, "/eV"),
        "J W" => engineering(x / e, "eV W"),
        "1/s" => engineering(x, "/s"),
        "1" => format!("{x:.6}"),
        "S" => format!(
            "{} ({:.4e} e²/h)",
            engineering(x, "S"),
            x / (e * e / PLANCK)
        ),
        _ => engineering(x, unit),
    }
}

/// The SI unit of a `qct performance` field (the JSON's `"units"` name the families).
fn performance_unit(key: &str) -> &'static str {
    match key {
        "T" => "K",
        "G" => "S",
        "S" => "V/K",
        "K" => "W/K",
        "power_factor" => "W/K^2",
        "P" | "Q_in" | "P_max" => "W",
        k if k.contains("bias") => "J",
        _ => "1",
    }
}

/// `qct icc … --units si`: L at equilibrium (1/s, W, eV W), the wedges with their cross
/// coefficient in W and bounds on F_N/F_E in eV, the scans' minimum Σ̇ in W/K.
pub fn icc_text(model: &Model, report: &IccReport) -> Result<String> {
    let json = icc_json(model, report)?;
    let mut out = format!(
        "model {} ({} representation, SI units)\nparameters: {}\n",
        report.model,
        report.representation,
        parameters_line(model, &report.parameters)
    );
    let Some(a) = json.get("analysis") else {
        let reason = report.reason.as_deref().unwrap_or("");
        return Ok(format!("{out}ICC: not applicable: {reason}\n"));
    };
    let units = &json["units"];
    let l = |i: usize, j: usize| {
        show(
            json_number(&a["L"][i][j]),
            units["L"][i][j].as_str().unwrap_or(""),
        )
    };
    let _ = writeln!(
        out,
        "forces {} and {} (mutually parallel); beta_ref = {}",
        a["energy_force"].as_str().unwrap_or(""),
        a["particle_force"].as_str().unwrap_or(""),
        show(json_number(&a["beta_reference"]), "1/J")
    );
    let _ = writeln!(
        out,
        "L at equilibrium: L_NN = {}, L_NE = {}, L_EN = {}, L_EE = {}",
        l(0, 0),
        l(0, 1),
        l(1, 0),
        l(1, 1)
    );
    out.push_str("\nlinear-response ICC wedges (first quadrant; mirrored in the third):\n");
    for w in a["wedges"].as_array().into_iter().flatten() {
        let bound = |key: &str| {
            w.get(key)
                .map_or("inf".into(), |v| show(json_number(v), "J"))
        };
        let wedge = if w["exists"].as_bool() == Some(true) {
            format!("{} < F_N/F_E < {}", bound("ratio_from"), bound("ratio_to"))
        } else {
            "none (cross coefficient >= 0)".into()
        };
        let _ = writeln!(
            out,
            "   ICC in {:<6} cross coefficient {:>14}   {wedge}",
            w["flux"].as_str().unwrap_or(""),
            show(json_number(&w["cross_coefficient"]), "W"),
        );
    }
    for s in a["scans"].as_array().into_iter().flatten() {
        let _ = writeln!(
            out,
            "nonlinear scan: radius {} in (F_E/beta_ref, F_N), {} directions; genuine ICC in {} \
             directions (linear response: {}); min entropy production {}",
            json_number(&s["radius"]),
            s["directions"],
            s["genuine_icc_directions"],
            s["linear_genuine_icc_directions"],
            show(json_number(&s["min_sigma"]), "W/K")
        );
    }
    let _ = writeln!(out, "\nverdict: {}", a["verdict"].as_str().unwrap_or(""));
    Ok(out)
}

/// `qct onsager … --units si`: the equilibrium and L entry by entry in its unit (1/s, W,
/// eV W), with the finite-difference check and the reciprocity residual.
pub fn onsager_text(model: &Model, report: &OnsagerReport) -> Result<String> {
    let json = onsager_json(model, report)?;
    let units = &json["units"]["L"];
    let mut out = format!(
        "model {}: Onsager matrix L_ij = dJ_i/dF_j at equilibrium (SI units)\nparameters: {}\n\n",
        report.model,
        parameters_line(model, &report.parameters)
    );
    let _ = writeln!(out, "   {:<16} {:>16} {:>16}", "entry", "L", "finite diff.");
    for (i, flux) in report.fluxes.iter().enumerate() {
        for (j, force) in report.forces.iter().enumerate() {
            let unit = units[i][j].as_str().unwrap_or("");
            let _ = writeln!(
                out,
                "   L[{flux}, {force}]{:<pad$} {:>16} {:>16}",
                "",
                show(json_number(&json["L"][i][j]), unit),
                show(json_number(&json["L_finite_difference"][i][j]), unit),
                pad = 16usize.saturating_sub(flux.len() + force.len() + 6),
            );
        }
    }
    let _ = writeln!(
        out,
        "\nreciprocity residual max|L_ij - L_ji| = {:.3e} (SI)",
        json_number(&json["reciprocity_residual"])
    );
    Ok(out)
}

/// `qct performance … --units si`: power and heat input in W, G in S (and e²/h), the
/// electron thermopower in V/K, K in W/K, efficiencies and ZT dimensionless.
pub fn performance_text(model: &Model, report: &PerformanceReport) -> Result<String> {
    let json = performance_json(model, report)?;
    let mut out = format!(
        "model {}: thermoelectric performance (SI units)\nparameters: {}\n",
        report.model,
        parameters_line(model, &report.parameters)
    );
    for (section, title) in [
        ("machine", "steady state"),
        ("linear", "linear response at equilibrium"),
        ("load_optimum", "engine optimised over its load"),
    ] {
        let Some(Value::Object(fields)) = json.get(section) else {
            continue;
        };
        let _ = writeln!(out, "\n{title}:");
        for (key, value) in fields {
            let shown = match value {
                Value::Number(_) => show(json_number(value), performance_unit(key)),
                Value::Null => "-".into(),
                other => other.to_string().trim_matches('"').to_string(),
            };
            let _ = writeln!(out, "   {key:<28} {shown}");
        }
    }
    Ok(out)
}
