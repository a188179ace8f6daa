//! The reports of a point without a unique steady state: the single dot with both leads
//! closed has two stationary states (empty, occupied), and `qct solve` and `qct onsager`
//! refuse it with the typed error instead of printing one of them. (The solver's own
//! refusal, and the one-lead-closed Gibbs state, are checked in the library:
//! `crates/qct/src/tests/numeric/single_dot.rs`.)

use super::common::*;
use qct::Error;
use qct::thermo::Representation;

#[test]
fn zero_rates_give_non_unique_steady_state_error_in_the_reports() {
    let m = model("sqd");
    let v = values(&m, &[("gamma_l", 0.0), ("gamma_r", 0.0)]);
    let p = m.parameters_at(&v).expect("zero rates are valid values");
    match m.solve(&p) {
        Err(Error::NonUniqueSteadyState { count, .. }) => assert_eq!(count, 2),
        other => panic!("expected NonUniqueSteadyState, got {other:?}"),
    }
    let b = basis(&m, Representation::Energy);
    assert!(matches!(
        qct_cli::report::solve_report(&m, &v, &b),
        Err(Error::NonUniqueSteadyState { .. })
    ));
    assert!(matches!(
        qct_cli::report::onsager_report(&m, &v, &b),
        Err(Error::NonUniqueSteadyState { .. })
    ));
}
