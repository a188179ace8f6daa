//! Each derivation in a child process of its own.
//!
//! Symbolica numbers its symbols in the order a process first meets them, and prints terms
//! in that order; a derivation run after another in the same process can therefore print
//! the same expressions with their terms in another order. The command line runs every
//! derivation in a fresh child (`qct __engine`, the same executable), so `qct derive X`
//! prints byte for byte what `qct derivations` writes for X. A Symbolica abort in the child
//! (e.g. its unlicensed one-thread rule) becomes an error message instead of killing qct.
//!
//! Library users (and tests) that do not call [`isolate_in`] derive in-process.

use super::{Derivation, Form};
use crate::error::{Error, Result};
use crate::model::{Model, References, json};
use crate::thermo::{ForceBasis, Representation};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

static EXECUTABLE: OnceLock<PathBuf> = OnceLock::new();

/// Derive in child processes of `exe` (which must understand `exe __engine`).
pub fn isolate_in(exe: PathBuf) {
    let _ = EXECUTABLE.set(exe);
}

pub(super) fn executable() -> Option<&'static Path> {
    EXECUTABLE.get().map(PathBuf::as_path)
}

/// What the parent sends the child on stdin.
#[derive(Serialize, Deserialize)]
pub(crate) struct Request {
    /// The model as a qct JSON model file.
    pub model: String,
    pub representation: Representation,
    pub energy_reference: usize,
    pub particle_references: Vec<usize>,
    pub form: Form,
}

pub(super) fn derive(
    exe: &Path,
    model: &Model,
    basis: &ForceBasis,
    form: Form,
) -> Result<Derivation> {
    let start = std::time::Instant::now();
    let request = Request {
        model: json::to_json(model),
        representation: basis.representation,
        energy_reference: basis.references.energy,
        particle_references: basis.references.particles.clone(),
        form,
    };
    let failed =
        |why: String| Error::Symbolic(format!("the symbolic engine process failed: {why}"));
    let mut child = Command::new(exe)
        .arg("__engine")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| failed(format!("cannot start {}: {e}", exe.display())))?;
    let text = serde_json::to_string(&request).expect("request serialises");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(text.as_bytes())
        .map_err(|e| failed(e.to_string()))?;
    let output = child
        .wait_with_output()
        .map_err(|e| failed(e.to_string()))?;
    if !output.status.success() {
        return Err(match output.status.code() {
            Some(2) => Error::Symbolic(
                "the symbolic engine refused the model (its error is printed above)".into(),
            ),
            Some(code) => failed(format!("exit status {code}")),
            None => failed(
                "it was killed by a signal (a second Symbolica process of this user aborts \
                 in Symbolica's unlicensed mode; set SYMBOLICA_LICENSE or run one at a time)"
                    .into(),
            ),
        });
    }
    let mut derivation: Derivation =
        serde_json::from_slice(&output.stdout).map_err(|e| failed(format!("bad reply: {e}")))?;
    derivation.seconds = start.elapsed().as_secs_f64();
    Ok(derivation)
}

/// The child's side: read a request from `input`, derive in this process, and return
/// the derivation as JSON.
pub fn serve(input: &str) -> Result<String> {
    let request: Request = serde_json::from_str(input)
        .map_err(|e| Error::Symbolic(format!("bad engine request: {e}")))?;
    let model = json::from_json(&request.model, "engine request")?;
    let references = References {
        energy: request.energy_reference,
        particles: request.particle_references,
    };
    let basis = ForceBasis::new(&model, request.representation, references)?;
    let derivation = super::derive_here(&model, &basis, request.form)?;
    Ok(serde_json::to_string(&derivation).expect("derivation serialises"))
}
