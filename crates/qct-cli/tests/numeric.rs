//! The command line's reports of the numeric core. The core itself (closed forms of the
//! single dot, invariants of every model, equilibrium, forces, the energy origin, the seed's
//! reductions) is cross-checked stage by stage in the library's own tests
//! (`crates/qct/src/tests/numeric/`).
//!
//! * `json` — built-ins as JSON reproduce the built-ins bit for bit;
//! * `reports` — a point without a unique steady state is refused by the reports.

#[allow(dead_code)]
#[path = "numeric/common.rs"]
mod common;
#[path = "numeric/json.rs"]
mod json;
#[path = "numeric/reports.rs"]
mod reports;
