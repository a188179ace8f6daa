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
    let (probabilities, closed_class) = match gth(rates) {
        Some(p) => (p, None),
        None => {
            let class = unique_closed_class(rates, label)?;
            let sub =
                DMatrix::from_fn(class.len(), class.len(), |a, b| rates[(class[a], class[b])]);
            let p_sub = gth(&sub).ok_or_else(|| {
                Error::Singular("state reduction failed on an irreducible class".into())
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

/// Grassmann–Taksar–Heyman: censor states n−1, …, 1 one by one, then back-substitute.
/// Returns `None` when some state cannot reach a lower-numbered one (a zero pivot).
fn gth(rates: &DMatrix<f64>) -> Option<Vec<f64>> {
    let n = rates.nrows();
    let mut a = rates.clone();
    for k in (1..n).rev() {
        let s: f64 = (0..k).map(|j| a[(k, j)]).sum();
        if s <= 0.0 || !s.is_finite() {
            return None;
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
    }
    let total: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= total);
    Some(p)
}

/// The states of the unique closed class of the rate graph, or the error naming all
/// closed classes when there are several.
fn unique_closed_class(
    rates: &DMatrix<f64>,
    label: impl Fn(usize) -> String,
) -> Result<Vec<usize>> {
    use petgraph::algo::tarjan_scc;
    use petgraph::graph::DiGraph;
    let n = rates.nrows();
    let mut graph = DiGraph::<(), ()>::with_capacity(n, n);
    let nodes: Vec<_> = (0..n).map(|_| graph.add_node(())).collect();
    for i in 0..n {
        for j in 0..n {
            if i != j && rates[(i, j)] > 0.0 {
                graph.add_edge(nodes[i], nodes[j], ());
            }
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
            class.iter().all(|i| {
                (0..n).all(|j| rates[(i.index(), j)] <= 0.0 || class_of[j] == *c || i.index() == j)
            })
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
