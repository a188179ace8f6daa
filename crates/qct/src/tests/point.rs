//! The typed point results of `api/point.rs` against the stages they are built from and
//! against independent routes: the steady point's thermodynamics against the stage
//! functions, the counting statistics' means against the steady currents, the Onsager checks
//! against the nodal solve at the same equilibrium, and the exact and Lindblad oracles
//! against the Pauli steady point.

use crate::currents::steady_currents;
use crate::onsager::linear_response;
use crate::rates::Device;
use crate::thermo::{ForceBasis, Representation, entropy_production, equilibrium_parameters};
use crate::{Method, Model, Parameters};

/// Points with currents in every lead: (model, assignments).
const POINTS: [(&str, &[(&str, f64)]); 4] = [
    ("sqd", &[("mu_l", 0.7), ("T_l", 2.0)]),
    ("cqd", &[("T_u", 3.0), ("eps_b", -0.4)]),
    ("sb", &[]),
    ("icc", &[("eps_b", 0.5)]),
];

fn points() -> Vec<(Model, Parameters, ForceBasis)> {
    let mut out = Vec::new();
    for (name, set) in POINTS {
        let model = Model::builtin(name).unwrap();
        let mut p = model.parameters();
        for &(n, v) in set {
            p.set(n, v).unwrap();
        }
        for representation in [Representation::Energy, Representation::Heat] {
            let basis = model.basis(representation).unwrap();
            out.push((model.clone(), p.clone(), basis));
        }
    }
    out
}

/// The steady point is the stage pipeline's steady state: the same probabilities and
/// (unrounded where nonzero) currents, Σ F J = −Σ β J_Q ≥ 0, the forces of the basis at the
/// lead states, conservation to rounding, and `Model::solve` and `solve_with(Pauli)` agree.
#[test]
fn steady_point_is_the_pipeline_steady_state() {
    for (model, p, basis) in points() {
        let point = model.solve_in(&p, &basis).unwrap();
        let device = Device::new(&model, p.values()).unwrap();
        let (steady, currents) = steady_currents(&device).unwrap();
        assert_eq!(point.solution.probabilities, steady.probabilities);
        assert_eq!(point.solution, model.solve(&p).unwrap());
        let pauli = model.solve_with(&p, &basis, Method::Pauli).unwrap();
        assert_eq!(pauli.solution, point.solution);
        assert_eq!(pauli.fluxes, point.fluxes);
        for (a, b) in point.solution.currents.iter().zip(&currents) {
            assert!(a.particle == 0.0 || a.particle == b.particle);
            assert!((a.particle - b.particle).abs() <= 1e-12 * b.gross_particle);
        }
        assert_eq!(point.forces, basis.force_values(&device.leads));
        let sigma = entropy_production(&device.leads, &currents);
        assert!(
            sigma > 0.0,
            "{}: a driven point produces entropy",
            model.name
        );
        assert!((point.solution.entropy_production - sigma).abs() <= 1e-14 * sigma);
        assert!((point.sum_forces_fluxes - sigma).abs() <= 1e-10 * sigma);
        assert!(point.conservation.energy < 1e-13);
        assert!(point.conservation.particles.iter().all(|&r| r < 1e-13));
        let t: Vec<f64> = device.leads.iter().map(|l| 1.0 / l.beta).collect();
        assert_eq!(point.temperatures, t);
        assert_eq!(point.occupations.len(), device.n_states);
        assert!(point.eigenstates.is_none());
    }
}

/// Counting statistics: the first cumulants (means) of every lead current and every flux
/// are the steady point's currents and fluxes (an independent route: the derivative of the
/// tilted generator's eigenvalue against the steady currents), and the TUR holds.
#[test]
fn counting_statistics_means_are_the_steady_currents() {
    for (model, p, basis) in points() {
        let point = model.solve_in(&p, &basis).unwrap();
        let stats = model.counting_statistics(&p, &basis).unwrap();
        let scale = point
            .solution
            .currents
            .iter()
            .map(|c| c.gross_energy.max(c.gross_particle))
            .fold(0.0f64, f64::max);
        for (l, c) in point.solution.currents.iter().enumerate() {
            let means = &stats.currents.means[3 * l..3 * l + 3];
            for (mean, current) in means.iter().zip([c.particle, c.energy, c.heat]) {
                assert!((mean - current).abs() <= 1e-10 * scale, "{}", model.name);
            }
        }
        for (i, (&mean, &flux)) in stats.fluxes.means.iter().zip(&point.fluxes).enumerate() {
            assert!((mean - flux).abs() <= 1e-10 * scale, "{}", model.name);
            if let Some(tur) = stats.fluxes.tur(i, stats.entropy_production) {
                assert!(tur >= 2.0 * (1.0 - 1e-9), "{}: TUR {tur}", model.name);
            }
        }
        let residual = stats.gallavotti_cohen_residual.unwrap();
        assert!(
            residual < 1e-10,
            "{}: Gallavotti–Cohen {residual}",
            model.name
        );
        // qct fcs: κ₁ of every lead's transfers, in the same order.
        let cumulants = model.cumulants(&p, &[], 2).unwrap();
        assert_eq!(cumulants.len(), stats.currents.names.len() + 1);
        for (k, (name, kappa)) in cumulants
            .iter()
            .take(stats.currents.names.len())
            .enumerate()
        {
            assert_eq!(name, &stats.currents.names[k]);
            assert!((kappa[0] - stats.currents.means[k]).abs() <= 1e-10 * scale);
            assert!((kappa[1] - stats.currents.matrix[(k, k)]).abs() <= 1e-9 * scale);
        }
        assert!(model.cumulants(&p, &[99], 2).is_err());
    }
}

/// `onsager_checks` is the nodal solve at the equilibrium T → T_ρ, μ → μ_ρc of the point,
/// its finite differences agree where resolved, and ½⟨⟨J J⟩⟩ at equilibrium is L
/// (fluctuation–dissipation) where resolved.
#[test]
fn onsager_checks_agree_with_independent_routes() {
    for (model, p, basis) in points() {
        let onsager = model.onsager_checks(&p, &basis).unwrap();
        let equilibrium = equilibrium_parameters(&model, &basis, p.values());
        let nodal = linear_response(&Device::new(&model, &equilibrium).unwrap(), &basis).unwrap();
        assert_eq!(onsager.l, nodal);
        let scale = nodal.amax();
        let resolved = onsager.finite_difference_resolved_at(1e-9);
        assert_eq!(
            onsager.finite_difference_resolved,
            onsager.finite_difference_resolved_at(crate::onsager::FINITE_DIFFERENCE_RESOLUTION)
        );
        for (k, &r) in resolved.iter().enumerate() {
            if r {
                assert!((onsager.l_finite_difference[k] - nodal[k]).abs() <= 1e-9 * scale);
            }
        }
        let noise = model.equilibrium_flux_noise(&p, &basis).unwrap();
        let half = &noise.matrix * 0.5;
        let half_resolved = noise.half_resolved(1e-9, scale);
        assert!(half_resolved.iter().any(|&r| r));
        for (k, &r) in half_resolved.iter().enumerate() {
            if r {
                assert!((half[k] - nodal[k]).abs() <= 1e-9 * scale, "{}", model.name);
            }
        }
        let pauli = model.finite_differences(&p, &basis, Method::Pauli).unwrap();
        assert_eq!(pauli.l, onsager.l_finite_difference);
        assert_eq!(pauli.floor, onsager.finite_difference_floor);
    }
}

/// The exact rational oracle gives the Pauli steady point to rounding, with exact zero
/// residuals and both forms of Σ̇ the same number.
#[cfg(feature = "exact")]
#[test]
fn exact_steady_point_matches_f64() {
    for (model, p, basis) in points() {
        let exact = model.solve_exact(&p, &basis).unwrap();
        let float = model.solve_in(&p, &basis).unwrap();
        assert_eq!(exact.solution.residual, 0.0);
        assert_eq!(exact.sum_forces_fluxes, exact.solution.entropy_production);
        assert_eq!(exact.forces.len(), float.forces.len());
        let sigma = exact.solution.entropy_production;
        assert!((float.solution.entropy_production - sigma).abs() <= 1e-12 * sigma);
        for (a, b) in exact
            .solution
            .probabilities
            .iter()
            .zip(&float.solution.probabilities)
        {
            assert!((a - b).abs() <= 1e-13, "{}", model.name);
        }
        for (a, b) in exact.fluxes.iter().zip(&float.fluxes) {
            assert!((a - b).abs() <= 1e-11 * a.abs().max(1e-3), "{}", model.name);
        }
    }
}

/// The Lindblad oracle (diagonal H): its populations obey the Pauli equation; with interdot
/// tunnelling the density-matrix route reports ρ and the eigenstates of H.
#[cfg(feature = "lindblad")]
#[test]
fn lindblad_steady_point_matches_pauli() {
    for (model, p, basis) in points() {
        let pauli = model.solve_in(&p, &basis).unwrap();
        let lindblad = model.solve_with(&p, &basis, Method::Lindblad).unwrap();
        assert_eq!(lindblad.lindblad.as_ref().unwrap().residual_of, "L rho = 0");
        assert!(lindblad.density_matrix.is_none());
        for (a, b) in pauli
            .solution
            .probabilities
            .iter()
            .zip(&lindblad.solution.probabilities)
        {
            assert!((a - b).abs() < 1e-10, "{}", model.name);
        }
        let sigma = pauli.solution.entropy_production;
        assert!((lindblad.solution.entropy_production - sigma).abs() < 1e-9 * sigma);
    }
    let model = Model::builtin("serial_dd").unwrap();
    let mut p = model.parameters();
    p.set("t", 0.05).unwrap();
    let basis = model.basis(Representation::Energy).unwrap();
    for method in [Method::Lindblad, Method::Redfield] {
        let point = model.solve_with(&p, &basis, method).unwrap();
        assert!(point.lindblad.is_none());
        let rho = point.density_matrix.as_ref().unwrap();
        assert_eq!(rho.method, method.name());
        assert_eq!(point.eigenstates.as_ref().unwrap().len(), 4);
        let total: f64 = point.solution.probabilities.iter().sum();
        assert!((total - 1.0).abs() < 1e-12);
    }
}
