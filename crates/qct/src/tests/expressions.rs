//! Parameters as expressions, spin-split levels with a polarised lead (`zeeman_dot`) and
//! energy-dependent rates (`examples/energy_filter.json`): the limits that reproduce the
//! existing models bit for bit, the same model written with plain parameters, local detailed
//! balance of γ(ω), conservation, Σ̇ ≥ 0 and reciprocity at random points. (A sweep of B
//! at fixed ε, the inferred roles and the input errors are tested with the command line:
//! `crates/qct-cli/tests/expressions.rs`.)

use super::common::{REPRESENTATIONS, Rng, basis, example, random_values, solve, values};
use crate::model::{Model, builtin::builtin, json::from_json};
use crate::onsager::linear_response;
use crate::rates::Device;
use crate::thermo::{Representation, entropy_production, equilibrium_parameters};

/// `zeeman_dot` written with plain parameters for its four derived quantities.
const ZEEMAN_PLAIN: &str = r#"{
  "name": "zeeman_plain",
  "parameters": {"e_up": 0.75, "e_down": 0.25, "U": 2.0, "g_up": 1.5, "g_down": 0.5,
                 "gamma_r": 1.0, "T_l": 1.5, "T_r": 1.0, "mu_l": 0.2, "mu_r": 0.0},
  "dots": [{"name": "up", "energy": "e_up", "spin": "up"},
           {"name": "down", "energy": "e_down", "spin": "down"}],
  "interactions": [{"dots": ["up", "down"], "U": "U"}],
  "leads": [
    {"name": "l", "temperature": "T_l", "chemical_potential": "mu_l",
     "couplings": [{"dot": "up", "rate": "g_up"}, {"dot": "down", "rate": "g_down"}]},
    {"name": "r", "temperature": "T_r", "chemical_potential": "mu_r",
     "couplings": [{"dot": "up", "rate": "gamma_r"}, {"dot": "down", "rate": "gamma_r"}]}
  ],
  "reference": {"energy": "r", "particles": ["r"]}
}"#;

/// Probabilities, currents and L (both representations) of two models at two points,
/// compared bit for bit.
fn assert_identical(a: &Model, va: &[f64], b: &Model, vb: &[f64]) {
    let (_, pa, ja) = solve(a, va);
    let (_, pb, jb) = solve(b, vb);
    assert_eq!(
        pa.probabilities, pb.probabilities,
        "{} vs {}: probabilities",
        a.name, b.name
    );
    assert_eq!(ja, jb, "{} vs {}: currents", a.name, b.name);
    for representation in REPRESENTATIONS {
        let (ba, bb) = (basis(a, representation), basis(b, representation));
        let la = linear_response(
            &Device::new(a, &equilibrium_parameters(a, &ba, va)).unwrap(),
            &ba,
        )
        .unwrap();
        let lb = linear_response(
            &Device::new(b, &equilibrium_parameters(b, &bb, vb)).unwrap(),
            &bb,
        )
        .unwrap();
        assert_eq!(la, lb, "{} vs {}: L ({representation:?})", a.name, b.name);
    }
}

#[test]
fn zeeman_dot_without_field_and_polarisation_is_anderson_bit_for_bit() {
    let (anderson, zeeman) = (builtin("anderson").unwrap(), builtin("zeeman_dot").unwrap());
    let mut rng = Rng::new(14);
    for _ in 0..40 {
        let va = random_values(&anderson, &mut rng);
        let mut set: Vec<(&str, f64)> = anderson
            .parameters
            .iter()
            .zip(&va)
            .map(|(p, &v)| (p.name.as_str(), v))
            .collect();
        set.extend([("B", 0.0), ("p_l", 0.0)]);
        let vz = values(&zeeman, &set);
        assert_identical(&anderson, &va, &zeeman, &vz);
    }
}

#[test]
fn expressions_give_the_model_written_with_plain_parameters() {
    let zeeman = builtin("zeeman_dot").unwrap();
    let plain = from_json(ZEEMAN_PLAIN, "test").unwrap();
    let mut rng = Rng::new(41);
    for _ in 0..40 {
        let vz = random_values(&zeeman, &mut rng);
        let v = |name: &str| vz[zeeman.param(name).unwrap().0];
        // The derived quantities by hand: ε ± B/2 and γ_l (1 ± p_l).
        let (eps, b, gamma_l, p_l) = (v("eps"), v("B"), v("gamma_l"), v("p_l"));
        let vp = values(
            &plain,
            &[
                ("e_up", eps + b / 2.0),
                ("e_down", eps - b / 2.0),
                ("U", v("U")),
                ("g_up", gamma_l * (1.0 + p_l)),
                ("g_down", gamma_l * (1.0 - p_l)),
                ("gamma_r", v("gamma_r")),
                ("T_l", v("T_l")),
                ("T_r", v("T_r")),
                ("mu_l", v("mu_l")),
                ("mu_r", v("mu_r")),
            ],
        );
        assert_identical(&zeeman, &vz, &plain, &vp);
    }
}

/// Conservation, Σ̇ ≥ 0 and reciprocity at random points of the new models.
#[test]
fn new_models_conserve_produce_entropy_and_are_reciprocal() {
    for model in [builtin("zeeman_dot").unwrap(), example("energy_filter")] {
        let mut rng = Rng::new(7);
        for _ in 0..60 {
            let v = random_values(&model, &mut rng);
            let (device, _, currents) = solve(&model, &v);
            let scale: f64 = currents.iter().map(|c| c.gross_energy).sum::<f64>() + 1e-300;
            let particles: f64 = currents.iter().map(|c| c.particle).sum();
            let energy: f64 = currents.iter().map(|c| c.energy).sum();
            let gross: f64 = currents.iter().map(|c| c.gross_particle).sum::<f64>() + 1e-300;
            assert!(
                particles.abs() <= 1e-13 * gross,
                "{}: ΣJ_N = {particles}",
                model.name
            );
            assert!(
                energy.abs() <= 1e-13 * scale,
                "{}: ΣJ_E = {energy}",
                model.name
            );
            let sigma = entropy_production(&device.leads, &currents);
            assert!(sigma >= -1e-13 * scale, "{}: Σ̇ = {sigma}", model.name);
            for representation in REPRESENTATIONS {
                let b = basis(&model, representation);
                let eq = Device::new(&model, &equilibrium_parameters(&model, &b, &v)).unwrap();
                let l = linear_response(&eq, &b).unwrap();
                let size = l.abs().max();
                assert!(
                    (&l - l.transpose()).abs().max() <= 1e-12 * size,
                    "{}: L not symmetric: {l}",
                    model.name
                );
                assert!(
                    l.clone().symmetric_eigenvalues().min() >= -1e-12 * size,
                    "{}: L not positive semidefinite",
                    model.name
                );
            }
        }
    }
}

/// γ_r(ω) of the energy filter is evaluated at each transition's ω_t, the same for the
/// electron entering and leaving, so at equilibrium every current vanishes and the
/// probabilities are Gibbs (detailed balance).
#[test]
fn energy_dependent_rates_keep_local_detailed_balance() {
    let model = example("energy_filter");
    let lead_r = model.lead_index("r").unwrap();
    let mut rng = Rng::new(3);
    for _ in 0..40 {
        let v = random_values(&model, &mut rng);
        let at = |name: &str| v[model.param(name).unwrap().0];
        let device = Device::new(&model, &v).unwrap();
        for t in device.transitions.iter().filter(|t| t.lead == lead_r) {
            let (w, e_f) = (at("w"), at("E_f"));
            let by_hand = at("gamma_r") * w * w / ((t.omega - e_f).powi(2) + w * w);
            assert!(
                (t.gamma - by_hand).abs() <= 1e-14 * by_hand,
                "γ_r(ω = {}) = {} by hand {by_hand}",
                t.omega,
                t.gamma
            );
        }
        let b = basis(&model, Representation::Energy);
        let eq = equilibrium_parameters(&model, &b, &v);
        let (device, steady, currents) = solve(&model, &eq);
        let beta = device.leads[0].beta;
        let mu = device.leads[0].mu;
        let n = |k: usize| (k.count_ones()) as f64;
        let weights: Vec<f64> = (0..device.n_states)
            .map(|k| (-beta * (device.energies[k] - mu * n(k))).exp())
            .collect();
        let z: f64 = weights.iter().sum();
        for (p, w) in steady.probabilities.iter().zip(&weights) {
            assert!(
                (p - w / z).abs() <= 1e-12,
                "not Gibbs: {:?}",
                steady.probabilities
            );
        }
        for c in &currents {
            assert!(c.particle.abs() <= 1e-13 * c.gross_particle.max(1e-300));
        }
    }
}
