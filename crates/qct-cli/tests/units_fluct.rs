//! `--units si` for the counting statistics (`qct noise`, `qct fcs`), for
//! `qct performance --tradeoff`, and dimensionless parameters in a point with units: the
//! SI numbers equal the natural ones times factors built here from the exact constants,
//! Johnson–Nyquist S_I = 2 k_B T G (two-sided) at equilibrium with G from
//! `qct performance --units si`, the fluctuation–dissipation relation ⟨⟨J_i J_j⟩⟩ = 2 L_ij
//! entry by entry in SI against `qct onsager --units si`, the Schottky limit of a level in the
//! bias window, and every malformed unit refused with one line (exit 2).

use qct::model::Role;
use qct::model::builtin::{self, builtin};
use qct::units::{BOLTZMANN, ELEMENTARY_CHARGE, HBAR};
use serde_json::Value;

#[path = "support/cli.rs"]
mod cli;

const MEV: f64 = 1e-3 * ELEMENTARY_CHARGE;
/// 1/s per natural rate (meV/ħ).
const RATE: f64 = MEV / HBAR;

/// An sqd point in lab units: level 20 µeV, couplings 1 and 2 µeV, both leads at `t_l`,
/// `t_r`, `mu_l`.
fn sqd_point(t_l: &str, t_r: &str, mu_l: &str) -> Vec<String> {
    [
        "eps=0.02meV",
        "gamma_l=1ueV",
        "gamma_r=2ueV",
        &format!("T_l={t_l}"),
        &format!("T_r={t_r}"),
        &format!("mu_l={mu_l}"),
    ]
    .iter()
    .flat_map(|a| ["--set".to_string(), a.to_string()])
    .collect()
}

/// `qct COMMAND MODEL POINT EXTRA --format json`, parsed.
fn json(command: &str, model: &str, point: &[String], extra: &[&str]) -> Value {
    let mut args = vec![command, model];
    args.extend(point.iter().map(String::as_str));
    args.extend(extra);
    args.extend(["--format", "json"]);
    serde_json::from_str(&cli::stdout(&args)).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// |a − b| ≤ tol · max(|a|, |b|, floor).
fn close(a: f64, b: f64, tol: f64, floor: f64, what: &str) {
    assert!(
        (a - b).abs() <= tol * a.abs().max(b.abs()).max(floor),
        "{what}: {a} vs {b}"
    );
}

/// The SI size of one natural unit of the amount counted by a current: particles 1,
/// energy and heat 1 meV in J (written out here, independently of qct::si).
fn amount(current: &str) -> f64 {
    if current.starts_with("J_N") { 1.0 } else { MEV }
}

/// Johnson–Nyquist in SI at a 100 mK equilibrium: the two-sided charge noise
/// S_I = e² ⟨⟨J_N J_N⟩⟩ equals 2 k_B T G (and the one-sided 4 k_B T G) with
/// G = e² L_NN/(k_B T) in S from `qct performance --units si`, to 1e-10; the flux noise
/// equals 2 L of `qct onsager --units si` entry by entry (1/s, W, J W); every mean and
/// noise entry equals the natural-unit number times the factor built from e, k_B, ħ.
#[test]
fn noise_in_si_units_obeys_johnson_nyquist() {
    let point = sqd_point("100mK", "100mK", "0");
    let noise = json("noise", "sqd", &point, &["--units", "si"]);
    let natural = json("noise", "sqd", &point, &[]);
    let performance = json("performance", "sqd", &point, &["--units", "si"]);
    let onsager = json("onsager", "sqd", &point, &["--units", "si"]);
    let (t, g) = (
        f(&performance["linear"]["T"]),
        f(&performance["linear"]["G"]),
    );
    assert!((t - 0.1).abs() < 1e-15, "T = {t} K");
    assert!(g > 0.0);
    for charge in noise["charge"].as_array().unwrap() {
        let s = f(&charge["S_I"]);
        close(s, 2.0 * BOLTZMANN * t * g, 1e-10, 0.0, "S_I = 2 k_B T G");
        close(
            f(&charge["S_I_one_sided"]),
            4.0 * BOLTZMANN * t * g,
            1e-10,
            0.0,
            "one-sided 4 k_B T G",
        );
        assert_eq!(f(&charge["I"]), 0.0, "no current at equilibrium");
    }
    assert_eq!(noise["units"]["charge"]["S_I"], "A^2/Hz (two-sided)");
    // Fluctuation–dissipation entry by entry in SI: <<J_i J_j>> = 2 L_ij.
    let l = &onsager["L"];
    let scale = f(&l[0][0]).abs();
    for i in 0..2 {
        for j in 0..2 {
            let (noise_ij, l_ij) = (f(&noise["flux_noise"][i][j]), f(&l[i][j]));
            let unit_l = onsager["units"]["L"][i][j].as_str().unwrap();
            let unit_noise = noise["units"]["flux_noise"][i][j].as_str().unwrap();
            let same_unit = matches!(
                (unit_l, unit_noise),
                ("1/s", "1/s") | ("W", "J/s") | ("J W", "J^2/s")
            );
            assert!(same_unit, "{unit_l} vs {unit_noise}");
            // Relative to the entry's own diagonal scale (L_NN, ε L_NN, ε² L_NN).
            let entry_scale = scale
                * amount(if i == 0 { "J_N" } else { "J_E" })
                * amount(if j == 0 { "J_N" } else { "J_E" });
            close(noise_ij, 2.0 * l_ij, 1e-10, entry_scale, "flux noise = 2 L");
        }
    }
    // Natural × factor for every number.
    let names: Vec<&str> = natural["currents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for (i, a) in names.iter().enumerate() {
        close(
            f(&noise["mean"][i]),
            f(&natural["mean"][i]) * amount(a) * RATE,
            1e-12,
            1e-300,
            a,
        );
        for (j, b) in names.iter().enumerate() {
            close(
                f(&noise["noise"][i][j]),
                f(&natural["noise"][i][j]) * amount(a) * amount(b) * RATE,
                1e-12,
                1e-300,
                &format!("noise {a} {b}"),
            );
        }
    }
    close(
        f(&noise["sigma"]),
        f(&natural["sigma"]) * BOLTZMANN * RATE,
        1e-12,
        1e-300,
        "sigma",
    );
    assert_eq!(noise["parameters"]["T_l"], performance["parameters"]["T_l"]);
}

/// Shot noise in SI: the level 20 µeV deep inside a 1 meV bias window at 100 mK
/// (β|ε − μ| ≥ 2.3, Fermi tails below 1e-40 far out) transfers electrons one way only,
/// and the two-sided charge noise is S_I = e |I| F with the Fano factor
/// F = (Γ_l² + Γ_r²)/(Γ_l + Γ_r)² = 5/9 for Γ_r = 2 Γ_l; I = e Γ_l Γ_r/(Γ_l + Γ_r).
#[test]
fn shot_noise_in_si_units() {
    let point = sqd_point("100mK", "100mK", "0.5meV");
    let mut point = point;
    point.extend(["--set".to_string(), "mu_r=-0.5meV".to_string()]);
    let noise = json("noise", "sqd", &point, &["--units", "si"]);
    let e = ELEMENTARY_CHARGE;
    let (gamma_l, gamma_r) = (1e-3 * MEV / HBAR, 2e-3 * MEV / HBAR);
    let current = e * gamma_l * gamma_r / (gamma_l + gamma_r);
    let l = &noise["charge"][0];
    assert_eq!(l["current"], "I^l");
    close(f(&l["I"]), current, 1e-12, 0.0, "I = e Γ_l Γ_r/(Γ_l + Γ_r)");
    close(f(&l["fano"]), 5.0 / 9.0, 1e-12, 0.0, "Fano 5/9");
    close(
        f(&l["S_I"]),
        e * current * 5.0 / 9.0,
        1e-12,
        0.0,
        "S_I = e I F",
    );
    // The text: the charge table in A and A²/Hz.
    let mut args = vec!["noise", "sqd"];
    args.extend(point.iter().map(String::as_str));
    args.extend(["--units", "si"]);
    let text = cli::stdout(&args);
    assert!(text.contains("A²/Hz") && text.contains(" pA"), "{text}");
    assert!(text.contains("two-sided"), "{text}");
}

/// `qct fcs --units si`: κ_n of the particles in 1/s, of the charge I^l = e J_N^l in A and
/// C^n/s, of energy and heat in W and J^n/s, of the entropy in W/K and (J/K)^n/s — each the
/// natural cumulant times (size of the amount)^n · meV/ħ; κ₁(I^l) is `qct solve --units
/// si`'s I, κ₁(sigma) its Σ̇, κ₂(I^l) `qct noise --units si`'s S_I.
#[test]
fn cumulants_in_si_units() {
    let point = sqd_point("200mK", "100mK", "0.05meV");
    let si = json("fcs", "sqd", &point, &["--units", "si", "--order", "4"]);
    let natural = json("fcs", "sqd", &point, &["--order", "4"]);
    let solve = json("solve", "sqd", &point, &["--units", "si"]);
    let noise = json("noise", "sqd", &point, &["--units", "si"]);
    let sizes = [
        ("J_N^l", "J_N^l", 1.0),
        ("I^l", "J_N^l", ELEMENTARY_CHARGE),
        ("J_E^r", "J_E^r", MEV),
        ("J_Q^l", "J_Q^l", MEV),
        ("sigma", "sigma", BOLTZMANN),
    ];
    for (name, natural_name, size) in sizes {
        for n in 0..4 {
            close(
                f(&si["cumulants"][name][n]),
                f(&natural["cumulants"][natural_name][n]) * size.powi(n as i32 + 1) * RATE,
                1e-12,
                1e-300,
                &format!("{name} kappa_{}", n + 1),
            );
        }
    }
    let units = &si["units"]["cumulants"];
    assert_eq!(
        units["I^l"],
        serde_json::json!(["A", "C^2/s", "C^3/s", "C^4/s"])
    );
    assert_eq!(units["J_N^l"][2], "1/s");
    assert_eq!(units["J_E^l"][0], "W");
    assert_eq!(units["J_E^l"][1], "J^2/s");
    assert_eq!(units["sigma"][0], "W/K");
    assert_eq!(units["sigma"][2], "(J/K)^3/s");
    close(
        f(&si["cumulants"]["I^l"][0]),
        f(&solve["leads"][0]["I"]),
        1e-12,
        0.0,
        "kappa_1 = I",
    );
    close(
        f(&si["cumulants"]["sigma"][0]),
        f(&solve["sigma"]["minus_sum_beta_heat"]),
        1e-10,
        0.0,
        "kappa_1 = sigma",
    );
    close(
        f(&si["cumulants"]["I^l"][1]),
        f(&noise["charge"][0]["S_I"]),
        1e-12,
        0.0,
        "kappa_2 = S_I",
    );
    assert_eq!(si["parameters"], solve["parameters"]);
}

/// The SI size of one natural unit of a trade-off key: biases in J, powers in W; the rest
/// (efficiencies, COPs, ZT, names) unchanged.
fn tradeoff_factor(key: &str) -> f64 {
    match key {
        k if k.contains("bias") => MEV,
        "P" | "P_max" | "Q_c" | "W" | "Q_c_at_cop_max" | "Q_c_max" => MEV * RATE,
        _ => 1.0,
    }
}

/// Every number of `si` equals `natural` times the factor of its key, to 1e-12.
fn assert_scaled(si: &Value, natural: &Value, key: &str, at: &str) {
    match (si, natural) {
        (Value::Number(_), Value::Number(_)) => {
            let expected = f(natural) * tradeoff_factor(key);
            close(f(si), expected, 1e-12, 1e-300, at);
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_scaled(x, y, key, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, y) in b {
                assert_scaled(&a[k], y, k, &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(si, natural, "{at}"),
    }
}

/// `qct performance --tradeoff --units si`: every bias in J, P, Q_c and W in W, the
/// dimensionless η, COP, ZT unchanged — the natural report (meV units) times the factors to
/// 1e-12; the text shows W with prefixes and biases in eV; the figure's axis is in W.
#[test]
fn tradeoff_in_si_units() {
    let point: Vec<String> = [
        "eps=0.05meV",
        "U=0.3meV",
        "gamma_l=1ueV",
        "gamma_r=2ueV",
        "T_l=150mK",
        "T_r=100mK",
        "mu_l=0.01meV",
    ]
    .iter()
    .flat_map(|a| ["--set".to_string(), a.to_string()])
    .collect();
    let extra = ["--tradeoff", "--samples", "12"];
    let natural = json("performance", "anderson", &point, &extra);
    let mut with_units = extra.to_vec();
    with_units.extend(["--units", "si"]);
    let si = json("performance", "anderson", &point, &with_units);
    assert!(si["tradeoff"]["refrigerator"].is_object());
    assert_scaled(
        &si["load_optimum"],
        &natural["load_optimum"],
        "",
        "load_optimum",
    );
    assert_scaled(&si["tradeoff"], &natural["tradeoff"], "", "tradeoff");
    assert_eq!(si["units"]["Q_c"], "W");
    assert_eq!(si["units"]["bias"], "J");
    // The second law along the engine curve in SI: P ≤ η_C Q_in, i.e. η/η_C ≤ 1.
    for eta in si["tradeoff"]["engine"]["eta_over_carnot"]
        .as_array()
        .unwrap()
    {
        assert!(eta.as_f64().is_none_or(|x| x <= 1.0 + 1e-9), "{eta}");
    }
    let dir = std::env::temp_dir().join(format!("qct-tradeoff-si-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("tradeoff.svg");
    let mut args = vec!["performance", "anderson"];
    args.extend(point.iter().map(String::as_str));
    args.extend(with_units.iter().copied());
    args.extend(["--plot", svg.to_str().unwrap()]);
    let text = cli::stdout(&args);
    assert!(text.contains("SI units") && text.contains("eV"), "{text}");
    assert!(text.contains("W ") || text.contains("W\n"), "{text}");
    let figure = std::fs::read_to_string(&svg).unwrap();
    assert!(
        ["P (aW)", "P (zW)", "P (fW)", "P (yW)"]
            .iter()
            .any(|l| figure.contains(l)),
        "no SI power axis"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `--units si` needs a point with units, and every malformed or misplaced unit is refused
/// with one line naming it (exit 2), for each command that gained `--units si`.
#[test]
fn si_refusals_are_one_line() {
    for command in [
        vec!["noise", "sqd"],
        vec!["fcs", "sqd"],
        vec!["performance", "sqd", "--tradeoff"],
    ] {
        let mut args = command.clone();
        args.extend(["--units", "si"]);
        assert!(cli::fails(&args).contains("--units si needs"), "{args:?}");
        for (set, named) in [
            ("eps=0.1mev", "unknown unit 'mev'"),
            ("T_l=3 kelvin", "unknown unit 'kelvin'"),
            ("gamma_l=5/h", "unknown unit '/h'"),
            ("eps=200mK", "eps takes an energy"),
            ("T_l=1meV", "T_l takes a temperature"),
        ] {
            let mut args = command.clone();
            args.extend(["--set", set, "--units", "si"]);
            let msg = cli::fails(&args);
            assert!(msg.contains(named), "{args:?}: {msg}");
        }
        let mut args = command.clone();
        args.extend(["--set", "eps=0.1meV", "--set", "gamma_l=1"]);
        args.extend(["--units", "si"]);
        assert!(cli::fails(&args).contains("mixed"), "{args:?}");
        let mut args = command.clone();
        args.extend(["--units", "kelvin"]);
        assert!(cli::fails(&args).contains("kelvin"), "{args:?}");
    }
}

/// Every parameter of `model` given with a unit of its role at its default value (plain
/// numbers for dimensionless ones), as `--set` arguments, and the same in natural numbers.
fn lab_and_natural(model: &qct::model::Model) -> (Vec<String>, Vec<String>) {
    let mut lab = Vec::new();
    let mut natural = Vec::new();
    for p in &model.parameters {
        let united = match p.role {
            Role::Dimensionless => format!("{}", p.default),
            role => qct::units::with_unit(p.default, role),
        };
        lab.extend(["--set".to_string(), format!("{}={united}", p.name)]);
        natural.extend(["--set".to_string(), format!("{}={}", p.name, p.default)]);
    }
    (lab, natural)
}

/// Dimensionless parameters (zeeman_dot's polarisation p_l) in a point with units: a plain
/// non-zero value is accepted with `--units si` and in a sweep with units, printed unchanged
/// in SI; for every built-in model and example file, the point with every dimensional
/// parameter in units and the dimensionless ones plain solves in SI, and its currents equal
/// the natural-unit point's times the factors; a unit on a dimensionless parameter is
/// refused naming it.
#[test]
fn dimensionless_parameters_with_units() {
    let mut models: Vec<(String, qct::model::Model)> = builtin::NAMES
        .iter()
        .map(|n| (n.to_string(), builtin(n).unwrap()))
        .collect();
    for file in [
        "examples/zeeman_dot.json",
        "examples/energy_filter.json",
        "examples/spin_seebeck.json",
        "examples/double_dot_two_terminal.json",
        "examples/serial_dd.json",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(file);
        models.push((
            file.to_string(),
            qct::model::json::from_file(&path).unwrap(),
        ));
    }
    let mut dimensionless = 0;
    for (name, model) in &models {
        dimensionless += model
            .parameters
            .iter()
            .filter(|p| p.role == Role::Dimensionless && p.default != 0.0)
            .count();
        let (lab, natural) = lab_and_natural(model);
        let selector: Vec<String> = if name.ends_with(".json") {
            vec!["--model-file".into(), name.clone()]
        } else {
            vec![name.clone()]
        };
        let run = |point: &[String], extra: &[&str]| -> Value {
            let mut args: Vec<&str> = vec!["solve"];
            args.extend(selector.iter().map(String::as_str));
            args.extend(point.iter().map(String::as_str));
            args.extend(extra);
            args.extend(["--format", "json"]);
            serde_json::from_str(&cli::stdout(&args)).unwrap()
        };
        let si = run(&lab, &["--units", "si"]);
        let nat = run(&natural, &[]);
        for (a, b) in si["leads"]
            .as_array()
            .unwrap()
            .iter()
            .zip(nat["leads"].as_array().unwrap())
        {
            let gross = f(&b["J_N"]).abs().max(1e-300);
            close(f(&a["J_N"]), f(&b["J_N"]) * RATE, 1e-12, gross * RATE, name);
            close(
                f(&a["I"]),
                f(&b["J_N"]) * ELEMENTARY_CHARGE * RATE,
                1e-12,
                gross * ELEMENTARY_CHARGE * RATE,
                name,
            );
        }
        for p in model
            .parameters
            .iter()
            .filter(|p| p.role == Role::Dimensionless)
        {
            assert_eq!(
                f(&si["parameters"][&p.name]),
                p.default,
                "{name} {}",
                p.name
            );
        }
    }
    assert!(
        dimensionless >= 2,
        "zeeman_dot's p_l in the built-in and the file"
    );
    let lab = [
        "--set",
        "eps=0.1meV",
        "--set",
        "B=0.02meV",
        "--set",
        "U=1meV",
        "--set",
        "gamma_l=1ueV",
        "--set",
        "gamma_r=1ueV",
        "--set",
        "T_l=200mK",
        "--set",
        "T_r=100mK",
        "--set",
        "mu_l=0.05meV",
        "--set",
        "mu_r=0",
    ];
    let mut args = vec!["solve", "zeeman_dot", "--set", "p_l=0.3meV"];
    args.extend(lab);
    let msg = cli::fails(&args);
    assert!(msg.contains("p_l") && msg.contains("plain number"), "{msg}");
    let mut args = vec![
        "sweep",
        "zeeman_dot",
        "--vary",
        "p_l=0:1meV:3",
        "--quantity",
        "I^l",
    ];
    args.extend(lab);
    let msg = cli::fails(&args);
    assert!(msg.contains("p_l") && msg.contains("plain number"), "{msg}");
    // A plain polarisation axis in a sweep with units, in SI: p_l [1], unchanged.
    let mut args = vec![
        "sweep",
        "zeeman_dot",
        "--vary",
        "p_l=-0.5:0.5:3",
        "--quantity",
        "I^l",
        "--units",
        "si",
        "--format",
        "json",
    ];
    args.extend(lab);
    let sweep: Value = serde_json::from_str(&cli::stdout(&args)).unwrap();
    assert_eq!(sweep["columns"][0], "p_l [1]");
    assert_eq!(f(&sweep["rows"][0][0]), -0.5);
}

/// A model file with a declared dimensionless parameter beside defaults with units: read
/// and solved in SI; a unit on that parameter's default is refused naming it.
#[test]
fn model_file_with_a_dimensionless_parameter() {
    let text = |p_default: &str| {
        format!(
            r#"{{"name": "polarised",
            "parameters": {{"eps": "0.1meV", "gamma": "1ueV", "p": {p_default},
                            "T_l": "200mK", "T_r": "100mK", "mu_l": "0.05meV", "mu_r": 0}},
            "dots": [{{"name": "d", "energy": "eps"}}],
            "leads": [
              {{"name": "l", "temperature": "T_l", "chemical_potential": "mu_l",
               "couplings": [{{"dot": "d", "rate": "gamma*(1 + p)"}}]}},
              {{"name": "r", "temperature": "T_r", "chemical_potential": "mu_r",
               "couplings": [{{"dot": "d", "rate": "gamma*(1 - p)"}}]}}]}}"#
        )
    };
    let dir = std::env::temp_dir().join(format!("qct-dimensionless-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.json");
    std::fs::write(&good, text("0.5")).unwrap();
    let si: Value = serde_json::from_str(&cli::stdout(&[
        "solve",
        "--model-file",
        good.to_str().unwrap(),
        "--units",
        "si",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(f(&si["parameters"]["p"]), 0.5);
    // I = e Γ_l Γ_r/(Γ_l + Γ_r) (f_l − f_r) with Γ_l = 1.5 Γ, Γ_r = 0.5 Γ.
    let gamma = 1e-3 * MEV / HBAR;
    let (g_l, g_r) = (1.5 * gamma, 0.5 * gamma);
    let fermi = |mu: f64, t: f64| 1.0 / (1.0 + ((0.1 * MEV - mu) / (BOLTZMANN * t)).exp());
    let current =
        ELEMENTARY_CHARGE * g_l * g_r / (g_l + g_r) * (fermi(0.05 * MEV, 0.2) - fermi(0.0, 0.1));
    close(f(&si["leads"][0]["I"]), current, 1e-12, 0.0, "I");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, text("\"0.5meV\"")).unwrap();
    let msg = cli::fails(&["solve", "--model-file", bad.to_str().unwrap()]);
    assert!(
        msg.contains("default of p") && msg.contains("plain number"),
        "{msg}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Where the dimension of a parameter inside an expression is decided: a factor beside a
/// parameter whose role is known (direct use, declaration or a definite position) in a
/// product of dimensional role is dimensionless — p in `gamma*p` when gamma is a rate
/// elsewhere, the lever arm alpha in `eps0 - alpha*V` with V declared an energy — and such
/// a model then takes `--units si` with p and alpha plain; with no known partner the role
/// of the product is kept (gamma and p both rates: ambiguous, declare it).
#[test]
fn dimensionless_factors_are_inferred_beside_known_roles() {
    let text = |rate_l: &str, rate_r: &str| {
        format!(
            r#"{{"name": "lever",
            "parameters": {{"eps0": "0.1meV", "alpha": 0.2, "V": {{"default": "0.05meV", "role": "energy"}},
                            "gamma": "1ueV", "p": 0.5, "T_l": "200mK", "T_r": "100mK",
                            "mu_l": "0.05meV", "mu_r": 0}},
            "dots": [{{"name": "d", "energy": "eps0 - alpha*V"}}],
            "leads": [
              {{"name": "l", "temperature": "T_l", "chemical_potential": "mu_l",
               "couplings": [{{"dot": "d", "rate": "{rate_l}"}}]}},
              {{"name": "r", "temperature": "T_r", "chemical_potential": "mu_r",
               "couplings": [{{"dot": "d", "rate": "{rate_r}"}}]}}]}}"#
        )
    };
    let model = qct::model::json::from_json(&text("gamma*p", "gamma"), "<test>").unwrap();
    let role = |m: &qct::model::Model, name: &str| m.parameters[m.param(name).unwrap().0].role;
    assert_eq!(role(&model, "p"), Role::Dimensionless);
    assert_eq!(role(&model, "alpha"), Role::Dimensionless);
    assert_eq!(role(&model, "V"), Role::Energy);
    assert_eq!(role(&model, "gamma"), Role::Rate);
    // Solved in SI with the plain p and alpha: I = e Γ_l Γ_r/(Γ_l + Γ_r)(f_l − f_r) with
    // Γ_l = p Γ and the level eps0 − alpha V = 0.09 meV.
    let dir = std::env::temp_dir().join(format!("qct-lever-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lever.json");
    std::fs::write(&path, text("gamma*p", "gamma")).unwrap();
    let si: Value = serde_json::from_str(&cli::stdout(&[
        "solve",
        "--model-file",
        path.to_str().unwrap(),
        "--units",
        "si",
        "--format",
        "json",
    ]))
    .unwrap();
    let gamma = 1e-3 * MEV / HBAR;
    let (g_l, g_r) = (0.5 * gamma, gamma);
    let level = 0.1 * MEV - 0.2 * 0.05 * MEV;
    let fermi = |mu: f64, t: f64| 1.0 / (1.0 + ((level - mu) / (BOLTZMANN * t)).exp());
    let current =
        ELEMENTARY_CHARGE * g_l * g_r / (g_l + g_r) * (fermi(0.05 * MEV, 0.2) - fermi(0.0, 0.1));
    close(f(&si["leads"][0]["I"]), current, 1e-12, 0.0, "I");
    std::fs::remove_dir_all(&dir).ok();
    // No known partner: both factors keep the product's role (ambiguous: p reads as a
    // rate), so its plain default beside defaults with units is refused as mixing, naming p.
    let message = qct::model::json::from_json(&text("gamma*p", "p*gamma*2"), "<test>")
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("mixed") && message.contains(": p "),
        "{message}"
    );
}
