//! What a point *is* and what it is good for, beyond the typed API's
//! [`Model::regime`](crate::Model::regime), [`Model::performance`](crate::Model::performance)
//! and [`Model::icc`](crate::Model::icc): the regime classification of an
//! [`OperatingPoint`] for a chosen [`ForcePair`], machine performance and the optimal load,
//! the linear transport coefficients (G, S, K, ZT), the efficiency–power trade-off, and the
//! rounding-zero rule every printed current follows. The command line's `regime`,
//! `tradeoff` and `solve` reports and the derivations are built from these.
//!
//! ```
//! use qct::analysis::{ForcePair, analyse};
//! use qct::{Model, OperatingPoint, Representation};
//!
//! let model = Model::builtin("sb")?;
//! let basis = model.basis(Representation::Energy)?;
//! let point = OperatingPoint::new(&model, model.parameters().values(), &basis)?;
//! let regime = analyse(&point, &basis); // the force pair (F_N^l, F_E^u) of the basis
//! assert!(regime.entropy_production >= 0.0);
//! let pair = ForcePair::of(&basis).expect("sb has a particle and an energy force");
//! assert_ne!(pair.particle, pair.energy);
//! # Ok::<(), qct::Error>(())
//! ```

#[doc(no_inline)]
pub use crate::icc::IccAnalysis;
pub use crate::icc::{DirectionScan, Run, Wedge, analyse_icc, not_applicable};
#[doc(no_inline)]
pub use crate::performance::Performance;
pub use crate::performance::{
    LinearCoefficients, LoadOptimum, MachinePerformance, analyse as analyse_performance,
    analyse_with as analyse_performance_with, heat_basis, linear_coefficients, machine,
    max_efficiency_ratio, optimise_load,
};
pub use crate::regime::{FluxReport, ForcePair, Gradient, Level, PairReport, analyse};
#[doc(no_inline)]
pub use crate::regime::{OperatingPoint, Regime, RegimeAnalysis};
pub use crate::rounding::{
    ROUNDING_ZERO, entropy_production_scale, flux_scales, force_flux_scale, rounded_currents,
    rounded_entropy_production, zero_within_rounding,
};
pub use crate::tradeoff::{EngineTradeoff, RefrigeratorTradeoff, Tradeoff, tradeoff};
