//! `--units si` for the counting statistics (`qct noise`, `qct fcs`) and for `qct check`:
//! every number of the natural report converted to SI base units by the factors of
//! [`qct::si`] (so the Python package and the sweeps use the same), a top-level `"units"`
//! object naming each quantity's unit, and text with engineering prefixes rendered from the
//! SI JSON (text and JSON cannot disagree).
//!
//! Noise convention (docs/lab-units.md, "Noise and cumulants in SI"): qct's noise is the
//! second cumulant per unit time, ⟨⟨J_i J_j⟩⟩ = ∫_{−∞}^{∞} ⟨δJ_i(t) δJ_j(0)⟩ dt, the
//! **two-sided** zero-frequency spectral density. For the charge current I = e J_N it is
//! S_I = e² ⟨⟨J_N J_N⟩⟩ in A²/Hz (= C²/s): Johnson–Nyquist S_I = 2 k_B T G at equilibrium,
//! Schottky S_I = e|I| for Poissonian transfers. The one-sided density that spectrum
//! analysers show is twice that (4 k_B T G, 2e|I|); the `"charge"` entries give both.

use super::check::CheckReport;
use super::json_number;
use super::noise::{FcsReport, NoiseReport};
use super::si_text::show;
use super::units::{engineering, onsager_entries, parameters_line, parameters_to_si};
use qct::Result;
use qct::model::Model;
use qct::si::{Si, counted_amount, cumulant, noise_entry};
use serde_json::{Map, Value, json};
use std::fmt::Write;

/// What the `"units"` object of the SI counting statistics says about the convention.
const CONVENTION: &str = "noise = second cumulant per unit time = integral over all t of \
                          <dJ_i(t) dJ_j(0)>: the two-sided zero-frequency spectral density \
                          (C^2/s = A^2/Hz, J^2/s = W^2/Hz); the one-sided density is 2x \
                          (Johnson-Nyquist 4 k_B T G, Schottky 2 e |I|)";

/// `names[i]` × `names[j]` entries of `matrix` converted by [`noise_entry`]; the matrix of
/// units.
fn noise_matrix(names: &[String], matrix: &[Vec<f64>]) -> (Vec<Vec<f64>>, Vec<Vec<String>>) {
    let units: Vec<Vec<(String, f64)>> = names
        .iter()
        .map(|a| names.iter().map(|b| noise_entry(a, b)).collect())
        .collect();
    let values = matrix
        .iter()
        .zip(&units)
        .map(|(row, u)| row.iter().zip(u).map(|(x, u)| x * u.1).collect())
        .collect();
    let units = units
        .into_iter()
        .map(|row| row.into_iter().map(|u| u.0).collect())
        .collect();
    (values, units)
}

/// Means κ₁ of `names` in SI, with their units.
fn means(names: &[String], mean: &[f64]) -> (Vec<f64>, Vec<String>) {
    names
        .iter()
        .zip(mean)
        .map(|(n, x)| {
            let (unit, factor) = cumulant(n, 1);
            (x * factor, unit)
        })
        .unzip()
}

/// The `"charge"` entries of the SI noise: for each lead's particle current J_N^λ, the
/// charge current I^λ = e J_N^λ (A), its two-sided noise S_I = e² ⟨⟨J_N J_N⟩⟩ (A²/Hz), the
/// one-sided 2 S_I, and the Fano factor S_I/(e|I|).
fn charge_entries(report: &NoiseReport) -> Vec<Value> {
    report
        .currents
        .iter()
        .enumerate()
        .filter(|(_, name)| name.starts_with("J_N^"))
        .map(|(i, name)| {
            let current = format!("I{}", &name[3..]);
            let mean = report.mean[i] * cumulant(&current, 1).1;
            let noise = report.noise[i][i] * cumulant(&current, 2).1;
            json!({
                "current": current,
                "I": mean,
                "S_I": noise,
                "S_I_one_sided": 2.0 * noise,
                "fano": report.fano.get(name).cloned().unwrap_or(Value::Null),
            })
        })
        .collect()
}

/// The `qct noise` JSON in SI: means in 1/s, W; the noise matrices entry by entry in 1/s,
/// J/s, J²/s ([`noise_entry`]); Fano factors dimensionless (particles) or in J; Σ̇ in W/K;
/// TUR ratios in k_B (unchanged); and `"charge"`: each lead's charge current with its
/// two-sided and one-sided noise in A²/Hz.
pub fn noise_json(model: &Model, report: &NoiseReport) -> Result<Value> {
    let mut value = super::json_value(report)?;
    let object = value.as_object_mut().expect("a report is an object");
    parameters_to_si(object, "parameters", model);
    let (mean, mean_units) = means(&report.currents, &report.mean);
    let (noise, noise_units) = noise_matrix(&report.currents, &report.noise);
    let (flux_mean, flux_mean_units) = means(&report.fluxes, &report.flux_mean);
    let (flux_noise, flux_noise_units) = noise_matrix(&report.fluxes, &report.flux_noise);
    let mut fano_units = Map::new();
    if let Some(Value::Object(fano)) = object.get_mut("fano") {
        for (name, v) in fano.iter_mut() {
            let (unit, size) = counted_amount(name);
            if let Some(x) = v.as_f64() {
                *v = json!(x * size);
            }
            fano_units.insert(name.clone(), json!(unit));
        }
    }
    object.insert("mean".into(), json!(mean));
    object.insert("noise".into(), json!(noise));
    object.insert("flux_mean".into(), json!(flux_mean));
    object.insert("flux_noise".into(), json!(flux_noise));
    object.insert(
        "sigma".into(),
        json!(report.entropy_production * Si::ENTROPY_PRODUCTION),
    );
    object.insert("charge".into(), json!(charge_entries(report)));
    object.insert(
        "units".into(),
        json!({
            "energy": "J", "mu": "J", "T": "K", "rate": "1/s",
            "mean": mean_units, "noise": noise_units,
            "flux_mean": flux_mean_units, "flux_noise": flux_noise_units,
            "fano": fano_units, "tur": "k_B", "flux_tur": "k_B", "sigma": "W/K",
            "gallavotti_cohen_residual": "1 (relative to the sum of the bare rates)",
            "charge": {"I": "A", "S_I": "A^2/Hz (two-sided)",
                       "S_I_one_sided": "A^2/Hz (one-sided)", "fano": "1"},
            "convention": CONVENTION,
        }),
    );
    Ok(value)
}

/// A matrix of SI numbers with their units, one cell per entry.
fn si_matrix(names: &[Value], matrix: &Value, units: &Value) -> String {
    let names: Vec<String> = names
        .iter()
        .map(|n| n.as_str().unwrap_or("").to_string())
        .collect();
    let rows: Vec<Vec<String>> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            std::iter::once(n.clone())
                .chain((0..names.len()).map(|j| {
                    show_noise(
                        json_number(&matrix[i][j]),
                        units[i][j].as_str().unwrap_or(""),
                    )
                }))
                .collect()
        })
        .collect();
    let mut header = vec![""];
    header.extend(names.iter().map(String::as_str));
    super::text::table(&header, &rows)
}

/// A noise or cumulant in its JSON unit, with an engineering prefix where the unit allows
/// one: C²/s as A²/Hz, J²/s as W²/Hz (the same numbers); higher powers in exponent form.
fn show_noise(x: f64, unit: &str) -> String {
    match unit {
        "C^2/s" => engineering(x, "A²/Hz"),
        "J^2/s" => engineering(x, "W²/Hz"),
        "C J/s" => engineering(x, "A W/Hz"),
        "1/s" => format!("{x:.4e} /s"),
        u if u.contains('^') => format!("{x:.4e} {u}"),
        u => engineering(x, u),
    }
}

/// `qct noise … --units si` as text: the charge currents with their noise in A²/Hz (both
/// conventions), every current's mean, noise and Fano factor with engineering prefixes, the
/// noise matrices and Σ̇ — rendered from [`noise_json`].
pub fn noise_text(model: &Model, report: &NoiseReport) -> Result<String> {
    let json = noise_json(model, report)?;
    let units = &json["units"];
    let mut out = format!(
        "model {} (SI units)\nparameters: {}\nconvention: {CONVENTION}\n\n",
        report.model,
        parameters_line(model, &report.parameters)
    );
    let _ = writeln!(out, "charge currents I = e J_N (positive into the system):");
    let rows: Vec<Vec<String>> = json["charge"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            vec![
                c["current"].as_str().unwrap_or("").to_string(),
                engineering(json_number(&c["I"]), "A"),
                engineering(json_number(&c["S_I"]), "A²/Hz"),
                engineering(json_number(&c["S_I_one_sided"]), "A²/Hz"),
                c["fano"]
                    .as_f64()
                    .map_or("-".to_string(), |f| format!("{f:.6}")),
            ]
        })
        .collect();
    out += &super::text::table(
        &["current", "I", "S_I two-sided", "S_I one-sided", "Fano"],
        &rows,
    );
    let _ = writeln!(out, "\nevery current (noise two-sided):");
    let rows: Vec<Vec<String>> = report
        .currents
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let fano = &json["fano"][name];
            vec![
                name.clone(),
                show(
                    json_number(&json["mean"][i]),
                    units["mean"][i].as_str().unwrap_or(""),
                ),
                show_noise(
                    json_number(&json["noise"][i][i]),
                    units["noise"][i][i].as_str().unwrap_or(""),
                ),
                fano.as_f64().map_or("-".to_string(), |f| {
                    show(f, units["fano"][name].as_str().unwrap_or(""))
                }),
                json["tur"][name]
                    .as_f64()
                    .map_or("-".to_string(), |t| format!("{t:.6}")),
            ]
        })
        .collect();
    out += &super::text::table(&["current", "mean", "noise", "Fano", "TUR (k_B)"], &rows);
    let _ = writeln!(out, "\nnoise matrix <<J_i J_j>>:");
    out += &si_matrix(
        json["currents"].as_array().map_or(&[][..], Vec::as_slice),
        &json["noise"],
        &units["noise"],
    );
    let _ = writeln!(
        out,
        "\nfluxes of the {} representation (= 2 k_B L at equilibrium):",
        report.representation
    );
    out += &si_matrix(
        json["fluxes"].as_array().map_or(&[][..], Vec::as_slice),
        &json["flux_noise"],
        &units["flux_noise"],
    );
    let _ = writeln!(
        out,
        "\nentropy production sigma = {}",
        engineering(json_number(&json["sigma"]), "W/K")
    );
    Ok(out)
}

/// The `qct fcs` JSON in SI: κ_n of each counted amount X in X^n/s ([`cumulant`]: particles
/// 1/s, energy and heat J^n/s with κ₁ in W, the entropy (J/K)^n/s with κ₁ = Σ̇ in W/K), and
/// after each J_N^λ the charge I^λ = e J_N^λ: κ₁ in A, κ_n in C^n/s.
pub fn fcs_json(model: &Model, report: &FcsReport) -> Result<Value> {
    let mut value = super::json_value(report)?;
    let object = value.as_object_mut().expect("a report is an object");
    parameters_to_si(object, "parameters", model);
    let mut cumulants = Map::new();
    let mut units = Map::new();
    for (name, kappa) in &report.cumulants {
        let kappa: Vec<f64> = kappa
            .as_array()
            .into_iter()
            .flatten()
            .map(json_number)
            .collect();
        let mut names = vec![name.clone()];
        if let Some(lead) = name.strip_prefix("J_N") {
            names.push(format!("I{lead}"));
        }
        for current in names {
            let (si, unit): (Vec<f64>, Vec<String>) = kappa
                .iter()
                .enumerate()
                .map(|(k, x)| {
                    let (unit, factor) = cumulant(&current, k + 1);
                    (x * factor, unit)
                })
                .unzip();
            cumulants.insert(current.clone(), json!(si));
            units.insert(current, json!(unit));
        }
    }
    object.insert("cumulants".into(), Value::Object(cumulants));
    object.insert(
        "units".into(),
        json!({
            "energy": "J", "mu": "J", "T": "K", "rate": "1/s",
            "cumulants": units,
            "convention": "kappa_n per unit time of the amount transferred into the system \
                           (particles, charge e, energy, heat, entropy k_B): X^n/s; kappa_2 \
                           is the two-sided zero-frequency noise",
        }),
    );
    Ok(value)
}

/// `qct fcs … --units si` as text: one row per counted amount, κ_n with its unit.
pub fn fcs_text(model: &Model, report: &FcsReport) -> Result<String> {
    let json = fcs_json(model, report)?;
    let mut out = format!(
        "model {} (SI units)\nparameters: {}\ncumulants per unit time of the amounts \
         transferred into the system (X^n/s; kappa_2 = two-sided noise)\n\n",
        report.model,
        parameters_line(model, &report.parameters)
    );
    let header: Vec<String> = std::iter::once("current".to_string())
        .chain((1..=report.order).map(|n| format!("kappa_{n}")))
        .collect();
    let rows: Vec<Vec<String>> = json["cumulants"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, kappa)| {
            std::iter::once(name.clone())
                .chain((0..report.order).map(|k| {
                    let unit = json["units"]["cumulants"][name][k].as_str().unwrap_or("");
                    show_noise(json_number(&kappa[k]), unit)
                }))
                .collect()
        })
        .collect();
    out += &super::text::table(
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
        &rows,
    );
    Ok(out)
}

/// The `qct check` JSON in SI: the four Onsager matrices (closed form, numeric, finite
/// differences with their rounding floor, fluctuation–dissipation) entry by entry like
/// `qct onsager --units si` (L_NN 1/s, L_NE W, L_EE J W); deviations are relative and
/// unchanged.
pub fn check_json(model: &Model, report: &CheckReport) -> Result<Value> {
    let mut value = super::json_value(report)?;
    let object = value.as_object_mut().expect("a report is an object");
    parameters_to_si(object, "parameters", model);
    let entries = onsager_entries(&report.fluxes, &report.forces);
    // One Onsager matrix (rows of numbers) to SI, entry by entry.
    let to_si = |matrix: &mut Value| {
        if let Value::Array(rows) = matrix {
            for (row, units) in rows.iter_mut().zip(&entries) {
                if let Value::Array(row) = row {
                    for (x, unit) in row.iter_mut().zip(units) {
                        *x = json!(json_number(x) * unit.1);
                    }
                }
            }
        }
    };
    for key in [
        "L_closed_form",
        "L_numeric",
        "L_finite_difference",
        "L_finite_difference_floor",
        "L_fluctuation_dissipation",
    ] {
        if let Some(matrix) = object.get_mut(key) {
            to_si(matrix);
        }
    }
    // The limit t → 0 of a model with a hopping pair: its two matrices per case, alike.
    if let Some(Value::Array(cases)) = object.get_mut("tunnelling_limit") {
        for case in cases {
            for key in ["L_limit", "L_diagonal"] {
                if let Some(matrix) = case.get_mut(key) {
                    to_si(matrix);
                }
            }
        }
    }
    let matrix: Vec<Vec<&str>> = entries
        .iter()
        .map(|row| row.iter().map(|u| u.0).collect())
        .collect();
    object.insert(
        "units".into(),
        json!({"energy": "J", "mu": "J", "T": "K", "rate": "1/s", "L": matrix,
               "max_relative_deviation": "1"}),
    );
    Ok(value)
}

/// `qct check … --units si` as text: each entry of the four matrices in SI.
pub fn check_text(model: &Model, report: &CheckReport) -> Result<String> {
    let json = check_json(model, report)?;
    let mut out = format!(
        "model {}: closed form vs numeric vs finite differences vs fluctuation-dissipation \
         (SI units, at the equilibrium of the point)\nparameters: {}\n\n",
        report.model,
        parameters_line(model, &report.parameters)
    );
    let mut rows = Vec::new();
    for (i, flux) in report.fluxes.iter().enumerate() {
        for (j, force) in report.forces.iter().enumerate() {
            let unit = json["units"]["L"][i][j].as_str().unwrap_or("");
            let cell = |key: &str| show(json_number(&json[key][i][j]), unit);
            rows.push(vec![
                format!("L[{flux}, {force}]"),
                cell("L_closed_form"),
                cell("L_numeric"),
                cell("L_finite_difference"),
                cell("L_fluctuation_dissipation"),
            ]);
        }
    }
    out += &super::text::table(
        &[
            "entry",
            "closed form",
            "numeric",
            "finite diff.",
            "fluct.-diss.",
        ],
        &rows,
    );
    let _ = writeln!(
        out,
        "\nmax relative deviation {:.2e} over resolved entries (rtol {:.1e}): {}",
        report.max_relative_deviation,
        report.rtol,
        if report.passed { "PASSED" } else { "FAILED" }
    );
    Ok(out)
}
