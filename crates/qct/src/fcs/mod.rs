//! Full counting statistics of the Pauli master equation: cumulants of the transfers between
//! the leads and the system, noise, Fano factors and the thermodynamic uncertainty relation.
//!
//! Convention (README, "Fluctuations"): a counter advances by d_t each time transition t
//! brings an electron *into the system* and goes back by d_t when the reverse jump takes it
//! out. With d_t = 1 for the transitions of lead λ it counts the particles transferred from λ
//! (J_N^λ), with d_t = ω_t the energy (J_E^λ), with ω_t − μ_λ the heat (J_Q^λ), with the
//! flux increments of a force basis the flux J_i conjugate to F_i, and with
//! σ_t = −β_λ (ω_t − μ_λ) = ln(k_in/k_out) the entropy delivered to the reservoirs (Σ̇).
//! The tilted generator W(s) multiplies every rate into the system by e^{s d_t} and every
//! rate out by e^{−s d_t}; its dominant eigenvalue C(s) is the scaled cumulant generating
//! function and κ_n = ∂ⁿC/∂sⁿ|₀ the n-th cumulant per unit time (κ₁ = the mean current).
//!
//! "Noise" is the matrix of second cumulants ⟨⟨J_i J_j⟩⟩ per unit time, without a factor 2
//! (the electrical zero-frequency spectral density is S = 2⟨⟨J J⟩⟩). At equilibrium
//! ⟨⟨J_i J_j⟩⟩ = 2 L_ij for the fluxes conjugate to the forces (fluctuation–dissipation),
//! and away from it ⟨⟨J J⟩⟩ Σ̇ / ⟨J⟩² ≥ 2 (TUR, k_B = 1).
//!
//! The cumulants come from the recursive scheme of `Process` (exact in the field it
//! runs in; no numerical differentiation, no eigenvalue). `scaled_cgf` evaluates C(s) at a
//! finite s as the eigenvalue of W(s), for the fluctuation theorem C(s) = C(−1 − s) of the
//! entropy counter (Gallavotti–Cohen), a check and not a route to the cumulants.

#[cfg(all(test, feature = "exact"))]
pub(crate) mod exact;
pub(crate) mod recursion;
pub(crate) mod wide;

use crate::error::{Error, Result};
use crate::model::Model;
use crate::network::flux_increment;
use crate::rates::Device;
use crate::rounding::ROUNDING_ZERO;
use crate::scaled::Scaled;
use crate::steady_state::{DENSE_LIMIT, steady_state_f64, steady_state_scaled};
use crate::thermo::ForceBasis;
use nalgebra::DMatrix;
pub(crate) use recursion::Process;
use recursion::restrict;
use wide::Wide;

/// A counted current: its name and the increment d_t of every transition of the device.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Counter {
    /// `J_N^l`, `J_E^l`, `J_Q^l`, a flux name of a basis, or `sigma`.
    pub name: String,
    pub increments: Vec<f64>,
}

/// Which transfer of one lead a counter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    /// Particles, d_t = 1.
    Particle,
    /// Energy, d_t = ω_t.
    Energy,
    /// Heat with the lead's own μ, d_t = ω_t − μ_λ.
    Heat,
}

impl Transfer {
    pub const ALL: [Transfer; 3] = [Transfer::Particle, Transfer::Energy, Transfer::Heat];

    pub(crate) fn letter(self) -> &'static str {
        match self {
            Transfer::Particle => "N",
            Transfer::Energy => "E",
            Transfer::Heat => "Q",
        }
    }
}

/// The increments d_t of `transfer` from lead `lead`, per transition of `device`.
pub(crate) fn lead_increments(device: &Device, lead: usize, transfer: Transfer) -> Vec<f64> {
    let state = device.leads[lead];
    device
        .transitions
        .iter()
        .map(|t| match (t.lead == lead, transfer) {
            (false, _) => 0.0,
            (true, Transfer::Particle) => 1.0,
            (true, Transfer::Energy) => t.omega,
            (true, Transfer::Heat) => t.omega - state.mu_for(t.spin),
        })
        .collect()
}

/// The counter of `transfer` from lead `lead` (named `J_N^l` etc. with `model`'s lead names).
pub(crate) fn lead_counter(
    model: &Model,
    device: &Device,
    lead: usize,
    transfer: Transfer,
) -> Counter {
    Counter {
        name: format!("J_{}^{}", transfer.letter(), model.leads[lead].name),
        increments: lead_increments(device, lead, transfer),
    }
}

/// J_N, J_E, J_Q of every lead, in model order.
pub(crate) fn lead_counters(model: &Model, device: &Device) -> Vec<Counter> {
    (0..model.leads.len())
        .flat_map(|l| Transfer::ALL.map(|t| lead_counter(model, device, l, t)))
        .collect()
}

/// The fluxes J_i conjugate to the forces of `basis` (d_t from
/// [`crate::network::flux_increment`]).
pub(crate) fn flux_counters(device: &Device, basis: &ForceBasis) -> Vec<Counter> {
    basis
        .forces
        .iter()
        .enumerate()
        .map(|(j, force)| Counter {
            name: basis.flux_name(force),
            increments: (0..device.transitions.len())
                .map(|t| flux_increment(device, basis, j, t))
                .collect(),
        })
        .collect()
}

/// The entropy delivered to the reservoirs, σ_t = −β_λ (ω_t − μ_λσ) = ln(k_in / k_out) per
/// electron of spin σ entering through t; its mean is Σ̇.
pub(crate) fn entropy_counter(device: &Device) -> Counter {
    Counter {
        name: "sigma".into(),
        increments: device
            .transitions
            .iter()
            .map(|t| {
                let lead = device.leads[t.lead];
                -lead.beta * (t.omega - lead.mu_for(t.spin))
            })
            .collect(),
    }
}

/// The counting statistics of one device: the steady state on its closed class and the
/// factorised generator, shared by every counter. The recursion runs in `Wide` numbers
/// (an f64 mantissa with a 64-bit exponent): at millikelvin temperatures rates such as
/// γ e^{−β(ω−μ)} with β|ω − μ| ~ 10⁴ stay positive, so no finite point whose steady state
/// is unique is refused; where every intermediate stays in the normal f64 range the result
/// is bit for bit that of f64 arithmetic.
#[derive(Debug, Clone)]
pub(crate) struct Statistics {
    process: Process<Wide>,
    /// For every transition, its jump index in the process (`None`: it touches a transient
    /// state and carries no probability flow).
    jump_of: Vec<Option<usize>>,
}

/// The largest state space the counting statistics handles (dense factorisation).
pub(crate) const MAX_FCS_STATES: usize = DENSE_LIMIT;

impl Statistics {
    /// Solve the steady state of `device` and factorise its generator on the closed class
    /// (anchor: the most probable state).
    pub(crate) fn new(device: &Device) -> Result<Statistics> {
        if device.n_states > MAX_FCS_STATES {
            return Err(Error::BadAssignment(format!(
                "counting statistics handles at most {MAX_FCS_STATES} states (10 dots); this \
                 model has {}",
                device.n_states
            )));
        }
        let (fermi, class, p) = scaled_steady_state(device)?;
        let anchor = *class
            .iter()
            .max_by(|&&a, &&b| p[a].partial_cmp(&p[b]).expect("probabilities are ordered"))
            .expect("a closed class has states");
        let transitions = device.transitions.iter().zip(fermi).map(|(t, (f, f_bar))| {
            let gamma = Scaled::from_f64(t.gamma);
            (t.from, t.to, Wide(gamma * f), Wide(gamma * f_bar))
        });
        let (jumps, jump_of, states) = restrict(device.n_states, &class, anchor, transitions);
        let p0 = states.iter().map(|&s| Wide(p[s])).collect();
        let process = Process::new(states.len(), jumps, p0).map_err(|_| {
            Error::Singular("the generator's closed class is not irreducible".into())
        })?;
        Ok(Statistics { process, jump_of })
    }

    fn jump_increments(&self, counter: &Counter) -> Vec<f64> {
        recursion::jump_increments(&self.jump_of, &counter.increments)
    }

    /// True when the count is bounded: the increments are a difference of a state function,
    /// d_t = g(to) − g(from), exactly (e.g. the particles from a lead that is the only lead of
    /// its component: g = the component's electron number). Then every cumulant per unit
    /// time vanishes exactly, and so does every covariance with the count.
    fn is_bounded(&self, d: &[f64]) -> bool {
        let n = self.process.n_states();
        let jumps = self.process.jumps();
        let mut g: Vec<Option<f64>> = vec![None; n];
        g[0] = Some(0.0);
        // Relax until no state gets a value (the closed class is connected).
        let mut changed = true;
        while changed {
            changed = false;
            for (jump, &d_t) in jumps.iter().zip(d) {
                match (g[jump.from], g[jump.to]) {
                    (Some(a), None) => {
                        g[jump.to] = Some(a + d_t);
                        changed = true;
                    }
                    (None, Some(b)) => {
                        g[jump.from] = Some(b - d_t);
                        changed = true;
                    }
                    _ => {}
                }
            }
        }
        jumps
            .iter()
            .zip(d)
            .all(|(jump, &d_t)| match (g[jump.from], g[jump.to]) {
                (Some(a), Some(b)) => b - a == d_t,
                _ => false,
            })
    }

    /// κ_1 … κ_order of `counter`, per unit time. A κ_n within rounding of zero
    /// (|κ_n| ≤ [`ROUNDING_ZERO`] Σ_t |d_t|ⁿ (k_in p_from + k_out p_to)) is returned as 0,
    /// and so is one below the f64 range.
    pub(crate) fn cumulants(&self, counter: &Counter, order: usize) -> Vec<f64> {
        let d = self.jump_increments(counter);
        if self.is_bounded(&d) {
            return vec![0.0; order];
        }
        let wide: Vec<Wide> = d.iter().map(|&x| Wide::from_f64(x)).collect();
        let kappa = self.process.cumulants(&wide, order);
        kappa
            .iter()
            .enumerate()
            .map(|(n, &k)| resolved(k, self.gross(&d, n as i32 + 1)))
            .collect()
    }

    /// Σ_t |d_t|ⁿ (k_in p_from + k_out p_to) over the jumps, for per-jump increments `d`.
    fn gross(&self, d: &[f64], power: i32) -> Wide {
        let p = self.process.steady_state();
        self.process
            .jumps()
            .iter()
            .zip(d)
            .fold(Wide(Scaled::ZERO), |sum, (j, d)| {
                let flow = j.rate_in * p[j.from] + j.rate_out * p[j.to];
                sum + Wide::from_f64(d.abs().powi(power)) * flow
            })
    }

    /// Means and second cumulants ⟨⟨J_i J_j⟩⟩ per unit time of `counters`. A bounded count
    /// (see `is_bounded`) has mean, noise and covariances exactly 0. Means within
    /// rounding of zero (|⟨J_i⟩| ≤ [`ROUNDING_ZERO`] G¹_i) are set to 0, and so are entries within
    /// rounding of zero (|S_ij| ≤ [`ROUNDING_ZERO`] √(G_i G_j), see [`Noise::gross_square`])
    /// are set to 0: e.g. the particle noise of a lead that is its component's only lead,
    /// which vanishes exactly (the count is bounded by the dots' capacity).
    pub(crate) fn noise(&self, counters: &[Counter]) -> Noise {
        let d: Vec<Vec<f64>> = counters.iter().map(|c| self.jump_increments(c)).collect();
        let bounded: Vec<bool> = d.iter().map(|d| self.is_bounded(d)).collect();
        let wide: Vec<Vec<Wide>> = d
            .iter()
            .map(|d| d.iter().map(|&x| Wide::from_f64(x)).collect())
            .collect();
        let (means, matrix) = self.process.second_cumulants(&wide);
        let gross: Vec<Wide> = d.iter().map(|d| self.gross(d, 1)).collect();
        let means = means
            .iter()
            .zip(&gross)
            .map(|(&j, &g)| resolved(j, g))
            .collect();
        let gross_square: Vec<Wide> = d.iter().map(|d| self.gross(d, 2)).collect();
        let m = counters.len();
        let matrix = DMatrix::from_fn(m, m, |i, j| {
            let s = matrix[i][j];
            // |S_ij| ≤ ε √(G_i G_j), squared: G_i G_j may lie outside the f64 range.
            let rounding = s * s
                <= Wide::from_f64(ROUNDING_ZERO * ROUNDING_ZERO)
                    * gross_square[i]
                    * gross_square[j];
            if bounded[i] || bounded[j] || rounding {
                0.0
            } else {
                resolved(s, Wide(Scaled::ZERO))
            }
        });
        Noise {
            names: counters.iter().map(|c| c.name.clone()).collect(),
            means,
            matrix,
            gross: gross.iter().map(|g| g.to_f64()).collect(),
            gross_square: gross_square.iter().map(|g| g.to_f64()).collect(),
        }
    }
}

/// Means and second cumulants of a set of currents.
#[derive(Debug, Clone, PartialEq)]
pub struct Noise {
    pub names: Vec<String>,
    /// ⟨J_i⟩ (κ₁).
    pub means: Vec<f64>,
    /// ⟨⟨J_i J_j⟩⟩ per unit time (no factor 2).
    pub matrix: DMatrix<f64>,
    /// G¹_i = Σ_t |d_t| (k_in p_from + k_out p_to): the gross transfer, the scale of the
    /// rounding error of ⟨J_i⟩.
    pub gross: Vec<f64>,
    /// G_i = Σ_t d_t² (k_in p_from + k_out p_to): the direct (Poissonian) part of
    /// ⟨⟨J_i J_i⟩⟩, the scale of its rounding error (ε √(G_i G_j) for S_ij).
    pub gross_square: Vec<f64>,
}

/// `value` as an f64, or 0 when it is within rounding of zero: |value| ≤ [`ROUNDING_ZERO`]
/// of its gross scale `gross`, or below the smallest normal f64 (a subnormal would have lost
/// its precision).
fn resolved(value: Wide, gross: Wide) -> f64 {
    let x = value.to_f64();
    if value.abs() <= Wide::from_f64(ROUNDING_ZERO) * gross || x.abs() < f64::MIN_POSITIVE {
        0.0
    } else {
        x
    }
}

/// The Fermi factors, the closed class and its steady state as [`Scaled`] numbers, computed
/// as [`crate::currents::steady_currents`] does: from the f64 Fermi factors and the f64
/// state reduction when every rate and step stays in the normal f64 range (then the means
/// equal its currents bit for bit), otherwise from [`crate::rates::fermi_scaled`] and the
/// [`Scaled`] reduction.
type ScaledSteadyState = (Vec<(Scaled, Scaled)>, Vec<usize>, Vec<Scaled>);

fn scaled_steady_state(device: &Device) -> Result<ScaledSteadyState> {
    let fermi = device.occupations();
    let normal = device.rates_in_f64_range(&fermi);
    if normal && let Some(steady) = steady_state_f64(&device.rate_matrix(&fermi)) {
        let fermi = fermi
            .iter()
            .map(|&(f, f_bar)| (Scaled::from_f64(f), Scaled::from_f64(f_bar)))
            .collect();
        let p = steady.probabilities.iter().map(|&x| Scaled::from_f64(x));
        return Ok((fermi, (0..device.n_states).collect(), p.collect()));
    }
    let fermi = device.scaled_occupations();
    let (steady, p) = steady_state_scaled(
        &device.scaled_rate_matrix(&fermi),
        crate::model::Model::state_label,
    )?;
    let class = steady
        .closed_class
        .unwrap_or_else(|| (0..device.n_states).collect());
    Ok((fermi, class, p))
}

/// Relative size (of the gross transfer) below which a mean current is rounding: Fano
/// factors and TUR ratios are not defined there.
pub const MEAN_RESOLUTION: f64 = 1e-12;

impl Noise {
    /// ⟨⟨J_i J_i⟩⟩.
    pub fn variance(&self, i: usize) -> f64 {
        self.matrix[(i, i)]
    }

    /// True when ⟨J_i⟩ is resolved above rounding (|⟨J_i⟩| > [`MEAN_RESOLUTION`] G¹_i).
    pub fn resolved(&self, i: usize) -> bool {
        self.means[i].abs() > MEAN_RESOLUTION * self.gross[i]
    }

    /// Fano factor of current i ([`fano`]); `None` where ⟨J_i⟩ is not resolved.
    pub fn fano(&self, i: usize) -> Option<f64> {
        self.resolved(i)
            .then(|| fano(self.means[i], self.variance(i)))
            .flatten()
    }

    /// TUR ratio of current i at entropy production `sigma` ([`tur_ratio`]); `None` where
    /// ⟨J_i⟩ is not resolved.
    pub fn tur(&self, i: usize, sigma: f64) -> Option<f64> {
        self.resolved(i)
            .then(|| tur_ratio(self.means[i], self.variance(i), sigma))
            .flatten()
    }
}

/// Fano factor F = ⟨⟨J J⟩⟩ / |⟨J⟩| (dimensionless for particle currents, an energy for
/// energy and heat currents); `None` where ⟨J⟩ = 0.
pub fn fano(mean: f64, variance: f64) -> Option<f64> {
    (mean != 0.0).then(|| variance / mean.abs())
}

/// Thermodynamic uncertainty ratio ⟨⟨J J⟩⟩ Σ̇ / ⟨J⟩² (≥ 2 for every current, k_B = 1);
/// `None` where ⟨J⟩ = 0.
pub fn tur_ratio(mean: f64, variance: f64, entropy_production: f64) -> Option<f64> {
    (mean != 0.0).then(|| {
        if (mean * mean).is_normal() && (variance * entropy_production).is_normal() {
            variance * entropy_production / (mean * mean)
        } else {
            // Millikelvin points: ⟨J⟩² or ⟨⟨J J⟩⟩ Σ̇ leave the f64 range while each ratio
            // (a Fano factor, Σ̇/⟨J⟩) is moderate.
            (variance / mean.abs()) * (entropy_production / mean.abs())
        }
    })
}

/// C(s) = the eigenvalue of largest real part of the tilted generator W(s) of `counter` at a
/// finite counting field s (dense eigenvalues of the balanced matrix; for checks such as the
/// fluctuation theorem, not for cumulants: its error is ε times the norm of W(s), which grows
/// like e^{|s d|}). NaN when W(s) leaves the f64 range.
pub(crate) fn scaled_cgf(device: &Device, counter: &Counter, s: f64) -> f64 {
    let fermi = device.occupations();
    let n = device.n_states;
    let mut w = DMatrix::<f64>::zeros(n, n);
    for ((t, &(f, f_bar)), d) in device
        .transitions
        .iter()
        .zip(&fermi)
        .zip(&counter.increments)
    {
        let (k_in, k_out) = (t.gamma * f, t.gamma * f_bar);
        w[(t.to, t.from)] += k_in * (s * d).exp();
        w[(t.from, t.to)] += k_out * (-s * d).exp();
        w[(t.from, t.from)] -= k_in;
        w[(t.to, t.to)] -= k_out;
    }
    if w.iter().any(|x| !x.is_finite()) {
        return f64::NAN;
    }
    balance(&mut w);
    w.complex_eigenvalues()
        .iter()
        .map(|z| z.re)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// Osborne balancing: a diagonal similarity D W D⁻¹ (eigenvalues unchanged) that makes the
/// off-diagonal row and column norms of every state comparable, so that the eigenvalue
/// error, ε times the norm, is not set by a few entries e^{|s d|} larger than the rest.
fn balance(w: &mut DMatrix<f64>) {
    let n = w.nrows();
    for _ in 0..200 {
        let mut changed = false;
        for i in 0..n {
            let column: f64 = (0..n).filter(|&j| j != i).map(|j| w[(j, i)].abs()).sum();
            let row: f64 = (0..n).filter(|&j| j != i).map(|j| w[(i, j)].abs()).sum();
            if column == 0.0 || row == 0.0 {
                continue;
            }
            let f = (row / column).sqrt();
            if column * f + row / f < 0.95 * (column + row) {
                for j in 0..n {
                    w[(i, j)] /= f;
                    w[(j, i)] *= f;
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}
