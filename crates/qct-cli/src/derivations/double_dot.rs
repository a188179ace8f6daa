//! The seed's open question (end of Sec. X): does the two-terminal capacitively coupled
//! double dot (both dots on leads l and r, `examples/double_dot_two_terminal.json`) show a
//! genuine ICC? Answered by a deterministic scan: the exact L_NE from linear response, the
//! derived sign condition, and the nonlinear steady state inside the predicted wedge.

use qct::Result;
use qct::analysis::ForcePair;
use qct::model::{Model, json};
use qct::thermo::{ForceBasis, Representation};
use qct::{OperatingPoint, Regime};
use std::fmt::Write;

/// The JSON example, embedded so that the regeneration does not depend on the working
/// directory.
pub const MODEL_JSON: &str = include_str!("../../../../examples/double_dot_two_terminal.json");

/// The example model.
pub fn model() -> Result<Model> {
    json::from_json(MODEL_JSON, "examples/double_dot_two_terminal.json")
}

fn linspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|k| lo + (hi - lo) * k as f64 / (n - 1) as f64)
        .collect()
}

/// Rate sets of the scan: (name, γ_l1, γ_r1, γ_l2, γ_r2).
const RATES: [(&str, [f64; 4]); 4] = [
    ("symmetric", [1.0, 1.0, 1.0, 1.0]),
    ("dot-symmetric, l/r asymmetric", [1.0, 0.3, 1.0, 0.3]),
    ("asymmetric", [1.0, 0.5, 0.3, 1.0]),
    ("strongly asymmetric", [1.0, 0.01, 0.01, 1.0]),
];

/// Counts of the scan for one rate set.
#[derive(Default)]
struct Counts {
    points: usize,
    attractive_enough: usize,
    negative: usize,
    necessity_violations: usize,
    /// sign L_NE ≠ sign(ε_1 + ε_2 + U) (the pair-transfer energy).
    pair_sign_mismatches: usize,
    nonlinear_confirmed: [usize; 2],
    min_entropy_production: f64,
    inversion_not_sufficient: Option<[f64; 4]>,
    example: Option<[f64; 4]>,
}

/// The evidence section of the double dot's README.
pub fn evidence(model: &Model) -> Result<String> {
    let basis = ForceBasis::new(model, Representation::Energy, model.default_references())?;
    let pair = ForcePair::of(&basis).expect("two forces");
    let id = |n: &str| model.param(n).expect("double-dot parameter").0;
    let rate_ids = [
        id("gamma_l1"),
        id("gamma_r1"),
        id("gamma_l2"),
        id("gamma_r2"),
    ];
    let (e1, e2, u) = (id("eps_1"), id("eps_2"), id("U"));
    let mut base = model.defaults();
    base[id("T_l")] = 1.0;
    base[id("T_r")] = 1.0;
    base[id("mu_l")] = 0.0;
    base[id("mu_r")] = 0.0;
    let levels = linspace(0.1, 2.0, 8);
    let interactions = linspace(-6.0, 2.0, 33);
    let mut table = Vec::new();
    for (name, rates) in RATES {
        let mut c = Counts {
            min_entropy_production: f64::INFINITY,
            ..Counts::default()
        };
        for &x1 in &levels {
            for &x2 in &levels {
                for &w in &interactions {
                    let mut v = base.clone();
                    for (&i, &g) in rate_ids.iter().zip(&rates) {
                        v[i] = g;
                    }
                    (v[e1], v[e2], v[u]) = (x1, x2, w);
                    let point = OperatingPoint::new(model, &v, &basis)?;
                    let (n, e) = (pair.particle, pair.energy);
                    let l_ne = point.l[(n, e)];
                    let attractive_enough = w < -x1.min(x2);
                    c.points += 1;
                    c.attractive_enough += usize::from(attractive_enough);
                    let pair_energy = x1 + x2 + w;
                    if pair_energy.abs() > 1e-9 && (l_ne < 0.0) != (pair_energy < 0.0) {
                        c.pair_sign_mismatches += 1;
                    }
                    if l_ne >= 0.0 {
                        if attractive_enough && c.inversion_not_sufficient.is_none() {
                            c.inversion_not_sufficient = Some([x1, x2, w, l_ne]);
                        }
                        continue;
                    }
                    c.negative += 1;
                    c.necessity_violations += usize::from(!attractive_enough);
                    if c.example.is_none() && x1 >= 0.3 && x2 >= 0.3 {
                        c.example = Some([x1, x2, w, l_ne]);
                    }
                    // Inside the wedge: F_N/F_E = half of −L_NE/L_NN, at two force sizes.
                    let beta = point.beta(basis.references.energy);
                    for (k, size) in [0.02, 0.3].into_iter().enumerate() {
                        let mut forces = vec![0.0; 2];
                        forces[e] = size * beta;
                        forces[n] = 0.5 * (-l_ne / point.l[(n, n)]) * forces[e];
                        let at = point.at_forces(&basis, &forces)?;
                        c.min_entropy_production =
                            c.min_entropy_production.min(at.entropy_production);
                        if at.regime(&basis).regime == Regime::GenuineIcc {
                            c.nonlinear_confirmed[k] += 1;
                        }
                    }
                }
            }
        }
        table.push((name, rates, c));
    }
    let mut out = String::new();
    let w = &mut out;
    writeln!(
        w,
        "## The answer: the two-terminal double dot shows genuine ICC\n\n\
         **Verdict: yes.** With both bare levels above the reference (ε_1, ε_2 > 0 with \
         μ = 0, energies from empty dots), L_NE < 0 — and a particle current against both \
         mutually parallel forces F_E^l, F_N^l — requires an attractive interaction that \
         inverts the level ordering (necessary, proved below); inversion is not sufficient \
         (the scan finds inverted points with L_NE ≥ 0, listed below). The mechanism is the \
         one of the icc model, with ordinary spinless dots and ordinary leads: no spin \
         polarisation and no third terminal are needed, and symmetric coupling does not \
         prevent it.\n"
    )
    .unwrap();
    writeln!(
        w,
        "**Derivation.** Both dots couple to l and r, so the model has one conserved component \
         and two forces of the same lead, F_E^l and F_N^l (mutually parallel). In the compact \
         form (section \"Sign conditions\" above and `onsager.tex`) the loop through the four \
         states transports no particles at all — its particle transport \
         φ_AB + φ_BD − φ_CD − φ_AC vanishes identically because each dot's rates do not depend \
         on the other dot's occupation — so, exactly, \
         L_NE = c_AB ω(A→B) + c_AC ω(A→C) + c_BD ω(B→D) + c_CD ω(C→D) with \
         c_ij = γ_lγ_r/(γ_l + γ_r) g_ij > 0 and ω(A→B) = ε_1, ω(A→C) = ε_2, \
         ω(B→D) = ε_2 + U, ω(C→D) = ε_1 + U. With the bare levels ε_1, ε_2 > 0 (otherwise an \
         inverse response is the trivial hole-like one, as in the single dot), L_NE < 0 \
         requires ε_1 + U < 0 or ε_2 + U < 0, that is **U < −min(ε_1, ε_2)**: an attractive \
         interaction that pulls a transition below the reference (level inversion). This is \
         necessary, not sufficient: the inverted channels must outweigh the normal ones. By \
         reciprocity (L_EN = L_NE, proved symbolically) the same condition opens the J_E \
         wedge. In the heat representation the transported energies are ω − μ_r: the same \
         statement with levels measured from μ_r.\n"
    )
    .unwrap();
    writeln!(
        w,
        "**Evidence** (numeric L from exact linear response at T = 1, μ = 0; grid \
         ε_1, ε_2 ∈ {{{}}} × U ∈ [−6, 2] in 33 steps, for three rate sets). \"Nonlinear\": \
         the steady state at forces inside the predicted wedge, F_N/F_E = −L_NE/(2 L_NN), \
         with F_E = 0.02 β and 0.3 β, classified by `qct regime`:\n",
        levels
            .iter()
            .map(|x| format!("{x:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
    .unwrap();
    writeln!(
        w,
        "| rates (γ_l1, γ_r1, γ_l2, γ_r2) | points | U < −min(ε_1, ε_2) | L_NE < 0 (genuine) | \
         L_NE < 0 with U ≥ −min(ε) (necessity violated) | sign L_NE ≠ sign(ε_1 + ε_2 + U) | \
         genuine ICC in the nonlinear steady state, F_E = 0.02 β / 0.3 β | min Σ̇ there \
         |\n|---|---|---|---|---|---|---|---|"
    )
    .unwrap();
    for (name, rates, c) in &table {
        writeln!(
            w,
            "| {name} {rates:?} | {} | {} | {} | {} | {} | {} / {} | {:.3e} |",
            c.points,
            c.attractive_enough,
            c.negative,
            c.necessity_violations,
            c.pair_sign_mismatches,
            c.nonlinear_confirmed[0],
            c.nonlinear_confirmed[1],
            c.min_entropy_production
        )
        .unwrap();
    }
    writeln!(
        w,
        "\n**The sign law on ε_1 + ε_2 + U: its hypotheses.** From the exact form above, in \
         the heat representation (levels measured from μ = μ_r, any μ) and with equal series \
         rates of the two dots, γ_l1γ_r1/(γ_l1 + γ_r1) = γ_l2γ_r2/(γ_l2 + γ_r2) (dot-symmetric \
         coupling γ_l1 = γ_l2, γ_r1 = γ_r2 is a special case), L_NQ ∝ Σ_ij h_ij (ω_ij − μ). \
         On ε_1 + ε_2 + U = 2μ the doubly occupied state has the weight of the empty one \
         (x_D = 1), so h_BD = h_AB and h_CD = h_AC while ω_BD − μ = −(ω_AB − μ) and \
         ω_CD − μ = −(ω_AC − μ): **L_NQ = 0 exactly on ε_1 + ε_2 + U = 2μ** (an identity of the \
         compact form, tested symbolically in `tests/symbolic.rs`). Off that line the sign law \
         sign L_NQ = sign(ε_1 + ε_2 + U − 2μ) is **not a theorem**: it fails when a bare level \
         lies below μ (ε_1 = −10, ε_2 = 0, U = 10.1, T = 1, μ = 0, all rates 1: \
         ε_1 + ε_2 + U = 0.1 > 0 but L_NQ = −1.85·10⁻⁵; `qct onsager --model-file \
         examples/double_dot_two_terminal.json --set eps_1=-10 --set eps_2=0 --set U=10.1 \
         --set gamma_l1=1 --set gamma_r1=1 --set gamma_l2=1 --set gamma_r2=1 \
         --representation heat`). With both bare levels above μ and dot-symmetric rates it holds \
         at every point of the scan (column \"sign L_NE ≠ sign(ε_1 + ε_2 + U)\" = 0, energy \
         representation with μ = 0, where L_NE = L_NQ): evidence, not proof. With asymmetric \
         rates it fails on the scan too.\n"
    )
    .unwrap();
    writeln!(w, "Points to reproduce:\n").unwrap();
    let file = "--model-file examples/double_dot_two_terminal.json";
    for (name, rates, c) in &table {
        let set = format!(
            "--set gamma_l1={} --set gamma_r1={} --set gamma_l2={} --set gamma_r2={}",
            rates[0], rates[1], rates[2], rates[3]
        );
        if let Some([x1, x2, u, l]) = c.example {
            writeln!(
                w,
                "* genuine ICC ({name} rates): ε_1 = {x1:.3}, ε_2 = {x2:.3}, U = {u:.3}: \
                 L_NE = {l:.6e}; `qct icc {file} {set} --set eps_1={x1} --set eps_2={x2} \
                 --set U={u}`"
            )
            .unwrap();
        }
        if let Some([x1, x2, u, l]) = c.inversion_not_sufficient {
            writeln!(
                w,
                "* inverted (U < −min ε) but L_NE ≥ 0 ({name} rates): ε_1 = {x1:.3}, \
                 ε_2 = {x2:.3}, U = {u:.3}: L_NE = {l:.6e}; `qct onsager {file} {set} \
                 --set eps_1={x1} --set eps_2={x2} --set U={u}`"
            )
            .unwrap();
        }
    }
    writeln!(
        w,
        "\nThe works cited by the seed for this geometry report inverse currents with respect \
         to the gradients ΔT and Δμ. Forces are not gradients: F_N^l = β_l μ_l − β_r μ_r can \
         have the opposite sign to Δμ = μ_l − μ_r when T_l ≠ T_r, so a current against Δμ can \
         follow its force. `qct regime` reports both and flags such a point (`against_gradient` \
         without `against_force`); the verdict above uses the forces only.\n"
    )
    .unwrap();
    Ok(out)
}
