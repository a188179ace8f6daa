//! `qct sweep --plot` figures for print, through the binary: one panel per unit, titles
//! that name exactly what is drawn, parameter symbols and units on the axes, model-file
//! symbols, `--size`, `--dpi`, `--log-x/--log-y`, and their input errors (exit 2).

#[path = "support/cli.rs"]
mod support;

use support::{fails, qct, stdout};

fn temp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("qct_figures_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name).to_string_lossy().into_owned()
}

/// The text of every `<text>` element of an SVG, tspans joined with markup restored
/// (`_` before a smaller run below the baseline, `^` above it).
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .map(|element| {
            let element = element.split("</text>").next().unwrap();
            let mut out = String::new();
            let mut base_y = None;
            for span in element.split("<tspan ").skip(1) {
                let y: f64 = span
                    .split("y=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                let content = span.split('>').nth(1).unwrap().split('<').next().unwrap();
                let small = span.contains("font-size=");
                match (small, base_y) {
                    (false, _) => {
                        base_y = Some(y);
                        out.push_str(content);
                    }
                    (true, Some(b)) if y > b => out.push_str(&format!("_{content}")),
                    (true, _) => out.push_str(&format!("^{content}")),
                }
            }
            out
        })
        .collect()
}

/// Quantities of different units get their own panels (one y label each, with the unit);
/// the title lists exactly the drawn quantities; the x axis carries the parameter's symbol.
#[test]
fn quantities_of_different_units_get_their_own_panels() {
    let path = temp("panels.svg");
    stdout(&[
        "sweep",
        "sb",
        "--vary",
        "eps_b=-2:2:21",
        "--quantity",
        "J_N^l,J_E^l,J_Q^l,L_NE,S,ZT",
        "--plot",
        &path,
    ]);
    let svg = std::fs::read_to_string(&path).unwrap();
    let texts = texts(&svg);
    let has = |t: &str| texts.iter().any(|x| x == t);
    assert!(has("sb: J_N^l, J_E^l, J_Q^l, L_NE, S, ZT"), "{texts:?}");
    assert!(has("J_N^l (1/time)"), "{texts:?}");
    // J_E, J_Q and L_NE = ∂J_N/∂F_E share their unit: one panel.
    assert!(has("J_E^l, J_Q^l, L_NE (energy/time)"), "{texts:?}");
    assert!(has("S (k_B)"), "{texts:?}");
    assert!(has("ZT"), "{texts:?}");
    assert!(has("ε_b (energy)"), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("value")), "{texts:?}");

    // One quantity, one panel: its label and the title name it and nothing else.
    stdout(&[
        "sweep",
        "sqd",
        "--vary",
        "T_l=0.5:2:11",
        "--quantity",
        "sigma",
        "--plot",
        &path,
    ]);
    let texts = self::texts(&std::fs::read_to_string(&path).unwrap());
    assert!(texts.contains(&"sqd: Σ\u{307}".to_string()), "{texts:?}");
    assert!(
        texts.contains(&"Σ\u{307} (k_B/time)".to_string()),
        "{texts:?}"
    );
    assert!(texts.contains(&"T_l (energy/k_B)".to_string()), "{texts:?}");
}

/// Regime maps: forces with real sub/superscripts and their units, regimes in words.
#[test]
fn regime_maps_name_forces_and_regimes() {
    let path = temp("regimes.svg");
    stdout(&[
        "sweep",
        "sqd",
        "--vary",
        "F_E^l=-0.3:0.3:7",
        "--vary",
        "F_N^l=-0.3:0.3:7",
        "--quantity",
        "regime",
        "--plot",
        &path,
    ]);
    let texts = texts(&std::fs::read_to_string(&path).unwrap());
    let has = |t: &str| texts.iter().any(|x| x == t);
    assert!(has("F_E^l (1/energy)"), "{texts:?}");
    assert!(has("F_N^l"), "{texts:?}");
    assert!(has("sqd: regime"), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t == "heat engine" || t == "refrigerator"),
        "{texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.contains("heat_engine")),
        "{texts:?}"
    );
}

/// A model file's own parameter symbol is drawn on the axis.
#[test]
fn model_file_symbols_are_drawn() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let model = format!("{root}/examples/double_dot_two_terminal.json");
    let json = std::fs::read_to_string(&model).unwrap();
    let mut spec: serde_json::Value = serde_json::from_str(&json).unwrap();
    let parameters = spec["parameters"].as_object_mut().unwrap();
    let (name, value) = parameters
        .iter()
        .next()
        .map(|(k, v)| (k.clone(), v.clone()))
        .unwrap();
    let default = value
        .as_f64()
        .or_else(|| value["default"].as_f64())
        .unwrap();
    parameters.insert(
        name.clone(),
        serde_json::json!({"default": default, "symbol": "ξ_{test}"}),
    );
    let file = temp("model.json");
    std::fs::write(&file, spec.to_string()).unwrap();
    let path = temp("symbol.svg");
    let vary = format!("{name}={}:{}:5", default - 0.1, default + 0.1);
    stdout(&[
        "sweep",
        "--model-file",
        &file,
        "--vary",
        &vary,
        "--quantity",
        "P",
        "--plot",
        &path,
    ]);
    let texts = texts(&std::fs::read_to_string(&path).unwrap());
    assert!(texts.iter().any(|t| t.starts_with("ξ_test (")), "{texts:?}");
}

/// `--size`, `--dpi` and log axes through the CLI, and their errors.
#[test]
fn size_resolution_and_log_axes() {
    let png = temp("print.png");
    stdout(&[
        "sweep",
        "sqd",
        "--vary",
        "gamma_l=log:1e-2:1e2:9",
        "--quantity",
        "J_N^l",
        "--set",
        "mu_l=1",
        "--log-x",
        "--log-y",
        "--size",
        "480x360",
        "--dpi",
        "300",
        "--plot",
        &png,
    ]);
    let bytes = std::fs::read(&png).unwrap();
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (1500, 1125));

    let svg = temp("bad.svg");
    for bad in [
        &["--size", "480"][..],
        &["--size", "50x50"],
        &["--dpi", "0"],
        &["--dpi", "nan"],
    ] {
        let args = [
            &["sweep", "sqd", "--vary", "eps=-1:1:5", "--plot", &svg][..],
            bad,
        ]
        .concat();
        let err = fails(&args);
        assert!(err.contains(bad[0]), "{err}");
    }
    // A log axis over a grid with non-positive values cannot be drawn.
    let out = qct(&[
        "sweep",
        "sqd",
        "--vary",
        "eps=-1:1:5",
        "--vary",
        "T_l=0.5:1:3",
        "--log-x",
        "--plot",
        &svg,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("log scale"));
}
