//! Running the built `qct` binary from integration tests: its output, and the contract for
//! input errors (exit status 2, one line on stderr starting with "error", nothing on stdout,
//! no panic).

// Each test crate that includes this file uses a subset of it.
#![allow(dead_code)]

use std::process::{Command, Output};

/// The ICC point of the `icc` model (seed Sec. X): L_NE < 0 at its equilibrium.
pub const ICC_POINT: [&str; 10] = [
    "--set",
    "eps_b=0.1",
    "--set",
    "kappa_c=0.25",
    "--set",
    "kappa_s=0.25",
    "--set",
    "gamma_l0=0.01",
    "--set",
    "gamma_r0=0.01",
];

pub fn qct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qct"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .args(args)
        .output()
        .expect("qct runs")
}

pub fn stdout(args: &[&str]) -> String {
    let out = qct(args);
    assert!(
        out.status.success(),
        "qct {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Run `args`, expect exit status 2 and a one-line error on stderr; return the message.
pub fn fails(args: &[&str]) -> String {
    let out = qct(args);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(2),
        "qct {args:?}: status {:?}, stderr {err}",
        out.status
    );
    assert!(!err.contains("panicked"), "qct {args:?} panicked: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "qct {args:?}: not one line: {err:?}"
    );
    assert!(err.starts_with("error"), "qct {args:?}: {err}");
    assert!(
        out.stdout.is_empty(),
        "qct {args:?} printed to stdout on error"
    );
    err
}
