//! Interdot tunnelling (hopping): the model side.
//!
//! A hopping term couples two dots coherently, H ∋ −t (d_a† d_b + d_b† d_a) with t real
//! (README, "Interdot tunnelling and coherences"): t > 0 puts the bonding state
//! (|10⟩ + |01⟩)/√2 of a symmetric double dot below the antibonding one. It conserves the
//! electron number, so the dots it joins belong to one component, and it makes H
//! non-diagonal in the occupation basis; the numerics then work in the eigenbasis of H
//! ([`crate::eigen::Eigenbasis`]).
//!
//! JSON: `"tunnelling": [{"dots": ["1", "2"], "t": "t"}]` (the parameter `t` is an energy).
//!
//! Restrictions, each refused with a one-line error by [`validate`]: the two dots differ and
//! carry the same spin (or none); one hopping term per pair; a lead couples to at most one
//! dot of a tunnel-coupled cluster (qct's leads are independent channels per dot, so the
//! interference of a lead's amplitudes on two coherently coupled dots is not defined); a
//! bare rate may not depend on the occupation of a tunnel-coupled dot (that occupation is
//! not a quantum number of the eigenstates).

use super::{BareRate, Model, ParamId, Role};
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// Largest number of dots of a model with hopping (H is diagonalised as a dense matrix).
pub(crate) const MAX_DOTS: usize = 10;

/// −t (d_a† d_b + d_b† d_a) between dots `a < b`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hopping {
    pub a: usize,
    pub b: usize,
    /// The tunnelling amplitude t (energy).
    pub t: ParamId,
}

/// A hopping term as written in a JSON model file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TunnellingSpec {
    pub dots: [String; 2],
    pub t: String,
}

/// Read the `"tunnelling"` entries of a JSON model: `lookup` resolves a parameter name with
/// its role, `dot_index` a dot name (both report errors in the JSON module's words).
pub(crate) fn from_specs(
    specs: &[TunnellingSpec],
    mut lookup: impl FnMut(&str, Role, &str) -> Result<ParamId>,
    dot_index: impl Fn(&str, &str) -> Result<usize>,
) -> Result<Vec<Hopping>> {
    specs
        .iter()
        .map(|s| {
            let what = format!("tunnelling {}-{}", s.dots[0], s.dots[1]);
            let (a, b) = (dot_index(&s.dots[0], &what)?, dot_index(&s.dots[1], &what)?);
            Ok(Hopping {
                a: a.min(b),
                b: a.max(b),
                t: lookup(&s.t, Role::Energy, &what)?,
            })
        })
        .collect()
}

/// The `"tunnelling"` entries of a model (empty for a diagonal H).
pub(crate) fn to_specs(model: &Model) -> Vec<TunnellingSpec> {
    model
        .hoppings
        .iter()
        .map(|h| TunnellingSpec {
            dots: [model.dots[h.a].name.clone(), model.dots[h.b].name.clone()],
            t: model.param_name(h.t).to_string(),
        })
        .collect()
}

/// Every parameter use of the hopping terms (for [`Model::uses`]).
pub(crate) fn uses(model: &Model) -> Vec<(ParamId, Role, String)> {
    model
        .hoppings
        .iter()
        .map(|h| {
            (
                h.t,
                Role::Energy,
                format!(
                    "tunnelling t of {}-{}",
                    model.dots[h.a].name, model.dots[h.b].name
                ),
            )
        })
        .collect()
}

/// Clusters of dots joined by hopping terms (each dot in exactly one cluster; a dot without
/// hopping is a cluster of its own), as `cluster[dot]` = the smallest dot of its cluster.
pub(crate) fn clusters(model: &Model) -> Vec<usize> {
    let mut root: Vec<usize> = (0..model.dots.len()).collect();
    // Relax until stable: hopping lists are short.
    loop {
        let mut changed = false;
        for h in &model.hoppings {
            let m = root[h.a].min(root[h.b]);
            for d in [h.a, h.b] {
                if root[d] != m {
                    let old = root[d];
                    root.iter_mut().filter(|r| **r == old).for_each(|r| *r = m);
                    changed = true;
                }
            }
        }
        if !changed {
            return root;
        }
    }
}

/// The structural rules of the module documentation, as an error reason.
pub(crate) fn validate(model: &Model) -> std::result::Result<(), String> {
    if !model.hoppings.is_empty() && model.dots.len() > MAX_DOTS {
        return Err(format!(
            "interdot tunnelling is supported up to {MAX_DOTS} dots (a dense Hamiltonian of \
             2^{MAX_DOTS} states); this model has {}",
            model.dots.len()
        ));
    }
    let mut pairs = std::collections::HashSet::new();
    for h in &model.hoppings {
        if h.a >= h.b || h.b >= model.dots.len() {
            return Err("tunnelling between invalid dots (a dot cannot tunnel to itself)".into());
        }
        let (da, db) = (&model.dots[h.a], &model.dots[h.b]);
        if !pairs.insert((h.a, h.b)) {
            return Err(format!(
                "two tunnelling terms between dots {} and {}",
                da.name, db.name
            ));
        }
        if da.spin != db.spin {
            return Err(format!(
                "tunnelling between dots {} and {} of different spin: interdot tunnelling \
                 conserves spin",
                da.name, db.name
            ));
        }
    }
    let cluster = clusters(model);
    let coherent = |d: usize| model.hoppings.iter().any(|h| h.a == d || h.b == d);
    for lead in &model.leads {
        for (i, c) in lead.couplings.iter().enumerate() {
            if let Some(c2) = lead.couplings[i + 1..]
                .iter()
                .find(|c2| coherent(c.dot) && cluster[c2.dot] == cluster[c.dot])
            {
                return Err(format!(
                    "lead {} couples to dots {} and {}, which are joined by interdot \
                     tunnelling: couple each lead to one dot of a tunnel-coupled cluster",
                    lead.name, model.dots[c.dot].name, model.dots[c2.dot].name
                ));
            }
            if let BareRate::OccupationDependent { depends_on, .. } = &c.rate
                && let Some(&d) = depends_on.iter().find(|&&d| coherent(d))
            {
                return Err(format!(
                    "the rate of lead {} on dot {} depends on the occupation of dot {}, which \
                     tunnels coherently (its occupation is not a quantum number)",
                    lead.name, model.dots[c.dot].name, model.dots[d].name
                ));
            }
        }
    }
    Ok(())
}

/// Is H non-diagonal at `values` (some hopping amplitude t ≠ 0)? When it is not, every
/// stage uses the occupation basis exactly as for a model without hopping.
pub(crate) fn is_non_diagonal(model: &Model, values: &[f64]) -> bool {
    model.hoppings.iter().any(|h| values[h.t.0] != 0.0)
}
