//! clap argument definitions.

use crate::thermo::Representation;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// qct — thermodynamics of quantum dots coupled to thermal leads (sequential tunnelling,
/// Pauli master equation). Units: k_B = hbar = 1; energies, temperatures and chemical
/// potentials share one energy unit; rates and currents are per unit time.
#[derive(Debug, Parser)]
#[command(name = "qct", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the built-in models with their parameters, defaults, units and seed sections.
    ///
    /// `qct models cqd --format json` prints a built-in written as a JSON model file.
    #[command(after_help = "Examples:\n  qct models\n  qct models icc --format json > icc.json")]
    Models {
        /// Show only this built-in model.
        name: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Solve the nonlinear Pauli steady state: probabilities, currents per lead, forces,
    /// fluxes, entropy production and conservation residuals.
    #[command(
        after_help = "Examples:\n  qct solve cqd\n  qct solve cqd --set eps_b=1 --set kappa=-2 --set T_l=1.5\n  \
                            qct solve sqd --representation heat --format json\n  \
                            qct solve --model-file examples/double_dot_two_terminal.json"
    )]
    Solve {
        #[command(flatten)]
        point: PointArgs,
    },
    /// Numeric Onsager matrix L_ij = dJ_i/dF_j at the equilibrium of the given point
    /// (every lead at T of the energy reference, every lead of a component at mu of its
    /// particle reference), by exact linear response, with a finite-difference check.
    #[command(after_help = "Examples:\n  qct onsager icc --set eps_b=0.5\n  \
                            qct onsager sb --representation heat --format json\n  \
                            qct onsager cqd --reference energy=l --reference b=l")]
    Onsager {
        #[command(flatten)]
        point: PointArgs,
    },
}

/// A model and an operating point.
#[derive(Debug, Args)]
pub struct PointArgs {
    /// Built-in model: sqd, cqd, sb, icc, anderson (see `qct models`).
    pub model: Option<String>,
    /// A user model in JSON (schema in README.md, examples in examples/).
    #[arg(long, value_name = "PATH")]
    pub model_file: Option<PathBuf>,
    /// Set a parameter, NAME=VALUE (repeatable); unset parameters keep their defaults.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Force-flux representation: energy (seed's, origin-dependent) or heat (origin-free).
    #[arg(long, value_enum, default_value_t = Representation::Energy)]
    pub representation: Representation,
    /// Reference lead: energy=LEAD, DOT=LEAD (particles of DOT's component), or LEAD
    /// (both, for LEAD's component). Repeatable. Default: r for the built-ins.
    #[arg(long, value_name = "CHOICE")]
    pub reference: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned tables for people.
    Text,
    /// JSON with stable keys (see README.md).
    Json,
}
