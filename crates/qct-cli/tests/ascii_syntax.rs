//! The default (Symbolica) syntax of `qct derive` is plain ASCII that parses back: the
//! exponential is written `exp(x)`, never Symbolica's display form `𝑒^(x)`, and `qct check`,
//! which parses those strings and evaluates them, still agrees with the numeric layer.
//!
//! Every JSON string of `qct derive MODEL --format json` must be ASCII except the prose
//! fields: a definition's `meaning` and the ICC theorem's `proof` lines are sentences for a
//! reader (they name ω(A→B), γ, Σ as a physicist writes them) and are never parsed. Labels,
//! names and LaTeX strings are ASCII already and are held to it.

#[path = "support/cli.rs"]
mod cli_support;
use cli_support::qct;

/// JSON keys whose strings are prose for a reader, not expressions.
const PROSE_KEYS: [&str; 2] = ["meaning", "proof"];

/// Every non-ASCII string of `value` outside the prose keys, with its JSON path.
fn non_ascii_strings(value: &serde_json::Value, path: &str, found: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if !s.is_ascii() => found.push(format!("{path}: {s}")),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                non_ascii_strings(item, &format!("{path}/{i}"), found);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                if !PROSE_KEYS.contains(&key.as_str()) {
                    non_ascii_strings(item, &format!("{path}/{key}"), found);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn derive_json_expressions_are_ascii_and_check_passes() {
    for model in ["sqd", "cqd", "sb", "icc", "anderson", "zeeman_dot"] {
        let out = qct(&["derive", model, "--format", "json"]);
        assert!(
            out.status.success(),
            "{model}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["syntax"], "symbolica");
        let mut found = Vec::new();
        non_ascii_strings(&v, "", &mut found);
        assert!(
            found.is_empty(),
            "{model}: non-ASCII expressions {found:#?}"
        );
        // The Boltzmann factors are there, written as exp(...) calls.
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("exp(-"),
            "{model}: no exp(...) in the closed forms"
        );

        let out = qct(&["check", model]);
        assert!(
            out.status.success(),
            "{model}: qct check failed\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("PASSED"));
    }
}

/// The text report writes its expressions in the same ASCII syntax.
#[test]
fn derive_text_has_no_symbolica_display_exponential() {
    let out = qct(&["derive", "cqd"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('𝑒'), "{text}");
    assert!(text.contains("exp("), "{text}");
}
