//! Edge cases (issue 5): non-unique steady states, zero rates that disconnect states, the
//! T → 0 limit, huge and tiny energies. Each case asserts either a correct answer, checked
//! against an independent closed form (occupied/empty limits, Fermi functions, Boltzmann
//! weights, the single-dot Onsager matrix), or a clear error naming the cause — never a
//! NaN and never a silent wrong number.

use qct::Error;
use qct::model::json::from_json;
use qct::model::{Model, builtin::builtin};
use qct::thermo::{ForceBasis, Representation};
use qct_cli::cli::apply_assignments;
use qct_cli::report::{onsager_report, solve_report, text};

fn sqd(set: &[&str]) -> (Model, Vec<f64>) {
    let m = builtin("sqd").unwrap();
    let sets: Vec<String> = set.iter().map(|s| s.to_string()).collect();
    let v = apply_assignments(&m, &sets).expect("valid assignments");
    (m, v)
}

fn basis(m: &Model) -> ForceBasis {
    ForceBasis::new(m, Representation::Energy, m.default_references()).unwrap()
}

fn probabilities(m: &Model, v: &[f64]) -> qct::Result<Vec<f64>> {
    Ok(m.solve(&m.parameters_at(v)?)?.probabilities)
}

/// L at the equilibrium of (m, v) in the energy representation (exact linear response).
fn onsager_matrix(m: &Model, v: &[f64]) -> nalgebra::DMatrix<f64> {
    m.onsager_in(&m.parameters_at(v).unwrap(), &basis(m))
        .unwrap()
        .l
}

fn no_non_finite_token(s: &str) -> bool {
    !s.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w.to_ascii_lowercase().as_str(), "nan" | "inf" | "infinity"))
}

/// The solve and onsager reports of (m, v): Ok with finite numbers (text checked), or Err.
fn reports(m: &Model, v: &[f64]) -> (qct::Result<String>, qct::Result<String>) {
    let b = basis(m);
    let s = solve_report(m, v, &b).map(|r| text::solve(&r));
    let o = onsager_report(m, v, &b).map(|r| text::onsager(&r));
    for t in [&s, &o].into_iter().flatten() {
        assert!(no_non_finite_token(t), "{t}");
    }
    (s, o)
}

fn close(a: f64, b: f64, rtol: f64) -> bool {
    (a - b).abs() <= rtol * a.abs().max(b.abs())
}

/// f(x) = 1/(1 + e^x), written independently of qct's `fermi`.
fn fermi(x: f64) -> f64 {
    if x > 0.0 {
        (-x).exp() / (1.0 + (-x).exp())
    } else {
        1.0 / (1.0 + x.exp())
    }
}

// ---------------------------------------------------------------------------------------
// Non-unique steady states and zero rates
// ---------------------------------------------------------------------------------------

const FROZEN_DOT: &str = r#"{"name": "frozen", "parameters": {"eps": 0.5, "g": 0.0, "T": 1.0, "mu": 0.0},
 "dots": [{"name": "d", "energy": "eps"}],
 "leads": [{"name": "l", "temperature": "T", "chemical_potential": "mu",
            "couplings": [{"dot": "d", "rate": "g"}]}]}"#;

/// A dot whose only rate is 0: both |0⟩ and |1⟩ are closed classes.
#[test]
fn zero_rate_freezes_a_dot() {
    let m = from_json(FROZEN_DOT, "frozen").unwrap();
    let e = probabilities(&m, &m.defaults()).unwrap_err();
    let msg = e.to_string();
    assert!(
        matches!(e, Error::NonUniqueSteadyState { count: 2, .. }),
        "{msg}"
    );
    assert!(
        msg.contains("{A}") && msg.contains("{B}"),
        "classes not named: {msg}"
    );
    assert!(msg.contains("zero bare rates"), "cause not named: {msg}");
    let (s, o) = reports(&m, &m.defaults());
    assert!(matches!(s, Err(Error::NonUniqueSteadyState { .. })));
    // NO_FORCES: a one-lead model has no forces; onsager is tested in
    // `onsager_without_forces` below.
    let _ = o;
}

/// Occupation-dependent rates that vanish: dot 1 cannot tunnel while dot 2 is occupied and
/// vice versa, so |11⟩ is a trap that no other state reaches: two closed classes,
/// {A, B, C} and {D}.
#[test]
fn zero_occupation_dependent_rates_make_a_trap() {
    let json = r#"{"name": "trap", "parameters": {"e1": 0.2, "e2": -0.1, "a": 1.0, "z": 0.0,
      "b": 0.7, "T": 1.0, "mu": 0.0},
     "dots": [{"name": "d1", "energy": "e1"}, {"name": "d2", "energy": "e2"}],
     "leads": [{"name": "l", "temperature": "T", "chemical_potential": "mu", "couplings": [
        {"dot": "d1", "rate": {"depends_on": ["d2"], "values": {"0": "a", "1": "z"}}},
        {"dot": "d2", "rate": {"depends_on": ["d1"], "values": {"0": "b", "1": "z"}}}]}]}"#;
    let m = from_json(json, "trap").unwrap();
    let e = probabilities(&m, &m.defaults()).unwrap_err();
    let msg = e.to_string();
    assert!(
        matches!(e, Error::NonUniqueSteadyState { count: 2, .. }),
        "{msg}"
    );
    assert!(msg.contains("{A,B,C}") && msg.contains("{D}"), "{msg}");
}

/// A zero rate that removes one path but leaves the chain irreducible: at equilibrium the
/// answer is still the Boltzmann distribution (detailed balance on every remaining edge).
/// And a zero rate that leaves states transient: they get p = 0 exactly.
#[test]
fn zero_rate_that_keeps_a_unique_state() {
    // Dot 2 tunnels only while dot 1 is occupied: A–C is cut, A–B–D–C remains.
    let json = r#"{"name": "cut", "parameters": {"e1": 0.3, "e2": -0.2, "U": 0.5, "a": 1.0,
      "z": 0.0, "b": 0.6, "T": 0.7, "mu": 0.1},
     "dots": [{"name": "d1", "energy": "e1"}, {"name": "d2", "energy": "e2"}],
     "interactions": [{"dots": ["d1", "d2"], "U": "U"}],
     "leads": [{"name": "l", "temperature": "T", "chemical_potential": "mu", "couplings": [
        {"dot": "d1", "rate": "a"},
        {"dot": "d2", "rate": {"depends_on": ["d1"], "values": {"0": "z", "1": "b"}}}]}]}"#;
    let m = from_json(json, "cut").unwrap();
    let p = probabilities(&m, &m.defaults()).unwrap();
    let (t, mu): (f64, f64) = (0.7, 0.1);
    let energies: [f64; 4] = [0.0, 0.3, -0.2, 0.3 - 0.2 + 0.5];
    let n: [f64; 4] = [0.0, 1.0, 1.0, 2.0];
    let w: Vec<f64> = (0..4)
        .map(|k| (-(energies[k] - mu * n[k]) / t).exp())
        .collect();
    let z: f64 = w.iter().sum();
    for k in 0..4 {
        assert!(
            close(p[k], w[k] / z, 1e-13),
            "p_{k} = {} vs Boltzmann {}",
            p[k],
            w[k] / z
        );
    }

    // Transient states: a dot that can only be emptied (its lead's f = 0 exactly: the
    // rate in underflows at β(ε − μ) = 1e6) but is also coupled nowhere else — p(|1⟩) = 0.
    let (m, v) = sqd(&["eps=1e3", "T_l=1e-3", "T_r=1e-3", "mu_l=0", "mu_r=0"]);
    let p = probabilities(&m, &v).unwrap();
    assert_eq!(p, vec![1.0, 0.0]);
}

/// Rates that underflow in f64 at low temperature no longer split the states: two
/// degenerate ground states |10⟩ and |01⟩ (ε = −1, U = 10) with every escape rate
/// e^{−1000} (≈ 10⁻⁴³⁴, below the f64 range) get ½, ½ — the Gibbs state — with a note on
/// the astronomically slow relaxation. Beyond β|ω − μ| = 10¹⁵ rates count as zero
/// (the inputs' rounding leaves no digit of them) and qct says so.
#[test]
fn underflowing_rates_are_resolved_and_diagnosed() {
    let json = |t: &str| {
        format!(
            r#"{{"name": "degenerate", "parameters": {{"e": -1.0, "U": 10.0, "g": 1.0,
      "T": {t}, "mu": 0.0}},
     "dots": [{{"name": "d1", "energy": "e"}}, {{"name": "d2", "energy": "e"}}],
     "interactions": [{{"dots": ["d1", "d2"], "U": "U"}}],
     "leads": [{{"name": "l", "temperature": "T", "chemical_potential": "mu", "couplings": [
        {{"dot": "d1", "rate": "g"}}, {{"dot": "d2", "rate": "g"}}]}}]}}"#
        )
    };
    let m = from_json(&json("1e-3"), "degenerate").unwrap();
    let p = probabilities(&m, &m.defaults()).unwrap();
    assert_eq!(p, vec![0.0, 0.5, 0.5, 0.0]);
    let solution = m.solve(&m.parameters_at(&m.defaults()).unwrap()).unwrap();
    let note = solution.notes.first().expect("slow relaxation");
    assert!(note.contains("{B}") && note.contains("{C}"), "{note}");

    let m = from_json(&json("1e-18"), "degenerate").unwrap();
    let e = probabilities(&m, &m.defaults()).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, Error::NonUniqueSteadyState { .. }), "{msg}");
    assert!(msg.contains("{B}") && msg.contains("{C}"), "{msg}");
    assert!(msg.contains("exp(-1e15)"), "the cause is not named: {msg}");
}

/// NO_FORCES: `qct onsager` on a model without independent forces (one lead).
#[test]
fn onsager_without_forces() {
    let json = r#"{"name": "one_lead", "parameters": {"eps": 0.3, "g": 1.0, "T": 1.0, "mu": 0.0},
     "dots": [{"name": "d", "energy": "eps"}],
     "leads": [{"name": "l", "temperature": "T", "chemical_potential": "mu",
                "couplings": [{"dot": "d", "rate": "g"}]}]}"#;
    let m = from_json(json, "one_lead").unwrap();
    let r = std::panic::catch_unwind(|| onsager_report(&m, &m.defaults(), &basis(&m)).map(|_| ()));
    assert!(r.is_ok(), "onsager_report panicked");
}

// ---------------------------------------------------------------------------------------
// T → 0
// ---------------------------------------------------------------------------------------

/// T = 1e-3 with O(1) energies: p_occupied = f(β(ε − μ)) to full relative precision even
/// at e^{−500}, and finite reports.
#[test]
fn low_temperature_single_dot() {
    for eps in [0.5, -0.5, 0.05, -0.3] {
        let t = 1e-3;
        let (m, v) = sqd(&[
            &format!("eps={eps}"),
            "T_l=1e-3",
            "T_r=1e-3",
            "mu_l=0",
            "mu_r=0",
            "gamma_l=0.3",
        ]);
        let p = probabilities(&m, &v).unwrap();
        let f = fermi(eps / t);
        let f_bar = fermi(-eps / t);
        assert!(
            close(p[1], f, 1e-12),
            "eps {eps}: p1 = {:e} vs f = {f:e}",
            p[1]
        );
        assert!(
            close(p[0], f_bar, 1e-12),
            "eps {eps}: p0 = {:e} vs {f_bar:e}",
            p[0]
        );
        let (s, o) = reports(&m, &v);
        s.unwrap();
        o.unwrap();
    }
}

/// The single-dot Onsager matrix at T = 1e-3 in closed form: L_NN = G f(1 − f),
/// L_NE = ε L_NN, L_EE = ε² L_NN (G = γ_l γ_r/(γ_l + γ_r), energy representation), to
/// relative precision although f(1 − f) = e^{−500} ≈ 7e-218 (a normal double). Passes at
/// commit 00e5756 (LU linear response); the uncommitted cycle-form `linear_response` of the
/// working tree returns L = 0 at ε = 0.5 (`qct onsager sqd --set eps=0.5 --set T_l=1e-3
/// --set T_r=1e-3 --set mu_l=0 --set mu_r=0` prints a zero matrix).
#[test]
fn low_temperature_single_dot_onsager_matrix() {
    for eps in [0.5, -0.5, 0.05, -0.3] {
        let t = 1e-3;
        let (m, v) = sqd(&[
            &format!("eps={eps}"),
            "T_l=1e-3",
            "T_r=1e-3",
            "mu_l=0",
            "mu_r=0",
            "gamma_l=0.3",
        ]);
        let (f, f_bar) = (fermi(eps / t), fermi(-eps / t));
        let l = onsager_matrix(&m, &v);
        let g = 0.3 * 1.0 / 1.3;
        let lnn = g * f * f_bar;
        // Fluxes: J_N^l, J_E^l; forces F_N^l, F_E^l.
        let want = [[lnn, eps * lnn], [eps * lnn, eps * eps * lnn]];
        for i in 0..2 {
            for j in 0..2 {
                assert!(
                    close(l[(i, j)], want[i][j], 1e-9),
                    "eps {eps}: L[{i},{j}] = {:e} vs {:e}",
                    l[(i, j)],
                    want[i][j]
                );
            }
        }
    }
}

/// T → 0 with a bias: f_l = 1, f_r = 0 exactly, p_occupied = γ_l/(γ_l + γ_r), J_N = G,
/// J_E^l = ε G, Σ̇ = −Σ β J_Q (huge but finite).
#[test]
fn zero_temperature_limit_with_bias() {
    for t in ["1e-3", "1e-6", "1e-12"] {
        let (m, v) = sqd(&[
            "eps=0.5",
            "mu_l=1",
            "mu_r=0",
            &format!("T_l={t}"),
            &format!("T_r={t}"),
            "gamma_l=0.3",
            "gamma_r=1.2",
        ]);
        let solution = m.solve(&m.parameters_at(&v).unwrap()).unwrap();
        let (p, c) = (&solution.probabilities, &solution.currents);
        assert!(close(p[1], 0.3 / 1.5, 1e-14), "T {t}: p1 = {}", p[1]);
        let g = 0.3 * 1.2 / 1.5;
        assert!(close(c[0].particle, g, 1e-14) && close(c[1].particle, -g, 1e-14));
        assert!(close(c[0].energy, 0.5 * g, 1e-14));
        let (s, _) = reports(&m, &v);
        s.unwrap();
    }
}

/// T = 1e-6 and O(1) energies at equilibrium: every rate into the empty level underflows to
/// 0; the answer p = (1, 0), J = 0, L = 0 is correct to f64 (the exact values are e^{−5e5}).
#[test]
fn extreme_low_temperature_equilibrium() {
    let (m, v) = sqd(&["eps=0.5", "T_l=1e-6", "T_r=1e-6", "mu_l=0", "mu_r=0"]);
    assert_eq!(probabilities(&m, &v).unwrap(), vec![1.0, 0.0]);
    let l = onsager_matrix(&m, &v);
    assert!(l.iter().all(|&x| x == 0.0), "{l}");
    let (s, o) = reports(&m, &v);
    s.unwrap();
    o.unwrap();
}

/// GTH_RANGE: the level 0.72 below μ at T = 1e-3 (β(ε − μ) = −720): the exact answer is
/// p_occupied = 1, p_empty = e^{−720} ≈ 1.5e-313, but the state reduction normalises at the
/// empty state and p_occupied/p_empty = e^{720} overflows: qct answers "non-finite result in
/// the steady state". (At −700 and −750 it is right.)
#[test]
fn steady_state_spanning_more_than_f64_range() {
    for eps in ["-0.70", "-0.72", "-0.74", "-0.75"] {
        let (m, v) = sqd(&[
            &format!("eps={eps}"),
            "T_l=1e-3",
            "T_r=1e-3",
            "mu_l=0",
            "mu_r=0",
        ]);
        let p = probabilities(&m, &v).unwrap_or_else(|e| panic!("eps {eps}: {e}"));
        let x: f64 = eps.parse::<f64>().unwrap() / 1e-3;
        assert!(close(p[1], 1.0, 1e-15), "eps {eps}: {p:?}");
        assert!(
            (p[0] - x.exp()).abs() <= 1e-12 * x.exp() + 1e-320,
            "eps {eps}: {p:?}"
        );
    }
}

/// The same window without the bug's symptom: either side of it, correct answers.
#[test]
fn steady_state_just_outside_the_overflow_window() {
    for (eps, empty) in [(-0.70f64, (-700.0f64).exp()), (-0.75, 0.0)] {
        let (m, v) = sqd(&[
            &format!("eps={eps}"),
            "T_l=1e-3",
            "T_r=1e-3",
            "mu_l=0",
            "mu_r=0",
        ]);
        let p = probabilities(&m, &v).unwrap();
        assert!(close(p[1], 1.0, 1e-15), "eps {eps}: {p:?}");
        assert!((p[0] - empty).abs() <= 1e-12 * empty, "eps {eps}: {p:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Huge and tiny energies
// ---------------------------------------------------------------------------------------

/// Levels far above or below μ: the empty / occupied limit, exactly, with finite output.
#[test]
fn huge_level_energies_give_the_empty_or_occupied_limit() {
    for (eps, occupied) in [("1e6", 0.0), ("-1e6", 1.0), ("1e300", 0.0), ("-1e300", 1.0)] {
        let (m, v) = sqd(&[&format!("eps={eps}")]);
        let p = probabilities(&m, &v).unwrap();
        assert_eq!(p, vec![1.0 - occupied, occupied], "eps {eps}");
        let (s, o) = reports(&m, &v);
        // Currents are exactly 0 (rates underflow), Σ̇ = 0; L = 0 at equilibrium.
        s.unwrap_or_else(|e| panic!("eps {eps}: {e}"));
        o.unwrap_or_else(|e| panic!("eps {eps}: {e}"));
    }
}

/// Energies whose sum overflows (E(|11⟩) = 3e308 = ∞): J_E would be ∞ × 0 = NaN. qct must
/// refuse with a clear error, never print NaN.
#[test]
fn overflowing_energies_are_refused() {
    let json = r#"{"name": "huge", "parameters": {"e": 1e308, "U": 1e308, "g": 1.0,
      "T_l": 1.0, "T_r": 2.0, "mu_l": 0.0, "mu_r": 0.0},
     "dots": [{"name": "d1", "energy": "e"}, {"name": "d2", "energy": "e"}],
     "interactions": [{"dots": ["d1", "d2"], "U": "U"}],
     "leads": [{"name": "l", "temperature": "T_l", "chemical_potential": "mu_l", "couplings": [
        {"dot": "d1", "rate": "g"}, {"dot": "d2", "rate": "g"}]},
               {"name": "r", "temperature": "T_r", "chemical_potential": "mu_r", "couplings": [
        {"dot": "d1", "rate": "g"}, {"dot": "d2", "rate": "g"}]}]}"#;
    let m = from_json(json, "huge").unwrap();
    let (s, o) = reports(&m, &m.defaults());
    for r in [s, o] {
        match r {
            Ok(_) => {} // finite output (checked by `reports`)
            Err(e) => {
                assert!(matches!(e, Error::NonFinite(_)), "{e}");
                assert!(e.to_string().contains("outside the range"), "{e}");
            }
        }
    }
}

/// A chemical potential so large that β μ overflows: the force F_N = β_l μ_l − β_r μ_r is
/// infinite. A clean error or finite output, never NaN.
#[test]
fn overflowing_forces_are_refused() {
    let (m, v) = sqd(&["mu_l=1e300", "T_l=1e-10"]);
    let (s, o) = reports(&m, &v);
    for r in [s, o] {
        if let Err(e) = r {
            assert!(matches!(e, Error::NonFinite(_)), "{e}");
        }
    }
}

/// Tiny energies: ε = 1e-300 at T = 1 is half filled; ε = 1e-300 at T = 1e-300 has
/// β ε = 1 and p_occupied = f(1) = 1/(1 + e) exactly; T below 1e-308 is rejected (β would
/// overflow) with the fix named.
#[test]
fn tiny_energies_and_temperatures() {
    let (m, v) = sqd(&["eps=1e-300", "T_l=1", "T_r=1", "mu_l=0", "mu_r=0"]);
    let p = probabilities(&m, &v).unwrap();
    assert!(close(p[1], 0.5, 1e-15), "{p:?}");
    let (m, v) = sqd(&["eps=1e-300", "T_l=1e-300", "T_r=1e-300", "mu_l=0", "mu_r=0"]);
    let p = probabilities(&m, &v).unwrap();
    assert!(close(p[1], fermi(1.0), 1e-14), "{p:?} vs {}", fermi(1.0));
    let (s, o) = reports(&m, &v);
    s.unwrap();
    o.unwrap();
    // Subnormal level: ε = 5e-324 at T = 1: f(5e-324) = 0.5.
    let (m, v) = sqd(&["eps=5e-324", "T_l=1", "T_r=1", "mu_l=0", "mu_r=0"]);
    assert!(close(probabilities(&m, &v).unwrap()[1], 0.5, 1e-15));
    // T = 1e-310: β = 1e310 overflows.
    let m = builtin("sqd").unwrap();
    let e = apply_assignments(&m, &["T_l=1e-310".to_string()]).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("temperature too small") && msg.contains("1e-300"),
        "{msg}"
    );
    assert!(no_non_finite_token(&msg), "{msg}");
}

/// Non-finite inputs are refused before any computation, and the message does not print
/// NaN or inf.
#[test]
fn non_finite_inputs_are_refused() {
    let m = builtin("cqd").unwrap();
    for value in ["NaN", "inf", "-inf", "1e999"] {
        let e = apply_assignments(&m, &[format!("eps_b={value}")]).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, Error::BadValue { .. }), "{value}: {msg}");
        assert!(
            msg.contains("eps_b") && no_non_finite_token(&msg),
            "{value}: {msg}"
        );
    }
}

/// One dot, three leads at T = 1e-3, the reference lead at β(ε − μ) ≈ −719: at the
/// equilibrium every L entry is ~1e-316 (subnormal). Found by the strict property test
/// (`crates/qct/src/tests/properties.rs`); the report used to fail with "non-finite result
/// in the Onsager report". L has rank 2 (one dot: J_E = ε J_N for every lead), so det L = 0.
#[test]
fn onsager_report_with_a_subnormal_matrix() {
    let model = from_json(
        r#"{"name": "random",
            "parameters": {"eps_1": -1.148591267794614, "g_1_1": 0.001, "T_1": 0.001,
                           "mu_1": -1.148591267794614, "g_2_1": 0.001, "T_2": 0.001,
                           "mu_2": -1.148591267794614, "g_3_1": 0.001,
                           "T_3": 0.0025456645946589796, "mu_3": 0.6825248571652275},
            "dots": [{"name": "d1", "energy": "eps_1"}],
            "leads": [
              {"name": "L1", "temperature": "T_1", "chemical_potential": "mu_1",
               "couplings": [{"dot": "d1", "rate": "g_1_1"}]},
              {"name": "L2", "temperature": "T_2", "chemical_potential": "mu_2",
               "couplings": [{"dot": "d1", "rate": "g_2_1"}]},
              {"name": "L3", "temperature": "T_3", "chemical_potential": "mu_3",
               "couplings": [{"dot": "d1", "rate": "g_3_1"}]}]}"#,
        "subnormal.json",
    )
    .unwrap();
    let values = model.defaults();
    let basis = basis(&model);
    let r = onsager_report(&model, &values, &basis).expect("a finite Onsager report");
    let largest = r.l.iter().flatten().fold(0.0f64, |m, x| m.max(x.abs()));
    assert!(
        largest > 0.0 && largest < f64::MIN_POSITIVE,
        "L is subnormal: {largest:e}"
    );
    assert_eq!(r.determinant, 0.0);
    // Rank 2: two eigenvalues of (L + Lᵀ)/2 vanish against the largest, two are positive.
    let top = r.eigenvalues[3];
    assert!(
        r.eigenvalues[..2].iter().all(|e| e.abs() <= 1e-6 * top),
        "{:?}",
        r.eigenvalues
    );
    assert!(r.eigenvalues[2] > 1e-3 * top, "{:?}", r.eigenvalues);
    assert!(no_non_finite_token(&text::onsager(&r)));
}

/// One rounding-zero rule (the library's, as in `Model::solve`) in `qct solve`: at equilibrium every current,
/// flux and both Σ̇ print as exactly 0 (not ±1e-17; the conservation residuals still show
/// the unrounded rounding), while a bias of 1e-4 — far above rounding (Σ̇ ~ 1e-9, second
/// order, against a scale ~0.3) — is printed.
#[test]
fn solve_prints_rounding_zeros_as_zero() {
    let model = builtin("cqd").unwrap();
    let at = |mu_l: &str| {
        let set: Vec<String> = ["T_l=1", "T_r=1", "T_u=1", "eps_b=0.3", "eps_u=-0.7"]
            .iter()
            .map(|s| s.to_string())
            .chain([format!("mu_l={mu_l}")])
            .collect();
        let values = apply_assignments(&model, &set).unwrap();
        solve_report(&model, &values, &basis(&model)).unwrap()
    };
    let r = at("0");
    for lead in &r.leads {
        let printed = [
            lead.particle_current,
            lead.energy_current,
            lead.heat_current,
        ];
        assert!(
            printed.iter().all(|&x| x == 0.0 && x.is_sign_positive()),
            "{printed:?}"
        );
    }
    assert!(r.fluxes.iter().all(|f| f.value == 0.0));
    assert_eq!(r.entropy_production.minus_sum_beta_heat, 0.0);
    assert_eq!(r.entropy_production.sum_forces_fluxes, 0.0);
    assert!(r.conservation.energy < 1e-15);
    let r = at("1e-4");
    assert!(r.leads[0].particle_current != 0.0 && r.leads[1].particle_current != 0.0);
    assert!(r.entropy_production.minus_sum_beta_heat > 0.0);
    let sigma = r.entropy_production.minus_sum_beta_heat;
    assert!((r.entropy_production.sum_forces_fluxes - sigma).abs() <= 1e-4 * sigma);
}
