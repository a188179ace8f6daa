//! The `qct solve` reports of the two oracles: the exact rational Pauli solution
//! (`--exact`, [`qct::Model::solve_exact`]) and the secular Lindblad solution
//! (`--method lindblad` on a diagonal H, [`qct::Model::solve_with`]), in the same
//! [`SolveReport`] as the f64 pipeline.

use super::{SolveReport, build_solve_report};
use qct::model::Model;
use qct::thermo::ForceBasis;
use qct::{Method, Result};

/// `qct solve --exact`: the report of [`crate::report::solve_report`] with the steady state,
/// the currents, the forces and fluxes, both forms of Σ̇ and the residuals computed exactly
/// ([`Model::solve_exact`]) and converted to f64 only for printing.
pub fn exact_solve_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
) -> Result<SolveReport> {
    let point = model.solve_exact(&model.parameters_at(values)?, basis)?;
    build_solve_report(model, values, basis, point)
}

/// `qct solve --method lindblad`: the report of [`crate::report::solve_report`] with the
/// populations (diagonal of ρ) and the currents of the Lindblad steady state
/// ([`Model::solve_with`]: forces, fluxes, Σ̇ and conservation residuals evaluated from these
/// currents exactly as for the Pauli solver) and the key `lindblad` (the residual of
/// L ρ = 0 and the largest coherence) for a diagonal H; with interdot tunnelling the
/// eigenbasis report of [`super::tunnelling::solve_report`].
pub fn lindblad_solve_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
) -> Result<SolveReport> {
    let point = model.solve_with(&model.parameters_at(values)?, basis, Method::Lindblad)?;
    build_solve_report(model, values, basis, point)
}
