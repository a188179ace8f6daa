//! Physical units in (`--set eps=0.1meV`, `T_l=200mK`, `gamma_l=1e9/s`) and out
//! (`qct solve --units si`): round trips against the same point in natural units, a
//! hand-computed single-dot current in amperes, and the refusals.

use qct::model::builtin::builtin;
use qct::thermo::{ForceBasis, Representation};
use qct::units::{BOLTZMANN, ELEMENTARY_CHARGE, HBAR};
use qct_cli::cli::apply_assignments_with_units;
use qct_cli::report::solve_report;

#[path = "support/cli.rs"]
mod cli;

const LAB: [&str; 12] = [
    "--set",
    "eps=0.1meV",
    "--set",
    "T_l=200mK",
    "--set",
    "T_r=100mK",
    "--set",
    "mu_l=0.05meV",
    "--set",
    "gamma_l=1ueV",
    "--set",
    "gamma_r=1e9/s",
];

/// k_B · 1 K in meV and ħ · (1/s) in meV, from the exact constants.
fn kelvin_in_mev() -> f64 {
    BOLTZMANN / (1e-3 * ELEMENTARY_CHARGE)
}
fn per_second_in_mev() -> f64 {
    HBAR / (1e-3 * ELEMENTARY_CHARGE)
}

/// The same sqd point in lab units and in natural meV units gives the same steady state,
/// currents and Σ̇ to 1e-12 (relative to each lead's gross exchange for currents).
#[test]
fn lab_and_natural_units_give_the_same_point() {
    let model = builtin("sqd").unwrap();
    let lab: Vec<String> = LAB.chunks(2).map(|c| c[1].to_string()).collect();
    let (lab_values, physical) = apply_assignments_with_units(&model, &lab).unwrap();
    assert!(physical);
    let natural = [
        "eps=0.1".to_string(),
        format!("T_l={}", 0.2 * kelvin_in_mev()),
        format!("T_r={}", 0.1 * kelvin_in_mev()),
        "mu_l=0.05".to_string(),
        "gamma_l=0.001".to_string(),
        format!("gamma_r={}", 1e9 * per_second_in_mev()),
    ];
    let (natural_values, physical) = apply_assignments_with_units(&model, &natural).unwrap();
    assert!(!physical);
    for (a, b) in lab_values.iter().zip(&natural_values) {
        assert!((a - b).abs() <= 1e-12 * b.abs(), "{a} vs {b}");
    }
    let basis =
        ForceBasis::new(&model, Representation::Energy, model.default_references()).unwrap();
    let (r1, r2) = (
        solve_report(&model, &lab_values, &basis).unwrap(),
        solve_report(&model, &natural_values, &basis).unwrap(),
    );
    for (s1, s2) in r1.states.iter().zip(&r2.states) {
        assert!((s1.probability - s2.probability).abs() < 1e-12);
    }
    for (l1, l2) in r1.leads.iter().zip(&r2.leads) {
        let scale = l1.particle_current.abs().max(1e-300);
        assert!((l1.particle_current - l2.particle_current).abs() <= 1e-12 * scale);
    }
}

/// `qct solve sqd … --units si --format json`: each lead's I = e J_N in amperes equals the
/// single-dot current by hand, I = e Γ_l Γ_r/(Γ_l + Γ_r) (f_l − f_r) with Γ = γ/ħ; the
/// "units" object names the units; J_E in W equals ε I/e (tight coupling, J_E = ε J_N).
#[test]
fn solve_prints_the_charge_current_in_amperes() {
    let mut args = vec!["solve", "sqd"];
    args.extend(LAB);
    args.extend(["--units", "si", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&cli::stdout(&args)).unwrap();
    assert_eq!(json["units"]["I"], "A");
    assert_eq!(json["units"]["J_E"], "W");
    assert_eq!(json["units"]["T"], "K");
    let e = ELEMENTARY_CHARGE;
    let mev = 1e-3 * e;
    let (gamma_l, gamma_r) = (1e-3 * mev / HBAR, 1e9);
    let fermi = |eps: f64, mu: f64, t: f64| 1.0 / (1.0 + ((eps - mu) / (BOLTZMANN * t)).exp());
    let (eps, mu_l) = (0.1 * mev, 0.05 * mev);
    let current = e * gamma_l * gamma_r / (gamma_l + gamma_r)
        * (fermi(eps, mu_l, 0.2) - fermi(eps, 0.0, 0.1));
    let lead_l = &json["leads"][0];
    let i = lead_l["I"].as_f64().unwrap();
    assert!(
        (i / current - 1.0).abs() < 1e-12,
        "I = {i} A, by hand {current} A"
    );
    assert!((json["leads"][1]["I"].as_f64().unwrap() + i).abs() < 1e-12 * i.abs());
    let j_e = lead_l["J_E"].as_f64().unwrap();
    assert!((j_e / (eps * i / e) - 1.0).abs() < 1e-12);
    assert!((lead_l["T"].as_f64().unwrap() - 0.2).abs() < 1e-15);
    // The text output in engineering units: picoamperes.
    let mut args = vec!["solve", "sqd"];
    args.extend(LAB);
    args.extend(["--units", "si"]);
    let text = cli::stdout(&args);
    assert!(text.contains(" pA"), "{text}");
    assert!(text.contains("200.0000 mK"), "{text}");
}

/// Malformed or misplaced units, mixing with plain numbers, and --units si without units:
/// one-line errors naming the problem, exit status 2.
#[test]
fn unit_errors_are_named() {
    let msg = cli::fails(&["solve", "sqd", "--set", "eps=0.1mev"]);
    assert!(msg.contains("unknown unit 'mev'"), "{msg}");
    let msg = cli::fails(&["solve", "sqd", "--set", "eps=200mK"]);
    assert!(
        msg.contains("is a temperature, but eps takes an energy"),
        "{msg}"
    );
    let msg = cli::fails(&["solve", "sqd", "--set", "eps=0.1meV"]);
    assert!(
        msg.contains("mixed with plain numbers") && msg.contains("T_l"),
        "{msg}"
    );
    let msg = cli::fails(&["solve", "sqd", "--units", "si"]);
    assert!(msg.contains("--units si needs"), "{msg}");
    let mut args = vec!["sweep", "sqd"];
    args.extend(LAB);
    args.extend(["--vary", "eps=0:1:3"]);
    let msg = cli::fails(&args);
    assert!(msg.contains("plain numbers only"), "{msg}");
}

/// `qct onsager --units si`: L_NN in 1/s equals the single-dot Γ_l Γ_r/(Γ_l + Γ_r) f (1 − f)
/// at the equilibrium (μ = 0, T = 200 mK), so e² L_NN/(k_B T) is the linear conductance in
/// S; L_NE = L_EN in W (reciprocity in SI); det L = 0 (tight coupling).
#[test]
fn onsager_in_si_units() {
    let mut args = vec!["onsager", "sqd"];
    args.extend(LAB);
    args.extend(["--set", "T_r=200mK", "--units", "si", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&cli::stdout(&args)).unwrap();
    let l = |i: usize, j: usize| json["L"][i][j].as_f64().unwrap();
    assert_eq!(json["units"]["L"][0][1], "W");
    assert_eq!(json["units"]["L"][1][1], "J W");
    let mev = 1e-3 * ELEMENTARY_CHARGE;
    let (gamma_l, gamma_r) = (1e-3 * mev / HBAR, 1e9);
    let x = 0.1 * mev / (BOLTZMANN * 0.2);
    let f = 1.0 / (1.0 + x.exp());
    let l_nn = gamma_l * gamma_r / (gamma_l + gamma_r) * f * (1.0 - f);
    assert!(
        (l(0, 0) / l_nn - 1.0).abs() < 1e-10,
        "{} vs {l_nn}",
        l(0, 0)
    );
    // J_E = ε J_N: L_NE = ε L_NN (W), L_EE = ε² L_NN (J W).
    assert!((l(0, 1) / (0.1 * mev * l_nn) - 1.0).abs() < 1e-10);
    assert!((l(1, 0) / l(0, 1) - 1.0).abs() < 1e-12);
    assert!((l(1, 1) / (0.01 * mev * mev * l_nn) - 1.0).abs() < 1e-10);
    assert!(json.get("eigenvalues").is_none());
    let msg = cli::fails(&["onsager", "sqd", "--units", "si", "--format", "json"]);
    assert!(msg.contains("--units si needs"), "{msg}");
}

/// `qct performance --units si` against the other SI outputs of the same point: the power
/// P = −Σ_λ μ_λ J_N^λ from `qct solve --units si` (J × 1/s = W), and the linear conductance
/// G = e² L_NN/(k_B T) in S from `qct onsager --units si --representation heat`.
#[test]
fn performance_in_si_units() {
    let point = [
        "anderson",
        "--set",
        "eps=0.5meV",
        "--set",
        "U=2meV",
        "--set",
        "gamma_l=1ueV",
        "--set",
        "gamma_r=2ueV",
        "--set",
        "T_l=1.5K",
        "--set",
        "T_r=1K",
        "--set",
        "mu_l=0.2meV",
    ];
    let run = |command: &str, extra: &[&str]| -> serde_json::Value {
        let mut args = vec![command];
        args.extend(point);
        args.extend(["--units", "si", "--format", "json"]);
        args.extend(extra);
        serde_json::from_str(&cli::stdout(&args)).unwrap()
    };
    let performance = run("performance", &[]);
    let solve = run("solve", &[]);
    let onsager = run("onsager", &["--representation", "heat"]);
    let power: f64 = solve["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| -l["mu"].as_f64().unwrap() * l["J_N"].as_f64().unwrap())
        .sum();
    let p = performance["machine"]["power"].as_f64().unwrap();
    assert!(
        (p / power - 1.0).abs() < 1e-9,
        "P = {p} W, from currents {power} W"
    );
    let t = performance["linear"]["temperature"].as_f64().unwrap();
    assert!((t - 1.0).abs() < 1e-12, "T = {t} K");
    let g = performance["linear"]["conductance"].as_f64().unwrap();
    let l_nn = onsager["L"][0][0].as_f64().unwrap();
    let e = ELEMENTARY_CHARGE;
    assert!(
        (g / (e * e * l_nn / (BOLTZMANN * t)) - 1.0).abs() < 1e-12,
        "G = {g} S"
    );
    assert_eq!(performance["units"]["conductance"], "S");
}
