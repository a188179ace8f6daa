//! Command-line tests: run the built `qct` binary and check the JSON schemas of `solve` and
//! `onsager` (exactly the documented keys), the physics in that output, byte-identical
//! results from the shipped JSON built-ins, and that every input error is a one-line
//! message on stderr with exit status 2 and no panic.

use approx::assert_abs_diff_eq;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[path = "support/cli.rs"]
mod cli_support;
use cli_support::{fails, stdout};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SolveJson {
    model: String,
    parameters: BTreeMap<String, f64>,
    states: Vec<StateJson>,
    leads: Vec<LeadJson>,
    sigma: serde_json::Value,
    conservation: ConservationJson,
    forces: Vec<NamedJson>,
    fluxes: Vec<NamedJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct StateJson {
    label: String,
    occupations: Vec<u8>,
    energy: f64,
    probability: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct LeadJson {
    name: String,
    dot: String,
    #[serde(rename = "T")]
    t: f64,
    mu: f64,
    #[serde(rename = "J_N")]
    j_n: f64,
    #[serde(rename = "J_E")]
    j_e: f64,
    #[serde(rename = "J_Q")]
    j_q: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConservationJson {
    energy: f64,
    particles: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamedJson {
    name: String,
    value: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct OnsagerJson {
    model: String,
    parameters: BTreeMap<String, f64>,
    representation: String,
    equilibrium: BTreeMap<String, f64>,
    fluxes: Vec<String>,
    forces: Vec<String>,
    #[serde(rename = "L")]
    l: Vec<Vec<f64>>,
    #[serde(rename = "L_finite_difference")]
    l_finite_difference: Vec<Vec<f64>>,
    finite_difference_resolved: Vec<Vec<bool>>,
    finite_difference_unresolved: bool,
    determinant: f64,
    eigenvalues: Vec<f64>,
    reciprocity_residual: f64,
    finite_difference_deviation: f64,
    reference: BTreeMap<String, String>,
    dropped_forces: Vec<String>,
}

fn keys(text: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    v.as_object().expect("object").keys().cloned().collect()
}

#[test]
fn solve_json_has_exactly_the_documented_keys_and_physics() {
    let text = stdout(&["solve", "cqd", "--format", "json"]);
    assert_eq!(
        keys(&text),
        [
            "model",
            "parameters",
            "states",
            "leads",
            "sigma",
            "conservation",
            "forces",
            "fluxes"
        ]
    );
    let r: SolveJson = serde_json::from_str(&text).expect("solve schema");
    assert_eq!(r.model, "cqd");
    assert_eq!(r.parameters.len(), 15);
    assert_eq!(r.parameters["T_u"], 2.0);
    let labels: Vec<&str> = r.states.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["A", "B", "C", "D"]);
    assert_eq!(r.states[1].occupations, [1, 0], "B = |10⟩ (dot b occupied)");
    assert_eq!(r.states[3].energy, 0.5 + 0.5 + 1.0);
    let total: f64 = r.states.iter().map(|s| s.probability).sum();
    assert_abs_diff_eq!(total, 1.0, epsilon = 1e-14);
    assert!(r.states.iter().all(|s| s.probability >= 0.0));
    let names: Vec<&str> = r.leads.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["l", "r", "u"]);
    let dots: Vec<&str> = r.leads.iter().map(|l| l.dot.as_str()).collect();
    assert_eq!(dots, ["b", "b", "u"]);
    // Energy and particle conservation, J_Q = J_E − μ J_N, Σ̇ in two forms.
    let je: f64 = r.leads.iter().map(|l| l.j_e).sum();
    assert!(je.abs() < 1e-14);
    assert!((r.leads[0].j_n + r.leads[1].j_n).abs() < 1e-14);
    for l in &r.leads {
        assert_abs_diff_eq!(l.j_q, (l.j_e - l.mu * l.j_n), epsilon = 1e-15);
    }
    assert!(r.conservation.energy < 1e-12);
    assert_eq!(r.conservation.particles.len(), 2);
    assert!(r.conservation.particles.values().all(|&x| x < 1e-12));
    let sigma = -r
        .leads
        .iter()
        .map(|l| (l.j_e - l.mu * l.j_n) / l.t)
        .sum::<f64>();
    let ep = &r.sigma;
    let a = ep["minus_sum_beta_heat"]
        .as_f64()
        .expect("minus_sum_beta_heat");
    let b = ep["sum_forces_fluxes"].as_f64().expect("sum_forces_fluxes");
    assert_abs_diff_eq!(a, sigma, epsilon = 1e-14);
    assert_abs_diff_eq!(a, b, epsilon = 1e-14);
    assert!(a > 0.0);
    let fnames: Vec<&str> = r.forces.iter().map(|f| f.name.as_str()).collect();
    let jnames: Vec<&str> = r.fluxes.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fnames, ["F_N^l", "F_E^l", "F_E^u"]);
    assert_eq!(jnames, ["J_N^l", "J_E^l", "J_E^u"]);
    let ff: f64 = r
        .forces
        .iter()
        .zip(&r.fluxes)
        .map(|(f, j)| f.value * j.value)
        .sum();
    assert_abs_diff_eq!(ff, b, epsilon = 1e-15);
    // F_N^l = β_l μ_l − β_r μ_r, F_E^l = β_r − β_l, F_E^u = β_r − β_u at the defaults.
    assert_abs_diff_eq!(r.forces[0].value, 0.2 / 1.5, epsilon = 1e-15);
    assert_abs_diff_eq!(r.forces[1].value, (1.0 - 1.0 / 1.5), epsilon = 1e-15);
    assert_abs_diff_eq!(r.forces[2].value, 0.5, epsilon = 1e-15);
}

#[test]
fn onsager_json_has_exactly_the_documented_keys_and_physics() {
    let text = stdout(&["onsager", "icc", "--format", "json"]);
    assert_eq!(
        keys(&text),
        [
            "model",
            "parameters",
            "representation",
            "equilibrium",
            "fluxes",
            "forces",
            "L",
            "L_finite_difference",
            "finite_difference_resolved",
            "finite_difference_unresolved",
            "determinant",
            "eigenvalues",
            "reciprocity_residual",
            "finite_difference_deviation",
            "reference",
            "dropped_forces"
        ]
    );
    let r: OnsagerJson = serde_json::from_str(&text).expect("onsager schema");
    assert_eq!(r.model, "icc");
    assert_eq!(r.representation, "energy");
    assert_eq!(r.fluxes, ["J_N^l", "J_E^l"]);
    assert_eq!(r.forces, ["F_N^l", "F_E^l"]);
    assert_eq!(r.equilibrium["T_l"], r.parameters["T"]);
    assert_eq!(r.equilibrium["mu_l"], r.parameters["mu_r"]);
    let l = &r.l;
    let scale = l.iter().flatten().fold(0.0f64, |m, x| m.max(x.abs()));
    assert_abs_diff_eq!(l[0][1], l[1][0], epsilon = 1e-10 * scale);
    assert!(r.reciprocity_residual <= 1e-10 * scale);
    assert!(l[0][0] > 0.0 && l[1][1] > 0.0);
    assert!(
        (r.determinant - (l[0][0] * l[1][1] - l[0][1] * l[1][0])).abs() <= 1e-12 * scale * scale
    );
    assert!(r.determinant > 0.0, "icc is not tightly coupled");
    // The references and dropped forces the text shows: icc shares T between r and u, so
    // F_E^u vanishes identically and is dropped; r is the reference of energy and of b.
    assert_eq!(r.reference["energy"], "r");
    assert_eq!(r.dropped_forces, ["F_E^u"]);
    assert!(r.finite_difference_deviation < 1e-6);
    assert!(r.eigenvalues.iter().all(|&e| e >= -1e-12 * scale));
    // At the defaults every finite-difference entry is above its rounding floor.
    assert!(!r.finite_difference_unresolved);
    assert!(r.finite_difference_resolved.iter().flatten().all(|&ok| ok));
    for (a, b) in l
        .iter()
        .flatten()
        .zip(r.l_finite_difference.iter().flatten())
    {
        assert_abs_diff_eq!(a, b, epsilon = 1e-6 * scale);
    }
    // Heat representation via the flag.
    let text = stdout(&[
        "onsager",
        "icc",
        "--representation",
        "heat",
        "--format",
        "json",
    ]);
    let r: OnsagerJson = serde_json::from_str(&text).expect("onsager schema");
    assert_eq!(r.representation, "heat");
    assert_eq!(r.fluxes, ["J_N^l", "J_Q^l"]);
}

#[test]
fn text_output_has_no_nan_or_infinity() {
    for args in [
        &["solve", "cqd"][..],
        &["solve", "sqd", "--set", "eps=1e4"],
        &["solve", "sqd", "--set", "eps=-1e4", "--set", "T_l=1e-3"],
        &["onsager", "cqd"],
        &["onsager", "anderson", "--representation", "heat"],
        &["onsager", "sqd", "--set", "eps=1e4"],
        &["onsager", "sqd", "--set", "eps=1e4", "--format", "json"],
        &["solve", "icc", "--set", "kappa_s=-3", "--format", "json"],
    ] {
        let text = stdout(args);
        assert!(!text.is_empty());
        // Token by token, so that words like "determinant" do not match "nan".
        for token in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            let t = token.to_ascii_lowercase();
            assert!(
                !["nan", "inf", "infinity", "null"].contains(&t.as_str()),
                "qct {args:?} printed '{token}':\n{text}"
            );
        }
    }
}

fn example(name: &str) -> String {
    let path = format!(
        "{}/examples/{name}.json",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    );
    assert!(
        std::path::Path::new(&path).exists(),
        "examples/{name}.json is missing: every built-in must ship as a JSON example"
    );
    path
}

#[test]
fn example_files_give_byte_identical_output() {
    for name in ["sqd", "cqd", "sb", "icc", "anderson"] {
        let path = example(name);
        for command in ["solve", "onsager"] {
            for representation in ["energy", "heat"] {
                for format in ["json", "text"] {
                    let common = ["--representation", representation, "--format", format];
                    let mut a = vec![command, name];
                    a.extend(common);
                    let mut b = vec![command, "--model-file", path.as_str()];
                    b.extend(common);
                    assert_eq!(stdout(&a), stdout(&b), "qct {a:?} vs {b:?}");
                }
            }
        }
        // `qct models NAME --format json` prints a file that reads back to the built-in.
        let printed = stdout(&["models", name, "--format", "json"]);
        let model = qct::model::json::from_json(&printed, name).expect("printed model parses");
        assert_eq!(model, qct::model::builtin::builtin(name).unwrap());
    }
}

#[test]
fn bad_command_lines_are_one_line_errors() {
    let e = fails(&["solve", "nosuchmodel"]);
    assert!(
        e.contains("nosuchmodel") && e.contains("cqd") && e.contains("anderson"),
        "{e}"
    );
    let e = fails(&["solve", "sqd", "--set", "epss=1"]);
    assert!(e.contains("epss"), "{e}");
    assert!(e.contains("did you mean 'eps'"), "no suggestion: {e}");
    for p in ["eps", "gamma_l", "gamma_r", "T_l", "T_r", "mu_l", "mu_r"] {
        assert!(e.contains(p), "valid names not listed: {e}");
    }
    let e = fails(&["solve", "cqd", "--set", "kapa=1"]);
    assert!(e.contains("did you mean 'kappa'"), "{e}");
    let e = fails(&["solve", "sqd", "--set", "T_l=-1"]);
    assert!(e.contains("T_l") && e.contains("temperature"), "{e}");
    let e = fails(&["solve", "sqd", "--set", "T_l=0"]);
    assert!(e.contains("T_l"), "{e}");
    let e = fails(&["solve", "sqd", "--set", "T_l=nan"]);
    assert!(e.contains("T_l") && e.contains("finite"), "{e}");
    let e = fails(&["solve", "sqd", "--set", "mu_l=inf"]);
    assert!(e.contains("mu_l") && e.contains("finite"), "{e}");
    let e = fails(&["solve", "sqd", "--set", "gamma_l=-0.5"]);
    assert!(e.contains("gamma_l"), "{e}");
    let e = fails(&["solve", "sqd", "--set", "eps=abc"]);
    assert!(e.contains("eps") && e.contains("abc"), "{e}");
    let e = fails(&["solve", "sqd", "--set", "eps"]);
    assert!(e.contains("NAME=VALUE"), "{e}");
    let e = fails(&["onsager", "sqd", "--set", "T_r=-2"]);
    assert!(e.contains("T_r"), "{e}");
    let e = fails(&["solve"]);
    assert!(e.contains("model"), "{e}");
    fails(&["onsager"]);
    let e = fails(&["solve", "sqd", "--set", "gamma_l=0", "--set", "gamma_r=0"]);
    assert!(e.contains("not unique"), "{e}");
    let e = fails(&["solve", "--model-file", "/nonexistent/qct/model.json"]);
    assert!(e.contains("/nonexistent/qct/model.json"), "{e}");
    let e = fails(&["solve", "sqd", "--reference", "energy=nolead"]);
    assert!(e.contains("nolead"), "{e}");
}

/// A user model file in the test's scratch directory.
fn model_file(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("qct-cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The sqd model as a JSON value, to break in various ways.
fn sqd_json() -> serde_json::Value {
    let text = qct::model::json::to_json(&qct::model::builtin::builtin("sqd").unwrap());
    serde_json::from_str(&text).unwrap()
}

fn fails_with_file(name: &str, text: &str, needles: &[&str]) {
    let path = model_file(name, text);
    let p = path.to_str().unwrap();
    for command in ["solve", "onsager"] {
        let e = fails(&[command, "--model-file", p]);
        for needle in needles {
            assert!(e.contains(needle), "{name}: '{needle}' not in {e}");
        }
    }
}

#[test]
fn bad_model_files_are_one_line_errors() {
    // The unbroken model runs.
    let good = model_file("good.json", &sqd_json().to_string());
    stdout(&["solve", "--model-file", good.to_str().unwrap()]);

    fails_with_file(
        "malformed.json",
        "{\"name\": \"x\", \"dots\": [",
        &["malformed.json"],
    );
    fails_with_file("empty.json", "", &["empty.json"]);

    let mut m = sqd_json();
    m["leads"][0]["couplings"][0]["dot"] = "nodot".into();
    fails_with_file("lead_on_missing_dot.json", &m.to_string(), &["nodot"]);

    let mut m = sqd_json();
    let dot = m["dots"][0].clone();
    m["dots"].as_array_mut().unwrap().push(dot);
    fails_with_file("duplicate_dot.json", &m.to_string(), &["duplicate"]);

    let mut m = sqd_json();
    let lead = m["leads"][0].clone();
    m["leads"].as_array_mut().unwrap().push(lead);
    fails_with_file("duplicate_lead.json", &m.to_string(), &["duplicate"]);

    let mut m = sqd_json();
    m["dots"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "lonely", "energy": "eps"}));
    fails_with_file("dot_without_lead.json", &m.to_string(), &["lonely"]);

    let mut m = sqd_json();
    m["leads"][0]["temperature"] = "T_missing".into();
    fails_with_file("missing_parameter.json", &m.to_string(), &["T_missing"]);

    let mut m = sqd_json();
    m["leads"][0]["temperature"] = "eps".into();
    fails_with_file("role_clash.json", &m.to_string(), &["eps"]);

    let mut m = sqd_json();
    m["parameters"]["T_l"] = serde_json::json!(-1.0);
    fails_with_file(
        "negative_default_temperature.json",
        &m.to_string(),
        &["T_l"],
    );

    let mut m = sqd_json();
    m["dots"][0]["spin"] = "sideways".into();
    fails_with_file("bad_spin.json", &m.to_string(), &["sideways"]);
}

#[test]
fn model_and_file_together_is_an_error() {
    let path = model_file("both.json", &sqd_json().to_string());
    fails(&["solve", "sqd", "--model-file", path.to_str().unwrap()]);
}
