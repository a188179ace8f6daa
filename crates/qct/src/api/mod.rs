//! The typed entry points of the library: a [`Model`], its [`Parameters`] set by name, and
//! what qct computes at one point — the nonlinear steady state ([`Model::solve`]), the
//! Onsager matrix at the point's equilibrium ([`Model::onsager`]), the operating point with
//! its regime ([`Model::operating_point`], [`Model::regime`]), machine performance and the
//! ICC analysis. Every failure is an [`Error`]; nothing here prints.
//!
//! ```
//! use qct::{Model, Representation};
//!
//! let model = Model::builtin("cqd")?;
//! let mut p = model.parameters();
//! p.set("eps_b", 0.5)?.set("kappa", -2.0)?;
//! let onsager = model.onsager(&p, Representation::Energy)?;
//! assert_eq!(onsager.forces, ["F_N^l", "F_E^l", "F_E^u"]);
//! assert!((onsager.l[(0, 1)] - onsager.l[(1, 0)]).abs() < 1e-15); // reciprocity
//! # Ok::<(), qct::Error>(())
//! ```

use crate::currents::LeadCurrents;
use crate::error::{Error, Result};
use crate::icc::{IccAnalysis, analyse_icc};
use crate::model::{Model, References, check_values};
use crate::performance::Performance;
use crate::rates::Device;
use crate::regime::{OperatingPoint, RegimeAnalysis, analyse};
use crate::thermo::{ForceBasis, Representation};
use crate::units::{Value, check_mixing, parse_parameter};
use nalgebra::DMatrix;

mod analysis;
mod evaluate;
mod plan;
pub use analysis::KirchhoffCycle;
pub use evaluate::Column;
pub use plan::Plan;
#[cfg(feature = "exact")]
mod exact;
mod point;
pub use point::{CountingStatistics, SteadyPoint};

/// Parameter values of one model, read and set by name. Starts at the model's defaults;
/// every `set` checks the name (with a suggestion for a misspelling) and the value
/// (finite; temperatures > 0; rates ≥ 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    model: String,
    names: Vec<String>,
    roles: Vec<crate::model::Role>,
    /// The model's derived quantities (README, "Parameters as expressions"), recomputed
    /// after every change.
    derived: Vec<crate::model::Derived>,
    /// The parameters, then the derived quantities.
    values: Vec<f64>,
    /// Which values were given with a unit (`0.1meV`).
    united: Vec<bool>,
}

impl Parameters {
    /// Set parameter `name` to `value` (natural units: k_B = ħ = 1, one energy unit).
    pub fn set(&mut self, name: &str, value: f64) -> Result<&mut Self> {
        let k = self.index(name)?;
        if self.derived.is_empty() {
            // Only this value changes: check it alone (the others were checked before).
            crate::model::check_value(&self.names[k], self.roles[k], value)?;
            self.values[k] = value;
            self.united[k] = false;
            return Ok(self);
        }
        let mut trial = self.values.clone();
        trial[k] = value;
        let trial = self.complete(trial);
        self.check(&trial)?;
        self.values = trial;
        self.united[k] = false;
        Ok(self)
    }

    /// Set parameter `name` from text: a number in natural units, or a value with a unit
    /// (`0.1meV`, `200mK`, `1e9/s`, `1ueV`; [`crate::units`]), converted to natural units
    /// with the meV energy unit. Mixing plain and united dimensional values is refused by
    /// [`Parameters::physical`].
    pub fn set_text(&mut self, name: &str, text: &str) -> Result<&mut Self> {
        let k = self.index(name)?;
        let parsed = parse_parameter(text.trim(), name, self.roles[k])?;
        let mut trial = self.values.clone();
        trial[k] = parsed.natural();
        let trial = self.complete(trial);
        self.check(&trial)?;
        self.values = trial;
        self.united[k] = matches!(parsed, Value::United { .. });
        Ok(self)
    }

    /// Apply `NAME=VALUE` assignments in order (later ones win), values as in
    /// [`Parameters::set_text`].
    pub fn assign<S: AsRef<str>>(&mut self, assignments: &[S]) -> Result<&mut Self> {
        for assignment in assignments {
            let assignment = assignment.as_ref();
            let (name, value) = assignment.split_once('=').ok_or_else(|| {
                Error::BadAssignment(format!(
                    "--set expects NAME=VALUE (e.g. --set T_l=1.5), got '{assignment}'"
                ))
            })?;
            self.set_text(name.trim(), value)?;
        }
        Ok(self)
    }

    /// Whether the point is in physical units: true when dimensional values were given with
    /// units (then natural units mean meV, meV, 1/ħ·meV); an error when plain dimensional
    /// numbers are mixed with united ones.
    pub fn physical(&self) -> Result<bool> {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        check_mixing(&names, &self.roles, &self.values, &self.united)
    }

    /// The value of parameter `name`.
    pub fn get(&self, name: &str) -> Result<f64> {
        Ok(self.values[self.index(name)?])
    }

    /// All values: the parameters in the model's order, then its derived quantities
    /// ([`Model::complete`]).
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Which values carry a unit (given, or a model file's default), in parameter order.
    pub fn united(&self) -> &[bool] {
        &self.united
    }

    /// (name, value) pairs in the model's parameter order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.names
            .iter()
            .map(String::as_str)
            .zip(self.values.iter().copied())
    }

    fn index(&self, name: &str) -> Result<usize> {
        let name = name.trim();
        self.names.iter().position(|n| n == name).ok_or_else(|| {
            let closest = self
                .names
                .iter()
                .map(|n| (strsim::jaro_winkler(n, name), n))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            Error::UnknownParameter {
                model: self.model.clone(),
                name: name.to_string(),
                hint: match closest {
                    Some((score, n)) if score > 0.8 => format!(" (did you mean '{n}'?)"),
                    _ => String::new(),
                },
                known: self.names.join(", "),
            }
        })
    }

    /// `values` with the derived quantities recomputed from its parameters.
    fn complete(&self, mut values: Vec<f64>) -> Vec<f64> {
        let n = self.names.len();
        for (k, d) in self.derived.iter().enumerate() {
            values[n + k] = d.expr.eval(&values[..n], 0.0);
        }
        values
    }

    fn check(&self, values: &[f64]) -> Result<()> {
        let named = self
            .names
            .iter()
            .map(String::as_str)
            .zip(self.roles.iter().copied())
            .chain(self.derived.iter().map(|d| (d.text.as_str(), d.role)));
        for ((name, role), &value) in named.zip(values) {
            crate::model::check_value(name, role, value)?;
        }
        Ok(())
    }
}

/// The nonlinear steady state at one point ([`Model::solve`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// p_k of every basis state (state k has dot α occupied iff bit α of k is set).
    pub probabilities: Vec<f64>,
    /// Particle, energy and heat currents into the system from each lead, in lead order.
    pub currents: Vec<LeadCurrents>,
    /// Lead names, in the order of `currents`.
    pub leads: Vec<String>,
    /// Σ̇ = −Σ_λ β_λ J_Q^λ ≥ 0 (k_B per unit time).
    pub entropy_production: f64,
    /// max_k |(W p)_k| / largest probability outflow: how well p solves W p = 0.
    pub residual: f64,
    /// Diagnostics worth a reader's attention (e.g. astronomically slow relaxation).
    pub notes: Vec<String>,
}

/// The Onsager matrix at the equilibrium of a point ([`Model::onsager`]): J = L F to first
/// order, with the flux and force names of its rows and columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    /// L_ij, rows fluxes, columns forces.
    pub l: DMatrix<f64>,
    /// Flux names (`J_N^l`, `J_E^u`, `J_Q^l`), the rows.
    pub fluxes: Vec<String>,
    /// Force names (`F_N^l`, ...), the columns.
    pub forces: Vec<String>,
}

impl Model {
    /// A built-in model by name (`sqd`, `cqd`, `sb`, `icc`, `anderson`, ...).
    pub fn builtin(name: &str) -> Result<Model> {
        crate::model::builtin::builtin(name)
    }

    /// A model from the text of a JSON model file; `origin` names it in messages.
    pub fn from_json(text: &str, origin: &str) -> Result<Model> {
        crate::model::json::from_json(text, origin)
    }

    /// The model's parameters at their defaults.
    pub fn parameters(&self) -> Parameters {
        Parameters {
            model: self.name.clone(),
            names: self.parameters.iter().map(|p| p.name.clone()).collect(),
            roles: self.parameters.iter().map(|p| p.role).collect(),
            derived: self.derived.clone(),
            values: self.defaults(),
            united: self.parameters.iter().map(|p| p.united).collect(),
        }
    }

    /// The model's parameters at `values`: one value per parameter in the model's order
    /// (the derived quantities are recomputed) or the full [`Parameters::values`] of this
    /// model (derived quantities included, recomputed all the same). Every value is checked
    /// as by [`Parameters::set`]; a slice of any other length is an error, never a panic.
    ///
    /// ```
    /// use qct::Model;
    ///
    /// let model = Model::builtin("sqd")?;
    /// let mut p = model.parameters();
    /// p.set("T_l", 2.0)?;
    /// assert_eq!(model.parameters_at(p.values())?, p);
    /// assert!(model.parameters_at(&[1.0]).is_err()); // sqd has more parameters
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn parameters_at(&self, values: &[f64]) -> Result<Parameters> {
        let mut p = self.parameters();
        let n = self.parameters.len();
        if values.len() != n && values.len() != p.values.len() {
            return Err(Error::BadAssignment(format!(
                "model '{}' has {n} parameters ({}), got {} values",
                self.name,
                p.names.join(", "),
                values.len()
            )));
        }
        let mut trial = p.values.clone();
        trial[..n].copy_from_slice(&values[..n]);
        let trial = p.complete(trial);
        p.check(&trial)?;
        p.values = trial;
        Ok(p)
    }

    /// Reference leads: the defaults, changed by `energy=LEAD`, `DOT=LEAD` (the component
    /// of DOT) or a bare `LEAD` (energy and its own component).
    pub fn references<S: AsRef<str>>(&self, choices: &[S]) -> Result<References> {
        crate::thermo::choose_references(self, choices)
    }

    /// The force–flux basis in `representation` with the default references.
    pub fn basis(&self, representation: Representation) -> Result<ForceBasis> {
        ForceBasis::new(self, representation, self.default_references())
    }

    /// The nonlinear steady state of the Pauli equation at `p` and its currents.
    pub fn solve(&self, p: &Parameters) -> Result<Solution> {
        self.solution(&self.device(p)?)
    }

    /// L at the equilibrium of `p` (README, Conventions, "Linear response"), by exact linear
    /// response (no finite differences; [`Model::onsager_checks`] adds those checks).
    pub fn onsager(&self, p: &Parameters, representation: Representation) -> Result<Linear> {
        self.onsager_in(p, &self.basis(representation)?)
    }

    /// [`Model::onsager`] in `basis` (its representation and reference leads).
    pub fn onsager_in(&self, p: &Parameters, basis: &ForceBasis) -> Result<Linear> {
        Ok(Linear {
            l: Model::onsager_of(&self.device(p)?, basis)?,
            fluxes: basis.forces.iter().map(|f| basis.flux_name(f)).collect(),
            forces: basis.forces.iter().map(|f| basis.force_name(f)).collect(),
        })
    }

    /// The steady state, forces, fluxes, Σ̇ and L of the point `p` in `basis`.
    pub fn operating_point(&self, p: &Parameters, basis: &ForceBasis) -> Result<OperatingPoint> {
        OperatingPoint::of_device(self.device(p)?, basis)
    }

    /// The transport regime of the point `p` (seed Fig. 3) and its linear-response
    /// prediction.
    pub fn regime(&self, p: &Parameters, basis: &ForceBasis) -> Result<RegimeAnalysis> {
        Ok(analyse(&self.operating_point(p, basis)?, basis))
    }

    /// Power, efficiency and COP of the point `p`, the linear coefficients G, S, K, ZT at
    /// its equilibrium, and the optimum over the load (all in the heat representation with
    /// the references of `basis`).
    pub fn performance(&self, p: &Parameters, basis: &ForceBasis) -> Result<Performance> {
        check_values(self, &p.values)?;
        crate::performance::analyse(self, &p.values, basis)
    }

    /// ICC wedges from L and nonlinear direction scans at `radii` (in units of β) with
    /// `directions` directions each; an error naming the reason when the model has no
    /// particle–energy force pair.
    pub fn icc(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
        radii: &[f64],
        directions: usize,
    ) -> Result<IccAnalysis> {
        analyse_icc(&self.operating_point(p, basis)?, basis, radii, directions)
    }

    /// The model evaluated at `p` (checked to be this model's parameters).
    fn device(&self, p: &Parameters) -> Result<Device> {
        self.check_parameters(p)?;
        Device::new(self, &p.values)
    }

    /// Check that `p` are parameters of this model with acceptable values.
    fn check_parameters(&self, p: &Parameters) -> Result<()> {
        self.check_model_of(p)?;
        check_values(self, &p.values)
    }

    /// Check that `p` are parameters of this model.
    fn check_model_of(&self, p: &Parameters) -> Result<()> {
        if p.model != self.name || p.names.len() != self.parameters.len() {
            return Err(Error::BadAssignment(format!(
                "parameters of model '{}' used with model '{}'",
                p.model, self.name
            )));
        }
        Ok(())
    }
}
