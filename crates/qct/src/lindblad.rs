//! Lindblad cross-check: the secular Born–Markov master equation of the seed's Appendix A,
//! solved in the full Fock space, as an independent check of the Pauli pipeline ③ → ⑤.
//!
//! # What is built
//!
//! * The Fock space of n ≤ `MAX_DOTS` spinless orbitals (the dots), dimension 2^n, basis
//!   |n_1 … n_n⟩ with index k = Σ_α n_α 2^(α−1) (README, Conventions, "System"), and the fermionic
//!   annihilation operators d_α with Jordan–Wigner signs,
//!   d_α = (Π_{β<α} (−1)^{n_β}) σ⁻_α, so that {d_α, d_β†} = δ_αβ and {d_α, d_β} = 0
//!   (`annihilation_operators`).
//! * H, diagonal, from `crate::spectrum::energies`.
//! * The jump operators of the secular approximation (seed eqs. 57–59). The interaction
//!   picture operator d_α(t) = Σ_ω e^{−iωt} d_α(ω) (eq. 59) splits d_α into its Bohr
//!   components d_α(ω) = Σ_{E_j − E_i = ω} |i⟩⟨i| d_α |j⟩; the secular approximation keeps
//!   only products of components with the same ω, which gives eq. 58:
//!   L_λ\[ρ\] = Σ_{α,ω} G_λ(ω) D\[d_α(ω)†\] ρ + G_λ(−ω) D\[d_α(ω)\] ρ with
//!   D\[J\] ρ = J ρ J† − ½ {J†J, ρ}, G_λ(ω) = γ f_λ(ω) (an electron enters) and
//!   G_λ(−ω) = γ (1 − f_λ(ω)) (it leaves).
//!
//!   Three points where qct's models go beyond the seed's text, and how they are handled:
//!
//!   1. *Sign of ω.* Eqs. 58–59 sum over ω > 0 only; with attractive interactions a
//!      transition energy can be negative (README, Conventions), and dropping it would disconnect
//!      states. Every Bohr frequency of d_α is kept, of either sign.
//!   2. *Degenerate frequencies.* Transitions of the same lead and dot with equal ω (for
//!      example κ = 0 in `cqd`: |00⟩ → |10⟩ and |01⟩ → |11⟩) are one Bohr component, hence
//!      *one* jump operator whose terms carry their Jordan–Wigner signs — exactly what the
//!      secular approximation does. Frequencies are equal when they agree to
//!      `FREQUENCY_TOLERANCE` × max(1, max_k |E_k|) (floating-point rounding of E_j − E_i).
//!      Transitions of *different* dots (or leads) are never combined: each tunnel coupling
//!      (λ, α) is its own channel of the lead (spin-conserving tunnelling for the spinful
//!      level; no interference between dots sharing a lead), which is the model the README's Conventions
//!      writes its additive Pauli rates for.
//!   3. *Occupation-dependent bare rates.* γ_λα may depend on the other dots' occupations
//!      (energy-dependent tunnelling). Microscopically this is a tunnelling amplitude that is
//!      an operator, t_k d_α → t_k d_α Σ_c √(γ_c/γ̄) P_c with P_c the projector on the
//!      occupations c of the other dots; P_c commutes with d_α (the Jordan–Wigner string is
//!      diagonal), so the Bohr components become
//!      J_in(λ, α, ω) = Σ_{t: ω_t = ω} √(γ_t f_λ(ω_t)) ⟨to|d_α†|from⟩ |to⟩⟨from| and
//!      J_out(λ, α, ω) = Σ_{t: ω_t = ω} √(γ_t (1 − f_λ(ω_t))) ⟨from|d_α|to⟩ |from⟩⟨to|,
//!      with γ_t from `Device::transitions`. For constant γ this is √(G_λ(±ω)) times
//!      d_α(ω)† or d_α(ω), eq. 58 verbatim.
//!
//! * The Lindbladian L\[ρ\] = −i[H, ρ] + Σ_λ L_λ\[ρ\] (eq. 57) as a 4^n × 4^n complex matrix
//!   acting on the column-stacked vec(ρ) (vec(A ρ B) = (Bᵀ ⊗ A) vec ρ). The Lamb shift is
//!   omitted: it is a function of the J†J, which are diagonal here, so it commutes with H
//!   and ρ's populations and does not change the steady state.
//! * The steady state L ρ = 0, Tr ρ = 1: the equation of ρ_00 is replaced by the trace
//!   condition (the rows of the diagonal elements sum to zero because L preserves the trace,
//!   so that equation is implied by the others), solved by LU.
//! * Currents per lead (seed eq. 72, Appendix B): J_E^λ = Tr(H L_λ\[ρ\]),
//!   J_N^λ = Tr(N_λ L_λ\[ρ\]) with N_λ = Σ_{α coupled to λ} n_α (equal to the seed's total 𝒩,
//!   since L_λ changes only the occupations of λ's dots). Tr(X L_λ\[ρ\]) is the rate of change
//!   of ⟨X⟩ caused by lead λ, i.e. the current *into* the system, the README's Conventions's sign.
//!
//! # Why it must agree with the Pauli equation
//!
//! Every J†J is diagonal (the terms of one jump operator have distinct final states) and
//! J |i⟩⟨j| J† ∝ |i'⟩⟨j'| with i' = j' only if i = j: the dissipator maps populations to
//! populations, with exactly the Pauli rates, and coherences to coherences. The populations
//! therefore obey dp/dt = W p, and the coherences a homogeneous damped equation whose only
//! stationary solution is 0 when the steady state is unique. The cross-check tests this in
//! floating point on the full superoperator, without using that structure.

use crate::currents::LeadCurrents;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::rates::Device;
use nalgebra::{Complex, DMatrix, DVector};

/// Complex double.
pub type C64 = Complex<f64>;
/// Dense complex matrix (operators on the Fock space, superoperators).
pub type CMatrix = DMatrix<C64>;

/// Largest number of dots: 3 dots give an 8-dimensional Fock space and a 64 × 64
/// superoperator.
pub(crate) const MAX_DOTS: usize = 3;

/// Two transition energies of the same lead and dot belong to one Bohr frequency when they
/// differ by at most this times max(1, max_k |E_k|).
pub(crate) const FREQUENCY_TOLERANCE: f64 = 1e-12;

use crate::spectrum::jordan_wigner_sign;

/// The annihilation operators d_1 … d_n on the Fock space of `n_dots` dots (dimension 2^n),
/// with Jordan–Wigner signs: d_α |k⟩ = (−1)^{Σ_{β<α} n_β} |k − 2^α⟩ if n_α(k) = 1, else 0.
#[cfg(test)]
pub(crate) fn annihilation_operators(n_dots: usize) -> Vec<CMatrix> {
    let dim = 1usize << n_dots;
    (0..n_dots)
        .map(|dot| {
            let bit = 1usize << dot;
            let mut d = CMatrix::zeros(dim, dim);
            for k in (0..dim).filter(|k| k & bit != 0) {
                d[(k ^ bit, k)] = C64::new(jordan_wigner_sign(k, dot), 0.0);
            }
            d
        })
        .collect()
}

/// Which way a jump moves an electron.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// An electron enters dot `dot` from the lead: J ∝ d_α(ω)†, rate G_λ(ω) = γ f.
    In,
    /// An electron leaves to the lead: J ∝ d_α(ω), rate G_λ(−ω) = γ (1 − f).
    Out,
}

/// One secular jump operator: lead λ, dot α, Bohr frequency ω, direction.
// Some diagnostics are read only by the cross-checks (src/tests/lindblad.rs).
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Debug, Clone)]
pub(crate) struct Jump {
    pub lead: usize,
    pub dot: usize,
    /// The Bohr frequency ω (the transition energy E_to − E_from of its transitions).
    pub omega: f64,
    pub direction: Direction,
    /// Indices into [`Device::transitions`] of the transitions it combines.
    pub transitions: Vec<usize>,
    /// The operator J (rates included: J ρ J† is the rate of the jump).
    pub operator: CMatrix,
}

/// Number of dots of a device (its state count is 2^n).
fn dots_of(device: &Device) -> usize {
    device.n_states.trailing_zeros() as usize
}

/// The secular jump operators of every lead (module documentation, points 1–3): per lead,
/// dot and Bohr frequency one operator for electrons entering and one for electrons leaving.
pub(crate) fn jump_operators(device: &Device) -> Vec<Jump> {
    let dim = device.n_states;
    let fermi = device.occupations();
    let scale = device.energies.iter().fold(1.0f64, |m, e| m.max(e.abs()));
    let tolerance = FREQUENCY_TOLERANCE * scale;
    // Group transitions by (lead, dot), then by ω (sorted, chained within the tolerance of
    // the group's first frequency).
    let mut keys: Vec<(usize, usize)> =
        device.transitions.iter().map(|t| (t.lead, t.dot)).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut jumps = Vec::new();
    for (lead, dot) in keys {
        let mut members: Vec<usize> = (0..device.transitions.len())
            .filter(|&i| device.transitions[i].lead == lead && device.transitions[i].dot == dot)
            .collect();
        members.sort_by(|&a, &b| {
            device.transitions[a]
                .omega
                .total_cmp(&device.transitions[b].omega)
        });
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for i in members {
            let omega = device.transitions[i].omega;
            match groups.last_mut() {
                Some(g) if omega - device.transitions[g[0]].omega <= tolerance => g.push(i),
                _ => groups.push(vec![i]),
            }
        }
        for group in groups {
            let omega = device.transitions[group[0]].omega;
            let mut j_in = CMatrix::zeros(dim, dim);
            let mut j_out = CMatrix::zeros(dim, dim);
            for &i in &group {
                let t = &device.transitions[i];
                let (f, f_bar) = fermi[i];
                let sign = jordan_wigner_sign(t.to, t.dot);
                j_in[(t.to, t.from)] += C64::new(sign * (t.gamma * f).sqrt(), 0.0);
                j_out[(t.from, t.to)] += C64::new(sign * (t.gamma * f_bar).sqrt(), 0.0);
            }
            for (direction, operator) in [(Direction::In, j_in), (Direction::Out, j_out)] {
                jumps.push(Jump {
                    lead,
                    dot,
                    omega,
                    direction,
                    transitions: group.clone(),
                    operator,
                });
            }
        }
    }
    jumps
}

/// The Hamiltonian H = diag(E_k) as a complex matrix.
pub(crate) fn hamiltonian(device: &Device) -> CMatrix {
    CMatrix::from_diagonal(&DVector::from_iterator(
        device.n_states,
        device.energies.iter().map(|&e| C64::new(e, 0.0)),
    ))
}

/// Superoperator of −i[H, ·] on column-stacked vec(ρ): −i (I ⊗ H − Hᵀ ⊗ I).
pub(crate) fn commutator_superoperator(h: &CMatrix) -> CMatrix {
    let id = CMatrix::identity(h.nrows(), h.ncols());
    (id.kronecker(h) - h.transpose().kronecker(&id)) * C64::new(0.0, -1.0)
}

/// Superoperator of D\[J\] ρ = J ρ J† − ½ J†J ρ − ½ ρ J†J on column-stacked vec(ρ):
/// J̄ ⊗ J − ½ I ⊗ J†J − ½ (J†J)ᵀ ⊗ I.
pub(crate) fn dissipator_superoperator(j: &CMatrix) -> CMatrix {
    let id = CMatrix::identity(j.nrows(), j.ncols());
    let jdj = j.adjoint() * j;
    let half = C64::new(0.5, 0.0);
    j.conjugate().kronecker(j) - id.kronecker(&jdj) * half - jdj.transpose().kronecker(&id) * half
}

/// vec(ρ) (column stacking) as a matrix.
pub(crate) fn unvec(v: &DVector<C64>, dim: usize) -> CMatrix {
    CMatrix::from_column_slice(dim, dim, v.as_slice())
}

/// Column-stacked vec(ρ).
pub(crate) fn vec(rho: &CMatrix) -> DVector<C64> {
    DVector::from_column_slice(rho.as_slice())
}

/// The Lindblad generator of a device: Hamiltonian part, per-lead dissipators and jumps.
#[derive(Debug, Clone)]
pub(crate) struct Lindbladian {
    /// Fock-space dimension 2^n.
    pub dim: usize,
    pub hamiltonian: CMatrix,
    pub jumps: Vec<Jump>,
    /// L_λ (seed eq. 58) per lead, 4^n × 4^n.
    pub leads: Vec<CMatrix>,
    /// L = −i[H, ·] + Σ_λ L_λ (seed eq. 57).
    pub total: CMatrix,
}

impl Lindbladian {
    /// Build the generator of `device` (at most [`MAX_DOTS`] dots).
    pub(crate) fn new(device: &Device) -> Result<Lindbladian> {
        let n_dots = dots_of(device);
        if n_dots > MAX_DOTS {
            return Err(Error::InvalidModel {
                model: format!("{n_dots}-dot model"),
                reason: format!(
                    "Lindblad cross-check supports up to {MAX_DOTS} dots (64×64 superoperator); \
                     this model has {n_dots} — use the Pauli solver (the default method)"
                ),
            });
        }
        let dim = device.n_states;
        let hamiltonian = hamiltonian(device);
        let jumps = jump_operators(device);
        let mut leads = vec![CMatrix::zeros(dim * dim, dim * dim); device.leads.len()];
        for jump in &jumps {
            leads[jump.lead] += dissipator_superoperator(&jump.operator);
        }
        let mut total = commutator_superoperator(&hamiltonian);
        for l in &leads {
            total += l;
        }
        Ok(Lindbladian {
            dim,
            hamiltonian,
            jumps,
            leads,
            total,
        })
    }

    /// L\[ρ\] as a matrix.
    pub(crate) fn apply(&self, rho: &CMatrix) -> CMatrix {
        unvec(&(&self.total * vec(rho)), self.dim)
    }

    /// L_λ\[ρ\] as a matrix.
    pub(crate) fn apply_lead(&self, lead: usize, rho: &CMatrix) -> CMatrix {
        unvec(&(&self.leads[lead] * vec(rho)), self.dim)
    }
}

/// The Lindblad steady state and its diagnostics.
// Some diagnostics are read only by the cross-checks (src/tests/lindblad.rs).
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Debug, Clone)]
pub(crate) struct LindbladSolution {
    /// ρ, solving L ρ = 0 with Tr ρ = 1.
    pub rho: CMatrix,
    /// Populations Re ρ_kk.
    pub populations: Vec<f64>,
    /// max_{i≠j} |ρ_ij|.
    pub max_coherence: f64,
    /// max |Im ρ_kk|: imaginary parts of the populations (rounding).
    pub max_imaginary_population: f64,
    /// max_ij |(L ρ)_ij| / max_k (Γ_k ρ_kk), Γ_k = ⟨k| Σ J†J |k⟩ the total escape rate: the
    /// analogue of the Pauli balance residual.
    pub residual: f64,
    /// Currents of every lead, Tr(N_λ L_λ\[ρ\]) and Tr(H L_λ\[ρ\]) (seed eq. 72).
    pub currents: Vec<LeadCurrents>,
    /// Smallest over largest singular value of the bordered superoperator (the matrix
    /// actually solved): a measure of how well determined the steady state is.
    pub conditioning: f64,
}

/// Bordered matrices with σ_min/σ_max below this are treated as singular: the steady state
/// is not unique (or not determined to working precision).
pub(crate) const SINGULAR_THRESHOLD: f64 = 1e-14;

/// Solve the Lindblad steady state of `device` and its currents.
pub(crate) fn steady_state(model: &Model, device: &Device) -> Result<LindbladSolution> {
    let lindbladian = Lindbladian::new(device)?;
    let dim = lindbladian.dim;
    // Replace the equation of ρ_00 (row 0) by Tr ρ = Σ_k ρ_kk = 1.
    let mut bordered = lindbladian.total.clone();
    bordered.row_mut(0).fill(C64::new(0.0, 0.0));
    for k in 0..dim {
        bordered[(0, k + k * dim)] = C64::new(1.0, 0.0);
    }
    let singular = bordered.singular_values();
    let conditioning = singular.min() / singular.max();
    if conditioning.is_nan() || conditioning <= SINGULAR_THRESHOLD {
        return Err(Error::Singular(format!(
            "the Lindblad generator has no unique steady state at this point, or one not \
             determined in double precision (bordered superoperator singular to working \
             precision: smallest/largest singular value {conditioning:.1e}; typically a state \
             whose escape rates underflow or are many orders of magnitude below the others). \
             The Pauli solver (the default method) resolves such rates and names the states \
             that decouple"
        )));
    }
    let mut rhs = DVector::zeros(dim * dim);
    rhs[0] = C64::new(1.0, 0.0);
    let solution = bordered.lu().solve(&rhs).ok_or_else(|| {
        Error::Singular("the Lindblad steady state: LU factorisation is singular".into())
    })?;
    let rho = unvec(&solution, dim);
    if rho.iter().any(|z| !z.re.is_finite() || !z.im.is_finite()) {
        return Err(Error::NonFinite("the Lindblad steady state".into()));
    }
    let populations: Vec<f64> = (0..dim).map(|k| rho[(k, k)].re).collect();
    let max_imaginary_population = (0..dim).fold(0.0f64, |m, k| m.max(rho[(k, k)].im.abs()));
    let mut max_coherence = 0.0f64;
    for i in 0..dim {
        for j in (0..dim).filter(|&j| j != i) {
            max_coherence = max_coherence.max(rho[(i, j)].norm());
        }
    }
    // Residual relative to the largest probability outflow.
    let escape: Vec<f64> = (0..dim)
        .map(|k| {
            lindbladian
                .jumps
                .iter()
                .map(|j| (j.operator.adjoint() * &j.operator)[(k, k)].re)
                .sum()
        })
        .collect();
    let scale = (0..dim).fold(0.0f64, |m, k| m.max(escape[k] * populations[k].abs()));
    let worst = max_norm(&lindbladian.apply(&rho));
    let residual = if scale > 0.0 { worst / scale } else { worst };
    let currents = lead_currents(model, device, &lindbladian, &rho);
    Ok(LindbladSolution {
        rho,
        populations,
        max_coherence,
        max_imaginary_population,
        residual,
        currents,
        conditioning,
    })
}

/// max_ij |A_ij| of a complex matrix.
pub(crate) fn max_norm(a: &CMatrix) -> f64 {
    a.iter().fold(0.0f64, |m, z| m.max(z.norm()))
}

/// Tr(X A) for matrices X, A.
fn trace_product(x: &CMatrix, a: &CMatrix) -> C64 {
    (x * a).trace()
}

/// Currents of every lead from ρ (seed eq. 72): J_N^λ = Re Tr(N_λ L_λ\[ρ\]),
/// J_E^λ = Re Tr(H L_λ\[ρ\]), J_Q^λ = J_E^λ − μ_λ J_N^λ; the gross exchanges Σ Tr(J ρ J†) and
/// Σ |ω| Tr(J ρ J†) over λ's jumps.
pub(crate) fn lead_currents(
    model: &Model,
    device: &Device,
    lindbladian: &Lindbladian,
    rho: &CMatrix,
) -> Vec<LeadCurrents> {
    let dim = lindbladian.dim;
    model
        .leads
        .iter()
        .enumerate()
        .map(|(l, lead)| {
            // Σ_α w_α n_α over the dots λ couples to: N_λ (w = 1) or the spin S_λ (w = σ_α).
            let weighted_number = |weight: &dyn Fn(usize) -> f64| {
                CMatrix::from_diagonal(&DVector::from_iterator(
                    dim,
                    (0..dim).map(|k| {
                        let n: f64 = lead
                            .couplings
                            .iter()
                            .map(|c| weight(c.dot) * crate::spectrum::occupation(k, c.dot) as f64)
                            .sum();
                        C64::new(n, 0.0)
                    }),
                ))
            };
            let number = weighted_number(&|_| 1.0);
            let spin_number = weighted_number(&|d| crate::model::spin::sigma(model.dots[d].spin));
            let change = lindbladian.apply_lead(l, rho);
            let particle = trace_product(&number, &change).re;
            let spin = trace_product(&spin_number, &change).re;
            let energy = trace_product(&lindbladian.hamiltonian, &change).re;
            let (mut gross_particle, mut gross_energy) = (0.0, 0.0);
            for jump in lindbladian.jumps.iter().filter(|j| j.lead == l) {
                let rate = (&jump.operator * rho * jump.operator.adjoint()).trace().re;
                gross_particle += rate;
                gross_energy += jump.omega.abs() * rate;
            }
            LeadCurrents {
                particle,
                energy,
                spin,
                heat: device.leads[l].heat_current(energy, particle, spin),
                gross_particle,
                gross_energy,
            }
        })
        .collect()
}

/// Evaluate `model` at `values` and solve its Lindblad steady state (diagonal H: every
/// interdot t = 0; [`steady_state`] assumes a device in the occupation basis).
pub(crate) fn solve(model: &Model, values: &[f64]) -> Result<(Device, LindbladSolution)> {
    if model.dots.len() > MAX_DOTS {
        return Err(Error::InvalidModel {
            model: model.name.clone(),
            reason: format!(
                "Lindblad cross-check supports up to {MAX_DOTS} dots (64×64 superoperator); \
                 this model has {} — use the Pauli solver (the default method)",
                model.dots.len()
            ),
        });
    }
    if crate::eigen::needed(model, values) {
        return Err(Error::InvalidModel {
            model: model.name.clone(),
            reason: "the occupation-basis Lindblad solver needs a diagonal Hamiltonian; with \
                     interdot tunnelling use the eigenbasis one (qct::redfield, Method::Lindblad)"
                .into(),
        });
    }
    let device = Device::new(model, values)?;
    let solution = steady_state(model, &device)?;
    Ok((device, solution))
}

/// What `qct solve --method lindblad` adds to the steady-state report (JSON `"lindblad"`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct LindbladDiagnostics {
    /// The equation the residual measures: "L rho = 0".
    pub residual_of: &'static str,
    /// max_ij |(L ρ)_ij| / max_k (Γ_k ρ_kk) (`LindbladSolution::residual`).
    pub residual: f64,
    /// max_{i≠j} |ρ_ij|.
    pub max_coherence: f64,
    /// The basis states (i, j) of the largest coherence; `None` when every coherence is 0.
    pub coherence: Option<[String; 2]>,
}
