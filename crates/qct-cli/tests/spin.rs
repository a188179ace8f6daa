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
//! * p_l = 0 and B = 0: no spin Seebeck (L_SE = L_SN = 0, and J_S = 0 far from equilibrium);
//!   p_l = 1 and U = 0: L_NN = L_SS = L_NS = G, L_SE = G ε_↑, L_EE = G ε_↑² by hand.
//! * Lindblad and Redfield (diagonal H) carry the same spin currents as Pauli.
//! * Bad spin biases are refused with one line; closed forms include F_S (checked in
//!   tests/symbolic/spin.rs).

use qct::currents::steady_currents;
use qct::exact::{ExactPauli, fermi_from_gibbs, rationals, to_f64};
use qct::model::{Model, json};
use qct::onsager::{finite_differences, linear_response};
use qct::rates::{Device, fermi};
use qct::thermo::{
    FluxKind, ForceBasis, Representation, entropy_production, entropy_production_from_forces,
    equilibrium_parameters,
};

#[allow(dead_code)]
#[path = "numeric/common.rs"]
mod common;
#[path = "support/cli.rs"]
mod cli_support;
use cli_support as cli;

use common::{Rng, random_values};

const FILE: &str = "examples/spin_seebeck.json";

fn text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/spin_seebeck.json"
    ))
    .unwrap()
}

fn spin_model() -> Model {
    json::from_json(&text(), FILE).unwrap()
}

/// The same model without the spin bias (and without its parameter).
fn plain_model() -> Model {
    let mut spec: serde_json::Value = serde_json::from_str(&text()).unwrap();
    spec["leads"][1]
        .as_object_mut()
        .unwrap()
        .remove("spin_bias");
    spec["parameters"].as_object_mut().unwrap().remove("mu_s_r");
    json::from_json(&spec.to_string(), "plain").unwrap()
}

fn set(model: &Model, values: &mut [f64], name: &str, value: f64) {
    values[model.param(name).unwrap_or_else(|| panic!("{name}")).0] = value;
    let free = values[..model.parameters.len()].to_vec();
    values.copy_from_slice(&model.complete(&free));
}

fn basis(model: &Model, representation: Representation) -> ForceBasis {
    ForceBasis::new(model, representation, model.default_references()).unwrap()
}

fn position(b: &ForceBasis, kind: FluxKind) -> usize {
    b.forces.iter().position(|f| f.kind == kind).unwrap()
}

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
    for name in qct::model::builtin::NAMES {
        let m = qct::model::builtin::builtin(name).unwrap();
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
        let power = qct::performance::machine(&device, &c, &b).power;
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

#[test]
fn no_spin_seebeck_without_polarisation_and_field() {
    let model = spin_model();
    let b = basis(&model, Representation::Energy);
    let (n, s, e) = (0, position(&b, FluxKind::Spin), b.len() - 1);
    let mut rng = Rng::new(3);
    for k in 0..30 {
        let mut v = random_values(&model, &mut rng);
        set(&model, &mut v, "B", 0.0);
        set(&model, &mut v, "p_l", 0.0);
        set(&model, &mut v, "mu_s_r", 0.0);
        // Far from equilibrium too: ΔT and Δμ drive no spin current.
        let (_, c) = steady_currents(&Device::new(&model, &v).unwrap()).unwrap();
        for x in &c {
            assert!(
                x.spin.abs() <= 1e-15 * x.gross_particle,
                "J_S = {:e}",
                x.spin
            );
        }
        let eq = Device::new(&model, &equilibrium_parameters(&model, &b, &v)).unwrap();
        let l = linear_response(&eq, &b).unwrap();
        let scale = l.amax();
        assert!(l[(s, e)].abs() <= 1e-15 * scale && l[(s, n)].abs() <= 1e-15 * scale);
        // Either symmetry breaker alone gives a spin Seebeck response.
        let name = if k % 2 == 0 { "B" } else { "p_l" };
        set(&model, &mut v, name, 0.5);
        let eq = Device::new(&model, &equilibrium_parameters(&model, &b, &v)).unwrap();
        let l = linear_response(&eq, &b).unwrap();
        assert!(l[(s, e)].abs() > 1e-6 * l.amax(), "{name} = 0.5: L_SE = 0");
    }
}

#[test]
fn fully_polarised_lead_matches_the_hand_worked_rate_equation() {
    // p_l = 1, U = 0: ↑ is a single level between l (rate 2γ_l) and r (γ_r); ↓ sees r only
    // and carries no current. With G = Γ_l Γ_r/(Γ_l + Γ_r) f(1 − f) at x = β(ε_↑ − μ):
    // J_N^r = J_S^r = J_↑^r, so L_NN = L_NS = L_SS = G, L_SE = L_NE = G ε_↑, L_EE = G ε_↑².
    let model = spin_model();
    let b = basis(&model, Representation::Energy);
    let (n, s, e) = (0, position(&b, FluxKind::Spin), b.len() - 1);
    let mut rng = Rng::new(11);
    for _ in 0..20 {
        let mut v = random_values(&model, &mut rng);
        set(&model, &mut v, "p_l", 1.0);
        set(&model, &mut v, "U", 0.0);
        let eq_values = equilibrium_parameters(&model, &b, &v);
        let eq = Device::new(&model, &eq_values).unwrap();
        let l = linear_response(&eq, &b).unwrap();
        let get = |name: &str| eq_values[model.param(name).unwrap().0];
        let (beta, mu) = (1.0 / get("T_l"), get("mu_l"));
        let eps_up = get("eps") + get("B") / 2.0;
        let (gl, gr) = (2.0 * get("gamma_l"), get("gamma_r"));
        let (f, f_bar) = fermi(beta * (eps_up - mu));
        let g = gl * gr / (gl + gr) * f * f_bar;
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-13 * (g + g * eps_up * eps_up);
        for (i, j) in [(n, n), (n, s), (s, n), (s, s)] {
            assert!(
                close(l[(i, j)], g),
                "L[{i}][{j}] = {} vs G = {g}",
                l[(i, j)]
            );
        }
        assert!(close(l[(s, e)], g * eps_up) && close(l[(n, e)], g * eps_up));
        assert!(close(l[(e, e)], g * eps_up * eps_up));
    }
}

#[test]
fn density_matrix_methods_carry_the_same_spin_current() {
    use qct::redfield::{DensityProblem, Method};
    let model = spin_model();
    let mut rng = Rng::new(5);
    for _ in 0..10 {
        let v = random_values(&model, &mut rng);
        let device = Device::new(&model, &v).unwrap();
        let (_, pauli) = steady_currents(&device).unwrap();
        let problem = DensityProblem::new(&model, &v).unwrap();
        let redfield = problem.solve(&device.leads, Method::Redfield).unwrap();
        let (_, lindblad) = qct::lindblad::solve(&model, &v).unwrap();
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

#[test]
fn cli_spin_bias_reports_and_refusals() {
    let out = cli::stdout(&[
        "solve",
        "--model-file",
        FILE,
        "--set",
        "mu_s_r=0.3",
        "--format",
        "json",
    ]);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &j["leads"][1];
    assert_eq!(r["mu_s"], 0.3);
    let names: Vec<&str> = j["fluxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["J_N^r", "J_S^r", "J_E^r"]);
    assert_eq!(j["fluxes"][1]["value"], r["J_S"]);
    // The exact oracle agrees with the f64 solution on forces and fluxes.
    let exact: serde_json::Value = serde_json::from_str(&cli::stdout(&[
        "solve",
        "--model-file",
        FILE,
        "--set",
        "mu_s_r=0.3",
        "--exact",
        "--format",
        "json",
    ]))
    .unwrap();
    for key in ["forces", "fluxes"] {
        for (a, b) in j[key]
            .as_array()
            .unwrap()
            .iter()
            .zip(exact[key].as_array().unwrap())
        {
            let (a, b) = (a["value"].as_f64().unwrap(), b["value"].as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-14 * (1.0 + b.abs()),
                "{key}: {a} vs {b}"
            );
        }
    }
    // SI output converts the spin keys too: μ_s in J, J_S in 1/s.
    let si: serde_json::Value = serde_json::from_str(&cli::stdout(&[
        "solve",
        "--model-file",
        FILE,
        "--set",
        "mu_s_r=0.3meV",
        "--set",
        "T_l=1K",
        "--set",
        "T_r=1.2K",
        "--set",
        "eps=0.1meV",
        "--set",
        "B=0.05meV",
        "--set",
        "U=1meV",
        "--set",
        "mu_l=0meV",
        "--set",
        "mu_r=0meV",
        "--set",
        "gamma_l=1ueV",
        "--set",
        "gamma_r=1ueV",
        // A non-zero dimensionless p_l is refused in unit-mixing (a separate limitation).
        "--set",
        "p_l=0",
        "--units",
        "si",
        "--format",
        "json",
    ]))
    .unwrap();
    let mu_s = si["leads"][1]["mu_s"].as_f64().unwrap();
    assert!(
        (mu_s - 0.3e-3 * 1.602_176_634e-19).abs() < 1e-6 * mu_s,
        "mu_s = {mu_s} J"
    );
    let j_s = si["leads"][1]["J_S"].as_f64().unwrap();
    let i = si["leads"][1]["I"].as_f64().unwrap();
    let j_n = si["leads"][1]["J_N"].as_f64().unwrap();
    assert!(
        (i - j_n * 1.602_176_634e-19).abs() <= 1e-9 * i.abs(),
        "J_N in 1/s"
    );
    assert!(j_s.abs() > 1e3, "J_S in 1/s, got {j_s}");
    // The model file round-trips with its spin bias.
    let model = spin_model();
    assert_eq!(
        json::from_json(&json::to_json(&model), "again").unwrap(),
        model
    );
    let onsager = cli::stdout(&["onsager", "--model-file", FILE, "--method", "redfield"]);
    assert!(onsager.contains("F_S^r"));
    // Refusals, one line each.
    let msg = cli::fails(&["onsager", "--model-file", FILE, "--reference", "r"]);
    assert!(
        msg.contains("spin bias") && msg.contains("reference"),
        "{msg}"
    );
    // Closed forms include the spin force F_S^r = β_r μ_s,r/2 (tests/symbolic/spin.rs).
    let derive = cli::stdout(&["derive", "--model-file", FILE]);
    assert!(derive.contains("F_S^r = 1/2*mu_s_r/T_r"), "{derive}");
    let mut spec: serde_json::Value = serde_json::from_str(&text()).unwrap();
    spec["leads"][1]["spin_bias"] = "mu_r".into();
    spec["parameters"].as_object_mut().unwrap().remove("mu_s_r");
    let err = json::from_json(&spec.to_string(), "x")
        .unwrap_err()
        .to_string();
    assert!(err.contains("spin bias") && err.contains("mu_r"), "{err}");
    let mut spec: serde_json::Value = serde_json::from_str(&text()).unwrap();
    spec["leads"][1]["couplings"] = serde_json::json!([{"dot": "up", "rate": "gamma_r"}]);
    spec["leads"][0]["couplings"] = serde_json::json!([{"dot": "up", "rate": "gamma_l"}]);
    spec["dots"] = serde_json::json!([{"name": "up", "energy": "eps", "spin": "up"}]);
    spec["interactions"] = serde_json::json!([]);
    for p in ["B", "U", "p_l"] {
        spec["parameters"].as_object_mut().unwrap().remove(p);
    }
    let err = json::from_json(&spec.to_string(), "x")
        .unwrap_err()
        .to_string();
    assert!(err.contains("both a spin-up and a spin-down"), "{err}");
}
