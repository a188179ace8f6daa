//! The `qct` command-line client: argument parsing, rendering (text, JSON, LaTeX), figures,
//! files and processes, over the [`qct`] library.
//!
//! Data flow: `cli` parses the command line and calls the library; `report` turns the
//! library's values into the printed reports (text, JSON, LaTeX); `plot` draws figures;
//! `derivations` regenerates the checked-in `derivations/` folder; `bench` measures speed.

pub mod cli;
pub mod report;
pub mod plot;
pub mod derivations;
pub mod bench;

pub use qct::{Error, Result};
