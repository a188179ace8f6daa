//! Trust at the extremes (issue 15): closed forms evaluated without loss at low temperature,
//! and finite differences that know their rounding floor. One test binary with the symbolic
//! engine (every symbolic call goes through the process's single engine).

#[allow(dead_code)]
#[path = "numeric/common.rs"]
mod common;

use common::{Rng, model, onsager_l, values};
use nalgebra::DMatrix;
use qct::model::{Model, Role};
use qct::symbolic::{self, Form};
use qct::thermo::{ForceBasis, Representation, equilibrium_parameters};
use qct_cli::report::check::{check_derivation, check_report};

fn basis(model: &Model, representation: Representation) -> ForceBasis {
    ForceBasis::new(model, representation, model.default_references()).unwrap()
}

/// Single dot, L_NN = γ_l γ_r/(γ_l + γ_r) · f(1 − f) with f(1 − f) = e^{−|x|}/(1 + e^{−|x|})²,
/// x = β(ε − μ) (hand-worked; tests/numeric/single_dot.rs): the closed form evaluates to it
/// at βε = ±200 and ±700, entry by entry to 1e-12.
#[test]
fn single_dot_closed_form_at_large_beta_omega() {
    let m = model("sqd");
    let b = basis(&m, Representation::Energy);
    let d = symbolic::derive(&m, &b, Form::Boltzmann).unwrap();
    let definitions: Vec<(String, String)> = d
        .weights
        .iter()
        .map(|w| (w.name.clone(), w.value.symbolica.clone()))
        .collect();
    let strings: Vec<String> =
        d.l.iter()
            .flat_map(|row| row.iter().map(|e| e.symbolica.clone()))
            .collect();
    for beta_eps in [200.0, -200.0, 700.0, -700.0] {
        let (t, gl, gr) = (0.1, 0.3, 2.0);
        let eps = beta_eps * t;
        let v = values(
            &m,
            &[
                ("eps", eps),
                ("T_l", t),
                ("T_r", t),
                ("mu_l", 0.0),
                ("mu_r", 0.0),
                ("gamma_l", gl),
                ("gamma_r", gr),
            ],
        );
        let eq = equilibrium_parameters(&m, &b, &v);
        let closed =
            symbolic::evaluate(&m, definitions.clone(), strings.clone(), eq.clone()).unwrap();
        let x = eps / t;
        let e = (-x.abs()).exp();
        let l_nn = gl * gr / (gl + gr) * e / ((1.0 + e) * (1.0 + e));
        let expected = [l_nn, eps * l_nn, eps * l_nn, eps * eps * l_nn];
        for (k, (c, x)) in closed.iter().zip(expected).enumerate() {
            assert!(*c != 0.0, "βε = {beta_eps}: entry {k} evaluates to 0");
            assert!(
                ((c - x) / x).abs() < 1e-12,
                "βε = {beta_eps}: entry {k} closed {c:e} vs hand-worked {x:e}"
            );
        }
    }
}

/// Issue 15's point: `sb` at ε_b = 20, T = 0.1 (βε = 200). The closed form gave 1.25e-88
/// for L_NN and 0 for three entries; it must equal the exact linear response entry by entry.
#[test]
fn sanchez_buttiker_at_beta_eps_200() {
    let m = model("sb");
    let b = basis(&m, Representation::Energy);
    let v = values(&m, &[("eps_b", 20.0), ("T", 0.1)]);
    let r = check_report(&m, &v, &b, 1e-9).unwrap();
    assert!(r.passed, "deviation {:e}", r.max_relative_deviation);
    assert!((r.l_closed_form[0][0] / 2.291059e-88 - 1.0).abs() < 1e-6);
    for (c, n) in r
        .l_closed_form
        .iter()
        .flatten()
        .zip(r.l_numeric.iter().flatten())
    {
        assert!(*c != 0.0 && ((c - n) / n).abs() < 1e-12, "{c:e} vs {n:e}");
    }
}

/// Beyond βω = 709, where e^{βω} leaves the f64 range: `sb` with βε_u = 750. Dot u stays
/// empty, the entries through it are e^{−750} (not representable: 0), but L[J_N^l, F_N^l]
/// (transport through dot b) is of order one and must come out exactly although the
/// weights x_C, x_D of the closed form are below the f64 range.
#[test]
fn beyond_the_f64_exponent_range() {
    let m = model("sb");
    let b = basis(&m, Representation::Energy);
    let v = values(&m, &[("eps_u", 75.0), ("T", 0.1)]);
    let r = check_report(&m, &v, &b, 1e-9).unwrap();
    assert!(r.passed, "deviation {:e}", r.max_relative_deviation);
    let (closed, numeric) = (r.l_closed_form[0][0], r.l_numeric[0][0]);
    assert!(numeric > 1e-2, "L_NN^l = {numeric:e}");
    assert!(((closed - numeric) / numeric).abs() < 1e-12);
}

/// The false alarms: L is 1e-14 of the gross exchange, so some finite-difference
/// entries are rounding noise. They are reported unresolved (not compared), the check
/// passes, and the resolved ones still agree.
#[test]
fn low_temperature_false_alarms_are_gone() {
    let cases: [(&str, Vec<(&str, f64)>, Representation); 3] = [
        ("sb", cases_sb(), Representation::Energy),
        (
            "sqd",
            vec![("eps", 3.0), ("T_r", 0.1)],
            Representation::Energy,
        ),
        (
            "sqd",
            vec![("eps", 3.0), ("T_r", 0.1)],
            Representation::Heat,
        ),
    ];
    for (name, set, representation) in cases {
        let m = model(name);
        let r = check_report(&m, &values(&m, &set), &basis(&m, representation), 1e-9).unwrap();
        assert!(
            r.passed,
            "{name} {representation:?}: {:e}",
            r.max_relative_deviation
        );
    }
    // In the sb case the noise is real: L[J_E^u, F_N^l] by finite differences is −3.1e-14
    // against the true +6.6e-16, and that entry is the one reported unresolved.
    let m = model("sb");
    let r = check_report(
        &m,
        &values(&m, &cases_sb()),
        &basis(&m, Representation::Energy),
        1e-9,
    )
    .unwrap();
    assert!(r.unresolved >= 1);
    assert!(!r.resolved[1][0].contains(&"finite_difference"));
    assert!(r.resolved[0][0].contains(&"finite_difference"));
}

fn cases_sb() -> Vec<(&'static str, f64)> {
    vec![
        ("eps_b", 30.0),
        ("eps_u", 1.0),
        ("kappa", 1.0),
        ("gamma_l0", 1.0),
        ("gamma_l1", 2.0),
        ("gamma_r0", 1.0),
        ("gamma_r1", 3.0),
        ("T_u", 1.2),
        ("mu_l", 0.2),
    ]
}

/// A random extreme point: one temperature T (log-uniform in [1e-3, 1]) for every lead,
/// levels and interactions with |βε| up to 350 (so transition energies reach βω ≈ ±700 and
/// beyond), chemical potentials with |βμ| up to 50, bare rates log-uniform in [1e-6, 1e6].
fn extreme_values(m: &Model, rng: &mut Rng) -> Vec<f64> {
    let t = 10f64.powf(rng.uniform(-3.0, 0.0));
    let free: Vec<f64> = m
        .parameters
        .iter()
        .map(|p| match p.role {
            Role::Energy => rng.uniform(-350.0, 350.0) * t,
            Role::Rate => 10f64.powf(rng.uniform(-6.0, 6.0)),
            Role::Temperature => t,
            Role::ChemicalPotential => rng.uniform(-50.0, 50.0) * t,
            Role::Dimensionless => rng.uniform(-0.99, 0.99),
        })
        .collect();
    m.complete(&free)
}

/// Property (evidence over random extreme points, not a proof): at every point where max |L|
/// is a normal f64, `qct check` passes (no false FAILED), the closed form equals the exact
/// linear response to 1e-12 of max |L|, and every finite-difference entry is within its
/// rounding floor (plus the truncation allowance 1e-9 max |L|) of the exact L — so the floor
/// is an honest bound and "resolved" entries are measurements.
#[test]
fn random_extreme_points() {
    let mut rng = Rng::new(15);
    let mut worst_floor_ratio: f64 = 0.0;
    let mut worst_closed: f64 = 0.0;
    let (mut checked, mut unresolved) = (0, 0);
    for name in ["sqd", "sb", "cqd", "anderson"] {
        let m = model(name);
        for representation in [Representation::Energy, Representation::Heat] {
            let b = basis(&m, representation);
            let d = symbolic::derive(&m, &b, Form::Boltzmann).unwrap();
            for _ in 0..12 {
                let v = extreme_values(&m, &mut rng);
                let eq = equilibrium_parameters(&m, &b, &v);
                let exact = onsager_l(&m, &eq, &b);
                let scale = exact.amax();
                if scale < 1e-290 {
                    continue; // L not representable in f64 at full precision
                }
                let r = check_derivation(&m, &d, &v, &b, 1e-9).unwrap();
                assert!(
                    r.passed,
                    "{name} {representation:?} at {v:?}: deviation {:e}",
                    r.max_relative_deviation
                );
                let closed = DMatrix::from_row_iterator(
                    b.len(),
                    b.len(),
                    r.l_closed_form.iter().flatten().copied(),
                );
                let closed_deviation = (&closed - &exact).amax() / scale;
                assert!(
                    closed_deviation <= 1e-12,
                    "{name} {representation:?} at {v:?}: closed form off by {closed_deviation:e}"
                );
                worst_closed = worst_closed.max(closed_deviation);
                // The finite differences and their rounding floors as `qct check` reports them.
                let by_rows = |rows: &[Vec<f64>]| {
                    DMatrix::from_row_iterator(b.len(), b.len(), rows.iter().flatten().copied())
                };
                let fd = by_rows(&r.l_finite_difference);
                let floor = by_rows(&r.l_finite_difference_floor);
                for k in 0..exact.len() {
                    let error = (fd[k] - exact[k]).abs();
                    let ratio = error / (floor[k] + 1e-9 * scale);
                    worst_floor_ratio = worst_floor_ratio.max(ratio);
                    assert!(
                        ratio <= 1.0,
                        "{name} {representation:?} at {v:?}: entry {k} off by {error:e}, floor {:e}",
                        floor[k]
                    );
                }
                checked += 1;
                unresolved += r.unresolved;
            }
        }
    }
    eprintln!(
        "{checked} extreme points: worst closed-form deviation {worst_closed:.1e}, \
         worst finite-difference error / (floor + 1e-9 max|L|) {worst_floor_ratio:.2e}, \
         {unresolved} unresolved entries"
    );
    assert!(checked >= 40, "only {checked} points had a representable L");
}
