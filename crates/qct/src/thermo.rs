//! ⑥ Entropy production, forces and fluxes (README, Conventions, "Forces and fluxes").
//!
//! Σ̇ = −Σ_λ β_λ J_Q^λ is rewritten with the conservation laws as Σ_i F_i J_i, using a
//! reference lead ρ for energy and ρ_c for the particles of each component c:
//!
//! * energy representation (default, the seed's eq. 28): F_E^λ = β_ρ − β_λ,
//!   F_N^λ = β_λ μ_λ − β_{ρ_c} μ_{ρ_c}, fluxes J_E^λ, J_N^λ;
//! * heat representation: F_Q^λ = β_ρ − β_λ, F_N^λ = β_λ (μ_λ − μ_{ρ_c}), fluxes
//!   J_Q^λ ≡ J_E^λ − μ_{ρ_c} J_N^λ (the component's reference μ) and J_N^λ.
//!
//! With spin accumulation (a lead with a spin bias μ_s = μ_↑ − μ_↓, [`crate::model::spin`])
//! the particles of each spin are conserved separately and Σ_σ μ_λσ J_Nσ^λ =
//! μ_λ J_N^λ + ν_λ J_S^λ with ν_λ = μ_sλ/2 and J_S^λ = J_N↑^λ − J_N↓^λ, which adds the spin
//! force F_S^λ = β_λ ν_λ − β_ρc ν_ρc (energy representation) or β_λ (ν_λ − ν_ρc) (heat
//! representation); the reference ρ_c carries no spin bias (ν_ρc = 0), so J_Q^λ is the same
//! in both cases. Spin forces are considered only in components with a spin-biased lead;
//! without spin bias nothing changes.
//!
//! A force that vanishes identically because the model shares its parameters (T_l and T_r
//! the same symbol, say) is dropped with its flux. Fluxes are ordered particle first, then
//! spin, then energy (or heat), leads in model order.

pub use crate::currents::Conservation;
use crate::currents::LeadCurrents;
use crate::error::{Error, Result};
use crate::model::{Component, Model, References};
use crate::rates::LeadState;
use crate::scalar::Scalar;

/// Which force–flux basis to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Representation {
    /// Seed's energy representation: J_E^λ with F_E^λ = β_ρ − β_λ, J_N^λ with
    /// F_N^λ = β_λ μ_λ − β_ρc μ_ρc. Depends on the energy origin.
    Energy,
    /// Origin-free heat representation: J_Q^λ with F_Q^λ = β_ρ − β_λ, J_N^λ with
    /// F_N^λ = β_λ (μ_λ − μ_ρc).
    Heat,
}

impl crate::error::Named for Representation {
    const WHAT: &'static str = "representation";
    const ALL: &'static [(Self, &'static str)] = &[
        (Representation::Energy, "energy"),
        (Representation::Heat, "heat"),
    ];
}

impl Representation {
    /// `energy` or `heat`.
    pub fn name(self) -> &'static str {
        match self {
            Representation::Energy => "energy",
            Representation::Heat => "heat",
        }
    }
}

impl std::str::FromStr for Representation {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        <Self as crate::error::Named>::from_name(text)
    }
}

/// Particle flux J_N, spin flux J_S = J_N↑ − J_N↓, or energy-like flux (J_E in the energy
/// representation, J_Q in the heat representation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FluxKind {
    Particle,
    Energy,
    Spin,
}

/// One force–flux pair, attached to a non-reference lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Force {
    pub kind: FluxKind,
    pub lead: usize,
}

/// The forces and fluxes of a model in one representation with given reference leads.
#[derive(Debug, Clone)]
pub struct ForceBasis {
    pub representation: Representation,
    pub references: References,
    pub components: Vec<Component>,
    /// Component index of every lead.
    pub component_of_lead: Vec<usize>,
    /// The independent forces, particle forces first.
    pub forces: Vec<Force>,
    /// Forces that vanish identically for this model (shared parameters), with their fluxes.
    pub dropped: Vec<Force>,
    /// Forces identical to a kept force for this reference choice (shared parameters: T_r =
    /// T_u = T makes F_E^r ≡ F_E^u when l is the energy reference), each with the index in
    /// `forces` of the force it is merged into. Σ̇ = Σ_λ F_λ J_λ then groups as
    /// F (J_a + J_b): the kept force's flux is the sum of the fluxes of its leads
    /// ([`ForceBasis::merged_with`]), so L of the merged basis is Pᵀ L P of the unmerged one.
    pub merged: Vec<(Force, usize)>,
    lead_names: Vec<String>,
}

impl ForceBasis {
    /// Identify forces and fluxes for `model`. `references` must name, for every component,
    /// a lead of that component.
    pub fn new(
        model: &Model,
        representation: Representation,
        references: References,
    ) -> Result<ForceBasis> {
        let components = model.components();
        let component_of_lead: Vec<usize> = (0..model.leads.len())
            .map(|l| Model::component_of_lead(&components, l))
            .collect();
        if references.energy >= model.leads.len() {
            return Err(Error::BadReference("energy reference is not a lead".into()));
        }
        for (c, comp) in components.iter().enumerate() {
            let rho = references.particles.get(c).copied();
            if !rho.is_some_and(|l| comp.leads.contains(&l)) {
                return Err(Error::BadReference(format!(
                    "the particle reference of component {} must be one of its leads ({})",
                    model.component_name(comp),
                    comp.leads
                        .iter()
                        .map(|&l| model.leads[l].name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        check_equilibrium_is_parametrisable(model, &components, &references)?;
        let temperature = |l: usize| model.leads[l].temperature;
        let potential = |l: usize| model.leads[l].chemical_potential;
        let mut forces = Vec::new();
        let mut dropped = Vec::new();
        // Particle forces: every non-reference lead of a component with two or more leads.
        for (lead, &c) in component_of_lead.iter().enumerate() {
            let rho_c = references.particles[c];
            if components[c].leads.len() < 2 || lead == rho_c {
                continue;
            }
            let vanishes = match representation {
                Representation::Energy => {
                    temperature(lead) == temperature(rho_c) && potential(lead) == potential(rho_c)
                }
                Representation::Heat => potential(lead) == potential(rho_c),
            };
            let force = Force {
                kind: FluxKind::Particle,
                lead,
            };
            if vanishes {
                dropped.push(force)
            } else {
                forces.push(force)
            }
        }
        // Spin forces: every non-reference lead of a component with two or more leads and a
        // spin-biased lead; dropped where the lead has no spin bias (F_S ≡ 0).
        let spin_bias = |l: usize| model.leads[l].spin_bias;
        for (c, comp) in components.iter().enumerate() {
            let rho_c = references.particles[c];
            if spin_bias(rho_c).is_some() {
                return Err(Error::BadReference(format!(
                    "lead {} is the particle reference of its component but has a spin bias; \
                     spin accumulation is measured against the reference, so choose a lead \
                     without spin bias as the reference (--reference, or \"reference\" in the \
                     model file)",
                    model.leads[rho_c].name
                )));
            }
            if comp.leads.len() < 2 || !comp.leads.iter().any(|&l| spin_bias(l).is_some()) {
                continue;
            }
            for &lead in comp.leads.iter().filter(|&&l| l != rho_c) {
                let force = Force {
                    kind: FluxKind::Spin,
                    lead,
                };
                if spin_bias(lead).is_some() {
                    forces.push(force)
                } else {
                    dropped.push(force)
                }
            }
        }
        // Energy (heat) forces: every lead but ρ.
        for lead in (0..model.leads.len()).filter(|&l| l != references.energy) {
            let force = Force {
                kind: FluxKind::Energy,
                lead,
            };
            if temperature(lead) == temperature(references.energy) {
                dropped.push(force)
            } else {
                forces.push(force)
            }
        }
        // Two kept forces that are the same function of the parameters (possible with a
        // non-default reference: T_r = T_u = T makes F_E^r ≡ F_E^u when l is the
        // reference) are not independent: the later one is merged into the first.
        let key = |f: &Force| -> (FluxKind, [usize; 4]) {
            let (l, r) = (f.lead, references.particles[component_of_lead[f.lead]]);
            let t = |l: usize| model.leads[l].temperature.0;
            let m = |l: usize| model.leads[l].chemical_potential.0;
            let s = |l: usize| model.leads[l].spin_bias.map_or(usize::MAX, |p| p.0);
            match (f.kind, representation) {
                (FluxKind::Energy, _) => (f.kind, [t(l), 0, 0, 0]),
                (FluxKind::Spin, Representation::Energy) => (f.kind, [t(l), s(l), 0, 0]),
                (FluxKind::Spin, Representation::Heat) => (f.kind, [t(l), s(l), 0, 0]),
                (FluxKind::Particle, Representation::Energy) => (f.kind, [t(l), m(l), t(r), m(r)]),
                (FluxKind::Particle, Representation::Heat) => (f.kind, [t(l), m(l), m(r), 0]),
            }
        };
        let mut kept: Vec<Force> = Vec::new();
        let mut merged = Vec::new();
        for force in forces {
            match kept.iter().position(|k| key(k) == key(&force)) {
                Some(into) => merged.push((force, into)),
                None => kept.push(force),
            }
        }
        let forces = kept;
        Ok(ForceBasis {
            representation,
            references,
            components,
            component_of_lead,
            forces,
            dropped,
            merged,
            lead_names: model.leads.iter().map(|l| l.name.clone()).collect(),
        })
    }

    /// Number of independent forces.
    pub fn len(&self) -> usize {
        self.forces.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forces.is_empty()
    }

    /// `force` and the forces merged into it (see [`ForceBasis::merged`]): the leads whose
    /// fluxes add up to its flux.
    pub fn merged_with<'a>(&'a self, force: &'a Force) -> impl Iterator<Item = Force> + 'a {
        let index = self.forces.iter().position(|f| f == force);
        std::iter::once(*force).chain(
            self.merged
                .iter()
                .filter(move |(_, into)| Some(*into) == index)
                .map(|(f, _)| *f),
        )
    }

    /// ρ_c of the component of `lead`.
    pub fn particle_reference(&self, lead: usize) -> usize {
        self.references.particles[self.component_of_lead[lead]]
    }

    fn symbol(&self, kind: FluxKind) -> &'static str {
        match (kind, self.representation) {
            (FluxKind::Particle, _) => "N",
            (FluxKind::Spin, _) => "S",
            (FluxKind::Energy, Representation::Energy) => "E",
            (FluxKind::Energy, Representation::Heat) => "Q",
        }
    }

    /// Flux name, e.g. `J_N^l`, `J_S^l`, `J_E^u`, `J_Q^l`; a merged flux names its leads joined
    /// by `+` (`J_E^r+u` = J_E^r + J_E^u, see [`ForceBasis::merged`]).
    pub fn flux_name(&self, force: &Force) -> String {
        let leads: Vec<&str> = self
            .merged_with(force)
            .map(|f| self.lead_names[f.lead].as_str())
            .collect();
        format!("J_{}^{}", self.symbol(force.kind), leads.join("+"))
    }

    /// The merged forces as (merged force, the kept force it is merged into), by name.
    pub fn merged_names(&self) -> Vec<(String, String)> {
        self.merged
            .iter()
            .map(|(f, into)| (self.force_name(f), self.force_name(&self.forces[*into])))
            .collect()
    }

    /// Force name, e.g. `F_N^l`, `F_S^l`, `F_E^u`, `F_Q^l`.
    pub fn force_name(&self, force: &Force) -> String {
        format!(
            "F_{}^{}",
            self.symbol(force.kind),
            self.lead_names[force.lead]
        )
    }

    /// Names of the independent forces, e.g. `F_N^l, F_E^l`, for messages.
    pub fn force_list(&self) -> String {
        self.forces
            .iter()
            .map(|f| self.force_name(f))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// F_j (docs/conventions.md, "Forces and fluxes", "Spin currents and spin forces"), for
    /// any number type: β_ρ − β_λ for an energy-like force; β_λ μ_λ − β_ρc μ_ρc (energy
    /// representation) or β_λ (μ_λ − μ_ρc) (heat representation) for a particle force; the
    /// same with ν = μ_s/2 for a spin force. `beta(λ)`, `mu(λ)`, `nu(λ)`: the state of lead λ,
    /// `nu(λ)` = (μ_λ↑ − μ_λ↓)/2 (zero without spin bias).
    pub fn force_of<S: Scalar>(
        &self,
        force: &Force,
        beta: impl Fn(usize) -> S,
        mu: impl Fn(usize) -> S,
        nu: impl Fn(usize) -> S,
    ) -> S {
        let (lead, reference) = (force.lead, self.particle_reference(force.lead));
        let potential = |kind: FluxKind, l: usize| match kind {
            FluxKind::Spin => nu(l),
            _ => mu(l),
        };
        match (force.kind, self.representation) {
            (FluxKind::Energy, _) => beta(self.references.energy) - beta(lead),
            (kind, Representation::Energy) => {
                beta(lead) * potential(kind, lead) - beta(reference) * potential(kind, reference)
            }
            (kind, Representation::Heat) => {
                beta(lead) * (potential(kind, lead) - potential(kind, reference))
            }
        }
    }

    /// The energy origin of the energy-like flux of `lead`: 0 in the energy representation,
    /// μ_ρc of its component in the heat representation (J_Q = J_E − μ_ρc J_N).
    pub fn energy_origin<S: Scalar>(&self, lead: usize, mu: impl Fn(usize) -> S) -> S {
        match self.representation {
            Representation::Energy => S::zero(),
            Representation::Heat => mu(self.particle_reference(lead)),
        }
    }

    /// J_j from the particle, spin and energy currents of its lead: J_N, J_S, J_E (energy
    /// representation) or J_Q = J_E − μ_ρc J_N (heat representation; ρ_c has no spin bias).
    pub fn flux_of<S: Scalar>(
        &self,
        force: &Force,
        mu: impl Fn(usize) -> S,
        particle: S,
        spin: S,
        energy: S,
    ) -> S {
        match (force.kind, self.representation) {
            (FluxKind::Particle, _) => particle,
            (FluxKind::Spin, _) => spin,
            (FluxKind::Energy, Representation::Energy) => energy,
            (FluxKind::Energy, Representation::Heat) => {
                energy - self.energy_origin(force.lead, mu) * particle
            }
        }
    }

    /// d_j(t): what one electron of spin σ = `spin` (+1, −1, or 0 for a spinless dot)
    /// entering the system from `lead` with energy `omega` adds to the flux of `force` —
    /// [`ForceBasis::flux_of`] of one particle, σ and ω, and 0 when the transition goes
    /// through another lead.
    pub fn transported<S: Scalar>(
        &self,
        force: &Force,
        lead: usize,
        omega: S,
        spin: f64,
        mu: impl Fn(usize) -> S,
    ) -> S {
        let sigma = if spin > 0.0 {
            S::one()
        } else if spin < 0.0 {
            S::zero() - S::one()
        } else {
            S::zero()
        };
        match self.merged_with(force).find(|f| f.lead == lead) {
            Some(f) => self.flux_of(&f, mu, S::one(), sigma, omega),
            None => S::zero(),
        }
    }

    /// Value of one force for lead states `leads`.
    pub(crate) fn force_value(&self, force: &Force, leads: &[LeadState]) -> f64 {
        self.force_of(
            force,
            |l| leads[l].beta,
            |l| leads[l].mu,
            |l| 0.5 * leads[l].spin_bias,
        )
    }

    /// Values of all independent forces.
    pub(crate) fn force_values(&self, leads: &[LeadState]) -> Vec<f64> {
        self.forces
            .iter()
            .map(|f| self.force_value(f, leads))
            .collect()
    }

    /// Value of the flux conjugate to `force`.
    pub(crate) fn flux_value(
        &self,
        force: &Force,
        leads: &[LeadState],
        currents: &[LeadCurrents],
    ) -> f64 {
        self.merged_with(force)
            .map(|f| {
                let c = currents[f.lead];
                self.flux_of(&f, |l| leads[l].mu, c.particle, c.spin, c.energy)
            })
            .sum()
    }

    /// Values of all fluxes, in the order of [`ForceBasis::forces`].
    pub(crate) fn flux_values(&self, leads: &[LeadState], currents: &[LeadCurrents]) -> Vec<f64> {
        self.forces
            .iter()
            .map(|f| self.flux_value(f, leads, currents))
            .collect()
    }

    /// The equilibrium of the README's Conventions ("Linear response") for the lead states `leads`: every
    /// lead at β_ρ, every lead of component c at μ_{ρ_c}.
    pub(crate) fn equilibrium(&self, leads: &[LeadState]) -> Vec<LeadState> {
        let beta = leads[self.references.energy].beta;
        (0..leads.len())
            .map(|l| LeadState {
                beta,
                mu: leads[self.particle_reference(l)].mu,
                spin_bias: leads[self.particle_reference(l)].spin_bias,
            })
            .collect()
    }

    /// Lead states at forces `forces` around the equilibrium `equilibrium`, holding fixed
    /// β_ρ and, per component, β_ρ μ_{ρ_c} (energy representation) or μ_{ρ_c} (heat
    /// representation). Inverts [`ForceBasis::force_values`].
    pub(crate) fn leads_at_forces(
        &self,
        equilibrium: &[LeadState],
        forces: &[f64],
    ) -> Vec<LeadState> {
        let mut leads = equilibrium.to_vec();
        let beta_rho = equilibrium[self.references.energy].beta;
        for (force, &value) in self.forces.iter().zip(forces) {
            if force.kind == FluxKind::Energy {
                for f in self.merged_with(force) {
                    leads[f.lead].beta = beta_rho - value;
                }
            }
        }
        let force_on = |kind: FluxKind, lead: usize| {
            self.forces
                .iter()
                .zip(forces)
                .find(|(force, _)| {
                    force.kind == kind && self.merged_with(force).any(|f| f.lead == lead)
                })
                .map_or(0.0, |(_, &v)| v)
        };
        // Solve F = β_λ x_λ − β_ρ x_c (energy) or β_λ (x_λ − x_c) (heat) for x_λ = μ_λ or ν_λ.
        let potential = |x_c: f64, force: f64, beta: f64| match self.representation {
            Representation::Energy => (beta_rho * x_c + force) / beta,
            Representation::Heat => x_c + force / beta,
        };
        for (l, state) in leads.iter_mut().enumerate() {
            let reference = equilibrium[self.particle_reference(l)];
            state.mu = potential(reference.mu, force_on(FluxKind::Particle, l), state.beta);
            let spin = force_on(FluxKind::Spin, l);
            if spin != 0.0 || reference.spin_bias != 0.0 {
                let nu = potential(0.5 * reference.spin_bias, spin, state.beta);
                state.spin_bias = 2.0 * nu;
            }
        }
        leads
    }
}

/// Σ̇ = −Σ_λ β_λ J_Q^λ with the per-lead J_Q^λ = J_E^λ − μ_λ J_N^λ (the README's Conventions; seed eq. 27
/// corrected: β_λ μ_λ, not β_λ/μ_λ).
pub(crate) fn entropy_production(leads: &[LeadState], currents: &[LeadCurrents]) -> f64 {
    -leads
        .iter()
        .zip(currents)
        .map(|(lead, c)| lead.beta * c.heat)
        .sum::<f64>()
}

/// Σ̇ = Σ_i F_i J_i.
pub fn entropy_production_from_forces(forces: &[f64], fluxes: &[f64]) -> f64 {
    forces.iter().zip(fluxes).map(|(f, j)| f * j).sum()
}

/// The equilibrium gives every μ parameter the value of its component's reference μ. A μ
/// parameter shared by leads of components with different reference μ parameters would
/// need two values at once; reject such a model (or reference choice) with the fix.
fn check_equilibrium_is_parametrisable(
    model: &Model,
    components: &[Component],
    references: &References,
) -> Result<()> {
    let mut source = std::collections::HashMap::new();
    for (c, comp) in components.iter().enumerate() {
        let target = model.leads[references.particles[c]].chemical_potential;
        for &l in &comp.leads {
            let mu = model.leads[l].chemical_potential;
            if let Some(previous) = source.insert(mu, target)
                && previous != target
            {
                return Err(Error::InvalidModel {
                    model: model.name.clone(),
                    reason: format!(
                        "chemical potential {} is shared by leads of different conserved \
                         components, whose equilibria would give it two values; use one \
                         parameter per component",
                        model.param_name(mu)
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Parameter values at the equilibrium of the point `values`: each lead's temperature
/// parameter set to T_ρ, each chemical potential to μ_{ρ_c} of its component, each spin
/// bias to 0.
pub fn equilibrium_parameters(model: &Model, basis: &ForceBasis, values: &[f64]) -> Vec<f64> {
    let mut equilibrium = values.to_vec();
    let t_rho = values[model.leads[basis.references.energy].temperature.0];
    for (l, lead) in model.leads.iter().enumerate() {
        equilibrium[lead.temperature.0] = t_rho;
        let rho_c = basis.particle_reference(l);
        equilibrium[lead.chemical_potential.0] = values[model.leads[rho_c].chemical_potential.0];
        if let Some(bias) = lead.spin_bias {
            // ρ_c carries no spin bias (ForceBasis::new): μ_s = 0 at equilibrium.
            equilibrium[bias.0] = 0.0;
        }
    }
    equilibrium
}

/// Reference leads: the model's defaults, changed by `energy=LEAD`, `DOT=LEAD` (the
/// component of DOT) or a bare `LEAD` (energy and its own component).
pub fn choose_references<S: AsRef<str>>(model: &Model, choices: &[S]) -> Result<References> {
    let mut references = model.default_references();
    let components = model.components();
    let lead = |name: &str| {
        model.lead_index(name).ok_or_else(|| {
            Error::BadReference(format!(
                "no lead '{name}'; leads are: {}",
                model.lead_names()
            ))
        })
    };
    for choice in choices {
        let choice = choice.as_ref();
        match choice.split_once('=') {
            None => {
                let l = lead(choice)?;
                references.energy = l;
                references.particles[Model::component_of_lead(&components, l)] = l;
            }
            Some(("energy", name)) => references.energy = lead(name)?,
            Some((dot, name)) => {
                let d = model.dot_index(dot).ok_or_else(|| {
                    Error::BadReference(format!(
                        "'{dot}' is neither 'energy' nor a dot; dots are: {}",
                        model
                            .dots
                            .iter()
                            .map(|d| d.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?;
                let c = components
                    .iter()
                    .position(|c| c.dots.contains(&d))
                    .ok_or_else(|| Error::BadReference(format!("dot '{dot}' has no lead")))?;
                references.particles[c] = lead(name)?;
            }
        }
    }
    Ok(references)
}
