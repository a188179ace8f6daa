//! Sign statements in the compact form, and the no-ICC theorem at any force. Runs on the
//! engine thread only.
//!
//! **Level form.** A cross coefficient that is linear in the transition energies,
//! L_ij = Σ_t ω_t W_t with every W_t > 0 (proved: its expanded spelling is a ratio of
//! polynomials with positive coefficients in positive variables, or it equals the weight
//! Σ_C W_C/(Z τ) > 0 of the cycles whose affinity product is ω_t), is negative only if some
//! ω_t < 0 (necessary) and is negative when all ω_t ≤ 0, not all 0 (sufficient).
//!
//! **No-ICC theorem.** Around a cycle C of the transition network the logarithms of the
//! forward/backward rate ratios add up to the cycle affinity A_C = Σ_i d_i(C) F_i, exactly
//! and at any force (energy and particle numbers return to their values around C; the rate
//! ratio of a jump through lead λ is e^{−β_λ(ω − μ_λ)}). Hill's cycle decomposition of the
//! steady state writes every flux as J_i = Σ_C d_i(C) (J_C⁺ − J_C⁻) with J_C^± ≥ 0 and
//! J_C⁺/J_C⁻ = e^{A_C}, so each cycle current has the sign of A_C. If d_N(C) d_E(C) ≥ 0 for
//! every C, then for forces of one sign s each term of J_N and of J_E has sign s or
//! vanishes: no flux opposes both forces — no inverse current at any force, far from
//! equilibrium included.

use super::Expression;
use super::compact::{Q, derivative, expanded_spelling};
use super::print::{identifiers, render};
use serde::{Deserialize, Serialize};
use symbolica::prelude::*;

/// One term ω_t W_t of a cross coefficient in level form.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LevelTerm {
    /// The named transition energy (`w_CD`).
    pub energy: String,
    /// "omega(C->D)".
    pub transition: String,
    /// ω_t in the model's parameters.
    pub value: Expression,
    /// W_t > 0 in the named quantities.
    pub weight: Expression,
}

/// The named transition energies: (name, "omega(A->B)", value in the parameters).
pub(super) type Energies = [(String, String, Atom)];

/// L = Σ_t ω_t W_t with every W_t proved positive, if `l` has that form.
pub(super) fn level_form(
    l: &Q,
    values: &[(String, Atom)],
    energies: &Energies,
    positive: &dyn Fn(&str) -> bool,
    certify: &dyn Fn(&str, &Atom) -> bool,
) -> Option<Vec<LevelTerm>> {
    let mut terms = Vec::new();
    let mut rest = l.sym.clone();
    for (name, transition, value) in energies {
        let weight = derivative(&l.sym, name);
        if weight.expand().is_zero() {
            continue;
        }
        // Linear: the weight holds no transition energy.
        if energies
            .iter()
            .any(|(other, _, _)| !derivative(&weight, other).expand().is_zero())
        {
            return None;
        }
        let expanded = expanded_spelling(&weight, values).together();
        let text = format!("{}", expanded.expand());
        let manifest = !text.contains('-') && identifiers(&text).iter().all(|t| positive(t));
        if !manifest && !certify(transition, &expanded) {
            return None;
        }
        rest -= var(name) * &weight;
        terms.push(LevelTerm {
            energy: name.clone(),
            transition: transition.clone(),
            value: render(value),
            weight: render(&weight),
        });
    }
    let rest = expanded_spelling(&rest, values).together();
    (!terms.is_empty() && rest.is_zero()).then_some(terms)
}

fn var(name: &str) -> Atom {
    parse!(name)
}

/// A cycle of the transition network with what it transports of each flux.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TheoremCycle {
    pub states: Vec<String>,
    /// (flux name, d_flux(C)).
    pub transported: Vec<(String, Expression)>,
}

/// The no-ICC theorem of a two-force model.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IccTheorem {
    pub cycles: Vec<TheoremCycle>,
    /// The distinct products d_N(C) d_E(C) (positive numeric factors and even powers
    /// dropped), each of which must be ≥ 0.
    pub products: Vec<Expression>,
    /// The products that occur with both signs must vanish: p = 0.
    pub vanishing: Vec<Expression>,
    /// The condition in text: "p1 >= 0 && p2 >= 0 && q == 0".
    pub condition: String,
    pub latex_condition: String,
    pub proof: Vec<String>,
}

/// The sign-carrying part of a product: numeric factors and even powers dropped.
fn sign_part(p: &Atom) -> Option<Atom> {
    let factored = p.factor();
    let mut out = Atom::num(1);
    let mut sign = 1i64;
    let mut push = |f: AtomView| match f {
        AtomView::Num(_) => {
            if format!("{f}").starts_with('-') {
                sign = -sign;
            }
        }
        AtomView::Pow(pw) => {
            let (base, exp) = pw.get_base_exp();
            let even = format!("{exp}").parse::<i64>().is_ok_and(|k| k % 2 == 0);
            if !even {
                out = &out * &base.to_owned().pow(exp.to_owned());
            }
        }
        other => out = &out * &other.to_owned(),
    };
    match factored.as_view() {
        AtomView::Mul(m) => {
            for f in m.iter() {
                push(f);
            }
        }
        other => push(other),
    }
    let out = (Atom::num(sign) * out).expand();
    // A positive number is ≥ 0 whatever the parameters: no condition.
    let positive_number = format!("{out}").parse::<f64>().is_ok_and(|v| v > 0.0);
    (!out.is_zero() && !positive_number).then_some(out)
}

/// The no-ICC theorem for fluxes `fluxes` = [J_N-like, J_E-like] over the cycles
/// (state labels, d(C) in the parameters).
pub(super) fn icc_theorem(fluxes: &[String], cycles: &[(Vec<String>, Vec<Atom>)]) -> IccTheorem {
    let mut products: Vec<Atom> = Vec::new();
    for (_, d) in cycles {
        if let Some(p) = sign_part(&(&d[0] * &d[1]).expand())
            && !products.contains(&p)
        {
            products.push(p);
        }
    }
    let (mut kept, mut vanishing) = (Vec::new(), Vec::new());
    for p in &products {
        let minus = (-p.clone()).expand();
        if products.contains(&minus) {
            if !vanishing.contains(&minus) && !vanishing.contains(p) {
                vanishing.push(p.clone());
            }
        } else {
            kept.push(p.clone());
        }
    }
    let mut clauses: Vec<String> = kept.iter().map(|p| format!("{p} >= 0")).collect();
    clauses.extend(vanishing.iter().map(|p| format!("{p} == 0")));
    let mut latex: Vec<String> = kept
        .iter()
        .map(|p| format!("{} \\ge 0", render(p).latex))
        .collect();
    latex.extend(vanishing.iter().map(|p| format!("{} = 0", render(p).latex)));
    let (n, e) = (&fluxes[0], &fluxes[1]);
    let proof = vec![
        format!(
            "1. Around any cycle C the log-ratios of forward to backward rates add up to the \
             cycle affinity A_C = d_N(C) F_N + d_E(C) F_E, exactly and at any force \
             (energies and particle numbers return around C). Here N is {n} and E is {e}."
        ),
        "2. Hill's cycle decomposition of the steady state: every flux is \
         J = Σ_C d(C) (J_C⁺ − J_C⁻) with J_C^± ≥ 0 and J_C⁺/J_C⁻ = e^{A_C}, so each cycle \
         current has the sign of A_C."
            .to_string(),
        "3. If d_N(C) d_E(C) ≥ 0 for every cycle, then for forces F_N, F_E of one sign s every \
         term d_N(C)(J_C⁺ − J_C⁻) and d_E(C)(J_C⁺ − J_C⁻) has sign s or vanishes: neither flux \
         opposes both forces, at any distance from equilibrium."
            .to_string(),
        format!(
            "4. The {} cycles of this network give the distinct products d_N(C) d_E(C) (up to \
             positive factors): {}. Hence no inverse current at any force if {}.",
            cycles.len(),
            products
                .iter()
                .map(|p| format!("{p}"))
                .collect::<Vec<_>>()
                .join(", "),
            if clauses.is_empty() {
                "always (no cycle transports both)".to_string()
            } else {
                clauses.join(" and ")
            }
        ),
    ];
    IccTheorem {
        cycles: cycles
            .iter()
            .map(|(states, d)| TheoremCycle {
                states: states.clone(),
                transported: fluxes.iter().cloned().zip(d.iter().map(render)).collect(),
            })
            .collect(),
        products: kept.iter().map(render).collect(),
        vanishing: vanishing.iter().map(render).collect(),
        condition: if clauses.is_empty() {
            "true".into()
        } else {
            clauses.join(" && ")
        },
        latex_condition: if latex.is_empty() {
            "\\text{always}".into()
        } else {
            latex.join(",\\ ")
        },
        proof,
    }
}
