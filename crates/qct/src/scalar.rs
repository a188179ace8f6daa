//! The arithmetic that qct's thermodynamic formulas need, for every number type it computes
//! with: `f64` (the numeric pipeline), exact rationals (the `exact` oracle) and Symbolica
//! atoms (the closed forms, implemented in `symbolic`). Each formula — forces, fluxes, what
//! a transition transports (`ForceBasis::force_of`, `flux_of`, `transported`, `energy_origin`)
//! — is written once over [`Scalar`], so the three layers cannot disagree.

use std::ops::{Add, Mul, Sub};

/// A commutative ring with the constants 0 and 1 (no division: the formulas take β and μ).
pub trait Scalar: Clone + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> {
    fn zero() -> Self;
    fn one() -> Self;
}

impl Scalar for f64 {
    fn zero() -> f64 {
        0.0
    }
    fn one() -> f64 {
        1.0
    }
}

#[cfg(feature = "exact")]
impl Scalar for num_rational::BigRational {
    fn zero() -> Self {
        num_traits::Zero::zero()
    }
    fn one() -> Self {
        num_traits::One::one()
    }
}
