//! ④ The Pauli steady state: W p = 0 with Σ p = 1 (PHYSICS.md, "Leads and rates").
//!
//! Solved by the Grassmann–Taksar–Heyman state reduction, which uses only additions,
//! multiplications and divisions of non-negative numbers: p ≥ 0 always, and every
//! probability has small *relative* error even when rates span hundreds of orders of
//! magnitude (|β ω| up to 10⁴). Uniqueness is checked from the graph of non-zero rates:
//! the steady state is unique iff exactly one class of states is closed (no rate leads out
//! of it); states outside it are transient and have p = 0.

use crate::error::{Error, Result};
use nalgebra::DMatrix;

/// The steady state and a diagnosis of how well it solves W p = 0.
#[derive(Debug, Clone, PartialEq)]
pub struct SteadyState {
    /// Probabilities p_k, Σ p = 1, p ≥ 0.
    pub probabilities: Vec<f64>,
    /// max_k |(W p)_k| / max_k (outflow of k): balance error relative to the largest
    /// probability flow.
    pub residual: f64,
    /// The unique closed class of states when some states are transient (p = 0 there);
    /// `None` when every state can be reached from every other.
    pub closed_class: Option<Vec<usize>>,
}

/// Steady state of the Markov chain with rate matrix `rates` (R[(i, j)]: rate i → j).
/// `label` names states in the error for a non-unique steady state.
pub fn steady_state(rates: &DMatrix<f64>, label: impl Fn(usize) -> String) -> Result<SteadyState> {
    let n = rates.nrows();
    // Fast path: state reduction succeeds iff every state can reach state 0, which then
    // lies in the unique closed class.
    let (probabilities, closed_class) = match gth_anchored(rates) {
        Some(p) => (p, None),
        None => {
            let class = unique_closed_class(n, dense_edges(rates), label)?;
            let sub =
                DMatrix::from_fn(class.len(), class.len(), |a, b| rates[(class[a], class[b])]);
            let p_sub = gth_anchored(&sub).ok_or_else(|| {
                Error::Singular(
                    "the steady-state probabilities span more than the double-precision range \
                     (ratios beyond ~1e308, e.g. |beta (omega - mu)| of several hundred in \
                     many transitions); qct cannot represent this steady state"
                        .into(),
                )
            })?;
            let mut p = vec![0.0; n];
            for (&state, &value) in class.iter().zip(&p_sub) {
                p[state] = value;
            }
            (p, Some(class))
        }
    };
    let residual = balance_residual(rates, &probabilities);
    if probabilities.iter().any(|x| !x.is_finite()) {
        return Err(Error::NonFinite("the steady state".into()));
    }
    Ok(SteadyState {
        probabilities,
        residual,
        closed_class,
    })
}

/// [`gth`] with the normalisation anchored at a dominant state: the reduction expresses every
/// probability relative to state 0, which overflows when state 0 is more than ~1e300 times
/// less probable than another (e.g. β(ε − μ) = −720). Then it is redone with the state that
/// overflowed moved to position 0 (a bounded number of times).
fn gth_anchored(rates: &DMatrix<f64>) -> Option<Vec<f64>> {
    let n = rates.nrows();
    let mut order: Vec<usize> = (0..n).collect();
    for _ in 0..=n.min(16) {
        let permuted = DMatrix::from_fn(n, n, |i, j| rates[(order[i], order[j])]);
        match gth(&permuted) {
            Gth::Solved(p) => {
                let mut out = vec![0.0; n];
                for (i, &state) in order.iter().enumerate() {
                    out[state] = p[i];
                }
                return Some(out);
            }
            Gth::Overflow(k) => order.swap(0, k),
            Gth::ZeroPivot => return None,
        }
    }
    None
}

/// Outcome of one state reduction.
enum Gth {
    Solved(Vec<f64>),
    /// Some state cannot reach a lower-numbered one (a zero pivot).
    ZeroPivot,
    /// The probability of this state relative to state 0 overflows.
    Overflow(usize),
}

/// Grassmann–Taksar–Heyman: censor states n−1, …, 1 one by one, then back-substitute.
fn gth(rates: &DMatrix<f64>) -> Gth {
    let n = rates.nrows();
    let mut a = rates.clone();
    for k in (1..n).rev() {
        let s: f64 = (0..k).map(|j| a[(k, j)]).sum();
        if !s.is_finite() {
            return Gth::Overflow(k);
        }
        if s <= 0.0 {
            return Gth::ZeroPivot;
        }
        for i in 0..k {
            a[(i, k)] /= s;
        }
        for j in 0..k {
            let a_kj = a[(k, j)];
            if a_kj == 0.0 {
                continue;
            }
            for i in 0..k {
                if i != j {
                    a[(i, j)] += a[(i, k)] * a_kj;
                }
            }
        }
    }
    let mut p = vec![0.0; n];
    p[0] = 1.0;
    for k in 1..n {
        p[k] = (0..k).map(|i| p[i] * a[(i, k)]).sum();
        if !p[k].is_finite() {
            return Gth::Overflow(k);
        }
        // The back-substitution is linear in p: rescale when a probability would leave the
        // f64 range relative to state 0 (steady states spanning more than 1e300).
        if p[k] > 1e200 {
            let s = p[k];
            p[..=k].iter_mut().for_each(|x| *x /= s);
        }
    }
    let total: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= total);
    Gth::Solved(p)
}

/// The states of the unique closed class of the graph on `n` states with the directed edges
/// `edges` (pairs with a positive rate), or the error naming all closed classes when there
/// are several.
fn unique_closed_class(
    n: usize,
    edges: impl Iterator<Item = (usize, usize)>,
    label: impl Fn(usize) -> String,
) -> Result<Vec<usize>> {
    use petgraph::algo::tarjan_scc;
    use petgraph::graph::DiGraph;
    let mut graph = DiGraph::<(), ()>::with_capacity(n, n);
    let nodes: Vec<_> = (0..n).map(|_| graph.add_node(())).collect();
    for (i, j) in edges {
        if i != j {
            graph.add_edge(nodes[i], nodes[j], ());
        }
    }
    let classes = tarjan_scc(&graph);
    let mut class_of = vec![0; n];
    for (c, class) in classes.iter().enumerate() {
        for node in class {
            class_of[node.index()] = c;
        }
    }
    let closed: Vec<Vec<usize>> = classes
        .iter()
        .enumerate()
        .filter(|(c, class)| {
            class
                .iter()
                .all(|&i| graph.neighbors(i).all(|j| class_of[j.index()] == *c))
        })
        .map(|(_, class)| {
            let mut states: Vec<usize> = class.iter().map(|i| i.index()).collect();
            states.sort_unstable();
            states
        })
        .collect();
    match closed.len() {
        1 => Ok(closed.into_iter().next().unwrap()),
        count => Err(Error::NonUniqueSteadyState {
            count,
            classes: closed
                .iter()
                .map(|c| {
                    format!(
                        "{{{}}}",
                        c.iter().map(|&s| label(s)).collect::<Vec<_>>().join(",")
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// Positive off-diagonal entries of a dense rate matrix as edges.
fn dense_edges(rates: &DMatrix<f64>) -> impl Iterator<Item = (usize, usize)> + '_ {
    let n = rates.nrows();
    (0..n).flat_map(move |i| {
        (0..n)
            .filter(move |&j| i != j && rates[(i, j)] > 0.0)
            .map(move |j| (i, j))
    })
}

/// Largest state space solved by dense state reduction (O(n³)); larger ones (more than
/// 10 dots) use the sparse iterative solver [`steady_state_sparse`].
pub const DENSE_LIMIT: usize = 1024;

/// Gauss–Seidel sweeps allowed before the sparse solver gives up.
const MAX_SWEEPS: usize = 100_000;

/// Steady state of a large chain given as a list of rates (from, to, rate), by Gauss–Seidel
/// iteration of the balance equations p_k Σ_j R_kj = Σ_j p_j R_jk, which keeps p ≥ 0. Each
/// sweep costs O(number of transitions). Converged when the balance residual (as in
/// [`SteadyState::residual`]) is below 1e-14.
pub fn steady_state_sparse(
    n: usize,
    rates: &[(usize, usize, f64)],
    label: impl Fn(usize) -> String,
) -> Result<SteadyState> {
    let positive = || rates.iter().filter(|r| r.2 > 0.0).map(|r| (r.0, r.1));
    let class = unique_closed_class(n, positive(), label)?;
    let mut in_class = vec![false; n];
    class.iter().for_each(|&s| in_class[s] = true);
    let mut outflow = vec![0.0; n];
    let mut incoming: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(i, j, r) in rates {
        if i != j && r > 0.0 && in_class[i] && in_class[j] {
            outflow[i] += r;
            incoming[j].push((i, r));
        }
    }
    let mut p: Vec<f64> = (0..n)
        .map(|s| if in_class[s] { 1.0 } else { 0.0 })
        .collect();
    let mut residual = f64::INFINITY;
    for sweep in 0..MAX_SWEEPS {
        for &k in &class {
            let inflow: f64 = incoming[k].iter().map(|&(j, r)| r * p[j]).sum();
            if outflow[k] > 0.0 {
                p[k] = inflow / outflow[k];
            }
        }
        let total: f64 = p.iter().sum();
        p.iter_mut().for_each(|x| *x /= total);
        if sweep % 10 == 9 {
            residual = sparse_residual(&class, &incoming, &outflow, &p);
            if residual < 1e-14 {
                break;
            }
        }
    }
    if !(residual < 1e-10) || p.iter().any(|x| !x.is_finite()) {
        return Err(Error::Singular(format!(
            "the sparse steady-state iteration did not converge ({n} states, residual {residual:.1e})"
        )));
    }
    Ok(SteadyState {
        probabilities: p,
        residual,
        closed_class: (class.len() < n).then_some(class),
    })
}

fn sparse_residual(
    class: &[usize],
    incoming: &[Vec<(usize, f64)>],
    outflow: &[f64],
    p: &[f64],
) -> f64 {
    let mut worst: f64 = 0.0;
    let mut scale: f64 = 0.0;
    for &k in class {
        let inflow: f64 = incoming[k].iter().map(|&(j, r)| r * p[j]).sum();
        worst = worst.max((inflow - outflow[k] * p[k]).abs());
        scale = scale.max(outflow[k] * p[k]);
    }
    if scale > 0.0 { worst / scale } else { 0.0 }
}

/// max_k |inflow_k − outflow_k| / max_k outflow_k for probabilities p.
pub fn balance_residual(rates: &DMatrix<f64>, p: &[f64]) -> f64 {
    let n = rates.nrows();
    let mut worst: f64 = 0.0;
    let mut scale: f64 = 0.0;
    for k in 0..n {
        let outflow: f64 = (0..n)
            .filter(|&j| j != k)
            .map(|j| rates[(k, j)] * p[k])
            .sum();
        let inflow: f64 = (0..n)
            .filter(|&j| j != k)
            .map(|j| rates[(j, k)] * p[j])
            .sum();
        worst = worst.max((inflow - outflow).abs());
        scale = scale.max(outflow);
    }
    if scale > 0.0 { worst / scale } else { 0.0 }
}
