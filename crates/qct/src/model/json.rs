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
        // Parameters: role still unknown, filled in from the uses below.
        let mut parameters = Vec::new();
        let mut defaults = Vec::new();
        for (name, value) in &self.parameters {
            let spec: ParameterSpec = serde_json::from_value(value.clone()).map_err(|_| {
                invalid(format!(
                    "parameter {name}: expected a number or {{\"default\": number, \
                     \"description\": text}}"
                ))
            })?;
            let (default, description) = match spec {
                ParameterSpec::Value(v) => (v, String::new()),
                ParameterSpec::Full {
                    default,
                    description,
                } => (default, description),
            };
            let default = crate::units::parse_json(&default, &format!("parameter {name}"))
                .map_err(|e| invalid(e.to_string()))?;
            defaults.push(default);
            parameters.push(Parameter {
                name: name.clone(),
                default: default.natural(),
                role: Role::Energy,
                description,
                united: matches!(default, crate::units::Value::United { .. }),
            });
        }
        let mut roles: Vec<Option<Role>> = vec![None; parameters.len()];
        let mut lookup = |name: &str, role: Role, what: &str| -> Result<ParamId> {
            let i = parameters
                .iter()
                .position(|p| p.name == name)
                .ok_or_else(|| {
                    invalid(format!(
                        "{what} refers to parameter '{name}', which is not in \"parameters\""
                    ))
                })?;
            match roles[i] {
                None => roles[i] = Some(role),
                Some(r) if r != role => {
                    return Err(invalid(format!(
                        "parameter {name} is used as a {} and as a {} ({what}); a parameter \
                         has one role — use separate parameters",
                        r.name(),
                        role.name()
                    )));
                }
                _ => {}
            }
            Ok(ParamId(i))
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
        let mut dots = Vec::new();
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
            dots.push(Dot {
                name: d.name.clone(),
                energy: lookup(&d.energy, Role::Energy, &format!("dot {}", d.name))?,
                spin,
            });
        }
        let mut interactions = Vec::new();
        for i in &self.interactions {
            let what = format!("interaction {}-{}", i.dots[0], i.dots[1]);
            let (a, b) = (dot_index(&i.dots[0], &what)?, dot_index(&i.dots[1], &what)?);
            if a == b {
                return Err(invalid(format!("{what} couples a dot to itself")));
            }
            interactions.push(Interaction {
                a: a.min(b),
                b: a.max(b),
                charging: i
                    .charging
                    .as_deref()
                    .map(|u| lookup(u, Role::Energy, &what))
                    .transpose()?,
                exchange: i
                    .exchange
                    .as_deref()
                    .map(|k| lookup(k, Role::Energy, &what))
                    .transpose()?,
            });
        }
        let mut leads = Vec::new();
        for l in &self.leads {
            let what = format!("lead {}", l.name);
            let mut couplings = Vec::new();
            for c in &l.couplings {
                let dot = dot_index(&c.dot, &what)?;
                let rate_what = format!("rate of lead {} on dot {}", l.name, c.dot);
                let rate = match &c.rate {
                    RateSpec::Constant(p) => BareRate::Constant(lookup(p, Role::Rate, &rate_what)?),
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
                            let p = dep.values.get(&key).and_then(|v| v.as_str()).ok_or_else(|| {
                                invalid(format!(
                                    "{rate_what}: \"values\" needs a parameter name for occupation \
                                     \"{key}\" of ({})",
                                    dep.depends_on.join(", ")
                                ))
                            })?;
                            values.push(lookup(p, Role::Rate, &rate_what)?);
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
            leads.push(Lead {
                name: l.name.clone(),
                temperature: lookup(&l.temperature, Role::Temperature, &what)?,
                chemical_potential: lookup(&l.chemical_potential, Role::ChemicalPotential, &what)?,
                couplings,
            });
        }
        for (p, role) in parameters.iter_mut().zip(&roles) {
            p.role = role.ok_or_else(|| {
                invalid(format!(
                    "parameter {} is not used anywhere in the model",
                    p.name
                ))
            })?;
        }
        crate::units::check_model_defaults(&parameters, &defaults)
            .map_err(|e| invalid(e.to_string()))?;
        let lead_index = |name: &str| -> Result<usize> {
            self.leads
                .iter()
                .position(|l| l.name == name)
                .ok_or_else(|| invalid(format!("reference lead '{name}' does not exist")))
        };
        let reference = self.reference.unwrap_or_default();
        let declared_energy_reference = reference.energy.as_deref().map(lead_index).transpose()?;
        let declared_particle_references = reference
            .particles
            .iter()
            .map(|n| lead_index(n))
            .collect::<Result<Vec<_>>>()?;
        Ok(Model {
            name: self.name.clone(),
            description: self.description.clone(),
            seed_section: self.seed_section.clone(),
            parameters,
            dots,
            interactions,
            leads,
            declared_energy_reference,
            declared_particle_references,
        })
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
                let value = if p.description.is_empty() {
                    default
                } else {
                    serde_json::json!({"default": default, "description": p.description})
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
