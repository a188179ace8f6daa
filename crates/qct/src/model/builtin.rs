//! The built-in models of the README's Conventions's table, written in Rust.
//!
//! `examples/<name>.json` holds each of them written as a JSON model; a test checks that the
//! two give the same [`Model`] and bit-identical results, so neither can drift.

use super::{
    BareRate, Coupling, Dot, Hopping, Interaction, Lead, Model, ParamId, Parameter, Role, Spin,
};
use crate::error::{Error, Result};

/// Names of the built-in models, in the order `qct models` lists them.
pub const NAMES: [&str; 7] = [
    "sqd",
    "cqd",
    "sb",
    "icc",
    "anderson",
    "zeeman_dot",
    "serial_dd",
];

/// A built-in model by name.
pub fn builtin(name: &str) -> Result<Model> {
    let model = match name {
        "sqd" => single_dot(),
        "cqd" => coupled_dots(CoupledVariant::Cqd),
        "sb" => coupled_dots(CoupledVariant::SanchezButtiker),
        "icc" => coupled_dots(CoupledVariant::Icc),
        "anderson" => anderson(),
        "zeeman_dot" => zeeman_dot(),
        "serial_dd" => serial_double_dot(),
        _ => {
            return Err(Error::UnknownModel {
                name: name.to_string(),
                known: NAMES.join(", "),
            });
        }
    };
    debug_assert!(model.validate().is_ok());
    Ok(model)
}

/// Small helper that creates parameters on first use.
struct Builder {
    parameters: Vec<Parameter>,
}

impl Builder {
    fn new() -> Self {
        Builder { parameters: vec![] }
    }

    /// T_l = 1.5, T_r = 1, μ_l = 0.2, μ_r = 0 of a two-terminal device.
    fn two_terminal_leads(&mut self) -> [ParamId; 4] {
        [
            self.param("T_l", 1.5, Role::Temperature, "temperature of lead l"),
            self.param("T_r", 1.0, Role::Temperature, "temperature of lead r"),
            self.param(
                "mu_l",
                0.2,
                Role::ChemicalPotential,
                "chemical potential of lead l",
            ),
            self.param(
                "mu_r",
                0.0,
                Role::ChemicalPotential,
                "chemical potential of lead r",
            ),
        ]
    }

    fn param(&mut self, name: &str, default: f64, role: Role, description: &str) -> ParamId {
        self.parameters.push(Parameter {
            name: name.to_string(),
            default,
            role,
            description: description.to_string(),
            united: false,
            symbol: String::new(),
        });
        ParamId(self.parameters.len() - 1)
    }
}

/// A lead without spin bias.
fn lead(
    name: &str,
    temperature: ParamId,
    chemical_potential: ParamId,
    couplings: Vec<Coupling>,
) -> Lead {
    Lead {
        name: name.into(),
        temperature,
        chemical_potential,
        spin_bias: None,
        couplings,
    }
}

/// Leads l and r of a two-terminal device (the parameters of
/// [`Builder::two_terminal_leads`]), with their couplings.
fn two_leads(thermal: [ParamId; 4], l: Vec<Coupling>, r: Vec<Coupling>) -> Vec<Lead> {
    let [t_l, t_r, mu_l, mu_r] = thermal;
    vec![lead("l", t_l, mu_l, l), lead("r", t_r, mu_r, r)]
}

/// One spinful level: orbitals `up` (s = +1) and `down` (s = −1) at the given levels, with
/// on-site repulsion U n_↑ n_↓.
fn spinful_level(up: ParamId, down: ParamId, u: ParamId) -> (Vec<Dot>, Vec<Interaction>) {
    let dot = |name: &str, energy, spin| Dot {
        name: name.into(),
        energy,
        spin: Some(spin),
    };
    (
        vec![dot("up", up, Spin::Up), dot("down", down, Spin::Down)],
        vec![Interaction {
            a: 0,
            b: 1,
            charging: Some(u),
            exchange: None,
        }],
    )
}

fn constant(dot: usize, rate: ParamId) -> Coupling {
    Coupling {
        dot,
        rate: BareRate::Constant(rate),
    }
}

/// `sqd` — single level ε between leads l and r (seed Sec. IV–VII).
fn single_dot() -> Model {
    let mut b = Builder::new();
    let eps = b.param("eps", 1.0, Role::Energy, "level of the dot");
    let gamma_l = b.param("gamma_l", 1.0, Role::Rate, "bare rate of lead l");
    let gamma_r = b.param("gamma_r", 1.0, Role::Rate, "bare rate of lead r");
    let thermal = b.two_terminal_leads();
    Model {
        name: "sqd".into(),
        description: "single quantum dot (one spinless level) between two leads".into(),
        seed_section: Some("Sec. IV-VII".into()),
        parameters: b.parameters,
        derived: vec![],
        dots: vec![Dot {
            name: "d".into(),
            energy: eps,
            spin: None,
        }],
        interactions: vec![],
        hoppings: vec![],
        leads: two_leads(
            thermal,
            vec![constant(0, gamma_l)],
            vec![constant(0, gamma_r)],
        ),
        declared_energy_reference: Some(1),
        declared_particle_references: vec![1],
    }
}

#[derive(Clone, Copy, PartialEq)]
enum CoupledVariant {
    /// Three-terminal capacitively coupled dots, all temperatures independent.
    Cqd,
    /// T_l = T_r = T: the Sánchez–Büttiker heat-to-current converter.
    SanchezButtiker,
    /// Spin-polarised dots with U = κ_c and K = κ_s, T_r = T_u = T (seed Sec. X, eq. 52).
    Icc,
}

/// The dots of `cqd`, `sb` and `icc`: b (between leads l and r) and u (on lead u).
const DOT_B: usize = 0;
const DOT_U: usize = 1;

/// `cqd`, `sb` and `icc`: dot b between leads l and r, dot u on lead u, coupled
/// capacitively (seed Sec. IX.1, IX.1.3, X). Rates gamma_x0 / gamma_x1 apply when the other
/// dot is empty / occupied. Parameters in order: levels and coupling, rates, temperatures,
/// chemical potentials.
fn coupled_dots(variant: CoupledVariant) -> Model {
    use CoupledVariant::*;
    let mut b = Builder::new();
    let (eps_b, eps_u, charging, exchange) = coupled_levels(&mut b, variant);
    let rates = coupled_rates(&mut b);
    let leads = coupled_leads(&mut b, variant, &rates);
    let (name, description, seed, spins) = match variant {
        Cqd => (
            "cqd",
            "three-terminal capacitively coupled quantum dots",
            "Sec. IX.1",
            (None, None),
        ),
        SanchezButtiker => (
            "sb",
            "Sanchez-Buttiker heat-to-current converter (cqd with T_l = T_r = T)",
            "Sec. IX.1.3",
            (None, None),
        ),
        Icc => (
            "icc",
            "spin-polarised coupled dots for inverse currents in coupled transport (eq. 52)",
            "Sec. X",
            (Some(Spin::Down), Some(Spin::Up)),
        ),
    };
    Model {
        name: name.into(),
        description: description.into(),
        seed_section: Some(seed.into()),
        parameters: b.parameters,
        derived: vec![],
        dots: vec![
            Dot {
                name: "b".into(),
                energy: eps_b,
                spin: spins.0,
            },
            Dot {
                name: "u".into(),
                energy: eps_u,
                spin: spins.1,
            },
        ],
        interactions: vec![Interaction {
            a: DOT_B,
            b: DOT_U,
            charging: Some(charging),
            exchange,
        }],
        hoppings: vec![],
        leads,
        declared_energy_reference: Some(1),
        declared_particle_references: vec![1],
    }
}

/// The levels ε_b, ε_u and the interaction of the coupled dots: U = κ, or for `icc` the
/// charge coupling U = κ_c and the spin coupling K = κ_s (seed eq. 52).
fn coupled_levels(
    b: &mut Builder,
    variant: CoupledVariant,
) -> (ParamId, ParamId, ParamId, Option<ParamId>) {
    use CoupledVariant::*;
    let (eps_b_default, kappa_default) = match variant {
        Cqd => (0.5, 1.0),
        SanchezButtiker => (0.0, 1.0),
        Icc => (0.5, -2.0),
    };
    let eps_b = b.param("eps_b", eps_b_default, Role::Energy, "level of dot b");
    let eps_u = b.param("eps_u", 0.5, Role::Energy, "level of dot u");
    let (charging, exchange) = if variant == Icc {
        (
            b.param("kappa_c", kappa_default, Role::Energy, "charge coupling U"),
            Some(b.param("kappa_s", 0.25, Role::Energy, "spin coupling K")),
        )
    } else {
        (
            b.param(
                "kappa",
                kappa_default,
                Role::Energy,
                "capacitive coupling U",
            ),
            None,
        )
    };
    (eps_b, eps_u, charging, exchange)
}

/// The six bare rates gamma_x0, gamma_x1 of leads x = l, r, u (the other dot empty,
/// occupied).
fn coupled_rates(b: &mut Builder) -> Vec<ParamId> {
    // Energy-dependent tunnelling: the defaults make the rates asymmetric so that `sb`
    // converts heat from lead u into a current between l and r.
    let rate_defaults = [
        ("l0", 1.0),
        ("l1", 0.2),
        ("r0", 0.2),
        ("r1", 1.0),
        ("u0", 1.0),
        ("u1", 1.0),
    ];
    rate_defaults
        .iter()
        .map(|(suffix, default)| {
            let lead = &suffix[..1];
            let other = if lead == "u" { "b" } else { "u" };
            let state = if suffix.ends_with('0') {
                "empty"
            } else {
                "occupied"
            };
            b.param(
                &format!("gamma_{suffix}"),
                *default,
                Role::Rate,
                &format!("bare rate of lead {lead} when dot {other} is {state}"),
            )
        })
        .collect()
}

/// Leads l and r on dot b and lead u on dot u, each with the occupation-dependent rate of
/// the other dot, at the temperatures of `variant` (`sb`: T_l = T_r = T; `icc`:
/// T_r = T_u = T).
fn coupled_leads(b: &mut Builder, variant: CoupledVariant, rates: &[ParamId]) -> Vec<Lead> {
    use CoupledVariant::*;
    let (t_l, t_r, t_u) = match variant {
        Cqd => (
            b.param("T_l", 1.5, Role::Temperature, "temperature of lead l"),
            b.param("T_r", 1.0, Role::Temperature, "temperature of lead r"),
            b.param("T_u", 2.0, Role::Temperature, "temperature of lead u"),
        ),
        SanchezButtiker => {
            let t = b.param("T", 1.0, Role::Temperature, "temperature of leads l and r");
            (
                t,
                t,
                b.param("T_u", 2.0, Role::Temperature, "temperature of lead u"),
            )
        }
        Icc => {
            let t_l = b.param("T_l", 1.5, Role::Temperature, "temperature of lead l");
            let t = b.param("T", 1.0, Role::Temperature, "temperature of leads r and u");
            (t_l, t, t)
        }
    };
    let mu_l_default = if variant == SanchezButtiker { 0.0 } else { 0.2 };
    let mu_l = b.param(
        "mu_l",
        mu_l_default,
        Role::ChemicalPotential,
        "chemical potential of lead l",
    );
    let mu_r = b.param(
        "mu_r",
        0.0,
        Role::ChemicalPotential,
        "chemical potential of lead r",
    );
    let mu_u = b.param(
        "mu_u",
        0.0,
        Role::ChemicalPotential,
        "chemical potential of lead u",
    );
    let dependent = |other: usize, empty: ParamId, occupied: ParamId, dot: usize| Coupling {
        dot,
        rate: BareRate::OccupationDependent {
            depends_on: vec![other],
            values: vec![empty, occupied],
        },
    };
    vec![
        lead(
            "l",
            t_l,
            mu_l,
            vec![dependent(DOT_U, rates[0], rates[1], DOT_B)],
        ),
        lead(
            "r",
            t_r,
            mu_r,
            vec![dependent(DOT_U, rates[2], rates[3], DOT_B)],
        ),
        lead(
            "u",
            t_u,
            mu_u,
            vec![dependent(DOT_B, rates[4], rates[5], DOT_U)],
        ),
    ]
}

/// `anderson` — one spinful level (orbitals up and down at ε, on-site U), both orbitals on
/// leads l and r: one conserved component, finite ZT (beyond the seed).
fn anderson() -> Model {
    let mut b = Builder::new();
    let eps = b.param("eps", 0.5, Role::Energy, "level of both spin orbitals");
    let u = b.param("U", 2.0, Role::Energy, "on-site repulsion");
    let gamma_l = b.param(
        "gamma_l",
        1.0,
        Role::Rate,
        "bare rate of lead l (each orbital)",
    );
    let gamma_r = b.param(
        "gamma_r",
        1.0,
        Role::Rate,
        "bare rate of lead r (each orbital)",
    );
    let thermal = b.two_terminal_leads();
    let (dots, interactions) = spinful_level(eps, eps, u);
    Model {
        name: "anderson".into(),
        description: "spinful level (Anderson impurity, sequential tunnelling) between two leads"
            .into(),
        seed_section: None,
        parameters: b.parameters,
        derived: vec![],
        dots,
        interactions,
        hoppings: vec![],
        leads: two_leads(
            thermal,
            vec![constant(0, gamma_l), constant(1, gamma_l)],
            vec![constant(0, gamma_r), constant(1, gamma_r)],
        ),
        declared_energy_reference: Some(1),
        declared_particle_references: vec![1],
    }
}

/// `zeeman_dot` — one spinful level in a magnetic field: ε_↑ = ε + B/2, ε_↓ = ε − B/2
/// (B the Zeeman energy g μ_B B along the quantisation axis), on-site U, lead l polarised
/// along the same axis (γ_l(1 + p_l) for ↑, γ_l(1 − p_l) for ↓), lead r normal (README,
/// "Spin and polarised leads"). B = 0 and p_l = 0 give `anderson`.
fn zeeman_dot() -> Model {
    let mut b = Builder::new();
    b.param(
        "eps",
        0.5,
        Role::Energy,
        "mean level of the two spin orbitals",
    );
    b.param("B", 0.5, Role::Energy, "Zeeman splitting eps_up - eps_down");
    let u = b.param("U", 2.0, Role::Energy, "on-site repulsion");
    b.param(
        "gamma_l",
        1.0,
        Role::Rate,
        "bare rate of lead l (spin average)",
    );
    let gamma_r = b.param(
        "gamma_r",
        1.0,
        Role::Rate,
        "bare rate of lead r (each orbital)",
    );
    b.param(
        "p_l",
        0.5,
        Role::Dimensionless,
        "spin polarisation of lead l (-1..1)",
    );
    let thermal = b.two_terminal_leads();
    let mut model = Model {
        name: "zeeman_dot".into(),
        description: "spinful level in a Zeeman field between a spin-polarised lead l and a \
                      normal lead r"
            .into(),
        seed_section: None,
        parameters: b.parameters,
        derived: vec![],
        dots: vec![],
        interactions: vec![],
        hoppings: vec![],
        leads: vec![],
        declared_energy_reference: Some(1),
        declared_particle_references: vec![1],
    };
    // Derived quantities in the order a JSON model file defines them (dots, interactions,
    // then per lead its rates, temperature, chemical potential), so examples/zeeman_dot.json
    // reads to the same model.
    let mut derived = |text: &str, role: Role| {
        model
            .quantity(text, role)
            .expect("expression of the built-in")
    };
    let (eps_up, eps_down) = (
        derived("eps + B/2", Role::Energy),
        derived("eps - B/2", Role::Energy),
    );
    let (gamma_up, gamma_down) = (
        derived("gamma_l*(1 + p_l)", Role::Rate),
        derived("gamma_l*(1 - p_l)", Role::Rate),
    );
    (model.dots, model.interactions) = spinful_level(eps_up, eps_down, u);
    model.leads = two_leads(
        thermal,
        vec![constant(0, gamma_up), constant(1, gamma_down)],
        vec![constant(0, gamma_r), constant(1, gamma_r)],
    );
    model
}

/// `serial_dd` — serial double dot: spinless dots 1 and 2 with interdot tunnelling,
/// H = ε_1 n_1 + ε_2 n_2 + U n_1 n_2 − t (d_1† d_2 + d_2† d_1), lead l on dot 1, lead r on
/// dot 2 (README, "Interdot tunnelling and coherences"). Current flows only through the
/// coherent hopping, so it needs the eigenbasis of H ([`crate::eigen`]).
fn serial_double_dot() -> Model {
    let mut b = Builder::new();
    let eps_1 = b.param("eps_1", 0.5, Role::Energy, "level of dot 1");
    let eps_2 = b.param("eps_2", 0.3, Role::Energy, "level of dot 2");
    let t = b.param("t", 0.2, Role::Energy, "interdot tunnelling amplitude");
    let u = b.param("U", 2.0, Role::Energy, "interdot charging energy");
    let gamma_l = b.param("gamma_l", 0.01, Role::Rate, "bare rate of lead l on dot 1");
    let gamma_r = b.param("gamma_r", 0.01, Role::Rate, "bare rate of lead r on dot 2");
    let thermal = b.two_terminal_leads();
    let dot = |name: &str, energy| Dot {
        name: name.into(),
        energy,
        spin: None,
    };
    Model {
        name: "serial_dd".into(),
        description: "serial double dot with interdot tunnelling t between two leads".into(),
        seed_section: None,
        parameters: b.parameters,
        derived: vec![],
        dots: vec![dot("1", eps_1), dot("2", eps_2)],
        interactions: vec![Interaction {
            a: 0,
            b: 1,
            charging: Some(u),
            exchange: None,
        }],
        hoppings: vec![Hopping { a: 0, b: 1, t }],
        // Leads l on dot 1 and r on dot 2.
        leads: two_leads(
            thermal,
            vec![constant(0, gamma_l)],
            vec![constant(1, gamma_r)],
        ),
        declared_energy_reference: Some(1),
        declared_particle_references: vec![1],
    }
}
