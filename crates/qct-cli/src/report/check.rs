//! `qct check`: closed forms against the numeric layer and against finite differences.

use super::parameter_map;
use super::text::{num, table};
use nalgebra::DMatrix;
use qct::Result;
use qct::model::Model;
use qct::symbolic::{self, Derivation, Form};
use qct::thermo::{ForceBasis, equilibrium_parameters};
use serde::Serialize;
use std::fmt::Write;

/// The three Onsager matrices at the equilibrium of one point and their deviations.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub model: String,
    pub parameters: serde_json::Map<String, serde_json::Value>,
    pub fluxes: Vec<String>,
    pub forces: Vec<String>,
    #[serde(rename = "L_closed_form")]
    pub l_closed_form: Vec<Vec<f64>>,
    #[serde(rename = "L_numeric")]
    pub l_numeric: Vec<Vec<f64>>,
    #[serde(rename = "L_finite_difference")]
    pub l_finite_difference: Vec<Vec<f64>>,
    /// Rounding floor of each finite-difference entry (same units as L): below it the
    /// entry is rounding noise ([`qct::Onsager::finite_difference_floor`]).
    #[serde(rename = "L_finite_difference_floor")]
    pub l_finite_difference_floor: Vec<Vec<f64>>,
    /// Per entry, the columns that were resolved and compared: "closed_form" and "numeric"
    /// always (multiprecision evaluation, exact linear response), "finite_difference" when
    /// its floor is at most rtol · max |L_numeric|.
    pub resolved: Vec<Vec<Vec<&'static str>>>,
    /// Number of finite-difference entries below their rounding floor (not compared).
    pub unresolved: usize,
    /// ½ ⟨⟨J_i J_j⟩⟩ of the fluxes at equilibrium (fluctuation–dissipation, [`qct::fcs`]).
    #[serde(rename = "L_fluctuation_dissipation")]
    pub l_fluctuation_dissipation: Vec<Vec<f64>>,
    /// max over entries and over the comparisons (finite differences: resolved entries
    /// only) of |L_closed − L_x| / max |L_numeric|.
    pub max_relative_deviation: f64,
    pub passed: bool,
    /// With one interdot hopping pair: the limit t → 0 of the closed form against the
    /// closed form of the same dots without hopping ([`qct::symbolic::limits`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tunnelling_limit: Option<Vec<LimitSummary>>,
    #[serde(skip)]
    pub rtol: f64,
}

/// One case of the limit t → 0: its hypothesis, substitution, the entries proved equal to
/// the diagonal-H closed form, and both evaluated at the point's equilibrium (under the
/// case's substitution, e.g. Δ = 0).
#[derive(Debug, Serialize)]
pub struct LimitSummary {
    pub hypothesis: String,
    pub substitution: Vec<(String, String)>,
    pub proved_equal: Vec<Vec<bool>>,
    #[serde(rename = "L_limit")]
    pub l_limit: Vec<Vec<f64>>,
    #[serde(rename = "L_diagonal")]
    pub l_diagonal: Vec<Vec<f64>>,
}

impl LimitSummary {
    /// The substitution as "name = value, …".
    pub fn substitution_text(&self) -> String {
        let parts: Vec<String> = self
            .substitution
            .iter()
            .map(|(n, v)| format!("{n} = {v}"))
            .collect();
        parts.join(", ")
    }

    /// Every entry proved equal to the diagonal closed form.
    pub fn all_proved(&self) -> bool {
        self.proved_equal.iter().flatten().all(|&b| b)
    }
}

/// The limit t → 0 ([`qct::symbolic::limits::tunnelling_limit`]) with both sides evaluated
/// at the equilibrium of `values`; `None` without a single hopping pair.
pub fn limit_summary(
    model: &Model,
    derivation: &Derivation,
    values: &[f64],
    basis: &ForceBasis,
) -> Result<Option<Vec<LimitSummary>>> {
    let Some(limit) = symbolic::limits::tunnelling_limit(model, basis, derivation)? else {
        return Ok(None);
    };
    let equilibrium = equilibrium_parameters(model, basis, values);
    let evaluate = |rows: &[Vec<String>]| -> Result<Vec<Vec<f64>>> {
        let m = rows.len();
        let flat = symbolic::evaluate(model, Vec::new(), rows.concat(), equilibrium.clone())?;
        Ok(flat.chunks(m).map(<[f64]>::to_vec).collect())
    };
    limit
        .cases
        .into_iter()
        .map(|c| {
            Ok(LimitSummary {
                l_limit: evaluate(&c.limit)?,
                l_diagonal: evaluate(&c.diagonal)?,
                hypothesis: c.hypothesis,
                substitution: c.substitution,
                proved_equal: c.proved_equal,
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

fn rows(m: &DMatrix<f64>) -> Vec<Vec<f64>> {
    (0..m.nrows())
        .map(|i| m.row(i).iter().copied().collect())
        .collect()
}

/// Derive the closed forms, parse their strings back, evaluate them at the equilibrium of
/// `values`, and compare.
pub fn check_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    rtol: f64,
) -> Result<CheckReport> {
    // The compact form (named quantities evaluated in order, then L in them).
    let derivation = symbolic::derive(model, basis, Form::Compact)?;
    let mut report = check_derivation(model, &derivation, values, basis, rtol)?;
    report.tunnelling_limit = limit_summary(model, &derivation, values, basis)?;
    Ok(report)
}

/// The compact closed form of `derivation` evaluated at the parameter values `equilibrium`
/// (its named quantities in order, then every L_ij; multiprecision, [`symbolic::evaluate`]).
pub fn closed_form_matrix(
    model: &Model,
    derivation: &Derivation,
    equilibrium: &[f64],
) -> Result<DMatrix<f64>> {
    let m = derivation.compact.l.len();
    let strings: Vec<String> = derivation
        .compact
        .l
        .iter()
        .flat_map(|row| row.iter().map(|e| e.symbolica.clone()))
        .collect();
    let definitions: Vec<(String, String)> = derivation
        .compact
        .definitions
        .iter()
        .map(|d| (d.name.clone(), d.value.symbolica.clone()))
        .collect();
    let closed = symbolic::evaluate(model, definitions, strings, equilibrium.to_vec())?;
    Ok(DMatrix::from_row_slice(m, m, &closed))
}

/// [`check_report`] for a derivation already at hand (the same model and basis): many points
/// of one model need one derivation.
pub fn check_derivation(
    model: &Model,
    derivation: &Derivation,
    values: &[f64],
    basis: &ForceBasis,
    rtol: f64,
) -> Result<CheckReport> {
    let equilibrium = equilibrium_parameters(model, basis, values);
    let m = basis.len();
    let closed = closed_form_matrix(model, derivation, &equilibrium)?;
    // Three independent numeric routes at the same equilibrium: the nodal linear response,
    // finite differences of the nonlinear steady state, and the equilibrium noise (½ S = L).
    let p = model.parameters_at(values)?;
    let onsager = model.onsager_checks(&p, basis)?;
    let noise = model.equilibrium_flux_noise(&p, basis)?;
    let (numeric, fd) = (&onsager.l, &onsager.l_finite_difference);
    let fluctuation = &noise.matrix * 0.5;
    let scale = numeric.amax();
    let fd_resolved = onsager.finite_difference_resolved_at(rtol);
    let relative = |d: f64| if scale > 0.0 { d / scale } else { d };
    // ½ S_ij is resolved where its rounding floor (the rounding-zero rule of the noise) is
    // within the tolerance; below it the noise entry is rounding (and printed as 0).
    let fdt_resolved = noise.half_resolved(rtol, scale);
    let mut max_relative_deviation: f64 = relative((&closed - numeric).amax());
    for (k, &r) in fdt_resolved.iter().enumerate() {
        if r {
            max_relative_deviation =
                max_relative_deviation.max(relative((closed[k] - fluctuation[k]).abs()));
        }
    }
    for (k, &r) in fd_resolved.iter().enumerate() {
        if r {
            max_relative_deviation =
                max_relative_deviation.max(relative((closed[k] - fd[k]).abs()));
        }
    }
    let resolved = (0..m)
        .map(|i| {
            (0..m)
                .map(|j| {
                    let mut columns = vec!["closed_form", "numeric"];
                    if fd_resolved[(i, j)] {
                        columns.push("finite_difference");
                    }
                    if fdt_resolved[(i, j)] {
                        columns.push("fluctuation_dissipation");
                    }
                    columns
                })
                .collect()
        })
        .collect();
    if !max_relative_deviation.is_finite() || closed.iter().any(|x| !x.is_finite()) {
        return Err(qct::Error::NonFinite("the closed-form evaluation".into()));
    }
    Ok(CheckReport {
        model: model.name.clone(),
        parameters: parameter_map(model, values),
        fluxes: basis.forces.iter().map(|f| basis.flux_name(f)).collect(),
        forces: basis.forces.iter().map(|f| basis.force_name(f)).collect(),
        l_closed_form: rows(&closed),
        l_numeric: rows(numeric),
        l_finite_difference: rows(fd),
        l_finite_difference_floor: rows(&onsager.finite_difference_floor),
        resolved,
        unresolved: fd_resolved.iter().filter(|r| !**r).count(),
        l_fluctuation_dissipation: rows(&fluctuation),
        max_relative_deviation,
        passed: max_relative_deviation <= rtol,
        tunnelling_limit: None,
        rtol,
    })
}

/// `qct check` as text: one row per entry with both deviations.
pub fn text(r: &CheckReport) -> String {
    let mut out = String::new();
    let scale = r
        .l_numeric
        .iter()
        .flatten()
        .fold(0.0f64, |a, &b| a.max(b.abs()));
    writeln!(
        out,
        "model {}: closed form vs numeric linear response vs finite differences vs \
         fluctuation-dissipation (half the equilibrium noise of the fluxes)",
        r.model
    )
    .unwrap();
    writeln!(
        out,
        "(at the equilibrium of the point; deviations relative to max|L| = {})\n",
        num(scale)
    )
    .unwrap();
    let mut rows = Vec::new();
    for (i, flux) in r.fluxes.iter().enumerate() {
        for (j, force) in r.forces.iter().enumerate() {
            let c = r.l_closed_form[i][j];
            let fd_resolved = r.resolved[i][j].contains(&"finite_difference");
            let rel = |x: f64| {
                format!(
                    "{:.1e}",
                    if scale > 0.0 {
                        (c - x).abs() / scale
                    } else {
                        (c - x).abs()
                    }
                )
            };
            rows.push(vec![
                format!("L[{flux}, {force}]"),
                num(c),
                num(r.l_numeric[i][j]),
                rel(r.l_numeric[i][j]),
                num(r.l_finite_difference[i][j]),
                if fd_resolved {
                    rel(r.l_finite_difference[i][j])
                } else {
                    "unresolved".into()
                },
                num(r.l_fluctuation_dissipation[i][j]),
                if r.resolved[i][j].contains(&"fluctuation_dissipation") {
                    rel(r.l_fluctuation_dissipation[i][j])
                } else {
                    "unresolved".into()
                },
            ]);
        }
    }
    out += &table(
        &[
            "entry",
            "closed form",
            "numeric",
            "dev",
            "finite diff.",
            "dev",
            "fluct.-diss.",
            "dev",
        ],
        &rows,
    );
    if r.unresolved > 0 {
        writeln!(
            out,
            "\n{} finite-difference entr{} below the rounding floor of the differences \
             (~ u x gross exchange / step, see L_finite_difference_floor in --format json):\n\
             unresolved, shown but not compared; closed form and numeric are compared everywhere.",
            r.unresolved,
            if r.unresolved == 1 { "y is" } else { "ies are" }
        )
        .unwrap();
    }
    if let Some(cases) = &r.tunnelling_limit {
        out += &limit_text(r, cases);
    }
    writeln!(
        out,
        "\nmax relative deviation {:.2e} over resolved entries (rtol {:.1e}): {}",
        r.max_relative_deviation,
        r.rtol,
        if r.passed { "PASSED" } else { "FAILED" }
    )
    .unwrap();
    out
}

/// The limit t → 0 as text: per case the substitution and what is proved; where an entry is
/// not proved equal, both sides at the point.
fn limit_text(r: &CheckReport, cases: &[LimitSummary]) -> String {
    let mut out = String::from(
        "\nlimit t -> 0 of the eigenbasis closed form vs the closed form of the same dots \
         without hopping (diagonal H), symbolically:\n",
    );
    for c in cases {
        let (substitution, all) = (c.substitution_text(), c.all_proved());
        writeln!(
            out,
            "  {}\n    substituting {}: {}",
            c.hypothesis,
            substitution,
            if all {
                "every entry equals the diagonal closed form (proved)"
            } else {
                "not equal to the diagonal closed form; at this point:"
            }
        )
        .unwrap();
        if all {
            continue;
        }
        for (i, flux) in r.fluxes.iter().enumerate() {
            for (j, force) in r.forces.iter().enumerate() {
                writeln!(
                    out,
                    "      L[{flux}, {force}]: limit {}, diagonal {}{}",
                    num(c.l_limit[i][j]),
                    num(c.l_diagonal[i][j]),
                    if c.proved_equal[i][j] {
                        " (proved equal)"
                    } else {
                        ""
                    }
                )
                .unwrap();
            }
        }
    }
    out += "  No limit at t = Delta = 0: along t = 0 (Delta -> 0) L_NN = 0 (the identity above), \
            along Delta = 0 (t -> 0) the value above; along Delta = k t, r -> 0 and \
            cos2 = (1 + k/sqrt(k^2 + 4))/2.\n";
    out
}
