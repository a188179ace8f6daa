//! ⑤ Currents into the system from each lead, and their conservation
//! (README, Conventions, "Currents, entropy production").
//!
//! J_N^λ = Σ_t [γ f p_i − γ (1 − f) p_j],  J_E^λ = Σ_t ω_t [γ f p_i − γ (1 − f) p_j],
//! J_Q^λ = J_E^λ − μ_λ J_N^λ; positive when particles or energy flow from λ into the system.

use crate::model::Component;
use crate::rates::Device;
use crate::scaled::Scaled;
use crate::steady_state::{
    DENSE_LIMIT, SMALL_STATES, SteadyState, steady_state_of, steady_state_scaled,
    steady_state_sparse, steady_state_table,
};

/// Steady-state currents of one lead.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LeadCurrents {
    /// J_N^λ, particles per unit time.
    pub particle: f64,
    /// J_E^λ, energy per unit time.
    pub energy: f64,
    /// J_S^λ = J_N↑^λ − J_N↓^λ, the spin current (particles per unit time; 0 for spinless
    /// dots).
    pub spin: f64,
    /// J_Q^λ = J_E^λ − Σ_σ μ_λσ J_Nσ^λ = J_E^λ − μ_λ J_N^λ − (μ_sλ/2) J_S^λ.
    pub heat: f64,
    /// Σ_t (γ f p_i + γ (1 − f) p_j): the gross particle exchange, the scale against which
    /// rounding in J_N^λ is measured.
    pub gross_particle: f64,
    /// Σ_t |ω_t| (γ f p_i + γ (1 − f) p_j): the same for J_E^λ.
    pub gross_energy: f64,
}

/// Currents of every lead for probabilities `p` and Fermi factors `fermi` (from
/// [`Device::occupations`]).
pub(crate) fn lead_currents(device: &Device, fermi: &[(f64, f64)], p: &[f64]) -> Vec<LeadCurrents> {
    let flows = device
        .transitions
        .iter()
        .zip(fermi)
        .map(|(t, &(f, f_bar))| (t.gamma * f * p[t.from], t.gamma * f_bar * p[t.to]));
    accumulate(device, flows)
}

/// [`lead_currents`] from [`Scaled`] Fermi factors and probabilities: each one-way flow
/// γ f p_i, γ (1 − f) p_j is formed without underflow and rounded to f64 once.
pub(crate) fn lead_currents_scaled(
    device: &Device,
    fermi: &[(Scaled, Scaled)],
    p: &[Scaled],
) -> Vec<LeadCurrents> {
    let flows = device
        .transitions
        .iter()
        .zip(fermi)
        .map(|(t, &(f, f_bar))| {
            let gamma = Scaled::from_f64(t.gamma);
            (
                (gamma * f * p[t.from]).to_f64(),
                (gamma * f_bar * p[t.to]).to_f64(),
            )
        });
    accumulate(device, flows)
}

/// J_N^λ, J_E^λ, J_Q^λ and the gross exchanges from the one-way flows (in, out) of every
/// transition.
fn accumulate(device: &Device, flows: impl Iterator<Item = (f64, f64)>) -> Vec<LeadCurrents> {
    let mut currents = vec![LeadCurrents::default(); device.leads.len()];
    for (t, (inward, outward)) in device.transitions.iter().zip(flows) {
        let c = &mut currents[t.lead];
        c.particle += inward - outward;
        c.spin += t.spin * (inward - outward);
        c.energy += t.omega * (inward - outward);
        c.gross_particle += inward + outward;
        c.gross_energy += t.omega.abs() * (inward + outward);
    }
    for (c, lead) in currents.iter_mut().zip(&device.leads) {
        c.heat = lead.heat_current(c.energy, c.particle, c.spin);
    }
    currents
}

/// Residuals of the steady-state conservation laws, each relative to the gross exchange
/// (so that rounding gives ~1e-16 whatever the size of the net currents; gross exchanges
/// below ~1e-292, where subnormal rounding dominates, count as 1e-292).
#[derive(Debug, Clone, PartialEq)]
pub struct Conservation {
    /// |Σ_λ J_E^λ| / Σ_λ gross energy exchange.
    pub energy: f64,
    /// |Σ_{λ∈c} J_N^λ| / Σ_{λ∈c} gross particle exchange, per component.
    pub particles: Vec<f64>,
}

/// Check Σ_λ J_E^λ = 0 and Σ_{λ∈c} J_N^λ = 0 for every component c.
pub(crate) fn conservation(currents: &[LeadCurrents], components: &[Component]) -> Conservation {
    // Below 2⁻⁹⁷⁰ ≈ 1e-292 (f64::MIN_POSITIVE / ε) the absolute rounding of subnormal
    // arithmetic, 2⁻¹⁰⁷⁴ per operation, exceeds ε × gross: measure against that floor.
    let floor = f64::MIN_POSITIVE / f64::EPSILON;
    let relative = |net: f64, gross: f64| {
        if gross > 0.0 {
            net.abs() / gross.max(floor)
        } else {
            net.abs()
        }
    };
    let energy = relative(
        currents.iter().map(|c| c.energy).sum(),
        currents.iter().map(|c| c.gross_energy).sum(),
    );
    let particles = components
        .iter()
        .map(|comp| {
            relative(
                comp.leads.iter().map(|&l| currents[l].particle).sum(),
                comp.leads.iter().map(|&l| currents[l].gross_particle).sum(),
            )
        })
        .collect();
    Conservation { energy, particles }
}

/// Solve the nonlinear steady state of `device` and its currents: ③ → ④ → ⑤. State spaces
/// up to [`DENSE_LIMIT`] states use dense state reduction — in f64 when every rate and every
/// step stays in the normal f64 range, otherwise in [`Scaled`] arithmetic (rates such as
/// e^{−β(ω−μ)} at β|ω − μ| ~ 10⁴ are kept, not rounded to 0) — larger ones the sparse
/// iteration.
pub(crate) fn steady_currents(device: &Device) -> crate::Result<(SteadyState, Vec<LeadCurrents>)> {
    let small = match device.n_states {
        0..=4 => steady_currents_small::<16, 32>(device),
        5..=8 => steady_currents_small::<64, 96>(device),
        9..=SMALL_STATES => steady_currents_small::<{ SMALL_STATES * SMALL_STATES }, 256>(device),
        _ => None,
    };
    if let Some(solution) = small {
        return Ok(solution);
    }
    let fermi = device.occupations();
    let label = crate::model::Model::state_label;
    if device.n_states > DENSE_LIMIT {
        let steady = steady_state_sparse(device.n_states, &device.rate_list(&fermi), label)?;
        let currents = lead_currents(device, &fermi, &steady.probabilities);
        return Ok((steady, currents));
    }
    // The f64 path needs every positive bare rate to give positive normal rates.
    let resolved = device.rates_in_f64_range(&fermi);
    if resolved && let Some(steady) = steady_state_table(&device.rate_table(&fermi)) {
        let currents = lead_currents(device, &fermi, &steady.probabilities);
        return Ok((steady, currents));
    }
    let fermi = device.scaled_occupations();
    let (steady, p) = steady_state_scaled(&device.scaled_rate_matrix(&fermi), label)?;
    let currents = lead_currents_scaled(device, &fermi, &p);
    Ok((steady, currents))
}

/// The f64 path of [`steady_currents`] on stack buffers of `CELLS` rates and `TRANSITIONS`
/// Fermi factors: the same sums in the same order, so the same numbers. `None` when it does
/// not apply (more states or transitions than fit, a rate outside the normal f64 range, a
/// reduction step that left it): the general path then decides, as before.
fn steady_currents_small<const CELLS: usize, const TRANSITIONS: usize>(
    device: &Device,
) -> Option<(SteadyState, Vec<LeadCurrents>)> {
    let (n, count) = (device.n_states, device.transitions.len());
    if n * n > CELLS || count > TRANSITIONS {
        return None;
    }
    let mut fermi = [(0.0, 0.0); TRANSITIONS];
    for (slot, t) in fermi.iter_mut().zip(&device.transitions) {
        *slot = device.occupation(t);
    }
    let fermi = &fermi[..count];
    if !device.rates_in_f64_range(fermi) {
        return None;
    }
    let mut rates = [0.0; CELLS];
    device.rate_table_into(fermi, &mut rates[..n * n]);
    let steady = steady_state_of(n, &rates[..n * n])?;
    let currents = lead_currents(device, fermi, &steady.probabilities);
    Some((steady, currents))
}
