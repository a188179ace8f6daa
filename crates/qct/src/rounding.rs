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

/// Relative size, against the rounding scale, below which a derived quantity is zero.
pub const ROUNDING_ZERO: f64 = 1e-12;

/// |value| ≤ [`ROUNDING_ZERO`] × `scale`.
pub fn is_rounding_zero(value: f64, scale: f64) -> bool {
    value.abs() <= ROUNDING_ZERO * scale
}

/// `value`, or exactly +0 when it is zero within rounding of `scale` (module doc).
pub fn zero_within_rounding(value: f64, scale: f64) -> f64 {
    if is_rounding_zero(value, scale) {
        0.0
    } else {
        value
    }
}
