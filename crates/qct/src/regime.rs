//! ⑧ Transport regimes of an operating point (README, Conventions, "Regimes of a two-force model";
//! seed Sec. VII.4 and Fig. 3).
//!
//! A two-force model has one particle force F_N and one energy (heat) force F_E. They are
//! *mutually parallel* when both belong to the same lead (sqd, icc, anderson, a two-terminal
//! double dot), *non-parallel* otherwise (sb: F_N^l and F_E^u). With signs s(F), s(J):
//!
//! * F_N = F_E = 0: equilibrium.
//! * one force zero: a cross effect, Seebeck (F_N = 0, J_N induced by F_E) or Peltier
//!   (F_E = 0, J_E induced by F_N); conventional when the induced flux follows the applied
//!   force, unconventional when it opposes it. Under parallel forces an unconventional cross
//!   effect is a pseudo-ICC (seed Sec. VII.4).
//! * both nonzero, parallel forces of one sign (quadrants I, III): a flux against its own
//!   force opposes both: an inverse current in coupled transport (ICC).
//! * otherwise (antiparallel forces, or non-parallel forces): a flux against its own force
//!   driven by the other is a heat engine (J_N) or a refrigerator (J_E).
//!
//! An inverse or unconventional response under parallel forces is *trivial* (reported as
//! `trivial_inverse`, the README's Conventions) when it needs no interaction:
//! * under tight coupling (det L = 0: J_E = ε J_N, the single dot) the fluxes have a fixed
//!   ratio, and an inverse response only says that the transport level lies below the
//!   reference (J_E/J_N < 0);
//! * when a *bare level* — a transition out of the empty state |0…0⟩ through a lead of the
//!   particle force's component — lies below the reference (energy representation: ω < 0,
//!   the energy origin; heat representation: ω < μ_ρc), hole-like transport through that
//!   level gives the inverse response by itself.
//!
//! Otherwise it is genuine: with every bare level above the reference, a cross coefficient
//! can only turn negative through a level ordering inverted by the interactions (the
//! icc model's ω(C→D) < 0 < ω(A→B); derivations/icc/README.md).

use crate::currents::LeadCurrents;
use crate::error::Result;
use crate::method::{Method, Solver};
use crate::model::Model;
use crate::rates::{Device, LeadState};
use crate::thermo::{FluxKind, ForceBasis};
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// A force or flux within this relative distance of zero (rounding) has no sign: the
/// shared rule of [`crate::rounding`].
pub(crate) const ZERO_TOLERANCE: f64 = crate::rounding::ROUNDING_ZERO;

/// det L / (L_NN L_EE) below this is tight coupling (det L = 0 to rounding).
pub(crate) const TIGHT_COUPLING_TOLERANCE: f64 = 1e-10;

/// The regime labels of `qct regime` (JSON `"regime"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// F_N = 0: J_N follows F_E.
    Seebeck,
    /// F_N = 0: J_N opposes F_E (non-parallel forces).
    SeebeckUnconventional,
    /// F_E = 0: J_E follows F_N.
    Peltier,
    /// F_E = 0: J_E opposes F_N (non-parallel forces).
    PeltierUnconventional,
    /// Both forces act; J_N flows against F_N, driven by F_E.
    HeatEngine,
    /// Both forces act; J_E flows against F_E, driven by F_N.
    Refrigerator,
    /// Every flux follows its force (or vanishes).
    Normal,
    /// An unconventional cross effect under parallel forces.
    PseudoIcc,
    /// A flux against both mutually parallel forces, with every bare level above the
    /// reference and no tight coupling: interactions invert the level ordering.
    GenuineIcc,
    /// An inverse or unconventional response under parallel forces that needs no
    /// interaction: tight coupling or a bare level below the reference (module doc).
    TrivialInverse,
    /// All forces zero.
    Equilibrium,
    /// Not a two-force (one particle, one energy) model: see the per-flux details.
    MultiForce,
}

impl Regime {
    /// Every label, in the order of the legend of regime maps.
    pub const ALL: [Regime; 12] = [
        Regime::Equilibrium,
        Regime::Normal,
        Regime::Seebeck,
        Regime::SeebeckUnconventional,
        Regime::Peltier,
        Regime::PeltierUnconventional,
        Regime::HeatEngine,
        Regime::Refrigerator,
        Regime::PseudoIcc,
        Regime::GenuineIcc,
        Regime::TrivialInverse,
        Regime::MultiForce,
    ];

    /// The JSON label, e.g. `genuine_icc`.
    pub fn label(self) -> &'static str {
        match self {
            Regime::Seebeck => "seebeck",
            Regime::SeebeckUnconventional => "seebeck_unconventional",
            Regime::Peltier => "peltier",
            Regime::PeltierUnconventional => "peltier_unconventional",
            Regime::HeatEngine => "heat_engine",
            Regime::Refrigerator => "refrigerator",
            Regime::Normal => "normal",
            Regime::PseudoIcc => "pseudo_icc",
            Regime::GenuineIcc => "genuine_icc",
            Regime::TrivialInverse => "trivial_inverse",
            Regime::Equilibrium => "equilibrium",
            Regime::MultiForce => "multi_force",
        }
    }

    /// Position in [`Regime::ALL`].
    pub fn index(self) -> usize {
        Regime::ALL.iter().position(|&r| r == self).expect("listed")
    }
}

/// The two forces of a two-force model: indices into [`ForceBasis::forces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForcePair {
    pub particle: usize,
    pub energy: usize,
    /// Both forces belong to the same lead (seed Sec. X: "mutually parallel").
    pub parallel: bool,
}

impl ForcePair {
    /// The pair, if the model has exactly one particle and one energy (heat) force.
    pub fn of(basis: &ForceBasis) -> Option<ForcePair> {
        if basis.len() != 2 {
            return None;
        }
        let particle = basis
            .forces
            .iter()
            .position(|f| f.kind == FluxKind::Particle)?;
        let energy = basis
            .forces
            .iter()
            .position(|f| f.kind == FluxKind::Energy)?;
        Some(ForcePair {
            particle,
            energy,
            parallel: basis.forces[particle].lead == basis.forces[energy].lead,
        })
    }
}

/// Sign of `x`, zero when |x| ≤ `tolerance`.
pub(crate) fn sign(x: f64, tolerance: f64) -> i8 {
    if x.abs() <= tolerance {
        0
    } else if x > 0.0 {
        1
    } else {
        -1
    }
}

/// The verdict of the Fig. 3 classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub regime: Regime,
    /// Which flux is inverse or unconventional (index into the forces), if any.
    pub inverse_flux: Option<usize>,
}

/// Classify signs of (F_N, F_E) and (J_N, J_E) of a two-force model (module doc).
/// `trivial`: an inverse response at this point needs no interaction (tight coupling or a
/// bare level below the reference).
pub(crate) fn classify(
    pair: &ForcePair,
    force_signs: &[i8],
    flux_signs: &[i8],
    trivial: bool,
) -> Verdict {
    let (n, e) = (pair.particle, pair.energy);
    let (f_n, f_e) = (force_signs[n], force_signs[e]);
    let (j_n, j_e) = (flux_signs[n], flux_signs[e]);
    let verdict = |regime, inverse_flux| Verdict {
        regime,
        inverse_flux,
    };
    let unconventional = |fallback: Regime, flux: usize| match (pair.parallel, trivial) {
        (true, true) => verdict(Regime::TrivialInverse, Some(flux)),
        (true, false) => verdict(Regime::PseudoIcc, Some(flux)),
        (false, _) => verdict(fallback, Some(flux)),
    };
    match (f_n, f_e) {
        (0, 0) => verdict(Regime::Equilibrium, None),
        // Seebeck: J_N induced by F_E alone.
        (0, _) if j_n == 0 => verdict(Regime::Normal, None),
        (0, _) if j_n == f_e => verdict(Regime::Seebeck, None),
        (0, _) => unconventional(Regime::SeebeckUnconventional, n),
        // Peltier: J_E induced by F_N alone.
        (_, 0) if j_e == 0 => verdict(Regime::Normal, None),
        (_, 0) if j_e == f_n => verdict(Regime::Peltier, None),
        (_, 0) => unconventional(Regime::PeltierUnconventional, e),
        _ => {
            let against = |j: i8, f: i8| j != 0 && j == -f;
            let inverse = if against(j_n, f_n) {
                Some(n)
            } else if against(j_e, f_e) {
                Some(e)
            } else {
                None
            };
            match inverse {
                None => verdict(Regime::Normal, None),
                Some(flux) if pair.parallel && f_n == f_e => verdict(
                    if trivial {
                        Regime::TrivialInverse
                    } else {
                        Regime::GenuineIcc
                    },
                    Some(flux),
                ),
                Some(flux) if flux == n => verdict(Regime::HeatEngine, Some(flux)),
                Some(flux) => verdict(Regime::Refrigerator, Some(flux)),
            }
        }
    }
}

/// One operating point through ② → ⑦: the nonlinear steady state at the point and the
/// Onsager matrix at its equilibrium (README, Conventions, "Linear response"), both by the
/// point's steady-state method ([`crate::method`]; Pauli unless built with
/// [`OperatingPoint::with_method`]).
#[derive(Debug, Clone)]
pub struct OperatingPoint {
    /// The model evaluated at the point (its lead states and transitions).
    pub(crate) device: Device,
    /// Steady-state probabilities p_k (a density-matrix method: the populations Re ρ_kk in
    /// the eigenbasis).
    pub probabilities: Vec<f64>,
    pub currents: Vec<LeadCurrents>,
    /// Values of the independent forces, in the order of [`ForceBasis::forces`].
    pub forces: Vec<f64>,
    /// Their fluxes, same order.
    pub fluxes: Vec<f64>,
    /// Σ̇ = −Σ_λ β_λ J_Q^λ.
    pub entropy_production: f64,
    /// L at the equilibrium of the point (same basis).
    pub l: DMatrix<f64>,
    /// The steady-state method, set up for this point's H and rates.
    solver: Solver,
}

impl OperatingPoint {
    /// Evaluate `model` at parameter values `values` (Pauli).
    pub fn new(model: &Model, values: &[f64], basis: &ForceBasis) -> Result<OperatingPoint> {
        OperatingPoint::of_device(Device::new(model, values)?, basis)
    }

    /// Evaluate `model` at parameter values `values` with the steady-state method `method`
    /// (for a density-matrix method L comes from finite differences of its fluxes).
    pub fn with_method(
        model: &Model,
        values: &[f64],
        basis: &ForceBasis,
        method: Method,
    ) -> Result<OperatingPoint> {
        let solver = Solver::new(method, model, values)?;
        OperatingPoint::of_device_with(Device::new(model, values)?, basis, solver)
    }

    /// Evaluate a device (its lead states may come from [`ForceBasis::leads_at_forces`]).
    pub(crate) fn of_device(device: Device, basis: &ForceBasis) -> Result<OperatingPoint> {
        OperatingPoint::of_device_with(device, basis, Solver::pauli())
    }

    /// [`OperatingPoint::of_device`] with `solver` (set up for the device's model point).
    pub(crate) fn of_device_with(
        device: Device,
        basis: &ForceBasis,
        solver: Solver,
    ) -> Result<OperatingPoint> {
        let equilibrium = device.with_leads(basis.equilibrium(&device.leads));
        let l = solver.onsager(&equilibrium, basis)?;
        OperatingPoint::with_onsager(device, basis, l, solver)
    }

    /// The steady state of `device`, whose equilibrium has the Onsager matrix `l`.
    fn with_onsager(
        device: Device,
        basis: &ForceBasis,
        l: DMatrix<f64>,
        solver: Solver,
    ) -> Result<OperatingPoint> {
        let (probabilities, currents) = solver.steady_currents(&device)?;
        Ok(OperatingPoint {
            forces: basis.force_values(&device.leads),
            fluxes: basis.flux_values(&device.leads, &currents),
            entropy_production: crate::rounding::rounded_entropy_production(
                &device.leads,
                &currents,
            ),
            probabilities,
            currents,
            device,
            l,
            solver,
        })
    }

    /// `device` moved to forces `forces` around its own equilibrium
    /// ([`ForceBasis::leads_at_forces`]), by `solver`.
    pub(crate) fn of_device_at_forces(
        device: Device,
        basis: &ForceBasis,
        forces: &[f64],
        solver: Solver,
    ) -> Result<OperatingPoint> {
        let equilibrium = basis.equilibrium(&device.leads);
        let l = solver.onsager(&device.with_leads(equilibrium.clone()), basis)?;
        let leads = basis.leads_at_forces(&equilibrium, forces);
        check_leads(&leads)?;
        OperatingPoint::with_onsager(device.with_leads(leads), basis, l, solver)
    }

    /// The same model at forces `forces` around the equilibrium of this point. Moving the
    /// forces keeps β_ρ and μ_ρc, so the equilibrium, and L, stay those of this point.
    pub fn at_forces(&self, basis: &ForceBasis, forces: &[f64]) -> Result<OperatingPoint> {
        let equilibrium = basis.equilibrium(&self.device.leads);
        let leads = basis.leads_at_forces(&equilibrium, forces);
        check_leads(&leads)?;
        OperatingPoint::with_onsager(
            self.device.with_leads(leads),
            basis,
            self.l.clone(),
            self.solver.clone(),
        )
    }

    /// The steady-state method of this point.
    pub fn method(&self) -> Method {
        self.solver.method()
    }

    /// L at the equilibrium of this point in another basis `basis` (e.g. the heat
    /// representation), by this point's method.
    pub fn onsager_in(&self, basis: &ForceBasis) -> Result<DMatrix<f64>> {
        let equilibrium = self
            .device
            .with_leads(basis.equilibrium(&self.device.leads));
        self.solver.onsager(&equilibrium, basis)
    }

    /// The steady state of this point's model with other lead states `device` (same H and
    /// rates), by this point's method: populations and currents.
    pub(crate) fn steady_currents(&self, device: &Device) -> Result<(Vec<f64>, Vec<LeadCurrents>)> {
        self.solver.steady_currents(device)
    }

    /// The linear-response fluxes L F at this point's forces.
    pub(crate) fn linear_fluxes(&self) -> Vec<f64> {
        (&self.l * DVector::from_column_slice(&self.forces))
            .iter()
            .copied()
            .collect()
    }

    /// Rounding scale of each flux: its lead's gross exchange (particles, or energy plus
    /// |μ_ρc| times particles for a heat flux).
    pub fn flux_scales(&self, basis: &ForceBasis) -> Vec<f64> {
        crate::rounding::flux_scales(basis, &self.device.leads, &self.currents)
    }

    /// Rounding scale of each force: the magnitude of the terms it is a difference of.
    pub(crate) fn force_scales(&self, basis: &ForceBasis) -> Vec<f64> {
        basis
            .forces
            .iter()
            .map(|f| {
                let lead = self.device.leads[f.lead];
                let reference = self.device.leads[basis.particle_reference(f.lead)];
                match f.kind {
                    FluxKind::Energy => lead
                        .beta
                        .max(self.device.leads[basis.references.energy].beta),
                    FluxKind::Particle => (lead.beta * lead.mu)
                        .abs()
                        .max((reference.beta * reference.mu).abs())
                        .max(lead.beta * (lead.mu.abs() + reference.mu.abs())),
                    FluxKind::Spin => {
                        0.5 * lead.beta * (lead.spin_bias.abs() + reference.spin_bias.abs())
                    }
                }
            })
            .collect()
    }

    /// det L / Π L_ii: 0 for tight coupling, 1 for uncoupled fluxes.
    pub fn relative_determinant(&self) -> f64 {
        let diagonal: f64 = (0..self.l.nrows()).map(|i| self.l[(i, i)]).product();
        if diagonal > 0.0 {
            crate::onsager::determinant(&self.l) / diagonal
        } else {
            0.0
        }
    }

    /// The bare levels (module doc) of the component of the particle force's lead, as
    /// (label "ω(A→B)", ω − reference): transitions out of the empty state through its
    /// leads, relative to the reference (0 in the energy representation, μ_ρc in the heat
    /// representation). Distinct transitions only.
    pub fn bare_levels(&self, basis: &ForceBasis) -> Vec<(String, f64)> {
        let Some(particle) = basis.forces.iter().find(|f| f.kind == FluxKind::Particle) else {
            return Vec::new();
        };
        let component = basis.component_of_lead[particle.lead];
        let reference = basis.energy_origin(particle.lead, |l| self.device.leads[l].mu);
        let mut levels: Vec<(String, f64)> = Vec::new();
        for t in &self.device.transitions {
            if t.from != 0 || basis.component_of_lead[t.lead] != component {
                continue;
            }
            let label = format!("ω(A→{})", Model::state_label(t.to));
            if !levels.iter().any(|(l, _)| *l == label) {
                levels.push((label, t.omega - reference));
            }
        }
        levels
    }

    /// An inverse response at this point would be trivial: tight coupling, or a bare level
    /// below the reference (module doc).
    pub(crate) fn inverse_is_trivial(&self, basis: &ForceBasis) -> bool {
        self.tight_coupling() || self.bare_levels(basis).iter().any(|(_, w)| *w < 0.0)
    }

    /// Tight coupling at this point: det L = 0 to rounding while every flux responds
    /// (L_ii > 0); a flux that does not respond at all (L_ii = 0, e.g. a lead with zero
    /// rates) is decoupled, not tightly coupled.
    pub fn tight_coupling(&self) -> bool {
        let n = self.l.nrows();
        n >= 2
            && (0..n).all(|i| self.l[(i, i)] > 0.0)
            && self.relative_determinant().abs() <= TIGHT_COUPLING_TOLERANCE
    }
}

/// Forces so large that a lead would get β ≤ 0 (or a non-finite μ) have no temperature.
fn check_leads(leads: &[LeadState]) -> Result<()> {
    match leads
        .iter()
        .position(|l| !(l.beta > 0.0 && l.beta.is_finite() && l.mu.is_finite()))
    {
        None => Ok(()),
        Some(lead) => Err(crate::Error::BadAssignment(format!(
            "forces too large: lead {} would need beta = 1/T <= 0 (an energy force F_E must \
             stay below the reference beta)",
            lead + 1
        ))),
    }
}

/// The thermodynamic gradient behind one force (seed Sec. X: gradients are not forces).
#[derive(Debug, Clone, Serialize)]
pub struct Gradient {
    /// "ΔT" (T_λ − T_ρ) for an energy force, "Δμ" (μ_λ − μ_ρc) for a particle force.
    pub name: String,
    pub value: f64,
}

/// One force with its flux, as `qct regime` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct FluxReport {
    pub force: String,
    pub force_value: f64,
    pub flux: String,
    /// Nonlinear steady-state flux.
    pub flux_value: f64,
    /// Linear-response prediction Σ_j L_ij F_j.
    pub linear_flux: f64,
    pub gradient: Gradient,
    /// The flux opposes its own force (J F < 0).
    pub against_force: bool,
    /// The flux opposes its gradient (J ΔX < 0).
    pub against_gradient: bool,
}

/// Structure of one pair of forces (models with more than two forces).
#[derive(Debug, Clone, Serialize)]
pub struct PairReport {
    pub forces: [String; 2],
    /// Both forces belong to the same lead.
    pub parallel: bool,
    /// L_ij at the equilibrium of the point.
    pub cross_coefficient: f64,
}

/// A bare level: a transition out of the empty state, relative to the reference.
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub transition: String,
    /// ω − reference (reference: 0 in the energy representation, μ_ρc in the heat one).
    pub above_reference: f64,
}

/// The nonlinear regime of a point with its linear-response prediction.
#[derive(Debug, Clone, Serialize)]
pub struct RegimeAnalysis {
    pub regime: Regime,
    pub linear_prediction: Regime,
    /// Nonlinear verdict and linear prediction agree.
    pub agree: bool,
    /// The flux that is inverse or unconventional, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inverse_flux: Option<String>,
    /// "parallel", "non-parallel", or "n/a" (not one particle and one energy force).
    pub forces_structure: &'static str,
    pub tight_coupling: bool,
    /// Bare levels (module doc) relative to the reference; one below makes inverse
    /// responses trivial.
    pub bare_levels: Vec<Level>,
    /// det L / Π_i L_ii at the equilibrium of the point.
    pub relative_determinant: f64,
    /// J_E / J_N at the point (energy representation: the effective transport level;
    /// heat representation: the level above μ_ρc), when J_N ≠ 0 in a two-force model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flux_ratio: Option<f64>,
    pub fluxes: Vec<FluxReport>,
    pub pairs: Vec<PairReport>,
    /// Σ̇ = −Σ_λ β_λ J_Q^λ ≥ 0.
    #[serde(rename = "sigma")]
    pub entropy_production: f64,
    /// Human-readable notes: disagreements, gradient/force mismatches, the tight-coupling
    /// reason.
    pub notes: Vec<String>,
}

/// The signs (zero within rounding) of the forces, the nonlinear fluxes and the linear
/// fluxes L F of a point, with L F itself.
struct Signs {
    forces: Vec<i8>,
    fluxes: Vec<i8>,
    linear: Vec<i8>,
    /// L F at the point's forces.
    linear_fluxes: Vec<f64>,
}

impl Signs {
    /// Each force and flux against its rounding scale ([`OperatingPoint::force_scales`],
    /// [`OperatingPoint::flux_scales`]); L F against Σ_j |L_ij F_j|.
    fn of(point: &OperatingPoint, basis: &ForceBasis) -> Signs {
        let signs = |values: &[f64], scales: &[f64]| -> Vec<i8> {
            values
                .iter()
                .zip(scales)
                .map(|(&x, &s)| sign(x, ZERO_TOLERANCE * s))
                .collect()
        };
        let linear_fluxes = point.linear_fluxes();
        let linear_scales: Vec<f64> = (0..linear_fluxes.len())
            .map(|i| {
                (0..linear_fluxes.len())
                    .map(|j| (point.l[(i, j)] * point.forces[j]).abs())
                    .sum()
            })
            .collect();
        Signs {
            forces: signs(&point.forces, &point.force_scales(basis)),
            fluxes: signs(&point.fluxes, &point.flux_scales(basis)),
            linear: signs(&linear_fluxes, &linear_scales),
            linear_fluxes,
        }
    }
}

/// The nonlinear verdict and the linear prediction: [`classify`] for a two-force model,
/// else equilibrium, normal (one force) or multi-force.
fn verdicts(
    pair: Option<&ForcePair>,
    n_forces: usize,
    signs: &Signs,
    trivial: bool,
) -> (Verdict, Verdict) {
    if let Some(pair) = pair {
        return (
            classify(pair, &signs.forces, &signs.fluxes, trivial),
            classify(pair, &signs.forces, &signs.linear, trivial),
        );
    }
    let regime = match n_forces {
        0 => Regime::Equilibrium,
        _ if signs.forces.iter().all(|&s| s == 0) => Regime::Equilibrium,
        1 => Regime::Normal,
        _ => Regime::MultiForce,
    };
    let v = Verdict {
        regime,
        inverse_flux: None,
    };
    (v, v)
}

/// One [`FluxReport`] per force: its flux, L F, the gradient behind the force and whether
/// the flux opposes either.
fn flux_reports(point: &OperatingPoint, basis: &ForceBasis, signs: &Signs) -> Vec<FluxReport> {
    let leads = &point.device.leads;
    basis
        .forces
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let lead = leads[f.lead];
            let gradient = match f.kind {
                FluxKind::Energy => Gradient {
                    name: "ΔT".into(),
                    value: 1.0 / lead.beta - 1.0 / leads[basis.references.energy].beta,
                },
                FluxKind::Particle => Gradient {
                    name: "Δμ".into(),
                    value: lead.mu - leads[basis.particle_reference(f.lead)].mu,
                },
                FluxKind::Spin => Gradient {
                    name: "Δμ_s".into(),
                    value: lead.spin_bias - leads[basis.particle_reference(f.lead)].spin_bias,
                },
            };
            let gradient_sign = sign(
                gradient.value,
                ZERO_TOLERANCE * (1.0 / lead.beta + lead.mu.abs()),
            );
            let flux_sign = signs.fluxes[i];
            FluxReport {
                force: basis.force_name(f),
                force_value: point.forces[i],
                flux: basis.flux_name(f),
                flux_value: point.fluxes[i],
                linear_flux: signs.linear_fluxes[i],
                against_force: flux_sign != 0 && flux_sign == -signs.forces[i],
                against_gradient: flux_sign != 0 && flux_sign == -gradient_sign,
                gradient,
            }
        })
        .collect()
}

/// Every pair of forces with its cross coefficient L_ij.
fn pair_reports(point: &OperatingPoint, basis: &ForceBasis) -> Vec<PairReport> {
    let mut pairs = Vec::new();
    for i in 0..basis.len() {
        for j in i + 1..basis.len() {
            pairs.push(PairReport {
                forces: [
                    basis.force_name(&basis.forces[i]),
                    basis.force_name(&basis.forces[j]),
                ],
                parallel: basis.forces[i].lead == basis.forces[j].lead,
                cross_coefficient: point.l[(i, j)],
            });
        }
    }
    pairs
}

/// What the notes of [`RegimeAnalysis`] are built from.
struct NoteFacts<'a> {
    verdict: Regime,
    prediction: Regime,
    fluxes: &'a [FluxReport],
    tight: bool,
    relative_determinant: f64,
    flux_ratio: Option<f64>,
    bare_below: &'a [&'a (String, f64)],
    non_parallel: bool,
}

/// The human-readable notes: a nonlinear/linear disagreement, fluxes against a gradient
/// but along their force, why an inverse response is trivial, non-parallel forces.
fn notes(facts: &NoteFacts) -> Vec<String> {
    let mut notes = Vec::new();
    if facts.verdict != facts.prediction {
        notes.push(format!(
            "the nonlinear steady state is {} but linear response (L at the equilibrium of \
             the point) predicts {}: the forces are beyond the linear regime",
            facts.verdict.label(),
            facts.prediction.label()
        ));
    }
    for f in facts.fluxes {
        if f.against_gradient && !f.against_force {
            notes.push(format!(
                "{} flows against its gradient {} = {:.6e} but along its force {} = {:.6e}: \
                 an inverse current with respect to a gradient is not one with respect to \
                 the force (seed Sec. X)",
                f.flux, f.gradient.name, f.gradient.value, f.force, f.force_value
            ));
        }
    }
    if facts.verdict == Regime::TrivialInverse || facts.prediction == Regime::TrivialInverse {
        if facts.tight {
            notes.push(format!(
                "tight coupling (det L / (L_NN L_EE) = {:.3e}): the fluxes have the fixed \
                 ratio J_E/J_N = {}, a transport level below the reference; the inverse \
                 response is hole-like transport, not a genuine ICC (README, Conventions)",
                facts.relative_determinant,
                facts
                    .flux_ratio
                    .map_or("undefined".into(), |r| format!("{r:.6e}"))
            ));
        }
        if !facts.bare_below.is_empty() {
            notes.push(format!(
                "bare level(s) below the reference ({}): hole-like transport through them \
                 gives the inverse response without any interaction, so it is not a genuine \
                 ICC (README, Conventions)",
                facts
                    .bare_below
                    .iter()
                    .map(|(l, w)| format!("{l} - ref = {w:.6e}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if facts.non_parallel {
        notes.push(
            "the forces belong to different leads (non-parallel): no ICC by definition, only \
             conventional or unconventional thermoelectric effects (seed Sec. IX.1.3)"
                .into(),
        );
    }
    notes
}

/// Classify `point` (module doc), nonlinear and linear.
pub(crate) fn analyse(point: &OperatingPoint, basis: &ForceBasis) -> RegimeAnalysis {
    let signs = Signs::of(point, basis);
    let tight = point.tight_coupling();
    let bare_levels = point.bare_levels(basis);
    let bare_below: Vec<&(String, f64)> = bare_levels.iter().filter(|(_, w)| *w < 0.0).collect();
    let trivial = tight || !bare_below.is_empty();
    let pair = ForcePair::of(basis);
    let (verdict, prediction) = verdicts(pair.as_ref(), basis.len(), &signs, trivial);
    let fluxes = flux_reports(point, basis, &signs);
    let flux_ratio = pair.and_then(|p| {
        (signs.fluxes[p.particle] != 0).then(|| point.fluxes[p.energy] / point.fluxes[p.particle])
    });
    let notes = notes(&NoteFacts {
        verdict: verdict.regime,
        prediction: prediction.regime,
        fluxes: &fluxes,
        tight,
        relative_determinant: point.relative_determinant(),
        flux_ratio,
        bare_below: &bare_below,
        non_parallel: pair.is_some_and(|p| !p.parallel),
    });
    RegimeAnalysis {
        regime: verdict.regime,
        linear_prediction: prediction.regime,
        agree: verdict.regime == prediction.regime,
        inverse_flux: verdict
            .inverse_flux
            .map(|i| basis.flux_name(&basis.forces[i])),
        forces_structure: match pair {
            Some(p) if p.parallel => "parallel",
            Some(_) => "non-parallel",
            None => "n/a",
        },
        tight_coupling: tight,
        bare_levels: bare_levels
            .iter()
            .map(|(label, value)| Level {
                transition: label.clone(),
                above_reference: *value,
            })
            .collect(),
        relative_determinant: point.relative_determinant(),
        flux_ratio,
        fluxes,
        pairs: pair_reports(point, basis),
        entropy_production: point.entropy_production,
        notes,
    }
}
