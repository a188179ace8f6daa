//! The recursive (Rayleigh–Schrödinger) scheme for the cumulants of a counted Markov jump
//! process, generic over the number field: it runs in f64 for qct's numbers and in exact
//! rationals for the oracle, with one definition of every formula.
//!
//! A process is a set of jump pairs: `from → to` at rate k_in (an electron enters; the
//! counter advances by d_t) and `to → from` at rate k_out (it leaves; the counter goes back by
//! d_t). The tilted generator with counting field s is
//!
//! W(s) = W₀ + Σ_{m≥1} sᵐ/m! W_m,   (W_m)_{to,from} = d_tᵐ k_in,   (W_m)_{from,to} = (−d_t)ᵐ k_out,
//!
//! (the escape rates on the diagonal carry no counting factor). Its dominant eigenvalue C(s),
//! with eigenvector ρ(s) normalised by ⟨1|ρ(s)⟩ = 1, is the scaled cumulant generating
//! function; κ_n = ∂ⁿC/∂sⁿ at s = 0. Expanding W(s) ρ(s) = C(s) ρ(s) order by order
//! (ρ(s) = Σ sⁿ/n! ρ_n, ρ₀ = p₀, ⟨1|ρ_n⟩ = 0 for n ≥ 1, ⟨1|W₀ = 0):
//!
//! κ_n = Σ_{m=1}^{n} C(n,m) ⟨1|W_m ρ_{n−m}⟩,
//! W₀ ρ_n = Σ_{m=1}^{n} C(n,m) (κ_m − W_m) ρ_{n−m},   ⟨1|ρ_n⟩ = 0,
//!
//! so ρ_n = W₀^D [Σ C(n,m)(κ_m − W_m) ρ_{n−m}] with the group (Drazin) inverse W₀^D. No
//! eigenvalue is computed and nothing is differentiated numerically: each order costs one
//! solve with the same factorisation of W₀, and the accuracy does not depend on the
//! spectral gap of W₀ (only the conditioning of W₀ itself enters, as for the steady state).
//!
//! The group-inverse solve W₀ x = b, ⟨1|x⟩ = 0 uses the Grassmann–Taksar–Heyman reduction
//! of the steady-state solver: states are eliminated one by one and every pivot is the sum
//! of the remaining off-diagonal rates of its column (the columns of W₀ keep summing to zero),
//! so the factorisation adds positive numbers only. The singular last equation is dropped,
//! the anchor state gets x = 0, and the null vector p₀ is subtracted to enforce ⟨1|x⟩ = 0.

use num_traits::Num;

/// One pair of opposite jumps: `from → to` at `rate_in` (counted +d), `to → from` at
/// `rate_out` (counted −d).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Jump<T> {
    pub from: usize,
    pub to: usize,
    pub rate_in: T,
    pub rate_out: T,
}

/// A counted Markov jump process with its steady state and the factorised W₀, ready for
/// cumulants of any counter. States must form one closed class (irreducible).
#[derive(Debug, Clone)]
pub(crate) struct Process<T> {
    n: usize,
    jumps: Vec<Jump<T>>,
    /// The steady state p₀ (Σ p₀ = 1).
    p0: Vec<T>,
    /// Row-major n×n: above the diagonal (i < k) the multipliers W_ik / s_k, below (j < k)
    /// the reduced W_kj; the diagonal unused.
    reduced: Vec<T>,
    /// Pivots s_k = −(reduced W_kk) > 0 for k ≥ 1 (s_0 unused).
    pivots: Vec<T>,
}

/// Why a process could not be factorised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReducibleProcess {
    /// A state that cannot reach the anchor (state 0) through the remaining states.
    pub state: usize,
}

impl<T: Num + Clone> Process<T> {
    /// Factorise W₀ of `jumps` on `n` states (anchor: state 0; put the most probable state
    /// there) with steady state `p0`.
    pub(crate) fn new(
        n: usize,
        jumps: Vec<Jump<T>>,
        p0: Vec<T>,
    ) -> Result<Process<T>, ReducibleProcess> {
        let mut a = vec![T::zero(); n * n];
        for jump in &jumps {
            // Column form: W₀[(to, from)] is the rate from → to.
            a[jump.to * n + jump.from] = a[jump.to * n + jump.from].clone() + jump.rate_in.clone();
            a[jump.from * n + jump.to] = a[jump.from * n + jump.to].clone() + jump.rate_out.clone();
        }
        let mut pivots = vec![T::zero(); n];
        for k in (1..n).rev() {
            // s_k: the rates out of k into the states still present (column sums stay 0).
            let s = (0..k).fold(T::zero(), |acc, i| acc + a[i * n + k].clone());
            if s == T::zero() {
                return Err(ReducibleProcess { state: k });
            }
            for i in 0..k {
                a[i * n + k] = a[i * n + k].clone() / s.clone();
            }
            for j in 0..k {
                let w_kj = a[k * n + j].clone();
                if w_kj == T::zero() {
                    continue;
                }
                for i in (0..k).filter(|&i| i != j) {
                    // W_ij − W_ik W_kj / W_kk = W_ij + (W_ik / s_k) W_kj: positive terms only.
                    a[i * n + j] = a[i * n + j].clone() + a[i * n + k].clone() * w_kj.clone();
                }
            }
            pivots[k] = s;
        }
        Ok(Process {
            n,
            jumps,
            p0,
            reduced: a,
            pivots,
        })
    }

    pub(crate) fn n_states(&self) -> usize {
        self.n
    }

    pub(crate) fn steady_state(&self) -> &[T] {
        &self.p0
    }

    pub(crate) fn jumps(&self) -> &[Jump<T>] {
        &self.jumps
    }

    /// x = W₀^D b: the solution of W₀ x = b with ⟨1|x⟩ = 0 (b must have ⟨1|b⟩ = 0).
    pub(crate) fn group_inverse_apply(&self, mut b: Vec<T>) -> Vec<T> {
        let n = self.n;
        let a = &self.reduced;
        for k in (1..n).rev() {
            let b_k = b[k].clone();
            if b_k == T::zero() {
                continue;
            }
            for i in 0..k {
                b[i] = b[i].clone() + a[i * n + k].clone() * b_k.clone();
            }
        }
        let mut x = vec![T::zero(); n];
        for k in 1..n {
            let coupled = (0..k).fold(T::zero(), |acc, j| {
                acc + a[k * n + j].clone() * x[j].clone()
            });
            x[k] = (coupled - b[k].clone()) / self.pivots[k].clone();
        }
        let total = x.iter().fold(T::zero(), |acc, v| acc + v.clone());
        for (x_k, p_k) in x.iter_mut().zip(&self.p0) {
            *x_k = x_k.clone() - p_k.clone() * total.clone();
        }
        x
    }

    /// W_m x for the counter with per-jump increments `powers[t][m]` = d_tᵐ.
    fn tilt_apply(&self, powers: &[Vec<T>], m: usize, x: &[T]) -> Vec<T> {
        let mut out = vec![T::zero(); self.n];
        for (jump, d) in self.jumps.iter().zip(powers) {
            let d_m = d[m].clone();
            if d_m == T::zero() {
                continue;
            }
            out[jump.to] =
                out[jump.to].clone() + d_m.clone() * jump.rate_in.clone() * x[jump.from].clone();
            let back = d_m * jump.rate_out.clone() * x[jump.to].clone();
            out[jump.from] = if m.is_multiple_of(2) {
                out[jump.from].clone() + back
            } else {
                out[jump.from].clone() - back
            };
        }
        out
    }

    /// ⟨1|W_m x⟩ = Σ_t d_tᵐ (k_in x_from + (−1)ᵐ k_out x_to).
    fn tilt_trace(&self, powers: &[Vec<T>], m: usize, x: &[T]) -> T {
        self.jumps
            .iter()
            .zip(powers)
            .fold(T::zero(), |acc, (jump, d)| {
                let inward = jump.rate_in.clone() * x[jump.from].clone();
                let outward = jump.rate_out.clone() * x[jump.to].clone();
                let net = if m.is_multiple_of(2) {
                    inward + outward
                } else {
                    inward - outward
                };
                acc + d[m].clone() * net
            })
    }

    /// The cumulants κ_1 … κ_order per unit time of the counter with per-jump increments
    /// `increments` (module doc).
    pub(crate) fn cumulants(&self, increments: &[T], order: usize) -> Vec<T> {
        let powers = power_table(increments, order);
        let binomial = binomials::<T>(order);
        let mut rho: Vec<Vec<T>> = vec![self.p0.clone()];
        let mut kappa: Vec<T> = vec![T::zero()];
        for n in 1..=order {
            let k_n = (1..=n).fold(T::zero(), |acc, m| {
                acc + binomial[n][m].clone() * self.tilt_trace(&powers, m, &rho[n - m])
            });
            kappa.push(k_n);
            if n == order {
                break;
            }
            let mut b = vec![T::zero(); self.n];
            for m in 1..=n {
                let w = self.tilt_apply(&powers, m, &rho[n - m]);
                for ((b_k, w_k), r_k) in b.iter_mut().zip(w).zip(&rho[n - m]) {
                    *b_k = b_k.clone()
                        + binomial[n][m].clone() * (kappa[m].clone() * r_k.clone() - w_k);
                }
            }
            rho.push(self.group_inverse_apply(b));
        }
        kappa.remove(0);
        kappa
    }

    /// Means κ_i and the matrix of second cumulants ⟨⟨J_i J_j⟩⟩ per unit time of several
    /// counters: κ_ij = ⟨1|W_ij p₀⟩ + ⟨1|W_i ρ^j⟩ + ⟨1|W_j ρ^i⟩ with W₀ ρ^i = (κ_i − W_i) p₀,
    /// ⟨1|ρ^i⟩ = 0, and ⟨1|W_ij p₀⟩ = Σ_t d_i d_j (k_in p_from + k_out p_to).
    pub(crate) fn second_cumulants(&self, counters: &[Vec<T>]) -> (Vec<T>, Vec<Vec<T>>) {
        let powers: Vec<Vec<Vec<T>>> = counters.iter().map(|d| power_table(d, 1)).collect();
        let means: Vec<T> = powers
            .iter()
            .map(|p| self.tilt_trace(p, 1, &self.p0))
            .collect();
        let rho: Vec<Vec<T>> = powers
            .iter()
            .zip(&means)
            .map(|(p, mean)| {
                let w = self.tilt_apply(p, 1, &self.p0);
                let b = w
                    .into_iter()
                    .zip(&self.p0)
                    .map(|(w_k, p_k)| mean.clone() * p_k.clone() - w_k)
                    .collect();
                self.group_inverse_apply(b)
            })
            .collect();
        let m = counters.len();
        let mut noise = vec![vec![T::zero(); m]; m];
        for i in 0..m {
            for j in i..m {
                let direct = self
                    .jumps
                    .iter()
                    .enumerate()
                    .fold(T::zero(), |acc, (t, jump)| {
                        let gross = jump.rate_in.clone() * self.p0[jump.from].clone()
                            + jump.rate_out.clone() * self.p0[jump.to].clone();
                        acc + counters[i][t].clone() * counters[j][t].clone() * gross
                    });
                let value = direct
                    + self.tilt_trace(&powers[i], 1, &rho[j])
                    + self.tilt_trace(&powers[j], 1, &rho[i]);
                noise[i][j] = value.clone();
                noise[j][i] = value;
            }
        }
        (means, noise)
    }
}

/// The transitions of a chain restricted to the states of its closed class, renumbered with
/// `anchor` (a state of the class, best the most probable) first: the jumps, the jump index of
/// every transition (`None` for a transition touching a transient state: no probability flows
/// through it), and the old index of every new state.
pub(crate) fn restrict<T>(
    n_states: usize,
    class: &[usize],
    anchor: usize,
    transitions: impl Iterator<Item = (usize, usize, T, T)>,
) -> (Vec<Jump<T>>, Vec<Option<usize>>, Vec<usize>) {
    let mut states = class.to_vec();
    let position = states
        .iter()
        .position(|&s| s == anchor)
        .expect("anchor in the class");
    states.swap(0, position);
    let mut index = vec![usize::MAX; n_states];
    for (i, &s) in states.iter().enumerate() {
        index[s] = i;
    }
    let mut jumps = Vec::new();
    let mut jump_of = Vec::new();
    for (from, to, rate_in, rate_out) in transitions {
        let (from, to) = (index[from], index[to]);
        if from == usize::MAX || to == usize::MAX {
            jump_of.push(None);
            continue;
        }
        jump_of.push(Some(jumps.len()));
        jumps.push(Jump {
            from,
            to,
            rate_in,
            rate_out,
        });
    }
    (jumps, jump_of, states)
}

/// Per-jump increments from per-transition ones (`jump_of[t]`: the jump of transition t,
/// `None` when t is not part of the process).
pub(crate) fn jump_increments<T: Num + Clone>(
    jump_of: &[Option<usize>],
    increments: &[T],
) -> Vec<T> {
    let mut d = vec![T::zero(); jump_of.iter().flatten().count()];
    for (jump, increment) in jump_of.iter().zip(increments) {
        if let Some(j) = jump {
            d[*j] = increment.clone();
        }
    }
    d
}

/// d_tᵐ for m = 0..=order, per jump.
fn power_table<T: Num + Clone>(increments: &[T], order: usize) -> Vec<Vec<T>> {
    increments
        .iter()
        .map(|d| {
            let mut row = vec![T::one()];
            for m in 1..=order {
                row.push(row[m - 1].clone() * d.clone());
            }
            row
        })
        .collect()
}

/// Pascal's triangle C(n, m) for n ≤ order, in the field T.
fn binomials<T: Num + Clone>(order: usize) -> Vec<Vec<T>> {
    let mut c: Vec<Vec<T>> = vec![vec![T::one()]];
    for n in 1..=order {
        let mut row = vec![T::one(); n + 1];
        for m in 1..n {
            row[m] = c[n - 1][m - 1].clone() + c[n - 1][m].clone();
        }
        c.push(row);
    }
    c
}
