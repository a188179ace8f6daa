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

pub mod api;
pub mod error;
pub mod scalar;
pub mod model;
pub mod spectrum;
pub mod eigen;
pub mod rates;
pub(crate) mod plan;
pub mod scaled;
pub mod steady_state;
pub mod currents;
pub mod thermo;
pub mod units;
pub mod si;
pub mod onsager;
pub mod method;
pub mod network;
pub mod fcs;
pub mod regime;
pub mod rounding;
pub mod performance;
pub mod tradeoff;
pub mod icc;
pub mod quantity;
pub mod sweep;
#[cfg(feature = "exact")]
pub mod exact;
#[cfg(feature = "lindblad")]
pub mod lindblad;
#[cfg(feature = "lindblad")]
pub mod redfield;
#[cfg(feature = "symbolic")]
pub mod symbolic;

pub use api::{Linear, Parameters, Solution};
pub use currents::LeadCurrents;
pub use error::{Error, Result};
pub use icc::IccAnalysis;
pub use model::Model;
pub use performance::Performance;
pub use regime::{OperatingPoint, Regime, RegimeAnalysis};
pub use thermo::{ForceBasis, Representation};
