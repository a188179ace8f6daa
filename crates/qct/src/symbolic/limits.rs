//! The limit t → 0 of the eigenbasis closed forms (interdot tunnelling, `super::spectrum`),
//! symbolically. Runs on the engine thread (started here).
//!
//! The eigenbasis closed form of a model with one hopping pair keeps the root
//! r = √(Δ² + 4t²) and the mixing weights cos²θ = (1 + Δ/r)/2, sin²θ = (1 − Δ/r)/2 of its 2 × 2
//! block as symbols (Δ = E₁ − E₂ of the block's two occupation states). At fixed Δ ≠ 0 these
//! are continuous in t at t = 0, with the values
//!
//! * Δ > 0: r = Δ, cos²θ = 1, sin²θ = 0;
//! * Δ < 0: r = −Δ, cos²θ = 0, sin²θ = 1,
//!
//! so where the compact form's denominators (total rates Γ, conductances G, Z, 1 + e^x) stay
//! non-zero at these values, its limit t → 0 is its value there. qct substitutes them into
//! the compact L (every named quantity written out, the block's r, cos²θ, sin²θ replaced by
//! their t = 0 values instead of their definitions) and proves that each entry equals the
//! closed form of the same dots without the hopping term (the diagonal H; its entries that
//! the eigenbasis model lacks, the particle rows and columns, are 0), both at the equilibrium
//! of the eigenbasis model, as rational functions with the exponentials as fresh symbols
//! (`super::exponentials`).
//!
//! At Δ = 0 the limit depends on the direction: along Δ = k t, t → 0, r → 0 and
//! cos²θ = (1 + k/√(k² + 4))/2 for every t, so the limit is the closed form at r = 0 with
//! that weight; on the line Δ = 0 itself cos²θ = sin²θ = 1/2 (the states
//! (|10⟩ ± |01⟩)/√2 stay fully mixed down to t = 0). qct computes that limit too and
//! compares it with the diagonal form at Δ = 0; no equality is expected there.

use super::derive::{int, var};
use super::{Derivation, engine, exponentials};
use crate::error::Result;
use crate::model::Model;
use crate::thermo::{FluxKind, ForceBasis};
use serde::{Deserialize, Serialize};
use symbolica::prelude::*;

/// One limit: its hypothesis, what is substituted, the limit of the eigenbasis closed form,
/// the diagonal closed form under the same hypothesis, and which entries are proved equal.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LimitCase {
    /// The hypothesis, e.g. "t -> 0 at fixed Delta = eps_1-eps_2 > 0".
    pub hypothesis: String,
    /// The substitution that gives the limit: name → value (Symbolica syntax).
    pub substitution: Vec<(String, String)>,
    /// L_ij of the eigenbasis model in the limit, in the model's parameters (Symbolica
    /// syntax), at its equilibrium.
    pub limit: Vec<Vec<String>>,
    /// L_ij of the diagonal model (the same dots without the hopping term) at the same
    /// equilibrium, under the same hypothesis; "0" for the entries it does not have.
    pub diagonal: Vec<Vec<String>>,
    /// limit − diagonal normalises to 0 as a rational function (exponentials as fresh
    /// symbols): proved equal. `false` means not proved (for Δ = 0: not expected).
    pub proved_equal: Vec<Vec<bool>>,
}

/// The limit t → 0 of a model with one hopping pair (module documentation).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TunnellingLimit {
    /// The tunnelling parameter.
    pub hopping: String,
    /// Δ = E₁ − E₂ of the block's occupation states (Symbolica syntax).
    pub delta: String,
    /// Δ > 0, Δ < 0 (both proved where `proved_equal`), then Δ = 0 (direction-dependent).
    pub cases: Vec<LimitCase>,
}

/// The limit t → 0 of `derivation` (the compact closed form of `model`, which has exactly
/// one hopping pair, in `basis`), against the closed form of the same dots without the
/// hopping term. `None` when the model has no single hopping pair or the diagonal model's
/// force basis is not one energy force (the case the comparison is written for: each dot of
/// the pair has its own leads, so without hopping no particle crosses).
pub fn tunnelling_limit(
    model: &Model,
    basis: &ForceBasis,
    derivation: &Derivation,
) -> Result<Option<TunnellingLimit>> {
    if model.hoppings.len() != 1 || derivation.eigenbasis.len() != 3 {
        return Ok(None);
    }
    let mut plain = model.clone();
    plain.hoppings.clear();
    plain.name = format!("{}_t0", model.name);
    let plain_basis = ForceBasis::new(&plain, basis.representation, plain.default_references())?;
    if plain_basis.len() != 1 || plain_basis.forces[0].kind != FluxKind::Energy {
        return Ok(None);
    }
    let (model, basis, derivation) = (model.clone(), basis.clone(), derivation.clone());
    engine::run(move || {
        let diagonal = super::derive::derive(&plain, &plain_basis, super::Form::Compact)?;
        Ok(Some(limits(&model, &basis, &derivation, &diagonal)))
    })
}

/// Every named quantity of the compact form written out, the names in `fixed` replaced by
/// their given values instead of their definitions; then the parameter substitutions.
fn written_out(entry: &str, d: &Derivation, fixed: &[(String, Atom)]) -> Atom {
    let mut out = parse!(entry);
    for def in d.compact.definitions.iter().rev() {
        let value = match fixed.iter().find(|(name, _)| *name == def.name) {
            Some((_, v)) => v.clone(),
            None => parse!(&def.value.symbolica),
        };
        out = out.replace(var(&def.name)).with(value);
    }
    for (name, value) in fixed {
        out = out.replace(var(name)).with(value.clone());
    }
    out
}

fn limits(
    model: &Model,
    basis: &ForceBasis,
    derivation: &Derivation,
    diagonal: &Derivation,
) -> TunnellingLimit {
    let (blocks, _) = crate::eigen::blocks(model);
    let block = blocks
        .iter()
        .find(|b| b.len() == 2)
        .expect("one hopping pair: one 2 × 2 block");
    let delta = (super::spectrum::fock_energy(model, block[0])
        - super::spectrum::fock_energy(model, block[1]))
    .expand();
    let hopping = model.param_name(model.hoppings[0].t).to_string();
    let names: Vec<String> = derivation
        .eigenbasis
        .iter()
        .map(|q| q.name.clone())
        .collect();
    let (r, cos2, sin2) = (&names[0], &names[1], &names[2]);
    // The equilibrium of the eigenbasis model, applied to the diagonal one: its components'
    // references become the eigenbasis model's single reference.
    let equilibrium: Vec<(String, Atom)> = derivation
        .equilibrium
        .iter()
        .map(|(p, v)| (p.clone(), parse!(v)))
        .collect();
    // Δ = 0 by eliminating one parameter p of Δ with ∂Δ/∂p = a ≠ 0: p → p − Δ/a.
    let degenerate: Vec<(String, Atom)> = model
        .parameters
        .iter()
        .find_map(|p| {
            let a = delta.derivative(symbol!(&p.name));
            (!a.is_zero()).then(|| (p.name.clone(), (var(&p.name) - &delta / a).expand()))
        })
        .into_iter()
        .collect();
    let half = int(1) / int(2);
    let cases = [
        (
            format!("t -> 0 at fixed Delta = {delta} > 0"),
            vec![
                (r.clone(), delta.clone()),
                (cos2.clone(), int(1)),
                (sin2.clone(), int(0)),
            ],
            Vec::new(),
        ),
        (
            format!("t -> 0 at fixed Delta = {delta} < 0"),
            vec![
                (r.clone(), -delta.clone()),
                (cos2.clone(), int(0)),
                (sin2.clone(), int(1)),
            ],
            Vec::new(),
        ),
        (
            format!("t -> 0 on the line Delta = {delta} = 0 (direction-dependent at Delta = 0)"),
            vec![
                (r.clone(), int(0)),
                (cos2.clone(), half.clone()),
                (sin2.clone(), half),
            ],
            degenerate,
        ),
    ];
    let energy_entry = diagonal.compact.l[0][0].symbolica.clone();
    let kinds: Vec<FluxKind> = basis.forces.iter().map(|f| f.kind).collect();
    let cases = cases
        .into_iter()
        .map(|(hypothesis, block_values, extra)| {
            let mut fixed: Vec<(String, Atom)> = block_values;
            fixed.push((hopping.clone(), int(0)));
            fixed.extend(extra.iter().cloned());
            let mut diagonal_fixed = equilibrium.clone();
            diagonal_fixed.extend(extra.iter().cloned());
            let diagonal_value = written_out(&energy_entry, diagonal, &diagonal_fixed);
            let m = kinds.len();
            let (mut limit, mut diag, mut proved) = (
                vec![vec![String::new(); m]; m],
                vec![vec![String::new(); m]; m],
                vec![vec![false; m]; m],
            );
            for i in 0..m {
                for j in 0..m {
                    let value =
                        written_out(&derivation.compact.l[i][j].symbolica, derivation, &fixed);
                    let expected = if kinds[i] == FluxKind::Energy && kinds[j] == FluxKind::Energy {
                        diagonal_value.clone()
                    } else {
                        int(0)
                    };
                    proved[i][j] = exponentials::is_identically_zero(&(&value - &expected));
                    limit[i][j] = format!("{value}");
                    diag[i][j] = format!("{expected}");
                }
            }
            LimitCase {
                hypothesis,
                substitution: fixed
                    .iter()
                    .map(|(n, v)| (n.clone(), format!("{v}")))
                    .collect(),
                limit,
                diagonal: diag,
                proved_equal: proved,
            }
        })
        .collect();
    TunnellingLimit {
        hopping,
        delta: format!("{delta}"),
        cases,
    }
}
