//! `qct solve --exact` against `qct solve` on every built-in and every JSON example with a
//! diagonal H: the same report to 1e-12, exactly zero residuals in the exact one, its two Σ̇
//! identical; and both refuse a non-unique steady state. The exact oracle against the f64
//! pipeline's stages, on random rational instances, is a cross-check of the library
//! (`crates/qct/src/tests/exact_oracle.rs`).

use qct::exact::{ExactPauli, to_f64};
use qct::model::{Model, Role, builtin, json};
use qct::thermo::{ForceBasis, Representation};

include!("../../qct/src/tests/exact_models.rs");

/// `qct solve --exact` against `qct solve`: the same report to 1e-12, exact residuals 0,
/// identical Σ̇ forms; at the defaults and at random non-rational f64 points.
#[test]
fn exact_solve_report_matches_f64_report() {
    let mut rng = Rng(7);
    let mut worst: f64 = 0.0;
    for model in models() {
        let mut points = vec![model.defaults()];
        for _ in 0..3 {
            points.push(
                model
                    .parameters
                    .iter()
                    .map(|p| {
                        let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
                        match p.role {
                            Role::Energy | Role::ChemicalPotential => 4.0 * u - 2.0,
                            Role::Rate => 0.05 + 2.0 * u,
                            Role::Temperature => 0.1 + 2.0 * u,
                            Role::Dimensionless => 1.8 * u - 0.9,
                        }
                    })
                    .collect(),
            );
        }
        for values in points {
            for representation in [Representation::Energy, Representation::Heat] {
                let basis =
                    ForceBasis::new(&model, representation, model.default_references()).unwrap();
                let exact =
                    qct_cli::report::oracles::exact_solve_report(&model, &values, &basis).unwrap();
                let float = qct_cli::report::solve_report(&model, &values, &basis).unwrap();
                assert_eq!(exact.balance_residual, 0.0);
                assert_eq!(exact.conservation.energy, 0.0);
                assert!(
                    exact
                        .conservation
                        .particles
                        .values()
                        .all(|v| v.as_f64() == Some(0.0))
                );
                assert_eq!(
                    exact.entropy_production.minus_sum_beta_heat,
                    exact.entropy_production.sum_forces_fluxes
                );
                assert!(exact.entropy_production.minus_sum_beta_heat >= 0.0);
                let p_max = exact
                    .states
                    .iter()
                    .map(|s| s.probability)
                    .fold(0.0, f64::max);
                for (a, b) in exact.states.iter().zip(&float.states) {
                    assert_eq!(a.energy, b.energy);
                    worst = worst.max(relative(a.probability, b.probability, p_max));
                }
                // Scales: the gross exchange of each lead (net currents may be far smaller,
                // and rounding is relative to the gross flows), and of each term of Σ̇.
                let (_, pauli) = ExactPauli::at_point(&model, &values).unwrap();
                let p = pauli.steady_state().unwrap();
                let gross = pauli.currents(model.leads.len(), &p);
                for ((a, b), g) in exact.leads.iter().zip(&float.leads).zip(&gross) {
                    let (gn, ge) = (to_f64(&g.gross_particle), to_f64(&g.gross_energy));
                    worst = worst
                        .max(relative(a.particle_current, b.particle_current, gn))
                        .max(relative(a.energy_current, b.energy_current, ge));
                }
                let force_scale = exact
                    .leads
                    .iter()
                    .map(|l| (1.0 + l.mu.abs()) / l.temperature)
                    .fold(0.0, f64::max);
                for (a, b) in exact.forces.iter().zip(&float.forces) {
                    assert_eq!(a.name, b.name);
                    worst = worst.max(relative(a.value, b.value, force_scale));
                }
                let sigma_scale: f64 = exact
                    .leads
                    .iter()
                    .zip(&gross)
                    .map(|(l, g)| {
                        (to_f64(&g.gross_energy) + l.mu.abs() * to_f64(&g.gross_particle))
                            / l.temperature
                    })
                    .sum();
                worst = worst.max(relative(
                    exact.entropy_production.minus_sum_beta_heat,
                    float.entropy_production.minus_sum_beta_heat,
                    sigma_scale,
                ));
                assert!(
                    worst <= RTOL,
                    "{}: exact and f64 reports differ by {:e}",
                    model.name,
                    worst
                );
            }
        }
    }
    println!(
        "exact vs f64 solve report: worst relative deviation {:.1e}",
        worst
    );
}

/// Zero rates that split the states into two closed classes: both solvers refuse.
#[test]
fn non_unique_steady_state_is_refused_exactly() {
    let model = builtin::builtin("sqd").unwrap();
    let mut values = model.defaults();
    for name in ["gamma_l", "gamma_r"] {
        values[model.param(name).unwrap().0] = 0.0;
    }
    let (_, pauli) = ExactPauli::at_point(&model, &values).unwrap();
    assert!(pauli.steady_state().is_err());
    let basis =
        ForceBasis::new(&model, Representation::Energy, model.default_references()).unwrap();
    assert!(qct_cli::report::oracles::exact_solve_report(&model, &values, &basis).is_err());
    assert!(qct_cli::report::solve_report(&model, &values, &basis).is_err());
    // One zero rate leaves a unique steady state: both agree.
    let mut values = model.defaults();
    values[model.param("gamma_l").unwrap().0] = 0.0;
    let exact = qct_cli::report::oracles::exact_solve_report(&model, &values, &basis).unwrap();
    let float = qct_cli::report::solve_report(&model, &values, &basis).unwrap();
    for (a, b) in exact.states.iter().zip(&float.states) {
        assert!((a.probability - b.probability).abs() <= RTOL);
    }
}
