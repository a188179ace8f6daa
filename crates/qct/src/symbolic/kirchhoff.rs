//! ⑦ Kirchhoff's theorem for the equilibrium transition network: the spanning-tree polynomial
//! τ, the cycle form τ Z L_ij = Σ_C W_C d_i(C) d_j(C), the nodal route (an independent,
//! not manifestly symmetric derivation of the same L) and the reciprocity proofs that compare
//! them. Runs on the engine thread only.

use super::Reciprocity;
use super::derive::{int, is_zero};
use crate::network::{Cycle, contract};
use crate::rates::Transition;
use std::collections::{BTreeMap, HashMap};
use symbolica::prelude::*;

/// Determinant of a square matrix of polynomials by Laplace expansion with memoisation over
/// column subsets (division-free, O(n 2ⁿ) products), expanded.
pub(super) fn determinant(matrix: &[Vec<Atom>]) -> Atom {
    let n = matrix.len();
    if n == 0 {
        return int(1);
    }
    let mut memo: HashMap<u32, Atom> = HashMap::new();
    fn rec(matrix: &[Vec<Atom>], columns: u32, memo: &mut HashMap<u32, Atom>) -> Atom {
        let n = matrix.len();
        let row = n - columns.count_ones() as usize;
        if row == n {
            return int(1);
        }
        if let Some(a) = memo.get(&columns) {
            return a.clone();
        }
        let mut sum = int(0);
        let mut sign = 1;
        for c in 0..n {
            if columns & (1 << c) == 0 {
                continue;
            }
            let entry = &matrix[row][c];
            if !entry.is_zero() {
                let minor = rec(matrix, columns & !(1 << c), memo);
                if !minor.is_zero() {
                    sum += int(sign) * entry * &minor;
                }
            }
            sign = -sign;
        }
        let sum = sum.expand();
        memo.insert(columns, sum.clone());
        sum
    }
    rec(matrix, (1u32 << n) - 1, &mut memo)
}

/// Weighted Laplacian of the multigraph on `nodes` nodes with edges (a, b, weight), node 0
/// removed (grounded).
pub(super) fn reduced_laplacian(nodes: usize, edges: &[(usize, usize, Atom)]) -> Vec<Vec<Atom>> {
    let mut l = vec![vec![int(0); nodes.saturating_sub(1)]; nodes.saturating_sub(1)];
    for (a, b, w) in edges {
        if a == b {
            continue;
        }
        for (x, y) in [(*a, *b), (*b, *a)] {
            if x > 0 {
                l[x - 1][x - 1] = &l[x - 1][x - 1] + w;
                if y > 0 {
                    l[x - 1][y - 1] = &l[x - 1][y - 1] - w;
                }
            }
        }
    }
    l
}

/// Adjugate (transposed cofactor matrix) of a square polynomial matrix.
pub(super) fn adjugate(matrix: &[Vec<Atom>]) -> Vec<Vec<Atom>> {
    let n = matrix.len();
    let mut adj = vec![vec![int(0); n]; n];
    for r in 0..n {
        for c in 0..n {
            let minor: Vec<Vec<Atom>> = (0..n)
                .filter(|&i| i != r)
                .map(|i| {
                    (0..n)
                        .filter(|&j| j != c)
                        .map(|j| matrix[i][j].clone())
                        .collect()
                })
                .collect();
            let sign = if (r + c) % 2 == 0 { 1 } else { -1 };
            adj[c][r] = (int(sign) * determinant(&minor)).expand();
        }
    }
    adj
}

/// Rank of a matrix of polynomials (rows × columns) over their fraction field, by
/// fraction-free Gaussian elimination.
pub(super) fn rank(rows: &[Vec<Atom>], columns: usize) -> usize {
    let mut rows: Vec<Vec<Atom>> = rows.to_vec();
    let mut rank = 0;
    for c in 0..columns {
        let Some(p) = (rank..rows.len()).find(|&r| !rows[r][c].is_zero()) else {
            continue;
        };
        rows.swap(rank, p);
        let pivot_row = rows[rank].clone();
        for row in rows.iter_mut().skip(rank + 1) {
            if row[c].is_zero() {
                continue;
            }
            let factor = row[c].clone();
            for k in c..columns {
                row[k] = (&row[k] * &pivot_row[c] - &pivot_row[k] * &factor).expand();
            }
        }
        rows.retain(|row| row.iter().any(|a| !a.is_zero()));
        rank += 1;
    }
    rank
}

/// ⑦ Kirchhoff's cycle form: τ Z L_ij = Σ_C W_C d_i(C) d_j(C), with W_C the product of the
/// cycle's conductances times the spanning trees of the network with C contracted.
pub(super) struct CycleForm {
    /// τ Z L_ij (expanded).
    pub numerator: Vec<Vec<Atom>>,
    /// d(C) for every cycle, in the order of the cycles.
    pub affinities: Vec<Vec<Atom>>,
    /// Per pair i < j: affinity product (printed) → (affinity product, Σ W_C, cycle count).
    pub groups: Vec<Vec<BTreeMap<String, (Atom, Atom, usize)>>>,
}

pub(super) fn cycle_form(
    n: usize,
    m: usize,
    cycles: &[Cycle],
    weighted: &[(usize, usize, Atom)],
    k: &[Atom],
    increment: &dyn Fn(usize, usize) -> Atom,
) -> CycleForm {
    let mut numerator = vec![vec![int(0); m]; m];
    let mut affinities: Vec<Vec<Atom>> = Vec::with_capacity(cycles.len());
    // Cycle groups per pair (i < j): affinity (printed) → (affinity, Σ W_C, count).
    let mut groups: Vec<Vec<BTreeMap<String, (Atom, Atom, usize)>>> =
        vec![vec![BTreeMap::new(); m]; m];
    for cycle in cycles {
        let on_cycle: Vec<usize> = cycle.steps.iter().map(|s| s.0).collect();
        let (map, nodes) = contract(n, cycle);
        let rest: Vec<(usize, usize, Atom)> = weighted
            .iter()
            .enumerate()
            .filter(|(e, _)| !on_cycle.contains(e))
            .map(|(_, (a, b, w))| (map[*a], map[*b], w.clone()))
            .collect();
        let mut weight = determinant(&reduced_laplacian(nodes, &rest));
        for &e in &on_cycle {
            weight *= &k[e];
        }
        let weight = weight.expand();
        let d: Vec<Atom> = (0..m)
            .map(|j| {
                let mut sum = int(0);
                for &(e, s) in &cycle.steps {
                    sum += int(i64::from(s)) * increment(j, e);
                }
                sum.expand()
            })
            .collect();
        affinities.push(d.clone());
        for i in 0..m {
            for j in 0..m {
                let affinity = (&d[i] * &d[j]).expand();
                if affinity.is_zero() {
                    continue;
                }
                numerator[i][j] = &numerator[i][j] + &weight * &affinity;
                if i < j {
                    let entry = groups[i][j]
                        .entry(format!("{affinity}"))
                        .or_insert_with(|| (affinity.clone(), int(0), 0));
                    entry.1 = &entry.1 + &weight;
                    entry.2 += 1;
                }
            }
        }
    }
    for row in numerator.iter_mut() {
        for entry in row.iter_mut() {
            *entry = entry.expand();
        }
    }

    CycleForm {
        numerator,
        affinities,
        groups,
    }
}

/// ⑦ Nodal analysis, the independent route: τ φ = −adj(Lap) B K d_j, then
/// τ Z L_ij = Σ_t d_i(t) k_t (τ d_j(t) + τ φ_from − τ φ_to).
pub(super) fn nodal_form(
    n: usize,
    m: usize,
    transitions: &[Transition],
    k: &[Atom],
    laplacian: &[Vec<Atom>],
    tau: &Atom,
    increment: &dyn Fn(usize, usize) -> Atom,
) -> Vec<Vec<Atom>> {
    let adj = adjugate(laplacian);
    let mut nodal = vec![vec![int(0); m]; m];
    for j in 0..m {
        let mut source = vec![int(0); n];
        for (t, tr) in transitions.iter().enumerate() {
            let kd = &k[t] * increment(j, t);
            source[tr.from] = &source[tr.from] + &kd;
            source[tr.to] = &source[tr.to] - &kd;
        }
        let mut tau_phi = vec![int(0); n];
        for a in 1..n {
            let mut sum = int(0);
            for b in 1..n {
                sum -= &adj[a - 1][b - 1] * &source[b];
            }
            tau_phi[a] = sum.expand();
        }
        for i in 0..m {
            let mut sum = int(0);
            for (t, tr) in transitions.iter().enumerate() {
                let di = increment(i, t);
                if di.is_zero() {
                    continue;
                }
                sum += di * &k[t] * (tau * increment(j, t) + &tau_phi[tr.from] - &tau_phi[tr.to]);
            }
            nodal[i][j] = sum.expand();
        }
    }
    nodal
}

/// Reciprocity proved symbolically: the nodal numerators are symmetric, and equal to the
/// cycle form's.
pub(super) fn reciprocity_proofs(
    m: usize,
    nodal: &[Vec<Atom>],
    numerator: &[Vec<Atom>],
) -> Vec<Reciprocity> {
    let mut reciprocity = Vec::new();
    for i in 0..m {
        for j in (i + 1)..m {
            reciprocity.push(Reciprocity {
                i,
                j,
                proved: is_zero(&(&nodal[i][j] - &nodal[j][i])),
                routes_agree: is_zero(&(&nodal[i][j] - &numerator[i][j]))
                    && is_zero(&(&nodal[j][i] - &numerator[j][i])),
            });
        }
    }
    if m == 1 {
        reciprocity.push(Reciprocity {
            i: 0,
            j: 0,
            proved: true,
            routes_agree: is_zero(&(&nodal[0][0] - &numerator[0][0])),
        });
    }

    reciprocity
}
