//! Interdot tunnelling (issue 14, items 2 and 6) on the command line: JSON model files with
//! "tunnelling" (round trip, refusals) and the `serial_dd` reports of every command. The
//! eigenbasis Pauli equation, the Lindblad and Redfield oracles and the serial double dot's
//! physics are cross-checked in the library (`crates/qct/src/tests/tunnelling.rs`).

use qct::model::{Model, builtin::builtin, json};

#[path = "support/cli.rs"]
mod cli_support;
use cli_support as cli;

fn serial_dd() -> Model {
    builtin("serial_dd").unwrap()
}

/// JSON model files accept "tunnelling"; serial_dd round-trips; invalid hopping is refused
/// with a one-line reason.
#[test]
fn json_tunnelling_round_trip_and_refusals() {
    let model = serial_dd();
    let text = json::to_json(&model);
    assert!(text.contains("\"tunnelling\""));
    assert_eq!(json::from_json(&text, "serial_dd").unwrap(), model);
    let example = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("examples/serial_dd.json");
    assert_eq!(json::from_file(&example).unwrap(), model);
    let bad = |from: &str, to: &str, expect: &str| {
        let broken = text.replacen(from, to, 1);
        let err = json::from_json(&broken, "x").unwrap_err().to_string();
        assert!(err.contains(expect), "{err}");
        assert_eq!(err.lines().count(), 1);
    };
    let hop = "\"dots\": [\n        \"1\",\n        \"2\"\n      ],\n      \"t\"";
    assert!(text.contains(hop));
    bad(hop, "\"dots\": [\"1\", \"3\"], \"t\"", "dot '3'");
    bad(hop, "\"dots\": [\"1\", \"1\"], \"t\"", "itself");
    bad("\"t\": \"t\"", "\"t\": \"gamma_l\"", "one role");
    // Lead r on both tunnel-coupled dots.
    bad(
        "\"dot\": \"2\",\n          \"rate\": \"gamma_r\"",
        "\"dot\": \"2\", \"rate\": \"gamma_r\"}, {\"dot\": \"1\", \"rate\": \"gamma_r\"",
        "joined by interdot tunnelling",
    );
    // Tunnelling between dots of different spin.
    bad(
        "\"energy\": \"eps_2\"",
        "\"energy\": \"eps_2\", \"spin\": \"up\"",
        "different spin",
    );
}

#[test]
fn cli_methods_and_reports() {
    let json = cli::stdout(&[
        "solve",
        "serial_dd",
        "--method",
        "redfield",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["density_matrix"]["method"], "redfield");
    assert_eq!(v["eigenstates"].as_array().unwrap().len(), 4);
    let a = &v["eigenstates"][1]["composition"];
    let norm: f64 = a
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["amplitude"].as_f64().unwrap().powi(2))
        .sum();
    assert!((norm - 1.0).abs() < 1e-14);
    let pauli = cli::stdout(&["solve", "serial_dd", "--format", "json"]);
    let p: serde_json::Value = serde_json::from_str(&pauli).unwrap();
    assert!(p.get("density_matrix").is_none());
    for method in ["lindblad", "redfield"] {
        let text = cli::stdout(&["onsager", "serial_dd", "--method", method]);
        assert!(text.contains("L of the Pauli equation"));
    }
    for args in [
        vec!["regime", "serial_dd"],
        vec!["performance", "serial_dd"],
        vec![
            "sweep",
            "serial_dd",
            "--vary",
            "eps_1=-1:1:5",
            "--quantity",
            "J_N^l,L_NE",
        ],
        vec!["models", "serial_dd"],
    ] {
        cli::stdout(&args);
    }
    // Closed forms in the eigenbasis of H, the root r_BC kept symbolic (checked against the
    // numeric layer in tests/symbolic/serial_dd.rs).
    let derived = cli::stdout(&["derive", "serial_dd"]);
    assert!(
        derived.contains("r_BC") && derived.contains("proved"),
        "{derived}"
    );
    let err = cli::fails(&["solve", "serial_dd", "--exact"]);
    assert!(err.contains("diagonal"), "{err}");
}
