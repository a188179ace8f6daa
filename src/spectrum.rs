//! ② Many-body basis and spectrum.
//!
//! Basis |n_1 … n_n⟩ with state index k = Σ_α n_α 2^(α−1) (dot 1 least significant), labelled
//! A, B, C, … in order of k (PHYSICS.md, "System"). The Hamiltonian is diagonal:
//! H = Σ_α ε_α n_α + Σ_{α<α'} U_{αα'} n_α n_α' + Σ_{α<α'} K_{αα'} σ^z_α σ^z_α',
//! with σ^z_α = s_α (2 n_α − 1).

use crate::model::Model;

/// Occupation n_α ∈ {0, 1} of dot `dot` in basis state `state`.
#[inline]
pub fn occupation(state: usize, dot: usize) -> u8 {
    ((state >> dot) & 1) as u8
}

/// Occupations (n_1, …, n_n) of a basis state.
pub fn occupations(model: &Model, state: usize) -> Vec<u8> {
    (0..model.dots.len())
        .map(|d| occupation(state, d))
        .collect()
}

/// Energy E_k of every basis state, from H with the parameter values `values`.
pub fn energies(model: &Model, values: &[f64]) -> Vec<f64> {
    (0..model.n_states())
        .map(|state| energy(model, values, state))
        .collect()
}

/// E_k = ⟨k|H|k⟩ (PHYSICS.md, "System").
pub fn energy(model: &Model, values: &[f64], state: usize) -> f64 {
    let n = |d: usize| occupation(state, d) as f64;
    let mut e: f64 = model
        .dots
        .iter()
        .enumerate()
        .map(|(d, dot)| values[dot.energy.0] * n(d))
        .sum();
    for i in &model.interactions {
        if let Some(u) = i.charging {
            e += values[u.0] * n(i.a) * n(i.b);
        }
        if let Some(k) = i.exchange {
            let sigma = |d: usize| {
                let s = model.dots[d].spin.expect("validated: K needs spins").sign();
                s * (2.0 * n(d) - 1.0)
            };
            e += values[k.0] * sigma(i.a) * sigma(i.b);
        }
    }
    e
}
