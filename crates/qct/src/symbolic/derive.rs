//! The derivation itself; runs on the engine thread only.

use super::kirchhoff::{
    CycleForm, cycle_form, determinant, nodal_form, rank, reciprocity_proofs, reduced_laplacian,
};
use super::print::{latex_name, render};
use super::signs::{SignInputs, sign_conditions};
use super::{Definition, Derivation, Expression, Form, StateEnergy, TransitionEnergy};
use crate::error::{Error, Result};
use crate::model::{Model, ParamId};
use crate::network::{Cycle, simple_cycles};
use crate::spectrum::occupations;
use crate::thermo::ForceBasis;
use std::collections::HashMap;
use symbolica::prelude::*;

/// Names qct's derivation uses for its own symbols; model parameters may not use them.
fn reserved(name: &str, n_states: usize) -> bool {
    const FIXED: [&str; 12] = [
        "beta", "Z", "exp", "log", "sin", "cos", "tan", "sqrt", "pi", "E", "I", "tau",
    ];
    if FIXED.contains(&name) || name.starts_with("qct") {
        return true;
    }
    let labels: Vec<String> = (0..n_states).map(Model::state_label).collect();
    name.strip_prefix("x_")
        .is_some_and(|l| labels.iter().any(|s| s == l))
        || name.strip_prefix("h_").is_some_and(|l| l.len() >= 2)
        || ["r_", "cos2_", "sin2_"].iter().any(|p| {
            name.strip_prefix(p)
                .is_some_and(|l| l.len() == 2 && l.chars().all(|c| c.is_ascii_uppercase()))
        })
}

pub(super) fn var(name: &str) -> Atom {
    parse!(name)
}

/// Refuse leads whose temperature or chemical potential is an expression: the equilibrium
/// of the closed forms replaces these parameters by the reference lead's (README,
/// "Parameters as expressions"). Derived levels, interactions and rates are fine: they enter
/// as atoms of the free parameters, parsed from their canonical text.
/// Closed forms with spin forces are not yet derived: refuse a model with a spin bias.
pub(super) fn no_spin_bias(model: &Model) -> Result<()> {
    match model.leads.iter().find(|l| l.spin_bias.is_some()) {
        Some(lead) => Err(Error::Symbolic(format!(
            "lead {} has a spin bias: closed forms with spin forces F_S are not yet supported \
             (the numeric Onsager matrix includes them: qct onsager)",
            lead.name
        ))),
        None => Ok(()),
    }
}

pub(super) fn plain_leads(model: &Model) -> Result<()> {
    no_spin_bias(model)?;
    for lead in &model.leads {
        for id in [lead.temperature, lead.chemical_potential] {
            if let Some(d) = model.derived_of(id) {
                return Err(Error::Symbolic(format!(
                    "lead {}: '{}' is an expression; closed forms need each lead's temperature                      and chemical potential as a parameter (the numeric commands accept it)",
                    lead.name, d.text
                )));
            }
        }
    }
    Ok(())
}

pub(super) fn int(c: i64) -> Atom {
    Atom::num(c)
}

pub(super) fn exp(a: Atom) -> Atom {
    function!(symbol!("exp"), a)
}

/// The value of an expression without symbols, if it is one.
pub(super) fn number(a: &Atom) -> Option<f64> {
    a.evaluate(&HashMap::<Atom, f64>::new()).ok()
}

/// Expressions up to this printed size get the costly simplifications (cancel, factor,
/// determinant); larger ones are kept expanded, which is exact but not compact.
const SIMPLIFY_LIMIT: usize = 6_000;

/// Structured expressions up to this printed size are also written out in the model's
/// parameters only (each h_ij, x_k, Z, β replaced by its definition).
const EXPLICIT_LIMIT: usize = 20_000;

pub(super) fn small(a: &Atom) -> bool {
    format!("{a}").len() <= SIMPLIFY_LIMIT
}

pub(super) fn is_zero(a: &Atom) -> bool {
    a.expand().is_zero()
}

pub(super) fn derive(model: &Model, basis: &ForceBasis, form: Form) -> Result<Derivation> {
    let start = std::time::Instant::now();
    let timing = std::env::var_os("QCT_TIMING").is_some();
    let stage = |name: &str| {
        if timing {
            eprintln!(
                "[qct derive] {name}: {:.3} s",
                start.elapsed().as_secs_f64()
            );
        }
    };
    plain_leads(model)?;
    let spectrum = super::spectrum::spectrum(model)?;
    let n = model.n_states();
    for p in &model.parameters {
        if reserved(&p.name, n) {
            return Err(Error::Symbolic(format!(
                "parameter name '{}' is reserved by the derivation (beta, Z, x_<state>, \
                 h_<pair>, r_/cos2_/sin2_<pair>, function names); rename it in the model",
                p.name
            )));
        }
    }
    if n > 16 {
        return Err(Error::Symbolic(format!(
            "{n} states: the closed-form derivation handles at most 4 dots (16 states)"
        )));
    }
    let transitions = &spectrum.transitions;
    let labels: Vec<String> = (0..n).map(Model::state_label).collect();
    let param = |id: ParamId| var(model.param_name(id));

    // ① → ② Spectrum and transition energies, from H (its eigenbasis with tunnelling).
    let energies: Vec<Atom> = spectrum.energies.clone();
    let omega: Vec<Atom> = transitions
        .iter()
        .map(|t| (&energies[t.to] - &energies[t.from]).expand())
        .collect();

    // ⑥ Forces, and the increment d_j(t) of each flux per transition.
    let rho = basis.references.energy;
    let temperature = |l: usize| param(model.leads[l].temperature);
    let potential = |l: usize| param(model.leads[l].chemical_potential);
    let beta_of = |l: usize| int(1) / temperature(l);
    let forces: Vec<Definition> = basis
        .forces
        .iter()
        .map(|f| {
            // No spin bias here (plain_leads): ν_λ = 0.
            let value = basis.force_of(f, beta_of, potential, |_| int(0));
            let name = basis.force_name(f);
            Definition {
                latex_name: force_latex(&name),
                name,
                value: render(&value),
            }
        })
        .collect();
    let m = basis.len();
    // d_j(t), what transition t adds to flux j, for a transition energy `w` (its value, or
    // the named ω of the compact form).
    let transport = |j: usize, t: usize, w: &Atom| -> Atom {
        basis
            .transported(
                &basis.forces[j],
                transitions[t].lead,
                w.clone(),
                transitions[t].spin,
                potential,
            )
            .expand()
    };
    let increment = |j: usize, t: usize| -> Atom { transport(j, t, &omega[t]) };

    // ③ Equilibrium conductances (times Z): k_t = γ_t h_ij.
    let pair_name = |t: usize| {
        let tr = transitions[t];
        format!("h_{}{}", labels[tr.from], labels[tr.to])
    };
    let k: Vec<Atom> = transitions
        .iter()
        .enumerate()
        .map(|(t, _)| spectrum.rate(model, t) * var(&pair_name(t)))
        .collect();
    let edges: Vec<(usize, usize)> = transitions.iter().map(|t| (t.from, t.to)).collect();
    let weighted: Vec<(usize, usize, Atom)> = edges
        .iter()
        .zip(&k)
        .map(|(&(a, b), w)| (a, b, w.clone()))
        .collect();

    // ⑦ Kirchhoff: τ and the cycle weights W_C.
    let laplacian = reduced_laplacian(n, &weighted);
    let tau = determinant(&laplacian);
    stage("spanning trees");
    let cycles: Vec<Cycle> = simple_cycles(n, &edges)?;
    stage(&format!("{} cycles enumerated", cycles.len()));
    let CycleForm {
        numerator,
        affinities,
        groups,
    } = cycle_form(n, m, &cycles, &weighted, &k, &increment);

    stage("cycle weights");
    let nodal = nodal_form(n, m, transitions, &k, &laplacian, &tau, &increment);
    stage("nodal route");
    let reciprocity = reciprocity_proofs(m, &nodal, &numerator);

    stage("reciprocity proof");
    let tau_rates = tau.clone();
    let z = var("Z");
    let denominator = &z * &tau_rates;
    let numerator_rates: Vec<Vec<Atom>> = numerator.iter().map(|row| row.to_vec()).collect();
    let l_structured: Vec<Vec<Atom>> = numerator_rates
        .iter()
        .map(|row| {
            row.iter()
                .map(|nij| {
                    if small(nij) && small(&denominator) {
                        (nij / &denominator).cancel()
                    } else {
                        nij / &denominator
                    }
                })
                .collect()
        })
        .collect();

    stage("structured form");
    // Equilibrium weights and the explicit forms.
    let beta = var("beta");
    let components = &basis.components;
    let mu_c: Vec<Atom> = basis
        .references
        .particles
        .iter()
        .map(|&l| potential(l))
        .collect();
    let exponent = |state: usize| -> Atom {
        let mut e = &energies[state] - &energies[0];
        for (c, comp) in components.iter().enumerate() {
            let electrons = comp.dots.iter().filter(|&&d| (state >> d) & 1 == 1).count() as i64;
            e -= int(electrons) * &mu_c[c];
        }
        e.expand()
    };
    let x: Vec<Atom> = (0..n)
        .map(|s| {
            if s == 0 {
                int(1)
            } else {
                var(&format!("x_{}", labels[s]))
            }
        })
        .collect();
    let x_value: Vec<Atom> = (0..n).map(|s| exp(-(&beta * exponent(s)))).collect();
    let partition: Atom = x.iter().fold(int(0), |acc, xi| acc + xi);
    let mut pairs: Vec<(usize, usize)> = transitions.iter().map(|t| (t.from, t.to)).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mu_of_pair = |a: usize, b: usize| -> Atom {
        let dot = (a ^ b).trailing_zeros() as usize;
        let c = components
            .iter()
            .position(|comp| comp.dots.contains(&dot))
            .expect("every dot is in a component");
        mu_c[c].clone()
    };
    let fermi = |a: usize, b: usize| -> Atom {
        let w = (&energies[b] - &energies[a]).expand();
        int(1) / (int(1) + exp(&beta * (w - mu_of_pair(a, b))))
    };
    let h_value = |a: usize, b: usize| -> Atom {
        match form {
            Form::Boltzmann | Form::Compact => &x[a] * &x[b] / (&x[a] + &x[b]),
            Form::Fermi => &x[a] * fermi(a, b),
        }
    };
    let beta_value = int(1) / temperature(rho);
    // The written-out form: the structured expression with h_ij, then x_k and Z, then β
    // replaced textually by their definitions (in parentheses) in each notation. `qct
    // check` parses the Symbolica string back and evaluates it.
    let mut definitions: Vec<(String, Expression)> = Vec::new();
    for &(i, j) in &pairs {
        definitions.push((
            format!("h_{}{}", labels[i], labels[j]),
            render(&h_value(i, j)),
        ));
    }
    let level2 = vec![("Z".to_string(), render(&partition))];
    let level3: Vec<(String, Expression)> = (1..n)
        .map(|s| (format!("x_{}", labels[s]), render(&x_value[s])))
        .collect();
    let level4 = vec![("beta".to_string(), render(&beta_value))];
    // With tunnelling: the mixing weights, then the roots r of the eigenbasis.
    let (roots, mixing): (Vec<_>, Vec<_>) = spectrum
        .quantities
        .iter()
        .map(|(d, _)| (d.name.clone(), d.value.clone()))
        .partition(|(name, _)| name.starts_with("r_"));
    let explicit = |a: &Expression| -> Expression {
        let mut out = a.clone();
        for level in [&definitions, &level2, &level3, &level4, &mixing, &roots] {
            out = substitute(&out, level);
        }
        out
    };
    let structured_rendered: Vec<Vec<Expression>> = l_structured
        .iter()
        .map(|row| row.iter().map(render).collect())
        .collect();
    // Written out in the parameters only while that stays printable; larger models keep
    // the structured form, evaluated together with the definitions of h, x, Z and β.
    let self_contained = structured_rendered
        .iter()
        .flatten()
        .all(|e| e.symbolica.len() <= EXPLICIT_LIMIT);
    let l_explicit: Vec<Vec<Expression>> = if self_contained {
        structured_rendered
            .iter()
            .map(|row| row.iter().map(&explicit).collect())
            .collect()
    } else {
        structured_rendered.clone()
    };

    let mut weights: Vec<Definition> = spectrum
        .quantities
        .iter()
        .map(|(d, _)| Definition {
            name: d.name.clone(),
            latex_name: d.latex_name.clone(),
            value: d.value.clone(),
        })
        .collect();
    weights.push(Definition {
        name: "beta".into(),
        latex_name: r"\beta".into(),
        value: render(&beta_value),
    });
    for s in 1..n {
        weights.push(Definition {
            name: format!("x_{}", labels[s]),
            latex_name: latex_name(&format!("x_{}", labels[s])),
            value: render(&x_value[s]),
        });
    }
    weights.push(Definition {
        name: "Z".into(),
        latex_name: "Z".into(),
        value: render(&partition),
    });
    for &(i, j) in &pairs {
        let name = format!("h_{}{}", labels[i], labels[j]);
        weights.push(Definition {
            latex_name: latex_name(&name),
            name,
            value: render(&h_value(i, j)),
        });
    }

    stage("explicit form");
    let flux_tags: Vec<String> = basis
        .forces
        .iter()
        .map(|f| {
            let name = basis.flux_name(f);
            name.trim_start_matches("J_")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect()
        })
        .collect();
    let expanded: Vec<Vec<Atom>> = numerator_rates
        .iter()
        .map(|row| row.iter().map(|nij| nij / &denominator).collect())
        .collect();
    // Entrywise proofs and the level form normalise the structured form; with tunnelling
    // (up to 4 states) the written-out form exceeds EXPLICIT_LIMIT but the structured one
    // stays small.
    let entrywise = self_contained || (!spectrum.diagonal() && n <= 4);
    let rates: Vec<Atom> = (0..transitions.len())
        .map(|t| spectrum.rate(model, t))
        .collect();
    let (compact, internals) = super::compact::compact(
        &super::compact::Inputs {
            model,
            labels: &labels,
            transitions,
            rates: &rates,
            spectrum: &spectrum.quantities,
            omega: &omega,
            exponents: &(0..n).map(exponent).collect::<Vec<Atom>>(),
            beta_value: beta_value.clone(),
            mu_of_pair: &mu_of_pair,
            transport: &transport,
            flux_tags,
            expanded: &expanded,
        },
        entrywise,
    );
    stage("compact form");
    if let Some(clash) = compact
        .definitions
        .iter()
        .find(|c| model.param(&c.name).is_some())
    {
        return Err(Error::Symbolic(format!(
            "parameter name '{}' is also a name of the compact form (transition energies \
             w_<states>, Fermi functions f_<states>, conductances G_/K_, …); rename it in the \
             model",
            clash.name
        )));
    }
    let named_energies: Vec<(String, String, Atom)> = pairs
        .iter()
        .map(|&(i, j)| {
            let t = transitions
                .iter()
                .position(|tr| tr.from == i && tr.to == j)
                .expect("a transition of the pair");
            (
                format!("w_{}{}", labels[i], labels[j]),
                format!("omega({}->{})", labels[i], labels[j]),
                omega[t].clone(),
            )
        })
        .collect();
    // Determinant and tight coupling.
    // Cauchy–Binet: det(Σ_C W_C d_C d_Cᵀ) = Σ_S Π_{C∈S} W_C det(d_S)², so det L ≡ 0 iff the
    // cycle affinity vectors d(C) span fewer than m dimensions.
    let tight_coupling = rank(&affinities, m) < m;
    let determinant_structured = if tight_coupling {
        Some(int(0))
    } else if m <= 4 && numerator_rates.iter().flatten().all(small) {
        let det_numerator = determinant(&numerator_rates);
        Some((det_numerator / denominator.clone().pow(int(m as i64))).cancel())
    } else {
        None
    };

    stage("determinant");
    let flux_names: Vec<String> = basis.forces.iter().map(|f| basis.flux_name(f)).collect();
    let sign_conditions = sign_conditions(&SignInputs {
        model,
        basis,
        labels: &labels,
        pairs: &pairs,
        transitions,
        omega: &omega,
        flux_names: &flux_names,
        numerators: &numerator_rates,
        groups: &groups,
        denominator: &denominator,
        level_form: entrywise.then_some((&internals, named_energies.as_slice())),
        positive_quantities: spectrum.positive_names().map(str::to_string).collect(),
    });

    stage("sign conditions");
    let icc_theorem = (m == 2).then(|| {
        let list: Vec<(Vec<String>, Vec<Atom>)> = cycles
            .iter()
            .zip(&affinities)
            .map(|(c, d)| {
                (
                    c.states.iter().map(|&s| labels[s].clone()).collect(),
                    d.clone(),
                )
            })
            .collect();
        super::theorems::icc_theorem(&flux_names, &list)
    });
    let states = (0..n)
        .map(|s| StateEnergy {
            label: labels[s].clone(),
            occupations: occupations(model, s),
            energy: render(&energies[s]),
            composition: spectrum.compositions[s].clone(),
        })
        .collect();
    let transitions_out = transitions
        .iter()
        .enumerate()
        .map(|(t, tr)| TransitionEnergy {
            from: labels[tr.from].clone(),
            to: labels[tr.to].clone(),
            lead: model.leads[tr.lead].name.clone(),
            dot: model.dots[tr.dot].name.clone(),
            rate: if spectrum.diagonal() {
                model.param_name(tr.rate).to_string()
            } else {
                render(&rates[t]).symbolica
            },
            rate_latex: if spectrum.diagonal() {
                String::new()
            } else {
                render(&rates[t]).latex
            },
            omega: render(&omega[t]),
        })
        .collect();
    let mut equilibrium = Vec::new();
    for (l, lead) in model.leads.iter().enumerate() {
        let t = model.param_name(lead.temperature).to_string();
        let t_rho = model.param_name(model.leads[rho].temperature).to_string();
        if t != t_rho && !equilibrium.iter().any(|(a, _): &(String, String)| *a == t) {
            equilibrium.push((t, t_rho));
        }
        let mu = model.param_name(lead.chemical_potential).to_string();
        let mu_ref = model
            .param_name(model.leads[basis.particle_reference(l)].chemical_potential)
            .to_string();
        if mu != mu_ref && !equilibrium.iter().any(|(a, _)| *a == mu) {
            equilibrium.push((mu, mu_ref));
        }
    }
    let references = std::iter::once(("energy".to_string(), model.leads[rho].name.clone()))
        .chain(
            components
                .iter()
                .zip(&basis.references.particles)
                .map(|(c, &l)| (model.component_name(c), model.leads[l].name.clone())),
        )
        .collect();
    Ok(Derivation {
        model: model.name.clone(),
        representation: basis.representation.name().to_string(),
        form,
        beta: format!("1/{}", model.param_name(model.leads[rho].temperature)),
        references,
        parameters: model.parameters.iter().map(|p| p.name.clone()).collect(),
        eigenbasis: spectrum.quantities.iter().map(|(d, _)| d.clone()).collect(),
        states,
        transitions: transitions_out,
        forces,
        fluxes: flux_names,
        dropped_forces: basis.dropped.iter().map(|f| basis.force_name(f)).collect(),
        equilibrium,
        weights,
        spanning_trees: render(&tau_rates),
        numerators: numerator_rates
            .iter()
            .map(|row| row.iter().map(render).collect())
            .collect(),
        cycles: cycles.len(),
        l_structured: structured_rendered,
        self_contained,
        l: l_explicit,
        reciprocity,
        determinant: determinant_structured.as_ref().map(render),
        tight_coupling,
        sign_conditions,
        compact,
        icc_theorem,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Replace identifiers by parenthesised definitions, notation by notation.
fn substitute(e: &Expression, definitions: &[(String, Expression)]) -> Expression {
    use super::print::{map_identifiers, mathematica_name};
    let find = |name: &str, pick: &dyn Fn(&Expression) -> String, mathematica: bool| {
        definitions
            .iter()
            .find(|(n, _)| {
                if mathematica {
                    mathematica_name(n) == name
                } else {
                    n == name
                }
            })
            .map(|(_, d)| format!("({})", pick(d)))
    };
    Expression {
        symbolica: map_identifiers(&e.symbolica, |t| find(t, &|d| d.symbolica.clone(), false)),
        sympy: map_identifiers(&e.sympy, |t| find(t, &|d| d.sympy.clone(), false)),
        mathematica: map_identifiers(&e.mathematica, |t| {
            find(t, &|d| d.mathematica.clone(), true)
        }),
        latex: e.latex.clone(),
    }
}

fn force_latex(name: &str) -> String {
    // F_N^l → \mathcal{F}_{N}^{l}
    match name.split_once('^') {
        Some((base, lead)) => format!(
            r"\mathcal{{F}}_{{{}}}^{{{}}}",
            base.trim_start_matches("F_"),
            lead
        ),
        None => name.to_string(),
    }
}
