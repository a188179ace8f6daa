//! The derived quantities of a model (README, "Parameters as expressions") in exact rational
//! arithmetic, for the oracle: +, −, ×, ÷ and integer powers of rational parameter values
//! are rational; `sqrt`, `exp` and non-integer powers are not, and have no exact value here.

use super::Rational;
use crate::model::Model;
use crate::model::expr::Expr;
use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};

/// The full exact value vector (free parameters, then every derived quantity) from exact
/// free values; `None` if some derived quantity is not a rational function of them (or
/// divides by zero).
pub fn complete(model: &Model, free: &[Rational]) -> Option<Vec<Rational>> {
    let free = &free[..model.parameters.len()];
    let mut full = free.to_vec();
    for d in &model.derived {
        full.push(evaluate(&d.expr, free)?);
    }
    Some(full)
}

/// `e` at exact free values, if rational.
pub fn evaluate(e: &Expr, free: &[Rational]) -> Option<Rational> {
    let binary = |a: &Expr, b: &Expr| Some((evaluate(a, free)?, evaluate(b, free)?));
    Some(match e {
        Expr::Number { exact, .. } => {
            let (n, d) = (*exact)?;
            Rational::new(BigInt::from(n), BigInt::from(d))
        }
        Expr::Param(i) => free[*i].clone(),
        Expr::Omega | Expr::Sqrt(_) | Expr::Exp(_) => return None,
        Expr::Neg(a) => -evaluate(a, free)?,
        Expr::Add(a, b) => {
            let (x, y) = binary(a, b)?;
            x + y
        }
        Expr::Sub(a, b) => {
            let (x, y) = binary(a, b)?;
            x - y
        }
        Expr::Mul(a, b) => {
            let (x, y) = binary(a, b)?;
            x * y
        }
        Expr::Div(a, b) => {
            let (x, y) = binary(a, b)?;
            if y.is_zero() {
                return None;
            }
            x / y
        }
        Expr::Pow(a, b) => {
            let (x, y) = binary(a, b)?;
            if !y.is_integer() {
                return None;
            }
            let n = y.to_integer().to_i32()?;
            if n < 0 && x.is_zero() {
                return None;
            }
            x.pow(n)
        }
    })
}
