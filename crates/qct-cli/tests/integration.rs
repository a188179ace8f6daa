//! qct's integration tests without Symbolica, in one test binary: the numeric core
//! (`numeric`, `properties`, `fuzz`, `edge_cases`), the oracles (`exact`,
//! `lindblad`), units, regimes, sweeps, and the command line run as a
//! user would (`cli`, `cli_physics`, `figures`, `frictions`, `sweep_grids`).
//! The tests that need the symbolic engine are in the `symbolic` binary.

// The test modules each include the shared helpers (support/, numeric/common.rs) by path.
#![allow(clippy::duplicate_mod)]

mod cli;
mod expressions;
mod cli_physics;
mod edge_cases;
mod exact;
mod figures;
mod frictions;
mod fuzz;
mod lindblad;
mod merged_forces;
mod methods;
mod numeric;
mod properties;
mod spin;
mod regime;
mod sweep_grids;
mod tunnelling;
mod tradeoff;
mod units;
mod units_fluct;
mod units_text;
