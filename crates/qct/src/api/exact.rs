//! The steady state of one point solved in exact rational arithmetic ([`crate::exact`]), as
//! a [`SteadyPoint`]: `qct solve --exact`.

use super::Parameters;
use super::point::SteadyPoint;
use crate::currents::{Conservation, LeadCurrents};
use crate::error::Result;
use crate::exact::{ExactPauli, Rational, rationals, to_f64};
use crate::model::Model;
use crate::thermo::ForceBasis;
use num_traits::{One, Signed, Zero};

/// Exact state (β, μ, ν) of one lead.
#[derive(Debug, Clone, PartialEq)]
struct ExactLead {
    beta: Rational,
    mu: Rational,
    /// ν = μ_s/2 = (μ_↑ − μ_↓)/2 (0 without spin bias).
    nu: Rational,
}

impl Model {
    /// [`Model::solve_in`] with the steady state, the currents, the forces and fluxes, both
    /// forms of Σ̇ and the residuals computed exactly ([`ExactPauli`]) for the model's f64
    /// Fermi factors at `p`, and converted to f64 only at the end (no rounding-zero rule: an
    /// exact zero is 0). The balance and conservation residuals of the exact solution are 0,
    /// and the two forms of Σ̇ are the same rational number. β_λ = 1/T_λ is taken exactly from
    /// the f64 T_λ. At most 64 states (6 dots). Needs the feature `exact`.
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let model = Model::builtin("cqd")?;
    /// let mut p = model.parameters();
    /// p.set("T_u", 2.0)?;
    /// let basis = model.basis(Representation::Heat)?;
    /// let (exact, float) = (model.solve_exact(&p, &basis)?, model.solve_in(&p, &basis)?);
    /// assert_eq!(exact.solution.residual, 0.0);
    /// assert_eq!(exact.sum_forces_fluxes, exact.solution.entropy_production);
    /// let sigma = exact.solution.entropy_production;
    /// assert!((float.solution.entropy_production - sigma).abs() < 1e-12 * sigma);
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn solve_exact(&self, p: &Parameters, basis: &ForceBasis) -> Result<SteadyPoint> {
        self.check_parameters(p)?;
        let values = p.values();
        let (device, pauli) = ExactPauli::with_device(self, values)?;
        let exact_values = rationals(&self.resolve(values))?;
        let probabilities = pauli.steady_state()?;
        let currents = pauli.currents(self.leads.len(), &probabilities);
        let leads: Vec<ExactLead> = self
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
                    sum + basis.flux_of(
                        &f,
                        mu,
                        c.particle.clone(),
                        c.spin.clone(),
                        c.energy.clone(),
                    )
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
            .balance(&probabilities)
            .into_iter()
            .map(|x| x.abs())
            .max()
            .unwrap_or_else(Rational::zero);
        let scale = (0..pauli.n_states)
            .map(|k| rates[k].iter().fold(Rational::zero(), |s, r| s + r) * &probabilities[k])
            .max()
            .unwrap_or_else(Rational::zero);
        let solution = super::Solution {
            probabilities: probabilities.iter().map(to_f64).collect(),
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
            leads: self.leads.iter().map(|l| l.name.clone()).collect(),
            entropy_production: to_f64(&minus_sum_beta_heat),
            residual: to_f64(&relative(worst, scale)),
            notes: Vec::new(),
        };
        Ok(SteadyPoint {
            forces: forces.iter().map(to_f64).collect(),
            fluxes: fluxes.iter().map(to_f64).collect(),
            sum_forces_fluxes: to_f64(&sum_forces_fluxes),
            conservation,
            ..SteadyPoint::of(self, values, &device, solution)
        })
    }
}
