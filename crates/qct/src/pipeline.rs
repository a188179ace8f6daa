//! The stages of the numeric pipeline, for callers that need an intermediate result: the
//! evaluated device and its rates (②–③), the steady state (④), the lead currents and their
//! conservation (⑤), the Onsager matrix by its three independent routes (⑦: the nodal
//! linear-response solve, the Kirchhoff cycle form, finite differences) and the eigenbasis of
//! models with interdot tunnelling.
//!
//! The typed API ([`Model::solve`](crate::Model::solve), [`Model::onsager`](crate::Model::onsager))
//! is the usual entry and checks its inputs; the functions here take a [`Device`] (the model
//! evaluated at checked parameter values) and are what the command line's `solve`, `check`
//! and `bench` reports and the cross-checking tests are built from. Everything else in the
//! stage modules is private to the crate.
//!
//! ```
//! use qct::pipeline::{Device, linear_response, steady_currents};
//! use qct::thermo::equilibrium_parameters;
//! use qct::{Model, Representation};
//!
//! let model = Model::builtin("sqd")?;
//! let values = model.parameters().values().to_vec();
//! let (steady, currents) = steady_currents(&Device::new(&model, &values)?)?;
//! assert!((steady.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-12);
//! assert!((currents[0].particle + currents[1].particle).abs() < 1e-12); // Kirchhoff
//! let basis = model.basis(Representation::Energy)?;
//! let equilibrium = Device::new(&model, &equilibrium_parameters(&model, &basis, &values))?;
//! let l = linear_response(&equilibrium, &basis)?;
//! assert!((l[(0, 1)] - l[(1, 0)]).abs() < 1e-12 * l[(0, 0)].abs().max(1.0)); // reciprocity
//! # Ok::<(), qct::Error>(())
//! ```

#[doc(no_inline)]
pub use crate::currents::LeadCurrents;
pub use crate::currents::{
    Conservation, conservation, lead_currents, lead_currents_scaled, steady_currents,
};
pub use crate::eigen::{
    Blocks, Component as FockComponent, Eigenbasis, EigenstateReport, device as eigenbasis_device,
    eigenstates, needed as eigenbasis_needed,
};
pub use crate::network::{Cycle, cycle_onsager, flux_increment, simple_cycles};
pub use crate::onsager::{
    FINITE_DIFFERENCE_RESOLUTION, FiniteDifference, Onsager, determinant, finite_difference,
    finite_differences, finite_differences_with, linear_response, nodal_response, onsager,
};
pub use crate::rates::{Device, LeadState, Transition, fermi, generator};
pub use crate::scaled::Scaled;
pub use crate::spectrum::{energies, energy, occupation, occupations};
pub use crate::steady_state::{
    DENSE_LIMIT, RateTable, SlowRelaxation, SteadyState, Weight, steady_state, steady_state_scaled,
    steady_state_sparse,
};
