//! Spin accumulation (issue 14, item 3): a lead's spin bias μ_s = μ_↑ − μ_↓, the spin current
//! J_S = J_N↑ − J_N↓ and its force F_S = Δ(β μ_s/2), on `examples/spin_seebeck.json` (a
//! Zeeman-split level between a polarised lead l and a normal lead r with spin bias μ_s,r).
//!
//! * No spin bias declared, or μ_s = 0: currents, Σ̇ and the (N, E) block of L are those of
//!   the model without spin bias, bit for bit.
//! * Random nonlinear points: N_↑, N_↓ and E conserved separately; Σ̇ = −Σ β_λ J_Q^λ =
//!   Σ F J ≥ 0 with J_Q = J_E − Σ_σ μ_σ J_Nσ; the power −Σ μ_σ J_Nσ = Σ J_Q.
//! * Random equilibria, both representations: L symmetric (incl. the spin entries), positive
//!   semidefinite, equal to finite differences of the nonlinear solver and to the exact
//!   rational linear response.
//! * Lindblad and Redfield (diagonal H) carry the same spin currents as Pauli.
//!
//! The limits without polarisation and field and with a fully polarised lead, the reports
//! and refusals are tested through the public API in `crates/qct-cli/tests/spin.rs`.

use super::common::{Rng, random_values};
use crate::currents::steady_currents;
use crate::exact::{ExactPauli, fermi_from_gibbs, rationals, to_f64};
use crate::model::{Model, json};
use crate::onsager::{finite_differences, linear_response};
use crate::performance::machine;
use crate::rates::Device;
use crate::thermo::{
    FluxKind, ForceBasis, Representation, entropy_production, entropy_production_from_forces,
    equilibrium_parameters,
};

include!("spin_models.rs");

#[test]
fn zero_or_absent_spin_bias_changes_nothing() {
    let (spin, plain) = (spin_model(), plain_model());
    let mut rng = Rng::new(14);
    for _ in 0..20 {
        let mut v = random_values(&spin, &mut rng);
        set(&spin, &mut v, "mu_s_r", 0.0);
        let pv: Vec<f64> = spin
            .parameters
            .iter()
            .filter(|p| p.name != "mu_s_r")
            .map(|p| v[spin.param(&p.name).unwrap().0])
            .collect();
        let pv = plain.complete(&pv);
        let (_, a) = steady_currents(&Device::new(&spin, &v).unwrap()).unwrap();
        let (_, b) = steady_currents(&Device::new(&plain, &pv).unwrap()).unwrap();
        assert_eq!(a, b, "currents at mu_s = 0");
        for representation in [Representation::Energy, Representation::Heat] {
            let (bs, bp) = (basis(&spin, representation), basis(&plain, representation));
            assert_eq!(bs.len(), bp.len() + 1, "one extra force, F_S^r");
            assert!(bp.forces.iter().all(|f| f.kind != FluxKind::Spin));
            let ls = linear_response(
                &Device::new(&spin, &equilibrium_parameters(&spin, &bs, &v)).unwrap(),
                &bs,
            )
            .unwrap();
            let lp = linear_response(
                &Device::new(&plain, &equilibrium_parameters(&plain, &bp, &pv)).unwrap(),
                &bp,
            )
            .unwrap();
            let keep: Vec<usize> = (0..bs.len())
                .filter(|&i| bs.forces[i].kind != FluxKind::Spin)
                .collect();
            for (i, &si) in keep.iter().enumerate() {
                for (j, &sj) in keep.iter().enumerate() {
                    assert_eq!(ls[(si, sj)], lp[(i, j)], "L block at mu_s = 0");
                }
            }
        }
    }
    // The built-ins never get spin forces.
    for name in crate::model::builtin::NAMES {
        let m = crate::model::builtin::builtin(name).unwrap();
        let b = basis(&m, Representation::Energy);
        assert!(
            b.forces
                .iter()
                .chain(&b.dropped)
                .all(|f| f.kind != FluxKind::Spin)
        );
    }
}

#[test]
fn spin_and_charge_conserved_separately_and_second_law() {
    let model = spin_model();
    let up = model.dot_index("up").unwrap();
    let mut rng = Rng::new(7);
    let mut worst: f64 = 0.0;
    for _ in 0..200 {
        let v = random_values(&model, &mut rng);
        let device = Device::new(&model, &v).unwrap();
        assert!(device.leads[1].spin_bias != 0.0);
        let (_, c) = steady_currents(&device).unwrap();
        let gross: f64 = c.iter().map(|x| x.gross_particle).sum();
        let gross_e: f64 = c.iter().map(|x| x.gross_energy).sum();
        // N_↑ = (J_N + J_S)/2 and N_↓ = (J_N − J_S)/2 per lead.
        let up_sum: f64 = c.iter().map(|x| 0.5 * (x.particle + x.spin)).sum();
        let down_sum: f64 = c.iter().map(|x| 0.5 * (x.particle - x.spin)).sum();
        let energy_sum: f64 = c.iter().map(|x| x.energy).sum();
        for r in [up_sum / gross, down_sum / gross, energy_sum / gross_e] {
            assert!(r.abs() < 1e-14, "conservation residual {r:e}");
            worst = worst.max(r.abs());
        }
        // J_S counts the up orbital's transfers minus the down orbital's, per lead.
        let spin_by_orbital: f64 = device
            .transitions
            .iter()
            .zip(device.occupations())
            .filter(|(t, _)| t.lead == 1)
            .map(|(t, (f, f_bar))| {
                let p = steady_currents(&device).unwrap().0.probabilities;
                let net = t.gamma * (f * p[t.from] - f_bar * p[t.to]);
                if t.dot == up { net } else { -net }
            })
            .sum();
        assert!((spin_by_orbital - c[1].spin).abs() <= 1e-14 * c[1].gross_particle);
        // The power counts the chemical work of both spins: P = −Σ_λσ μ_λσ J_Nσ^λ = Σ_λ J_Q^λ.
        let b = basis(&model, Representation::Energy);
        let power = machine(&device, &c, &b).power;
        let work: f64 = -device
            .leads
            .iter()
            .zip(&c)
            .map(|(l, x)| {
                l.mu_for(1.0) * 0.5 * (x.particle + x.spin)
                    + l.mu_for(-1.0) * 0.5 * (x.particle - x.spin)
            })
            .sum::<f64>();
        let heat_sum: f64 = c.iter().map(|x| x.heat).sum();
        let scale: f64 = device
            .leads
            .iter()
            .zip(&c)
            .map(|(l, x)| x.gross_energy + (l.mu.abs() + l.spin_bias.abs()) * x.gross_particle)
            .sum();
        assert!(
            (power - work).abs() <= 1e-13 * scale,
            "P {power:e} vs {work:e}"
        );
        assert!(
            (power - heat_sum).abs() <= 1e-13 * scale,
            "P {power:e} vs ΣJ_Q {heat_sum:e}"
        );
        for representation in [Representation::Energy, Representation::Heat] {
            let b = basis(&model, representation);
            let sigma = entropy_production(&device.leads, &c);
            let from_forces = entropy_production_from_forces(
                &b.force_values(&device.leads),
                &b.flux_values(&device.leads, &c),
            );
            let scale: f64 = device
                .leads
                .iter()
                .zip(&c)
                .map(|(l, x)| {
                    l.beta * (x.gross_energy + (l.mu.abs() + l.spin_bias.abs()) * x.gross_particle)
                })
                .sum();
            assert!(sigma >= -1e-14 * scale, "second law: {sigma:e}");
            assert!(
                (sigma - from_forces).abs() <= 1e-13 * scale,
                "{sigma:e} vs {from_forces:e}"
            );
        }
    }
    eprintln!("spin: worst conservation residual {worst:.1e}");
}

#[test]
fn onsager_reciprocity_with_spin_forces_three_ways() {
    let model = spin_model();
    let mut rng = Rng::new(2026);
    let (mut fd_worst, mut exact_worst, mut sym_worst): (f64, f64, f64) = (0.0, 0.0, 0.0);
    for _ in 0..40 {
        let v = random_values(&model, &mut rng);
        for representation in [Representation::Energy, Representation::Heat] {
            let b = basis(&model, representation);
            assert_eq!(
                b.forces.iter().map(|f| b.force_name(f)).collect::<Vec<_>>(),
                match representation {
                    Representation::Energy => ["F_N^r", "F_S^r", "F_E^r"],
                    Representation::Heat => ["F_N^r", "F_S^r", "F_Q^r"],
                }
            );
            let eq_values = equilibrium_parameters(&model, &b, &v);
            assert_eq!(eq_values[model.param("mu_s_r").unwrap().0], 0.0);
            let eq = Device::new(&model, &eq_values).unwrap();
            let l = linear_response(&eq, &b).unwrap();
            let scale = l.amax();
            sym_worst = sym_worst.max((&l - l.transpose()).amax() / scale);
            assert!((&l - l.transpose()).amax() <= 1e-13 * scale);
            let eigen = ((&l + l.transpose()) * 0.5).symmetric_eigenvalues();
            assert!(eigen.iter().all(|&e| e >= -1e-13 * scale), "PSD: {eigen}");
            let (s, e) = (position(&b, FluxKind::Spin), b.len() - 1);
            assert!(l[(s, s)] > 0.0 && l[(s, e)].abs() > 0.0);
            // Finite differences of the nonlinear solver move μ_s,r through F_S^r.
            let fd = finite_differences(&eq, &b).unwrap();
            let resolved = fd.resolved(1e-6, scale);
            for k in 0..l.len() {
                if resolved[k] {
                    let d = (l[k] - fd.l[k]).abs() / scale;
                    fd_worst = fd_worst.max(d);
                    assert!(d < 1e-8, "finite differences {d:e}");
                }
            }
            // The exact rational oracle, with Fermi factors from rational Gibbs weights
            // x_k ≈ e^{−β(E_k − μ N_k)} (exact detailed balance at μ_s = 0).
            let (beta, mu0) = (eq.leads[0].beta, eq.leads[0].mu);
            let x: Vec<f64> = (0..eq.n_states)
                .map(|k| (-beta * (eq.energies[k] - mu0 * k.count_ones() as f64)).exp())
                .collect();
            let fermi = fermi_from_gibbs(&eq.transitions, &rationals(&x).unwrap());
            let exact_values = rationals(&model.resolve(&eq_values)).unwrap();
            let pauli = ExactPauli::new(&model, &eq, &exact_values, fermi).unwrap();
            let mu = rationals(&eq.leads.iter().map(|x| x.mu).collect::<Vec<_>>()).unwrap();
            let exact = pauli.linear_response(&b, &mu).unwrap();
            for i in 0..b.len() {
                for j in 0..b.len() {
                    assert_eq!(exact[i][j], exact[j][i], "exact reciprocity");
                    let d = (to_f64(&exact[i][j]) - l[(i, j)]).abs() / scale;
                    exact_worst = exact_worst.max(d);
                    assert!(d < 1e-12, "exact oracle {d:e}");
                }
            }
        }
    }
    eprintln!(
        "spin L: asymmetry {sym_worst:.1e}, vs finite differences {fd_worst:.1e}, vs exact \
         {exact_worst:.1e}"
    );
}

#[cfg(feature = "lindblad")]
#[test]
fn density_matrix_methods_carry_the_same_spin_current() {
    use crate::redfield::{DensityProblem, Method};
    let model = spin_model();
    let mut rng = Rng::new(5);
    for _ in 0..10 {
        let v = random_values(&model, &mut rng);
        let device = Device::new(&model, &v).unwrap();
        let (_, pauli) = steady_currents(&device).unwrap();
        let problem = DensityProblem::new(&model, &v).unwrap();
        let redfield = problem.solve(&device.leads, Method::Redfield).unwrap();
        let (_, lindblad) = crate::lindblad::solve(&model, &v).unwrap();
        for (l, p) in pauli.iter().enumerate() {
            for other in [&redfield.currents[l], &lindblad.currents[l]] {
                let tol = 1e-10 * p.gross_particle;
                assert!((other.spin - p.spin).abs() <= tol, "J_S");
                assert!((other.particle - p.particle).abs() <= tol, "J_N");
                assert!((other.heat - p.heat).abs() <= 1e-10 * (p.gross_energy + tol));
            }
        }
    }
}
