//! Renderers of a symbolic [`Derivation`]: JSON (stable keys), text and LaTeX.

pub use super::derivation_json::DeriveReport;
use qct::symbolic::{Derivation, latex_coefficient};
use std::fmt::Write;

/// Printed instead of a determinant too large to write out.
pub(super) const OMITTED: &str =
    "omitted (too large to print; tight coupling decided from the rank of the cycle affinities)";

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
    text_spectrum(d, w);
    text_forces(d, w);
    if d.form == qct::symbolic::Form::Compact {
        super::compact::text_sections(d, w);
        return out;
    }
    text_coefficients(d, w);
    text_reciprocity(d, w);
    text_signs(d, w);
    writeln!(
        w,
        "\nL written out in the model's parameters only: qct derive {} --format json \
         [--syntax sympy|mathematica]",
        d.model
    )
    .unwrap();
    out
}

/// Step 1: the spectrum and the transition energies.
fn text_spectrum(d: &Derivation, w: &mut String) {
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
}

/// Step 2: the forces conjugate to the fluxes, and the reference leads.
fn text_forces(d: &Derivation, w: &mut String) {
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
}

/// Steps 3 and 4: the equilibrium weights and L_ij = N_ij / (Z tau).
fn text_coefficients(d: &Derivation, w: &mut String) {
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
}

/// Step 5: reciprocity of each pair, the determinant and tight coupling.
fn text_reciprocity(d: &Derivation, w: &mut String) {
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
}

/// Step 6: the sign conditions of the cross coefficients.
fn text_signs(d: &Derivation, w: &mut String) {
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
    latex_spectrum(d, w);
    latex_forces(d, w);
    if d.form == qct::symbolic::Form::Compact {
        super::compact::latex_sections(d, w);
        return wrap_document(body, standalone);
    }
    latex_coefficients(d, w);
    latex_reciprocity(d, w);
    latex_signs(d, w);
    wrap_document(body, standalone)
}

/// Section 1: the spectrum and the transition energies.
fn latex_spectrum(d: &Derivation, w: &mut String) {
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
}

/// Section 2: the forces conjugate to the fluxes.
fn latex_forces(d: &Derivation, w: &mut String) {
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
}

/// Sections 3 and 4: the equilibrium weights and L_ij = N_ij/(Z tau).
fn latex_coefficients(d: &Derivation, w: &mut String) {
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
}

/// Section 5: reciprocity of each pair, the determinant and tight coupling.
fn latex_reciprocity(d: &Derivation, w: &mut String) {
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
}

/// Section 6: the sign conditions, with the cycle-group weights where needed.
fn latex_signs(d: &Derivation, w: &mut String) {
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
