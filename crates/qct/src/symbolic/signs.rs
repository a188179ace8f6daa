//! The sign conditions of the cross coefficients L_ij (i < j): manifestly positive factors
//! and the sign factor, as a closed criterion in the energies, a level form Σ ω_t W_t with
//! every W_t > 0, or the cycle groups. Runs on the engine thread only.

use super::derive::{int, is_zero, number, small, var};
use super::print::{identifiers, latex_coefficient, render};
use super::{CycleGroup, Expression, LevelTerm, SignCondition};
use crate::model::{Model, Role};
use crate::rates::Transition;
use crate::thermo::{ForceBasis, Representation};
use std::collections::BTreeMap;
use symbolica::prelude::*;

/// True when `a` (expanded) is a polynomial with positive coefficients in variables that
/// are all positive.
fn manifestly_positive(a: &Atom, positive: &dyn Fn(&str) -> bool) -> bool {
    let text = format!("{}", a.expand());
    !text.contains('-') && identifiers(&text).iter().all(|t| positive(t))
}

/// The factors of a factored expression with their powers.
fn factors(a: &Atom) -> Vec<(Atom, i64)> {
    let factored = a.factor();
    let mut out = Vec::new();
    let mut push = |f: AtomView| match f {
        AtomView::Pow(p) => {
            let (base, exp) = p.get_base_exp();
            match number(&exp.to_owned()) {
                Some(k) if k.fract() == 0.0 => out.push((base.to_owned(), k as i64)),
                _ => out.push((f.to_owned(), 1)),
            }
        }
        other => out.push((other.to_owned(), 1)),
    };
    match factored.as_view() {
        AtomView::Mul(m) => {
            for f in m.iter() {
                push(f);
            }
        }
        other => push(other),
    }
    out
}

/// What the sign conditions of the cross coefficients are read from.
pub(super) struct SignInputs<'a> {
    pub model: &'a Model,
    pub basis: &'a ForceBasis,
    pub labels: &'a [String],
    pub pairs: &'a [(usize, usize)],
    pub transitions: &'a [Transition],
    pub omega: &'a [Atom],
    pub flux_names: &'a [String],
    /// τ Z L_ij.
    pub numerators: &'a [Vec<Atom>],
    pub groups: &'a [Vec<BTreeMap<String, (Atom, Atom, usize)>>],
    /// Z τ.
    pub denominator: &'a Atom,
    /// The compact form's internals and its named transition energies, for the level form
    /// L_ij = Σ ω_t W_t (self-contained models only).
    pub level_form: Option<(&'a super::compact::Internals, &'a [(String, String, Atom)])>,
    /// Quantities of the eigenbasis that are positive (r, cos²θ, sin²θ for t ≠ 0).
    pub positive_quantities: Vec<String>,
}

/// The names that are positive at every physical point: rates and temperatures, the
/// equilibrium weights h_ij, x_k, Z, β, and the eigenbasis quantities (t ≠ 0).
fn positive_names(inputs: &SignInputs) -> Vec<String> {
    let labels = inputs.labels;
    inputs
        .model
        .parameters
        .iter()
        .filter(|p| matches!(p.role, Role::Rate | Role::Temperature))
        .map(|p| p.name.clone())
        .chain(
            inputs
                .pairs
                .iter()
                .map(|&(i, j)| format!("h_{}{}", labels[i], labels[j])),
        )
        .chain((1..labels.len()).map(|s| format!("x_{}", labels[s])))
        .chain(["Z".to_string(), "beta".to_string()])
        .chain(inputs.positive_quantities.iter().cloned())
        .collect()
}

/// `a` as a transition energy "omega(i->j)" (minus μ in the heat representation), up to
/// sign, when it is one.
fn transition_label(inputs: &SignInputs, a: &Atom) -> Option<String> {
    let (model, basis, labels) = (inputs.model, inputs.basis, inputs.labels);
    inputs.transitions.iter().enumerate().find_map(|(t, tr)| {
        let name = format!("omega({}->{})", labels[tr.from], labels[tr.to]);
        let potential = |l: usize| var(model.param_name(model.leads[l].chemical_potential));
        let shifted = (&inputs.omega[t] - basis.energy_origin(tr.lead, potential)).expand();
        let shifted_name = match basis.representation {
            Representation::Energy => name,
            Representation::Heat => format!("{name} - mu"),
        };
        if is_zero(&(a - &shifted)) {
            Some(shifted_name)
        } else if is_zero(&(a + &shifted)) {
            Some(format!("-({shifted_name})"))
        } else {
            None
        }
    })
}

/// Z τ L_ij split into its manifestly positive factors (even powers, polynomials with
/// positive coefficients in positive variables) and the remaining sign factor, with the
/// overall numeric sign folded in.
fn split_sign(nij: &Atom, positive: &dyn Fn(&str) -> bool) -> (Vec<Expression>, Atom) {
    let mut positive_factors = Vec::new();
    let mut sign = int(1);
    let factored = if small(nij) {
        factors(nij)
    } else {
        vec![(nij.clone(), 1)]
    };
    for (f, power) in factored {
        if let Some(value) = number(&f) {
            if value < 0.0 && power % 2 == 1 {
                sign = -sign;
            }
            continue;
        }
        if power % 2 == 0 || manifestly_positive(&f, positive) {
            positive_factors.push(render(&f.pow(int(power))));
        } else {
            sign *= f.pow(int(power));
        }
    }
    (positive_factors, sign.expand().factor())
}

/// A criterion for L_ij < 0: (negative iff, necessary, sufficient, LaTeX condition).
type Criterion = (String, String, String, String);

/// The level form L_ij = Σ_t ω_t W_t, every W_t > 0 proved (see
/// [`super::theorems::level_form`]), as a criterion with its terms.
fn level_criterion(
    inputs: &SignInputs,
    positive: &dyn Fn(&str) -> bool,
    (i, j): (usize, usize),
) -> Option<(Criterion, Vec<LevelTerm>)> {
    let (internals, named_energies) = inputs.level_form?;
    let groups = &inputs.groups[i][j];
    let level = super::theorems::level_form(
        &internals.l[i][j],
        &internals.values,
        named_energies,
        positive,
        &|transition: &str, weight: &Atom| {
            // W_t equals the positive cycle weight P_g/(Z τ) of the cycles whose affinity
            // product is ω_t.
            groups.values().any(|(affinity, p, _)| {
                transition_label(inputs, affinity).as_deref() == Some(transition)
                    && (weight - p / inputs.denominator).together().is_zero()
            })
        },
    )?;
    let sum = level
        .iter()
        .map(|t| format!("{}*W_{}", t.energy, t.energy.trim_start_matches("w_")))
        .collect::<Vec<_>>()
        .join(" + ");
    let names: Vec<String> = level.iter().map(|t| t.transition.clone()).collect();
    let latex_sum = level
        .iter()
        .map(|t| {
            let pair = t.energy.trim_start_matches("w_");
            format!("\\omega_{{{pair}}} W_{{{pair}}}")
        })
        .collect::<Vec<_>>()
        .join(" + ");
    Some((
        (
            format!(
                "{sum} < 0, with every W > 0 (proved: positive coefficients) and \
                 the transition energies w of the compact form"
            ),
            format!("at least one of {{{}}} < 0", names.join(", ")),
            format!("all of {{{}}} <= 0, not all = 0", names.join(", ")),
            format!("{latex_sum} < 0"),
        ),
        level,
    ))
}

/// The cycle form Σ_g s_g P_g < 0 with every P_g > 0, as a criterion.
fn cycle_criterion(group_list: &[CycleGroup]) -> Criterion {
    let terms: Vec<String> = group_list
        .iter()
        .enumerate()
        .map(|(g, grp)| format!("({}) * P{}", grp.affinity.symbolica, g + 1))
        .collect();
    let negatives: Vec<String> = group_list
        .iter()
        .map(|g| {
            g.transition
                .clone()
                .unwrap_or_else(|| g.affinity.symbolica.clone())
        })
        .collect();
    (
        format!(
            "{} < 0, with P1..P{} > 0 the cycle weights listed in 'groups'",
            terms.join(" + "),
            group_list.len()
        ),
        format!("at least one of {{{}}} < 0", negatives.join(", ")),
        format!("all of {{{}}} <= 0, not all = 0", negatives.join(", ")),
        format!(
            "{} < 0",
            group_list
                .iter()
                .enumerate()
                .map(|(g, grp)| format!("\\left({}\\right) P_{{{}}}", grp.affinity.latex, g + 1))
                .collect::<Vec<_>>()
                .join(" + ")
        ),
    )
}

/// The sign condition of the cross coefficient L_ij (i < j).
fn sign_condition(
    inputs: &SignInputs,
    positive: &dyn Fn(&str) -> bool,
    (i, j): (usize, usize),
) -> SignCondition {
    let (basis, flux_names) = (inputs.basis, inputs.flux_names);
    let coefficient = format!(
        "L[{}, {}]",
        flux_names[i],
        basis.force_name(&basis.forces[j])
    );
    let nij = &inputs.numerators[i][j];
    let group_list: Vec<CycleGroup> = inputs.groups[i][j]
        .values()
        .map(|(affinity, weight, count)| CycleGroup {
            affinity: render(affinity),
            transition: transition_label(inputs, affinity),
            weight: render(&{
                let w = weight.clone();
                if small(&w) { w.factor() } else { w }
            }),
            cycles: *count,
        })
        .collect();
    if nij.is_zero() {
        return SignCondition {
            coefficient,
            i,
            j,
            vanishes: true,
            positive_factors: vec![],
            sign_factor: render(&int(0)),
            negative_iff: "never: the coefficient vanishes identically".into(),
            necessary: String::new(),
            sufficient: String::new(),
            groups: group_list,
            level: Vec::new(),
            latex: format!(
                "{} \\equiv 0",
                latex_coefficient(&flux_names[i], &flux_names[j])
            ),
        };
    }
    let (positive_factors, sign_factor) = split_sign(nij, positive);
    let sign_text = format!("{sign_factor}");
    // A sign factor free of equilibrium weights (h, x, Z) is a closed criterion in the
    // energies and bare rates; otherwise the level form, else the cycle groups.
    let mut level_terms = Vec::new();
    let only_energies = identifiers(&sign_text)
        .iter()
        .all(|t| !(t.starts_with("h_") || t.starts_with("x_") || t == "Z"));
    let (negative_iff, necessary, sufficient, latex_condition) = if only_energies {
        let label = transition_label(inputs, &sign_factor)
            .map(|l| format!(" [{l}]"))
            .unwrap_or_default();
        let condition = format!("{sign_text} < 0{label}");
        (
            condition.clone(),
            condition.clone(),
            condition,
            format!("{} < 0", render(&sign_factor).latex),
        )
    } else if let Some((criterion, level)) = level_criterion(inputs, positive, (i, j)) {
        level_terms = level;
        criterion
    } else {
        cycle_criterion(&group_list)
    };
    SignCondition {
        latex: format!(
            "{} < 0 \\iff {}",
            latex_coefficient(&flux_names[i], &flux_names[j]),
            latex_condition
        ),
        coefficient,
        i,
        j,
        vanishes: false,
        positive_factors,
        sign_factor: render(&sign_factor),
        negative_iff,
        necessary,
        sufficient,
        groups: group_list,
        level: level_terms,
    }
}

/// The sign condition of every cross coefficient L_ij (i < j): its manifestly positive
/// factors and sign factor, as a closed criterion in the energies when the sign factor is
/// free of equilibrium weights, else as a level form Σ ω_t W_t with W_t > 0, else in the
/// cycle groups.
pub(super) fn sign_conditions(inputs: &SignInputs) -> Vec<SignCondition> {
    let positive_names = positive_names(inputs);
    let positive = |t: &str| positive_names.iter().any(|p| p == t);
    let m = inputs.flux_names.len();
    let mut sign_conditions = Vec::new();
    for i in 0..m {
        for j in (i + 1)..m {
            sign_conditions.push(sign_condition(inputs, &positive, (i, j)));
        }
    }
    sign_conditions
}
