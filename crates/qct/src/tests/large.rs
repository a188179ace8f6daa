//! Large state spaces: the sparse Gauss–Seidel steady state agrees with dense state
//! reduction, and satisfies balance and conservation where only it can run.

use crate::currents::{conservation, lead_currents};
use crate::model::chain::chain_model;
use crate::network::cycle_onsager;
use crate::onsager::nodal_response;
use crate::rates::Device;
use crate::steady_state::{steady_state, steady_state_sparse};
use crate::thermo::{ForceBasis, Representation, equilibrium_parameters};

fn label(k: usize) -> String {
    k.to_string()
}

#[test]
fn sparse_and_dense_solvers_agree() {
    for dots in [3, 6, 9] {
        let model = chain_model(dots).unwrap();
        let device = Device::new(&model, &model.defaults()).unwrap();
        let fermi = device.occupations();
        let dense = steady_state(&device.rate_matrix(&fermi), label).unwrap();
        let sparse =
            steady_state_sparse(device.n_states, &device.rate_list(&fermi), label).unwrap();
        let worst = dense
            .probabilities
            .iter()
            .zip(&sparse.probabilities)
            .map(|(a, b)| (a - b).abs() / a.max(1e-300))
            .fold(0.0f64, f64::max);
        assert!(worst < 1e-11, "{dots} dots: relative difference {worst:e}");
        assert!(sparse.residual < 1e-14);
    }
}

#[test]
fn twelve_dots_balance_and_conservation() {
    let model = chain_model(12).unwrap();
    let device = Device::new(&model, &model.defaults()).unwrap();
    let fermi = device.occupations();
    let steady = steady_state_sparse(device.n_states, &device.rate_list(&fermi), label).unwrap();
    let p = &steady.probabilities;
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-14);
    assert!(p.iter().all(|&x| x >= 0.0));
    let currents = lead_currents(&device, &fermi, p);
    let balance = conservation(&currents, &model.components());
    assert!(balance.energy < 1e-12, "energy {:e}", balance.energy);
    assert!(balance.particles.iter().all(|&r| r < 1e-12));
    // Non-equilibrium: the leads are at different temperatures, so heat flows.
    assert!(currents.iter().any(|c| c.energy.abs() > 1e-6));
}

/// The nodal route (used for networks with many cycles) agrees with the cycle formula.
#[test]
fn nodal_and_cycle_routes_agree() {
    let mut models = vec![chain_model(3).unwrap(), chain_model(4).unwrap()];
    models.push(
        crate::model::json::from_file(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/triple_dot_three_terminal.json"
        )))
        .unwrap(),
    );
    for model in models {
        for representation in [Representation::Energy, Representation::Heat] {
            let basis =
                ForceBasis::new(&model, representation, model.default_references()).unwrap();
            let eq = equilibrium_parameters(&model, &basis, &model.defaults());
            let device = Device::new(&model, &eq).unwrap();
            let (a, b) = (
                nodal_response(&device, &basis).unwrap(),
                cycle_onsager(&device, &basis).unwrap(),
            );
            let deviation = (&a - &b).amax() / b.amax();
            assert!(deviation < 1e-12, "{}: {deviation:e}", model.name);
        }
    }
}
