//! `qct performance --tradeoff --units si`: the engine's η(P) and the refrigerator's
//! COP(Q_c) over the load in SI — biases Δμ in J (text: eV), the power P, the cooling power
//! Q_c and the power consumed W in W; η, COP, their Carnot ratios and ZT are dimensionless
//! and unchanged. Factors from [`qct::si`]; the text is rendered from the SI JSON.

use super::json_number;
use super::tradeoff::TradeoffReport;
use super::units::{Si, engineering, load_optimum_to_si, parameters_line, parameters_to_si};
use qct::Result;
use qct::model::Model;
use qct::units::ELEMENTARY_CHARGE;
use serde_json::{Map, Value, json};
use std::fmt::Write;

/// Multiply every number of the array `object[key]` (or the number itself) by `factor`.
fn scale_all(object: &mut Map<String, Value>, key: &str, factor: f64) {
    let scale = |v: &mut Value| {
        if let Some(x) = v.as_f64() {
            *v = json!(x * factor);
        }
    };
    match object.get_mut(key) {
        Some(Value::Array(items)) => items.iter_mut().for_each(scale),
        Some(v) => scale(v),
        None => {}
    }
}

/// The trade-off JSON in SI units, with a `"units"` object.
pub fn tradeoff_json(model: &Model, report: &TradeoffReport) -> Result<Value> {
    let mut value = super::json_value(report)?;
    let object = value.as_object_mut().expect("a report is an object");
    parameters_to_si(object, "parameters", model);
    if let Some(Value::Object(optimum)) = object.get_mut("load_optimum") {
        load_optimum_to_si(optimum);
    }
    if let Some(Value::Object(tradeoff)) = object.get_mut("tradeoff") {
        if let Some(Value::Object(engine)) = tradeoff.get_mut("engine") {
            scale_all(engine, "bias", Si::ENERGY);
            scale_all(engine, "P", Si::ENERGY_CURRENT);
        }
        if let Some(Value::Object(fridge)) = tradeoff.get_mut("refrigerator") {
            for key in ["bias", "bias_at_cop_max"] {
                scale_all(fridge, key, Si::ENERGY);
            }
            for key in ["Q_c", "W", "Q_c_at_cop_max", "Q_c_max"] {
                scale_all(fridge, key, Si::ENERGY_CURRENT);
            }
        }
    }
    object.insert(
        "units".into(),
        json!({
            "energy": "J", "mu": "J", "T": "K", "rate": "1/s", "bias": "J",
            "P": "W", "P_max": "W", "Q_c": "W", "W": "W", "eta": "1", "cop": "1", "ZT": "1"
        }),
    );
    Ok(value)
}

fn ratio(v: &Value) -> String {
    v.as_f64().map_or("-".to_string(), |x| format!("{x:.6}"))
}

/// Text of the trade-off in SI: both curves with engineering prefixes (biases in eV).
pub fn tradeoff_text(model: &Model, report: &TradeoffReport) -> Result<String> {
    let json = tradeoff_json(model, report)?;
    let ev = |x: &Value| engineering(json_number(x) / ELEMENTARY_CHARGE, "eV");
    let watt = |x: &Value| engineering(json_number(x), "W");
    let t = &json["tradeoff"];
    let mut out = format!(
        "model {} (SI units)\nparameters: {}\nload: bias of lead {}; ZT = {}\n\nengine, eta(P):\n",
        report.model,
        parameters_line(model, &report.parameters),
        report.tradeoff.load_lead,
        match &t["ZT"] {
            Value::Null => "-".to_string(),
            v => v
                .as_f64()
                .map_or_else(|| "inf".into(), |x| format!("{x:.6}")),
        }
    );
    let e = &t["engine"];
    let rows: Vec<Vec<String>> = (0..report.tradeoff.engine.bias.len())
        .map(|k| {
            vec![
                ev(&e["bias"][k]),
                watt(&e["P"][k]),
                ratio(&e["eta_over_carnot"][k]),
                ratio(&e["linear_eta_over_carnot"][k]),
            ]
        })
        .collect();
    out += &super::text::table(&["bias", "P", "eta/eta_C", "linear eta/eta_C"], &rows);
    let o = &json["load_optimum"];
    let _ = writeln!(
        out,
        "max power {} at bias {} (eta/eta_C {}); max eta/eta_C {} at bias {}",
        watt(&o["P_max"]),
        ev(&o["bias_at_max_power"]),
        ratio(&o["eta_at_max_power_over_carnot"]),
        ratio(&o["eta_max_over_carnot"]),
        ev(&o["bias_at_eta_max"])
    );
    let f = &t["refrigerator"];
    if f.is_null() {
        out += "\nrefrigerator: no bias beyond stall cools the cold leads\n";
        return Ok(out);
    }
    out += "\nrefrigerator, COP(Q_c):\n";
    let rows: Vec<Vec<String>> = (0..f["bias"].as_array().map_or(0, Vec::len))
        .map(|k| {
            vec![
                ev(&f["bias"][k]),
                watt(&f["Q_c"][k]),
                watt(&f["W"][k]),
                ratio(&f["cop_over_carnot"][k]),
            ]
        })
        .collect();
    out += &super::text::table(&["bias", "Q_c", "W", "COP/COP_C"], &rows);
    let _ = writeln!(
        out,
        "max COP {} (COP/COP_C {}, linear-response bound {}) at bias {}, Q_c {}; max Q_c {} at \
         COP {}",
        ratio(&f["cop_max"]),
        ratio(&f["cop_max_over_carnot"]),
        ratio(&f["linear_cop_max_over_carnot"]),
        ev(&f["bias_at_cop_max"]),
        watt(&f["Q_c_at_cop_max"]),
        watt(&f["Q_c_max"]),
        ratio(&f["cop_at_Q_c_max"])
    );
    Ok(out)
}
