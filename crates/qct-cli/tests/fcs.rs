//! Full counting statistics (issue 13) through the command line and the closed forms:
//! `qct noise` and `qct fcs` (JSON contract, textbook cumulants, errors), the sweep's
//! fluctuation quantities, finite statistics or a clean error at extreme points, and the
//! symbolic fluctuation–dissipation proof and single-level noise against the numeric
//! counting statistics (through the typed API). The recursion itself is cross-checked in
//! the library's tests (`crates/qct/src/tests/fcs.rs`).

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use qct::model::{Model, Role, builtin};
use qct::thermo::{ForceBasis, Representation};

#[path = "support/proptest_runner.rs"]
mod proptest_runner;

use crate::common::example_models;

include!("../../qct/src/tests/fcs_points.rs");

#[path = "support/cli.rs"]
mod cli;

/// `qct noise --format json`: the documented keys, the matrix shape, Fano and TUR consistent
/// with the matrix, and the flux noise = 2 L of `qct onsager` at an equilibrium point.
#[test]
fn cli_noise_json_contract() {
    let out = cli::stdout(&["noise", "cqd", "--set", "T_l=1.5", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "model",
            "parameters",
            "representation",
            "units",
            "currents",
            "mean",
            "noise",
            "fano",
            "tur",
            "sigma",
            "fluxes",
            "flux_mean",
            "flux_noise",
            "flux_tur",
            "gallavotti_cohen_residual"
        ]
    );
    let currents: Vec<&str> = v["currents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(currents.len(), 9);
    let sigma = v["sigma"].as_f64().unwrap();
    assert!(sigma > 0.0);
    for (i, c) in currents.iter().enumerate() {
        let row = v["noise"][i].as_array().unwrap();
        assert_eq!(row.len(), 9);
        let var = row[i].as_f64().unwrap();
        let mean = v["mean"][i].as_f64().unwrap();
        match (v["fano"][c].as_f64(), v["tur"][c].as_f64()) {
            (Some(fano), Some(tur)) => {
                assert!((fano - var / mean.abs()).abs() <= 1e-12 * fano);
                assert!((tur - var * sigma / (mean * mean)).abs() <= 1e-12 * tur);
                assert!(tur >= 2.0);
            }
            // J_N^u: u is its component's only lead, so its count is bounded.
            (None, None) => assert_eq!((*c, mean, var), ("J_N^u", 0.0, 0.0)),
            other => panic!("{c}: {other:?}"),
        }
    }
    assert!(v["gallavotti_cohen_residual"].as_f64().unwrap() < 1e-12);
    // At an equilibrium point the flux noise is 2 L.
    let eq = [
        "--set", "T_l=1", "--set", "T_u=1", "--set", "mu_l=0", "--format", "json",
    ];
    let noise: serde_json::Value =
        serde_json::from_str(&cli::stdout(&[&["noise", "cqd"], &eq[..]].concat())).unwrap();
    let onsager: serde_json::Value =
        serde_json::from_str(&cli::stdout(&[&["onsager", "cqd"], &eq[..]].concat())).unwrap();
    assert_eq!(noise["fluxes"], onsager["fluxes"]);
    assert!(noise["sigma"].as_f64().unwrap().abs() < 1e-15);
    let l = onsager["L"].as_array().unwrap();
    for (i, row) in l.iter().enumerate() {
        for (j, x) in row.as_array().unwrap().iter().enumerate() {
            let s = noise["flux_noise"][i][j].as_f64().unwrap();
            assert!((s - 2.0 * x.as_f64().unwrap()).abs() <= 1e-13, "{i} {j}");
        }
        assert!(noise["flux_tur"][i].is_null());
    }
}

/// `qct fcs --lead l --order 4 --format json`: the single level at large bias gives the
/// textbook cumulants; bad input is a one-line error with exit status 2.
#[test]
fn cli_fcs_json_and_errors() {
    let out = cli::stdout(&[
        "fcs",
        "sqd",
        "--lead",
        "l",
        "--order",
        "4",
        "--set",
        "mu_l=200",
        "--set",
        "mu_r=-200",
        "--set",
        "gamma_r=3",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = v["cumulants"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["J_N^l", "J_E^l", "J_Q^l", "sigma"]);
    let kappa: Vec<f64> = v["cumulants"]["J_N^l"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let (a, b): (f64, f64) = (1.0, 3.0);
    assert_eq!(kappa.len(), 4);
    assert!((kappa[0] - a * b / (a + b)).abs() < 1e-12);
    assert!((kappa[1] / kappa[0] - (a * a + b * b) / (a + b).powi(2)).abs() < 1e-12);
    for args in [
        &["fcs", "sqd", "--lead", "x"][..],
        &["fcs", "sqd", "--order", "0"],
        &["fcs", "sqd", "--order", "9"],
        &["noise", "sqd", "--set", "T_l=-1"],
        &["noise", "nosuchmodel"],
    ] {
        cli::fails(args);
    }
    // Text output names the columns.
    let text = cli::stdout(&["fcs", "cqd", "--lead", "u", "--order", "3"]);
    assert!(text.contains("kappa_3") && text.contains("J_E^u") && text.contains("sigma"));
}

/// The sweep quantities agree with `qct noise` at the same point.
#[test]
fn sweep_fluctuation_quantities() {
    let out = cli::stdout(&[
        "sweep",
        "sqd",
        "--vary",
        "mu_l=0.5:0.5:1",
        "--quantity",
        "S_J_N^l,fano_J_N^l,tur_J_N^l,S_J_Q^r",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let row = &v["rows"][0];
    let noise: serde_json::Value = serde_json::from_str(&cli::stdout(&[
        "noise", "sqd", "--set", "mu_l=0.5", "--format", "json",
    ]))
    .unwrap();
    let cell = |i: usize| row[i].as_f64().unwrap();
    assert_eq!(cell(1), noise["noise"][0][0].as_f64().unwrap());
    assert_eq!(cell(2), noise["fano"]["J_N^l"].as_f64().unwrap());
    assert_eq!(cell(3), noise["tur"]["J_N^l"].as_f64().unwrap());
    assert_eq!(cell(4), noise["noise"][5][5].as_f64().unwrap());
}

/// Fluctuation–dissipation proved symbolically: for every built-in, in both representations,
/// the closed-form equilibrium second cumulants of the fluxes minus 2 L expand to 0.
#[test]
fn equilibrium_noise_is_twice_onsager_symbolically() {
    for name in builtin::NAMES {
        let model = builtin::builtin(name).unwrap();
        if !model.hoppings.is_empty() {
            continue; // no closed forms with interdot tunnelling
        }
        for representation in [Representation::Energy, Representation::Heat] {
            let basis =
                ForceBasis::new(&model, representation, model.default_references()).unwrap();
            let derivation =
                qct::symbolic::derive(&model, &basis, qct::symbolic::Form::Boltzmann).unwrap();
            let proof =
                qct::symbolic::noise::equilibrium_noise_proof(&model, &basis, &derivation).unwrap();
            let m = basis.len();
            assert_eq!(proof.entries.len(), m * (m + 1) / 2);
            for e in &proof.entries {
                assert!(
                    e.proved,
                    "{name} {representation:?} ({}, {}): {}",
                    e.i, e.j, e.noise.symbolica
                );
            }
        }
    }
}

/// The single level's closed-form noise at any bias equals the numeric counting statistics.
#[test]
fn single_level_noise_closed_form_matches_the_numeric_fcs() {
    let closed = qct::symbolic::noise::single_level_noise().unwrap();
    let model = builtin::builtin("sqd").unwrap();
    let mut points = Vec::new();
    // Deterministic quasi-random points (golden-ratio sequence).
    for k in 0..40 {
        let u: Vec<f64> = (0..7)
            .map(|i| ((k * 7 + i) as f64 * 0.618_033_988_75).fract())
            .collect();
        points.push(point(&model, &u));
    }
    let basis = ForceBasis::new(&model, Representation::Heat, model.default_references()).unwrap();
    let names = ["J_N^l".to_string(), "S_J_N^l".to_string()];
    let at = |name: &str, values: &[f64]| values[model.param(name).unwrap().0];
    for values in points {
        // κ₁ = ⟨J_N^l⟩ and κ₂ = ⟨⟨J_N^l J_N^l⟩⟩ of the numeric counting statistics, by the
        // typed API (the columns of `qct sweep`).
        let p = model.parameters_at(&values).unwrap();
        let columns = model.evaluate(&p, &basis, &[], &[], &names).unwrap();
        let kappa: Vec<f64> = columns
            .iter()
            .map(|c| match c {
                qct::Column::Numbers(x) => x[0],
                qct::Column::Labels(_) => unreachable!("numbers"),
            })
            .collect();
        let evaluated = qct::symbolic::evaluate(
            &model,
            closed.definitions.clone(),
            vec![
                closed.mean.symbolica.clone(),
                closed.noise.symbolica.clone(),
            ],
            values.clone(),
        )
        .unwrap();
        // The rounding scale: the rate of jumps through lead l, γ_l (f_l p₀ + (1 − f_l) p₁)
        // (every jump counts ±1), with f_l = f(β_l (ε − μ_l)) and p from the steady state.
        let probabilities = model.solve(&p).unwrap().probabilities;
        let f_l =
            1.0 / (1.0 + ((at("eps", &values) - at("mu_l", &values)) / at("T_l", &values)).exp());
        let gross =
            at("gamma_l", &values) * (f_l * probabilities[0] + (1.0 - f_l) * probabilities[1]);
        assert!(
            (evaluated[0] - kappa[0]).abs() <= 1e-12 * gross,
            "{values:?}"
        );
        assert!(
            (evaluated[1] - kappa[1]).abs() <= 1e-12 * gross,
            "{values:?}"
        );
    }
}

/// Extreme points (T over 1e-3..1e3, levels and interactions ±50, rates 1e-6..1e3): `qct noise`
/// and `qct fcs` return finite numbers or a clean error, never a panic, NaN or infinity.
#[test]
fn extreme_points_give_finite_statistics_or_a_clean_error() {
    let models = all_models();
    let outcomes = std::cell::Cell::new((0usize, 0usize));
    run(1500, points(), |(m, u)| {
        let model = &models[m];
        let values: Vec<f64> = model
            .parameters
            .iter()
            .zip(u.iter().cycle())
            .map(|(p, &x)| match p.role {
                Role::Energy => -50.0 + 100.0 * x,
                Role::Rate => 10f64.powf(-6.0 + 9.0 * x),
                Role::Temperature => 10f64.powf(-3.0 + 6.0 * x),
                Role::ChemicalPotential => -20.0 + 40.0 * x,
                Role::Dimensionless => -0.9 + 1.8 * x,
            })
            .collect();
        let basis =
            ForceBasis::new(model, Representation::Heat, model.default_references()).unwrap();
        let noise = std::panic::catch_unwind(|| {
            qct_cli::report::noise::noise_report(model, &values, &basis)
        });
        let fcs =
            std::panic::catch_unwind(|| qct_cli::report::noise::fcs_report(model, &values, &[], 4));
        let (Ok(noise), Ok(fcs)) = (noise, fcs) else {
            return Err(TestCaseError::fail(format!(
                "{} panicked at {values:?}",
                model.name
            )));
        };
        let (ok, err) = outcomes.get();
        match (noise, fcs) {
            (Ok(n), Ok(f)) => {
                let json = format!(
                    "{}{}",
                    serde_json::to_string(&n).unwrap(),
                    serde_json::to_string(&f).unwrap()
                );
                prop_assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
                for (i, row) in n.noise.iter().enumerate() {
                    prop_assert!(
                        row[i] >= 0.0,
                        "{}: negative variance {:e} at {values:?}",
                        n.currents[i],
                        row[i]
                    );
                }
                outcomes.set((ok + 1, err));
            }
            (Err(e), _) | (_, Err(e)) => {
                let message = e.to_string();
                prop_assert!(
                    !message.contains("NaN") && message.lines().count() == 1,
                    "{message}"
                );
                outcomes.set((ok, err + 1));
            }
        }
        Ok(())
    });
    let (ok, err) = outcomes.get();
    eprintln!("extreme points: {ok} solved, {err} clean errors");
    assert!(ok > 1000);
}
