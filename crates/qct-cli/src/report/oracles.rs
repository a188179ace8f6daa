//! The `qct solve` reports of the two oracles: the exact rational Pauli solution
//! (`--exact`, [`qct::exact`]) and the secular Lindblad solution (`--method lindblad`,
//! [`qct::lindblad`]), in the same [`SolveReport`] as the f64 pipeline.

use super::{SolveReport, SteadySolution, build_solve_report};
use num_traits::{One, Signed, Zero};
use qct::Result;
use qct::exact::{ExactPauli, Rational, rationals, to_f64};
use qct::lindblad::{LindbladDiagnostics, solve};
use qct::model::Model;
use qct::pipeline::{Conservation, LeadCurrents};
use qct::thermo::ForceBasis;

/// Exact state (β, μ) of one lead.
#[derive(Debug, Clone, PartialEq)]
struct ExactLead {
    beta: Rational,
    mu: Rational,
    /// ν = μ_s/2 = (μ_↑ − μ_↓)/2 (0 without spin bias).
    nu: Rational,
}

/// `qct solve --exact`: the report of [`crate::report::solve_report`] with the steady state,
/// the currents, the forces and fluxes, both forms of Σ̇ and the residuals computed exactly
/// (by [`ExactPauli`]) for the model's f64 Fermi factors at `values`, and converted to f64
/// only for printing. The balance and conservation residuals of the exact solution are 0,
/// and the two forms of Σ̇ are the same rational number. β_λ = 1/T_λ is taken exactly from
/// the f64 T_λ. At most [`MAX_EXACT_STATES`] states.
pub fn exact_solve_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
) -> Result<SolveReport> {
    let (device, pauli) = ExactPauli::at_point(model, values)?;
    let exact_values = rationals(&model.resolve(values))?;
    let p = pauli.steady_state()?;
    let currents = pauli.currents(model.leads.len(), &p);
    let leads: Vec<ExactLead> = model
        .leads
        .iter()
        .map(|l| ExactLead {
            beta: Rational::one() / &exact_values[l.temperature.0],
            mu: exact_values[l.chemical_potential.0].clone(),
            nu: l.spin_bias.map_or_else(Rational::zero, |s| {
                &exact_values[s.0] / Rational::from_integer(2.into())
            }),
        })
        .collect();
    // J_Q = J_E − Σ_σ μ_σ J_Nσ = J_E − μ J_N − ν J_S.
    let heat: Vec<Rational> = currents
        .iter()
        .zip(&leads)
        .map(|(c, l)| &c.energy - &l.mu * &c.particle - &l.nu * &c.spin)
        .collect();
    let beta = |l: usize| leads[l].beta.clone();
    let mu = |l: usize| leads[l].mu.clone();
    let nu = |l: usize| leads[l].nu.clone();
    let forces: Vec<Rational> = basis
        .forces
        .iter()
        .map(|f| basis.force_of(f, beta, mu, nu))
        .collect();
    let fluxes: Vec<Rational> = basis
        .forces
        .iter()
        .map(|force| {
            basis.merged_with(force).fold(Rational::zero(), |sum, f| {
                let c = &currents[f.lead];
                sum + basis.flux_of(&f, mu, c.particle.clone(), c.spin.clone(), c.energy.clone())
            })
        })
        .collect();
    let minus_sum_beta_heat = -leads
        .iter()
        .zip(&heat)
        .fold(Rational::zero(), |s, (l, q)| s + &l.beta * q);
    let sum_forces_fluxes = forces
        .iter()
        .zip(&fluxes)
        .fold(Rational::zero(), |s, (f, j)| s + f * j);
    let relative = |net: Rational, gross: Rational| {
        if gross.is_zero() {
            net.abs()
        } else {
            net.abs() / gross
        }
    };
    let sum = |it: &mut dyn Iterator<Item = Rational>| it.fold(Rational::zero(), |s, x| s + x);
    let conservation = Conservation {
        energy: to_f64(&relative(
            sum(&mut currents.iter().map(|c| c.energy.clone())),
            sum(&mut currents.iter().map(|c| c.gross_energy.clone())),
        )),
        particles: basis
            .components
            .iter()
            .map(|comp| {
                to_f64(&relative(
                    sum(&mut comp.leads.iter().map(|&l| currents[l].particle.clone())),
                    sum(&mut comp
                        .leads
                        .iter()
                        .map(|&l| currents[l].gross_particle.clone())),
                ))
            })
            .collect(),
    };
    // max_k |(W p)_k| / max_k outflow_k, as steady_state::balance_residual, exactly.
    let rates = pauli.rate_matrix();
    let worst = pauli
        .balance(&p)
        .into_iter()
        .map(|x| x.abs())
        .max()
        .unwrap_or_else(Rational::zero);
    let scale = (0..pauli.n_states)
        .map(|k| rates[k].iter().fold(Rational::zero(), |s, r| s + r) * &p[k])
        .max()
        .unwrap_or_else(Rational::zero);
    let balance_residual = to_f64(&relative(worst, scale));
    let solution = SteadySolution {
        probabilities: p.iter().map(to_f64).collect(),
        currents: currents
            .iter()
            .zip(&heat)
            .map(|(c, q)| LeadCurrents {
                particle: to_f64(&c.particle),
                energy: to_f64(&c.energy),
                spin: to_f64(&c.spin),
                heat: to_f64(q),
                gross_particle: to_f64(&c.gross_particle),
                gross_energy: to_f64(&c.gross_energy),
            })
            .collect(),
        forces: forces.iter().map(to_f64).collect(),
        fluxes: fluxes.iter().map(to_f64).collect(),
        minus_sum_beta_heat: to_f64(&minus_sum_beta_heat),
        sum_forces_fluxes: to_f64(&sum_forces_fluxes),
        conservation,
        balance_residual,
    };
    build_solve_report(model, values, basis, &device, solution)
}

/// `qct solve --method lindblad`: the report of [`crate::report::solve_report`] with the
/// probabilities (diagonal of ρ) and the currents of the Lindblad steady state, through the
/// shared builder [`super::solve_report_from`] (forces, fluxes, Σ̇ and conservation
/// residuals evaluated from these currents exactly as for the Pauli solver); the balance
/// residual is the Lindblad residual [`LindbladSolution::residual`].
pub fn lindblad_solve_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
) -> Result<SolveReport> {
    let (device, solution) = solve(model, values)?;
    let mut report = super::solve_report_from(
        model,
        values,
        basis,
        &device,
        &solution.populations,
        &solution.currents,
        solution.residual,
    )?;
    let dim = solution.rho.nrows();
    let mut largest: Option<(f64, usize, usize)> = None;
    for i in 0..dim {
        for j in (0..dim).filter(|&j| j != i) {
            let size = solution.rho[(i, j)].norm();
            if size > largest.map_or(0.0, |l| l.0) {
                largest = Some((size, i, j));
            }
        }
    }
    report.lindblad = Some(LindbladDiagnostics {
        residual_of: "L rho = 0",
        residual: solution.residual,
        max_coherence: solution.max_coherence,
        coherence: largest.map(|(_, i, j)| [Model::state_label(i), Model::state_label(j)]),
    });
    Ok(report)
}
