//! The derivation itself; runs on the engine thread only.

use super::print::{identifiers, latex_coefficient, latex_name, render};
use super::{
    CycleGroup, Definition, Derivation, Expression, Form, Reciprocity, SignCondition, StateEnergy,
    TransitionEnergy,
};
use crate::error::{Error, Result};
use crate::model::{Model, ParamId, Role};
use crate::network::{Cycle, contract, simple_cycles};
use crate::rates::{Device, Transition};
use crate::spectrum::{energy_terms, occupations};
use crate::thermo::{ForceBasis, Representation};
use std::collections::{BTreeMap, HashMap};
use symbolica::prelude::*;

/// Names qct's derivation uses for its own symbols; model parameters may not use them.
fn reserved(name: &str, n_states: usize) -> bool {
    const FIXED: [&str; 12] = [
        "beta", "Z", "exp", "log", "sin", "cos", "tan", "sqrt", "pi", "E", "I", "tau",
    ];
    if FIXED.contains(&name) || name.starts_with("qctk_") {
        return true;
    }
    let labels: Vec<String> = (0..n_states).map(Model::state_label).collect();
    name.strip_prefix("x_")
        .is_some_and(|l| labels.iter().any(|s| s == l))
        || name.strip_prefix("h_").is_some_and(|l| l.len() >= 2)
}

fn var(name: &str) -> Atom {
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

fn int(c: i64) -> Atom {
    Atom::num(c)
}

pub(super) fn exp(a: Atom) -> Atom {
    function!(symbol!("exp"), a)
}

/// The value of an expression without symbols, if it is one.
fn number(a: &Atom) -> Option<f64> {
    a.evaluate(&HashMap::<Atom, f64>::new()).ok()
}

/// Σ c_p · p for integer coefficients.
fn linear(model: &Model, terms: &[(ParamId, f64)]) -> Atom {
    let mut sum = int(0);
    for &(p, c) in terms {
        sum += int(c as i64) * var(model.param_name(p));
    }
    sum
}

/// Determinant of a square matrix of polynomials by Laplace expansion with memoisation over
/// column subsets (division-free, O(n 2ⁿ) products), expanded.
fn determinant(matrix: &[Vec<Atom>]) -> Atom {
    let n = matrix.len();
    if n == 0 {
        return int(1);
    }
    let mut memo: HashMap<u32, Atom> = HashMap::new();
    fn rec(matrix: &[Vec<Atom>], columns: u32, memo: &mut HashMap<u32, Atom>) -> Atom {
        let n = matrix.len();
        let row = n - columns.count_ones() as usize;
        if row == n {
            return int(1);
        }
        if let Some(a) = memo.get(&columns) {
            return a.clone();
        }
        let mut sum = int(0);
        let mut sign = 1;
        for c in 0..n {
            if columns & (1 << c) == 0 {
                continue;
            }
            let entry = &matrix[row][c];
            if !entry.is_zero() {
                let minor = rec(matrix, columns & !(1 << c), memo);
                if !minor.is_zero() {
                    sum += int(sign) * entry * &minor;
                }
            }
            sign = -sign;
        }
        let sum = sum.expand();
        memo.insert(columns, sum.clone());
        sum
    }
    rec(matrix, (1u32 << n) - 1, &mut memo)
}

/// Weighted Laplacian of the multigraph on `nodes` nodes with edges (a, b, weight), node 0
/// removed (grounded).
fn reduced_laplacian(nodes: usize, edges: &[(usize, usize, Atom)]) -> Vec<Vec<Atom>> {
    let mut l = vec![vec![int(0); nodes.saturating_sub(1)]; nodes.saturating_sub(1)];
    for (a, b, w) in edges {
        if a == b {
            continue;
        }
        for (x, y) in [(*a, *b), (*b, *a)] {
            if x > 0 {
                l[x - 1][x - 1] = &l[x - 1][x - 1] + w;
                if y > 0 {
                    l[x - 1][y - 1] = &l[x - 1][y - 1] - w;
                }
            }
        }
    }
    l
}

/// Adjugate (transposed cofactor matrix) of a square polynomial matrix.
fn adjugate(matrix: &[Vec<Atom>]) -> Vec<Vec<Atom>> {
    let n = matrix.len();
    let mut adj = vec![vec![int(0); n]; n];
    for r in 0..n {
        for c in 0..n {
            let minor: Vec<Vec<Atom>> = (0..n)
                .filter(|&i| i != r)
                .map(|i| {
                    (0..n)
                        .filter(|&j| j != c)
                        .map(|j| matrix[i][j].clone())
                        .collect()
                })
                .collect();
            let sign = if (r + c) % 2 == 0 { 1 } else { -1 };
            adj[c][r] = (int(sign) * determinant(&minor)).expand();
        }
    }
    adj
}

/// Expressions up to this printed size get the costly simplifications (cancel, factor,
/// determinant); larger ones are kept expanded, which is exact but not compact.
const SIMPLIFY_LIMIT: usize = 6_000;

/// Structured expressions up to this printed size are also written out in the model's
/// parameters only (each h_ij, x_k, Z, β replaced by its definition).
const EXPLICIT_LIMIT: usize = 20_000;

fn small(a: &Atom) -> bool {
    format!("{a}").len() <= SIMPLIFY_LIMIT
}

/// Rank of a matrix of polynomials (rows × columns) over their fraction field, by
/// fraction-free Gaussian elimination.
fn rank(rows: &[Vec<Atom>], columns: usize) -> usize {
    let mut rows: Vec<Vec<Atom>> = rows.to_vec();
    let mut rank = 0;
    for c in 0..columns {
        let Some(p) = (rank..rows.len()).find(|&r| !rows[r][c].is_zero()) else {
            continue;
        };
        rows.swap(rank, p);
        let pivot_row = rows[rank].clone();
        for row in rows.iter_mut().skip(rank + 1) {
            if row[c].is_zero() {
                continue;
            }
            let factor = row[c].clone();
            for k in c..columns {
                row[k] = (&row[k] * &pivot_row[c] - &pivot_row[k] * &factor).expand();
            }
        }
        rows.retain(|row| row.iter().any(|a| !a.is_zero()));
        rank += 1;
    }
    rank
}

fn is_zero(a: &Atom) -> bool {
    a.expand().is_zero()
}

/// True when `a` (expanded) is a polynomial with positive coefficients in variables that
/// are all positive.
fn manifestly_positive(a: &Atom, positive: &dyn Fn(&str) -> bool) -> bool {
    let text = format!("{}", a.expand());
    !text.contains('-') && identifiers(&text).iter().all(|t| positive(t))
}

/// The factors of a factored expression with their powers.
fn factors(a: &Atom) -> Vec<(Atom, i64)> {
    let factored = a.factor();
    let mut out = Vec::new();
    let mut push = |f: AtomView| match f {
        AtomView::Pow(p) => {
            let (base, exp) = p.get_base_exp();
            match number(&exp.to_owned()) {
                Some(k) if k.fract() == 0.0 => out.push((base.to_owned(), k as i64)),
                _ => out.push((f.to_owned(), 1)),
            }
        }
        other => out.push((other.to_owned(), 1)),
    };
    match factored.as_view() {
        AtomView::Mul(m) => {
            for f in m.iter() {
                push(f);
            }
        }
        other => push(other),
    }
    out
}

pub fn derive(model: &Model, basis: &ForceBasis, form: Form) -> Result<Derivation> {
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
    let device = Device::new(model, &model.defaults())?;
    plain_leads(model)?;
    let n = device.n_states;
    for p in &model.parameters {
        if reserved(&p.name, n) {
            return Err(Error::Symbolic(format!(
                "parameter name '{}' is reserved by the derivation (beta, Z, x_<state>, \
                 h_<pair>, function names); rename it in the model",
                p.name
            )));
        }
    }
    if n > 16 {
        return Err(Error::Symbolic(format!(
            "{n} states: the closed-form derivation handles at most 4 dots (16 states)"
        )));
    }
    let transitions = &device.transitions;
    let labels: Vec<String> = (0..n).map(Model::state_label).collect();
    let param = |id: ParamId| var(model.param_name(id));

    // ① → ② Spectrum and transition energies, from H.
    let energies: Vec<Atom> = (0..n)
        .map(|k| linear(model, &energy_terms(model, k)).expand())
        .collect();
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
        .map(|(t, tr)| param(tr.rate) * var(&pair_name(t)))
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
    let explicit = |a: &Expression| -> Expression {
        let mut out = a.clone();
        for level in [&definitions, &level2, &level3, &level4] {
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

    let mut weights: Vec<Definition> = Vec::new();
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
    let (compact, internals) = super::compact::compact(
        &super::compact::Inputs {
            model,
            labels: &labels,
            transitions,
            omega: &omega,
            exponents: &(0..n).map(exponent).collect::<Vec<Atom>>(),
            beta_value: beta_value.clone(),
            mu_of_pair: &mu_of_pair,
            transport: &transport,
            flux_tags,
            expanded: &expanded,
        },
        self_contained,
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
        level_form: self_contained.then_some((&internals, named_energies.as_slice())),
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
            rate: model.param_name(tr.rate).to_string(),
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

/// ⑦ Kirchhoff's cycle form: τ Z L_ij = Σ_C W_C d_i(C) d_j(C), with W_C the product of the
/// cycle's conductances times the spanning trees of the network with C contracted.
struct CycleForm {
    /// τ Z L_ij (expanded).
    numerator: Vec<Vec<Atom>>,
    /// d(C) for every cycle, in the order of the cycles.
    affinities: Vec<Vec<Atom>>,
    /// Per pair i < j: affinity product (printed) → (affinity product, Σ W_C, cycle count).
    groups: Vec<Vec<BTreeMap<String, (Atom, Atom, usize)>>>,
}

fn cycle_form(
    n: usize,
    m: usize,
    cycles: &[Cycle],
    weighted: &[(usize, usize, Atom)],
    k: &[Atom],
    increment: &dyn Fn(usize, usize) -> Atom,
) -> CycleForm {
    let mut numerator = vec![vec![int(0); m]; m];
    let mut affinities: Vec<Vec<Atom>> = Vec::with_capacity(cycles.len());
    // Cycle groups per pair (i < j): affinity (printed) → (affinity, Σ W_C, count).
    let mut groups: Vec<Vec<BTreeMap<String, (Atom, Atom, usize)>>> =
        vec![vec![BTreeMap::new(); m]; m];
    for cycle in cycles {
        let on_cycle: Vec<usize> = cycle.steps.iter().map(|s| s.0).collect();
        let (map, nodes) = contract(n, cycle);
        let rest: Vec<(usize, usize, Atom)> = weighted
            .iter()
            .enumerate()
            .filter(|(e, _)| !on_cycle.contains(e))
            .map(|(_, (a, b, w))| (map[*a], map[*b], w.clone()))
            .collect();
        let mut weight = determinant(&reduced_laplacian(nodes, &rest));
        for &e in &on_cycle {
            weight *= &k[e];
        }
        let weight = weight.expand();
        let d: Vec<Atom> = (0..m)
            .map(|j| {
                let mut sum = int(0);
                for &(e, s) in &cycle.steps {
                    sum += int(i64::from(s)) * increment(j, e);
                }
                sum.expand()
            })
            .collect();
        affinities.push(d.clone());
        for i in 0..m {
            for j in 0..m {
                let affinity = (&d[i] * &d[j]).expand();
                if affinity.is_zero() {
                    continue;
                }
                numerator[i][j] = &numerator[i][j] + &weight * &affinity;
                if i < j {
                    let entry = groups[i][j]
                        .entry(format!("{affinity}"))
                        .or_insert_with(|| (affinity.clone(), int(0), 0));
                    entry.1 = &entry.1 + &weight;
                    entry.2 += 1;
                }
            }
        }
    }
    for row in numerator.iter_mut() {
        for entry in row.iter_mut() {
            *entry = entry.expand();
        }
    }

    CycleForm {
        numerator,
        affinities,
        groups,
    }
}

/// ⑦ Nodal analysis, the independent route: τ φ = −adj(Lap) B K d_j, then
/// τ Z L_ij = Σ_t d_i(t) k_t (τ d_j(t) + τ φ_from − τ φ_to).
fn nodal_form(
    n: usize,
    m: usize,
    transitions: &[Transition],
    k: &[Atom],
    laplacian: &[Vec<Atom>],
    tau: &Atom,
    increment: &dyn Fn(usize, usize) -> Atom,
) -> Vec<Vec<Atom>> {
    let adj = adjugate(laplacian);
    let mut nodal = vec![vec![int(0); m]; m];
    for j in 0..m {
        let mut source = vec![int(0); n];
        for (t, tr) in transitions.iter().enumerate() {
            let kd = &k[t] * increment(j, t);
            source[tr.from] = &source[tr.from] + &kd;
            source[tr.to] = &source[tr.to] - &kd;
        }
        let mut tau_phi = vec![int(0); n];
        for a in 1..n {
            let mut sum = int(0);
            for b in 1..n {
                sum -= &adj[a - 1][b - 1] * &source[b];
            }
            tau_phi[a] = sum.expand();
        }
        for i in 0..m {
            let mut sum = int(0);
            for (t, tr) in transitions.iter().enumerate() {
                let di = increment(i, t);
                if di.is_zero() {
                    continue;
                }
                sum += di * &k[t] * (tau * increment(j, t) + &tau_phi[tr.from] - &tau_phi[tr.to]);
            }
            nodal[i][j] = sum.expand();
        }
    }
    nodal
}

/// Reciprocity proved symbolically: the nodal numerators are symmetric, and equal to the
/// cycle form's.
fn reciprocity_proofs(m: usize, nodal: &[Vec<Atom>], numerator: &[Vec<Atom>]) -> Vec<Reciprocity> {
    let mut reciprocity = Vec::new();
    for i in 0..m {
        for j in (i + 1)..m {
            reciprocity.push(Reciprocity {
                i,
                j,
                proved: is_zero(&(&nodal[i][j] - &nodal[j][i])),
                routes_agree: is_zero(&(&nodal[i][j] - &numerator[i][j]))
                    && is_zero(&(&nodal[j][i] - &numerator[j][i])),
            });
        }
    }
    if m == 1 {
        reciprocity.push(Reciprocity {
            i: 0,
            j: 0,
            proved: true,
            routes_agree: is_zero(&(&nodal[0][0] - &numerator[0][0])),
        });
    }

    reciprocity
}

/// What the sign conditions of the cross coefficients are read from.
struct SignInputs<'a> {
    model: &'a Model,
    basis: &'a ForceBasis,
    labels: &'a [String],
    pairs: &'a [(usize, usize)],
    transitions: &'a [Transition],
    omega: &'a [Atom],
    flux_names: &'a [String],
    /// τ Z L_ij.
    numerators: &'a [Vec<Atom>],
    groups: &'a [Vec<BTreeMap<String, (Atom, Atom, usize)>>],
    /// Z τ.
    denominator: &'a Atom,
    /// The compact form's internals and its named transition energies, for the level form
    /// L_ij = Σ ω_t W_t (self-contained models only).
    level_form: Option<(&'a super::compact::Internals, &'a [(String, String, Atom)])>,
}

/// The sign condition of every cross coefficient L_ij (i < j): its manifestly positive
/// factors and sign factor, as a closed criterion in the energies when the sign factor is
/// free of equilibrium weights, else as a level form Σ ω_t W_t with W_t > 0, else in the
/// cycle groups.
fn sign_conditions(inputs: &SignInputs) -> Vec<SignCondition> {
    let SignInputs {
        model,
        basis,
        labels,
        pairs,
        transitions,
        omega,
        flux_names,
        numerators,
        groups,
        denominator,
        level_form,
    } = *inputs;
    let (n, m) = (labels.len(), flux_names.len());
    let positive_names: Vec<String> = model
        .parameters
        .iter()
        .filter(|p| matches!(p.role, Role::Rate | Role::Temperature))
        .map(|p| p.name.clone())
        .chain(
            pairs
                .iter()
                .map(|&(i, j)| format!("h_{}{}", labels[i], labels[j])),
        )
        .chain((1..n).map(|s| format!("x_{}", labels[s])))
        .chain(["Z".to_string(), "beta".to_string()])
        .collect();
    let positive = |t: &str| positive_names.iter().any(|p| p == t);
    let transition_label = |a: &Atom| -> Option<String> {
        transitions.iter().enumerate().find_map(|(t, tr)| {
            let name = format!("omega({}->{})", labels[tr.from], labels[tr.to]);
            let potential = |l: usize| var(model.param_name(model.leads[l].chemical_potential));
            let shifted = (&omega[t] - basis.energy_origin(tr.lead, potential)).expand();
            let shifted_name = match basis.representation {
                Representation::Energy => name,
                Representation::Heat => format!("{name} - mu"),
            };
            if is_zero(&(a - &shifted)) {
                Some(shifted_name)
            } else if is_zero(&(a + &shifted)) {
                Some(format!("-({shifted_name})"))
            } else {
                None
            }
        })
    };
    let mut sign_conditions = Vec::new();
    for i in 0..m {
        for j in (i + 1)..m {
            let coefficient = format!(
                "L[{}, {}]",
                flux_names[i],
                basis.force_name(&basis.forces[j])
            );
            let nij = &numerators[i][j];
            let group_list: Vec<CycleGroup> = groups[i][j]
                .values()
                .map(|(affinity, weight, count)| CycleGroup {
                    affinity: render(affinity),
                    transition: transition_label(affinity),
                    weight: render(&{
                        let w = weight.clone();
                        if small(&w) { w.factor() } else { w }
                    }),
                    cycles: *count,
                })
                .collect();
            if nij.is_zero() {
                sign_conditions.push(SignCondition {
                    coefficient,
                    i,
                    j,
                    vanishes: true,
                    positive_factors: vec![],
                    sign_factor: render(&int(0)),
                    negative_iff: "never: the coefficient vanishes identically".into(),
                    necessary: String::new(),
                    sufficient: String::new(),
                    groups: group_list,
                    level: Vec::new(),
                    latex: format!(
                        "{} \\equiv 0",
                        latex_coefficient(&flux_names[i], &flux_names[j])
                    ),
                });
                continue;
            }
            let mut positive_factors = Vec::new();
            let mut sign = int(1);
            let factored = if small(nij) {
                factors(nij)
            } else {
                vec![(nij.clone(), 1)]
            };
            for (f, power) in factored {
                if let Some(value) = number(&f) {
                    if value < 0.0 && power % 2 == 1 {
                        sign = -sign;
                    }
                    continue;
                }
                if power % 2 == 0 || manifestly_positive(&f, &positive) {
                    positive_factors.push(render(&f.pow(int(power))));
                } else {
                    sign *= f.pow(int(power));
                }
            }
            let sign_factor = sign.expand().factor();
            let sign_text = format!("{sign_factor}");
            // A sign factor free of equilibrium weights (h, x, Z) is a closed criterion in
            // the energies and bare rates; otherwise fall back to the cycle groups.
            let mut level_terms = Vec::new();
            let only_energies = identifiers(&sign_text)
                .iter()
                .all(|t| !(t.starts_with("h_") || t.starts_with("x_") || t == "Z"));
            let (negative_iff, necessary, sufficient, latex_condition) = if only_energies {
                let label = transition_label(&sign_factor)
                    .map(|l| format!(" [{l}]"))
                    .unwrap_or_default();
                let condition = format!("{sign_text} < 0{label}");
                (
                    condition.clone(),
                    condition.clone(),
                    condition,
                    format!("{} < 0", render(&sign_factor).latex),
                )
            } else if let Some(level) = level_form.and_then(|(internals, named_energies)| {
                super::theorems::level_form(
                    &internals.l[i][j],
                    &internals.values,
                    named_energies,
                    &positive,
                    &|transition: &str, weight: &Atom| {
                        // W_t equals the positive cycle weight P_g/(Z τ) of the cycles
                        // whose affinity product is ω_t.
                        groups[i][j].values().any(|(affinity, p, _)| {
                            transition_label(affinity).as_deref() == Some(transition)
                                && (weight - p / denominator).together().is_zero()
                        })
                    },
                )
            }) {
                let sum = level
                    .iter()
                    .map(|t| format!("{}*W_{}", t.energy, t.energy.trim_start_matches("w_")))
                    .collect::<Vec<_>>()
                    .join(" + ");
                let names: Vec<String> = level.iter().map(|t| t.transition.clone()).collect();
                let latex_sum = level
                    .iter()
                    .map(|t| {
                        let pair = t.energy.trim_start_matches("w_");
                        format!("\\omega_{{{pair}}} W_{{{pair}}}")
                    })
                    .collect::<Vec<_>>()
                    .join(" + ");
                level_terms = level;
                (
                    format!(
                        "{sum} < 0, with every W > 0 (proved: positive coefficients) and \
                         the transition energies w of the compact form"
                    ),
                    format!("at least one of {{{}}} < 0", names.join(", ")),
                    format!("all of {{{}}} <= 0, not all = 0", names.join(", ")),
                    format!("{latex_sum} < 0"),
                )
            } else {
                let terms: Vec<String> = group_list
                    .iter()
                    .enumerate()
                    .map(|(g, grp)| format!("({}) * P{}", grp.affinity.symbolica, g + 1))
                    .collect();
                let negatives: Vec<String> = group_list
                    .iter()
                    .map(|g| {
                        g.transition
                            .clone()
                            .unwrap_or_else(|| g.affinity.symbolica.clone())
                    })
                    .collect();
                (
                    format!(
                        "{} < 0, with P1..P{} > 0 the cycle weights listed in 'groups'",
                        terms.join(" + "),
                        group_list.len()
                    ),
                    format!("at least one of {{{}}} < 0", negatives.join(", ")),
                    format!("all of {{{}}} <= 0, not all = 0", negatives.join(", ")),
                    format!(
                        "{} < 0",
                        group_list
                            .iter()
                            .enumerate()
                            .map(|(g, grp)| format!(
                                "\\left({}\\right) P_{{{}}}",
                                grp.affinity.latex,
                                g + 1
                            ))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    ),
                )
            };
            sign_conditions.push(SignCondition {
                latex: format!(
                    "{} < 0 \\iff {}",
                    latex_coefficient(&flux_names[i], &flux_names[j]),
                    latex_condition
                ),
                coefficient,
                i,
                j,
                vanishes: false,
                positive_factors,
                sign_factor: render(&sign_factor),
                negative_iff,
                necessary,
                sufficient,
                groups: group_list,
                level: level_terms,
            });
        }
    }

    sign_conditions
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
