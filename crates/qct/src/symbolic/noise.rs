//! Closed forms of the zero-frequency noise: the recursive cumulant scheme of
//! `crate::fcs::Process` run over Symbolica's rational functions, on the engine thread.
//!
//! * Fluctuation–dissipation, proved per model: at equilibrium every transition t = (i → j)
//!   has the one-way flux γ_t h_ij / Z (see [`super`]), so with p_k = x_k / Z the rates are
//!   k_in = γ_t h_ij / x_i and k_out = γ_t h_ij / x_j, Z = Σ_k x_k. The second cumulants of
//!   the fluxes, computed from these rates with γ, h and x as independent symbols, minus
//!   2 L_ij of the derivation (its structured form N_ij/(Z τ), with Z = Σ_k x_k), expand to 0.
//!   Independence of the symbols makes this an identity for every detailed-balanced rate set,
//!   not only for the Boltzmann values of h and x.
//! * The single level at any bias: rates γ_λ f_λ in and γ_λ (1 − f_λ) out with the Fermi
//!   functions f_λ as symbols give ⟨J_N^l⟩ and ⟨⟨J_N^l J_N^l⟩⟩ in closed form.

use super::engine;
use super::print::{map_identifiers, render};
use super::{Derivation, Expression};
use crate::error::{Error, Result};
use crate::fcs::recursion::{Jump, Process};
use crate::model::Model;
use crate::thermo::{FluxKind, ForceBasis, Representation};
use num_traits::{Num, One, Zero};
use symbolica::prelude::*;

/// A rational function of the model's symbols as a field element for the generic recursion.
#[derive(Debug, Clone, PartialEq)]
struct Symbolic(Atom);

impl std::ops::Add for Symbolic {
    type Output = Symbolic;
    fn add(self, other: Symbolic) -> Symbolic {
        Symbolic(&self.0 + &other.0)
    }
}

impl std::ops::Sub for Symbolic {
    type Output = Symbolic;
    fn sub(self, other: Symbolic) -> Symbolic {
        Symbolic(&self.0 - &other.0)
    }
}

impl std::ops::Mul for Symbolic {
    type Output = Symbolic;
    fn mul(self, other: Symbolic) -> Symbolic {
        Symbolic(&self.0 * &other.0)
    }
}

impl std::ops::Div for Symbolic {
    type Output = Symbolic;
    /// The quotient, brought to one cancelled fraction (keeps the expressions small).
    fn div(self, other: Symbolic) -> Symbolic {
        Symbolic((&self.0 / &other.0).cancel())
    }
}

impl std::ops::Rem for Symbolic {
    type Output = Symbolic;
    /// Rational functions form a field: division leaves no remainder.
    fn rem(self, _other: Symbolic) -> Symbolic {
        Symbolic::zero()
    }
}

impl Zero for Symbolic {
    fn zero() -> Symbolic {
        Symbolic(Atom::num(0))
    }
    fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

impl One for Symbolic {
    fn one() -> Symbolic {
        Symbolic(Atom::num(1))
    }
}

impl Num for Symbolic {
    type FromStrRadixErr = ();
    fn from_str_radix(_text: &str, _radix: u32) -> std::result::Result<Symbolic, ()> {
        Err(())
    }
}

fn var(name: &str) -> Symbolic {
    Symbolic(parse!(name))
}

/// True when `a` is identically zero as a rational function: over a common denominator,
/// cancelled, its numerator expands to 0.
fn vanishes(a: &Atom) -> bool {
    a.together().cancel().expand().is_zero()
}

/// One entry of the proof ⟨⟨J_i J_j⟩⟩ = 2 L_ij at equilibrium.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NoiseEntry {
    pub i: usize,
    pub j: usize,
    /// ⟨⟨J_i J_j⟩⟩ at equilibrium, in γ, h, x (one cancelled fraction).
    pub noise: Expression,
    /// ⟨⟨J_i J_j⟩⟩ − 2 L_ij expands to exactly 0.
    pub proved: bool,
}

/// The fluctuation–dissipation proof of one model in one force basis.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NoiseProof {
    pub model: String,
    pub representation: &'static str,
    pub fluxes: Vec<String>,
    /// The upper triangle (i ≤ j); the matrix is symmetric by construction.
    pub entries: Vec<NoiseEntry>,
    /// Z = Σ_k x_k as used.
    pub partition: String,
}

/// Prove ⟨⟨J_i J_j⟩⟩ = 2 L_ij at equilibrium for `model` in `basis`, against the structured
/// L of `derivation` (from [`super::derive`] with the same basis).
pub fn equilibrium_noise_proof(
    model: &Model,
    basis: &ForceBasis,
    derivation: &Derivation,
) -> Result<NoiseProof> {
    let n = model.n_states();
    let labels: Vec<String> = (0..n).map(Model::state_label).collect();
    // Structure of the transitions (the order of `derivation.transitions`).
    let device = crate::rates::Device::new(model, &model.defaults())?;
    super::derive::plain_leads(model)?;
    if device.transitions.len() != derivation.transitions.len() {
        return Err(Error::Symbolic("transition lists differ".into()));
    }
    let structure: Vec<(usize, usize, usize, String, String)> = device
        .transitions
        .iter()
        .zip(&derivation.transitions)
        .map(|(t, d)| {
            (
                t.from,
                t.to,
                t.lead,
                model.param_name(t.rate).to_string(),
                d.omega.symbolica.clone(),
            )
        })
        .collect();
    // Per flux: its kind and the leads it counts (several when forces are merged, see
    // ForceBasis::merged), each with the name of its component's reference μ.
    let forces: Vec<(FluxKind, Vec<(usize, String)>)> = basis
        .forces
        .iter()
        .map(|force| {
            let leads = basis
                .merged_with(force)
                .map(|f| {
                    let reference = basis.particle_reference(f.lead);
                    let mu = model.param_name(model.leads[reference].chemical_potential);
                    (f.lead, mu.to_string())
                })
                .collect();
            (force.kind, leads)
        })
        .collect();
    let representation = basis.representation;
    let partition: String = std::iter::once("1".to_string())
        .chain((1..n).map(|s| format!("x_{}", labels[s])))
        .collect::<Vec<_>>()
        .join("+");
    let l_strings: Vec<Vec<String>> = derivation
        .l_structured
        .iter()
        .map(|row| {
            row.iter()
                .map(|e| {
                    map_identifiers(&e.symbolica, |t| {
                        (t == "Z").then(|| format!("({partition})"))
                    })
                })
                .collect()
        })
        .collect();
    let z_text = partition.clone();
    let entries = engine::run(move || -> Result<Vec<NoiseEntry>> {
        let x: Vec<Symbolic> = (0..n)
            .map(|s| {
                if s == 0 {
                    Symbolic::one()
                } else {
                    var(&format!("x_{}", labels[s]))
                }
            })
            .collect();
        let z = Symbolic(parse!(&z_text));
        let jumps = structure
            .iter()
            .map(|(from, to, _, rate, _)| {
                let flow = var(rate) * var(&format!("h_{}{}", labels[*from], labels[*to]));
                Jump {
                    from: *from,
                    to: *to,
                    rate_in: flow.clone() / x[*from].clone(),
                    rate_out: flow / x[*to].clone(),
                }
            })
            .collect();
        let p0 = x.iter().map(|x_k| x_k.clone() / z.clone()).collect();
        let process = Process::new(n, jumps, p0)
            .map_err(|_| Error::Symbolic("the equilibrium network is reducible".into()))?;
        let counters: Vec<Vec<Symbolic>> = forces
            .iter()
            .map(|(kind, leads)| {
                structure
                    .iter()
                    .map(|(_, _, l, _, omega)| {
                        let Some((_, mu)) = leads.iter().find(|(lead, _)| lead == l) else {
                            return Symbolic::zero();
                        };
                        match (kind, representation) {
                            (FluxKind::Particle, _) => Symbolic::one(),
                            (FluxKind::Spin, _) => {
                                unreachable!("spin biases are refused by plain_leads")
                            }
                            (FluxKind::Energy, Representation::Energy) => Symbolic(parse!(omega)),
                            (FluxKind::Energy, Representation::Heat) => {
                                Symbolic(parse!(omega)) - var(mu)
                            }
                        }
                    })
                    .collect()
            })
            .collect();
        let (_, noise) = process.second_cumulants(&counters);
        let mut entries = Vec::new();
        for (i, row) in noise.iter().enumerate() {
            for (j, s) in row.iter().enumerate().skip(i) {
                let l = parse!(&l_strings[i][j]);
                let difference = &s.0 - &(Atom::num(2) * &l);
                entries.push(NoiseEntry {
                    i,
                    j,
                    noise: render(&s.0.together().cancel()),
                    proved: vanishes(&difference),
                });
            }
        }
        Ok(entries)
    })?;
    Ok(NoiseProof {
        model: model.name.clone(),
        representation: basis.representation.name(),
        fluxes: basis.forces.iter().map(|f| basis.flux_name(f)).collect(),
        entries,
        partition,
    })
}

/// The single level's particle current from lead l and its noise at any bias, in the Fermi
/// functions f_l = f(β_l(ε − μ_l)), f_r and the rates γ_l, γ_r.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SingleLevelNoise {
    /// ⟨J_N^l⟩.
    pub mean: Expression,
    /// ⟨⟨J_N^l J_N^l⟩⟩ per unit time.
    pub noise: Expression,
    /// The definitions of f_l and f_r (Symbolica syntax), for evaluation.
    pub definitions: Vec<(String, String)>,
}

/// [`SingleLevelNoise`] of the built-in `sqd` (one dot, leads l and r).
pub fn single_level_noise() -> Result<SingleLevelNoise> {
    let noise = engine::run(|| {
        // Two states (empty, occupied); an electron enters from l or r.
        let jump = |gamma: &str, f: &str| Jump {
            from: 0,
            to: 1,
            rate_in: var(gamma) * var(f),
            rate_out: var(gamma) * (Symbolic::one() - var(f)),
        };
        let jumps = vec![jump("gamma_l", "f_l"), jump("gamma_r", "f_r")];
        let total_in = var("gamma_l") * var("f_l") + var("gamma_r") * var("f_r");
        let total = var("gamma_l") + var("gamma_r");
        let p_occupied = total_in / total;
        let p0 = vec![Symbolic::one() - p_occupied.clone(), p_occupied];
        let process = Process::new(2, jumps, p0)
            .map_err(|_| Error::Symbolic("single level: reducible".into()))?;
        let counter = vec![Symbolic::one(), Symbolic::zero()];
        let kappa = process.cumulants(&counter, 2);
        Ok::<_, Error>((
            render(&kappa[0].0.together().cancel().factor()),
            render(&kappa[1].0.together().cancel().factor()),
        ))
    })?;
    Ok(SingleLevelNoise {
        mean: noise.0,
        noise: noise.1,
        definitions: ["l", "r"]
            .iter()
            .map(|l| (format!("f_{l}"), format!("1/(1+exp((eps-mu_{l})/T_{l}))")))
            .collect(),
    })
}
