//! Figures of sweeps ([`crate::plot`]): line plots (1-D), regime maps and heat maps (2-D),
//! with overlays computed from the model: the linear-response ICC wedges on force planes and
//! the level-crossing lines ω_t = 0 on planes of energy parameters.

use crate::plot::{self, Curve, GridAxis, Panel, Series, Style};
use crate::report::quantity_units::si_display;
use crate::report::units::Units;
use qct::Regime;
use qct::Result;
use qct::analysis::ForcePair;
use qct::model::{Model, Role};
use qct::sweep::{Cell, Grid, Table};
use qct::thermo::{FluxKind, ForceBasis, Representation};
use std::path::Path;

/// Powers of the energy unit, the time unit (ħ/energy) and k_B in a quantity's unit
/// (k_B = ħ = 1, one energy unit; README, "Units").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dim {
    pub energy: i32,
    pub time: i32,
    pub k_b: i32,
}

impl Dim {
    pub const NONE: Dim = Dim::new(0, 0, 0);

    pub const fn new(energy: i32, time: i32, k_b: i32) -> Self {
        Self { energy, time, k_b }
    }

    fn times(self, other: Dim) -> Dim {
        Dim::new(
            self.energy + other.energy,
            self.time + other.time,
            self.k_b + other.k_b,
        )
    }

    fn over(self, other: Dim) -> Dim {
        Dim::new(
            self.energy - other.energy,
            self.time - other.time,
            self.k_b - other.k_b,
        )
    }

    /// The unit in words, marked up (`energy^2/time`, `1/(energy·time)`); empty when
    /// dimensionless.
    pub fn text(self) -> String {
        let factor = |name: &str, power: i32| match power.abs() {
            0 => None,
            1 => Some(name.to_string()),
            p => Some(format!("{name}^{p}")),
        };
        let parts = [
            ("k_B", self.k_b),
            ("energy", self.energy),
            ("time", self.time),
        ];
        let up: Vec<String> = parts
            .iter()
            .filter(|(_, p)| *p > 0)
            .filter_map(|(n, p)| factor(n, *p))
            .collect();
        let down: Vec<String> = parts
            .iter()
            .filter(|(_, p)| *p < 0)
            .filter_map(|(n, p)| factor(n, *p))
            .collect();
        let numerator = if up.is_empty() {
            "1".to_string()
        } else {
            up.join("·")
        };
        match down.len() {
            0 if up.is_empty() => String::new(),
            0 => numerator,
            1 => format!("{numerator}/{}", down[0]),
            _ => format!("{numerator}/({})", down.join("·")),
        }
    }
}

/// `symbol (unit)`, or the symbol alone when dimensionless.
pub fn with_unit(symbol: &str, dim: Dim) -> String {
    let unit = dim.text();
    if unit.is_empty() {
        symbol.to_string()
    } else {
        format!("{symbol} ({unit})")
    }
}

/// Unit of a parameter of role `role`: energies and chemical potentials in the energy unit,
/// temperatures in energy/k_B, rates in 1/time.
fn role_dim(role: Role) -> Dim {
    match role {
        Role::Energy | Role::ChemicalPotential => Dim::new(1, 0, 0),
        Role::Temperature => Dim::new(1, 0, -1),
        Role::Rate => Dim::new(0, -1, 0),
        Role::Dimensionless => Dim::NONE,
    }
}

/// Unit of a force: F_E = Δβ in 1/energy, F_N = −Δ(βμ) and F_S = Δ(βμ_s/2) dimensionless.
fn force_dim(kind: FluxKind) -> Dim {
    match kind {
        FluxKind::Energy => Dim::new(-1, 0, 0),
        FluxKind::Particle | FluxKind::Spin => Dim::NONE,
    }
}

/// Unit of a flux: energy (heat) per time or particles (spin: particles) per time.
fn flux_dim(kind: FluxKind) -> Dim {
    match kind {
        FluxKind::Energy => Dim::new(1, -1, 0),
        FluxKind::Particle | FluxKind::Spin => Dim::new(0, -1, 0),
    }
}

/// Axis label of a sweep axis: a parameter's symbol or a force, with its unit.
pub fn axis_label(model: &Model, basis: &ForceBasis, name: &str) -> String {
    if let Some(p) = model.param(name) {
        let parameter = &model.parameters[p.0];
        return with_unit(&parameter.display_symbol(), role_dim(parameter.role));
    }
    match basis.forces.iter().find(|f| basis.force_name(f) == name) {
        Some(f) => with_unit(name, force_dim(f.kind)),
        None => plot::literal(name),
    }
}

/// The drawn symbol (marked up) and the unit of quantity column `name`.
pub fn quantity_symbol(model: &Model, basis: &ForceBasis, name: &str) -> (String, Dim) {
    use qct::quantity::{FluctuationKind, LinearCoefficient as C, Quantity as Q};
    let Ok(q) = qct::quantity::parse(name, model, basis) else {
        return (plot::literal(name), Dim::NONE);
    };
    let kind = |i: usize| basis.forces[i].kind;
    let onsager = |i: usize, j: usize| flux_dim(kind(i)).over(force_dim(kind(j)));
    let named = |symbol: &str, dim: Dim| (symbol.to_string(), dim);
    match q {
        Q::ParticleCurrent(_) | Q::SpinCurrent(_) => named(name, flux_dim(FluxKind::Particle)),
        // I = e J_N: in natural units (e = 1) a particle current.
        Q::ChargeCurrent(_) => named(name, flux_dim(FluxKind::Particle)),
        Q::EnergyCurrent(_) | Q::HeatCurrent(_) => named(name, flux_dim(FluxKind::Energy)),
        Q::Force(i) => named(name, force_dim(kind(i))),
        Q::EntropyProduction => named("Σ\u{307}", Dim::new(0, -1, 1)),
        Q::Probability(_) => named(name, Dim::NONE),
        Q::Onsager(i, j) => {
            let symbol = match name.strip_prefix("L_").map(|r| r.contains('_')) {
                Some(true) => format!("L_{{{}{}}}", i + 1, j + 1),
                _ => name.to_string(),
            };
            (symbol, onsager(i, j))
        }
        Q::Determinant => named(
            "det L",
            (0..basis.len()).fold(Dim::NONE, |d, i| d.times(onsager(i, i))),
        ),
        Q::RelativeDeterminant => named("det L/Π_i L_{ii}", Dim::NONE),
        Q::Regime | Q::LinearRegime => (plot::literal(name), Dim::NONE),
        Q::Power => named("P", flux_dim(FluxKind::Energy)),
        Q::Efficiency => named("η", Dim::NONE),
        Q::EfficiencyOverCarnot => named("η/η_C", Dim::NONE),
        Q::Cop => named("COP", Dim::NONE),
        Q::CopOverCarnot => named("COP/COP_C", Dim::NONE),
        Q::Linear(c) => match c {
            C::Conductance => named("G", Dim::new(-1, -1, 0)),
            C::Seebeck => named("S", Dim::new(0, 0, 1)),
            C::ThermalConductance => named("K", Dim::new(0, -1, 1)),
            C::PowerFactor => named("G S^2", Dim::new(-1, -1, 2)),
            C::Zt => named("ZT", Dim::NONE),
            C::MaxEfficiencyOverCarnot => named("η_{max}/η_C", Dim::NONE),
            C::EfficiencyAtMaxPowerOverCarnot => named("η(P_{max})/η_C", Dim::NONE),
        },
        Q::Fluctuation(f, _, transfer) => {
            let current = name.split_once("J_").map_or(name, |(_, r)| r);
            let current = format!("J_{current}");
            let flux = match transfer {
                qct::fcs::Transfer::Particle => flux_dim(FluxKind::Particle),
                _ => flux_dim(FluxKind::Energy),
            };
            match f {
                // ⟨⟨J J⟩⟩ per unit time: flux² · time.
                FluctuationKind::Noise => (
                    format!("S({current})"),
                    flux.times(flux).times(Dim::new(0, 1, 0)),
                ),
                FluctuationKind::Fano => {
                    (format!("Fano({current})"), flux.times(Dim::new(0, 1, 0)))
                }
                FluctuationKind::Tur => (format!("TUR({current})"), Dim::new(0, 0, 1)),
            }
        }
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

/// The symbol of a sweep axis (a parameter's, marked up, or the force's name).
fn axis_symbol(model: &Model, name: &str) -> String {
    match model.param(name) {
        Some(p) => model.parameters[p.0].display_symbol(),
        None => plot::literal(name),
    }
}

/// Draw a sweep (`qct sweep --plot`): 1-D → lines of every numeric quantity, one panel per
/// unit (a regime strip when the only quantities are labels); 2-D → a regime map when the
/// first quantity is a regime label, else a heat map of the first quantity. `base` is the
/// operating point's parameter values (for overlays). The title names what is drawn.
/// In `units`: with [`Units::Si`] every axis and quantity with a unit is drawn
/// in SI with an engineering prefix chosen from its data ([`si_display`]), labelled
/// `symbol [unit]` (e.g. `T_l [mK]`, `I^l [pA]`), and the overlays are scaled with the axes.
/// `table` is in natural units (meV for inputs with units).
#[allow(clippy::too_many_arguments)]
pub fn sweep_plot(
    path: &Path,
    model: &Model,
    basis: &ForceBasis,
    base: &[f64],
    grid: &Grid,
    table: &Table,
    level_lines: bool,
    style: &Style,
    units: Units,
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
    let drawing = SweepDrawing {
        model,
        basis,
        grid,
        table,
        units,
        // The error column of `--on-error record` is not a quantity.
        quantities: (n_axes..table.columns.len())
            .filter(|&c| table.columns[c] != qct::sweep::ERROR_COLUMN)
            .collect(),
    };
    if n_axes == 1 {
        drawing.line_plot(path, style)
    } else {
        drawing.map(path, base, level_lines, style)
    }
}

/// A whole sweep table with what it takes to label and scale its columns.
struct SweepDrawing<'a> {
    model: &'a Model,
    basis: &'a ForceBasis,
    grid: &'a Grid,
    table: &'a Table,
    units: Units,
    /// The table's quantity columns (not the axes, not the error column).
    quantities: Vec<usize>,
}

impl SweepDrawing<'_> {
    /// (factor, unit) of a column drawn in SI over `values`; `None` in natural units.
    fn display(&self, name: &str, values: &[f64]) -> Option<(f64, String)> {
        match self.units {
            Units::Si => si_display(name, self.model, self.basis, values),
            Units::Natural => None,
        }
    }

    /// Column `c` holds labels (regimes), not numbers.
    fn is_label(&self, c: usize) -> bool {
        self.table
            .rows
            .iter()
            .any(|r| matches!(r[c], Cell::Label(_)))
    }

    /// The SI (factor, unit) of grid axis `k`, if drawn in SI.
    fn axis_scale(&self, k: usize) -> Option<(f64, String)> {
        let axis = &self.grid.axes[k];
        self.display(&axis.name, &axis.values())
    }

    /// Grid axis `k` as drawn: labelled and, in SI, scaled.
    fn axis(&self, k: usize) -> GridAxis {
        let axis = &self.grid.axes[k];
        match self.axis_scale(k) {
            Some((factor, unit)) => GridAxis {
                label: format!("{} [{unit}]", axis_symbol(self.model, &axis.name)),
                values: axis.values().iter().map(|x| x * factor).collect(),
            },
            None => GridAxis {
                label: axis_label(self.model, self.basis, &axis.name),
                values: axis.values(),
            },
        }
    }

    fn symbol(&self, c: usize) -> (String, Dim) {
        quantity_symbol(self.model, self.basis, &self.table.columns[c])
    }

    /// The SI (factor, unit) shared by `columns`, chosen from all their values.
    fn drawn(&self, columns: &[usize]) -> Option<(f64, String)> {
        let all: Vec<f64> = columns
            .iter()
            .flat_map(|&c| column(self.table, c))
            .collect();
        self.display(&self.table.columns[columns[0]], &all)
    }

    fn scaled(&self, c: usize, factor: f64) -> Vec<f64> {
        column(self.table, c).iter().map(|x| x * factor).collect()
    }

    /// The title names what is drawn, nothing else.
    fn title_of(&self, drawn: &[usize]) -> String {
        let names: Vec<String> = drawn.iter().map(|&c| self.symbol(c).0).collect();
        format!("{}: {}", plot::literal(&self.model.name), names.join(", "))
    }

    /// A 1-D sweep: the numeric quantities as lines, one panel per unit; a strip of
    /// regimes when the only quantity is a label.
    fn line_plot(&self, path: &Path, style: &Style) -> Result<()> {
        let first = self.quantities[0];
        let numeric: Vec<usize> = self
            .quantities
            .iter()
            .copied()
            .filter(|&c| !self.is_label(c))
            .collect();
        if numeric.is_empty() {
            let labels = regime_indices(self.table, first);
            let strip = GridAxis {
                label: String::new(),
                values: vec![0.0],
            };
            let strip_style = Style {
                log_y: false,
                ..*style
            };
            let names = regime_names();
            let regimes: Vec<&str> = names.iter().map(String::as_str).collect();
            return plot::category_map(
                path,
                &self.title_of(&[first]),
                &self.axis(0),
                &strip,
                &labels,
                &regimes,
                &[],
                &strip_style,
            );
        }
        let x = self.axis(0);
        // One panel per unit, in the order the units first appear (in SI by the SI unit:
        // I = e J_N in A and J_N in 1/s share a natural unit).
        let si_unit = |c: usize| self.display(&self.table.columns[c], &[]).map(|(_, u)| u);
        let mut panels: Vec<((Dim, Option<String>), Vec<usize>)> = Vec::new();
        for &c in &numeric {
            let key = (self.symbol(c).1, si_unit(c));
            match panels.iter_mut().find(|(k, _)| *k == key) {
                Some((_, columns)) => columns.push(c),
                None => panels.push((key, vec![c])),
            }
        }
        let panels: Vec<Panel> = panels
            .into_iter()
            .map(|((dim, _), columns)| {
                let names: Vec<String> = columns.iter().map(|&c| self.symbol(c).0).collect();
                let (factor, y_label) = match self.drawn(&columns) {
                    Some((factor, unit)) => (factor, format!("{} [{unit}]", names.join(", "))),
                    None => (1.0, with_unit(&names.join(", "), dim)),
                };
                Panel {
                    y_label,
                    series: columns
                        .iter()
                        .map(|&c| Series {
                            name: self.symbol(c).0,
                            points: x
                                .values
                                .iter()
                                .copied()
                                .zip(self.scaled(c, factor))
                                .collect(),
                        })
                        .collect(),
                }
            })
            .collect();
        plot::line_plot(path, &self.title_of(&numeric), &x.label, &panels, style)
    }

    /// A 2-D sweep: the first quantity as a regime map or a heat map, with the
    /// linear-response wedges (and, on request, the level crossings) drawn over it.
    fn map(&self, path: &Path, base: &[f64], level_lines: bool, style: &Style) -> Result<()> {
        let (model, basis, grid) = (self.model, self.basis, self.grid);
        let (x, y) = (self.axis(0), self.axis(1));
        let mut overlays = wedge_overlays(model, basis, base, grid)?;
        if level_lines {
            overlays.extend(level_crossings(model, basis, base, grid));
        }
        let (fx, fy) = (
            self.axis_scale(0).map_or(1.0, |d| d.0),
            self.axis_scale(1).map_or(1.0, |d| d.0),
        );
        for curve in &mut overlays {
            for point in &mut curve.points {
                *point = (point.0 * fx, point.1 * fy);
            }
        }
        let first = self.quantities[0];
        let title = self.title_of(&[first]);
        if self.is_label(first) {
            let labels = regime_indices(self.table, first);
            let names = regime_names();
            let regimes: Vec<&str> = names.iter().map(String::as_str).collect();
            plot::category_map(path, &title, &x, &y, &labels, &regimes, &overlays, style)
        } else {
            let (name, dim) = self.symbol(first);
            let (z, z_label) = match self.drawn(&[first]) {
                Some((factor, unit)) => (self.scaled(first, factor), format!("{name} [{unit}]")),
                None => (column(self.table, first), with_unit(&name, dim)),
            };
            plot::heat_map(path, &title, &x, &y, &z, &z_label, &overlays, style)
        }
    }
}

/// The regime labels of [`Regime::ALL`] in words (`heat engine`), the fixed category list
/// of every regime map.
pub fn regime_names() -> Vec<String> {
    Regime::ALL
        .iter()
        .map(|r| r.label().replace('_', " "))
        .collect()
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
/// cross coefficient is negative (README, Conventions, "Regimes of a two-force model").
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
    let point = qct::OperatingPoint::new(model, base, basis)?;
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
/// energy that depends on the two axis parameters ([`Model::level_lines`]); ω_t is linear in
/// the energy parameters (README, Conventions, "System"), so each is a straight line, drawn
/// across the map.
pub fn level_crossings(model: &Model, basis: &ForceBasis, base: &[f64], grid: &Grid) -> Vec<Curve> {
    let lines = model
        .parameters_at(base)
        .and_then(|p| model.level_lines(&p, basis, &grid.axes[0].name, &grid.axes[1].name));
    let Ok(lines) = lines else {
        return Vec::new();
    };
    let mut curves = Vec::new();
    let (x0, x1) = bounds(&grid.axes[0].values());
    let (y0, y1) = bounds(&grid.axes[1].values());
    for ((from, to), [a, b, c]) in lines {
        let name = format!(
            "ω({}→{}) = 0{}",
            Model::state_label(from),
            Model::state_label(to),
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
