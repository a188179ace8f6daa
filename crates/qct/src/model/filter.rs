//! Energy-dependent bare rates γ_λα(ω) (README, "Energy-dependent rates"): energy filters and
//! band edges.
//!
//! A rate expression that uses `omega` is evaluated at the transition energy ω_t = E_j − E_i
//! of each transition i → j it drives. Adding an electron to dot α changes the energy by
//! ε_α plus the interactions with the occupied partners of α, so ω_t depends only on the
//! occupations of the dots that share an interaction with α. The rate therefore becomes an
//! occupation-dependent rate over those dots ([`BareRate::OccupationDependent`]), one
//! derived quantity γ(ω) per occupation, with ω written out in the free parameters. The
//! electron entering (γ f) and the one leaving (γ (1 − f)) through the same transition use
//! the same γ(ω_t), so local detailed balance holds as for constant rates.

use super::expr::Expr;
use super::{BareRate, Model, ParamId, Role};
use crate::spectrum::energy_terms;

/// The bare rate of a coupling to dot `dot` whose rate is `rate(omega)`, expanded per
/// occupation of the dots `dot` interacts with. Needs the model's dots and interactions.
pub(crate) fn energy_dependent_rate(model: &mut Model, dot: usize, rate: &Expr) -> BareRate {
    let depends_on: Vec<usize> = (0..model.dots.len())
        .filter(|&d| {
            model.interactions.iter().any(|i| {
                (i.charging.is_some() || i.exchange.is_some())
                    && ((i.a == dot && i.b == d) || (i.b == dot && i.a == d))
            })
        })
        .collect();
    let k = depends_on.len();
    let values: Vec<ParamId> = (0..1usize << k)
        .map(|bits| {
            // Bit k−1−i of `bits` is the occupation of depends_on[i] (first dot most
            // significant, as OccupationDependent reads it).
            let from = depends_on
                .iter()
                .enumerate()
                .filter(|(i, _)| bits >> (k - 1 - i) & 1 == 1)
                .fold(0usize, |s, (_, &d)| s | 1 << d);
            let omega = transition_energy(model, from, from | 1 << dot);
            model.intern(rate.substitute_omega(&omega), Role::Rate)
        })
        .collect();
    if k == 0 {
        BareRate::Constant(values[0])
    } else {
        BareRate::OccupationDependent { depends_on, values }
    }
}

/// ω = E_to − E_from as an expression of the free parameters (integer combination of the
/// levels and interactions, derived ones written out).
fn transition_energy(model: &Model, from: usize, to: usize) -> Expr {
    let mut terms = energy_terms(model, to);
    for (p, c) in energy_terms(model, from) {
        match terms.iter_mut().find(|(q, _)| *q == p) {
            Some((_, existing)) => *existing -= c,
            None => terms.push((p, -c)),
        }
    }
    let mut sum: Option<Expr> = None;
    for (p, c) in terms.into_iter().filter(|&(_, c)| c != 0.0) {
        let quantity = match model.derived_of(p) {
            Some(d) => d.expr.clone(),
            None => Expr::Param(p.0),
        };
        let size = c.abs() as i64;
        let term = if size == 1 {
            quantity
        } else {
            Expr::Mul(Expr::integer(size).into(), quantity.into())
        };
        sum = Some(match sum {
            None if c < 0.0 => Expr::Neg(term.into()),
            None => term,
            Some(s) if c < 0.0 => Expr::Sub(s.into(), term.into()),
            Some(s) => Expr::Add(s.into(), term.into()),
        });
    }
    sum.unwrap_or(Expr::integer(0))
}
