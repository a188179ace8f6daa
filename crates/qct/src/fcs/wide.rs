//! [`Scaled`] numbers (f64 mantissa, 64-bit binary exponent) as a number field for the
//! cumulant recursion of [`super::recursion`], so that the counting statistics keeps rates
//! such as γ e^{−β(ω−μ)} at β|ω − μ| ~ 10³–10⁴ (millikelvin against meV) instead of rounding
//! them to 0 and cutting the transition graph apart.
//!
//! Every operation rounds once, like the f64 operation on the same operands: products and
//! quotients multiply or divide the mantissas and add or subtract the exponents, sums align
//! the mantissas exactly and add them. So while every intermediate stays in the normal f64
//! range the recursion returns bit for bit the f64 result, and beyond it the same relative
//! accuracy instead of an underflow.

use crate::scaled::Scaled;
use num_traits::{Num, One, Zero};
use std::ops::{Add, Div, Mul, Rem, Sub};

/// A [`Scaled`] number with the arithmetic traits of [`num_traits::Num`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Wide(pub Scaled);

impl Wide {
    pub(crate) fn from_f64(x: f64) -> Wide {
        Wide(Scaled::from_f64(x))
    }

    /// The nearest f64 (0 below the f64 range, ±∞ above it).
    pub(crate) fn to_f64(self) -> f64 {
        self.0.to_f64()
    }

    pub(crate) fn abs(self) -> Wide {
        Wide(self.0.abs())
    }
}

impl Add for Wide {
    type Output = Wide;
    fn add(self, other: Wide) -> Wide {
        Wide(self.0 + other.0)
    }
}

impl Sub for Wide {
    type Output = Wide;
    fn sub(self, other: Wide) -> Wide {
        Wide(self.0.sub(other.0))
    }
}

impl Mul for Wide {
    type Output = Wide;
    fn mul(self, other: Wide) -> Wide {
        Wide(self.0 * other.0)
    }
}

impl Div for Wide {
    type Output = Wide;
    fn div(self, other: Wide) -> Wide {
        Wide(self.0 / other.0)
    }
}

/// The remainder of truncated division, as for f64 (required by [`Num`]; the recursion
/// never takes one). When |self/other| ≥ 2⁵³ the quotient is an integer to f64 precision
/// and the remainder is 0.
impl Rem for Wide {
    type Output = Wide;
    fn rem(self, other: Wide) -> Wide {
        let quotient = (self / other).to_f64();
        if quotient.abs() >= 2f64.powi(53) {
            return Wide::zero();
        }
        self - other * Wide::from_f64(quotient.trunc())
    }
}

impl Zero for Wide {
    fn zero() -> Wide {
        Wide(Scaled::ZERO)
    }
    fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

impl One for Wide {
    fn one() -> Wide {
        Wide(Scaled::ONE)
    }
}

impl Num for Wide {
    type FromStrRadixErr = <f64 as Num>::FromStrRadixErr;
    fn from_str_radix(text: &str, radix: u32) -> Result<Wide, Self::FromStrRadixErr> {
        f64::from_str_radix(text, radix).map(Wide::from_f64)
    }
}

impl PartialOrd for Wide {
    fn partial_cmp(&self, other: &Wide) -> Option<std::cmp::Ordering> {
        self.0.partial_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inside the normal f64 range every operation rounds exactly as f64 does (the reason
    /// the counting statistics at ordinary points is unchanged bit for bit).
    #[test]
    fn operations_round_like_f64_in_its_normal_range() {
        let xs = [3.0, -0.1, 7.5e-150, -2.5e150, 1.0 / 3.0, 1.0 + f64::EPSILON];
        for &a in &xs {
            for &b in &xs {
                let (wa, wb) = (Wide::from_f64(a), Wide::from_f64(b));
                assert_eq!((wa + wb).to_f64(), a + b, "{a} + {b}");
                assert_eq!((wa - wb).to_f64(), a - b, "{a} - {b}");
                assert_eq!((wa * wb).to_f64(), a * b, "{a} * {b}");
                assert_eq!((wa / wb).to_f64(), a / b, "{a} / {b}");
            }
        }
    }

    /// e^{−5000} − e^{−5000}/2 = e^{−5000}/2: differences of numbers far below the f64 range
    /// keep their relative accuracy.
    #[test]
    fn differences_far_below_the_f64_range() {
        let tiny = Wide(Scaled::exp(-5000.0));
        let half = tiny / Wide::from_f64(2.0);
        assert_eq!(tiny - half, half);
        assert!(((tiny - half) / tiny).to_f64() == 0.5);
        assert!(Wide::zero() < tiny && tiny < Wide::one());
        let rem = |a: f64, b: f64| (Wide::from_f64(a) % Wide::from_f64(b)).to_f64();
        assert_eq!((rem(7.0, 3.0), rem(-7.5, 2.0)), (1.0, -1.5));
    }
}
