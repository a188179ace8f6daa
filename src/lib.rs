//! # qct — quantum coupled transport
//!
//! Thermodynamics of quantum dots coupled to thermal leads in the sequential-tunnelling
//! (Pauli master equation) regime, following the review "Thermodynamics of Quantum Coupled
//! Transport" (the seed) with the conventions of `PHYSICS.md`.
//!
//! The modules follow the data flow:
//! model ① → spectrum ② → rates ③ → steady state ④ → currents ⑤ → forces and fluxes ⑥ →
//! Onsager matrix ⑦ → report ⑩ → command line.

pub mod bench;
pub mod cli;
pub mod currents;
pub mod derivations;
pub mod error;
pub mod exact;
pub mod lindblad;
pub mod model;
pub mod network;
pub mod onsager;
pub mod rates;
pub mod report;
pub mod spectrum;
pub mod steady_state;
pub mod symbolic;
pub mod thermo;

pub use error::{Error, Result};
