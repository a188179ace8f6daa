//! The one Symbolica engine of a qct process (README, "Symbolica and its licence").
//!
//! Symbolica's restricted mode allows one Symbolica thread per user at a time: a second one,
//! in this process or another, aborts the process. qct therefore runs every piece of
//! symbolic work through `run`, which
//!
//! 1. serialises callers inside this process (a mutex),
//! 2. takes an exclusive lock on a per-user lock file, so a second `qct derive` waits (and
//!    says so on stderr) instead of aborting,
//! 3. when the host asks for it ([`redirect_stdout_while_running`]; the `qct` command line
//!    does, a library user's program owns its stdout and decides), points the process's
//!    stdout at stderr while Symbolica runs, so that its licence notice stays visible to the
//!    person but never mixes with machine-readable output, and
//! 4. runs the job on a fresh thread that ends before the lock is released.
//!
//! Nothing outside `symbolic/` names a Symbolica type; jobs return qct's own types.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static IN_PROCESS: Mutex<()> = Mutex::new(());

static REDIRECT_STDOUT: AtomicBool = AtomicBool::new(false);

/// Whether the engine (`run`) points the process's stdout (file descriptor 1) at stderr
/// while Symbolica runs. Off by default; a command-line host whose stdout is
/// machine-readable turns it on.
pub fn redirect_stdout_while_running(on: bool) {
    REDIRECT_STDOUT.store(on, Ordering::SeqCst);
}

/// Path of the per-user lock file.
fn lock_path() -> std::path::PathBuf {
    let dir = std::env::var_os("XDG_RUNTIME_DIR")
        .map(std::path::PathBuf::from)
        .filter(|d| d.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    dir.join(format!("qct-symbolica-{uid}.lock"))
}

/// Take the per-user lock, waiting with a message when another qct holds it.
fn acquire_lock() -> Result<File> {
    let path = lock_path();
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::Symbolic(format!("cannot open lock file {}: {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(TryLockError::WouldBlock) => {
            eprintln!(
                "qct: waiting for another qct symbolic run of this user to finish \
                 (Symbolica's unlicensed mode allows one at a time; lock {})…",
                path.display()
            );
        }
        Err(TryLockError::Error(e)) => {
            return Err(Error::Symbolic(format!(
                "cannot lock {}: {e}",
                path.display()
            )));
        }
    }
    file.lock()
        .map_err(|e| Error::Symbolic(format!("cannot lock {}: {e}", path.display())))?;
    Ok(file)
}

/// While alive, file descriptor 1 (stdout) points at stderr; dropping restores it.
struct StdoutToStderr {
    saved: libc::c_int,
}

impl StdoutToStderr {
    fn new() -> Option<StdoutToStderr> {
        let _ = std::io::stdout().flush();
        // SAFETY: dup/dup2 on the process's standard descriptors; failures are checked and
        // leave stdout untouched.
        unsafe {
            let saved = libc::dup(1);
            if saved < 0 {
                return None;
            }
            if libc::dup2(2, 1) < 0 {
                libc::close(saved);
                return None;
            }
            Some(StdoutToStderr { saved })
        }
    }
}

impl Drop for StdoutToStderr {
    fn drop(&mut self) {
        let _ = std::io::stdout().flush();
        // SAFETY: restores the descriptor saved in `new`.
        unsafe {
            libc::dup2(self.saved, 1);
            libc::close(self.saved);
        }
    }
}

/// Environment variable holding a Symbolica licence key; qct passes it to Symbolica's
/// documented `set_license_key` before any other Symbolica call of the process.
pub(crate) const LICENSE_VARIABLE: &str = "QCT_SYMBOLICA_LICENSE";

static LICENSE: std::sync::OnceLock<std::result::Result<(), String>> = std::sync::OnceLock::new();

/// Register the licence key from [`LICENSE_VARIABLE`], once per process.
fn register_license() -> Result<()> {
    LICENSE
        .get_or_init(|| match std::env::var(LICENSE_VARIABLE) {
            Ok(key) if !key.trim().is_empty() => {
                symbolica::prelude::LicenseManager::set_license_key(key.trim()).map_err(|e| {
                    format!("Symbolica rejected the licence key in {LICENSE_VARIABLE}: {e}")
                })
            }
            _ => Ok(()),
        })
        .clone()
        .map_err(Error::Symbolic)
}

/// Run `job` on the process's single Symbolica engine thread and return its result.
pub(crate) fn run<T, F>(job: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    let _in_process = IN_PROCESS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let _lock = acquire_lock()?;
    let _redirect = REDIRECT_STDOUT
        .load(Ordering::SeqCst)
        .then(StdoutToStderr::new)
        .flatten();
    let handle = std::thread::Builder::new()
        .name("qct-symbolica".into())
        .stack_size(256 << 20)
        .spawn(move || {
            register_license()?;
            job()
        })
        .map_err(|e| Error::Symbolic(format!("cannot start the symbolic engine thread: {e}")))?;
    handle.join().unwrap_or_else(|_| {
        Err(Error::Symbolic(
            "the symbolic engine thread panicked".into(),
        ))
    })
}
