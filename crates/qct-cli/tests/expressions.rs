//! Parameters as expressions through the command line: a sweep of B at fixed ε follows
//! the derived levels of `zeeman_dot`, roles are inferred from the expressions, and bad
//! expressions are one-line input errors with the column. (The models themselves — limits
//! that reproduce the existing models, plain parameters, local detailed balance of γ(ω),
//! conservation, Σ̇ ≥ 0, reciprocity — are tested in the library:
//! `crates/qct/src/tests/expressions.rs`.)

#[path = "support/cli.rs"]
mod cli_support;
#[allow(dead_code)]
#[path = "numeric/common.rs"]
mod common;

use cli_support::{fails, stdout};
use common::{example, values};
use qct::model::{Model, Role, builtin::builtin};

#[test]
fn a_sweep_of_b_at_fixed_eps_follows_the_derived_levels() {
    let csv = stdout(&[
        "sweep",
        "zeeman_dot",
        "--set",
        "eps=0.3",
        "--vary",
        "B=-2:2:9",
        "--quantity",
        "J_N^l",
    ]);
    let zeeman = builtin("zeeman_dot").unwrap();
    let rows: Vec<(f64, f64)> = csv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('B'))
        .map(|l| {
            let (b, j) = l.split_once(',').unwrap();
            (b.parse().unwrap(), j.parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), 9);
    let mut currents = Vec::new();
    for (b, printed) in rows {
        let p = zeeman
            .parameters_at(&values(&zeeman, &[("eps", 0.3), ("B", b)]))
            .unwrap();
        let j = zeeman.solve(&p).unwrap().currents;
        assert!(
            (j[0].particle - printed).abs() <= 1e-12 * j[0].particle.abs().max(1e-300),
            "B = {b}: sweep {printed}, direct {}",
            j[0].particle
        );
        currents.push(printed);
    }
    // The field moves the levels: the current is not constant in B (a stale derived level
    // would make it so).
    assert!(currents.iter().any(|&j| (j - currents[4]).abs() > 1e-3));
}

#[test]
fn roles_are_inferred_from_the_expressions() {
    let model = builtin("zeeman_dot").unwrap();
    let example = example("zeeman_dot");
    assert_eq!(
        model, example,
        "examples/zeeman_dot.json reads to the built-in"
    );
    let role = |m: &Model, name: &str| m.parameters[m.param(name).unwrap().0].role;
    assert_eq!(role(&model, "p_l"), Role::Dimensionless);
    assert_eq!(role(&model, "B"), Role::Energy);
    let filter = self::example("energy_filter");
    assert_eq!(role(&filter, "E_f"), Role::Energy);
    // Negative polarisation is allowed; |p| > 1 makes a rate negative and is refused,
    // naming the expression.
    let solve = |p: f64| {
        model
            .parameters_at(&values(&model, &[("p_l", p)]))
            .and_then(|p| model.solve(&p))
    };
    assert!(solve(-0.7).is_ok());
    let err = solve(1.5).unwrap_err().to_string();
    assert!(err.contains("gamma_l*(1 - p_l)"), "{err}");
}

fn model_file(tag: &str, energy: &str, rate: &str) -> String {
    let path = std::env::temp_dir().join(format!("qct-expr-{}-{tag}.json", std::process::id()));
    let text = format!(
        r#"{{"name": "bad", "parameters": {{"eps": 0.5, "B": 0.2, "gamma": 1.0, "p": 0.1,
          "T_l": 1.0, "T_r": 1.0, "mu_l": 0.0, "mu_r": 0.0}},
          "dots": [{{"name": "d", "energy": "{energy}"}}],
          "leads": [{{"name": "l", "temperature": "T_l", "chemical_potential": "mu_l",
                      "couplings": [{{"dot": "d", "rate": "{rate}"}}]}},
                    {{"name": "r", "temperature": "T_r", "chemical_potential": "mu_r",
                      "couplings": [{{"dot": "d", "rate": "gamma"}}]}}]}}"#
    );
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn bad_expressions_are_one_line_errors_with_the_column() {
    for (tag, energy, rate, wanted) in [
        (
            "unknown",
            "eps + Bb/2",
            "gamma*(1 + p)",
            "column 7 of \"eps + Bb/2\": unknown name 'Bb' (did you mean 'B'?)",
        ),
        (
            "paren",
            "eps + B/2",
            "gamma*(1 + p",
            "missing ')' for the '(' at column 7",
        ),
        (
            "operand",
            "eps + ",
            "gamma*(1 + p)",
            "column 7 of \"eps + \": unexpected end",
        ),
        (
            "omega",
            "eps + omega",
            "gamma*(1 + p)",
            "omega (the transition energy) is allowed only in bare rates",
        ),
        (
            "character",
            "eps # B",
            "gamma*(1 + p)",
            "column 5 of \"eps # B\": unexpected character '#'",
        ),
        (
            "bare",
            "epss",
            "gamma*(1 + p)",
            "refers to parameter 'epss', which is not in \"parameters\" (did you mean 'eps'?)",
        ),
    ] {
        let path = model_file(tag, energy, rate);
        let message = fails(&["solve", "--model-file", &path]);
        assert!(message.contains(wanted), "{tag}: {message}");
        let _ = std::fs::remove_file(path);
    }
    let message = fails(&["solve", "zeeman_dot", "--set", "p_l=2"]);
    assert!(
        message.contains("gamma_l*(1 - p_l)") && message.contains(">= 0"),
        "{message}"
    );
}
