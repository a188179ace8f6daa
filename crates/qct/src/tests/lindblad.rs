//! Lindblad cross-check (issue 5): the secular Born–Markov Lindblad equation of the seed's
//! Appendix A, built in the full Fock space with fermionic (Jordan–Wigner) jump operators,
//! must reproduce the Pauli pipeline: populations = Pauli steady state, coherences = 0,
//! per-lead currents = Pauli currents, for every built-in and every JSON example (up to
//! 3 dots) at the defaults, hand-picked points (attractive interactions, degenerate Bohr
//! frequencies) and deterministic random points.
//!
//! Run with `--nocapture` to see the measured agreement.

use super::common::{Rng, lindblad_models as models, random_values};
use crate::currents::{LeadCurrents, steady_currents};
use crate::lindblad::{
    self, C64, CMatrix, Direction, Lindbladian, annihilation_operators, jump_operators, max_norm,
};
use crate::model::{Model, builtin::builtin, json::from_file, json::from_json};
use crate::rates::{Device, fermi};
use std::path::PathBuf;

const RANDOM_POINTS: usize = 10;

fn set(model: &Model, values: &mut [f64], name: &str, value: f64) {
    let p = model.param(name).unwrap_or_else(|| panic!("{name}"));
    values[p.0] = value;
}

/// Defaults, hand-picked points and random points: energies (levels, interactions, either
/// sign) in [−2, 2], rates in [0.1, 2], temperatures in [0.5, 3], μ in [−1, 1].
fn points(model: &Model) -> Vec<Vec<f64>> {
    let mut pts = vec![model.defaults()];
    let mut hand = |sets: &[(&str, f64)]| {
        let mut v = model.defaults();
        for &(n, x) in sets {
            set(model, &mut v, n, x);
        }
        pts.push(v);
    };
    match model.name.as_str() {
        // Attractive κ: ω(C→D) = ε_b + κ < 0, outside the seed's "ω > 0" sum.
        "cqd" => {
            hand(&[("kappa", -2.0), ("eps_b", 0.3), ("mu_u", 0.3)]);
            // κ = 0: degenerate Bohr frequencies, one jump operator per (lead, dot).
            hand(&[("kappa", 0.0)]);
        }
        // κ = 0 with γ_l0 ≠ γ_l1: degenerate ω, occupation-dependent γ.
        "sb" => hand(&[("kappa", 0.0), ("gamma_l0", 0.2), ("gamma_l1", 1.7)]),
        "icc" => hand(&[("kappa_s", -0.6), ("kappa_c", 1.2), ("eps_b", -0.3)]),
        // U = 0: both orbitals at eps, all frequencies equal.
        "anderson" => hand(&[("U", 0.0)]),
        _ => {}
    }
    let mut rng = Rng::new(model.name.bytes().fold(11, |h, b| h * 31 + b as u64));
    for _ in 0..RANDOM_POINTS {
        pts.push(random_values(model, &mut rng));
    }
    pts
}

fn hermitian_part(rho: &CMatrix) -> CMatrix {
    (rho + rho.adjoint()) * C64::new(0.5, 0.0)
}

/// Worst deviations over all models and points.
#[derive(Default, Debug)]
struct Worst {
    population: f64,
    coherence: f64,
    trace: f64,
    hermiticity: f64,
    min_eigenvalue: f64,
    current: f64,
    energy_conservation: f64,
    residual: f64,
    worst_conditioning: f64,
    points: usize,
}

fn current_deviation(a: &LeadCurrents, b: &LeadCurrents) -> f64 {
    let rel = |x: f64, y: f64, gross: f64| (x - y).abs() / gross.max(x.abs()).max(1e-300);
    rel(a.particle, b.particle, b.gross_particle)
        .max(rel(a.energy, b.energy, b.gross_energy))
        .max(rel(a.gross_particle, b.gross_particle, b.gross_particle))
}

#[test]
fn lindblad_steady_state_equals_pauli() {
    let mut worst = Worst {
        min_eigenvalue: f64::INFINITY,
        worst_conditioning: f64::INFINITY,
        ..Default::default()
    };
    for model in models() {
        for values in points(&model) {
            let what = format!("{} at {values:?}", model.name);
            let device = Device::new(&model, &values).unwrap();
            let (steady, pauli) = steady_currents(&device).unwrap();
            let sol = lindblad::steady_state(&model, &device).unwrap_or_else(|e| panic!("{e}"));
            let dim = device.n_states;
            // Populations = Pauli steady state.
            let dp = steady
                .probabilities
                .iter()
                .zip(&sol.populations)
                .fold(0.0f64, |m, (p, q)| m.max((p - q).abs()));
            assert!(dp < 1e-10, "{what}: populations differ by {dp:e}");
            // Coherences vanish.
            assert!(
                sol.max_coherence < 1e-10,
                "{what}: coherence {:e}",
                sol.max_coherence
            );
            assert!(sol.max_imaginary_population < 1e-12, "{what}");
            // Tr ρ = 1, ρ Hermitian, positive semidefinite.
            let trace = (sol.rho.trace() - C64::new(1.0, 0.0)).norm();
            assert!(trace < 1e-12, "{what}: Tr rho - 1 = {trace:e}");
            let herm = max_norm(&(&sol.rho - sol.rho.adjoint()));
            assert!(herm < 1e-12, "{what}: rho - rho^dagger = {herm:e}");
            let min_ev = hermitian_part(&sol.rho).symmetric_eigenvalues().min();
            assert!(min_ev >= -1e-12, "{what}: eigenvalue {min_ev:e}");
            // L ρ = 0, and ρ is its only solution (one-dimensional kernel).
            assert!(sol.residual < 1e-12, "{what}: residual {:e}", sol.residual);
            assert!(sol.conditioning > 1e-10, "{what}: {:e}", sol.conditioning);
            // Per-lead currents = Pauli currents.
            let mut dc = 0.0f64;
            for (a, b) in sol.currents.iter().zip(&pauli) {
                let d = current_deviation(a, b);
                assert!(d < 1e-10, "{what}: currents {a:?} vs Pauli {b:?}");
                dc = dc.max(d);
            }
            // Σ_λ J_E^λ = 0 (relative to the gross energy exchange).
            let net: f64 = sol.currents.iter().map(|c| c.energy).sum();
            let gross: f64 = sol.currents.iter().map(|c| c.gross_energy).sum();
            let ce = net.abs() / gross.max(1e-300);
            assert!(ce < 1e-10, "{what}: sum J_E = {net:e} (gross {gross:e})");
            // Σ_{λ∈c} J_N^λ = 0 per component.
            for comp in model.components() {
                let net: f64 = comp.leads.iter().map(|&l| sol.currents[l].particle).sum();
                let gross: f64 = comp
                    .leads
                    .iter()
                    .map(|&l| sol.currents[l].gross_particle)
                    .sum();
                assert!(net.abs() <= 1e-10 * gross, "{what}: component J_N {net:e}");
            }
            assert_eq!(sol.rho.nrows(), dim);
            worst.population = worst.population.max(dp);
            worst.coherence = worst.coherence.max(sol.max_coherence);
            worst.trace = worst.trace.max(trace);
            worst.hermiticity = worst.hermiticity.max(herm);
            worst.min_eigenvalue = worst.min_eigenvalue.min(min_ev);
            worst.current = worst.current.max(dc);
            worst.energy_conservation = worst.energy_conservation.max(ce);
            worst.residual = worst.residual.max(sol.residual);
            worst.worst_conditioning = worst.worst_conditioning.min(sol.conditioning);
            worst.points += 1;
        }
    }
    println!("Lindblad vs Pauli, worst over all models and points: {worst:#?}");
}

/// The fermionic algebra of the built operators: {d_α, d_β†} = δ_αβ, {d_α, d_β} = 0 — and
/// without the Jordan–Wigner string, operators on different dots would commute instead.
#[test]
fn jordan_wigner_operators_obey_canonical_anticommutation() {
    for n in 1..=3 {
        let d = annihilation_operators(n);
        let dim = 1 << n;
        let id = CMatrix::identity(dim, dim);
        for a in 0..n {
            for b in 0..n {
                let anti = &d[a] * d[b].adjoint() + d[b].adjoint() * &d[a];
                let expected = if a == b {
                    id.clone()
                } else {
                    CMatrix::zeros(dim, dim)
                };
                assert!(max_norm(&(anti - expected)) < 1e-15, "{{d_{a}, d_{b}^dag}}");
                let anti = &d[a] * &d[b] + &d[b] * &d[a];
                assert!(max_norm(&anti) < 1e-15, "{{d_{a}, d_{b}}}");
            }
            // d_α† d_α = n_α.
            let number = d[a].adjoint() * &d[a];
            for k in 0..dim {
                assert_eq!(number[(k, k)].re, ((k >> a) & 1) as f64);
            }
        }
    }
    // Drop the signs: the bare σ⁻ of different dots commute, so their anticommutator is not 0.
    let d = annihilation_operators(2);
    let unsigned: Vec<CMatrix> = d
        .iter()
        .map(|m| m.map(|z| C64::new(z.re.abs(), 0.0)))
        .collect();
    let anti = &unsigned[0] * unsigned[1].adjoint() + unsigned[1].adjoint() * &unsigned[0];
    assert!(
        max_norm(&anti) > 0.5,
        "without Jordan–Wigner signs the CAR fail"
    );
    // The signs are there: d_2 |11⟩ = −|10⟩ (dot 1 occupied, below dot 2).
    assert_eq!(d[1][(0b01, 0b11)].re, -1.0);
    assert_eq!(d[1][(0b00, 0b10)].re, 1.0);
}

/// The jump operators are the Bohr components of d_α: Σ_ω J_out(λ, α, ω) / √rate = d_α for
/// constant γ and f, and transitions of one dot with equal ω share one operator.
#[test]
fn jump_operators_are_bohr_components_of_d() {
    // cqd with κ = 0: both transitions of dot b (A→B, C→D) have ω = ε_b.
    let model = builtin("cqd").unwrap();
    let mut v = model.defaults();
    set(&model, &mut v, "kappa", 0.0);
    for g in ["gamma_l0", "gamma_l1", "gamma_r0", "gamma_r1"] {
        set(&model, &mut v, g, 0.8);
    }
    let device = Device::new(&model, &v).unwrap();
    let jumps = jump_operators(&device);
    let d = annihilation_operators(2);
    let b = model.dot_index("b").unwrap();
    for lead in 0..2 {
        let out: Vec<_> = jumps
            .iter()
            .filter(|j| j.lead == lead && j.dot == b && j.direction == Direction::Out)
            .collect();
        assert_eq!(out.len(), 1, "one Bohr frequency on dot b when kappa = 0");
        assert_eq!(out[0].transitions.len(), 2);
        let t = &device.transitions[out[0].transitions[0]];
        let l = device.leads[lead];
        let (_, f_bar) = fermi(l.beta * (t.omega - l.mu));
        let scaled = out[0].operator.map(|z| z / (0.8 * f_bar).sqrt());
        assert!(
            max_norm(&(scaled - &d[b])) < 1e-14,
            "J_out = sqrt(G(-w)) d_b"
        );
    }
    // Attractive κ: ω(C→D) = ε_b + κ < 0 is kept (the seed's eq. 58 sums over ω > 0 only).
    let mut v = model.defaults();
    set(&model, &mut v, "kappa", -2.0);
    set(&model, &mut v, "eps_b", 0.3);
    let device = Device::new(&model, &v).unwrap();
    assert!(
        jump_operators(&device)
            .iter()
            .any(|j| j.dot == b && j.omega < 0.0 && max_norm(&j.operator) > 0.0)
    );
    // κ ≠ 0: two Bohr frequencies, two operators per direction, each one transition.
    let device = Device::new(&model, &model.defaults()).unwrap();
    let jumps = jump_operators(&device);
    let n = jumps
        .iter()
        .filter(|j| j.lead == 0 && j.dot == b && j.direction == Direction::In)
        .count();
    assert_eq!(n, 2);
}

/// At equilibrium (all leads at one β, μ) the Gibbs state e^{−β(H − μN)}/Z is the steady
/// state: L[ρ_eq] = 0 and every current vanishes (seed Appendix B, eq. 60).
#[test]
fn gibbs_state_is_stationary_at_equilibrium() {
    for name in ["cqd", "anderson"] {
        let model = builtin(name).unwrap();
        let mut v = model.defaults();
        for lead in &model.leads {
            v[lead.temperature.0] = 0.9;
            v[lead.chemical_potential.0] = 0.15;
        }
        let device = Device::new(&model, &v).unwrap();
        let lindbladian = Lindbladian::new(&device).unwrap();
        let dim = device.n_states;
        let weights: Vec<f64> = (0..dim)
            .map(|k| {
                let n = (k as u32).count_ones() as f64;
                (-(device.energies[k] - 0.15 * n) / 0.9).exp()
            })
            .collect();
        let z: f64 = weights.iter().sum();
        let rho = CMatrix::from_diagonal(&nalgebra::DVector::from_iterator(
            dim,
            weights.iter().map(|w| C64::new(w / z, 0.0)),
        ));
        assert!(max_norm(&lindbladian.apply(&rho)) < 1e-15, "{name}");
        for currents in lindblad::lead_currents(&model, &device, &lindbladian, &rho) {
            assert!(currents.particle.abs() < 1e-15 && currents.energy.abs() < 1e-15);
        }
    }
}

/// The secular generator is a valid Lindbladian: trace preserving (Σ_k row (k,k) = 0) and
/// Hermiticity preserving (L[ρ†] = L[ρ]†), checked on a random non-Hermitian matrix.
#[test]
fn generator_preserves_trace_and_hermiticity() {
    let model = from_file(
        &PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .join("examples/triple_dot_three_terminal.json"),
    )
    .unwrap();
    let device = Device::new(&model, &model.defaults()).unwrap();
    let l = Lindbladian::new(&device).unwrap();
    let dim = l.dim;
    let mut rng = Rng::new(5);
    let x = CMatrix::from_fn(dim, dim, |_, _| {
        C64::new(rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0))
    });
    let lx = l.apply(&x);
    assert!(lx.trace().norm() < 1e-13, "trace preserving");
    let lxd = l.apply(&x.adjoint());
    assert!(
        max_norm(&(lxd - lx.adjoint())) < 1e-13,
        "Hermiticity preserving"
    );
}

/// More than 3 dots: a clear error, not a panic.
#[test]
fn four_dots_are_refused() {
    let json = r#"{
      "name": "four",
      "parameters": {"e1": 0.1, "e2": 0.2, "e3": 0.3, "e4": 0.4, "g": 1.0, "T": 1.0, "mu": 0.0},
      "dots": [{"name": "a", "energy": "e1"}, {"name": "b", "energy": "e2"},
               {"name": "c", "energy": "e3"}, {"name": "d", "energy": "e4"}],
      "leads": [{"name": "l", "temperature": "T", "chemical_potential": "mu",
                 "couplings": [{"dot": "a", "rate": "g"}, {"dot": "b", "rate": "g"},
                               {"dot": "c", "rate": "g"}, {"dot": "d", "rate": "g"}]}]
    }"#;
    let model = from_json(json, "test").unwrap();
    let err = lindblad::solve(&model, &model.defaults()).unwrap_err();
    assert!(
        err.to_string()
            .contains("Lindblad cross-check supports up to 3 dots (64×64 superoperator)"),
        "{err}"
    );
    let device = Device::new(&model, &model.defaults()).unwrap();
    assert!(Lindbladian::new(&device).is_err());
}

/// A point whose steady state is not unique (all rates of the single dot zero): an error,
/// not a number.
#[test]
fn non_unique_steady_state_is_an_error() {
    let model = builtin("sqd").unwrap();
    let mut v = model.defaults();
    set(&model, &mut v, "gamma_l", 0.0);
    set(&model, &mut v, "gamma_r", 0.0);
    let err = lindblad::solve(&model, &v).unwrap_err();
    assert!(err.to_string().contains("no unique steady state"), "{err}");
    // cqd with dot u decoupled (γ_u0 = γ_u1 = 0): two closed classes.
    let model = builtin("cqd").unwrap();
    let mut v = model.defaults();
    set(&model, &mut v, "gamma_u0", 0.0);
    set(&model, &mut v, "gamma_u1", 0.0);
    assert!(lindblad::solve(&model, &v).is_err());
    // Cold leads: state A escapes only at rate ~1e-110 and D not at all. The Pauli
    // solver resolves this (p_D = 1); the superoperator cannot, and says so.
    let mut v = model.defaults();
    for (n, x) in [("T_l", 1e-3), ("T_r", 2e-3), ("T_u", 1e-3), ("kappa", -2.0)] {
        set(&model, &mut v, n, x);
    }
    let err = lindblad::solve(&model, &v).unwrap_err();
    assert!(err.to_string().contains("double precision"), "{err}");
}

/// The superoperator is built column-stacked: vec(A ρ B) = (Bᵀ ⊗ A) vec ρ, checked on the
/// dissipator against the direct matrix expression.
#[test]
fn dissipator_superoperator_matches_direct_formula() {
    let mut rng = Rng::new(9);
    let dim = 4;
    let mut random = || {
        CMatrix::from_fn(dim, dim, |_, _| {
            C64::new(rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0))
        })
    };
    let (j, rho) = (random(), random());
    let jdj = j.adjoint() * &j;
    let half = C64::new(0.5, 0.0);
    let direct = &j * &rho * j.adjoint() - (&jdj * &rho + &rho * &jdj) * half;
    let superop = lindblad::dissipator_superoperator(&j);
    let via = lindblad::unvec(&(superop * lindblad::vec(&rho)), dim);
    assert!(max_norm(&(direct - via)) < 1e-13);
    let h = random();
    let h = (&h + h.adjoint()) * half;
    let direct = (&h * &rho - &rho * &h) * C64::new(0.0, -1.0);
    let via = lindblad::unvec(
        &(lindblad::commutator_superoperator(&h) * lindblad::vec(&rho)),
        dim,
    );
    assert!(max_norm(&(direct - via)) < 1e-13);
}

/// Coherences do not merely come out zero from the linear solve (the population and
/// coherence blocks of L are decoupled): they decay. Starting from a random pure state full
/// of coherences, ρ(t) = e^{L t} ρ(0) relaxes to the Pauli steady state, including points
/// with degenerate states whose coherence H does not rotate (cqd with κ = 0 and ε_b = ε_u;
/// anderson with U = 0) and the 3-dot example.
#[test]
fn coherences_decay_to_the_pauli_steady_state() {
    let cases: Vec<(Model, Vec<(&str, f64)>)> = vec![
        (
            builtin("cqd").unwrap(),
            vec![("kappa", 0.0), ("eps_u", 1.0), ("eps_b", 1.0)],
        ),
        (builtin("anderson").unwrap(), vec![("U", 0.0)]),
        (builtin("icc").unwrap(), vec![]),
        (
            from_file(
                &PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
                    .join("examples/triple_dot_three_terminal.json"),
            )
            .unwrap(),
            vec![],
        ),
    ];
    let mut rng = Rng::new(17);
    for (model, sets) in cases {
        let mut v = model.defaults();
        for (n, x) in sets {
            set(&model, &mut v, n, x);
        }
        let device = Device::new(&model, &v).unwrap();
        let (steady, _) = steady_currents(&device).unwrap();
        let l = Lindbladian::new(&device).unwrap();
        let dim = l.dim;
        let psi = nalgebra::DVector::from_fn(dim, |_, _| {
            C64::new(rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0))
        });
        let psi = psi.normalize();
        let rho0 = &psi * psi.adjoint();
        let initial_coherence = (0..dim)
            .flat_map(|i| (0..dim).map(move |j| (i, j)))
            .filter(|(i, j)| i != j)
            .fold(0.0f64, |m, (i, j)| m.max(rho0[(i, j)].norm()));
        assert!(initial_coherence > 0.05);
        let propagator = (&l.total * C64::new(400.0, 0.0)).exp();
        let rho = lindblad::unvec(&(propagator * lindblad::vec(&rho0)), dim);
        let mut worst = 0.0f64;
        for i in 0..dim {
            for j in 0..dim {
                let expected = if i == j { steady.probabilities[i] } else { 0.0 };
                worst = worst.max((rho[(i, j)] - C64::new(expected, 0.0)).norm());
            }
        }
        println!(
            "{}: |rho(400) - rho_Pauli| = {worst:.1e} (initial coherence {initial_coherence:.2})",
            model.name
        );
        assert!(worst < 1e-10, "{}: {worst:e}", model.name);
    }
}
