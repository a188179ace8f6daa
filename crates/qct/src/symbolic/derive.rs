//! The derivation itself; runs on the engine thread only.

use super::kirchhoff::{
    CycleForm, cycle_form, determinant, nodal_form, rank, reciprocity_proofs, reduced_laplacian,
};
use super::print::render;
use super::signs::{SignInputs, sign_conditions};
use super::spectrum::Spectrum;
use super::weights::{Equilibrium, explicit_forms};
use super::{Definition, Derivation, Form, StateEnergy, TransitionEnergy};
use crate::error::{Error, Result};
use crate::model::{Model, ParamId};
use crate::network::{Cycle, simple_cycles};
use crate::rates::Transition;
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

/// The symbolic equilibrium-noise proof ([`super::noise`]) does not take spin forces yet:
/// refuse a model with a spin bias there.
pub(super) fn no_spin_bias(model: &Model) -> Result<()> {
    match model.leads.iter().find(|l| l.spin_bias.is_some()) {
        Some(lead) => Err(Error::Symbolic(format!(
            "lead {} has a spin bias: the symbolic equilibrium-noise proof with spin forces F_S \
             is not yet supported (closed forms: qct derive; numeric noise: qct noise)",
            lead.name
        ))),
        None => Ok(()),
    }
}

/// Refuse leads whose temperature, chemical potential or spin bias is an expression: the
/// equilibrium of the closed forms replaces these parameters by the reference lead's (and
/// the spin bias by 0; README, "Parameters as expressions"). Derived levels, interactions
/// and rates are fine: they enter as atoms of the free parameters, parsed from their
/// canonical text.
pub(super) fn lead_parameters(model: &Model) -> Result<()> {
    for lead in &model.leads {
        for id in [
            Some(lead.temperature),
            Some(lead.chemical_potential),
            lead.spin_bias,
        ]
        .into_iter()
        .flatten()
        {
            if let Some(d) = model.derived_of(id) {
                return Err(Error::Symbolic(format!(
                    "lead {}: '{}' is an expression; closed forms need each lead's temperature, \
                     chemical potential and spin bias as a parameter (the numeric commands \
                     accept it)",
                    lead.name, d.text
                )));
            }
        }
    }
    Ok(())
}

/// [`lead_parameters`] and [`no_spin_bias`]: what the symbolic noise proof takes.
pub(super) fn plain_leads(model: &Model) -> Result<()> {
    no_spin_bias(model)?;
    lead_parameters(model)
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
pub(super) const EXPLICIT_LIMIT: usize = 20_000;

pub(super) fn small(a: &Atom) -> bool {
    format!("{a}").len() <= SIMPLIFY_LIMIT
}

pub(super) fn is_zero(a: &Atom) -> bool {
    a.expand().is_zero()
}

/// Wall time of each stage on stderr when `QCT_TIMING` is set.
struct Timer {
    start: std::time::Instant,
    on: bool,
}

impl Timer {
    fn stage(&self, name: &str) {
        if self.on {
            eprintln!(
                "[qct derive] {name}: {:.3} s",
                self.start.elapsed().as_secs_f64()
            );
        }
    }
}

/// ① → ⑥ What every later stage reads: the model, its force basis, the spectrum of H and the
/// transition energies ω_t = E_to − E_from (docs/conventions.md, "Conventions").
pub(super) struct Setup<'a> {
    pub(super) model: &'a Model,
    pub(super) basis: &'a ForceBasis,
    pub(super) spectrum: Spectrum,
    pub(super) labels: Vec<String>,
    pub(super) energies: Vec<Atom>,
    pub(super) omega: Vec<Atom>,
    /// The energy reference lead ρ (β = 1/T_ρ).
    pub(super) rho: usize,
}

impl<'a> Setup<'a> {
    /// The spectrum (its eigenbasis with tunnelling) and ω_t, after refusing what the closed
    /// forms cannot take: expression-valued lead parameters, reserved names, > 4 dots.
    fn new(model: &'a Model, basis: &'a ForceBasis) -> Result<Self> {
        lead_parameters(model)?;
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
        let labels: Vec<String> = (0..n).map(Model::state_label).collect();
        // ① → ② Spectrum and transition energies, from H (its eigenbasis with tunnelling).
        let energies: Vec<Atom> = spectrum.energies.clone();
        let omega: Vec<Atom> = spectrum
            .transitions
            .iter()
            .map(|t| (&energies[t.to] - &energies[t.from]).expand())
            .collect();
        Ok(Setup {
            model,
            basis,
            spectrum,
            labels,
            energies,
            omega,
            rho: basis.references.energy,
        })
    }

    pub(super) fn n(&self) -> usize {
        self.labels.len()
    }

    /// The number of forces (and fluxes).
    pub(super) fn m(&self) -> usize {
        self.basis.len()
    }

    pub(super) fn transitions(&self) -> &[Transition] {
        &self.spectrum.transitions
    }

    fn param(&self, id: ParamId) -> Atom {
        var(self.model.param_name(id))
    }

    pub(super) fn temperature(&self, lead: usize) -> Atom {
        self.param(self.model.leads[lead].temperature)
    }

    pub(super) fn potential(&self, lead: usize) -> Atom {
        self.param(self.model.leads[lead].chemical_potential)
    }

    /// ν_λ = μ_sλ/2 = (μ_λ↑ − μ_λ↓)/2, the spin affinity of lead λ (0 without a spin bias;
    /// docs/conventions.md, "Spin currents and spin forces").
    fn spin_affinity(&self, lead: usize) -> Atom {
        self.model.leads[lead]
            .spin_bias
            .map_or_else(|| int(0), |bias| self.param(bias) / int(2))
    }

    /// ⑥ The forces F_j (docs/conventions.md, "Forces and fluxes"; seed eq. (30)); a spin
    /// force is F_S^λ = β_λ ν_λ − β_ρc ν_ρc = β_λ μ_sλ/2 (ν_ρc = 0).
    fn forces(&self) -> Vec<Definition> {
        let beta_of = |l: usize| int(1) / self.temperature(l);
        self.basis
            .forces
            .iter()
            .map(|f| {
                let value = self.basis.force_of(
                    f,
                    beta_of,
                    |l| self.potential(l),
                    |l| self.spin_affinity(l),
                );
                let name = self.basis.force_name(f);
                Definition {
                    latex_name: force_latex(&name),
                    name,
                    value: render(&value),
                }
            })
            .collect()
    }

    /// d_j(t), what transition t adds to flux j, for a transition energy `w` (its value, or
    /// the named ω of the compact form).
    fn transport(&self, j: usize, t: usize, w: &Atom) -> Atom {
        let tr = &self.transitions()[t];
        self.basis
            .transported(&self.basis.forces[j], tr.lead, w.clone(), tr.spin, |l| {
                self.potential(l)
            })
            .expand()
    }

    /// d_j(t) at the transition's own energy ω_t.
    fn increment(&self, j: usize, t: usize) -> Atom {
        self.transport(j, t, &self.omega[t])
    }

    /// The bare rate of every transition (γ, times |⟨b|d†|a⟩|² in an eigenbasis).
    fn rates(&self) -> Vec<Atom> {
        (0..self.transitions().len())
            .map(|t| self.spectrum.rate(self.model, t))
            .collect()
    }
}

/// ③ + ⑦ The equilibrium network and Kirchhoff's theorem (module documentation of
/// [`super`]): conductances k_t = γ_t h_ij (times Z), the spanning-tree polynomial τ, the
/// cycle form Z τ L_ij = Σ_C W_C d_i(C) d_j(C) and, by the independent nodal route, the proof
/// that both agree and that L_ij = L_ji.
struct Network {
    /// τ, the determinant of the reduced Laplacian (matrix-tree theorem).
    tau: Atom,
    cycles: Vec<Cycle>,
    /// Z τ L_ij, the cycle affinities d(C) and the cycle groups of each pair.
    form: CycleForm,
    reciprocity: Vec<super::Reciprocity>,
}

fn network(setup: &Setup, timer: &Timer) -> Result<Network> {
    let (n, m) = (setup.n(), setup.m());
    let transitions = setup.transitions();
    let labels = &setup.labels;
    // ③ Equilibrium conductances (times Z): k_t = γ_t h_ij.
    let pair_name = |t: usize| {
        let tr = &transitions[t];
        format!("h_{}{}", labels[tr.from], labels[tr.to])
    };
    let k: Vec<Atom> = transitions
        .iter()
        .enumerate()
        .map(|(t, _)| setup.spectrum.rate(setup.model, t) * var(&pair_name(t)))
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
    timer.stage("spanning trees");
    let cycles: Vec<Cycle> = simple_cycles(n, &edges)?;
    timer.stage(&format!("{} cycles enumerated", cycles.len()));
    let increment = |j: usize, t: usize| setup.increment(j, t);
    let form = cycle_form(n, m, &cycles, &weighted, &k, &increment);
    timer.stage("cycle weights");
    let nodal = nodal_form(n, m, transitions, &k, &laplacian, &tau, &increment);
    timer.stage("nodal route");
    let reciprocity = reciprocity_proofs(m, &nodal, &form.numerator);
    timer.stage("reciprocity proof");
    Ok(Network {
        tau,
        cycles,
        form,
        reciprocity,
    })
}

/// L_ij = N_ij/(Z τ), cancelled where small enough (the structured form in γ, h, Z).
fn structured(numerator: &[Vec<Atom>], denominator: &Atom) -> Vec<Vec<Atom>> {
    numerator
        .iter()
        .map(|row| {
            row.iter()
                .map(|nij| {
                    if small(nij) && small(denominator) {
                        (nij / denominator).cancel()
                    } else {
                        nij / denominator
                    }
                })
                .collect()
        })
        .collect()
}

/// The compact form (see [`super::compact`]) with what the sign conditions read from it.
struct CompactStage {
    compact: super::Compact,
    internals: super::compact::Internals,
    /// Entrywise proofs (and the level form) are available.
    entrywise: bool,
    /// (w_ij, "omega(i->j)", ω_ij) per pair of states.
    named_energies: Vec<(String, String, Atom)>,
    rates: Vec<Atom>,
}

fn compact_stage(
    setup: &Setup,
    eq: &Equilibrium,
    numerator: &[Vec<Atom>],
    denominator: &Atom,
    self_contained: bool,
) -> Result<CompactStage> {
    let (model, basis, labels) = (setup.model, setup.basis, &setup.labels);
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
    let expanded: Vec<Vec<Atom>> = numerator
        .iter()
        .map(|row| row.iter().map(|nij| nij / denominator).collect())
        .collect();
    // Entrywise proofs and the level form normalise the structured form; with tunnelling
    // (up to 4 states) the written-out form exceeds EXPLICIT_LIMIT but the structured one
    // stays small.
    let entrywise = self_contained || (!setup.spectrum.diagonal() && setup.n() <= 4);
    let rates = setup.rates();
    let (compact, internals) = super::compact::compact(
        &super::compact::Inputs {
            model,
            labels,
            transitions: setup.transitions(),
            rates: &rates,
            spectrum: &setup.spectrum.quantities,
            omega: &setup.omega,
            exponents: &(0..setup.n())
                .map(|s| eq.exponent(setup, s))
                .collect::<Vec<Atom>>(),
            beta_value: eq.beta_value.clone(),
            mu_of_pair: &|a, b| eq.mu_of_pair(setup, a, b),
            transport: &|j, t, w| setup.transport(j, t, w),
            flux_tags,
            expanded: &expanded,
        },
        entrywise,
    );
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
    let named_energies = eq
        .pairs
        .iter()
        .map(|&(i, j)| {
            let t = setup
                .transitions()
                .iter()
                .position(|tr| tr.from == i && tr.to == j)
                .expect("a transition of the pair");
            (
                format!("w_{}{}", labels[i], labels[j]),
                format!("omega({}->{})", labels[i], labels[j]),
                setup.omega[t].clone(),
            )
        })
        .collect();
    Ok(CompactStage {
        compact,
        internals,
        entrywise,
        named_energies,
        rates,
    })
}

/// det L and tight coupling. Cauchy–Binet: det(Σ_C W_C d_C d_Cᵀ) = Σ_S Π_{C∈S} W_C det(d_S)²,
/// so det L ≡ 0 iff the cycle affinity vectors d(C) span fewer than m dimensions.
fn determinant_stage(form: &CycleForm, denominator: &Atom, m: usize) -> (Option<Atom>, bool) {
    let tight_coupling = rank(&form.affinities, m) < m;
    let determinant_structured = if tight_coupling {
        Some(int(0))
    } else if m <= 4 && form.numerator.iter().flatten().all(small) {
        let det_numerator = determinant(&form.numerator);
        Some((det_numerator / denominator.clone().pow(int(m as i64))).cancel())
    } else {
        None
    };
    (determinant_structured, tight_coupling)
}

/// The states with their energies (and eigenstate compositions).
fn states(setup: &Setup) -> Vec<StateEnergy> {
    (0..setup.n())
        .map(|s| StateEnergy {
            label: setup.labels[s].clone(),
            occupations: occupations(setup.model, s),
            energy: render(&setup.energies[s]),
            composition: setup.spectrum.compositions[s].clone(),
        })
        .collect()
}

/// The transitions with their bare rates and energies ω_t.
fn transitions_out(setup: &Setup, rates: &[Atom]) -> Vec<TransitionEnergy> {
    let (model, labels, diagonal) = (setup.model, &setup.labels, setup.spectrum.diagonal());
    setup
        .transitions()
        .iter()
        .enumerate()
        .map(|(t, tr)| TransitionEnergy {
            from: labels[tr.from].clone(),
            to: labels[tr.to].clone(),
            lead: model.leads[tr.lead].name.clone(),
            dot: model.dots[tr.dot].name.clone(),
            rate: if diagonal {
                model.param_name(tr.rate).to_string()
            } else {
                render(&rates[t]).symbolica
            },
            rate_latex: if diagonal {
                String::new()
            } else {
                render(&rates[t]).latex
            },
            omega: render(&setup.omega[t]),
        })
        .collect()
}

/// The equilibrium as parameter → value: each T_λ → T_ρ, each μ_λ → μ_ρc, each μ_sλ → 0.
fn equilibrium_map(setup: &Setup) -> Vec<(String, String)> {
    let (model, basis, rho) = (setup.model, setup.basis, setup.rho);
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
        // At equilibrium every spin bias is 0 (ν_ρc = 0 on the reference).
        if let Some(bias) = lead.spin_bias {
            equilibrium.push((model.param_name(bias).to_string(), "0".to_string()));
        }
    }
    equilibrium
}

/// The reference leads: energy, then the particle reference of each component.
fn references(setup: &Setup) -> Vec<(String, String)> {
    let model = setup.model;
    std::iter::once(("energy".to_string(), model.leads[setup.rho].name.clone()))
        .chain(
            setup
                .basis
                .components
                .iter()
                .zip(&setup.basis.references.particles)
                .map(|(c, &l)| (model.component_name(c), model.leads[l].name.clone())),
        )
        .collect()
}

/// The closed-form Onsager matrix of `model` in the force basis `basis`, stage by stage:
/// spectrum and forces ([`Setup`]), the network and Kirchhoff's cycle form with the
/// reciprocity proof ([`network`]), the structured and written-out forms ([`Equilibrium`],
/// [`explicit_forms`]), the compact form ([`compact_stage`]), det L and tight coupling, the
/// sign conditions and, for two forces, the ICC theorem.
pub fn derive(model: &Model, basis: &ForceBasis, form: Form) -> Result<Derivation> {
    let timer = Timer {
        start: std::time::Instant::now(),
        on: std::env::var_os("QCT_TIMING").is_some(),
    };
    let setup = Setup::new(model, basis)?;
    let forces = setup.forces();
    let m = setup.m();
    let network = network(&setup, &timer)?;
    let denominator = var("Z") * &network.tau;
    let numerator = &network.form.numerator;
    let l_structured = structured(numerator, &denominator);
    timer.stage("structured form");
    let eq = Equilibrium::new(&setup);
    let explicit = explicit_forms(&setup, &eq, form, &l_structured);
    timer.stage("explicit form");
    let compact = compact_stage(
        &setup,
        &eq,
        numerator,
        &denominator,
        explicit.self_contained,
    )?;
    timer.stage("compact form");
    let (determinant_structured, tight_coupling) =
        determinant_stage(&network.form, &denominator, m);
    timer.stage("determinant");
    let flux_names: Vec<String> = basis.forces.iter().map(|f| basis.flux_name(f)).collect();
    let sign_conditions = sign_conditions(&SignInputs {
        model,
        basis,
        labels: &setup.labels,
        pairs: &eq.pairs,
        transitions: setup.transitions(),
        omega: &setup.omega,
        flux_names: &flux_names,
        numerators: numerator,
        groups: &network.form.groups,
        denominator: &denominator,
        level_form: compact
            .entrywise
            .then_some((&compact.internals, compact.named_energies.as_slice())),
        positive_quantities: setup
            .spectrum
            .positive_names()
            .map(str::to_string)
            .collect(),
    });
    timer.stage("sign conditions");
    let icc_theorem = (m == 2).then(|| {
        let list: Vec<(Vec<String>, Vec<Atom>)> = network
            .cycles
            .iter()
            .zip(&network.form.affinities)
            .map(|(c, d)| {
                (
                    c.states.iter().map(|&s| setup.labels[s].clone()).collect(),
                    d.clone(),
                )
            })
            .collect();
        super::theorems::icc_theorem(&flux_names, &list)
    });
    Ok(Derivation {
        model: model.name.clone(),
        representation: basis.representation.name().to_string(),
        form,
        beta: format!("1/{}", model.param_name(model.leads[setup.rho].temperature)),
        references: references(&setup),
        parameters: model.parameters.iter().map(|p| p.name.clone()).collect(),
        eigenbasis: setup
            .spectrum
            .quantities
            .iter()
            .map(|(d, _)| d.clone())
            .collect(),
        states: states(&setup),
        transitions: transitions_out(&setup, &compact.rates),
        forces,
        fluxes: flux_names,
        dropped_forces: basis.dropped.iter().map(|f| basis.force_name(f)).collect(),
        equilibrium: equilibrium_map(&setup),
        weights: explicit.weights,
        spanning_trees: render(&network.tau),
        numerators: numerator
            .iter()
            .map(|row| row.iter().map(render).collect())
            .collect(),
        cycles: network.cycles.len(),
        l_structured: explicit.structured,
        self_contained: explicit.self_contained,
        l: explicit.l,
        reciprocity: network.reciprocity,
        determinant: determinant_structured.as_ref().map(render),
        tight_coupling,
        sign_conditions,
        compact: compact.compact,
        icc_theorem,
        seconds: timer.start.elapsed().as_secs_f64(),
    })
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
