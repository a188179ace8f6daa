//! ⑦ The Onsager matrix L_ij = ∂J_i/∂F_j at equilibrium (PHYSICS.md, "Linear response").
//!
//! Exact linear response: with W₀ p₀ = 0 at equilibrium, the first-order change of the
//! steady state under force F_j solves W₀ p₁ = −(∂W/∂F_j) p₀ with Σ p₁ = 0, and
//! L_ij = (∂J_i/∂F_j)|_p₀ + (∂J_i/∂p) p₁. Each force moves one lead:
//! ∂f/∂F_j = −f (1 − f) ∂x/∂F_j with x = β_λ (ω − μ_λ). A central finite difference of the
//! nonlinear solver is computed beside it as an independent check.

use crate::currents::{LeadCurrents, lead_currents, steady_currents};
use crate::error::{Error, Result};
use crate::rates::{Device, generator};
use crate::thermo::ForceBasis;
use nalgebra::{DMatrix, DVector};

/// Relative step of the central finite difference: h = 1e-3 β_ρ for energy forces, 1e-3
/// for (dimensionless) particle forces. With one Richardson extrapolation (steps h and h/2)
/// the truncation error is O(h⁴) ≈ 1e-12 and rounding ≈ 1e-13, relative.
pub const FINITE_DIFFERENCE_STEP: f64 = 1e-3;

/// The numeric Onsager matrix and its diagnostics.
#[derive(Debug, Clone)]
pub struct Onsager {
    /// L from exact linear response.
    pub l: DMatrix<f64>,
    /// L from central finite differences of the nonlinear steady state.
    pub l_finite_difference: DMatrix<f64>,
    /// max_ij |L − L_fd| / max_ij |L|.
    pub finite_difference_deviation: f64,
    pub determinant: f64,
    /// Eigenvalues of (L + Lᵀ)/2, ascending.
    pub eigenvalues: Vec<f64>,
    /// max_ij |L_ij − L_ji|.
    pub reciprocity_residual: f64,
}

/// L by exact linear response at the equilibrium device `equilibrium` (its leads must be at
/// the equilibrium of `basis`).
pub fn linear_response(equilibrium: &Device, basis: &ForceBasis) -> Result<DMatrix<f64>> {
    let n = equilibrium.n_states;
    let fermi = equilibrium.occupations();
    let rates = equilibrium.rate_matrix(&fermi);
    let p0 =
        crate::steady_state::steady_state(&rates, crate::model::Model::state_label)?.probabilities;
    let p0_vec = DVector::from_column_slice(&p0);
    // W₀ with its last row replaced by Σ p = 1: non-singular whenever the steady state is
    // unique (1ᵀW = 0 and 1·p₀ ≠ 0).
    let mut a = generator(&rates);
    a.row_mut(n - 1).fill(1.0);
    let lu = a.lu();
    let mut l = DMatrix::zeros(basis.len(), basis.len());
    for (j, force) in basis.forces.iter().enumerate() {
        let (d_beta, d_mu) = basis.lead_derivative(force, &equilibrium.leads);
        let lead = equilibrium.leads[force.lead];
        // (∂f/∂F_j, ∂(1 − f)/∂F_j) per transition.
        let d_fermi: Vec<(f64, f64)> = equilibrium
            .transitions
            .iter()
            .zip(&fermi)
            .map(|(t, &(f, f_bar))| {
                if t.lead != force.lead {
                    return (0.0, 0.0);
                }
                let dx = d_beta * (t.omega - lead.mu) - lead.beta * d_mu;
                let df = -f * f_bar * dx;
                (df, -df)
            })
            .collect();
        let d_generator = generator(&equilibrium.rate_matrix(&d_fermi));
        let mut rhs = -(d_generator * &p0_vec);
        rhs[n - 1] = 0.0;
        let p1 = lu
            .solve(&rhs)
            .ok_or_else(|| Error::Singular("W0 p1 = -dW p0 (generator singular)".into()))?;
        let explicit = lead_currents(equilibrium, &d_fermi, &p0);
        let implicit = lead_currents(equilibrium, &fermi, p1.as_slice());
        let d_currents: Vec<LeadCurrents> = explicit
            .iter()
            .zip(&implicit)
            .map(|(a, b)| LeadCurrents {
                particle: a.particle + b.particle,
                energy: a.energy + b.energy,
                ..Default::default()
            })
            .collect();
        for (i, flux) in basis.forces.iter().enumerate() {
            l[(i, j)] = basis.flux_value(flux, &equilibrium.leads, &d_currents);
        }
    }
    Ok(l)
}

/// L by Richardson-extrapolated central finite differences of the nonlinear steady state
/// around `equilibrium`.
pub fn finite_difference(equilibrium: &Device, basis: &ForceBasis) -> Result<DMatrix<f64>> {
    let beta_rho = equilibrium.leads[basis.references.energy].beta;
    let mut l = DMatrix::zeros(basis.len(), basis.len());
    for (j, force) in basis.forces.iter().enumerate() {
        let h = match force.kind {
            crate::thermo::FluxKind::Energy => FINITE_DIFFERENCE_STEP * beta_rho,
            crate::thermo::FluxKind::Particle => FINITE_DIFFERENCE_STEP,
        };
        let fluxes_at = |value: f64| -> Result<Vec<f64>> {
            let mut forces = vec![0.0; basis.len()];
            forces[j] = value;
            let leads = basis.leads_at_forces(&equilibrium.leads, &forces);
            let device = equilibrium.with_leads(leads);
            let (_, currents) = steady_currents(&device)?;
            Ok(basis.flux_values(&device.leads, &currents))
        };
        let central = |h: f64| -> Result<Vec<f64>> {
            let (plus, minus) = (fluxes_at(h)?, fluxes_at(-h)?);
            Ok(plus
                .iter()
                .zip(&minus)
                .map(|(p, m)| (p - m) / (2.0 * h))
                .collect())
        };
        let (coarse, fine) = (central(h)?, central(h / 2.0)?);
        for i in 0..basis.len() {
            // Richardson: D(h/2) + [D(h/2) − D(h)]/3 cancels the O(h²) error.
            l[(i, j)] = fine[i] + (fine[i] - coarse[i]) / 3.0;
        }
    }
    Ok(l)
}

/// L, its finite-difference check, determinant, eigenvalues and reciprocity residual.
pub fn onsager(equilibrium: &Device, basis: &ForceBasis) -> Result<Onsager> {
    let l = linear_response(equilibrium, basis)?;
    let l_finite_difference = finite_difference(equilibrium, basis)?;
    let scale = l.amax();
    let finite_difference_deviation = if scale > 0.0 {
        (&l - &l_finite_difference).amax() / scale
    } else {
        l_finite_difference.amax()
    };
    let reciprocity_residual = (&l - l.transpose()).amax();
    let symmetric = (&l + l.transpose()) * 0.5;
    let mut eigenvalues: Vec<f64> = symmetric.symmetric_eigenvalues().iter().copied().collect();
    eigenvalues.sort_by(f64::total_cmp);
    let determinant = l.determinant();
    Ok(Onsager {
        l,
        l_finite_difference,
        finite_difference_deviation,
        determinant,
        eigenvalues,
        reciprocity_residual,
    })
}
