//! Closed forms with spin forces (issue 14): the spin Seebeck example
//! (`examples/spin_seebeck.json`, a Zeeman-split level between a polarised lead l and a
//! normal lead r with spin bias μ_s,r). The derivation takes ν_r = μ_s,r/2 as the spin
//! affinity (F_S^r = β_r μ_s,r/2) and every transition of spin σ carries d_S = σ into J_S.
//!
//! * The forces, the equilibrium (μ_s,r → 0) and every proof (reciprocity, nodal = cycle
//!   route, compact = expanded) in both representations.
//! * Every transition carries one particle and σ = ±1: the printed L_NN and L_SS are the same
//!   expression, by the cycle form L = Σ_C w_C d(C) d(C)ᵀ.
//! * The closed form equals the exact linear response (including the spin row and column)
//!   at random equilibria to 1e-12 relative, and `qct check` passes (finite differences,
//!   fluctuation–dissipation).
//! * The spin Seebeck physics read off the closed-form L: the open-circuit spin
//!   accumulation μ_s/ΔT = 2 F_S/(T F_Q) (Cramer's rule on the (N, S) block) is −B/T on the
//!   plateaus (dot empty or doubly occupied, whatever p_l), 0 without a field, and equal to
//!   the numeric open-circuit ratio of derivations/spin_seebeck.

use super::common::{Rng, onsager_l, random_values};
use super::compact::compact_l;
use super::derive;
use qct::model::{Model, json};
use qct::symbolic::{self, Form};
use qct::thermo::{ForceBasis, Representation, equilibrium_parameters};
use qct_cli::derivations::spin_seebeck::{FILE, open_circuit, open_circuit_closed_form};
use qct_cli::report::check::check_derivation;

fn spin_model() -> Model {
    json::from_file(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(FILE),
    )
    .unwrap()
}

fn set(model: &Model, values: &mut [f64], name: &str, value: f64) {
    values[model.param(name).unwrap().0] = value;
}

/// F_S^r = β_r μ_s,r/2 beside F_N^r and F_E^r (F_Q^r), μ_s,r → 0 at equilibrium, and every
/// proof holds; L_NN and L_SS are the same closed form.
#[test]
fn spin_closed_form_forces_and_proofs() {
    let model = spin_model();
    for representation in [Representation::Energy, Representation::Heat] {
        let d = derive(&model, representation, Form::Compact);
        let names: Vec<&str> = d.forces.iter().map(|f| f.name.as_str()).collect();
        let heat = representation == Representation::Heat;
        assert_eq!(
            names,
            ["F_N^r", "F_S^r", if heat { "F_Q^r" } else { "F_E^r" }]
        );
        assert_eq!(d.forces[1].value.symbolica, "1/2*mu_s_r/T_r");
        assert!(
            d.equilibrium.iter().any(|(p, v)| p == "mu_s_r" && v == "0"),
            "{:?}",
            d.equilibrium
        );
        assert_eq!(d.reciprocity.len(), 3);
        for r in &d.reciprocity {
            assert!(r.proved && r.routes_agree, "{representation:?} {r:?}");
        }
        assert!(d.compact.weights_proved);
        assert!(d.compact.proved_equal.iter().flatten().all(|&b| b));
        assert_eq!(d.compact.l[0][0].symbolica, d.compact.l[1][1].symbolica);
        assert_ne!(d.compact.l[0][1].symbolica, d.compact.l[0][0].symbolica);
        // The closed form never holds the spin bias: the equilibrium has μ_s = 0.
        assert!(
            d.compact
                .l
                .iter()
                .flatten()
                .chain(d.compact.definitions.iter().map(|c| &c.value))
                .all(|e| !e.symbolica.contains("mu_s_r"))
        );
    }
}

/// Closed form = exact linear response (the spin row and column included) at random
/// equilibria, to 1e-12 of max |L|; `qct check` passes with finite differences and the
/// equilibrium noise.
#[test]
fn spin_closed_form_matches_exact_linear_response() {
    let model = spin_model();
    let mut rng = Rng::new(1414);
    for representation in [Representation::Energy, Representation::Heat] {
        let b = ForceBasis::new(&model, representation, model.default_references()).unwrap();
        let d = symbolic::derive(&model, &b, Form::Compact).unwrap();
        let mut worst: f64 = 0.0;
        for k in 0..10 {
            let mut v = random_values(&model, &mut rng);
            set(&model, &mut v, "mu_s_r", rng.uniform(-1.0, 1.0));
            let eq = equilibrium_parameters(&model, &b, &v);
            assert_eq!(eq[model.param("mu_s_r").unwrap().0], 0.0);
            let closed = compact_l(&model, &d, &eq);
            let numeric = onsager_l(&model, &eq, &b);
            let scale = numeric.amax();
            assert!(scale > 0.0);
            for i in 0..3 {
                for j in 0..3 {
                    let dev = (closed[3 * i + j] - numeric[(i, j)]).abs() / scale;
                    worst = worst.max(dev);
                    assert!(
                        dev <= 1e-12,
                        "{representation:?} point {k} L[{i}][{j}]: {} vs {}",
                        closed[3 * i + j],
                        numeric[(i, j)]
                    );
                }
            }
            if k < 3 {
                let r = check_derivation(&model, &d, &v, &b, 1e-9).unwrap();
                assert!(r.passed, "{representation:?} point {k}: {r:?}");
            }
        }
        eprintln!("{representation:?}: closed form vs exact linear response, worst {worst:.1e}");
    }
}

/// The spin Seebeck effect from the closed-form L: μ_s/ΔT = −B/T on both plateaus for every
/// p_l (a thermocouple per spin: the bare rates drop out), no spin accumulation without a
/// field, and the numeric open-circuit ratios (derivations/spin_seebeck) recovered.
#[test]
fn spin_seebeck_from_the_closed_form() {
    let model = spin_model();
    let b = ForceBasis::new(&model, Representation::Heat, model.default_references()).unwrap();
    let heat = symbolic::derive(&model, &b, Form::Compact).unwrap();
    let point = |eps: f64, field: f64, p: f64, t: f64| {
        let mut v = model.defaults();
        for (name, value) in [
            ("eps", eps),
            ("B", field),
            ("p_l", p),
            ("U", 4.0),
            ("T_l", t),
            ("T_r", t),
            ("mu_l", 0.0),
            ("mu_r", 0.0),
        ] {
            set(&model, &mut v, name, value);
        }
        model.complete(&v)
    };
    for p in [0.0, 0.5, 0.9] {
        for (eps, t) in [(2.0, 0.5), (-6.0, 0.5), (3.0, 0.25), (-8.0, 0.3)] {
            let field = 1.0;
            let v = point(eps, field, p, t);
            let (charge, spin) = open_circuit_closed_form(&model, &heat, &v).unwrap();
            // On a plateau only one addition energy per spin is thermally active: corrections
            // are of order e^{−(distance to the next addition energy)/T} ≤ e^{−3}·(…); the
            // closed form reaches −B/T to 1e-2 relative here.
            let expected = -field / t;
            assert!(
                (spin - expected).abs() <= 1e-2 * expected.abs(),
                "p_l {p}, eps {eps}, T {t}: mu_s/dT = {spin}, expected {expected}"
            );
            let (c_num, s_num) = open_circuit(&model, &v).unwrap();
            assert!(
                (spin - s_num).abs() <= 1e-10 * s_num.abs(),
                "{spin} vs {s_num}"
            );
            assert!(
                (charge - c_num).abs() <= 1e-10 * c_num.abs().max(1.0),
                "{charge} vs {c_num}"
            );
        }
        // No field, no open-circuit spin accumulation (p_l ≠ 0 or not).
        for eps in [-3.0, -2.0, -0.5, 1.0] {
            let (_, spin) =
                open_circuit_closed_form(&model, &heat, &point(eps, 0.0, p, 0.5)).unwrap();
            assert!(spin.abs() <= 1e-12, "B = 0, p_l {p}, eps {eps}: {spin}");
        }
    }
    // The plateau is approached exponentially: deeper into it, closer to −B/T.
    let dist = |eps: f64| {
        let (_, s) = open_circuit_closed_form(&model, &heat, &point(eps, 1.0, 0.5, 0.5)).unwrap();
        (s + 2.0).abs()
    };
    assert!(
        dist(4.0) < dist(3.0) && dist(3.0) < dist(2.0),
        "{} {} {}",
        dist(2.0),
        dist(3.0),
        dist(4.0)
    );
}
