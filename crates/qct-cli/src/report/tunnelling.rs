//! The reports of interdot tunnelling: the eigenstates of H in `qct solve`, the
//! density-matrix lines of `qct solve --method lindblad|redfield` in the eigenbasis
//! ([`qct::Model::solve_with`], [`qct::redfield`]) and `qct onsager --method
//! lindblad|redfield`.

use nalgebra::DMatrix;
use qct::Result;
use qct::model::{EigenstateReport, Model};
use qct::redfield::DensityMatrixReport;
use qct::thermo::ForceBasis;

/// The eigenstates as text lines (`qct solve` with interdot tunnelling).
pub fn eigenstates_text(states: &[EigenstateReport]) -> String {
    let mut out = String::from(
        "\neigenstates of H (labels: the occupation state of largest weight; amplitudes <k|psi>)\n",
    );
    for s in states {
        let terms: Vec<String> = s
            .composition
            .iter()
            .map(|c| format!("{:+.6}|{}>", c.amplitude, c.occupations))
            .collect();
        out += &format!(
            "   {:<3} E = {}  = {}\n",
            s.label,
            super::text::num(s.energy),
            terms.join(" ")
        );
    }
    out
}

/// The density-matrix lines of `qct solve` (text).
pub fn density_text(d: &DensityMatrixReport) -> String {
    format!(
        "  {} L rho = 0  {:.1e}\n  largest coherence   {:.3e} (eigenbasis)\n  \
         smallest eigenvalue of rho {:+.3e}\n",
        d.method, d.residual, d.max_coherence, d.min_eigenvalue
    )
}

/// `qct onsager --method lindblad|redfield`: L of a density-matrix method by
/// Richardson-extrapolated central finite differences
/// ([`qct::Model::finite_differences`]), beside the exact linear response of the
/// Pauli equation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OnsagerMethodReport {
    pub model: String,
    pub method: &'static str,
    pub parameters: serde_json::Map<String, serde_json::Value>,
    pub representation: &'static str,
    /// Parameter values at equilibrium (T → T_ρ, μ → μ_ρc).
    pub equilibrium: serde_json::Map<String, serde_json::Value>,
    pub fluxes: Vec<String>,
    pub forces: Vec<String>,
    /// L of the method (finite differences).
    #[serde(rename = "L")]
    pub l: Vec<Vec<f64>>,
    /// Rounding floor of each entry of L (as for `qct check`).
    #[serde(rename = "L_floor")]
    pub l_floor: Vec<Vec<f64>>,
    /// L of the (secular) Pauli equation, exact linear response.
    #[serde(rename = "L_pauli")]
    pub l_pauli: Vec<Vec<f64>>,
    /// max |L − L_pauli| / max |L_pauli|.
    pub deviation_from_pauli: f64,
    /// max |L_ij − L_ji| / max |L|.
    pub reciprocity_residual: f64,
}

/// Build [`OnsagerMethodReport`] at the equilibrium of the point `values`: the finite
/// differences of `method` ([`Model::finite_differences`]) beside the exact linear response
/// of the Pauli equation ([`Model::onsager_checks`]).
pub fn onsager_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    method: qct::Method,
) -> Result<OnsagerMethodReport> {
    let p = model.parameters_at(values)?;
    let fd = model.finite_differences(&p, basis, method)?;
    let pauli = model.onsager_checks(&p, basis)?.l;
    let rows = |m: &DMatrix<f64>| -> Vec<Vec<f64>> {
        (0..m.nrows())
            .map(|i| m.row(i).iter().copied().collect())
            .collect()
    };
    let relative = |x: f64, scale: f64| if scale > 0.0 { x / scale } else { x };
    let report = OnsagerMethodReport {
        model: model.name.clone(),
        method: method.name(),
        parameters: super::parameter_map(model, values),
        representation: basis.representation.name(),
        equilibrium: super::parameter_map(
            model,
            &qct::thermo::equilibrium_parameters(model, basis, values),
        ),
        fluxes: basis.forces.iter().map(|f| basis.flux_name(f)).collect(),
        forces: basis.forces.iter().map(|f| basis.force_name(f)).collect(),
        l: rows(&fd.l),
        l_floor: rows(&fd.floor),
        l_pauli: rows(&pauli),
        deviation_from_pauli: relative((&fd.l - &pauli).amax(), pauli.amax()),
        reciprocity_residual: relative((&fd.l - fd.l.transpose()).amax(), fd.l.amax()),
    };
    super::ensure_finite(&report, "the Onsager report")?;
    Ok(report)
}

/// [`OnsagerMethodReport`] as text.
pub fn onsager_text(r: &OnsagerMethodReport) -> String {
    let mut out = format!(
        "model {}: Onsager matrix of the {} equation, {} representation\n\
         (central finite differences, Richardson-extrapolated, at the equilibrium of the point)\n\n",
        r.model, r.method, r.representation
    );
    let width = r.forces.iter().map(String::len).max().unwrap_or(0).max(13);
    let matrix = |m: &[Vec<f64>]| -> String {
        let mut s = format!("   {:<width$}", "");
        for f in &r.forces {
            s += &format!("  {f:>13}");
        }
        s.push('\n');
        for (name, row) in r.fluxes.iter().zip(m) {
            s += &format!("   {name:<width$}");
            for x in row {
                s += &format!("  {:>13}", super::text::num(*x));
            }
            s.push('\n');
        }
        s
    };
    out += &format!("L ({}; rows J_i, columns F_j)\n", r.method);
    out += &matrix(&r.l);
    out += "\nL of the Pauli equation (exact linear response)\n";
    out += &matrix(&r.l_pauli);
    out += &format!(
        "\n  max |L - L_pauli| / max |L_pauli|   {:.2e}\n  reciprocity max|L_ij-L_ji|/max|L|  {:.2e}\n",
        r.deviation_from_pauli, r.reciprocity_residual
    );
    out
}
