//! Physics tests of the analysis commands of the `qct` binary: `regime` (the documented
//! regime names, equilibrium, Seebeck, the trivial inverse response of a level below the
//! reference, a genuine ICC inside the linear-response wedge, flux-vs-force and
//! flux-vs-gradient flags), `performance` (ZT, the linear-response efficiency formulas, the
//! load optimum below Carnot), `icc` (applicability, the wedge, the direction scans),
//! `sweep` (CSV/JSON layout, 2-D row-major order, σ ≥ 0, η ≤ η_C, force axes, input
//! errors), sharding with `merge` (byte-identical to the unsharded run) and `--plot`
//! (deterministic SVG, PNG signature). Every input error must be a one-line message on
//! stderr with exit status 2 and no panic. Symbolica is never started (`--no-symbolic`).

use approx::assert_abs_diff_eq;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[path = "support/cli.rs"]
mod cli_support;
use cli_support::{ICC_POINT, fails, stdout};

fn json(args: &[&str]) -> Value {
    let text = stdout(args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("qct {args:?}: bad JSON ({e}): {text}"))
}

fn num(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what} is not a number: {v}"))
}

/// No null anywhere, and no string spelling a NaN (serde_json cannot hold a NaN number).
fn assert_no_null_or_nan(v: &Value, path: &str) {
    match v {
        Value::Null => panic!("{path} is null"),
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path} = {n}"),
        Value::String(s) => assert!(!s.eq_ignore_ascii_case("nan"), "{path} = {s}"),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| assert_no_null_or_nan(x, &format!("{path}[{i}]"))),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| assert_no_null_or_nan(x, &format!("{path}.{k}"))),
        Value::Bool(_) => {}
    }
}

const REGIMES: [&str; 12] = [
    "seebeck",
    "seebeck_unconventional",
    "peltier",
    "peltier_unconventional",
    "heat_engine",
    "refrigerator",
    "normal",
    "pseudo_icc",
    "genuine_icc",
    "trivial_inverse",
    "equilibrium",
    "multi_force",
];

fn with<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    head.iter().chain(tail).copied().collect()
}

fn example(name: &str) -> String {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// `qct regime ... --format json`, checked for the invariants every point must satisfy:
/// regime names from the documented set, no null/NaN, σ ≥ 0, and the against-force /
/// against-gradient flags equal to the signs of flux × force and flux × gradient.
fn regime(args: &[&str]) -> Value {
    let mut full = vec!["regime"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--format", "json"]);
    let d = json(&full);
    assert_no_null_or_nan(&d, "regime");
    for key in ["regime", "linear_prediction"] {
        let r = d[key].as_str().unwrap_or_else(|| panic!("{key}: {d}"));
        assert!(REGIMES.contains(&r), "{args:?}: {key} = {r}");
    }
    let sigma = num(&d["sigma"], "entropy_production");
    assert!(sigma >= 0.0, "{args:?}: entropy production {sigma} < 0");
    let fluxes = d["fluxes"].as_array().expect("fluxes");
    assert!(!fluxes.is_empty());
    for f in fluxes {
        let j = num(&f["flux_value"], "flux_value");
        let force = num(&f["force_value"], "force_value");
        let grad = num(&f["gradient"]["value"], "gradient");
        assert_eq!(
            f["against_force"].as_bool(),
            Some(j * force < 0.0),
            "{args:?}: {f}"
        );
        assert_eq!(
            f["against_gradient"].as_bool(),
            Some(j * grad < 0.0),
            "{args:?}: {f}"
        );
    }
    d
}

fn flux<'a>(d: &'a Value, name: &str) -> &'a Value {
    d["fluxes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["flux"] == name)
        .unwrap_or_else(|| panic!("no flux {name} in {d}"))
}

fn notes(d: &Value) -> Vec<String> {
    d["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n.as_str().expect("note").to_string())
        .collect()
}

#[test]
fn regime_classifies_equilibrium_multi_force_seebeck_and_trivial_inverse() {
    // Equal temperatures and chemical potentials: equilibrium, zero currents, zero σ.
    let d = regime(&["sqd", "--set", "T_l=1", "--set", "mu_l=0"]);
    assert_eq!(d["regime"], "equilibrium");
    assert_eq!(d["linear_prediction"], "equilibrium");
    assert!(num(&d["sigma"], "σ").abs() < 1e-15);
    for f in d["fluxes"].as_array().unwrap() {
        assert!(num(&f["flux_value"], "J").abs() < 1e-15, "{f}");
    }

    // Three independent forces (F_N^l, F_E^l, F_E^u): multi_force, one entry per flux.
    let d = regime(&["cqd"]);
    assert_eq!(d["regime"], "multi_force");
    assert_eq!(d["linear_prediction"], "multi_force");
    let names: Vec<&str> = d["fluxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["flux"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["J_N^l", "J_E^l", "J_E^u"]);
    assert!(num(&d["sigma"], "σ") > 0.0);

    // A level above μ with a hot left lead and no bias: Seebeck effect, particles flow
    // from hot to cold (J_N^l > 0) with F_N^l = 0.
    let hot = ["--set", "T_l=1.3", "--set", "T_r=1", "--set", "mu_l=0"];
    let up = regime(&with(&["sqd", "--set", "eps=1"], &hot));
    assert_eq!(up["regime"], "seebeck");
    assert_eq!(up["linear_prediction"], "seebeck");
    let jn_up = num(&flux(&up, "J_N^l")["flux_value"], "J_N");
    assert!(jn_up > 0.0);
    let f_e = num(&flux(&up, "J_E^l")["force_value"], "F_E");
    assert!(
        (f_e - (1.0 - 1.0 / 1.3)).abs() < 1e-12,
        "F_E^l = β_r - β_l: {f_e}"
    );
    assert_eq!(num(&flux(&up, "J_N^l")["force_value"], "F_N"), 0.0);

    // The mirrored level below μ: holes carry the heat, J_N^l reverses with the same
    // magnitude (particle-hole symmetry of the Fermi function) while J_E^l > 0 still.
    // A tightly coupled level below the reference: the trivial inverse response.
    let down = regime(&with(&["sqd", "--set", "eps=-1"], &hot));
    assert_eq!(down["regime"], "trivial_inverse");
    let jn_down = num(&flux(&down, "J_N^l")["flux_value"], "J_N");
    assert!(
        (jn_down + jn_up).abs() <= 1e-12 * jn_up.abs(),
        "{jn_up} {jn_down}"
    );
    assert!(num(&flux(&down, "J_E^l")["flux_value"], "J_E") > 0.0);
    assert!(
        notes(&down)
            .iter()
            .any(|n| n.contains("below the reference")),
        "{down}"
    );
    assert!(notes(&up).is_empty(), "{up}");

    // The documented double dot and the SB converter keep the invariants of `regime`.
    regime(&["--model-file", &example("double_dot_two_terminal.json")]);
    regime(&[
        "sb",
        "--set",
        "T_u=2",
        "--set",
        "gamma_l1=0.1",
        "--set",
        "gamma_r0=0.1",
    ]);
}

#[test]
fn regime_finds_the_genuine_icc_inside_the_linear_wedge() {
    // L at the equilibrium of the point: L_NE < 0, so the J_N wedge is
    // 0 < F_N/F_E < -L_NE/L_NN.
    let o = json(&with(
        &["onsager", "icc"],
        &with(&ICC_POINT, &["--format", "json"]),
    ));
    let l = &o["L"];
    let (l_nn, l_ne) = (num(&l[0][0], "L_NN"), num(&l[0][1], "L_NE"));
    assert!(l_ne < 0.0 && l_nn > 0.0, "{l}");
    let ratio_max = -l_ne / l_nn;

    // T = 1 (leads r and u), T_l = 1.05: F_E^l = 1 - 1/1.05 > 0; F_N^l = mu_l / 1.05.
    let t_l = 1.05_f64;
    let f_e = 1.0 - 1.0 / t_l;
    let mu_l = 0.4 * ratio_max * f_e * t_l; // F_N / F_E = 0.4 of the wedge
    let args = with(&["icc"], &ICC_POINT);
    let (tl, ml) = (format!("T_l={t_l}"), format!("mu_l={mu_l}"));
    let d = regime(&with(&args, &["--set", &tl, "--set", &ml]));
    assert_eq!(d["regime"], "genuine_icc", "{d}");
    assert_eq!(d["linear_prediction"], "genuine_icc", "{d}");
    assert_eq!(d["inverse_flux"], "J_N^l");
    assert_eq!(d["tight_coupling"], false);
    let jn = flux(&d, "J_N^l");
    assert_abs_diff_eq!(num(&jn["force_value"], "F_N"), mu_l / t_l, epsilon = 1e-12);
    assert!(num(&jn["force_value"], "F_N") > 0.0);
    assert!(num(&jn["flux_value"], "J_N") < 0.0);
    assert_eq!(jn["against_force"], true);
    let je = flux(&d, "J_E^l");
    assert_abs_diff_eq!(num(&je["force_value"], "F_E"), f_e, epsilon = 1e-12);
    assert_eq!(je["against_force"], false);
    // The heat-driven inverse particle current does work: an engine below Carnot.
    let p = &d["performance"];
    assert_eq!(p["role"], "engine");
    assert!(num(&p["P"], "P") > 0.0);
    assert!(num(&p["eta"], "η") <= num(&p["eta_carnot"], "η_C"));
    assert_abs_diff_eq!(num(&p["eta_carnot"], "η_C"), f_e, epsilon = 1e-12);

    // Outside the wedge (F_N/F_E = 2 × its edge, below the J_E wedge): normal transport.
    let ml = format!("mu_l={}", 2.0 * ratio_max * f_e * t_l);
    let d = regime(&with(&args, &["--set", &tl, "--set", &ml]));
    assert_eq!(d["regime"], "normal", "{d}");
}

#[test]
fn a_current_against_its_gradient_but_along_its_force_is_flagged() {
    // sqd with T_l = 2, T_r = 1, mu_l = 0.5, mu_r = 0.4: Δμ = +0.1 but
    // F_N^l = mu_l/T_l - mu_r/T_r = -0.15. The tightly coupled current J_N ∝ f_l(ε) - f_r(ε)
    // is negative exactly when (ε - 0.5)/2 > ε - 0.4, i.e. ε < 0.3: it then flows against
    // Δμ but along F_N^l. Scan ε on both sides of 0.3.
    let point = [
        "--set", "T_l=2", "--set", "T_r=1", "--set", "mu_l=0.5", "--set", "mu_r=0.4",
    ];
    for eps in [-0.5, -0.2, 0.0, 0.1, 0.29, 0.31, 0.5, 1.0] {
        let e = format!("eps={eps}");
        let d = regime(&with(&["sqd", "--set", &e], &point));
        let jn = flux(&d, "J_N^l");
        assert!(
            (num(&jn["gradient"]["value"], "Δμ") - 0.1).abs() < 1e-12,
            "{jn}"
        );
        assert!(
            (num(&jn["force_value"], "F_N") + 0.15).abs() < 1e-12,
            "{jn}"
        );
        let j = num(&jn["flux_value"], "J_N");
        let gradient_note = notes(&d)
            .into_iter()
            .find(|n| n.contains("J_N^l") && n.contains("against its gradient"));
        if eps < 0.3 {
            assert!(j < 0.0, "eps={eps}: {jn}");
            assert_eq!(jn["against_gradient"], true, "eps={eps}");
            assert_eq!(jn["against_force"], false, "eps={eps}");
            let note = gradient_note.unwrap_or_else(|| panic!("eps={eps}: no note: {d}"));
            assert!(note.contains("along its force"), "{note}");
        } else {
            assert!(j > 0.0, "eps={eps}: {jn}");
            assert_eq!(jn["against_gradient"], false, "eps={eps}");
            assert_eq!(jn["against_force"], true, "eps={eps}");
            assert!(gradient_note.is_none(), "eps={eps}: {gradient_note:?}");
        }
    }
}

#[test]
fn performance_zt_and_efficiencies_obey_linear_response_and_carnot() {
    let d = json(&[
        "performance",
        "anderson",
        "--set",
        "T_l=1.1",
        "--format",
        "json",
    ]);
    assert_no_null_or_nan(&d, "performance");
    let lin = &d["linear"];
    let zt = num(&lin["ZT"], "ZT");
    assert!(zt.is_finite() && zt > 0.0, "{lin}");
    assert_eq!(lin["tight_coupling"], false);
    let (g, s, k, t) = (
        num(&lin["G"], "G"),
        num(&lin["S"], "S"),
        num(&lin["K"], "K"),
        num(&lin["T"], "T"),
    );
    assert!(g > 0.0 && k > 0.0 && t > 0.0);
    // ZT = G S² T / K, power factor G S².
    assert!((zt - g * s * s * t / k).abs() <= 1e-9 * zt, "{lin}");
    assert_abs_diff_eq!(num(&lin["power_factor"], "PF"), g * s * s, epsilon = 1e-12);
    // η_max/η_C = (√(1+ZT) - 1)/(√(1+ZT) + 1); η(P_max)/η_C = ZT / (2 (ZT + 2)).
    let r = (1.0 + zt).sqrt();
    let eta_max = num(&lin["eta_max_over_carnot"], "η_max");
    assert!((eta_max - (r - 1.0) / (r + 1.0)).abs() <= 1e-9, "{lin}");
    let eta_mp = num(&lin["eta_at_max_power_over_carnot"], "η_mp");
    assert!((eta_mp - zt / (2.0 * (zt + 2.0))).abs() <= 1e-9, "{lin}");
    assert!(eta_mp < eta_max && eta_max < 1.0);
    load_optimum_below_carnot(&d["load_optimum"], 1.0 - 1e-3);

    let d = json(&["performance", "sqd", "--format", "json"]);
    assert_no_null_or_nan(&d, "performance");
    let lin = &d["linear"];
    assert_eq!(lin["ZT"], "inf", "tight coupling: {lin}");
    assert_eq!(lin["tight_coupling"], true);
    // A single level: S = (ε - μ)/T = 1, no heat leak K = 0, η_max = η_C, η(P_max) = η_C/2.
    assert_abs_diff_eq!(num(&lin["S"], "S"), 1.0, epsilon = 1e-12);
    assert!(num(&lin["K"], "K").abs() < 1e-12);
    assert_abs_diff_eq!(num(&lin["eta_max_over_carnot"], ""), 1.0, epsilon = 1e-12);
    assert_abs_diff_eq!(
        num(&lin["eta_at_max_power_over_carnot"], ""),
        0.5,
        epsilon = 1e-12
    );
    let opt = &d["load_optimum"];
    load_optimum_below_carnot(opt, 1.0 + 1e-9);
    // Tight coupling: the load optimum reaches Carnot at the stall bias.
    assert!(num(&opt["eta_max_over_carnot"], "") > 0.99, "{opt}");
}

fn load_optimum_below_carnot(opt: &Value, bound: f64) {
    let carnot = num(&opt["eta_carnot"], "η_C");
    let eta_max = num(&opt["eta_max"], "η_max");
    let eta_mp = num(&opt["eta_at_max_power"], "η_mp");
    assert!(carnot > 0.0 && carnot < 1.0, "{opt}");
    assert!(eta_max > 0.0 && eta_max <= bound * carnot, "{opt}");
    assert!(eta_mp > 0.0 && eta_mp <= eta_max * (1.0 + 1e-9), "{opt}");
    assert!(num(&opt["eta_max_over_carnot"], "") <= bound, "{opt}");
    assert!(num(&opt["eta_at_max_power_over_carnot"], "") <= bound);
    assert!(num(&opt["P_max"], "P_max") > 0.0, "{opt}");
    // The maximum power lies between zero bias and the stall bias.
    let stall = num(&opt["stall_bias"], "stall");
    let at_mp = num(&opt["bias_at_max_power"], "bias");
    assert!(at_mp * stall > 0.0 && at_mp.abs() < stall.abs(), "{opt}");
}

#[test]
fn performance_of_a_level_at_the_chemical_potential_is_reported() {
    // ε = μ_r: S = 0 and K = 0 (tight coupling), so ZT = G S² T / K is 0/0: the report
    // gives G > 0 and S = 0 and leaves ZT out (undefined) instead of refusing the input.
    let d = json(&["performance", "sqd", "--set", "eps=0", "--format", "json"]);
    assert!(num(&d["linear"]["G"], "G") > 0.0);
    assert_eq!(num(&d["linear"]["S"], "S"), 0.0);
    assert!(d["linear"].get("ZT").is_none(), "{d}");
    // A sweep through ε = μ has an empty ZT cell there, and "inf" elsewhere.
    let csv = stdout(&["sweep", "sqd", "--vary", "eps=-1:1:3", "--quantity", "ZT,S"]);
    let rows: Vec<&str> = csv
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .collect();
    assert_eq!(rows, ["-1,inf,-1", "0,,0", "1,inf,1"], "{csv}");
}

#[test]
fn icc_applicability_wedge_and_scans() {
    let out = stdout(&["icc", "sb", "--no-symbolic"]);
    assert!(out.contains("not applicable"), "{out}");
    assert!(out.contains("non-parallel"), "{out}");
    let d = json(&["icc", "sb", "--no-symbolic", "--format", "json"]);
    assert_eq!(d["applicable"], false);

    let point = with(&ICC_POINT, &["--set", "T_l=1.05", "--set", "mu_l=0.002"]);
    let args = with(
        &with(&["icc", "icc"], &point),
        &["--no-symbolic", "--format", "json"],
    );
    let d = json(&args);
    assert_no_null_or_nan(&d, "icc");
    assert_eq!(d["applicable"], true);
    let a = &d["analysis"];
    assert_eq!(a["nonlinear_genuine_icc_found"], true, "{a}");
    assert_eq!(a["linear_predicts_genuine_icc"], true);
    let l = &a["L"];
    let (l_nn, l_ne, l_ee) = (num(&l[0][0], ""), num(&l[0][1], ""), num(&l[1][1], ""));
    let wedges = a["wedges"].as_array().unwrap();
    let jn = wedges.iter().find(|w| w["flux"] == "J_N^l").unwrap();
    assert_eq!(jn["exists"], true);
    assert!(
        (num(&jn["ratio_to"], "") + l_ne / l_nn).abs() < 1e-12,
        "{jn}"
    );
    let je = wedges.iter().find(|w| w["flux"] == "J_E^l").unwrap();
    assert!(
        (num(&je["ratio_from"], "") + l_ee / l_ne).abs() < 1e-12,
        "{je}"
    );
    // Each wedge and its opposite (both forces reversed) hold genuine-ICC directions:
    // the linear count must match the wedge widths to within a few 0.5° directions.
    let width: f64 = wedges
        .iter()
        .map(|w| num(&w["angle_to_deg"], "") - num(&w["angle_from_deg"], ""))
        .sum();
    let scans = a["scans"].as_array().unwrap();
    assert_eq!(scans.len(), 2, "default radii 0.01 and 0.2");
    for s in scans {
        let directions = num(&s["directions"], "");
        let expected = 2.0 * width / (360.0 / directions);
        let linear = num(&s["linear_genuine_icc_directions"], "");
        assert!((linear - expected).abs() <= 4.0, "{linear} vs {expected}");
        assert!(num(&s["genuine_icc_directions"], "") > 0.0);
        assert!(num(&s["min_sigma"], "σ_min") >= 0.0, "{s}");
    }
    // Near equilibrium the nonlinear scan agrees with linear response.
    assert_eq!(
        scans[0]["genuine_icc_directions"],
        scans[0]["linear_genuine_icc_directions"]
    );

    // Tight coupling (sqd): no wedge, no genuine ICC.
    let d = json(&["icc", "sqd", "--no-symbolic", "--format", "json"]);
    assert_eq!(d["analysis"]["nonlinear_genuine_icc_found"], false);
    assert_eq!(d["analysis"]["linear_predicts_genuine_icc"], false);

    for r in ["1.5", "0", "-0.1", "1"] {
        let radius = format!("--radius={r}");
        let err = fails(&["icc", "icc", &radius, "--no-symbolic"]);
        assert!(err.contains("--radius"), "{err}");
    }
}

/// Parse `qct sweep` CSV: skip `#` lines, then a header and rows of the same width.
fn csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<String> = lines
        .next()
        .expect("header row")
        .split(',')
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    for r in &rows {
        assert_eq!(r.len(), header.len(), "row {r:?} vs header {header:?}");
    }
    (header, rows)
}

/// The column `name` of a sweep as numbers (`None` for an empty cell).
fn column(text: &str, name: &str) -> Vec<Option<f64>> {
    let (header, rows) = csv(text);
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    rows.iter()
        .map(|r| {
            (!r[i].is_empty()).then(|| {
                r[i].parse()
                    .unwrap_or_else(|e| panic!("{name}: {:?}: {e}", r[i]))
            })
        })
        .collect()
}

#[test]
fn sweep_csv_layout_and_two_dimensional_order() {
    let text = stdout(&["sweep", "sqd", "--vary", "eps=-2:2:5"]);
    assert!(text.lines().next().unwrap().starts_with('#'));
    let (header, rows) = csv(&text);
    assert_eq!(header, ["eps", "J_N^l", "J_E^l", "sigma", "regime"]);
    assert_eq!(rows.len(), 5);
    for (row, eps) in rows.iter().zip([-2.0, -1.0, 0.0, 1.0, 2.0]) {
        assert_eq!(row[0].parse::<f64>().unwrap(), eps);
        assert!(REGIMES.contains(&row[4].as_str()), "{row:?}");
        // Energy representation of one level: J_E = ε J_N.
        let (jn, je): (f64, f64) = (row[1].parse().unwrap(), row[2].parse().unwrap());
        assert!((je - eps * jn).abs() <= 1e-12, "{row:?}");
    }

    let text = stdout(&[
        "sweep",
        "icc",
        "--vary",
        "eps_b=-1:1:5",
        "--vary",
        "kappa_c=-2:2:7",
        "--quantity",
        "sigma,L_NE",
    ]);
    let (header, rows) = csv(&text);
    assert_eq!(header, ["eps_b", "kappa_c", "sigma", "L_NE"]);
    assert_eq!(rows.len(), 35);
    for (i, row) in rows.iter().enumerate() {
        let (a, b) = (i / 7, i % 7);
        let eps_b: f64 = row[0].parse().unwrap();
        let kappa_c: f64 = row[1].parse().unwrap();
        assert!(
            (eps_b - (-1.0 + 0.5 * a as f64)).abs() < 1e-12,
            "row {i}: {row:?}"
        );
        assert!(
            (kappa_c - (-2.0 + 2.0 / 3.0 * b as f64)).abs() < 1e-12,
            "row {i}: {row:?}"
        );
    }
    // The 2-D grid agrees with a one-point evaluation at one of its nodes.
    let one = stdout(&[
        "sweep",
        "icc",
        "--set",
        "eps_b=0.5",
        "--vary",
        "kappa_c=2:2:1",
        "--quantity",
        "sigma,L_NE",
    ]);
    let (_, single) = csv(&one);
    assert_eq!(&single[0][1..], &rows[3 * 7 + 6][2..]);
}

#[test]
fn entropy_production_is_never_negative_in_sweeps() {
    let dd = example("double_dot_two_terminal.json");
    let sweeps: [&[&str]; 5] = [
        &["sqd", "--vary", "eps=-6:6:61"],
        &["icc", "--vary", "eps_b=-1:1:9", "--vary", "kappa_c=-3:3:9"],
        &["sb", "--vary", "T_u=0.3:5:25"],
        &["anderson", "--vary", "eps=-5:5:41"],
        &["--model-file", &dd, "--vary", "U=-4:4:33"],
    ];
    for sweep in sweeps {
        let args = with(&with(&["sweep"], sweep), &["--quantity", "sigma"]);
        let sigma = column(&stdout(&args), "sigma");
        assert!(sigma.len() >= 25);
        for s in sigma {
            let s = s.expect("σ is always defined");
            assert!(s >= 0.0, "{sweep:?}: σ = {s}");
        }
    }
}

#[test]
fn entropy_production_at_equilibrium_is_not_negative() {
    // T_u = T = 1 and equal chemical potentials: equilibrium, σ must be 0, not below.
    let d = json(&["regime", "sb", "--set", "T_u=1", "--format", "json"]);
    assert_eq!(d["regime"], "equilibrium");
    assert!(num(&d["sigma"], "σ") >= 0.0, "{d}");
    let dd = example("double_dot_two_terminal.json");
    let text = stdout(&[
        "sweep",
        "--model-file",
        &dd,
        "--set",
        "T_l=1",
        "--set",
        "mu_l=0",
        "--vary",
        "U=-4:4:9",
        "--quantity",
        "sigma",
    ]);
    for s in column(&text, "sigma") {
        assert!(s.unwrap() >= 0.0, "σ = {s:?} at equilibrium");
    }
}

#[test]
fn efficiency_never_exceeds_carnot_in_sweeps() {
    let sweeps: [&[&str]; 3] = [
        &["sb", "--set", "T_u=2", "--vary", "mu_l=-0.2:0.2:41"],
        &["anderson", "--vary", "eps=-4:4:41"],
        &[
            "anderson",
            "--set",
            "T_l=1.1",
            "--vary",
            "mu_l=-0.2:0.05:26",
        ],
    ];
    for sweep in sweeps {
        let args = with(
            &with(&["sweep"], sweep),
            &["--quantity", "eta_over_carnot,eta,P"],
        );
        let text = stdout(&args);
        let ratio = column(&text, "eta_over_carnot");
        let eta = column(&text, "eta");
        let power = column(&text, "P");
        assert!(
            ratio.iter().any(Option::is_some),
            "{sweep:?}: no engine at all"
        );
        for ((r, e), p) in ratio.iter().zip(&eta).zip(&power) {
            if let Some(r) = r {
                assert!(*r <= 1.0 && *r > 0.0, "{sweep:?}: η/η_C = {r}");
                assert!(e.unwrap() > 0.0 && p.unwrap() > 0.0, "{sweep:?}");
            } else {
                // No efficiency without power output.
                assert!(p.unwrap() <= 0.0, "{sweep:?}: P = {p:?} but no η");
            }
        }
    }
}

#[test]
fn sweep_input_errors_are_one_line() {
    let err = fails(&["sweep", "sqd", "--vary", "eps=-1:1:3", "--quantity", "sigm"]);
    assert!(err.contains("did you mean 'sigma'"), "{err}");
    let err = fails(&[
        "sweep",
        "sqd",
        "--vary",
        "eps=-1:1:3",
        "--quantity",
        "J_N^x",
    ]);
    assert!(err.contains("did you mean"), "{err}");
    let err = fails(&["sweep", "sqd", "--vary", "epz=-1:1:3"]);
    assert!(err.contains("epz"), "{err}");
    // Three axes sweep fine, but --plot draws 1-D and 2-D grids only.
    let err = fails(&[
        "sweep",
        "icc",
        "--vary",
        "eps_b=0:1:2",
        "--vary",
        "kappa_c=0:1:2",
        "--vary",
        "kappa_s=0:1:2",
        "--plot",
        "/tmp/qct-never-written.svg",
    ]);
    assert!(err.contains("3 axes"), "{err}");
    let err = fails(&["sweep", "sqd", "--vary", "eps=log:0:1:3"]);
    assert!(err.contains("nonzero and of one sign"), "{err}");
    let err = fails(&["sweep", "sqd", "--vary", "eps=0,x"]);
    assert!(err.contains("not a number"), "{err}");
    let err = fails(&["sweep", "sqd", "--set", "eps=1", "--vary", "eps=-1:1:3"]);
    assert!(err.contains("eps"), "{err}");
    fails(&["sweep", "sqd", "--vary", "eps=-1:1"]);
    fails(&["sweep", "sqd", "--vary", "eps=-1:1:0"]);
    fails(&["sweep", "sqd", "--vary", "eps=-1:1:3", "--shard", "4/3"]);
    fails(&["sweep", "sqd", "--vary", "eps=-1:1:3", "--shard", "0/3"]);
}

#[test]
fn force_axes_move_the_leads_around_equilibrium() {
    let text = stdout(&[
        "sweep",
        "sqd",
        "--vary",
        "F_E^l=-0.5:0.5:5",
        "--quantity",
        "F_N^l,J_N^l,sigma",
    ]);
    let (header, rows) = csv(&text);
    assert_eq!(header[0], "F_E^l");
    assert_eq!(rows.len(), 5);
    let f_n = column(&text, "F_N^l");
    let j_n = column(&text, "J_N^l");
    for (i, row) in rows.iter().enumerate() {
        let axis: f64 = row[0].parse().unwrap();
        assert!(axis == -0.5 + 0.25 * i as f64, "{row:?}");
        // The other force keeps the point's value: mu_l/T_l = 0.2/1.5.
        assert!((f_n[i].unwrap() - 0.2 / 1.5).abs() <= 1e-12, "{row:?}");
    }
    // A hotter left lead pushes more particles through a level above μ.
    let j: Vec<f64> = j_n.into_iter().map(Option::unwrap).collect();
    assert!(j.windows(2).all(|w| w[1] > w[0]), "{j:?}");

    // F_E^l = β_ref - β_l ≥ β_ref = 1 needs T_l ≤ 0: an error naming the point.
    for range in ["F_E^l=0:1:3", "F_E^l=0:2:3"] {
        let err = fails(&["sweep", "sqd", "--vary", range]);
        assert!(err.contains("F_E^l=1"), "{err}");
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("qct_cli_physics_{}_{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn path(&self, file: &str) -> String {
        self.0.join(file).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn shard_and_merge(dir: &TempDir, sweep: &[&str], n: usize, ext: &str) {
    let whole = stdout(sweep);
    let mut files = Vec::new();
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let text = stdout(&with(sweep, &["--shard", &shard]));
        let file = dir.path(&format!("part{k}of{n}.{ext}"));
        std::fs::write(&file, text).unwrap();
        files.push(file);
    }
    // Any order: reversed, with the first shard moved to the middle.
    let mut shuffled: Vec<&str> = files.iter().rev().map(String::as_str).collect();
    let first = shuffled.pop().unwrap();
    shuffled.insert(n / 2, first);
    let merged = stdout(&with(&["merge"], &shuffled));
    assert_eq!(merged, whole, "{sweep:?} in {n} shards");
    let missing: Vec<&str> = shuffled.iter().copied().skip(1).collect();
    let err = fails(&with(&["merge"], &missing));
    assert!(err.contains("missing"), "{err}");
}

#[test]
fn sharded_sweeps_merge_to_the_unsharded_output() {
    let dir = TempDir::new("shards");
    for format in ["csv", "json"] {
        let sweep = [
            "sweep",
            "icc",
            "--vary",
            "eps_b=-1:1:4",
            "--vary",
            "kappa_c=-2:2:5",
            "--format",
            format,
        ];
        shard_and_merge(&dir, &sweep, 3, format);
        // More shards than points: some shards are empty.
        let small = ["sweep", "sqd", "--vary", "eps=-2:2:3", "--format", format];
        shard_and_merge(&dir, &small, 4, format);
    }
    // A shard given twice and mixed formats are errors too.
    let csv1 = dir.path("part1of3.csv");
    let json2 = dir.path("part2of3.json");
    fails(&["merge", &csv1, &csv1]);
    fails(&["merge", &csv1, &json2]);
}

#[test]
fn plots_are_deterministic_svg_and_png() {
    let dir = TempDir::new("plots");
    let (a, b) = (dir.path("a.svg"), dir.path("b.svg"));
    for file in [&a, &b] {
        stdout(&[
            "sweep",
            "sqd",
            "--vary",
            "eps=-2:2:11",
            "--quantity",
            "J_N^l",
            "--plot",
            file,
        ]);
    }
    let svg = std::fs::read(&a).unwrap();
    assert!(svg.starts_with(b"<svg") || svg.starts_with(b"<?xml"));
    assert_eq!(svg, std::fs::read(&b).unwrap(), "SVG not deterministic");

    let png = dir.path("map.png");
    let map = with(
        &with(&["sweep", "icc"], &ICC_POINT),
        &[
            "--vary",
            "F_E^l=-0.2:0.2:9",
            "--vary",
            "F_N^l=-0.2:0.2:9",
            "--quantity",
            "regime",
            "--plot",
            &png,
        ],
    );
    let text = stdout(&map);
    let (_, rows) = csv(&text);
    assert_eq!(rows.len(), 81);
    assert!(rows.iter().any(|r| r[2] == "genuine_icc"), "{text}");
    assert!(rows.iter().all(|r| REGIMES.contains(&r[2].as_str())));
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");

    let pdf = dir.path("x.pdf");
    let err = fails(&["sweep", "sqd", "--vary", "eps=-2:2:11", "--plot", &pdf]);
    assert!(err.contains(".svg"), "{err}");
    assert!(!Path::new(&pdf).exists());
    let c = dir.path("c.svg");
    fails(&[
        "sweep",
        "sqd",
        "--vary",
        "eps=-2:2:11",
        "--plot",
        &c,
        "--shard",
        "1/2",
    ]);
    assert!(!Path::new(&c).exists());
}

/// Every figure in derivations/ drawn by a `qct sweep` says so in its README, and that
/// command, run as written, draws exactly the checked-in bytes.
#[test]
fn documented_sweep_commands_reproduce_the_checked_in_figures() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let dir = std::env::temp_dir().join(format!("qct-figures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut checked = 0;
    for model in [
        "sqd",
        "cqd",
        "sb",
        "icc",
        "anderson",
        "double_dot_two_terminal",
    ] {
        let readme =
            std::fs::read_to_string(root.join("derivations").join(model).join("README.md"))
                .expect("README");
        for line in readme
            .lines()
            .filter(|l| l.starts_with("Reproduce: `qct sweep "))
        {
            let command = line
                .trim_start_matches("Reproduce: `")
                .trim_end_matches('`');
            let args: Vec<String> = command
                .split_whitespace()
                .skip(1)
                .map(|a| a.replace("examples/", &format!("{}/examples/", root.display())))
                .collect();
            let file = args.last().expect("--plot FILE").clone();
            let args: Vec<String> = args
                .iter()
                .map(|a| {
                    if *a == file {
                        dir.join(&file).display().to_string()
                    } else {
                        a.clone()
                    }
                })
                .collect();
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            stdout(&refs);
            let drawn = std::fs::read(dir.join(&file)).expect("figure written");
            let shipped = std::fs::read(root.join("derivations").join(model).join(&file))
                .expect("figure checked in");
            assert!(drawn == shipped, "{model}/{file} differs from `{command}`");
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} figures checked");
}
