//! `qct check --units si`: the closed-form, numeric, finite-difference and
//! fluctuation–dissipation Onsager matrices in SI equal `qct onsager --units si` entry by
//! entry (the same units, 1/s, W, J W, reciprocity in SI) and the natural-unit check times
//! the factors built from e, k_B, ħ; the verdict is unchanged.

use qct::units::{ELEMENTARY_CHARGE, HBAR};
use serde_json::Value;

#[path = "support/cli.rs"]
mod cli;

const MEV: f64 = 1e-3 * ELEMENTARY_CHARGE;

const POINT: [&str; 12] = [
    "--set",
    "eps=0.02meV",
    "--set",
    "gamma_l=1ueV",
    "--set",
    "gamma_r=2ueV",
    "--set",
    "T_l=150mK",
    "--set",
    "T_r=100mK",
    "--set",
    "mu_l=0.01meV",
];

fn json(command: &str, extra: &[&str]) -> Value {
    let mut args = vec![command, "sqd"];
    args.extend(POINT);
    args.extend(extra);
    args.extend(["--format", "json"]);
    serde_json::from_str(&cli::stdout(&args)).unwrap()
}

#[test]
fn check_in_si_units() {
    let si = json("check", &["--units", "si"]);
    let natural = json("check", &[]);
    let onsager = json("onsager", &["--units", "si"]);
    assert_eq!(si["passed"], true);
    assert_eq!(si["units"]["L"], onsager["units"]["L"]);
    assert_eq!(
        si["max_relative_deviation"],
        natural["max_relative_deviation"]
    );
    // L_NN per natural unit: meV/ħ; L_NE: meV²/ħ (W); L_EE: meV³/ħ (J W).
    let rate = MEV / HBAR;
    let factor = [[rate, MEV * rate], [MEV * rate, MEV * MEV * rate]];
    let scale = onsager["L"][0][0].as_f64().unwrap();
    for i in 0..2 {
        for j in 0..2 {
            let entry_scale = scale * factor[i][j] / rate;
            for key in [
                "L_closed_form",
                "L_numeric",
                "L_fluctuation_dissipation",
                "L_finite_difference",
            ] {
                let x = si[key][i][j].as_f64().unwrap();
                let expected = natural[key][i][j].as_f64().unwrap() * factor[i][j];
                assert!(
                    (x - expected).abs() <= 1e-12 * expected.abs().max(1e-300),
                    "{key}[{i}][{j}]: {x} vs {expected}"
                );
                let tolerance = if key == "L_finite_difference" {
                    1e-7
                } else {
                    1e-10
                };
                let l = onsager["L"][i][j].as_f64().unwrap();
                assert!(
                    (x - l).abs() <= tolerance * entry_scale,
                    "{key}[{i}][{j}] = {x} vs onsager {l}"
                );
            }
        }
    }
    let mut args = vec!["check", "sqd"];
    args.extend(POINT);
    args.extend(["--units", "si"]);
    let text = cli::stdout(&args);
    assert!(
        text.contains("PASSED") && text.contains("SI units"),
        "{text}"
    );
    let msg = cli::fails(&["check", "sqd", "--units", "si"]);
    assert!(msg.contains("--units si needs"), "{msg}");
}
