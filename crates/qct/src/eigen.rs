//! ② for a non-diagonal H: the eigenbasis of a Hamiltonian with interdot tunnelling, and
//! the Pauli rates between its eigenstates (README, "Interdot tunnelling and coherences").
//!
//! H = Σ_α ε_α n_α + Σ U n_α n_α' + Σ K σ^z σ^z − Σ_{hoppings} t (d_a† d_b + d_b† d_a) on the
//! Fock basis |n_1 … n_n⟩ of [`crate::spectrum`], with the Jordan–Wigner signs of
//! [`crate::spectrum::jordan_wigner_sign`] (|11⟩ = d_1† d_2† |00⟩). Hopping conserves the
//! occupations outside its cluster of dots and the number of electrons inside it, so H is
//! block diagonal: a **block** is a set of Fock states joined by hopping (structurally, for
//! any value of t). Each block is diagonalised on its own (2 × 2 blocks in closed form,
//! larger ones by nalgebra's symmetric eigensolver).
//!
//! **Labels.** Eigenstate k (label A, B, … as for Fock states) is the eigenstate of k's block
//! with the largest weight |⟨k|ψ⟩|² on Fock state k (assigned greedily, largest weights
//! first), its sign fixed by a positive largest component. At t = 0 every eigenstate is its
//! Fock state and the labels are the usual ones; across an avoided crossing the labels follow
//! the character of the state (bonding / antibonding change place at ε_1 = ε_2).
//!
//! **Rates (secular Pauli).** An electron entering dot α from lead λ takes eigenstate a to b
//! at the rate γ_λα |⟨b|d_α†|a⟩|² f_λ(E_b − E_a); the reverse at γ_λα |⟨b|d_α†|a⟩|² (1 − f_λ).
//! [`device`] writes these as the [`Transition`]s of a [`Device`] with
//! γ = γ_λα |⟨b|d_α†|a⟩|², so every later stage (steady state, currents, forces, exact linear
//! response, regimes, sweeps) runs unchanged. At t = 0 [`Device::new`] never comes here: the
//! Fock path is used, bit for bit as for a model without hopping.

#[cfg(test)]
use crate::model::check_values;
use crate::model::{BareRate, Model, hopping};
use crate::rates::{Device, Transition, lead_states};
use crate::spectrum::jordan_wigner_sign;
use crate::spectrum::{self, occupation};
use nalgebra::DMatrix;
use std::sync::Arc;

/// The eigenbasis of H at one parameter point.
#[derive(Debug, Clone)]
pub(crate) struct Eigenbasis {
    /// E_k of eigenstate k.
    pub energies: Vec<f64>,
    /// Column k: eigenstate k in the Fock basis (real: H is real symmetric).
    pub vectors: DMatrix<f64>,
    /// The Fock states of each block, ascending, and `block_of[k]`: the block of Fock state k
    /// (and of eigenstate k). Shared: they depend on the model only.
    pub blocks: Arc<Blocks>,
}

/// The blocks of H (Fock states joined by tunnelling): the Fock states of each block
/// (ascending) and the block of every Fock state.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Blocks {
    pub states: Vec<Vec<usize>>,
    pub block_of: Vec<usize>,
}

impl Blocks {
    /// The Fock states of the block of Fock state `k`.
    pub(crate) fn of(&self, k: usize) -> &[usize] {
        &self.states[self.block_of[k]]
    }
}

/// ⟨k'| d_a† d_b |k⟩ for Fock states: `Some((k', sign))` when dot b is occupied and dot a
/// empty in k (after removing b), with the Jordan–Wigner signs of both operators.
pub(crate) fn hop(k: usize, a: usize, b: usize) -> Option<(usize, f64)> {
    if occupation(k, b) == 0 {
        return None;
    }
    let removed = k ^ (1 << b);
    if occupation(removed, a) == 1 {
        return None;
    }
    let added = removed | (1 << a);
    Some((
        added,
        jordan_wigner_sign(k, b) * jordan_wigner_sign(added, a),
    ))
}

/// H in the Fock basis (real symmetric 2^n × 2^n), its diagonal the energies `fock` of
/// [`spectrum::energies`].
fn hamiltonian(model: &Model, values: &[f64], fock: &[f64]) -> DMatrix<f64> {
    let n = model.n_states();
    let mut h = DMatrix::zeros(n, n);
    for (k, &e) in fock.iter().enumerate() {
        h[(k, k)] = e;
    }
    for hp in &model.hoppings {
        let t = values[hp.t.0];
        for k in 0..n {
            for (a, b) in [(hp.a, hp.b), (hp.b, hp.a)] {
                if let Some((k2, sign)) = hop(k, a, b) {
                    h[(k2, k)] -= t * sign;
                }
            }
        }
    }
    h
}

/// The blocks of H: Fock states joined by some hopping term (whatever the value of t).
pub(crate) fn blocks(model: &Model) -> (Vec<Vec<usize>>, Vec<usize>) {
    let n = model.n_states();
    let mut root: Vec<usize> = (0..n).collect();
    fn find(root: &mut [usize], mut x: usize) -> usize {
        while root[x] != x {
            root[x] = root[root[x]];
            x = root[x];
        }
        x
    }
    for hp in &model.hoppings {
        for k in 0..n {
            if let Some((k2, _)) = hop(k, hp.a, hp.b) {
                let (ra, rb) = (find(&mut root, k), find(&mut root, k2));
                root[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    let mut block_of = vec![0; n];
    let mut id_of_root = vec![usize::MAX; n];
    for k in 0..n {
        let r = find(&mut root, k);
        if id_of_root[r] == usize::MAX {
            id_of_root[r] = blocks.len();
            blocks.push(Vec::new());
        }
        block_of[k] = id_of_root[r];
        blocks[id_of_root[r]].push(k);
    }
    (blocks, block_of)
}

/// Eigenpairs of a real symmetric block, eigenvectors as columns.
fn diagonalise(block: &DMatrix<f64>) -> (Vec<f64>, DMatrix<f64>) {
    let m = block.nrows();
    // A diagonal block (t = 0, or a single state) is its own eigenbasis, exactly.
    if (0..m).all(|i| (0..m).all(|j| i == j || block[(i, j)] == 0.0)) {
        return (
            (0..m).map(|i| block[(i, i)]).collect(),
            DMatrix::identity(m, m),
        );
    }
    if m == 2 {
        let (energies, columns) = diagonalise_2x2(block[(0, 0)], block[(1, 1)], block[(0, 1)]);
        let vectors = DMatrix::from_fn(2, 2, |i, col| columns[col][i]);
        return (energies.to_vec(), vectors);
    }
    let eigen = nalgebra::SymmetricEigen::new(block.clone());
    (
        eigen.eigenvalues.iter().copied().collect(),
        eigen.eigenvectors,
    )
}

/// Eigenpairs of [[a, c], [c, b]] with c ≠ 0, ascending, and the eigenvectors (columns).
fn diagonalise_2x2(a: f64, b: f64, c: f64) -> ([f64; 2], [[f64; 2]; 2]) {
    // E± = (a + b)/2 ± √(((a − b)/2)² + c²); vector (c, E − a) or (E − b, c), whichever is
    // longer (no cancellation).
    let (mean, r) = ((a + b) / 2.0, ((a - b) / 2.0).hypot(c));
    let energies = [mean - r, mean + r];
    let columns = energies.map(|e| {
        let (v1, v2) = ((c, e - a), (e - b, c));
        let (x, y) = if v1.0.hypot(v1.1) >= v2.0.hypot(v2.1) {
            v1
        } else {
            v2
        };
        let norm = x.hypot(y);
        // c ≠ 0 here, so the longer candidate is nonzero.
        [x / norm, y / norm]
    });
    (energies, columns)
}

/// [`assignment`] of a 2 × 2 block from its first row (v_00, v_01).
fn assignment_2x2(v00: f64, v01: f64) -> [(usize, usize); 2] {
    if v00.abs() >= v01.abs() {
        [(0, 0), (1, 1)]
    } else {
        [(0, 1), (1, 0)]
    }
}

/// Which eigenvector (column) labels which Fock state (row) of a block: greedily, the
/// largest weight |⟨k|ψ⟩|² first (ties: lower row, then lower column). For 2 × 2 the weights
/// of an orthonormal basis pair up (|v_00|² = |v_11|²), so the diagonal pairing wins iff
/// |v_00| ≥ |v_01|.
fn assignment(vecs: &DMatrix<f64>) -> Vec<(usize, usize)> {
    let m = vecs.nrows();
    if m == 2 {
        return assignment_2x2(vecs[(0, 0)], vecs[(0, 1)]).to_vec();
    }
    let mut pairs: Vec<(f64, usize, usize)> = (0..m)
        .flat_map(|col| (0..m).map(move |row| (row, col)))
        .map(|(row, col)| (vecs[(row, col)].powi(2), row, col))
        .collect();
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let (mut row_used, mut col_used) = (vec![false; m], vec![false; m]);
    let mut out = Vec::with_capacity(m);
    for (_, row, col) in pairs {
        if !row_used[row] && !col_used[col] {
            row_used[row] = true;
            col_used[col] = true;
            out.push((row, col));
        }
    }
    out
}

/// The eigenbasis of H at `values`, labelled as in the module documentation.
pub(crate) fn eigenbasis(model: &Model, values: &[f64]) -> Eigenbasis {
    let (states, block_of) = blocks(model);
    let blocks = Arc::new(Blocks { states, block_of });
    eigenbasis_in(model, values, spectrum::energies(model, values), &blocks)
}

/// [`eigenbasis`] from the Fock energies `fock` ([`spectrum::energies`]) and the blocks of
/// the model.
fn eigenbasis_in(
    model: &Model,
    values: &[f64],
    fock: Vec<f64>,
    blocks: &Arc<Blocks>,
) -> Eigenbasis {
    let h = hamiltonian(model, values, &fock);
    let n = model.n_states();
    let mut energies = fock;
    let mut vectors = DMatrix::zeros(n, n);
    // The eigenvector with components `vec(i)` on `states[i]` and eigenvalue `e` labels Fock
    // state `states[row]`, its sign fixed by a positive largest component.
    let mut place =
        |states: &[usize], row: usize, e: f64, vec: &dyn Fn(usize) -> f64| {
            let label = states[row];
            energies[label] = e;
            let largest = (0..states.len()).map(vec).fold(0.0f64, |best, x| {
                if x.abs() > best.abs() { x } else { best }
            });
            let sign = if largest < 0.0 { -1.0 } else { 1.0 };
            for (i, &k) in states.iter().enumerate() {
                vectors[(k, label)] = sign * vec(i);
            }
        };
    for states in &blocks.states {
        let m = states.len();
        let (k, k2) = (states[0], states[m - 1]);
        if m == 1 {
            place(states, 0, h[(k, k)], &|_| 1.0);
        } else if m == 2 && (h[(k, k2)] != 0.0 || h[(k2, k)] != 0.0) {
            // The closed form of `diagonalise` without a matrix.
            let (values, columns) = diagonalise_2x2(h[(k, k)], h[(k2, k2)], h[(k, k2)]);
            for (row, col) in assignment_2x2(columns[0][0], columns[1][0]) {
                place(states, row, values[col], &|i| columns[col][i]);
            }
        } else {
            let sub = DMatrix::from_fn(m, m, |i, j| h[(states[i], states[j])]);
            let (values, vecs) = diagonalise(&sub);
            for (row, col) in assignment(&vecs) {
                place(states, row, values[col], &|i| vecs[(i, col)]);
            }
        }
    }
    Eigenbasis {
        energies,
        vectors,
        blocks: blocks.clone(),
    }
}

impl Eigenbasis {
    /// The nonzero matrix elements ⟨b|d_α†|a⟩ passed to `visit` as (a, b, element), a
    /// ascending then b.
    pub(crate) fn for_each_creation_element(
        &self,
        dot: usize,
        mut visit: impl FnMut(usize, usize, f64),
    ) {
        let n = self.energies.len();
        let bit = 1usize << dot;
        for a in 0..n {
            let from_block = self.blocks.of(a);
            let Some(&first) = from_block.iter().find(|&&k| k & bit == 0) else {
                continue;
            };
            // Blocks list their states in ascending order.
            for &b in self.blocks.of(first | bit) {
                let element: f64 = from_block
                    .iter()
                    .filter(|&&k| k & bit == 0)
                    .map(|&k| {
                        let k2 = k | bit;
                        self.vectors[(k2, b)] * jordan_wigner_sign(k2, dot) * self.vectors[(k, a)]
                    })
                    .sum();
                if element != 0.0 {
                    visit(a, b, element);
                }
            }
        }
    }

    /// ⟨n_α⟩ of eigenstate k for every dot.
    pub(crate) fn mean_occupations(&self, k: usize) -> Vec<f64> {
        let dots = self.energies.len().trailing_zeros() as usize;
        (0..dots)
            .map(|d| {
                self.blocks
                    .of(k)
                    .iter()
                    .filter(|&&f| occupation(f, d) == 1)
                    .map(|&f| self.vectors[(f, k)].powi(2))
                    .sum()
            })
            .collect()
    }
}

/// The bare rate γ_λα of a coupling for eigenstate `from` (validated: an occupation-dependent
/// rate depends only on dots without hopping, whose occupations are the same on every Fock
/// state of the block, so any Fock state of the block gives it).
pub(crate) fn bare_rate(rate: &BareRate, fock: usize) -> crate::model::ParamId {
    match rate {
        BareRate::Constant(p) => *p,
        BareRate::OccupationDependent { depends_on, values } => {
            let k = depends_on
                .iter()
                .fold(0, |k, &d| (k << 1) | occupation(fock, d) as usize);
            values[k]
        }
    }
}

/// The model at `values` as a [`Device`] in the eigenbasis of H (module documentation),
/// whatever t: with t = 0 it equals the Fock device up to the order of its transitions and
/// rounding (a test checks it); [`Device::new`] uses it only when some t ≠ 0.
#[cfg(test)]
pub(crate) fn device(model: &Model, values: &[f64]) -> crate::Result<Device> {
    check_values(model, values)?;
    let (states, block_of) = blocks(model);
    let blocks = Arc::new(Blocks { states, block_of });
    Ok(device_in(
        model,
        values,
        spectrum::energies(model, values),
        &blocks,
    ))
}

/// [`device`] at checked `values`, from the Fock energies `fock` ([`spectrum::energies`]) and
/// the blocks of the model (the per-point path of [`Device::new`], which keeps both per
/// model in [`crate::plan`]).
pub(crate) fn device_in(
    model: &Model,
    values: &[f64],
    fock: Vec<f64>,
    blocks: &Arc<Blocks>,
) -> Device {
    let basis = eigenbasis_in(model, values, fock, blocks);
    let couplings: usize = model.leads.iter().map(|l| l.couplings.len()).sum();
    let mut transitions = Vec::with_capacity(couplings * model.n_states() / 2);
    for (lead_index, lead) in model.leads.iter().enumerate() {
        for coupling in &lead.couplings {
            basis.for_each_creation_element(coupling.dot, |a, b, element| {
                let rate = bare_rate(&coupling.rate, basis.blocks.of(a)[0]);
                transitions.push(Transition {
                    from: a,
                    to: b,
                    lead: lead_index,
                    dot: coupling.dot,
                    gamma: values[rate.0] * element * element,
                    rate,
                    omega: basis.energies[b] - basis.energies[a],
                    spin: crate::model::spin::sigma(model.dots[coupling.dot].spin),
                });
            });
        }
    }
    Device {
        n_states: model.n_states(),
        energies: basis.energies,
        transitions,
        leads: lead_states(model, values),
    }
}

/// Does the model at `values` need the eigenbasis (some interdot t ≠ 0)?
pub(crate) fn needed(model: &Model, values: &[f64]) -> bool {
    hopping::is_non_diagonal(model, values)
}

/// One Fock component ⟨k|ψ⟩ of an eigenstate (JSON `eigenstates[].composition[]`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Component {
    /// The Fock state as occupations n_1 … n_n, e.g. "10".
    pub occupations: String,
    /// ⟨k|ψ⟩ (real; the largest component of ψ is positive).
    pub amplitude: f64,
}

/// An eigenstate of H in `qct solve --format json` (key `eigenstates`, models with
/// interdot tunnelling only).
#[derive(Debug, Clone, serde::Serialize)]
pub struct EigenstateReport {
    /// The label used everywhere else (the Fock state of largest weight).
    pub label: String,
    /// E (energy unit).
    pub energy: f64,
    /// Nonzero components in the occupation basis, largest weight first.
    pub composition: Vec<Component>,
    /// ⟨n_α⟩ per dot, in model order.
    pub mean_occupations: Vec<f64>,
}

/// The eigenstates of H at `values` with their composition.
pub(crate) fn eigenstates(model: &Model, values: &[f64]) -> Vec<EigenstateReport> {
    let basis = eigenbasis(model, values);
    let occupations = |k: usize| -> String {
        spectrum::occupations(model, k)
            .iter()
            .map(|n| n.to_string())
            .collect()
    };
    (0..model.n_states())
        .map(|k| {
            let mut composition: Vec<Component> = (basis.blocks.of(k).iter())
                .filter(|&&f| basis.vectors[(f, k)] != 0.0)
                .map(|&f| Component {
                    occupations: occupations(f),
                    amplitude: basis.vectors[(f, k)],
                })
                .collect();
            composition.sort_by(|a, b| b.amplitude.abs().total_cmp(&a.amplitude.abs()));
            EigenstateReport {
                label: Model::state_label(k),
                energy: basis.energies[k],
                composition,
                mean_occupations: basis.mean_occupations(k),
            }
        })
        .collect()
}
