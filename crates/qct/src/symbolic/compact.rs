//! Compact closed forms: the Onsager matrix written in a few named physical quantities,
//! found by reducing the equilibrium transition network, and proved equal to the expanded
//! (Kirchhoff) form. Runs on the engine thread only.
//!
//! Near equilibrium the Pauli master equation is a resistor network (see
//! [`crate::network`]): every transition t = (i → j) through lead λ is a conductance
//! k_t = γ_t g_ij with the pair's thermal weight
//!
//! g_ij = (p_i + p_j) f_ij (1 − f_ij) = p_i f_ij,   f_ij = f(ω_ij − μ_c) at the reference β,
//!
//! driven by the EMF X_t = Σ_k d_k(t) F_k (d_k(t): what t transports of flux k). The entropy
//! production F·L·F is the minimum over the node potentials of Σ_t k_t (X_t + φ_i − φ_j)²,
//! and three exact identities reduce that quadratic form edge by edge:
//!
//! * **parallel** edges (G₁, a₁), (G₂, a₂) between the same states are one edge
//!   (G₁ + G₂, (G₁a₁ + G₂a₂)/(G₁ + G₂)) plus the term G₁G₂/(G₁ + G₂) (a₁ − a₂)(a₁ − a₂)ᵀ of L;
//!   for the leads of one pair of states this is γ_aγ_b/(γ_a + γ_b) g_ij (d_a − d_b)(d_a − d_b)ᵀ,
//!   the single dot's textbook L = γ_lγ_r/(γ_l + γ_r) f(1 − f) (1, ω)ᵀ(1, ω);
//! * a state with **two** neighbours is eliminated by a **series** step: resistances add,
//!   EMFs add along the path;
//! * a state with k ≥ 3 neighbours is eliminated by the **star–mesh** step: neighbours a, b
//!   are joined by G_aG_b/S (S = Σ G) with EMF a_a − a_b.
//!
//! Closing a loop is a parallel merge, so every loop contributes K a aᵀ with K = 1/Σ R its
//! series conductance and a what the loop transports; dangling edges carry no current. L is
//! the sum of these rank-one terms, each manifestly symmetric and positive semidefinite.
//!
//! Every quantity is carried in two spellings (see [`Q`]): in the named quantities, which is
//! what qct prints, and in the symbols of the expanded form (γ, h_ij = Z g_ij, Z and the
//! parameters), in which qct proves that the compact and the expanded L_ij are equal.

use super::Expression;
use super::print::{identifiers, latex_name, render};
use super::reduction::{Cond, Reduction, Term};
use crate::model::Model;
use crate::rates::Transition;
use std::collections::{BTreeMap, HashMap, HashSet};
use symbolica::prelude::*;

fn var(name: &str) -> Atom {
    parse!(name)
}

fn int(c: i64) -> Atom {
    Atom::num(c)
}

/// A quantity in two spellings: `sym` in the named quantities (printed) and `val` in the
/// symbols of the expanded form (bare rates, h_ij, Z, the model's parameters).
#[derive(Debug, Clone)]
pub(super) struct Q {
    pub sym: Atom,
    pub val: Atom,
}

impl Q {
    pub fn new(sym: Atom, val: Atom) -> Q {
        Q { sym, val }
    }
    pub fn same(a: Atom) -> Q {
        Q {
            sym: a.clone(),
            val: a,
        }
    }
    pub fn num(c: i64) -> Q {
        Q::same(int(c))
    }
    pub fn add(&self, o: &Q) -> Q {
        Q::new(&self.sym + &o.sym, &self.val + &o.val)
    }
    pub fn sub(&self, o: &Q) -> Q {
        Q::new(&self.sym - &o.sym, &self.val - &o.val)
    }
    pub fn mul(&self, o: &Q) -> Q {
        Q::new(&self.sym * &o.sym, &self.val * &o.val)
    }
    pub fn div(&self, o: &Q) -> Q {
        Q::new(&self.sym / &o.sym, &self.val / &o.val)
    }
    /// self − o with the printed spelling expanded (EMFs are linear combinations).
    pub(crate) fn sub_expanded(&self, o: &Q) -> Q {
        Q::new((&self.sym - &o.sym).expand(), &self.val - &o.val)
    }
    pub(crate) fn inv(&self) -> Q {
        Q::num(1).div(self)
    }
    /// Identically zero (decided on the printed spelling, which the builder keeps free of
    /// hidden cancellations: a named quantity is never zero).
    pub fn is_zero(&self) -> bool {
        self.sym.expand().is_zero()
    }
}

/// One named quantity of the compact form.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct CompactDefinition {
    pub name: String,
    pub latex_name: String,
    /// What the quantity is, in words.
    pub meaning: String,
    pub value: Expression,
}

/// The compact form of L and its proofs.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Compact {
    /// Named quantities, in order: each uses only the model's parameters and earlier names.
    pub definitions: Vec<CompactDefinition>,
    /// L_ij in the named quantities (both triangles; the matrix is symmetric by construction).
    pub l: Vec<Vec<Expression>>,
    /// L_ij (compact) − L_ij (expanded) = 0 proved symbolically, per entry.
    pub proved_equal: Vec<Vec<bool>>,
    /// g_ij = (p_i + p_j) f_ij (1 − f_ij) = h_ij / Z proved for every pair of states.
    pub weights_proved: bool,
    /// How `proved_equal` was proved: "entrywise" (each compact L_ij with its definitions
    /// substituted, minus the expanded L_ij, normalises to 0) or, for networks whose
    /// expanded form is too large to normalise, "stepwise" (every reduction identity the
    /// derivation applied — parallel merge, series and k-neighbour star–mesh elimination —
    /// is proved symbolically for general conductances and EMFs; their composition is L).
    pub proof: String,
    /// How the network was reduced, step by step (for the text and LaTeX reports).
    pub steps: Vec<String>,
    /// Number of independent loops of the network (closed by parallel merges).
    pub loops: usize,
    /// Characters of all definitions plus all n×n entries, SymPy syntax.
    pub size_sympy: usize,
}

/// What the compact derivation needs from the model (all in the model's parameters).
pub(super) struct Inputs<'a> {
    pub model: &'a Model,
    pub labels: &'a [String],
    pub transitions: &'a [Transition],
    /// The bare rate of each transition (γ, times |⟨b|d†|a⟩|² in an eigenbasis).
    pub rates: &'a [Atom],
    /// The quantities of the eigenbasis (r, cos²θ, sin²θ), defined first; empty for a
    /// diagonal H.
    pub spectrum: &'a [(CompactDefinition, Atom)],
    /// ω_t = E_to − E_from, expanded.
    pub omega: &'a [Atom],
    /// Exponents E_k − E_A − Σ_c μ_c N_c of the Boltzmann weights x_k = exp(−β(…)).
    pub exponents: &'a [Atom],
    /// β of the energy reference lead.
    pub beta_value: Atom,
    /// μ of the component whose dot a pair of states (i, j) fills.
    pub mu_of_pair: &'a dyn Fn(usize, usize) -> Atom,
    /// d_k(t) as a function of the transition energy (a named ω or its value).
    pub transport: &'a dyn Fn(usize, usize, &Atom) -> Atom,
    /// Short names of the fluxes for names of loop affinities (`Nl`, `Eu`, …).
    pub flux_tags: Vec<String>,
    /// L_ij = N_ij/(Z τ) in γ, h_ij, Z: what the compact form must equal.
    pub expanded: &'a [Vec<Atom>],
}

/// Builds the ordered list of named quantities; names in `inline` are not defined but
/// written out where they are used.
pub(super) struct Builder<'a> {
    inline: &'a HashSet<String>,
    definitions: Vec<(CompactDefinition, Atom, bool)>,
    /// Each defined name with its expanded spelling.
    values: Vec<(String, Atom)>,
}

impl Builder<'_> {
    /// Define `name` = `value`; returns the quantity spelled by its name (or `value` itself
    /// when `name` is inlined). `inlinable`: may be written out where it is used once.
    pub(super) fn define(
        &mut self,
        name: &str,
        latex: &str,
        meaning: &str,
        value: Q,
        inlinable: bool,
    ) -> Q {
        if self.inline.contains(name) {
            return value;
        }
        // The same value under another name (e.g. Γ of two pairs with the same leads and
        // rates) is that name.
        if let Some((earlier, _, _)) = self.definitions.iter().find(|(d, sym, _)| {
            *sym == value.sym && d.name.split('_').next() == name.split('_').next()
        }) {
            return Q::new(var(&earlier.name), value.val);
        }
        self.definitions.push((
            CompactDefinition {
                name: name.to_string(),
                latex_name: latex.to_string(),
                meaning: meaning.to_string(),
                value: render(&value.sym),
            },
            value.sym.clone(),
            inlinable,
        ));
        self.values.push((name.to_string(), value.val.clone()));
        Q::new(var(name), value.val)
    }
}

/// The compact form before pruning: definitions (with their printed values as atoms and
/// whether they may be inlined), L in both spellings, and the reduction's record.
struct Built {
    definitions: Vec<(CompactDefinition, Atom, bool)>,
    values: Vec<(String, Atom)>,
    l: Vec<Vec<Q>>,
    steps: Vec<String>,
    loops: usize,
    degrees: std::collections::BTreeSet<usize>,
}

/// Identifier-safe form of a lead name.
fn tag(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// ④ The equilibrium quantities defined first: the eigenbasis (with tunnelling: r, cos²θ,
/// sin²θ, spelled by their own symbols in the expanded form), β of the reference lead, the
/// Boltzmann weights x_k = e^{−β(E_k − E_A − Σ_c μ_c N_c)} (x_A = 1) and Z = Σ_k x_k; the
/// `val` spelling of x_k and Z is the symbol itself. Returns (β, x, Z).
fn equilibrium_weights(b: &mut Builder, inputs: &Inputs) -> (Atom, Vec<Q>, Q) {
    let labels = inputs.labels;
    for (d, value) in inputs.spectrum {
        b.define(
            &d.name,
            &d.latex_name,
            &d.meaning,
            Q::new(value.clone(), var(&d.name)),
            false,
        );
    }
    b.define(
        "beta_ref",
        r"\beta",
        "inverse temperature of the energy reference lead",
        Q::same(inputs.beta_value.clone()),
        false,
    );
    // Not `beta`: SymPy's sympify reads that name as its beta function.
    let beta = var("beta_ref");
    let mut x: Vec<Q> = vec![Q::num(1)];
    for s in 1..labels.len() {
        let name = format!("x_{}", labels[s]);
        x.push(b.define(
            &name,
            &latex_name(&name),
            &format!("Boltzmann weight of state {} relative to A", labels[s]),
            Q::new(
                super::derive::exp(-(&beta * &inputs.exponents[s])),
                var(&name),
            ),
            false,
        ));
    }
    let z = b.define(
        "Z",
        "Z",
        "partition function (sum of the Boltzmann weights)",
        Q::new(x.iter().fold(int(0), |acc, q| acc + &q.sym), var("Z")),
        false,
    );
    (beta, x, z)
}

/// The transition energy ω_ij of a pair of states and its thermal weight
/// g_ij = (p_i + p_j) f_ij (1 − f_ij) = p_i f_ij = h_ij / Z, f_ij = f(ω_ij − μ_c) at the
/// reference β (module documentation). Returns (ω_ij, g_ij).
fn pair_weight(
    b: &mut Builder,
    inputs: &Inputs,
    (i, j): (usize, usize),
    t: usize,
    (beta, x, z): (&Atom, &[Q], &Q),
) -> (Q, Q) {
    let labels = inputs.labels;
    let n = labels.len();
    let ij = format!("{}{}", labels[i], labels[j]);
    let w = b.define(
        &format!("w_{ij}"),
        &format!(r"\omega_{{{ij}}}"),
        &format!(
            "transition energy ω({}→{}) = E_{} − E_{}",
            labels[i], labels[j], labels[j], labels[i]
        ),
        Q::same(inputs.omega[t].clone()),
        false,
    );
    let mu = (inputs.mu_of_pair)(i, j);
    let x_val = |s: usize| {
        if s == 0 {
            int(1)
        } else {
            var(&format!("x_{}", labels[s]))
        }
    };
    let f = b.define(
        &format!("f_{ij}"),
        &format!("f_{{{ij}}}"),
        &format!(
            "Fermi function of the reference lead at ω({}→{})",
            labels[i], labels[j]
        ),
        Q::new(
            int(1) / (int(1) + super::derive::exp(beta * (&w.sym - &mu))),
            x_val(j) / (x_val(i) + x_val(j)),
        ),
        false,
    );
    // g_ij = (p_i + p_j) f (1 − f) = p_i f_ij, written without cancellation: the single
    // dot as textbooks do, f (1 − f) with 1 − f = f(−x); larger models as p_i f_ij.
    let g_sym = if n == 2 {
        let empty = b.define(
            &format!("fc_{ij}"),
            &format!("\\bar{{f}}_{{{ij}}}"),
            &format!(
                "1 − f_{ij}: the lead's level at ω({}→{}) empty",
                labels[i], labels[j]
            ),
            Q::new(
                int(1) / (int(1) + super::derive::exp(-(beta * (&w.sym - &mu)))),
                x_val(i) / (x_val(i) + x_val(j)),
            ),
            false,
        );
        f.sym.clone() * &empty.sym
    } else {
        &x[i].sym * &f.sym / &z.sym
    };
    let g = b.define(
        &format!("g_{ij}"),
        &format!("g_{{{ij}}}"),
        &format!(
            "thermal weight of the pair {0},{1}: (p_{0} + p_{1}) f (1 − f) = p_{0} f_{ij}",
            labels[i], labels[j]
        ),
        Q::new(g_sym, var(&format!("h_{ij}")) / var("Z")),
        true,
    );
    (w, g)
}

/// One pair of states (i, j) with its transitions `ts` (one per lead) as a network edge: a
/// single lead is the conductance G_ij = γ g_ij with EMF d(t)·F; several leads are the
/// parallel merge (module documentation): G_ij = Γ_ij g_ij with the rate-weighted EMF
/// Σ_t φ_t d(t), φ_t = γ_t/Γ_ij, plus a local loop term γ_aγ_b/Γ g_ij (d_a − d_b)(d_a − d_b)ᵀ
/// of L for each pair of leads (pushed on `local`). Returns the edge's conductance and EMF.
fn pair_edge(
    b: &mut Builder,
    inputs: &Inputs,
    (i, j): (usize, usize),
    ts: &[usize],
    (w, g): (&Q, &Q),
    local: &mut Vec<Term>,
) -> (Cond, Vec<Q>) {
    let labels = inputs.labels;
    let m = inputs.flux_tags.len();
    let ij = format!("{}{}", labels[i], labels[j]);
    let rate = |t: usize| Q::same(inputs.rates[t].clone());
    let transported = |t: usize| -> Vec<Q> {
        (0..m)
            .map(|k| {
                Q::new(
                    (inputs.transport)(k, t, &w.sym),
                    (inputs.transport)(k, t, &w.val),
                )
            })
            .collect()
    };
    let lead = |t: usize| tag(&inputs.model.leads[inputs.transitions[t].lead].name);
    if ts.len() == 1 {
        let t = ts[0];
        let conductance = b.define(
            &format!("G_{ij}"),
            &format!("G_{{{ij}}}"),
            &format!("conductance of {}→{}: γ g_{ij}", labels[i], labels[j]),
            rate(t).mul(g),
            false,
        );
        return (Cond::G(conductance), transported(t));
    }
    let total = ts.iter().fold(Q::num(0), |acc, &t| acc.add(&rate(t)));
    let gamma = b.define(
        &format!("Gamma_{ij}"),
        &format!(r"\Gamma_{{{ij}}}"),
        &format!("total bare rate of {}→{} (all leads)", labels[i], labels[j]),
        total.clone(),
        true,
    );
    let conductance = b.define(
        &format!("G_{ij}"),
        &format!("G_{{{ij}}}"),
        &format!("conductance of {}→{}: Γ_{ij} g_{ij}", labels[i], labels[j]),
        gamma.mul(g),
        false,
    );
    let mut emf = vec![Q::num(0); m];
    for &t in ts {
        let d = transported(t);
        if d.iter().all(Q::is_zero) {
            continue;
        }
        let l = lead(t);
        let phi = b.define(
            &format!("phi_{ij}_{l}"),
            &format!(r"\phi^{{{l}}}_{{{ij}}}"),
            &format!(
                "fraction of {}→{} carried by lead {l}: γ/Γ_{ij}",
                labels[i], labels[j]
            ),
            rate(t).div(&gamma),
            false,
        );
        for (e, dk) in emf.iter_mut().zip(&d) {
            if !dk.is_zero() {
                *e = e.add(&phi.mul(dk));
            }
        }
    }
    for (p, &ta) in ts.iter().enumerate() {
        for &tb in &ts[p + 1..] {
            let (da, db) = (transported(ta), transported(tb));
            let diff: Vec<Q> = da.iter().zip(&db).map(|(u, v)| u.sub(v)).collect();
            if diff.iter().all(Q::is_zero) {
                continue;
            }
            let (name, latex, product) = if ts.len() == 2 {
                (
                    format!("c_{ij}"),
                    format!("c_{{{ij}}}"),
                    rate(ta).mul(&rate(tb)).div(&total),
                )
            } else {
                let (la, lb) = (lead(ta), lead(tb));
                (
                    format!("c_{ij}_{la}{lb}"),
                    format!("c^{{{la}{lb}}}_{{{ij}}}"),
                    rate(ta).mul(&rate(tb)).div(&gamma),
                )
            };
            let coefficient = b.define(
                &name,
                &latex,
                &format!(
                    "conductance of the loop lead {} → {}→{} → lead {}: γγ'/(γ + γ') g_{ij}",
                    lead(ta),
                    labels[i],
                    labels[j],
                    lead(tb)
                ),
                product.mul(g),
                false,
            );
            local.push(Term {
                coefficient,
                vector: diff,
            });
        }
    }
    (Cond::G(conductance), emf)
}

/// Build the named quantities and L, writing out the names in `inline`: the equilibrium
/// weights, one edge per pair of states, then the reduction of the network (series,
/// star–mesh, parallel merges); L = Σ_terms K a aᵀ.
fn build(inputs: &Inputs, inline: &HashSet<String>) -> Built {
    let mut builder = Builder {
        inline,
        definitions: Vec::new(),
        values: Vec::new(),
    };
    let b = &mut builder;
    let labels = inputs.labels;
    let n = labels.len();
    let m = inputs.flux_tags.len();
    let (beta, x, z) = equilibrium_weights(b, inputs);
    let mut pairs: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (t, tr) in inputs.transitions.iter().enumerate() {
        pairs.entry((tr.from, tr.to)).or_default().push(t);
    }
    let mut local: Vec<Term> = Vec::new();
    let mut initial: Vec<(usize, usize, Cond, Vec<Q>)> = Vec::new();
    for (&(i, j), ts) in &pairs {
        let (w, g) = pair_weight(b, inputs, (i, j), ts[0], (&beta, &x, &z));
        let (cond, emf) = pair_edge(b, inputs, (i, j), ts, (&w, &g), &mut local);
        initial.push((i, j, cond, emf));
    }
    let mut reduction = Reduction {
        builder: b,
        edges: BTreeMap::new(),
        terms: local,
        steps: Vec::new(),
        labels: labels.to_vec(),
        flux_tags: inputs.flux_tags.clone(),
        loops: 0,
        merges: 0,
        stars: 0,
        degrees: Default::default(),
    };
    for (i, j, cond, emf) in initial {
        reduction.add(i, j, cond, emf);
    }
    reduction.run(n);
    let (terms, steps, loops, degrees) = (
        reduction.terms,
        reduction.steps,
        reduction.loops,
        reduction.degrees,
    );
    let l = (0..m)
        .map(|i| {
            (0..m)
                .map(|j| {
                    terms.iter().fold(Q::num(0), |acc, term| {
                        let (a, b) = (&term.vector[i], &term.vector[j]);
                        if a.is_zero() || b.is_zero() {
                            acc
                        } else {
                            acc.add(&term.coefficient.mul(a).mul(b))
                        }
                    })
                })
                .collect()
        })
        .collect();
    Built {
        definitions: builder.definitions,
        values: builder.values,
        l,
        steps,
        loops,
        degrees,
    }
}

/// Drop the definitions nothing uses; returns, for each kept name, how often it is used.
fn prune(built: &mut Built) -> HashMap<String, usize> {
    let mut uses: HashMap<String, usize> = HashMap::new();
    for row in &built.l {
        for q in row {
            for t in identifiers(&format!("{}", q.sym)) {
                *uses.entry(t).or_default() += 1;
            }
        }
    }
    let mut kept = Vec::new();
    for def in built.definitions.drain(..).rev() {
        if uses.contains_key(&def.0.name) {
            for t in identifiers(&def.0.value.symbolica) {
                *uses.entry(t).or_default() += 1;
            }
            kept.push(def);
        }
    }
    kept.reverse();
    built.definitions = kept;
    uses
}

/// g_ij (f_ij (1 − f_ij) for two states, p_i f_ij otherwise) equals
/// (p_i + p_j) f_ij (1 − f_ij) = h_ij / Z with h_ij = x_i x_j/(x_i + x_j),
/// f_ij = x_j/(x_i + x_j), 1 − f_ij = x_i/(x_i + x_j) (x_j/x_i = e^{−β(ω_ij − μ)}) and
/// p_k = x_k/Z, Z = Σ x_k.
fn weight_identities(labels: &[String], pairs: &[(usize, usize)]) -> bool {
    let n = labels.len();
    let x = |s: usize| {
        if s == 0 {
            int(1)
        } else {
            var(&format!("x_{}", labels[s]))
        }
    };
    let z = (0..n).fold(int(0), |acc, s| acc + x(s));
    pairs.iter().all(|&(i, j)| {
        let (f, empty) = (x(j) / (x(i) + x(j)), x(i) / (x(i) + x(j)));
        let g = if n == 2 { &f * &empty } else { x(i) * &f / &z };
        let h = x(i) * x(j) / (x(i) + x(j));
        (g - h / &z).together().is_zero()
    })
}

/// The reduction identities, for general conductances G_k > 0 and EMFs x_k (scalars
/// x_k = a_k·F; the rank-one terms follow by polarisation):
///
/// * parallel: G₁(y + x₁)² + G₂(y + x₂)² = (G₁ + G₂)(y + x̄)² + G₁G₂/(G₁ + G₂)(x₁ − x₂)²,
///   x̄ = (G₁x₁ + G₂x₂)/(G₁ + G₂);
/// * elimination of a state with k neighbours (k = 1: dangling edge, 2: series, ≥ 3:
///   star–mesh): at the minimising potential φ* = Σ G_k x_k / S, S = Σ G_k,
///   Σ_k G_k (x_k − φ*)² = Σ_{a<b} G_aG_b/S (x_a − x_b)².
fn reduction_lemmas(degrees: &std::collections::BTreeSet<usize>) -> bool {
    let g = |k: usize| var(&format!("qctlemma_G{k}"));
    let x = |k: usize| var(&format!("qctlemma_x{k}"));
    let y = var("qctlemma_y");
    let parallel = {
        let (s, sx) = (g(1) + g(2), g(1) * x(1) + g(2) * x(2));
        let mean = &sx / &s;
        let lhs = g(1) * (&y + x(1)).pow(int(2)) + g(2) * (&y + x(2)).pow(int(2));
        let rhs = &s * (&y + &mean).pow(int(2)) + g(1) * g(2) / &s * (x(1) - x(2)).pow(int(2));
        (lhs - rhs).together().is_zero()
    };
    parallel
        && degrees.iter().all(|&k| {
            let s = (1..=k).fold(int(0), |acc, i| acc + g(i));
            let phi = (1..=k).fold(int(0), |acc, i| acc + g(i) * x(i)) / &s;
            let lhs = (1..=k).fold(int(0), |acc, i| acc + g(i) * (x(i) - &phi).pow(int(2)));
            let mut rhs = int(0);
            for a in 1..=k {
                for b in (a + 1)..=k {
                    rhs += g(a) * g(b) / &s * (x(a) - x(b)).pow(int(2));
                }
            }
            (lhs - rhs).together().is_zero()
        })
}

/// The compact form of L for `inputs`, with its proofs: entrywise when `entrywise`, else by
/// the reduction identities (see [`Compact::proof`]).
pub(super) fn compact(inputs: &Inputs, entrywise: bool) -> (Compact, Internals) {
    let none = HashSet::new();
    let mut first = build(inputs, &none);
    let uses = prune(&mut first);
    let inline: HashSet<String> = first
        .definitions
        .iter()
        .filter(|(d, _, inlinable)| *inlinable && uses.get(&d.name) == Some(&1))
        .map(|(d, _, _)| d.name.clone())
        .collect();
    let mut built = build(inputs, &inline);
    prune(&mut built);
    let m = built.l.len();
    let lemmas = (!entrywise).then(|| reduction_lemmas(&built.degrees));
    let proved_equal = (0..m)
        .map(|i| {
            (0..m)
                .map(|j| {
                    if let Some(proved) = lemmas {
                        return proved;
                    }
                    super::exponentials::is_identically_zero(
                        &(&built.l[i][j].val - &inputs.expanded[i][j]),
                    )
                })
                .collect()
        })
        .collect();
    let mut pairs: Vec<(usize, usize)> =
        inputs.transitions.iter().map(|t| (t.from, t.to)).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let definitions: Vec<CompactDefinition> = built
        .definitions
        .iter()
        .map(|(d, _, _)| d.clone())
        .collect();
    let l: Vec<Vec<Expression>> = built
        .l
        .iter()
        .map(|row| row.iter().map(|q| render(&q.sym)).collect())
        .collect();
    let size_sympy = definitions
        .iter()
        .map(|d| d.name.len() + 3 + d.value.sympy.len())
        .sum::<usize>()
        + l.iter().flatten().map(|e| e.sympy.len()).sum::<usize>();
    // The loop affinities a_k hold the transition energies: written out for the level form.
    let affinities: Vec<(String, Atom)> = built
        .definitions
        .iter()
        .filter(|(d, _, _)| {
            (d.name.starts_with('a') || d.name.starts_with('e'))
                && d.name[1..]
                    .split('_')
                    .next()
                    .is_some_and(|k| k.parse::<u32>().is_ok())
        })
        .map(|(d, sym, _)| (d.name.clone(), sym.clone()))
        .collect();
    let internals = Internals {
        l: built
            .l
            .iter()
            .map(|row| {
                row.iter()
                    .map(|q| Q::new(expanded_spelling(&q.sym, &affinities), q.val.clone()))
                    .collect()
            })
            .collect(),
        values: built.values.clone(),
    };
    let compact = Compact {
        weights_proved: weight_identities(inputs.labels, &pairs),
        definitions,
        l,
        proved_equal,
        proof: if entrywise { "entrywise" } else { "stepwise" }.to_string(),
        steps: built.steps,
        loops: built.loops,
        size_sympy,
    };
    (compact, internals)
}

/// The compact L in both spellings (loop affinities written out) and every name's expanded
/// spelling (for the sign statements).
pub(super) struct Internals {
    pub l: Vec<Vec<Q>>,
    pub values: Vec<(String, Atom)>,
}

/// The expanded spelling of an expression in the named quantities: every name replaced by
/// its value in γ, h_ij, Z and the parameters.
pub(super) fn expanded_spelling(a: &Atom, values: &[(String, Atom)]) -> Atom {
    let mut out = a.clone();
    for (name, value) in values {
        out = out.replace(var(name)).with(value.clone());
    }
    out
}

/// ∂a/∂(name).
pub(super) fn derivative(a: &Atom, name: &str) -> Atom {
    a.derivative(symbol!(name))
}
