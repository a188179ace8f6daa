//! `--units si` beyond JSON (issue 16): the text of `qct onsager`, `qct performance` and
//! `qct icc` in SI with engineering prefixes, number for number the SI JSON of the same
//! command (to the 5 significant digits printed); figures of a sweep with SI axes
//! (`T_l [mK]`, `I^l [pA]`) whose drawn numbers are the SI table's (`--tradeoff --units si`:
//! units_fluct.rs).

#[path = "support/cli.rs"]
mod cli;

use cli::stdout;

const SQD: [&str; 12] = [
    "--set",
    "eps=0.1meV",
    "--set",
    "T_l=200mK",
    "--set",
    "T_r=100mK",
    "--set",
    "mu_l=0.05meV",
    "--set",
    "gamma_l=1ueV",
    "--set",
    "gamma_r=1ueV",
];

/// The number in `text` right after `key` (e.g. `L_NN = 438.4692 y/s`), in SI: the
/// engineering prefix applied (µeV, meV, … also converted from eV to J).
fn si_number_after(text: &str, key: &str) -> f64 {
    let rest = &text[text.find(key).unwrap_or_else(|| panic!("{key} in {text}")) + key.len()..];
    let mut words = rest.split_whitespace();
    let value: f64 = words.next().unwrap().trim_end_matches(',').parse().unwrap();
    let unit = words.next().unwrap_or("");
    let prefix = |p: char| match p {
        'y' => 1e-24,
        'z' => 1e-21,
        'a' => 1e-18,
        'f' => 1e-15,
        'p' => 1e-12,
        'n' => 1e-9,
        'µ' => 1e-6,
        'm' => 1e-3,
        'k' => 1e3,
        'M' => 1e6,
        'G' => 1e9,
        'T' => 1e12,
        _ => 1.0,
    };
    let first = unit.chars().next().unwrap_or(' ');
    let known = ["S", "W", "A", "K", "V", "/", "e"];
    let scale = if known.iter().any(|k| unit.starts_with(k)) {
        1.0
    } else {
        prefix(first)
    };
    let ev = if unit.contains("eV") {
        1.602176634e-19
    } else {
        1.0
    };
    value * scale * ev
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--units", "si", "--format", "json"]);
    serde_json::from_str(&stdout(&all)).unwrap()
}

fn text(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--units", "si"]);
    stdout(&all)
}

fn agree(text_value: f64, json_value: f64) {
    assert!(
        (text_value - json_value).abs() <= 1e-4 * json_value.abs(),
        "text {text_value:e}, JSON {json_value:e}"
    );
}

#[test]
fn onsager_text_matches_its_si_json() {
    let args: Vec<&str> = ["onsager", "sqd"].into_iter().chain(SQD).collect();
    let (t, j) = (text(&args), json(&args));
    assert!(t.contains("(SI units)"), "{t}");
    agree(
        si_number_after(&t, "L[J_N^l, F_N^l]"),
        j["L"][0][0].as_f64().unwrap(),
    );
    agree(
        si_number_after(&t, "L[J_N^l, F_E^l]"),
        j["L"][0][1].as_f64().unwrap(),
    );
    // L_EE in eV W: converted to J W by the parser.
    agree(
        si_number_after(&t, "L[J_E^l, F_E^l]"),
        j["L"][1][1].as_f64().unwrap(),
    );
}

#[test]
fn performance_text_matches_its_si_json() {
    let args = [
        "performance",
        "anderson",
        "--set",
        "eps=0.1meV",
        "--set",
        "U=1meV",
        "--set",
        "T_l=200mK",
        "--set",
        "T_r=100mK",
        "--set",
        "mu_l=0.02meV",
        "--set",
        "gamma_l=1ueV",
        "--set",
        "gamma_r=1ueV",
    ];
    let (t, j) = (text(&args), json(&args));
    // Each field under its JSON key, printed in the text on a line of its own.
    let field = |section: &str, key: &str| {
        let value = j[section][key].as_f64().unwrap();
        (si_number_after(&t, &format!("\n   {key} ")), value)
    };
    let (shown, g) = field("linear", "G");
    agree(shown, g);
    let (shown, p) = field("machine", "P");
    agree(shown, p);
    let (shown, bias) = field("load_optimum", "stall_bias");
    agree(shown, bias);
    // G also in e²/h: G h / e².
    let quantum = 1.602176634e-19f64.powi(2) / 6.62607015e-34;
    assert!(t.contains(&format!("({:.4e} e²/h)", g / quantum)), "{t}");
}

#[test]
fn icc_text_matches_its_si_json() {
    let args = [
        "icc",
        "icc",
        "--no-symbolic",
        "--set",
        "eps_b=0.1meV",
        "--set",
        "eps_u=0.2meV",
        "--set",
        "kappa_c=-0.3meV",
        "--set",
        "kappa_s=0.05meV",
        "--set",
        "gamma_l0=1ueV",
        "--set",
        "gamma_l1=1ueV",
        "--set",
        "gamma_r0=1ueV",
        "--set",
        "gamma_r1=1ueV",
        "--set",
        "gamma_u0=1ueV",
        "--set",
        "gamma_u1=1ueV",
        "--set",
        "T_l=120mK",
        "--set",
        "T=100mK",
        "--set",
        "mu_l=0.01meV",
        "--set",
        "mu_r=0",
        "--set",
        "mu_u=0",
    ];
    let (t, j) = (text(&args), json(&args));
    let l = &j["analysis"]["L"];
    agree(si_number_after(&t, "L_NN ="), l[0][0].as_f64().unwrap());
    agree(si_number_after(&t, "L_NE ="), l[0][1].as_f64().unwrap());
    assert!(t.contains("verdict:"), "{t}");
}

/// A 1-D sweep drawn with `--units si`: the axis `T_l [mK]` (20–200 mK) and `I^l [pA]`; the
/// largest current drawn equals the SI table's in pA. In natural units no SI label appears.
#[test]
fn sweep_figures_in_si() {
    let dir = std::env::temp_dir().join(format!("qct-units-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("si.svg");
    let base = [
        "sweep",
        "sqd",
        "--set",
        "eps=0.1meV",
        "--set",
        "T_r=100mK",
        "--set",
        "mu_l=0.05meV",
        "--set",
        "gamma_l=1ueV",
        "--set",
        "gamma_r=1ueV",
        "--vary",
        "T_l=20mK:200mK:10",
        "--quantity",
        "I^l",
        "--format",
        "json",
    ];
    let mut args = base.to_vec();
    args.extend(["--units", "si", "--plot", svg.to_str().unwrap()]);
    let table: serde_json::Value = serde_json::from_str(&stdout(&args)).unwrap();
    let drawn = std::fs::read_to_string(&svg).unwrap();
    let plain: String = drawn
        .split('<')
        .filter_map(|s| s.split_once('>').map(|(_, t)| t))
        .collect();
    assert!(plain.contains("T") && plain.contains(" [mK]"), "{plain}");
    assert!(plain.contains(" [pA]"), "{plain}");
    let largest = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[1].as_f64().unwrap().abs())
        .fold(0.0, f64::max);
    assert!(
        (1e-12..1e-9).contains(&largest),
        "{largest:e} A: the prefix p fits"
    );
    let natural = dir.join("natural.svg");
    let mut args = base.to_vec();
    args.extend(["--plot", natural.to_str().unwrap()]);
    stdout(&args);
    let drawn = std::fs::read_to_string(&natural).unwrap();
    assert!(!drawn.contains("[mK]") && !drawn.contains("[pA]"));
    std::fs::remove_dir_all(&dir).unwrap();
}
