//! `qct derive --format json`: the stable JSON form of a symbolic [`Derivation`].

use super::derivation::OMITTED;
use qct::symbolic::{Compact, Derivation, Expression, IccTheorem, SignCondition, Syntax};
use serde::Serialize;

/// A state with its energy string.
#[derive(Debug, Serialize)]
pub struct StateOut {
    pub label: String,
    pub occupations: Vec<u8>,
    pub energy: String,
}

#[derive(Debug, Serialize)]
pub struct TransitionOut {
    pub from: String,
    pub to: String,
    pub lead: String,
    pub dot: String,
    pub rate: String,
    pub omega: String,
}

#[derive(Debug, Serialize)]
pub struct NamedOut {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct ReciprocityOut {
    pub i: usize,
    pub j: usize,
    pub proved: bool,
    /// The nodal and the cycle derivations give the same L_ij and L_ji.
    pub routes_agree: bool,
}

#[derive(Debug, Serialize)]
pub struct GroupOut {
    pub affinity: String,
    pub transition: Option<String>,
    pub weight: String,
    pub cycles: usize,
}

#[derive(Debug, Serialize)]
pub struct SignOut {
    pub coefficient: String,
    pub negative_iff: String,
    pub latex: String,
    pub vanishes: bool,
    pub sign_factor: String,
    pub positive_factors: Vec<String>,
    pub necessary: String,
    pub sufficient: String,
    pub groups: Vec<GroupOut>,
    /// L_ij = Σ_t ω_t W_t with every W_t > 0, when the coefficient has that form.
    pub level: Vec<LevelOut>,
}

#[derive(Debug, Serialize)]
pub struct LevelOut {
    pub energy: String,
    pub transition: String,
    pub value: String,
    pub weight: String,
}

/// `"icc_theorem"`: no flux opposes both forces, at any force, if `no_icc_at_any_force_if`.
#[derive(Debug, Serialize)]
pub struct IccTheoremOut {
    pub cycles: Vec<TheoremCycleOut>,
    pub no_icc_at_any_force_if: String,
    pub proof: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TheoremCycleOut {
    pub states: Vec<String>,
    pub transported: serde_json::Map<String, serde_json::Value>,
}

/// `qct derive --format json`.
#[derive(Debug, Serialize)]
pub struct DeriveReport {
    pub model: String,
    pub representation: String,
    pub form: qct::symbolic::Form,
    pub syntax: Syntax,
    /// β in the model's parameters (1/T of the energy reference lead).
    pub beta: String,
    pub states: Vec<StateOut>,
    pub transitions: Vec<TransitionOut>,
    pub fluxes: Vec<String>,
    pub forces: Vec<String>,
    pub force_definitions: Vec<NamedOut>,
    pub dropped_forces: Vec<String>,
    /// Symbols of the structured form: beta, x_k, Z, h_ij.
    pub definitions: Vec<NamedOut>,
    /// L_ij written out in the model's parameters only.
    #[serde(rename = "L")]
    pub l: Vec<Vec<String>>,
    #[serde(rename = "L_latex")]
    pub l_latex: Vec<Vec<String>>,
    /// `L` holds only the model's parameters (false for models too large to write out:
    /// then `L` is the structured form, to be evaluated with `definitions`).
    #[serde(rename = "L_self_contained")]
    pub l_self_contained: bool,
    /// L_ij = N_ij / (Z τ) in γ, h_ij and Z.
    #[serde(rename = "L_structured")]
    pub l_structured: Vec<Vec<String>>,
    pub reciprocity: Vec<ReciprocityOut>,
    pub determinant: String,
    pub tight_coupling: bool,
    pub sign_conditions: Vec<SignOut>,
    /// L in named physical quantities, with the proof that it equals the expanded form.
    pub compact: CompactOut,
    pub icc_theorem: Option<IccTheoremOut>,
}

/// One named quantity of the compact form.
#[derive(Debug, Serialize)]
pub struct CompactDefinitionOut {
    pub name: String,
    pub expr: String,
    pub latex: String,
    pub meaning: String,
}

/// `"compact"`: ordered definitions (each uses only parameters and earlier names), L in
/// them, and per entry the symbolic proof that it equals the expanded L.
#[derive(Debug, Serialize)]
pub struct CompactOut {
    pub definitions: Vec<CompactDefinitionOut>,
    #[serde(rename = "L")]
    pub l: Vec<Vec<String>>,
    #[serde(rename = "L_latex")]
    pub l_latex: Vec<Vec<String>>,
    pub proved_equal: Vec<Vec<bool>>,
    /// "entrywise" or "stepwise" (see `qct derive --help` and the README).
    pub proof: String,
    pub weights_proved: bool,
    pub size_sympy: usize,
}

impl DeriveReport {
    pub fn new(d: &Derivation, syntax: Syntax) -> DeriveReport {
        let s = |e: &Expression| e.in_syntax(syntax).to_string();
        let named = |name: &str, value: &Expression| NamedOut {
            name: name.to_string(),
            value: s(value),
        };
        DeriveReport {
            model: d.model.clone(),
            representation: d.representation.clone(),
            form: d.form,
            syntax,
            beta: d.beta.clone(),
            states: d
                .states
                .iter()
                .map(|st| StateOut {
                    label: st.label.clone(),
                    occupations: st.occupations.clone(),
                    energy: s(&st.energy),
                })
                .collect(),
            transitions: d
                .transitions
                .iter()
                .map(|t| TransitionOut {
                    from: t.from.clone(),
                    to: t.to.clone(),
                    lead: t.lead.clone(),
                    dot: t.dot.clone(),
                    rate: t.rate.clone(),
                    omega: s(&t.omega),
                })
                .collect(),
            fluxes: d.fluxes.clone(),
            forces: d.forces.iter().map(|f| f.name.clone()).collect(),
            force_definitions: d.forces.iter().map(|f| named(&f.name, &f.value)).collect(),
            dropped_forces: d.dropped_forces.clone(),
            definitions: d.weights.iter().map(|w| named(&w.name, &w.value)).collect(),
            l: matrix(&d.l, s),
            l_self_contained: d.self_contained,
            l_latex: matrix(&d.l_structured, |e| e.latex.clone()),
            l_structured: matrix(&d.l_structured, s),
            reciprocity: d
                .reciprocity
                .iter()
                .map(|r| ReciprocityOut {
                    i: r.i,
                    j: r.j,
                    proved: r.proved,
                    routes_agree: r.routes_agree,
                })
                .collect(),
            determinant: d
                .determinant
                .as_ref()
                .map_or_else(|| OMITTED.to_string(), s),
            tight_coupling: d.tight_coupling,
            sign_conditions: d
                .sign_conditions
                .iter()
                .map(|c| SignOut::new(c, syntax))
                .collect(),
            compact: CompactOut::new(&d.compact, syntax),
            icc_theorem: d
                .icc_theorem
                .as_ref()
                .map(|t| IccTheoremOut::new(t, syntax)),
        }
    }
}

/// A matrix of expressions, each rendered by `render`.
fn matrix(rows: &[Vec<Expression>], render: impl Fn(&Expression) -> String) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(&render).collect())
        .collect()
}

impl SignOut {
    fn new(c: &SignCondition, syntax: Syntax) -> SignOut {
        let s = |e: &Expression| e.in_syntax(syntax).to_string();
        SignOut {
            coefficient: c.coefficient.clone(),
            negative_iff: c.negative_iff.clone(),
            latex: c.latex.clone(),
            vanishes: c.vanishes,
            sign_factor: s(&c.sign_factor),
            positive_factors: c.positive_factors.iter().map(s).collect(),
            necessary: c.necessary.clone(),
            sufficient: c.sufficient.clone(),
            groups: c
                .groups
                .iter()
                .map(|g| GroupOut {
                    affinity: s(&g.affinity),
                    transition: g.transition.clone(),
                    weight: s(&g.weight),
                    cycles: g.cycles,
                })
                .collect(),
            level: c
                .level
                .iter()
                .map(|t| LevelOut {
                    energy: t.energy.clone(),
                    transition: t.transition.clone(),
                    value: s(&t.value),
                    weight: s(&t.weight),
                })
                .collect(),
        }
    }
}

impl CompactOut {
    fn new(compact: &Compact, syntax: Syntax) -> CompactOut {
        let s = |e: &Expression| e.in_syntax(syntax).to_string();
        CompactOut {
            definitions: compact
                .definitions
                .iter()
                .map(|c| CompactDefinitionOut {
                    name: c.name.clone(),
                    expr: s(&c.value),
                    latex: c.value.latex.clone(),
                    meaning: c.meaning.clone(),
                })
                .collect(),
            l: matrix(&compact.l, s),
            l_latex: matrix(&compact.l, |e| e.latex.clone()),
            proved_equal: compact.proved_equal.clone(),
            proof: compact.proof.clone(),
            weights_proved: compact.weights_proved,
            size_sympy: compact.size_sympy,
        }
    }
}

impl IccTheoremOut {
    fn new(t: &IccTheorem, syntax: Syntax) -> IccTheoremOut {
        IccTheoremOut {
            cycles: t
                .cycles
                .iter()
                .map(|c| TheoremCycleOut {
                    states: c.states.clone(),
                    transported: c
                        .transported
                        .iter()
                        .map(|(flux, e)| {
                            let value = e.in_syntax(syntax).to_string();
                            (flux.clone(), serde_json::Value::String(value))
                        })
                        .collect(),
                })
                .collect(),
            no_icc_at_any_force_if: t.condition.clone(),
            proof: t.proof.clone(),
        }
    }
}
