//! Cross-checks of the pipeline's stages against independent routes (nodal vs cycle form vs
//! finite differences of L, dense vs sparse vs scaled steady states, the rational and
//! density-matrix oracles against the Pauli solver). They need the crate-private stages,
//! so they live in the library's own test binary (`cargo test -p qct --lib`); the command
//! line's tests in `crates/qct-cli/tests` use only the public API.

#[allow(dead_code)]
mod common;
mod large;
mod proptest_runner;
#[cfg(feature = "exact")]
mod lab_conditions;
#[cfg(feature = "exact")]
mod exact_oracle;
mod edge_cases;
#[cfg(feature = "lindblad")]
mod tunnelling;
#[cfg(feature = "exact")]
mod spin;
mod properties;
mod point;

mod numeric;
#[cfg(feature = "exact")]
mod fcs_lab;
mod fcs;
#[cfg(feature = "lindblad")]
mod lindblad;
mod merged_forces;
mod regime;
mod expressions;
