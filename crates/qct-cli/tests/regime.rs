//! Physics of `qct regime`, `qct performance` and `qct icc` (issue 6): the regime taxonomy of
//! the seed's Fig. 3 on the single dot, the Sánchez–Büttiker converter, the Anderson level
//! and the icc model; the second law and Carnot's bound; the ZT route to the maximum
//! efficiency against the nonlinear optimum; all through the typed API. (The icc model's
//! wedge of genuine ICC, which classifies a point set by its forces, is tested in the
//! library: `crates/qct/src/tests/regime.rs`.)

use approx::assert_abs_diff_eq;
use qct::model::{Model, builtin::builtin};
use qct::thermo::{ForceBasis, Representation};
use qct::{OperatingPoint, Parameters, Performance, Regime};

fn model(name: &str) -> Model {
    builtin(name).expect("built-in")
}

fn values(model: &Model, assignments: &[(&str, f64)]) -> Vec<f64> {
    let mut v = model.defaults();
    for (name, value) in assignments {
        v[model.param(name).unwrap_or_else(|| panic!("{name}")).0] = *value;
    }
    v
}

fn basis(model: &Model, representation: Representation) -> ForceBasis {
    ForceBasis::new(model, representation, model.default_references()).expect("basis")
}

/// The checked parameters of `model` at `values`.
fn parameters(model: &Model, values: &[f64]) -> Parameters {
    model.parameters_at(values).expect("valid point")
}

/// Machine performance, the linear coefficients and the load optimum at `values` (heat
/// representation with the references of `basis`).
fn performance(model: &Model, values: &[f64], basis: &ForceBasis) -> Performance {
    model
        .performance(&parameters(model, values), basis)
        .expect("performance")
}

fn regime_at(name: &str, representation: Representation, set: &[(&str, f64)]) -> (Regime, Regime) {
    let m = model(name);
    let b = basis(&m, representation);
    let a = m
        .regime(&parameters(&m, &values(&m, set)), &b)
        .expect("point");
    assert!(a.entropy_production >= 0.0, "second law at {set:?}");
    (a.regime, a.linear_prediction)
}

/// Lead temperatures and chemical potentials that put the forces at (F_E, F_N) in the heat
/// representation around T_r = 1, μ_r = `mu`: β_l = 1 − F_E, μ_l = μ + F_N/β_l.
fn sqd_leads(f_e: f64, f_n: f64, mu: f64) -> [(&'static str, f64); 4] {
    let beta_l = 1.0 - f_e;
    [
        ("T_l", 1.0 / beta_l),
        ("T_r", 1.0),
        ("mu_l", mu + f_n / beta_l),
        ("mu_r", mu),
    ]
}

/// The single dot: above the reference (ε > μ) every direction of the force plane gives a
/// conventional or machine regime, never an ICC or pseudo-ICC; below it, every inverse or
/// unconventional response is reported as trivial (tight coupling). The one-force regimes
/// follow the sign of ε − μ.
#[test]
fn single_dot_has_no_icc_above_the_reference_and_only_trivial_inverses_below() {
    let mu = 0.3;
    for &eps in &[0.35, 0.8, 2.0, -0.1, -1.0] {
        let above = eps > mu;
        for k in 0..72 {
            let theta = 2.0 * std::f64::consts::PI * k as f64 / 72.0;
            let (f_e, f_n) = (0.2 * theta.cos(), 0.2 * theta.sin());
            let mut set = vec![("eps", eps)];
            set.extend(sqd_leads(f_e, f_n, mu));
            let (regime, linear) = regime_at("sqd", Representation::Heat, &set);
            for r in [regime, linear] {
                assert!(
                    !matches!(r, Regime::GenuineIcc | Regime::PseudoIcc),
                    "sqd eps={eps} theta={k}: {r:?}"
                );
                if above {
                    assert_ne!(r, Regime::TrivialInverse, "eps={eps} above mu, theta={k}");
                }
            }
            // First quadrant (parallel forces of one sign): the flux against both is the
            // trivial one exactly when the level is below the reference.
            if f_e > 1e-9 && f_n > 1e-9 {
                let expected = if above {
                    Regime::Normal
                } else {
                    Regime::TrivialInverse
                };
                assert_eq!(regime, expected, "eps={eps} theta={k}");
            }
        }
        // Seebeck (F_N = 0, left hotter) and Peltier (F_E = 0, μ_l > μ_r).
        let mut seebeck = vec![("eps", eps)];
        seebeck.extend(sqd_leads(0.2, 0.0, mu));
        let mut peltier = vec![("eps", eps)];
        peltier.extend(sqd_leads(0.0, 0.1, mu));
        let (s, _) = regime_at("sqd", Representation::Heat, &seebeck);
        let (p, _) = regime_at("sqd", Representation::Heat, &peltier);
        if above {
            assert_eq!((s, p), (Regime::Seebeck, Regime::Peltier), "eps={eps}");
        } else {
            assert_eq!(
                (s, p),
                (Regime::TrivialInverse, Regime::TrivialInverse),
                "eps={eps}"
            );
        }
    }
}

/// Energy representation: the reference is the energy origin, so the sign of ε decides.
#[test]
fn single_dot_energy_representation_follows_the_sign_of_eps() {
    for (eps, expected) in [(0.5, Regime::Seebeck), (-0.5, Regime::TrivialInverse)] {
        let (r, l) = regime_at(
            "sqd",
            Representation::Energy,
            &[
                ("eps", eps),
                ("T_l", 1.3),
                ("T_r", 1.0),
                ("mu_l", 0.0),
                ("mu_r", 0.0),
            ],
        );
        assert_eq!((r, l), (expected, expected), "eps = {eps}");
    }
}

/// Λ of Sánchez and Büttiker (PRB 83, 085318): the asymmetry of the lead rates of dot b
/// between u empty (0) and occupied (1).
fn lambda(g_l0: f64, g_l1: f64, g_r0: f64, g_r1: f64) -> f64 {
    (g_l0 * g_r1 - g_l1 * g_r0) / ((g_l0 + g_r0) * (g_l1 + g_r1))
}

/// At zero bias l and r share one Fermi function, so the b-dot flux of each u-state splits
/// between l and r in proportion to the bare rates, and every closed cycle transfers
/// J_Q^u = U per cycle: J_N^l = Λ J_Q^u / U exactly, at any T_u (far from equilibrium).
#[test]
fn sanchez_buttiker_law_holds_at_zero_bias_far_from_equilibrium() {
    let m = model("sb");
    let b = basis(&m, Representation::Energy);
    let cases = [
        // (eps_b, eps_u, kappa, g_l0, g_l1, g_r0, g_r1, T, T_u, mu)
        (0.0, 0.5, 1.0, 1.0, 0.2, 0.2, 1.0, 1.0, 2.0, 0.0),
        (0.3, -0.2, 2.0, 0.5, 0.05, 0.1, 2.0, 0.5, 5.0, 0.1),
        (-0.4, 0.1, 0.7, 0.01, 1.0, 3.0, 0.2, 1.0, 20.0, -0.3),
        (1.0, 1.0, -1.5, 2.0, 0.3, 0.3, 0.9, 2.0, 0.5, 0.2),
    ];
    for (eps_b, eps_u, kappa, g_l0, g_l1, g_r0, g_r1, t, t_u, mu) in cases {
        let v = values(
            &m,
            &[
                ("eps_b", eps_b),
                ("eps_u", eps_u),
                ("kappa", kappa),
                ("gamma_l0", g_l0),
                ("gamma_l1", g_l1),
                ("gamma_r0", g_r0),
                ("gamma_r1", g_r1),
                ("T", t),
                ("T_u", t_u),
                ("mu_l", mu),
                ("mu_r", mu),
            ],
        );
        let point = OperatingPoint::new(&m, &v, &b).expect("point");
        let (l, u) = (m.lead_index("l").unwrap(), m.lead_index("u").unwrap());
        let j_n = point.currents[l].particle;
        let j_h = point.currents[u].heat;
        let predicted = lambda(g_l0, g_l1, g_r0, g_r1) * j_h / kappa;
        assert!(
            (j_n - predicted).abs() <= 1e-12 * point.currents[l].gross_particle,
            "J_N^l = {j_n:e}, Λ J_h/U = {predicted:e}"
        );
        assert!(
            j_n.abs() > 1e-6 * point.currents[l].gross_particle,
            "nontrivial"
        );
    }
}

/// Occupation-independent rates (Λ = 0): no heat-to-current conversion at any T_u, so the
/// hot lead drives no particle current (no Seebeck effect: L_NE = 0) and no load can be
/// powered.
#[test]
fn sanchez_buttiker_with_equal_rates_converts_no_heat() {
    let m = model("sb");
    let b = basis(&m, Representation::Energy);
    for t_u in [1.5, 4.0, 30.0] {
        let v = values(
            &m,
            &[
                ("gamma_l1", 1.0),
                ("gamma_r0", 1.0),
                ("gamma_r1", 1.0),
                ("T_u", t_u),
            ],
        );
        let point = OperatingPoint::new(&m, &v, &b).expect("point");
        let l = m.lead_index("l").unwrap();
        assert!(point.currents[l].particle.abs() <= 1e-14 * point.currents[l].gross_particle);
        assert!(point.l[(0, 1)].abs() <= 1e-14 * point.l.amax());
        let regime = m.regime(&parameters(&m, &v), &b).unwrap().regime;
        assert_eq!(regime, Regime::Normal, "T_u = {t_u}");
        assert!(performance(&m, &v, &b).load.is_none());
    }
}

/// With energy-dependent rates (the defaults: γ_l0 = γ_r1 = 1, γ_l1 = γ_r0 = 0.2) and a hot
/// u lead, J_N^l flows from l to r against a bias μ_r − μ_l = 0.05: a heat engine below
/// Carnot.
#[test]
fn sanchez_buttiker_engine_is_below_carnot() {
    let m = model("sb");
    let b = basis(&m, Representation::Energy);
    let v = values(&m, &[("T_u", 2.0), ("mu_l", -0.025), ("mu_r", 0.025)]);
    let a = m.regime(&parameters(&m, &v), &b).unwrap();
    assert_eq!(a.regime, Regime::HeatEngine);
    let perf = performance(&m, &v, &b).machine;
    assert_eq!(perf.role, "engine");
    let eta = perf.efficiency.unwrap();
    assert!(eta > 0.0 && eta < perf.carnot_efficiency, "η = {eta}");
    assert_abs_diff_eq!(perf.carnot_efficiency, 0.5, epsilon = 1e-15);
    // Non-parallel forces: an unconventional cross effect is not a pseudo-ICC.
    assert_eq!(a.forces_structure, "non-parallel");
}

/// The Anderson level has finite ZT (it is not tightly coupled: two transition energies ε
/// and ε + U); at the particle–hole symmetric point ε = −U/2 (μ = 0) the thermopower
/// vanishes.
#[test]
fn anderson_has_finite_zt_and_no_thermopower_at_particle_hole_symmetry() {
    let m = model("anderson");
    let heat = basis(&m, Representation::Heat);
    let c = performance(&m, &m.defaults(), &heat).linear.unwrap();
    let zt = c.zt.expect("finite ZT");
    assert!(zt > 0.0 && zt.is_finite(), "ZT = {zt}");
    assert!(!c.tight_coupling);
    for u in [0.5, 2.0, 6.0] {
        let v = values(
            &m,
            &[("U", u), ("eps", -u / 2.0), ("mu_l", 0.0), ("mu_r", 0.0)],
        );
        let c = performance(&m, &v, &heat).linear.unwrap();
        assert!(c.seebeck.abs() < 1e-13, "U = {u}: S = {:e}", c.seebeck);
        // Away from the symmetric point it does not vanish.
        let v = values(&m, &[("U", u), ("eps", -u / 2.0 + 0.3)]);
        let c = performance(&m, &v, &heat).linear.unwrap();
        assert!(c.seebeck.abs() > 1e-3, "U = {u}: S = {:e}", c.seebeck);
    }
}

/// The single dot is tightly coupled: ZT = ∞, η_max = η_C.
#[test]
fn single_dot_has_infinite_zt() {
    let m = model("sqd");
    let heat = basis(&m, Representation::Heat);
    let c = performance(&m, &m.defaults(), &heat).linear.unwrap();
    assert!(c.tight_coupling && c.zt == Some(f64::INFINITY));
    assert_eq!(c.max_efficiency_over_carnot, Some(1.0));
    assert_eq!(c.efficiency_at_max_power_over_carnot, Some(0.5));
    // A level exactly at the reference: S = K = 0 and ZT = 0/0 is undefined, not NaN.
    let v = values(&m, &[("eps", 0.0), ("mu_l", 0.0), ("mu_r", 0.0)]);
    let c = performance(&m, &v, &heat).linear.unwrap();
    assert!(c.tight_coupling && c.zt.is_none() && c.seebeck == 0.0);
}

/// As ΔT → 0 the nonlinear maximum efficiency over the load tends to the linear-response
/// η_max = η_C (√(1+ZT) − 1)/(√(1+ZT) + 1), with ZT at the equilibrium; and it never
/// exceeds Carnot.
#[test]
fn zt_maximum_efficiency_is_the_small_force_limit_of_the_nonlinear_optimum() {
    let m = model("anderson");
    let heat = basis(&m, Representation::Heat);
    let mut deviations = Vec::new();
    for dt in [0.1, 0.01, 0.001] {
        let v = values(&m, &[("eps", 0.7), ("T_l", 1.0 + dt), ("T_r", 1.0)]);
        let performance = performance(&m, &v, &heat);
        let linear = performance.linear.unwrap();
        // η_max/η_C = (√(1+ZT) − 1)/(√(1+ZT) + 1) of the linear coefficients.
        let linear_max = linear.max_efficiency_over_carnot.unwrap();
        let optimum = performance.load.expect("engine");
        assert!(optimum.max_efficiency_over_carnot < 1.0);
        assert!(optimum.efficiency_at_max_power_over_carnot <= optimum.max_efficiency_over_carnot);
        deviations.push((optimum.max_efficiency_over_carnot - linear_max).abs());
    }
    assert!(deviations[2] < 2e-3, "{deviations:?}");
    assert!(
        deviations[2] < deviations[1] && deviations[1] < deviations[0],
        "{deviations:?}"
    );
}

#[path = "support/proptest_runner.rs"]
mod proptest_runner;

/// Random points of every built-in and of the double dot, over wide ranges (levels and
/// interactions in [−5, 5], rates and temperatures over four decades, μ in [−3, 3]), in
/// both representations: the reports never fail or print NaN; Σ̇ ≥ 0; efficiencies stay
/// below Carnot; every label agrees with its definition (genuine ICC only for parallel
/// forces of one sign with a flux against both and no trivial reason; trivial inverses only
/// with tight coupling or a bare level below the reference).
#[test]
fn random_points_obey_the_second_law_and_the_regime_definitions() {
    use proptest::prelude::*;
    use qct_cli::report::physics::{performance_report, regime_report};
    let json = std::fs::read_to_string(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .join("examples/double_dot_two_terminal.json"),
    )
    .unwrap();
    let mut models: Vec<Model> = ["sqd", "cqd", "sb", "icc", "anderson"]
        .iter()
        .map(|n| model(n))
        .collect();
    models.push(qct::model::json::from_json(&json, "double dot").unwrap());
    let strategy = (
        0..models.len(),
        any::<bool>(),
        proptest::collection::vec(0.0f64..1.0, 20),
    );
    proptest_runner::run(6, 3000, 0, strategy, |(m, heat, u)| {
        let model = &models[m];
        let representation = if heat {
            Representation::Heat
        } else {
            Representation::Energy
        };
        let b = basis(model, representation);
        let values: Vec<f64> = model
            .parameters
            .iter()
            .zip(&u)
            .map(|(p, &x)| match p.role {
                qct::model::Role::Rate => 10f64.powf(-3.0 + 4.0 * x),
                qct::model::Role::Temperature => 10f64.powf(-1.3 + 2.6 * x),
                qct::model::Role::ChemicalPotential => -3.0 + 6.0 * x,
                _ => -5.0 + 10.0 * x,
            })
            .collect();
        let r = regime_report(model, &values, &b, qct::method::Method::Pauli)
            .map_err(|e| TestCaseError::fail(format!("{}: {e}", model.name)))?;
        let a = &r.analysis;
        prop_assert!(a.entropy_production >= 0.0, "Σ̇ = {}", a.entropy_production);
        if let Some(ratio) = r.performance.efficiency_over_carnot {
            prop_assert!(ratio <= 1.0 + 1e-9, "η/η_C = {ratio}");
        }
        if let Some(ratio) = r.performance.cop_over_carnot {
            prop_assert!(ratio <= 1.0 + 1e-9, "COP/COP_C = {ratio}");
        }
        let trivial = a.tight_coupling || a.bare_levels.iter().any(|l| l.above_reference < 0.0);
        match a.regime {
            Regime::GenuineIcc => {
                prop_assert!(a.forces_structure == "parallel" && !trivial);
                let f = &a.fluxes;
                prop_assert!(f[0].force_value * f[1].force_value > 0.0);
                prop_assert!(f.iter().any(|x| x.against_force));
            }
            Regime::TrivialInverse => prop_assert!(trivial && a.forces_structure == "parallel"),
            Regime::PseudoIcc => prop_assert!(a.forces_structure == "parallel" && !trivial),
            Regime::SeebeckUnconventional | Regime::PeltierUnconventional => {
                prop_assert!(a.forces_structure == "non-parallel")
            }
            Regime::MultiForce => prop_assert!(a.forces_structure == "n/a"),
            _ => {}
        }
        let p = performance_report(model, &values, &b, qct::method::Method::Pauli)
            .map_err(|e| TestCaseError::fail(format!("{} performance: {e}", model.name)))?;
        if let Some(o) = &p.load_optimum {
            prop_assert!(
                o.max_efficiency_over_carnot <= 1.0 + 1e-9,
                "{}",
                o.max_efficiency_over_carnot
            );
            prop_assert!(o.max_power >= 0.0);
        }
        Ok(())
    });
}
