//! `qct performance --tradeoff`: the engine's η(P) and the refrigerator's COP(Q_c) over the
//! load ([`qct::Model::tradeoff`]), as a report, a text table and a figure.

use super::parameter_map;
use super::text::{num, table};
use crate::plot::{self, Panel, Series, Style};
use qct::analysis::LoadOptimum;
use qct::model::Model;
use qct::thermo::ForceBasis;
use qct::{Error, Result, Tradeoff};
use serde::Serialize;
use serde_json::Map;
use std::fmt::Write;
use std::path::Path;

/// The trade-off report (JSON keys in README.md, "Efficiency–power trade-off").
#[derive(Debug, Serialize)]
pub struct TradeoffReport {
    pub model: String,
    pub parameters: Map<String, serde_json::Value>,
    /// `qct performance`'s optimum over the load: the curve passes through its points.
    pub load_optimum: LoadOptimum,
    pub tradeoff: Tradeoff,
}

/// The trade-off of the point `values` with `samples` biases per curve.
pub fn tradeoff_report(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    samples: usize,
) -> Result<TradeoffReport> {
    let Some((optimum, tradeoff)) =
        model.tradeoff(&model.parameters_at(values)?, basis, samples)?
    else {
        return Err(Error::BadAssignment(
            "--tradeoff needs an engine: the point has equal temperatures, no particle force, \
             or no current at zero bias (no heat-to-current conversion)"
                .into(),
        ));
    };
    let report = TradeoffReport {
        model: model.name.clone(),
        parameters: parameter_map(model, values),
        load_optimum: optimum,
        tradeoff,
    };
    // `null` marks an unresolved efficiency or COP: every number given must be finite
    // (ZT may be +∞, printed "inf").
    let t = &report.tradeoff;
    let e = &t.engine;
    let mut numbers: Vec<f64> = [&e.bias, &e.power].into_iter().flatten().copied().collect();
    numbers.extend(
        e.efficiency
            .iter()
            .chain(&e.efficiency_over_carnot)
            .flatten(),
    );
    numbers.extend(e.linear_response_efficiency_over_carnot.iter().flatten());
    if let Some(f) = &t.refrigerator {
        numbers.extend(
            [&f.bias, &f.cooling_power, &f.power_consumed]
                .into_iter()
                .flatten(),
        );
        numbers.extend(f.cop.iter().chain(&f.cop_over_carnot).flatten());
        numbers.extend([
            f.carnot_cop,
            f.max_cop,
            f.max_cop_over_carnot,
            f.bias_at_max_cop,
        ]);
        numbers.extend([f.cooling_power_at_max_cop, f.max_cooling_power]);
        numbers.extend(f.linear_response_max_cop_over_carnot);
    }
    if numbers.iter().any(|x| !x.is_finite()) {
        return Err(Error::NonFinite("the trade-off report".into()));
    }
    super::ensure_finite(&report.load_optimum, "the load optimum")?;
    Ok(report)
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), num)
}

/// Text rendering of [`TradeoffReport`]: both curves as tables.
pub fn tradeoff_text(r: &TradeoffReport) -> String {
    let t = &r.tradeoff;
    let mut out = format!(
        "model {}\nload: bias of lead {} (energy); ZT = {}\n\nengine, eta(P):\n",
        r.model,
        t.load_lead,
        opt(t.zt)
    );
    let e = &t.engine;
    let rows: Vec<Vec<String>> = (0..e.bias.len())
        .map(|k| {
            vec![
                num(e.bias[k]),
                num(e.power[k]),
                opt(e.efficiency_over_carnot[k]),
                opt(e
                    .linear_response_efficiency_over_carnot
                    .as_ref()
                    .map(|v| v[k])),
            ]
        })
        .collect();
    out += &table(&["bias", "P", "eta/eta_C", "linear eta/eta_C"], &rows);
    let o = &r.load_optimum;
    let _ = writeln!(
        out,
        "max power {} at bias {} (eta/eta_C {}); max eta/eta_C {} at bias {}",
        num(o.max_power),
        num(o.bias_at_max_power),
        num(o.efficiency_at_max_power_over_carnot),
        num(o.max_efficiency_over_carnot),
        num(o.bias_at_max_efficiency)
    );
    match &t.refrigerator {
        None => out += "\nrefrigerator: no bias beyond stall cools the cold leads\n",
        Some(f) => {
            out += "\nrefrigerator, COP(Q_c):\n";
            let rows: Vec<Vec<String>> = (0..f.bias.len())
                .map(|k| {
                    vec![
                        num(f.bias[k]),
                        num(f.cooling_power[k]),
                        num(f.power_consumed[k]),
                        opt(f.cop_over_carnot[k]),
                    ]
                })
                .collect();
            out += &table(&["bias", "Q_c", "W", "COP/COP_C"], &rows);
            let _ = writeln!(
                out,
                "max COP {} (COP/COP_C {}, linear-response bound {}) at bias {}, Q_c {}; \
                 max Q_c {} at COP {}",
                num(f.max_cop),
                num(f.max_cop_over_carnot),
                opt(f.linear_response_max_cop_over_carnot),
                num(f.bias_at_max_cop),
                num(f.cooling_power_at_max_cop),
                num(f.max_cooling_power),
                num(f.cop_at_max_cooling_power)
            );
        }
    }
    out
}

/// The figure of the trade-off: η/η_C against P (nonlinear loop and the linear-response
/// curve at the same ZT). `power_axis`: the factor from natural P to the drawn numbers and
/// the axis unit (`(1, "energy/time")`, or SI with a prefix, `(…, "fW")`).
pub fn tradeoff_plot(
    path: &Path,
    r: &TradeoffReport,
    style: &Style,
    power_axis: (f64, &str),
) -> Result<()> {
    let (factor, unit) = power_axis;
    let e = &r.tradeoff.engine;
    let nonlinear = Series {
        name: "η/η_C".into(),
        points: e
            .power
            .iter()
            .zip(&e.efficiency_over_carnot)
            .map(|(p, eta)| (p * factor, eta.unwrap_or(f64::NAN)))
            .collect(),
    };
    let mut series = vec![nonlinear];
    if let Some(linear) = &e.linear_response_efficiency_over_carnot {
        series.push(Series {
            name: "linear response (ZT)".into(),
            points: e
                .power
                .iter()
                .map(|p| p * factor)
                .zip(linear.iter().copied())
                .collect(),
        });
    }
    let title = format!("{}: η/η_C against P over the load", plot::literal(&r.model));
    let panels = [Panel {
        y_label: "η/η_C".into(),
        series,
    }];
    plot::line_plot(path, &title, &format!("P ({unit})"), &panels, style)
}
