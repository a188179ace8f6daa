//! `--method pauli|lindblad|redfield` for `qct sweep`, `qct regime` and `qct performance`
//! (issue 14), and the spin-current sweep quantity `J_S^λ`.
//!
//! * Far from degeneracy (eigenstates with the same charges split by Δ ≫ γ) the three
//!   methods agree: Lindblad = Pauli (the secular populations obey the Pauli equation; L
//!   then differs only by the finite differences), Redfield − Pauli = O((γ/Δ)²) relative
//!   for currents, Σ̇, L, G, S, ZT (measured ≈ 0.35 (γ/Δ)²; asserted ≤ (γ/Δ)²).
//! * Near degeneracy (serial_dd, t ≲ γ) Redfield departs from Pauli by O(1), Lindblad stays
//!   equal to Pauli, and Σ̇ ≥ 0 for Pauli and Lindblad.
//! * `qct regime --method redfield` at t = 0 and at far detuning classifies as Pauli does;
//!   `qct sweep --method redfield` equals point-by-point `qct solve/onsager --method
//!   redfield`.
//! * `J_S^λ` = J_N↑^λ − J_N↓^λ equals the hand-worked U = 0 closed form of two independent
//!   spin orbitals, is conserved (Σ_λ J_S^λ = 0), vanishes without polarisation and field,
//!   and is refused for spinless models.
//!
//! Run with `--nocapture` to see the measured agreement.

use qct::method::Method;
use qct::model::{Model, builtin::builtin};
use qct::quantity::sweep_table_with;
use qct::sweep::{Axis, Cell, Grid, OnError, Table};
use qct::thermo::{ForceBasis, Representation};

#[path = "support/cli.rs"]
mod cli_support;
use cli_support as cli;

fn set(model: &Model, values: &mut [f64], name: &str, value: f64) {
    values[model.param(name).unwrap_or_else(|| panic!("{name}")).0] = value;
}

fn point(model: &Model, assignments: &[(&str, f64)]) -> Vec<f64> {
    let mut v = model.defaults();
    for &(n, x) in assignments {
        set(model, &mut v, n, x);
    }
    model.complete(&v)
}

fn basis(model: &Model, representation: Representation) -> ForceBasis {
    ForceBasis::new(model, representation, model.default_references()).unwrap()
}

/// A sweep by `method` over `axis` (e.g. `eps_1=0.2001,0.21`), as the command line runs it.
fn sweep(model: &Model, values: &[f64], axis: &str, names: &[&str], method: Method) -> Table {
    let b = basis(model, Representation::Energy);
    let grid = Grid::new(vec![axis.parse::<Axis>().unwrap()]).unwrap();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    sweep_table_with(
        method,
        model,
        values,
        &b,
        &grid,
        &names,
        None,
        None,
        OnError::Stop,
    )
    .unwrap()
}

fn number(table: &Table, row: usize, column: &str) -> f64 {
    let j = table.columns.iter().position(|c| c == column).unwrap();
    match table.rows[row][j] {
        Cell::Number(x) => x,
        ref other => panic!("{column}: {other:?}"),
    }
}

fn label(table: &Table, row: usize, column: &str) -> String {
    let j = table.columns.iter().position(|c| c == column).unwrap();
    match &table.rows[row][j] {
        Cell::Label(s) => s.clone(),
        other => panic!("{column}: {other:?}"),
    }
}

/// serial_dd with γ_l = γ_r = 1e-3, ε_2 = 0.2, a small t, a temperature and a bias
/// difference (an engine-like point with every force nonzero).
fn serial_point(model: &Model, t: f64) -> Vec<f64> {
    point(
        model,
        &[
            ("eps_2", 0.2),
            ("t", t),
            ("U", 5.0),
            ("gamma_l", 1e-3),
            ("gamma_r", 1e-3),
            ("T_l", 0.6),
            ("T_r", 0.5),
            ("mu_l", 0.1),
            ("mu_r", 0.0),
        ],
    )
}

const COMPARED: [&str; 9] = [
    "J_N^l", "J_E^l", "sigma", "L_NN", "L_NE", "L_EE", "G", "S", "ZT",
];

/// Far from degeneracy: Redfield − Pauli ≤ (γ/Δ)² relative (Δ the splitting of the
/// one-electron eigenstates, √(δ² + 4t²)), falling with Δ; Lindblad = Pauli to the
/// finite-difference accuracy of its L.
#[test]
fn methods_agree_far_from_degeneracy_to_gamma_over_delta_squared() {
    let model = builtin("serial_dd").unwrap();
    let (gamma, t) = (1e-3, 1e-3);
    let v = serial_point(&model, t);
    let mut names: Vec<&str> = COMPARED.to_vec();
    names.push("regime");
    names.push("linear_regime");
    let axis = "eps_1=0.21,0.23,0.3";
    let [pauli, lindblad, redfield] = Method::ALL.map(|m| sweep(&model, &v, axis, &names, m));
    let mut previous = f64::INFINITY;
    for (row, delta) in [0.01, 0.03, 0.1].into_iter().enumerate() {
        let splitting = (delta * delta + 4.0 * t * t).sqrt();
        let bound = (gamma / splitting).powi(2);
        let mut worst_redfield: f64 = 0.0;
        let mut worst_lindblad: f64 = 0.0;
        for q in COMPARED {
            let p = number(&pauli, row, q);
            let relative = |x: f64| (x - p).abs() / p.abs();
            worst_redfield = worst_redfield.max(relative(number(&redfield, row, q)));
            worst_lindblad = worst_lindblad.max(relative(number(&lindblad, row, q)));
        }
        println!(
            "Δ/γ = {:>6.1}: Redfield − Pauli {worst_redfield:.2e} ((γ/Δ)² = {bound:.2e}), \
             Lindblad − Pauli {worst_lindblad:.1e}",
            splitting / gamma
        );
        assert!(
            worst_redfield <= bound,
            "δ = {delta}: {worst_redfield:e} > {bound:e}"
        );
        assert!(worst_redfield < previous);
        previous = worst_redfield;
        assert!(worst_lindblad <= 1e-6, "δ = {delta}: {worst_lindblad:e}");
        for q in ["regime", "linear_regime"] {
            assert_eq!(label(&redfield, row, q), label(&pauli, row, q), "{q}");
            assert_eq!(label(&lindblad, row, q), label(&pauli, row, q), "{q}");
        }
    }
}

/// Near degeneracy (t ≤ γ, δ ≲ γ) Redfield keeps the coherences Pauli drops: O(1) apart;
/// Lindblad's steady state is Pauli's (currents to 1e-12), and Σ̇ ≥ 0 for both.
#[test]
fn near_degeneracy_redfield_departs_and_lindblad_keeps_the_second_law() {
    let model = builtin("serial_dd").unwrap();
    let names = ["J_N^l", "J_E^l", "sigma", "p_B", "p_C"];
    let mut worst_lindblad: f64 = 0.0;
    let mut smallest_redfield: f64 = f64::INFINITY;
    for t in [2e-4, 5e-4, 1e-3] {
        let v = serial_point(&model, t);
        let axis = "eps_1=0.1997,0.1999,0.2,0.2002,0.2005";
        let [pauli, lindblad, redfield] = Method::ALL.map(|m| sweep(&model, &v, axis, &names, m));
        for row in 0..pauli.rows.len() {
            for (table, name) in [(&pauli, "pauli"), (&lindblad, "lindblad")] {
                let sigma = number(table, row, "sigma");
                assert!(sigma > 0.0, "{name}: Σ̇ = {sigma:e} at t = {t}, row {row}");
            }
            for q in names {
                let p = number(&pauli, row, q);
                let scale = p.abs().max(1e-300);
                worst_lindblad = worst_lindblad.max((number(&lindblad, row, q) - p).abs() / scale);
            }
            let p = number(&pauli, row, "J_N^l");
            let r = number(&redfield, row, "J_N^l");
            smallest_redfield = smallest_redfield.min((r - p).abs() / p.abs());
        }
    }
    println!(
        "near degeneracy: Lindblad − Pauli ≤ {worst_lindblad:.1e}, Redfield − Pauli ≥ \
         {smallest_redfield:.2} (relative J_N)"
    );
    assert!(worst_lindblad <= 1e-12, "{worst_lindblad:e}");
    assert!(smallest_redfield >= 0.05, "{smallest_redfield}");
}

/// `qct sweep --method redfield` at every grid point equals `qct solve --method redfield`
/// (currents, Σ̇, populations) and `qct onsager --method redfield` (L) at that point.
#[test]
fn redfield_sweep_equals_point_by_point_solve_and_onsager() {
    let fixed = [
        "--set",
        "t=0.002",
        "--set",
        "gamma_l=0.002",
        "--set",
        "gamma_r=0.001",
        "--set",
        "T_l=0.8",
        "--set",
        "mu_l=0.05",
    ];
    let mut args = vec!["sweep", "serial_dd"];
    args.extend(fixed);
    args.extend([
        "--vary",
        "eps_1=0.29,0.3,0.31",
        "--quantity",
        "J_N^l,J_E^r,sigma,p_B,L_NN,L_NE,L_EN",
        "--method",
        "redfield",
        "--format",
        "json",
    ]);
    let table: serde_json::Value = serde_json::from_str(&cli::stdout(&args)).unwrap();
    assert_eq!(table["header"]["method"], "redfield");
    for row in table["rows"].as_array().unwrap() {
        let eps = format!("eps_1={}", row[0]);
        let mut point = vec![
            "--set",
            eps.as_str(),
            "--method",
            "redfield",
            "--format",
            "json",
        ];
        point.extend(fixed);
        let solve: serde_json::Value = serde_json::from_str(&cli::stdout(
            &[&["solve", "serial_dd"], &point[..]].concat(),
        ))
        .unwrap();
        let onsager: serde_json::Value = serde_json::from_str(&cli::stdout(
            &[&["onsager", "serial_dd"], &point[..]].concat(),
        ))
        .unwrap();
        let close = |a: &serde_json::Value, b: &serde_json::Value, what: &str| {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-13 * b.abs(),
                "{eps} {what}: sweep {a:e}, point {b:e}"
            );
        };
        close(&row[1], &solve["leads"][0]["J_N"], "J_N^l");
        close(&row[2], &solve["leads"][1]["J_E"], "J_E^r");
        close(&row[3], &solve["sigma"]["minus_sum_beta_heat"], "sigma");
        close(&row[4], &solve["states"][1]["probability"], "p_B");
        close(&row[5], &onsager["L"][0][0], "L_NN");
        close(&row[6], &onsager["L"][0][1], "L_NE");
        close(&row[7], &onsager["L"][1][0], "L_EN");
    }
}

/// `qct regime --method redfield|lindblad` classifies as Pauli where the methods agree:
/// every built-in with a diagonal H (t = 0) on a grid of forces, and serial_dd far detuned.
#[test]
fn regime_classification_by_redfield_matches_pauli_at_t0_and_far_detuning() {
    let cases: [(&str, &[&str], &str, &str); 4] = [
        (
            "sqd",
            &["--set", "eps=0.5"],
            "F_E^l=-0.3,-0.05,0,0.05,0.3",
            "F_N^l=-0.3,0,0.1,0.4",
        ),
        (
            "icc",
            &cli::ICC_POINT,
            "F_E^l=-0.2,-0.02,0,0.02,0.2",
            "F_N^l=-0.2,-0.01,0,0.01,0.2",
        ),
        (
            "serial_dd",
            &["--set", "t=0"],
            "F_E^l=-0.2,0,0.2",
            "F_N^l=-0.2,0,0.1,0.3",
        ),
        (
            "serial_dd",
            &[
                "--set",
                "t=0.001",
                "--set",
                "eps_1=1",
                "--set",
                "gamma_l=1e-3",
                "--set",
                "gamma_r=1e-3",
            ],
            "F_E^l=-0.2,0,0.05,0.2",
            "F_N^l=-0.2,0,0.1,0.3",
        ),
    ];
    let mut compared = 0;
    for (model, set, fe, fn_) in cases {
        let run = |method: &str| -> Vec<String> {
            let mut args = vec!["sweep", model];
            args.extend(set);
            args.extend([
                "--vary",
                fe,
                "--vary",
                fn_,
                "--quantity",
                "regime,linear_regime",
                "--method",
                method,
            ]);
            cli::stdout(&args)
                .lines()
                .filter(|l| !l.starts_with('#'))
                .map(String::from)
                .collect()
        };
        let pauli = run("pauli");
        for method in ["lindblad", "redfield"] {
            assert_eq!(run(method), pauli, "{model} {set:?} --method {method}");
        }
        compared += pauli.len() - 1;
    }
    // Spot check: the same labels from `qct regime` itself.
    let mut args = vec![
        "regime",
        "icc",
        "--format",
        "json",
        "--set",
        "T_l=1.05",
        "--set",
        "mu_l=0.002",
    ];
    args.extend(cli::ICC_POINT);
    let labels = |method: &str| {
        let v: serde_json::Value =
            serde_json::from_str(&cli::stdout(&[&args[..], &["--method", method]].concat()))
                .unwrap();
        assert_eq!(v["method"], method);
        (v["regime"].clone(), v["linear_prediction"].clone())
    };
    assert_eq!(labels("redfield"), labels("pauli"));
    println!("regime: {compared} grid points classified alike by the three methods");
}

/// `qct performance --method`: far from degeneracy the machine, G, S, K, ZT and the load
/// optimum of Lindblad equal Pauli's (to the finite differences), Redfield's within
/// (γ/Δ)²; the JSON records the method.
#[test]
fn performance_by_each_method_agrees_far_from_degeneracy() {
    let args = [
        "performance",
        "serial_dd",
        "--set",
        "t=0.001",
        "--set",
        "eps_1=0.3",
        "--set",
        "eps_2=0.2",
        "--set",
        "gamma_l=1e-3",
        "--set",
        "gamma_r=1e-3",
        "--set",
        "T_l=0.6",
        "--set",
        "T_r=0.5",
        "--set",
        "mu_l=0",
        "--format",
        "json",
    ];
    let run = |method: &str| -> serde_json::Value {
        let v: serde_json::Value =
            serde_json::from_str(&cli::stdout(&[&args[..], &["--method", method]].concat()))
                .unwrap();
        assert_eq!(v["method"], method);
        v
    };
    let (pauli, lindblad, redfield) = (run("pauli"), run("lindblad"), run("redfield"));
    let splitting = (0.1f64 * 0.1 + 4e-6).sqrt();
    let bound = (1e-3 / splitting).powi(2);
    let keys = [
        ("linear", "G"),
        ("linear", "S"),
        ("linear", "K"),
        ("linear", "ZT"),
        ("load_optimum", "P_max"),
        ("load_optimum", "stall_bias"),
        ("load_optimum", "eta_max"),
        ("machine", "Q_in"),
    ];
    for (group, key) in keys {
        let p = pauli[group][key].as_f64().unwrap();
        let relative =
            |v: &serde_json::Value| (v[group][key].as_f64().unwrap() - p).abs() / p.abs();
        let (l, r) = (relative(&lindblad), relative(&redfield));
        println!("{group}.{key}: Lindblad {l:.1e}, Redfield {r:.2e} (bound {bound:.1e})");
        assert!(l <= 1e-6, "{group}.{key}: Lindblad {l:e}");
        assert!(r <= bound, "{group}.{key}: Redfield {r:e}");
    }
}

/// J_S^λ at U = 0: two independent spin orbitals, J_σ^l = Γ_lσ Γ_r/(Γ_lσ + Γ_r)
/// (f_l(ε_σ) − f_r(ε_σ)) with Γ_l↑ = γ_l(1 + p), Γ_l↓ = γ_l(1 − p); J_S = J_↑ − J_↓; spin
/// conserved (J_S^l + J_S^r = 0), zero without polarisation and field, and the same by
/// every method (zeeman_dot has no coherences between its eigenstates).
#[test]
fn spin_current_matches_the_independent_orbital_closed_form() {
    let model = builtin("zeeman_dot").unwrap();
    let (gamma_l, gamma_r, p, t_l, t_r, mu_l, mu_r, eps) = (0.7, 0.4, 0.6, 1.5, 1.0, 0.3, 0.0, 0.2);
    let v = point(
        &model,
        &[
            ("eps", eps),
            ("U", 0.0),
            ("gamma_l", gamma_l),
            ("gamma_r", gamma_r),
            ("p_l", p),
            ("T_l", t_l),
            ("T_r", t_r),
            ("mu_l", mu_l),
            ("mu_r", mu_r),
        ],
    );
    let fermi = |e: f64, t: f64, mu: f64| 1.0 / (1.0 + ((e - mu) / t).exp());
    let orbital = |level: f64, g_l: f64| {
        g_l * gamma_r / (g_l + gamma_r) * (fermi(level, t_l, mu_l) - fermi(level, t_r, mu_r))
    };
    let names = ["J_S^l", "J_S^r", "J_N^l"];
    for method in Method::ALL {
        let table = sweep(&model, &v, "B=0,0.4,1.3", &names, method);
        for (row, b) in [0.0, 0.4, 1.3].into_iter().enumerate() {
            let up = orbital(eps + b / 2.0, gamma_l * (1.0 + p));
            let down = orbital(eps - b / 2.0, gamma_l * (1.0 - p));
            let (j_s, j_s_r) = (number(&table, row, "J_S^l"), number(&table, row, "J_S^r"));
            assert!(
                (j_s - (up - down)).abs() <= 1e-12 * up.abs().max(down.abs()),
                "{} B = {b}: J_S {j_s:e}, closed form {:e}",
                method.name(),
                up - down
            );
            assert!((j_s + j_s_r).abs() <= 1e-14 * up.abs().max(down.abs()));
            let j_n = number(&table, row, "J_N^l");
            assert!((j_n - (up + down)).abs() <= 1e-12 * j_n.abs());
        }
    }
    // No polarisation and no field: no spin current.
    let v0 = point(
        &model,
        &[("p_l", 0.0), ("B", 0.0), ("T_l", 1.5), ("mu_l", 0.3)],
    );
    let table = sweep(
        &model,
        &v0,
        "eps=-0.5,0.5",
        &["J_S^l", "J_N^l"],
        Method::Pauli,
    );
    for row in 0..2 {
        assert!(number(&table, row, "J_S^l").abs() <= 1e-15 * number(&table, row, "J_N^l").abs());
    }
}

/// The command line: J_S^λ in a sweep equals `qct solve`'s per-lead J_S (a model with a spin
/// bias), the default columns of such a model include it, --units si gives it in 1/s; a
/// spinless model refuses it; noise quantities and --tradeoff refuse a density-matrix
/// method; the header records the method.
#[test]
fn cli_spin_current_method_header_and_refusals() {
    let file = "examples/spin_seebeck.json";
    let csv = cli::stdout(&[
        "sweep",
        "--model-file",
        file,
        "--vary",
        "eps=0.5",
        "--quantity",
        "J_S^l,J_S^r",
    ]);
    assert!(csv.contains("# method: pauli\n"), "{csv}");
    let row: Vec<f64> = csv
        .lines()
        .last()
        .unwrap()
        .split(',')
        .map(|x| x.parse().unwrap())
        .collect();
    let solve: serde_json::Value = serde_json::from_str(&cli::stdout(&[
        "solve",
        "--model-file",
        file,
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(row[1], solve["leads"][0]["J_S"].as_f64().unwrap());
    assert_eq!(row[2], solve["leads"][1]["J_S"].as_f64().unwrap());
    // The default columns (the fluxes) include the spin flux J_S^r.
    let default = cli::stdout(&["sweep", "--model-file", file, "--vary", "eps=0.5"]);
    assert!(
        default.contains("eps,J_N^r,J_S^r,J_E^r,sigma,regime"),
        "{default}"
    );
    // SI: particles per second, J_S × meV/ħ (p_l = 0: a dimensionless value must be 0 beside
    // values with units; the Zeeman splitting alone gives a spin current).
    let lab = [
        "sweep",
        "zeeman_dot",
        "--set",
        "eps=0.1meV",
        "--set",
        "U=1meV",
        "--set",
        "gamma_l=1ueV",
        "--set",
        "gamma_r=1ueV",
        "--set",
        "T_l=200mK",
        "--set",
        "T_r=100mK",
        "--set",
        "mu_l=0meV",
        "--set",
        "mu_r=0meV",
        "--set",
        "p_l=0",
        "--vary",
        "B=0.05meV",
        "--quantity",
        "J_S^l",
    ];
    let last = |text: &str| -> f64 {
        text.lines()
            .last()
            .unwrap()
            .split(',')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap()
    };
    let si = cli::stdout(&[&lab[..], &["--units", "si"]].concat());
    assert!(si.contains("J_S^l [1/s]"), "{si}");
    let natural = last(&cli::stdout(&lab));
    // ħ = h/2π with the exact SI h.
    let mev_over_hbar = 1.602176634e-22 / (6.62607015e-34 / std::f64::consts::TAU);
    assert!(natural.abs() > 0.0);
    let ratio = last(&si) / (natural * mev_over_hbar);
    assert!((ratio - 1.0).abs() < 1e-12, "{ratio} {natural} {si}");
    let err = cli::fails(&["sweep", "sqd", "--vary", "eps=0,1", "--quantity", "J_S^l"]);
    assert!(err.contains("J_S^l") && err.contains("'sqd'"), "{err}");
    let err = cli::fails(&[
        "sweep",
        "serial_dd",
        "--vary",
        "eps_1=0,1",
        "--quantity",
        "S_J_N^l",
        "--method",
        "redfield",
    ]);
    assert!(err.contains("S_J_N^l") && err.contains("redfield"), "{err}");
    let err = cli::fails(&[
        "performance",
        "serial_dd",
        "--tradeoff",
        "--method",
        "lindblad",
    ]);
    assert!(err.contains("--tradeoff"), "{err}");
    let err = cli::fails(&["regime", "serial_dd", "--method", "bloch"]);
    assert!(err.contains("bloch"), "{err}");
    let csv = cli::stdout(&[
        "sweep",
        "serial_dd",
        "--vary",
        "eps_1=0",
        "--method",
        "lindblad",
    ]);
    assert!(csv.contains("# method: lindblad\n"), "{csv}");
}
