//! Shared helpers of the command line's tests: models and parameter points (one text with
//! the library's test helpers, `crates/qct/src/tests/points.rs`), and the references the
//! tests compare the command line's output with, computed through the typed API.

use nalgebra::DMatrix;
use qct::model::{Model, Role, builtin::builtin, json::from_file, json::from_json};
use qct::thermo::{ForceBasis, Representation};

include!("../../../qct/src/tests/points.rs");

/// L at the equilibrium of the point `values` in `basis`, by the typed API
/// ([`Model::onsager_in`]: exact linear response).
pub(crate) fn onsager_l(model: &Model, values: &[f64], basis: &ForceBasis) -> DMatrix<f64> {
    let p = model.parameters_at(values).expect("valid point");
    model.onsager_in(&p, basis).expect("Onsager matrix").l
}
