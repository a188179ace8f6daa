//! The parts of the analysis results, to name them: types only, no functions. The results
//! themselves are at the crate root ([`RegimeAnalysis`](crate::RegimeAnalysis),
//! [`Performance`](crate::Performance), [`Tradeoff`](crate::Tradeoff),
//! [`IccAnalysis`](crate::IccAnalysis)) and are computed by the typed API
//! ([`Model::regime`](crate::Model::regime), [`OperatingPoint::regime`](crate::OperatingPoint::regime),
//! [`Model::performance`](crate::Model::performance), [`Model::tradeoff`](crate::Model::tradeoff),
//! [`Model::icc`](crate::Model::icc)).
//!
//! ```
//! use qct::analysis::FluxReport;
//! use qct::{Model, Representation};
//!
//! let model = Model::builtin("sb")?;
//! let basis = model.basis(Representation::Energy)?;
//! let regime = model.regime(&model.parameters(), &basis)?;
//! let fluxes: &[FluxReport] = &regime.fluxes; // one per force, with its linear prediction
//! assert_eq!(fluxes.len(), basis.forces.len());
//! # Ok::<(), qct::Error>(())
//! ```

pub use crate::icc::{DirectionScan, Run, Wedge};
pub use crate::performance::{LinearCoefficients, LoadOptimum, MachinePerformance};
pub use crate::regime::{FluxReport, ForcePair, Gradient, Level, PairReport};
pub use crate::tradeoff::{EngineTradeoff, RefrigeratorTradeoff};
