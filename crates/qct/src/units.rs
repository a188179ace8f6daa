//! Physical units on input values (`--set eps=0.1meV`, `T_l=200mK`, `gamma_l=1e9/s`).
//!
//! qct computes in natural units, k_B = ħ = 1, with one energy unit. A value with a unit is
//! converted to the natural units whose energy unit is **1 meV**: energies in meV,
//! temperatures as k_B T in meV, rates Γ as ħΓ in meV (so the time unit is ħ/meV ≈
//! 0.658 ps). Plain numbers keep today's meaning (one arbitrary energy unit); a point that
//! mixes plain non-zero dimensional numbers with united ones is refused, since the plain
//! ones would silently be read as meV. `--units si` converts results back to SI
//! (in the command line, `qct_cli::report::units`).
//!
//! Constants: CODATA 2018 exact SI values of e, k_B and h; ħ = h/2π.

use crate::error::{Error, Result};
use crate::model::{Parameter, Role};

/// Elementary charge e (C), exact.
pub const ELEMENTARY_CHARGE: f64 = 1.602_176_634e-19;
/// Boltzmann constant k_B (J/K), exact.
pub const BOLTZMANN: f64 = 1.380_649e-23;
/// Planck constant h (J s), exact.
pub const PLANCK: f64 = 6.626_070_15e-34;
/// Reduced Planck constant ħ = h/2π (J s).
pub const HBAR: f64 = PLANCK / (2.0 * std::f64::consts::PI);
/// The natural energy unit of united inputs: 1 meV in J.
pub const MEV: f64 = 1e-3 * ELEMENTARY_CHARGE;

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Energy,
    Temperature,
    Rate,
}

impl Dimension {
    fn name(self) -> &'static str {
        match self {
            Dimension::Energy => "an energy",
            Dimension::Temperature => "a temperature",
            Dimension::Rate => "a rate",
        }
    }
}

/// Every accepted unit: suffix, dimension, and the value of 1 unit in natural units (meV).
const UNITS: [(&str, Dimension, f64); 20] = [
    ("eV", Dimension::Energy, 1e3),
    ("meV", Dimension::Energy, 1.0),
    ("ueV", Dimension::Energy, 1e-3),
    ("µeV", Dimension::Energy, 1e-3),
    ("μeV", Dimension::Energy, 1e-3),
    ("neV", Dimension::Energy, 1e-6),
    ("K", Dimension::Temperature, BOLTZMANN / MEV),
    ("mK", Dimension::Temperature, 1e-3 * BOLTZMANN / MEV),
    ("uK", Dimension::Temperature, 1e-6 * BOLTZMANN / MEV),
    ("µK", Dimension::Temperature, 1e-6 * BOLTZMANN / MEV),
    ("μK", Dimension::Temperature, 1e-6 * BOLTZMANN / MEV),
    ("/s", Dimension::Rate, HBAR / MEV),
    ("1/s", Dimension::Rate, HBAR / MEV),
    ("/ms", Dimension::Rate, 1e3 * HBAR / MEV),
    ("/us", Dimension::Rate, 1e6 * HBAR / MEV),
    ("/µs", Dimension::Rate, 1e6 * HBAR / MEV),
    ("/μs", Dimension::Rate, 1e6 * HBAR / MEV),
    ("/ns", Dimension::Rate, 1e9 * HBAR / MEV),
    ("/ps", Dimension::Rate, 1e12 * HBAR / MEV),
    ("1/ns", Dimension::Rate, 1e9 * HBAR / MEV),
];

/// A parsed value: a plain number (natural units as given) or a united one converted to
/// natural units with the meV energy unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Plain(f64),
    United {
        /// The value in natural units (meV, k_B T in meV, ħΓ in meV).
        natural: f64,
        dimension: Dimension,
    },
}

impl Value {
    pub fn natural(self) -> f64 {
        match self {
            Value::Plain(x) | Value::United { natural: x, .. } => x,
        }
    }
}

/// The list of accepted unit suffixes, for error messages.
pub(crate) fn known_units() -> String {
    UNITS.iter().map(|u| u.0).collect::<Vec<_>>().join(", ")
}

/// Parse `text` (a number, optionally followed by a unit: `0.1meV`, `200 mK`, `1e9/s`).
/// `what` names the value in errors.
pub fn parse(text: &str, what: &str) -> Result<Value> {
    let text = text.trim();
    // The longest prefix that is a number; the rest is the unit.
    let split = (1..=text.len())
        .rev()
        .filter(|&i| text.is_char_boundary(i))
        .find(|&i| text[..i].parse::<f64>().is_ok());
    let Some(split) = split else {
        return Err(Error::BadAssignment(format!(
            "{what}: '{text}' is not a number (optionally with a unit: {})",
            known_units()
        )));
    };
    let number: f64 = text[..split].parse().expect("checked");
    let unit = text[split..].trim();
    if unit.is_empty() {
        return Ok(Value::Plain(number));
    }
    let (_, dimension, factor) = UNITS.iter().find(|u| u.0 == unit).ok_or_else(|| {
        Error::BadAssignment(format!(
            "{what}: unknown unit '{unit}' in '{text}' (known units: {})",
            known_units()
        ))
    })?;
    Ok(Value::United {
        natural: number * factor,
        dimension: *dimension,
    })
}

/// Whether a unit of `dimension` may give a parameter of role `role`: energies and chemical
/// potentials take energies, temperatures take temperatures, rates take rates or energies
/// (ħΓ).
pub(crate) fn fits(role: Role, dimension: Dimension) -> bool {
    matches!(
        (role, dimension),
        (Role::Energy | Role::ChemicalPotential, Dimension::Energy)
            | (Role::Temperature, Dimension::Temperature)
            | (Role::Rate, Dimension::Rate | Dimension::Energy)
    )
}

/// Refuse a point that mixes united values with plain non-zero ones: `united[k]` says
/// whether parameter k (named `names[k]`, of role `roles[k]`) was given with a unit. Zero
/// is the same in every unit, so plain zeros (e.g. a default μ_r = 0) are allowed, and so
/// is every value of a dimensionless parameter (a polarisation p_l is the same number in
/// every system of units; it cannot carry a unit, [`check_fits`]). `Ok(true)` when the
/// point is in physical units (natural units with the meV energy unit).
pub fn check_mixing(
    names: &[&str],
    roles: &[Role],
    values: &[f64],
    united: &[bool],
) -> Result<bool> {
    if !united.iter().any(|&u| u) {
        return Ok(false);
    }
    let plain: Vec<&str> = names
        .iter()
        .zip(roles)
        .zip(values)
        .zip(united)
        .filter(|(((_, role), v), u)| !**u && **v != 0.0 && **role != Role::Dimensionless)
        .map(|(((n, _), _), _)| *n)
        .collect();
    if plain.is_empty() {
        return Ok(true);
    }
    Err(Error::BadAssignment(format!(
        "values with units mixed with plain numbers: {} {} no unit (given or default) and \
         would be read as meV; give every non-zero parameter a unit (e.g. T_r=100mK, \
         gamma_r=1ueV) or use no units at all",
        plain.join(", "),
        if plain.len() == 1 { "has" } else { "have" }
    )))
}

/// [`parse`] for parameter `name` of role `role`, checking the unit's dimension.
pub(crate) fn parse_parameter(text: &str, name: &str, role: Role) -> Result<Value> {
    let value = parse(text, &format!("parameter {name}"))?;
    check_fits(
        value,
        role,
        &format!("parameter {name}: '{}'", text.trim()),
        name,
    )?;
    Ok(value)
}

/// Refuse a united `value` whose dimension does not fit parameter `name` of role `role`;
/// `what` opens the message (e.g. `--set eps: '200mK'`).
pub(crate) fn check_fits(value: Value, role: Role, what: &str, name: &str) -> Result<()> {
    if let Value::United { dimension, .. } = value
        && !fits(role, dimension)
    {
        let wanted = match role {
            Role::Energy | Role::ChemicalPotential => "an energy (eV, meV, ueV)",
            Role::Temperature => "a temperature (K, mK, uK)",
            Role::Rate => "a rate (/s, /ns, ...) or an energy hbar Gamma (ueV, ...)",
            Role::Dimensionless => "a plain number (no unit)",
        };
        return Err(Error::BadAssignment(format!(
            "{what} is {}, but {name} takes {wanted}",
            dimension.name(),
        )));
    }
    Ok(())
}

/// A value read from a model file: a JSON number (plain) or a string, a number with an
/// optional unit (`"20mK"`, `"1 ueV"`), parsed like `--set`. `what` names it in errors.
pub(crate) fn parse_json(value: &serde_json::Value, what: &str) -> Result<Value> {
    match value {
        serde_json::Value::Number(n) => Ok(Value::Plain(n.as_f64().unwrap_or(f64::NAN))),
        serde_json::Value::String(text) => parse(text, what),
        other => Err(Error::BadAssignment(format!(
            "{what}: expected a number or a string with a unit (e.g. \"20mK\"), got {other}"
        ))),
    }
}

/// Check a model file's defaults (`defaults[k]` as read, for `parameters[k]` with its role
/// known): every united default fits its parameter, and united defaults are not mixed with
/// plain non-zero ones.
pub(crate) fn check_model_defaults(parameters: &[Parameter], defaults: &[Value]) -> Result<()> {
    for (p, &value) in parameters.iter().zip(defaults) {
        check_fits(
            value,
            p.role,
            &format!("the default of {}", p.name),
            &p.name,
        )?;
    }
    let names: Vec<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
    let roles: Vec<Role> = parameters.iter().map(|p| p.role).collect();
    let values: Vec<f64> = defaults.iter().map(|v| v.natural()).collect();
    let united: Vec<bool> = defaults
        .iter()
        .map(|v| matches!(v, Value::United { .. }))
        .collect();
    check_mixing(&names, &roles, &values, &united).map(|_| ())
}

/// The same value written back with a unit that [`parse`] reads for a parameter of role
/// `role`: energies and rates (ħΓ) in meV, temperatures in K.
pub fn with_unit(natural: f64, role: Role) -> String {
    match role {
        Role::Temperature => format!("{}K", natural / (BOLTZMANN / MEV)),
        _ => format!("{natural}meV"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn natural(text: &str) -> f64 {
        parse(text, "x").unwrap().natural()
    }

    #[test]
    fn every_unit_converts_to_natural_mev_units() {
        assert_eq!(natural("0.1meV"), 0.1);
        assert_eq!(natural("2eV"), 2e3);
        for micro in ["1ueV", "1µeV", "1μeV", "1 ueV"] {
            assert!((natural(micro) - 1e-3).abs() < 1e-18, "{micro}");
        }
        assert!((natural("1000neV") - 1e-3).abs() < 1e-18);
        // k_B · 1 K = 8.617333262e-5 eV (CODATA 2018, exact ratio of exact constants).
        assert!((natural("1K") / 8.617_333_262e-2 - 1.0).abs() < 1e-10);
        assert!((natural("200mK") / (0.2 * 8.617_333_262e-2) - 1.0).abs() < 1e-10);
        assert!((natural("5uK") / natural("5µK") - 1.0).abs() < 1e-15);
        assert!((natural("5μK") / natural("0.005mK") - 1.0).abs() < 1e-15);
        // ħ = 6.582119569e-13 meV s.
        assert!((natural("1e12/s") / 0.658_211_956_9 - 1.0).abs() < 1e-9);
        for (a, b) in [
            ("1e9/s", "1/ns"),
            ("1e9 1/s", "1/ns"),
            ("1e6/s", "1/us"),
            ("1e6/s", "1/µs"),
            ("1e6/s", "1/μs"),
            ("1e3/s", "1/ms"),
            ("1e12/s", "1/ps"),
            ("1e9/s", "1 /ns"),
        ] {
            assert!((natural(a) / natural(b) - 1.0).abs() < 1e-15, "{a} vs {b}");
        }
        assert_eq!(parse("-0.5", "x").unwrap(), Value::Plain(-0.5));
        assert_eq!(parse("1e-3", "x").unwrap(), Value::Plain(1e-3));
    }

    /// Every suffix of the table, with and without a space (a suffix that starts with a
    /// digit, `1/s`, only after one: `2.51/s` is 2.51 /s), and after a negative number in
    /// exponent notation: the number times the unit's value, of the unit's dimension.
    #[test]
    fn every_suffix_is_parsed() {
        for (suffix, dimension, factor) in UNITS {
            let mut texts = vec![format!("2.5 {suffix}"), format!("-4e-3 {suffix}")];
            if !suffix.starts_with('1') {
                texts.push(format!("2.5{suffix}"));
            }
            for text in texts {
                let number: f64 = text.trim_end_matches(suffix).trim().parse().unwrap();
                match parse(&text, "x").unwrap() {
                    Value::United {
                        natural,
                        dimension: d,
                    } => {
                        assert_eq!(d, dimension, "{text}");
                        assert_eq!(natural, number * factor, "{text}");
                    }
                    plain => panic!("{text}: {plain:?}"),
                }
            }
        }
    }

    #[test]
    fn malformed_units_are_refused_by_name() {
        for (text, unit) in [
            ("0.1mev", "mev"),
            ("1 MeV", "MeV"),
            ("3 kelvin", "kelvin"),
            ("5/h", "/h"),
            ("2 Hz", "Hz"),
            ("1e9 s", "s"),
            ("0.1 meV meV", "meV meV"),
        ] {
            let msg = parse(text, "--set x").unwrap_err().to_string();
            assert!(
                msg.contains(&format!("unknown unit '{unit}'")),
                "{text}: {msg}"
            );
            assert!(!msg.contains('\n'));
        }
        let msg = parse("meV", "--set x").unwrap_err().to_string();
        assert!(msg.contains("not a number"), "{msg}");
    }

    #[test]
    fn units_must_fit_the_parameter() {
        assert!(parse_parameter("1ueV", "gamma_l", Role::Rate).is_ok());
        assert!(parse_parameter("1e9/s", "gamma_l", Role::Rate).is_ok());
        assert!(parse_parameter("0.1meV", "mu_l", Role::ChemicalPotential).is_ok());
        let msg = parse_parameter("200mK", "eps", Role::Energy)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("is a temperature, but eps takes an energy"),
            "{msg}"
        );
        assert!(parse_parameter("1meV", "T_l", Role::Temperature).is_err());
        assert!(parse_parameter("1/ns", "eps", Role::Energy).is_err());
    }
}
