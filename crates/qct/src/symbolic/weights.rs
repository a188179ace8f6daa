//! ④ The equilibrium of the closed forms and the written-out L: Boltzmann weights, Z, the
//! pair weights h_ij, β, and L_ij with every weight replaced by its definition. Runs on the
//! engine thread only.

use super::derive::{EXPLICIT_LIMIT, Setup, exp, int, var};
use super::print::{latex_name, render};
use super::{Definition, Expression, Form};
use symbolica::prelude::*;

/// ④ The equilibrium weights: every lead at β = 1/T_ρ and its component's μ_ρc; Boltzmann
/// weights x_k = e^{−β(E_k − E_A − Σ_c μ_c N_c)} (x_A = 1), Z = Σ_k x_k, and the pair
/// weights h_ij = x_i x_j/(x_i + x_j) = x_i f(ω_ij) (docs/conventions.md, "Linear response").
pub(super) struct Equilibrium {
    pub(super) beta: Atom,
    /// μ_ρc of each component.
    pub(super) mu_c: Vec<Atom>,
    /// x_k as symbols (x_A = 1).
    pub(super) x: Vec<Atom>,
    /// x_k as exp(−β(…)).
    pub(super) x_value: Vec<Atom>,
    /// Z = Σ_k x_k in the symbols x_k.
    pub(super) partition: Atom,
    /// The pairs of states (i < j) joined by a transition.
    pub(super) pairs: Vec<(usize, usize)>,
    /// β = 1/T_ρ in the parameters.
    pub(super) beta_value: Atom,
}

impl Equilibrium {
    pub(super) fn new(setup: &Setup) -> Equilibrium {
        let beta = var("beta");
        let mu_c: Vec<Atom> = setup
            .basis
            .references
            .particles
            .iter()
            .map(|&l| setup.potential(l))
            .collect();
        let mut eq = Equilibrium {
            beta,
            mu_c,
            x: Vec::new(),
            x_value: Vec::new(),
            partition: int(0),
            pairs: Vec::new(),
            beta_value: int(0),
        };
        let n = setup.n();
        eq.x = (0..n)
            .map(|s| {
                if s == 0 {
                    int(1)
                } else {
                    var(&format!("x_{}", setup.labels[s]))
                }
            })
            .collect();
        eq.x_value = (0..n)
            .map(|s| exp(-(&eq.beta * eq.exponent(setup, s))))
            .collect();
        eq.partition = eq.x.iter().fold(int(0), |acc, xi| acc + xi);
        let mut pairs: Vec<(usize, usize)> =
            setup.transitions().iter().map(|t| (t.from, t.to)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        eq.pairs = pairs;
        eq.beta_value = int(1) / setup.temperature(setup.rho);
        eq
    }

    /// E_k − E_A − Σ_c μ_c N_c(k), the exponent of x_k (expanded).
    pub(super) fn exponent(&self, setup: &Setup, state: usize) -> Atom {
        let mut e = &setup.energies[state] - &setup.energies[0];
        for (c, comp) in setup.basis.components.iter().enumerate() {
            let electrons = comp.dots.iter().filter(|&&d| (state >> d) & 1 == 1).count() as i64;
            e -= int(electrons) * &self.mu_c[c];
        }
        e.expand()
    }

    /// μ of the component whose dot the pair of states (a, b) fills.
    pub(super) fn mu_of_pair(&self, setup: &Setup, a: usize, b: usize) -> Atom {
        let dot = (a ^ b).trailing_zeros() as usize;
        let c = setup
            .basis
            .components
            .iter()
            .position(|comp| comp.dots.contains(&dot))
            .expect("every dot is in a component");
        self.mu_c[c].clone()
    }

    /// h_ab in the form `form`: x_a x_b/(x_a + x_b), or x_a f(ω_ab) with
    /// f(ω) = 1/(1 + e^{β(ω − μ)}).
    pub(super) fn h_value(&self, setup: &Setup, form: Form, a: usize, b: usize) -> Atom {
        match form {
            Form::Boltzmann | Form::Compact => &self.x[a] * &self.x[b] / (&self.x[a] + &self.x[b]),
            Form::Fermi => {
                let w = (&setup.energies[b] - &setup.energies[a]).expand();
                let fermi =
                    int(1) / (int(1) + exp(&self.beta * (w - self.mu_of_pair(setup, a, b))));
                &self.x[a] * fermi
            }
        }
    }
}

/// The structured L rendered, and written out in the parameters when printable.
pub(super) struct Explicit {
    pub(super) structured: Vec<Vec<Expression>>,
    pub(super) self_contained: bool,
    pub(super) l: Vec<Vec<Expression>>,
    /// x_k, Z, h_ij, β (and the eigenbasis quantities) as definitions.
    pub(super) weights: Vec<Definition>,
}

/// The written-out form: the structured expression with h_ij, then x_k and Z, then β
/// replaced textually by their definitions (in parentheses) in each notation; `qct check`
/// parses the Symbolica string back and evaluates it. Written out in the parameters only
/// while that stays printable; larger models keep the structured form, evaluated together
/// with the definitions of h, x, Z and β.
pub(super) fn explicit_forms(
    setup: &Setup,
    eq: &Equilibrium,
    form: Form,
    l_structured: &[Vec<Atom>],
) -> Explicit {
    let (n, labels) = (setup.n(), &setup.labels);
    let mut definitions: Vec<(String, Expression)> = Vec::new();
    for &(i, j) in &eq.pairs {
        definitions.push((
            format!("h_{}{}", labels[i], labels[j]),
            render(&eq.h_value(setup, form, i, j)),
        ));
    }
    let level2 = vec![("Z".to_string(), render(&eq.partition))];
    let level3: Vec<(String, Expression)> = (1..n)
        .map(|s| (format!("x_{}", labels[s]), render(&eq.x_value[s])))
        .collect();
    let level4 = vec![("beta".to_string(), render(&eq.beta_value))];
    // With tunnelling: the mixing weights, then the roots r of the eigenbasis.
    let (roots, mixing): (Vec<_>, Vec<_>) = setup
        .spectrum
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
    let structured: Vec<Vec<Expression>> = l_structured
        .iter()
        .map(|row| row.iter().map(render).collect())
        .collect();
    let self_contained = structured
        .iter()
        .flatten()
        .all(|e| e.symbolica.len() <= EXPLICIT_LIMIT);
    let l: Vec<Vec<Expression>> = if self_contained {
        structured
            .iter()
            .map(|row| row.iter().map(&explicit).collect())
            .collect()
    } else {
        structured.clone()
    };
    Explicit {
        structured,
        self_contained,
        l,
        weights: weight_definitions(setup, eq, form),
    }
}

/// The definitions of the weights, in order: eigenbasis quantities, β, x_k, Z, h_ij.
pub(super) fn weight_definitions(setup: &Setup, eq: &Equilibrium, form: Form) -> Vec<Definition> {
    let labels = &setup.labels;
    let mut weights: Vec<Definition> = setup
        .spectrum
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
        value: render(&eq.beta_value),
    });
    for s in 1..setup.n() {
        weights.push(Definition {
            name: format!("x_{}", labels[s]),
            latex_name: latex_name(&format!("x_{}", labels[s])),
            value: render(&eq.x_value[s]),
        });
    }
    weights.push(Definition {
        name: "Z".into(),
        latex_name: "Z".into(),
        value: render(&eq.partition),
    });
    for &(i, j) in &eq.pairs {
        let name = format!("h_{}{}", labels[i], labels[j]);
        weights.push(Definition {
            latex_name: latex_name(&name),
            name,
            value: render(&eq.h_value(setup, form, i, j)),
        });
    }
    weights
}

/// Replace identifiers by parenthesised definitions, notation by notation.
pub(super) fn substitute(e: &Expression, definitions: &[(String, Expression)]) -> Expression {
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
