//! Full counting statistics (issue 13), the recursion against independent routes: the
//! recursive cumulants against the mean currents, hand-worked closed forms of the single
//! level, Poissonian limits, the fluctuation–dissipation theorem (equilibrium noise = 2 L
//! from linear response), the thermodynamic uncertainty relation over thousands of random
//! points of every built-in and example model, the exact rational oracle, an independent
//! route through the eigenvalue of W(s), the Gallavotti–Cohen symmetry C(s) = C(−1 − s) of
//! the entropy counter and the second-order fluctuation–response relation. The command
//! line's `noise`, `fcs` and the closed forms are tested in `crates/qct-cli/tests/fcs.rs`.

use super::common::example_models;
use super::proptest_runner;
use crate::currents::steady_currents;
#[cfg(feature = "exact")]
use crate::exact::{ExactPauli, rational, to_f64};
#[cfg(feature = "exact")]
use crate::fcs::exact as fcs_exact;
use crate::fcs::{Statistics, entropy_counter, flux_counters, lead_counters, scaled_cgf};
use crate::model::{Model, Role, builtin};
use crate::onsager::linear_response;
use crate::rates::Device;
use crate::thermo::{ForceBasis, Representation, entropy_production, equilibrium_parameters};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

include!("fcs_points.rs");

fn set(model: &Model, values: &mut [f64], name: &str, value: f64) {
    values[model.param(name).unwrap().0] = value;
}

#[test]
fn first_cumulant_is_the_mean_current_and_the_noise_matrix_is_consistent() {
    let models = all_models();
    run(2000, points(), |(m, u)| {
        let model = &models[m];
        let values = point(model, &u);
        let device = Device::new(model, &values).unwrap();
        let (_, currents) = steady_currents(&device).unwrap();
        let stats = Statistics::new(&device).unwrap();
        let counters = lead_counters(model, &device);
        let noise = stats.noise(&counters);
        for (l, c) in currents.iter().enumerate() {
            let scale_n = c.gross_particle;
            let scale_e = c.gross_energy + device.leads[l].mu.abs() * c.gross_particle;
            for (k, (mean, scale)) in [
                (c.particle, scale_n),
                (c.energy, c.gross_energy),
                (c.heat, scale_e),
            ]
            .into_iter()
            .enumerate()
            {
                let i = 3 * l + k;
                let kappa = stats.cumulants(&counters[i], 4);
                prop_assert!(
                    (kappa[0] - mean).abs() <= 1e-12 * scale,
                    "{}",
                    counters[i].name
                );
                prop_assert!((noise.means[i] - mean).abs() <= 1e-12 * scale);
                // The recursion's κ₂ and the mixed-noise formula are two assemblies.
                let var = noise.variance(i);
                let rounding = 1e-13 * noise.gross_square[i];
                prop_assert!((kappa[1] - var).abs() <= 1e-10 * var.abs() + rounding);
                prop_assert!(var >= 0.0, "{var}");
            }
            // J_Q = J_E − μ J_N is linear, so is its noise (with a spin bias J_Q also
            // subtracts (μ_s/2) J_S, which has no counter here: skip those leads).
            if device.leads[l].spin_bias != 0.0 {
                continue;
            }
            let mu = device.leads[l].mu;
            let (n, e, q) = (3 * l, 3 * l + 1, 3 * l + 2);
            let s = &noise.matrix;
            let predicted = s[(e, e)] - 2.0 * mu * s[(n, e)] + mu * mu * s[(n, n)];
            let g = &noise.gross_square;
            let tol = 1e-10 * (s[(e, e)] + mu.abs() * s[(n, e)].abs() + mu * mu * s[(n, n)])
                + 1e-13 * (g[e] + mu * mu * g[n] + g[q]);
            prop_assert!((s[(q, q)] - predicted).abs() <= tol);
        }
        // Σ̇ is the mean of the entropy counter.
        let sigma = stats.cumulants(&entropy_counter(&device), 1)[0];
        let expected = entropy_production(&device.leads, &currents);
        let gross: f64 = currents
            .iter()
            .zip(&device.leads)
            .map(|(c, s)| s.beta * (c.gross_energy + s.mu.abs() * c.gross_particle))
            .sum();
        prop_assert!((sigma - expected).abs() <= 1e-12 * gross);
        // The noise matrix is a covariance: positive semidefinite.
        let eig = noise.matrix.clone().symmetric_eigenvalues();
        let top = eig.iter().fold(0.0f64, |a, &b| a.max(b.abs()));
        prop_assert!(eig.iter().all(|&x| x >= -1e-10 * top), "{eig}");
        Ok(())
    });
}

/// The single level at large bias: electrons enter from l at γ_l and leave to r at γ_r, the
/// renewal process with C(s) = [−Γ + √(Γ² + 4γ_lγ_r(eˢ − 1))]/2, Γ = γ_l + γ_r.
#[test]
fn single_level_at_large_bias_has_the_textbook_cumulants() {
    let model = builtin::builtin("sqd").unwrap();
    for (a, b) in [(1.0, 1.0), (0.3, 2.0), (5.0, 0.01), (1e-3, 1.0)] {
        let mut values = model.defaults();
        set(&model, &mut values, "gamma_l", a);
        set(&model, &mut values, "gamma_r", b);
        set(&model, &mut values, "eps", 0.0);
        set(&model, &mut values, "mu_l", 200.0);
        set(&model, &mut values, "mu_r", -200.0);
        set(&model, &mut values, "T_l", 1.0);
        set(&model, &mut values, "T_r", 1.0);
        let device = Device::new(&model, &values).unwrap();
        let stats = Statistics::new(&device).unwrap();
        let g = a + b;
        let mean = a * b / g;
        let ratios = [
            1.0,
            (a * a + b * b) / (g * g),
            (a.powi(4) - 2.0 * a.powi(3) * b + 6.0 * a * a * b * b - 2.0 * a * b.powi(3)
                + b.powi(4))
                / g.powi(4),
            (a.powi(6) - 8.0 * a.powi(5) * b + 31.0 * a.powi(4) * b * b
                - 40.0 * a.powi(3) * b.powi(3)
                + 31.0 * a * a * b.powi(4)
                - 8.0 * a * b.powi(5)
                + b.powi(6))
                / g.powi(6),
        ];
        for (lead, sign) in [(0, 1.0), (1, -1.0)] {
            let counter = &lead_counters(&model, &device)[3 * lead];
            let kappa = stats.cumulants(counter, 4);
            for (n, (k, r)) in kappa.iter().zip(ratios).enumerate() {
                // Counting into the system from r: the odd cumulants change sign.
                let expected = mean * r * if n % 2 == 0 { sign } else { 1.0 };
                assert!(
                    (k - expected).abs() <= 1e-12 * mean,
                    "γ_l={a} γ_r={b} lead {lead} κ{}: {k} vs {expected}",
                    n + 1
                );
            }
            let noise = stats.noise(std::slice::from_ref(counter));
            let fano = noise.fano(0).unwrap();
            assert!((fano - ratios[1]).abs() <= 1e-12, "Fano {fano}");
        }
    }
}

/// Poissonian limits: (i) the single level with γ_r ≫ γ_l at large bias transfers electrons
/// as a Poisson process (every κ_n = κ₁); (ii) a level far above both chemical potentials
/// transfers rare, uncorrelated electrons both ways (bidirectional Poisson, κ_n = J₊ + (−1)ⁿ⁺¹ J₋
/// with J₊/J₋ = e^{βΔμ}), so the Fano factor is coth(βΔμ/2).
#[test]
fn poissonian_limits() {
    let model = builtin::builtin("sqd").unwrap();
    let mut values = model.defaults();
    set(&model, &mut values, "gamma_l", 1e-8);
    set(&model, &mut values, "gamma_r", 1.0);
    set(&model, &mut values, "eps", 0.0);
    set(&model, &mut values, "mu_l", 200.0);
    set(&model, &mut values, "mu_r", -200.0);
    let device = Device::new(&model, &values).unwrap();
    let stats = Statistics::new(&device).unwrap();
    let kappa = stats.cumulants(&lead_counters(&model, &device)[0], 4);
    for k in &kappa {
        assert!((k / kappa[0] - 1.0).abs() < 1e-6, "{kappa:?}");
    }
    for (bias, t) in [(0.5, 1.0), (2.0, 1.0), (0.1, 0.3)] {
        let mut values = model.defaults();
        set(&model, &mut values, "eps", 40.0 * t);
        set(&model, &mut values, "mu_l", bias / 2.0);
        set(&model, &mut values, "mu_r", -bias / 2.0);
        set(&model, &mut values, "T_l", t);
        set(&model, &mut values, "T_r", t);
        let device = Device::new(&model, &values).unwrap();
        let stats = Statistics::new(&device).unwrap();
        let kappa = stats.cumulants(&lead_counters(&model, &device)[0], 4);
        let coth = 1.0 / (bias / (2.0 * t)).tanh();
        assert!(
            (kappa[1] / kappa[0] - coth).abs() < 1e-9 * coth,
            "{kappa:?}"
        );
        assert!((kappa[2] / kappa[0] - 1.0).abs() < 1e-9, "{kappa:?}");
        assert!(
            (kappa[3] / kappa[0] - coth).abs() < 1e-9 * coth,
            "{kappa:?}"
        );
    }
}

/// At the equilibrium of any point, ⟨⟨J_i J_j⟩⟩ = 2 L_ij for the fluxes conjugate to the
/// forces, with L from exact linear response (an independent computation), to 1e-12.
#[test]
fn fluctuation_dissipation_at_equilibrium() {
    let models = all_models();
    let worst = std::cell::Cell::new(0.0f64);
    // (entries, entries beyond 1e-12 max|L|, so within the rounding allowance only)
    let counts = std::cell::Cell::new((0usize, 0usize));
    run(3000, points(), |(m, u)| {
        let model = &models[m];
        let values = point(model, &u);
        for representation in [Representation::Energy, Representation::Heat] {
            let basis = ForceBasis::new(model, representation, model.default_references()).unwrap();
            let eq = equilibrium_parameters(model, &basis, &values);
            let device = Device::new(model, &eq).unwrap();
            let l = linear_response(&device, &basis).unwrap();
            let stats = Statistics::new(&device).unwrap();
            let noise = stats.noise(&flux_counters(&device, &basis));
            // Tolerance: 1e-12 of max|L|, or the rounding scale of the noise entry, ε√(G_i G_j)
            // (its direct part; a weakly conducting flux is a small difference of large terms).
            let scale = l.amax();
            for i in 0..basis.len() {
                for j in 0..basis.len() {
                    let rounding = 1e-14 * (noise.gross_square[i] * noise.gross_square[j]).sqrt();
                    let deviation = (noise.matrix[(i, j)] - 2.0 * l[(i, j)]).abs();
                    worst.set(worst.get().max(deviation / scale.max(1e-300)));
                    let (total, beyond) = counts.get();
                    counts.set((total + 1, beyond + usize::from(deviation > 1e-12 * scale)));
                    prop_assert!(
                        deviation <= 1e-12 * scale + rounding,
                        "{} {representation:?} ({i},{j}): {deviation:e} of {scale:e}",
                        model.name
                    );
                }
            }
            // No net flux at equilibrium.
            prop_assert!(
                noise
                    .means
                    .iter()
                    .all(|j| j.abs() <= 1e-12 * scale.max(1e-300) * 1e3)
            );
        }
        Ok(())
    });
    let (total, beyond) = counts.get();
    eprintln!(
        "worst |S − 2L| / max|L| = {:.2e}; {beyond} of {total} entries beyond 1e-12 max|L| \
         (within 1e-14 √(G_i G_j))",
        worst.get()
    );
}

/// TUR: ⟨⟨J J⟩⟩ Σ̇ / ⟨J⟩² ≥ 2 for every lead current and every flux, at thousands of random
/// (far-from-equilibrium) points of every model.
#[test]
fn thermodynamic_uncertainty_relation() {
    let models = all_models();
    let tested = std::cell::Cell::new((0usize, f64::INFINITY));
    run(6000, points(), |(m, u)| {
        let model = &models[m];
        let values = point(model, &u);
        let device = Device::new(model, &values).unwrap();
        let stats = Statistics::new(&device).unwrap();
        let basis =
            ForceBasis::new(model, Representation::Heat, model.default_references()).unwrap();
        let mut counters = lead_counters(model, &device);
        counters.extend(flux_counters(&device, &basis));
        let noise = stats.noise(&counters);
        let sigma = stats.cumulants(&entropy_counter(&device), 1)[0];
        for i in 0..counters.len() {
            // Only currents resolved above rounding.
            let Some(ratio) = noise.tur(i, sigma) else {
                continue;
            };
            let (count, min) = tested.get();
            tested.set((count + 1, min.min(ratio)));
            prop_assert!(
                ratio >= 2.0 * (1.0 - 1e-9),
                "{} {}: {ratio}",
                model.name,
                counters[i].name
            );
        }
        Ok(())
    });
    let (count, min) = tested.get();
    eprintln!("TUR tested on {count} currents, smallest ratio {min}");
    assert!(count > 10_000);
}

#[cfg(feature = "exact")]
/// The exact oracle: the same recursion over ℚ on the exact Pauli problem of the f64 rates
/// (every rate, probability and cumulant exact) agrees with the f64 cumulants.
#[test]
fn exact_oracle_agrees() {
    // The exact oracle needs a diagonal H (no interdot tunnelling).
    let models: Vec<Model> = all_models()
        .into_iter()
        .filter(|m| m.hoppings.is_empty())
        .collect();
    run(40, points(), |(m, u)| {
        let model = &models[m % models.len()];
        let values = point(model, &u);
        let (device, pauli) = ExactPauli::with_device(model, &values).unwrap();
        let (process, jump_of) = fcs_exact::process(&pauli).unwrap();
        let stats = Statistics::new(&device).unwrap();
        let counters = lead_counters(model, &device);
        let exact_counters: Vec<Vec<_>> = counters
            .iter()
            .map(|c| {
                let d: Vec<_> = c.increments.iter().map(|&x| rational(x).unwrap()).collect();
                crate::fcs::recursion::jump_increments(&jump_of, &d)
            })
            .collect();
        let p = process.steady_state();
        for (c, d) in counters.iter().zip(&exact_counters) {
            let numeric = stats.cumulants(c, 4);
            let exact: Vec<f64> = process.cumulants(d, 4).iter().map(to_f64).collect();
            for (n, (x, y)) in numeric.iter().zip(&exact).enumerate() {
                // Rounding scale of κ_n: Σ_t |d_t|ⁿ (k_in p_from + k_out p_to), exactly.
                let gross: f64 = process
                    .jumps()
                    .iter()
                    .zip(d)
                    .map(|(j, d)| {
                        let g = &j.rate_in * &p[j.from] + &j.rate_out * &p[j.to];
                        to_f64(&g) * to_f64(d).abs().powi(n as i32 + 1)
                    })
                    .sum();
                let tol = 1e-10 * y.abs() + 1e-12 * gross;
                prop_assert!((x - y).abs() <= tol, "{} κ{}: {x} vs {y}", c.name, n + 1);
            }
        }
        let (_, exact_noise) = process.second_cumulants(&exact_counters);
        let noise = stats.noise(&counters);
        for i in 0..counters.len() {
            for j in 0..counters.len() {
                let y = to_f64(&exact_noise[i][j]);
                let rounding = 1e-13 * (noise.gross_square[i] * noise.gross_square[j]).sqrt();
                prop_assert!((noise.matrix[(i, j)] - y).abs() <= 1e-10 * y.abs() + rounding);
            }
        }
        Ok(())
    });
}

/// An independent route: finite differences of the dominant eigenvalue of W(s) (dense
/// eigenvalues) reproduce κ₁ and κ₂ (to the accuracy of the difference quotient).
#[test]
fn cumulants_agree_with_the_eigenvalue_of_the_tilted_generator() {
    let models = all_models();
    run(200, points(), |(m, u)| {
        let model = &models[m];
        let values = point(model, &u);
        let device = Device::new(model, &values).unwrap();
        let stats = Statistics::new(&device).unwrap();
        let rates: f64 = device.transitions.iter().map(|t| t.gamma).sum();
        for counter in lead_counters(model, &device).iter().step_by(3) {
            let kappa = stats.cumulants(counter, 4);
            let h = 1e-3;
            let c = |s: f64| scaled_cgf(&device, counter, s);
            let (plus, zero, minus) = (c(h), c(0.0), c(-h));
            let first = (plus - minus) / (2.0 * h);
            let second = (plus - 2.0 * zero + minus) / (h * h);
            // Truncation h²κ₃/6 and h²κ₄/12 (estimated with the recursion's κ₃, κ₄, doubled)
            // plus the eigenvalue's rounding, ~ε Σγ, divided by h and h².
            let tol1 = h * h * kappa[2].abs() / 3.0 + 1e-13 * rates / h;
            let tol2 = h * h * kappa[3].abs() / 6.0 + 1e-13 * rates / (h * h);
            prop_assert!((first - kappa[0]).abs() <= tol1, "{first} {kappa:?}");
            prop_assert!((second - kappa[1]).abs() <= tol2, "{second} {kappa:?}");
        }
        Ok(())
    });
}

/// Fluctuation theorem: for the entropy counter C(s) = C(−1 − s), since W(−1 − s) = W(s)ᵀ
/// with k_in e^{sσ} = k_in^{1+s} k_out^{−s}; checked at far-from-equilibrium points.
#[test]
fn gallavotti_cohen_symmetry_of_the_entropy_counter() {
    let models = all_models();
    run(500, points(), |(m, u)| {
        let model = &models[m];
        let mut values = point(model, &u);
        // Far from equilibrium: push the first lead's bias and temperature.
        let first = &model.leads[0];
        values[first.chemical_potential.0] += 1.5;
        values[first.temperature.0] *= 2.0;
        let device = Device::new(model, &values).unwrap();
        let sigma = entropy_counter(&device);
        let stats = Statistics::new(&device).unwrap();
        let mean = stats.cumulants(&sigma, 1)[0];
        prop_assert!(mean >= 0.0);
        let rates: f64 = device.transitions.iter().map(|t| t.gamma).sum();
        for s in [0.25, 0.5, -0.3, 1.0] {
            let (a, b) = (
                scaled_cgf(&device, &sigma, s),
                scaled_cgf(&device, &sigma, -1.0 - s),
            );
            prop_assert!(
                (a - b).abs() <= 1e-9 * rates.max(a.abs()),
                "C({s}) = {a}, C({}) = {b}",
                -1.0 - s
            );
        }
        // C(0) = C(−1) = 0 and C ≤ 0 between (convex, through both zeros).
        prop_assert!(scaled_cgf(&device, &sigma, -0.5) <= 1e-12 * rates);
        Ok(())
    });
}

/// The first nonlinear fluctuation–response relation (from the fluctuation theorem
/// C(s, F) = C(−F − s, F) expanded to third order at equilibrium, where the odd cumulants
/// vanish): ∂²J_i/∂F_j∂F_k = ½ (∂⟨⟨J_i J_j⟩⟩/∂F_k + ∂⟨⟨J_i J_k⟩⟩/∂F_j), checked by central
/// finite differences of the mean fluxes and of the noise around random equilibria (the
/// deviation, 2e-5 at steps 5e-4 and 6e-5 at 1e-3, is the O(h²) truncation).
#[test]
fn second_order_fluctuation_response_relation() {
    let models = all_models();
    let tested = std::cell::Cell::new((0usize, 0.0f64));
    run(150, points(), |(m, u)| {
        let model = &models[m];
        let values = point(model, &u);
        let basis =
            ForceBasis::new(model, Representation::Heat, model.default_references()).unwrap();
        let eq = Device::new(model, &equilibrium_parameters(model, &basis, &values)).unwrap();
        let n = basis.len();
        let beta = eq.leads[basis.references.energy].beta;
        // Steps: 5e-4 of the natural scale of each force (β_ρ for temperature forces).
        let steps: Vec<f64> = basis
            .forces
            .iter()
            .map(|f| match f.kind {
                crate::thermo::FluxKind::Energy => 5e-4 * beta,
                crate::thermo::FluxKind::Particle | crate::thermo::FluxKind::Spin => 5e-4,
            })
            .collect();
        let at = |shift: &[(usize, f64)]| {
            let mut forces = vec![0.0; n];
            for &(k, x) in shift {
                forces[k] += x;
            }
            let device = eq.with_leads(basis.leads_at_forces(&eq.leads, &forces));
            Statistics::new(&device)
                .unwrap()
                .noise(&flux_counters(&device, &basis))
        };
        let center = at(&[]);
        for i in 0..n {
            for j in 0..n {
                for k in j..n {
                    let (hj, hk) = (steps[j], steps[k]);
                    let second = if j == k {
                        (at(&[(j, hj)]).means[i] - 2.0 * center.means[i] + at(&[(j, -hj)]).means[i])
                            / (hj * hj)
                    } else {
                        (at(&[(j, hj), (k, hk)]).means[i]
                            - at(&[(j, hj), (k, -hk)]).means[i]
                            - at(&[(j, -hj), (k, hk)]).means[i]
                            + at(&[(j, -hj), (k, -hk)]).means[i])
                            / (4.0 * hj * hk)
                    };
                    let response = |a: usize, b: usize, c: usize| {
                        let h = steps[c];
                        (at(&[(c, h)]).matrix[(a, b)] - at(&[(c, -h)]).matrix[(a, b)]) / (2.0 * h)
                    };
                    let (r_ijk, r_ikj) = (response(i, j, k), response(i, k, j));
                    let predicted = 0.5 * (r_ijk + r_ikj);
                    // Only entries resolved above the rounding of the means and of the noise
                    // (gross scales G¹, G, divided by the steps) by three orders.
                    let size = second.abs() + r_ijk.abs() + r_ikj.abs();
                    let rounding = 1e-14 * center.gross[i] / (hj * hk)
                        + 1e-14 * center.gross_square[i] / hj.min(hk);
                    if size <= 1e3 * rounding {
                        continue;
                    }
                    let deviation = (second - predicted).abs() / size;
                    let (count, worst) = tested.get();
                    tested.set((count + 1, worst.max(deviation)));
                    prop_assert!(
                        deviation <= 1e-4,
                        "{} i={i} j={j} k={k}: d2J = {second:e}, (R_ij,k + R_ik,j)/2 = {predicted:e}",
                        model.name
                    );
                }
            }
        }
        Ok(())
    });
    let (count, worst) = tested.get();
    eprintln!("second-order relation: {count} entries, worst relative deviation {worst:.1e}");
    assert!(count > 800);
}
