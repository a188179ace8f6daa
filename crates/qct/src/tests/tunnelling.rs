//! Interdot tunnelling (issue 14, items 2 and 6): the eigenbasis Pauli equation, the secular
//! Lindblad and Bloch–Redfield equations, and the `serial_dd` built-in.
//!
//! * t = 0 and diagonal H: the eigenbasis device equals the Fock device bit for bit on every
//!   built-in and example; `serial_dd` at t = 0 runs the Fock path.
//! * The serial double dot's rates equal the hand-worked two-level closed form.
//! * Physics at random points: conservation, Σ̇ ≥ 0 and Σ̇ = Σ F J, Onsager reciprocity and
//!   positivity, linear response = finite differences.
//! * Secular Lindblad = Pauli (populations, currents); Redfield = Pauli for a diagonal H;
//!   Redfield − Pauli = O(γ/Δ) far from degeneracy and O(1) at degeneracy.
//!
//! The model file and the command line's reports are tested in
//! `crates/qct-cli/tests/tunnelling.rs`. Run with `--nocapture` to see the measured agreement.

use super::common::{Rng, random_values};
use crate::currents::steady_currents;
use crate::eigen::device as eigenbasis_device;
use crate::model::{Model, builtin::NAMES, builtin::builtin, json};
use crate::onsager::{finite_differences, linear_response};
use crate::rates::Device;
use crate::redfield::{DensityProblem, Method};
use crate::thermo::{
    ForceBasis, Representation, entropy_production, entropy_production_from_forces,
    equilibrium_parameters,
};

fn set(model: &Model, values: &mut [f64], name: &str, value: f64) {
    values[model.param(name).unwrap_or_else(|| panic!("{name}")).0] = value;
}

fn serial_dd() -> Model {
    builtin("serial_dd").unwrap()
}

/// A random point of serial_dd: levels in [−1, 1], t in [0.05, 0.5] (either sign), U in
/// [0, 3], rates in [0.001, 0.05], temperatures in [0.3, 2], μ in [−0.5, 0.5].
fn random_point(model: &Model, rng: &mut Rng) -> Vec<f64> {
    let mut v = model.defaults();
    let mut u = |lo: f64, hi: f64| rng.uniform(lo, hi);
    let sign = if u(0.0, 1.0) < 0.5 { -1.0 } else { 1.0 };
    for (name, x) in [
        ("eps_1", u(-1.0, 1.0)),
        ("eps_2", u(-1.0, 1.0)),
        ("t", sign * u(0.05, 0.5)),
        ("U", u(0.0, 3.0)),
        ("gamma_l", u(0.001, 0.05)),
        ("gamma_r", u(0.001, 0.05)),
        ("T_l", u(0.3, 2.0)),
        ("T_r", u(0.3, 2.0)),
        ("mu_l", u(-0.5, 0.5)),
        ("mu_r", u(-0.5, 0.5)),
    ] {
        set(model, &mut v, name, x);
    }
    v
}

fn assert_same_device(a: &Device, b: &Device, what: &str) {
    assert_eq!(a.n_states, b.n_states, "{what}");
    assert_eq!(a.energies, b.energies, "{what}: energies");
    assert_eq!(a.transitions, b.transitions, "{what}: transitions");
    assert_eq!(a.leads, b.leads, "{what}: leads");
}

/// Every built-in (serial_dd at t = 0) and every example: the eigenbasis device is the Fock
/// device, bit for bit (1 × 1 blocks; matrix elements ±1).
#[test]
fn eigenbasis_device_is_the_fock_device_when_h_is_diagonal() {
    let mut models: Vec<Model> = NAMES.iter().map(|n| builtin(n).unwrap()).collect();
    let dir =
        std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("examples");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            models.push(json::from_file(&path).unwrap());
        }
    }
    let mut rng = Rng::new(14);
    let mut checked = 0;
    for model in &models {
        for k in 0..5 {
            let mut values = if k == 0 {
                model.defaults()
            } else {
                random_values(model, &mut rng)
            };
            for h in &model.hoppings {
                values[h.t.0] = 0.0;
            }
            let fock = Device::new(model, &values).unwrap();
            let eigen = eigenbasis_device(model, &values).unwrap();
            assert_same_device(&fock, &eigen, &model.name);
            checked += 1;
        }
    }
    println!("eigenbasis = Fock device bit for bit at {checked} points");
}

/// serial_dd at t = 0 runs exactly the pipeline of the same model without the hopping
/// term: same device, same steady state and currents, bit for bit.
#[test]
fn zero_t_reproduces_the_model_without_hopping_bit_for_bit() {
    let model = serial_dd();
    let mut plain = model.clone();
    plain.hoppings.clear();
    let mut rng = Rng::new(2);
    for _ in 0..20 {
        let mut values = random_point(&model, &mut rng);
        set(&model, &mut values, "t", 0.0);
        let (a, b) = (
            Device::new(&model, &values).unwrap(),
            Device::new(&plain, &values).unwrap(),
        );
        assert_same_device(&a, &b, "serial_dd at t = 0");
        let ((sa, ca), (sb, cb)) = (steady_currents(&a).unwrap(), steady_currents(&b).unwrap());
        assert_eq!(sa.probabilities, sb.probabilities);
        assert_eq!(ca, cb);
    }
}

/// The rates of serial_dd against the two-level closed form: with δ = (ε_1 − ε_2)/2,
/// r = √(δ² + t²), E_± = (ε_1 + ε_2)/2 ± r, |⟨10|±⟩|² = (1 ± δ/r)/2, |⟨01|±⟩|² = (1 ∓ δ/r)/2,
/// E_11 = ε_1 + ε_2 + U; lead l adds to dot 1: |00⟩ → |±⟩ with |⟨10|±⟩|², |±⟩ → |11⟩ with
/// |⟨01|±⟩|² (|11⟩ = d_1† |01⟩); lead r the same with 1 ↔ 2.
#[test]
fn serial_dd_rates_are_the_two_level_closed_form() {
    let model = serial_dd();
    let mut rng = Rng::new(3);
    for _ in 0..50 {
        let v = random_point(&model, &mut rng);
        let p = |n: &str| v[model.param(n).unwrap().0];
        let (e1, e2, t, u) = (p("eps_1"), p("eps_2"), p("t"), p("U"));
        let (delta, mean) = ((e1 - e2) / 2.0, (e1 + e2) / 2.0);
        let r = (delta * delta + t * t).sqrt();
        let device = Device::new(&model, &v).unwrap();
        // Which label is |+⟩: the one with the larger energy among B, C.
        let (plus, minus) = if device.energies[1] > device.energies[2] {
            (1, 2)
        } else {
            (2, 1)
        };
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-13 * (1.0 + b.abs());
        assert!(close(device.energies[plus], mean + r));
        assert!(close(device.energies[minus], mean - r));
        assert!(close(device.energies[3], e1 + e2 + u));
        assert_eq!(device.energies[0], 0.0);
        let w10 = |s: usize| {
            if s == plus {
                (1.0 + delta / r) / 2.0
            } else {
                (1.0 - delta / r) / 2.0
            }
        };
        let w01 = |s: usize| 1.0 - w10(s);
        for tr in &device.transitions {
            let (gamma, weight) = match (tr.lead, tr.from, tr.to) {
                (0, 0, s) => (p("gamma_l"), w10(s)),
                (0, s, 3) => (p("gamma_l"), w01(s)),
                (1, 0, s) => (p("gamma_r"), w01(s)),
                (1, s, 3) => (p("gamma_r"), w10(s)),
                other => panic!("unexpected transition {other:?}"),
            };
            assert!(
                close(tr.gamma, gamma * weight),
                "{tr:?}: expected {}",
                gamma * weight
            );
            assert!(close(
                tr.omega,
                device.energies[tr.to] - device.energies[tr.from]
            ));
        }
        assert_eq!(device.transitions.len(), 8);
    }
}

/// Conservation, the second law, Σ̇ = Σ F J, reciprocity, positivity and linear response =
/// finite differences at random points of serial_dd (both representations).
#[test]
fn serial_dd_thermodynamics_at_random_points() {
    let model = serial_dd();
    let mut rng = Rng::new(4);
    let (mut worst_fd, mut worst_sym) = (0.0f64, 0.0f64);
    for k in 0..60 {
        let v = random_point(&model, &mut rng);
        let rep = if k % 2 == 0 {
            Representation::Energy
        } else {
            Representation::Heat
        };
        let basis = ForceBasis::new(&model, rep, model.default_references()).unwrap();
        let device = Device::new(&model, &v).unwrap();
        let (_, c) = steady_currents(&device).unwrap();
        let gross: f64 = c.iter().map(|x| x.gross_energy).sum();
        assert!((c[0].energy + c[1].energy).abs() <= 1e-13 * gross);
        let gross_n: f64 = c.iter().map(|x| x.gross_particle).sum();
        assert!((c[0].particle + c[1].particle).abs() <= 1e-13 * gross_n);
        let sigma = entropy_production(&device.leads, &c);
        let scale: f64 = device
            .leads
            .iter()
            .zip(&c)
            .map(|(l, x)| l.beta * (x.gross_energy + l.mu.abs() * x.gross_particle))
            .sum();
        assert!(sigma >= -1e-13 * scale, "Σ̇ = {sigma}");
        let forces = basis.force_values(&device.leads);
        let fluxes = basis.flux_values(&device.leads, &c);
        let sfj = entropy_production_from_forces(&forces, &fluxes);
        assert!((sigma - sfj).abs() <= 1e-12 * scale);
        let eq = Device::new(&model, &equilibrium_parameters(&model, &basis, &v)).unwrap();
        let l = linear_response(&eq, &basis).unwrap();
        let size = l.amax();
        worst_sym = worst_sym.max((&l - l.transpose()).amax() / size);
        let sym = (&l + l.transpose()) * 0.5;
        assert!(sym.symmetric_eigenvalues().min() >= -1e-12 * size);
        let fd = finite_differences(&eq, &basis).unwrap();
        for i in 0..l.len() {
            if fd.floor[i] <= 1e-7 * size {
                worst_fd = worst_fd.max((l[i] - fd.l[i]).abs() / size);
            }
        }
    }
    println!("serial_dd: reciprocity {worst_sym:.1e}, |L − L_fd|/max|L| {worst_fd:.1e}");
    assert!(worst_sym <= 1e-12);
    assert!(worst_fd <= 1e-7);
}

/// Secular Lindblad in the eigenbasis = Pauli (populations and currents) for serial_dd at
/// random points and for every built-in and example up to 3 dots; its Σ̇ ≥ 0.
#[test]
fn secular_lindblad_equals_pauli() {
    let mut cases: Vec<(Model, Vec<f64>)> = Vec::new();
    let model = serial_dd();
    let mut rng = Rng::new(5);
    for _ in 0..30 {
        let v = random_point(&model, &mut rng);
        cases.push((model.clone(), v));
    }
    for name in NAMES {
        let m = builtin(name).unwrap();
        for _ in 0..5 {
            let v = random_values(&m, &mut rng);
            cases.push((m.clone(), v));
        }
    }
    let mut worst = 0.0f64;
    for (m, v) in &cases {
        let device = Device::new(m, v).unwrap();
        let (steady, pauli) = steady_currents(&device).unwrap();
        let problem = DensityProblem::new(m, v).unwrap();
        let s = problem.solve(&device.leads, Method::Lindblad).unwrap();
        for (a, b) in s.populations.iter().zip(&steady.probabilities) {
            worst = worst.max((a - b).abs());
        }
        for (a, b) in s.currents.iter().zip(&pauli) {
            worst = worst.max((a.particle - b.particle).abs() / b.gross_particle.max(1e-300));
            worst = worst.max((a.energy - b.energy).abs() / b.gross_energy.max(1e-300));
        }
        let sigma = entropy_production(&device.leads, &s.currents);
        assert!(sigma >= -1e-12 * pauli.iter().map(|c| c.gross_energy).sum::<f64>());
    }
    println!("secular Lindblad vs Pauli: worst deviation {worst:.1e}");
    assert!(worst <= 1e-10, "{worst}");
}

/// With a diagonal H (every built-in, t = 0) no channel creates a coherence: Redfield = Pauli.
#[test]
fn redfield_equals_pauli_for_a_diagonal_hamiltonian() {
    let mut rng = Rng::new(6);
    let mut worst = 0.0f64;
    for name in NAMES {
        let m = builtin(name).unwrap();
        for _ in 0..5 {
            let mut v = random_values(&m, &mut rng);
            for h in &m.hoppings {
                v[h.t.0] = 0.0;
            }
            let device = Device::new(&m, &v).unwrap();
            let (steady, _) = steady_currents(&device).unwrap();
            let s = DensityProblem::new(&m, &v)
                .unwrap()
                .solve(&device.leads, Method::Redfield)
                .unwrap();
            for (a, b) in s.populations.iter().zip(&steady.probabilities) {
                worst = worst.max((a - b).abs());
            }
        }
    }
    println!("Redfield vs Pauli, diagonal H: {worst:.1e}");
    assert!(worst <= 1e-10);
}

/// The particle current of serial_dd by Pauli and by Redfield at one point.
fn currents(model: &Model, v: &[f64]) -> (f64, f64, f64) {
    let device = Device::new(model, v).unwrap();
    let (_, pauli) = steady_currents(&device).unwrap();
    let s = DensityProblem::new(model, v)
        .unwrap()
        .solve(&device.leads, Method::Redfield)
        .unwrap();
    let conservation = (s.currents[0].particle + s.currents[1].particle).abs()
        + (s.currents[0].energy + s.currents[1].energy).abs();
    (pauli[0].particle, s.currents[0].particle, conservation)
}

/// Redfield − Pauli vanishes far from degeneracy — measured as (γ/Δ)² here (0.355 (γ/Δ)² at
/// Δ/γ = 1 … 100; Δ = 2|t| the splitting of the one-electron eigenstates at ε_1 = ε_2) — and
/// is O(1) at degeneracy; Redfield conserves particles and energy.
#[test]
fn redfield_departs_from_pauli_only_near_degeneracy() {
    let model = serial_dd();
    let mut v = model.defaults();
    for (n, x) in [
        ("eps_1", 0.2),
        ("eps_2", 0.2),
        ("U", 5.0),
        ("gamma_l", 1e-3),
        ("gamma_r", 1e-3),
        ("T_l", 0.5),
        ("T_r", 0.5),
        ("mu_l", 0.5),
        ("mu_r", -0.5),
    ] {
        set(&model, &mut v, n, x);
    }
    let mut deviations = Vec::new();
    for ratio in [1e-1, 1.0, 10.0, 100.0, 1000.0] {
        // Δ = 2t = ratio · γ.
        set(&model, &mut v, "t", ratio * 1e-3 / 2.0);
        let (pauli, redfield, conservation) = currents(&model, &v);
        let deviation = (redfield - pauli).abs() / redfield.abs();
        println!(
            "Δ/γ = {ratio:>6}: J_Pauli {pauli:.6e}, J_Redfield {redfield:.6e}, relative {deviation:.2e}"
        );
        assert!(conservation <= 1e-15);
        deviations.push(deviation);
    }
    // Far from degeneracy: relative deviation ≈ 0.36 (γ/Δ)², falling by 100 per decade.
    for (k, ratio) in [(1, 1.0), (2, 10.0), (3, 100.0)] {
        let scaled = deviations[k] * ratio * ratio;
        assert!((0.3..0.4).contains(&scaled), "{deviations:?}");
    }
    assert!(deviations[4] < 1e-6, "{deviations:?}");
    // At degeneracy (Δ ≲ γ) Pauli fails by O(1).
    assert!(deviations[0] > 0.3, "{deviations:?}");
}

/// At infinite bias and U = ∞ the Bloch–Redfield current equals the exact Stoof–Nazarov
/// (Gurvitz) current I = γ_r t² / (γ_r²/4 + δ² + t² (2 + γ_r/γ_l)), δ = ε_1 − ε_2, for any
/// ratio of t, δ and γ; Pauli does not where the eigenstates are nearly degenerate.
#[test]
fn redfield_reproduces_stoof_nazarov_at_high_bias() {
    let model = serial_dd();
    let mut rng = Rng::new(7);
    let (mut worst, mut worst_pauli) = (0.0f64, 0.0f64);
    for _ in 0..40 {
        let mut v = model.defaults();
        let gamma_l = rng.uniform(1e-4, 2e-3);
        let gamma_r = rng.uniform(1e-4, 2e-3);
        let t = rng.uniform(1e-4, 2e-3);
        let delta = rng.uniform(-5e-3, 5e-3);
        for (n, x) in [
            ("eps_1", delta / 2.0),
            ("eps_2", -delta / 2.0),
            ("t", t),
            ("U", 200.0),
            ("gamma_l", gamma_l),
            ("gamma_r", gamma_r),
            ("T_l", 0.1),
            ("T_r", 0.1),
            ("mu_l", 5.0),
            ("mu_r", -5.0),
        ] {
            set(&model, &mut v, n, x);
        }
        let exact = gamma_r * t * t
            / (gamma_r * gamma_r / 4.0 + delta * delta + t * t * (2.0 + gamma_r / gamma_l));
        let (pauli, redfield, _) = currents(&model, &v);
        worst = worst.max((redfield - exact).abs() / exact);
        worst_pauli = worst_pauli.max((pauli - exact).abs() / exact);
    }
    println!("Stoof–Nazarov: Redfield within {worst:.1e}, Pauli off by up to {worst_pauli:.2}");
    assert!(worst <= 1e-9, "{worst}");
    assert!(worst_pauli > 0.5);
}
