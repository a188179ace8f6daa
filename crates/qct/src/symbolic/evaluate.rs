//! Numeric evaluation of closed forms without loss: multiprecision floats with a precision
//! chosen per call, so a closed form is never hostage to the range or the 53-bit mantissa
//! of f64. Runs on the engine thread only.
//!
//! Why not f64: at low temperature the Boltzmann factors e^{−βω} of a closed form leave the
//! f64 range (βω > 709 overflows, βω < −745 underflows to 0) long before L itself does, and
//! products of several of them (x_i x_j/(x_i + x_j), Z τ) underflow at βω ≈ 200 already
//! (issue 15: `sb` at βε = 200 evaluated L_NN = 1.25e-88 against the true 2.29e-88, and three
//! entries to 0). A multiprecision float has a binary exponent of 32 bits (|log₂ x| up to
//! ~2·10⁹), so no intermediate of a closed form leaves its range at any physical point.
//!
//! The precision is chosen automatically: every expression is evaluated at
//! [`START_BITS`], then at twice that, and so on, until two successive precisions agree to
//! [`AGREEMENT`] relative to each value (or [`MAX_BITS`] is reached, where only an
//! expression that is an exact zero written as a cancelling sum can still disagree; it is
//! then zero to ~2^−MAX_BITS of its terms). The result is rounded to f64 once, at the end.
//!
//! Nothing here depends on the shape of the strings: any ordered list of named definitions
//! (each may use the parameters and the earlier definitions) followed by expressions in them.

use crate::error::{Error, Result};
use crate::model::Model;
use std::collections::HashMap;
use symbolica::prelude::*;

/// First working precision, bits (about 38 decimal digits).
pub(crate) const START_BITS: u32 = 128;
/// Largest working precision, bits.
pub(crate) const MAX_BITS: u32 = 2048;
/// Two successive precisions agree when they differ by at most this, relative to the value:
/// far below f64 rounding, so the final f64 is correctly rounded or one ulp off.
pub(crate) const AGREEMENT: f64 = 1e-24;

/// Parse expression strings (Symbolica syntax) and evaluate them at the parameter values
/// `values` of `model`; `definitions` (name, Symbolica string) are evaluated first, in order,
/// and may be used by later definitions and by the expressions. Evaluation is in
/// multiprecision (see the module documentation); the results are rounded to f64 at the end
/// (a value beyond the f64 range becomes ±inf or 0 only there). Runs on the engine thread.
pub fn evaluate(
    model: &Model,
    definitions: Vec<(String, String)>,
    expressions: Vec<String>,
    values: Vec<f64>,
) -> Result<Vec<f64>> {
    let names: Vec<String> = model.parameters.iter().map(|p| p.name.clone()).collect();
    super::engine::run(move || {
        let parameters: Vec<(Atom, f64)> = names.iter().map(|n| parse!(n)).zip(values).collect();
        let definitions: Vec<(Atom, Atom, String)> = definitions
            .iter()
            .map(|(name, text)| Ok((parse!(name), parse!(text), text.clone())))
            .collect::<Result<_>>()?;
        let expressions: Vec<(Atom, String)> = expressions
            .iter()
            .map(|text| Ok((parse!(text), text.clone())))
            .collect::<Result<_>>()?;
        let mut bits = START_BITS;
        let mut previous = evaluate_at(&parameters, &definitions, &expressions, bits)?;
        while bits < MAX_BITS {
            bits *= 2;
            let current = evaluate_at(&parameters, &definitions, &expressions, bits)?;
            let converged = previous
                .iter()
                .zip(&current)
                .all(|(a, b)| agree(a, b, bits));
            previous = current;
            if converged {
                break;
            }
        }
        Ok(previous.iter().map(Float::to_f64).collect())
    })
}

/// Evaluate the definitions in order, then the expressions, all at `bits` of precision.
fn evaluate_at(
    parameters: &[(Atom, f64)],
    definitions: &[(Atom, Atom, String)],
    expressions: &[(Atom, String)],
    bits: u32,
) -> Result<Vec<Float>> {
    let mut map: HashMap<Atom, Float> = HashMap::new();
    for (name, value) in parameters {
        map.insert(name.clone(), Float::with_val(bits, *value));
    }
    let eval = |atom: &Atom, text: &str, map: &HashMap<Atom, Float>| -> Result<Float> {
        let value = atom
            .evaluate_with_prec(map, bits)
            .map_err(|e| Error::Symbolic(format!("cannot evaluate '{text}': {e}")))?;
        if value.is_finite() {
            Ok(value)
        } else {
            Err(Error::NonFinite(format!("the closed form '{text}'")))
        }
    };
    for (name, atom, text) in definitions {
        let value = eval(atom, text, &map)?;
        map.insert(name.clone(), value);
    }
    expressions
        .iter()
        .map(|(atom, text)| eval(atom, text, &map))
        .collect()
}

/// |a − b| ≤ AGREEMENT · |b| (a = b when b = 0), computed in the precision of a and b.
fn agree(a: &Float, b: &Float, bits: u32) -> bool {
    let zero = Float::with_val(bits, 0.0);
    if *b == zero {
        return *a == zero;
    }
    let relative = ((a.clone() - b.clone()) / b.clone()).to_f64();
    relative.abs() <= AGREEMENT
}
