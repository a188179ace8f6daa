//! The JSON model format (documented in README.md, "Model files").
//!
//! ```json
//! {
//!   "name": "cqd",
//!   "description": "three-terminal capacitively coupled quantum dots",
//!   "parameters": { "eps_b": 0.5, "gamma_l0": {"default": 1.0, "description": "..."}, ... },
//!   "dots": [ {"name": "b", "energy": "eps_b", "spin": "down"}, ... ],
//!   "interactions": [ {"dots": ["b", "u"], "U": "kappa", "K": "kappa_s"} ],
//!   "leads": [ {"name": "l", "temperature": "T_l", "chemical_potential": "mu_l",
//!               "spin_bias": "mu_s",   (optional: μ_↑ − μ_↓, [`super::spin`])
//!               "couplings": [ {"dot": "b", "rate": "gamma_l"} |
//!                              {"dot": "b", "rate": {"depends_on": ["u"],
//!                                                    "values": {"0": "gamma_l0", "1": "gamma_l1"}}} ]} ],
//!   "reference": {"energy": "r", "particles": ["r"]}
//! }
//! ```
//! Every energy, rate, temperature and chemical potential names a parameter; a name used in
//! several places is one shared parameter. A parameter's role (energy, rate, temperature,
//! chemical potential) follows from where it is used and must be unique.

use super::expr::{self, Expr};
use super::{BareRate, Coupling, Dot, Interaction, Lead, Model, ParamId, Parameter, Role, Spin};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Map;

/// A parameter entry: a bare default value, or a default with a description. A default is
/// a number (natural units) or a string with a unit (`"20mK"`, [`crate::units`]).
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParameterSpec {
    Full {
        default: serde_json::Value,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        description: String,
        /// "energy", "rate", "temperature", "chemical_potential" or "dimensionless"; needed
        /// only for a parameter used inside expressions whose role qct cannot infer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
        /// Display symbol in figures (`"ε_b"`); default: from the name.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        symbol: String,
    },
    Value(serde_json::Value),
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DotSpec {
    pub name: String,
    pub energy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spin: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InteractionSpec {
    pub dots: [String; 2],
    #[serde(rename = "U", default, skip_serializing_if = "Option::is_none")]
    pub charging: Option<String>,
    #[serde(rename = "K", default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RateSpec {
    Constant(String),
    Dependent(DependentRateSpec),
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DependentRateSpec {
    pub depends_on: Vec<String>,
    /// Occupation string of `depends_on` (e.g. "01") → rate parameter.
    pub values: Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouplingSpec {
    pub dot: String,
    pub rate: RateSpec,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadSpec {
    pub name: String,
    pub temperature: String,
    pub chemical_potential: String,
    /// Spin accumulation μ_s = μ_↑ − μ_↓ (a parameter or expression; [`super::spin`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spin_bias: Option<String>,
    pub couplings: Vec<CouplingSpec>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub particles: Vec<String>,
}

/// A model as written in a JSON file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_section: Option<String>,
    pub parameters: Map<String, serde_json::Value>,
    pub dots: Vec<DotSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interactions: Vec<InteractionSpec>,
    /// Interdot tunnelling terms (see [`super::hopping`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tunnelling: Vec<super::hopping::TunnellingSpec>,
    pub leads: Vec<LeadSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<ReferenceSpec>,
}

/// Read a model from JSON text. `origin` names the source in error messages.
pub fn from_json(text: &str, origin: &str) -> Result<Model> {
    let spec: ModelSpec = serde_json::from_str(text).map_err(|e| Error::ModelFile {
        path: origin.to_string(),
        reason: e.to_string(),
    })?;
    let model = spec.into_model()?;
    model.validate()?;
    Ok(model)
}

/// Read a model from a JSON file.
pub fn from_file(path: &std::path::Path) -> Result<Model> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::ModelFile {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    from_json(&text, &path.display().to_string())
}

/// Write a model as pretty JSON in the format [`from_json`] reads.
pub fn to_json(model: &Model) -> String {
    let spec = ModelSpec::from_model(model);
    let mut text = serde_json::to_string_pretty(&spec).expect("model serialises");
    text.push('\n');
    text
}

impl ModelSpec {
    fn into_model(self) -> Result<Model> {
        let invalid = |reason: String| Error::InvalidModel {
            model: self.name.clone(),
            reason,
        };
        // Parameters: role from a declaration, or inferred from the uses below.
        let mut parameters = Vec::new();
        let mut defaults = Vec::new();
        let mut declared: Vec<Option<Role>> = Vec::new();
        for (name, value) in &self.parameters {
            let spec: ParameterSpec = serde_json::from_value(value.clone()).map_err(|_| {
                invalid(format!(
                    "parameter {name}: expected a number or {{\"default\": number, \
                     \"description\": text, \"role\": role, \"symbol\": text}}"
                ))
            })?;
            let (default, description, role, symbol) = match spec {
                ParameterSpec::Value(v) => (v, String::new(), None, String::new()),
                ParameterSpec::Full {
                    default,
                    description,
                    role,
                    symbol,
                } => (default, description, role, symbol),
            };
            let role = role
                .map(|r| {
                    role_from_name(&r).ok_or_else(|| {
                        invalid(format!(
                            "parameter {name}: role must be one of {}, got \"{r}\"",
                            ROLE_NAMES.join(", ")
                        ))
                    })
                })
                .transpose()?;
            declared.push(role);
            let default = crate::units::parse_json(&default, &format!("parameter {name}"))
                .map_err(|e| invalid(e.to_string()))?;
            defaults.push(default);
            parameters.push(Parameter {
                name: name.clone(),
                default: default.natural(),
                role: role.unwrap_or(Role::Energy),
                description,
                united: matches!(default, crate::units::Value::United { .. }),
                symbol,
            });
        }
        let mut evidence = RoleEvidence::new(parameters.len());
        let mut model = Model {
            name: self.name.clone(),
            description: self.description.clone(),
            seed_section: self.seed_section.clone(),
            parameters,
            derived: vec![],
            dots: vec![],
            interactions: vec![],
            hoppings: vec![],
            leads: vec![],
            declared_energy_reference: None,
            declared_particle_references: vec![],
        };
        let dot_index = |name: &str, what: &str| -> Result<usize> {
            self.dots
                .iter()
                .position(|d| d.name == name)
                .ok_or_else(|| {
                    invalid(format!(
                        "{what} refers to dot '{name}', which does not exist"
                    ))
                })
        };
        for d in &self.dots {
            let spin = match d.spin.as_deref() {
                None => None,
                Some("up") => Some(Spin::Up),
                Some("down") => Some(Spin::Down),
                Some(other) => {
                    return Err(invalid(format!(
                        "dot {}: spin must be \"up\" or \"down\", got \"{other}\"",
                        d.name
                    )));
                }
            };
            let what = format!("the level of dot {}", d.name);
            let energy = evidence
                .quantity(&mut model, &d.energy, Role::Energy, &what)
                .map_err(&invalid)?;
            model.dots.push(Dot {
                name: d.name.clone(),
                energy,
                spin,
            });
        }
        for i in &self.interactions {
            let what = format!("interaction {}-{}", i.dots[0], i.dots[1]);
            let (a, b) = (dot_index(&i.dots[0], &what)?, dot_index(&i.dots[1], &what)?);
            if a == b {
                return Err(invalid(format!("{what} couples a dot to itself")));
            }
            let mut energy = |text: &Option<String>, name: &str| -> Result<Option<ParamId>> {
                text.as_deref()
                    .map(|u| {
                        let what = format!("{name} of {what}");
                        evidence.quantity(&mut model, u, Role::Energy, &what)
                    })
                    .transpose()
                    .map_err(&invalid)
            };
            let charging = energy(&i.charging, "U")?;
            let exchange = energy(&i.exchange, "K")?;
            model.interactions.push(Interaction {
                a: a.min(b),
                b: a.max(b),
                charging,
                exchange,
            });
        }
        model.hoppings = super::hopping::from_specs(
            &self.tunnelling,
            |text, role, what| {
                evidence
                    .quantity(&mut model, text, role, what)
                    .map_err(&invalid)
            },
            dot_index,
        )?;
        for l in &self.leads {
            let what = format!("lead {}", l.name);
            let mut couplings = Vec::new();
            for c in &l.couplings {
                let dot = dot_index(&c.dot, &what)?;
                let rate_what = format!("the rate of lead {} on dot {}", l.name, c.dot);
                let rate =
                    match &c.rate {
                        RateSpec::Constant(text) => evidence
                            .rate(&mut model, dot, text, &rate_what)
                            .map_err(&invalid)?,
                        RateSpec::Dependent(dep) => {
                            let depends_on = dep
                                .depends_on
                                .iter()
                                .map(|n| dot_index(n, &rate_what))
                                .collect::<Result<Vec<_>>>()?;
                            let k = depends_on.len();
                            if k > 8 {
                                return Err(invalid(format!(
                                    "{rate_what} depends on more than 8 dots"
                                )));
                            }
                            let mut values = Vec::new();
                            for bits in 0..(1usize << k) {
                                let key = occupation_key(bits, k);
                                let p = dep.values.get(&key).and_then(|v| v.as_str()).ok_or_else(
                                    || {
                                        invalid(format!(
                                            "{rate_what}: \"values\" needs a parameter name or an \
                                     expression for occupation \"{key}\" of ({})",
                                            dep.depends_on.join(", ")
                                        ))
                                    },
                                )?;
                                let what = format!("{rate_what} at occupation {key}");
                                values.push(
                                    evidence
                                        .quantity(&mut model, p, Role::Rate, &what)
                                        .map_err(&invalid)?,
                                );
                            }
                            if dep.values.len() != 1 << k {
                                return Err(invalid(format!(
                                    "{rate_what}: \"values\" must have exactly the {} keys of \
                                 {k}-digit occupation strings",
                                    1 << k
                                )));
                            }
                            BareRate::OccupationDependent { depends_on, values }
                        }
                    };
                couplings.push(Coupling { dot, rate });
            }
            let temperature = evidence
                .quantity(
                    &mut model,
                    &l.temperature,
                    Role::Temperature,
                    &format!("the temperature of {what}"),
                )
                .map_err(&invalid)?;
            let chemical_potential = evidence
                .quantity(
                    &mut model,
                    &l.chemical_potential,
                    Role::ChemicalPotential,
                    &format!("the chemical potential of {what}"),
                )
                .map_err(&invalid)?;
            let spin_bias = l
                .spin_bias
                .as_ref()
                .map(|text| {
                    evidence.quantity(
                        &mut model,
                        text,
                        Role::ChemicalPotential,
                        &format!("the spin bias of {what}"),
                    )
                })
                .transpose()
                .map_err(&invalid)?;
            model.leads.push(Lead {
                name: l.name.clone(),
                temperature,
                chemical_potential,
                spin_bias,
                couplings,
            });
        }
        for i in 0..declared.len() {
            let name = model.parameters[i].name.clone();
            model.parameters[i].role = evidence.role(i, &declared, &name).map_err(&invalid)?;
        }
        crate::units::check_model_defaults(&model.parameters, &defaults)
            .map_err(|e| invalid(e.to_string()))?;
        let lead_index = |name: &str| -> Result<usize> {
            self.leads
                .iter()
                .position(|l| l.name == name)
                .ok_or_else(|| invalid(format!("reference lead '{name}' does not exist")))
        };
        let reference = self.reference.unwrap_or_default();
        model.declared_energy_reference =
            reference.energy.as_deref().map(lead_index).transpose()?;
        model.declared_particle_references = reference
            .particles
            .iter()
            .map(|n| lead_index(n))
            .collect::<Result<Vec<_>>>()?;
        Ok(model)
    }

    fn from_model(model: &Model) -> ModelSpec {
        let name = |id: ParamId| model.param_name(id).to_string();
        let dot = |d: usize| model.dots[d].name.clone();
        let parameters = model
            .parameters
            .iter()
            .map(|p| {
                let default = if p.united {
                    serde_json::json!(crate::units::with_unit(p.default, p.role))
                } else {
                    serde_json::json!(p.default)
                };
                let role = (p.role == Role::Dimensionless).then(|| ROLE_NAMES[4].to_string());
                let value = if p.description.is_empty() && p.symbol.is_empty() && role.is_none() {
                    default
                } else {
                    serde_json::to_value(ParameterSpec::Full {
                        default,
                        description: p.description.clone(),
                        role,
                        symbol: p.symbol.clone(),
                    })
                    .unwrap_or_default()
                };
                (p.name.clone(), value)
            })
            .collect();
        let leads = model
            .leads
            .iter()
            .map(|l| LeadSpec {
                name: l.name.clone(),
                temperature: name(l.temperature),
                chemical_potential: name(l.chemical_potential),
                spin_bias: l.spin_bias.map(name),
                couplings: l
                    .couplings
                    .iter()
                    .map(|c| CouplingSpec {
                        dot: dot(c.dot),
                        rate: match &c.rate {
                            BareRate::Constant(p) => RateSpec::Constant(name(*p)),
                            BareRate::OccupationDependent { depends_on, values } => {
                                RateSpec::Dependent(DependentRateSpec {
                                    depends_on: depends_on.iter().map(|&d| dot(d)).collect(),
                                    values: values
                                        .iter()
                                        .enumerate()
                                        .map(|(bits, p)| {
                                            (
                                                occupation_key(bits, depends_on.len()),
                                                serde_json::json!(name(*p)),
                                            )
                                        })
                                        .collect(),
                                })
                            }
                        },
                    })
                    .collect(),
            })
            .collect();
        let reference = (model.declared_energy_reference.is_some()
            || !model.declared_particle_references.is_empty())
        .then(|| ReferenceSpec {
            energy: model
                .declared_energy_reference
                .map(|l| model.leads[l].name.clone()),
            particles: model
                .declared_particle_references
                .iter()
                .map(|&l| model.leads[l].name.clone())
                .collect(),
        });
        ModelSpec {
            name: model.name.clone(),
            description: model.description.clone(),
            seed_section: model.seed_section.clone(),
            parameters,
            dots: model
                .dots
                .iter()
                .map(|d| DotSpec {
                    name: d.name.clone(),
                    energy: name(d.energy),
                    spin: d.spin.map(|s| s.name().to_string()),
                })
                .collect(),
            interactions: model
                .interactions
                .iter()
                .map(|i| InteractionSpec {
                    dots: [dot(i.a), dot(i.b)],
                    charging: i.charging.map(name),
                    exchange: i.exchange.map(name),
                })
                .collect(),
            tunnelling: super::hopping::to_specs(model),
            leads,
            reference,
        }
    }
}

/// Occupation string of `k` dots for the bit pattern `bits` (first dot = most significant).
fn occupation_key(bits: usize, k: usize) -> String {
    (0..k)
        .map(|i| {
            if bits >> (k - 1 - i) & 1 == 1 {
                '1'
            } else {
                '0'
            }
        })
        .collect()
}

/// The role names a parameter may declare, in [`Role`] order.
pub(crate) const ROLE_NAMES: [&str; 5] = [
    "energy",
    "rate",
    "temperature",
    "chemical_potential",
    "dimensionless",
];

fn role_from_name(name: &str) -> Option<Role> {
    let roles = [
        Role::Energy,
        Role::Rate,
        Role::Temperature,
        Role::ChemicalPotential,
        Role::Dimensionless,
    ];
    ROLE_NAMES.iter().position(|n| *n == name).map(|i| roles[i])
}

/// What the uses of each free parameter say about its role (README, "Parameters as
/// expressions"): a direct use fixes it; inside an expression, a position whose dimension is
/// clear fixes it (a term added to a number inside a product, as p in `gamma*(1 + p)`, is
/// dimensionless; a term added to `omega` is an energy; the argument of `exp` or an
/// exponent is dimensionless); otherwise the role of the quantity the expression gives.
struct RoleEvidence {
    direct: Vec<Option<(Role, String)>>,
    definite: Vec<Vec<(Role, String)>>,
    fallback: Vec<Vec<(Role, String)>>,
    /// (k, where): parameter i is a factor of a product of dimensional role whose other
    /// factor is parameter k — dimensionless once k's role is dimensional ([`Self::role`]).
    partners: Vec<Vec<(usize, String)>>,
}

impl RoleEvidence {
    fn new(n: usize) -> Self {
        RoleEvidence {
            direct: vec![None; n],
            definite: vec![vec![]; n],
            fallback: vec![vec![]; n],
            partners: vec![vec![]; n],
        }
    }

    /// The quantity of role `role` written as `text` (a parameter name or an expression).
    fn quantity(
        &mut self,
        model: &mut Model,
        text: &str,
        role: Role,
        what: &str,
    ) -> std::result::Result<ParamId, String> {
        let expr = self.parse(model, text, role, what, false)?;
        Ok(model.intern(expr, role))
    }

    /// A bare rate on dot `dot`: a quantity, or with `omega` an energy-dependent rate.
    fn rate(
        &mut self,
        model: &mut Model,
        dot: usize,
        text: &str,
        what: &str,
    ) -> std::result::Result<BareRate, String> {
        let expr = self.parse(model, text, Role::Rate, what, true)?;
        Ok(if expr.uses_omega() {
            super::filter::energy_dependent_rate(model, dot, &expr)
        } else {
            BareRate::Constant(model.intern(expr, Role::Rate))
        })
    }

    fn parse(
        &mut self,
        model: &Model,
        text: &str,
        role: Role,
        what: &str,
        omega: bool,
    ) -> std::result::Result<Expr, String> {
        let names: Vec<&str> = model.parameters.iter().map(|p| p.name.as_str()).collect();
        if super::valid_identifier(text.trim()) && !names.contains(&text.trim()) {
            let mut message = format!(
                "{what} refers to parameter '{}', which is not in \"parameters\"",
                text.trim()
            );
            if let Some(near) = expr::nearest(text.trim(), &names) {
                message.push_str(&format!(" (did you mean '{near}'?)"));
            }
            if !(omega && text.trim() == expr::OMEGA) {
                return Err(message);
            }
        }
        let parsed = expr::parse(text, &names, omega)
            .map_err(|e| format!("{what}: {}", e.describe(text)))?;
        if let Expr::Param(i) = parsed {
            match &self.direct[i] {
                Some((r, first)) if *r != role => {
                    return Err(format!(
                        "parameter {} is used as a {} ({first}) and as a {} ({what}); a \
                         parameter has one role — use separate parameters",
                        names[i],
                        r.name(),
                        role.name()
                    ));
                }
                Some(_) => {}
                None => self.direct[i] = Some((role, what.to_string())),
            }
        } else {
            let (mut positions, mut partners) = (Vec::new(), Vec::new());
            dimension_positions(&parsed, Some(role), &mut positions, &mut partners);
            for (i, k) in partners {
                self.partners[i].push((k, what.to_string()));
            }
            for (i, position) in positions {
                match position {
                    Some(r) => self.definite[i].push((r, what.to_string())),
                    None => self.fallback[i].push((role, what.to_string())),
                }
            }
        }
        Ok(parsed)
    }

    /// The role of parameter `i` (`declared`: every parameter's declared role): declared,
    /// direct, definite positions, a factor beside a dimensional parameter (p in `gamma*p`
    /// where gamma's role is declared, direct or definite: dimensionless), then fallback.
    fn role(
        &self,
        i: usize,
        declared: &[Option<Role>],
        name: &str,
    ) -> std::result::Result<Role, String> {
        if let Some(role) = declared[i] {
            if let Some((r, what)) = &self.direct[i]
                && *r != role
            {
                return Err(format!(
                    "parameter {name} is declared as a {} but used as the {what} ({})",
                    role.name(),
                    r.name()
                ));
            }
            return Ok(role);
        }
        if let Some((r, _)) = &self.direct[i] {
            return Ok(*r);
        }
        // The role of parameter k from declared, direct or definite evidence alone.
        let decided = |k: usize| {
            declared[k]
                .or(self.direct[k].as_ref().map(|d| d.0))
                .or(self.definite[k].first().map(|d| d.0))
        };
        let beside_dimensional = self.partners[i]
            .iter()
            .any(|(k, _)| decided(*k).is_some_and(|r| r != Role::Dimensionless));
        if self.definite[i].is_empty() && beside_dimensional {
            return Ok(Role::Dimensionless);
        }
        for evidence in [&self.definite[i], &self.fallback[i]] {
            if let Some((first, first_what)) = evidence.first() {
                if let Some((other, other_what)) = evidence.iter().find(|(r, _)| r != first) {
                    return Err(format!(
                        "parameter {name} appears as a {} (in {first_what}) and as a {} (in \
                         {other_what}); declare its role: {{\"default\": ..., \"role\": \
                         \"energy\" | \"rate\" | \"temperature\" | \"chemical_potential\" | \
                         \"dimensionless\"}}",
                        first.name(),
                        other.name()
                    ));
                }
                return Ok(*first);
            }
        }
        Err(format!(
            "parameter {name} is not used anywhere in the model"
        ))
    }
}

/// Parameters of `e` with the role their position implies (`None`: not clear), for an
/// expression at position `position` (the role of the quantity at the root); and in
/// `partners`, (j, k) for each parameter j in a factor of a product of dimensional role
/// whose other factor is the parameter k (`gamma*p`: p beside gamma, gamma beside p).
fn dimension_positions(
    e: &Expr,
    position: Option<Role>,
    out: &mut Vec<(usize, Option<Role>)>,
    partners: &mut Vec<(usize, usize)>,
) {
    let number = |e: &Expr| matches!(e, Expr::Number { .. });
    match e {
        Expr::Number { .. } | Expr::Omega => {}
        Expr::Param(i) => out.push((*i, position)),
        Expr::Neg(a) => dimension_positions(a, position, out, partners),
        Expr::Add(a, b) | Expr::Sub(a, b) => {
            let side = if matches!(**a, Expr::Omega) || matches!(**b, Expr::Omega) {
                Some(Role::Energy)
            } else if position.is_none() && (number(a) || number(b)) {
                Some(Role::Dimensionless)
            } else {
                position
            };
            dimension_positions(a, side, out, partners);
            dimension_positions(b, side, out, partners);
        }
        Expr::Mul(a, b) => {
            let (pa, pb) = match (number(a), number(b)) {
                (true, _) => (None, position),
                (_, true) => (position, None),
                _ => (None, None),
            };
            if position.is_some_and(|r| r != Role::Dimensionless) {
                for (factor, other) in [(a, b), (b, a)] {
                    if let Expr::Param(k) = **other {
                        partners.extend(factor.parameters().into_iter().map(|j| (j, k)));
                    }
                }
            }
            dimension_positions(a, pa, out, partners);
            dimension_positions(b, pb, out, partners);
        }
        Expr::Div(a, b) => {
            let pa = if number(b) { position } else { None };
            dimension_positions(a, pa, out, partners);
            dimension_positions(b, None, out, partners);
        }
        Expr::Pow(a, b) => {
            dimension_positions(a, None, out, partners);
            dimension_positions(b, Some(Role::Dimensionless), out, partners);
        }
        Expr::Sqrt(a) => dimension_positions(a, None, out, partners),
        Expr::Exp(a) => dimension_positions(a, Some(Role::Dimensionless), out, partners),
    }
}
