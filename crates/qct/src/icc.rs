//! ⑧ Inverse currents in coupled transport (seed Sec. VII.4 and X; README, Conventions, "Regimes of a
//! two-force model").
//!
//! For mutually parallel forces (F_E, F_N) with fluxes J_N = L_NE F_E + L_NN F_N and
//! J_E = L_EE F_E + L_EN F_N, linear response predicts
//! * an ICC in J_N (J_N < 0 < F_E, F_N) for 0 < F_N/F_E < −L_NE/L_NN, possible only if
//!   L_NE < 0;
//! * an ICC in J_E (J_E < 0 < F_E, F_N) for F_N/F_E > −L_EE/L_EN, possible only if L_EN < 0;
//!
//! and the same wedges mirrored into the third quadrant. Since L is positive semidefinite
//! (L_NE² ≤ L_NN L_EE) the two wedges never overlap. The nonlinear region is found by
//! scanning the direction θ of the forces in the plane (F_E/β_ρ, F_N) at fixed radius
//! around the equilibrium of the point and classifying each steady state.

use crate::error::Result;
use crate::regime::{ForcePair, OperatingPoint, Regime, analyse};
use crate::thermo::ForceBasis;
use serde::Serialize;
use std::f64::consts::PI;

/// The linear-response wedge of force ratios F_N/F_E with an ICC in one flux.
#[derive(Debug, Clone, Serialize)]
pub struct Wedge {
    pub flux: String,
    /// The cross coefficient whose sign decides it (L_NE for J_N, L_EN for J_E).
    pub cross_coefficient: f64,
    /// L_NE < 0 (J_N) or L_EN < 0 (J_E).
    pub exists: bool,
    /// F_N/F_E between these bounds (energy⁻¹ … as F_N/F_E); `None` for +∞.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio_from: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio_to: Option<f64>,
    /// The same wedge as angles θ (degrees) in the plane (F_E/β_ρ, F_N), first quadrant; the
    /// third-quadrant wedge is θ + 180°.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub angle_from_deg: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub angle_to_deg: Option<f64>,
}

/// A run of consecutive scan directions with the same verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    /// θ range (degrees) of the run, inclusive of its sampled directions.
    pub from_deg: f64,
    pub to_deg: f64,
    /// Nonlinear verdict.
    pub regime: Regime,
    /// Linear-response prediction at the same forces.
    pub linear_prediction: Regime,
    /// The inverse flux, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inverse_flux: Option<String>,
}

/// The direction scan at one radius.
#[derive(Debug, Clone, Serialize)]
pub struct DirectionScan {
    /// √((F_E/β_ρ)² + F_N²).
    pub radius: f64,
    pub directions: usize,
    pub runs: Vec<Run>,
    /// Directions with a genuine ICC in the nonlinear steady state.
    pub genuine_icc_directions: usize,
    /// Directions where linear response predicts a genuine ICC.
    pub linear_genuine_icc_directions: usize,
    /// min Σ̇ over the scan (≥ 0 by the second law).
    #[serde(rename = "min_sigma")]
    pub min_entropy_production: f64,
}

/// `qct icc`: wedge, scans and verdict.
#[derive(Debug, Clone, Serialize)]
pub struct IccAnalysis {
    pub energy_force: String,
    pub particle_force: String,
    /// β_ρ, the scale of F_E in the scan plane.
    pub beta_reference: f64,
    pub tight_coupling: bool,
    /// L at the equilibrium of the point, rows/columns (N, E).
    #[serde(rename = "L")]
    pub l: [[f64; 2]; 2],
    pub wedges: Vec<Wedge>,
    pub scans: Vec<DirectionScan>,
    pub linear_predicts_genuine_icc: bool,
    pub nonlinear_genuine_icc_found: bool,
    pub verdict: String,
}

/// Why `qct icc` does not apply to a model.
pub(crate) fn not_applicable(basis: &ForceBasis) -> Option<String> {
    match ForcePair::of(basis) {
        None => Some(format!(
            "ICC needs exactly two mutually parallel forces, one particle and one energy force \
             of the same lead; this model has {} ({})",
            basis.len(),
            basis.force_list()
        )),
        Some(p) if !p.parallel => Some(format!(
            "the forces {} and {} belong to different leads (non-parallel): by definition \
             there is no ICC, only conventional or unconventional thermoelectric effects \
             (seed Sec. IX.1.3); see `qct regime`",
            basis.force_name(&basis.forces[p.particle]),
            basis.force_name(&basis.forces[p.energy])
        )),
        Some(_) => None,
    }
}

/// Wedges from L, and direction scans at `radii` with `directions` directions each.
pub(crate) fn analyse_icc(
    point: &OperatingPoint,
    basis: &ForceBasis,
    radii: &[f64],
    directions: usize,
) -> Result<IccAnalysis> {
    let pair = match (ForcePair::of(basis), not_applicable(basis)) {
        (Some(pair), None) => pair,
        (_, reason) => {
            return Err(crate::error::Error::NotApplicable(
                reason.unwrap_or_else(|| "no particle-energy force pair".to_string()),
            ));
        }
    };
    let (n, e) = (pair.particle, pair.energy);
    let l = &point.l;
    let (l_nn, l_ne, l_en, l_ee) = (l[(n, n)], l[(n, e)], l[(e, n)], l[(e, e)]);
    let beta = point.device.leads[basis.references.energy].beta;
    let name = |i: usize| basis.flux_name(&basis.forces[i]);
    // Ratio F_N/F_E ↔ angle θ in (F_E/β, F_N): tan θ = β F_N/F_E.
    let angle = |ratio: Option<f64>| Some(ratio.map_or(90.0, |r| (beta * r).atan().to_degrees()));
    let particle_wedge = {
        let exists = l_ne < 0.0 && l_nn > 0.0;
        let to = exists.then(|| -l_ne / l_nn);
        Wedge {
            flux: name(n),
            cross_coefficient: l_ne,
            exists,
            ratio_from: exists.then_some(0.0),
            ratio_to: to,
            angle_from_deg: exists.then_some(0.0),
            angle_to_deg: if exists { angle(to) } else { None },
        }
    };
    let energy_wedge = {
        let exists = l_en < 0.0 && l_ee > 0.0;
        let from = exists.then(|| -l_ee / l_en);
        Wedge {
            flux: name(e),
            cross_coefficient: l_en,
            exists,
            ratio_from: from,
            ratio_to: None,
            angle_from_deg: if exists { angle(from) } else { None },
            angle_to_deg: exists.then_some(90.0),
        }
    };
    let scans = radii
        .iter()
        .map(|&radius| scan(point, basis, &pair, radius, directions))
        .collect::<Result<Vec<_>>>()?;
    let tight = point.tight_coupling();
    let trivial = point.inverse_is_trivial(basis);
    let linear_predicts = !trivial && (particle_wedge.exists || energy_wedge.exists);
    let found = scans.iter().any(|s| s.genuine_icc_directions > 0);
    let verdict = match (trivial, linear_predicts, found) {
        (true, _, _) if tight => "no genuine ICC: the fluxes are tightly coupled (det L = 0), \
                                  so any inverse response is the trivial one of a level below \
                                  the reference"
            .to_string(),
        (true, _, _) => "no genuine ICC: a bare level lies below the reference, so inverse \
                         responses are hole-like transport through it (trivial_inverse), not \
                         an interaction-inverted level ordering"
            .to_string(),
        (false, true, true) => "genuine ICC: L predicts it in the wedge(s) above and the \
                                nonlinear steady state shows it"
            .to_string(),
        (false, true, false) => "linear response predicts a genuine ICC, but no scanned \
                                 nonlinear direction shows it at these radii (try a smaller \
                                 --radius or more --directions)"
            .to_string(),
        (false, false, true) => "no genuine ICC in linear response (L_NE, L_EN ≥ 0), but the \
                                 nonlinear steady state shows one at larger forces"
            .to_string(),
        (false, false, false) => "no genuine ICC: L_NE ≥ 0 and L_EN ≥ 0, and no scanned \
                                  nonlinear direction shows one"
            .to_string(),
    };
    Ok(IccAnalysis {
        energy_force: basis.force_name(&basis.forces[e]),
        particle_force: basis.force_name(&basis.forces[n]),
        beta_reference: beta,
        tight_coupling: tight,
        l: [[l_nn, l_ne], [l_en, l_ee]],
        wedges: vec![particle_wedge, energy_wedge],
        scans,
        linear_predicts_genuine_icc: linear_predicts,
        nonlinear_genuine_icc_found: found,
        verdict,
    })
}

/// Classify the steady states at forces (F_E/β, F_N) = radius (cos θ, sin θ) for
/// `directions` angles θ evenly spaced over the circle, starting at θ = 0.
fn scan(
    point: &OperatingPoint,
    basis: &ForceBasis,
    pair: &ForcePair,
    radius: f64,
    directions: usize,
) -> Result<DirectionScan> {
    let beta = point.device.leads[basis.references.energy].beta;
    let mut runs: Vec<Run> = Vec::new();
    let (mut genuine, mut linear_genuine) = (0, 0);
    let mut min_entropy_production = f64::INFINITY;
    for k in 0..directions {
        let theta = 2.0 * PI * k as f64 / directions as f64;
        let mut forces = vec![0.0; basis.len()];
        forces[pair.energy] = beta * radius * theta.cos();
        forces[pair.particle] = radius * theta.sin();
        let at = point.at_forces(basis, &forces)?;
        let analysis = analyse(&at, basis);
        min_entropy_production = min_entropy_production.min(at.entropy_production);
        genuine += usize::from(analysis.regime == Regime::GenuineIcc);
        linear_genuine += usize::from(analysis.linear_prediction == Regime::GenuineIcc);
        let degrees = theta.to_degrees();
        match runs.last_mut() {
            Some(run)
                if run.regime == analysis.regime
                    && run.linear_prediction == analysis.linear_prediction
                    && run.inverse_flux == analysis.inverse_flux =>
            {
                run.to_deg = degrees
            }
            _ => runs.push(Run {
                from_deg: degrees,
                to_deg: degrees,
                regime: analysis.regime,
                linear_prediction: analysis.linear_prediction,
                inverse_flux: analysis.inverse_flux,
            }),
        }
    }
    Ok(DirectionScan {
        radius,
        directions,
        runs,
        genuine_icc_directions: genuine,
        linear_genuine_icc_directions: linear_genuine,
        min_entropy_production,
    })
}
