//! Shared helpers of the numeric integration tests: models and parameter points, an
//! independent route from forces to parameter values and from currents to fluxes, and
//! small linear-algebra checks.

use nalgebra::DMatrix;
use qct::model::{Model, References, Role, builtin::builtin, json::from_json};
use qct::pipeline::Device;
use qct::pipeline::SteadyState;
use qct::pipeline::{LeadCurrents, steady_currents};
use qct::pipeline::{Onsager, onsager};
use qct::thermo::{FluxKind, ForceBasis, Representation, equilibrium_parameters};

pub const BUILTINS: [&str; 6] = ["sqd", "cqd", "sb", "icc", "anderson", "zeeman_dot"];
pub const REPRESENTATIONS: [Representation; 2] = [Representation::Energy, Representation::Heat];

/// A two-terminal capacitively coupled double dot (both dots on l and r, attractive U,
/// occupation-dependent rates): one conserved component whose leads couple to two dots.
/// Not a built-in; it exercises multi-dot couplings in the same checks as the built-ins.
pub const DOUBLE_DOT_JSON: &str = r#"{
  "name": "dd2",
  "parameters": {"e1": 0.4, "e2": -0.3, "U": -1.2, "gl1": 1.0, "gr1": 0.4,
                 "gl2a": 0.3, "gl2b": 0.9, "gr2": 1.1, "T_l": 1.4, "T_r": 1.0,
                 "mu_l": 0.25, "mu_r": -0.1},
  "dots": [{"name": "d1", "energy": "e1"}, {"name": "d2", "energy": "e2"}],
  "interactions": [{"dots": ["d1", "d2"], "U": "U"}],
  "leads": [
    {"name": "l", "temperature": "T_l", "chemical_potential": "mu_l",
     "couplings": [{"dot": "d1", "rate": "gl1"},
                   {"dot": "d2", "rate": {"depends_on": ["d1"], "values": {"0": "gl2a", "1": "gl2b"}}}]},
    {"name": "r", "temperature": "T_r", "chemical_potential": "mu_r",
     "couplings": [{"dot": "d1", "rate": "gr1"}, {"dot": "d2", "rate": "gr2"}]}
  ]
}"#;

pub fn model(name: &str) -> Model {
    match name {
        "dd2" => from_json(DOUBLE_DOT_JSON, "dd2 (test)").expect("test model is valid"),
        _ => builtin(name).expect("built-in exists"),
    }
}

pub fn param(model: &Model, name: &str) -> usize {
    model
        .param(name)
        .unwrap_or_else(|| panic!("model {} has no parameter {name}", model.name))
        .0
}

/// Defaults of `model` with some parameters overridden.
pub fn values(model: &Model, set: &[(&str, f64)]) -> Vec<f64> {
    let mut v = model.defaults();
    for &(name, value) in set {
        v[param(model, name)] = value;
    }
    model.complete(&v)
}

/// Deterministic xorshift64* generator (no dev-dependency needed).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        lo + (hi - lo) * (bits as f64 / (1u64 << 53) as f64)
    }
}

/// A random-ish parameter point: energies (levels and interactions, either sign) in
/// [−2, 2], rates in [0.1, 2], temperatures in [0.5, 3], chemical potentials in [−1, 1],
/// pure numbers (polarisations) in [−0.9, 0.9]; with the derived quantities.
pub fn random_values(model: &Model, rng: &mut Rng) -> Vec<f64> {
    let free: Vec<f64> = model
        .parameters
        .iter()
        .map(|p| match p.role {
            Role::Energy => rng.uniform(-2.0, 2.0),
            Role::Rate => rng.uniform(0.1, 2.0),
            Role::Temperature => rng.uniform(0.5, 3.0),
            Role::ChemicalPotential => rng.uniform(-1.0, 1.0),
            Role::Dimensionless => rng.uniform(-0.9, 0.9),
        })
        .collect();
    model.complete(&free)
}

/// Number of random points per model in [`points`].
pub const RANDOM_POINTS: usize = 12;

/// Parameter points of every model: the defaults, hand-picked points (attractive
/// interactions, κ_s ≠ 0 for icc, levels below μ) and [`RANDOM_POINTS`] random ones.
pub fn points(name: &str) -> Vec<Vec<f64>> {
    let m = model(name);
    let mut pts = vec![m.defaults()];
    let hand: Vec<Vec<(&str, f64)>> = match name {
        "sqd" => vec![
            vec![("eps", -0.7), ("mu_l", -0.3), ("mu_r", 0.4), ("T_l", 0.6)],
            vec![
                ("eps", 2.5),
                ("gamma_l", 0.05),
                ("gamma_r", 3.0),
                ("T_r", 2.0),
            ],
        ],
        "cqd" => vec![
            vec![("kappa", -2.0), ("eps_b", 0.7), ("mu_u", 0.3), ("T_u", 0.8)],
            vec![
                ("kappa", -0.5),
                ("eps_b", -0.4),
                ("eps_u", 1.2),
                ("mu_r", 0.5),
            ],
        ],
        "sb" => vec![
            vec![("kappa", -1.5), ("eps_b", 0.3), ("mu_l", 0.4), ("T_u", 0.7)],
            vec![("kappa", 2.0), ("eps_u", -1.0), ("gamma_u1", 0.3)],
        ],
        "icc" => vec![
            vec![("kappa_s", -0.6), ("kappa_c", 1.2), ("eps_b", -0.3)],
            vec![
                ("kappa_s", 0.8),
                ("kappa_c", -1.0),
                ("T_l", 0.7),
                ("mu_u", -0.4),
            ],
        ],
        "anderson" => vec![
            vec![("U", -1.0), ("eps", 0.3), ("mu_l", -0.2)],
            vec![("U", 4.0), ("eps", -1.5), ("gamma_l", 0.3), ("T_l", 0.8)],
        ],
        "dd2" => vec![vec![("U", 1.5), ("e2", 0.9), ("T_l", 0.7)]],
        "zeeman_dot" => vec![
            vec![("B", 1.3), ("p_l", -0.6), ("mu_l", -0.2)],
            vec![("B", -0.8), ("p_l", 0.9), ("U", -1.0), ("T_l", 0.8)],
        ],
        _ => unreachable!(),
    };
    for set in hand {
        pts.push(values(&m, &set));
    }
    let mut rng = Rng::new(name.bytes().fold(7, |h, b| h * 31 + b as u64));
    for _ in 0..RANDOM_POINTS {
        pts.push(random_values(&m, &mut rng));
    }
    pts
}

pub fn basis(model: &Model, representation: Representation) -> ForceBasis {
    ForceBasis::new(model, representation, model.default_references()).expect("force basis")
}

pub fn solve(model: &Model, values: &[f64]) -> (Device, SteadyState, Vec<LeadCurrents>) {
    let device = Device::new(model, values).expect("valid point");
    let (steady, currents) = steady_currents(&device).expect("unique steady state");
    (device, steady, currents)
}

/// The Onsager matrix at the equilibrium of the point `values`, with the equilibrium
/// parameter values.
pub fn onsager_at(model: &Model, values: &[f64], basis: &ForceBasis) -> (Vec<f64>, Onsager) {
    let eq = equilibrium_parameters(model, basis, values);
    let device = Device::new(model, &eq).expect("valid equilibrium");
    (eq, onsager(&device, basis).expect("Onsager matrix"))
}

/// Index of the particle reference lead ρ_c of `lead`'s component under `refs`.
pub fn particle_reference(model: &Model, refs: &References, lead: usize) -> usize {
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
pub fn values_at_forces(model: &Model, basis: &ForceBasis, eq: &[f64], forces: &[f64]) -> Vec<f64> {
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
pub fn fluxes(
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
pub fn fluxes_at_forces(model: &Model, basis: &ForceBasis, eq: &[f64], forces: &[f64]) -> Vec<f64> {
    let v = values_at_forces(model, basis, eq, forces);
    let (_, _, currents) = solve(model, &v);
    fluxes(model, basis, &v, &currents)
}

/// max |a − b| / max(|a|, |b|) over all entries.
pub fn rel_diff(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    let scale = a.amax().max(b.amax());
    if scale == 0.0 {
        0.0
    } else {
        (a - b).amax() / scale
    }
}

pub fn vec_max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// Names of the forces of a basis.
pub fn force_names(basis: &ForceBasis) -> Vec<String> {
    basis.forces.iter().map(|f| basis.force_name(f)).collect()
}

pub fn flux_names(basis: &ForceBasis) -> Vec<String> {
    basis.forces.iter().map(|f| basis.flux_name(f)).collect()
}

/// f(x) = 1/(1 + eˣ), written naively for moderate x.
pub fn fermi_naive(x: f64) -> f64 {
    1.0 / (1.0 + x.exp())
}
