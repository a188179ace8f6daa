//! `qct derive`, `qct check` and the symbolic criterion of `qct icc` as a user runs them:
//! clean stdout, concurrency, exit codes, and the SymPy strings evaluated by SymPy itself
//! where it is installed.

#[path = "support/cli.rs"]
mod cli_support;
use cli_support::{ICC_POINT, qct};
use std::process::{Command, Output};

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn derive_json_is_clean_and_complete() {
    let out = qct(&["derive", "sb", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    for key in [
        "model",
        "states",
        "fluxes",
        "forces",
        "L",
        "L_latex",
        "reciprocity",
        "determinant",
        "sign_conditions",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    for r in v["reciprocity"].as_array().unwrap() {
        assert_eq!(r["proved"], true);
    }
    for c in v["sign_conditions"].as_array().unwrap() {
        for key in ["coefficient", "negative_iff", "latex"] {
            assert!(c.get(key).is_some());
        }
    }
    // The licence notice (when unlicensed) must not reach stdout.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Symbolica instance"));
}

/// `qct derive X` alone prints byte for byte what `qct derivations` wrote for X after
/// deriving the other models in the same process (every derivation runs in a fresh child),
/// in the compact form by default; the JSON carries "compact" and "icc_theorem".
#[test]
fn derive_is_deterministic_and_compact_by_default() {
    for model in ["sqd", "sb", "icc", "cqd", "anderson"] {
        let out = qct(&["derive", model, "--format", "latex"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let file = std::fs::read(format!(
            "{}/../../derivations/{model}/onsager.tex",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert!(
            out.stdout == file,
            "qct derive {model} --format latex differs from derivations/{model}/onsager.tex"
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("Named quantities"));
    }
    let v = json(&qct(&[
        "derive", "icc", "--format", "json", "--syntax", "sympy",
    ]));
    let compact = &v["compact"];
    for key in ["definitions", "L", "proved_equal", "proof", "size_sympy"] {
        assert!(compact.get(key).is_some(), "compact.{key}");
    }
    for d in compact["definitions"].as_array().unwrap() {
        for key in ["name", "expr", "latex", "meaning"] {
            assert!(d.get(key).is_some(), "definition key {key}");
        }
    }
    let theorem = &v["icc_theorem"];
    assert!(theorem["cycles"].as_array().unwrap().len() == 6);
    assert!(
        theorem["no_icc_at_any_force_if"]
            .as_str()
            .unwrap()
            .contains("kappa_c")
    );
}

/// Two symbolic runs at once: the second waits for the first (Symbolica's unlicensed mode
/// allows one thread per user); neither aborts.
#[test]
fn concurrent_derives_wait_instead_of_aborting() {
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_qct"))
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .args(["derive", "anderson", "--format", "json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn check_exit_status_and_json() {
    let ok = qct(&["check", "icc", "--set", "eps_b=-0.3", "--format", "json"]);
    assert!(ok.status.success());
    let v = json(&ok);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "model",
            "parameters",
            "fluxes",
            "forces",
            "L_closed_form",
            "L_numeric",
            "L_finite_difference",
            "L_finite_difference_floor",
            "resolved",
            "unresolved",
            "L_fluctuation_dissipation",
            "max_relative_deviation",
            "passed"
        ]
    );
    assert_eq!(v["passed"], true);
    // Half the equilibrium noise of the fluxes is L (fluctuation–dissipation).
    let rows = |key: &str| -> Vec<f64> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
            .collect()
    };
    let (numeric, noise) = (rows("L_numeric"), rows("L_fluctuation_dissipation"));
    let scale = numeric.iter().fold(0.0f64, |a, b| a.max(b.abs()));
    for (l, s) in numeric.iter().zip(&noise) {
        assert!((l - s).abs() <= 1e-12 * scale, "{l} vs {s}");
    }
    // An impossible tolerance fails the check: exit status 1, not 0 or 2.
    let strict = qct(&["check", "cqd", "--rtol", "1e-300"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stdout).contains("FAILED"));
    // Bad input is still a usage error.
    let bad = qct(&["check", "nosuchmodel"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn latex_standalone_and_fragment() {
    let doc = qct(&["derive", "sqd", "--format", "latex"]);
    let doc = String::from_utf8(doc.stdout).unwrap();
    assert!(doc.starts_with("\\documentclass"));
    let fragment = qct(&["derive", "sqd", "--format", "latex", "--fragment"]);
    let fragment = String::from_utf8(fragment.stdout).unwrap();
    assert!(!fragment.contains("\\documentclass") && fragment.contains("\\begin{align}"));
}

/// Paste the SymPy strings into SymPy — the expanded L, and the compact L evaluated from its
/// ordered definitions alone: same numbers as qct's numeric layer. Skipped (with a note)
/// where Python has no SymPy (`.ci/run` installs it).
#[test]
fn sympy_strings_evaluate_in_sympy() {
    let has_sympy = Command::new("python3")
        .args(["-c", "import sympy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_sympy {
        eprintln!("note: python3 with sympy not found; SymPy round trip not exercised");
        return;
    }
    let derive = qct(&["derive", "cqd", "--format", "json", "--syntax", "sympy"]);
    let onsager = qct(&["onsager", "cqd", "--format", "json"]);
    let (d, o) = (json(&derive), json(&onsager));
    let script = format!(
        "import json, sympy\nd = json.loads({:?})\no = json.loads({:?})\n\
         subs = {{sympy.Symbol(k): sympy.Float(v) for k, v in o['equilibrium'].items()}}\n\
         worst = 0.0\n\
         for i, row in enumerate(d['L']):\n    for j, e in enumerate(row):\n        \
         x = float(sympy.sympify(e).subs(subs).evalf(30))\n        \
         worst = max(worst, abs(x - o['L'][i][j]) / max(abs(v) for r in o['L'] for v in r))\n\
         env = dict(subs)\n\
         for dd in d['compact']['definitions']:\n    \
         env[sympy.Symbol(dd['name'])] = sympy.sympify(dd['expr']).subs(env).evalf(40)\n\
         for i, row in enumerate(d['compact']['L']):\n    for j, e in enumerate(row):\n        \
         x = float(sympy.sympify(e).subs(env).evalf(30))\n        \
         worst = max(worst, abs(x - o['L'][i][j]) / max(abs(v) for r in o['L'] for v in r))\n\
         print(worst)\n",
        d.to_string(),
        o.to_string()
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let worst: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert!(worst < 1e-12, "SymPy vs qct numeric: {worst}");
}

/// `qct icc` evaluates the level-ordering criterion of the symbolic layer at the point: at
/// the icc model's genuine-ICC point (ω(C→D) = −0.15 < 0 < ω(A→B) = 0.6) the cycle sum
/// Σ s_g P_g has the sign of the numeric L_NE (negative), the necessary condition holds and
/// the sufficient one (all affinities ≤ 0) does not; where both transition energies are
/// positive the necessary condition fails and L_NE > 0.
#[test]
fn icc_criterion_from_the_symbolic_layer_matches_the_numeric_sign() {
    let genuine: Vec<&str> = ["icc", "icc"]
        .into_iter()
        .chain(ICC_POINT)
        .chain(["--radius", "0.01", "--directions", "72", "--format", "json"])
        .collect();
    let normal = [
        "icc",
        "icc",
        "--set",
        "eps_b=0.5",
        "--set",
        "kappa_c=1",
        "--set",
        "kappa_s=0",
        "--radius",
        "0.01",
        "--directions",
        "72",
        "--format",
        "json",
    ];
    for (args, negative) in [(&genuine[..], true), (&normal[..], false)] {
        let out = qct(args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = json(&out);
        let c = &v["criterion"];
        assert_eq!(c["consistent_with_numeric"], true, "{c}");
        let sum = c["sum"].as_f64().expect("sum");
        let l_ne = v["analysis"]["L"][0][1].as_f64().expect("L_NE");
        assert_eq!(sum < 0.0, negative, "{c}");
        assert_eq!(l_ne < 0.0, negative, "L_NE = {l_ne}");
        assert_eq!(c["necessary_holds"], negative, "{c}");
        assert_eq!(c["sufficient_holds"], false, "{c}");
        let transitions: Vec<&str> = c["terms"]
            .as_array()
            .expect("terms")
            .iter()
            .filter_map(|t| t["transition"].as_str())
            .collect();
        assert!(transitions.contains(&"omega(C->D)") && transitions.contains(&"omega(A->B)"));
        assert_eq!(v["analysis"]["nonlinear_genuine_icc_found"], negative);
    }
}
