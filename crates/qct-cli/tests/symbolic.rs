//! The symbolic layer (one test binary: every test goes through the process's single
//! Symbolica engine, which serialises them). Closed forms are checked against a
//! hand-derived result, against the numeric layer at random points, and the sign
//! conditions against the signs of the numeric coefficients.

// The test modules each include the shared helpers (support/, numeric/common.rs) by path.
#![allow(clippy::duplicate_mod)]

#[allow(dead_code)]
#[path = "numeric/common.rs"]
mod common;
#[path = "symbolic/compact.rs"]
mod compact;
mod ascii_syntax;
mod cli_symbolic;
mod extremes;
mod fcs;
mod json_schema;
#[path = "symbolic/serial_dd.rs"]
mod serial_dd;
#[path = "symbolic/spin.rs"]
mod spin;
mod units_check;

use common::{Rng, onsager_l, random_values};
use qct::model::{Model, builtin::builtin, json};
use qct::symbolic::{self, Derivation, Form};
use qct::thermo::{ForceBasis, Representation, equilibrium_parameters};
use qct_cli::report::check::check_report;

const BUILTINS: [&str; 6] = ["sqd", "cqd", "sb", "icc", "anderson", "zeeman_dot"];
const EXAMPLES: [&str; 3] = [
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/double_dot_two_terminal.json"
    ),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/energy_filter.json"
    ),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/triple_dot_three_terminal.json"
    ),
];

/// The signed terms of a sum (top level), as a set: Symbolica orders terms by when the
/// process first met each symbol, so tests that share a process compare sums as sets.
pub(crate) fn linear_terms(expr: &str) -> std::collections::BTreeSet<String> {
    let mut terms = std::collections::BTreeSet::new();
    let (mut depth, mut current) = (0i32, String::new());
    for ch in expr.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            '+' | '-' if depth == 0 && !current.is_empty() => {
                terms.insert(std::mem::take(&mut current));
            }
            _ => {}
        }
        if !(ch == '+' && depth == 0) {
            current.push(ch);
        }
    }
    terms.insert(current);
    terms
}

fn basis(model: &Model, representation: Representation) -> ForceBasis {
    ForceBasis::new(model, representation, model.default_references()).unwrap()
}

fn derive(model: &Model, representation: Representation, form: Form) -> Derivation {
    symbolic::derive(model, &basis(model, representation), form).unwrap()
}

/// Evaluate the written-out L of a derivation at the equilibrium of `values`.
fn closed_form(model: &Model, d: &Derivation, equilibrium: &[f64]) -> Vec<f64> {
    let definitions = d
        .weights
        .iter()
        .map(|w| (w.name.clone(), w.value.symbolica.clone()))
        .collect();
    let strings =
        d.l.iter()
            .flat_map(|row| row.iter().map(|e| e.symbolica.clone()))
            .collect();
    symbolic::evaluate(model, definitions, strings, equilibrium.to_vec()).unwrap()
}

/// Single dot, worked by hand (tests/numeric/single_dot.rs has the derivation):
/// L_NN = γ_l γ_r f(1−f)/(γ_l+γ_r), L_NE = ε L_NN, L_EE = ε² L_NN (energy representation);
/// (ε − μ_r) and (ε − μ_r)² in the heat representation. Both forms.
#[test]
fn single_dot_closed_form_matches_hand_derivation() {
    let model = builtin("sqd").unwrap();
    for representation in [Representation::Energy, Representation::Heat] {
        for form in [Form::Boltzmann, Form::Fermi] {
            let d = derive(&model, representation, form);
            assert!(d.tight_coupling, "single dot: det L = 0 identically");
            assert!(d.self_contained);
            for &(eps, mu, t, gl, gr) in &[
                (1.0, 0.0, 1.0, 1.0, 1.0),
                (-0.7, 0.3, 0.4, 0.2, 1.7),
                (2.5, -1.0, 3.0, 5.0, 0.01),
            ] {
                let mut v = model.defaults();
                for (name, value) in [
                    ("eps", eps),
                    ("mu_r", mu),
                    ("mu_l", mu),
                    ("T_r", t),
                    ("T_l", t),
                    ("gamma_l", gl),
                    ("gamma_r", gr),
                ] {
                    v[model.param(name).unwrap().0] = value;
                }
                let f = 1.0 / (1.0 + ((eps - mu) / t).exp());
                let l_nn = gl * gr / (gl + gr) * f * (1.0 - f);
                let w = match representation {
                    Representation::Energy => eps,
                    Representation::Heat => eps - mu,
                };
                let expected = [l_nn, w * l_nn, w * l_nn, w * w * l_nn];
                let got = closed_form(&model, &d, &v);
                for (g, e) in got.iter().zip(expected) {
                    assert!(
                        (g - e).abs() <= 1e-13 * l_nn.max(e.abs()),
                        "{representation:?} {form:?}: {g} vs {e}"
                    );
                }
            }
        }
    }
}

/// Reciprocity is proved (nodal route, L_ij − L_ji expands to 0) and the nodal and
/// cycle routes agree, for every built-in and example in both representations.
#[test]
fn reciprocity_is_proved_symbolically() {
    let mut models: Vec<Model> = BUILTINS.iter().map(|n| builtin(n).unwrap()).collect();
    models.push(json::from_file(std::path::Path::new(EXAMPLES[0])).unwrap());
    for model in &models {
        for representation in [Representation::Energy, Representation::Heat] {
            let d = derive(model, representation, Form::Boltzmann);
            assert!(!d.reciprocity.is_empty(), "{}", model.name);
            for r in &d.reciprocity {
                assert!(
                    r.proved,
                    "{} {representation:?}: L_{}{} != L_{}{}",
                    model.name, r.i, r.j, r.j, r.i
                );
                assert!(
                    r.routes_agree,
                    "{} {representation:?}: nodal vs cycle",
                    model.name
                );
            }
        }
    }
}

/// `qct check`: closed form = exact linear response = finite differences at random points
/// of every model, both representations (rtol 1e-9).
#[test]
fn closed_forms_match_numeric_layer_at_random_points() {
    let mut rng = Rng::new(2026);
    let mut models: Vec<Model> = BUILTINS.iter().map(|n| builtin(n).unwrap()).collect();
    for path in EXAMPLES {
        models.push(json::from_file(std::path::Path::new(path)).unwrap());
    }
    for model in &models {
        let points = if model.dots.len() > 2 { 1 } else { 6 };
        for k in 0..points {
            let values = if k == 0 {
                model.defaults()
            } else {
                random_values(model, &mut rng)
            };
            for representation in [Representation::Energy, Representation::Heat] {
                let r = check_report(model, &values, &basis(model, representation), 1e-9).unwrap();
                assert!(
                    r.passed,
                    "{} {representation:?} point {k}: deviation {}",
                    model.name, r.max_relative_deviation
                );
            }
        }
    }
}

/// The expression strings in SymPy and Mathematica notation are self-contained and use
/// their notation: no Symbolica 𝑒, `**` (SymPy), no underscores (Mathematica), and the
/// Fermi form evaluates to the same numbers as the Boltzmann form.
#[test]
fn syntaxes_and_forms() {
    let model = builtin("cqd").unwrap();
    let b = derive(&model, Representation::Energy, Form::Boltzmann);
    let f = derive(&model, Representation::Energy, Form::Fermi);
    for e in b.l.iter().flatten() {
        assert!(
            !e.sympy.contains('𝑒') && e.sympy.contains("E**"),
            "{}",
            e.sympy
        );
        assert!(!e.mathematica.contains('_') && e.mathematica.contains("E^"));
        for token in ["x_", "h_", "Z", "beta"] {
            assert!(
                !e.symbolica.contains(token),
                "{token} left in {}",
                e.symbolica
            );
        }
    }
    let eq = equilibrium_parameters(
        &model,
        &basis(&model, Representation::Energy),
        &model.defaults(),
    );
    let (lb, lf) = (closed_form(&model, &b, &eq), closed_form(&model, &f, &eq));
    for (x, y) in lb.iter().zip(&lf) {
        assert!((x - y).abs() <= 1e-13 * x.abs().max(1e-300), "{x} vs {y}");
    }
}

/// sb: the heat-to-current coefficient has the closed sign condition
/// κ (γ_l0 γ_r1 − γ_l1 γ_r0) < 0, and it vanishes for occupation-independent rates.
#[test]
fn sanchez_buttiker_sign_condition() {
    let model = builtin("sb").unwrap();
    let d = derive(&model, Representation::Energy, Form::Boltzmann);
    assert_eq!(d.fluxes, ["J_N^l", "J_E^u"]);
    let c = &d.sign_conditions[0];
    let expanded = c.negative_iff.replace(' ', "");
    for token in ["kappa", "gamma_l0", "gamma_r1", "gamma_l1", "gamma_r0"] {
        assert!(expanded.contains(token), "{expanded}");
    }
    assert!(
        !expanded.contains("h_") && !expanded.contains("P1"),
        "{expanded}"
    );
    let b = basis(&model, Representation::Energy);
    let mut rng = Rng::new(7);
    for k in 0..40 {
        let mut v = random_values(&model, &mut rng);
        if k % 4 == 0 {
            v[model.param("gamma_l1").unwrap().0] = v[model.param("gamma_l0").unwrap().0];
            v[model.param("gamma_r1").unwrap().0] = v[model.param("gamma_r0").unwrap().0];
        }
        let kappa = v[model.param("kappa").unwrap().0];
        let g = |n: &str| v[model.param(n).unwrap().0];
        let predicted = kappa * (g("gamma_l0") * g("gamma_r1") - g("gamma_l1") * g("gamma_r0"));
        let eq = equilibrium_parameters(&model, &b, &v);
        let l = onsager_l(&model, &eq, &b);
        if k % 4 == 0 {
            assert!(
                l[(0, 1)].abs() <= 1e-13 * l.amax(),
                "occupation-independent rates"
            );
        } else {
            assert_eq!(l[(0, 1)] < 0.0, predicted < 0.0, "point {k}");
        }
    }
}

/// icc: the derived condition groups L_NE by the transition energies ω(A→B) = ε_b + 2κ_s
/// and ω(C→D) = ε_b + κ_c − 2κ_s; necessity and sufficiency hold at random points.
#[test]
fn icc_criterion_from_exact_spectrum() {
    let model = builtin("icc").unwrap();
    let d = derive(&model, Representation::Energy, Form::Boltzmann);
    let energies: Vec<_> = d
        .states
        .iter()
        .map(|s| linear_terms(&s.energy.symbolica))
        .collect();
    let expected: Vec<_> = [
        "-kappa_s",
        "kappa_s+eps_b",
        "kappa_s+eps_u",
        "-kappa_s+eps_b+eps_u+kappa_c",
    ]
    .iter()
    .map(|e| linear_terms(e))
    .collect();
    assert_eq!(energies, expected);
    let c = &d.sign_conditions[0];
    let transitions: Vec<&str> = c
        .groups
        .iter()
        .filter_map(|g| g.transition.as_deref())
        .collect();
    assert!(transitions.contains(&"omega(A->B)") && transitions.contains(&"omega(C->D)"));
    let b = basis(&model, Representation::Energy);
    let mut rng = Rng::new(11);
    for _ in 0..300 {
        let v = random_values(&model, &mut rng);
        let g = |n: &str| v[model.param(n).unwrap().0];
        let w_ab = g("eps_b") + 2.0 * g("kappa_s");
        let w_cd = g("eps_b") + g("kappa_c") - 2.0 * g("kappa_s");
        let eq = equilibrium_parameters(&model, &b, &v);
        let l_ne = onsager_l(&model, &eq, &b)[(0, 1)];
        if w_ab > 0.0 && w_cd > 0.0 {
            assert!(
                l_ne > 0.0,
                "necessity: both transitions positive but L_NE = {l_ne}"
            );
        }
        if w_ab < 0.0 && w_cd < 0.0 {
            assert!(l_ne < 0.0, "sufficiency: both negative but L_NE = {l_ne}");
        }
    }
}

/// Tight coupling is detected exactly where it holds.
#[test]
fn tight_coupling_detection() {
    for (name, tight) in [
        ("sqd", true),
        ("cqd", false),
        ("sb", false),
        ("icc", false),
        ("anderson", false),
    ] {
        let d = derive(
            &builtin(name).unwrap(),
            Representation::Heat,
            Form::Boltzmann,
        );
        assert_eq!(d.tight_coupling, tight, "{name}");
        if tight {
            assert_eq!(d.determinant.as_ref().unwrap().symbolica, "0");
        }
    }
}

/// The LaTeX document is complete and balanced; the fragment has no preamble.
#[test]
fn latex_output() {
    let d = derive(
        &builtin("icc").unwrap(),
        Representation::Energy,
        Form::Boltzmann,
    );
    let doc = qct_cli::report::derivation::latex(&d, true);
    assert!(doc.starts_with("\\documentclass") && doc.trim_end().ends_with("\\end{document}"));
    assert_eq!(
        doc.matches("\\begin{align}").count(),
        doc.matches("\\end{align}").count()
    );
    assert_eq!(doc.matches('{').count(), doc.matches('}').count());
    let fragment = qct_cli::report::derivation::latex(&d, false);
    assert!(!fragment.contains("\\documentclass") && fragment.contains("\\begin{align}"));
}
