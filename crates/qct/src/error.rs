//! qct's typed errors, one variant family per pipeline stage.
//!
//! Every message names the offending item and, where possible, the fix. The CLI maps
//! [`enum@Error`] to exit status 2 (input or model error).

use thiserror::Error;

/// Everything that can go wrong between reading a model and printing a report.
#[derive(Debug, Error)]
pub enum Error {
    /// The model name is not a built-in.
    #[error("unknown model '{name}'; built-in models are: {known}")]
    UnknownModel { name: String, known: String },

    /// A `--set NAME=VALUE` names a parameter the model does not have.
    #[error("model '{model}' has no parameter '{name}'{hint}; its parameters are: {known}")]
    UnknownParameter {
        model: String,
        name: String,
        hint: String,
        known: String,
    },

    /// A `--set` argument that is not of the form NAME=VALUE, or a value that is not a number.
    #[error("{0}")]
    BadAssignment(String),

    /// A parameter value outside its physical domain (non-finite, negative temperature, ...).
    #[error("parameter {name} = {}: {reason}", shown(*value))]
    BadValue {
        name: String,
        value: f64,
        reason: String,
    },

    /// The JSON model file could not be read or parsed.
    #[error("cannot read model file {path}: {reason}")]
    ModelFile { path: String, reason: String },

    /// The model is syntactically valid but inconsistent (lead on a missing dot, ...).
    #[error("invalid model '{model}': {reason}")]
    InvalidModel { model: String, reason: String },

    /// A `--reference` choice that does not fit the model.
    #[error("bad reference choice: {0}")]
    BadReference(String),

    /// The Pauli generator has more than one closed class of states: the steady state is
    /// not unique (README, Conventions, "Leads and rates").
    #[error(
        "the steady state is not unique: the rates split the states into {count} closed classes \
         ({classes}); no transition leads out of any of them. Check for zero bare rates (rates below \
         exp(-1e15), at |beta (omega - mu)| > 1e15, count as zero)"
    )]
    NonUniqueSteadyState { count: usize, classes: String },

    /// A linear solve failed (singular matrix where a unique solution was expected).
    #[error("linear solve failed: {0}")]
    Singular(String),

    /// A computed number is NaN or infinite; qct refuses to print it.
    #[error("non-finite result in {0}; the inputs are outside the range qct can evaluate")]
    NonFinite(String),

    /// The symbolic engine could not run or could not finish a derivation.
    #[error("symbolic layer: {0}")]
    Symbolic(String),

    /// An analysis asked of a model it does not apply to (e.g. ICC without parallel forces).
    #[error("{0}")]
    NotApplicable(String),

    /// A sweep set up inconsistently by its caller (duplicate column, reserved header key,
    /// wrong number of cells from the evaluation).
    #[error("sweep: {0}")]
    Sweep(String),

    /// An error at one point of a sweep, with the point as `axis=value` pairs.
    #[error("at {point}: {source}")]
    AtPoint { point: String, source: Box<Error> },

    /// Sweep shard outputs that cannot be joined into one sweep.
    #[error("cannot merge sweep shards: {0}")]
    Merge(String),

    /// A figure could not be drawn or written (bad extension, inconsistent data, I/O).
    #[error("figure {path}: {reason}")]
    Plot { path: String, reason: String },
}

/// A value as shown in an error message: never "NaN" or "inf", readable at any magnitude.
fn shown(value: f64) -> String {
    if !value.is_finite() {
        "a non-finite value".to_string()
    } else if value != 0.0 && !(1e-4..1e6).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// Result type of the qct library.
pub type Result<T> = std::result::Result<T, Error>;

/// A library enum spelled by name on a command line or in a file (`energy`, `heat`, ...):
/// its names in order, for help texts, and the parse that refuses anything else.
pub trait Named: Sized + Copy + 'static {
    /// What the value chooses, for the error message ("representation").
    const WHAT: &'static str;
    /// Every value with its name.
    const ALL: &'static [(Self, &'static str)];

    /// The names in order.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|(_, name)| *name).collect()
    }

    /// The value named `text`; an error listing the choices otherwise.
    fn from_name(text: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .find(|(_, name)| *name == text.trim())
            .map(|(value, _)| *value)
            .ok_or_else(|| {
                Error::BadAssignment(format!(
                    "unknown {} '{text}'; choose one of: {}",
                    Self::WHAT,
                    Self::names().join(", ")
                ))
            })
    }
}
