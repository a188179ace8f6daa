//! Seed checks beyond the generic invariants: the Sánchez–Büttiker converter `sb`, and
//! reductions between models (dropping a force = restricting L; decoupled dots; U = 0).
//!
//! `sb` with occupation-independent rates: at T_l = T_r, μ_l = μ_r the two leads of dot b
//! see the same Fermi factors f(ω) for each occupation of u, so
//! J_N^λ = γ_λ A (λ = l, r) with one common A; conservation J_N^l + J_N^r = 0 then forces
//! A = 0: no current however hot lead u is, and L_{N^l, E^u} = 0. With γ_l1 ≠ γ_l0 the
//! symmetry is broken; exchanging the asymmetries of l and r (γ_l0 ↔ γ_r0, γ_l1 ↔ γ_r1)
//! is the mirror image l ↔ r of the device at equilibrium (T_l = T_r, μ_l = μ_r), so
//! L_{N^l, E^u} flips sign exactly.

use crate::tests::common::*;
use crate::thermo::Representation;
use nalgebra::DMatrix;

fn sb_drag(set: &[(&str, f64)], representation: Representation) -> (DMatrix<f64>, f64) {
    let m = model("sb");
    let b = basis(&m, representation);
    assert_eq!(flux_names(&b)[0], "J_N^l");
    let v = values(&m, set);
    let (_, o) = onsager_at(&m, &v, &b);
    let l = o.l.clone();
    (l.clone(), l[(0, 1)])
}

const POINTS: [[(&str, f64); 4]; 3] = [
    [("eps_b", 0.0), ("eps_u", 0.5), ("kappa", 1.0), ("T", 1.0)],
    [("eps_b", -0.4), ("eps_u", 0.2), ("kappa", -1.5), ("T", 0.7)],
    [("eps_b", 0.9), ("eps_u", -0.6), ("kappa", 2.5), ("T", 1.8)],
];

#[test]
fn sb_symmetric_rates_give_no_heat_to_current_conversion() {
    for representation in REPRESENTATIONS {
        for point in POINTS {
            for (gl, gr, gu0, gu1) in [(1.0, 0.3, 1.0, 1.0), (0.4, 0.4, 0.2, 1.7)] {
                let mut set = point.to_vec();
                set.extend([
                    ("gamma_l0", gl),
                    ("gamma_l1", gl),
                    ("gamma_r0", gr),
                    ("gamma_r1", gr),
                    ("gamma_u0", gu0),
                    ("gamma_u1", gu1),
                ]);
                let (l, drag) = sb_drag(&set, representation);
                let scale = (l[(0, 0)] * l[(1, 1)]).sqrt();
                assert!(scale > 0.0);
                assert!(
                    drag.abs() <= 1e-13 * scale,
                    "L_N^l,E^u = {drag} (scale {scale}) at {set:?}"
                );
                assert!(l[(1, 0)].abs() <= 1e-13 * scale);
                // Nonlinear: a hot lead u drives no current either.
                let m = model("sb");
                set.push(("T_u", 4.0));
                let (_, _, currents) = solve(&m, &values(&m, &set));
                assert!(
                    currents[0].particle.abs() <= 1e-14 * currents[0].gross_particle,
                    "J_N^l = {}",
                    currents[0].particle
                );
                assert!(currents[2].energy.abs() > 1e-6, "lead u does exchange heat");
            }
        }
    }
}

#[test]
fn sb_asymmetric_rates_convert_heat_and_sign_flips_with_asymmetry() {
    for representation in REPRESENTATIONS {
        for point in POINTS {
            for (a, bb) in [(1.0, 0.2), (0.5, 1.5)] {
                let mut forward = point.to_vec();
                forward.extend([
                    ("gamma_l0", a),
                    ("gamma_l1", bb),
                    ("gamma_r0", bb),
                    ("gamma_r1", a),
                ]);
                let mut reversed = point.to_vec();
                reversed.extend([
                    ("gamma_l0", bb),
                    ("gamma_l1", a),
                    ("gamma_r0", a),
                    ("gamma_r1", bb),
                ]);
                let (lf, df) = sb_drag(&forward, representation);
                let (lr, dr) = sb_drag(&reversed, representation);
                let scale = (lf[(0, 0)] * lf[(1, 1)]).sqrt();
                assert!(
                    df.abs() > 1e-3 * scale,
                    "L_N^l,E^u = {df} should be nonzero at {forward:?}"
                );
                assert!(
                    df.signum() == -dr.signum(),
                    "sign does not flip: {df} vs {dr}"
                );
                assert!(
                    (df + dr).abs() <= 1e-10 * df.abs(),
                    "mirror image: {df} vs {dr}"
                );
                // The mirror leaves the diagonal unchanged.
                assert!((lf[(0, 0)] - lr[(0, 0)]).abs() <= 1e-10 * lf[(0, 0)]);
                assert!((lf[(1, 1)] - lr[(1, 1)]).abs() <= 1e-10 * lf[(1, 1)]);
            }
        }
    }
}

/// Beyond linear response: heating lead u alone (μ_l = μ_r, T_u > T) drives a current
/// J_N^l with the sign of L_{N^l, E^u}, both for a small and a large temperature difference.
#[test]
fn sb_nonlinear_current_follows_linear_response_sign() {
    let m = model("sb");
    let b = basis(&m, Representation::Energy);
    for point in POINTS {
        let v = values(&m, &point);
        let (_, o) = onsager_at(&m, &v, &b);
        let drag = o.l[(0, 1)];
        for t_u in [1.05 * point[3].1, 2.0 * point[3].1] {
            let mut hot = v.clone();
            hot[param(&m, "T_u")] = t_u;
            hot[param(&m, "mu_l")] = 0.0;
            hot[param(&m, "mu_r")] = 0.0;
            let (_, _, currents) = solve(&m, &hot);
            let j = currents[0].particle;
            assert!(
                j.signum() == drag.signum() && j.abs() > 1e-12,
                "J_N^l = {j}, L_N^l,E^u = {drag}"
            );
        }
    }
}

/// Dropping a force restricts L: sb is cqd with F_E^l ≡ 0 (T_l = T_r), icc with K = 0 is
/// cqd with F_E^u ≡ 0 (T_r = T_u); their L are the corresponding sub-blocks of cqd's.
#[test]
fn dropped_forces_restrict_the_onsager_matrix() {
    let cqd = model("cqd");
    for representation in REPRESENTATIONS {
        let bc = basis(&cqd, representation);
        let mut rng = Rng::new(21);
        for _ in 0..4 {
            let v = random_values(&cqd, &mut rng);
            let g = |n: &str| v[param(&cqd, n)];
            let (_, oc) = onsager_at(&cqd, &v, &bc);
            // sb ↔ rows/columns (N^l, E^u) = (0, 2).
            let sb = model("sb");
            let mut set: Vec<(&str, f64)> = [
                "eps_b", "eps_u", "kappa", "gamma_l0", "gamma_l1", "gamma_r0", "gamma_r1",
                "gamma_u0", "gamma_u1", "T_u", "mu_l", "mu_r", "mu_u",
            ]
            .iter()
            .map(|n| (*n, g(n)))
            .collect();
            set.push(("T", g("T_r")));
            let (_, os) = onsager_at(&sb, &values(&sb, &set), &basis(&sb, representation));
            let sub = oc.l.select_rows(&[0, 2]).select_columns(&[0, 2]);
            assert!(
                rel_diff(&os.l, &sub) < 1e-12,
                "sb vs cqd block: {} vs {sub}",
                os.l
            );
            // icc with kappa_s = 0 ↔ rows/columns (N^l, E^l) = (0, 1).
            let icc = model("icc");
            let mut set: Vec<(&str, f64)> = [
                "eps_b", "eps_u", "gamma_l0", "gamma_l1", "gamma_r0", "gamma_r1", "gamma_u0",
                "gamma_u1", "T_l", "mu_l", "mu_r", "mu_u",
            ]
            .iter()
            .map(|n| (*n, g(n)))
            .collect();
            set.extend([("kappa_c", g("kappa")), ("kappa_s", 0.0), ("T", g("T_r"))]);
            let (_, oi) = onsager_at(&icc, &values(&icc, &set), &basis(&icc, representation));
            let sub = oc.l.select_rows(&[0, 1]).select_columns(&[0, 1]);
            assert!(rel_diff(&oi.l, &sub) < 1e-12, "icc vs cqd block");
        }
    }
}

/// the README's Conventions's H with σ^z = ±1: adding an electron to b costs ε_b + 2K (u empty) or
/// ε_b + U − 2K (u occupied), likewise for u; so icc(ε_b, ε_u, κ_c, κ_s) has the transition
/// energies of cqd(ε_b + 2κ_s, ε_u + 2κ_s, κ = κ_c − 4κ_s) and the same Onsager matrix.
#[test]
fn icc_spin_coupling_is_a_shifted_charge_coupling() {
    let icc = model("icc");
    let cqd = model("cqd");
    let mut rng = Rng::new(31);
    for representation in REPRESENTATIONS {
        for _ in 0..4 {
            let v = random_values(&icc, &mut rng);
            let g = |n: &str| v[param(&icc, n)];
            let ks = g("kappa_s");
            let mut set: Vec<(&str, f64)> = [
                "gamma_l0", "gamma_l1", "gamma_r0", "gamma_r1", "gamma_u0", "gamma_u1", "T_l",
                "mu_l", "mu_r", "mu_u",
            ]
            .iter()
            .map(|n| (*n, g(n)))
            .collect();
            set.extend([
                ("eps_b", g("eps_b") + 2.0 * ks),
                ("eps_u", g("eps_u") + 2.0 * ks),
                ("kappa", g("kappa_c") - 4.0 * ks),
                ("T_r", g("T")),
                ("T_u", g("T")),
            ]);
            let (_, oi) = onsager_at(&icc, &v, &basis(&icc, representation));
            let (_, oc) = onsager_at(&cqd, &values(&cqd, &set), &basis(&cqd, representation));
            let sub = oc.l.select_rows(&[0, 1]).select_columns(&[0, 1]);
            assert!(rel_diff(&oi.l, &sub) < 1e-10, "icc {} vs cqd {sub}", oi.l);
        }
    }
}

/// Decoupled limits. anderson with U = 0 is two independent single dots: L = 2 L_sqd.
/// cqd with κ = 0 and occupation-independent rates: dot b is a single dot and dot u
/// (one lead) carries nothing, L = diag(L_sqd, 0).
#[test]
fn decoupled_limits() {
    let sqd = model("sqd");
    let anderson = model("anderson");
    let cqd = model("cqd");
    let mut rng = Rng::new(41);
    for representation in REPRESENTATIONS {
        for _ in 0..4 {
            let v = random_values(&sqd, &mut rng);
            let g = |n: &str| v[param(&sqd, n)];
            let (_, os) = onsager_at(&sqd, &v, &basis(&sqd, representation));
            let set: Vec<(&str, f64)> = ["eps", "gamma_l", "gamma_r", "T_l", "T_r", "mu_l", "mu_r"]
                .iter()
                .map(|n| (*n, g(n)))
                .collect();
            let mut with_u = set.clone();
            with_u.push(("U", 0.0));
            let (_, oa) = onsager_at(
                &anderson,
                &values(&anderson, &with_u),
                &basis(&anderson, representation),
            );
            assert!(
                rel_diff(&oa.l, &(&os.l * 2.0)) < 1e-12,
                "anderson(U=0) vs 2 sqd"
            );
            let set = [
                ("eps_b", g("eps")),
                ("gamma_l0", g("gamma_l")),
                ("gamma_l1", g("gamma_l")),
                ("gamma_r0", g("gamma_r")),
                ("gamma_r1", g("gamma_r")),
                ("T_l", g("T_l")),
                ("T_r", g("T_r")),
                ("mu_l", g("mu_l")),
                ("mu_r", g("mu_r")),
                ("kappa", 0.0),
                ("T_u", 2.7),
                ("mu_u", -0.3),
            ];
            let (_, oc) = onsager_at(&cqd, &values(&cqd, &set), &basis(&cqd, representation));
            let mut expected = DMatrix::zeros(3, 3);
            expected.view_mut((0, 0), (2, 2)).copy_from(&os.l);
            assert!(
                rel_diff(&oc.l, &expected) < 1e-12,
                "cqd(κ=0): {} vs {expected}",
                oc.l
            );
        }
    }
}
