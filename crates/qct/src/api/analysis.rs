//! What a point is good for, beyond [`Model::regime`], [`Model::performance`] and
//! [`Model::icc`]: the regime of an [`OperatingPoint`] (also one moved to other forces),
//! the point as a machine, performance by another steady-state method, the
//! efficiency–power trade-off over the load, the Kirchhoff cycles of its transition network
//! with what each transports, and the level-crossing lines of a parameter plane. Nothing
//! here prints.

use super::Parameters;
use crate::error::Result;
use crate::method::Method;
use crate::model::Model;
use crate::performance::{LoadOptimum, MachinePerformance, Performance};
use crate::regime::{OperatingPoint, RegimeAnalysis};
use crate::thermo::ForceBasis;
use crate::tradeoff::Tradeoff;

/// One simple cycle C of the transition network of a point (seed Sec. V, the Kirchhoff–
/// Schnakenberg cycle decomposition; README, Conventions, "Linear response"), with what one
/// turn around it transports.
#[derive(Debug, Clone, PartialEq)]
pub struct KirchhoffCycle {
    /// The states on C, in the order of the turn (state k has dot α occupied iff bit α of k
    /// is set).
    pub states: Vec<usize>,
    /// d(C)_j = Σ_{t∈C} s_t d_j(t): what one turn (transition t taken forward, s_t = +1, or
    /// backward, s_t = −1) adds to the flux of force j, in the order of
    /// [`ForceBasis::forces`]; d_j(t) is [`ForceBasis::transported`] of t at the point's
    /// chemical potentials. The cycle affinity is Σ_j d(C)_j F_j.
    pub transported: Vec<f64>,
}

impl Model {
    /// [`Model::performance`] by the steady-state method `method` ([`crate::method`]): the
    /// machine and the load optimum from its steady states, G, S, K, ZT from its L (finite
    /// differences for a density-matrix method).
    ///
    /// ```
    /// use qct::{Method, Model, Representation};
    ///
    /// let model = Model::builtin("anderson")?;
    /// let mut p = model.parameters();
    /// p.set("T_l", 1.1)?;
    /// let basis = model.basis(Representation::Energy)?;
    /// let pauli = model.performance_with(&p, &basis, Method::Pauli)?;
    /// let default = model.performance(&p, &basis)?;
    /// assert_eq!(pauli.machine.power, default.machine.power);
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn performance_with(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
        method: Method,
    ) -> Result<Performance> {
        self.device(p)?;
        crate::performance::analyse_with(self, &p.values, basis, method)
    }

    /// The force–flux basis of `basis` in the heat representation (same reference leads):
    /// where [`Performance`] and the trade-off are computed.
    pub fn heat_basis(&self, basis: &ForceBasis) -> Result<ForceBasis> {
        crate::performance::heat_basis(self, basis)
    }

    /// The efficiency–power trade-off of the engine at `p` (and the refrigerator beyond
    /// stall) over the load, with `samples` biases per curve (README, "Efficiency–power
    /// trade-off"), in the heat representation with the references of `basis`; with the
    /// load optimum of [`Model::performance`], through whose points the curves pass. `None`
    /// when the point is no engine: equal temperatures, no particle force, or no current at
    /// zero bias.
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let model = Model::builtin("sqd")?;
    /// let mut p = model.parameters();
    /// p.set("T_l", 1.5)?;
    /// let basis = model.basis(Representation::Energy)?;
    /// let (optimum, tradeoff) = model.tradeoff(&p, &basis, 21)?.expect("an engine");
    /// let p_max = tradeoff.engine.power.iter().copied().fold(0.0, f64::max);
    /// assert!(p_max <= optimum.max_power * (1.0 + 1e-6)); // no sample beats the optimum
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn tradeoff(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
        samples: usize,
    ) -> Result<Option<(LoadOptimum, Tradeoff)>> {
        let heat = self.heat_basis(basis)?;
        let point = self.operating_point(p, &heat)?;
        let lead_names: Vec<String> = self.leads.iter().map(|l| l.name.clone()).collect();
        let Some(optimum) = crate::performance::optimise_load(&point, &heat, &lead_names)? else {
            return Ok(None);
        };
        let zt = crate::performance::linear_coefficients(&point, &heat).and_then(|c| c.zt);
        let tradeoff = crate::tradeoff::tradeoff(&point, &heat, &optimum, zt, samples)?;
        Ok(Some((optimum, tradeoff)))
    }

    /// The simple cycles of the transition network at `p` (the eigenbasis of H where
    /// interdot tunnelling mixes states), each with what one turn transports in every flux
    /// of `basis` ([`KirchhoffCycle`]). An error when the network has more cycles than qct
    /// enumerates.
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let model = Model::builtin("sqd")?;
    /// let basis = model.basis(Representation::Energy)?; // F_N^l, F_E^l
    /// let cycles = model.kirchhoff_cycles(&model.parameters(), &basis)?;
    /// // One level, two leads: one cycle, an electron in from l and out to r, carrying
    /// // (one particle, its energy ε) through lead l.
    /// assert_eq!(cycles.len(), 1);
    /// let eps = model.parameters().get("eps")?;
    /// assert_eq!(cycles[0].transported.iter().map(|d| d.abs()).collect::<Vec<_>>(), [1.0, eps]);
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn kirchhoff_cycles(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
    ) -> Result<Vec<KirchhoffCycle>> {
        use crate::network::{flux_increment, simple_cycles};
        let device = self.device(p)?;
        let edges: Vec<(usize, usize)> =
            device.transitions.iter().map(|t| (t.from, t.to)).collect();
        let cycles = simple_cycles(device.n_states, &edges)?;
        Ok(cycles
            .into_iter()
            .map(|c| KirchhoffCycle {
                transported: (0..basis.len())
                    .map(|force| {
                        (c.steps.iter())
                            .map(|&(t, s)| f64::from(s) * flux_increment(&device, basis, force, t))
                            .sum()
                    })
                    .collect(),
                states: c.states,
            })
            .collect())
    }

    /// The level-crossing lines of the plane of parameters `x` and `y` around `p`: for every
    /// transition of the point's network (the eigenbasis of H where interdot tunnelling
    /// mixes states), ω_t(x, y) − μ = a x + b y + c, where μ is the energy origin of the
    /// transition's lead ([`ForceBasis::energy_origin`]: 0 in the energy representation,
    /// μ_ρc in the heat representation) and ω_t = E_to − E_from is linear in the energy
    /// parameters (README, Conventions, "System"). Returned as ((from, to), [a, b, c]),
    /// each distinct line once, lines that depend on neither parameter left out; empty when
    /// `x` or `y` is no parameter of the model.
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let model = Model::builtin("cqd")?;
    /// let basis = model.basis(Representation::Energy)?;
    /// let lines = model.level_lines(&model.parameters(), &basis, "eps_b", "kappa")?;
    /// // ω(A→B) = ε_b and ω(C→D) = ε_b + κ (dot b filled with dot u empty, then occupied).
    /// assert!(lines.iter().any(|&(_, [a, b, _])| (a, b) == (1.0, 0.0)));
    /// assert!(lines.iter().any(|&(_, [a, b, _])| (a, b) == (1.0, 1.0)));
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn level_lines(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
        x: &str,
        y: &str,
    ) -> Result<Vec<((usize, usize), [f64; 3])>> {
        let (Some(px), Some(py)) = (self.param(x), self.param(y)) else {
            return Ok(Vec::new());
        };
        let device = self.device(p)?;
        let base = &p.values[..self.parameters.len()];
        let mut lines: Vec<((usize, usize), [f64; 3])> = Vec::new();
        for t in &device.transitions {
            // ω(x, y) = a x + b y + c, from E_to − E_from evaluated at three points.
            let omega = |x: f64, y: f64| {
                let mut v = base.to_vec();
                v[px.0] = x;
                v[py.0] = y;
                let v = self.complete(&v);
                let mu = basis.energy_origin(t.lead, |l| v[self.leads[l].chemical_potential.0]);
                crate::spectrum::energy(self, &v, t.to)
                    - crate::spectrum::energy(self, &v, t.from)
                    - mu
            };
            let c = omega(0.0, 0.0);
            let a = omega(1.0, 0.0) - c;
            let b = omega(0.0, 1.0) - c;
            if (a == 0.0 && b == 0.0) || lines.iter().any(|(_, line)| *line == [a, b, c]) {
                continue;
            }
            lines.push(((t.from, t.to), [a, b, c]));
        }
        Ok(lines)
    }
}

impl OperatingPoint {
    /// The transport regime of this point (seed Fig. 3; README, Conventions, "Regimes of a
    /// two-force model") and its linear-response prediction, in `basis` (the basis the point
    /// was computed in): [`Model::regime`] of a point already evaluated, e.g. one moved to
    /// other forces ([`OperatingPoint::at_forces`]).
    ///
    /// ```
    /// use qct::{Model, Regime, Representation};
    ///
    /// let model = Model::builtin("sqd")?;
    /// let basis = model.basis(Representation::Energy)?;
    /// let point = model.operating_point(&model.parameters(), &basis)?;
    /// let equilibrium = point.at_forces(&basis, &[0.0, 0.0])?;
    /// assert_eq!(equilibrium.regime(&basis).regime, Regime::Equilibrium);
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn regime(&self, basis: &ForceBasis) -> RegimeAnalysis {
        crate::regime::analyse(self, basis)
    }

    /// This steady state as a machine (power, efficiency or COP; README, "Thermoelectric
    /// performance"), with the particle references of `basis`.
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let model = Model::builtin("sqd")?;
    /// let mut p = model.parameters();
    /// p.set("T_l", 2.0)?.set("mu_l", 0.0)?.set("mu_r", 0.0)?;
    /// let basis = model.basis(Representation::Heat)?;
    /// let point = model.operating_point(&p, &basis)?;
    /// assert_eq!(point.machine(&basis).power, 0.0); // no bias, no work
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn machine(&self, basis: &ForceBasis) -> MachinePerformance {
        crate::performance::machine(&self.device, &self.currents, basis)
    }

    /// β = 1/T of lead `lead` (model order) at this point: the unit of the energy forces
    /// F_E = β_ρ − β_λ.
    pub fn beta(&self, lead: usize) -> f64 {
        self.device.leads[lead].beta
    }

    /// μ of lead `lead` (model order) at this point.
    pub fn chemical_potential(&self, lead: usize) -> f64 {
        self.device.leads[lead].mu
    }
}

impl ForceBasis {
    /// Why `qct icc` (and [`Model::icc`]) does not apply in this basis — it needs exactly
    /// two mutually parallel forces, one particle and one energy force of the same lead —
    /// or `None` when it applies.
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let icc = Model::builtin("icc")?.basis(Representation::Energy)?;
    /// assert_eq!(icc.icc_not_applicable(), None);
    /// let cqd = Model::builtin("cqd")?.basis(Representation::Energy)?; // three forces
    /// assert!(cqd.icc_not_applicable().is_some());
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn icc_not_applicable(&self) -> Option<String> {
        crate::icc::not_applicable(self)
    }
}

#[cfg(test)]
mod tests {
    use crate::rates::{Device, fermi};
    use crate::{Model, Representation};

    /// Local detailed balance around every cycle (seed Sec. V; Schnakenberg): the affinity
    /// Σ_{t∈C} s_t ln(k_t⁺/k_t⁻) of the rates equals Σ_j d(C)_j F_j with the transported
    /// amounts of [`Model::kirchhoff_cycles`], far from equilibrium, in both representations.
    #[test]
    fn cycle_affinities_are_the_forces_times_what_the_cycle_transports() {
        for (name, set) in [
            ("cqd", [("T_u", 1.7), ("mu_l", 0.4), ("eps_b", 0.3)]),
            ("sb", [("T_u", 1.4), ("mu_l", -0.6), ("kappa", -0.5)]),
            ("zeeman_dot", [("T_l", 1.3), ("mu_l", 0.2), ("B", 0.7)]),
        ] {
            let model = Model::builtin(name).unwrap();
            let mut p = model.parameters();
            for (n, v) in set {
                p.set(n, v).unwrap();
            }
            let device = Device::new(&model, p.values()).unwrap();
            let edges: Vec<(usize, usize)> =
                device.transitions.iter().map(|t| (t.from, t.to)).collect();
            let steps = crate::network::simple_cycles(device.n_states, &edges).unwrap();
            for representation in [Representation::Energy, Representation::Heat] {
                let basis = model.basis(representation).unwrap();
                let forces = basis.force_values(&device.leads);
                let cycles = model.kirchhoff_cycles(&p, &basis).unwrap();
                assert_eq!(cycles.len(), steps.len());
                assert!(!cycles.is_empty());
                for (cycle, c) in cycles.iter().zip(&steps) {
                    assert_eq!(cycle.states, c.states);
                    // ln(k⁺/k⁻) = ln(f/(1 − f)) of the lead's Fermi function at β(ω − μ_σ).
                    let affinity: f64 = (c.steps.iter())
                        .map(|&(t, s)| {
                            let t = device.transitions[t];
                            let lead = device.leads[t.lead];
                            let mu = lead.mu + 0.5 * t.spin * lead.spin_bias;
                            let (f, one_minus_f) = fermi(lead.beta * (t.omega - mu));
                            f64::from(s) * (f / one_minus_f).ln()
                        })
                        .sum();
                    let from_forces: f64 = (cycle.transported.iter().zip(&forces))
                        .map(|(d, f)| d * f)
                        .sum();
                    let scale = 1.0 + affinity.abs();
                    assert!(
                        (affinity - from_forces).abs() < 1e-12 * scale,
                        "{name} {representation:?} cycle {:?}: {affinity} vs {from_forces}",
                        cycle.states
                    );
                }
            }
        }
    }

    /// Each level line a x + b y + c is ω_t − μ of its transition at the point itself and
    /// at a point moved along both axes (the lines are exact: ω is linear in the levels).
    #[test]
    fn level_lines_pass_through_the_transition_energies() {
        let model = Model::builtin("cqd").unwrap();
        for representation in [Representation::Energy, Representation::Heat] {
            let basis = model.basis(representation).unwrap();
            let mut p = model.parameters();
            p.set("mu_l", 0.25).unwrap();
            let lines = model.level_lines(&p, &basis, "eps_u", "kappa").unwrap();
            // ω(A→C) = ε_u, ω(B→D) = ε_u + κ, ω(C→D) = ε_b + κ; ω(A→B) = ε_b is no line.
            assert_eq!(lines.len(), 3);
            for (x, y) in [(0.3, -0.8), (-1.25, 2.5)] {
                p.set("eps_u", x).unwrap().set("kappa", y).unwrap();
                let device = Device::new(&model, p.values()).unwrap();
                for &((from, to), [a, b, c]) in &lines {
                    let t = (device.transitions.iter())
                        .find(|t| (t.from, t.to) == (from, to))
                        .unwrap();
                    let mu = basis.energy_origin(t.lead, |l| device.leads[l].mu);
                    assert!((a * x + b * y + c - (t.omega - mu)).abs() < 1e-14);
                }
            }
        }
        let basis = model.basis(Representation::Energy).unwrap();
        let p = model.parameters();
        assert!(
            model
                .level_lines(&p, &basis, "eps_u", "nope")
                .unwrap()
                .is_empty()
        );
    }
}
