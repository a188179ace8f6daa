//! `qct regime`, `qct performance` and `qct icc`: reports and their text renderers.

use super::text::{num, table};
use super::{parameter_map, reference_map};
use qct::analysis::{ForcePair, LinearCoefficients, LoadOptimum, MachinePerformance};
use qct::model::Model;
use qct::symbolic::{self, Form};
use qct::thermo::{ForceBasis, equilibrium_parameters};
use qct::{Error, IccAnalysis, OperatingPoint, Performance, RegimeAnalysis, Result};
use serde::Serialize;
use serde_json::Map;
use std::fmt::Write;

/// `qct regime`: the nonlinear regime of a point, its linear prediction and, for engines
/// and refrigerators, their performance.
#[derive(Debug, Serialize)]
pub struct RegimeReport {
    pub model: String,
    pub parameters: Map<String, serde_json::Value>,
    pub representation: &'static str,
    /// The steady-state method (`pauli`, `lindblad`, `redfield`; [`qct::method`]).
    pub method: &'static str,
    pub reference: Map<String, serde_json::Value>,
    #[serde(flatten)]
    pub analysis: RegimeAnalysis,
    /// Power and efficiency (engine) or COP (refrigerator) of the steady state.
    pub performance: MachinePerformance,
}

/// Classify the point `values` of `model`.
pub fn regime_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    method: qct::method::Method,
) -> Result<RegimeReport> {
    let point = OperatingPoint::with_method(model, values, basis, method)?;
    let report = RegimeReport {
        model: model.name.clone(),
        parameters: parameter_map(model, values),
        representation: basis.representation.name(),
        method: method.name(),
        reference: reference_map(model, basis),
        analysis: point.regime(basis),
        performance: point.machine(basis),
    };
    super::ensure_finite(&report, "the regime report")?;
    Ok(report)
}

/// The method in a text heading: nothing for Pauli (the default), else
/// "METHOD steady state, L by finite differences".
fn method_note(method: &str) -> Option<String> {
    (method != qct::method::Method::Pauli.name())
        .then(|| format!("{method} steady state, L by finite differences"))
}

/// Text rendering of [`RegimeReport`].
pub fn regime_text(r: &RegimeReport) -> String {
    let a = &r.analysis;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "model {} ({} representation{})",
        r.model,
        r.representation,
        method_note(r.method).map_or(String::new(), |n| format!("; {n}"))
    );
    out += origin(r.representation);
    let _ = writeln!(out, "regime: {}", a.regime.label());
    let _ = writeln!(
        out,
        "linear-response prediction: {}{}",
        a.linear_prediction.label(),
        if a.agree { "" } else { "   (DISAGREES)" }
    );
    let _ = writeln!(
        out,
        "forces: {}; tight coupling: {} (det L / prod L_ii = {})",
        a.forces_structure,
        if a.tight_coupling { "yes" } else { "no" },
        num(a.relative_determinant)
    );
    if let Some(flux) = &a.inverse_flux {
        let _ = writeln!(out, "inverse / unconventional flux: {flux}");
    }
    out.push('\n');
    let rows: Vec<Vec<String>> = a
        .fluxes
        .iter()
        .map(|f| {
            vec![
                f.force.clone(),
                num(f.force_value),
                format!("{} = {}", f.gradient.name, num(f.gradient.value)),
                f.flux.clone(),
                num(f.flux_value),
                num(f.linear_flux),
                if f.against_force { "yes" } else { "no" }.into(),
                if f.against_gradient { "yes" } else { "no" }.into(),
            ]
        })
        .collect();
    out += &table(
        &[
            "force",
            "value",
            "gradient",
            "flux",
            "nonlinear",
            "linear (L F)",
            "against force",
            "against gradient",
        ],
        &rows,
    );
    if a.pairs.len() > 1 {
        out.push_str("\npairs of forces:\n");
        let rows: Vec<Vec<String>> = a
            .pairs
            .iter()
            .map(|p| {
                vec![
                    format!("{}, {}", p.forces[0], p.forces[1]),
                    if p.parallel {
                        "parallel"
                    } else {
                        "non-parallel"
                    }
                    .into(),
                    num(p.cross_coefficient),
                ]
            })
            .collect();
        out += &table(&["forces", "structure", "L_ij"], &rows);
    }
    let _ = writeln!(
        out,
        "\nentropy production: {} (k_B per unit time)",
        num(a.entropy_production)
    );
    out += &machine_text(&r.performance);
    for note in &a.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

/// The reference against which signs of cross effects are stated (the README's Conventions: qct always
/// prints the origin).
fn origin(representation: &str) -> &'static str {
    if representation == "energy" {
        "energy origin: energies as written in H (empty dots at 0); bare levels and signs are \
         relative to it\n"
    } else {
        "origin-free: levels are measured from the reference lead's chemical potential\n"
    }
}

fn machine_text(m: &MachinePerformance) -> String {
    let mut out = format!(
        "machine: {}; power P = -sum mu J_N = {}",
        m.role,
        num(m.power)
    );
    if let (Some(eta), Some(ratio)) = (m.efficiency, m.efficiency_over_carnot) {
        let _ = write!(
            out,
            "; efficiency {} = {} of Carnot ({})",
            num(eta),
            num(ratio),
            num(m.carnot_efficiency)
        );
    }
    if let (Some(cop), Some(ratio), Some(carnot)) = (m.cop, m.cop_over_carnot, m.carnot_cop) {
        let _ = write!(
            out,
            "; COP {} = {} of Carnot ({})",
            num(cop),
            num(ratio),
            num(carnot)
        );
    }
    out + "\n"
}

/// `qct performance`: the point as a machine, the linear-response coefficients at its
/// equilibrium and the engine optimised over the load.
#[derive(Debug, Serialize)]
pub struct PerformanceReport {
    pub model: String,
    pub parameters: Map<String, serde_json::Value>,
    /// The steady-state method (`pauli`, `lindblad`, `redfield`; [`qct::method`]).
    pub method: &'static str,
    /// Nonlinear steady state at the point.
    pub machine: MachinePerformance,
    /// Heat-representation coefficients at the equilibrium of the point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linear: Option<LinearCoefficients>,
    /// The engine at the point's temperatures with the bias optimised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_optimum: Option<LoadOptimum>,
    /// Linear-response η_max and η(P_max) at the point's η_C (from ZT).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "linear_eta_max")]
    pub linear_max_efficiency: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "linear_eta_at_max_power")]
    pub linear_efficiency_at_max_power: Option<f64>,
    pub notes: Vec<String>,
}

/// Performance of the point `values` ([`Model::performance_with`]; README, "Thermoelectric
/// performance").
pub fn performance_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    method: qct::method::Method,
) -> Result<PerformanceReport> {
    let heat = model.heat_basis(basis)?;
    let Performance {
        machine: m,
        linear,
        load: load_optimum,
    } = model.performance_with(&model.parameters_at(values)?, basis, method)?;
    let mut notes = Vec::new();
    if linear.is_none() {
        notes.push(if ForcePair::of(&heat).is_some() {
            "no particle conduction at the equilibrium of the point (L_NN = 0): G = 0, and \
             S, K and ZT are undefined"
                .to_string()
        } else {
            format!(
                "G, S, K and ZT need one particle and one heat force; this model has {}",
                heat.force_list()
            )
        });
    }
    if load_optimum.is_none() {
        notes.push(
            "no engine to optimise: equal temperatures, no particle force, or no current at \
             zero bias (no heat-to-current conversion)"
                .into(),
        );
    }
    let eta_c = m.carnot_efficiency;
    let report = PerformanceReport {
        model: model.name.clone(),
        parameters: parameter_map(model, values),
        method: method.name(),
        linear_max_efficiency: linear
            .as_ref()
            .filter(|_| eta_c > 0.0)
            .and_then(|c| c.max_efficiency_over_carnot.map(|r| r * eta_c)),
        linear_efficiency_at_max_power: linear
            .as_ref()
            .filter(|_| eta_c > 0.0)
            .and_then(|c| c.efficiency_at_max_power_over_carnot.map(|r| r * eta_c)),
        machine: m,
        linear,
        load_optimum,
        notes,
    };
    super::ensure_finite(&report, "the performance report")?;
    Ok(report)
}

/// Text rendering of [`PerformanceReport`].
pub fn performance_text(r: &PerformanceReport) -> String {
    let mut out = match method_note(r.method) {
        Some(note) => format!("model {} ({note})\n", r.model),
        None => format!("model {}\n", r.model),
    };
    out += &machine_text(&r.machine);
    if let Some(c) = &r.linear {
        let _ = writeln!(
            out,
            "\nlinear response (heat representation, {} and {}, T = {}):",
            c.particle_force,
            c.heat_force,
            num(c.temperature)
        );
        let zt = match c.zt {
            Some(zt) if zt.is_infinite() => "inf (tight coupling, det L = 0)".into(),
            Some(zt) => num(zt),
            None => "undefined (tight coupling with S = 0: L_NQ = det L = 0)".into(),
        };
        let optional = |x: Option<f64>| x.map_or("undefined".to_string(), num);
        let rows = vec![
            vec!["G = L_NN/T".into(), num(c.conductance)],
            vec!["S = L_NQ/(T L_NN)".into(), num(c.seebeck)],
            vec!["K = det L/(T^2 L_NN)".into(), num(c.thermal_conductance)],
            vec!["power factor G S^2".into(), num(c.power_factor)],
            vec!["ZT = L_NQ^2/det L".into(), zt],
            vec![
                "eta_max/eta_C".into(),
                optional(c.max_efficiency_over_carnot),
            ],
            vec![
                "eta(P_max)/eta_C".into(),
                optional(c.efficiency_at_max_power_over_carnot),
            ],
        ];
        out += &table(&["coefficient", "value"], &rows);
    }
    if let Some(o) = &r.load_optimum {
        let _ = writeln!(
            out,
            "\nengine optimised over the load (bias mu_{} - mu_ref; eta_C = {}):",
            o.load_lead,
            num(o.carnot_efficiency)
        );
        let rows = vec![
            vec!["stall bias".into(), num(o.stall_bias), String::new()],
            vec![
                "max power".into(),
                num(o.max_power),
                format!("at bias {}", num(o.bias_at_max_power)),
            ],
            vec![
                "efficiency at max power".into(),
                num(o.efficiency_at_max_power),
                format!("{} of eta_C", num(o.efficiency_at_max_power_over_carnot)),
            ],
            vec![
                "max efficiency".into(),
                num(o.max_efficiency),
                format!(
                    "{} of eta_C, at bias {}",
                    num(o.max_efficiency_over_carnot),
                    num(o.bias_at_max_efficiency)
                ),
            ],
        ];
        out += &table(&["nonlinear optimum", "value", ""], &rows);
        if let (Some(a), Some(b)) = (r.linear_max_efficiency, r.linear_efficiency_at_max_power) {
            let _ = writeln!(
                out,
                "linear response (from ZT): max efficiency {}, efficiency at max power {}",
                num(a),
                num(b)
            );
        }
    }
    for note in &r.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

/// One term s_g P_g of the cycle decomposition of L_NE, evaluated at the point.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionTerm {
    /// The transition energy s_g stands for, e.g. "omega(C->D)".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition: Option<String>,
    pub affinity: String,
    pub affinity_value: f64,
    /// P_g > 0 at the equilibrium of the point.
    pub weight_value: f64,
}

/// The level-ordering criterion of the symbolic layer, evaluated at the point.
#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    pub coefficient: String,
    pub negative_iff: String,
    pub necessary: String,
    pub sufficient: String,
    pub terms: Vec<CriterionTerm>,
    /// Σ_g s_g P_g = Z τ L_NE: its sign is the sign of L_NE.
    pub sum: f64,
    pub necessary_holds: bool,
    pub sufficient_holds: bool,
    /// The closed form's sign equals the numeric L_NE's sign.
    pub consistent_with_numeric: bool,
}

/// `qct icc`.
#[derive(Debug, Serialize)]
pub struct IccReport {
    pub model: String,
    pub parameters: Map<String, serde_json::Value>,
    pub representation: &'static str,
    pub reference: Map<String, serde_json::Value>,
    pub applicable: bool,
    /// Why not, when not applicable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<IccAnalysis>,
    /// The criterion from the symbolic layer (absent with --no-symbolic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<Criterion>,
}

/// Analyse ICC at the point `values` ([`Model::icc`]); `symbolic`: also derive and
/// evaluate the level-ordering criterion (starts Symbolica).
pub fn icc_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    radii: &[f64],
    directions: usize,
    symbolic: bool,
) -> Result<IccReport> {
    let mut report = IccReport {
        model: model.name.clone(),
        parameters: parameter_map(model, values),
        representation: basis.representation.name(),
        reference: reference_map(model, basis),
        applicable: false,
        reason: basis.icc_not_applicable(),
        analysis: None,
        criterion: None,
    };
    if report.reason.is_some() {
        return Ok(report);
    }
    if let Some(&bad) = radii.iter().find(|r| !(**r > 0.0 && **r < 1.0)) {
        return Err(Error::BadValue {
            name: "--radius".into(),
            value: bad,
            reason: "must lie in (0, 1): F_E/beta_ref = radius cos(theta) must keep every \
                     temperature positive"
                .into(),
        });
    }
    let analysis = model.icc(&model.parameters_at(values)?, basis, radii, directions)?;
    // No closed forms with interdot tunnelling (the criterion is left out, as with
    // --no-symbolic).
    if symbolic && model.hoppings.is_empty() {
        let pair = ForcePair::of(basis).expect("applicable");
        report.criterion = criterion(model, values, basis, &pair, analysis.l[0][1])?;
    }
    report.applicable = true;
    report.analysis = Some(analysis);
    super::ensure_finite(&report, "the ICC report")?;
    Ok(report)
}

/// Derive the sign condition of L_NE and evaluate its cycle groups at the point.
fn criterion(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    pair: &ForcePair,
    l_ne: f64,
) -> Result<Option<Criterion>> {
    let derivation = symbolic::derive(model, basis, Form::Boltzmann)?;
    let (i, j) = (
        pair.particle.min(pair.energy),
        pair.particle.max(pair.energy),
    );
    let Some(sign) = derivation
        .sign_conditions
        .iter()
        .find(|s| s.i == i && s.j == j)
    else {
        return Ok(None);
    };
    let definitions: Vec<(String, String)> = derivation
        .weights
        .iter()
        .map(|w| (w.name.clone(), w.value.symbolica.clone()))
        .collect();
    let mut expressions = Vec::new();
    for g in &sign.groups {
        expressions.push(g.affinity.symbolica.clone());
        expressions.push(g.weight.symbolica.clone());
    }
    // At the equilibrium of the point, where L is defined (the affinities, transition
    // energies minus μ_ρc in the heat representation, are the same at the point).
    let equilibrium = equilibrium_parameters(model, basis, values);
    let at_equilibrium = symbolic::evaluate(model, definitions, expressions, equilibrium)?;
    let terms: Vec<CriterionTerm> = sign
        .groups
        .iter()
        .enumerate()
        .map(|(k, g)| CriterionTerm {
            transition: g.transition.clone(),
            affinity: g.affinity.symbolica.clone(),
            affinity_value: at_equilibrium[2 * k],
            weight_value: at_equilibrium[2 * k + 1],
        })
        .collect();
    let sum: f64 = terms
        .iter()
        .zip(sign.groups.iter().enumerate())
        .map(|(t, (k, _))| at_equilibrium[2 * k] * t.weight_value)
        .sum();
    let necessary_holds = terms.iter().any(|t| t.affinity_value < 0.0);
    let sufficient_holds = terms.iter().all(|t| t.affinity_value <= 0.0) && necessary_holds;
    Ok(Some(Criterion {
        coefficient: sign.coefficient.clone(),
        negative_iff: sign.negative_iff.clone(),
        necessary: sign.necessary.clone(),
        sufficient: sign.sufficient.clone(),
        terms,
        sum,
        necessary_holds,
        sufficient_holds,
        consistent_with_numeric: (sum < 0.0) == (l_ne < 0.0) || l_ne == 0.0,
    }))
}

/// Text rendering of [`IccReport`].
pub fn icc_text(r: &IccReport) -> String {
    let mut out = format!("model {} ({} representation)\n", r.model, r.representation);
    out += origin(r.representation);
    let Some(a) = &r.analysis else {
        let reason = r.reason.as_deref().unwrap_or("");
        return format!("{out}ICC: not applicable: {reason}\n");
    };
    let _ = writeln!(
        out,
        "forces {} and {} (mutually parallel); tight coupling: {}",
        a.energy_force,
        a.particle_force,
        if a.tight_coupling { "yes" } else { "no" }
    );
    let _ = writeln!(
        out,
        "L at equilibrium: L_NN = {}, L_NE = {}, L_EN = {}, L_EE = {}",
        num(a.l[0][0]),
        num(a.l[0][1]),
        num(a.l[1][0]),
        num(a.l[1][1])
    );
    out.push_str("\nlinear-response ICC wedges (first quadrant; mirrored in the third):\n");
    let bound = |x: Option<f64>| x.map_or("inf".to_string(), num);
    let rows: Vec<Vec<String>> = a
        .wedges
        .iter()
        .map(|w| {
            vec![
                w.flux.clone(),
                num(w.cross_coefficient),
                if w.exists {
                    format!("{} < F_N/F_E < {}", bound(w.ratio_from), bound(w.ratio_to))
                } else {
                    "none (cross coefficient >= 0)".into()
                },
                if w.exists {
                    format!(
                        "{:.2}..{:.2} deg",
                        w.angle_from_deg.unwrap_or(0.0),
                        w.angle_to_deg.unwrap_or(90.0)
                    )
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    out += &table(&["ICC in", "cross coefficient", "wedge", "angle"], &rows);
    for s in &a.scans {
        let _ = writeln!(
            out,
            "\nnonlinear scan: radius {} in (F_E/beta_ref, F_N), {} directions; genuine ICC in \
             {} directions (linear response: {}); min entropy production {}",
            s.radius,
            s.directions,
            s.genuine_icc_directions,
            s.linear_genuine_icc_directions,
            num(s.min_entropy_production)
        );
        let rows: Vec<Vec<String>> = s
            .runs
            .iter()
            .map(|run| {
                vec![
                    format!("{:.1}..{:.1}", run.from_deg, run.to_deg),
                    run.regime.label().into(),
                    run.linear_prediction.label().into(),
                    run.inverse_flux.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out += &table(
            &["theta (deg)", "nonlinear", "linear", "inverse flux"],
            &rows,
        );
    }
    if let Some(c) = &r.criterion {
        let _ = writeln!(
            out,
            "\nlevel-ordering criterion (symbolic layer) for {}: negative iff {}",
            c.coefficient, c.negative_iff
        );
        for t in &c.terms {
            let _ = writeln!(
                out,
                "  {} = {} = {}, weight {}",
                t.transition.as_deref().unwrap_or("affinity"),
                t.affinity,
                num(t.affinity_value),
                num(t.weight_value)
            );
        }
        let _ = writeln!(
            out,
            "  necessary ({}): {}; sufficient ({}): {}; sum s_g P_g = {} ({} with the numeric L)",
            c.necessary,
            if c.necessary_holds { "holds" } else { "fails" },
            c.sufficient,
            if c.sufficient_holds { "holds" } else { "fails" },
            num(c.sum),
            if c.consistent_with_numeric {
                "consistent"
            } else {
                "INCONSISTENT"
            }
        );
    }
    let _ = writeln!(out, "\nverdict: {}", a.verdict);
    out
}
