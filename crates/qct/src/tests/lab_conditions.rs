//! Dilution-refrigerator conditions: β|ω − μ| up to ~10⁴ and bare rates over 12 decades,
//! against a high-precision reference.
//!
//! The reference is written here, independent of qct's [`Scaled`](crate::scaled::Scaled) arithmetic
//! and of its state reduction: numbers are [`BigFloat`]s (a 256-bit integer mantissa and an
//! unbounded exponent); the Boltzmann factor b = e^{−|x|} is evaluated from the exact
//! rational x = β(ω − μ) (Taylor series at x/2^s, then s squarings, each rounded to 256
//! bits); the steady state comes from the Markov-chain tree theorem, p_k ∝ Σ over the
//! spanning trees directed into k of the product of their rates — a sum of products of
//! positive numbers, so no cancellation at any spread of the rates. Instances are dyadic
//! (energies multiples of 1/64, T = 2^−k, γ = 2^j) so that x is exact in f64 as well: the
//! comparison measures the solver, not the conditioning of e^{−x} in its argument (relative
//! |x| · 1.1e-16 for inputs that are not exact in binary).
//!
//! Asserted: no refusal; probabilities to 1e-12 absolute; each lead's J_N and J_E to 1e-10
//! of its gross exchange (the reference's, which may lie below the f64 range: then the
//! current must vanish to within the smallest normal f64).

use super::properties::largest_exponent_of;
use super::proptest_runner;
use crate::currents::{lead_currents_scaled, steady_currents};
use crate::exact::{ExactPauli, Rational, rational, to_f64};
use crate::model::{Model, Role, builtin};
use crate::rates::Device;
use crate::steady_state::steady_state_scaled;
use num_bigint::{BigInt, Sign};
use num_traits::{One, Signed, Zero};
use proptest::prelude::*;

/// Bits kept by the multiprecision numbers.
const PRECISION: u64 = 256;

/// m · 2^e with |m| < 2^PRECISION (rounded toward zero after every operation).
#[derive(Debug, Clone)]
struct BigFloat {
    m: BigInt,
    e: i64,
}

impl BigFloat {
    fn zero() -> BigFloat {
        BigFloat {
            m: BigInt::zero(),
            e: 0,
        }
    }

    fn round(m: BigInt, e: i64) -> BigFloat {
        let excess = m.bits().saturating_sub(PRECISION);
        BigFloat {
            m: m >> excess,
            e: e + excess as i64,
        }
    }

    /// The exact value of a dyadic rational (an f64 or a power-of-two denominator).
    fn from_rational(q: &Rational) -> BigFloat {
        let shift = q.denom().bits() - 1;
        assert!(q.denom() == &(BigInt::one() << shift), "not dyadic");
        BigFloat::round(q.numer().clone(), -(shift as i64))
    }

    fn from_f64(x: f64) -> BigFloat {
        BigFloat::from_rational(&rational(x).unwrap())
    }

    fn mul(&self, o: &BigFloat) -> BigFloat {
        BigFloat::round(&self.m * &o.m, self.e + o.e)
    }

    fn add(&self, o: &BigFloat) -> BigFloat {
        if self.m.is_zero() {
            return o.clone();
        }
        if o.m.is_zero() {
            return self.clone();
        }
        let e = self.e.min(o.e);
        // Terms more than PRECISION + 64 bits below the larger one are dropped.
        let top = (self.e + self.m.bits() as i64).max(o.e + o.m.bits() as i64);
        let e = e.max(top - 2 * PRECISION as i64);
        let align = |x: &BigFloat| {
            if x.e >= e {
                &x.m << (x.e - e) as u64
            } else {
                &x.m >> (e - x.e) as u64
            }
        };
        BigFloat::round(align(self) + align(o), e)
    }

    fn neg(&self) -> BigFloat {
        BigFloat {
            m: -&self.m,
            e: self.e,
        }
    }

    /// self / o for o > 0, to PRECISION bits.
    fn div(&self, o: &BigFloat) -> BigFloat {
        BigFloat::round(
            (&self.m << (2 * PRECISION)) / &o.m,
            self.e - o.e - 2 * PRECISION as i64,
        )
    }

    fn abs(&self) -> BigFloat {
        BigFloat {
            m: self.m.abs(),
            e: self.e,
        }
    }

    /// log₂ |x| (−∞ for 0), accurate to ~1e-15 — enough to compare magnitudes.
    fn log2(&self) -> f64 {
        if self.m.is_zero() {
            return f64::NEG_INFINITY;
        }
        let bits = self.m.bits();
        let top = (self.m.abs() >> bits.saturating_sub(60))
            .to_string()
            .parse::<f64>()
            .unwrap();
        top.log2() + (bits.saturating_sub(60)) as f64 + self.e as f64
    }

    fn to_f64(&self) -> f64 {
        if self.m.is_zero() || self.log2() < -1100.0 {
            return 0.0;
        }
        let power = Rational::from_integer(BigInt::one() << self.e.unsigned_abs());
        let m = Rational::from_integer(self.m.clone());
        to_f64(&if self.e >= 0 { m * power } else { m / power })
    }

    fn is_negative(&self) -> bool {
        self.m.sign() == Sign::Minus
    }
}

/// e^{−y} for rational y ≥ 0, within ~2^−240 relative.
fn exp_minus(y: &Rational) -> BigFloat {
    // z = y / 2^s < 2^−8, so 40 Taylor terms are exact far below 2^−256.
    let mut s = 0u32;
    let mut z = y.clone();
    while z > Rational::new(1.into(), 256.into()) {
        z /= Rational::from_integer(2.into());
        s += 1;
    }
    let mut term = Rational::one();
    let mut sum = Rational::one();
    for k in 1..=40 {
        term = -term * &z / Rational::from_integer(k.into());
        sum += &term;
    }
    let mut x = BigFloat::round(
        (sum.numer() << (2 * PRECISION)) / sum.denom(),
        -2 * PRECISION as i64,
    );
    for _ in 0..s {
        x = x.mul(&x);
    }
    x
}

/// The reference rates (in, out) γ f, γ (1 − f) of every transition of `device`, from the
/// exact x = β(ω − μ) of the parameter values.
fn reference_rates(model: &Model, device: &Device, values: &[f64]) -> Vec<(BigFloat, BigFloat)> {
    let values: Vec<Rational> = values.iter().map(|&v| rational(v).unwrap()).collect();
    let energies = crate::exact::energies(model, &values);
    device
        .transitions
        .iter()
        .map(|t| {
            let lead = &model.leads[t.lead];
            let temperature = &values[lead.temperature.0];
            let mu = &values[lead.chemical_potential.0];
            let x = (&energies[t.to] - &energies[t.from] - mu) / temperature;
            let b = exp_minus(&x.abs());
            let one = BigFloat::from_f64(1.0);
            let denominator = one.add(&b);
            let (small, big) = (b.div(&denominator), one.div(&denominator));
            let gamma = BigFloat::from_f64(t.gamma);
            let (f, f_bar) = if x.is_positive() {
                (small, big)
            } else {
                (big, small)
            };
            (gamma.mul(&f), gamma.mul(&f_bar))
        })
        .collect()
}

/// Markov-chain tree theorem: p_k ∝ Σ_{trees T into k} Π_{(i→j) ∈ T} R_ij, enumerated by
/// letting every state i ≠ k choose one successor and keeping the choices that reach k.
fn tree_theorem(n: usize, rates: &[Vec<BigFloat>]) -> Vec<BigFloat> {
    let mut weights = vec![BigFloat::zero(); n];
    for (root, weight) in weights.iter_mut().enumerate() {
        let others: Vec<usize> = (0..n).filter(|&i| i != root).collect();
        let mut choice = vec![0usize; others.len()];
        'trees: loop {
            let mut next = vec![root; n];
            let mut product = BigFloat::from_f64(1.0);
            let mut positive = true;
            for (a, &i) in others.iter().enumerate() {
                next[i] = choice[a];
                if choice[a] == i || rates[i][choice[a]].m.is_zero() {
                    positive = false;
                }
            }
            if positive
                && others.iter().all(|&i| {
                    let mut at = i;
                    (0..n).any(|_| {
                        at = next[at];
                        at == root
                    })
                })
            {
                for &i in &others {
                    product = product.mul(&rates[i][next[i]]);
                }
                *weight = weight.add(&product);
            }
            for c in choice.iter_mut() {
                *c += 1;
                if *c < n {
                    continue 'trees;
                }
                *c = 0;
            }
            break;
        }
    }
    let total = weights.iter().fold(BigFloat::zero(), |a, w| a.add(w));
    weights.iter().map(|w| w.div(&total)).collect()
}

/// Reference steady state and per-lead (J_N, J_E, gross particle, gross energy exchange).
fn reference(
    model: &Model,
    device: &Device,
    values: &[f64],
) -> (Vec<BigFloat>, Vec<[BigFloat; 4]>) {
    let n = device.n_states;
    let rates_t = reference_rates(model, device, values);
    let mut rates = vec![vec![BigFloat::zero(); n]; n];
    for (t, (r_in, r_out)) in device.transitions.iter().zip(&rates_t) {
        rates[t.from][t.to] = rates[t.from][t.to].add(r_in);
        rates[t.to][t.from] = rates[t.to][t.from].add(r_out);
    }
    let p = tree_theorem(n, &rates);
    let mut currents = vec![std::array::from_fn(|_| BigFloat::zero()); model.leads.len()];
    for (t, (r_in, r_out)) in device.transitions.iter().zip(&rates_t) {
        let (inward, outward) = (r_in.mul(&p[t.from]), r_out.mul(&p[t.to]));
        let net = inward.add(&outward.neg());
        let gross = inward.add(&outward);
        let omega = BigFloat::from_f64(t.omega);
        let c: &mut [BigFloat; 4] = &mut currents[t.lead];
        c[0] = c[0].add(&net);
        c[1] = c[1].add(&omega.mul(&net));
        c[2] = c[2].add(&gross);
        c[3] = c[3].add(&omega.abs().mul(&gross));
    }
    (p, currents)
}

/// A dyadic instance: energies and μ multiples of 1/64 in [−16, 16], T = 2^−k (k ≤ 10,
/// down to ~10⁻³), γ = 2^j with j in [−20, 20] (12 decades).
fn instance(model: &Model, seeds: &[(i64, i64)]) -> Vec<f64> {
    dyadic_instance(model, seeds, 16, 10)
}

/// A dyadic instance: energies and μ multiples of 1/64 in [−`energy_max`, `energy_max`],
/// T = 2^−k with k ≤ `k_max`, γ = 2^j with j in [−20, 20] (12 decades), dimensionless
/// parameters in eighths.
pub(super) fn dyadic_instance(
    model: &Model,
    seeds: &[(i64, i64)],
    energy_max: i64,
    k_max: i64,
) -> Vec<f64> {
    model
        .parameters
        .iter()
        .zip(seeds.iter().cycle())
        .map(|(p, &(a, b))| match p.role {
            Role::Energy | Role::ChemicalPotential => (a % (64 * energy_max + 1)) as f64 / 64.0,
            Role::Temperature => 2f64.powi(-(b.rem_euclid(k_max + 1) as i32)),
            Role::Rate => 2f64.powi((a.rem_euclid(41) - 20) as i32),
            Role::Dimensionless => (a % 7) as f64 / 8.0,
        })
        .collect::<Vec<f64>>()
}

fn check_instance(name: &str, seeds: &[(i64, i64)]) -> Result<f64, TestCaseError> {
    let model = builtin::builtin(name).unwrap();
    let values = instance(&model, seeds);
    let device = Device::new(&model, &values).unwrap();
    let (p_ref, reference) = reference(&model, &device, &values);
    let (steady, currents) = steady_currents(&device)
        .map_err(|e| TestCaseError::fail(format!("{name} {values:?}: refused: {e}")))?;
    for (k, (p, q)) in steady.probabilities.iter().zip(&p_ref).enumerate() {
        prop_assert!(
            (p - q.to_f64()).abs() <= 1e-12,
            "{name} {values:?}: p_{k} = {p:e}, reference {:e}",
            q.to_f64()
        );
    }
    for (lead, (c, r)) in currents.iter().zip(&reference).enumerate() {
        for (what, got, exact, gross) in [
            ("J_N", c.particle, &r[0], &r[2]),
            ("J_E", c.energy, &r[1], &r[3]),
        ] {
            // |got − exact| ≤ 1e-10 gross, compared in log₂ (gross may be below the f64 range).
            let deviation = BigFloat::from_f64(got).add(&exact.neg()).abs();
            let allowed = gross.log2() + (1e-10f64).log2();
            prop_assert!(
                deviation.log2() <= allowed || deviation.log2() <= -1022.0,
                "{name} {values:?}: {what} of lead {lead} = {got:e}, reference {:e}, gross {:e}",
                exact.to_f64(),
                gross.to_f64()
            );
            prop_assert!(!deviation.is_negative());
        }
    }
    Ok(largest_exponent_of(&device))
}

/// Random dyadic instances of every two-dot built-in (and the single dot) at temperatures
/// down to 2⁻¹⁰ and rates over 12 decades: exact to 1e-12 / 1e-10, never refused; at least
/// a third of them reach β|ω − μ| > 10³ (the regime where rates underflow in f64).
#[test]
fn extreme_instances_agree_with_the_multiprecision_reference() {
    let strategy = (
        0usize..5,
        proptest::collection::vec((-1024i64..=1024, 0i64..=10), 16),
    );
    let extreme = std::cell::Cell::new(0usize);
    let largest = std::cell::Cell::new(0f64);
    proptest_runner::run(0x1ab, 96, 64, strategy, |(m, seeds)| {
        let name = builtin::NAMES[m];
        let x = check_instance(name, &seeds)?;
        if x > 1e3 {
            extreme.set(extreme.get() + 1);
        }
        largest.set(largest.get().max(x));
        Ok(())
    });
    eprintln!(
        "{} of 96 instances with beta |omega - mu| > 1e3; largest {:.3e}",
        extreme.get(),
        largest.get()
    );
    assert!(
        extreme.get() >= 32,
        "only {} extreme instances",
        extreme.get()
    );
    assert!(
        largest.get() > 1e4,
        "largest beta |omega - mu| {}",
        largest.get()
    );
}

/// The icc point of the issue (β|ω − μ| ~ 10³–10⁴, currents ~e^{−2000}): the values of
/// `model` (the `icc` built-in).
pub(super) fn issue_icc_point(model: &Model) -> Vec<f64> {
    let mut values = model.defaults();
    for (name, v) in [
        ("eps_b", -9.21),
        ("eps_u", 9.0),
        ("kappa_c", -9.38),
        ("kappa_s", -86.9),
        ("gamma_l0", 150.0),
        ("gamma_l1", 0.0168),
        ("gamma_r0", 0.0116),
        ("gamma_r1", 30346.0),
        ("gamma_u0", 438.0),
        ("gamma_u1", 10731.0),
        ("T_l", 0.034),
        ("T", 0.0283),
        ("mu_l", -0.859),
        ("mu_r", 0.204),
        ("mu_u", 0.913),
    ] {
        values[model.param(name).unwrap().0] = v;
    }
    values
}

/// The issue's cqd point with degenerate ground states B = |10⟩, C = |01⟩ (ε_b = ε_u = −3,
/// κ = 8, every T = 10⁻³, escape rates ~e^{−3000}) at lead l's chemical potential `mu_l`:
/// the values of `model` (the `cqd` built-in).
pub(super) fn degenerate_cqd_point(model: &Model, mu_l: f64) -> Vec<f64> {
    let mut values = model.defaults();
    for (name, x) in [
        ("eps_b", -3.0),
        ("eps_u", -3.0),
        ("kappa", 8.0),
        ("T_l", 1e-3),
        ("T_r", 1e-3),
        ("T_u", 1e-3),
        ("mu_l", mu_l),
    ] {
        values[model.param(name).unwrap().0] = x;
    }
    values
}

/// The issue's two examples. The icc point (β|ω − μ| ~ 10³–10⁴) agrees with the reference
/// without a refusal; the degenerate cqd ground states |10⟩, |01⟩ at T = 10⁻³ (every
/// escape rate ~e^{−3000}) get exactly ½, ½ at equilibrium (Gibbs: equal energies) with a
/// note on the astronomically slow relaxation, and at μ_l = 0.2 (the default) the ratio
/// p_B/p_C = 6 that the activated paths give by hand.
#[test]
fn the_issues_examples_are_solved_exactly() {
    // icc (values from the issue; not dyadic: the reference uses the exact rational x of
    // the f64 inputs, and x rounding in f64 costs ~x·1e-16 relative).
    let model = builtin::builtin("icc").unwrap();
    let values = issue_icc_point(&model);
    let device = Device::new(&model, &values).unwrap();
    let (steady, _) = steady_currents(&device).expect("not refused");
    let (p_ref, _) = reference(&model, &device, &values);
    for (p, q) in steady.probabilities.iter().zip(&p_ref) {
        assert!((p - q.to_f64()).abs() <= 1e-12, "{p:e} vs {:e}", q.to_f64());
    }
    // The exact oracle (`qct solve --exact`) at the same point, from qct's own Fermi factors
    // converted exactly: the same probabilities.
    let pauli = ExactPauli::at_point(&model, &values).unwrap();
    for (p, q) in steady
        .probabilities
        .iter()
        .zip(&pauli.steady_state().unwrap())
    {
        assert!((p - to_f64(q)).abs() <= 1e-15, "{p:e} vs {:e}", to_f64(q));
    }
    assert_eq!(steady.probabilities[1], 1.0); // |10⟩ holds all the weight

    // cqd with degenerate ground states B = |10⟩, C = |01⟩ (ε_b = ε_u = −3, κ = 8).
    let model = builtin::builtin("cqd").unwrap();
    let point = |mu_l: f64| Device::new(&model, &degenerate_cqd_point(&model, mu_l)).unwrap();
    let (steady, currents) = steady_currents(&point(0.0)).expect("not refused");
    let p = &steady.probabilities;
    assert!(p[0] == 0.0 && p[3] == 0.0, "{p:?}");
    assert!(
        (p[1] - 0.5).abs() < 1e-15 && (p[2] - 0.5).abs() < 1e-15,
        "{p:?}"
    );
    assert!(
        currents
            .iter()
            .all(|c| c.particle == 0.0 && c.energy == 0.0)
    );
    let slow = steady.slow_relaxation.expect("a slow-relaxation note");
    assert_eq!(slow.classes.len(), 2);
    // Escape from B: γ_l0 e^{−3000} + γ_r0 e^{−3000} (the dot b empties) and from C:
    // γ_u0 e^{−3000}, so log10 Γ ≈ −3000/ln 10 = −1302.9.
    let log10_e3000 = -3000.0 / std::f64::consts::LN_10;
    let mut escapes = slow.log10_escape_rates.clone();
    escapes.sort_by(f64::total_cmp);
    let expected_b = (1.2f64).log10() + log10_e3000;
    let expected_c = log10_e3000;
    assert!((escapes[0] - expected_c).abs() < 1e-9, "{escapes:?}");
    assert!((escapes[1] - expected_b).abs() < 1e-9, "{escapes:?}");
    assert!(slow.note().contains("astronomically slow"));

    // μ_l = 0.2: A is refilled at rate γ_l0 + γ_r0 = 1.2 into B and γ_u0 = 1 into C; B
    // empties through r at γ_r0 e^{−3000} (through l it costs e^{−3200}), C through u at
    // γ_u0 e^{−3000}. Flow balance B → A → C = C → A → B gives
    // p_B γ_r0 / 2.2 = p_C γ_u0 · 1.2 / 2.2, p_B/p_C = 1.2/0.2 = 6 (to e^{−200}).
    let (steady, _) = steady_currents(&point(0.2)).expect("not refused");
    let p = &steady.probabilities;
    assert!(
        (p[1] - 6.0 / 7.0).abs() < 1e-14 && (p[2] - 1.0 / 7.0).abs() < 1e-14,
        "{p:?}"
    );
}

/// `Scaled` exponent bookkeeping does not depend on the branch taken: the f64 fast path and
/// the scaled path give the same steady state where both apply (an ordinary point).
#[test]
fn fast_and_scaled_paths_agree_at_ordinary_points() {
    for name in builtin::NAMES {
        let model = builtin::builtin(name).unwrap();
        let device = Device::new(&model, &model.defaults()).unwrap();
        let (fast, fast_currents) = steady_currents(&device).unwrap();
        let fermi = device.scaled_occupations();
        let (scaled, p) =
            steady_state_scaled(&device.scaled_rate_matrix(&fermi), Model::state_label).unwrap();
        let currents = lead_currents_scaled(&device, &fermi, &p);
        for (a, b) in fast.probabilities.iter().zip(&scaled.probabilities) {
            assert!((a - b).abs() < 1e-15, "{name}: {a} vs {b}");
        }
        for (a, b) in fast_currents.iter().zip(&currents) {
            assert!(
                (a.particle - b.particle).abs() <= 1e-14 * a.gross_particle,
                "{name}"
            );
            assert!(
                (a.energy - b.energy).abs() <= 1e-14 * a.gross_energy,
                "{name}"
            );
        }
        assert!(fast.slow_relaxation.is_none() && scaled.slow_relaxation.is_none());
    }
}
