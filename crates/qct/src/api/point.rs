//! What qct reports about one point in a force basis, computed here so that a library caller
//! gets the numbers `qct solve`, `qct onsager`, `qct check` and `qct noise` print: the steady
//! state with its thermodynamics ([`SteadyPoint`], by any steady-state [`Method`]), the
//! Onsager matrix with its finite-difference check ([`Onsager`]), the finite differences of
//! any method, and the counting statistics ([`CountingStatistics`], cumulants, the
//! equilibrium noise of the fluxes).
//!
//! Printed quantities follow the rounding-zero rule (docs/closed-forms.md, "One rounding-zero
//! rule"): a current, flux or Σ̇ within 10⁻¹² of its gross exchange is exactly 0; the
//! conservation residuals measure the unrounded currents.

use super::Solution;
use crate::currents::{Conservation, LeadCurrents, conservation, steady_currents};
use crate::eigen::EigenstateReport;
use crate::error::{Error, Result};
use crate::fcs::{
    Counter, Noise, Statistics, Transfer, entropy_counter, flux_counters, lead_counter,
    lead_counters, scaled_cgf,
};
use crate::method::{Method, Solver};
use crate::model::Model;
use crate::onsager::{FiniteDifference, Onsager};
use crate::rates::Device;
use crate::rounding::{self, ROUNDING_ZERO, zero_within_rounding};
use crate::thermo::{
    ForceBasis, entropy_production, entropy_production_from_forces, equilibrium_parameters,
};
use nalgebra::DMatrix;

use super::Parameters;

/// The nonlinear steady state of one point in a force basis, with everything `qct solve`
/// prints about it ([`Model::solve_in`], [`Model::solve_with`]): the states, the lead states
/// and currents, the forces and fluxes of the basis, both forms of Σ̇ = −Σ_λ β_λ J_Q^λ =
/// Σ_i F_i J_i (docs/conventions.md, "Conventions") and the residuals of the conservation laws.
#[derive(Debug, Clone)]
pub struct SteadyPoint {
    /// Probabilities (a density-matrix method: the populations Re ρ_kk), the currents of every
    /// lead and Σ̇ = −Σ_λ β_λ J_Q^λ, each 0 within rounding of its gross exchange; the
    /// method's residual and notes.
    pub solution: Solution,
    /// E_k of every basis state (energy unit; with interdot tunnelling the eigenvalues of H).
    pub energies: Vec<f64>,
    /// (n_1, …, n_n) of every basis state, in model dot order (state k has dot α occupied iff
    /// bit α of k is set).
    pub occupations: Vec<Vec<u8>>,
    /// T_λ = 1/β_λ of every lead.
    pub temperatures: Vec<f64>,
    /// μ_λ of every lead.
    pub chemical_potentials: Vec<f64>,
    /// μ_s^λ = μ_↑ − μ_↓ of every lead (0 without a spin bias).
    pub spin_biases: Vec<f64>,
    /// The independent forces F_i of the basis, in the order of [`ForceBasis::forces`].
    pub forces: Vec<f64>,
    /// Their fluxes J_i (merged forces: the sum of both leads' fluxes), 0 within rounding.
    pub fluxes: Vec<f64>,
    /// Σ̇ = Σ_i F_i J_i, 0 within rounding; equals `solution.entropy_production` in the steady
    /// state.
    pub sum_forces_fluxes: f64,
    /// Relative residuals of Σ_λ J_E^λ = 0 and Σ_{λ∈c} J_N^λ = 0 per component of the basis
    /// (of the unrounded currents).
    pub conservation: Conservation,
    /// With interdot tunnelling: the eigenstates of H (the basis states above are these).
    pub eigenstates: Option<Vec<EigenstateReport>>,
    /// `Method::Lindblad` on a diagonal H (the occupation-basis Lindblad oracle): what its
    /// residual measures and its largest coherence.
    #[cfg(feature = "lindblad")]
    pub lindblad: Option<crate::lindblad::LindbladDiagnostics>,
    /// A density-matrix method in the eigenbasis of H: ρ and its diagnostics.
    #[cfg(feature = "lindblad")]
    pub density_matrix: Option<crate::redfield::DensityMatrixReport>,
}

/// The counting statistics of one point (`qct noise`; [`crate::fcs`]): the zero-frequency
/// noise of every lead's currents and of the fluxes of a basis, Σ̇, and the fluctuation
/// theorem of the entropy counter.
#[derive(Debug, Clone, PartialEq)]
pub struct CountingStatistics {
    /// J_N^λ, J_E^λ, J_Q^λ of every lead: means and ⟨⟨J_i J_j⟩⟩ per unit time.
    pub currents: Noise,
    /// The fluxes conjugate to the forces of the basis; at equilibrium ⟨⟨J_i J_j⟩⟩ = 2 L_ij.
    pub fluxes: Noise,
    /// Σ̇ = −Σ_λ β_λ J_Q^λ (k_B per unit time), as computed (no rounding-zero rule).
    pub entropy_production: f64,
    /// max over s ∈ {0.25, 0.5, 1} of |C(s) − C(−1 − s)| / Σ_t γ_t for the
    /// entropy counter (Gallavotti–Cohen; rounding-level when it holds); `None` where W(s)
    /// leaves the f64 range.
    pub gallavotti_cohen_residual: Option<f64>,
}

/// Counting fields s at which the fluctuation theorem C(s) = C(−1 − s) of the entropy
/// counter is checked ([`CountingStatistics::gallavotti_cohen_residual`]).
const GALLAVOTTI_COHEN_FIELDS: [f64; 3] = [0.25, 0.5, 1.0];

impl Model {
    /// The nonlinear steady state of the Pauli equation at `p` with its thermodynamics in
    /// `basis` (what `qct solve` prints).
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let model = Model::builtin("sqd")?;
    /// let mut p = model.parameters();
    /// p.set("T_l", 1.5)?;
    /// let point = model.solve_in(&p, &model.basis(Representation::Heat)?)?;
    /// let sigma = point.solution.entropy_production;
    /// assert!(sigma > 0.0); // second law
    /// assert!((point.sum_forces_fluxes - sigma).abs() < 1e-12 * sigma); // Σ F J = −Σ β J_Q
    /// assert!(point.conservation.energy < 1e-12);
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn solve_in(&self, p: &Parameters, basis: &ForceBasis) -> Result<SteadyPoint> {
        let device = self.device(p)?;
        let (steady, currents) = steady_currents(&device)?;
        let mut point = steady_point(
            self,
            p.values(),
            basis,
            &device,
            steady.probabilities,
            &currents,
            steady.residual,
        );
        let notes = &mut point.solution.notes;
        notes.extend(steady.slow_relaxation.map(|s| s.note()));
        Ok(point)
    }

    /// [`Model::solve_in`] by the steady-state `method` ([`crate::method`]): Pauli; Lindblad
    /// on a diagonal H by the occupation-basis Lindblad oracle (`qct::lindblad`, feature `lindblad`);
    /// otherwise the density-matrix equation in the eigenbasis of H (`qct::redfield`, feature `lindblad`).
    /// Forces, fluxes, Σ̇ and the conservation residuals come from that method's populations
    /// and currents exactly as for Pauli. A density-matrix method needs the feature `lindblad`.
    ///
    /// ```
    /// use qct::{Method, Model, Representation};
    ///
    /// let model = Model::builtin("cqd")?;
    /// let (p, basis) = (model.parameters(), model.basis(Representation::Energy)?);
    /// let pauli = model.solve_in(&p, &basis)?;
    /// # #[cfg(feature = "lindblad")] {
    /// let lindblad = model.solve_with(&p, &basis, Method::Lindblad)?;
    /// // The secular equation's populations obey the Pauli equation.
    /// for (a, b) in pauli.solution.probabilities.iter().zip(&lindblad.solution.probabilities) {
    ///     assert!((a - b).abs() < 1e-10);
    /// }
    /// # }
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn solve_with(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
        method: Method,
    ) -> Result<SteadyPoint> {
        #[cfg(feature = "lindblad")]
        if let Some(density) = method.density() {
            return if density == crate::redfield::Method::Lindblad
                && !crate::eigen::needed(self, p.values())
            {
                self.solve_lindblad_oracle(p, basis)
            } else {
                self.solve_density(p, basis, density)
            };
        }
        // Without the feature `lindblad`, the error naming it.
        Solver::new(method, self, p.values())?;
        self.solve_in(p, basis)
    }

    /// The secular Lindblad equation in the occupation basis ([`crate::lindblad::solve`]);
    /// its residual is that of L ρ = 0.
    #[cfg(feature = "lindblad")]
    fn solve_lindblad_oracle(&self, p: &Parameters, basis: &ForceBasis) -> Result<SteadyPoint> {
        self.check_parameters(p)?;
        let (device, solution) = crate::lindblad::solve(self, p.values())?;
        let mut point = steady_point(
            self,
            p.values(),
            basis,
            &device,
            solution.populations.clone(),
            &solution.currents,
            solution.residual,
        );
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
        point.lindblad = Some(crate::lindblad::LindbladDiagnostics {
            residual_of: "L rho = 0",
            residual: solution.residual,
            max_coherence: solution.max_coherence,
            coherence: largest.map(|(_, i, j)| [Model::state_label(i), Model::state_label(j)]),
        });
        Ok(point)
    }

    /// A density-matrix equation in the eigenbasis of H ([`crate::redfield::DensityProblem`]).
    #[cfg(feature = "lindblad")]
    fn solve_density(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
        method: crate::redfield::Method,
    ) -> Result<SteadyPoint> {
        let device = self.device(p)?;
        let problem = crate::redfield::DensityProblem::new(self, p.values())?;
        let solution = problem.solve(&device.leads, method)?;
        let mut point = steady_point(
            self,
            p.values(),
            basis,
            &device,
            solution.populations.clone(),
            &solution.currents,
            solution.residual,
        );
        point.density_matrix = Some(solution.report(method));
        Ok(point)
    }

    /// L at the equilibrium of `p` in `basis` by exact linear response, checked against
    /// Richardson-extrapolated central finite differences of the nonlinear steady state
    /// (README, Conventions, "Linear response"): both matrices, the floors and resolution of
    /// the differences, their deviation, det L, the eigenvalues of the symmetric part and the
    /// reciprocity residual (what `qct onsager` prints). The equilibrium is the point with
    /// T → T_ρ and μ → μ_ρc ([`equilibrium_parameters`]).
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let model = Model::builtin("cqd")?;
    /// let basis = model.basis(Representation::Heat)?;
    /// let onsager = model.onsager_checks(&model.parameters(), &basis)?;
    /// assert!(onsager.finite_difference_deviation < 1e-7);
    /// assert!(onsager.eigenvalues.iter().all(|&e| e >= -1e-15)); // second law: L ≥ 0
    /// assert!(onsager.reciprocity_residual <= 1e-12 * onsager.l.amax());
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn onsager_checks(&self, p: &Parameters, basis: &ForceBasis) -> Result<Onsager> {
        let (_, equilibrium) = self.equilibrium_device(p, basis)?;
        crate::onsager::onsager(&equilibrium, basis)
    }

    /// L at the equilibrium of `p` by Richardson-extrapolated central finite differences of
    /// the fluxes of `method`'s steady state, with the rounding floor of every entry
    /// (`crate::method::Solver::finite_differences`; `qct onsager --method`).
    ///
    /// ```
    /// use qct::{Method, Model, Representation};
    ///
    /// let model = Model::builtin("sqd")?;
    /// let (p, basis) = (model.parameters(), model.basis(Representation::Energy)?);
    /// let fd = model.finite_differences(&p, &basis, Method::Pauli)?;
    /// let exact = model.onsager_checks(&p, &basis)?.l;
    /// assert!((&fd.l - &exact).amax() < 1e-8 * exact.amax());
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn finite_differences(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
        method: Method,
    ) -> Result<FiniteDifference> {
        let (values, equilibrium) = self.equilibrium_device(p, basis)?;
        Solver::new(method, self, &values)?.finite_differences(&equilibrium, basis)
    }

    /// ⟨⟨J_i J_j⟩⟩ of the fluxes of `basis` at the equilibrium of `p`: 2 L by the
    /// fluctuation–dissipation theorem (seed §4; [`crate::fcs`]), an independent route to L.
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let model = Model::builtin("sb")?;
    /// let (p, basis) = (model.parameters(), model.basis(Representation::Heat)?);
    /// let half_noise = model.equilibrium_flux_noise(&p, &basis)?.matrix * 0.5;
    /// let l = model.onsager_checks(&p, &basis)?.l;
    /// assert!((half_noise - &l).amax() < 1e-9 * l.amax());
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn equilibrium_flux_noise(&self, p: &Parameters, basis: &ForceBasis) -> Result<Noise> {
        let (_, equilibrium) = self.equilibrium_device(p, basis)?;
        Ok(Statistics::new(&equilibrium)?.noise(&flux_counters(&equilibrium, basis)))
    }

    /// The counting statistics of the point `p` (`qct noise`): noise of every lead's
    /// currents and of the fluxes of `basis`, Σ̇, and the Gallavotti–Cohen residual.
    ///
    /// ```
    /// use qct::{Model, Representation};
    ///
    /// let model = Model::builtin("sqd")?;
    /// let mut p = model.parameters();
    /// p.set("mu_l", 0.5)?;
    /// let stats = model.counting_statistics(&p, &model.basis(Representation::Heat)?)?;
    /// let (mean, variance) = (stats.fluxes.means[0], stats.fluxes.variance(0));
    /// let tur = variance * stats.entropy_production / (mean * mean);
    /// assert!(tur >= 2.0); // thermodynamic uncertainty relation
    /// assert!(stats.gallavotti_cohen_residual.unwrap() < 1e-10);
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn counting_statistics(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
    ) -> Result<CountingStatistics> {
        let device = self.device(p)?;
        let stats = Statistics::new(&device)?;
        let (_, currents) = steady_currents(&device)?;
        let sigma = entropy_production(&device.leads, &currents);
        let leads = stats.noise(&lead_counters(self, &device));
        let fluxes = stats.noise(&flux_counters(&device, basis));
        let entropy = entropy_counter(&device);
        let rates: f64 = device.transitions.iter().map(|t| t.gamma).sum();
        let residual = GALLAVOTTI_COHEN_FIELDS
            .iter()
            .map(|&s| {
                (scaled_cgf(&device, &entropy, s) - scaled_cgf(&device, &entropy, -1.0 - s)).abs()
            })
            .fold(
                0.0,
                |worst: f64, x| if x.is_nan() { f64::NAN } else { worst.max(x) },
            )
            / rates.max(f64::MIN_POSITIVE);
        // NaN compares false: a non-finite C(s) anywhere makes the residual NaN or inf.
        Ok(CountingStatistics {
            currents: leads,
            fluxes,
            entropy_production: sigma,
            gallavotti_cohen_residual: residual.is_finite().then_some(residual),
        })
    }

    /// The cumulants κ₁ … κ_order per unit time (`qct fcs`) of J_N^λ, J_E^λ, J_Q^λ of every
    /// lead in `leads` (indices in model order; all leads when empty), then of `sigma`, the
    /// entropy delivered to the reservoirs: (counter name, cumulants) pairs.
    ///
    /// ```
    /// use qct::Model;
    ///
    /// let model = Model::builtin("sqd")?;
    /// let mut p = model.parameters();
    /// p.set("mu_l", 40.0)?.set("mu_r", -40.0)?.set("gamma_r", 2.0)?; // unidirectional transport
    /// let cumulants = model.cumulants(&p, &[0], 3)?;
    /// assert_eq!(cumulants[0].0, "J_N^l");
    /// assert_eq!(cumulants.last().unwrap().0, "sigma");
    /// // Single level at large bias: Fano factor 1 − 2 γ_l γ_r / (γ_l + γ_r)² = 5/9.
    /// let kappa = &cumulants[0].1;
    /// assert!((kappa[1] / kappa[0] - 5.0 / 9.0).abs() < 1e-9);
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn cumulants(
        &self,
        p: &Parameters,
        leads: &[usize],
        order: usize,
    ) -> Result<Vec<(String, Vec<f64>)>> {
        let device = self.device(p)?;
        let stats = Statistics::new(&device)?;
        let all: Vec<usize> = (0..self.leads.len()).collect();
        let chosen = if leads.is_empty() { &all[..] } else { leads };
        if let Some(&l) = chosen.iter().find(|&&l| l >= self.leads.len()) {
            return Err(Error::BadAssignment(format!(
                "no lead {l}: model '{}' has {} leads",
                self.name,
                self.leads.len()
            )));
        }
        let mut counters: Vec<Counter> = chosen
            .iter()
            .flat_map(|&l| Transfer::ALL.map(|t| lead_counter(self, &device, l, t)))
            .collect();
        counters.push(entropy_counter(&device));
        counters
            .into_iter()
            .map(|counter| {
                let kappa = stats.cumulants(&counter, order);
                if kappa.iter().any(|x| !x.is_finite()) {
                    return Err(Error::NonFinite(format!(
                        "the cumulants of {}",
                        counter.name
                    )));
                }
                Ok((counter.name, kappa))
            })
            .collect()
    }

    /// The parameter values at the equilibrium of `p` in `basis` (T → T_ρ, μ → μ_ρc, μ_s → 0;
    /// derived temperatures and chemical potentials kept) and the model evaluated there.
    fn equilibrium_device(&self, p: &Parameters, basis: &ForceBasis) -> Result<(Vec<f64>, Device)> {
        self.check_parameters(p)?;
        let values = equilibrium_parameters(self, basis, p.values());
        let device = Device::new(self, &values)?;
        Ok((values, device))
    }
}

impl Onsager {
    /// Finite-difference entries whose rounding floor is at most `tolerance · max |L|` (a
    /// deviation that large would be measurable); `finite_difference_resolved` is this at
    /// 10⁻⁶ (`qct onsager`'s tolerance).
    pub fn finite_difference_resolved_at(&self, tolerance: f64) -> DMatrix<bool> {
        let scale = self.l.amax();
        self.finite_difference_floor
            .map(|floor| floor <= tolerance * scale)
    }
}

impl Noise {
    /// Entries of ½⟨⟨J_i J_j⟩⟩ (L_ij at equilibrium) resolved at `tolerance · scale`: their
    /// rounding floor ½ ε √(G_i G_j) (ε the rounding-zero rule, G the gross squared transfer)
    /// is at most that; below it an entry is rounding and says nothing about L.
    pub fn half_resolved(&self, tolerance: f64, scale: f64) -> DMatrix<bool> {
        let g = &self.gross_square;
        DMatrix::from_fn(g.len(), g.len(), |i, j| {
            0.5 * ROUNDING_ZERO * (g[i] * g[j]).sqrt() <= tolerance * scale
        })
    }
}

/// The [`SteadyPoint`] of `device` (the model at `values`) from populations and currents
/// computed by any f64 solver: forces, fluxes and both Σ̇ evaluated here, every printed
/// quantity 0 within rounding of its scale ([`crate::rounding`]); the conservation residuals
/// measure the unrounded currents; `residual` is the solver's own.
pub(super) fn steady_point(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    device: &Device,
    probabilities: Vec<f64>,
    currents: &[LeadCurrents],
    residual: f64,
) -> SteadyPoint {
    let leads = &device.leads;
    let forces = basis.force_values(leads);
    let fluxes = basis.flux_values(leads, currents);
    let flux_scales = rounding::flux_scales(basis, leads, currents);
    let sum_forces_fluxes = zero_within_rounding(
        entropy_production_from_forces(&forces, &fluxes),
        rounding::force_flux_scale(&forces, &flux_scales),
    );
    let fluxes = fluxes
        .iter()
        .zip(&flux_scales)
        .map(|(&j, &scale)| zero_within_rounding(j, scale) + 0.0)
        .collect();
    let solution = solution(model, device, probabilities, currents, residual);
    SteadyPoint {
        conservation: conservation(currents, &basis.components),
        sum_forces_fluxes: sum_forces_fluxes + 0.0,
        forces,
        fluxes,
        ..SteadyPoint::of(model, values, device, solution)
    }
}

/// The [`Solution`] of `device` from populations and currents of any solver: currents and
/// Σ̇ = −Σ_λ β_λ J_Q^λ 0 within rounding of their gross exchanges ([`crate::rounding`]), as
/// every report prints them; no notes.
pub(super) fn solution(
    model: &Model,
    device: &Device,
    probabilities: Vec<f64>,
    currents: &[LeadCurrents],
    residual: f64,
) -> Solution {
    Solution {
        entropy_production: rounding::rounded_entropy_production(&device.leads, currents),
        probabilities,
        leads: model.leads.iter().map(|l| l.name.clone()).collect(),
        currents: rounding::rounded_currents(&device.leads, currents),
        residual,
        notes: Vec::new(),
    }
}

impl SteadyPoint {
    /// The point's states, lead states and eigenstates around `solution`; forces, fluxes,
    /// Σ̇ = Σ F J and the conservation residuals empty, for the caller to fill.
    pub(super) fn of(
        model: &Model,
        values: &[f64],
        device: &Device,
        solution: Solution,
    ) -> SteadyPoint {
        SteadyPoint {
            energies: device.energies.clone(),
            occupations: (0..device.n_states)
                .map(|k| crate::spectrum::occupations(model, k))
                .collect(),
            temperatures: device.leads.iter().map(|l| 1.0 / l.beta).collect(),
            chemical_potentials: device.leads.iter().map(|l| l.mu).collect(),
            spin_biases: device.leads.iter().map(|l| l.spin_bias).collect(),
            forces: Vec::new(),
            fluxes: Vec::new(),
            sum_forces_fluxes: 0.0,
            conservation: Conservation {
                energy: 0.0,
                particles: Vec::new(),
            },
            eigenstates: (!model.hoppings.is_empty())
                .then(|| crate::eigen::eigenstates(model, values)),
            #[cfg(feature = "lindblad")]
            lindblad: None,
            #[cfg(feature = "lindblad")]
            density_matrix: None,
            solution,
        }
    }
}
