//! ④ The steady-state method of an operating point: the Pauli rate equation (default), or a
//! density-matrix equation in the eigenbasis of H — the secular Lindblad (Davies) equation
//! or Bloch–Redfield (`qct::redfield`, feature `lindblad`). One dispatch for every
//! command that takes `--method` (`solve`, `onsager`, `regime`, `performance`, `sweep`)
//! and for the Python `sweep(method=…)`.
//!
//! What each method gives an [`crate::OperatingPoint`]:
//! * populations and currents of the nonlinear steady state: Pauli p_k
//!   (`crate::currents::steady_currents`); Re ρ_bb and J^λ = Tr(N D_λ ρ), Tr(H D_λ ρ) of
//!   the density matrix;
//! * the Onsager matrix at the equilibrium of the point: exact linear response of the Pauli
//!   equation (`crate::onsager::linear_response`); for a density-matrix method,
//!   Richardson-extrapolated central finite differences of its own fluxes
//!   (`crate::onsager::finite_differences_with`, truncation O(h⁴) ≈ 1e-12 relative).
//!
//! Far from degeneracies (every pair of eigenstates with the same charges split by
//! |Δ| ≫ γ) the three agree, Redfield to relative O(γ/Δ) and Lindblad's populations
//! exactly (the secular equation's populations obey the Pauli equation); near a degeneracy
//! Redfield keeps the coherences that Pauli and Lindblad drop. Quantities that exist only
//! for the rate equation — counting statistics (noise, Fano factors, TUR) — are refused for
//! the density-matrix methods ([`Solver::require_pauli`]).

use crate::currents::{LeadCurrents, steady_currents};
use crate::error::{Error, Result};
use crate::model::Model;
pub use crate::onsager::FiniteDifference;
use crate::onsager::linear_response;
use crate::rates::Device;
use crate::thermo::ForceBasis;
use nalgebra::DMatrix;

/// Largest number of states whose Pauli steady state is solved by dense state reduction;
/// larger models use the sparse Gauss–Seidel solver.
pub use crate::steady_state::DENSE_LIMIT;

/// A steady-state method (`--method pauli|lindblad|redfield`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// The Pauli rate equation in the eigenbasis of H (the Fock basis without hopping).
    #[default]
    Pauli,
    /// The secular (Davies) Lindblad equation in the eigenbasis of H.
    Lindblad,
    /// The Bloch–Redfield (non-secular) equation in the eigenbasis of H.
    Redfield,
}

impl Method {
    /// Every method, in the order of `--method`'s values.
    pub const ALL: [Method; 3] = [Method::Pauli, Method::Lindblad, Method::Redfield];

    /// The name used by `--method`, the JSON key `method` and the sweep header.
    pub fn name(self) -> &'static str {
        match self {
            Method::Pauli => "pauli",
            Method::Lindblad => "lindblad",
            Method::Redfield => "redfield",
        }
    }

    /// The method called `name` (`pauli`, `lindblad`, `redfield`).
    pub fn from_name(name: &str) -> Result<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| {
                Error::BadAssignment(format!(
                    "unknown method '{name}': use pauli, lindblad or redfield"
                ))
            })
    }

    /// The density-matrix equation of a non-Pauli method.
    #[cfg(feature = "lindblad")]
    pub fn density(self) -> Option<crate::redfield::Method> {
        match self {
            Method::Pauli => None,
            Method::Lindblad => Some(crate::redfield::Method::Lindblad),
            Method::Redfield => Some(crate::redfield::Method::Redfield),
        }
    }
}

/// A [`Method`] set up for one point of a model: H, its eigenbasis and the bare rates are
/// fixed, the lead states (β, μ) free, so the same solver serves the point, its
/// equilibrium, finite differences and a load scan.
#[derive(Debug, Clone, Default)]
pub struct Solver {
    method: Method,
    /// The density-matrix problem of a non-Pauli method.
    #[cfg(feature = "lindblad")]
    problem: Option<Box<crate::redfield::DensityProblem>>,
}

impl Solver {
    /// The Pauli solver (needs no set-up).
    pub fn pauli() -> Solver {
        Solver::default()
    }

    /// `method` for `model` at parameter values `values` (free parameters or the full
    /// vector). A density-matrix method needs the feature `lindblad` and at most
    /// `qct::redfield`'s number of dots (4).
    pub fn new(method: Method, model: &Model, values: &[f64]) -> Result<Solver> {
        if method == Method::Pauli {
            return Ok(Solver::pauli());
        }
        #[cfg(feature = "lindblad")]
        {
            let values = model.resolve(values);
            let problem = crate::redfield::DensityProblem::new(model, &values)?;
            Ok(Solver {
                method,
                problem: Some(Box::new(problem)),
            })
        }
        #[cfg(not(feature = "lindblad"))]
        {
            let _ = (model, values);
            Err(Error::BadAssignment(format!(
                "--method {} needs qct built with the feature `lindblad`",
                method.name()
            )))
        }
    }

    pub fn method(&self) -> Method {
        self.method
    }

    /// The nonlinear steady state of `device` (its lead states; H and rates those this
    /// solver was set up with): the populations of its states and the currents of every
    /// lead.
    pub(crate) fn steady_currents(&self, device: &Device) -> Result<(Vec<f64>, Vec<LeadCurrents>)> {
        #[cfg(feature = "lindblad")]
        if let (Some(problem), Some(method)) = (&self.problem, self.method.density()) {
            let solution = problem.solve(&device.leads, method)?;
            return Ok((solution.populations, solution.currents));
        }
        let (steady, currents) = steady_currents(device)?;
        Ok((steady.probabilities, currents))
    }

    /// L at `equilibrium` in `basis`: exact linear response (Pauli), or finite differences
    /// of this method's fluxes ([`Solver::finite_differences`]) with every entry within its
    /// rounding floor set to 0 — noise, not a measurement (e.g. L_NN of serial_dd at t = 0,
    /// where no particle can cross: ~1e-16 from rounding beside a floor of ~1e-13).
    pub(crate) fn onsager(&self, equilibrium: &Device, basis: &ForceBasis) -> Result<DMatrix<f64>> {
        if self.method == Method::Pauli {
            return linear_response(equilibrium, basis);
        }
        let fd = self.finite_differences(equilibrium, basis)?;
        Ok(fd
            .l
            .zip_map(&fd.floor, |l, floor| if l.abs() <= floor { 0.0 } else { l }))
    }

    /// L at `equilibrium` in `basis` by Richardson-extrapolated central finite differences
    /// of this method's steady-state fluxes, with the rounding floor of every entry
    /// ([`crate::onsager::finite_differences_with`]).
    pub(crate) fn finite_differences(
        &self,
        equilibrium: &Device,
        basis: &ForceBasis,
    ) -> Result<FiniteDifference> {
        crate::onsager::finite_differences_with(equilibrium, basis, &|device: &Device| {
            let (_, currents) = self.steady_currents(device)?;
            Ok(basis.flux_values(&device.leads, &currents))
        })
    }

    /// Refuse `what` (e.g. the sweep quantity `S_J_N^l`) unless this is the Pauli method:
    /// it needs the jumps of the rate equation.
    pub fn require_pauli(&self, what: &str) -> Result<()> {
        require_pauli(self.method, what)
    }
}

/// Refuse `what` unless `method` is Pauli ([`Solver::require_pauli`]).
pub fn require_pauli(method: Method, what: &str) -> Result<()> {
    match method {
        Method::Pauli => Ok(()),
        m => Err(Error::BadAssignment(format!(
            "{what} needs the jumps of the Pauli rate equation (counting statistics); it is \
             not defined for --method {}",
            m.name()
        ))),
    }
}
