//! The per-model evaluation plan behind [`Device::new`]: everything about a device that does
//! not depend on the parameter values — which energy terms
//! (README, Conventions, "System") contribute to which state, and the transitions (from, to,
//! lead, dot, which γ) of README, Conventions, "Leads and rates" — decided once per model
//! instead of at every point of a sweep.
//!
//! A point then costs one pass over the values: E_k = Σ c_p · value_p over the plan's terms of
//! state k (the same terms, in the same order, as [`crate::spectrum::energies`]: the same
//! numbers), ω_t = E_to − E_from and γ_t = value of the transition's rate parameter.
//!
//! With interdot tunnelling the plan also holds the blocks of H ([`eigen::blocks`]), and a
//! point with some t ≠ 0 is diagonalised block by block ([`eigen::device`]).
//!
//! Plans of small models are kept per thread (the last [`CACHED_PLANS`] models seen). A
//! cached plan is used only for a model whose dots, interactions, hoppings and leads equal
//! those it was built from (compared at every point, so a model changed in between gets a new
//! plan).

use crate::eigen::{self, Blocks};
use crate::model::{BareRate, Coupling, Hopping, Interaction, Lead, Model, ParamId, Spin};
use crate::model::{check_values, spin};
use crate::rates::{Device, Transition, lead_states};
use crate::spectrum::{self, occupation};
use std::cell::RefCell;
use std::sync::Arc;

/// The value-independent part of a [`Device`] of one model.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    n_states: usize,
    /// The energy terms (parameter, coefficient) of state k: `terms[ends[k − 1]..ends[k]]`
    /// ([`spectrum::energy_terms`]).
    terms: Vec<(ParamId, f64)>,
    ends: Vec<usize>,
    /// Every transition with γ and ω still 0 (set per point from `rate` and the energies).
    transitions: Vec<Transition>,
    /// The blocks of H ([`eigen::blocks`]) of a model with interdot tunnelling.
    blocks: Option<Arc<Blocks>>,
}

impl Plan {
    pub(crate) fn new(model: &Model) -> Plan {
        let n_states = model.n_states();
        let (mut terms, mut ends) = (Vec::new(), Vec::with_capacity(n_states));
        for state in 0..n_states {
            terms.extend(spectrum::energy_terms(model, state));
            ends.push(terms.len());
        }
        Plan {
            n_states,
            terms,
            ends,
            transitions: transitions(model),
            blocks: (!model.hoppings.is_empty()).then(|| {
                let (states, block_of) = eigen::blocks(model);
                Arc::new(Blocks { states, block_of })
            }),
        }
    }

    /// The device at the full value vector `values` ([`Model::resolve`]) of the model the
    /// plan was built from: in its occupation basis, or with some interdot t ≠ 0 in the
    /// eigenbasis of H ([`eigen::device`]).
    pub(crate) fn device(&self, model: &Model, values: &[f64]) -> crate::Result<Device> {
        check_values(model, values)?;
        let mut start = 0;
        let energies: Vec<f64> = (self.ends.iter())
            .map(|&end| {
                let e = spectrum::evaluate(&self.terms[start..end], values);
                start = end;
                e
            })
            .collect();
        if let Some(blocks) = &self.blocks
            && eigen::needed(model, values)
        {
            return Ok(eigen::device_in(model, values, energies, blocks));
        }
        let transitions = (self.transitions.iter())
            .map(|t| Transition {
                gamma: values[t.rate.0],
                omega: energies[t.to] - energies[t.from],
                ..*t
            })
            .collect();
        Ok(Device {
            n_states: self.n_states,
            energies,
            transitions,
            leads: lead_states(model, values),
        })
    }
}

/// The transitions of `model` in the occupation basis, lead by lead, coupling by coupling,
/// ascending initial state (γ and ω 0).
fn transitions(model: &Model) -> Vec<Transition> {
    let mut transitions = Vec::new();
    for (lead_index, lead) in model.leads.iter().enumerate() {
        for coupling in &lead.couplings {
            let bit = 1usize << coupling.dot;
            for from in (0..model.n_states()).filter(|s| s & bit == 0) {
                let rate = match &coupling.rate {
                    BareRate::Constant(p) => *p,
                    BareRate::OccupationDependent {
                        depends_on,
                        values: ps,
                    } => {
                        let k = depends_on
                            .iter()
                            .fold(0, |k, &d| (k << 1) | occupation(from, d) as usize);
                        ps[k]
                    }
                };
                transitions.push(Transition {
                    from,
                    to: from | bit,
                    lead: lead_index,
                    dot: coupling.dot,
                    gamma: 0.0,
                    rate,
                    omega: 0.0,
                    spin: spin::sigma(model.dots[coupling.dot].spin),
                });
            }
        }
    }
    transitions
}

/// The parts of a model its [`Plan`] is built from; names are left out.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    dots: Vec<(ParamId, Option<Spin>)>,
    interactions: Vec<Interaction>,
    hoppings: Vec<Hopping>,
    /// T, μ, spin bias and couplings of every lead.
    leads: Vec<(ParamId, ParamId, Option<ParamId>, Vec<Coupling>)>,
}

impl Shape {
    fn of(model: &Model) -> Shape {
        Shape {
            dots: model.dots.iter().map(|d| (d.energy, d.spin)).collect(),
            interactions: model.interactions.clone(),
            hoppings: model.hoppings.clone(),
            leads: (model.leads.iter())
                .map(|l| {
                    let (t, mu, bias) = (l.temperature, l.chemical_potential, l.spin_bias);
                    (t, mu, bias, l.couplings.clone())
                })
                .collect(),
        }
    }

    /// Was the plan built with this shape the plan of `model`? (Field by field: this runs at
    /// every point.)
    fn fits(&self, model: &Model) -> bool {
        let rate_fits = |a: &BareRate, b: &BareRate| match (a, b) {
            (BareRate::Constant(p), BareRate::Constant(q)) => p == q,
            (
                BareRate::OccupationDependent {
                    depends_on: d1,
                    values: v1,
                },
                BareRate::OccupationDependent {
                    depends_on: d2,
                    values: v2,
                },
            ) => same(d1, d2, |x, y| x == y) && same(v1, v2, |x, y| x == y),
            _ => false,
        };
        let lead_fits = |(t, mu, bias, couplings): &(_, _, _, Vec<Coupling>), l: &Lead| {
            *t == l.temperature
                && *mu == l.chemical_potential
                && *bias == l.spin_bias
                && same(couplings, &l.couplings, |a, b| {
                    a.dot == b.dot && rate_fits(&a.rate, &b.rate)
                })
        };
        same(&self.dots, &model.dots, |&(e, s), d| {
            e == d.energy && s == d.spin
        }) && same(&self.interactions, &model.interactions, |a, b| {
            a.a == b.a && a.b == b.b && a.charging == b.charging && a.exchange == b.exchange
        }) && same(&self.hoppings, &model.hoppings, |a, b| {
            a.a == b.a && a.b == b.b && a.t == b.t
        }) && same(&self.leads, &model.leads, lead_fits)
    }
}

/// Do `a` and `b` have the same length and `eq` pairwise?
#[inline]
fn same<A, B>(a: &[A], b: &[B], eq: impl Fn(&A, &B) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y))
}

/// How many models' plans each thread keeps.
const CACHED_PLANS: usize = 4;

/// Largest state space whose plan is cached (larger models cost far more per point in the
/// steady state than in building the plan).
const CACHED_STATES: usize = crate::steady_state::DENSE_LIMIT;

thread_local! {
    /// The plans of the last models seen on this thread, most recent first.
    static PLANS: RefCell<Vec<(Shape, Plan)>> = const { RefCell::new(Vec::new()) };
}

/// [`Plan::device`] with the plan of `model` (cached per thread for small models).
pub(crate) fn device(model: &Model, values: &[f64]) -> crate::Result<Device> {
    if model.n_states() > CACHED_STATES {
        return Plan::new(model).device(model, values);
    }
    PLANS.with(|cache| {
        let mut cache = cache.borrow_mut();
        match cache.iter().position(|(shape, _)| shape.fits(model)) {
            Some(0) => {}
            Some(i) => {
                let entry = cache.remove(i);
                cache.insert(0, entry);
            }
            None => {
                cache.insert(0, (Shape::of(model), Plan::new(model)));
                cache.truncate(CACHED_PLANS);
            }
        }
        cache[0].1.device(model, values)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::builtin::builtin;

    /// The device from the cache equals the one from a plan built afresh.
    fn assert_fresh(model: &Model, values: &[f64]) -> Device {
        let cached = Device::new(model, values).unwrap();
        let fresh = Plan::new(model).device(model, values).unwrap();
        assert_eq!(cached.energies, fresh.energies);
        assert_eq!(cached.transitions, fresh.transitions);
        assert_eq!(cached.leads, fresh.leads);
        cached
    }

    /// A model changed between two points gets a new plan, not the cached one: without the
    /// charging term E_11 = ε_b + ε_u (not ε_b + ε_u + U), and a coupling moved to the other
    /// dot moves its transitions.
    #[test]
    fn a_changed_model_gets_its_own_plan() {
        let mut model = builtin("cqd").unwrap();
        let values = model.defaults();
        let value = |name: &str| values[model.param(name).unwrap().0];
        let (eps_b, eps_u, u) = (value("eps_b"), value("eps_u"), value("kappa"));
        let coupled = assert_fresh(&model, &values);
        assert_eq!(coupled.energies[3], eps_b + eps_u + u);
        model.interactions.clear();
        let uncoupled = assert_fresh(&model, &values);
        assert_eq!(uncoupled.energies[3], eps_b + eps_u);
        assert_ne!(uncoupled.energies[3], coupled.energies[3]);
        // Lead r (index 1) now tunnels into dot u (1) instead of dot b (0): its transitions
        // add 2 = 2^1 to the state, not 1.
        model.leads[1].couplings[0].dot = 1;
        let moved = assert_fresh(&model, &values);
        assert!(
            (moved.transitions.iter())
                .filter(|t| t.lead == 1)
                .all(|t| t.dot == 1 && t.to == t.from + 2)
        );
        // Back to the first model: its plan (still cached) gives the first device.
        let model = builtin("cqd").unwrap();
        assert_eq!(assert_fresh(&model, &values).energies, coupled.energies);
    }
}
