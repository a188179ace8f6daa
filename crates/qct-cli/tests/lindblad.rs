//! The Lindblad oracle through the command line (issue 5): `qct solve --method lindblad`
//! reports the Pauli report's numbers for every built-in and JSON example without interdot
//! tunnelling. The oracle itself (populations, coherences, currents, the Jordan–Wigner
//! operators, the superoperator) is cross-checked against the Pauli solver in the library's
//! tests (`crates/qct/src/tests/lindblad.rs`).

#[allow(dead_code)]
#[path = "numeric/common.rs"]
mod common;

use common::lindblad_models;
use qct::thermo::{ForceBasis, Representation};

/// `lindblad::solve_report` gives the Pauli report's numbers.
#[test]
fn lindblad_report_matches_pauli_report() {
    fn numbers(v: &serde_json::Value, out: &mut Vec<f64>) {
        match v {
            serde_json::Value::Number(n) => out.push(n.as_f64().unwrap()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| numbers(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| numbers(x, out)),
            _ => {}
        }
    }
    for model in lindblad_models() {
        for representation in [Representation::Energy, Representation::Heat] {
            let basis =
                ForceBasis::new(&model, representation, model.default_references()).unwrap();
            let v = model.defaults();
            let pauli = qct_cli::report::solve_report(&model, &v, &basis).unwrap();
            let lind = qct_cli::report::oracles::lindblad_solve_report(&model, &v, &basis).unwrap();
            let (pj, mut lj) = (
                serde_json::to_value(&pauli).unwrap(),
                serde_json::to_value(&lind).unwrap(),
            );
            // The Lindblad diagnostics (residual of L rho = 0, largest coherence) are its own.
            let diagnostics = lj.as_object_mut().unwrap().remove("lindblad").unwrap();
            assert_eq!(diagnostics["residual_of"], "L rho = 0");
            let (mut a, mut b) = (vec![], vec![]);
            numbers(&pj, &mut a);
            numbers(&lj, &mut b);
            assert_eq!(a.len(), b.len());
            let scale = a.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            for (x, y) in a.iter().zip(&b) {
                // Conservation residuals are rounding-level in both; compare absolutely.
                assert!((x - y).abs() < 1e-10 * scale.max(1.0), "{}", model.name);
            }
            assert!(lind.balance_residual < 1e-12);
        }
    }
}
