//! The exact oracle (`qct::exact`) against the f64 pipeline, on random *rational* instances of
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
//! * `exact::solve_report` (`qct solve --exact`) against `report::solve_report`: the same
//!   numbers to 1e-12, exactly zero residuals, the two Σ̇ identical.

#![allow(clippy::needless_range_loop)] // index loops mirror the matrix formulas

use num_traits::{One, Signed, Zero};
use qct::exact::{
    self, ExactPauli, Rational, fermi_from_boltzmann, fermi_from_gibbs, ratio, rational, to_f64,
};
use qct::model::{Model, Role, builtin, json};
use qct::pipeline::Device;
use qct::pipeline::cycle_onsager;
use qct::pipeline::linear_response;
use qct::pipeline::occupation;
use qct::pipeline::steady_currents;
use qct::thermo::{FluxKind, ForceBasis, Representation, equilibrium_parameters};

/// Agreement required between the f64 solver and the exact oracle.
const RTOL: f64 = 1e-12;
/// Bound asserted for `onsager::linear_response` (the 1e-12 relative to max |L|).
/// An earlier LU solve of W₀ p₁ = −dW p₀ lost up to 9.8e-8 here (sb at T = 1/(8 ln 3),
/// eps_b = 1.5, eps_u = −0.5, kappa = 0.5, μ = −0.75; Fermi factors down to 3e-11); the cycle
/// formula with Kron-reduced spanning trees (and the cancellation-free nodal reduction for
/// large networks) meets the bound with the test's instances at ~3e-15.
const LINEAR_RESPONSE_TOL: f64 = 1e-12;
/// Random instances per model.
const INSTANCES: usize = 40;

/// splitmix64: a fixed-seed generator, so every run checks the same instances.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform integer in lo..=hi.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.next() as usize % items.len()]
    }
}

/// Every built-in and every `examples/*.json` with a diagonal H (the exact oracle refuses
/// interdot tunnelling: its eigenenergies are not rational).
fn models() -> Vec<Model> {
    let mut models: Vec<Model> = builtin::NAMES
        .iter()
        .map(|name| builtin::builtin(name).unwrap())
        .filter(|m| m.hoppings.is_empty())
        .collect();
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("examples");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "examples/*.json not found");
    for file in files {
        let mut model = json::from_file(&file).unwrap();
        if !model.hoppings.is_empty() {
            continue; // the exact oracle needs a diagonal H
        }
        model.name = format!("examples/{}", file.file_name().unwrap().to_string_lossy());
        models.push(model);
    }
    models
}

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
    let exact = qct::exact::derived::complete(model, &exact).expect("rational expressions");
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
    report: f64,
    /// What `check_linear_response` asserts for `onsager::linear_response`.
    linear_response_tolerance: f64,
}

fn relative(a: f64, b: f64, scale: f64) -> f64 {
    if scale > 0.0 {
        (a - b).abs() / scale
    } else {
        (a - b).abs()
    }
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
                qct::pipeline::steady_state(&device.rate_matrix(&float_fermi), Model::state_label)
                    .unwrap();
            for (e, f) in p.iter().zip(&steady.probabilities) {
                assert!(relative(to_f64(e), *f, 1.0) <= RTOL);
            }
        }
    }
}

/// `qct solve --exact` against `qct solve`: the same report to 1e-12, exact residuals 0,
/// identical Σ̇ forms; at the defaults and at random non-rational f64 points.
#[test]
fn exact_solve_report_matches_f64_report() {
    let mut rng = Rng(7);
    let mut worst = Worst::default();
    for model in models() {
        let mut points = vec![model.defaults()];
        for _ in 0..3 {
            points.push(
                model
                    .parameters
                    .iter()
                    .map(|p| {
                        let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
                        match p.role {
                            Role::Energy | Role::ChemicalPotential => 4.0 * u - 2.0,
                            Role::Rate => 0.05 + 2.0 * u,
                            Role::Temperature => 0.1 + 2.0 * u,
                            Role::Dimensionless => 1.8 * u - 0.9,
                        }
                    })
                    .collect(),
            );
        }
        for values in points {
            for representation in [Representation::Energy, Representation::Heat] {
                let basis =
                    ForceBasis::new(&model, representation, model.default_references()).unwrap();
                let exact =
                    qct_cli::report::oracles::exact_solve_report(&model, &values, &basis).unwrap();
                let float = qct_cli::report::solve_report(&model, &values, &basis).unwrap();
                assert_eq!(exact.balance_residual, 0.0);
                assert_eq!(exact.conservation.energy, 0.0);
                assert!(
                    exact
                        .conservation
                        .particles
                        .values()
                        .all(|v| v.as_f64() == Some(0.0))
                );
                assert_eq!(
                    exact.entropy_production.minus_sum_beta_heat,
                    exact.entropy_production.sum_forces_fluxes
                );
                assert!(exact.entropy_production.minus_sum_beta_heat >= 0.0);
                let p_max = exact
                    .states
                    .iter()
                    .map(|s| s.probability)
                    .fold(0.0, f64::max);
                for (a, b) in exact.states.iter().zip(&float.states) {
                    assert_eq!(a.energy, b.energy);
                    worst.report = worst
                        .report
                        .max(relative(a.probability, b.probability, p_max));
                }
                // Scales: the gross exchange of each lead (net currents may be far smaller,
                // and rounding is relative to the gross flows), and of each term of Σ̇.
                let (_, pauli) = ExactPauli::at_point(&model, &values).unwrap();
                let p = pauli.steady_state().unwrap();
                let gross = pauli.currents(model.leads.len(), &p);
                for ((a, b), g) in exact.leads.iter().zip(&float.leads).zip(&gross) {
                    let (gn, ge) = (to_f64(&g.gross_particle), to_f64(&g.gross_energy));
                    worst.report = worst
                        .report
                        .max(relative(a.particle_current, b.particle_current, gn))
                        .max(relative(a.energy_current, b.energy_current, ge));
                }
                let force_scale = exact
                    .leads
                    .iter()
                    .map(|l| (1.0 + l.mu.abs()) / l.temperature)
                    .fold(0.0, f64::max);
                for (a, b) in exact.forces.iter().zip(&float.forces) {
                    assert_eq!(a.name, b.name);
                    worst.report = worst.report.max(relative(a.value, b.value, force_scale));
                }
                let sigma_scale: f64 = exact
                    .leads
                    .iter()
                    .zip(&gross)
                    .map(|(l, g)| {
                        (to_f64(&g.gross_energy) + l.mu.abs() * to_f64(&g.gross_particle))
                            / l.temperature
                    })
                    .sum();
                worst.report = worst.report.max(relative(
                    exact.entropy_production.minus_sum_beta_heat,
                    float.entropy_production.minus_sum_beta_heat,
                    sigma_scale,
                ));
                assert!(
                    worst.report <= RTOL,
                    "{}: exact and f64 reports differ by {:e}",
                    model.name,
                    worst.report
                );
            }
        }
    }
    println!(
        "exact vs f64 solve report: worst relative deviation {:.1e}",
        worst.report
    );
}

/// Zero rates that split the states into two closed classes: both solvers refuse.
#[test]
fn non_unique_steady_state_is_refused_exactly() {
    let model = builtin::builtin("sqd").unwrap();
    let mut values = model.defaults();
    for name in ["gamma_l", "gamma_r"] {
        values[model.param(name).unwrap().0] = 0.0;
    }
    let (_, pauli) = ExactPauli::at_point(&model, &values).unwrap();
    assert!(pauli.steady_state().is_err());
    let basis =
        ForceBasis::new(&model, Representation::Energy, model.default_references()).unwrap();
    assert!(qct_cli::report::oracles::exact_solve_report(&model, &values, &basis).is_err());
    assert!(qct_cli::report::solve_report(&model, &values, &basis).is_err());
    // One zero rate leaves a unique steady state: both agree.
    let mut values = model.defaults();
    values[model.param("gamma_l").unwrap().0] = 0.0;
    let exact = qct_cli::report::oracles::exact_solve_report(&model, &values, &basis).unwrap();
    let float = qct_cli::report::solve_report(&model, &values, &basis).unwrap();
    for (a, b) in exact.states.iter().zip(&float.states) {
        assert!((a.probability - b.probability).abs() <= RTOL);
    }
}
