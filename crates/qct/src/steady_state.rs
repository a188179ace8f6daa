//! ④ The Pauli steady state: W p = 0 with Σ p = 1 (README, Conventions, "Leads and rates").
//!
//! Solved by the Grassmann–Taksar–Heyman state reduction, which uses only additions,
//! multiplications and divisions of non-negative numbers: p ≥ 0 always, and every
//! probability has small *relative* error whatever the spread of the rates. Two
//! arithmetics run the same reduction:
//!
//! * f64 (the fast path), accepted only when no product or quotient left the normal f64
//!   range — then the f64 result has the full relative accuracy of the reduction;
//! * [`Scaled`] numbers (f64 mantissa, 64-bit exponent) otherwise: rates such as
//!   e^{−β(ω−μ)} with β|ω − μ| ~ 10⁴ (10 mK against 1 meV) are tiny positive weights, not 0,
//!   so the transition graph never falls apart through underflow and the steady state is
//!   exact to f64 precision (probabilities below ~10⁻³²³ print as 0).
//!
//! Uniqueness is checked from the graph of positive rates: the steady state is unique iff
//! exactly one class of states is closed (no rate leads out of it); states outside it are
//! transient and have p = 0. When the rates that connect the closed classes of the graph
//! *truncated* at 10⁻³⁰⁰ of the largest rate are all below that, relaxation to the steady
//! state is astronomically slow: [`SlowRelaxation`] says so (the steady state is still
//! reported).

use crate::error::{Error, Result};
use crate::scaled::Scaled;
use nalgebra::DMatrix;

/// The steady state and a diagnosis of how well it solves W p = 0.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SteadyState {
    /// Probabilities p_k, Σ p = 1, p ≥ 0.
    pub probabilities: Vec<f64>,
    /// max_k |(W p)_k| / max_k (outflow of k): balance error relative to the largest
    /// probability flow.
    pub residual: f64,
    /// The unique closed class of states when some states are transient (p = 0 there);
    /// `None` when every state can be reached from every other.
    pub closed_class: Option<Vec<usize>>,
    /// Set when the relaxation to this steady state is astronomically slow.
    pub slow_relaxation: Option<SlowRelaxation>,
}

/// Rates below this fraction of the largest rate (2⁻⁹⁹⁷ ≈ 10⁻³⁰⁰) count as astronomically
/// slow for [`SlowRelaxation`].
pub(crate) const SLOW_RATE_FRACTION_LOG2: i64 = -997;

/// Closed classes of the graph of rates above 10⁻³⁰⁰ of the largest rate, which only
/// slower rates connect. Numbers are decimal logarithms because they leave the f64 range.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SlowRelaxation {
    /// The classes, e.g. `{B}`, `{C}`.
    pub classes: Vec<String>,
    /// log₁₀ of each class's total escape rate Γ_c = Σ_{i∈c, j∉c} R_ij (rate units).
    pub log10_escape_rates: Vec<f64>,
    /// log₁₀ of the largest rate of the chain.
    pub log10_largest_rate: f64,
    /// log₁₀ of (m − 1)/Σ_c Γ_c: a lower bound on the slowest relaxation time between the
    /// m classes (the m − 1 slow rates of the class-to-class chain sum to at most Σ_c Γ_c).
    pub log10_relaxation_time: f64,
}

impl SlowRelaxation {
    /// One-line note for reports (powers of ten written 10^x: they leave the f64 range).
    pub(crate) fn note(&self) -> String {
        let rates = self
            .classes
            .iter()
            .zip(&self.log10_escape_rates)
            .map(|(c, r)| format!("{c}: 10^{r:.1}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "astronomically slow relaxation: the states split into {} classes ({}) that only \
             rates below 1e-300 of the largest rate (10^{:.1}) connect (escape rates {rates}); \
             relaxation to this steady state takes at least ~10^{:.1} time units. The steady \
             state printed is still that of the Pauli equation, to f64 precision.",
            self.classes.len(),
            self.classes.join(", "),
            self.log10_largest_rate,
            self.log10_relaxation_time,
        )
    }
}

/// The arithmetic of the state reduction: non-negative numbers with +, × and ÷, and a
/// test that a value is resolved in it (f64: zero or a normal number well below overflow;
/// [`Scaled`]: always).
pub(crate) trait Weight:
    Copy
    + PartialOrd
    + std::ops::Add<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
{
    const ZERO: Self;
    const ONE: Self;
    fn is_zero(self) -> bool;
    fn resolved(self) -> bool;
}

impl Weight for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    fn is_zero(self) -> bool {
        self == 0.0
    }
    fn resolved(self) -> bool {
        self == 0.0 || (f64::MIN_POSITIVE..f64::MAX / 4.0).contains(&self)
    }
}

impl Weight for Scaled {
    const ZERO: Scaled = Scaled::ZERO;
    const ONE: Scaled = Scaled::ONE;
    fn is_zero(self) -> bool {
        Scaled::is_zero(self)
    }
    fn resolved(self) -> bool {
        true
    }
}

/// A dense n × n table of rates R[(i, j)] (i → j), stored column by column (the state
/// reduction's inner loops run down columns).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RateTable<T> {
    n: usize,
    values: Vec<T>,
}

/// Rates in [`Scaled`] arithmetic.
pub(crate) type ScaledRates = RateTable<Scaled>;

impl<T: Weight> RateTable<T> {
    pub(crate) fn zeros(n: usize) -> RateTable<T> {
        RateTable {
            n,
            values: vec![T::ZERO; n * n],
        }
    }

    pub(crate) fn from_fn(n: usize, rate: impl Fn(usize, usize) -> T) -> RateTable<T> {
        let mut values = Vec::with_capacity(n * n);
        for j in 0..n {
            values.extend((0..n).map(|i| rate(i, j)));
        }
        RateTable { n, values }
    }

    pub(crate) fn n(&self) -> usize {
        self.n
    }

    pub(crate) fn get(&self, i: usize, j: usize) -> T {
        self.values[i + j * self.n]
    }

    pub(crate) fn add(&mut self, i: usize, j: usize, rate: T) {
        let k = i + j * self.n;
        self.values[k] = self.values[k] + rate;
    }

    /// The sub-table of the states `states`.
    fn restrict(&self, states: &[usize]) -> RateTable<T> {
        RateTable::from_fn(states.len(), |a, b| self.get(states[a], states[b]))
    }

    /// Positive off-diagonal entries as edges.
    fn edges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let n = self.n;
        (0..n * n)
            .map(move |k| (k / n, k % n))
            .filter(move |&(i, j)| i != j && !self.get(i, j).is_zero())
    }
}

/// Steady state of the Markov chain with rate matrix `rates` (R[(i, j)]: rate i → j).
/// `label` names states in the error for a non-unique steady state. Zero entries are
/// structural zeros; the f64 state reduction is used when it stays in the normal f64 range,
/// the [`Scaled`] one otherwise.
#[cfg(test)]
pub(crate) fn steady_state(
    rates: &DMatrix<f64>,
    label: impl Fn(usize) -> String,
) -> Result<SteadyState> {
    if let Some(steady) = steady_state_f64(rates) {
        return Ok(steady);
    }
    let scaled = ScaledRates::from_fn(rates.nrows(), |i, j| Scaled::from_f64(rates[(i, j)]));
    steady_state_scaled(&scaled, label).map(|(steady, _)| steady)
}

/// The f64 fast path: `Some` only when every rate is zero or normal, the rates span less
/// than 10³⁰⁰, every state reaches state 0 and no step of the reduction under- or
/// overflowed.
pub(crate) fn steady_state_f64(rates: &DMatrix<f64>) -> Option<SteadyState> {
    steady_state_table(&RateTable::from_fn(rates.nrows(), |i, j| rates[(i, j)]))
}

/// [`steady_state_f64`] of a rate table (the per-point path of
/// [`crate::currents::steady_currents`]: no dense matrix is built).
pub(crate) fn steady_state_table(rates: &RateTable<f64>) -> Option<SteadyState> {
    steady_state_of(rates.n, &rates.values)
}

/// [`steady_state_f64`] of the n × n rates `rates` (column by column, as in [`RateTable`]).
/// Up to [`SMALL_STATES`] states the reduction runs on a stack copy (no allocation but the
/// probabilities returned), compiled for each state count 2^dots.
pub(crate) fn steady_state_of(n: usize, rates: &[f64]) -> Option<SteadyState> {
    match n {
        1 => steady_state_sized::<1>(1, rates),
        2 => steady_state_sized::<4>(2, rates),
        4 => steady_state_sized::<16>(4, rates),
        8 => steady_state_sized::<64>(8, rates),
        16 => steady_state_sized::<{ SMALL_STATES * SMALL_STATES }>(16, rates),
        _ => steady_state_sized::<0>(n, rates),
    }
}

/// [`steady_state_of`] with the reduction on a stack table of `CELLS` ≥ n² entries (on the
/// heap for `CELLS` = 0).
#[inline(always)]
fn steady_state_sized<const CELLS: usize>(n: usize, rates: &[f64]) -> Option<SteadyState> {
    // Rates are finite and ≥ 0 (γ ≥ 0, 0 ≤ f ≤ 1), so the largest |R_ij| is the largest R_ij
    // (a sum that overflowed is +∞ and is refused below).
    let (mut largest, mut smallest) = (0.0f64, f64::INFINITY);
    for &r in rates {
        largest = largest.max(r.abs());
        if r != 0.0 {
            smallest = smallest.min(r);
        }
    }
    if !(largest < f64::MAX / 4.0 && smallest >= f64::MIN_POSITIVE && smallest > largest * 1e-290) {
        return None;
    }
    let mut probabilities = vec![0.0; n];
    let p = &mut probabilities;
    let reduced = if CELLS == 0 {
        gth_in(n, &mut rates.to_vec(), p)
    } else {
        let mut a = [0.0; CELLS];
        a[..n * n].copy_from_slice(rates);
        gth_in(n, &mut a[..n * n], p)
    };
    if !reduced {
        return None;
    }
    Some(SteadyState {
        residual: residual_of(n, |i, j| rates[i + j * n], &probabilities),
        probabilities,
        closed_class: None,
        slow_relaxation: None,
    })
}

/// Largest state space (4 dots) whose f64 steady state and currents run on stack buffers
/// ([`steady_state_of`], [`crate::currents::steady_currents`]).
pub(crate) const SMALL_STATES: usize = 16;

/// Steady state in [`Scaled`] arithmetic: the probabilities as f64 and as [`Scaled`]
/// numbers (the latter keep states far below the f64 range, for currents).
pub(crate) fn steady_state_scaled(
    rates: &ScaledRates,
    label: impl Fn(usize) -> String,
) -> Result<(SteadyState, Vec<Scaled>)> {
    let n = rates.n();
    let class = unique_closed_class(n, rates.edges(), &label)?;
    let mut p = vec![Scaled::ZERO; n];
    let p_class = gth(&rates.restrict(&class)).ok_or_else(|| {
        Error::Singular("the state reduction of the closed class met a zero pivot".into())
    })?;
    for (&state, &value) in class.iter().zip(&p_class) {
        p[state] = value;
    }
    let probabilities: Vec<f64> = p.iter().map(|x| x.to_f64()).collect();
    if probabilities.iter().any(|x| !x.is_finite()) {
        return Err(Error::NonFinite("the steady state".into()));
    }
    let steady = SteadyState {
        residual: balance_residual_scaled(rates, &p),
        probabilities,
        closed_class: (class.len() < n).then_some(class),
        slow_relaxation: slow_relaxation(rates, &label),
    };
    Ok((steady, p))
}

/// Grassmann–Taksar–Heyman: censor states n−1, …, 1 one by one, then back-substitute.
/// `None` on a zero pivot (a state that cannot reach a lower-numbered one) or when a sum,
/// product, quotient or probability is not [`Weight::resolved`] (in f64: it left the
/// normal range; the caller then repeats the reduction with [`Scaled`] numbers).
fn gth<T: Weight>(rates: &RateTable<T>) -> Option<Vec<T>> {
    let mut p = vec![T::ZERO; rates.n];
    gth_in(rates.n, &mut rates.values.clone(), &mut p).then_some(p)
}

/// [`gth`] on the n × n table `a` (column by column; overwritten by the reduction), the
/// probabilities written to `p` (length n). `false` where [`gth`] gives `None`.
#[inline(always)]
fn gth_in<T: Weight>(n: usize, a: &mut [T], p: &mut [T]) -> bool {
    assert!(a.len() == n * n && p.len() == n);
    for k in (1..n).rev() {
        // Columns 0..k (left) and column k (its first k entries).
        let (left, right) = a.split_at_mut(k * n);
        let column_k = &mut right[..k];
        let s = (0..k).fold(T::ZERO, |s, j| s + left[k + j * n]);
        if s.is_zero() || !s.resolved() {
            return false;
        }
        // a_ik /= s, and the smallest and largest non-zero a_ik.
        let (mut smallest, mut largest) = (None, None);
        for a_ik in column_k.iter_mut() {
            let x = *a_ik / s;
            if !x.resolved() {
                return false;
            }
            *a_ik = x;
            if !x.is_zero() {
                smallest = Some(smallest.map_or(x, |l| if x < l { x } else { l }));
                largest = Some(largest.map_or(x, |h| if x > h { x } else { h }));
            }
        }
        // a_ij += a_ik a_kj for i, j < k, i ≠ j: column j gains a multiple of column k.
        // Every product is resolved iff those of the smallest and largest non-zero a_ik are.
        for j in 0..k {
            let a_kj = left[k + j * n];
            if a_kj.is_zero() {
                continue;
            }
            if let (Some(lo), Some(hi)) = (smallest, largest)
                && !((lo * a_kj).resolved() && (hi * a_kj).resolved())
            {
                return false;
            }
            let column_j = &mut left[j * n..j * n + k];
            for (i, (a_ij, &a_ik)) in column_j.iter_mut().zip(column_k.iter()).enumerate() {
                if i != j {
                    *a_ij = *a_ij + a_ik * a_kj;
                }
            }
        }
    }
    p[0] = T::ONE;
    for k in 1..n {
        let column_k = &a[k * n..k * n + k];
        p[k] = (p[..k].iter().zip(column_k)).fold(T::ZERO, |s, (&p_i, &a_ik)| s + p_i * a_ik);
        if !p[k].resolved() {
            return false;
        }
    }
    let total = p.iter().fold(T::ZERO, |s, &x| s + x);
    if !total.resolved() {
        return false;
    }
    p.iter_mut().for_each(|x| *x = *x / total);
    true
}

/// [`SlowRelaxation`] when the graph of rates above 10⁻³⁰⁰ of the largest has several
/// closed classes.
fn slow_relaxation(rates: &ScaledRates, label: impl Fn(usize) -> String) -> Option<SlowRelaxation> {
    let n = rates.n();
    let largest = (0..n * n)
        .map(|k| rates.get(k / n, k % n))
        .fold(Scaled::ZERO, |a, b| if b > a { b } else { a });
    if largest.is_zero() {
        return None;
    }
    let threshold = largest * Scaled::exp(SLOW_RATE_FRACTION_LOG2 as f64 * std::f64::consts::LN_2);
    let fast = rates.edges().filter(|&(i, j)| rates.get(i, j) >= threshold);
    let classes = closed_classes(n, fast);
    if classes.len() < 2 {
        return None;
    }
    let escape: Vec<Scaled> = classes
        .iter()
        .map(|c| {
            c.iter()
                .flat_map(|&i| (0..n).filter(|j| !c.contains(j)).map(move |j| (i, j)))
                .map(|(i, j)| rates.get(i, j))
                .sum()
        })
        .collect();
    let total: Scaled = escape.iter().copied().sum();
    let log10_relaxation_time = ((classes.len() - 1) as f64).log10() - total.log10();
    Some(SlowRelaxation {
        classes: classes.iter().map(|c| class_name(c, &label)).collect(),
        log10_escape_rates: escape.iter().map(|g| g.log10()).collect(),
        log10_largest_rate: largest.log10(),
        log10_relaxation_time,
    })
}

fn class_name(class: &[usize], label: impl Fn(usize) -> String) -> String {
    format!(
        "{{{}}}",
        class
            .iter()
            .map(|&s| label(s))
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// The states of the unique closed class of the graph on `n` states with the directed edges
/// `edges` (pairs with a positive rate), or the error naming all closed classes when there
/// are several.
fn unique_closed_class(
    n: usize,
    edges: impl Iterator<Item = (usize, usize)>,
    label: impl Fn(usize) -> String,
) -> Result<Vec<usize>> {
    let closed = closed_classes(n, edges);
    match closed.len() {
        1 => Ok(closed.into_iter().next().unwrap()),
        count => Err(Error::NonUniqueSteadyState {
            count,
            classes: closed
                .iter()
                .map(|c| class_name(c, &label))
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// The closed classes (strongly connected components that no edge leaves) of the graph on
/// `n` states with the directed edges `edges`, each sorted, in Tarjan's order.
fn closed_classes(n: usize, edges: impl Iterator<Item = (usize, usize)>) -> Vec<Vec<usize>> {
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
    classes
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
        .collect()
}

/// Largest state space solved by dense state reduction (O(n³)); larger ones (more than
/// 10 dots) use the sparse iterative solver `steady_state_sparse`.
pub const DENSE_LIMIT: usize = 1024;

/// Gauss–Seidel sweeps allowed before the sparse solver gives up.
const MAX_SWEEPS: usize = 100_000;

/// Steady state of a large chain given as a list of rates (from, to, rate), by Gauss–Seidel
/// iteration of the balance equations p_k Σ_j R_kj = Σ_j p_j R_jk, which keeps p ≥ 0. Each
/// sweep costs O(number of transitions). Converged when the balance residual (as in
/// [`SteadyState::residual`]) is below 1e-14.
pub(crate) fn steady_state_sparse(
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
        slow_relaxation: None,
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

/// max_k |inflow_k − outflow_k| / max_k outflow_k for probabilities p and the n × n rates
/// `rate(i, j)`.
#[inline(always)]
fn residual_of(n: usize, rate: impl Fn(usize, usize) -> f64, p: &[f64]) -> f64 {
    let mut worst: f64 = 0.0;
    let mut scale: f64 = 0.0;
    for k in 0..n {
        // Sums from −0.0, as f64's `Sum`.
        let (mut outflow, mut inflow) = (-0.0, -0.0);
        for j in (0..n).filter(|&j| j != k) {
            outflow += rate(k, j) * p[k];
            inflow += rate(j, k) * p[j];
        }
        worst = worst.max((inflow - outflow).abs());
        scale = scale.max(outflow);
    }
    if scale > 0.0 { worst / scale } else { 0.0 }
}

/// [`residual_of`] for [`Scaled`] rates and probabilities.
pub(crate) fn balance_residual_scaled(rates: &ScaledRates, p: &[Scaled]) -> f64 {
    let n = rates.n();
    let mut worst = Scaled::ZERO;
    let mut scale = Scaled::ZERO;
    for k in 0..n {
        let outflow: Scaled = (0..n)
            .filter(|&j| j != k)
            .map(|j| rates.get(k, j) * p[k])
            .sum();
        let inflow: Scaled = (0..n)
            .filter(|&j| j != k)
            .map(|j| rates.get(j, k) * p[j])
            .sum();
        let imbalance = inflow.sub(outflow).abs();
        if imbalance > worst {
            worst = imbalance;
        }
        if outflow > scale {
            scale = outflow;
        }
    }
    if scale.is_zero() {
        0.0
    } else {
        worst.ratio(scale)
    }
}
