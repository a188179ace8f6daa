//! docs/json.md is the index of the JSON schema: every command in its table is run, and its
//! top-level keys must be exactly the documented ones (keys marked `?` are optional).

use std::collections::BTreeSet;
use std::process::Command;

/// (command line, documented keys, optional keys) from the table in docs/json.md.
fn documented() -> Vec<(Vec<String>, BTreeSet<String>, BTreeSet<String>)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/json.md");
    let text = std::fs::read_to_string(path).expect("docs/json.md");
    let mut rows = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("| `qct ") else {
            continue;
        };
        let (command, keys) = rest.split_once("` |").expect("a table row");
        let (mut required, mut optional) = (BTreeSet::new(), BTreeSet::new());
        for key in keys.split('`').skip(1).step_by(2) {
            match key.strip_suffix('?') {
                Some(k) => optional.insert(k.to_string()),
                None => required.insert(key.to_string()),
            };
        }
        rows.push((
            command.split_whitespace().map(String::from).collect(),
            required,
            optional,
        ));
    }
    rows
}

#[test]
fn every_documented_command_writes_exactly_its_documented_keys() {
    let rows = documented();
    assert!(
        rows.len() >= 9,
        "the table in docs/json.md lists {} commands",
        rows.len()
    );
    for (command, required, optional) in rows {
        let out = Command::new(env!("CARGO_BIN_EXE_qct"))
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .args(&command)
            .args(["--format", "json"])
            .output()
            .expect("qct runs");
        assert!(
            out.status.success(),
            "qct {command:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let value: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("stdout is one JSON value");
        let keys: BTreeSet<String> = value
            .as_object()
            .expect("a JSON object")
            .keys()
            .cloned()
            .collect();
        let undocumented: Vec<&String> = keys
            .iter()
            .filter(|k| !required.contains(*k) && !optional.contains(*k))
            .collect();
        let missing: Vec<&String> = required.iter().filter(|k| !keys.contains(*k)).collect();
        assert!(
            undocumented.is_empty() && missing.is_empty(),
            "qct {command:?}: keys not in docs/json.md {undocumented:?}, documented but \
             missing {missing:?}"
        );
    }
}
