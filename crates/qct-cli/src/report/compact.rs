//! Sections 3–7 of `qct derive` in the compact form (the default): the named quantities,
//! L in them with the proof of equality, reciprocity, the sign conditions in level form
//! and the no-ICC theorem — as text and as LaTeX a manuscript can take.

use super::derivation::{break_sum, latex_flux};
use qct::symbolic::{Derivation, latex_coefficient};
use std::fmt::Write;

/// Determinants longer than this (characters) are not printed in the compact report.
const SHORT: usize = 240;

/// Sign conditions longer than this (characters) are summarised (the JSON has them whole).
const LONG_CONDITION: usize = 600;

/// LaTeX lines of the compact report are broken at about this many source characters.
const WIDTH: usize = 200;

/// Text sections 3–7.
pub fn text_sections(d: &Derivation, w: &mut String) {
    let c = &d.compact;
    writeln!(
        w,
        "\n3. Named quantities (equilibrium: every lead at the reference T, each component at \
         its reference mu; each name uses only parameters and earlier names)"
    )
    .unwrap();
    for (p, v) in &d.equilibrium {
        writeln!(w, "  {p} -> {v}").unwrap();
    }
    let width = c
        .definitions
        .iter()
        .map(|x| x.name.len())
        .max()
        .unwrap_or(0);
    for def in &c.definitions {
        writeln!(
            w,
            "  {:width$} = {}   [{}]",
            def.name, def.value.symbolica, def.meaning
        )
        .unwrap();
    }
    writeln!(
        w,
        "\n4. Onsager coefficients in the named quantities ({} independent loop{} after the \
         reduction of the transition network)",
        c.loops,
        if c.loops == 1 { "" } else { "s" }
    )
    .unwrap();
    for step in &c.steps {
        writeln!(w, "  reduction: {step}").unwrap();
    }
    for (i, row) in c.l.iter().enumerate() {
        for (j, e) in row.iter().enumerate().skip(i) {
            writeln!(
                w,
                "  L[{}, {}] = {}",
                d.fluxes[i], d.forces[j].name, e.symbolica
            )
            .unwrap();
        }
    }
    let all = c.proved_equal.iter().flatten().all(|&b| b);
    writeln!(
        w,
        "  compact = expanded form, every entry: {} ({}); g_ij = (p_i + p_j) f_ij (1 - f_ij) = \
         h_ij/Z: {}",
        if all { "proved" } else { "NOT proved" },
        proof_text(&c.proof),
        if c.weights_proved {
            "proved"
        } else {
            "NOT proved"
        }
    )
    .unwrap();
    writeln!(w, "\n5. Reciprocity and determinant").unwrap();
    let reciprocal = d.reciprocity.iter().all(|r| r.proved && r.routes_agree);
    writeln!(
        w,
        "  L is a sum of terms c a a^T (c > 0): symmetric and positive semidefinite term by \
         term. Independently, the nodal route gives L_ij - L_ji = 0 and agrees with the cycle \
         route for every pair: {}",
        if reciprocal { "proved" } else { "NOT proved" }
    )
    .unwrap();
    if let Some(det) = d
        .determinant
        .as_ref()
        .filter(|e| e.symbolica.len() <= SHORT)
    {
        writeln!(w, "  det L = {}", det.symbolica).unwrap();
    }
    writeln!(
        w,
        "  tight coupling (det L = 0 identically): {}",
        if d.tight_coupling { "yes" } else { "no" }
    )
    .unwrap();
    writeln!(w, "\n6. Sign conditions of the cross coefficients").unwrap();
    for s in &d.sign_conditions {
        writeln!(w, "  {}:", s.coefficient).unwrap();
        if s.vanishes {
            writeln!(w, "    vanishes identically").unwrap();
            continue;
        }
        if s.level.is_empty() && s.negative_iff.len() > LONG_CONDITION {
            writeln!(
                w,
                "    negative iff sum_g s_g P_g < 0 over {} cycle groups with weights P_g > 0 \
                 (listed with --format json, key sign_conditions)",
                s.groups.len()
            )
            .unwrap();
            continue;
        }
        if s.level.is_empty() {
            writeln!(w, "    negative iff: {}", s.negative_iff).unwrap();
        } else {
            let sum: Vec<String> = s
                .level
                .iter()
                .map(|t| format!("{}*W_{}", t.energy, pair(&t.energy)))
                .collect();
            writeln!(w, "    L = {}, every W > 0 (proved):", sum.join(" + ")).unwrap();
            for t in &s.level {
                writeln!(
                    w,
                    "      {} = {} = {};  W_{} = {}",
                    t.energy,
                    t.transition,
                    t.value.symbolica,
                    pair(&t.energy),
                    t.weight.symbolica
                )
                .unwrap();
            }
        }
        if s.necessary != s.negative_iff {
            writeln!(w, "    necessary:  {}", s.necessary).unwrap();
            writeln!(w, "    sufficient: {}", s.sufficient).unwrap();
        }
    }
    if let Some(t) = &d.icc_theorem {
        writeln!(
            w,
            "\n7. No inverse current at any force (not only near equilibrium)\n  no flux opposes \
             both forces if: {}",
            t.condition.replace("&&", "and")
        )
        .unwrap();
        for line in &t.proof {
            writeln!(w, "  {line}").unwrap();
        }
    }
    writeln!(
        w,
        "\nExpanded forms: qct derive {} --form boltzmann|fermi; everything as data: --format json",
        d.model
    )
    .unwrap();
}

/// `w_CD` → `CD`.
fn pair(energy: &str) -> &str {
    energy.trim_start_matches("w_")
}

fn proof_text(proof: &str) -> &'static str {
    if proof == "entrywise" {
        "entrywise: definitions substituted, the difference normalises to 0"
    } else {
        "stepwise: every parallel, series and star-mesh identity the reduction applied is \
         proved for general conductances and EMFs"
    }
}

/// Remove `+\frac{-x}{y}` (written `-\frac{x}{y}`) and `+-`.
fn tidy(latex: &str) -> String {
    let mut out = latex.replace("+-", "-");
    while let Some(at) = out.find("+\\frac{-") {
        // Only a single-term numerator can lose its sign.
        let numerator_start = at + "+\\frac{-".len();
        let mut depth = 1;
        let mut end = None;
        let mut single = true;
        for (k, ch) in out[numerator_start..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(k);
                        break;
                    }
                }
                '+' | '-' if depth == 1 => single = false,
                _ => {}
            }
        }
        if end.is_none() || !single {
            break;
        }
        out.replace_range(at..numerator_start, "-\\frac{");
    }
    out
}

/// Long sums of fractions set with text-style fractions (\\tfrac), a third of the height.
fn text_fractions(latex: &str) -> String {
    if latex.len() > WIDTH {
        latex.replace("\\frac{", "\\tfrac{")
    } else {
        latex.to_string()
    }
}

/// An `align` block with one equation number (on its last line).
fn block(lines: &[String]) -> String {
    let n = lines.len();
    let body: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            if k + 1 < n {
                format!("{l} \\notag")
            } else {
                l.clone()
            }
        })
        .collect();
    format!(
        "\\begin{{align}}\n{}\n\\end{{align}}\n",
        body.join(" \\\\\n")
    )
}

/// LaTeX sections 3–7.
pub fn latex_sections(d: &Derivation, w: &mut String) {
    let c = &d.compact;
    writeln!(
        w,
        "\n\\subsection*{{3. Named quantities}}\nAt equilibrium every lead has the reference \
         temperature and each component the chemical potential of its reference lead. \
         $\\omega_{{ij}}$: transition energies; $f_{{ij}}$: Fermi functions of the reference \
         lead; $g_{{ij}} = (p_i + p_j) f_{{ij}}(1 - f_{{ij}}) = p_i f_{{ij}}$: thermal weight of a \
         pair of states; $G_{{ij}}$: its conductance (bare rate $\\times g_{{ij}}$); \
         $\\phi^{{\\lambda}}_{{ij}}$: the fraction carried by lead $\\lambda$; $c_{{ij}}$: \
         conductance of the loop from one lead to another through the pair; $K_k$: series \
         conductance of loop $k$; $a^{{(k)}}$: what loop $k$ transports per turn."
    )
    .unwrap();
    let lines: Vec<String> = c
        .definitions
        .iter()
        .map(|def| {
            format!(
                "{} &= {}",
                def.latex_name,
                break_sum(&text_fractions(&tidy(&def.value.latex)), WIDTH)
            )
        })
        .collect();
    w.push_str(&block(&lines));
    writeln!(
        w,
        "\n\\subsection*{{4. Onsager coefficients}}\nThe transition network reduced by parallel, \
         series and star--mesh steps ({} independent loop{}); every coefficient is a sum of \
         terms $c\\,a_i a_j$ with $c > 0$.",
        c.loops,
        if c.loops == 1 { "" } else { "s" }
    )
    .unwrap();
    let mut lines = Vec::new();
    for (i, row) in c.l.iter().enumerate() {
        for (j, e) in row.iter().enumerate().skip(i) {
            lines.push(format!(
                "{} &= {}",
                latex_coefficient(&d.fluxes[i], &d.forces[j].name),
                break_sum(&tidy(&e.latex), WIDTH)
            ));
        }
    }
    w.push_str(&block(&lines));
    let all = c.proved_equal.iter().flatten().all(|&b| b);
    writeln!(
        w,
        "Each entry equals the expanded (Kirchhoff) form: {} ({}).",
        if all {
            "proved symbolically"
        } else {
            "\\textbf{not proved}"
        },
        if c.proof == "entrywise" {
            "definitions substituted, the difference normalises to $0$"
        } else {
            "every parallel, series and star--mesh identity applied is proved for general \
             conductances and EMFs"
        }
    )
    .unwrap();
    writeln!(w, "\n\\subsection*{{5. Reciprocity and determinant}}").unwrap();
    let reciprocal = d.reciprocity.iter().all(|r| r.proved && r.routes_agree);
    writeln!(
        w,
        "$L$ is symmetric and positive semidefinite term by term. Independently, the nodal \
         route gives $L_{{ij}} - L_{{ji}} = 0$ for every pair: {}. Tight coupling \
         ($\\det L \\equiv 0$): {}.",
        if reciprocal {
            "proved"
        } else {
            "\\textbf{not proved}"
        },
        if d.tight_coupling { "yes" } else { "no" }
    )
    .unwrap();
    if let Some(det) = d.determinant.as_ref().filter(|e| e.latex.len() <= SHORT) {
        w.push_str(&block(&[format!("\\det L &= {}", tidy(&det.latex))]));
    }
    writeln!(w, "\n\\subsection*{{6. Sign conditions}}").unwrap();
    for s in &d.sign_conditions {
        let name = latex_coefficient(&d.fluxes[s.i], &d.forces[s.j].name);
        if s.vanishes {
            w.push_str(&block(&[format!("{name} &\\equiv 0")]));
            continue;
        }
        if s.level.is_empty() && s.latex.len() > LONG_CONDITION {
            writeln!(
                w,
                "${name} < 0$ if and only if $\\sum_g s_g P_g < 0$ over its {} cycle groups, with \
                 affinity products $s_g$ and weights $P_g > 0$ (listed in the JSON output).",
                s.groups.len()
            )
            .unwrap();
            continue;
        }
        if s.level.is_empty() {
            w.push_str(&block(&[tidy(&s.latex).replacen(
                " < 0 \\iff",
                " < 0 &\\iff",
                1,
            )]));
            continue;
        }
        let sum: Vec<String> = s
            .level
            .iter()
            .map(|t| format!("\\omega_{{{p}}} W_{{{p}}}", p = pair(&t.energy)))
            .collect();
        let mut lines = vec![format!("{name} &= {}", sum.join(" + "))];
        for t in &s.level {
            lines.push(format!(
                "W_{{{}}} &= {} > 0, \\quad \\omega_{{{}}} = {}",
                pair(&t.energy),
                tidy(&t.weight.latex),
                pair(&t.energy),
                tidy(&t.value.latex)
            ));
        }
        w.push_str(&block(&lines));
        let energies: Vec<String> = s
            .level
            .iter()
            .map(|t| format!("$\\omega_{{{}}}$", pair(&t.energy)))
            .collect();
        writeln!(
            w,
            "Every $W > 0$ (proved). Hence ${name} < 0$ requires one of {} to be negative \
             (necessary), and holds when all are $\\le 0$, not all $0$ (sufficient).",
            energies.join(", ")
        )
        .unwrap();
    }
    if let Some(t) = &d.icc_theorem {
        let (n, e) = (latex_flux(&d.fluxes[0]), latex_flux(&d.fluxes[1]));
        writeln!(
            w,
            "\n\\subsection*{{7. No inverse current at any force}}\n\\textbf{{Theorem.}} Let \
             $N = {n}$ and $E = {e}$ with their forces $\\mathcal{{F}}_N$, $\\mathcal{{F}}_E$. If"
        )
        .unwrap();
        w.push_str(&block(&[format!("& {}", t.latex_condition)]));
        writeln!(
            w,
            "then for forces of one sign neither flux opposes both, at any distance from \
             equilibrium.\n\n\\textbf{{Proof.}} Around a cycle $C$ of the transition network \
             ({} cycles here) the logarithms of forward over backward rates add up to the \
             affinity $A_C = d_N(C)\\,\\mathcal{{F}}_N + d_E(C)\\,\\mathcal{{F}}_E$, exactly \
             (energy and particle numbers return around $C$). Hill's cycle decomposition \
             writes each flux as $J = \\sum_C d(C)\\,(J_C^+ - J_C^-)$ with $J_C^\\pm \\ge 0$ and \
             $J_C^+/J_C^- = e^{{A_C}}$, so each cycle current has the sign of $A_C$. If \
             $d_N(C)\\,d_E(C) \\ge 0$ for all $C$, every term of $J_N$ and of $J_E$ has the \
             sign of the forces or vanishes. The products $d_N(C)\\,d_E(C)$ of this network, up \
             to positive factors, are those in the condition above. $\\square$",
            t.cycles.len()
        )
        .unwrap();
    }
}
