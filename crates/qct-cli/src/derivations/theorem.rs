//! Evidence for the no-ICC theorem of a two-force model (see `qct derive`, section 7): the
//! nonlinear steady state far from equilibrium at random parameter points where the
//! theorem's condition holds (no flux may oppose both forces: counterexamples must be 0),
//! and, where it fails, a point with an inverse current that is not the trivial one of a
//! bare level below the reference.

use qct::OperatingPoint;
use qct::Result;
use qct::analysis::ForcePair;
use qct::model::{Model, Role};
use qct::symbolic::Derivation;
use qct::thermo::{ForceBasis, Representation};
use std::fmt::Write;

/// Parameter points drawn per model.
const SAMPLES: usize = 300;

/// Force magnitudes (units of β_ρ for F_E, of 1 for F_N): far beyond linear response.
const ENERGY_FORCES: [f64; 3] = [0.1, 0.45, 0.9];
const PARTICLE_FORCES: [f64; 3] = [0.1, 1.0, 3.0];

/// A deterministic stream of numbers in [0, 1) (64-bit LCG, the high bits).
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A flux against both forces found by the scan.
struct Inverse {
    values: Vec<f64>,
    /// (T, μ) of every lead at the force point.
    leads: Vec<(f64, f64)>,
    forces: Vec<f64>,
    fluxes: Vec<f64>,
}

/// The theorem section of a model's README ("" for models without exactly two forces).
pub fn evidence(model: &Model, d: &Derivation) -> Result<String> {
    let Some(theorem) = &d.icc_theorem else {
        return Ok(String::new());
    };
    let basis = ForceBasis::new(model, Representation::Energy, model.default_references())?;
    let Some(pair) = ForcePair::of(&basis) else {
        return Ok(String::new());
    };
    let (n, e) = (pair.particle, pair.energy);
    let mut stream = Stream(0x9e37_79b9_7f4a_7c15);
    let (mut holds, mut fails, mut states, mut counterexamples) = (0, 0, 0, 0);
    let mut genuine: Option<Inverse> = None;
    let mut failing_with_inverse = 0;
    for _ in 0..SAMPLES {
        let values: Vec<f64> = model
            .parameters
            .iter()
            .map(|p| match p.role {
                Role::Energy => -1.5 + 3.0 * stream.next(),
                Role::Rate => 10f64.powf(-2.0 + 2.0 * stream.next()),
                Role::Temperature => 1.0,
                Role::ChemicalPotential | Role::Dimensionless => 0.0,
            })
            .collect();
        let cycles = model.kirchhoff_cycles(&model.parameters_at(&values)?, &basis)?;
        let condition = cycles
            .iter()
            .all(|c| c.transported[n] * c.transported[e] >= 0.0);
        let point = OperatingPoint::new(model, &values, &basis)?;
        let beta = point.beta(basis.references.energy);
        let mut inverse_here = false;
        for s in [1.0, -1.0] {
            for fe in ENERGY_FORCES {
                for fnn in PARTICLE_FORCES {
                    let mut forces = vec![0.0; 2];
                    forces[e] = s * fe * beta;
                    forces[n] = s * fnn;
                    let at = point.at_forces(&basis, &forces)?;
                    let scales = at.flux_scales(&basis);
                    let against = (0..2).any(|i| s * at.fluxes[i] < -1e-10 * scales[i]);
                    states += 1;
                    if condition && against {
                        counterexamples += 1;
                    }
                    if !condition && against {
                        inverse_here = true;
                        // Not the trivial inverse of a bare level below the reference.
                        let bare_above = point.bare_levels(&basis).iter().all(|(_, w)| *w >= 0.0);
                        if bare_above && genuine.is_none() {
                            genuine = Some(Inverse {
                                values: values.clone(),
                                leads: (0..model.leads.len())
                                    .map(|l| (1.0 / at.beta(l), at.chemical_potential(l)))
                                    .collect(),
                                forces: forces.clone(),
                                fluxes: at.fluxes.clone(),
                            });
                        }
                    }
                }
            }
        }
        if condition {
            holds += 1;
        } else {
            fails += 1;
            failing_with_inverse += usize::from(inverse_here);
        }
    }
    let mut out = String::new();
    let w = &mut out;
    writeln!(
        w,
        "## No inverse current at any force (theorem)\n\n\
         **Theorem** (derived by `qct derive`, section 7). For forces of one sign, no flux of \
         {{{}}} opposes both forces — at any distance from equilibrium — if `{}`.\n",
        d.fluxes.join(", "),
        theorem.condition
    )
    .unwrap();
    for line in &theorem.proof {
        writeln!(w, "{line}\n").unwrap();
    }
    writeln!(
        w,
        "**Evidence** (nonlinear steady states, energy representation, reference temperature \
         1): {SAMPLES} random parameter points (energies uniform in [−1.5, 1.5], rates \
         log-uniform in [10⁻², 1], μ = 0), each at 18 force points of one sign with \
         F_E = ±{{0.1, 0.45, 0.9}} β and F_N = ±{{0.1, 1, 3}} — {states} steady states. The \
         condition holds at {holds} points: **{counterexamples} counterexamples** (a flux \
         against both forces, beyond 10⁻¹⁰ of its gross exchange). It fails at {fails} \
         points; at {failing_with_inverse} of them some force point has a flux against both \
         forces.\n"
    )
    .unwrap();
    match genuine {
        Some(inverse) => {
            writeln!(
                w,
                "Where the condition fails, an inverse current with every bare level above the \
                 reference (not the trivial one): forces ({}) = ({:.4}, {:.4}), fluxes ({}) = \
                 ({:.4e}, {:.4e}). Reproduce: `qct regime {} {}`.\n",
                d.forces
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                inverse.forces[0],
                inverse.forces[1],
                d.fluxes.join(", "),
                inverse.fluxes[0],
                inverse.fluxes[1],
                model_argument(model),
                reproduce_settings(model, &inverse)
            )
            .unwrap();
        }
        None => writeln!(
            w,
            "No inverse current with every bare level above the reference was found where the \
             condition fails (it is sufficient for the absence of ICC, not necessary).\n"
        )
        .unwrap(),
    }
    Ok(out)
}

/// The `--set` options that reproduce `inverse` with `qct regime`: its parameter values
/// and each lead's temperature and chemical potential, each option once.
fn reproduce_settings(model: &Model, inverse: &Inverse) -> String {
    let sets: Vec<String> = model
        .parameters
        .iter()
        .zip(&inverse.values)
        .filter(|(p, _)| !matches!(p.role, Role::Temperature | Role::ChemicalPotential))
        .map(|(p, v)| format!("--set {}={v:.4}", p.name))
        .chain(
            model
                .leads
                .iter()
                .zip(&inverse.leads)
                .flat_map(|(l, &(t, mu))| {
                    [
                        format!("--set {}={t:.6}", model.param_name(l.temperature)),
                        format!("--set {}={mu:.6}", model.param_name(l.chemical_potential)),
                    ]
                }),
        )
        .collect();
    let mut sets_unique: Vec<String> = Vec::new();
    for s in sets {
        if !sets_unique.contains(&s) {
            sets_unique.push(s);
        }
    }
    sets_unique.join(" ")
}

fn model_argument(model: &Model) -> String {
    if qct::model::builtin::NAMES.contains(&model.name.as_str()) {
        model.name.clone()
    } else {
        format!("--model-file examples/{}.json", model.name)
    }
}
