//! ⑦ The Onsager matrix L_ij = ∂J_i/∂F_j at equilibrium (README, Conventions, "Linear response").
//!
//! Exact linear response: with W₀ p₀ = 0 at equilibrium, the first-order change of the
//! steady state under force F_j solves W₀ p₁ = −(∂W/∂F_j) p₀ with Σ p₁ = 0, and
//! L_ij = (∂J_i/∂F_j)|_p₀ + (∂J_i/∂p) p₁. Each force moves one lead:
//! ∂f/∂F_j = −f (1 − f) ∂x/∂F_j with x = β_λ (ω − μ_λ), so a transition through that lead
//! gets the drive d_j(t) = −∂x/∂F_j (1, ω_t or ω_t − μ_ρc). A central finite difference of
//! the nonlinear solver is computed beside it as an independent check.

use crate::currents::steady_currents;
use crate::error::{Error, Result};
use crate::network::{CycleNetwork, conductances, flux_increment, simple_cycles_up_to};
use crate::rates::Device;
use crate::rounding::zero_within_rounding;
use crate::thermo::ForceBasis;
use nalgebra::DMatrix;
use std::rc::Rc;

/// Largest move of a Fermi argument β(ω − μ) in one finite-difference step (see
/// [`finite_differences`]). With one Richardson extrapolation (steps h and h/2) the
/// truncation error is O(h⁴) ≈ 1e-12, relative.
pub(crate) const FINITE_DIFFERENCE_STEP: f64 = 1e-3;

/// The numeric Onsager matrix at the equilibrium of a point by exact linear response, checked
/// against finite differences, and its diagnostics ([`crate::Model::onsager_checks`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Onsager {
    /// L from exact linear response.
    pub l: DMatrix<f64>,
    /// L from central finite differences of the nonlinear steady state.
    pub l_finite_difference: DMatrix<f64>,
    /// Rounding floor of each finite-difference entry ([`FiniteDifference::floor`]).
    pub finite_difference_floor: DMatrix<f64>,
    /// max_ij |L − L_fd| / max_ij |L| over the resolved entries.
    pub finite_difference_deviation: f64,
    /// Which finite-difference entries are above their rounding floor at the tolerance
    /// `FINITE_DIFFERENCE_RESOLUTION` (see `FiniteDifference::resolved`).
    pub finite_difference_resolved: DMatrix<bool>,
    pub determinant: f64,
    /// Eigenvalues of (L + Lᵀ)/2, ascending.
    pub eigenvalues: Vec<f64>,
    /// max_ij |L_ij − L_ji|.
    pub reciprocity_residual: f64,
}

/// L by exact linear response at the equilibrium device `equilibrium` (its leads must be at
/// the equilibrium of `basis`).
///
/// The first-order steady state solves W₀ p₁ = −(∂W/∂F_j) p₀ with Σ p₁ = 0. With detailed
/// balance at equilibrium and p₁ = φ p₀ this is the Laplacian system of the network of
/// conductances k_t = γ_t f(ω_t) p₀(from) (see [`crate::network::cycle_onsager`]):
/// Σ_t k_t (φ_v − φ_u) = s_v with sources s_v = Σ_{t→v} k_t d_j(t) − Σ_{t from v} k_t d_j(t),
/// and L_ij = Σ_t d_i(t) k_t (d_j(t) + φ_from − φ_to). The Laplacian is reduced node by node
/// with every pivot recomputed as a sum of the remaining conductances (the Laplacian form of
/// state reduction), so no subtraction loses the small conductances when rates span many
/// orders of magnitude.
pub(crate) fn linear_response(equilibrium: &Device, basis: &ForceBasis) -> Result<DMatrix<f64>> {
    let fermi = equilibrium.occupations();
    let (steady, _) = steady_currents(equilibrium)?;
    let p0 = &steady.probabilities;
    let l = network_cycles(equilibrium)
        .and_then(|network| network.cycle_form(equilibrium, basis, &fermi, p0))
        .unwrap_or_else(|| nodal(equilibrium, basis, &fermi, p0));
    if l.iter().any(|x| !x.is_finite()) {
        return Err(Error::NonFinite(
            "the linear-response Onsager matrix".into(),
        ));
    }
    Ok(l)
}

/// Networks with at most this many simple cycles get L from the cycle formula (the most
/// accurate route); larger ones from nodal analysis.
pub(crate) const CYCLE_FORM_LIMIT: usize = 2_000;

thread_local! {
    /// The cycles of the last transition network seen on this thread: sweeps evaluate one
    /// model at many points, and the cycles depend only on which transitions exist.
    static CYCLES: std::cell::RefCell<Option<(usize, Vec<(usize, usize)>, Option<Rc<CycleNetwork>>)>> =
        const { std::cell::RefCell::new(None) };
}

/// The simple cycles of the device's transition network (with their contractions), or
/// `None` past [`CYCLE_FORM_LIMIT`].
fn network_cycles(device: &Device) -> Option<Rc<CycleNetwork>> {
    let edges: Vec<(usize, usize)> = device.transitions.iter().map(|t| (t.from, t.to)).collect();
    CYCLES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((n, cached_edges, cycles)) = cache.as_ref()
            && *n == device.n_states
            && *cached_edges == edges
        {
            return cycles.clone();
        }
        let cycles = simple_cycles_up_to(device.n_states, &edges, CYCLE_FORM_LIMIT)
            .ok()
            .map(|cycles| Rc::new(CycleNetwork::new(device.n_states, &edges, cycles)));
        *cache = Some((device.n_states, edges, cycles.clone()));
        cycles
    })
}

/// L by nodal analysis at the equilibrium device, whatever the number of cycles (the route
/// [`linear_response`] takes for networks with more than `CYCLE_FORM_LIMIT` (2000) cycles).
#[cfg(test)]
pub(crate) fn nodal_response(equilibrium: &Device, basis: &ForceBasis) -> Result<DMatrix<f64>> {
    let fermi = equilibrium.occupations();
    let (steady, _) = steady_currents(equilibrium)?;
    Ok(nodal(equilibrium, basis, &fermi, &steady.probabilities))
}

/// L by nodal analysis (for networks with many cycles).
fn nodal(
    equilibrium: &Device,
    basis: &ForceBasis,
    fermi: &[(f64, f64)],
    p0: &[f64],
) -> DMatrix<f64> {
    let n = equilibrium.n_states;
    let m = basis.len();
    let transitions = &equilibrium.transitions;
    // Conductances relative to the largest: L is homogeneous of degree 1 in the k_t (φ of
    // degree 0), so L = k_max L̂. Unscaled, the k_t of an equilibrium at T ~ 1e-3 sit near the
    // bottom of the f64 range, where subnormal pivots lose their digits and the reduction
    // returns an L that is neither symmetric nor PSD (tests/edge_cases.rs, L_PRECISION).
    let raw = conductances(equilibrium, fermi, p0);
    let scale = raw.iter().copied().fold(0.0, f64::max);
    if scale <= 0.0 {
        return DMatrix::zeros(m, m);
    }
    let conductance: Vec<f64> = raw.iter().map(|k| k / scale).collect();
    let increment = DMatrix::from_fn(transitions.len(), m, |t, j| {
        flux_increment(equilibrium, basis, j, t)
    });
    let mut c = DMatrix::<f64>::zeros(n, n);
    let mut source = DMatrix::<f64>::zeros(n, m);
    // Rounding scale of each source: the sum of the magnitudes that formed it.
    let mut gross = DMatrix::<f64>::zeros(n, m);
    for (t, tr) in transitions.iter().enumerate() {
        let k = conductance[t];
        c[(tr.from, tr.to)] += k;
        c[(tr.to, tr.from)] += k;
        for j in 0..m {
            let kd = k * increment[(t, j)];
            source[(tr.to, j)] += kd;
            source[(tr.from, j)] -= kd;
            gross[(tr.to, j)] += kd.abs();
            gross[(tr.from, j)] += kd.abs();
        }
    }
    // Ground the most probable state (φ = 0 there) and reduce the others in index order.
    let ground = (0..n)
        .max_by(|&a, &b| p0[a].total_cmp(&p0[b]))
        .expect("at least one state");
    let order: Vec<usize> = (0..n).filter(|&v| v != ground).collect();
    let mut pivot = vec![0.0; n];
    for (position, &v) in order.iter().enumerate() {
        let remaining: Vec<usize> = order[position + 1..]
            .iter()
            .copied()
            .chain(std::iter::once(ground))
            .collect();
        pivot[v] = remaining.iter().map(|&u| c[(v, u)]).sum();
        if pivot[v] <= 0.0 {
            continue; // no conductance left: a transient state, φ_v irrelevant (k = 0)
        }
        // The source reaching v is a signed sum of the sources of the nodes reduced into it.
        // Within rounding of its gross scale it is zero (crate::rounding): when v is the last
        // node of a cluster joined to the rest by conductances far below those inside it, its
        // true source is as small as those conductances, and the rounding residue of the
        // cluster's internal sources, divided by the tiny pivot, would otherwise set a common
        // potential so large (1e159 seen) that the differences φ_i − φ_j inside the cluster,
        // which carry L, are lost (L_PRECISION, tests/edge_cases.rs). Dropping a source
        // |s_v| ≤ ROUNDING_ZERO · gross_v changes L by at most that much, absolutely.
        for j in 0..m {
            source[(v, j)] = zero_within_rounding(source[(v, j)], gross[(v, j)]);
        }
        for &u in &remaining {
            let c_uv = c[(u, v)];
            if c_uv == 0.0 {
                continue;
            }
            let weight = c_uv / pivot[v];
            for &w in &remaining {
                if w != u {
                    c[(u, w)] += weight * c[(v, w)];
                }
            }
            for j in 0..m {
                let (s_v, g_v) = (source[(v, j)], gross[(v, j)]);
                source[(u, j)] += weight * s_v;
                gross[(u, j)] += weight * g_v;
            }
        }
    }
    let mut phi = DMatrix::<f64>::zeros(n, m);
    for (position, &v) in order.iter().enumerate().rev() {
        if pivot[v] <= 0.0 {
            continue;
        }
        for j in 0..m {
            let coupled: f64 = order[position + 1..]
                .iter()
                .map(|&u| c[(v, u)] * phi[(u, j)])
                .sum();
            phi[(v, j)] = (source[(v, j)] + coupled) / pivot[v];
        }
    }
    let mut l = DMatrix::<f64>::zeros(m, m);
    for (t, tr) in transitions.iter().enumerate() {
        let k = conductance[t];
        if k == 0.0 {
            continue;
        }
        for j in 0..m {
            let drive = increment[(t, j)] + phi[(tr.from, j)] - phi[(tr.to, j)];
            for i in 0..m {
                l[(i, j)] += increment[(t, i)] * k * drive;
            }
        }
    }
    l * scale
}

/// L by Richardson-extrapolated central finite differences of the nonlinear steady state
/// around `equilibrium` (the entries only; [`finite_differences`] adds their rounding floor).
#[cfg(test)]
pub(crate) fn finite_difference(equilibrium: &Device, basis: &ForceBasis) -> Result<DMatrix<f64>> {
    Ok(finite_differences(equilibrium, basis)?.l)
}

/// Finite-difference L with the rounding floor of every entry.
#[derive(Debug, Clone)]
pub struct FiniteDifference {
    /// L_ij by Richardson-extrapolated central differences.
    pub l: DMatrix<f64>,
    /// Bound on the rounding error of each entry of `l` (same units as L_ij): see
    /// `finite_differences`.
    pub floor: DMatrix<f64>,
    /// The step h_j of each force (units of F_j).
    pub steps: Vec<f64>,
}

impl FiniteDifference {
    /// Entries whose rounding floor is at most `tolerance · scale` (a deviation that large
    /// would be measurable): the others are rounding noise and say nothing about L.
    pub fn resolved(&self, tolerance: f64, scale: f64) -> DMatrix<bool> {
        self.floor.map(|floor| floor <= tolerance * scale)
    }
}

/// Safety factor of the rounding estimate of a flux at a perturbed point, δJ_i =
/// ROUNDING_SAFETY · n u G_i (see [`finite_differences`]); on random extreme points
/// (tests/extremes.rs) the observed finite-difference error stays below 0.15 of the floor.
pub(crate) const ROUNDING_SAFETY: f64 = 8.0;

/// L by Richardson-extrapolated central finite differences of the nonlinear steady state
/// around `equilibrium`, and the rounding floor of each entry.
///
/// Step: force j moves the Fermi argument x_t = β_λ(ω_t − μ_λ) of a transition t through its
/// lead by d_j(t) per unit force ([`flux_increment`]), so h_j = 1e-3 / max_t |d_j(t)| moves no
/// argument by more than 1e-3 (truncation O(h⁴) ≈ 1e-12 after one Richardson step), whatever
/// βω. Rounding: at equilibrium the net flux i is the difference of one-way exchanges of
/// total size G_i = Σ_t |d_i(t)| (γ f p_from + γ (1 − f) p_to) (the gross exchange), and the
/// steady state is accurate to ~n u componentwise (state reduction, n states, u the unit
/// roundoff), so each computed flux is off by δJ_i = ROUNDING_SAFETY · n u G_i. (Rounding of
/// the arguments x_t breaks detailed balance only through loop affinities of size ~u|x|,
/// which drive currents ~u|x| L, not ~G: negligible against 1e-9 L for |x| < 10⁵.) The
/// extrapolation D = [4 D(h/2) − D(h)]/3 amplifies δJ_i by at most 4/3 · 2/h + 1/3 · 1/h
/// = 3/h_j: the floor of entry (i, j) is 3 δJ_i / h_j. Below it a finite-difference entry is
/// noise, not a measurement.
pub(crate) fn finite_differences(
    equilibrium: &Device,
    basis: &ForceBasis,
) -> Result<FiniteDifference> {
    finite_differences_with(equilibrium, basis, &|device: &Device| {
        let (_, currents) = steady_currents(device)?;
        Ok(basis.flux_values(&device.leads, &currents))
    })
}

/// [`finite_differences`] of any steady-state method: `fluxes` gives the fluxes of `basis`
/// for the device with moved leads (the floor assumes the Pauli solver's rounding).
pub(crate) fn finite_differences_with(
    equilibrium: &Device,
    basis: &ForceBasis,
    fluxes: &dyn Fn(&Device) -> Result<Vec<f64>>,
) -> Result<FiniteDifference> {
    let m = basis.len();
    let transitions = &equilibrium.transitions;
    let increment = DMatrix::from_fn(transitions.len(), m, |t, j| {
        flux_increment(equilibrium, basis, j, t)
    });
    let beta_rho = equilibrium.leads[basis.references.energy].beta;
    let steps: Vec<f64> = (0..m)
        .map(|j| {
            let largest = increment.column(j).amax();
            if largest > 0.0 {
                FINITE_DIFFERENCE_STEP / largest
            } else {
                FINITE_DIFFERENCE_STEP * beta_rho
            }
        })
        .collect();
    let mut l = DMatrix::zeros(m, m);
    for (j, &h) in steps.iter().enumerate() {
        let fluxes_at = |value: f64| -> Result<Vec<f64>> {
            let mut forces = vec![0.0; m];
            forces[j] = value;
            let leads = basis.leads_at_forces(&equilibrium.leads, &forces);
            fluxes(&equilibrium.with_leads(leads))
        };
        let central = |h: f64| -> Result<Vec<f64>> {
            let (plus, minus) = (fluxes_at(h)?, fluxes_at(-h)?);
            Ok(plus
                .iter()
                .zip(&minus)
                .map(|(p, m)| (p - m) / (2.0 * h))
                .collect())
        };
        let (coarse, fine) = (central(h)?, central(h / 2.0)?);
        for i in 0..m {
            // Richardson: D(h/2) + [D(h/2) − D(h)]/3 cancels the O(h²) error.
            l[(i, j)] = fine[i] + (fine[i] - coarse[i]) / 3.0;
        }
    }
    // The gross exchange of every flux at equilibrium.
    let fermi = equilibrium.occupations();
    let (steady, _) = steady_currents(equilibrium)?;
    let p0 = &steady.probabilities;
    let mut gross = vec![0.0; m];
    for (t, (tr, &(f, f_bar))) in transitions.iter().zip(&fermi).enumerate() {
        let exchange = tr.gamma * (f * p0[tr.from] + f_bar * p0[tr.to]);
        for (i, g) in gross.iter_mut().enumerate() {
            *g += increment[(t, i)].abs() * exchange;
        }
    }
    let relative = ROUNDING_SAFETY * f64::EPSILON * equilibrium.n_states as f64;
    let floor = DMatrix::from_fn(m, m, |i, j| 3.0 * relative * gross[i] / steps[j]);
    Ok(FiniteDifference { l, floor, steps })
}

/// det L, finite whenever the entries of L are. nalgebra's LU of a matrix whose entries are
/// all subnormal (an extreme equilibrium, L ~ 1e-316) divides by subnormal pivots and gives
/// NaN; there the matrix is first scaled by a power of two near max |L_ij| (exact), and
/// det L = 2^(m k) det(L / 2^k). Elsewhere the plain LU value is returned unchanged.
pub(crate) fn determinant(l: &DMatrix<f64>) -> f64 {
    let plain = l.determinant();
    let scale = l.amax();
    if plain.is_finite() || !scale.is_finite() || scale == 0.0 {
        return plain;
    }
    let k = scale.log2().round() as i32;
    let scaled = l.map(|x| times_power_of_two(x, -k)).determinant();
    // Multiply back one factor 2^k per row, so an intermediate never over- or underflows
    // before the result does.
    (0..l.nrows()).fold(scaled, |d, _| times_power_of_two(d, k))
}

/// x · 2^e for |e| ≤ 2100, in two exact factors (2^e alone overflows past e = 1023).
fn times_power_of_two(x: f64, e: i32) -> f64 {
    let half = e / 2;
    x * 2f64.powi(half) * 2f64.powi(e - half)
}

/// Tolerance of `qct onsager`'s finite-difference check: an entry is resolved when its
/// rounding floor is below this fraction of max |L|.
pub(crate) const FINITE_DIFFERENCE_RESOLUTION: f64 = 1e-6;

/// L, its finite-difference check, determinant, eigenvalues and reciprocity residual.
pub(crate) fn onsager(equilibrium: &Device, basis: &ForceBasis) -> Result<Onsager> {
    // No rounding-zero rule for L (crate::rounding): the cycle form sums products of
    // positive numbers, so an entry far below √(L_ii L_jj) (L_NE = 1.5e-94 beside a gross
    // conductance of 1e-3, sb at βε = 200) is a measurement, not rounding.
    let l = linear_response(equilibrium, basis)?;
    let fd = finite_differences(equilibrium, basis)?;
    let scale = l.amax();
    let resolved = fd.resolved(FINITE_DIFFERENCE_RESOLUTION, scale);
    // Only resolved entries measure anything; the others are reported, not compared.
    let mut deviation: f64 = 0.0;
    for (k, r) in resolved.iter().enumerate() {
        if *r {
            deviation = deviation.max((l[k] - fd.l[k]).abs());
        }
    }
    let finite_difference_deviation = if scale > 0.0 {
        deviation / scale
    } else {
        deviation
    };
    let (l_finite_difference, finite_difference_floor) = (fd.l, fd.floor);
    let reciprocity_residual = (&l - l.transpose()).amax();
    let symmetric = (&l + l.transpose()) * 0.5;
    // A model without independent forces has an empty L (nalgebra cannot decompose 0×0).
    let mut eigenvalues: Vec<f64> = if symmetric.is_empty() {
        Vec::new()
    } else {
        symmetric.symmetric_eigenvalues().iter().copied().collect()
    };
    eigenvalues.sort_by(f64::total_cmp);
    let determinant = determinant(&l);
    Ok(Onsager {
        l,
        l_finite_difference,
        finite_difference_floor,
        finite_difference_deviation,
        finite_difference_resolved: resolved,
        determinant,
        eigenvalues,
        reciprocity_residual,
    })
}
