//! Renderers of a symbolic [`Derivation`]: JSON (stable keys), text and LaTeX.

use qct::symbolic::{Derivation, Syntax, latex_coefficient};
use serde::Serialize;
use std::fmt::Write;

/// Printed instead of a determinant too large to write out.
const OMITTED: &str =
    "omitted (too large to print; tight coupling decided from the rank of the cycle affinities)";

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
        let s = |e: &qct::symbolic::Expression| e.in_syntax(syntax).to_string();
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
            force_definitions: d
                .forces
                .iter()
                .map(|f| NamedOut {
                    name: f.name.clone(),
                    value: s(&f.value),
                })
                .collect(),
            dropped_forces: d.dropped_forces.clone(),
            definitions: d
                .weights
                .iter()
                .map(|w| NamedOut {
                    name: w.name.clone(),
                    value: s(&w.value),
                })
                .collect(),
            l: d.l.iter().map(|r| r.iter().map(s).collect()).collect(),
            l_self_contained: d.self_contained,
            l_latex: d
                .l_structured
                .iter()
                .map(|r| r.iter().map(|e| e.latex.clone()).collect())
                .collect(),
            l_structured: d
                .l_structured
                .iter()
                .map(|r| r.iter().map(s).collect())
                .collect(),
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
                .map(|c| SignOut {
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
                })
                .collect(),
            compact: CompactOut {
                definitions: d
                    .compact
                    .definitions
                    .iter()
                    .map(|c| CompactDefinitionOut {
                        name: c.name.clone(),
                        expr: s(&c.value),
                        latex: c.value.latex.clone(),
                        meaning: c.meaning.clone(),
                    })
                    .collect(),
                l: d.compact
                    .l
                    .iter()
                    .map(|r| r.iter().map(s).collect())
                    .collect(),
                l_latex: d
                    .compact
                    .l
                    .iter()
                    .map(|r| r.iter().map(|e| e.latex.clone()).collect())
                    .collect(),
                proved_equal: d.compact.proved_equal.clone(),
                proof: d.compact.proof.clone(),
                weights_proved: d.compact.weights_proved,
                size_sympy: d.compact.size_sympy,
            },
            icc_theorem: d.icc_theorem.as_ref().map(|t| IccTheoremOut {
                cycles: t
                    .cycles
                    .iter()
                    .map(|c| TheoremCycleOut {
                        states: c.states.clone(),
                        transported: c
                            .transported
                            .iter()
                            .map(|(flux, e)| (flux.clone(), serde_json::Value::String(s(e))))
                            .collect(),
                    })
                    .collect(),
                no_icc_at_any_force_if: t.condition.clone(),
                proof: t.proof.clone(),
            }),
        }
    }
}

/// `qct derive` as text: the derivation step by step.
pub fn text(d: &Derivation) -> String {
    let mut out = String::new();
    let w = &mut out;
    writeln!(
        w,
        "model {}: closed-form Onsager coefficients ({} representation, {} form)",
        d.model,
        d.representation,
        form_name(d)
    )
    .unwrap();
    writeln!(
        w,
        "energy origin: energies as written in H (empty dots at 0); beta = {}",
        d.beta
    )
    .unwrap();
    writeln!(
        w,
        "\n1. Spectrum E_k of H and transition energies omega_t = E_to - E_from"
    )
    .unwrap();
    if !d.eigenbasis.is_empty() {
        writeln!(
            w,
            "  eigenbasis of H (interdot tunnelling; r > 0 needs t != 0 or Delta != 0, and \
             cos2, sin2 > 0 need t != 0):"
        )
        .unwrap();
        for q in &d.eigenbasis {
            writeln!(w, "  {} = {}   [{}]", q.name, q.value.symbolica, q.meaning).unwrap();
        }
    }
    for s in &d.states {
        let occ: String = s.occupations.iter().map(|n| n.to_string()).collect();
        writeln!(w, "  E_{} |{}> = {}", s.label, occ, s.energy.symbolica).unwrap();
        if !s.composition.is_empty() {
            writeln!(w, "      {}: {}", s.label, s.composition).unwrap();
        }
    }
    for t in &d.transitions {
        writeln!(
            w,
            "  omega({}->{}) = {}   [electron enters dot {} from lead {}, bare rate {}]",
            t.from, t.to, t.omega.symbolica, t.dot, t.lead, t.rate
        )
        .unwrap();
    }
    writeln!(
        w,
        "\n2. Entropy production  Sigma = -sum_lambda beta_lambda J_Q^lambda = sum_i F_i J_i"
    )
    .unwrap();
    for (f, j) in d.forces.iter().zip(&d.fluxes) {
        writeln!(
            w,
            "  {} = {}   (conjugate flux {})",
            f.name, f.value.symbolica, j
        )
        .unwrap();
    }
    if !d.dropped_forces.is_empty() {
        writeln!(
            w,
            "  dropped (identically zero, shared parameters): {}",
            d.dropped_forces.join(", ")
        )
        .unwrap();
    }
    let refs: Vec<String> = d
        .references
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    writeln!(w, "  reference leads: {}", refs.join(", ")).unwrap();
    if d.form == qct::symbolic::Form::Compact {
        super::compact::text_sections(d, w);
        return out;
    }
    writeln!(
        w,
        "\n3. Equilibrium (every lead at the reference T; each component at its reference mu)"
    )
    .unwrap();
    for (p, v) in &d.equilibrium {
        writeln!(w, "  {p} -> {v}").unwrap();
    }
    for def in &d.weights {
        writeln!(w, "  {} = {}", def.name, def.value.symbolica).unwrap();
    }
    writeln!(
        w,
        "\n4. Onsager coefficients  L_ij = N_ij / (Z tau)  ({})",
        cycles_phrase(d.cycles)
    )
    .unwrap();
    writeln!(w, "  tau = {}", d.spanning_trees.symbolica).unwrap();
    for (i, row) in d.l_structured.iter().enumerate() {
        for (j, e) in row.iter().enumerate() {
            if j >= i {
                writeln!(
                    w,
                    "  L[{}, {}] = {}",
                    d.fluxes[i], d.forces[j].name, e.symbolica
                )
                .unwrap();
            }
        }
    }
    writeln!(w, "\n5. Reciprocity and determinant").unwrap();
    for r in &d.reciprocity {
        if r.i != r.j {
            writeln!(
                w,
                "  L[{0}, {2}] - L[{1}, {3}] = 0: {4} (nodal and cycle derivations agree: {5})",
                d.fluxes[r.i],
                d.fluxes[r.j],
                d.forces[r.j].name,
                d.forces[r.i].name,
                if r.proved { "proved" } else { "NOT proved" },
                r.routes_agree
            )
            .unwrap();
        }
    }
    writeln!(
        w,
        "  det L = {}",
        d.determinant
            .as_ref()
            .map_or(OMITTED, |e| e.symbolica.as_str())
    )
    .unwrap();
    writeln!(
        w,
        "  tight coupling (det L = 0 identically): {}",
        if d.tight_coupling { "yes" } else { "no" }
    )
    .unwrap();
    writeln!(w, "\n6. Sign conditions of the cross coefficients").unwrap();
    for c in &d.sign_conditions {
        writeln!(w, "  {}:", c.coefficient).unwrap();
        if c.vanishes {
            writeln!(w, "    vanishes identically").unwrap();
            continue;
        }
        for g in c.groups.iter().enumerate() {
            let (k, g) = g;
            writeln!(
                w,
                "    P{} = {}   multiplies {}{}  ({} cycles)",
                k + 1,
                g.weight.symbolica,
                g.affinity.symbolica,
                g.transition
                    .as_ref()
                    .map(|t| format!(" = {t}"))
                    .unwrap_or_default(),
                g.cycles
            )
            .unwrap();
        }
        writeln!(w, "    negative iff: {}", c.negative_iff).unwrap();
        if c.necessary != c.negative_iff {
            writeln!(w, "    necessary:    {}", c.necessary).unwrap();
            writeln!(w, "    sufficient:   {}", c.sufficient).unwrap();
        }
    }
    writeln!(
        w,
        "\nL written out in the model's parameters only: qct derive {} --format json \
         [--syntax sympy|mathematica]",
        d.model
    )
    .unwrap();
    out
}

/// "1 simple cycle", "6 simple cycles".
pub(super) fn cycles_phrase(n: usize) -> String {
    format!("{n} simple cycle{}", if n == 1 { "" } else { "s" })
}

pub(super) fn form_name(d: &Derivation) -> &'static str {
    match d.form {
        qct::symbolic::Form::Boltzmann => "Boltzmann",
        qct::symbolic::Form::Fermi => "Fermi",
        qct::symbolic::Form::Compact => "compact",
    }
}

pub(super) fn latex_escape(text: &str) -> String {
    text.replace('_', r"\_")
        .replace('^', r"\^{}")
        .replace('&', r"\&")
        .replace("->", r"\(\to\)")
        .replace("<=", r"\(\le\)")
        .replace(" < ", r" \(<\) ")
        .replace("omega", r"\(\omega\)")
}

/// Split a LaTeX sum at its top-level + and − signs into lines of about `width`
/// characters, for an `align` environment (continuation lines start with `&\quad`).
pub(super) fn break_sum(latex: &str, width: usize) -> String {
    let mut terms: Vec<String> = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for (i, c) in latex.char_indices() {
        let rest = &latex[i..];
        if rest.starts_with(r"\left") {
            depth += 1;
        } else if rest.starts_with(r"\right") {
            depth -= 1;
        }
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '+' | '-' if depth == 0 && !current.trim().is_empty() => {
                terms.push(std::mem::take(&mut current));
            }
            _ => {}
        }
        current.push(c);
    }
    terms.push(current);
    let mut lines: Vec<String> = vec![String::new()];
    for term in terms {
        if lines
            .last()
            .is_some_and(|l| !l.is_empty() && l.len() + term.len() > width)
        {
            lines.push(String::new());
        }
        lines.last_mut().expect("one line").push_str(&term);
    }
    lines.join(" \\notag \\\\\n&\\quad ")
}

/// A long expression broken over lines; a long fraction \\frac{A}{B} as [A] / [B] with
/// both broken (TeX cannot break inside \\frac).
fn long_latex(latex: &str) -> String {
    if latex.len() <= LATEX_LINE {
        return latex.to_string();
    }
    match split_fraction(latex) {
        Some((numerator, denominator)) => format!(
            "\\Big[{}\\Big] \\notag \\\\\n&\\quad \\Big/ \\Big[{}\\Big]",
            break_sum(numerator, LATEX_LINE),
            break_sum(denominator, LATEX_LINE)
        ),
        None => break_sum(latex, LATEX_LINE),
    }
}

/// (A, B) when `latex` is exactly \\frac{A}{B}.
fn split_fraction(latex: &str) -> Option<(&str, &str)> {
    let rest = latex.strip_prefix("\\frac{")?;
    let group_end = |text: &str| -> Option<usize> {
        let mut depth = 1i32;
        for (i, c) in text.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    };
    let a = group_end(rest)?;
    let tail = rest[a + 1..].strip_prefix('{')?;
    let b = group_end(tail)?;
    (b + 1 == tail.len()).then(|| (&rest[..a], &tail[..b]))
}

/// Expressions longer than this (LaTeX characters) are printed broken over lines.
pub(super) const LATEX_LINE: usize = 280;

pub(super) fn latex_flux(name: &str) -> String {
    match name.trim_start_matches("J_").split_once('^') {
        Some((kind, lead)) => format!("J_{{{kind}}}^{{{lead}}}"),
        None => latex_escape(name),
    }
}

/// `qct derive --format latex`: a complete document (`standalone`) or a fragment.
pub fn latex(d: &Derivation, standalone: bool) -> String {
    let mut body = String::new();
    let w = &mut body;
    writeln!(
        w,
        "\\section*{{Model \\texttt{{{}}}: closed-form Onsager coefficients}}",
        latex_escape(&d.model)
    )
    .unwrap();
    writeln!(
        w,
        "Generated by \\texttt{{qct derive}} ({} representation, {} form). Energies as written in $H$ (empty dots at $0$); $\\beta = {}$.",
        d.representation,
        form_name(d),
        d.weights.first().map(|b| b.value.latex.clone()).unwrap_or_default()
    )
    .unwrap();
    writeln!(
        w,
        "\n\\subsection*{{1. Spectrum and transition energies}}\n\\begin{{align}}"
    )
    .unwrap();
    let mut lines: Vec<String> = d
        .eigenbasis
        .iter()
        .map(|q| format!("{} &= {}", q.latex_name, q.value.latex))
        .collect();
    lines.extend(d.states.iter().map(|s| {
        let occ: String = s.occupations.iter().map(|n| n.to_string()).collect();
        format!(
            "E_{{{}}} = E(|{}\\rangle) &= {}",
            s.label, occ, s.energy.latex
        )
    }));
    lines.extend(d.transitions.iter().map(|t| {
        format!(
            "\\omega_{{{}{}}}^{{{}}} &= {} && \\text{{(dot {}, rate }} {}\\text{{)}}",
            t.from,
            t.to,
            t.lead,
            t.omega.latex,
            latex_escape(&t.dot),
            if t.rate_latex.is_empty() {
                qct::symbolic::latex_name_of(&t.rate)
            } else {
                t.rate_latex.clone()
            }
        )
    }));
    writeln!(w, "{}\n\\end{{align}}", lines.join(" \\\\\n")).unwrap();
    writeln!(w, "\n\\subsection*{{2. Forces and fluxes}}").unwrap();
    writeln!(w, "$\\dot\\Sigma = -\\sum_\\lambda \\beta_\\lambda J_Q^\\lambda = \\sum_i \\mathcal{{F}}_i J_i$ with\n\\begin{{align}}").unwrap();
    let lines: Vec<String> = d
        .forces
        .iter()
        .zip(&d.fluxes)
        .map(|(f, j)| {
            format!(
                "{} &= {} && \\text{{conjugate to }} {}",
                f.latex_name,
                f.value.latex,
                latex_flux(j)
            )
        })
        .collect();
    writeln!(w, "{}\n\\end{{align}}", lines.join(" \\\\\n")).unwrap();
    if !d.dropped_forces.is_empty() {
        writeln!(
            w,
            "Dropped (identically zero because parameters are shared): {}.",
            d.dropped_forces
                .iter()
                .map(|f| format!("${}$", force_math(f)))
                .collect::<Vec<_>>()
                .join(", ")
        )
        .unwrap();
    }
    if d.form == qct::symbolic::Form::Compact {
        super::compact::latex_sections(d, w);
        return wrap_document(body, standalone);
    }
    writeln!(
        w,
        "\n\\subsection*{{3. Equilibrium weights}}\n\\begin{{align}}"
    )
    .unwrap();
    let lines: Vec<String> = d
        .weights
        .iter()
        .map(|def| format!("{} &= {}", def.latex_name, def.value.latex))
        .collect();
    writeln!(w, "{}\n\\end{{align}}", lines.join(" \\\\\n")).unwrap();
    writeln!(
        w,
        "\n\\subsection*{{4. Onsager coefficients}}\nKirchhoff/Schnakenberg form over {}, $L_{{ij}} = N_{{ij}}/(Z\\tau)$ with the spanning-tree polynomial\n\\begin{{align}}\n\\tau &= {}\n\\end{{align}}\n\\begin{{align}}",
        cycles_phrase(d.cycles),
        break_sum(&d.spanning_trees.latex, LATEX_LINE)
    )
    .unwrap();
    let mut lines = Vec::new();
    for (i, row) in d.l_structured.iter().enumerate() {
        for (j, e) in row.iter().enumerate() {
            if j >= i {
                let name = latex_coefficient(&d.fluxes[i], &d.forces[j].name);
                if e.latex.len() <= LATEX_LINE {
                    lines.push(format!("{name} &= {}", e.latex));
                } else {
                    lines.push(format!(
                        "{name} &= \\frac{{1}}{{Z\\tau}}\\Big[{}\\Big]",
                        break_sum(&d.numerators[i][j].latex, LATEX_LINE)
                    ));
                }
            }
        }
    }
    writeln!(w, "{}\n\\end{{align}}", lines.join(" \\\\\n")).unwrap();
    writeln!(w, "\n\\subsection*{{5. Reciprocity and determinant}}").unwrap();
    for r in &d.reciprocity {
        if r.i != r.j {
            writeln!(
                w,
                "${} - {} = 0$: {}.\\\\",
                latex_coefficient(&d.fluxes[r.i], &d.forces[r.j].name),
                latex_coefficient(&d.fluxes[r.j], &d.forces[r.i].name),
                if r.proved {
                    "proved symbolically (nodal route, expanded difference is 0)"
                } else {
                    "\\textbf{not proved}"
                }
            )
            .unwrap();
        }
    }
    writeln!(
        w,
        "\\begin{{align}}\n\\det L &= {}\n\\end{{align}}",
        d.determinant
            .as_ref()
            .map_or_else(|| format!("\\text{{{OMITTED}}}"), |e| long_latex(&e.latex))
    )
    .unwrap();
    writeln!(
        w,
        "Tight coupling ($\\det L \\equiv 0$): {}.",
        if d.tight_coupling { "yes" } else { "no" }
    )
    .unwrap();
    writeln!(w, "\n\\subsection*{{6. Sign conditions}}").unwrap();
    for c in &d.sign_conditions {
        writeln!(
            w,
            "\\paragraph{{}} \\begin{{align}}\n{}\n\\end{{align}}",
            c.latex
        )
        .unwrap();
        if !c.vanishes && c.necessary != c.negative_iff {
            let lines: Vec<String> = c
                .groups
                .iter()
                .enumerate()
                .map(|(k, g)| {
                    format!(
                        "P_{{{}}} &= {} > 0",
                        k + 1,
                        break_sum(&g.weight.latex, LATEX_LINE)
                    )
                })
                .collect();
            writeln!(
                w,
                "with\n\\begin{{align}}\n{}\n\\end{{align}}",
                lines.join(" \\\\\n")
            )
            .unwrap();
            writeln!(
                w,
                "Necessary: {}. Sufficient: {}.",
                latex_escape(&c.necessary),
                latex_escape(&c.sufficient)
            )
            .unwrap();
        }
    }
    wrap_document(body, standalone)
}

/// `F_E^u` as LaTeX math: `\mathcal{F}_{E}^{u}`.
pub(super) fn force_math(name: &str) -> String {
    match name.trim_start_matches("F_").split_once('^') {
        Some((kind, lead)) => format!("\\mathcal{{F}}_{{{kind}}}^{{{lead}}}"),
        None => latex_escape(name),
    }
}

/// The LaTeX body as a complete document, or as it is for a fragment.
fn wrap_document(body: String, standalone: bool) -> String {
    if !standalone {
        return body;
    }
    format!(
        "\\documentclass[10pt]{{article}}\n\\usepackage{{amsmath,amssymb}}\n\\setlength{{\\textwidth}}{{17cm}}\\setlength{{\\oddsidemargin}}{{-0.5cm}}\n\\allowdisplaybreaks\n\\begin{{document}}\n\\small\\setlength{{\\jot}}{{1pt}}\n{body}\\end{{document}}\n"
    )
}
