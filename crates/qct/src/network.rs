//! ⑦′ The transition network at equilibrium and its cycles (Kirchhoff / Schnakenberg).
//!
//! Near equilibrium every transition t = (i → j) carries the one-way flux
//! k_t = γ_t f(ω_t) p_i = γ_t (1 − f(ω_t)) p_j (detailed balance), and a force F moves its net
//! flux by J_t = k_t (X_t + φ_i − φ_j) with X_t = Σ_j d_j(t) F_j and φ = p₁/p₀: a resistor
//! network with conductances k_t and EMFs X_t. Here d_j(t) is what transition t adds to flux
//! J_j (1 for J_N^λ, ω_t for J_E^λ, ω_t − μ_ρc for J_Q^λ when t goes through lead λ).
//! Kirchhoff's theorem then gives the Onsager matrix as a sum over the simple cycles C of
//! the network,
//!
//! L = (1/τ(G)) Σ_C [Π_{t∈C} k_t] τ(G/C) d(C) d(C)ᵀ,   d(C) = Σ_{t∈C} ±d(t),
//!
//! where τ(G) is the weighted number of spanning trees and G/C the network with C
//! contracted to one node. Every weight is positive, so L is symmetric and positive
//! semidefinite term by term, and the sign of a cross coefficient L_ij is decided by the
//! cycle affinities d_i(C) d_j(C). This module holds the combinatorics (shared by the
//! symbolic layer) and a numeric evaluation used to cross-check [`crate::onsager`].

use crate::error::{Error, Result};
use crate::rates::Device;
use crate::thermo::ForceBasis;
use nalgebra::DMatrix;

/// A simple cycle: transitions with the direction they are traversed in (+1 forward:
/// electron enters; −1 backward: electron leaves).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cycle {
    pub steps: Vec<(usize, i8)>,
    /// States on the cycle.
    pub states: Vec<usize>,
}

/// Largest number of simple cycles qct enumerates.
pub(crate) const MAX_CYCLES: usize = 200_000;

/// All simple cycles of the multigraph whose nodes are the `n_states` states and whose
/// edges are `edges` (from, to), each cycle once (two parallel edges form a 2-cycle).
/// Enumeration: from each start state s, depth-first paths through states > s only.
pub(crate) fn simple_cycles(n_states: usize, edges: &[(usize, usize)]) -> Result<Vec<Cycle>> {
    simple_cycles_up_to(n_states, edges, MAX_CYCLES)
}

/// [`simple_cycles`] with a bound: an error once more than `limit` cycles are found.
pub(crate) fn simple_cycles_up_to(
    n_states: usize,
    edges: &[(usize, usize)],
    limit: usize,
) -> Result<Vec<Cycle>> {
    let mut adjacency: Vec<Vec<(usize, usize, i8)>> = vec![vec![]; n_states];
    for (e, &(i, j)) in edges.iter().enumerate() {
        adjacency[i].push((e, j, 1));
        adjacency[j].push((e, i, -1));
    }
    let mut cycles = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for start in 0..n_states {
        let mut path: Vec<(usize, i8)> = Vec::new();
        let mut states = vec![start];
        extend(
            start,
            start,
            &adjacency,
            &mut path,
            &mut states,
            &mut cycles,
            &mut seen,
            limit,
        )?;
    }
    Ok(cycles)
}

fn extend(
    start: usize,
    at: usize,
    adjacency: &[Vec<(usize, usize, i8)>],
    path: &mut Vec<(usize, i8)>,
    states: &mut Vec<usize>,
    cycles: &mut Vec<Cycle>,
    seen: &mut std::collections::HashSet<Vec<usize>>,
    limit: usize,
) -> Result<()> {
    for &(edge, next, direction) in &adjacency[at] {
        if path.iter().any(|&(e, _)| e == edge) {
            continue;
        }
        if next == start {
            let mut steps = path.clone();
            steps.push((edge, direction));
            let mut key: Vec<usize> = steps.iter().map(|s| s.0).collect();
            key.sort_unstable();
            if seen.insert(key) {
                cycles.push(Cycle {
                    steps,
                    states: states.clone(),
                });
                if cycles.len() > limit {
                    return Err(Error::InvalidModel {
                        model: String::new(),
                        reason: format!(
                            "the transition network has more than {limit} simple cycles; \
                             the cycle form is out of reach"
                        ),
                    });
                }
            }
        } else if next > start && !states.contains(&next) {
            path.push((edge, direction));
            states.push(next);
            extend(start, next, adjacency, path, states, cycles, seen, limit)?;
            path.pop();
            states.pop();
        }
    }
    Ok(())
}

/// ln τ of the weighted spanning-tree sum τ of the multigraph on `n` nodes (matrix-tree
/// theorem: τ is the determinant of the Laplacian with node 0 grounded); −∞ for a
/// disconnected graph. Computed by reducing the nodes one by one (Kron reduction): τ is the
/// product of the pivots, each pivot the sum of the remaining conductances — no subtraction,
/// so small conductances keep their relative accuracy — and ln τ the sum of the logarithms of
/// the positive pivots, which cannot underflow when τ is a product of many small conductances.
/// Self-loops are ignored. The n × n conductance table is kept in `scratch` (reused by
/// callers that evaluate many contracted networks).
fn log_spanning_tree_weight_in(
    n: usize,
    edges: &[(usize, usize, f64)],
    scratch: &mut Vec<f64>,
) -> f64 {
    if n <= 1 {
        return 0.0;
    }
    // c[(a, b)] at a + b n.
    scratch.clear();
    scratch.resize(n * n, 0.0);
    let c = &mut scratch[..];
    for &(a, b, k) in edges {
        if a != b {
            c[a + b * n] += k;
            c[b + a * n] += k;
        }
    }
    let mut log_tau = 0.0;
    for v in (1..n).rev() {
        // Remaining nodes: 0..v (node 0 is the ground).
        let pivot: f64 = (0..v).map(|u| c[v + u * n]).sum();
        if pivot <= 0.0 {
            return f64::NEG_INFINITY;
        }
        log_tau += pivot.ln();
        for u in 0..v {
            let weight = c[u + v * n] / pivot;
            if weight == 0.0 {
                continue;
            }
            for w in 0..v {
                if w != u {
                    c[u + w * n] += weight * c[v + w * n];
                }
            }
        }
    }
    log_tau
}

/// Node map that merges the states of `cycle` into one node; returns (map, node count).
#[cfg(feature = "symbolic")]
pub(crate) fn contract(n_states: usize, cycle: &Cycle) -> (Vec<usize>, usize) {
    let mut map = vec![0; n_states];
    let nodes = contract_into(&mut map, |s| cycle.states.contains(&s));
    (map, nodes)
}

/// [`contract`] into `map` (one entry per state) for the states where `in_cycle` holds:
/// those become node 0, the others 1, 2, … in order. Returns the node count.
fn contract_into(map: &mut [usize], in_cycle: impl Fn(usize) -> bool) -> usize {
    let mut next = 1;
    for (s, node) in map.iter_mut().enumerate() {
        if in_cycle(s) {
            *node = 0;
        } else {
            *node = next;
            next += 1;
        }
    }
    next
}

/// d_j(t): what transition t (forward) adds to the flux of force j, at the lead states of
/// `device` (the equilibrium).
pub(crate) fn flux_increment(
    device: &Device,
    basis: &ForceBasis,
    force: usize,
    transition: usize,
) -> f64 {
    let t = device.transitions[transition];
    basis.transported(&basis.forces[force], t.lead, t.omega, t.spin, |l| {
        device.leads[l].mu
    })
}

/// Equilibrium one-way flux of every transition, k_t = γ_t f(ω_t) p₀(from): the
/// conductances of the linearised network. Where f underflows in f64 (β|ω − μ| beyond
/// ~700) the product is formed in [`crate::scaled::Scaled`] arithmetic, so a conductance
/// is 0 only when it lies below the f64 range itself.
pub(crate) fn conductances(device: &Device, fermi: &[(f64, f64)], p0: &[f64]) -> Vec<f64> {
    use crate::scaled::Scaled;
    device
        .transitions
        .iter()
        .zip(fermi)
        .map(|(t, &(f, _))| {
            let k = t.gamma * f * p0[t.from];
            if k >= f64::MIN_POSITIVE || t.gamma == 0.0 || p0[t.from] == 0.0 {
                return k;
            }
            let lead = device.leads[t.lead];
            let (f, _) = crate::rates::fermi_scaled(lead.beta * (t.omega - lead.mu));
            (Scaled::from_f64(t.gamma) * f * Scaled::from_f64(p0[t.from])).to_f64()
        })
        .collect()
}

/// The Onsager matrix from the cycle formula, evaluated in f64 at the equilibrium device
/// (enumerates the cycles; see `cycle_form`).
#[cfg(test)]
pub(crate) fn cycle_onsager(equilibrium: &Device, basis: &ForceBasis) -> Result<DMatrix<f64>> {
    let fermi = equilibrium.occupations();
    let (steady, _) = crate::currents::steady_currents(equilibrium)?;
    let edges: Vec<(usize, usize)> = equilibrium
        .transitions
        .iter()
        .map(|t| (t.from, t.to))
        .collect();
    let cycles = simple_cycles(equilibrium.n_states, &edges)?;
    cycle_form(equilibrium, basis, &cycles, &fermi, &steady.probabilities).ok_or_else(|| {
        Error::Singular("the conductance network at equilibrium is disconnected".into())
    })
}

/// L = (1/τ) Σ_C [Π_{t∈C} k_t] τ(G/C) d(C) d(C)ᵀ with k_t = γ_t f_t p₀(from). Every weight
/// is a product of positive numbers and the spanning-tree sums come from Kron reduction, so
/// only the signs of the cycle affinities d(C) can cancel: accurate even when the
/// conductances span many orders of magnitude. States with p₀ = 0 (transient, or
/// underflowed) carry no conductance and are left out; `None` when the remaining
/// conductance network is disconnected (τ = 0), where the nodal route applies.
#[cfg(test)]
pub(crate) fn cycle_form(
    equilibrium: &Device,
    basis: &ForceBasis,
    cycles: &[Cycle],
    fermi: &[(f64, f64)],
    p0: &[f64],
) -> Option<DMatrix<f64>> {
    cycle_form_in(equilibrium, basis, cycles, None, fermi, p0)
}

/// The network G/C of one cycle C when every state is active (p₀ > 0 everywhere): its node
/// count and the transitions not on C as (node, node, transition), in transition order —
/// what [`cycle_form`] builds for C at every point, built once per network.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Contraction {
    nodes: usize,
    edges: Vec<(usize, usize, usize)>,
}

/// The simple cycles of a transition network with the [`Contraction`] of each.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CycleNetwork {
    pub(crate) cycles: Vec<Cycle>,
    contractions: Vec<Contraction>,
}

impl CycleNetwork {
    /// The network on `n_states` states with the transitions `edges` (from, to) and its
    /// simple `cycles`.
    pub(crate) fn new(n_states: usize, edges: &[(usize, usize)], cycles: Vec<Cycle>) -> Self {
        let mut map = vec![0; n_states];
        let contractions = (cycles.iter())
            .map(|cycle| {
                let nodes = contract_into(&mut map, |s| cycle.states.contains(&s));
                let edges = (edges.iter().enumerate())
                    .filter(|(e, _)| !cycle.steps.iter().any(|s| s.0 == *e))
                    .map(|(e, &(a, b))| (map[a], map[b], e))
                    .collect();
                Contraction { nodes, edges }
            })
            .collect();
        CycleNetwork {
            cycles,
            contractions,
        }
    }

    /// [`cycle_form`] with the contractions built once.
    pub(crate) fn cycle_form(
        &self,
        equilibrium: &Device,
        basis: &ForceBasis,
        fermi: &[(f64, f64)],
        p0: &[f64],
    ) -> Option<DMatrix<f64>> {
        let contractions = Some(&self.contractions[..]);
        cycle_form_in(equilibrium, basis, &self.cycles, contractions, fermi, p0)
    }
}

/// [`cycle_form`], with the [`Contraction`]s of `cycles` when known: used when every state is
/// active. A transition of zero conductance then enters τ(G/C) as a zero edge where
/// [`cycle_form`] leaves it out (as a self-loop): the same sums.
fn cycle_form_in(
    equilibrium: &Device,
    basis: &ForceBasis,
    cycles: &[Cycle],
    contractions: Option<&[Contraction]>,
    fermi: &[(f64, f64)],
    p0: &[f64],
) -> Option<DMatrix<f64>> {
    let mut index = vec![usize::MAX; equilibrium.n_states];
    let mut n = 0;
    for (s, &p) in p0.iter().enumerate() {
        if p > 0.0 {
            index[s] = n;
            n += 1;
        }
    }
    // Conductances relative to the largest (W_C/τ is homogeneous of degree 1 in the k_t, so
    // L = k_max Σ_C Ŵ_C d dᵀ/τ̂), and the weights in logarithms: products of many small k_t
    // cannot underflow.
    let raw = conductances(equilibrium, fermi, p0);
    let scale = raw.iter().copied().fold(0.0, f64::max);
    if scale <= 0.0 {
        return Some(DMatrix::zeros(basis.len(), basis.len()));
    }
    let conductance: Vec<f64> = raw.iter().map(|k| k / scale).collect();
    // Edges of the active network, in the active numbering (others get a self-loop at 0,
    // which log_spanning_tree_weight_in ignores, so that edge indices stay those of transitions).
    let weighted: Vec<(usize, usize, f64)> = equilibrium
        .transitions
        .iter()
        .zip(&conductance)
        .map(|(t, &k)| {
            if k > 0.0 && index[t.from] != usize::MAX && index[t.to] != usize::MAX {
                (index[t.from], index[t.to], k)
            } else {
                (0, 0, 0.0)
            }
        })
        .collect();
    let mut scratch = Vec::new();
    let log_tau = log_spanning_tree_weight_in(n, &weighted, &mut scratch);
    if !log_tau.is_finite() {
        return None;
    }
    let m = basis.len();
    let mut l = DMatrix::zeros(m, m);
    // Per transition, computed once: ln k̂_t and d_j(t) (at t + j · transitions).
    let log_conductance: Vec<f64> = conductance.iter().map(|k| k.ln()).collect();
    let count = equilibrium.transitions.len();
    let increment: Vec<f64> = (0..m)
        .flat_map(|j| (0..count).map(move |e| (j, e)))
        .map(|(j, e)| flux_increment(equilibrium, basis, j, e))
        .collect();
    // Buffers reused from cycle to cycle.
    let (mut map, mut rest, mut d) = (vec![0; n], Vec::new(), vec![]);
    let contractions = contractions.filter(|_| n == equilibrium.n_states);
    for (c, cycle) in cycles.iter().enumerate() {
        if cycle.states.iter().any(|&s| index[s] == usize::MAX) {
            continue;
        }
        // G/C in the active numbering.
        rest.clear();
        let nodes = match contractions {
            Some(contractions) => {
                let Contraction { nodes, edges } = &contractions[c];
                rest.extend(edges.iter().map(|&(a, b, e)| (a, b, weighted[e].2)));
                *nodes
            }
            None => {
                let nodes =
                    contract_into(&mut map, |s| cycle.states.iter().any(|&c| index[c] == s));
                rest.extend(
                    weighted
                        .iter()
                        .enumerate()
                        .filter(|(e, _)| !cycle.steps.iter().any(|s| s.0 == *e))
                        .map(|(_, &(a, b, k))| (map[a], map[b], k)),
                );
                nodes
            }
        };
        // W_C/τ in logarithms: Π k̂ over the cycle times τ(G/C), over τ.
        let log_weight = cycle
            .steps
            .iter()
            .map(|&(e, _)| log_conductance[e])
            .sum::<f64>()
            + log_spanning_tree_weight_in(nodes, &rest, &mut scratch)
            - log_tau;
        let weight = log_weight.exp();
        if weight == 0.0 {
            continue;
        }
        d.clear();
        d.extend((0..m).map(|j| -> f64 {
            cycle
                .steps
                .iter()
                .map(|&(e, s)| f64::from(s) * increment[e + j * count])
                .sum()
        }));
        for i in 0..m {
            for j in 0..m {
                l[(i, j)] += weight * d[i] * d[j];
            }
        }
    }
    Some(l * scale)
}
