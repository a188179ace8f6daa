//! The exact oracle ([`crate::exact`]) against the f64 pipeline, on random *rational* instances of
//! every built-in model and every JSON example.
//!
//! A rational instance is a genuine physical point whose Pauli problem is entirely rational:
//! energies and chemical potentials are multiples of 1/4, bare rates small fractions, and every
//! temperature is T = 1/(q ln r) with q ∈ {4, 8} and r ∈ {2, 3, 3/2, 5/4}, so that the
//! Boltzmann factor e^{−β(ω−μ)} = r^{−q(ω−μ)} is rational (q(ω − μ) is an integer). The f64
//! solver gets the same point as f64 parameter values (and evaluates the Fermi functions in
//! f64); the oracle gets the exact Fermi factors 1/(1 + r^{q(ω−μ)}).
//!
//! Checked, per model, instance and representation:
//! * exact identities (asserted as equalities of rationals): W p = 0, Σ p = 1, p > 0,
//!   Σ_λ J_E^λ = 0, Σ_{λ∈c} J_N^λ = 0 per component; at equilibrium detailed balance, the
//!   Gibbs state p_k ∝ r^{−q(E_k − Σ_α μ_c(α) n_α)}, vanishing currents, L = Lᵀ, L positive
//!   semidefinite, L_heat = M L_energy Mᵀ, det L = 0 for one dot (tight coupling);
//! * agreement of the f64 solver with the oracle: GTH steady state (relative to max p),
//!   currents (relative to the lead's gross exchange), `onsager::linear_response` (relative
//!   to max |L|), all ≤ 1e-12;
//!
//! `qct solve --exact` against `qct solve` is checked in the command line's tests
//! (`crates/qct-cli/tests/exact.rs`), on the same models.

#![allow(clippy::needless_range_loop)] // index loops mirror the matrix formulas

use crate::currents::steady_currents;
use crate::exact::{
    self, ExactPauli, Rational, fermi_from_boltzmann, fermi_from_gibbs, ratio, rational, to_f64,
};
use crate::model::{Model, Role, builtin, json};
use crate::network::cycle_onsager;
use crate::onsager::linear_response;
use crate::rates::Device;
use crate::spectrum::occupation;
use crate::steady_state::steady_state;
use crate::thermo::{FluxKind, ForceBasis, Representation, equilibrium_parameters};
use num_traits::{One, Signed, Zero};

include!("exact_models.rs");

/// Bound asserted for `onsager::linear_response` (the 1e-12 relative to max |L|).
/// An earlier LU solve of W₀ p₁ = −dW p₀ lost up to 9.8e-8 here (sb at T = 1/(8 ln 3),
/// eps_b = 1.5, eps_u = −0.5, kappa = 0.5, μ = −0.75; Fermi factors down to 3e-11); the cycle
/// formula with Kron-reduced spanning trees (and the cancellation-free nodal reduction for
/// large networks) meets the bound with the test's instances at ~3e-15.
const LINEAR_RESPONSE_TOL: f64 = 1e-12;
/// Random instances per model.
const INSTANCES: usize = 40;

/// T = 1/(q ln r): e^{−β x} = r^{−q x}.
#[derive(Debug, Clone)]
struct RationalTemperature {
    q: i64,
    r: (i64, i64),
}

impl RationalTemperature {
    fn value(&self) -> f64 {
        1.0 / (self.q as f64 * (self.r.0 as f64 / self.r.1 as f64).ln())
    }

    /// (f, 1 − f) at ω − μ = `x` exactly: b = r^{−q x}, f = b/(1 + b).
    fn fermi(&self, x: &Rational) -> (Rational, Rational) {
        let n = x * Rational::from_integer(self.q.into());
        assert!(n.is_integer(), "q (ω − μ) = {n} is not an integer");
        let n: i32 = n.to_integer().try_into().unwrap();
        fermi_from_boltzmann(&ratio(self.r.0, self.r.1).pow(-n))
    }

    /// r^{−q x}, exactly.
    fn boltzmann(&self, x: &Rational) -> Rational {
        let n = x * Rational::from_integer(self.q.into());
        assert!(n.is_integer());
        ratio(self.r.0, self.r.1).pow(-i32::try_from(n.to_integer()).unwrap())
    }
}

/// A rational point of a model: exact values (temperatures: the exact value of their f64),
/// the f64 values the f64 solver gets, and the rational temperature of each T parameter.
#[derive(Debug, Clone)]
struct Instance {
    exact: Vec<Rational>,
    float: Vec<f64>,
    temperatures: Vec<Option<RationalTemperature>>,
}

fn random_instance(model: &Model, rng: &mut Rng) -> Instance {
    let mut exact = Vec::new();
    let mut temperatures = Vec::new();
    for p in &model.parameters {
        let (value, temperature) = match p.role {
            // B enters as B/2 (zeeman_dot): halves keep the levels on the quarter grid.
            Role::Energy if p.name == "B" => (ratio(rng.int(-3, 3), 2), None),
            Role::Energy => (ratio(rng.int(-6, 6), 4), None),
            // A spin bias μ_s enters as μ_s/2: halves keep μ_σ on the quarter grid.
            Role::ChemicalPotential
                if model
                    .leads
                    .iter()
                    .any(|l| l.spin_bias.is_some_and(|b| model.param_name(b) == p.name)) =>
            {
                (ratio(rng.int(-2, 2), 2), None)
            }
            Role::ChemicalPotential => (ratio(rng.int(-4, 4), 4), None),
            Role::Rate => (ratio(rng.int(1, 9), rng.pick(&[1, 2, 3, 4, 5, 7])), None),
            Role::Dimensionless => (ratio(rng.int(-3, 3), 4), None),
            Role::Temperature => {
                let t = RationalTemperature {
                    q: rng.pick(&[4, 8]),
                    r: rng.pick(&[(2, 1), (3, 1), (3, 2), (5, 4)]),
                };
                (rational(t.value()).unwrap(), Some(t))
            }
        };
        exact.push(value);
        temperatures.push(temperature);
    }
    // Derived quantities (zeeman_dot's levels and rates), exactly.
    let exact = crate::exact::derived::complete(model, &exact).expect("rational expressions");
    temperatures.resize(exact.len(), None);
    let float = exact.iter().map(to_f64).collect();
    Instance {
        exact,
        float,
        temperatures,
    }
}

/// The exact Fermi factors of every transition of `device` at the instance.
fn exact_fermi(model: &Model, device: &Device, instance: &Instance) -> Vec<(Rational, Rational)> {
    let energies = exact::energies(model, &instance.exact);
    device
        .transitions
        .iter()
        .map(|t| {
            let lead = &model.leads[t.lead];
            let temperature = instance.temperatures[lead.temperature.0].as_ref().unwrap();
            let omega = &energies[t.to] - &energies[t.from];
            // The transition energies are exact in f64 too (sums of quarters).
            assert_eq!(to_f64(&omega), t.omega);
            // μ_σ = μ + σ μ_s/2 for a spin-biased lead (examples/spin_seebeck.json).
            let mut mu = instance.exact[lead.chemical_potential.0].clone();
            if let Some(bias) = lead.spin_bias {
                let half = &instance.exact[bias.0] / Rational::from_integer(2.into());
                if t.spin > 0.0 {
                    mu += half;
                } else if t.spin < 0.0 {
                    mu -= half;
                }
            }
            temperature.fermi(&(omega - mu))
        })
        .collect()
}

/// The instance at the equilibrium of `basis`, mirroring `thermo::equilibrium_parameters`.
fn equilibrium_instance(model: &Model, basis: &ForceBasis, instance: &Instance) -> Instance {
    let mut eq = instance.clone();
    let rho = &model.leads[basis.references.energy];
    for (l, lead) in model.leads.iter().enumerate() {
        eq.temperatures[lead.temperature.0] = instance.temperatures[rho.temperature.0].clone();
        eq.exact[lead.temperature.0] = instance.exact[rho.temperature.0].clone();
        let rho_c = &model.leads[basis.particle_reference(l)];
        eq.exact[lead.chemical_potential.0] = instance.exact[rho_c.chemical_potential.0].clone();
        if let Some(bias) = lead.spin_bias {
            eq.exact[bias.0] = Rational::zero();
        }
    }
    eq.float = equilibrium_parameters(model, basis, &instance.float);
    for (a, b) in eq.exact.iter().zip(&eq.float) {
        assert_eq!(to_f64(a), *b, "equilibrium parameters differ");
    }
    eq
}

/// Exact positive semidefiniteness of a symmetric rational matrix (symmetric elimination
/// with diagonal pivoting; a zero diagonal entry needs a zero row).
fn positive_semidefinite(mut a: Vec<Vec<Rational>>) -> bool {
    let n = a.len();
    for k in 0..n {
        if (k..n).any(|i| a[i][i].is_negative()) {
            return false;
        }
        match (k..n).find(|&i| a[i][i].is_positive()) {
            None => return (k..n).all(|i| (k..n).all(|j| a[i][j].is_zero())),
            Some(i) => {
                a.swap(k, i);
                for row in a.iter_mut() {
                    row.swap(k, i);
                }
            }
        }
        for i in k + 1..n {
            let factor = &a[i][k] / &a[k][k];
            for j in k..n {
                let delta = &factor * &a[k][j];
                a[i][j] -= delta;
            }
        }
    }
    true
}

fn determinant(mut a: Vec<Vec<Rational>>) -> Rational {
    let n = a.len();
    let mut det = Rational::one();
    for k in 0..n {
        let Some(i) = (k..n).find(|&i| !a[i][k].is_zero()) else {
            return Rational::zero();
        };
        if i != k {
            a.swap(i, k);
            det = -det;
        }
        det *= &a[k][k];
        for i in k + 1..n {
            let factor = &a[i][k] / &a[k][k];
            for j in k..n {
                let delta = &factor * &a[k][j];
                a[i][j] -= delta;
            }
        }
    }
    det
}

/// Worst deviations seen, for the printed summary.
#[derive(Debug, Default)]
struct Worst {
    probability: f64,
    probability_entrywise: f64,
    current: f64,
    onsager: f64,
    cycle: f64,
    /// What `check_linear_response` asserts for `onsager::linear_response`.
    linear_response_tolerance: f64,
}

/// Steady state and currents of one instance, away from equilibrium.
fn check_steady_state(model: &Model, instance: &Instance, worst: &mut Worst) {
    let device = Device::new(model, &instance.float).unwrap();
    let fermi = exact_fermi(model, &device, instance);
    let pauli = ExactPauli::new(model, &device, &instance.exact, fermi).unwrap();
    let p = pauli.steady_state().unwrap();
    // Exact identities.
    assert!(pauli.balance(&p).iter().all(Zero::is_zero), "W p ≠ 0");
    assert_eq!(p.iter().sum::<Rational>(), Rational::one(), "Σ p ≠ 1");
    assert!(p.iter().all(Signed::is_positive), "p not positive");
    let currents = pauli.currents(model.leads.len(), &p);
    assert!(
        currents
            .iter()
            .map(|c| &c.energy)
            .sum::<Rational>()
            .is_zero(),
        "Σ J_E ≠ 0"
    );
    for comp in model.components() {
        let net: Rational = comp.leads.iter().map(|&l| &currents[l].particle).sum();
        assert!(net.is_zero(), "Σ_c J_N ≠ 0");
    }
    // The f64 solver.
    let (steady, f64_currents) = steady_currents(&device).unwrap();
    let p_max = p.iter().map(to_f64).fold(0.0, f64::max);
    for (exact_p, &float_p) in p.iter().zip(&steady.probabilities) {
        let e = to_f64(exact_p);
        worst.probability = worst.probability.max(relative(e, float_p, p_max));
        worst.probability_entrywise = worst.probability_entrywise.max(relative(e, float_p, e));
    }
    for (c, f) in currents.iter().zip(&f64_currents) {
        let n = relative(to_f64(&c.particle), f.particle, to_f64(&c.gross_particle));
        let e = relative(to_f64(&c.energy), f.energy, to_f64(&c.gross_energy));
        worst.current = worst.current.max(n).max(e);
    }
    assert!(
        worst.probability <= RTOL && worst.current <= RTOL,
        "{}: f64 and exact steady state differ: {worst:?}",
        model.name
    );
}

/// Linear response at the equilibrium of `basis`; returns the exact L.
fn check_linear_response(
    model: &Model,
    basis: &ForceBasis,
    instance: &Instance,
    worst: &mut Worst,
) -> Vec<Vec<Rational>> {
    let eq = equilibrium_instance(model, basis, instance);
    let device = Device::new(model, &eq.float).unwrap();
    let fermi = exact_fermi(model, &device, &eq);
    let pauli = ExactPauli::new(model, &device, &eq.exact, fermi).unwrap();
    let p0 = pauli.steady_state().unwrap();
    // Equilibrium: detailed balance, the Gibbs state, no currents.
    assert!(pauli.detailed_balance(&p0), "no detailed balance");
    let components = model.components();
    let temperature = eq.temperatures[model.leads[basis.references.energy].temperature.0]
        .clone()
        .unwrap();
    let gibbs: Vec<Rational> = (0..device.n_states)
        .map(|k| {
            let mut x = pauli.energies[k].clone();
            for (c, comp) in components.iter().enumerate() {
                let mu_c = &eq.exact[model.leads[basis.references.particles[c]]
                    .chemical_potential
                    .0];
                for &d in &comp.dots {
                    if occupation(k, d) == 1 {
                        x -= mu_c;
                    }
                }
            }
            temperature.boltzmann(&x)
        })
        .collect();
    let z: Rational = gibbs.iter().sum();
    for (p, x) in p0.iter().zip(&gibbs) {
        assert_eq!(
            *p,
            x / &z,
            "{}: equilibrium is not the Gibbs state",
            model.name
        );
    }
    assert!(
        pauli
            .currents(model.leads.len(), &p0)
            .iter()
            .all(|c| c.particle.is_zero() && c.energy.is_zero())
    );
    let mu: Vec<Rational> = model
        .leads
        .iter()
        .map(|l| eq.exact[l.chemical_potential.0].clone())
        .collect();
    let l = pauli.linear_response(basis, &mu).unwrap();
    let m = l.len();
    for i in 0..m {
        for j in 0..m {
            assert_eq!(l[i][j], l[j][i], "{}: L not symmetric", model.name);
        }
    }
    assert!(
        positive_semidefinite(l.clone()),
        "{}: L not PSD",
        model.name
    );
    if model.dots.len() == 1 {
        assert!(determinant(l.clone()).is_zero(), "one dot: det L ≠ 0");
    }
    // The f64 routes: linear response, and the cycle (Kirchhoff) formula.
    let float_l = linear_response(&device, basis).unwrap();
    let cycle_l = cycle_onsager(&device, basis).unwrap();
    let scale = l
        .iter()
        .flatten()
        .map(|x| to_f64(x).abs())
        .fold(0.0, f64::max);
    for i in 0..m {
        for j in 0..m {
            let e = to_f64(&l[i][j]);
            worst.onsager = worst.onsager.max(relative(e, float_l[(i, j)], scale));
            worst.cycle = worst.cycle.max(relative(e, cycle_l[(i, j)], scale));
        }
    }
    assert!(
        worst.onsager <= worst.linear_response_tolerance,
        "{} ({}): f64 linear response and exact L differ by {:e}",
        model.name,
        basis.representation.name(),
        worst.onsager,
    );
    l
}

/// L_heat = M L_energy Mᵀ with J_Q^λ = J_E^λ − μ_ρc J_N^λ, exactly, when both
/// representations keep the same forces.
fn check_representations(
    model: &Model,
    energy: (&ForceBasis, &[Vec<Rational>]),
    heat: (&ForceBasis, &[Vec<Rational>]),
    instance: &Instance,
) {
    let (eb, le) = energy;
    let (hb, lh) = heat;
    let same = eb.forces.len() == hb.forces.len()
        && eb
            .forces
            .iter()
            .zip(&hb.forces)
            .all(|(a, b)| a.kind == b.kind && a.lead == b.lead);
    if !same {
        return;
    }
    let eq = equilibrium_instance(model, eb, instance);
    let n = eb.forces.len();
    let mut m = vec![vec![Rational::zero(); n]; n];
    for (i, f) in hb.forces.iter().enumerate() {
        m[i][i] = Rational::one();
        if f.kind == FluxKind::Energy {
            let mu = &eq.exact[model.leads[hb.particle_reference(f.lead)]
                .chemical_potential
                .0];
            if let Some(k) = eb
                .forces
                .iter()
                .position(|g| g.kind == FluxKind::Particle && g.lead == f.lead)
            {
                m[i][k] = -mu.clone();
            } else {
                // J_N^λ is not an independent flux here (ρ_c or a one-lead component).
                return;
            }
        }
    }
    for i in 0..n {
        for j in 0..n {
            let mut x = Rational::zero();
            for a in 0..n {
                for b in 0..n {
                    x += &m[i][a] * &le[a][b] * &m[j][b];
                }
            }
            assert_eq!(x, lh[i][j], "{}: L_heat ≠ M L_energy Mᵀ", model.name);
        }
    }
}

/// Every model, [`INSTANCES`] rational instances each, both representations; returns the
/// worst deviations.
fn run_rational_instances(linear_response_tolerance: f64) -> Worst {
    let start = std::time::Instant::now();
    let mut rng = Rng(0x05ee_d0fe_8ac7);
    let mut total = Worst::default();
    for model in models() {
        let mut worst = Worst {
            linear_response_tolerance,
            ..Worst::default()
        };
        for _ in 0..INSTANCES {
            let instance = random_instance(&model, &mut rng);
            check_steady_state(&model, &instance, &mut worst);
            let references = model.default_references();
            let energy =
                ForceBasis::new(&model, Representation::Energy, references.clone()).unwrap();
            let heat = ForceBasis::new(&model, Representation::Heat, references).unwrap();
            let le = check_linear_response(&model, &energy, &instance, &mut worst);
            let lh = check_linear_response(&model, &heat, &instance, &mut worst);
            check_representations(&model, (&energy, &le), (&heat, &lh), &instance);
        }
        println!(
            "{:<40} p {:.1e} (entrywise {:.1e})  J {:.1e}  L: linear response {:.1e}, cycles {:.1e}",
            model.name,
            worst.probability,
            worst.probability_entrywise,
            worst.current,
            worst.onsager,
            worst.cycle
        );
        total.probability = total.probability.max(worst.probability);
        total.probability_entrywise = total.probability_entrywise.max(worst.probability_entrywise);
        total.current = total.current.max(worst.current);
        total.onsager = total.onsager.max(worst.onsager);
        total.cycle = total.cycle.max(worst.cycle);
    }
    println!(
        "worst: p {:.1e} (entrywise {:.1e})  J {:.1e}  L: linear response {:.1e}, cycles {:.1e}  ({:.1} s)",
        total.probability,
        total.probability_entrywise,
        total.current,
        total.onsager,
        total.cycle,
        start.elapsed().as_secs_f64()
    );
    total
}

#[test]
fn exact_oracle_agrees_with_f64_solver_on_rational_instances() {
    run_rational_instances(LINEAR_RESPONSE_TOL);
}

/// Rational Gibbs weights (not from any temperature): detailed balance, p = x/Σx exactly,
/// L = Lᵀ exactly, and the f64 state reduction fed the rounded Fermi factors agrees.
#[test]
fn gibbs_weights_give_the_gibbs_state_and_symmetric_l() {
    let mut rng = Rng(42);
    for model in models() {
        for _ in 0..4 {
            let instance = random_instance(&model, &mut rng);
            let device = Device::new(&model, &instance.float).unwrap();
            let x: Vec<Rational> = (0..device.n_states)
                .map(|k| {
                    if k == 0 {
                        Rational::one()
                    } else {
                        ratio(rng.int(1, 12), rng.int(1, 12))
                    }
                })
                .collect();
            let fermi = fermi_from_gibbs(&device.transitions, &x);
            let pauli = ExactPauli::new(&model, &device, &instance.exact, fermi.clone()).unwrap();
            let p = pauli.steady_state().unwrap();
            let z: Rational = x.iter().sum();
            for (p_k, x_k) in p.iter().zip(&x) {
                assert_eq!(*p_k, x_k / &z);
            }
            assert!(pauli.detailed_balance(&p));
            for representation in [Representation::Energy, Representation::Heat] {
                let basis =
                    ForceBasis::new(&model, representation, model.default_references()).unwrap();
                let mu: Vec<Rational> = (0..model.leads.len())
                    .map(|l| {
                        instance.exact[model.leads[basis.particle_reference(l)]
                            .chemical_potential
                            .0]
                            .clone()
                    })
                    .collect();
                let l = pauli.linear_response(&basis, &mu).unwrap();
                for i in 0..l.len() {
                    for j in 0..l.len() {
                        assert_eq!(l[i][j], l[j][i]);
                    }
                }
                assert!(positive_semidefinite(l));
            }
            let float_fermi: Vec<(f64, f64)> =
                fermi.iter().map(|(f, g)| (to_f64(f), to_f64(g))).collect();
            let steady =
                steady_state(&device.rate_matrix(&float_fermi), Model::state_label).unwrap();
            for (e, f) in p.iter().zip(&steady.probabilities) {
                assert!(relative(to_f64(e), *f, 1.0) <= RTOL);
            }
        }
    }
}
