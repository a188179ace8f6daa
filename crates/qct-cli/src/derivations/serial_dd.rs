//! `derivations/serial_dd/`: the serial double dot with interdot tunnelling — numeric only
//! (no closed forms: H is not diagonal in the occupation basis). Figures: the thermoelectric
//! response against the detuning, and the current of the Pauli, secular Lindblad and
//! Bloch–Redfield equations where the one-electron eigenstates are nearly degenerate.

use super::figures::{Figure, sweep_figure, values_with};
use super::io_error;
use crate::plot::{Series, line_plot};
use qct::Method;
use qct::Result;
use qct::model::{Model, builtin};
use qct::thermo::Representation;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The high-bias point of the method comparison: levels between the leads' μ, U large,
/// γ = 10⁻³, t = γ/2 (one-electron splitting Δ = 2√(δ² + t²) comparable to γ near δ = 0).
const COMPARISON: [(&str, f64); 10] = [
    ("eps_2", 0.0),
    ("t", 5e-4),
    ("U", 20.0),
    ("gamma_l", 1e-3),
    ("gamma_r", 1e-3),
    ("T_l", 0.1),
    ("T_r", 0.1),
    ("mu_l", 2.0),
    ("mu_r", -2.0),
    ("eps_1", 0.0),
];

/// Detuning ε_1 − ε_2 of the comparison figure, in units of γ.
fn detunings() -> Vec<f64> {
    (0..=200).map(|k| -20.0 + 0.2 * k as f64).collect()
}

/// J_N^l by the three methods at detuning `delta` (energy unit).
fn currents(model: &Model, delta: f64) -> Result<[f64; 3]> {
    let mut set = COMPARISON.to_vec();
    set.retain(|(n, _)| *n != "eps_1");
    set.push(("eps_1", delta));
    let p = model.parameters_at(&values_with(model, &set))?;
    let basis = model.basis(Representation::Energy)?;
    let j_n = |method: Method| -> Result<f64> {
        let flux = [format!("J_N^{}", model.leads[0].name)];
        match &model.evaluate_with(&p, &basis, &[], &[], &flux, method)?[..] {
            [qct::Column::Numbers(j)] => Ok(j[0]),
            _ => unreachable!("one current, one point"),
        }
    };
    Ok([
        j_n(Method::Pauli)?,
        j_n(Method::Lindblad)?,
        j_n(Method::Redfield)?,
    ])
}

/// Stoof–Nazarov/Gurvitz: the exact current of a serial double dot at infinite bias and
/// U = ∞, I = γ_r t² / (γ_r²/4 + δ² + t² (2 + γ_r/γ_l)), δ = ε_1 − ε_2.
pub fn stoof_nazarov(t: f64, delta: f64, gamma_l: f64, gamma_r: f64) -> f64 {
    gamma_r * t * t / (gamma_r * gamma_r / 4.0 + delta * delta + t * t * (2.0 + gamma_r / gamma_l))
}

/// Write the folder; returns the files written.
pub fn write(out: &Path) -> Result<Vec<PathBuf>> {
    let model = builtin::builtin("serial_dd")?;
    let dir = out.join("serial_dd");
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    let mut figures: Vec<Figure> = Vec::new();
    let response_set = [
        ("eps_2", 0.0),
        ("t", 0.1),
        ("mu_l", 0.0),
        ("mu_r", 0.0),
        ("T_l", 0.1),
        ("T_r", 0.1),
    ];
    figures.push(sweep_figure(
        &dir,
        "thermopower.svg",
        "Thermopower S = L_NQ/(T L_NN) (units of k_B) of the serial double dot against the \
         level of dot 1 at ε_2 = 0, t = 0.1, U = 2, T = 0.1: S changes sign where the \
         transport level crosses μ (the bonding state near ε_1 < 0, the antibonding one \
         near ε_1 > 0, and the two-electron addition energies near ε_1 = −U and beyond).",
        &model,
        "serial_dd",
        &response_set,
        &["eps_1=-3:1:401"],
        &["S"],
    )?);
    figures.push(sweep_figure(
        &dir,
        "conductance.svg",
        "Conductance G = L_NN/T against ε_1 at the same point: a peak of width ~T wherever an \
         addition energy crosses μ, weighted by how much the eigenstate lives on both dots \
         (largest at ε_1 = ε_2 = 0, where bonding and antibonding states are fully \
         delocalised).",
        &model,
        "serial_dd",
        &response_set,
        &["eps_1=-3:1:401"],
        &["G"],
    )?);
    // Method comparison.
    let gamma = 1e-3;
    let mut series = [
        Series {
            name: "Pauli (secular, eigenbasis)".into(),
            points: vec![],
        },
        Series {
            name: "Lindblad (secular)".into(),
            points: vec![],
        },
        Series {
            name: "Bloch-Redfield".into(),
            points: vec![],
        },
        Series {
            name: "Stoof-Nazarov (exact, infinite bias, U = inf)".into(),
            points: vec![],
        },
    ];
    let mut largest_gap: (f64, f64) = (0.0, 0.0);
    let mut worst_exact: f64 = 0.0;
    for x in detunings() {
        let delta = x * gamma;
        let [p, l, r] = currents(&model, delta)?;
        let exact = stoof_nazarov(5e-4, delta, gamma, gamma);
        for (s, y) in series.iter_mut().zip([p, l, r, exact]) {
            s.points.push((x, y / gamma));
        }
        if (p - r).abs() / r.abs() > largest_gap.1 {
            largest_gap = (x, (p - r).abs() / r.abs());
        }
        worst_exact = worst_exact.max((r - exact).abs() / exact);
    }
    let file = "pauli_vs_redfield.svg";
    line_plot(
        &dir.join(file),
        "serial_dd: current through a nearly degenerate double dot",
        "detuning (ε_1 − ε_2)/γ",
        &[crate::plot::Panel {
            y_label: "J_N^l / γ".into(),
            series: series.to_vec(),
        }],
        &crate::plot::Style::default(),
    )?;
    figures.push(Figure {
        file: file.into(),
        caption: format!(
            "Particle current against the detuning at t = γ/2 = 5e-4, γ_l = γ_r = γ, U = 20, \
             μ_l = 2, μ_r = −2, T = 0.1 (high bias). Pauli and secular Lindblad coincide; both \
             miss the coherent suppression: near δ = 0 the eigenstates are split by \
             Δ = √((ε_1 − ε_2)² + 4t²) ~ γ and Pauli overestimates the current by up to a factor {:.2} \
             (at δ = {:.1} γ). Bloch–Redfield keeps the coherences and follows the exact \
             Stoof–Nazarov current (largest relative deviation {:.1e}).",
            1.0 + largest_gap.1,
            largest_gap.0,
            worst_exact
        ),
        reproduce: "generated by `qct derivations` (the three methods per point: \
                    `qct solve serial_dd --method pauli|lindblad|redfield`)"
            .into(),
    });
    let mut written: Vec<PathBuf> = figures.iter().map(|f| dir.join(&f.file)).collect();
    let mut readme = readme(&figures);
    readme += &limit_section(&model)?;
    let path = dir.join("README.md");
    std::fs::write(&path, readme).map_err(|e| io_error(&path, e))?;
    written.push(path);
    Ok(written)
}

fn readme(figures: &[Figure]) -> String {
    let mut out = format!(
        "# `serial_dd` — serial double dot with interdot tunnelling\n\n\
         Generated by `{}` (do not edit by hand).\n\n\
         H = ε_1 n_1 + ε_2 n_2 + U n_1 n_2 − t (d_1† d_2 + d_2† d_1), lead l on dot 1, lead r on \
         dot 2. H is not diagonal in the occupation basis; qct works in its eigenbasis. The \
         closed forms (section \"Closed forms in the eigenbasis of H\" below) keep its square \
         root symbolic; the figures are numeric: the Pauli equation in the eigenbasis of H \
         (secular approximation, exact linear response for L), and for comparison the secular \
         Lindblad and Bloch–Redfield equations (README, \"Interdot tunnelling and \
         coherences\").\n\n\
         One-electron eigenstates: E_± = (ε_1 + ε_2)/2 ± √(δ² + t²), δ = (ε_1 − ε_2)/2, \
         |⟨10|±⟩|² = (1 ± δ/√(δ² + t²))/2; a lead on dot 1 reaches |±⟩ from |00⟩ with that weight.\n\n",
        super::COMMAND
    );
    out += "## Figures\n\n";
    for f in figures {
        writeln!(
            out,
            "![{0}]({0})\n\n{1}\n\nReproduce: {2}\n",
            f.file, f.caption, f.reproduce
        )
        .unwrap();
    }
    out += "## Where Pauli fails\n\n\
            The secular approximation drops the coherences between eigenstates; it is \
            controlled by γ/Δ. Far from degeneracy Redfield and Pauli agree up to a relative \
            current difference ≈ 0.36 (γ/Δ)² (tests/tunnelling.rs measures it at \
            Δ/γ = 0.1 … 1000 at ε_1 = ε_2, Δ = 2t); \
            at Δ ≲ γ Pauli predicts a current of order γ even for t → 0, where the exact \
            current vanishes as t²/γ.\n";
    out
}

/// The README section on the limit t → 0 of the closed form ([`qct::symbolic::limits`]):
/// what is proved for Δ ≠ 0, and the direction-dependent limit at Δ = 0 evaluated at the
/// defaults (energy representation).
fn limit_section(model: &Model) -> Result<String> {
    use qct::thermo::{ForceBasis, Representation};
    let basis = ForceBasis::new(model, Representation::Energy, model.default_references())?;
    let derivation = qct::symbolic::derive(model, &basis, qct::symbolic::Form::Compact)?;
    let cases = crate::report::check::limit_summary(model, &derivation, &model.defaults(), &basis)?
        .expect("serial_dd has one hopping pair");
    let mut out = String::from(
        "\n## The limit t → 0, symbolically\n\n\
         `qct check serial_dd` (and the test serial_dd_limit_t_to_zero_is_proved) substitutes \
         the t = 0 values of the eigenbasis quantities into the compact closed form (every \
         named quantity written out) and compares each entry with the closed form of the same \
         dots without the hopping term (diagonal H: two capacitively coupled dots, one lead \
         each, whose only force is F_E), both at the equilibrium of serial_dd, as rational \
         functions with the exponentials as fresh symbols. At fixed Δ ≠ 0, r, cos²θ and sin²θ \
         are continuous in t at t = 0 and the substituted form has non-vanishing denominators \
         (sums of positive rates, Z, 1 + e^x), so its value there is the limit.\n\n",
    );
    for c in &cases {
        let (substitution, all) = (c.substitution_text(), c.all_proved());
        writeln!(
            out,
            "* {} (`{}`): {}",
            c.hypothesis,
            substitution,
            if all {
                "every entry equals the diagonal closed form — **proved** (L_NN = L_NE = 0: \
                 no particle crosses; L_EE the capacitive heat conductance)."
                    .to_string()
            } else {
                let values: Vec<String> = c
                    .l_limit
                    .iter()
                    .flatten()
                    .zip(c.l_diagonal.iter().flatten())
                    .map(|(a, b)| format!("{a:.4e} (diagonal {b:.4e})"))
                    .collect();
                format!(
                    "not equal to the diagonal closed form: at the defaults with ε_1 = ε_2, \
                     L_NN, L_NE, L_EN, L_EE = {}. So the closed form has no limit at t = Δ = 0: \
                     along t = 0, Δ → 0 its L_NN is 0 (the identity proved above), along Δ = 0, \
                     t → 0 it is the value above (evaluated, > 0); along Δ = k t the limit is \
                     the closed form at r = 0 with cos²θ = (1 + k/√(k² + 4))/2. The Pauli \
                     equation in the eigenbasis keeps the fully mixed states \
                     (|10⟩ ± |01⟩)/√2 down to t → 0 on the line Δ = 0 (section \"Where Pauli \
                     fails\").",
                    values.join(", ")
                )
            }
        )
        .unwrap();
    }
    Ok(out)
}
