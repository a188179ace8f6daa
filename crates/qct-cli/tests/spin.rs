//! Spin accumulation (issue 14, item 3): a lead's spin bias μ_s = μ_↑ − μ_↓, the spin current
//! J_S = J_N↑ − J_N↓ and its force F_S = Δ(β μ_s/2), on `examples/spin_seebeck.json` (a
//! Zeeman-split level between a polarised lead l and a normal lead r with spin bias μ_s,r).
//!
//! * p_l = 0 and B = 0: no spin Seebeck (L_SE = L_SN = 0, and J_S = 0 far from equilibrium);
//!   p_l = 1 and U = 0: L_NN = L_SS = L_NS = G, L_SE = G ε_↑, L_EE = G ε_↑² by hand.
//! * Bad spin biases are refused with one line; closed forms include F_S (checked in
//!   tests/symbolic/spin.rs).
//!
//! Conservation, the second law, reciprocity three ways, the model without spin bias and the
//! density-matrix methods are cross-checked in the library (`crates/qct/src/tests/spin.rs`).

use qct::model::{Model, json};
use qct::thermo::{FluxKind, ForceBasis, Representation, equilibrium_parameters};

#[allow(dead_code)]
#[path = "numeric/common.rs"]
mod common;
#[path = "support/cli.rs"]
mod cli_support;
use cli_support as cli;

use common::{Rng, random_values};

include!("../../qct/src/tests/spin_models.rs");

/// L at the equilibrium of the point `v` in `basis` (exact linear response).
fn onsager_matrix(model: &Model, basis: &ForceBasis, v: &[f64]) -> nalgebra::DMatrix<f64> {
    model
        .onsager_in(&model.parameters_at(v).unwrap(), basis)
        .unwrap()
        .l
}

/// (f, 1 − f) of the Fermi function at x = β(ε − μ), written independently of qct's.
fn fermi(x: f64) -> (f64, f64) {
    let e = (-x.abs()).exp();
    let (small, large) = (e / (1.0 + e), 1.0 / (1.0 + e));
    if x > 0.0 {
        (small, large)
    } else {
        (large, small)
    }
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
        let c = model
            .solve(&model.parameters_at(&v).unwrap())
            .unwrap()
            .currents;
        for x in &c {
            assert!(
                x.spin.abs() <= 1e-15 * x.gross_particle,
                "J_S = {:e}",
                x.spin
            );
        }
        let l = onsager_matrix(&model, &b, &v);
        let scale = l.amax();
        assert!(l[(s, e)].abs() <= 1e-15 * scale && l[(s, n)].abs() <= 1e-15 * scale);
        // Either symmetry breaker alone gives a spin Seebeck response.
        let name = if k % 2 == 0 { "B" } else { "p_l" };
        set(&model, &mut v, name, 0.5);
        let l = onsager_matrix(&model, &b, &v);
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
        let l = onsager_matrix(&model, &b, &v);
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

/// At an equilibrium (T_l = T_r, no bias) J_S of both leads is exactly 0, by the rounding
/// rule of every printed current (it was ~3e-17, unrounded, before J_S followed the rule),
/// while at the file's T_r = 1.1 it is a current.
#[test]
fn cli_spin_current_at_equilibrium_is_zero() {
    let j_s = |extra: &[&str]| -> Vec<f64> {
        let mut args = vec!["solve", "--model-file", FILE, "--format", "json"];
        args.extend_from_slice(extra);
        let j: serde_json::Value = serde_json::from_str(&cli::stdout(&args)).unwrap();
        (0..2)
            .map(|l| j["leads"][l]["J_S"].as_f64().unwrap())
            .collect()
    };
    let eq = j_s(&["--set", "T_r=1", "--set", "B=0.3"]);
    assert!(eq.iter().all(|x| x.to_bits() == 0), "{eq:?}");
    let hot = j_s(&[]);
    assert!(
        hot[0].abs() > 1e-3 && (hot[0] + hot[1]).abs() < 1e-12,
        "{hot:?}"
    );
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
