//! Unit tests of the JSON model format: the error messages of invalid model files.

use super::from_json;
use serde_json::{Value, json};

/// `examples/cqd.json` changed by `edit`, read back: the error message.
fn error_of(edit: impl Fn(&mut Value)) -> String {
    let mut model: Value =
        serde_json::from_str(include_str!("../../../../../examples/cqd.json")).unwrap();
    edit(&mut model);
    from_json(&model.to_string(), "test")
        .expect_err("the edited model is invalid")
        .to_string()
}

/// Every part of a model file names what is wrong with it: the parameters, dots,
/// interactions, tunnelling, leads (with occupation-dependent rates) and references.
#[test]
fn invalid_models_name_the_problem() {
    let cases: [(&str, Box<dyn Fn(&mut Value)>); 15] = [
        (
            "parameter eps_b: expected a number or a string with a unit (e.g. \"20mK\"), got {\"foo\":1}",
            Box::new(|m| m["parameters"]["eps_b"] = json!({"foo": 1})),
        ),
        (
            "parameter eps_b: role must be one of energy, rate, temperature, chemical_potential, dimensionless, got \"weird\"",
            Box::new(|m| m["parameters"]["eps_b"] = json!({"default": 1, "role": "weird"})),
        ),
        (
            "dot b: spin must be \"up\" or \"down\", got \"sideways\"",
            Box::new(|m| m["dots"][0]["spin"] = json!("sideways")),
        ),
        (
            "the level of dot b refers to parameter 'eps_zz', which is not in \"parameters\" (did you mean 'eps_b'?)",
            Box::new(|m| m["dots"][0]["energy"] = json!("eps_zz")),
        ),
        (
            "interaction b-b couples a dot to itself",
            Box::new(|m| m["interactions"][0]["dots"] = json!(["b", "b"])),
        ),
        (
            "tunnelling b-zz refers to dot 'zz', which does not exist",
            Box::new(|m| m["tunnelling"] = json!([{"dots": ["b", "zz"], "t": "eps_u"}])),
        ),
        (
            "lead l refers to dot 'zz', which does not exist",
            Box::new(|m| m["leads"][0]["couplings"][0]["dot"] = json!("zz")),
        ),
        (
            "the rate of lead l on dot b refers to dot 'qq', which does not exist",
            Box::new(|m| {
                m["leads"][0]["couplings"][0]["rate"] =
                    json!({"depends_on": ["qq"], "values": {"0": "gamma_l0", "1": "gamma_l1"}})
            }),
        ),
        (
            "the rate of lead l on dot b: \"values\" needs a parameter name or an expression for occupation \"1\" of (u)",
            Box::new(|m| {
                m["leads"][0]["couplings"][0]["rate"] =
                    json!({"depends_on": ["u"], "values": {"0": "gamma_l0"}})
            }),
        ),
        (
            "the rate of lead l on dot b: \"values\" must have exactly the 2 keys of 1-digit occupation strings",
            Box::new(|m| {
                m["leads"][0]["couplings"][0]["rate"] = json!({"depends_on": ["u"],
                    "values": {"0": "gamma_l0", "1": "gamma_l1", "2": "gamma_l1"}})
            }),
        ),
        (
            "the temperature of lead l refers to parameter 'eps_q', which is not in \"parameters\" (did you mean 'eps_b'?)",
            Box::new(|m| m["leads"][0]["temperature"] = json!("eps_q")),
        ),
        (
            "the spin bias of lead l refers to parameter 'mu_zz', which is not in \"parameters\" (did you mean 'mu_l'?)",
            Box::new(|m| m["leads"][0]["spin_bias"] = json!("mu_zz")),
        ),
        (
            "parameter eps_b is used as a energy (the level of dot b) and as a temperature (the temperature of lead l); a parameter has one role — use separate parameters",
            Box::new(|m| m["leads"][0]["temperature"] = json!("eps_b")),
        ),
        (
            "reference lead 'nowhere' does not exist",
            Box::new(|m| m["reference"] = json!({"energy": "nowhere"})),
        ),
        (
            "reference lead 'nowhere' does not exist",
            Box::new(|m| m["reference"] = json!({"particles": ["nowhere"]})),
        ),
    ];
    for (reason, edit) in cases {
        assert_eq!(error_of(edit), format!("invalid model 'cqd': {reason}"));
    }
}
