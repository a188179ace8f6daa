//! The counting statistics in exact rational arithmetic: the recursive scheme of
//! [`super::Process`] over ℚ on the exact Pauli problem of [`crate::exact`], an oracle for
//! the f64 cumulants. The counting-field derivatives of W(s) are rational (d_tᵐ k), so every
//! cumulant of a rational problem is a rational number, computed without rounding.

use super::recursion::{Process, restrict};
use crate::error::{Error, Result};
use crate::exact::{ExactPauli, Rational};
use num_traits::Zero;

/// The exact counting statistics of `pauli` (its unique steady state, restricted to the
/// states of nonzero probability, the closed class); with the jump index of every transition
/// for [`jump_increments`].
pub(crate) fn process(pauli: &ExactPauli) -> Result<(Process<Rational>, Vec<Option<usize>>)> {
    let p = pauli.steady_state()?;
    let class: Vec<usize> = (0..pauli.n_states).filter(|&s| !p[s].is_zero()).collect();
    let anchor = *class
        .iter()
        .max_by(|&&a, &&b| p[a].cmp(&p[b]))
        .expect("probabilities sum to 1");
    let transitions = pauli
        .transitions
        .iter()
        .zip(&pauli.fermi)
        .map(|(t, (f, g))| (t.from, t.to, &t.gamma * f, &t.gamma * g));
    let (jumps, jump_of, states) = restrict(pauli.n_states, &class, anchor, transitions);
    let p0 = states.iter().map(|&s| p[s].clone()).collect();
    let process = Process::new(states.len(), jumps, p0)
        .map_err(|_| Error::Singular("exact counting statistics: reducible closed class".into()))?;
    Ok((process, jump_of))
}
