//! ① → ② The spectrum of H in closed form and the transitions between its eigenstates, for
//! the derivation. Runs on the engine thread only.
//!
//! **Diagonal H** (no interdot tunnelling): the states are the occupation states, E_k is
//! linear in the parameters, and every transition has a bare-rate parameter γ_λα.
//!
//! **Interdot tunnelling** (docs/models.md, "Interdot tunnelling and coherences"): H is block
//! diagonal, a block being the Fock states joined by hopping. Closed forms exist when every
//! block has at most two states (one hopping pair, e.g. the serial double dot). A 2 × 2 block
//! {k₁ < k₂} with diagonal energies E₁, E₂ and coupling h = ⟨k₁|H|k₂⟩ = −t s (s the
//! Jordan–Wigner sign) has, with Δ = E₁ − E₂ and the root r = √(Δ² + 4h²),
//!
//! E_∓ = (E₁ + E₂)/2 ∓ r/2,   P_+ = [[c, h/r], [h/r, s̄]],   P_− = [[s̄, −h/r], [−h/r, c]],
//!
//! c = cos²θ = (1 + Δ/r)/2, s̄ = sin²θ = (1 − Δ/r)/2 (tan 2θ = 2h/Δ), P_± the projectors on the
//! eigenstates in the basis (k₁, k₂). Label k₁ is the lower eigenstate E_−, label k₂ the upper
//! E_+ (for every value of the parameters: L does not depend on the labels). An electron
//! entering dot α from lead λ takes eigenstate a to b with the bare rate
//! γ_λα |⟨b|d_α†|a⟩|² = γ_λα Tr(P_b D P_a Dᵀ), D the matrix of d_α† between the two blocks: a
//! rational function of the parameters, r and the mixing weights c, s̄.
//!
//! Every later identity (reciprocity, nodal = cycle route, compact = expanded) holds for
//! arbitrary energies and bare rates, so it is proved with r, c and s̄ as independent symbols:
//! the relations r² = Δ² + 4h², c + s̄ = 1 are never used, and the proofs hold in particular at
//! their values. The closed forms need r > 0 (t ≠ 0 or Δ ≠ 0, where c and s̄ are defined);
//! the sign statements take c, s̄ > 0, which holds for t ≠ 0.

use super::CompactDefinition;
use super::print::{latex_name, render};
use crate::error::{Error, Result};
use crate::model::{Model, ParamId};
use crate::rates::{Device, Transition};
use crate::spectrum::{energy_terms, jordan_wigner_sign};
use symbolica::prelude::*;

fn var(name: &str) -> Atom {
    parse!(name)
}

fn int(c: i64) -> Atom {
    Atom::num(c)
}

/// E_k of an occupation state: Σ c_p · p for integer coefficients.
pub(super) fn fock_energy(model: &Model, state: usize) -> Atom {
    let mut sum = int(0);
    for (p, c) in energy_terms(model, state) {
        sum += int(c as i64) * var(model.param_name(p));
    }
    sum.expand()
}

/// The spectrum and the transitions the derivation works with.
pub(super) struct Spectrum {
    /// E_k of state (or eigenstate) k.
    pub energies: Vec<Atom>,
    /// The transitions (structure only: states, lead, dot, bare-rate parameter).
    pub transitions: Vec<Transition>,
    /// With tunnelling, the bare rate of each transition: γ_λα |⟨b|d_α†|a⟩|² (see
    /// [`Spectrum::rate`]).
    rates: Vec<Atom>,
    /// The quantities of the eigenbasis, in order (each uses the parameters and earlier
    /// ones): r, cos²θ, sin²θ per 2 × 2 block. Empty for a diagonal H.
    pub quantities: Vec<(CompactDefinition, Atom)>,
    /// Per state: its composition in the occupation basis (empty for a diagonal H).
    pub compositions: Vec<String>,
}

impl Spectrum {
    /// The names of the eigenbasis quantities (all positive for t ≠ 0).
    pub fn positive_names(&self) -> impl Iterator<Item = &str> {
        self.quantities.iter().map(|(d, _)| d.name.as_str())
    }

    /// The bare rate of transition `t`: its parameter γ_λα for a diagonal H (the symbol is
    /// created here, where the derivation first needs it: Symbolica orders terms by when a
    /// process first met each symbol), γ_λα |⟨b|d_α†|a⟩|² in the eigenbasis.
    pub fn rate(&self, model: &Model, t: usize) -> Atom {
        if self.diagonal() {
            var(model.param_name(self.transitions[t].rate))
        } else {
            self.rates[t].clone()
        }
    }

    /// Is H diagonal in the occupation basis?
    pub fn diagonal(&self) -> bool {
        self.quantities.is_empty()
    }
}

/// The spectrum of `model` (see the module documentation).
pub(super) fn spectrum(model: &Model) -> Result<Spectrum> {
    let n = model.n_states();
    if model.hoppings.is_empty() {
        let device = Device::new(model, &model.defaults())?;
        return Ok(Spectrum {
            energies: (0..n).map(|k| fock_energy(model, k)).collect(),
            transitions: device.transitions,
            rates: Vec::new(),
            quantities: Vec::new(),
            compositions: vec![String::new(); n],
        });
    }
    eigenbasis(model)
}

/// One eigenstate: its block's Fock states and its projector in that basis.
struct Projector {
    states: Vec<usize>,
    matrix: Vec<Vec<Atom>>,
}

fn ket(model: &Model, k: usize) -> String {
    let occ: String = crate::spectrum::occupations(model, k)
        .iter()
        .map(|n| n.to_string())
        .collect();
    format!("|{occ}>")
}

/// Refuse, with the reason, a model whose H has a block of more than two states (its
/// eigenvalues are roots of a cubic or worse). Needs no Symbolica.
pub(super) fn blocks_in_closed_form(model: &Model) -> Result<()> {
    let (blocks, _) = crate::eigen::blocks(model);
    match blocks.iter().find(|b| b.len() > 2) {
        None => Ok(()),
        Some(big) => {
            let kets: Vec<String> = big.iter().map(|&k| ket(model, k)).collect();
            Err(Error::Symbolic(format!(
                "no closed forms for model {}: interdot tunnelling joins the {} occupation \
                 states {} into one block of H, whose eigenvalues are the roots of a polynomial \
                 of degree {} (closed forms need blocks of at most 2 states, i.e. one hopping \
                 pair; the numeric Onsager matrix: qct onsager)",
                model.name,
                big.len(),
                kets.join(", "),
                big.len()
            )))
        }
    }
}

/// What the eigenbasis has built so far: energies, the quantities r, cos²θ, sin²θ, the
/// compositions and the projector of each eigenstate.
struct Eigenbasis {
    energies: Vec<Atom>,
    quantities: Vec<(CompactDefinition, Atom)>,
    compositions: Vec<String>,
    projectors: Vec<Projector>,
}

/// Diagonalise the 2 × 2 block {k₁ < k₂} (module documentation): define r, cos²θ, sin²θ,
/// set E_∓ = (E₁ + E₂)/2 ∓ r/2 on labels k₁, k₂ and their projectors P_∓.
fn diagonalise_block(model: &Model, (k1, k2): (usize, usize), eb: &mut Eigenbasis) {
    let labels: Vec<String> = (0..model.n_states()).map(Model::state_label).collect();
    let (e1, e2) = (eb.energies[k1].clone(), eb.energies[k2].clone());
    let hopping = model
        .hoppings
        .iter()
        .find_map(|hp| {
            [(hp.a, hp.b), (hp.b, hp.a)].iter().find_map(|&(a, b)| {
                crate::eigen::hop(k2, a, b)
                    .filter(|&(to, _)| to == k1)
                    .map(|(_, sign)| (hp.t, sign))
            })
        })
        .expect("a 2-state block is joined by one hopping term");
    let (t, sign): (ParamId, f64) = hopping;
    // ⟨k₁|H|k₂⟩ = −t s.
    let h = int(-(sign as i64)) * var(model.param_name(t));
    let tag = format!("{}{}", labels[k1], labels[k2]);
    let (r_name, c_name, s_name) = (
        format!("r_{tag}"),
        format!("cos2_{tag}"),
        format!("sin2_{tag}"),
    );
    let delta = (&e1 - &e2).expand();
    let root_squared = delta.clone().pow(int(2)) + int(4) * h.clone().pow(int(2));
    let root_value = function!(symbol!("sqrt"), root_squared);
    let (r, c, s) = (var(&r_name), var(&c_name), var(&s_name));
    let mixing = |sign: i64| (int(1) + int(sign) * &delta / &r) / int(2);
    let (k1_ket, k2_ket) = (ket(model, k1), ket(model, k2));
    for (name, latex, meaning, value) in [
        (
            &r_name,
            latex_name(&r_name),
            format!(
                "splitting of the eigenstates {} and {}: r = sqrt(Delta^2 + 4 t^2), Delta = \
                 E{k1_ket} - E{k2_ket}",
                labels[k1], labels[k2]
            ),
            root_value,
        ),
        (
            &c_name,
            latex_name(&c_name),
            format!(
                "weight of {k1_ket} in the upper eigenstate {} (and of {k2_ket} in the \
                 lower {}): (1 + Delta/r)/2",
                labels[k2], labels[k1]
            ),
            mixing(1),
        ),
        (
            &s_name,
            latex_name(&s_name),
            format!(
                "weight of {k2_ket} in the upper eigenstate {} (and of {k1_ket} in the \
                 lower {}): (1 - Delta/r)/2",
                labels[k2], labels[k1]
            ),
            mixing(-1),
        ),
    ] {
        eb.quantities.push((
            CompactDefinition {
                name: name.clone(),
                latex_name: latex,
                meaning,
                value: render(&value),
            },
            value,
        ));
    }
    let mean = (&e1 + &e2) / int(2);
    eb.energies[k1] = (&mean - &r / int(2)).expand();
    eb.energies[k2] = (&mean + &r / int(2)).expand();
    eb.compositions[k1] = format!(
        "lower eigenstate of {{{k1_ket}, {k2_ket}}}: weights {s_name} on {k1_ket}, {c_name} on {k2_ket}"
    );
    eb.compositions[k2] = format!(
        "upper eigenstate of {{{k1_ket}, {k2_ket}}}: weights {c_name} on {k1_ket}, {s_name} on {k2_ket}"
    );
    let off = &h / &r;
    eb.projectors[k1].states = vec![k1, k2];
    eb.projectors[k1].matrix = vec![vec![s.clone(), -off.clone()], vec![-off.clone(), c.clone()]];
    eb.projectors[k2].states = vec![k1, k2];
    eb.projectors[k2].matrix = vec![vec![c, off.clone()], vec![off, s]];
}

/// The transitions between eigenstates a → b (an electron enters dot α from lead λ) with
/// their bare rates γ_λα |⟨b|d_α†|a⟩|² = γ_λα Tr(P_b D P_a Dᵀ) (module documentation);
/// transitions of weight 0 are left out.
fn eigen_transitions(
    model: &Model,
    projectors: &[Projector],
    blocks: &[Vec<usize>],
    block_of: &[usize],
) -> (Vec<Transition>, Vec<Atom>) {
    let n = model.n_states();
    let mut transitions = Vec::new();
    let mut rates = Vec::new();
    for (lead_index, lead) in model.leads.iter().enumerate() {
        for coupling in &lead.couplings {
            let bit = 1usize << coupling.dot;
            for a in 0..n {
                let pa = &projectors[a];
                let empty: Vec<usize> = (0..pa.states.len())
                    .filter(|&i| pa.states[i] & bit == 0)
                    .collect();
                let Some(&first) = empty.first() else {
                    continue;
                };
                let target = block_of[pa.states[first] | bit];
                for &b in &blocks[target] {
                    let pb = &projectors[b];
                    let index = |k: usize| pb.states.iter().position(|&q| q == k).unwrap();
                    // |⟨b|d†|a⟩|² = Σ_{k,k'} s_k s_k' (P_b)_{k+α, k'+α} (P_a)_{k k'}.
                    let mut weight = int(0);
                    for &i in &empty {
                        for &j in &empty {
                            let (k, k2) = (pa.states[i], pa.states[j]);
                            let signs = jordan_wigner_sign(k | bit, coupling.dot)
                                * jordan_wigner_sign(k2 | bit, coupling.dot);
                            weight += int(signs as i64)
                                * &pb.matrix[index(k | bit)][index(k2 | bit)]
                                * &pa.matrix[i][j];
                        }
                    }
                    let weight = weight.expand();
                    if weight.is_zero() {
                        continue;
                    }
                    let rate_id = crate::eigen::bare_rate(&coupling.rate, pa.states[0]);
                    rates.push((var(model.param_name(rate_id)) * weight).expand());
                    transitions.push(Transition {
                        from: a,
                        to: b,
                        lead: lead_index,
                        dot: coupling.dot,
                        gamma: 0.0,
                        rate: rate_id,
                        omega: 0.0,
                        spin: crate::model::spin::sigma(model.dots[coupling.dot].spin),
                    });
                }
            }
        }
    }
    (transitions, rates)
}

/// The spectrum in the eigenbasis of H: every 2 × 2 block diagonalised in closed form,
/// then the transitions between eigenstates.
fn eigenbasis(model: &Model) -> Result<Spectrum> {
    let n = model.n_states();
    blocks_in_closed_form(model)?;
    let (blocks, block_of) = crate::eigen::blocks(model);
    let mut eb = Eigenbasis {
        energies: (0..n).map(|k| fock_energy(model, k)).collect(),
        quantities: Vec::new(),
        compositions: vec![String::new(); n],
        projectors: (0..n)
            .map(|k| Projector {
                states: vec![k],
                matrix: vec![vec![int(1)]],
            })
            .collect(),
    };
    for block in blocks.iter().filter(|b| b.len() == 2) {
        diagonalise_block(model, (block[0], block[1]), &mut eb);
    }
    let (transitions, rates) = eigen_transitions(model, &eb.projectors, &blocks, &block_of);
    Ok(Spectrum {
        energies: eb.energies,
        transitions,
        rates,
        quantities: eb.quantities,
        compositions: eb.compositions,
    })
}
