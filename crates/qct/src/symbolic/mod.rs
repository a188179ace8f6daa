//! ⑨ The symbolic layer: exact closed-form Onsager coefficients, their reciprocity, the
//! determinant and the sign conditions, derived with Symbolica from the model.
//!
//! This is the only module that names a Symbolica type, and only [`engine`] starts it: all
//! work runs on the process's single engine thread, and the results come back as qct's own
//! types (strings in several syntaxes, booleans, numbers).
//!
//! Method (see the cycle form of `crate::network`): at equilibrium every transition t = (i → j) is a
//! conductance k_t = γ_t h_ij / Z, where the Gibbs weights x_k = e^{−β(E_k − E_A − Σ_c μ_c N_c)}
//! give h_ij = x_i x_j / (x_i + x_j) (= Z p_i f(ω_t) = Z p_j [1 − f(ω_t)]) and Z = Σ_k x_k.
//! Kirchhoff's theorem writes L as a sum over the simple cycles C of the transition network,
//! Z L_ij = Σ_C W_C d_i(C) d_j(C) / τ, with τ the spanning-tree polynomial and
//! W_C = Π_{t∈C} k_t τ(G/C), all polynomials with positive coefficients in the k_t. The same
//! L is also computed by nodal analysis of the linearised master equation (an independent,
//! not manifestly symmetric route); qct proves symbolically that both agree and that
//! L_ij − L_ji = 0.

mod compact;
mod derive;
mod theorems;
mod weights;
pub mod engine;
pub mod isolate;
pub mod limits;
mod evaluate;
mod exponentials;
mod kirchhoff;
pub mod noise;
mod print;
mod reduction;
mod signs;
mod spectrum;

pub use compact::{Compact, CompactDefinition};
pub use evaluate::evaluate;
pub use print::{latex_coefficient, latex_name as latex_name_of};
pub use theorems::{IccTheorem, LevelTerm, TheoremCycle};

use crate::error::Result;
use crate::model::Model;
use crate::thermo::ForceBasis;
use serde::{Deserialize, Serialize};

/// Closed forms use the same force, flux and transport formulas as the numeric layer.
impl crate::scalar::Scalar for symbolica::atom::Atom {
    fn zero() -> Self {
        symbolica::atom::Atom::num(0)
    }
    fn one() -> Self {
        symbolica::atom::Atom::num(1)
    }
}

/// How the closed forms write the equilibrium weights (`--form`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// The compact form (default of text and LaTeX): L in named physical quantities —
    /// transition energies, Fermi functions, pair conductances, loop conductances — each
    /// defined once. JSON always carries it under "compact"; its "L" is then written with
    /// Boltzmann factors.
    Compact,
    /// Boltzmann factors: h_ij = x_i x_j/(x_i + x_j), x_k = exp(−β(E_k − E_A − μ N_k)).
    Boltzmann,
    /// Fermi functions: h_ij / Z = p_i f(ω_ij), f(ω) = 1/(1 + exp(β(ω − μ))), p_i = x_i / Z.
    Fermi,
}

/// Syntax of the expression strings in JSON output (`--syntax`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    /// Symbolica's own notation (what `qct check` parses back).
    Symbolica,
    /// SymPy: `**` powers, `E**x` for exp.
    Sympy,
    /// Mathematica: `E^x`; underscores are dropped from names (`eps_b` → `epsb`) because `_`
    /// denotes a pattern in Mathematica.
    Mathematica,
}

impl crate::error::Named for Form {
    const WHAT: &'static str = "form";
    const ALL: &'static [(Self, &'static str)] = &[
        (Form::Compact, "compact"),
        (Form::Boltzmann, "boltzmann"),
        (Form::Fermi, "fermi"),
    ];
}

impl crate::error::Named for Syntax {
    const WHAT: &'static str = "syntax";
    const ALL: &'static [(Self, &'static str)] = &[
        (Syntax::Symbolica, "symbolica"),
        (Syntax::Sympy, "sympy"),
        (Syntax::Mathematica, "mathematica"),
    ];
}

/// One expression in every notation qct writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Expression {
    pub symbolica: String,
    pub sympy: String,
    pub mathematica: String,
    pub latex: String,
}

impl Expression {
    /// The expression in `syntax`.
    pub fn in_syntax(&self, syntax: Syntax) -> &str {
        match syntax {
            Syntax::Symbolica => &self.symbolica,
            Syntax::Sympy => &self.sympy,
            Syntax::Mathematica => &self.mathematica,
        }
    }
}

/// A named expression (a definition such as x_B = …).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Definition {
    pub name: String,
    pub latex_name: String,
    pub value: Expression,
}

/// One basis state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StateEnergy {
    pub label: String,
    pub occupations: Vec<u8>,
    pub energy: Expression,
    /// With interdot tunnelling: the eigenstate's composition in the occupation basis (its
    /// `occupations` are those of its label). Empty for a diagonal H.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub composition: String,
}

/// One transition (an electron enters `dot` from `lead`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransitionEnergy {
    pub from: String,
    pub to: String,
    pub lead: String,
    pub dot: String,
    /// Bare-rate parameter γ_t (with tunnelling: γ_t |⟨b|d†|a⟩|², an expression).
    pub rate: String,
    /// LaTeX of an expression `rate` (empty when `rate` is a parameter name).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rate_latex: String,
    /// ω_t = E_to − E_from.
    pub omega: Expression,
}

/// The proof of L_ij = L_ji for one pair.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reciprocity {
    pub i: usize,
    pub j: usize,
    /// L_ij − L_ji (nodal route) expands to exactly 0.
    pub proved: bool,
    /// Nodal and cycle routes agree for L_ij (their difference expands to 0).
    pub routes_agree: bool,
}

/// A term s_g P_g of the cycle decomposition of a cross coefficient: s_g = d_i(C) d_j(C)
/// for the cycles C of the group, P_g = Σ_C W_C > 0.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CycleGroup {
    /// The sign-carrying cycle affinity product s_g.
    pub affinity: Expression,
    /// s_g as a transition energy, e.g. "omega(C->D)", when it is one (up to sign).
    pub transition: Option<String>,
    /// The positive weight P_g (polynomial in γ and h with positive coefficients).
    pub weight: Expression,
    pub cycles: usize,
}

/// Sign analysis of one cross coefficient L_ij (i < j).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignCondition {
    pub coefficient: String,
    pub i: usize,
    pub j: usize,
    /// L_ij vanishes identically.
    pub vanishes: bool,
    /// Factors of Z τ L_ij that are manifestly positive (positive coefficients, positive
    /// variables).
    pub positive_factors: Vec<Expression>,
    /// The remaining factor(s), with the overall numeric sign folded in.
    pub sign_factor: Expression,
    /// Human-readable condition for L_ij < 0 (a strict inequality in the model's
    /// parameters and positive weights).
    pub negative_iff: String,
    pub necessary: String,
    pub sufficient: String,
    pub groups: Vec<CycleGroup>,
    /// The level form L_ij = Σ_t ω_t W_t (every W_t > 0), when the coefficient has it.
    pub level: Vec<LevelTerm>,
    pub latex: String,
}

/// Everything `qct derive` prints.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Derivation {
    pub model: String,
    pub representation: String,
    pub form: Form,
    /// β = 1/T_ρ of the energy reference lead.
    pub beta: String,
    pub references: Vec<(String, String)>,
    pub parameters: Vec<String>,
    /// With interdot tunnelling: the quantities of the eigenbasis of H in closed form (per
    /// 2 × 2 block the root r and the mixing weights cos²θ, sin²θ), in order. Empty for a
    /// diagonal H.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eigenbasis: Vec<CompactDefinition>,
    pub states: Vec<StateEnergy>,
    pub transitions: Vec<TransitionEnergy>,
    pub forces: Vec<Definition>,
    pub fluxes: Vec<String>,
    pub dropped_forces: Vec<String>,
    /// Parameter → its value at equilibrium (a parameter name; "0" for a spin bias).
    pub equilibrium: Vec<(String, String)>,
    /// x_k, Z and h_ij (or their Fermi-form counterparts).
    pub weights: Vec<Definition>,
    /// τ, the spanning-tree polynomial in γ and h.
    pub spanning_trees: Expression,
    /// N_ij = Z τ L_ij, expanded (polynomials in γ, h and the energies).
    pub numerators: Vec<Vec<Expression>>,
    pub cycles: usize,
    /// L_ij in the structured form N_ij / (Z τ) with γ, h, Z.
    pub l_structured: Vec<Vec<Expression>>,
    /// L_ij written out in the model's parameters only — when `self_contained`; for large
    /// models the structured form (with the `weights` definitions).
    pub l: Vec<Vec<Expression>>,
    pub self_contained: bool,
    pub reciprocity: Vec<Reciprocity>,
    /// det L (structured form); `None` when too large to print (tight coupling is still
    /// decided, from the rank of the cycle affinities).
    pub determinant: Option<Expression>,
    /// det L ≡ 0: the fluxes are tightly coupled.
    pub tight_coupling: bool,
    pub sign_conditions: Vec<SignCondition>,
    /// The compact form: L in named physical quantities, proved equal to the expanded form.
    pub compact: Compact,
    /// For two-force models: the condition under which no flux opposes both forces, at any
    /// force, with its proof from the cycle decomposition.
    pub icc_theorem: Option<IccTheorem>,
    /// Wall time of the symbolic work, seconds (not part of the JSON output).
    #[serde(skip)]
    pub seconds: f64,
}

/// Derive the closed forms for `model` in the force basis `basis`: on this process's engine
/// thread, or — after `isolate_in` — in a child process of its own (see `isolate`).
/// With interdot tunnelling the derivation works in the eigenbasis of H when every block of
/// H has at most two states (the spectrum module's documentation); otherwise it is refused
/// with the reason.
pub fn derive(model: &Model, basis: &ForceBasis, form: Form) -> Result<Derivation> {
    spectrum::blocks_in_closed_form(model)?;
    if let Some(exe) = isolate::executable() {
        return isolate::derive(exe, model, basis, form);
    }
    derive_here(model, basis, form)
}

/// [`derive`] on this process's engine thread.
pub(crate) fn derive_here(model: &Model, basis: &ForceBasis, form: Form) -> Result<Derivation> {
    let (model, basis) = (model.clone(), basis.clone());
    engine::run(move || derive::derive(&model, &basis, form))
}
