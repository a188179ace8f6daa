//! Fuzzing (issue 5), proptest-driven with a fixed seed and bounded case counts (the whole
//! file runs in a few seconds in release):
//!
//! (a) the JSON model reader `qct::model::json::from_json` on random bytes, on random
//!     byte-level edits of the shipped examples, and on structure-aware mutations of them
//!     (fields deleted, values replaced by other JSON types, extreme numbers, names
//!     swapped, array entries duplicated or dropped); every model it accepts is then run
//!     through the numeric pipeline (solve and onsager reports);
//! (b) `--set` assignments through `qct_cli::cli::apply_assignments`, and random argument
//!     vectors through `Cli::try_parse_from` + `qct_cli::cli::execute` for the numeric commands
//!     (solve, onsager, models — never derive/check/derivations, which start Symbolica);
//! (c) the real binary on malformed inputs: exit status 2, one line on stderr, no panic, no
//!     NaN on stdout.
//!
//! A panic anywhere is a test failure showing the (shrunk) input; no panic is tolerated.

use clap::Parser;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use qct::model::json::from_json;
use qct::model::{Model, builtin};
use qct::thermo::{ForceBasis, Representation};
use qct_cli::cli::{Cli, apply_assignments, execute};
use qct_cli::report::{onsager_report, solve_report, text};
use serde_json::Value;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::Command;

const SEED: u64 = 0x00f0_22ed_0000_0005;

#[path = "support/proptest_runner.rs"]
mod proptest_runner;

fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    proptest_runner::run(SEED, cases, 1000, strategy, test)
}

fn examples_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("examples")
}

/// The shipped example models (file name, text).
fn examples() -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(examples_dir())
        .expect("examples/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "examples/*.json missing");
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// Run `f`, turning a panic into its message.
fn no_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "non-string panic payload".into())
    })
}

/// "NaN", "inf", "infinity" as a word (case-insensitive).
fn has_non_finite_token(s: &str) -> bool {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w.to_ascii_lowercase().as_str(), "nan" | "inf" | "infinity"))
}

/// An error message must be one non-empty line.
fn check_message(msg: &str) -> Result<(), TestCaseError> {
    prop_assert!(!msg.trim().is_empty(), "empty error message");
    prop_assert!(!msg.contains('\n'), "multi-line error message: {msg:?}");
    Ok(())
}

/// Outcome counters of a fuzz target.
#[derive(Default, Debug)]
struct Counts {
    accepted: Cell<usize>,
    rejected: Cell<usize>,
}

impl Counts {
    fn bump(c: &Cell<usize>) {
        c.set(c.get() + 1);
    }
}

/// Feed `text` to the JSON reader; if it yields a model, run the numeric pipeline at the
/// defaults in both representations. Panics are failures; every error must be a one-line
/// message; every accepted output finite.
fn exercise_json(text: &str, counts: &Counts) -> Result<(), TestCaseError> {
    let parsed = no_panic(|| from_json(text, "fuzz.json"))
        .map_err(|p| TestCaseError::fail(format!("from_json panicked: {p}\ninput: {text:?}")))?;
    let model = match parsed {
        Ok(m) => m,
        Err(e) => {
            check_message(&e.to_string())?;
            Counts::bump(&counts.rejected);
            return Ok(());
        }
    };
    Counts::bump(&counts.accepted);
    no_panic(|| pipeline(&model))
        .map_err(|p| TestCaseError::fail(format!("pipeline panicked: {p}\ninput: {text}")))?
}

/// solve and onsager reports of `model` at its defaults: finite output or a clean error.
fn pipeline(model: &Model) -> Result<(), TestCaseError> {
    if model.dots.len() > 6 {
        return Ok(()); // mutations can duplicate dots; keep each case fast
    }
    let values = model.defaults();
    for representation in [Representation::Energy, Representation::Heat] {
        let basis = match ForceBasis::new(model, representation, model.default_references()) {
            Ok(b) => b,
            Err(e) => {
                check_message(&e.to_string())?;
                continue;
            }
        };
        match solve_report(model, &values, &basis) {
            Ok(r) => {
                let t = text::solve(&r);
                prop_assert!(!has_non_finite_token(&t), "{t}");
            }
            Err(e) => check_message(&e.to_string())?,
        }
        match onsager_report(model, &values, &basis) {
            Ok(r) => {
                let t = text::onsager(&r);
                prop_assert!(!has_non_finite_token(&t), "{t}");
            }
            Err(e) => check_message(&e.to_string())?,
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// (a) JSON model reader
// ---------------------------------------------------------------------------------------

#[test]
fn json_random_bytes() {
    let counts = Counts::default();
    // Arbitrary bytes (lossy UTF-8), and JSON-ish text built from the format's tokens.
    let tokens = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\"name\"".to_string()),
        Just("\"parameters\"".to_string()),
        Just("\"dots\"".to_string()),
        Just("\"leads\"".to_string()),
        Just("\"energy\"".to_string()),
        Just("\"couplings\"".to_string()),
        Just("\"rate\"".to_string()),
        Just("\"dot\"".to_string()),
        Just("1e400".to_string()),
        Just("-0".to_string()),
        Just("null".to_string()),
        "[a-z_]{0,6}".prop_map(|s| format!("\"{s}\"")),
        any::<f64>().prop_map(|x| x.to_string()),
    ];
    let input = prop_oneof![
        vec(any::<u8>(), 0..200).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        vec(tokens, 0..40).prop_map(|t| t.concat()),
    ];
    run(10_000, input, |text| exercise_json(&text, &counts));
    eprintln!("json_random_bytes: {counts:?}");
}

/// Byte-level edits of an example: delete, insert, replace or duplicate a span, truncate.
#[derive(Debug, Clone)]
enum ByteEdit {
    Delete(usize, usize),
    Insert(usize, String),
    Replace(usize, usize, String),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn apply_byte_edit(text: &str, edit: &ByteEdit) -> String {
    let b = text.as_bytes();
    let at = |i: usize| i % (b.len() + 1);
    let mut out: Vec<u8> = match edit {
        ByteEdit::Delete(i, n) => {
            let i = at(*i);
            let j = (i + n).min(b.len());
            [&b[..i], &b[j..]].concat()
        }
        ByteEdit::Insert(i, s) => [&b[..at(*i)], s.as_bytes(), &b[at(*i)..]].concat(),
        ByteEdit::Replace(i, n, s) => {
            let i = at(*i);
            let j = (i + n).min(b.len());
            [&b[..i], s.as_bytes(), &b[j..]].concat()
        }
        ByteEdit::Duplicate(i, n) => {
            let i = at(*i);
            let j = (i + n).min(b.len());
            [&b[..j], &b[i..j], &b[j..]].concat()
        }
        ByteEdit::Truncate(i) => b[..at(*i)].to_vec(),
    };
    out.truncate(100_000);
    String::from_utf8_lossy(&out).into_owned()
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    let snippet = prop_oneof![
        "[ -~]{0,8}",
        Just("\"".to_string()),
        Just("}".to_string()),
        Just("\\u0000".to_string()),
        Just("é".to_string()),
        Just("1e999".to_string()),
        Just("-1".to_string()),
    ];
    prop_oneof![
        (any::<usize>(), 0usize..20).prop_map(|(i, n)| ByteEdit::Delete(i, n)),
        (any::<usize>(), snippet.clone()).prop_map(|(i, s)| ByteEdit::Insert(i, s)),
        (any::<usize>(), 0usize..8, snippet).prop_map(|(i, n, s)| ByteEdit::Replace(i, n, s)),
        (any::<usize>(), 0usize..40).prop_map(|(i, n)| ByteEdit::Duplicate(i, n)),
        any::<usize>().prop_map(ByteEdit::Truncate),
    ]
}

#[test]
fn json_byte_mutations_of_examples() {
    let examples = examples();
    let counts = Counts::default();
    let strategy = (0..examples.len(), vec(byte_edit(), 1..4));
    run(8000, strategy, |(k, edits)| {
        let text = edits
            .iter()
            .fold(examples[k].1.clone(), |t, e| apply_byte_edit(&t, e));
        exercise_json(&text, &counts)
    });
    eprintln!("json_byte_mutations_of_examples: {counts:?}");
}

/// A structure-aware mutation of a JSON value, addressed by a path of indices.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the selected member (object key or array element).
    Remove(Vec<usize>),
    /// Replace the selected value by another.
    Replace(Vec<usize>, Value),
    /// Duplicate an array element (or re-insert a member under a new key).
    Duplicate(Vec<usize>),
    /// Swap the selected string with another string from the document.
    SwapString(Vec<usize>, usize),
    /// Rename an object key.
    RenameKey(Vec<usize>, String),
}

fn extreme_value() -> impl Strategy<Value = Value> {
    let number = prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(-1.0),
        Just(1e-320),
        Just(1e-300),
        Just(1e300),
        Just(f64::MAX),
        Just(-f64::MAX),
        Just(f64::MIN_POSITIVE),
        any::<f64>().prop_filter("finite", |x| x.is_finite()),
    ];
    prop_oneof![
        number.prop_map(|x| serde_json::json!(x)),
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        "[a-zA-Z_0-9 ]{0,6}".prop_map(Value::String),
        Just(Value::String(String::new())),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!({"default": 1.0})),
        Just(serde_json::json!({"default": "x"})),
        Just(serde_json::json!({"depends_on": [], "values": {}})),
        Just(serde_json::json!({"depends_on": ["b"], "values": {"0": "gamma_l0"}})),
        Just(serde_json::json!(["b", "b"])),
        Just(serde_json::json!("up")),
        Just(serde_json::json!("sideways")),
        (1u64..u64::MAX).prop_map(|n| serde_json::json!(n)),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let path = vec(any::<usize>(), 0..5);
    prop_oneof![
        path.clone().prop_map(Mutation::Remove),
        (path.clone(), extreme_value()).prop_map(|(p, v)| Mutation::Replace(p, v)),
        path.clone().prop_map(Mutation::Duplicate),
        (path.clone(), any::<usize>()).prop_map(|(p, k)| Mutation::SwapString(p, k)),
        (path, "[a-z_]{0,8}").prop_map(|(p, k)| Mutation::RenameKey(p, k)),
    ]
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out)
        }),
        _ => {}
    }
}

/// Follow `path` (each index taken modulo the container's size) as deep as it goes, then
/// apply `f` to the container holding the selected member and the member's index.
fn at_path(v: &mut Value, path: &[usize], f: &mut dyn FnMut(&mut Value, usize)) {
    let len = match v {
        Value::Array(a) => a.len(),
        Value::Object(o) => o.len(),
        _ => 0,
    };
    if len == 0 || path.is_empty() {
        return;
    }
    let i = path[0] % len;
    let child = match v {
        Value::Array(a) => &mut a[i],
        Value::Object(o) => o.values_mut().nth(i).unwrap(),
        _ => unreachable!(),
    };
    let deeper = matches!(child, Value::Array(a) if !a.is_empty())
        || matches!(child, Value::Object(o) if !o.is_empty());
    if path.len() > 1 && deeper {
        at_path(child, &path[1..], f);
    } else {
        f(v, i);
    }
}

fn apply_mutation(doc: &mut Value, m: &Mutation) {
    let mut all_strings = Vec::new();
    strings(doc, &mut all_strings);
    match m {
        Mutation::Remove(p) => at_path(doc, p, &mut |c, i| match c {
            Value::Array(a) => {
                a.remove(i);
            }
            Value::Object(o) => {
                let k = o.keys().nth(i).unwrap().clone();
                o.remove(&k);
            }
            _ => {}
        }),
        Mutation::Replace(p, v) => at_path(doc, p, &mut |c, i| match c {
            Value::Array(a) => a[i] = v.clone(),
            Value::Object(o) => *o.values_mut().nth(i).unwrap() = v.clone(),
            _ => {}
        }),
        Mutation::Duplicate(p) => at_path(doc, p, &mut |c, i| match c {
            Value::Array(a) => {
                let x = a[i].clone();
                a.insert(i, x);
            }
            Value::Object(o) => {
                let (k, x) = o
                    .iter()
                    .nth(i)
                    .map(|(k, x)| (k.clone(), x.clone()))
                    .unwrap();
                o.insert(format!("{k}_2"), x);
            }
            _ => {}
        }),
        Mutation::SwapString(p, k) => {
            if all_strings.is_empty() {
                return;
            }
            let s = all_strings[k % all_strings.len()].clone();
            at_path(doc, p, &mut |c, i| match c {
                Value::Array(a) => a[i] = Value::String(s.clone()),
                Value::Object(o) => *o.values_mut().nth(i).unwrap() = Value::String(s.clone()),
                _ => {}
            })
        }
        Mutation::RenameKey(p, name) => at_path(doc, p, &mut |c, i| {
            if let Value::Object(o) = c {
                let k = o.keys().nth(i).unwrap().clone();
                let x = o.remove(&k).unwrap();
                o.insert(name.clone(), x);
            }
        }),
    }
}

#[test]
fn json_structure_aware_mutations() {
    let examples: Vec<Value> = examples()
        .iter()
        .map(|(_, t)| serde_json::from_str(t).unwrap())
        .collect();
    let counts = Counts::default();
    let strategy = (0..examples.len(), vec(mutation(), 1..4));
    run(15_000, strategy, |(k, mutations)| {
        let mut doc = examples[k].clone();
        for m in &mutations {
            apply_mutation(&mut doc, m);
        }
        let text = serde_json::to_string_pretty(&doc).unwrap();
        exercise_json(&text, &counts)
    });
    eprintln!("json_structure_aware_mutations: {counts:?}");
    // The mutations must reach the numeric pipeline, not only the parser.
    assert!(counts.accepted.get() >= 300, "{counts:?}");
    assert!(counts.rejected.get() >= 300, "{counts:?}");
}

// ---------------------------------------------------------------------------------------
// (b) --set and argument vectors
// ---------------------------------------------------------------------------------------

fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|x| x.to_string()),
        (-1e3..1e3f64).prop_map(|x| format!("{x:e}")),
        Just("NaN".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-infinity".to_string()),
        Just("1e999".to_string()),
        Just("-1e999".to_string()),
        Just("1e-320".to_string()),
        Just("-0".to_string()),
        Just("0x10".to_string()),
        Just("1_000".to_string()),
        Just(" 1.5 ".to_string()),
        Just("".to_string()),
        Just("=".to_string()),
        Just("1.5.2".to_string()),
        Just("٣".to_string()),
        "[ -~]{0,10}",
    ]
}

fn assignment(names: Vec<String>) -> impl Strategy<Value = String> {
    let name = prop_oneof![
        proptest::sample::select(names.clone()),
        proptest::sample::select(names).prop_map(|n| format!("{n}x")),
        "[a-zA-Z_]{0,8}",
        Just(String::new()),
        Just(" T_l ".to_string()),
    ];
    prop_oneof![
        8 => (name, value_text()).prop_map(|(n, v)| format!("{n}={v}")),
        1 => "[ -~]{0,12}",
        1 => Just("T_l".to_string()),
    ]
}

#[test]
fn set_assignments() {
    let models: Vec<Model> = builtin::NAMES
        .iter()
        .map(|n| builtin::builtin(n).unwrap())
        .collect();
    let all_names: Vec<String> = models
        .iter()
        .flat_map(|m| m.parameters.iter().map(|p| p.name.clone()))
        .collect();
    let (accepted, rejected) = (Cell::new(0), Cell::new(0));
    let strategy = (0..models.len(), vec(assignment(all_names), 0..5));
    run(10_000, strategy, |(k, sets)| {
        let model = &models[k];
        let result = no_panic(|| apply_assignments(model, &sets)).map_err(|p| {
            TestCaseError::fail(format!("apply_assignments panicked: {p}; input {sets:?}"))
        })?;
        match result {
            Ok(values) => {
                accepted.set(accepted.get() + 1);
                prop_assert_eq!(values.len(), model.n_values());
                prop_assert!(
                    values.iter().all(|v| v.is_finite()),
                    "{sets:?} → {values:?}"
                );
                prop_assert!(qct::model::check_values(model, &values).is_ok());
            }
            Err(e) => {
                rejected.set(rejected.get() + 1);
                let msg = e.to_string();
                check_message(&msg)?;
                // A non-finite value is named without printing NaN/inf.
                if matches!(e, qct::Error::BadValue { .. }) {
                    prop_assert!(!has_non_finite_token(&msg), "{msg}");
                }
                // An unknown name is named in the message.
                if let qct::Error::UnknownParameter { name, .. } = &e {
                    prop_assert!(msg.contains(&format!("'{name}'")), "{msg}");
                }
            }
        }
        Ok(())
    });
    eprintln!(
        "set_assignments: {} accepted, {} rejected",
        accepted.get(),
        rejected.get()
    );
    assert!(accepted.get() > 100 && rejected.get() > 100);
}

/// Random argument vectors for solve / onsager / models.
fn argv() -> impl Strategy<Value = Vec<String>> {
    let ex = examples_dir();
    let files: Vec<String> = examples()
        .iter()
        .map(|(n, _)| ex.join(n).display().to_string())
        .chain([
            "/nonexistent/model.json".to_string(),
            concat!(env!("CARGO_MANIFEST_DIR"), "/../..").to_string(), // a directory
            ex.join("../Cargo.toml").display().to_string(),            // not JSON
        ])
        .collect();
    let token = prop_oneof![
        proptest::sample::select(vec![
            "sqd",
            "cqd",
            "sb",
            "icc",
            "anderson",
            "nope",
            "--format",
            "json",
            "text",
            "xml",
            "--representation",
            "energy",
            "heat",
            "--reference",
            "r",
            "l",
            "u",
            "energy=l",
            "energy=x",
            "b=r",
            "b=u",
            "u=r",
            "x=r",
            "=",
            "--set",
            "--model-file",
            "--rtol",
            "--help",
            "-h",
            "--version",
            "-",
            "--",
        ])
        .prop_map(String::from),
        proptest::sample::select(files),
        (
            proptest::sample::select(vec![
                "eps", "eps_b", "kappa", "T_l", "T", "mu_l", "gamma_l", "gamma_l0", "U", "kappa_s",
            ]),
            value_text()
        )
            .prop_map(|(n, v)| format!("{n}={v}")),
        "[ -~]{0,8}",
    ];
    (
        proptest::sample::select(vec!["solve", "onsager", "models", "regime", "performance"]),
        vec(token, 0..8),
    )
        .prop_map(|(cmd, rest)| {
            let mut v = vec!["qct".to_string(), cmd.to_string()];
            v.extend(rest);
            v
        })
}

#[test]
fn cli_argument_vectors() {
    let (ok, err, usage) = (Cell::new(0), Cell::new(0), Cell::new(0));
    run(10_000, argv(), |args| {
        let cli = match Cli::try_parse_from(&args) {
            Ok(cli) => cli,
            Err(_) => {
                usage.set(usage.get() + 1); // clap's usage error (exit 2 in the binary)
                return Ok(());
            }
        };
        let result = no_panic(|| execute(cli))
            .map_err(|p| TestCaseError::fail(format!("qct {args:?} panicked: {p}")))?;
        match result {
            Ok(out) => {
                ok.set(ok.get() + 1);
                // The one intended infinity: ZT of a tightly coupled model.
                let text = out.text.replace("inf (tight coupling", "(tight coupling");
                prop_assert!(!has_non_finite_token(&text), "qct {args:?}:\n{}", out.text);
            }
            Err(e) => {
                err.set(err.get() + 1);
                check_message(&e.to_string())?;
            }
        }
        Ok(())
    });
    eprintln!(
        "cli_argument_vectors: {} ok, {} errors, {} usage errors",
        ok.get(),
        err.get(),
        usage.get()
    );
    assert!(
        ok.get() > 50 && err.get() > 50,
        "fuzzer did not reach execute"
    );
}

// ---------------------------------------------------------------------------------------
// (c) the real binary on malformed inputs
// ---------------------------------------------------------------------------------------

fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qct-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// Exit status 2, one line on stderr starting with "error", no panic, nothing with NaN on
/// stdout.
fn binary_fails_cleanly(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_qct"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .args(args)
        .output()
        .expect("qct runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "qct {args:?}: {stderr}");
    assert!(
        !stderr.contains("panicked"),
        "qct {args:?} panicked: {stderr}"
    );
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "qct {args:?}: stderr not one line: {stderr:?}"
    );
    assert!(lines[0].starts_with("error"), "qct {args:?}: {stderr}");
    assert!(
        !has_non_finite_token(&stdout),
        "qct {args:?} printed {stdout}"
    );
}

#[test]
fn binary_malformed_inputs() {
    let cqd = std::fs::read_to_string(examples_dir().join("cqd.json")).unwrap();
    let truncated = temp_file("truncated.json", &cqd.as_bytes()[..cqd.len() / 2]);
    let empty = temp_file("empty.json", b"");
    let binary = temp_file("binary.json", &[0xff, 0xfe, 0x00, 0x7b, 0x80]);
    let unknown_field = temp_file(
        "unknown_field.json",
        cqd.replacen("\"dots\"", "\"dotz\"", 1).as_bytes(),
    );
    let bad_number = temp_file(
        "bad_number.json",
        cqd.replacen("0.5", "1e999", 1).as_bytes(),
    );
    let non_unique = temp_file(
        "non_unique.json",
        br#"{"name": "frozen", "parameters": {"eps": 0.5, "g": 0.0, "T": 1.0, "mu": 0.0},
             "dots": [{"name": "d", "energy": "eps"}],
             "leads": [{"name": "l", "temperature": "T", "chemical_potential": "mu",
                        "couplings": [{"dot": "d", "rate": "g"}]}]}"#,
    );
    let p = |p: &PathBuf| p.display().to_string();
    let cases: Vec<Vec<String>> = vec![
        vec!["solve".into(), "--model-file".into(), p(&truncated)],
        vec!["onsager".into(), "--model-file".into(), p(&empty)],
        vec!["solve".into(), "--model-file".into(), p(&binary)],
        vec!["solve".into(), "--model-file".into(), p(&unknown_field)],
        vec!["solve".into(), "--model-file".into(), p(&bad_number)],
        vec!["solve".into(), "--model-file".into(), p(&non_unique)],
        vec![
            "solve".into(),
            "--model-file".into(),
            "/nonexistent.json".into(),
        ],
        vec![
            "solve".into(),
            "--model-file".into(),
            concat!(env!("CARGO_MANIFEST_DIR"), "/../..").into(),
        ],
        vec![
            "solve".into(),
            "sqd".into(),
            "--set".into(),
            "T_l=NaN".into(),
        ],
        vec![
            "solve".into(),
            "sqd".into(),
            "--set".into(),
            "T_l=-1".into(),
        ],
        vec![
            "solve".into(),
            "sqd".into(),
            "--set".into(),
            "T_l=1e-320".into(),
        ],
        vec![
            "solve".into(),
            "sqd".into(),
            "--set".into(),
            "eps=1e999".into(),
        ],
        vec![
            "solve".into(),
            "sqd".into(),
            "--set".into(),
            "gamma_l=-0.5".into(),
        ],
        vec!["solve".into(), "sqd".into(), "--set".into(), "epz=1".into()],
        vec!["solve".into(), "sqd".into(), "--set".into(), "eps".into()],
        vec![
            "onsager".into(),
            "cqd".into(),
            "--set".into(),
            "kappa=abc".into(),
        ],
        vec![
            "onsager".into(),
            "cqd".into(),
            "--reference".into(),
            "x=r".into(),
        ],
        vec!["onsager".into(), "nope".into()],
        vec!["solve".into()],
    ];
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        binary_fails_cleanly(&args);
    }
    // clap's own usage errors: exit 2, "error: ..." first, no panic — but several lines
    // (the value's alternatives and a --help hint); see `binary_usage_errors_one_line`.
    for args in [
        &["solve", "--format", "xml", "sqd"][..],
        &["solve", "--bogus"][..],
        &["frobnicate"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_qct"))
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "qct {args:?}: {stderr}");
        assert!(stderr.starts_with("error"), "qct {args:?}: {stderr}");
        assert!(!stderr.contains("panicked") && out.stdout.is_empty());
    }
}

/// README: "2 usage, input or model error (one line on stderr naming the problem)". clap's
/// usage errors print 3–4 lines.
#[test]
fn binary_usage_errors_one_line() {
    binary_fails_cleanly(&["solve", "--format", "xml", "sqd"]);
}

/// A model without independent forces through the binary: `qct onsager` on a model with
/// one lead (this used to panic in nalgebra's eigen-decomposition of the empty matrix).
#[test]
fn binary_onsager_without_forces() {
    let one_lead = temp_file(
        "one_lead.json",
        br#"{"name": "one_lead", "parameters": {"eps": 0.3, "gamma": 1.0, "T": 1.0, "mu": 0.0},
             "dots": [{"name": "d", "energy": "eps"}],
             "leads": [{"name": "l", "temperature": "T", "chemical_potential": "mu",
                        "couplings": [{"dot": "d", "rate": "gamma"}]}]}"#,
    );
    let out = Command::new(env!("CARGO_BIN_EXE_qct"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .args(["onsager", "--model-file", &one_lead.display().to_string()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Either an empty matrix (exit 0) or a clear error (exit 2).
    assert!(
        matches!(out.status.code(), Some(0) | Some(2)),
        "{:?}: {stderr}",
        out.status
    );
}
