//! # qct — quantum coupled transport
//!
//! Thermodynamics of quantum dots coupled to thermal leads in the sequential-tunnelling
//! (Pauli master equation) regime, following the review "Thermodynamics of Quantum Coupled
//! Transport" (the seed) with the conventions of `the README's Conventions`.
//!
//! The pipeline: model ① → spectrum ② → rates ③ → steady state ④ → currents ⑤ → forces
//! and fluxes ⑥ → Onsager matrix ⑦ (and its cycle form) → analysis (regime, performance,
//! ICC) → closed forms ⑨. `exact` (rational arithmetic) and `lindblad` (the full density
//! matrix) are independent engines over the same model, used as oracles. `sweep` evaluates
//! any quantities on an N-D parameter grid, in shards that merge back into one output.
//!
//! ```
//! use qct::{Model, Representation};
//!
//! let model = Model::builtin("cqd")?;
//! let mut p = model.parameters();
//! p.set("T_u", 2.5)?;
//! let onsager = model.onsager(&p, Representation::Heat)?; // L at the point's equilibrium
//! assert_eq!(onsager.l.shape(), (3, 3));
//! # Ok::<(), qct::Error>(())
//! ```
//!
//! # Public surface
//!
//! Small and deliberate; every other module is private and its items `pub(crate)` (the
//! library denies `unreachable_pub`, so a `pub` item is one a caller can name).
//!
//! * **The typed API, at the root** (24 types): a [`Model`] and its [`Parameters`] set by
//!   name; what qct computes at one point — [`Solution`] (steady state), [`SteadyPoint`]
//!   (with its forces, fluxes, Σ̇ and conservation in a basis, by any [`Method`]),
//!   [`Linear`] (Onsager matrix), [`Onsager`] (L with its finite-difference check),
//!   [`CountingStatistics`] (noise), [`OperatingPoint`], [`RegimeAnalysis`] with its
//!   [`Regime`], [`Performance`], [`Tradeoff`], [`IccAnalysis`], [`KirchhoffCycle`], sweep
//!   columns ([`Column`], [`Model::evaluate`]) — in a [`ForceBasis`] of a
//!   [`Representation`]; [`LeadCurrents`]; a [`Plan`] (a model prepared for many points);
//!   the sweep's [`Grid`] and [`Table`]; every failure an [`Error`] ([`Result`]); [`Named`],
//!   the names of the library's enums (for a client's option parser). This is what a
//!   notebook, another program and the `qct` command use.
//! * **Library concerns a caller names directly**, public modules: [`model`] (the built-in
//!   models, JSON model files in and out, the model's parts), [`thermo`] (forces, fluxes,
//!   references, equilibrium of a point), [`sweep`] (grids, shards, tables, CSV/JSON writers,
//!   the merge of shards — a sweep's files are the library's output format, not the
//!   command line's), [`quantity`] (the names of sweep columns and a point's evaluation),
//!   [`units`] (input units, CODATA constants) and [`si`] (SI factors of every output kind,
//!   one definition for the command line's and the Python package's `si` units), [`fcs`]
//!   (the noise matrix, Fano factors, TUR), [`method`] (the steady-state methods),
//!   [`scalar`] (the number trait the force and flux formulas are generic over), and
//!   [`analysis`] (types only: the parts of the analysis results, to name them).
//! * **Private**: the stages of the pipeline (rates, spectrum, steady state, currents, the
//!   three routes to L, the eigenbasis, the evaluation plan) and of the analysis (regime,
//!   performance, ICC, trade-off, the rounding-zero rule). Their cross-checks — one stage
//!   against an independent route — are the library's own tests (`src/tests/`).
//! * **Optional engines** (features): `exact` (the rational Pauli oracle), `lindblad` and
//!   `redfield` (density-matrix oracles), `symbolic` (closed forms with Symbolica; nothing
//!   outside it names a Symbolica type).

#![warn(unreachable_pub, unnameable_types)]

mod api;
mod currents;
mod eigen;
mod error;
pub mod analysis;
pub mod fcs;
mod icc;
pub mod method;
pub mod model;
mod network;
mod onsager;
mod performance;
mod plan;
pub mod quantity;
mod rates;
mod regime;
mod rounding;
pub mod scalar;
mod scaled;
pub mod si;
mod spectrum;
mod steady_state;
pub mod sweep;
pub mod thermo;
mod tradeoff;
pub mod units;
#[cfg(feature = "exact")]
pub mod exact;
#[cfg(feature = "lindblad")]
pub mod lindblad;
#[cfg(feature = "lindblad")]
pub mod redfield;
#[cfg(feature = "symbolic")]
pub mod symbolic;
#[cfg(test)]
mod tests;

pub use api::{Column, Linear, Parameters, Solution};
pub use api::{CountingStatistics, SteadyPoint};
pub use api::{KirchhoffCycle, Plan};
pub use currents::LeadCurrents;
pub use error::{Error, Named, Result};
pub use icc::IccAnalysis;
pub use method::Method;
pub use model::Model;
pub use onsager::Onsager;
pub use performance::Performance;
pub use regime::{OperatingPoint, Regime, RegimeAnalysis};
pub use sweep::{Grid, Table};
pub use thermo::{ForceBasis, Representation};
pub use tradeoff::Tradeoff;
