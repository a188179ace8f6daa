//! `qct noise` and `qct fcs`: the counting statistics of one operating point
//! ([`qct::fcs`]) as serde reports and text.

use super::parameter_map;
use super::text::{num, parameters, table};
use qct::fcs::Noise;
use qct::model::Model;
use qct::thermo::ForceBasis;
use qct::{Error, Result};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt::Write;

/// Units of the counting-statistics reports.
pub const UNITS: &str = "k_B = hbar = 1; cumulants per unit time of the transfers into the \
                         system: particles^n/time for J_N, energy^n/time for J_E and J_Q; \
                         noise = second cumulant (the electrical S is 2x); Fano = \
                         <<JJ>>/|<J>| (energy unit for J_E, J_Q); TUR = <<JJ>> sigma/<J>^2 \
                         (dimensionless, >= 2)";

/// `qct noise`: means, noise matrices, Fano factors and TUR ratios at one point.
#[derive(Debug, Serialize)]
pub struct NoiseReport {
    pub model: String,
    pub parameters: Map<String, Value>,
    pub representation: &'static str,
    pub units: &'static str,
    /// Names of the rows and columns of `noise`: J_N^λ, J_E^λ, J_Q^λ (J_Q^λ = J_E^λ − μ_λ J_N^λ)
    /// of every lead.
    pub currents: Vec<String>,
    /// ⟨J_i⟩ per unit time, in the order of `currents`.
    pub mean: Vec<f64>,
    /// ⟨⟨J_i J_j⟩⟩ per unit time (second cumulants, no factor 2).
    pub noise: Vec<Vec<f64>>,
    /// Current → ⟨⟨J J⟩⟩/|⟨J⟩| (null where ⟨J⟩ is zero within rounding).
    pub fano: Map<String, Value>,
    /// Current → ⟨⟨J J⟩⟩ Σ̇/⟨J⟩² (null where ⟨J⟩ is zero within rounding).
    pub tur: Map<String, Value>,
    /// Σ̇ = −Σ_λ β_λ J_Q^λ (k_B per unit time).
    #[serde(rename = "sigma")]
    pub entropy_production: f64,
    /// The fluxes conjugate to the forces of the representation (rows/columns of `flux_noise`).
    pub fluxes: Vec<String>,
    pub flux_mean: Vec<f64>,
    /// ⟨⟨J_i J_j⟩⟩ of the fluxes; at equilibrium it equals 2 L.
    pub flux_noise: Vec<Vec<f64>>,
    /// TUR ratio of every flux, in the order of `fluxes` (null where the flux vanishes).
    pub flux_tur: Vec<Option<f64>>,
    /// max over s ∈ {0.25, 0.5, 1} of |C(s) − C(−1 − s)| / Σ_t γ_t for the entropy counter
    /// (fluctuation theorem; rounding-level when it holds). `null` where W(s) leaves the f64
    /// range (e^{s σ_t} with |s σ_t| beyond ~700, e.g. at very low temperatures).
    pub gallavotti_cohen_residual: Option<f64>,
}

fn rows(noise: &Noise) -> Vec<Vec<f64>> {
    (0..noise.names.len())
        .map(|i| noise.matrix.row(i).iter().copied().collect())
        .collect()
}

fn option_map(names: &[String], values: impl Iterator<Item = Option<f64>>) -> Map<String, Value> {
    names
        .iter()
        .zip(values)
        .map(|(n, v)| (n.clone(), v.map_or(Value::Null, Value::from)))
        .collect()
}

/// Build the `qct noise` report of `model` at `values` in `basis`
/// ([`Model::counting_statistics`]).
pub fn noise_report(model: &Model, values: &[f64], basis: &ForceBasis) -> Result<NoiseReport> {
    let stats = model.counting_statistics(&model.parameters_at(values)?, basis)?;
    let (leads, fluxes, sigma) = (&stats.currents, &stats.fluxes, stats.entropy_production);
    let report = NoiseReport {
        model: model.name.clone(),
        parameters: parameter_map(model, values),
        representation: basis.representation.name(),
        units: UNITS,
        fano: option_map(&leads.names, (0..leads.names.len()).map(|i| leads.fano(i))),
        tur: option_map(
            &leads.names,
            (0..leads.names.len()).map(|i| leads.tur(i, sigma)),
        ),
        currents: leads.names.clone(),
        mean: leads.means.clone(),
        noise: rows(leads),
        entropy_production: sigma,
        fluxes: fluxes.names.clone(),
        flux_mean: fluxes.means.clone(),
        flux_noise: rows(fluxes),
        flux_tur: (0..fluxes.names.len())
            .map(|i| fluxes.tur(i, sigma))
            .collect(),
        gallavotti_cohen_residual: stats.gallavotti_cohen_residual,
    };
    let finite = report
        .mean
        .iter()
        .chain(report.noise.iter().flatten())
        .chain(report.flux_noise.iter().flatten());
    if finite.clone().any(|x| !x.is_finite()) {
        return Err(Error::NonFinite("the counting statistics".into()));
    }
    Ok(report)
}

/// `qct noise` as text.
pub fn noise_text(r: &NoiseReport) -> String {
    let mut out = String::new();
    writeln!(out, "model {} at {}", r.model, parameters(&r.parameters)).unwrap();
    writeln!(out, "units: {}\n", r.units).unwrap();
    let cell = |v: Option<&Value>| v.and_then(Value::as_f64).map_or("-".to_string(), num);
    let per_current: Vec<Vec<String>> = r
        .currents
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                c.clone(),
                num(r.mean[i]),
                num(r.noise[i][i]),
                cell(r.fano.get(c)),
                cell(r.tur.get(c)),
            ]
        })
        .collect();
    out += &table(
        &["current", "mean <J>", "noise <<JJ>>", "Fano", "TUR ratio"],
        &per_current,
    );
    writeln!(out, "\nnoise matrix <<J_i J_j>> (per unit time):").unwrap();
    out += &matrix_table(&r.currents, &r.noise);
    writeln!(
        out,
        "\nfluxes of the {} representation: <<J_i J_j>> (= 2 L at equilibrium):",
        r.representation
    )
    .unwrap();
    out += &matrix_table(&r.fluxes, &r.flux_noise);
    writeln!(
        out,
        "\nentropy production sigma = {} (k_B per unit time)",
        num(r.entropy_production)
    )
    .unwrap();
    match r.gallavotti_cohen_residual {
        Some(residual) => writeln!(
            out,
            "fluctuation theorem C(s) = C(-1-s) for the entropy counter: max residual {residual:.1e} \
             of sum gamma"
        ),
        None => writeln!(
            out,
            "fluctuation theorem: not checked (W(s) leaves the double-precision range)"
        ),
    }
    .unwrap();
    out
}

fn matrix_table(names: &[String], m: &[Vec<f64>]) -> String {
    let mut header = vec![""];
    header.extend(names.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = names
        .iter()
        .zip(m)
        .map(|(n, row)| {
            std::iter::once(n.clone())
                .chain(row.iter().map(|&x| num(x)))
                .collect()
        })
        .collect();
    table(&header, &rows)
}

/// `qct fcs`: the cumulants κ₁ … κ_order of the transfers from chosen leads.
#[derive(Debug, Serialize)]
pub struct FcsReport {
    pub model: String,
    pub parameters: Map<String, Value>,
    pub order: usize,
    pub units: &'static str,
    /// Current (J_N^λ, J_E^λ, J_Q^λ of each chosen lead, then `sigma`, the entropy delivered
    /// to the reservoirs) → [κ₁, …, κ_order] per unit time.
    pub cumulants: Map<String, Value>,
}

/// Build the `qct fcs` report: cumulants to `order` of every transfer of `leads` (all leads
/// when empty) and of the entropy counter ([`Model::cumulants`]).
pub fn fcs_report(
    model: &Model,
    values: &[f64],
    leads: &[String],
    order: usize,
) -> Result<FcsReport> {
    let p = model.parameters_at(values)?;
    let chosen: Vec<usize> = leads
        .iter()
        .map(|name| {
            model.lead_index(name).ok_or_else(|| {
                Error::BadAssignment(format!(
                    "--lead {name}: no such lead; leads are: {}",
                    model.lead_names()
                ))
            })
        })
        .collect::<Result<_>>()?;
    let cumulants = model
        .cumulants(&p, &chosen, order)?
        .into_iter()
        .map(|(name, kappa)| (name, Value::from(kappa)))
        .collect();
    Ok(FcsReport {
        model: model.name.clone(),
        parameters: parameter_map(model, values),
        order,
        units: UNITS,
        cumulants,
    })
}

/// `qct fcs` as text: one row per current, one column per order.
pub fn fcs_text(r: &FcsReport) -> String {
    let mut out = String::new();
    writeln!(out, "model {} at {}", r.model, parameters(&r.parameters)).unwrap();
    writeln!(out, "units: {}\n", r.units).unwrap();
    let header: Vec<String> = std::iter::once("current".to_string())
        .chain((1..=r.order).map(|n| format!("kappa_{n}")))
        .collect();
    let rows: Vec<Vec<String>> = r
        .cumulants
        .iter()
        .map(|(name, values)| {
            std::iter::once(name.clone())
                .chain(
                    values
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|v| num(v.as_f64().unwrap_or(f64::NAN))),
                )
                .collect()
        })
        .collect();
    out += &table(
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
        &rows,
    );
    out
}
