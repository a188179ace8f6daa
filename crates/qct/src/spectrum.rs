//! ② Many-body basis and spectrum.
//!
//! Basis |n_1 … n_n⟩ with state index k = Σ_α n_α 2^(α−1) (dot 1 least significant), labelled
//! A, B, C, … in order of k (README, Conventions, "System"). The Hamiltonian is diagonal:
//! H = Σ_α ε_α n_α + Σ_{α<α'} U_{αα'} n_α n_α' + Σ_{α<α'} K_{αα'} σ^z_α σ^z_α',
//! with σ^z_α = s_α (2 n_α − 1).

use crate::model::{Model, ParamId};

/// Occupation n_α ∈ {0, 1} of dot `dot` in basis state `state`.
#[inline]
pub(crate) fn occupation(state: usize, dot: usize) -> u8 {
    ((state >> dot) & 1) as u8
}

/// Jordan–Wigner sign ⟨k − 2^α| d_α |k⟩ = (−1)^{Σ_{β<α} n_β(k)} for a state k with dot α
/// occupied (the same sign as ⟨k | d_α† | k − 2^α⟩).
#[inline]
pub(crate) fn jordan_wigner_sign(state: usize, dot: usize) -> f64 {
    let below = state & ((1usize << dot) - 1);
    if below.count_ones().is_multiple_of(2) {
        1.0
    } else {
        -1.0
    }
}

/// Occupations (n_1, …, n_n) of a basis state.
pub(crate) fn occupations(model: &Model, state: usize) -> Vec<u8> {
    (0..model.dots.len())
        .map(|d| occupation(state, d))
        .collect()
}

/// Energy E_k of every basis state, from H with the parameter values `values` (one term
/// buffer for all states: this runs at every parameter point).
pub(crate) fn energies(model: &Model, values: &[f64]) -> Vec<f64> {
    let mut terms = Vec::new();
    (0..model.n_states())
        .map(|state| {
            energy_terms_into(model, state, &mut terms);
            evaluate(&terms, values)
        })
        .collect()
}

/// E_k = ⟨k|H|k⟩ evaluated at `values`.
pub(crate) fn energy(model: &Model, values: &[f64], state: usize) -> f64 {
    evaluate(&energy_terms(model, state), values)
}

/// Σ c_p · values[p] over the terms of [`energy_terms`], in their order.
pub(crate) fn evaluate(terms: &[(ParamId, f64)], values: &[f64]) -> f64 {
    // fold from +0.0: an empty f64 sum is −0.0 in Rust, which would print as "-0".
    terms.iter().fold(0.0, |e, &(p, c)| e + c * values[p.0])
}

/// E_k = ⟨k|H|k⟩ as a linear combination Σ c_p · parameter_p with integer coefficients
/// (README, Conventions, "System"): ε_α n_α, U n_α n_α', K σ^z_α σ^z_α' with σ^z_α = s_α (2 n_α − 1).
/// Shared by the numeric and the symbolic layers; parameters appear at most once.
pub(crate) fn energy_terms(model: &Model, state: usize) -> Vec<(ParamId, f64)> {
    let mut terms = Vec::new();
    energy_terms_into(model, state, &mut terms);
    terms
}

/// [`energy_terms`] written into `terms` (cleared first).
fn energy_terms_into(model: &Model, state: usize, terms: &mut Vec<(ParamId, f64)>) {
    terms.clear();
    let n = |d: usize| occupation(state, d) as f64;
    let mut add = |p: ParamId, c: f64| {
        if c == 0.0 {
            return;
        }
        match terms.iter_mut().find(|(q, _)| *q == p) {
            Some((_, existing)) => *existing += c,
            None => terms.push((p, c)),
        }
    };
    for (d, dot) in model.dots.iter().enumerate() {
        add(dot.energy, n(d));
    }
    for i in &model.interactions {
        if let Some(u) = i.charging {
            add(u, n(i.a) * n(i.b));
        }
        if let Some(k) = i.exchange {
            let sigma = |d: usize| {
                let s = model.dots[d].spin.expect("validated: K needs spins").sign();
                s * (2.0 * n(d) - 1.0)
            };
            add(k, sigma(i.a) * sigma(i.b));
        }
    }
    terms.retain(|&(_, c)| c != 0.0);
}
