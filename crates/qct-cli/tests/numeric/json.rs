//! The built-ins written as JSON reproduce the built-ins bit for bit: the model value and
//! every number of the solve and onsager reports.

use super::common::*;
use qct::model::Model;
use qct::model::json::{from_json, to_json};
use qct::thermo::Representation;
use qct_cli::report::{onsager_report, solve_report};

fn report_texts(m: &Model, v: &[f64], representation: Representation) -> (String, String) {
    let b = basis(m, representation);
    let solve = serde_json::to_string_pretty(&solve_report(m, v, &b).expect("solve")).unwrap();
    let onsager =
        serde_json::to_string_pretty(&onsager_report(m, v, &b).expect("onsager")).unwrap();
    (solve, onsager)
}

fn assert_same_results(a: &Model, b: &Model, what: &str) {
    assert_eq!(a, b, "{what}: model differs");
    let mut pts = points(&a.name);
    pts.truncate(4);
    for v in pts {
        for representation in REPRESENTATIONS {
            let (sa, oa) = report_texts(a, &v, representation);
            let (sb, ob) = report_texts(b, &v, representation);
            assert_eq!(sa, sb, "{what}: solve report differs ({representation:?})");
            assert_eq!(
                oa, ob,
                "{what}: onsager report differs ({representation:?})"
            );
        }
    }
}

#[test]
fn json_round_trip_reproduces_builtins() {
    for name in BUILTINS {
        let m = model(name);
        let text = to_json(&m);
        let back = from_json(&text, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_same_results(&m, &back, &format!("{name} round trip"));
        assert_eq!(to_json(&back), text, "{name}: to_json is not stable");
    }
    let m = model("dd2");
    assert_eq!(from_json(&to_json(&m), "dd2").unwrap(), m);
}

#[test]
fn example_files_reproduce_builtins() {
    for name in BUILTINS {
        let path = format!(
            "{}/examples/{name}.json",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("examples/{name}.json is missing or unreadable ({e}): every built-in must ship as a JSON example")
        });
        let file = from_json(&text, &path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_same_results(&model(name), &file, &path);
    }
}
