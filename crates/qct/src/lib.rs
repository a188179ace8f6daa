//! # qct — quantum coupled transport
//!
//! Thermodynamics of quantum dots coupled to thermal leads in the sequential-tunnelling
//! (Pauli master equation) regime, following the review "Thermodynamics of Quantum Coupled
//! Transport" (the seed) with the conventions of `the README's Conventions`.
//!
//! The modules follow the data flow:
//! model ① → spectrum ② → rates ③ → steady state ④ → currents ⑤ → forces and fluxes ⑥ →
//! Onsager matrix ⑦ (network: its cycle form) → closed forms ⑨ → report ⑩ → command line.
//! `exact` (rational arithmetic) and `lindblad` (the full density matrix) are independent
//! engines over the same stages, used as oracles.
//! `sweep` evaluates any numeric quantities on an N-D parameter grid, in shards that
//! merge back into one output.

#![warn(unreachable_pub, unnameable_types)]

// The public surface (module docs of each say what it offers and why):
// * the typed API, re-exported below: a `Model`, its `Parameters`, and what qct computes at
//   one point (`Solution`, `Linear`, `OperatingPoint`, `RegimeAnalysis`, `Performance`,
//   `IccAnalysis`), in a `ForceBasis` of a `Representation`, failing with an `Error`;
// * `model` (built-in and JSON models), `thermo` (forces, fluxes, references), `sweep` and
//   `quantity` (grids, tables and the names of their columns), `units` and `si` (input units,
//   SI output factors), `fcs` (counting statistics): library concerns a caller names directly;
// * `pipeline` and `analysis`: the stage functions below the typed API, re-exported from the
//   private stage modules (what the command line's reports and the cross-checks use);
// * the optional engines `exact`, `lindblad`/`redfield` and `symbolic` (features).
// Every other module is private; its items are `pub(crate)` unless re-exported.
pub mod analysis;
mod api;
mod currents;
mod eigen;
mod error;
pub mod fcs;
mod icc;
pub mod model;
mod network;
mod onsager;
mod performance;
pub mod pipeline;
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

pub use api::{Column, Linear, Parameters, Solution};
pub use currents::LeadCurrents;
pub use error::{Error, Named, Result};
pub use icc::IccAnalysis;
pub use model::Model;
pub use performance::Performance;
pub use regime::{OperatingPoint, Regime, RegimeAnalysis};
pub use sweep::{Grid, Table};
pub use thermo::{ForceBasis, Representation};
