//! One rule for "zero within rounding", shared by every derived quantity qct prints.
//!
//! A derived quantity (a net current, power, heat, Σ̇) is a signed sum of terms whose
//! magnitudes add up to a *rounding scale* — the gross exchange behind it, e.g.
//! Σ_t γ (f p_from + (1 − f) p_to) for J_N or Σ_λ |μ_λ − μ_ρc| × gross particle exchange for
//! the power. Floating point leaves ~u × scale of noise in such a sum (u = 2.2e-16), so a
//! value with |x| ≤ [`ROUNDING_ZERO`] × scale is zero to the precision it was computed with:
//! it prints as 0 (never as −1e-17, never with a sign that means nothing) and has no sign in
//! the regime logic. One threshold for all, 1e-12: four orders above the noise of sums over
//! thousands of terms, and far below any physical value qct resolves.
//!
//! Users: per-lead J_N, J_E, J_Q, the fluxes and both Σ̇ of `qct solve` (and every report
//! built on it), the power and heat currents of `qct performance`, Σ̇ and the signs in the
//! regime and ICC logic (`regime::ZERO_TOLERANCE`), the cumulants and noise matrix of the
//! counting statistics (against their gross transfer, `fcs`), and the reduced sources of the nodal
//! linear response. Not the Onsager coefficients: the cycle form sums products of positive
//! numbers, so an L_ij far below √(L_ii L_jj) is a value, not rounding. Other thresholds in
//! qct are different concepts and say so: solver tolerances (sparse iteration), resolution
//! for a ratio to keep digits (`performance::HEAT_RESOLUTION`, `RESOLUTION`), the relative
//! det L of tight coupling, the finite-difference floor (`onsager::finite_differences`).

/// Relative size, against the rounding scale, below which a derived quantity is zero.
pub(crate) const ROUNDING_ZERO: f64 = 1e-12;

/// |value| ≤ [`ROUNDING_ZERO`] × `scale`.
pub(crate) fn is_rounding_zero(value: f64, scale: f64) -> bool {
    value.abs() <= ROUNDING_ZERO * scale
}

/// `value`, or exactly +0 when it is zero within rounding of `scale` (module doc).
pub(crate) fn zero_within_rounding(value: f64, scale: f64) -> f64 {
    if is_rounding_zero(value, scale) {
        0.0
    } else {
        value
    }
}

use crate::currents::LeadCurrents;
use crate::rates::LeadState;
use crate::thermo::ForceBasis;

/// Rounding scales of the currents of one lead: (J_N and J_S, J_E, J_Q = J_E − μ J_N −
/// (μ_s/2) J_S) against the gross particle exchange G_N (|J_S| ≤ G_N), the gross energy
/// exchange G_E, and G_E + (|μ| + |μ_s|/2) G_N.
pub(crate) fn current_scales(lead: &LeadState, c: &LeadCurrents) -> (f64, f64, f64) {
    (
        c.gross_particle,
        c.gross_energy,
        c.gross_energy + (lead.mu.abs() + 0.5 * lead.spin_bias.abs()) * c.gross_particle,
    )
}

/// The currents of every lead with J_N, J_S, J_E and J_Q that are zero within rounding of
/// their scales (`current_scales`) set to 0, as qct prints them.
pub(crate) fn rounded_currents(
    leads: &[LeadState],
    currents: &[LeadCurrents],
) -> Vec<LeadCurrents> {
    leads
        .iter()
        .zip(currents)
        .map(|(lead, c)| {
            let (n, e, q) = current_scales(lead, c);
            LeadCurrents {
                particle: zero_within_rounding(c.particle, n) + 0.0,
                spin: zero_within_rounding(c.spin, n) + 0.0,
                energy: zero_within_rounding(c.energy, e) + 0.0,
                heat: zero_within_rounding(c.heat, q) + 0.0,
                ..*c
            }
        })
        .collect()
}

/// Rounding scale of every flux of `basis`: the gross exchange behind J_N, J_E or
/// J_Q = J_E − μ_ρc J_N ([`ForceBasis::flux_of`] of the gross exchanges, with |μ|).
pub(crate) fn flux_scales(
    basis: &ForceBasis,
    leads: &[LeadState],
    currents: &[LeadCurrents],
) -> Vec<f64> {
    basis
        .forces
        .iter()
        .map(|force| {
            // flux_of subtracts the origin times J_N: with −|μ| the scales add; a spin flux
            // J_N↑ − J_N↓ is bounded by the gross particle exchange.
            basis
                .merged_with(force)
                .map(|f| {
                    let c = &currents[f.lead];
                    basis.flux_of(
                        &f,
                        |l| -leads[l].mu.abs(),
                        c.gross_particle,
                        c.gross_particle,
                        c.gross_energy,
                    )
                })
                .sum::<f64>()
        })
        .collect()
}

/// Rounding scale of Σ̇ = −Σ_λ β_λ J_Q^λ: Σ_λ β_λ (G_E + |μ_λ| G_N).
pub(crate) fn entropy_production_scale(leads: &[LeadState], currents: &[LeadCurrents]) -> f64 {
    leads
        .iter()
        .zip(currents)
        .map(|(lead, c)| lead.beta * current_scales(lead, c).2)
        .sum()
}

/// Σ̇ = −Σ_λ β_λ J_Q^λ, or +0 when it is zero within rounding of
/// [`entropy_production_scale`]: the second law holds to rounding, and a −1e-17 at
/// equilibrium is not a violation.
pub(crate) fn rounded_entropy_production(leads: &[LeadState], currents: &[LeadCurrents]) -> f64 {
    let sigma = crate::thermo::entropy_production(leads, currents);
    zero_within_rounding(sigma, entropy_production_scale(leads, currents)) + 0.0
}

/// Rounding scale of Σ̇ = Σ_i F_i J_i: Σ_i |F_i| × the scale of J_i.
pub(crate) fn force_flux_scale(forces: &[f64], flux_scales: &[f64]) -> f64 {
    forces
        .iter()
        .zip(flux_scales)
        .map(|(f, s)| f.abs() * s)
        .sum()
}

#[cfg(test)]
mod tests {
    //! One test per quantity class: a value at ROUNDING_ZERO × its scale prints as 0, one
    //! at 2 × ROUNDING_ZERO × its scale does not.
    use super::*;

    fn lead(mu: f64) -> LeadState {
        LeadState {
            beta: 2.0,
            mu,
            spin_bias: 0.0,
        }
    }

    fn currents(particle: f64, energy: f64, heat: f64) -> LeadCurrents {
        LeadCurrents {
            particle,
            spin: 0.0,
            energy,
            heat,
            gross_particle: 3.0,
            gross_energy: 5.0,
        }
    }

    #[test]
    fn lead_currents_particle_energy_heat() {
        let l = lead(-0.5);
        let (n, e, q) = current_scales(&l, &currents(0.0, 0.0, 0.0));
        assert_eq!((n, e, q), (3.0, 5.0, 5.0 + 0.5 * 3.0));
        let at = currents(ROUNDING_ZERO * n, -ROUNDING_ZERO * e, ROUNDING_ZERO * q);
        let r = &rounded_currents(&[l], &[at])[0];
        assert_eq!((r.particle, r.energy, r.heat), (0.0, 0.0, 0.0));
        assert!(r.energy.is_sign_positive(), "no -0");
        let above = currents(2e-12 * n, -2e-12 * e, 2e-12 * q);
        let r = &rounded_currents(&[l], &[above])[0];
        assert!(r.particle > 0.0 && r.energy < 0.0 && r.heat > 0.0);
    }

    /// J_S is bounded by the gross particle exchange and rounds against it; with a spin
    /// bias J_Q = J_E − μ J_N − (μ_s/2) J_S, whose scale gains |μ_s|/2 G_N.
    #[test]
    fn spin_current_and_spin_biased_heat() {
        let l = LeadState {
            spin_bias: -0.8,
            ..lead(0.5)
        };
        let (n, _, q) = current_scales(&l, &currents(0.0, 0.0, 0.0));
        assert_eq!(q, 5.0 + (0.5 + 0.4) * 3.0);
        let with_spin = |spin: f64, heat: f64| LeadCurrents {
            spin,
            ..currents(1.0, 1.0, heat)
        };
        let r = &rounded_currents(&[l], &[with_spin(-ROUNDING_ZERO * n, ROUNDING_ZERO * q)])[0];
        assert_eq!((r.spin.to_bits(), r.heat.to_bits()), (0, 0));
        let r = &rounded_currents(&[l], &[with_spin(-2e-12 * n, 2e-12 * q)])[0];
        assert!(r.spin < 0.0 && r.heat > 0.0);
    }

    /// The library's `Model::solve` applies the rule as `qct solve` does: at an
    /// equilibrium (every T and μ equal) with asymmetric rates and levels, where the
    /// unrounded sums leave ~1e-17, every current and Σ̇ is exactly +0; away from it the
    /// currents are the unrounded ones, except those that vanish by conservation.
    #[test]
    fn library_solve_rounds_equilibrium_to_zero() {
        let model = crate::Model::builtin("cqd").unwrap();
        let mut p = model.parameters();
        for (name, value) in [("T_l", 1.3), ("T_r", 1.3), ("T_u", 1.3), ("mu_l", 0.1)] {
            p.set(name, value).unwrap();
        }
        p.set("mu_r", 0.1).unwrap().set("mu_u", 0.1).unwrap();
        p.set("eps_b", 0.37)
            .unwrap()
            .set("gamma_l1", 0.013)
            .unwrap();
        let device = crate::rates::Device::new(&model, p.values()).unwrap();
        let (_, raw) = crate::currents::steady_currents(&device).unwrap();
        let solution = model.solve(&p).unwrap();
        for c in &solution.currents {
            for x in [c.particle, c.energy, c.heat] {
                assert_eq!(x.to_bits(), 0.0f64.to_bits(), "{c:?}");
            }
        }
        assert_eq!(solution.entropy_production.to_bits(), 0.0f64.to_bits());
        let largest = raw.iter().map(|c| c.energy.abs()).fold(0.0, f64::max);
        assert!(largest < 1e-14, "the raw currents are rounding: {raw:?}");
        p.set("T_l", 1.8).unwrap().set("mu_l", 0.4).unwrap();
        let device = crate::rates::Device::new(&model, p.values()).unwrap();
        let (_, raw) = crate::currents::steady_currents(&device).unwrap();
        let solution = model.solve(&p).unwrap();
        assert!(solution.entropy_production > 0.0);
        // Lead u is the only lead of dot u: J_N^u vanishes by conservation (raw ~1e-17).
        assert_eq!(solution.currents[2].particle.to_bits(), 0.0f64.to_bits());
        assert!(raw[2].particle.abs() < 1e-15);
        for (k, (c, r)) in solution.currents.iter().zip(&raw).enumerate() {
            assert_eq!((c.energy, c.heat), (r.energy, r.heat));
            if k != 2 {
                assert_eq!(c.particle, r.particle);
            }
        }
    }

    #[test]
    fn entropy_production_and_force_flux_sums() {
        let (leads, c) = ([lead(0.5), lead(-1.0)], [currents(0.0, 0.0, 0.0); 2]);
        let scale = entropy_production_scale(&leads, &c);
        assert_eq!(scale, 2.0 * (5.0 + 0.5 * 3.0) + 2.0 * (5.0 + 3.0));
        assert_eq!(zero_within_rounding(-ROUNDING_ZERO * scale, scale), 0.0);
        assert!(zero_within_rounding(-2e-12 * scale, scale) < 0.0);
        let scale = force_flux_scale(&[0.5, -2.0], &[3.0, 5.0]);
        assert_eq!(scale, 11.5);
        assert_eq!(zero_within_rounding(ROUNDING_ZERO * scale, scale), 0.0);
        assert!(zero_within_rounding(2e-12 * scale, scale) > 0.0);
    }

    #[test]
    fn power_heat_and_entropy_production_share_the_threshold() {
        // Power, heat, currents, Σ̇: every class calls the same rule with its own scale.
        for scale in [1e-300, 1e-12, 1.0, 1e200] {
            assert!(is_rounding_zero(ROUNDING_ZERO * scale, scale));
            assert!(!is_rounding_zero(2.0 * ROUNDING_ZERO * scale, scale));
        }
        assert_eq!(zero_within_rounding(-0.0, 0.0), 0.0);
        assert_eq!(
            zero_within_rounding(1e-320, 0.0),
            1e-320,
            "scale 0: only exact zeros"
        );
    }
}
