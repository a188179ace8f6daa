//! `qct performance --tradeoff` through the binary: the second law along both curves, the
//! engine curve through `qct performance`'s optimum, and the approach to linear response
//! (the ZT curve) as ΔT → 0.

#[path = "support/cli.rs"]
mod support;

use serde_json::Value;
use support::{fails, stdout};

fn tradeoff(args: &[&str]) -> Value {
    let mut all = vec!["performance"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--tradeoff", "--samples", "60", "--format", "json"]);
    serde_json::from_str(&stdout(&all)).expect("JSON")
}

fn numbers(v: &Value) -> Vec<Option<f64>> {
    v.as_array().unwrap().iter().map(Value::as_f64).collect()
}

/// η ≤ η_C and COP ≤ COP_C at every sample; the largest power on the curve is the
/// optimum's (its bias is a sample), with the optimum's efficiency; the refrigerator's
/// maximum COP is the largest on its curve.
#[test]
fn curves_obey_carnot_and_pass_through_the_optimum() {
    for args in [
        &["anderson", "--set", "T_l=1.1"][..],
        &["anderson", "--set", "T_l=2", "--set", "eps=1.5"],
        &[
            "sb",
            "--set",
            "T_u=1.5",
            "--set",
            "gamma_l1=0.1",
            "--set",
            "gamma_r0=0.1",
        ],
        &["sqd", "--set", "T_l=1.5", "--set", "eps=1"],
    ] {
        let r = tradeoff(args);
        let e = &r["tradeoff"]["engine"];
        let over_carnot = numbers(&e["eta_over_carnot"]);
        assert!(
            over_carnot
                .iter()
                .flatten()
                .all(|&x| (0.0..=1.0 + 1e-9).contains(&x)),
            "{args:?}"
        );
        let power: Vec<f64> = numbers(&e["P"]).into_iter().flatten().collect();
        let best = power.iter().copied().fold(f64::MIN, f64::max);
        let optimum = &r["load_optimum"];
        assert_eq!(best, optimum["P_max"].as_f64().unwrap(), "{args:?}");
        let k = power.iter().position(|&p| p == best).unwrap();
        assert_eq!(
            numbers(&e["eta"])[k],
            optimum["eta_at_max_power"].as_f64(),
            "{args:?}"
        );
        // Short circuit and stall deliver no power.
        assert!(power[0].abs() < 1e-12 && power[power.len() - 1].abs() < 1e-9 * best);
        if let Some(f) = r["tradeoff"].get("refrigerator") {
            let cop = numbers(&f["cop_over_carnot"]);
            assert!(
                cop.iter()
                    .flatten()
                    .all(|&x| (0.0..=1.0 + 1e-9).contains(&x)),
                "{args:?}"
            );
            let max = f["cop_max_over_carnot"].as_f64().unwrap();
            assert!(
                cop.iter().flatten().all(|&x| x <= max * (1.0 + 1e-9)),
                "{args:?}"
            );
            let q_c = numbers(&f["Q_c"]);
            assert!(q_c.iter().flatten().all(|&q| q > 0.0));
        }
    }
}

/// As ΔT → 0 the nonlinear η(P)/η_C approaches the linear-response curve of the point's
/// ZT on both branches, and the maximum COP/COP_C the ZT bound, linearly in ΔT.
#[test]
fn near_equilibrium_curves_approach_the_zt_curve() {
    let mut engine = Vec::new();
    let mut fridge = Vec::new();
    for dt in [0.1, 0.01, 0.001] {
        let t = format!("T_l={}", 1.0 + dt);
        let r = tradeoff(&["anderson", "--set", "eps=0.7", "--set", &t]);
        let e = &r["tradeoff"]["engine"];
        let deviation = numbers(&e["eta_over_carnot"])
            .iter()
            .zip(numbers(&e["linear_eta_over_carnot"]))
            .filter_map(|(a, b)| Some((a.as_ref()? - b?).abs()))
            .fold(0.0, f64::max);
        engine.push(deviation);
        let f = &r["tradeoff"]["refrigerator"];
        let bound = f["linear_cop_max_over_carnot"].as_f64().unwrap();
        fridge.push((f["cop_max_over_carnot"].as_f64().unwrap() - bound).abs());
    }
    for d in [&engine, &fridge] {
        assert!(
            d[1] < 0.2 * d[0] && d[2] < 0.2 * d[1],
            "{engine:?} {fridge:?}"
        );
    }
    assert!(
        engine[2] < 1e-3 && fridge[2] < 1e-3,
        "{engine:?} {fridge:?}"
    );
}

/// No engine, or a figure without the trade-off: exit 2 with one line.
#[test]
fn tradeoff_errors_and_figure() {
    let err = fails(&[
        "performance",
        "sqd",
        "--set",
        "T_l=1",
        "--set",
        "T_r=1",
        "--tradeoff",
    ]);
    assert!(err.contains("--tradeoff needs an engine"), "{err}");
    let path = std::env::temp_dir().join(format!("qct_tradeoff_{}.svg", std::process::id()));
    let path = path.to_string_lossy().into_owned();
    let err = fails(&[
        "performance",
        "anderson",
        "--set",
        "T_l=1.1",
        "--plot",
        &path,
    ]);
    assert!(err.contains("--tradeoff"), "{err}");
    stdout(&[
        "performance",
        "anderson",
        "--set",
        "T_l=1.1",
        "--tradeoff",
        "--plot",
        &path,
    ]);
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.contains("linear response (ZT)") && svg.contains("against P over the load"));
    std::fs::remove_file(&path).ok();
}
