//! ① The device as data: dots, interactions, leads and named parameters — no numerics.
//!
//! A [`Model`] refers to its parameters by [`ParamId`]. A parameter used in two places (the
//! temperature `T` of both leads of `sb`, say) is *one* symbol, not two equal numbers: this is
//! what makes a force vanish identically and be dropped (README, Conventions, "Forces and fluxes").
//! The same value feeds the numeric pipeline and, later, the symbolic one.
//!
//! Built-in models are in [`builtin`]; the JSON schema of user models is in [`json`].

pub mod builtin;
pub mod chain;
pub(crate) mod expr;
pub(crate) mod filter;
pub(crate) mod hopping;
pub mod json;
pub mod spin;
pub(crate) mod symbol;

// A tunnelling transition of the state space (the closed forms list theirs).
pub use crate::eigen::{Component as FockComponent, EigenstateReport};
pub use crate::rates::Transition;
pub use expr::Expr;
pub use hopping::Hopping;

use crate::error::{Error, Result};
use petgraph::unionfind::UnionFind;

/// Index of a parameter in [`Model::parameters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParamId(pub usize);

/// What a parameter is, inferred from where the model uses it. A parameter has exactly one
/// role; the role fixes its physical domain and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A single-particle level ε or an interaction U, K (energy unit).
    Energy,
    /// A bare tunnelling rate γ (1/time; with ħ = 1, an energy). Must be ≥ 0.
    Rate,
    /// A lead temperature T (energy unit, k_B = 1). Must be > 0.
    Temperature,
    /// A lead chemical potential μ (energy unit).
    ChemicalPotential,
    /// A pure number used inside expressions (a polarisation p, a lever arm α).
    Dimensionless,
}

impl Role {
    /// Short name used in listings.
    pub fn name(self) -> &'static str {
        match self {
            Role::Energy => "energy",
            Role::Rate => "rate",
            Role::Temperature => "temperature",
            Role::ChemicalPotential => "chemical potential",
            Role::Dimensionless => "dimensionless",
        }
    }

    /// Unit of the parameter in qct's units (k_B = ħ = 1, one energy unit).
    pub fn unit(self) -> &'static str {
        match self {
            Role::Energy | Role::ChemicalPotential => "energy",
            Role::Temperature => "energy (k_B = 1)",
            Role::Rate => "1/time (hbar = 1: energy)",
            Role::Dimensionless => "1",
        }
    }
}

/// A named model parameter with its default value.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub default: f64,
    pub role: Role,
    pub description: String,
    /// The default was given with a unit (a model file's `"T_l": "20mK"`): it is in natural
    /// units with the meV energy unit ([`crate::units`]).
    pub united: bool,
    /// Display symbol in figures, marked up (`ε_b`, `κ_c`; module `symbol`); empty: derived
    /// from the name.
    pub symbol: String,
}

/// A model quantity given as an expression of the free parameters (README, "Parameters as
/// expressions"): its [`ParamId`] is `parameters.len() + ` its index in [`Model::derived`].
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// The canonical text of the expression ([`expr::Expr::render`]); also its name.
    pub text: String,
    /// The expression in the free parameters (no ω: energy-dependent rates are expanded
    /// per transition by module `filter`).
    pub expr: expr::Expr,
    /// The role of the quantity it gives.
    pub role: Role,
}

/// Spin polarisation s_α of a dot (README, Conventions, "System"): σ^z_α = s_α (2 n_α − 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spin {
    Up,
    Down,
}

impl Spin {
    /// s_α = +1 (up) or −1 (down).
    pub fn sign(self) -> f64 {
        match self {
            Spin::Up => 1.0,
            Spin::Down => -1.0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Spin::Up => "up",
            Spin::Down => "down",
        }
    }
}

/// A quantum dot: one orbital holding 0 or 1 electron, at level ε_α.
#[derive(Debug, Clone, PartialEq)]
pub struct Dot {
    pub name: String,
    pub energy: ParamId,
    pub spin: Option<Spin>,
}

/// Pairwise coupling of dots `a < b`: U_ab n_a n_b + K_ab σ^z_a σ^z_b.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub a: usize,
    pub b: usize,
    /// Capacitive (charging) coupling U.
    pub charging: Option<ParamId>,
    /// Spin–spin coupling K (both dots must be spin-polarised).
    pub exchange: Option<ParamId>,
}

/// The bare rate γ_λα of a coupling, possibly depending on other dots' occupations
/// (energy-dependent tunnelling, the README's Conventions "Leads and rates").
#[derive(Debug, Clone, PartialEq)]
pub enum BareRate {
    Constant(ParamId),
    /// `values[k]` applies when the dots `depends_on` have occupations given by the bits of
    /// k, the first dot of `depends_on` being the most significant bit (so `values` lists
    /// the occupation strings "00", "01", "10", "11" in order).
    OccupationDependent {
        depends_on: Vec<usize>,
        values: Vec<ParamId>,
    },
}

/// A tunnel coupling of a lead to one dot.
#[derive(Debug, Clone, PartialEq)]
pub struct Coupling {
    pub dot: usize,
    pub rate: BareRate,
}

/// A thermal lead (fermionic reservoir) at temperature T and chemical potential μ.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    pub name: String,
    pub temperature: ParamId,
    pub chemical_potential: ParamId,
    /// Spin accumulation μ_s = μ_↑ − μ_↓ (energy), if declared: the lead's spin species
    /// are at μ_σ = μ ± μ_s/2 ([`spin`]). `None`: μ_↑ = μ_↓ = μ, and no spin force.
    pub spin_bias: Option<ParamId>,
    pub couplings: Vec<Coupling>,
}

/// A connected component of the dot–lead coupling graph: its electron number is conserved
/// separately (README, Conventions, "Currents, entropy production").
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// Dots of the component, in model order.
    pub dots: Vec<usize>,
    /// Leads of the component, in model order.
    pub leads: Vec<usize>,
}

/// Reference leads for the force–flux identification (README, Conventions, "Forces and fluxes").
#[derive(Debug, Clone, PartialEq)]
pub struct References {
    /// ρ: the energy reference lead.
    pub energy: usize,
    /// ρ_c for each component, in the order of [`Model::components`].
    pub particles: Vec<usize>,
}

/// A quantum-dot device: the data every stage of qct starts from.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: String,
    pub description: String,
    /// Where the model comes from in the review (e.g. "Sec. IX.1").
    pub seed_section: Option<String>,
    /// The free parameters: what `--set` and sweeps vary.
    pub parameters: Vec<Parameter>,
    /// Quantities given as expressions of the free parameters.
    pub derived: Vec<Derived>,
    pub dots: Vec<Dot>,
    pub interactions: Vec<Interaction>,
    /// Interdot tunnelling terms ([`Hopping`]); empty for a Hamiltonian diagonal in the
    /// occupation basis.
    pub hoppings: Vec<Hopping>,
    pub leads: Vec<Lead>,
    /// Default reference leads as declared (names resolved to indices); `None` entries use
    /// the rule of [`Model::default_references`].
    pub declared_energy_reference: Option<usize>,
    pub declared_particle_references: Vec<usize>,
}

/// Largest number of dots qct accepts (2^16 states would not fit a dense generator).
pub(crate) const MAX_DOTS: usize = 14;

impl Model {
    /// Number of many-body states 2^n.
    pub fn n_states(&self) -> usize {
        1 << self.dots.len()
    }

    /// Look a parameter up by name.
    pub fn param(&self, name: &str) -> Option<ParamId> {
        self.parameters
            .iter()
            .position(|p| p.name == name)
            .map(ParamId)
    }

    /// Name of a parameter; for a derived quantity, the text of its expression.
    pub fn param_name(&self, id: ParamId) -> &str {
        match self.derived_of(id) {
            Some(d) => &d.text,
            None => &self.parameters[id.0].name,
        }
    }

    /// The derived quantity `id` refers to, if it is one.
    pub(crate) fn derived_of(&self, id: ParamId) -> Option<&Derived> {
        id.0.checked_sub(self.parameters.len())
            .map(|k| &self.derived[k])
    }

    /// Length of a full value vector: the free parameters, then the derived quantities.
    pub fn n_values(&self) -> usize {
        self.parameters.len() + self.derived.len()
    }

    /// The full value vector, indexed by [`ParamId`], from the free parameter values (the
    /// first `parameters.len()` entries of `values`; the rest is recomputed).
    pub fn complete(&self, values: &[f64]) -> Vec<f64> {
        if values.len() < self.parameters.len() {
            return values.to_vec(); // refused by check_values
        }
        let free = &values[..self.parameters.len()];
        let mut full = free.to_vec();
        full.extend(self.derived.iter().map(|d| d.expr.eval(free, 0.0)));
        full
    }

    /// The full value vector a point is evaluated at: [`Model::complete`] of `values`, except
    /// that a full `values` keeps its derived temperatures and chemical potentials (an
    /// equilibrium point sets them directly, [`crate::thermo::equilibrium_parameters`]).
    pub fn resolve(&self, values: &[f64]) -> Vec<f64> {
        let mut full = self.complete(values);
        if values.len() == self.n_values() {
            for (k, d) in self.derived.iter().enumerate() {
                let i = self.parameters.len() + k;
                if matches!(d.role, Role::Temperature | Role::ChemicalPotential) {
                    full[i] = values[i];
                }
            }
        }
        full
    }

    /// Default values of all parameters and derived quantities, indexed by [`ParamId`].
    pub fn defaults(&self) -> Vec<f64> {
        let free: Vec<f64> = self.parameters.iter().map(|p| p.default).collect();
        self.complete(&free)
    }

    /// A quantity of role `role` given by `text`: a free parameter's name (that parameter),
    /// or an expression of the free parameters (a derived quantity, shared with every other
    /// use of the same canonical text and role). Errors carry the column.
    pub fn quantity(&mut self, text: &str, role: Role) -> std::result::Result<ParamId, String> {
        if let Some(id) = self.param(text.trim()) {
            return Ok(id);
        }
        let names: Vec<&str> = self.parameters.iter().map(|p| p.name.as_str()).collect();
        let parsed = expr::parse(text, &names, false).map_err(|e| e.describe(text))?;
        Ok(self.intern(parsed, role))
    }

    /// The derived quantity of `expr` and `role`, added if new.
    pub(crate) fn intern(&mut self, expr: expr::Expr, role: Role) -> ParamId {
        if let expr::Expr::Param(i) = expr {
            return ParamId(i);
        }
        let names: Vec<&str> = self.parameters.iter().map(|p| p.name.as_str()).collect();
        let text = expr.render(&names);
        let k = match self
            .derived
            .iter()
            .position(|d| d.text == text && d.role == role)
        {
            Some(k) => k,
            None => {
                self.derived.push(Derived { text, expr, role });
                self.derived.len() - 1
            }
        };
        ParamId(self.parameters.len() + k)
    }

    /// Label of a many-body state k: A, B, C, ... (then A1, B1, ... past Z).
    pub fn state_label(k: usize) -> String {
        let letter = (b'A' + (k % 26) as u8) as char;
        if k < 26 {
            letter.to_string()
        } else {
            format!("{letter}{}", k / 26)
        }
    }

    /// Connected components of the graph with dots and leads as nodes and couplings as
    /// edges, ordered by their first dot.
    pub fn components(&self) -> Vec<Component> {
        // Union–find over dots; a lead joins all dots it couples to.
        let mut sets = UnionFind::<usize>::new(self.dots.len());
        for lead in &self.leads {
            if let Some(first) = lead.couplings.first() {
                for c in &lead.couplings[1..] {
                    sets.union(first.dot, c.dot);
                }
            }
        }
        // Interdot tunnelling moves electrons between its dots: one component.
        for h in &self.hoppings {
            sets.union(h.a, h.b);
        }
        let mut components: Vec<Component> = Vec::new();
        let mut root_of_component: Vec<usize> = Vec::new();
        for dot in 0..self.dots.len() {
            let root = sets.find_mut(dot);
            match root_of_component.iter().position(|&r| r == root) {
                Some(c) => components[c].dots.push(dot),
                None => {
                    root_of_component.push(root);
                    components.push(Component {
                        dots: vec![dot],
                        leads: vec![],
                    });
                }
            }
        }
        for (l, lead) in self.leads.iter().enumerate() {
            if let Some(first) = lead.couplings.first() {
                let root = sets.find_mut(first.dot);
                let c = root_of_component.iter().position(|&r| r == root).unwrap();
                components[c].leads.push(l);
            }
        }
        components
    }

    /// Name of a component: its dots joined by '+'.
    pub fn component_name(&self, component: &Component) -> String {
        component
            .dots
            .iter()
            .map(|&d| self.dots[d].name.as_str())
            .collect::<Vec<_>>()
            .join("+")
    }

    /// Index of the component that holds lead `lead`.
    pub(crate) fn component_of_lead(components: &[Component], lead: usize) -> usize {
        components
            .iter()
            .position(|c| c.leads.contains(&lead))
            .expect("every lead couples to a dot (checked by validate)")
    }

    /// Reference leads: the declared ones, else the defaults of the README's Conventions. Default rule: ρ_c
    /// is the last lead of component c (in model order), and ρ is ρ_c of the component of
    /// the first lead. For the built-ins this gives r (energy and dot b), as the seed uses.
    pub fn default_references(&self) -> References {
        let components = self.components();
        let particles: Vec<usize> = components
            .iter()
            .map(|comp| {
                self.declared_particle_references
                    .iter()
                    .copied()
                    .find(|l| comp.leads.contains(l))
                    .unwrap_or_else(|| *comp.leads.last().expect("validated"))
            })
            .collect();
        let energy = self
            .declared_energy_reference
            .unwrap_or_else(|| particles[Self::component_of_lead(&components, 0)]);
        References { energy, particles }
    }

    /// Index of a lead by name.
    pub fn lead_index(&self, name: &str) -> Option<usize> {
        self.leads.iter().position(|l| l.name == name)
    }

    /// Index of a dot by name.
    pub fn dot_index(&self, name: &str) -> Option<usize> {
        self.dots.iter().position(|d| d.name == name)
    }

    /// Names of all leads, comma-separated (for error messages).
    pub fn lead_names(&self) -> String {
        self.leads
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Check the model's structure: names unique, indices in range, every dot coupled to a
    /// lead, every parameter with one role, K only between spin-polarised dots.
    pub fn validate(&self) -> Result<()> {
        let invalid = |reason: String| Error::InvalidModel {
            model: self.name.clone(),
            reason,
        };
        if self.dots.is_empty() {
            return Err(invalid("the model has no dots".into()));
        }
        if self.dots.len() > MAX_DOTS {
            return Err(invalid(format!(
                "{} dots: qct handles at most {MAX_DOTS} (2^{MAX_DOTS} states)",
                self.dots.len()
            )));
        }
        if self.leads.is_empty() {
            return Err(invalid("the model has no leads".into()));
        }
        unique_names(self.parameters.iter().map(|p| p.name.as_str()), "parameter")
            .map_err(invalid)?;
        unique_names(self.dots.iter().map(|d| d.name.as_str()), "dot").map_err(invalid)?;
        unique_names(self.leads.iter().map(|l| l.name.as_str()), "lead").map_err(invalid)?;
        for p in &self.parameters {
            if !valid_identifier(&p.name) {
                return Err(invalid(format!(
                    "parameter name '{}' must start with a letter and contain only letters, \
                     digits and '_'",
                    p.name
                )));
            }
        }
        let mut pairs = std::collections::HashSet::new();
        for i in &self.interactions {
            if i.a >= i.b || i.b >= self.dots.len() {
                return Err(invalid("interaction between invalid dots".into()));
            }
            if !pairs.insert((i.a, i.b)) {
                return Err(invalid(format!(
                    "two interactions between dots {} and {}",
                    self.dots[i.a].name, self.dots[i.b].name
                )));
            }
            if i.exchange.is_some()
                && (self.dots[i.a].spin.is_none() || self.dots[i.b].spin.is_none())
            {
                return Err(invalid(format!(
                    "spin coupling K between {} and {} needs both dots spin-polarised \
                     (\"spin\": \"up\" or \"down\")",
                    self.dots[i.a].name, self.dots[i.b].name
                )));
            }
        }
        for lead in &self.leads {
            if lead.couplings.is_empty() {
                return Err(invalid(format!("lead {} couples to no dot", lead.name)));
            }
            let mut seen = std::collections::HashSet::new();
            for c in &lead.couplings {
                if !seen.insert(c.dot) {
                    return Err(invalid(format!(
                        "lead {} couples twice to dot {}",
                        lead.name, self.dots[c.dot].name
                    )));
                }
                if let BareRate::OccupationDependent { depends_on, values } = &c.rate {
                    if depends_on.contains(&c.dot) {
                        return Err(invalid(format!(
                            "the rate of lead {} on dot {} cannot depend on dot {} itself",
                            lead.name, self.dots[c.dot].name, self.dots[c.dot].name
                        )));
                    }
                    if values.len() != 1 << depends_on.len() {
                        return Err(invalid(format!(
                            "the rate of lead {} on dot {} depends on {} dots and needs {} values",
                            lead.name,
                            self.dots[c.dot].name,
                            depends_on.len(),
                            1 << depends_on.len()
                        )));
                    }
                }
            }
        }
        for (d, dot) in self.dots.iter().enumerate() {
            if !self
                .leads
                .iter()
                .any(|l| l.couplings.iter().any(|c| c.dot == d))
            {
                return Err(invalid(format!(
                    "dot {} is coupled to no lead: its occupation would never change",
                    dot.name
                )));
            }
        }
        hopping::validate(self).map_err(invalid)?;
        spin::validate(self).map_err(invalid)?;
        self.check_roles().map_err(invalid)?;
        let components = self.components();
        if let Some(e) = self.declared_energy_reference
            && e >= self.leads.len()
        {
            return Err(invalid("energy reference is not a lead".into()));
        }
        for (c, comp) in components.iter().enumerate() {
            let declared: Vec<_> = self
                .declared_particle_references
                .iter()
                .filter(|l| comp.leads.contains(l))
                .collect();
            if declared.len() > 1 {
                return Err(invalid(format!(
                    "component {} has more than one particle reference lead",
                    self.component_name(&components[c])
                )));
            }
        }
        Ok(())
    }

    /// Every place a parameter is used, with its role.
    pub fn uses(&self) -> Vec<(ParamId, Role, String)> {
        let mut uses = Vec::new();
        for dot in &self.dots {
            uses.push((
                dot.energy,
                Role::Energy,
                format!("level of dot {}", dot.name),
            ));
        }
        for i in &self.interactions {
            let pair = format!("{}-{}", self.dots[i.a].name, self.dots[i.b].name);
            if let Some(u) = i.charging {
                uses.push((u, Role::Energy, format!("U of {pair}")));
            }
            if let Some(k) = i.exchange {
                uses.push((k, Role::Energy, format!("K of {pair}")));
            }
        }
        uses.extend(hopping::uses(self));
        for lead in &self.leads {
            uses.push((
                lead.temperature,
                Role::Temperature,
                format!("temperature of lead {}", lead.name),
            ));
            uses.push((
                lead.chemical_potential,
                Role::ChemicalPotential,
                format!("chemical potential of lead {}", lead.name),
            ));
            if let Some(bias) = lead.spin_bias {
                uses.push((
                    bias,
                    Role::ChemicalPotential,
                    format!("spin bias of lead {}", lead.name),
                ));
            }
            for c in &lead.couplings {
                let what = format!(
                    "rate of lead {} on dot {}",
                    lead.name, self.dots[c.dot].name
                );
                match &c.rate {
                    BareRate::Constant(p) => uses.push((*p, Role::Rate, what)),
                    BareRate::OccupationDependent { values, .. } => {
                        for p in values {
                            uses.push((*p, Role::Rate, what.clone()));
                        }
                    }
                }
            }
        }
        uses
    }

    fn check_roles(&self) -> std::result::Result<(), String> {
        let mut used = vec![false; self.parameters.len()];
        for (id, role, what) in self.uses() {
            if id.0 >= self.n_values() {
                return Err(format!("{what} refers to a missing parameter"));
            }
            if let Some(d) = self.derived_of(id) {
                if d.role != role {
                    return Err(format!(
                        "{} is used as the {what} ({}) but defined as a {}",
                        d.text,
                        role.name(),
                        d.role.name()
                    ));
                }
                for i in d.expr.parameters() {
                    used[i] = true;
                }
                continue;
            }
            let p = &self.parameters[id.0];
            if p.role != role {
                return Err(format!(
                    "parameter {} is used as the {what} ({}) but declared as {}; a parameter \
                     has one role — use separate parameters",
                    p.name,
                    role.name(),
                    p.role.name()
                ));
            }
            used[id.0] = true;
        }
        if let Some(i) = used.iter().position(|u| !u) {
            return Err(format!(
                "parameter {} is not used anywhere in the model",
                self.parameters[i].name
            ));
        }
        Ok(())
    }
}

fn unique_names<'a>(
    names: impl Iterator<Item = &'a str>,
    what: &str,
) -> std::result::Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for n in names {
        if n.is_empty() {
            return Err(format!("a {what} has an empty name"));
        }
        if !seen.insert(n) {
            return Err(format!("duplicate {what} name '{n}'"));
        }
    }
    Ok(())
}

/// A parameter name usable in expressions: a letter, then letters, digits or '_'.
pub(crate) fn valid_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Check parameter values against their roles: all finite, temperatures > 0, rates ≥ 0;
/// one value per parameter and derived quantity ([`Model::n_values`]), the derived ones
/// checked too (named by their expression).
pub fn check_values(model: &Model, values: &[f64]) -> Result<()> {
    // The common case first, without naming anything: every value acceptable.
    let free = model.parameters.len();
    if values.len() == model.n_values()
        && (model.parameters.iter().zip(values)).all(|(p, &v)| acceptable(p.role, v))
        && (model.derived.iter().zip(&values[free..])).all(|(d, &v)| acceptable(d.role, v))
    {
        return Ok(());
    }
    if values.len() != model.n_values() {
        return Err(Error::BadAssignment(format!(
            "model '{}' has {} parameters and {} derived quantities, got {} values",
            model.name,
            model.parameters.len(),
            model.derived.len(),
            values.len()
        )));
    }
    let named = model
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.role))
        .chain(model.derived.iter().map(|d| (d.text.as_str(), d.role)));
    for ((name, role), &value) in named.zip(values) {
        check_value(name, role, value)?;
    }
    Ok(())
}

/// Does `value` pass [`check_value`] for `role`?
#[inline]
fn acceptable(role: Role, value: f64) -> bool {
    value.is_finite()
        && match role {
            Role::Temperature => value > 0.0 && (1.0 / value).is_finite(),
            Role::Rate => value >= 0.0,
            _ => true,
        }
}

/// Check one parameter value against its role: finite, temperatures > 0 (with a finite
/// β = 1/T), rates ≥ 0.
pub(crate) fn check_value(name: &str, role: Role, value: f64) -> Result<()> {
    let bad = |reason: &str| Error::BadValue {
        name: name.to_string(),
        value,
        reason: reason.to_string(),
    };
    if !value.is_finite() {
        return Err(bad("parameter values must be finite numbers"));
    }
    match role {
        Role::Temperature if value <= 0.0 => Err(bad(
            "a temperature must be > 0 (k_B = 1, same unit as energies)",
        )),
        Role::Temperature if !(1.0 / value).is_finite() => Err(bad(
            "temperature too small: beta = 1/T overflows a double (use T >= 1e-300)",
        )),
        Role::Rate if value < 0.0 => Err(bad("a bare rate must be >= 0")),
        _ => Ok(()),
    }
}
