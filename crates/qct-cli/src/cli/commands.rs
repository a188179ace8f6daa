//! One function per command of the CLI that needs more than a line: resolve the point,
//! build the report, render it in the requested format and units.

use super::args::{Format, Method, PointArgs};
use super::{apply_assignments_with_units, si_json_units, to_json};
use crate::report::units::Units;
use crate::report::{self, text};
use qct::model::{builtin, json};
use qct::{Error, Result};
use std::path::{Path, PathBuf};

/// `qct engine`: serve one symbolic request read from stdin (the child of [`qct::symbolic::isolate`]).
pub(super) fn engine() -> Result<String> {
    let mut input = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)
        .map_err(|e| Error::Symbolic(format!("cannot read the engine request: {e}")))?;
    qct::symbolic::isolate::serve(&input)
}

/// `qct models`: one built-in or all, as text or JSON.
pub(super) fn models(name: Option<String>, format: Format) -> Result<String> {
    let models = match name {
        Some(n) => vec![builtin::builtin(&n)?],
        None => builtin::NAMES
            .iter()
            .map(|n| builtin::builtin(n))
            .collect::<Result<Vec<_>>>()?,
    };
    Ok(match format {
        Format::Text => text::models(&models),
        Format::Json if models.len() == 1 => json::to_json(&models[0]),
        Format::Json => {
            let all: Vec<serde_json::Value> = models
                .iter()
                .map(|m| serde_json::from_str(&json::to_json(m)).expect("valid json"))
                .collect();
            to_json(&all)
        }
    })
}

/// `qct solve`: the steady state by the chosen method, in natural or SI units.
pub(super) fn solve(
    point: &PointArgs,
    exact: bool,
    method: Option<Method>,
    units: Units,
) -> Result<String> {
    let (model, values, basis) = point.resolve()?;
    let si = units == Units::Si;
    if si {
        let (_, physical) = apply_assignments_with_units(&model, &point.at.set)?;
        crate::report::units::require_physical(physical)?;
    }
    let method = method.map_or(qct::method::Method::Pauli, Into::into);
    let p = model.parameters_at(&values)?;
    let steady = if exact {
        model.solve_exact(&p, &basis)?
    } else {
        model.solve_with(&p, &basis, method)?
    };
    let r = report::build_solve_report(&model, &values, &basis, steady)?;
    Ok(match (point.format, si) {
        (Format::Text, false) => text::solve(&r),
        (Format::Json, false) => to_json(&r),
        (Format::Text, true) => crate::report::units::solve_text(&model, &r),
        (Format::Json, true) => to_json(&crate::report::units::solve_json(&model, &r)?),
    })
}

/// `qct onsager --method lindblad|redfield`: the Onsager matrix from finite differences of that solver.
pub(super) fn onsager_by_method(point: &PointArgs, units: Units, method: Method) -> Result<String> {
    let (model, values, basis) = point.resolve()?;
    if units == Units::Si {
        return Err(Error::BadAssignment(
            "--units si applies to the Pauli Onsager matrix only (drop --method)".into(),
        ));
    }
    let r = crate::report::tunnelling::onsager_report(&model, &values, &basis, method.into())?;
    Ok(match point.format {
        Format::Text => crate::report::tunnelling::onsager_text(&r),
        Format::Json => to_json(&r),
    })
}

/// `qct onsager`: exact linear response of the Pauli equation, in natural or SI units.
pub(super) fn onsager(point: &PointArgs, units: Units) -> Result<String> {
    let (model, values, basis) = point.resolve()?;
    let si = si_json_units(&model, point, units)?;
    let r = report::onsager_report(&model, &values, &basis)?;
    Ok(match (point.format, si) {
        (Format::Text, false) => text::onsager(&r),
        (Format::Text, true) => crate::report::si_text::onsager_text(&model, &r)?,
        (Format::Json, false) => to_json(&r),
        (Format::Json, true) => to_json(&crate::report::units::onsager_json(&model, &r)?),
    })
}

/// `qct merge`: the shards of a sweep, read from `files`, as one output.
pub(super) fn merge(files: &[PathBuf]) -> Result<String> {
    let parts = files
        .iter()
        .map(|f| {
            std::fs::read_to_string(f)
                .map_err(|e| Error::Merge(format!("cannot read {}: {e}", f.display())))
        })
        .collect::<Result<Vec<_>>>()?;
    qct::sweep::merge(&parts)
}

/// `qct icc`: the inverse-current analysis of one point.
pub(super) fn icc(
    point: &PointArgs,
    radius: &[f64],
    directions: u32,
    no_symbolic: bool,
    units: Units,
) -> Result<String> {
    let (model, values, basis) = point.resolve()?;
    let si = si_json_units(&model, point, units)?;
    let r = report::physics::icc_report(
        &model,
        &values,
        &basis,
        radius,
        directions as usize,
        !no_symbolic,
    )?;
    Ok(match (point.format, si) {
        (Format::Text, false) => report::physics::icc_text(&r),
        (Format::Text, true) => crate::report::si_text::icc_text(&model, &r)?,
        (Format::Json, false) => to_json(&r),
        (Format::Json, true) => to_json(&crate::report::units::icc_json(&model, &r)?),
    })
}

/// `qct bench`: the measured speed of the numeric (and symbolic) paths.
pub(super) fn bench(no_symbolic: bool, format: Format) -> Result<String> {
    let r = crate::bench::run(!no_symbolic)?;
    Ok(match format {
        Format::Text => crate::bench::text(&r),
        Format::Json => to_json(&r),
    })
}

/// `qct derivations`: regenerate the folder under `out`; the list of files written.
pub(super) fn derivations(out: &Path) -> Result<String> {
    let written = crate::derivations::regenerate(out)?;
    let list: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    Ok(format!("{}\n", list.join("\n")))
}
