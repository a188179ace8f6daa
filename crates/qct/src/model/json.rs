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

use super::{BareRate, Coupling, Dot, Interaction, Lead, Model, ParamId, Parameter, Role, Spin};
use crate::error::{Error, Result};
use roles::RoleEvidence;
use serde::{Deserialize, Serialize};
use serde_json::Map;

/// A parameter entry: a bare default value, or a default with a description. A default is
/// a number (natural units) or a string with a unit (`"20mK"`, [`crate::units`]).
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum ParameterSpec {
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
pub(crate) struct DotSpec {
    pub name: String,
    pub energy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spin: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InteractionSpec {
    pub dots: [String; 2],
    #[serde(rename = "U", default, skip_serializing_if = "Option::is_none")]
    pub charging: Option<String>,
    #[serde(rename = "K", default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum RateSpec {
    Constant(String),
    Dependent(DependentRateSpec),
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DependentRateSpec {
    pub depends_on: Vec<String>,
    /// Occupation string of `depends_on` (e.g. "01") → rate parameter.
    pub values: Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CouplingSpec {
    pub dot: String,
    pub rate: RateSpec,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LeadSpec {
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
pub(crate) struct ReferenceSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub particles: Vec<String>,
}

/// A model as written in a JSON file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ModelSpec {
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
    /// The model this file describes: parameters, then dots, interactions, tunnelling and
    /// leads (each naming parameters or expressions, whose uses fix the parameters' roles),
    /// then the roles and the reference leads.
    fn into_model(self) -> Result<Model> {
        let (parameters, defaults, declared) = self.parameters()?;
        let mut build = Builder {
            spec: &self,
            evidence: RoleEvidence::new(parameters.len()),
            model: Model {
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
            },
        };
        build.dots()?;
        build.interactions()?;
        build.hoppings()?;
        build.leads()?;
        let Builder {
            mut model,
            evidence,
            ..
        } = build;
        for i in 0..declared.len() {
            let name = model.parameters[i].name.clone();
            model.parameters[i].role = evidence
                .role(i, &declared, &name)
                .map_err(|r| self.invalid(r))?;
        }
        crate::units::check_model_defaults(&model.parameters, &defaults)
            .map_err(|e| self.invalid(e.to_string()))?;
        self.references(&mut model)?;
        Ok(model)
    }

    /// The model's invalidity for `reason`.
    fn invalid(&self, reason: String) -> Error {
        Error::InvalidModel {
            model: self.name.clone(),
            reason,
        }
    }

    /// The declared parameters (role: the declared one, else energy until the uses decide),
    /// their defaults as written, and their declared roles.
    fn parameters(&self) -> Result<(Vec<Parameter>, Vec<crate::units::Value>, Vec<Option<Role>>)> {
        let mut parameters = Vec::new();
        let mut defaults = Vec::new();
        let mut declared: Vec<Option<Role>> = Vec::new();
        for (name, value) in &self.parameters {
            let spec: ParameterSpec = serde_json::from_value(value.clone()).map_err(|_| {
                self.invalid(format!(
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
                        self.invalid(format!(
                            "parameter {name}: role must be one of {}, got \"{r}\"",
                            ROLE_NAMES.join(", ")
                        ))
                    })
                })
                .transpose()?;
            declared.push(role);
            let default = crate::units::parse_json(&default, &format!("parameter {name}"))
                .map_err(|e| self.invalid(e.to_string()))?;
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
        Ok((parameters, defaults, declared))
    }

    /// The index of dot `name`, which `what` refers to.
    fn dot_index(&self, name: &str, what: &str) -> Result<usize> {
        self.dots
            .iter()
            .position(|d| d.name == name)
            .ok_or_else(|| {
                self.invalid(format!(
                    "{what} refers to dot '{name}', which does not exist"
                ))
            })
    }

    /// The declared reference leads (energy ρ, particles ρ_c) of `model`.
    fn references(&self, model: &mut Model) -> Result<()> {
        let lead_index = |name: &str| -> Result<usize> {
            self.leads
                .iter()
                .position(|l| l.name == name)
                .ok_or_else(|| self.invalid(format!("reference lead '{name}' does not exist")))
        };
        let Some(reference) = &self.reference else {
            return Ok(());
        };
        model.declared_energy_reference =
            reference.energy.as_deref().map(lead_index).transpose()?;
        model.declared_particle_references = reference
            .particles
            .iter()
            .map(|n| lead_index(n))
            .collect::<Result<Vec<_>>>()?;
        Ok(())
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

/// [`ModelSpec::into_model`] under way: the model built so far and the evidence for the
/// roles of its parameters, collected from their uses in the Hamiltonian terms and leads.
struct Builder<'a> {
    spec: &'a ModelSpec,
    model: Model,
    evidence: RoleEvidence,
}

impl Builder<'_> {
    /// The quantity of role `role` written as `text` (a parameter name or an expression).
    fn quantity(&mut self, text: &str, role: Role, what: &str) -> Result<ParamId> {
        self.evidence
            .quantity(&mut self.model, text, role, what)
            .map_err(|r| self.spec.invalid(r))
    }

    /// The dot levels ε_α (one per dot, with an optional spin).
    fn dots(&mut self) -> Result<()> {
        let spec = self.spec;
        for d in &spec.dots {
            let spin = match d.spin.as_deref() {
                None => None,
                Some("up") => Some(Spin::Up),
                Some("down") => Some(Spin::Down),
                Some(other) => {
                    return Err(spec.invalid(format!(
                        "dot {}: spin must be \"up\" or \"down\", got \"{other}\"",
                        d.name
                    )));
                }
            };
            let what = format!("the level of dot {}", d.name);
            let energy = self.quantity(&d.energy, Role::Energy, &what)?;
            self.model.dots.push(Dot {
                name: d.name.clone(),
                energy,
                spin,
            });
        }
        Ok(())
    }

    /// The interactions of dot pairs: charging U and exchange K.
    fn interactions(&mut self) -> Result<()> {
        let spec = self.spec;
        for i in &spec.interactions {
            let what = format!("interaction {}-{}", i.dots[0], i.dots[1]);
            let (a, b) = (
                spec.dot_index(&i.dots[0], &what)?,
                spec.dot_index(&i.dots[1], &what)?,
            );
            if a == b {
                return Err(spec.invalid(format!("{what} couples a dot to itself")));
            }
            let mut energy = |text: &Option<String>, name: &str| -> Result<Option<ParamId>> {
                text.as_deref()
                    .map(|u| self.quantity(u, Role::Energy, &format!("{name} of {what}")))
                    .transpose()
            };
            let charging = energy(&i.charging, "U")?;
            let exchange = energy(&i.exchange, "K")?;
            self.model.interactions.push(Interaction {
                a: a.min(b),
                b: a.max(b),
                charging,
                exchange,
            });
        }
        Ok(())
    }

    /// The interdot tunnelling terms.
    fn hoppings(&mut self) -> Result<()> {
        let spec = self.spec;
        let hoppings = super::hopping::from_specs(
            &spec.tunnelling,
            |text, role, what| self.quantity(text, role, what),
            |name, what| spec.dot_index(name, what),
        )?;
        self.model.hoppings = hoppings;
        Ok(())
    }

    /// The leads: temperature, chemical potential, optional spin bias, and the bare rate of
    /// each dot coupling.
    fn leads(&mut self) -> Result<()> {
        let spec = self.spec;
        for l in &spec.leads {
            let what = format!("lead {}", l.name);
            let mut couplings = Vec::new();
            for c in &l.couplings {
                let dot = spec.dot_index(&c.dot, &what)?;
                let rate_what = format!("the rate of lead {} on dot {}", l.name, c.dot);
                let rate = match &c.rate {
                    RateSpec::Constant(text) => self
                        .evidence
                        .rate(&mut self.model, dot, text, &rate_what)
                        .map_err(|r| spec.invalid(r))?,
                    RateSpec::Dependent(dep) => self.occupation_dependent_rate(dep, &rate_what)?,
                };
                couplings.push(Coupling { dot, rate });
            }
            let temperature = self.quantity(
                &l.temperature,
                Role::Temperature,
                &format!("the temperature of {what}"),
            )?;
            let chemical_potential = self.quantity(
                &l.chemical_potential,
                Role::ChemicalPotential,
                &format!("the chemical potential of {what}"),
            )?;
            let spin_bias = l
                .spin_bias
                .as_ref()
                .map(|text| {
                    self.quantity(
                        text,
                        Role::ChemicalPotential,
                        &format!("the spin bias of {what}"),
                    )
                })
                .transpose()?;
            self.model.leads.push(Lead {
                name: l.name.clone(),
                temperature,
                chemical_potential,
                spin_bias,
                couplings,
            });
        }
        Ok(())
    }

    /// A rate that depends on the occupations of up to 8 dots: one rate per occupation
    /// string of `depends_on`.
    fn occupation_dependent_rate(
        &mut self,
        dep: &DependentRateSpec,
        rate_what: &str,
    ) -> Result<BareRate> {
        let spec = self.spec;
        let depends_on = dep
            .depends_on
            .iter()
            .map(|n| spec.dot_index(n, rate_what))
            .collect::<Result<Vec<_>>>()?;
        let k = depends_on.len();
        if k > 8 {
            return Err(spec.invalid(format!("{rate_what} depends on more than 8 dots")));
        }
        let mut values = Vec::new();
        for bits in 0..(1usize << k) {
            let key = occupation_key(bits, k);
            let p = dep
                .values
                .get(&key)
                .and_then(|v| v.as_str())
                .ok_or_else(|| {
                    spec.invalid(format!(
                        "{rate_what}: \"values\" needs a parameter name or an \
                                     expression for occupation \"{key}\" of ({})",
                        dep.depends_on.join(", ")
                    ))
                })?;
            let what = format!("{rate_what} at occupation {key}");
            values.push(self.quantity(p, Role::Rate, &what)?);
        }
        if dep.values.len() != 1 << k {
            return Err(spec.invalid(format!(
                "{rate_what}: \"values\" must have exactly the {} keys of \
                                 {k}-digit occupation strings",
                1 << k
            )));
        }
        Ok(BareRate::OccupationDependent { depends_on, values })
    }
}

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

mod roles;

#[cfg(test)]
mod tests;
