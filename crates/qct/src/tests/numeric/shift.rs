//! The energy origin (README, Conventions, "Forces and fluxes").
//!
//! Shift every dot level ε_α and every chemical potential μ_λ by c, interactions U, K
//! unchanged. Adding an electron to any dot then costs ω + c, so every
//! x = β_λ (ω − μ_λ) is unchanged: p and J_N^λ are unchanged and
//! J_E^λ → J_E^λ + c J_N^λ, F_E^λ → F_E^λ,
//! F_N^λ = β_λ μ_λ − β_ρc μ_ρc → F_N^λ + c (β_λ − β_ρc) = F_N^λ − c F_E^λ (ρ_c = ρ here).
//!
//! Energy representation: with fluxes J = (J_N^·, J_E^·), J' = T J and F' = T⁻ᵀ F where
//! T = 1 + c Σ_λ e_{E^λ} e_{N^λ}ᵀ (the entry (E^λ, N^λ) is c when both fluxes are
//! present); so J' = T L F = T L Tᵀ F' and L' = T L Tᵀ. For the single dot
//! L'_NN = L_NN, L'_NE = L_NE + c L_NN, L'_EE = L_EE + 2c L_NE + c² L_NN.
//! For cqd (fluxes N^l, E^l, E^u): J_E^u → J_E^u + c J_N^u = J_E^u because dot u is its
//! own component with one lead (J_N^u = 0 in any steady state), so only row and column
//! E^l mix with N^l. For sb (forces N^l, E^u) nothing mixes: F_E^l ≡ 0 is dropped and
//! J_N^u = 0, so L is origin-free there.
//!
//! Heat representation: J_Q^λ = J_E^λ − μ_ρc J_N^λ, F_Q^λ and F_N^λ = β_λ (μ_λ − μ_ρc)
//! are all invariant, so L is unchanged.

use crate::model::Model;
use crate::tests::common::*;
use crate::thermo::{FluxKind, ForceBasis, Representation, entropy_production};
use nalgebra::DMatrix;

const MODELS: [&str; 6] = ["sqd", "cqd", "sb", "icc", "anderson", "dd2"];
const SHIFTS: [f64; 4] = [0.7, -1.3, 3.0, -0.05];

fn shifted(m: &Model, v: &[f64], c: f64) -> Vec<f64> {
    let mut s = v.to_vec();
    let mut levels: Vec<usize> = m.dots.iter().map(|d| d.energy.0).collect();
    levels.sort_unstable();
    levels.dedup();
    for p in levels {
        s[p] += c;
    }
    let mut mus: Vec<usize> = m.leads.iter().map(|l| l.chemical_potential.0).collect();
    mus.sort_unstable();
    mus.dedup();
    for p in mus {
        s[p] += c;
    }
    s
}

/// T = 1 + c Σ_λ e_{E^λ} e_{N^λ}ᵀ over the forces of `b`.
fn transformation(b: &ForceBasis, c: f64) -> DMatrix<f64> {
    let k = b.len();
    let mut t = DMatrix::identity(k, k);
    for (i, fi) in b.forces.iter().enumerate() {
        for (j, fj) in b.forces.iter().enumerate() {
            if fi.kind == FluxKind::Energy && fj.kind == FluxKind::Particle && fi.lead == fj.lead {
                t[(i, j)] = c;
            }
        }
    }
    t
}

#[test]
fn transformation_matrices_of_the_seed_models() {
    let c = 0.5;
    let t = |name: &str| transformation(&basis(&model(name), Representation::Energy), c);
    assert_eq!(t("sqd"), DMatrix::from_row_slice(2, 2, &[1.0, 0.0, c, 1.0]));
    assert_eq!(t("icc"), DMatrix::from_row_slice(2, 2, &[1.0, 0.0, c, 1.0]));
    assert_eq!(
        t("anderson"),
        DMatrix::from_row_slice(2, 2, &[1.0, 0.0, c, 1.0])
    );
    assert_eq!(
        t("cqd"),
        DMatrix::from_row_slice(3, 3, &[1.0, 0.0, 0.0, c, 1.0, 0.0, 0.0, 0.0, 1.0])
    );
    assert_eq!(t("sb"), DMatrix::identity(2, 2));
}

#[test]
fn single_dot_shift_explicit() {
    let m = model("sqd");
    let b = basis(&m, Representation::Energy);
    for v in points("sqd") {
        let (_, o) = onsager_at(&m, &v, &b);
        for c in SHIFTS {
            let (_, s) = onsager_at(&m, &shifted(&m, &v, c), &b);
            let (l, ls) = (&o.l, &s.l);
            let scale = ls.amax().max(l.amax());
            let close = |a: f64, e: f64| (a - e).abs() <= 1e-10 * scale;
            assert!(close(ls[(0, 0)], l[(0, 0)]), "L_NN changed");
            assert!(
                close(ls[(0, 1)], l[(0, 1)] + c * l[(0, 0)]),
                "L_NE: {} vs {}",
                ls[(0, 1)],
                l[(0, 1)] + c * l[(0, 0)]
            );
            assert!(close(ls[(1, 0)], l[(1, 0)] + c * l[(0, 0)]), "L_EN");
            assert!(
                close(
                    ls[(1, 1)],
                    l[(1, 1)] + 2.0 * c * l[(0, 1)] + c * c * l[(0, 0)]
                ),
                "L_EE"
            );
        }
    }
}

#[test]
fn energy_representation_transforms_as_t_l_tt() {
    for name in MODELS {
        let m = model(name);
        let b = basis(&m, Representation::Energy);
        for v in points(name) {
            let (_, o) = onsager_at(&m, &v, &b);
            for c in SHIFTS {
                let (_, s) = onsager_at(&m, &shifted(&m, &v, c), &b);
                let t = transformation(&b, c);
                let expected = &t * &o.l * t.transpose();
                let dev = rel_diff(&s.l, &expected);
                assert!(
                    dev < 1e-10,
                    "{name}, c = {c}: L' = {} but T L Tᵀ = {expected} ({dev:e})",
                    s.l
                );
            }
        }
    }
}

#[test]
fn heat_representation_is_origin_free() {
    for name in MODELS {
        let m = model(name);
        let b = basis(&m, Representation::Heat);
        for v in points(name) {
            let (_, o) = onsager_at(&m, &v, &b);
            for c in SHIFTS {
                let (_, s) = onsager_at(&m, &shifted(&m, &v, c), &b);
                let dev = rel_diff(&s.l, &o.l);
                assert!(dev < 1e-10, "{name}, c = {c}: heat L changed by {dev:e}");
            }
        }
    }
}

/// The nonlinear steady state transforms the same way: p and J_N unchanged,
/// J_E^λ → J_E^λ + c J_N^λ, F_N → F_N − c F_E, Σ̇ unchanged.
#[test]
fn nonlinear_state_under_shift() {
    for name in MODELS {
        let m = model(name);
        let b = basis(&m, Representation::Energy);
        let bh = basis(&m, Representation::Heat);
        for v in points(name) {
            let (d, st, cur) = solve(&m, &v);
            for c in SHIFTS {
                let vs = shifted(&m, &v, c);
                let (ds, sts, curs) = solve(&m, &vs);
                for (p, q) in st.probabilities.iter().zip(&sts.probabilities) {
                    assert!(
                        (p - q).abs() <= 1e-12 * (p.abs() + 1e-300).max(1e-14),
                        "{name}: p changed"
                    );
                }
                for (a, s) in cur.iter().zip(&curs) {
                    let tol = 1e-12 * (a.gross_particle * (1.0 + c.abs()) + a.gross_energy);
                    assert!(
                        (s.particle - a.particle).abs() <= tol,
                        "{name}: J_N changed"
                    );
                    assert!(
                        (s.energy - (a.energy + c * a.particle)).abs() <= tol,
                        "{name}: J_E' ≠ J_E + c J_N"
                    );
                }
                let (f, fs) = (b.force_values(&d.leads), b.force_values(&ds.leads));
                for (i, force) in b.forces.iter().enumerate() {
                    let expected = match force.kind {
                        // ν = μ_s/2 is a difference of potentials: F_S is origin-free.
                        FluxKind::Energy | FluxKind::Spin => f[i],
                        FluxKind::Particle => {
                            let e = b
                                .forces
                                .iter()
                                .position(|g| g.kind == FluxKind::Energy && g.lead == force.lead);
                            // F_E^λ of a lead whose energy force is dropped vanishes.
                            f[i] - c * e.map_or(0.0, |e| f[e])
                        }
                    };
                    assert!(
                        (fs[i] - expected).abs()
                            <= 1e-12 * (1.0 + c.abs()) * (1.0 + expected.abs()),
                        "{name}: force {i}"
                    );
                }
                let (hs, h) = (bh.force_values(&ds.leads), bh.force_values(&d.leads));
                for (x, y) in hs.iter().zip(&h) {
                    assert!(
                        (x - y).abs() <= 1e-12 * (1.0 + c.abs()) * (1.0 + y.abs()),
                        "{name}: heat force changed"
                    );
                }
                let (sig, sigs) = (
                    entropy_production(&d.leads, &cur),
                    entropy_production(&ds.leads, &curs),
                );
                let scale: f64 = cur
                    .iter()
                    .zip(&ds.leads)
                    .map(|(a, l)| {
                        l.beta * (a.gross_energy + (l.mu.abs() + c.abs()) * a.gross_particle)
                    })
                    .sum();
                assert!(
                    (sig - sigs).abs() <= 1e-12 * scale,
                    "{name}: Σ̇ changed {sig} → {sigs}"
                );
            }
        }
    }
}
