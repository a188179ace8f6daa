//! ⑩ Reports: serde structs with stable JSON keys, built from the pipeline's results, and
//! their renderers ([`text`]). Every number is checked finite before it is printed.

pub mod check;
pub mod compact;
pub mod derivation;
mod derivation_json;
pub mod figures;
pub mod noise;
pub mod oracles;
pub mod physics;
pub mod tunnelling;
pub mod text;
pub mod quantity_units;
pub mod si_noise;
pub mod si_text;
pub mod si_tradeoff;
pub mod tradeoff;
pub mod units;

use qct::model::Model;
use qct::thermo::{ForceBasis, equilibrium_parameters};
use qct::{Error, Result, SteadyPoint};
use serde::Serialize;
use serde_json::Map;

/// One basis state of the steady state.
#[derive(Debug, Serialize)]
pub struct StateReport {
    /// A, B, C, … in order of k = Σ n_α 2^(α−1).
    pub label: String,
    /// (n_1, …, n_n) in model dot order.
    pub occupations: Vec<u8>,
    /// E_k (energy unit).
    pub energy: f64,
    /// Steady-state probability p_k.
    pub probability: f64,
}

/// Currents of one lead, positive into the system.
#[derive(Debug, Serialize)]
pub struct LeadReport {
    pub name: String,
    /// Dot(s) the lead couples to, joined by '+'.
    pub dot: String,
    #[serde(rename = "T")]
    pub temperature: f64,
    pub mu: f64,
    #[serde(rename = "J_N")]
    pub particle_current: f64,
    #[serde(rename = "J_E")]
    pub energy_current: f64,
    /// J_Q^λ = J_E^λ − μ_λ J_N^λ (the lead's own μ; − (μ_s/2) J_S^λ with a spin bias).
    #[serde(rename = "J_Q")]
    pub heat_current: f64,
    /// μ_s = μ_↑ − μ_↓ (energy), only for a model with a spin bias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mu_s: Option<f64>,
    /// J_S^λ = J_N↑^λ − J_N↓^λ (particles per unit time), only for a model with a spin bias.
    #[serde(rename = "J_S", skip_serializing_if = "Option::is_none")]
    pub spin_current: Option<f64>,
}

/// Σ̇ in its two forms; they agree in the steady state.
#[derive(Debug, Serialize)]
pub struct EntropyProductionReport {
    /// −Σ_λ β_λ J_Q^λ.
    pub minus_sum_beta_heat: f64,
    /// Σ_i F_i J_i in the chosen representation.
    pub sum_forces_fluxes: f64,
    pub representation: &'static str,
    /// Reference leads: "energy" → ρ, component name → ρ_c.
    pub reference: Map<String, serde_json::Value>,
    /// Forces that vanish identically for this model (shared parameters).
    pub dropped_forces: Vec<String>,
    /// Forces identical to a kept force for this reference choice, merged into it (their
    /// fluxes added); absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_forces: Vec<MergedForce>,
}

/// A force merged into an identical kept force (`qct::thermo::ForceBasis::merged`).
#[derive(Debug, Clone, Serialize)]
pub struct MergedForce {
    /// The merged force, e.g. `F_E^u`.
    pub force: String,
    /// The kept force it equals, e.g. `F_E^r`; its flux is the sum of both leads' fluxes.
    pub merged_into: String,
}

/// [`MergedForce`]s of `basis`.
pub fn merged_forces(basis: &ForceBasis) -> Vec<MergedForce> {
    basis
        .merged_names()
        .into_iter()
        .map(|(force, merged_into)| MergedForce { force, merged_into })
        .collect()
}

/// Relative residuals of the conservation laws.
#[derive(Debug, Serialize)]
pub struct ConservationReport {
    /// |Σ_λ J_E^λ| / gross energy exchange.
    pub energy: f64,
    /// Component name → |Σ_{λ∈c} J_N^λ| / gross particle exchange.
    pub particles: Map<String, serde_json::Value>,
}

/// A named scalar (a force or a flux).
#[derive(Debug, Serialize)]
pub struct Named {
    pub name: String,
    pub value: f64,
}

/// `qct solve`: the nonlinear steady state at one operating point.
#[derive(Debug, Serialize)]
pub struct SolveReport {
    pub model: String,
    pub parameters: Map<String, serde_json::Value>,
    pub states: Vec<StateReport>,
    pub leads: Vec<LeadReport>,
    #[serde(rename = "sigma")]
    pub entropy_production: EntropyProductionReport,
    pub conservation: ConservationReport,
    pub forces: Vec<Named>,
    pub fluxes: Vec<Named>,
    /// max_k |(W p)_k| / largest probability outflow (text output only).
    #[serde(skip)]
    pub balance_residual: f64,
    /// Diagnoses such as astronomically slow relaxation (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// `--method lindblad` only: what the residual measures and the largest coherence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lindblad: Option<qct::lindblad::LindbladDiagnostics>,
    /// Models with interdot tunnelling: the eigenstates of H (the states above are these).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eigenstates: Option<Vec<qct::model::EigenstateReport>>,
    /// `--method lindblad|redfield` in the eigenbasis: ρ and its diagnostics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub density_matrix: Option<qct::redfield::DensityMatrixReport>,
}

/// `qct onsager`: the numeric Onsager matrix at the equilibrium of a point.
#[derive(Debug, Serialize)]
pub struct OnsagerReport {
    pub model: String,
    pub parameters: Map<String, serde_json::Value>,
    pub representation: &'static str,
    /// Parameter values at equilibrium (T → T_ρ, μ → μ_ρc).
    pub equilibrium: Map<String, serde_json::Value>,
    pub fluxes: Vec<String>,
    pub forces: Vec<String>,
    #[serde(rename = "L")]
    pub l: Vec<Vec<f64>>,
    #[serde(rename = "L_finite_difference")]
    pub l_finite_difference: Vec<Vec<f64>>,
    /// Per entry: is the finite difference above its rounding floor (1e-6 max |L|)? An
    /// unresolved entry is rounding noise, not a measurement of L.
    pub finite_difference_resolved: Vec<Vec<bool>>,
    /// Some finite-difference entry is unresolved (the text output warns).
    pub finite_difference_unresolved: bool,
    pub determinant: f64,
    pub eigenvalues: Vec<f64>,
    pub reciprocity_residual: f64,
    /// max |L − L_fd| / max |L| over the resolved entries.
    pub finite_difference_deviation: f64,
    /// Reference leads: "energy" → ρ, each component (dots joined by `+`) → ρ_c.
    pub reference: Map<String, serde_json::Value>,
    /// Forces that vanish identically for this model and reference choice, with their fluxes.
    pub dropped_forces: Vec<String>,
    /// Forces merged into an identical kept force (fluxes added); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_forces: Vec<MergedForce>,
}

/// Parameter name → value, in model order.
pub fn parameter_map(model: &Model, values: &[f64]) -> Map<String, serde_json::Value> {
    model
        .parameters
        .iter()
        .zip(values)
        .map(|(p, &v)| (p.name.clone(), serde_json::json!(v)))
        .collect()
}

pub fn reference_map(model: &Model, basis: &ForceBasis) -> Map<String, serde_json::Value> {
    let mut map = Map::new();
    map.insert(
        "energy".into(),
        serde_json::json!(model.leads[basis.references.energy].name),
    );
    for (comp, &rho) in basis.components.iter().zip(&basis.references.particles) {
        map.insert(
            model.component_name(comp),
            serde_json::json!(model.leads[rho].name),
        );
    }
    map
}

/// Run ② → ⑥ at the point `values` ([`Model::solve_in`]) and collect the `qct solve` report.
pub fn solve_report(model: &Model, values: &[f64], basis: &ForceBasis) -> Result<SolveReport> {
    let point = model.solve_in(&model.parameters_at(values)?, basis)?;
    build_solve_report(model, values, basis, point)
}

/// Collect the `qct solve` report of `model` at `values` from its steady state `point` in
/// `basis` (by any method: [`Model::solve_with`], [`Model::solve_exact`]), checking every
/// number finite.
pub fn build_solve_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    point: SteadyPoint,
) -> Result<SolveReport> {
    let solution = &point.solution;
    let states = (0..point.energies.len())
        .map(|k| StateReport {
            label: Model::state_label(k),
            occupations: point.occupations[k].clone(),
            energy: point.energies[k],
            probability: solution.probabilities[k],
        })
        .collect();
    let spin = qct::model::spin::has_spin_bias(model);
    let leads = model
        .leads
        .iter()
        .zip(&solution.currents)
        .enumerate()
        .map(|(l, (lead, c))| LeadReport {
            name: lead.name.clone(),
            dot: lead
                .couplings
                .iter()
                .map(|c| model.dots[c.dot].name.as_str())
                .collect::<Vec<_>>()
                .join("+"),
            temperature: point.temperatures[l],
            mu: point.chemical_potentials[l],
            particle_current: c.particle,
            energy_current: c.energy,
            heat_current: c.heat,
            mu_s: spin.then_some(point.spin_biases[l]),
            spin_current: spin.then_some(c.spin),
        })
        .collect();
    let balance = &point.conservation;
    let report = SolveReport {
        model: model.name.clone(),
        parameters: parameter_map(model, values),
        states,
        leads,
        entropy_production: EntropyProductionReport {
            minus_sum_beta_heat: solution.entropy_production,
            sum_forces_fluxes: point.sum_forces_fluxes,
            representation: basis.representation.name(),
            reference: reference_map(model, basis),
            dropped_forces: basis.dropped.iter().map(|f| basis.force_name(f)).collect(),
            merged_forces: merged_forces(basis),
        },
        conservation: ConservationReport {
            energy: balance.energy,
            particles: basis
                .components
                .iter()
                .zip(&balance.particles)
                .map(|(c, &r)| (model.component_name(c), serde_json::json!(r)))
                .collect(),
        },
        forces: basis
            .forces
            .iter()
            .zip(&point.forces)
            .map(|(f, &value)| Named {
                name: basis.force_name(f),
                value,
            })
            .collect(),
        fluxes: basis
            .forces
            .iter()
            .zip(&point.fluxes)
            .map(|(f, &value)| Named {
                name: basis.flux_name(f),
                value,
            })
            .collect(),
        balance_residual: solution.residual,
        notes: Vec::new(),
        lindblad: None,
        eigenstates: point.eigenstates,
        density_matrix: None,
    };
    ensure_finite(&report, "the steady-state report")?;
    let report = SolveReport {
        notes: point.solution.notes,
        lindblad: point.lindblad,
        density_matrix: point.density_matrix,
        ..report
    };
    if report.density_matrix.is_some() {
        ensure_finite(&report, "the density-matrix report")?;
    }
    Ok(report)
}

/// Run ⑦ at the equilibrium of the point `values` ([`Model::onsager_checks`]) and collect
/// the `qct onsager` report.
pub fn onsager_report(model: &Model, values: &[f64], basis: &ForceBasis) -> Result<OnsagerReport> {
    let result = model.onsager_checks(&model.parameters_at(values)?, basis)?;
    let rows = |m: &nalgebra::DMatrix<f64>| -> Vec<Vec<f64>> {
        (0..m.nrows())
            .map(|i| m.row(i).iter().copied().collect())
            .collect()
    };
    let report = OnsagerReport {
        model: model.name.clone(),
        parameters: parameter_map(model, values),
        representation: basis.representation.name(),
        equilibrium: parameter_map(model, &equilibrium_parameters(model, basis, values)),
        fluxes: basis.forces.iter().map(|f| basis.flux_name(f)).collect(),
        forces: basis.forces.iter().map(|f| basis.force_name(f)).collect(),
        l: rows(&result.l),
        l_finite_difference: rows(&result.l_finite_difference),
        finite_difference_resolved: (0..result.finite_difference_resolved.nrows())
            .map(|i| {
                result
                    .finite_difference_resolved
                    .row(i)
                    .iter()
                    .copied()
                    .collect()
            })
            .collect(),
        finite_difference_unresolved: result.finite_difference_resolved.iter().any(|r| !r),
        determinant: result.determinant,
        eigenvalues: result.eigenvalues,
        reciprocity_residual: result.reciprocity_residual,
        finite_difference_deviation: result.finite_difference_deviation,
        reference: reference_map(model, basis),
        dropped_forces: basis.dropped.iter().map(|f| basis.force_name(f)).collect(),
        merged_forces: merged_forces(basis),
    };
    ensure_finite(&report, "the Onsager report")?;
    if !report.finite_difference_deviation.is_finite() {
        return Err(Error::NonFinite("the finite-difference check".into()));
    }
    Ok(report)
}

/// Refuse to print NaN or infinity: serde_json writes them as `null`, which would hide them.
pub fn ensure_finite(report: &impl Serialize, what: &str) -> Result<()> {
    fn all_finite(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::Null => false,
            serde_json::Value::Array(a) => a.iter().all(all_finite),
            serde_json::Value::Object(o) => o.values().all(all_finite),
            _ => true,
        }
    }
    let value = json_value(report)?;
    if all_finite(&value) {
        Ok(())
    } else {
        Err(Error::NonFinite(what.to_string()))
    }
}

/// `report` serialised to a JSON value, the input of every SI conversion.
pub(crate) fn json_value(report: &impl Serialize) -> Result<serde_json::Value> {
    serde_json::to_value(report).map_err(|e| Error::NonFinite(e.to_string()))
}

/// A JSON number as f64; NaN for anything else (null, missing), which the text renderers
/// print as such.
pub(crate) fn json_number(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}
