//! Invariants every model must satisfy at every parameter point, in both representations:
//! normalisation and positivity of p, W p = 0, conservation, the two expressions of Σ̇,
//! Σ̇ ≥ 0, and for the Onsager matrix symmetry, positive semidefiniteness, agreement with
//! an independent finite difference of the nonlinear solver, and J = L F + O(F²).

use crate::currents::conservation;
use crate::model::Model;
use crate::rates::{Device, generator};
use crate::tests::common::*;
use crate::thermo::{
    FluxKind, ForceBasis, Representation, entropy_production, entropy_production_from_forces,
    equilibrium_parameters,
};
use approx::assert_abs_diff_eq;
use nalgebra::{DMatrix, DVector};

/// All models checked here: the built-ins and a two-terminal double dot.
const MODELS: [&str; 6] = ["sqd", "cqd", "sb", "icc", "anderson", "dd2"];

/// Forces by their definitions, read directly from the parameter values.
fn forces_by_definition(m: &Model, b: &ForceBasis, v: &[f64]) -> Vec<f64> {
    let beta = |l: usize| 1.0 / v[m.leads[l].temperature.0];
    let mu = |l: usize| v[m.leads[l].chemical_potential.0];
    let rho = b.references.energy;
    b.forces
        .iter()
        .map(|f| {
            let rc = particle_reference(m, &b.references, f.lead);
            match (f.kind, b.representation) {
                (FluxKind::Energy, _) => beta(rho) - beta(f.lead),
                (FluxKind::Particle, Representation::Energy) => {
                    beta(f.lead) * mu(f.lead) - beta(rc) * mu(rc)
                }
                (FluxKind::Particle, Representation::Heat) => beta(f.lead) * (mu(f.lead) - mu(rc)),
                (FluxKind::Spin, _) => unreachable!("these models declare no spin bias"),
            }
        })
        .collect()
}

/// Nonlinear steady state at `v`: normalisation, positivity, W p = 0 (and an independent
/// LU solve), conservation, J_Q, and Σ̇ = −Σ β J_Q = Σ F J > 0 in every basis of `bases`.
fn check_steady_state(name: &str, m: &Model, v: &[f64], bases: &[ForceBasis]) {
    let components = m.components();
    let (device, steady, currents) = solve(m, v);
    let p = &steady.probabilities;
    let n = device.n_states;
    // Σ p = 1, p ≥ 0.
    assert!(
        (p.iter().sum::<f64>() - 1.0).abs() <= 1e-14,
        "{name}: sum p"
    );
    assert!(
        p.iter().all(|&x| x >= 0.0),
        "{name}: negative probability {p:?}"
    );
    // W p = 0 relative to the largest probability outflow.
    let rates = device.rate_matrix(&device.occupations());
    let w = generator(&rates);
    let wp = &w * DVector::from_column_slice(p);
    let outflow = (0..n).map(|k| -w[(k, k)] * p[k]).fold(0.0, f64::max);
    assert!(
        wp.amax() <= 1e-14 * outflow,
        "{name}: |W p| = {} at {v:?}",
        wp.amax()
    );
    assert!(
        steady.residual < 1e-14,
        "{name}: residual {}",
        steady.residual
    );
    // 1ᵀ W = 0: probability is conserved by the generator.
    for i in 0..n {
        let col: f64 = w.column(i).sum();
        assert!(
            col.abs() <= 1e-14 * w[(i, i)].abs().max(1e-300),
            "{name}: column sum"
        );
    }
    // Independent solve: W with its last row replaced by Σ p = 1, by LU.
    let mut a = w.clone();
    a.row_mut(n - 1).fill(1.0);
    let mut rhs = DVector::zeros(n);
    rhs[n - 1] = 1.0;
    let q = a.lu().solve(&rhs).expect("non-singular");
    for k in 0..n {
        assert!(
            (q[k] - p[k]).abs() < 1e-12,
            "{name}: p_{k} GTH {} vs LU {}",
            p[k],
            q[k]
        );
    }
    // Conservation: Σ_λ J_E^λ = 0 and Σ_{λ∈c} J_N^λ = 0, relative to gross exchange.
    let cons = conservation(&currents, &components);
    assert!(
        cons.energy < 1e-12,
        "{name}: energy conservation {}",
        cons.energy
    );
    assert!(
        cons.particles.iter().all(|&r| r < 1e-12),
        "{name}: {:?}",
        cons.particles
    );
    let gross_e: f64 = currents.iter().map(|c| c.gross_energy).sum();
    let net_e: f64 = currents.iter().map(|c| c.energy).sum();
    assert!(net_e.abs() <= 1e-12 * gross_e);
    for comp in &components {
        let net: f64 = comp.leads.iter().map(|&l| currents[l].particle).sum();
        let gross: f64 = comp.leads.iter().map(|&l| currents[l].gross_particle).sum();
        assert!(
            net.abs() <= 1e-12 * gross,
            "{name}: particles of a component"
        );
    }
    // J_Q^λ = J_E^λ − μ_λ J_N^λ.
    for (c, l) in currents.iter().zip(&device.leads) {
        assert!(
            (c.heat - (c.energy - l.mu * c.particle)).abs()
                <= 1e-15 * (c.energy.abs() + (l.mu * c.particle).abs())
        );
    }
    // Σ̇ in both representations: −Σ β_λ J_Q^λ = Σ F_i J_i ≥ 0.
    let scale: f64 = currents
        .iter()
        .zip(&device.leads)
        .map(|(c, l)| l.beta * (c.gross_energy + l.mu.abs() * c.gross_particle))
        .sum();
    let sigma = entropy_production(&device.leads, &currents);
    let sigma_direct: f64 = -currents
        .iter()
        .zip(&device.leads)
        .map(|(c, l)| l.beta * (c.energy - l.mu * c.particle))
        .sum::<f64>();
    assert_abs_diff_eq!(sigma, sigma_direct, epsilon = 1e-14 * scale);
    assert!(
        sigma > 0.0,
        "{name}: sigma = {sigma} at {v:?} (out of equilibrium)"
    );
    for b in bases {
        let representation = b.representation;
        let forces = b.force_values(&device.leads);
        let expected_forces = forces_by_definition(m, b, v);
        for (f, e) in forces.iter().zip(&expected_forces) {
            assert!(
                (f - e).abs() <= 1e-14 * (1.0 + e.abs()),
                "{name}: force {f} vs {e}"
            );
        }
        let flux = b.flux_values(&device.leads, &currents);
        assert_eq!(flux, fluxes(m, b, v, &currents), "{name}: fluxes");
        let sigma_ff = entropy_production_from_forces(&forces, &flux);
        assert!(
            (sigma - sigma_ff).abs() <= 1e-12 * scale,
            "{name} {representation:?}: sigma {sigma} vs sum F J {sigma_ff} at {v:?}"
        );
    }
}

#[test]
fn steady_state_invariants() {
    for name in MODELS {
        let m = model(name);
        let bases = REPRESENTATIONS.map(|r| basis(&m, r));
        for v in points(name) {
            check_steady_state(name, &m, &v, &bases);
        }
    }
}

/// Central difference with one Richardson step (error O(h⁴)) of the fluxes along force j,
/// through the independent route `values_at_forces` → `Device::new` → solver.
fn richardson_column(m: &Model, b: &ForceBasis, eq: &[f64], j: usize, h: f64) -> Vec<f64> {
    let at = |x: f64| {
        let mut forces = vec![0.0; b.len()];
        forces[j] = x;
        fluxes_at_forces(m, b, eq, &forces)
    };
    let central = |h: f64| -> Vec<f64> {
        let (p, q) = (at(h), at(-h));
        p.iter().zip(&q).map(|(a, c)| (a - c) / (2.0 * h)).collect()
    };
    let (d1, d2) = (central(h), central(h / 2.0));
    d1.iter()
        .zip(&d2)
        .map(|(a, c)| (4.0 * c - a) / 3.0)
        .collect()
}

/// Onsager matrix at the equilibrium of `v` in basis `b`: symmetric, positive
/// semidefinite, consistent diagnostics, equal to the code's finite difference and to an
/// independent Richardson-extrapolated finite difference through the parameter values.
fn check_onsager(name: &str, m: &Model, b: &ForceBasis, v: &[f64]) {
    let representation = b.representation;
    let (eq, o) = onsager_at(m, v, b);
    let l = &o.l;
    let k = b.len();
    let scale = l.amax();
    assert!(scale > 0.0);
    // Symmetric (Onsager reciprocity).
    let asym = (l - l.transpose()).amax();
    assert!(
        asym <= 1e-10 * scale,
        "{name} {representation:?}: |L − Lᵀ| = {asym}, L = {l}"
    );
    assert_abs_diff_eq!(
        o.reciprocity_residual,
        asym,
        epsilon = 1e-300 + 1e-12 * scale
    );
    // Positive semidefinite (own eigen-decomposition of the symmetric part).
    let sym = (l + l.transpose()) * 0.5;
    let eig = sym.clone().symmetric_eigen().eigenvalues;
    assert!(
        eig.min() >= -1e-12 * scale,
        "{name} {representation:?}: eigenvalues {eig}"
    );
    for i in 0..k {
        assert!(l[(i, i)] > 0.0, "{name}: diagonal L_{i}{i} = {}", l[(i, i)]);
    }
    let mut reported = o.eigenvalues.clone();
    let mut mine: Vec<f64> = eig.iter().copied().collect();
    mine.sort_by(f64::total_cmp);
    reported.sort_by(f64::total_cmp);
    for (a, c) in mine.iter().zip(&reported) {
        assert_abs_diff_eq!(a, c, epsilon = 1e-12 * scale);
    }
    assert_abs_diff_eq!(
        o.determinant,
        l.determinant(),
        epsilon = 1e-12 * scale.powi(k as i32)
    );
    // Agreement with finite differences: the code's own central difference and an
    // independent Richardson-extrapolated one through the parameter values.
    assert!(
        rel_diff(l, &o.l_finite_difference) < 1e-6,
        "{name}: L vs L_fd"
    );
    let beta_rho = 1.0 / eq[m.leads[b.references.energy].temperature.0];
    let mut fd = DMatrix::zeros(k, k);
    for (j, f) in b.forces.iter().enumerate() {
        let h = match f.kind {
            FluxKind::Energy => 1e-3 * beta_rho,
            FluxKind::Particle | FluxKind::Spin => 1e-3,
        };
        let col = richardson_column(m, b, &eq, j, h);
        for i in 0..k {
            fd[(i, j)] = col[i];
        }
    }
    let dev = rel_diff(l, &fd);
    assert!(
        dev < 1e-6,
        "{name} {representation:?} at {v:?}: L = {l} vs FD {fd} (deviation {dev:e})"
    );
}

#[test]
fn onsager_matrix_properties() {
    for name in MODELS {
        let m = model(name);
        for representation in REPRESENTATIONS {
            let b = basis(&m, representation);
            for v in points(name) {
                check_onsager(name, &m, &b, &v);
            }
        }
    }
}

/// J(ε F) = ε L F + O(ε²) along a random direction F, through the nonlinear solver at
/// parameter values built from the force definitions (and `leads_at_forces` agrees).
fn check_linear_response(name: &str, m: &Model, b: &ForceBasis, v: &[f64], rng: &mut Rng) {
    let representation = b.representation;
    let (eq, o) = onsager_at(m, v, b);
    let beta_rho = 1.0 / eq[m.leads[b.references.energy].temperature.0];
    let direction: Vec<f64> = b
        .forces
        .iter()
        .map(|f| {
            let x = rng.uniform(0.3, 1.0)
                * if rng.uniform(0.0, 1.0) < 0.5 {
                    -1.0
                } else {
                    1.0
                };
            match f.kind {
                FluxKind::Energy => 0.5 * beta_rho * x,
                FluxKind::Particle | FluxKind::Spin => x,
            }
        })
        .collect();
    let lf = &o.l * DVector::from_column_slice(&direction);
    // At F = 0 (the equilibrium) every flux vanishes.
    let j0 = fluxes_at_forces(m, b, &eq, &vec![0.0; b.len()]);
    let (_, _, c0) = solve(m, &eq);
    let gross: f64 = c0.iter().map(|c| c.gross_energy + c.gross_particle).sum();
    assert!(vec_max_abs(&j0) <= 1e-14 * gross, "{name}: J(0) = {j0:?}");
    let flux_at = |eps: f64| -> Vec<f64> {
        let forces: Vec<f64> = direction.iter().map(|x| eps * x).collect();
        // The code's own inverse of the forces must agree with the definition.
        let leads = b.leads_at_forces(&Device::new(m, &eq).unwrap().leads, &forces);
        let values = values_at_forces(m, b, &eq, &forces);
        let device = Device::new(m, &values).unwrap();
        for (a, c) in leads.iter().zip(&device.leads) {
            assert_abs_diff_eq!(a.beta, c.beta, epsilon = 1e-14 * c.beta);
            assert_abs_diff_eq!(a.mu, c.mu, epsilon = 1e-14 * (1.0 + c.mu.abs()));
        }
        let back = b.force_values(&device.leads);
        for (x, y) in back.iter().zip(&forces) {
            assert_abs_diff_eq!(x, y, epsilon = 1e-14 * (1.0 + beta_rho));
        }
        fluxes_at_forces(m, b, &eq, &forces)
    };
    // J(ε) − ε L F split into its parts odd and even in ε: if L is the derivative,
    // the odd part is O(ε³) and the even part O(ε²) (halving ε divides them by
    // ≥ 8 and ≥ 4), whatever the size of the higher coefficients. An error δ in L
    // would leave an odd part δ ε that only halves.
    let parts = |eps: f64| -> (f64, f64, f64) {
        let (p, q) = (flux_at(eps), flux_at(-eps));
        let odd = (0..b.len())
            .map(|i| ((p[i] - q[i]) / 2.0 - eps * lf[i]).abs())
            .fold(0.0, f64::max);
        let even = (0..b.len())
            .map(|i| ((p[i] + q[i]) / 2.0).abs())
            .fold(0.0, f64::max);
        let total = (0..b.len())
            .map(|i| (p[i] - eps * lf[i]).abs())
            .fold(0.0, f64::max);
        (odd, even, total)
    };
    let eps = 1e-2;
    let linear = eps * lf.amax();
    // Rounding floor of a flux: ~ε_mach times the gross exchange (with |μ| for J_Q).
    let mu_max = eq
        .iter()
        .zip(&m.parameters)
        .filter(|(_, p)| p.role == crate::model::Role::ChemicalPotential)
        .fold(0.0f64, |a, (x, _)| a.max(x.abs()));
    let floor = (1e-11 * linear).max(1e-14 * (1.0 + mu_max) * gross);
    let (odd1, even1, total1) = parts(eps);
    let (odd2, even2, _) = parts(eps / 2.0);
    assert!(
        total1 < 0.05 * linear,
        "{name} {representation:?}: |J − εLF| = {total1:e} vs |εLF| = {linear:e}"
    );
    assert!(
        odd2 <= odd1 / 7.0 + floor,
        "{name} {representation:?} at {v:?}: odd remainder {odd1:e} → {odd2:e} is not O(ε³)"
    );
    assert!(
        even2 <= even1 / 3.5 + floor,
        "{name} {representation:?} at {v:?}: even remainder {even1:e} → {even2:e} is not O(ε²)"
    );
}

#[test]
fn fluxes_are_linear_in_small_forces() {
    for name in MODELS {
        let m = model(name);
        for representation in REPRESENTATIONS {
            let b = basis(&m, representation);
            let mut rng = Rng::new(99);
            for v in points(name) {
                check_linear_response(name, &m, &b, &v, &mut rng);
            }
        }
    }
}

/// The equilibrium of `v`: every T at T_ρ, every μ at μ_ρc, nothing else changed, all
/// forces zero.
fn check_equilibrium_parameters(name: &str, m: &Model, b: &ForceBasis, v: &[f64]) {
    let eq = equilibrium_parameters(m, b, v);
    let refs = &b.references;
    let t_rho = v[m.leads[refs.energy].temperature.0];
    for (l, lead) in m.leads.iter().enumerate() {
        assert_eq!(eq[lead.temperature.0], t_rho);
        let rc = particle_reference(m, &b.references, l);
        assert_eq!(
            eq[lead.chemical_potential.0],
            v[m.leads[rc].chemical_potential.0]
        );
    }
    // Non-thermodynamic parameters are untouched.
    for (i, p) in m.parameters.iter().enumerate() {
        if matches!(
            p.role,
            crate::model::Role::Energy | crate::model::Role::Rate
        ) {
            assert_eq!(eq[i], v[i]);
        }
    }
    let d = Device::new(m, &eq).unwrap();
    assert!(
        vec_max_abs(&b.force_values(&d.leads)) == 0.0,
        "{name}: forces at equilibrium"
    );
}

#[test]
fn equilibrium_parameters_sit_at_reference() {
    for name in MODELS {
        let m = model(name);
        for representation in REPRESENTATIONS {
            let b = basis(&m, representation);
            for v in points(name) {
                check_equilibrium_parameters(name, &m, &b, &v);
            }
        }
    }
}

/// The Kirchhoff/Schnakenberg cycle form of L (`crate::network::cycle_onsager`) is an independent route:
/// a sum of positive cycle weights times d(C) d(C)ᵀ. It must equal the linear-response L.
#[test]
fn cycle_form_agrees_with_linear_response() {
    for name in MODELS {
        let m = model(name);
        for representation in REPRESENTATIONS {
            let b = basis(&m, representation);
            for v in points(name) {
                let (eq, o) = onsager_at(&m, &v, &b);
                let device = Device::new(&m, &eq).unwrap();
                let cycles = crate::network::cycle_onsager(&device, &b).expect("cycle form");
                let dev = rel_diff(&o.l, &cycles);
                assert!(
                    dev < 1e-10,
                    "{name} {representation:?}: L = {} vs cycle form {cycles} ({dev:e})",
                    o.l
                );
            }
        }
    }
}

/// Other reference leads (`--reference`): the same invariants hold for any choice of ρ and
/// ρ_c, including ρ_c ≠ ρ (cqd with energy reference u, particle reference r). Only choices
/// whose forces are independent parameters are used here (see the report on icc/sb).
#[test]
fn invariants_with_other_reference_leads() {
    let choices: [(&str, &[&str]); 7] = [
        ("sqd", &["l"]),
        ("cqd", &["l"]),
        ("cqd", &["energy=u"]),
        ("sb", &["l"]),
        ("icc", &["energy=u"]),
        ("anderson", &["l"]),
        ("dd2", &["energy=l"]),
    ];
    for (name, choice) in choices {
        let m = model(name);
        let choice: Vec<String> = choice.iter().map(|c| c.to_string()).collect();
        let references = crate::thermo::choose_references(&m, &choice).expect("valid choice");
        assert_ne!(references, m.default_references(), "{name} {choice:?}");
        let bases = REPRESENTATIONS
            .map(|r| ForceBasis::new(&m, r, references.clone()).expect("force basis"));
        let mut rng = Rng::new(7);
        for v in points(name) {
            check_steady_state(name, &m, &v, &bases);
            for b in &bases {
                check_equilibrium_parameters(name, &m, b, &v);
                check_onsager(name, &m, b, &v);
                check_linear_response(name, &m, b, &v, &mut rng);
            }
        }
    }
}
