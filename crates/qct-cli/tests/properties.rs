//! Property test of the command line's reports (issue 5): on the random models of the
//! library's property tests (the same generator, seed and case count: 1–4 dots, random spins,
//! pairwise U and K, 1–4 leads, constant and occupation-dependent rates, shared parameters,
//! temperatures over 1e-3..1e3, |β(ω − μ)| up to 1e4) `qct solve` and `qct onsager` print no
//! NaN or infinity, in text or JSON, and refuse exactly where the library does: a steady
//! state made non-unique by zero or underflowing rates is a clean one-line
//! `NonUniqueSteadyState` error from both, never a panic. The physics of the same cases
//! (normalisation, balance, conservation, Σ̇ ≥ 0, L symmetric and positive semidefinite,
//! J = L F + O(F²)) is checked in the library (`crates/qct/src/tests/properties.rs`).
//!
//! The generator caps the energies by the largest |β(ω − μ)|; here that is taken from the
//! exact spectrum (`qct::exact::energies`) rounded to f64, so a capped case can differ from
//! the library's in the last bits of its energies.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use qct::Error;
use qct::exact::{rationals, to_f64};
use qct::model::{
    BareRate, Coupling, Dot, Interaction, Lead, Model, ParamId, Parameter, Role, Spin, json,
};
use qct::thermo::{ForceBasis, Representation};
use qct_cli::report::{onsager_report, solve_report, text};
use std::cell::Cell;

/// Seed of every runner in this file.
const SEED: u64 = 0x0005_eed0_0000_0005;
/// Cases of the property: those of the library's general property, the same models.
const GENERAL_CASES: u32 = 20_000;

#[path = "support/proptest_runner.rs"]
mod proptest_runner;

fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    proptest_runner::run(SEED, cases, 2000, strategy, test)
}

include!("../../qct/src/tests/random_models.rs");

/// The largest |β_λ(ω_t − μ_λ)| over the transitions of `model` at `values` (every state
/// without dot d to the state with it, for every coupling of every lead), from the exact
/// energies of the basis states.
fn largest_exponent(model: &Model, values: &[f64]) -> f64 {
    let exact = rationals(&model.resolve(values)).expect("finite values");
    let energies: Vec<f64> = qct::exact::energies(model, &exact)
        .iter()
        .map(to_f64)
        .collect();
    let mut x_max: f64 = 0.0;
    for lead in &model.leads {
        let beta = 1.0 / values[lead.temperature.0];
        let mu = values[lead.chemical_potential.0];
        for coupling in &lead.couplings {
            let bit = 1usize << coupling.dot;
            for from in (0..energies.len()).filter(|s| s & bit == 0) {
                let omega = energies[from | bit] - energies[from];
                x_max = x_max.max((beta * (omega - mu)).abs());
            }
        }
    }
    x_max
}

/// The reports of one case: `qct solve` refuses exactly where the steady state is not
/// unique and prints finite numbers otherwise; where L exists at the equilibrium,
/// `qct onsager` (with its finite-difference check) prints finite numbers or refuses a
/// steady state that the finite-difference steps made non-unique. Returns whether the
/// solve report was checked (false: a non-unique steady state or a rejected force basis).
fn check_reports(case: Case) -> Result<bool, TestCaseError> {
    let Case {
        model,
        values,
        representation,
        ..
    } = case;
    // A μ shared between components is rejected by the force basis (checked in the library).
    let Ok(basis) = ForceBasis::new(&model, representation, model.default_references()) else {
        return Ok(false);
    };
    let point = model
        .parameters_at(&values)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let solve = model.solve(&point);
    let report = solve_report(&model, &values, &basis);
    match (solve, report) {
        (Err(e), Err(r)) => {
            check_message(&r)?;
            prop_assert!(
                matches!(e, Error::NonUniqueSteadyState { .. })
                    && matches!(r, Error::NonUniqueSteadyState { .. }),
                "solve: {e}; solve report: {r}"
            );
            return Ok(false);
        }
        (Ok(_), Ok(report)) => {
            // No NaN or infinity anywhere in the solve output (JSON checked by qct, text here).
            let printed = text::solve(&report);
            prop_assert!(!has_non_finite_token(&printed), "{printed}");
            let json = serde_json::to_string(&report).unwrap();
            prop_assert!(!json.contains("null"), "{json}");
        }
        (solve, report) => prop_assert!(
            false,
            "the library's steady state {:?} but the solve report {:?}",
            solve.map(|_| ()),
            report.map(|_| ())
        ),
    }
    // The equilibrium has other rates than the point: they can underflow there (checked in
    // the library); the Onsager report is checked where L exists.
    if model.onsager_in(&point, &basis).is_err() {
        return Ok(true);
    }
    // The whole Onsager report (with its finite-difference check), also without independent
    // forces: finite numbers or a clean error. Finite differences move the leads by
    // δ(βω) ~ 1e-3 |βω|; at the extremes that can make a rate underflow and the steady state
    // non-unique.
    match onsager_report(&model, &values, &basis) {
        Ok(r) => {
            let printed = text::onsager(&r);
            prop_assert!(!has_non_finite_token(&printed), "{printed}");
            prop_assert!(!serde_json::to_string(&r).unwrap().contains("null"));
        }
        Err(e) => {
            let msg = check_message(&e)?;
            prop_assert!(
                matches!(e, Error::NonUniqueSteadyState { .. }),
                "onsager report: {msg}"
            );
        }
    }
    Ok(true)
}

#[test]
fn reports_of_random_models_are_finite() {
    let (cases, checked) = (Cell::new(0usize), Cell::new(0usize));
    run(GENERAL_CASES, case_strategy(GENERAL), |case| {
        cases.set(cases.get() + 1);
        if check_reports(case)? {
            checked.set(checked.get() + 1);
        }
        Ok(())
    });
    eprintln!(
        "reports_of_random_models_are_finite: {} of {} cases with a solve report",
        checked.get(),
        cases.get()
    );
    // Not vacuous: most cases have a unique steady state and are reported.
    assert!(
        checked.get() * 10 >= cases.get() * 7,
        "only {} of {} cases reported",
        checked.get(),
        cases.get()
    );
}
