//! ③ Transitions, Fermi functions and the Pauli generator (README, Conventions, "Leads and rates").
//!
//! A transition t: i → j through coupling (λ, α) adds one electron to dot α; ω_t = E_j − E_i.
//! Rate in: γ_λα(t) f_λ(ω_t); rate out (j → i): γ_λα(t) (1 − f_λ(ω_t)), with
//! f_λ(ω) = 1 / (1 + exp(β_λ (ω − μ_λ))).

use crate::model::{Model, ParamId};
use crate::scaled::Scaled;
use crate::steady_state::{RateTable, ScaledRates};
use nalgebra::DMatrix;

/// One tunnelling transition i → j (electron enters dot `dot` from lead `lead`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transition {
    /// State before the electron enters.
    pub from: usize,
    /// State after: `from` with dot `dot` occupied.
    pub to: usize,
    pub lead: usize,
    pub dot: usize,
    /// Bare rate γ_λα for the occupations of the other dots in `from`.
    pub gamma: f64,
    /// The parameter that gives γ_λα here.
    pub rate: ParamId,
    /// Transition energy ω_t = E_to − E_from.
    pub omega: f64,
    /// Spin σ of the electron that enters: +1 (up), −1 (down), 0 (spinless dot)
    /// ([`crate::model::spin::sigma`]).
    pub spin: f64,
}

/// Thermodynamic state of a lead: inverse temperature β_λ and chemical potential μ_λ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LeadState {
    pub beta: f64,
    pub mu: f64,
    /// Spin accumulation μ_s = μ_↑ − μ_↓ (0 without a declared spin bias).
    pub spin_bias: f64,
}

impl LeadState {
    /// μ_σ = μ + σ μ_s/2, the chemical potential of the electrons of spin σ (+1, −1, or 0
    /// for a spinless dot); exactly μ when μ_s = 0.
    #[inline]
    pub(crate) fn mu_for(&self, spin: f64) -> f64 {
        if self.spin_bias == 0.0 || spin == 0.0 {
            self.mu
        } else {
            self.mu + 0.5 * spin * self.spin_bias
        }
    }

    /// J_Q = J_E − Σ_σ μ_σ J_Nσ = J_E − μ J_N − (μ_s/2) J_S (exactly J_E − μ J_N when
    /// μ_s = 0), from the lead's energy, particle and spin currents.
    #[inline]
    pub(crate) fn heat_current(&self, energy: f64, particle: f64, spin: f64) -> f64 {
        let heat = energy - self.mu * particle;
        if self.spin_bias == 0.0 {
            heat
        } else {
            heat - 0.5 * self.spin_bias * spin
        }
    }
}

/// Fermi function and its complement, `(f, 1 − f)` at x = β (ω − μ), both computed without
/// cancellation or overflow for any finite x: f = 1/(1 + eˣ) for x ≤ 0, e⁻ˣ/(1 + e⁻ˣ) for x > 0.
#[inline]
pub(crate) fn fermi(x: f64) -> (f64, f64) {
    if x <= 0.0 {
        let e = x.exp();
        let f = 1.0 / (1.0 + e);
        (f, e * f)
    } else {
        let e = (-x).exp();
        let g = 1.0 / (1.0 + e);
        (e * g, g)
    }
}

/// Largest |β (ω − μ)| that [`fermi_scaled`] resolves: beyond it the rounding of the f64
/// inputs alone (relative 1.1e-16 of β(ω − μ), i.e. more than 0.1 absolute) leaves no
/// significant digit of e^{−β(ω−μ)}, and the small factor is taken as exactly 0.
pub(crate) const MAX_SCALED_EXPONENT: f64 = 1e15;

/// [`fermi`] in [`Scaled`] arithmetic: `(f, 1 − f)` at x = β (ω − μ) with the small one
/// never underflowing: f = e^{−x}/(1 + e^{−x}) for x > 0 keeps e^{−x} as a [`Scaled`]
/// number, and likewise 1 − f for x ≤ 0 (0 beyond |x| = [`MAX_SCALED_EXPONENT`]).
pub(crate) fn fermi_scaled(x: f64) -> (Scaled, Scaled) {
    let tail = if x.abs() <= MAX_SCALED_EXPONENT {
        Scaled::exp(-x.abs())
    } else {
        Scaled::ZERO
    };
    let bulk = 1.0 / (1.0 + (-x.abs()).exp());
    let (big, small) = (Scaled::from_f64(bulk), tail * Scaled::from_f64(bulk));
    if x <= 0.0 { (big, small) } else { (small, big) }
}

/// (β_λ, μ_λ) of every lead of `model` at the parameter values `values`.
pub(crate) fn lead_states(model: &Model, values: &[f64]) -> Vec<LeadState> {
    model
        .leads
        .iter()
        .map(|l| LeadState {
            beta: 1.0 / values[l.temperature.0],
            mu: values[l.chemical_potential.0],
            spin_bias: l.spin_bias.map_or(0.0, |s| values[s.0]),
        })
        .collect()
}

/// A model evaluated at one parameter point: spectrum, transitions and lead states. The
/// transitions do not depend on the leads' (β, μ), so linear response and finite
/// differences reuse them and change only [`Device::leads`].
#[derive(Debug, Clone)]
pub(crate) struct Device {
    pub n_states: usize,
    /// E_k of every basis state.
    pub energies: Vec<f64>,
    pub transitions: Vec<Transition>,
    pub leads: Vec<LeadState>,
}

impl Device {
    /// Evaluate `model` at parameter values `values` (checked: finite, T > 0, γ ≥ 0):
    /// the free parameters only, or the full vector of [`Model::complete`]. The derived
    /// levels, interactions and rates are always recomputed from the free parameters; derived
    /// temperatures and chemical potentials are taken as given (an equilibrium point sets
    /// them directly). With interdot tunnelling t ≠ 0 the states are the eigenstates of H
    /// ([`crate::eigen::Eigenbasis`]).
    pub(crate) fn new(model: &Model, values: &[f64]) -> crate::Result<Device> {
        // Without derived quantities the full vector is the free parameters themselves: no
        // copy ([`Model::resolve`] would return exactly these values).
        let full;
        let values = if model.derived.is_empty() && values.len() >= model.parameters.len() {
            &values[..model.parameters.len()]
        } else {
            full = model.resolve(values);
            &full[..]
        };
        crate::plan::device(model, values)
    }

    /// The same device with other lead states.
    pub(crate) fn with_leads(&self, leads: Vec<LeadState>) -> Device {
        Device {
            leads,
            ..self.clone()
        }
    }

    /// `(f, 1 − f)` of lead λ(t) at ω_t for every transition.
    pub(crate) fn occupations(&self) -> Vec<(f64, f64)> {
        self.transitions
            .iter()
            .map(|t| self.occupation(t))
            .collect()
    }

    /// `(f, 1 − f)` of lead λ(t) at ω_t for the transition `t`.
    #[inline]
    pub(crate) fn occupation(&self, t: &Transition) -> (f64, f64) {
        let lead = self.leads[t.lead];
        fermi(lead.beta * (t.omega - lead.mu_for(t.spin)))
    }

    /// True when every positive bare rate γ_t gives normal (not subnormal, not zero) f64
    /// rates γ_t f and γ_t (1 − f) for the occupations `fermi` ([`Device::occupations`]):
    /// then the f64 state reduction is exact to rounding; otherwise the [`Scaled`] path is
    /// needed.
    pub(crate) fn rates_in_f64_range(&self, fermi: &[(f64, f64)]) -> bool {
        self.transitions.iter().zip(fermi).all(|(t, &(f, f_bar))| {
            t.gamma == 0.0
                || (t.gamma * f >= f64::MIN_POSITIVE && t.gamma * f_bar >= f64::MIN_POSITIVE)
        })
    }

    /// [`Device::occupations`] in [`Scaled`] arithmetic (no underflow).
    pub(crate) fn scaled_occupations(&self) -> Vec<(Scaled, Scaled)> {
        self.transitions
            .iter()
            .map(|t| {
                let lead = self.leads[t.lead];
                fermi_scaled(lead.beta * (t.omega - lead.mu_for(t.spin)))
            })
            .collect()
    }

    /// [`Device::rate_matrix`] in [`Scaled`] arithmetic.
    pub(crate) fn scaled_rate_matrix(&self, fermi: &[(Scaled, Scaled)]) -> ScaledRates {
        let mut rates = ScaledRates::zeros(self.n_states);
        for (t, &(f, f_bar)) in self.transitions.iter().zip(fermi) {
            let gamma = Scaled::from_f64(t.gamma);
            rates.add(t.from, t.to, gamma * f);
            rates.add(t.to, t.from, gamma * f_bar);
        }
        rates
    }

    /// [`Device::rate_matrix`] as a [`RateTable`] (the same sums, for the state reduction).
    pub(crate) fn rate_table(&self, fermi: &[(f64, f64)]) -> RateTable<f64> {
        let mut rates = RateTable::zeros(self.n_states);
        self.add_rates(fermi, |i, j, rate| rates.add(i, j, rate));
        rates
    }

    /// [`Device::rate_table`] added into the n × n table `table` (column by column, zeros on
    /// entry).
    pub(crate) fn rate_table_into(&self, fermi: &[(f64, f64)], table: &mut [f64]) {
        let n = self.n_states;
        self.add_rates(fermi, |i, j, rate| table[i + j * n] += rate);
    }

    /// Pass the rates γ f (from → to) and γ (1 − f) (to → from) of every transition to `add`.
    #[inline]
    fn add_rates(&self, fermi: &[(f64, f64)], mut add: impl FnMut(usize, usize, f64)) {
        for (t, &(f, f_bar)) in self.transitions.iter().zip(fermi) {
            add(t.from, t.to, t.gamma * f);
            add(t.to, t.from, t.gamma * f_bar);
        }
    }

    /// The rates as a list (from, to, rate), both directions of every transition: the
    /// sparse counterpart of [`Device::rate_matrix`] for large state spaces.
    pub(crate) fn rate_list(&self, fermi: &[(f64, f64)]) -> Vec<(usize, usize, f64)> {
        self.transitions
            .iter()
            .zip(fermi)
            .flat_map(|(t, &(f, f_bar))| {
                [(t.from, t.to, t.gamma * f), (t.to, t.from, t.gamma * f_bar)]
            })
            .collect()
    }

    /// Rate matrix R with R[(i, j)] the total rate i → j (i ≠ j) and a zero diagonal. The
    /// generator is W = Rᵀ − diag(Σ_j R_ij).
    pub(crate) fn rate_matrix(&self, fermi: &[(f64, f64)]) -> DMatrix<f64> {
        let mut rates = DMatrix::zeros(self.n_states, self.n_states);
        for (t, &(f, f_bar)) in self.transitions.iter().zip(fermi) {
            rates[(t.from, t.to)] += t.gamma * f;
            rates[(t.to, t.from)] += t.gamma * f_bar;
        }
        rates
    }
}

/// Pauli generator W (dp/dt = W p) from a rate matrix: W_ji = R_ij for i ≠ j,
/// W_ii = −Σ_j R_ij.
#[cfg(test)]
pub(crate) fn generator(rates: &DMatrix<f64>) -> DMatrix<f64> {
    let mut w = rates.transpose();
    for i in 0..rates.nrows() {
        w[(i, i)] = -rates.row(i).sum();
    }
    w
}
