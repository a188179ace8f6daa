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
    args.extend(&LAB[2..]); // all but eps
    args.extend(["--vary", "eps=0:1:3"]);
    let msg = cli::fails(&args);
    assert!(
        msg.contains("mixed with plain numbers") && msg.contains("eps"),
        "{msg}"
    );
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

/// `qct COMMAND POINT --units si --format json EXTRA`, parsed.
fn si_json(command: &str, point: &[&str], extra: &[&str]) -> serde_json::Value {
    let mut args = vec![command];
    args.extend(point);
    args.extend(["--units", "si", "--format", "json"]);
    args.extend(extra);
    serde_json::from_str(&cli::stdout(&args)).unwrap()
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
    let run = |command: &str, extra: &[&str]| si_json(command, &point, extra);
    let performance = run("performance", &[]);
    let solve = run("solve", &[]);
    let onsager = run("onsager", &["--representation", "heat"]);
    let power: f64 = solve["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| -l["mu"].as_f64().unwrap() * l["J_N"].as_f64().unwrap())
        .sum();
    let p = performance["machine"]["P"].as_f64().unwrap();
    assert!(
        (p / power - 1.0).abs() < 1e-9,
        "P = {p} W, from currents {power} W"
    );
    let t = performance["linear"]["T"].as_f64().unwrap();
    assert!((t - 1.0).abs() < 1e-12, "T = {t} K");
    let g = performance["linear"]["G"].as_f64().unwrap();
    let l_nn = onsager["L"][0][0].as_f64().unwrap();
    let e = ELEMENTARY_CHARGE;
    assert!(
        (g / (e * e * l_nn / (BOLTZMANN * t)) - 1.0).abs() < 1e-12,
        "G = {g} S"
    );
    assert_eq!(performance["units"]["G"], "S");
}

/// The rows of a `qct sweep --format json` run: the numbers of each row.
fn sweep_rows(args: &[&str]) -> Vec<Vec<f64>> {
    let json: serde_json::Value = serde_json::from_str(&cli::stdout(args)).unwrap();
    json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect()
}

/// Every number of `a` equals `b` to 1e-12, relative to the largest of its column.
fn assert_same_table(a: &[Vec<f64>], b: &[Vec<f64>]) {
    assert_eq!(a.len(), b.len());
    for c in 0..a[0].len() {
        let scale = a.iter().map(|r| r[c].abs()).fold(0.0, f64::max);
        for (ra, rb) in a.iter().zip(b) {
            assert!(
                (ra[c] - rb[c]).abs() <= 1e-12 * scale,
                "column {c}: {} vs {}",
                ra[c],
                rb[c]
            );
        }
    }
}

/// Sweep axes with units (linear, log, list) give the same table as the axes converted by
/// hand to natural meV units, to 1e-12: k_B T in meV, ħΓ in meV.
#[test]
fn sweep_axes_with_units_match_natural_axes() {
    let k = kelvin_in_mev();
    let fixed = [
        "--set",
        "T_r=100mK",
        "--set",
        "mu_l=0.05meV",
        "--set",
        "gamma_l=1ueV",
        "--set",
        "gamma_r=1e9/s",
    ];
    let natural_fixed = [
        format!("T_r={}", 0.1 * k),
        "mu_l=0.05".into(),
        "gamma_l=0.001".into(),
        format!("gamma_r={}", 1e9 * per_second_in_mev()),
    ];
    let quantities = ["--quantity", "J_N^l,J_E^r,sigma,p_B", "--format", "json"];
    let cases: [(&str, &str, String, String); 3] = [
        (
            "eps=0:1meV:5",
            "T_l=200mK",
            "eps=0:1:5".into(),
            format!("T_l={}", 0.2 * k),
        ),
        (
            "T_l=log:10mK:1K:7",
            "eps=0.1meV",
            format!("T_l=log:{}:{}:7", 0.01 * k, k),
            "eps=0.1".into(),
        ),
        (
            "T_l=20mK,0.05K,1 K",
            "eps=0.1meV",
            format!("T_l={},{},{}", 0.02 * k, 0.05 * k, k),
            "eps=0.1".into(),
        ),
    ];
    for (axis, set, natural_axis, natural_set) in &cases {
        let mut lab = vec!["sweep", "sqd", "--vary", axis, "--set", set];
        lab.extend(fixed);
        lab.extend(quantities);
        let mut natural = vec![
            "sweep",
            "sqd",
            "--vary",
            natural_axis.as_str(),
            "--set",
            natural_set,
        ];
        for s in &natural_fixed {
            natural.extend(["--set", s.as_str()]);
        }
        natural.extend(quantities);
        assert_same_table(&sweep_rows(&lab), &sweep_rows(&natural));
    }
    // The grid header keeps the axis as written.
    let mut args = vec![
        "sweep",
        "sqd",
        "--vary",
        "T_l=log:10mK:1K:3",
        "--set",
        "eps=0.1meV",
    ];
    args.extend(fixed);
    assert!(cli::stdout(&args).contains("# grid: T_l=log:10mK:1K:3"));
}

/// Axes with malformed, mixed or misplaced units: one-line errors naming the problem.
#[test]
fn sweep_axis_unit_errors_are_named() {
    let mut point = vec!["sweep", "sqd"];
    point.extend(LAB[2..].iter().copied()); // all but eps
    for (axis, expected) in [
        ("eps=0:1mev:3", "unknown unit 'mev'"),
        ("eps=0.5:1meV:3", "mixed with the plain number 0.5"),
        ("eps=1mK:1meV:3", "different dimensions"),
        ("eps=1mK,2mK", "is a temperature, but eps takes an energy"),
        ("eps=0,1/ns", "is a rate, but eps takes an energy"),
        ("F_N^l=0:1meV:3", "a force is varied in plain numbers"),
        ("F_E^l=0:1:3", "an energy force (1/energy)"),
        ("eps=log:0meV:1meV:3", "nonzero and of one sign"),
    ] {
        let mut args = point.clone();
        if axis.starts_with('F') {
            args.extend(["--set", "eps=0.1meV"]);
        }
        args.extend(["--vary", axis]);
        let msg = cli::fails(&args);
        assert!(msg.contains(expected), "{axis}: {msg}");
        assert_eq!(msg.trim_end().lines().count(), 1, "{msg}");
    }
    // Plain axes in a sweep whose other values have units: the plain values would be meV.
    let msg = cli::fails(&["sweep", "sqd", "--vary", "T_l=20mK,50mK"]);
    assert!(msg.contains("mixed with plain numbers"), "{msg}");
}

/// A model file whose defaults carry units ("T_l": "200mK", {"default": "1e9/s"}) is the
/// same point as the built-in with `--set` in those units; a file mixing united and plain
/// defaults, or giving a default of the wrong dimension, is refused by name.
#[test]
fn model_file_values_with_units() {
    let mut model: serde_json::Value =
        serde_json::from_str(&cli::stdout(&["models", "sqd", "--format", "json"])).unwrap();
    model["parameters"] = serde_json::json!({
        "eps": "0.1meV", "gamma_l": "1ueV",
        "gamma_r": {"default": "1e9/s", "description": "right"},
        "T_l": "200mK", "T_r": "100 mK", "mu_l": "0.05meV", "mu_r": 0
    });
    let dir = std::env::temp_dir().join(format!("qct-units-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, model: &serde_json::Value| {
        let path = dir.join(name);
        std::fs::write(&path, model.to_string()).unwrap();
        path.display().to_string()
    };
    let lab_file = write("lab.json", &model);
    let from_file: serde_json::Value = serde_json::from_str(&cli::stdout(&[
        "solve",
        "--model-file",
        &lab_file,
        "--units",
        "si",
        "--format",
        "json",
    ]))
    .unwrap();
    let mut args = vec!["solve", "sqd"];
    args.extend(LAB);
    args.extend(["--units", "si", "--format", "json"]);
    let from_set: serde_json::Value = serde_json::from_str(&cli::stdout(&args)).unwrap();
    for lead in 0..2 {
        let (a, b) = (
            from_file["leads"][lead]["I"].as_f64().unwrap(),
            from_set["leads"][lead]["I"].as_f64().unwrap(),
        );
        assert!((a / b - 1.0).abs() < 1e-12, "{a} vs {b}");
    }
    // A plain --set on top of united defaults is mixing.
    let msg = cli::fails(&["solve", "--model-file", &lab_file, "--set", "T_l=0.5"]);
    assert!(
        msg.contains("mixed with plain numbers") && msg.contains("T_l"),
        "{msg}"
    );
    let mut mixed = model.clone();
    mixed["parameters"]["T_r"] = serde_json::json!(0.5);
    let msg = cli::fails(&["solve", "--model-file", &write("mixed.json", &mixed)]);
    assert!(
        msg.contains("mixed with plain numbers") && msg.contains("T_r"),
        "{msg}"
    );
    let mut wrong = model.clone();
    wrong["parameters"]["T_r"] = serde_json::json!("1meV");
    let msg = cli::fails(&["solve", "--model-file", &write("wrong.json", &wrong)]);
    assert!(msg.contains("the default of T_r is an energy"), "{msg}");
    let mut malformed = model;
    malformed["parameters"]["eps"] = serde_json::json!("0.1 mev");
    let msg = cli::fails(&["solve", "--model-file", &write("bad.json", &malformed)]);
    assert!(msg.contains("unknown unit 'mev'"), "{msg}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The columns of a `qct sweep --format json` run by name.
fn sweep_columns(args: &[&str]) -> (Vec<String>, Vec<Vec<serde_json::Value>>) {
    let json: serde_json::Value = serde_json::from_str(&cli::stdout(args)).unwrap();
    let names = json["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let rows = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().clone())
        .collect();
    (names, rows)
}

/// `qct sweep --units si`: the columns carry their units (`I^l [A]`), and at every grid
/// point the SI numbers equal those of `qct solve --units si` at the same point (I, J_E,
/// J_Q, Σ̇, p) to 1e-12.
#[test]
fn sweep_in_si_units_matches_solve() {
    let fixed = [
        "--set",
        "eps=0.1meV",
        "--set",
        "T_r=100mK",
        "--set",
        "mu_l=0.05meV",
        "--set",
        "gamma_l=1ueV",
        "--set",
        "gamma_r=1e9/s",
    ];
    let mut args = vec!["sweep", "sqd", "--vary", "T_l=20mK,200mK,1K"];
    args.extend(fixed);
    args.extend([
        "--quantity",
        "I^l,J_N^l,J_E^l,J_Q^r,sigma,p_B,regime",
        "--units",
        "si",
        "--format",
        "json",
    ]);
    let (names, rows) = sweep_columns(&args);
    assert_eq!(
        names,
        [
            "T_l [K]",
            "I^l [A]",
            "J_N^l [1/s]",
            "J_E^l [W]",
            "J_Q^r [W]",
            "sigma [W/K]",
            "p_B [1]",
            "regime"
        ]
    );
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1e-300);
    for (row, t_l) in rows.iter().zip(["20mK", "200mK", "1K"]) {
        let set = format!("T_l={t_l}");
        let mut args = vec!["solve", "sqd", "--set", &set];
        args.extend(fixed);
        args.extend(["--units", "si", "--format", "json"]);
        let solve: serde_json::Value = serde_json::from_str(&cli::stdout(&args)).unwrap();
        let number = |c: usize| row[c].as_f64().unwrap();
        let lead = |l: usize, key: &str| solve["leads"][l][key].as_f64().unwrap();
        assert!(close(
            number(0),
            solve["parameters"]["T_l"].as_f64().unwrap()
        ));
        assert!(
            close(number(1), lead(0, "I")),
            "{} vs {}",
            number(1),
            lead(0, "I")
        );
        assert!(close(number(1), ELEMENTARY_CHARGE * number(2)));
        assert!(close(number(3), lead(0, "J_E")));
        assert!(close(number(4), lead(1, "J_Q")));
        let sigma = solve["sigma"]["minus_sum_beta_heat"].as_f64().unwrap();
        assert!(close(number(5), sigma));
        assert!((number(6) - solve["states"][1]["probability"].as_f64().unwrap()).abs() < 1e-15);
        assert!(row[7].is_string());
    }
    // CSV: the same names in the header line, the units line says SI.
    let mut csv_args = args.clone();
    csv_args.truncate(csv_args.len() - 2);
    let csv = cli::stdout(&csv_args);
    assert!(csv.contains("# units: SI base units"), "{csv}");
    assert!(csv.contains("T_l [K],I^l [A],J_N^l [1/s]"), "{csv}");
    // --units si needs inputs with units.
    let msg = cli::fails(&["sweep", "sqd", "--vary", "eps=0:1:3", "--units", "si"]);
    assert!(msg.contains("--units si needs"), "{msg}");
}

/// Every sweep column of every built-in model has a unit in both modes (labels excepted),
/// and `--units si` multiplies each column of the natural (meV) sweep by exactly that
/// column's factor: a round trip through the two outputs to 1e-12.
#[test]
fn every_sweep_column_has_a_unit() {
    use qct_cli::report::quantity_units::{column_unit, unit_of};
    use qct_cli::report::units::Units;
    for name in qct::model::builtin::NAMES {
        let model = builtin(name).unwrap();
        let basis =
            ForceBasis::new(&model, Representation::Heat, model.default_references()).unwrap();
        for q in qct::quantity::names(&model, &basis)
            .iter()
            .chain(model.parameters.iter().map(|p| &p.name))
        {
            let labelled = q == "regime" || q == "linear_regime";
            assert_eq!(
                column_unit(q, &model, &basis).is_none(),
                labelled,
                "{name} {q}"
            );
            if !labelled {
                assert!(!unit_of(q, &model, &basis, Units::Si).unwrap().is_empty());
                assert!(
                    !unit_of(q, &model, &basis, Units::Natural)
                        .unwrap()
                        .is_empty()
                );
            }
        }
    }
    let model = builtin("sqd").unwrap();
    let basis = ForceBasis::new(&model, Representation::Heat, model.default_references()).unwrap();
    assert_eq!(unit_of("I^l", &model, &basis, Units::Si).unwrap(), "A");
    assert_eq!(unit_of("G", &model, &basis, Units::Si).unwrap(), "S");
    assert_eq!(unit_of("T_l", &model, &basis, Units::Si).unwrap(), "K");
    assert_eq!(unit_of("L_QQ", &model, &basis, Units::Si).unwrap(), "J W");
    let quantities: Vec<String> = qct::quantity::names(&model, &basis)
        .into_iter()
        .filter(|q| !q.starts_with("fano") && !q.starts_with("tur") && !q.contains("regime"))
        .collect();
    let quantities = quantities.join(",");
    let run = |units: &str| {
        let mut args = vec![
            "sweep",
            "sqd",
            "--representation",
            "heat",
            "--vary",
            "eps=0.1meV,0.3meV",
        ];
        args.extend(&LAB[2..]);
        args.extend([
            "--quantity",
            &quantities,
            "--units",
            units,
            "--format",
            "json",
        ]);
        sweep_columns(&args)
    };
    let ((natural_names, natural), (si_names, si)) = (run("natural"), run("si"));
    for (c, name) in natural_names.iter().enumerate() {
        let unit = column_unit(name, &model, &basis).unwrap();
        assert_eq!(si_names[c], format!("{name} [{}]", unit.si));
        for (a, b) in natural.iter().zip(&si) {
            let (Some(a), Some(b)) = (a[c].as_f64(), b[c].as_f64()) else {
                assert_eq!(a[c], b[c], "{name}");
                continue;
            };
            assert!(
                (a * unit.si_factor - b).abs() <= 1e-12 * b.abs(),
                "{name}: {a} x {} vs {b}",
                unit.si_factor
            );
        }
    }
}

/// `qct regime --units si` against `qct solve --units si` at the same point: J_N in 1/s,
/// J_E in W, the gradients Δμ in J and ΔT in K, Σ̇ in W/K; the text in pA, mK, µeV.
#[test]
fn regime_in_si_units() {
    let run = |command: &str, format: &str| {
        let mut args = vec![command, "sqd"];
        args.extend(LAB);
        args.extend(["--units", "si", "--format", format]);
        cli::stdout(&args)
    };
    let regime: serde_json::Value = serde_json::from_str(&run("regime", "json")).unwrap();
    let solve: serde_json::Value = serde_json::from_str(&run("solve", "json")).unwrap();
    let close = |a: &serde_json::Value, b: f64| (a.as_f64().unwrap() / b - 1.0).abs() < 1e-12;
    let fluxes = &regime["fluxes"];
    assert_eq!(fluxes[0]["flux"], "J_N^l");
    assert!(close(
        &fluxes[0]["flux_value"],
        solve["leads"][0]["J_N"].as_f64().unwrap()
    ));
    assert!(close(
        &fluxes[1]["flux_value"],
        solve["leads"][0]["J_E"].as_f64().unwrap()
    ));
    assert!(close(
        &fluxes[0]["gradient"]["value"],
        0.05e-3 * ELEMENTARY_CHARGE
    ));
    assert!(close(&fluxes[1]["gradient"]["value"], 0.1));
    // F_E = 1/(k_B T_r) − 1/(k_B T_l) in 1/J.
    let f_e = 1.0 / (BOLTZMANN * 0.1) - 1.0 / (BOLTZMANN * 0.2);
    assert!(close(&fluxes[1]["force_value"], f_e));
    let sigma = solve["sigma"]["minus_sum_beta_heat"].as_f64().unwrap();
    assert!(close(&regime["sigma"], sigma));
    assert_eq!(regime["units"]["J_E"], "W");
    let text = run("regime", "text");
    for unit in [" pA", " mK", " µeV", "W/K"] {
        assert!(text.contains(unit), "{unit}: {text}");
    }
}

/// `qct icc --units si` against `qct onsager --units si` at the same point: L entry by
/// entry; the J_N wedge's upper bound on F_N/F_E is −L_NE/L_NN in J; β_ρ = 1/(k_B T). The
/// point is the ICC point of the `icc` model with k_B T = 1 meV (T = 11.6 K).
#[test]
fn icc_in_si_units() {
    let point = [
        "icc",
        "--set",
        "eps_b=0.1meV",
        "--set",
        "eps_u=0.5meV",
        "--set",
        "kappa_c=0.25meV",
        "--set",
        "kappa_s=0.25meV",
        "--set",
        "gamma_l0=0.01ueV",
        "--set",
        "gamma_l1=0.2ueV",
        "--set",
        "gamma_r0=0.01ueV",
        "--set",
        "gamma_r1=1ueV",
        "--set",
        "gamma_u0=1ueV",
        "--set",
        "gamma_u1=1ueV",
        "--set",
        "T_l=17.406777K",
        "--set",
        "T=11.604518K",
        "--set",
        "mu_l=0.2meV",
    ];
    let run = |command: &str, extra: &[&str]| si_json(command, &point, extra);
    let icc = run("icc", &["--no-symbolic", "--directions", "8"]);
    let onsager = run("onsager", &[]);
    let analysis = &icc["analysis"];
    for i in 0..2 {
        for j in 0..2 {
            let (a, b) = (
                analysis["L"][i][j].as_f64().unwrap(),
                onsager["L"][i][j].as_f64().unwrap(),
            );
            assert!((a / b - 1.0).abs() < 1e-9, "L[{i}][{j}] {a} vs {b}");
            assert_eq!(icc["units"]["L"][i][j], onsager["units"]["L"][i][j]);
        }
    }
    let l = |i: usize, j: usize| analysis["L"][i][j].as_f64().unwrap();
    let wedge = &analysis["wedges"][0];
    assert_eq!(wedge["flux"], "J_N^l");
    assert!(wedge["exists"].as_bool().unwrap(), "{wedge}");
    let bound = wedge["ratio_to"].as_f64().unwrap();
    assert!((bound / (-l(0, 1) / l(0, 0)) - 1.0).abs() < 1e-9, "{bound}");
    let beta = analysis["beta_reference"].as_f64().unwrap();
    assert!((beta * BOLTZMANN * 11.604518 - 1.0).abs() < 1e-12);
    let msg = cli::fails(&["icc", "sqd", "--units", "si", "--no-symbolic"]);
    assert!(msg.contains("--units si needs"), "{msg}");
}

/// Every number of `a` equals the one of `b` at the same place to 1e-12 relative (absolute
/// 1e-12 of `scale` for numbers that are zero within rounding); rounding diagnostics
/// (residuals, conservation checks, det L of the tightly coupled single dot: ~1e-16 either
/// way) only to 1e-12 absolute, and finite
/// differences (a check whose own error is ~1e-10) and the location of a maximum (flat to
/// second order: determined to ~√ε) to 1e-8 relative; Σ̇ (a sum that cancels to second
/// order near equilibrium) relative to 1e-6, far below its gross scale β ħγ ~ 0.06 here;
/// the same strings elsewhere.
fn assert_same_json(a: &serde_json::Value, b: &serde_json::Value, scale: f64, at: &str) {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            let diagnostic = [
                "residual",
                "conservation",
                "balance",
                "deviation",
                "determinant",
            ]
            .iter()
            .any(|key| at.contains(key));
            let tolerance = if diagnostic {
                1e-12
            } else if at.contains("finite_difference")
                || at.contains("at_max")
                || at.contains("eta_max")
            {
                1e-8 * x.abs().max(y.abs())
            } else if at.contains("sigma") {
                1e-12 * x.abs().max(y.abs()).max(1e-6)
            } else {
                1e-12 * x.abs().max(y.abs()).max(scale)
            };
            assert!((x - y).abs() <= tolerance, "{at}: {x} vs {y}");
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                assert_same_json(x, y, scale, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (key, x) in x {
                assert_same_json(x, &y[key], scale, &format!("{at}.{key}"));
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

/// Unit round trip for every command that takes values with units: the sqd point in lab
/// units and the same point converted by hand to natural meV units give the same JSON
/// (natural output) to 1e-12, number by number — solve, onsager, regime, performance, icc,
/// noise, fcs and check.
#[test]
fn every_command_gives_the_same_point_in_lab_and_natural_units() {
    let k = kelvin_in_mev();
    let natural = [
        "--set".to_string(),
        "eps=0.1".into(),
        "--set".into(),
        format!("T_l={}", 0.2 * k),
        "--set".into(),
        format!("T_r={}", 0.1 * k),
        "--set".into(),
        "mu_l=0.05".into(),
        "--set".into(),
        "gamma_l=0.001".into(),
        "--set".into(),
        format!("gamma_r={}", 1e9 * per_second_in_mev()),
    ];
    let natural: Vec<&str> = natural.iter().map(String::as_str).collect();
    for command in [
        vec!["solve"],
        vec!["onsager"],
        vec!["regime"],
        vec!["performance"],
        vec!["icc", "--no-symbolic", "--directions", "16"],
        vec!["noise"],
        vec!["fcs", "--order", "3"],
    ] {
        let run = |point: &[&str]| -> serde_json::Value {
            let mut args = vec![command[0], "sqd"];
            args.extend(&command[1..]);
            args.extend(point);
            args.extend(["--format", "json"]);
            serde_json::from_str(&cli::stdout(&args)).unwrap()
        };
        let (lab, nat) = (run(&LAB), run(&natural));
        // Zero within rounding: relative to the largest rate of the point, ħΓ_r = 6.6e-4 meV.
        assert_same_json(&lab, &nat, 1e-18, command[0]);
    }
}

/// `--method lindblad` at millikelvin ratios: at 20 mK with the level 1 meV above μ
/// (β ε ≈ 580, Boltzmann factors ~1e-252) the Lindblad current equals the Pauli one in
/// amperes to 1e-9; where two classes are joined only by rates of e^{−3000} (the
/// degenerate cqd ground states) it refuses with one line, never a NaN.
#[test]
fn lindblad_at_millikelvin_works_or_refuses_clearly() {
    let point = [
        "sqd",
        "--set",
        "eps=1meV",
        "--set",
        "T_l=20mK",
        "--set",
        "T_r=20mK",
        "--set",
        "mu_l=0.05meV",
        "--set",
        "gamma_l=1ueV",
        "--set",
        "gamma_r=1ueV",
    ];
    let pauli = si_json("solve", &point, &[]);
    let lindblad = si_json("solve", &point, &["--method", "lindblad"]);
    for lead in 0..2 {
        let (a, b) = (
            lindblad["leads"][lead]["I"].as_f64().unwrap(),
            pauli["leads"][lead]["I"].as_f64().unwrap(),
        );
        assert!(b.abs() > 1e-260 && b.abs() < 1e-240, "{b}");
        assert!((a / b - 1.0).abs() < 1e-9, "lindblad {a} A vs pauli {b} A");
    }
    let msg = cli::fails(&[
        "solve",
        "cqd",
        "--set",
        "eps_b=-3",
        "--set",
        "eps_u=-3",
        "--set",
        "kappa=8",
        "--set",
        "T_l=0.001",
        "--set",
        "T_r=0.001",
        "--set",
        "T_u=0.001",
        "--method",
        "lindblad",
    ]);
    assert!(msg.contains("no unique steady state"), "{msg}");
    assert!(!msg.to_lowercase().contains("nan"), "{msg}");
}
