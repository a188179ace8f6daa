//! The counting statistics in exact rational arithmetic: the recursive scheme of
//! [`super::recursion`] over ℚ on the exact Pauli problem of [`crate::exact`], an oracle for
//! the f64 cumulants. The counting-field derivatives of W(s) are rational (d_tᵐ k), so every
//! cumulant of a rational problem is a rational number, computed without rounding.

use super::recursion::{Jump, Process};
use crate::error::{Error, Result};
use crate::exact::{ExactPauli, Rational};
use num_traits::Zero;

/// The exact counting statistics of `pauli` (its unique steady state, restricted to the
/// states of nonzero probability, the closed class).
pub fn process(pauli: &ExactPauli) -> Result<(Process<Rational>, Vec<Option<usize>>)> {
    let p = pauli.steady_state()?;
    let mut states: Vec<usize> = (0..pauli.n_states).filter(|&s| !p[s].is_zero()).collect();
    // Anchor: the most probable state.
    let anchor = (0..states.len())
        .max_by(|&a, &b| p[states[a]].cmp(&p[states[b]]))
        .expect("probabilities sum to 1");
    states.swap(0, anchor);
    let mut index = vec![usize::MAX; pauli.n_states];
    for (i, &s) in states.iter().enumerate() {
        index[s] = i;
    }
    let mut jumps = Vec::new();
    let mut jump_of = Vec::new();
    for (t, (f, g)) in pauli.transitions.iter().zip(&pauli.fermi) {
        let (from, to) = (index[t.from], index[t.to]);
        if from == usize::MAX || to == usize::MAX {
            jump_of.push(None);
            continue;
        }
        jump_of.push(Some(jumps.len()));
        jumps.push(Jump {
            from,
            to,
            rate_in: &t.gamma * f,
            rate_out: &t.gamma * g,
        });
    }
    let p0 = states.iter().map(|&s| p[s].clone()).collect();
    let process = Process::new(states.len(), jumps, p0)
        .map_err(|_| Error::Singular("exact counting statistics: reducible closed class".into()))?;
    Ok((process, jump_of))
}

/// Per-jump increments from per-transition ones (transitions off the closed class dropped).
pub fn jump_increments(jump_of: &[Option<usize>], increments: &[Rational]) -> Vec<Rational> {
    let n = jump_of.iter().flatten().count();
    let mut d = vec![Rational::zero(); n];
    for (t, jump) in jump_of.iter().enumerate() {
        if let Some(j) = jump {
            d[*j] = increments[t].clone();
        }
    }
    d
}
