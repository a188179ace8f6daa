//! Figures of sweeps ([`crate::plot`]): line plots (1-D), regime maps and heat maps (2-D),
//! with overlays computed from the model: the linear-response ICC wedges on force planes and
//! the level-crossing lines ω_t = 0 on planes of energy parameters.

use crate::plot::{self, Curve, GridAxis, Series};
use qct::error::Result;
use qct::model::{Model, Role};
use qct::regime::{ForcePair, Regime};
use qct::sweep::{Cell, Grid, Table};
use qct::thermo::{FluxKind, ForceBasis, Representation};
use std::path::Path;

/// Axis label with its unit: a parameter's role unit, or a force's (F_E: 1/energy; F_N:
/// dimensionless).
pub fn axis_label(model: &Model, basis: &ForceBasis, name: &str) -> String {
    if let Some(p) = model.param(name) {
        let role: Role = model.parameters[p.0].role;
        return format!("{name} ({})", role.unit());
    }
    match basis.forces.iter().find(|f| basis.force_name(f) == name) {
        Some(f) if f.kind == FluxKind::Energy => format!("{name} (1/energy)"),
        Some(_) => format!("{name} (dimensionless)"),
        None => name.to_string(),
    }
}

/// Unit of a quantity column, for axis and colour-bar labels.
pub fn quantity_label(name: &str) -> String {
    let unit = if name.starts_with("J_N") {
        "particles/time"
    } else if name.starts_with("J_E") || name.starts_with("J_Q") || name == "P" {
        "energy/time"
    } else if name == "sigma" {
        "k_B/time"
    } else {
        ""
    };
    if unit.is_empty() {
        name.to_string()
    } else {
        format!("{name} ({unit})")
    }
}

/// The numbers of column `c` (non-numbers as NaN: drawn as gaps or "undefined").
fn column(table: &Table, c: usize) -> Vec<f64> {
    table
        .rows
        .iter()
        .map(|row| match &row[c] {
            Cell::Number(x) => *x,
            _ => f64::NAN,
        })
        .collect()
}

/// Draw a sweep (`qct sweep --plot`): 1-D → lines of every numeric quantity (a regime
/// strip when the only quantities are labels); 2-D → a regime map when the first quantity
/// is a regime label, else a heat map of the first quantity. `base` is the operating
/// point's parameter values (for overlays).
pub fn sweep_plot(
    path: &Path,
    model: &Model,
    basis: &ForceBasis,
    base: &[f64],
    grid: &Grid,
    table: &Table,
    level_lines: bool,
) -> Result<()> {
    plot::format_of(path)?;
    if table.shard.is_some() {
        return Err(qct::Error::Sweep(
            "--plot needs the whole grid: plot the merged sweep, not a shard".into(),
        ));
    }
    let n_axes = grid.axes.len();
    if n_axes > 2 {
        return Err(qct::Error::Sweep(format!(
            "--plot draws 1-D and 2-D sweeps; this grid has {n_axes} axes"
        )));
    }
    // The error column of `--on-error record` is not a quantity.
    let quantities: Vec<usize> = (n_axes..table.columns.len())
        .filter(|&c| table.columns[c] != qct::sweep::ERROR_COLUMN)
        .collect();
    let is_label = |c: usize| table.rows.iter().any(|r| matches!(r[c], Cell::Label(_)));
    let axis = |k: usize| GridAxis {
        label: axis_label(model, basis, &grid.axes[k].name),
        values: grid.axes[k].values(),
    };
    // The title names what is drawn, nothing else.
    let title_of = |drawn: &[usize]| {
        let names: Vec<&str> = drawn.iter().map(|&c| table.columns[c].as_str()).collect();
        format!("{}: {}", model.name, names.join(", "))
    };
    let first = quantities[0];
    if n_axes == 1 {
        let numeric: Vec<usize> = quantities
            .iter()
            .copied()
            .filter(|&c| !is_label(c))
            .collect();
        if numeric.is_empty() {
            let title = title_of(&[first]);
            let labels = regime_indices(table, first);
            let strip = GridAxis {
                label: String::new(),
                values: vec![0.0],
            };
            return plot::category_map(
                path,
                &title,
                &axis(0),
                &strip,
                &labels,
                &regime_names(),
                &[],
            );
        }
        let title = title_of(&numeric);
        let x = grid.axes[0].values();
        let series: Vec<Series> = numeric
            .iter()
            .map(|&c| Series {
                name: table.columns[c].clone(),
                points: x.iter().copied().zip(column(table, c)).collect(),
            })
            .collect();
        let y_label = if numeric.len() == 1 {
            quantity_label(&table.columns[numeric[0]])
        } else {
            "value".to_string()
        };
        return plot::line_plot(path, &title, &axis(0).label, &y_label, &series);
    }
    let (x, y) = (axis(0), axis(1));
    let mut overlays = wedge_overlays(model, basis, base, grid)?;
    if level_lines {
        overlays.extend(level_crossings(model, basis, base, grid));
    }
    let title = title_of(&[first]);
    if is_label(first) {
        let labels = regime_indices(table, first);
        plot::category_map(path, &title, &x, &y, &labels, &regime_names(), &overlays)
    } else {
        let z = column(table, first);
        plot::heat_map(
            path,
            &title,
            &x,
            &y,
            &z,
            &quantity_label(&table.columns[first]),
            &overlays,
        )
    }
}

/// The regime labels of [`Regime::ALL`], the fixed category list of every regime map.
pub fn regime_names() -> Vec<&'static str> {
    Regime::ALL.iter().map(|r| r.label()).collect()
}

fn regime_indices(table: &Table, c: usize) -> Vec<usize> {
    table
        .rows
        .iter()
        .map(|row| match &row[c] {
            Cell::Label(l) => Regime::ALL
                .iter()
                .position(|r| r.label() == l)
                .unwrap_or(Regime::MultiForce.index()),
            _ => Regime::MultiForce.index(),
        })
        .collect()
}

/// On the plane of the two forces (F_E, F_N) of a parallel pair: the boundaries of the
/// linear-response ICC wedges, F_N = −(L_NE/L_NN) F_E and F_N = −(L_EE/L_EN) F_E, where the
/// cross coefficient is negative (module doc of [`qct::icc`]).
fn wedge_overlays(
    model: &Model,
    basis: &ForceBasis,
    base: &[f64],
    grid: &Grid,
) -> Result<Vec<Curve>> {
    let Some(pair) = ForcePair::of(basis).filter(|p| p.parallel) else {
        return Ok(Vec::new());
    };
    let names = [
        basis.force_name(&basis.forces[pair.energy]),
        basis.force_name(&basis.forces[pair.particle]),
    ];
    if grid.axes[0].name != names[0] || grid.axes[1].name != names[1] {
        return Ok(Vec::new());
    }
    let point = qct::regime::OperatingPoint::new(model, base, basis)?;
    let l = &point.l;
    let (n, e) = (pair.particle, pair.energy);
    let mut slopes = Vec::new();
    if l[(n, e)] < 0.0 {
        slopes.push((-l[(n, e)] / l[(n, n)], "F_N/F_E = −L_NE/L_NN".to_string()));
    }
    if l[(e, n)] < 0.0 {
        slopes.push((-l[(e, e)] / l[(e, n)], "F_N/F_E = −L_EE/L_EN".to_string()));
    }
    let (x0, x1) = bounds(&grid.axes[0].values());
    Ok(slopes
        .into_iter()
        .map(|(slope, name)| Curve {
            name,
            points: vec![(x0, slope * x0), (x1, slope * x1)],
        })
        .collect())
}

fn bounds(values: &[f64]) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

/// Lines ω_t(x, y) = 0 (heat representation: ω_t − μ_ρc = 0) of every distinct transition
/// energy that depends on the two axis parameters; ω_t is linear in the energy parameters
/// (README, Conventions, "System"), so each is a straight line, drawn across the map.
pub fn level_crossings(model: &Model, basis: &ForceBasis, base: &[f64], grid: &Grid) -> Vec<Curve> {
    let (Some(px), Some(py)) = (
        model.param(&grid.axes[0].name),
        model.param(&grid.axes[1].name),
    ) else {
        return Vec::new();
    };
    let device = match qct::rates::Device::new(model, base) {
        Ok(d) => d,
        Err(_) => return Vec::new(),
    };
    let mut seen: Vec<[f64; 3]> = Vec::new();
    let mut curves = Vec::new();
    let (x0, x1) = bounds(&grid.axes[0].values());
    let (y0, y1) = bounds(&grid.axes[1].values());
    for t in &device.transitions {
        // ω(x, y) = a x + b y + c, from E_to − E_from evaluated at three points.
        let omega = |x: f64, y: f64| {
            let mut v = base.to_vec();
            v[px.0] = x;
            v[py.0] = y;
            let v = model.complete(&v);
            let mu = basis.energy_origin(t.lead, |l| v[model.leads[l].chemical_potential.0]);
            qct::spectrum::energy(model, &v, t.to) - qct::spectrum::energy(model, &v, t.from) - mu
        };
        let c = omega(0.0, 0.0);
        let a = omega(1.0, 0.0) - c;
        let b = omega(0.0, 1.0) - c;
        if a == 0.0 && b == 0.0 {
            continue;
        }
        let key = [a, b, c];
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let name = format!(
            "ω({}→{}) = 0{}",
            Model::state_label(t.from),
            Model::state_label(t.to),
            if basis.representation == Representation::Heat {
                " (ω − μ)"
            } else {
                ""
            }
        );
        let points = if b != 0.0 {
            vec![(x0, -(a * x0 + c) / b), (x1, -(a * x1 + c) / b)]
        } else {
            vec![(-c / a, y0), (-c / a, y1)]
        };
        curves.push(Curve { name, points });
    }
    curves
}
