// The spin-bias model of the spin tests (`examples/spin_seebeck.json`), shared by the
// library's (`tests/spin.rs`) and the command line's (`crates/qct-cli/tests/spin.rs`) by
// `include!`. The including module imports `Model`, the `json` module of `model`,
// `ForceBasis`, `Representation` and `FluxKind` (from `crate::` in the library, from `qct::`
// in the command line's tests). Plain comments: an included file cannot carry inner doc
// comments.

const FILE: &str = "examples/spin_seebeck.json";

fn text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/spin_seebeck.json"
    ))
    .unwrap()
}

fn spin_model() -> Model {
    json::from_json(&text(), FILE).unwrap()
}

/// The same model without the spin bias (and without its parameter).
#[allow(dead_code)] // used by the library's tests only
fn plain_model() -> Model {
    let mut spec: serde_json::Value = serde_json::from_str(&text()).unwrap();
    spec["leads"][1]
        .as_object_mut()
        .unwrap()
        .remove("spin_bias");
    spec["parameters"].as_object_mut().unwrap().remove("mu_s_r");
    json::from_json(&spec.to_string(), "plain").unwrap()
}

fn set(model: &Model, values: &mut [f64], name: &str, value: f64) {
    values[model.param(name).unwrap_or_else(|| panic!("{name}")).0] = value;
    let free = values[..model.parameters.len()].to_vec();
    values.copy_from_slice(&model.complete(&free));
}

fn basis(model: &Model, representation: Representation) -> ForceBasis {
    ForceBasis::new(model, representation, model.default_references()).unwrap()
}

fn position(b: &ForceBasis, kind: FluxKind) -> usize {
    b.forces.iter().position(|f| f.kind == kind).unwrap()
}
