//! Spectrum, transitions and equilibrium: the state energies of the README's Conventions's H written out
//! by hand for every built-in, the occupation-dependent bare rates, and the equilibrium
//! (every lead at the reference T, every lead of a component at its reference μ): all
//! currents vanish and p is the grand-canonical Gibbs distribution
//! p_k ∝ exp(−β (E_k − Σ_c μ_c N_c(k))).

use crate::model::Model;
use crate::spectrum::{energies, occupation};
use crate::tests::common::*;
use crate::thermo::{Representation, entropy_production, equilibrium_parameters};
use approx::assert_abs_diff_eq;

/// E_k written out by hand from H = Σ ε n + Σ U n n + Σ K σ^z σ^z, σ^z = s (2n − 1), for
/// k = n_1 + 2 n_2 (dot 1 least significant).
fn hand_spectrum(name: &str, m: &Model, v: &[f64]) -> Vec<f64> {
    let g = |n: &str| v[param(m, n)];
    match name {
        "sqd" => vec![0.0, g("eps")],
        "cqd" | "sb" => {
            let (b, u, k) = (g("eps_b"), g("eps_u"), g("kappa"));
            vec![0.0, b, u, b + u + k]
        }
        // b spin-down: σ_b = 1 − 2 n_b; u spin-up: σ_u = 2 n_u − 1.
        // |00⟩: σσ = (+1)(−1) = −1; |10⟩: (−1)(−1) = +1; |01⟩: (+1)(+1) = +1; |11⟩: −1.
        "icc" => {
            let (b, u, uc, ks) = (g("eps_b"), g("eps_u"), g("kappa_c"), g("kappa_s"));
            vec![-ks, b + ks, u + ks, b + u + uc - ks]
        }
        "anderson" => {
            let (e, u) = (g("eps"), g("U"));
            vec![0.0, e, e, e + e + u]
        }
        "dd2" => {
            let (a, b, u) = (g("e1"), g("e2"), g("U"));
            vec![0.0, a, b, a + b + u]
        }
        _ => unreachable!(),
    }
}

const MODELS: [&str; 6] = ["sqd", "cqd", "sb", "icc", "anderson", "dd2"];

#[test]
fn spectrum_matches_hand_written_hamiltonian() {
    for name in MODELS {
        let m = model(name);
        for v in points(name) {
            let e = energies(&m, &v);
            let hand = hand_spectrum(name, &m, &v);
            let scale: f64 = v.iter().map(|x| x.abs()).sum();
            for (k, (a, b)) in e.iter().zip(&hand).enumerate() {
                assert!(
                    (a - b).abs() <= 1e-15 * scale,
                    "{name}: E_{k} = {a}, by hand {b}"
                );
            }
        }
    }
}

#[test]
fn transitions_have_right_energies_and_occupation_dependent_rates() {
    for name in ["cqd", "sb", "icc"] {
        let m = model(name);
        let mut rng = Rng::new(5);
        let v = random_values(&m, &mut rng);
        let d = crate::rates::Device::new(&m, &v).unwrap();
        // Each of l, r, u: two transitions (other dot empty, occupied): 6 in all.
        assert_eq!(d.transitions.len(), 6, "{name}");
        for t in &d.transitions {
            assert_eq!(
                t.to,
                t.from | (1 << t.dot),
                "{name}: a transition adds one electron"
            );
            assert_eq!(t.from & (1 << t.dot), 0);
            assert_eq!(t.omega, d.energies[t.to] - d.energies[t.from]);
            let lead = &m.leads[t.lead].name;
            let other = 1 - t.dot;
            let suffix = occupation(t.from, other);
            assert_eq!(
                t.gamma,
                v[param(&m, &format!("gamma_{lead}{suffix}"))],
                "{name}: lead {lead}"
            );
            let expected_dot = if lead == "u" { 1 } else { 0 };
            assert_eq!(t.dot, expected_dot);
        }
    }
    // dd2: lead l on d2 depends on d1; lead r on d2 does not.
    let m = model("dd2");
    let v = m.defaults();
    let d = crate::rates::Device::new(&m, &v).unwrap();
    assert_eq!(d.transitions.len(), 8);
    for t in d.transitions.iter().filter(|t| t.dot == 1 && t.lead == 0) {
        let expected = if occupation(t.from, 0) == 1 {
            "gl2b"
        } else {
            "gl2a"
        };
        assert_eq!(t.gamma, v[param(&m, expected)]);
    }
}

/// Gibbs distribution computed independently: p_k ∝ exp(−β (E_k − Σ_c μ_c N_c(k))), with
/// the hand-written spectrum, β of the energy reference and μ_c of each component's
/// reference lead.
fn gibbs(name: &str, m: &Model, eq: &[f64]) -> Vec<f64> {
    let refs = m.default_references();
    let beta = 1.0 / eq[m.leads[refs.energy].temperature.0];
    let comps = m.components();
    let e = hand_spectrum(name, m, eq);
    let grand: Vec<f64> = (0..m.n_states())
        .map(|k| {
            let mut g = e[k];
            for (c, comp) in comps.iter().enumerate() {
                let mu_c = eq[m.leads[refs.particles[c]].chemical_potential.0];
                let n_c: u8 = comp.dots.iter().map(|&d| occupation(k, d)).sum();
                g -= mu_c * n_c as f64;
            }
            g
        })
        .collect();
    let min = grand.iter().copied().fold(f64::INFINITY, f64::min);
    let w: Vec<f64> = grand.iter().map(|g| (-beta * (g - min)).exp()).collect();
    let z: f64 = w.iter().sum();
    w.iter().map(|x| x / z).collect()
}

#[test]
fn equilibrium_is_gibbs_with_vanishing_currents() {
    for name in MODELS {
        let m = model(name);
        for representation in REPRESENTATIONS {
            let b = basis(&m, representation);
            for v in points(name) {
                let eq = equilibrium_parameters(&m, &b, &v);
                let (device, steady, currents) = solve(&m, &eq);
                let expected = gibbs(name, &m, &eq);
                for (k, (p, q)) in steady.probabilities.iter().zip(&expected).enumerate() {
                    assert!(
                        (p - q).abs() <= 1e-12 * q,
                        "{name}: p_{k} = {p}, Gibbs {q} at {eq:?}"
                    );
                }
                for (l, c) in currents.iter().enumerate() {
                    assert!(c.gross_particle > 0.0);
                    assert!(
                        c.particle.abs() <= 1e-14 * c.gross_particle,
                        "{name}: J_N^{l} = {}",
                        c.particle
                    );
                    assert!(
                        c.energy.abs() <= 1e-14 * c.gross_energy.max(c.gross_particle),
                        "{name}: J_E^{l} = {}",
                        c.energy
                    );
                }
                let scale: f64 = currents
                    .iter()
                    .zip(&device.leads)
                    .map(|(c, l)| l.beta * (c.gross_energy + l.mu.abs() * c.gross_particle))
                    .sum();
                assert!(entropy_production(&device.leads, &currents).abs() <= 1e-14 * scale);
            }
        }
    }
}

/// Each conserved component keeps its own μ at equilibrium: in cqd dot u (its own
/// component, one lead) stays at μ_u ≠ μ_r even with κ ≠ 0, and the Gibbs distribution
/// needs both chemical potentials.
#[test]
fn equilibrium_keeps_each_component_at_its_own_chemical_potential() {
    let m = model("cqd");
    let b = basis(&m, Representation::Energy);
    let v = values(
        &m,
        &[
            ("mu_u", 0.8),
            ("mu_r", -0.4),
            ("mu_l", 0.3),
            ("kappa", -1.3),
        ],
    );
    let eq = equilibrium_parameters(&m, &b, &v);
    assert_eq!(eq[param(&m, "mu_u")], 0.8);
    assert_eq!(eq[param(&m, "mu_l")], -0.4);
    let (_, steady, currents) = solve(&m, &eq);
    let expected = gibbs("cqd", &m, &eq);
    for (p, q) in steady.probabilities.iter().zip(&expected) {
        assert_abs_diff_eq!(p, q, epsilon = 1e-12 * q);
    }
    assert!(
        currents
            .iter()
            .all(|c| c.particle.abs() <= 1e-14 * c.gross_particle)
    );
    // A single μ for both components would be a different (wrong) distribution here.
    let mut wrong = eq.clone();
    wrong[param(&m, "mu_u")] = -0.4;
    let other = gibbs("cqd", &m, &wrong);
    assert!(
        steady
            .probabilities
            .iter()
            .zip(&other)
            .any(|(p, q)| (p - q).abs() > 1e-3)
    );
}
