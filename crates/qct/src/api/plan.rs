//! [`Model::plan`]: a model prepared for many points — its evaluation plan (which energy
//! terms make up each state's energy, and the transitions between states) built once, so
//! that a point costs only its own numbers. What `qct bench` measures.

use super::{Parameters, Solution};
use crate::currents::LeadCurrents;
use crate::error::Result;
use crate::model::Model;
use crate::rates::Device;
use crate::thermo::ForceBasis;
use nalgebra::DMatrix;

/// A [`Model`] prepared for evaluating many points ([`Model::plan`]): the steady state
/// ([`Plan::solve`], the same [`Solution`] as [`Model::solve`]; [`Plan::steady_state`], its
/// bare numbers) and the Onsager matrix
/// ([`Plan::onsager`], the same L as [`Model::onsager_in`]) at each [`Parameters`] of the
/// model, without re-deriving the value-independent part of the device at every point.
/// Cheap to share between threads (`&Plan` is `Send` and `Sync`).
#[derive(Debug, Clone)]
pub struct Plan<'m> {
    model: &'m Model,
    plan: crate::plan::Plan,
}

impl Model {
    /// This model prepared for many points ([`Plan`]).
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let model = Model::builtin("cqd")?;
    /// let basis = model.basis(Representation::Energy)?;
    /// let plan = model.plan();
    /// let mut p = model.parameters();
    /// for k in 0..5 {
    ///     p.set("eps_b", -1.0 + 0.5 * k as f64)?;
    ///     let solution = plan.solve(&p)?;
    ///     assert_eq!(solution, model.solve(&p)?);
    ///     assert_eq!(plan.onsager(&p, &basis)?, model.onsager_in(&p, &basis)?.l);
    /// }
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn plan(&self) -> Plan<'_> {
        Plan {
            model: self,
            plan: crate::plan::Plan::new(self),
        }
    }

    /// The [`Solution`] of the Pauli steady state of `device` (the model evaluated at a
    /// point), rounded as every report prints it, with the notes of the solver.
    pub(crate) fn solution(&self, device: &Device) -> Result<Solution> {
        let (steady, currents) = crate::currents::steady_currents(device)?;
        let mut solution = super::point::solution(
            self,
            device,
            steady.probabilities,
            &currents,
            steady.residual,
        );
        solution.notes = steady
            .slow_relaxation
            .map(|s| s.note())
            .into_iter()
            .collect();
        Ok(solution)
    }

    /// L at the equilibrium of the point `device` in `basis` by exact linear response
    /// (README, Conventions, "Linear response").
    pub(crate) fn onsager_of(device: &Device, basis: &ForceBasis) -> Result<DMatrix<f64>> {
        let equilibrium = device.with_leads(basis.equilibrium(&device.leads));
        crate::onsager::linear_response(&equilibrium, basis)
    }
}

impl<'m> Plan<'m> {
    /// The model this plan evaluates.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// [`Model::solve`] at `p`.
    pub fn solve(&self, p: &Parameters) -> Result<Solution> {
        self.model.solution(&self.device(p)?)
    }

    /// The nonlinear steady state at `p` as solved: the probabilities p_k and the currents
    /// into the system from every lead (model order), not rounded — the numbers of the
    /// steady-state columns of [`Model::evaluate`]; [`Plan::solve`] adds the names, Σ̇, the
    /// residual and the rounding of every report. The cheapest steady state per point.
    ///
    /// ```
    /// use qct::Model;
    ///
    /// let model = Model::builtin("sqd")?;
    /// let (probabilities, currents) = model.plan().steady_state(&model.parameters())?;
    /// assert!((probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    /// assert!((currents[0].particle + currents[1].particle).abs() < 1e-15); // Kirchhoff
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn steady_state(&self, p: &Parameters) -> Result<(Vec<f64>, Vec<LeadCurrents>)> {
        let (steady, currents) = crate::currents::steady_currents(&self.device(p)?)?;
        Ok((steady.probabilities, currents))
    }

    /// L_ij of [`Model::onsager_in`] at `p` in `basis` (rows the fluxes, columns the
    /// forces, in the order of [`ForceBasis::forces`]; their names are those of
    /// [`Model::onsager_in`]).
    pub fn onsager(&self, p: &Parameters, basis: &ForceBasis) -> Result<DMatrix<f64>> {
        Model::onsager_of(&self.device(p)?, basis)
    }

    /// The model evaluated at `p` (checked to be this model's parameters; their values are
    /// checked by [`crate::plan::Plan::device`]).
    fn device(&self, p: &Parameters) -> Result<Device> {
        self.model.check_model_of(p)?;
        // `p.values` is complete (derived quantities recomputed by `Parameters`): what
        // [`Device::new`] would resolve the values to.
        self.plan.device(self.model, &p.values)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Model, Representation};

    /// A plan gives exactly what the model gives point by point — occupation basis, the
    /// eigenbasis of interdot tunnelling, spin — and refuses another model's parameters.
    #[test]
    fn a_plan_gives_the_models_solution_and_onsager_matrix() {
        for (name, parameter) in [
            ("cqd", "eps_b"),
            ("serial_dd", "eps_1"),
            ("zeeman_dot", "B"),
        ] {
            let model = Model::builtin(name).unwrap();
            let plan = model.plan();
            let basis = model.basis(Representation::Heat).unwrap();
            let mut p = model.parameters();
            for k in 0..7 {
                p.set(parameter, -1.5 + 0.5 * f64::from(k)).unwrap();
                let solution = plan.solve(&p).unwrap();
                assert_eq!(solution, model.solve(&p).unwrap());
                let (probabilities, currents) = plan.steady_state(&p).unwrap();
                assert_eq!(probabilities, solution.probabilities);
                // Σ̇ = −Σ_λ β_λ J_Q^λ of the unrounded currents, within rounding of Solution's.
                let sigma: f64 = -(currents.iter())
                    .zip(model.leads.iter())
                    .map(|(c, l)| c.heat / p.values()[l.temperature.0])
                    .sum::<f64>();
                let gross: f64 = (currents.iter())
                    .zip(model.leads.iter())
                    .map(|(c, l)| c.gross_energy / p.values()[l.temperature.0])
                    .sum();
                assert!((sigma - solution.entropy_production).abs() <= 1e-12 * gross);
                for (c, rounded) in currents.iter().zip(&solution.currents) {
                    assert!((c.particle - rounded.particle).abs() <= 1e-12 * c.gross_particle);
                }
                assert_eq!(
                    plan.onsager(&p, &basis).unwrap(),
                    model.onsager_in(&p, &basis).unwrap().l
                );
            }
        }
        let sqd = Model::builtin("sqd").unwrap();
        let cqd = Model::builtin("cqd").unwrap();
        assert!(sqd.plan().solve(&cqd.parameters()).is_err());
    }
}
