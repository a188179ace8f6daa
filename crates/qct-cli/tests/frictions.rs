//! Small frictions of issue 15 through the binary: a model read from stdin, `--fragment`
//! outside LaTeX refused, and the Lindblad report naming its residual and the largest
//! coherence.

#[path = "support/cli.rs"]
mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use support::{qct, stdout};

/// `--model-file -` reads the model from stdin: the same report as from the file.
#[test]
fn model_file_dash_reads_stdin() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/double_dot_two_terminal.json"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_qct"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .args(["solve", "--model-file", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read(path).unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let from_file = stdout(&["solve", "--model-file", path, "--format", "json"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file);
    // Not JSON on stdin: a model-file error, exit 2.
    let mut child = Command::new(env!("CARGO_BIN_EXE_qct"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .args(["solve", "--model-file", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"not json").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>"));
}

/// `--fragment` and `--standalone` belong to `--format latex`; elsewhere they are refused
/// before any symbolic work.
#[test]
fn fragment_outside_latex_is_an_error() {
    for args in [
        &["derive", "sqd", "--fragment"][..],
        &["derive", "sqd", "--format", "json", "--standalone"][..],
    ] {
        let out = qct(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--format latex only"));
        assert!(out.stdout.is_empty());
    }
}

/// The Lindblad report says which equation its residual measures and gives the largest
/// coherence; in the secular steady state of these models the coherences vanish, and the
/// Pauli report has no such block.
#[test]
fn lindblad_report_names_residual_and_coherence() {
    let text = stdout(&["solve", "cqd", "--method", "lindblad"]);
    assert!(text.contains("Lindblad L rho = 0"), "{text}");
    assert!(text.contains("largest coherence"), "{text}");
    let json = stdout(&["solve", "cqd", "--method", "lindblad", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let l = &v["lindblad"];
    assert_eq!(l["residual_of"], "L rho = 0");
    assert!(l["residual"].as_f64().unwrap() < 1e-12);
    assert!(l["max_coherence"].as_f64().unwrap() < 1e-12);
    let pauli = stdout(&["solve", "cqd", "--format", "json"]);
    assert!(!pauli.contains("lindblad"));
}

/// One rounding-zero rule (src/rounding.rs): at an equilibrium point (sb with T_u = T, no
/// bias) the power, the heat taken in and Σ̇ are exactly 0 — not ±1e-17 — while away from
/// equilibrium (T_u = 2) the heat taken in is a physical, nonzero number.
#[test]
fn zeros_within_rounding_print_as_zero() {
    let json =
        |args: &[&str]| -> serde_json::Value { serde_json::from_str(&stdout(args)).expect("json") };
    let p = json(&["performance", "sb", "--set", "T_u=1", "--format", "json"]);
    assert_eq!(p["machine"]["P"].as_f64(), Some(0.0));
    assert_eq!(p["machine"]["Q_in"].to_string(), "0.0");
    let r = json(&["regime", "sb", "--set", "T_u=1", "--format", "json"]);
    assert_eq!(r["sigma"].to_string(), "0.0");
    let hot = json(&["performance", "sb", "--format", "json"]);
    assert!(hot["machine"]["Q_in"].as_f64().unwrap() > 1e-3);
    let r = json(&["regime", "sb", "--format", "json"]);
    assert!(r["sigma"].as_f64().unwrap() > 0.0);
}
