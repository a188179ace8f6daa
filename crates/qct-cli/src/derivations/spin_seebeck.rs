//! `derivations/spin_seebeck/`: the spin Seebeck effect of a Zeeman-split level between a
//! polarised lead l and a normal lead r with spin accumulation μ_s,r
//! (`examples/spin_seebeck.json`). Open circuit for charge and spin, J_N^r = J_S^r = 0, under a
//! small ΔT = T_r − T_l: the linear response gives the charge and spin voltages per kelvin,
//! one nonlinear point confirms them, and the closed-form L with the spin force F_S
//! (`onsager.tex`, `onsager.json`) gives the same ratios.

use super::figures::{Figure, values_with};
use super::io_error;
use crate::plot::{Panel, Series, Style, line_plot};
use crate::report::check::{check_derivation, closed_form_matrix};
use crate::report::derivation::{DeriveReport, latex, text};
use nalgebra::DMatrix;
use qct::OperatingPoint;
use qct::Result;
use qct::model::Model;
use qct::symbolic::{self, Derivation, Form, Syntax};
use qct::thermo::{FluxKind, ForceBasis, Representation, equilibrium_parameters};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The model file this folder is about.
pub const FILE: &str = "examples/spin_seebeck.json";

/// The operating point of the figures (besides ε, B, p_l): T = 0.5, U = 4, μ = 0.
const POINT: [(&str, f64); 7] = [
    ("U", 4.0),
    ("T_l", 0.5),
    ("T_r", 0.5),
    ("mu_l", 0.0),
    ("mu_r", 0.0),
    ("mu_s_r", 0.0),
    ("gamma_r", 1.0),
];

/// Open-circuit voltages per unit ΔT from the Onsager matrix `l` of `basis` (heat
/// representation, reference l) at temperature T: with J_N^r = J_S^r = 0,
/// (F_N, F_S) = −L_ab⁻¹ L_aQ F_Q over a, b ∈ {N, S}; F_N = β Δμ, F_S = β μ_s/2 and
/// F_Q = ΔT/T² to first order, so Δμ/ΔT = F_N/(T F_Q) and μ_s/ΔT = 2 F_S/(T F_Q). Returns
/// (Δμ/ΔT, μ_s/ΔT), both in units of k_B.
pub fn open_circuit_of(basis: &ForceBasis, l: &DMatrix<f64>, temperature: f64) -> (f64, f64) {
    let index = |kind: FluxKind| {
        basis
            .forces
            .iter()
            .position(|f| f.kind == kind)
            .expect("the spin Seebeck model has F_N, F_S and F_Q")
    };
    let (n, s, q) = (
        index(FluxKind::Particle),
        index(FluxKind::Spin),
        index(FluxKind::Energy),
    );
    // Cramer's rule for the 2 × 2 block, per unit F_Q.
    let det = l[(n, n)] * l[(s, s)] - l[(n, s)] * l[(s, n)];
    let f_n = -(l[(s, s)] * l[(n, q)] - l[(n, s)] * l[(s, q)]) / det;
    let f_s = -(l[(n, n)] * l[(s, q)] - l[(s, n)] * l[(n, q)]) / det;
    (f_n / temperature, 2.0 * f_s / temperature)
}

/// The heat-representation force basis with reference l.
fn heat_basis(model: &Model) -> Result<ForceBasis> {
    ForceBasis::new(model, Representation::Heat, model.default_references())
}

/// [`open_circuit_of`] the numeric exact linear response at the equilibrium of `values`.
pub fn open_circuit(model: &Model, values: &[f64]) -> Result<(f64, f64)> {
    let basis = heat_basis(model)?;
    let point = model.operating_point(&model.parameters_at(values)?, &basis)?;
    let temperature = 1.0 / point.beta(basis.references.energy);
    Ok(open_circuit_of(&basis, &point.l, temperature))
}

/// [`open_circuit_of`] the closed form `heat` (heat representation) evaluated at the
/// equilibrium of `values`.
pub fn open_circuit_closed_form(
    model: &Model,
    heat: &Derivation,
    values: &[f64],
) -> Result<(f64, f64)> {
    let basis = heat_basis(model)?;
    let eq_values = equilibrium_parameters(model, &basis, values);
    let l = closed_form_matrix(model, heat, &eq_values)?;
    let t_ref = model.leads[basis.references.energy].temperature;
    Ok(open_circuit_of(&basis, &l, eq_values[t_ref.0]))
}

/// J_N^r and J_S^r, relative to the gross exchange of lead r, at the nonlinear point
/// T_r = T + δT, μ_r = (Δμ/ΔT) δT, μ_s,r = (μ_s/ΔT) δT: second order in δT when the
/// linear prediction is right.
fn open_circuit_residual(model: &Model, values: &[f64], delta_t: f64) -> Result<(f64, f64)> {
    let (charge, spin) = open_circuit(model, values)?;
    let mut v = values.to_vec();
    let get = |name: &str| model.param(name).expect("parameter of the example").0;
    v[get("T_r")] = v[get("T_l")] + delta_t;
    v[get("mu_r")] = v[get("mu_l")] + charge * delta_t;
    v[get("mu_s_r")] = spin * delta_t;
    // The currents as solved, not rounded: the residual is what the test measures.
    let point = OperatingPoint::new(model, &model.complete(&v), &heat_basis(model)?)?;
    let r = &point.currents[model.lead_index("r").expect("lead r")];
    Ok((r.particle / r.gross_particle, r.spin / r.gross_particle))
}

/// Write the folder; returns the files written.
pub fn write(out: &Path) -> Result<Vec<PathBuf>> {
    let model = qct::model::json::from_file(Path::new(FILE))?;
    let dir = out.join("spin_seebeck");
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    let levels: Vec<f64> = (0..=240).map(|k| -7.0 + 0.04 * k as f64).collect();
    let cases = [
        ("p_l = 0, B = 0", 0.0, 0.0),
        ("p_l = 0, B = 1", 0.0, 1.0),
        ("p_l = 0.5, B = 0", 0.5, 0.0),
        ("p_l = 0.5, B = 1", 0.5, 1.0),
        ("p_l = 0.9, B = 1", 0.9, 1.0),
    ];
    let (mut spin_series, mut charge_series) = (Vec::new(), Vec::new());
    // (μ_s/ΔT, ε, case name, p_l, B) of the largest spin response.
    let mut largest = (0.0f64, 0.0, "", 0.0, 0.0);
    let mut symmetric: f64 = 0.0;
    // Largest |μ_s/ΔT| at B = 0, p_l ≠ 0, and largest spread of μ_s/ΔT over p_l at B = 1.
    let mut polarised_only: f64 = 0.0;
    let mut by_level: Vec<Option<f64>> = vec![None; levels.len()];
    let mut spread: f64 = 0.0;
    for (name, p, b) in cases {
        let (mut spin, mut charge) = (Vec::new(), Vec::new());
        for &eps in &levels {
            let mut set = POINT.to_vec();
            set.extend([("eps", eps), ("B", b), ("p_l", p)]);
            let (c, s) = open_circuit(&model, &values_with(&model, &set))?;
            let k = spin.len();
            spin.push((eps, s));
            charge.push((eps, c));
            if b == 0.0 {
                if p == 0.0 {
                    symmetric = symmetric.max(s.abs());
                } else {
                    polarised_only = polarised_only.max(s.abs());
                }
            } else {
                let first = *by_level[k].get_or_insert(s);
                spread = spread.max((s - first).abs());
                if s.abs() > largest.0.abs() {
                    largest = (s, eps, name, p, b);
                }
            }
        }
        spin_series.push(Series {
            name: name.into(),
            points: spin,
        });
        // Δμ/ΔT does not depend on p_l either: one curve per field.
        if p == 0.5 {
            charge_series.push(Series {
                name: format!("Δμ/ΔT at B = {b}"),
                points: charge,
            });
        }
    }
    let file = "spin_seebeck.svg";
    line_plot(
        &dir.join(file),
        "spin Seebeck effect of a Zeeman-split level (open circuit for charge and spin)",
        "level ε (T = 0.5, U = 4)",
        &[
            Panel {
                y_label: "μ_s / ΔT  (k_B)".into(),
                series: spin_series,
            },
            Panel {
                y_label: "Δμ / ΔT  (k_B)".into(),
                series: charge_series,
            },
        ],
        &Style::default(),
    )?;
    // One nonlinear check of the linear prediction at the largest spin response.
    let mut set = POINT.to_vec();
    set.extend([("eps", largest.1), ("p_l", largest.3), ("B", largest.4)]);
    let values = values_with(&model, &set);
    let (n1, s1) = open_circuit_residual(&model, &values, 1e-3)?;
    let (n2, s2) = open_circuit_residual(&model, &values, 2e-3)?;
    let closed = closed_forms(&model, &dir, &levels, &cases)?;
    let figure = Figure {
        file: file.into(),
        caption: format!(
            "Open-circuit spin accumulation μ_s,r per unit ΔT = T_r − T_l (top) and charge \
             voltage Δμ = μ_r − μ_l per unit ΔT (bottom) against the mean level ε, with \
             J_N^r = J_S^r = 0, from the exact linear response (heat representation, \
             reference l). At p_l = 0 and B = 0 the spin response vanishes by symmetry \
             (largest |μ_s/ΔT| on the curve {symmetric:.1e}), and so it does with a polarised \
             lead alone (p_l = 0.5, B = 0: {polarised_only:.1e}); with B = 1 the curves of \
             every p_l coincide (largest spread {spread:.1e}) at μ_s/ΔT = −B/T away from \
             ε = −U/2. Largest |μ_s/ΔT| = {:.3} k_B at ε = {:.2} ({}).",
            largest.0.abs(),
            largest.1,
            largest.2
        ),
        reproduce: format!(
            "generated by `qct derivations`; one point: `qct onsager --model-file {FILE} \
             --representation heat --set eps=-1 --set B=1 --set p_l=0.5 --set U=4 \
             --set T_l=0.5 --set T_r=0.5` (the open-circuit ratios follow from its L)"
        ),
    };
    let mut readme = format!(
        "# `spin_seebeck` — spin Seebeck effect of a Zeeman-split level\n\n\
         Generated by `{}` (do not edit by hand).\n\n\
         Model `{FILE}`: one spinful level, ε_↑ = ε + B/2, ε_↓ = ε − B/2, on-site U, between \
         a polarised lead l (rates γ_l(1 ± p_l)) and a normal lead r whose spin species are at \
         μ_r ± μ_s,r/2 (spin accumulation, `\"spin_bias\": \"mu_s_r\"`). Lead l is the \
         reference, so the forces are F_N^r, F_S^r = β_r μ_s,r/2 and F_Q^r, conjugate to \
         J_N^r, the spin current J_S^r = J_N↑^r − J_N↓^r and J_Q^r. The figure is the numeric \
         exact linear response of the Pauli equation; the closed forms with the spin force \
         (`onsager.tex`, `onsager.json`: `qct derive --model-file {FILE} --format json`) give \
         the same ratios (below).\n\n",
        super::COMMAND
    );
    readme += "## Figures\n\n";
    writeln!(
        readme,
        "![{0}]({0})\n\n{1}\n\nReproduce: {2}\n",
        figure.file, figure.caption, figure.reproduce
    )
    .unwrap();
    readme += &findings([n1, s1, n2, s2], (largest.1, largest.3, largest.4));
    readme += &closed.readme;
    let path = dir.join("README.md");
    std::fs::write(&path, readme).map_err(|e| io_error(&path, e))?;
    let mut written = closed.files;
    written.extend([dir.join(file), path]);
    Ok(written)
}

/// What the closed forms add to the folder: the files written and the README section.
struct ClosedForms {
    files: Vec<PathBuf>,
    readme: String,
}

/// The closed forms with the spin force: `onsager.tex` and `onsager.json` in the energy
/// representation (as for every model), and the open-circuit ratios from the closed form of
/// the heat representation against the numeric exact linear response along the figure's
/// curves (every 8th level), with the plateau values against −B/T.
fn closed_forms(
    model: &Model,
    dir: &Path,
    levels: &[f64],
    cases: &[(&str, f64, f64)],
) -> Result<ClosedForms> {
    let energy_basis = ForceBasis::new(model, Representation::Energy, model.default_references())?;
    let energy = symbolic::derive(model, &energy_basis, Form::Compact)?;
    let (tex, json) = (dir.join("onsager.tex"), dir.join("onsager.json"));
    std::fs::write(&tex, latex(&energy, true)).map_err(|e| io_error(&tex, e))?;
    let mut report = serde_json::to_string_pretty(&DeriveReport::new(&energy, Syntax::Symbolica))
        .expect("derivation serialises");
    report.push('\n');
    std::fs::write(&json, report).map_err(|e| io_error(&json, e))?;
    let basis = heat_basis(model)?;
    let heat = symbolic::derive(model, &basis, Form::Compact)?;
    let (mut deviation, mut compared) = (0.0f64, 0usize);
    for &(_, p, b) in cases {
        for &eps in levels.iter().step_by(8) {
            let mut set = POINT.to_vec();
            set.extend([("eps", eps), ("B", b), ("p_l", p)]);
            let values = values_with(model, &set);
            let (c_num, s_num) = open_circuit(model, &values)?;
            let (c_closed, s_closed) = open_circuit_closed_form(model, &heat, &values)?;
            deviation = deviation
                .max((c_closed - c_num).abs() / c_num.abs().max(1.0))
                .max((s_closed - s_num).abs() / s_num.abs().max(1.0));
            compared += 1;
        }
    }
    // The plateaus at B = 1, T = 0.5: the dot empty (ε = 2) and doubly occupied (ε = −6).
    let plateau = |eps: f64| -> Result<f64> {
        let mut set = POINT.to_vec();
        set.extend([("eps", eps), ("B", 1.0), ("p_l", 0.5)]);
        Ok(open_circuit_closed_form(model, &heat, &values_with(model, &set))?.1)
    };
    let (empty, full) = (plateau(2.0)?, plateau(-6.0)?);
    let mut set = POINT.to_vec();
    set.extend([("eps", -1.0), ("B", 1.0), ("p_l", 0.5)]);
    let check = check_derivation(model, &heat, &values_with(model, &set), &basis, 1e-9)?;
    let proved = |ok: bool| if ok { "proved" } else { "NOT proved" };
    let readme = format!(
        "\n## Closed form with the spin force\n\n\
         qct derives the Onsager matrix with the spin row and column in closed form: the spin \
         force enters the expansion with the spin affinity ν_r = μ_s,r/2 \
         (F_S^r = β_r μ_s,r/2), every transition carries d_S = σ = ±1 into J_S, and the \
         equilibrium sets μ_s,r = 0. Reciprocity L_ij = L_ji: {reciprocity} (nodal and cycle \
         routes agree: {routes}); compact form = expanded form: {compact} ({proof}). Every \
         transition carries one particle and σ = ±1, so the printed L_NN and L_SS are the same \
         sum of loop conductances c and L_NS = Σ σ c.\n\n\
         `qct check --model-file {FILE} --representation heat --set eps=-1 --set B=1 \
         --set p_l=0.5 --set U=4 --set T_l=0.5 --set T_r=0.5`: closed form vs exact linear \
         response vs finite differences, max relative deviation {dev:.1e} ({passed}).\n\n\
         The open-circuit ratios Δμ/ΔT and μ_s/ΔT of the figure computed from the closed-form \
         L (heat representation) agree with the numeric ones at {compared} points of the five \
         curves to {deviation:.1e} (relative, or absolute below 1). On the plateaus at B = 1, \
         T = 0.5 the closed form gives μ_s/ΔT = {empty:.6} (ε = 2, dot empty) and {full:.6} \
         (ε = −6, dot doubly occupied) against −B/T = −2.\n\n\
         ### The derivation as qct prints it (heat representation)\n\n```\n{text}```\n",
        reciprocity = proved(heat.reciprocity.iter().all(|r| r.proved)),
        routes = proved(heat.reciprocity.iter().all(|r| r.routes_agree)),
        compact = proved(heat.compact.proved_equal.iter().flatten().all(|&b| b)),
        proof = heat.compact.proof,
        dev = check.max_relative_deviation,
        passed = if check.passed { "PASSED" } else { "FAILED" },
        text = text(&heat),
    );
    Ok(ClosedForms {
        files: vec![tex, json],
        readme,
    })
}

/// The README's "What qct finds": the symmetry, the thermocouple per spin, the short-circuit
/// spin current, the nonlinear open-circuit `residuals` (J_N, J_S at ΔT = 1e-3, then 2e-3)
/// at `point` = (ε, p_l, B), and the fully polarised lead.
fn findings(residuals: [f64; 4], point: (f64, f64, f64)) -> String {
    let [n1, s1, n2, s2] = residuals;
    format!(
        "## What qct finds\n\n\
         * Without a field and with an unpolarised lead the thermally driven spin current \
         vanishes: the ↑ and ↓ channels are identical (tests/spin.rs checks L_SQ = L_SN = 0 \
         to rounding and J_S = 0 far from equilibrium).\n\
         * The open-circuit spin accumulation is set by the Zeeman field alone: a thermocouple \
         per spin. With no net current of either spin through a single level, the Fermi \
         functions of l and r agree at each spin's addition energies, so the bare rates (and \
         p_l) drop out: μ_σ,r − μ_σ,l = −(E_σ − μ) ΔT/T for a spin whose one addition energy \
         E_σ dominates, hence μ_s,r/ΔT = −(ε_↑ − ε_↓)/T = −B/T (−2 here, on both plateaus); \
         near ε = −U/2 both addition energies of each spin (ε_σ and ε_σ + U) contribute and \
         |μ_s/ΔT| peaks.\n\
         * A polarised lead does drive a thermal spin current at short circuit (L_SQ ≠ 0 for \
         p_l ≠ 0 at B = 0; tests/spin.rs), but that current stops at μ_s = 0: without a \
         field there is no open-circuit spin accumulation.\n\
         * The open-circuit state is a stall point of both fluxes: at ΔT = 1e-3 and 2e-3 \
         with μ_r and μ_s,r set to the linear prediction, the nonlinear J_N^r and J_S^r are \
         {n1:.1e}, {s1:.1e} and {n2:.1e}, {s2:.1e} of the gross exchange (second order in \
         ΔT, as the linear response requires), at ε = {:.2}, p_l = {}, B = {}.\n\
         * A fully polarised lead (p_l = 1) couples only ↑ electrons to l: then J_S^r = J_N^r \
         in the steady state, the (N, S) block of L is singular and only μ_r + μ_s,r/2 (the \
         ↑ chemical potential of r) is fixed by the open circuit; the figure stops at \
         p_l = 0.9.\n",
        point.0, point.1, point.2
    )
}
