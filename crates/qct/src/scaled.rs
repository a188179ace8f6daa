//! Numbers with an f64 mantissa and a 64-bit binary exponent: x = m · 2^e.
//!
//! At dilution-refrigerator temperatures a Fermi factor e^{−β(ω−μ)} with β|ω − μ| ~ 10³–10⁴
//! underflows in f64 (below 2⁻¹⁰⁷⁴ ≈ 5 · 10⁻³²⁴), and a rate that underflows to 0 cuts the
//! transition graph apart. [`Scaled`] keeps such numbers: the mantissa carries the 53 bits
//! of relative precision of an f64, the exponent never overflows (|e| < 2⁶³), so products,
//! quotients and sums of positive numbers keep an f64's relative accuracy whatever their
//! size. The state reduction of [`crate::steady_state`] uses only those operations.

use std::cmp::Ordering;
use std::ops::{Add, Div, Mul};

/// m · 2^e with m = 0 or 0.5 ≤ |m| < 1 (normalised after every operation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scaled {
    mantissa: f64,
    exponent: i64,
}

/// ln 2 split for Cody–Waite reduction: `LN2_HI` has its low 32 bits zero, so k · LN2_HI is
/// exact for |k| < 2²¹, and LN2_HI + LN2_LO = ln 2 to ~2⁻⁸⁵.
const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// 2^k as an f64, for −1022 ≤ k ≤ 1023.
fn pow2(k: i64) -> f64 {
    debug_assert!((-1022..=1023).contains(&k));
    f64::from_bits(((k + 1023) as u64) << 52)
}

impl Scaled {
    pub(crate) const ZERO: Scaled = Scaled {
        mantissa: 0.0,
        exponent: 0,
    };
    pub(crate) const ONE: Scaled = Scaled {
        mantissa: 0.5,
        exponent: 1,
    };

    /// Normalise m · 2^e (m finite).
    fn new(mantissa: f64, exponent: i64) -> Scaled {
        if mantissa == 0.0 {
            return Scaled::ZERO;
        }
        let bits = mantissa.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i64;
        if biased == 0 {
            // Subnormal mantissa: scale into the normal range first.
            return Scaled::new(mantissa * pow2(64), exponent - 64);
        }
        // m = f · 2^(biased − 1022) with f in [0.5, 1).
        let f = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
        Scaled {
            mantissa: f,
            exponent: exponent + biased - 1022,
        }
    }

    /// The exact value of a finite f64.
    pub(crate) fn from_f64(x: f64) -> Scaled {
        debug_assert!(x.is_finite());
        Scaled::new(x, 0)
    }

    /// e^x for any finite x, with the relative accuracy of `f64::exp` on the reduced
    /// argument (Cody–Waite: x = k ln 2 + r, |r| ≤ ln 2 / 2).
    pub(crate) fn exp(x: f64) -> Scaled {
        let k = (x / std::f64::consts::LN_2).round();
        let r = (x - k * LN2_HI) - k * LN2_LO;
        Scaled::new(r.exp(), k as i64)
    }

    /// ln x for x > 0 (−∞ for 0).
    pub(crate) fn ln(self) -> f64 {
        if self.mantissa <= 0.0 {
            return f64::NEG_INFINITY;
        }
        self.mantissa.ln() + self.exponent as f64 * std::f64::consts::LN_2
    }

    /// log₁₀ x for x > 0 (−∞ for 0).
    pub(crate) fn log10(self) -> f64 {
        self.ln() / std::f64::consts::LN_10
    }

    /// The nearest f64 (0 or a subnormal below the f64 range, ±∞ above it).
    pub(crate) fn to_f64(self) -> f64 {
        let (m, e) = (self.mantissa, self.exponent);
        if m == 0.0 || e < -1080 {
            return 0.0 * m.signum();
        }
        if e > 1024 {
            return f64::INFINITY * m.signum();
        }
        // Two steps keep every factor a normal power of two.
        let half = e / 2;
        m * pow2(half) * pow2(e - half)
    }

    pub(crate) fn is_zero(self) -> bool {
        self.mantissa == 0.0
    }

    /// The exact binary exponent e of m · 2^e with 0.5 ≤ |m| < 1 (meaningless for 0).
    #[cfg(feature = "exact")]
    pub(crate) fn parts(self) -> (f64, i64) {
        (self.mantissa, self.exponent)
    }

    pub(crate) fn abs(self) -> Scaled {
        Scaled {
            mantissa: self.mantissa.abs(),
            exponent: self.exponent,
        }
    }

    /// x − y (rounded once, as an f64 subtraction of the aligned mantissas).
    #[allow(clippy::should_implement_trait)] // named like f64 arithmetic; Scaled has no operator traits
    pub(crate) fn sub(self, other: Scaled) -> Scaled {
        self + Scaled {
            mantissa: -other.mantissa,
            exponent: other.exponent,
        }
    }

    /// self / other as an f64 (both may be far outside the f64 range).
    pub(crate) fn ratio(self, other: Scaled) -> f64 {
        (self / other).to_f64()
    }
}

impl Mul for Scaled {
    type Output = Scaled;
    fn mul(self, other: Scaled) -> Scaled {
        Scaled::new(
            self.mantissa * other.mantissa,
            self.exponent + other.exponent,
        )
    }
}

impl Div for Scaled {
    type Output = Scaled;
    fn div(self, other: Scaled) -> Scaled {
        debug_assert!(other.mantissa != 0.0, "Scaled division by zero");
        Scaled::new(
            self.mantissa / other.mantissa,
            self.exponent - other.exponent,
        )
    }
}

impl Add for Scaled {
    type Output = Scaled;
    fn add(self, other: Scaled) -> Scaled {
        if self.mantissa == 0.0 {
            return other;
        }
        if other.mantissa == 0.0 {
            return self;
        }
        let (big, small) = if self.exponent >= other.exponent {
            (self, other)
        } else {
            (other, self)
        };
        let shift = big.exponent - small.exponent;
        if shift > 64 {
            return big; // below half an ulp of the larger term
        }
        Scaled::new(big.mantissa + small.mantissa * pow2(-shift), big.exponent)
    }
}

impl std::ops::AddAssign for Scaled {
    fn add_assign(&mut self, other: Scaled) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Scaled {
    fn sum<I: Iterator<Item = Scaled>>(iter: I) -> Scaled {
        iter.fold(Scaled::ZERO, |a, b| a + b)
    }
}

impl PartialOrd for Scaled {
    fn partial_cmp(&self, other: &Scaled) -> Option<Ordering> {
        Some(self.sub(*other).mantissa.total_cmp(&0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_matches_f64_inside_its_range() {
        let xs = [3.0, 0.1, 7.5e-300, 2.5e300, 1.0 / 3.0, 5e-324];
        for &a in &xs {
            for &b in &xs {
                let (sa, sb) = (Scaled::from_f64(a), Scaled::from_f64(b));
                assert_eq!((sa * sb).to_f64(), a * b, "{a} * {b}");
                assert_eq!((sa / sb).to_f64(), a / b, "{a} / {b}");
                assert_eq!((sa + sb).to_f64(), a + b, "{a} + {b}");
                assert_eq!(sa.sub(sb).to_f64(), a - b, "{a} - {b}");
            }
        }
    }

    #[test]
    fn exp_beyond_the_f64_range_keeps_relative_accuracy() {
        // e^{−10⁴} · e^{10⁴ − 3} = e^{−3}: both factors are far outside the f64 range.
        let product = Scaled::exp(-1e4) * Scaled::exp(1e4 - 3.0);
        assert!((product.to_f64() / (-3.0f64).exp() - 1.0).abs() < 1e-15);
        // ln of e^x recovers x; log10(e^{−10⁴}) = −10⁴ / ln 10.
        assert!((Scaled::exp(-12345.678).ln() + 12345.678).abs() < 1e-11);
        assert!((Scaled::exp(-1e4).log10() + 1e4 / std::f64::consts::LN_10).abs() < 1e-11);
        // Inside the range exp agrees with f64::exp to an ulp or two.
        for x in [-700.0, -1.0, -1e-3, 0.0, 0.5, 300.0, 709.0] {
            let rel = (Scaled::exp(x).to_f64() / x.exp() - 1.0).abs();
            assert!(rel < 4e-16, "x = {x}: {rel}");
        }
        assert_eq!(Scaled::exp(-800.0).to_f64(), 0.0);
        assert_eq!(Scaled::exp(800.0).to_f64(), f64::INFINITY);
    }

    #[test]
    fn sums_of_vastly_different_sizes_and_order() {
        let tiny = Scaled::exp(-5000.0);
        assert_eq!(Scaled::ONE + tiny, Scaled::ONE);
        assert!(tiny < Scaled::ONE && Scaled::ZERO < tiny);
        let two_tiny = tiny + tiny;
        assert!((two_tiny.ratio(tiny) - 2.0).abs() < 1e-15);
        assert_eq!(two_tiny.sub(tiny).sub(tiny), Scaled::ZERO);
    }
}
