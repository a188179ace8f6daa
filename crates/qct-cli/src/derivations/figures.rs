//! The figures of `derivations/<model>/`: each is a `qct sweep … --plot` (the command is
//! listed beside it), except the L_NE sign maps, which classify every grid point by the
//! sign of L_NE and by whether a bare level lies below the reference, with the analytic
//! level-crossing lines drawn over them.

use crate::plot::{self, Curve, GridAxis};
use crate::report::figures::{axis_label, level_crossings, sweep_plot};
use crate::report::units::Units;
use qct::OperatingPoint;
use qct::Result;
use qct::analysis::ForcePair;
use qct::model::Model;
use qct::quantity::sweep_table;
use qct::sweep::{Axis, Grid};
use qct::thermo::{ForceBasis, Representation};
use std::path::Path;

/// A figure written into a model's folder, with how to reproduce it (Markdown).
pub struct Figure {
    pub file: String,
    pub caption: String,
    pub reproduce: String,
}

/// Parameter values of `model` with `set` applied to its defaults.
pub fn values_with(model: &Model, set: &[(&str, f64)]) -> Vec<f64> {
    let mut v = model.defaults();
    for (name, value) in set {
        v[model.param(name).expect("parameter of the built-in").0] = *value;
    }
    model.complete(&v)
}

fn axis(spec: &str) -> Axis {
    spec.parse().expect("valid axis")
}

/// `qct sweep` of `model` at `set` over `axes`, drawn into `dir/file`.
#[allow(clippy::too_many_arguments)]
pub fn sweep_figure(
    dir: &Path,
    file: &str,
    caption: &str,
    model: &Model,
    model_argument: &str,
    set: &[(&str, f64)],
    axes: &[&str],
    quantities: &[&str],
) -> Result<Figure> {
    let basis = ForceBasis::new(model, Representation::Energy, model.default_references())?;
    let values = values_with(model, set);
    let grid = Grid::new(axes.iter().map(|a| axis(a)).collect())?;
    let names: Vec<String> = quantities.iter().map(|q| q.to_string()).collect();
    let table = sweep_table(
        model,
        &values,
        &basis,
        &grid,
        &names,
        None,
        None,
        qct::sweep::OnError::Stop,
    )?;
    sweep_plot(
        &dir.join(file),
        model,
        &basis,
        &values,
        &grid,
        &table,
        false,
        &plot::Style::default(),
        Units::Natural,
    )?;
    let mut command = format!("qct sweep {model_argument}");
    for (name, value) in set {
        command += &format!(" --set {name}={value}");
    }
    for a in axes {
        command += &format!(" --vary {a}");
    }
    command += &format!(" --quantity {} --plot {file}", quantities.join(","));
    Ok(Figure {
        file: file.to_string(),
        caption: caption.to_string(),
        reproduce: format!("`{command}`"),
    })
}

/// Categories of an L_NE sign map.
pub const SIGN_CATEGORIES: [&str; 3] = ["L_NE ≥ 0", "L_NE < 0, genuine", "L_NE < 0, trivial"];

/// Classify every point of the 2-D `grid` of parameters by the sign of L_NE (at the
/// equilibrium, energy representation) and by the bare levels ([`OperatingPoint::bare_levels`]).
pub fn sign_classes(model: &Model, set: &[(&str, f64)], grid: &Grid) -> Result<Vec<usize>> {
    let basis = ForceBasis::new(model, Representation::Energy, model.default_references())?;
    let pair = ForcePair::of(&basis).expect("two-force model");
    let base = values_with(model, set);
    let ids: Vec<usize> = grid
        .axes
        .iter()
        .map(|a| model.param(&a.name).expect("parameter axis").0)
        .collect();
    (0..grid.len())
        .map(|k| {
            let mut v = base.clone();
            for (&id, x) in ids.iter().zip(grid.point(k)) {
                v[id] = x;
            }
            let v = model.complete(&v);
            let point = OperatingPoint::new(model, &v, &basis)?;
            let l_ne = point.l[(pair.particle, pair.energy)];
            Ok(if l_ne >= 0.0 {
                0
            } else if point.bare_levels(&basis).iter().all(|(_, w)| *w > 0.0) {
                1
            } else {
                2
            })
        })
        .collect()
}

/// An L_NE sign map: the parameter grid, the fixed values, and what to draw over it.
pub struct SignMap<'a> {
    pub file: &'a str,
    pub title: &'a str,
    pub caption: &'a str,
    /// The `qct sweep` that gives the numbers behind the map.
    pub command: &'a str,
    pub set: &'a [(&'a str, f64)],
    pub grid: Grid,
    /// Level-crossing lines to draw, by name (e.g. "ω(C→D) = 0").
    pub lines: &'a [&'a str],
    pub extra: Vec<Curve>,
}

/// Draw an L_NE sign map of `model` into `dir` (categories [`SIGN_CATEGORIES`]).
pub fn sign_map(dir: &Path, model: &Model, map: SignMap) -> Result<Figure> {
    let basis = ForceBasis::new(model, Representation::Energy, model.default_references())?;
    let classes = sign_classes(model, map.set, &map.grid)?;
    let mut overlays: Vec<Curve> =
        level_crossings(model, &basis, &values_with(model, map.set), &map.grid)
            .into_iter()
            .filter(|c| map.lines.iter().any(|l| c.name == *l))
            .collect();
    overlays.extend(map.extra);
    let grid_axis = |k: usize| GridAxis {
        label: axis_label(model, &basis, &map.grid.axes[k].name),
        values: map.grid.axes[k].values(),
    };
    plot::category_map(
        &dir.join(map.file),
        map.title,
        &grid_axis(0),
        &grid_axis(1),
        &classes,
        &SIGN_CATEGORIES,
        &overlays,
        &plot::Style::default(),
    )?;
    Ok(Figure {
        file: map.file.to_string(),
        caption: map.caption.to_string(),
        reproduce: format!(
            "`{}` draws it; the L_NE values behind it: `{}`",
            super::COMMAND,
            map.command
        ),
    })
}

/// A straight line through the 2-D `grid`'s box from its value at the two x ends.
pub fn line(name: &str, grid: &Grid, y_of_x: impl Fn(f64) -> f64) -> Curve {
    let x = grid.axes[0].values();
    let (x0, x1) = (x[0], x[x.len() - 1]);
    Curve {
        name: name.to_string(),
        points: vec![(x0, y_of_x(x0)), (x1, y_of_x(x1))],
    }
}

/// A vertical line x = `x` across the grid's box.
pub fn vertical(name: &str, grid: &Grid, x: f64) -> Curve {
    let y = grid.axes[1].values();
    Curve {
        name: name.to_string(),
        points: vec![(x, y[0]), (x, y[y.len() - 1])],
    }
}

/// Grid from axis specs.
pub fn grid(axes: &[&str]) -> Grid {
    Grid::new(axes.iter().map(|a| axis(a)).collect()).expect("valid grid")
}
