//! Identities of expressions that contain `exp(…)` of the parameters (energy-dependent bare
//! rates such as a band edge γ/(1 + exp((ω − E)/w)), docs/models.md "Energy-dependent
//! rates"). Runs on the engine thread only.
//!
//! Symbolica's rational normal form (`together`) treats each `exp(x)` as an opaque atom, and
//! two spellings of one argument (a sum written in another order or grouping) are then two
//! different atoms: an identity can fail to normalise to 0 although it holds. qct therefore
//! replaces every `exp(x)` by a fresh symbol chosen by the *expanded* argument x (so equal
//! arguments get the same symbol on both sides) and normalises the result as a rational
//! function. Sound: if the difference vanishes as a rational function of independent
//! symbols, it vanishes at every value of them, in particular at the exponentials' values.
//! Not complete: an identity that needs exp(a) exp(b) = exp(a + b) is not found, and is
//! then reported as not proved (never as proved).

use std::collections::BTreeMap;
use symbolica::prelude::*;

/// The exponent x of an exponential e^x (Symbolica writes exp(x) as a power of e).
fn exponent_of(view: AtomView) -> Option<Atom> {
    match view {
        AtomView::Pow(p) => {
            let (base, exponent) = p.get_base_exp();
            (format!("{}", base.to_owned()) == "𝑒").then(|| exponent.to_owned())
        }
        AtomView::Fun(f) if f.get_symbol() == symbol!("exp") => {
            f.iter().next().map(|a| a.to_owned())
        }
        _ => None,
    }
}

/// Every distinct exponential e^x of `a` (by its printed form) with its exponent x.
fn collect(view: AtomView, out: &mut BTreeMap<String, (Atom, Atom)>) {
    if let Some(x) = exponent_of(view) {
        out.entry(format!("{}", view.to_owned()))
            .or_insert_with(|| (view.to_owned(), x.clone()));
        collect(x.as_view(), out);
        return;
    }
    match view {
        AtomView::Fun(f) => f.iter().for_each(|t| collect(t, out)),
        AtomView::Add(s) => s.iter().for_each(|t| collect(t, out)),
        AtomView::Mul(m) => m.iter().for_each(|t| collect(t, out)),
        AtomView::Pow(p) => {
            let (base, exponent) = p.get_base_exp();
            collect(base, out);
            collect(exponent, out);
        }
        _ => {}
    }
}

/// A rational number p/q printed by Symbolica, as (p, q).
fn rational(text: &str) -> Option<(i64, i64)> {
    match text.split_once('/') {
        Some((p, q)) => Some((p.parse().ok()?, q.parse().ok()?)),
        None => Some((text.parse().ok()?, 1)),
    }
}

/// The expanded exponent as (rational coefficient, monomial) terms.
fn terms(x: &Atom) -> Option<Vec<((i64, i64), Atom)>> {
    let expanded = x.expand();
    let split = |t: AtomView| -> Option<((i64, i64), Atom)> {
        match t {
            AtomView::Num(_) => Some((rational(&format!("{}", t.to_owned()))?, Atom::num(1))),
            AtomView::Mul(m) => {
                let (mut c, mut rest) = ((1, 1), Atom::num(1));
                for f in m.iter() {
                    if let AtomView::Num(_) = f {
                        c = rational(&format!("{}", f.to_owned()))?;
                    } else {
                        rest *= f.to_owned();
                    }
                }
                Some((c, rest))
            }
            other => Some(((1, 1), other.to_owned())),
        }
    };
    match expanded.as_view() {
        AtomView::Add(s) => s.iter().map(split).collect(),
        other => Some(vec![split(other)?]),
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

/// `a` normalises to 0 as a rational function once every exponential e^x is written as
/// Π_m Y_m^(c_m D_m) over the monomials m of its expanded exponent x = Σ c_m m, with a fresh
/// symbol Y_m for e^(m/D_m) and D_m the common denominator of m's coefficients (module
/// documentation: sound, not complete). Exponentials whose exponent is not a sum of rational
/// multiples of monomials become one symbol each.
pub(super) fn is_identically_zero(a: &Atom) -> bool {
    let mut calls = BTreeMap::new();
    collect(a.as_view(), &mut calls);
    if calls.is_empty() {
        return a.together().is_zero();
    }
    let split: Vec<(Atom, Option<Vec<((i64, i64), Atom)>>)> = calls
        .into_values()
        .map(|(call, x)| (call, terms(&x)))
        .collect();
    // Common denominator per monomial.
    let mut monomials: Vec<(String, Atom, i64)> = Vec::new();
    for (_, t) in &split {
        for ((_, q), m) in t.iter().flatten() {
            let key = format!("{m}");
            match monomials.iter_mut().find(|(k, _, _)| *k == key) {
                Some(entry) => entry.2 = entry.2 / gcd(entry.2, *q) * q,
                None => monomials.push((key, m.clone(), *q)),
            }
        }
    }
    let mut out = a.clone();
    for (k, (call, t)) in split.iter().enumerate() {
        let replacement = match t {
            Some(t) => t.iter().fold(Atom::num(1), |acc, ((p, q), m)| {
                let key = format!("{m}");
                let i = monomials.iter().position(|(k, _, _)| *k == key).unwrap();
                let power = p * (monomials[i].2 / q);
                acc * parse!(&format!("qctexp_{i}")).pow(Atom::num(power))
            }),
            None => parse!(&format!("qctexpcall_{k}")),
        };
        out = out.replace(call.clone()).with(replacement);
    }
    out.together().is_zero()
}
