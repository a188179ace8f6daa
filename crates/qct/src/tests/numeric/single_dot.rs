//! The single dot `sqd`: tight coupling, the hand-worked closed form of its Onsager matrix,
//! positivity of Σ̇, stable Fermi functions and the non-unique steady state.
//!
//! # Closed form (derived by hand)
//!
//! States |0⟩, |1⟩; every transition adds the electron at ω = ε. With
//! f_λ = f(x_λ), x_λ = β_λ (ε − μ_λ), f(x) = 1/(1 + eˣ):
//!
//! * rate 0 → 1: Σ_λ γ_λ f_λ, rate 1 → 0: Σ_λ γ_λ (1 − f_λ), so
//!   p₁ = Σ_λ γ_λ f_λ / Σ_λ γ_λ;
//! * J_N^λ = γ_λ f_λ p₀ − γ_λ (1 − f_λ) p₁ = γ_λ (f_λ − p₁), hence with two leads
//!   J_N^l = −J_N^r = γ̃ (f_l − f_r), γ̃ = γ_l γ_r / (γ_l + γ_r) (two "edge
//!   conductances" γ_l, γ_r in series between the occupation levels f_l and f_r);
//! * J_E^λ = ε J_N^λ exactly (tight coupling);
//! * Σ̇ = −Σ_λ β_λ (ε − μ_λ) J_N^λ = (x_r − x_l) γ̃ (f_l − f_r) ≥ 0, since f decreases.
//!
//! Linear response around the equilibrium β = β_r, μ = μ_r, f = f(β (ε − μ)), using
//! f_l − f_r = −f (1 − f) (x_l − x_r) + O(F²):
//!
//! * energy representation, β_l = β − F_E, β_l μ_l = β μ + F_N:
//!   x_l = β_l ε − β_l μ_l = x_r − (F_N + ε F_E), so J_N^l = γ̃ f (1 − f) (F_N + ε F_E) and
//!   L_NN = γ̃ f (1 − f), L_NE = L_EN = ε L_NN, L_EE = ε² L_NN;
//! * heat representation, β_l = β − F_Q, μ_l = μ + F_N / β_l:
//!   x_l = β_l (ε − μ) − β_l (μ_l − μ) = x_r − ((ε − μ) F_Q + F_N), and
//!   J_Q^l = J_E^l − μ J_N^l = (ε − μ) J_N^l, so
//!   L_NN = γ̃ f (1 − f), L_NQ = (ε − μ) L_NN, L_QQ = (ε − μ)² L_NN.
//!
//! Both matrices have rank one: det L = 0 (tight coupling).

use crate::Error;
use crate::currents::steady_currents;
use crate::rates::{Device, fermi};
use crate::tests::common::*;
use crate::thermo::{Representation, entropy_production};
use approx::assert_abs_diff_eq;
use approx::assert_relative_eq;
use nalgebra::DMatrix;

const SQD_POINTS: [[(&str, f64); 7]; 6] = [
    [
        ("eps", 1.0),
        ("gamma_l", 1.0),
        ("gamma_r", 1.0),
        ("T_l", 1.5),
        ("T_r", 1.0),
        ("mu_l", 0.2),
        ("mu_r", 0.0),
    ],
    [
        ("eps", -0.8),
        ("gamma_l", 0.3),
        ("gamma_r", 1.7),
        ("T_l", 0.7),
        ("T_r", 1.3),
        ("mu_l", -0.5),
        ("mu_r", 0.4),
    ],
    [
        ("eps", 0.25),
        ("gamma_l", 2.0),
        ("gamma_r", 0.1),
        ("T_l", 2.0),
        ("T_r", 0.5),
        ("mu_l", 0.3),
        ("mu_r", -0.6),
    ],
    [
        ("eps", -2.0),
        ("gamma_l", 0.9),
        ("gamma_r", 0.6),
        ("T_l", 1.0),
        ("T_r", 2.5),
        ("mu_l", 1.0),
        ("mu_r", -1.2),
    ],
    [
        ("eps", 3.0),
        ("gamma_l", 1.1),
        ("gamma_r", 1.9),
        ("T_l", 0.4),
        ("T_r", 0.8),
        ("mu_l", 0.0),
        ("mu_r", 2.2),
    ],
    [
        ("eps", 0.0),
        ("gamma_l", 0.5),
        ("gamma_r", 0.5),
        ("T_l", 1.0),
        ("T_r", 1.0),
        ("mu_l", 0.7),
        ("mu_r", 0.7),
    ],
];

/// Closed-form Onsager matrix of the single dot (module docs) at the equilibrium of `v`.
fn closed_form_l(
    v: &[f64],
    m: &crate::model::Model,
    representation: Representation,
) -> DMatrix<f64> {
    let (eps, gl, gr) = (
        v[param(m, "eps")],
        v[param(m, "gamma_l")],
        v[param(m, "gamma_r")],
    );
    let (beta, mu) = (1.0 / v[param(m, "T_r")], v[param(m, "mu_r")]);
    let f = fermi_naive(beta * (eps - mu));
    let l_nn = gl * gr / (gl + gr) * f * (1.0 - f);
    let e = match representation {
        Representation::Energy => eps,
        Representation::Heat => eps - mu,
    };
    DMatrix::from_row_slice(2, 2, &[l_nn, e * l_nn, e * l_nn, e * e * l_nn])
}

fn all_points() -> Vec<Vec<f64>> {
    let m = model("sqd");
    let mut pts: Vec<Vec<f64>> = SQD_POINTS.iter().map(|p| values(&m, p)).collect();
    pts.extend(points("sqd"));
    pts
}

#[test]
fn energy_current_is_eps_times_particle_current_per_lead() {
    let m = model("sqd");
    let eps = param(&m, "eps");
    let mut rng = Rng::new(11);
    let mut pts = all_points();
    for _ in 0..200 {
        pts.push(random_values(&m, &mut rng));
    }
    for v in &pts {
        let (_, _, currents) = solve(&m, v);
        for c in &currents {
            let expected = v[eps] * c.particle;
            assert!(
                (c.energy - expected).abs() <= 2.0 * f64::EPSILON * expected.abs(),
                "J_E = {} but eps J_N = {expected} at {v:?}",
                c.energy
            );
        }
    }
}

#[test]
fn nonlinear_currents_match_closed_form() {
    let m = model("sqd");
    let mut rng = Rng::new(12);
    let mut pts = all_points();
    for _ in 0..50 {
        pts.push(random_values(&m, &mut rng));
    }
    for v in &pts {
        let get = |n: &str| v[param(&m, n)];
        let (eps, gl, gr) = (get("eps"), get("gamma_l"), get("gamma_r"));
        let x_l = (eps - get("mu_l")) / get("T_l");
        let x_r = (eps - get("mu_r")) / get("T_r");
        let (f_l, f_r) = (fermi_naive(x_l), fermi_naive(x_r));
        let (device, steady, currents) = solve(&m, v);
        let p1 = (gl * f_l + gr * f_r) / (gl + gr);
        let p0 = (gl * fermi_naive(-x_l) + gr * fermi_naive(-x_r)) / (gl + gr);
        assert_relative_eq!(
            steady.probabilities[1],
            p1,
            max_relative = 1e-12,
            epsilon = 0.0
        );
        assert_relative_eq!(
            steady.probabilities[0],
            p0,
            max_relative = 1e-12,
            epsilon = 0.0
        );
        let j = gl * gr / (gl + gr) * (f_l - f_r);
        let gross = gl * gr / (gl + gr) * (f_l + f_r);
        assert!(
            (currents[0].particle - j).abs() <= 1e-13 * gross.max(1e-300),
            "J_N^l at {v:?}"
        );
        assert!(
            (currents[1].particle + j).abs() <= 1e-13 * gross.max(1e-300),
            "J_N^r at {v:?}"
        );
        // Σ̇ = (x_r − x_l) J_N^l ≥ 0.
        let sigma = entropy_production(&device.leads, &currents);
        let expected = (x_r - x_l) * j;
        assert!(expected >= 0.0);
        assert!(sigma >= 0.0, "negative entropy production {sigma} at {v:?}");
        assert!(
            (sigma - expected).abs() <= 1e-12 * (x_l.abs() + x_r.abs()) * gross,
            "sigma {sigma} vs closed form {expected} at {v:?}"
        );
    }
}

#[test]
fn onsager_matrix_matches_hand_worked_closed_form() {
    let m = model("sqd");
    for representation in REPRESENTATIONS {
        let b = basis(&m, representation);
        assert_eq!(b.len(), 2);
        for v in all_points() {
            let (_, o) = onsager_at(&m, &v, &b);
            let expected = closed_form_l(&v, &m, representation);
            assert!(
                rel_diff(&o.l, &expected) < 1e-10,
                "{representation:?} at {v:?}: L = {} but closed form {}",
                o.l,
                expected
            );
            assert!(rel_diff(&o.l_finite_difference, &expected) < 1e-6);
        }
    }
}

#[test]
fn determinant_vanishes_tight_coupling() {
    let m = model("sqd");
    for representation in REPRESENTATIONS {
        let b = basis(&m, representation);
        for v in all_points() {
            let (_, o) = onsager_at(&m, &v, &b);
            let diag = o.l[(0, 0)] * o.l[(1, 1)];
            assert!(o.l[(0, 0)] > 0.0);
            // Rounding floor: in the heat representation J_Q = J_E − μ J_N cancels when
            // ε ≈ μ, so L_NQ = (ε − μ) L_NN carries an absolute error ~ ε_mach (|ε| + |μ|) L_NN
            // and det L one of ~ 2 |ε − μ| L_NN · ε_mach (|ε| + |μ|) L_NN.
            let (eps, mu) = (v[param(&m, "eps")], v[param(&m, "mu_r")]);
            let e = match representation {
                Representation::Energy => eps,
                Representation::Heat => eps - mu,
            };
            let floor = 1e-14 * o.l[(0, 0)].powi(2) * (eps.abs() + mu.abs()) * e.abs();
            assert!(
                o.determinant.abs() <= 1e-12 * diag.abs() + floor,
                "det L = {} vs L_NN L_EE = {diag} ({representation:?}, {v:?})",
                o.determinant
            );
            // Rank one with a non-negative eigenvalue equal to the trace.
            assert!(o.eigenvalues[0].abs() <= 1e-12 * o.eigenvalues[1]);
            assert_relative_eq!(
                o.eigenvalues[1],
                o.l.trace(),
                max_relative = 1e-12,
                epsilon = 0.0
            );
        }
    }
}

#[test]
fn entropy_production_nonnegative_over_random_sweep() {
    let m = model("sqd");
    let b = basis(&m, Representation::Energy);
    let mut rng = Rng::new(13);
    for i in 0..2000 {
        let mut v = random_values(&m, &mut rng);
        // Every tenth point: far from equilibrium (|β ω| up to ~100).
        if i % 10 == 0 {
            v[param(&m, "eps")] *= 25.0;
            v[param(&m, "T_l")] *= 0.2;
        }
        let (device, _, currents) = solve(&m, &v);
        let sigma = entropy_production(&device.leads, &currents);
        let gross: f64 = currents
            .iter()
            .zip(&device.leads)
            .map(|(c, l)| l.beta * (c.gross_energy + l.mu.abs() * c.gross_particle))
            .sum();
        assert!(sigma >= -1e-14 * gross, "sigma = {sigma} at {v:?}");
        let forces = b.force_values(&device.leads);
        let flux = fluxes(&m, &b, &v, &currents);
        let sigma_ff: f64 = forces.iter().zip(&flux).map(|(f, j)| f * j).sum();
        assert_abs_diff_eq!(sigma, sigma_ff, epsilon = 1e-12 * gross);
    }
}

#[test]
fn extreme_levels_give_finite_deterministic_states() {
    let m = model("sqd");
    for (eps, occupied) in [(1e4, 0.0), (-1e4, 1.0), (1e300, 0.0), (-1e300, 1.0)] {
        let v = values(&m, &[("eps", eps)]);
        let (_, steady, currents) = solve(&m, &v);
        assert_eq!(
            steady.probabilities,
            vec![1.0 - occupied, occupied],
            "eps = {eps}"
        );
        for c in &currents {
            assert!(c.particle.is_finite() && c.energy.is_finite() && c.heat.is_finite());
            assert_eq!(c.particle, 0.0);
        }
    }
}

#[test]
fn fermi_function_is_stable_and_correct() {
    for x in [
        1e4,
        -1e4,
        1e300,
        -1e300,
        745.0,
        -745.0,
        710.0,
        -710.0,
        f64::MAX,
        f64::MIN,
    ] {
        let (f, g) = fermi(x);
        assert!(f.is_finite() && g.is_finite(), "x = {x}");
        assert!(
            (0.0..=1.0).contains(&f) && (0.0..=1.0).contains(&g),
            "x = {x}"
        );
        assert_relative_eq!(f + g, 1.0, max_relative = 2.0 * f64::EPSILON, epsilon = 0.0);
        if x > 0.0 {
            assert_eq!(g, 1.0);
        } else {
            assert_eq!(f, 1.0);
        }
    }
    assert_eq!(fermi(1e4).0, 0.0);
    assert_eq!(fermi(-1e4).1, 0.0);
    assert_eq!(fermi(0.0), (0.5, 0.5));
    let mut x = -40.0;
    while x <= 40.0 {
        let (f, g) = fermi(x);
        assert_relative_eq!(f, fermi_naive(x), max_relative = 1e-14, epsilon = 0.0);
        assert_relative_eq!(g, fermi_naive(-x), max_relative = 1e-14, epsilon = 0.0);
        assert_relative_eq!(f + g, 1.0, max_relative = 2.0 * f64::EPSILON, epsilon = 0.0);
        x += 0.37;
    }
    // Deep tails keep full relative precision: f(x) = e^{−x} / (1 + e^{−x}).
    for x in [50.0, 200.0, 700.0] {
        assert_relative_eq!(fermi(x).0, (-x).exp(), max_relative = 1e-14, epsilon = 0.0);
        assert_relative_eq!(fermi(-x).1, (-x).exp(), max_relative = 1e-14, epsilon = 0.0);
    }
}

#[test]
fn zero_rates_give_non_unique_steady_state_error() {
    let m = model("sqd");
    let v = values(&m, &[("gamma_l", 0.0), ("gamma_r", 0.0)]);
    let device = Device::new(&m, &v).unwrap();
    match steady_currents(&device) {
        Err(Error::NonUniqueSteadyState { count, .. }) => assert_eq!(count, 2),
        other => panic!("expected NonUniqueSteadyState, got {other:?}"),
    }
    // The command line's reports of the point: crates/qct-cli/tests/numeric/reports.rs.
    // One closed lead is fine: the dot equilibrates with the other lead (Gibbs with
    // T_r, μ_r) and carries no current.
    let v = values(&m, &[("gamma_l", 0.0)]);
    let (_, steady, currents) = solve(&m, &v);
    let f_r = fermi_naive((v[param(&m, "eps")] - v[param(&m, "mu_r")]) / v[param(&m, "T_r")]);
    assert_relative_eq!(
        steady.probabilities[1],
        f_r,
        max_relative = 1e-14,
        epsilon = 0.0
    );
    assert!(currents.iter().all(|c| c.particle.abs() < 1e-16));
}
