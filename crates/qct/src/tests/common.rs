//! Shared helpers of the library's cross-checks: models and parameter points (`points.rs`,
//! shared with the command line's tests), the device and steady state of a point, the
//! Onsager matrix with its diagnostics, an independent route from forces to parameter values
//! and from currents to fluxes, and small linear-algebra checks.

use crate::currents::{LeadCurrents, steady_currents};
use crate::model::builtin::builtin;
use crate::model::json::{from_file, from_json};
use crate::model::{Model, References, Role};
use crate::onsager::{Onsager, onsager};
use crate::rates::Device;
use crate::steady_state::SteadyState;
use crate::thermo::{FluxKind, ForceBasis, Representation, equilibrium_parameters};
use nalgebra::DMatrix;

include!("points.rs");

pub(crate) fn solve(model: &Model, values: &[f64]) -> (Device, SteadyState, Vec<LeadCurrents>) {
    let device = Device::new(model, values).expect("valid point");
    let (steady, currents) = steady_currents(&device).expect("unique steady state");
    (device, steady, currents)
}

/// The Onsager matrix at the equilibrium of the point `values`, with the equilibrium
/// parameter values.
pub(crate) fn onsager_at(model: &Model, values: &[f64], basis: &ForceBasis) -> (Vec<f64>, Onsager) {
    let eq = equilibrium_parameters(model, basis, values);
    let device = Device::new(model, &eq).expect("valid equilibrium");
    (eq, onsager(&device, basis).expect("Onsager matrix"))
}

/// Index of the particle reference lead ρ_c of `lead`'s component under `refs`.
pub(crate) fn particle_reference(model: &Model, refs: &References, lead: usize) -> usize {
    let comps = model.components();
    let c = comps.iter().position(|c| c.leads.contains(&lead)).unwrap();
    refs.particles[c]
}

/// Parameter values at forces `forces` around the equilibrium values `eq`, written
/// directly from the force definitions of the README's Conventions (independently of
/// `ForceBasis::leads_at_forces`):
/// energy representation β_λ = β_ρ − F_E^λ, β_λ μ_λ = β_ρ μ_ρc + F_N^λ;
/// heat representation β_λ = β_ρ − F_Q^λ, μ_λ = μ_ρc + F_N^λ / β_λ.
/// Panics if two leads sharing a parameter would need different values.
pub(crate) fn values_at_forces(
    model: &Model,
    basis: &ForceBasis,
    eq: &[f64],
    forces: &[f64],
) -> Vec<f64> {
    let refs = &basis.references;
    let rho = refs.energy;
    let beta_rho = 1.0 / eq[model.leads[rho].temperature.0];
    let mut v = eq.to_vec();
    let mut assigned: Vec<Option<f64>> = vec![None; v.len()];
    let mut assign = |v: &mut Vec<f64>, p: usize, x: f64| {
        if let Some(old) = assigned[p] {
            assert!(
                (old - x).abs() <= 1e-15 * old.abs().max(x.abs()),
                "shared parameter {} would need two values",
                model.parameters[p].name
            );
        }
        assigned[p] = Some(x);
        v[p] = x;
    };
    let force_of = |kind: FluxKind, lead: usize| {
        basis
            .forces
            .iter()
            .zip(forces)
            .find(|(f, _)| f.kind == kind && f.lead == lead)
            .map_or(0.0, |(_, &x)| x)
    };
    for (l, lead) in model.leads.iter().enumerate() {
        let rho_c = particle_reference(model, refs, l);
        let mu_c = eq[model.leads[rho_c].chemical_potential.0];
        let beta = beta_rho - force_of(FluxKind::Energy, l);
        let f_n = force_of(FluxKind::Particle, l);
        let mu = match basis.representation {
            Representation::Energy => (beta_rho * mu_c + f_n) / beta,
            Representation::Heat => mu_c + f_n / beta,
        };
        assign(&mut v, lead.temperature.0, 1.0 / beta);
        assign(&mut v, lead.chemical_potential.0, mu);
    }
    v
}

/// Fluxes of `basis` computed from the lead currents by their definitions:
/// J_N^λ; J_E^λ (energy representation) or J_Q^λ = J_E^λ − μ_ρc J_N^λ (heat).
pub(crate) fn fluxes(
    model: &Model,
    basis: &ForceBasis,
    values: &[f64],
    currents: &[LeadCurrents],
) -> Vec<f64> {
    basis
        .forces
        .iter()
        .map(|f| {
            let c = currents[f.lead];
            match (f.kind, basis.representation) {
                (FluxKind::Particle, _) => c.particle,
                (FluxKind::Spin, _) => c.spin,
                (FluxKind::Energy, Representation::Energy) => c.energy,
                (FluxKind::Energy, Representation::Heat) => {
                    let rho_c = particle_reference(model, &basis.references, f.lead);
                    c.energy - values[model.leads[rho_c].chemical_potential.0] * c.particle
                }
            }
        })
        .collect()
}

/// Steady-state fluxes at forces `forces` around `eq` (independent route).
pub(crate) fn fluxes_at_forces(
    model: &Model,
    basis: &ForceBasis,
    eq: &[f64],
    forces: &[f64],
) -> Vec<f64> {
    let v = values_at_forces(model, basis, eq, forces);
    let (_, _, currents) = solve(model, &v);
    fluxes(model, basis, &v, &currents)
}

/// max |a − b| / max(|a|, |b|) over all entries.
pub(crate) fn rel_diff(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    let scale = a.amax().max(b.amax());
    if scale == 0.0 {
        0.0
    } else {
        (a - b).amax() / scale
    }
}

pub(crate) fn vec_max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// Names of the forces of a basis.
pub(crate) fn force_names(basis: &ForceBasis) -> Vec<String> {
    basis.forces.iter().map(|f| basis.force_name(f)).collect()
}

pub(crate) fn flux_names(basis: &ForceBasis) -> Vec<String> {
    basis.forces.iter().map(|f| basis.flux_name(f)).collect()
}

/// f(x) = 1/(1 + eˣ), written naively for moderate x.
pub(crate) fn fermi_naive(x: f64) -> f64 {
    1.0 / (1.0 + x.exp())
}
