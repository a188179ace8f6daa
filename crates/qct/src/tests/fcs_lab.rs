//! Counting statistics at dilution-refrigerator conditions (issue 16): β|ω − μ| up to ~10⁴,
//! where rates such as γ e^{−β(ω−μ)} underflow in f64 and the f64 recursion refused points
//! ("the generator's closed class is not irreducible").
//!
//! The reference is the same recursion over ℚ ([`crate::fcs::exact`]) on the exact Pauli
//! problem of qct's own Fermi factors (each [`crate::scaled::Scaled`] factor m · 2^e converted
//! exactly): every rate, probability and cumulant is an exact rational, whatever its size.
//! The Fermi factors themselves are checked against a 256-bit evaluation of e^{−x} in
//! the lab-conditions tests; here the arithmetic of the recursion is what is measured.
//! Asserted on random dyadic instances of the five built-ins: no refusal; every mean equal
//! to the steady-state current; every variance ≥ 0; every noise entry within
//! 1e-10 max(√(G_i G_j), √(S_ii S_jj)) of the exact one (G_i = Σ_t d_t² (k_in p_from +
//! k_out p_to), the Poissonian scale, exact too); the TUR ⟨⟨J J⟩⟩ Σ̇ / ⟨J⟩² ≥ 2. At the equilibrium of millikelvin points the flux
//! noise is 2 L (fluctuation–dissipation, S = 2 k_B T G for the charge current).

use crate::currents::steady_currents;
use crate::exact::{ExactPauli, Rational, rational};
use crate::fcs::{Statistics, entropy_counter, exact as fcs_exact, flux_counters, lead_counters};
use crate::model::{Model, builtin};
use crate::onsager::linear_response;
use crate::rates::Device;
use crate::thermo::{ForceBasis, Representation, entropy_production, equilibrium_parameters};
use num_traits::{Signed, Zero};
use proptest::prelude::*;

use super::proptest_runner;

/// A dyadic instance: energies and μ multiples of 1/64 in [−4, 4], T = 2^−k (k ≤ 9, down to
/// ~2 · 10⁻³, so β|ω − μ| up to ~4 · 10³ and exact rationals of a few thousand bits), γ = 2^j
/// with j in [−20, 20] (12 decades).
fn instance(model: &Model, seeds: &[(i64, i64)]) -> Vec<f64> {
    super::lab_conditions::dyadic_instance(model, seeds, 4, 9)
}

/// True when some positive rate γ f or γ (1 − f) of the device underflows in f64.
fn underflows(device: &Device) -> bool {
    device
        .transitions
        .iter()
        .zip(device.occupations())
        .any(|(t, (f, f_bar))| {
            t.gamma > 0.0
                && (t.gamma * f < f64::MIN_POSITIVE || t.gamma * f_bar < f64::MIN_POSITIVE)
        })
}

/// What one instance showed: (rates underflow in f64, some noise entry is resolved ≠ 0).
fn check_instance(model: &Model, values: &[f64]) -> Result<(bool, bool), TestCaseError> {
    let name = &model.name;
    let device = Device::new(model, values).unwrap();
    let stats = Statistics::new(&device)
        .map_err(|e| TestCaseError::fail(format!("{name} {values:?}: refused: {e}")))?;
    let counters = lead_counters(model, &device);
    let noise = stats.noise(&counters);
    let (_, currents) = steady_currents(&device).unwrap();

    // Means: the steady-state currents, to 1e-12 of the gross transfer.
    for (l, c) in currents.iter().enumerate() {
        for (k, mean) in [c.particle, c.energy, c.heat].into_iter().enumerate() {
            let i = 3 * l + k;
            prop_assert!(
                (noise.means[i] - mean).abs() <= 1e-12 * noise.gross[i] + f64::MIN_POSITIVE,
                "{name} {values:?}: <{}> = {:e}, steady state {mean:e}",
                counters[i].name,
                noise.means[i]
            );
        }
    }

    // The exact recursion on the same rates.
    let pauli = ExactPauli::at_point(model, values).unwrap();
    let (process, jump_of) = fcs_exact::process(&pauli).unwrap();
    let increments: Vec<Vec<Rational>> = counters
        .iter()
        .map(|c| {
            let d: Vec<Rational> = c.increments.iter().map(|&x| rational(x).unwrap()).collect();
            crate::fcs::recursion::jump_increments(&jump_of, &d)
        })
        .collect();
    let (_, exact) = process.second_cumulants(&increments);
    let p = process.steady_state();
    let gross_square: Vec<Rational> = increments
        .iter()
        .map(|d| {
            process
                .jumps()
                .iter()
                .zip(d)
                .fold(Rational::zero(), |sum, (j, d)| {
                    sum + d * d * (&j.rate_in * &p[j.from] + &j.rate_out * &p[j.to])
                })
        })
        .collect();
    let tolerance = rational(1e-20).unwrap();
    let floor = rational(f64::MIN_POSITIVE).unwrap();
    let mut resolved = false;
    for i in 0..counters.len() {
        prop_assert!(noise.variance(i) >= 0.0, "{name}: negative variance");
        for j in 0..counters.len() {
            let got = noise.matrix[(i, j)];
            resolved |= got != 0.0;
            // (S − S_exact)² ≤ 1e-20 max(G_i G_j, S_ii S_jj) (the noise of a slowly switching
            // current exceeds its Poissonian part G), or S_exact below the f64 range and S = 0.
            let deviation = rational(got).unwrap() - &exact[i][j];
            let poisson = &gross_square[i] * &gross_square[j];
            let variances = &exact[i][i] * &exact[j][j];
            let allowed = &tolerance
                * if poisson > variances {
                    poisson
                } else {
                    variances
                };
            prop_assert!(
                &deviation * &deviation <= allowed || (got == 0.0 && exact[i][j].abs() < floor),
                "{name} {values:?}: S[{}, {}] = {got:e}, exact {:e}",
                counters[i].name,
                counters[j].name,
                crate::exact::to_f64(&exact[i][j])
            );
        }
    }

    // TUR for every resolved current.
    let sigma = entropy_production(&device.leads, &currents);
    for i in 0..counters.len() {
        if let Some(ratio) = noise.tur(i, sigma) {
            prop_assert!(
                ratio >= 2.0 * (1.0 - 1e-9),
                "{name} {values:?}: TUR of {} = {ratio}",
                counters[i].name
            );
        }
    }
    Ok((underflows(&device), resolved))
}

/// Random dyadic instances of the five two-state and four-state built-ins down to T = 2⁻¹⁰
/// with rates over 12 decades: never refused, exact to 1e-10 of the scale above. Enough of them have
/// rates that underflow in f64 while some noise is still resolved (the points the f64
/// recursion refused or got wrong).
/// Instances of the random test (each exact recursion on rationals of up to ~10⁴ bits takes
/// a second or more).
const CASES: u32 = 16;

#[test]
fn noise_at_millikelvin_ratios_agrees_with_the_exact_recursion() {
    let strategy = (
        0usize..5,
        proptest::collection::vec((-1024i64..=1024, 0i64..=10), 16),
    );
    let counts = std::cell::Cell::new((0usize, 0usize));
    proptest_runner::run(0xfc5_1ab, CASES, 8, strategy, |(m, seeds)| {
        let model = builtin::builtin(builtin::NAMES[m]).unwrap();
        let values = instance(&model, &seeds);
        let (underflow, resolved) = check_instance(&model, &values)?;
        let (a, b) = counts.get();
        counts.set((
            a + usize::from(underflow),
            b + usize::from(underflow && resolved),
        ));
        Ok(())
    });
    let (underflow, resolved) = counts.get();
    eprintln!(
        "{underflow} of {CASES} instances with underflowing rates, {resolved} of them with resolved noise"
    );
    assert!(
        underflow >= CASES as usize / 4 && resolved >= 2,
        "{underflow}, {resolved}"
    );
}

/// Fluctuation–dissipation at millikelvin equilibria: cqd at T = 2⁻⁸ (4 mK against a meV)
/// with dot b at β ε_b = 32 (activated, still conducting) and dot u at β ε_u = 2560 (its
/// rates underflow in f64): ⟨⟨J_i J_j⟩⟩ = 2 L_ij to 1e-10 of max|L|, and the charge noise of
/// lead l is 2 k_B T G with G = L_NN / T (here e = k_B = 1).
#[test]
fn fluctuation_dissipation_at_millikelvin_equilibria() {
    let model = builtin::builtin("cqd").unwrap();
    let mut values = model.defaults();
    let temperature = 2f64.powi(-8);
    for (name, x) in [
        ("eps_b", 0.125),
        ("eps_u", 10.0),
        ("kappa", 0.5),
        ("T_l", temperature),
        ("T_r", temperature),
        ("T_u", temperature),
        ("mu_l", 0.0),
        ("mu_r", 0.0),
        ("mu_u", 0.0),
    ] {
        values[model.param(name).unwrap().0] = x;
    }
    let mut underflowing = 0;
    for representation in [Representation::Energy, Representation::Heat] {
        let basis = ForceBasis::new(&model, representation, model.default_references()).unwrap();
        let eq = equilibrium_parameters(&model, &basis, &values);
        let device = Device::new(&model, &eq).unwrap();
        underflowing += usize::from(underflows(&device));
        let l = linear_response(&device, &basis).unwrap();
        let noise = Statistics::new(&device)
            .expect("not refused")
            .noise(&flux_counters(&device, &basis));
        let scale = l.amax();
        assert!(scale > 0.0 && scale < 1e-10, "L is activated: {scale:e}");
        for i in 0..basis.len() {
            for j in 0..basis.len() {
                let deviation = (noise.matrix[(i, j)] - 2.0 * l[(i, j)]).abs();
                assert!(
                    deviation <= 1e-10 * scale,
                    "{representation:?} ({i},{j}): S = {:e}, 2L = {:e}",
                    noise.matrix[(i, j)],
                    2.0 * l[(i, j)]
                );
            }
        }
        // S_N^l = 2 k_B T G with G = L_NN / T: the particle noise of lead l is 2 L_NN.
        let charge = Statistics::new(&device)
            .unwrap()
            .noise(&lead_counters(&model, &device));
        let g = l[(0, 0)] / temperature;
        assert!((charge.variance(0) - 2.0 * temperature * g).abs() <= 1e-10 * scale);
    }
    assert_eq!(underflowing, 2, "dot u's rates must underflow in f64");
}

/// The issue's two examples: the counting statistics is no longer refused. The icc point's
/// currents are ~e^{−2000} and the degenerate cqd ground states' escape rates ~e^{−3000}:
/// every mean (equal to the steady-state current) and every cumulant is 0 in f64.
#[test]
fn the_issues_examples_have_counting_statistics() {
    let model = builtin::builtin("icc").unwrap();
    let values = super::lab_conditions::issue_icc_point(&model);
    all_zero(&model, &values);

    let model = builtin::builtin("cqd").unwrap();
    let values = super::lab_conditions::degenerate_cqd_point(&model, 0.0);
    all_zero(&model, &values);
}

/// Every mean, noise entry and cumulant at the point is 0, as are the steady-state currents.
fn all_zero(model: &Model, values: &[f64]) {
    let device = Device::new(model, values).unwrap();
    let stats = Statistics::new(&device).expect("not refused");
    let (_, currents) = steady_currents(&device).unwrap();
    assert!(
        currents
            .iter()
            .all(|c| c.particle == 0.0 && c.energy == 0.0)
    );
    let noise = stats.noise(&lead_counters(model, &device));
    assert!(noise.means.iter().all(|&x| x == 0.0));
    assert!(noise.matrix.iter().all(|&x| x == 0.0));
    assert_eq!(stats.cumulants(&entropy_counter(&device), 4), vec![0.0; 4]);
}
