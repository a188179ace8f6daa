//! Observables by name, evaluated at one operating point: the columns of `qct sweep`.
//!
//! Names (units: k_B = ħ = 1, energies in the model's unit, currents per unit time):
//! * `J_N^λ`, `J_E^λ`, `J_Q^λ`: currents of lead λ into the system (J_Q^λ = J_E^λ − μ_λ J_N^λ);
//! * `J_S^λ`: the spin current J_N↑^λ − J_N↓^λ of lead λ into the system, in particles per
//!   unit time (as `qct solve`'s `J_S`; `--units si`: 1/s; the spin angular momentum current
//!   is ħ/2 J_S); models with spinful dots only;
//! * `I^λ`: the charge current e J_N^λ (natural units: J_N^λ in units of e; `--units si`: A);
//! * the independent forces, e.g. `F_N^l`, `F_E^l` (`F_Q^l` in the heat representation);
//! * `sigma`: Σ̇ = −Σ_λ β_λ J_Q^λ (k_B per unit time);
//! * `p_A`, `p_B`, …: steady-state probabilities;
//! * `L_i_j` (1-based, order of the forces), and for two-force models `L_NN`, `L_NE`,
//!   `L_EN`, `L_EE` (`Q` for `E` in the heat representation); `det_L`, `det_L_relative`
//!   (det L / Π L_ii): at the equilibrium of the point;
//! * `regime`, `linear_regime`: labels of [`crate::Regime`];
//! * `P`, `eta`, `eta_over_carnot`, `cop`, `cop_over_carnot`: `crate::performance::machine`
//!   (empty where undefined: η only for engines, COP only for refrigerators);
//! * `G`, `S`, `K`, `power_factor`, `ZT`, `eta_max_over_carnot`,
//!   `eta_at_max_power_over_carnot`: linear response in the heat representation (ZT = inf
//!   under tight coupling).
//! * `S_J_N^λ`, `S_J_E^λ`, `S_J_Q^λ`: zero-frequency noise ⟨⟨J J⟩⟩ per unit time (second
//!   cumulant, no factor 2; [`crate::fcs`]); `fano_J_X^λ` = ⟨⟨J J⟩⟩/|⟨J⟩| and `tur_J_X^λ` =
//!   ⟨⟨J J⟩⟩ Σ̇/⟨J⟩² (empty where ⟨J⟩ vanishes within rounding); Pauli method only.
//!
//! Every quantity is evaluated with the operating point's steady-state method
//! ([`crate::method`]): with a density-matrix method the currents, probabilities (the
//! populations of ρ), Σ̇, regimes and machine figures come from its steady state, and L
//! and the linear coefficients from finite differences of its fluxes.

use crate::error::{Error, Result};
use crate::fcs::{Counter, Statistics, Transfer, lead_increments};
use crate::method::{Method, Solver};
use crate::model::Model;
use crate::performance::{LinearCoefficients, heat_basis, linear_coefficients_of, machine};
use crate::rates::Device;
use crate::regime::{ForcePair, OperatingPoint, analyse};
use crate::sweep::{self, Cell, Grid, Shard, Table};
use crate::thermo::ForceBasis;

/// One observable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    ParticleCurrent(usize),
    /// e J_N of a lead.
    ChargeCurrent(usize),
    EnergyCurrent(usize),
    HeatCurrent(usize),
    /// J_S = J_N↑ − J_N↓ of a lead (particles per unit time).
    SpinCurrent(usize),
    Force(usize),
    EntropyProduction,
    Probability(usize),
    Onsager(usize, usize),
    Determinant,
    RelativeDeterminant,
    Regime,
    LinearRegime,
    Power,
    Efficiency,
    EfficiencyOverCarnot,
    Cop,
    CopOverCarnot,
    Linear(LinearCoefficient),
    /// A counting-statistics quantity of one lead's transfer.
    Fluctuation(FluctuationKind, usize, Transfer),
}

/// What a fluctuation quantity reports ([`crate::fcs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FluctuationKind {
    /// ⟨⟨J J⟩⟩ per unit time.
    Noise,
    /// ⟨⟨J J⟩⟩/|⟨J⟩|.
    Fano,
    /// ⟨⟨J J⟩⟩ Σ̇/⟨J⟩².
    Tur,
}

const FLUCTUATIONS: [(&str, FluctuationKind); 3] = [
    ("S_", FluctuationKind::Noise),
    ("fano_", FluctuationKind::Fano),
    ("tur_", FluctuationKind::Tur),
];

/// A linear-response thermoelectric coefficient ([`crate::analysis::LinearCoefficients`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinearCoefficient {
    Conductance,
    Seebeck,
    ThermalConductance,
    PowerFactor,
    Zt,
    MaxEfficiencyOverCarnot,
    EfficiencyAtMaxPowerOverCarnot,
}

const LINEAR: [(&str, LinearCoefficient); 7] = [
    ("G", LinearCoefficient::Conductance),
    ("S", LinearCoefficient::Seebeck),
    ("K", LinearCoefficient::ThermalConductance),
    ("power_factor", LinearCoefficient::PowerFactor),
    ("ZT", LinearCoefficient::Zt),
    (
        "eta_max_over_carnot",
        LinearCoefficient::MaxEfficiencyOverCarnot,
    ),
    (
        "eta_at_max_power_over_carnot",
        LinearCoefficient::EfficiencyAtMaxPowerOverCarnot,
    ),
];

const SCALARS: [(&str, Quantity); 10] = [
    ("sigma", Quantity::EntropyProduction),
    ("det_L", Quantity::Determinant),
    ("det_L_relative", Quantity::RelativeDeterminant),
    ("regime", Quantity::Regime),
    ("linear_regime", Quantity::LinearRegime),
    ("P", Quantity::Power),
    ("eta", Quantity::Efficiency),
    ("eta_over_carnot", Quantity::EfficiencyOverCarnot),
    ("cop", Quantity::Cop),
    ("cop_over_carnot", Quantity::CopOverCarnot),
];

/// Every quantity name of `model` in `basis`, in a stable order.
pub fn names(model: &Model, basis: &ForceBasis) -> Vec<String> {
    let mut out = Vec::new();
    let spinful = has_spin(model);
    for lead in &model.leads {
        for kind in ["N", "E", "Q"] {
            out.push(format!("J_{kind}^{}", lead.name));
        }
        if spinful {
            out.push(format!("J_S^{}", lead.name));
        }
        out.push(format!("I^{}", lead.name));
    }
    out.extend(basis.forces.iter().map(|f| basis.force_name(f)));
    out.extend(SCALARS.iter().map(|(n, _)| n.to_string()));
    out.extend((0..model.n_states()).map(|k| format!("p_{}", Model::state_label(k))));
    for i in 0..basis.len() {
        for j in 0..basis.len() {
            out.push(format!("L_{}_{}", i + 1, j + 1));
        }
    }
    if ForcePair::of(basis).is_some() {
        let e = energy_letter(basis);
        for (a, b) in [("N", "N"), ("N", e), (e, "N"), (e, e)] {
            out.push(format!("L_{a}{b}"));
        }
    }
    out.extend(LINEAR.iter().map(|(n, _)| n.to_string()));
    for (prefix, _) in FLUCTUATIONS {
        for lead in &model.leads {
            for kind in ["N", "E", "Q"] {
                out.push(format!("{prefix}J_{kind}^{}", lead.name));
            }
        }
    }
    out
}

/// Some dot carries a spin (↑ or ↓): the model has spin currents J_S^λ.
fn has_spin(model: &Model) -> bool {
    model.dots.iter().any(|d| d.spin.is_some())
}

fn energy_letter(basis: &ForceBasis) -> &'static str {
    match basis.representation {
        crate::thermo::Representation::Energy => "E",
        crate::thermo::Representation::Heat => "Q",
    }
}

/// Parse a quantity name for `model` in `basis` (module doc).
pub fn parse(name: &str, model: &Model, basis: &ForceBasis) -> Result<Quantity> {
    let unknown = || {
        let known = names(model, basis);
        let hint = known
            .iter()
            .min_by(|a, b| {
                strsim::levenshtein(name, a)
                    .cmp(&strsim::levenshtein(name, b))
                    .then(a.cmp(b))
            })
            .filter(|best| strsim::levenshtein(name, best) <= 2)
            .map(|best| format!(" (did you mean '{best}'?)"))
            .unwrap_or_default();
        Error::BadAssignment(format!(
            "unknown quantity '{name}'{hint}; model '{}' has: {}",
            model.name,
            known.join(", ")
        ))
    };
    if let Some((_, q)) = SCALARS.iter().find(|(n, _)| *n == name) {
        return Ok(*q);
    }
    if let Some((_, c)) = LINEAR.iter().find(|(n, _)| *n == name) {
        return Ok(Quantity::Linear(*c));
    }
    if let Some(i) = basis
        .forces
        .iter()
        .position(|f| basis.force_name(f) == name)
    {
        return Ok(Quantity::Force(i));
    }
    if let Some(l) = name
        .strip_prefix("I^")
        .and_then(|lead| model.lead_index(lead))
    {
        return Ok(Quantity::ChargeCurrent(l));
    }
    if let Some(l) = name
        .strip_prefix("J_S^")
        .and_then(|lead| model.lead_index(lead))
    {
        if !has_spin(model) {
            return Err(Error::BadAssignment(format!(
                "the spin current {name} needs spinful dots (J_S = J_N,up - J_N,down); model \
                 '{}' has none",
                model.name
            )));
        }
        return Ok(Quantity::SpinCurrent(l));
    }
    if let Some((l, transfer)) = lead_transfer(name, model) {
        return Ok(match transfer {
            Transfer::Particle => Quantity::ParticleCurrent(l),
            Transfer::Energy => Quantity::EnergyCurrent(l),
            Transfer::Heat => Quantity::HeatCurrent(l),
        });
    }
    for (prefix, kind) in FLUCTUATIONS {
        if let Some((l, transfer)) = name
            .strip_prefix(prefix)
            .and_then(|rest| lead_transfer(rest, model))
        {
            return Ok(Quantity::Fluctuation(kind, l, transfer));
        }
    }
    if let Some(label) = name.strip_prefix("p_")
        && let Some(k) = (0..model.n_states()).find(|&k| Model::state_label(k) == label)
    {
        return Ok(Quantity::Probability(k));
    }
    if let Some(rest) = name.strip_prefix("L_") {
        if let Some((i, j)) = rest.split_once('_')
            && let (Ok(i), Ok(j)) = (i.parse::<usize>(), j.parse::<usize>())
            && (1..=basis.len()).contains(&i)
            && (1..=basis.len()).contains(&j)
        {
            return Ok(Quantity::Onsager(i - 1, j - 1));
        }
        if let Some(pair) = ForcePair::of(basis) {
            let e = energy_letter(basis);
            let index = |c: char| match c {
                'N' => Some(pair.particle),
                c if c.to_string() == e => Some(pair.energy),
                _ => None,
            };
            let chars: Vec<char> = rest.chars().collect();
            if let [a, b] = chars[..]
                && let (Some(i), Some(j)) = (index(a), index(b))
            {
                return Ok(Quantity::Onsager(i, j));
            }
        }
    }
    Err(unknown())
}

/// `J_N^λ`, `J_E^λ`, `J_Q^λ` → (λ, transfer).
fn lead_transfer(name: &str, model: &Model) -> Option<(usize, Transfer)> {
    let (kind, lead) = name.strip_prefix("J_")?.split_once('^')?;
    let l = model.lead_index(lead)?;
    let transfer = Transfer::ALL.into_iter().find(|t| t.letter() == kind)?;
    Some((l, transfer))
}

impl Quantity {
    /// Needs the heat-representation operating point.
    pub(crate) fn needs_heat(&self) -> bool {
        matches!(self, Quantity::Linear(_))
    }
}

/// [`parse`] for a sweep with steady-state method `method`: the counting-statistics
/// quantities (noise, Fano factor, TUR) exist only for the Pauli rate equation and are
/// refused for the others, naming the quantity and the method.
pub fn parse_for(
    name: &str,
    model: &Model,
    basis: &ForceBasis,
    method: Method,
) -> Result<Quantity> {
    let q = parse(name, model, basis)?;
    if let Quantity::Fluctuation(..) = q {
        crate::method::require_pauli(method, &format!("the sweep quantity {name}"))?;
    }
    Ok(q)
}

/// Build the operating point of `model` at parameter values `values` in `basis` by
/// `method`; forces listed in `force_overrides` (index into the forces, value) replace the
/// point's own values, moving the leads around the point's equilibrium
/// ([`ForceBasis::leads_at_forces`]).
pub(crate) fn operating_point(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    force_overrides: &[(usize, f64)],
    method: Method,
) -> Result<OperatingPoint> {
    let device = Device::new(model, values)?;
    let solver = Solver::new(method, model, values)?;
    if force_overrides.is_empty() {
        return OperatingPoint::of_device_with(device, basis, solver);
    }
    let mut forces = basis.force_values(&device.leads);
    for &(i, value) in force_overrides {
        forces[i] = value;
    }
    OperatingPoint::of_device_at_forces(device, basis, &forces, solver)
}

/// Evaluate `quantities` at `point` (in `basis`); `heat` is the heat-representation point,
/// needed only by the linear thermoelectric coefficients.
pub fn evaluate(
    quantities: &[Quantity],
    point: &OperatingPoint,
    basis: &ForceBasis,
    linear: Option<&LinearCoefficients>,
) -> Vec<Cell> {
    let needs_analysis = quantities
        .iter()
        .any(|q| matches!(q, Quantity::Regime | Quantity::LinearRegime));
    let analysis = needs_analysis.then(|| analyse(point, basis));
    let m = machine(&point.device, &point.currents, basis);
    let needs_statistics = quantities
        .iter()
        .any(|q| matches!(q, Quantity::Fluctuation(..)));
    let statistics = needs_statistics
        .then(|| Statistics::new(&point.device).ok())
        .flatten();
    quantities
        .iter()
        .map(|q| match *q {
            Quantity::ParticleCurrent(l) | Quantity::ChargeCurrent(l) => {
                Cell::Number(point.currents[l].particle)
            }
            Quantity::EnergyCurrent(l) => Cell::Number(point.currents[l].energy),
            Quantity::HeatCurrent(l) => Cell::Number(point.currents[l].heat),
            Quantity::SpinCurrent(l) => Cell::Number(point.currents[l].spin),
            Quantity::Force(i) => Cell::Number(point.forces[i]),
            Quantity::EntropyProduction => Cell::Number(point.entropy_production),
            Quantity::Probability(k) => Cell::Number(point.probabilities[k]),
            Quantity::Onsager(i, j) => Cell::Number(point.l[(i, j)]),
            Quantity::Determinant => Cell::Number(crate::onsager::determinant(&point.l)),
            Quantity::RelativeDeterminant => Cell::Number(point.relative_determinant()),
            Quantity::Regime => analysis.as_ref().expect("computed").regime.label().into(),
            Quantity::LinearRegime => analysis
                .as_ref()
                .expect("computed")
                .linear_prediction
                .label()
                .into(),
            Quantity::Power => Cell::Number(m.power),
            Quantity::Efficiency => m.efficiency.into(),
            Quantity::EfficiencyOverCarnot => m.efficiency_over_carnot.into(),
            Quantity::Cop => m.cop.into(),
            Quantity::CopOverCarnot => m.cop_over_carnot.into(),
            Quantity::Fluctuation(kind, lead, transfer) => match &statistics {
                None => Cell::Empty,
                Some(statistics) => {
                    let counter = Counter {
                        name: String::new(),
                        increments: lead_increments(&point.device, lead, transfer),
                    };
                    let noise = statistics.noise(std::slice::from_ref(&counter));
                    match kind {
                        FluctuationKind::Noise => Cell::Number(noise.variance(0)),
                        FluctuationKind::Fano => noise.fano(0).into(),
                        FluctuationKind::Tur => noise.tur(0, point.entropy_production).into(),
                    }
                }
            },
            Quantity::Linear(c) => match linear {
                None => Cell::Empty,
                Some(l) => match c {
                    LinearCoefficient::Conductance => l.conductance.into(),
                    LinearCoefficient::Seebeck => l.seebeck.into(),
                    LinearCoefficient::ThermalConductance => l.thermal_conductance.into(),
                    LinearCoefficient::PowerFactor => l.power_factor.into(),
                    LinearCoefficient::Zt => l.zt.into(),
                    LinearCoefficient::MaxEfficiencyOverCarnot => {
                        l.max_efficiency_over_carnot.into()
                    }
                    LinearCoefficient::EfficiencyAtMaxPowerOverCarnot => {
                        l.efficiency_at_max_power_over_carnot.into()
                    }
                },
            },
        })
        .map(|cell| match cell {
            Cell::Number(x) => Cell::Number(x + 0.0), // -0.0 + 0.0 = 0.0: no "-0"
            other => other,
        })
        .collect()
}

/// A sweep's evaluation at one point: parameter values `values` with `force_overrides`,
/// by `method`. `heat`: the heat-representation basis, needed (only) by linear
/// thermoelectric quantities.
pub(crate) fn evaluate_at(
    model: &Model,
    basis: &ForceBasis,
    heat: Option<&ForceBasis>,
    quantities: &[Quantity],
    values: &[f64],
    force_overrides: &[(usize, f64)],
    method: Method,
) -> Result<Vec<Cell>> {
    let point = operating_point(model, values, basis, force_overrides, method)?;
    let linear = match heat {
        Some(heat) => {
            // The heat-representation L at the point's equilibrium (forces only move the
            // leads around it), without solving the steady state again.
            let l = point.onsager_in(heat)?;
            let t = 1.0 / point.device.leads[heat.references.energy].beta;
            linear_coefficients_of(&l, t, heat)
        }
        None => None,
    };
    Ok(evaluate(quantities, &point, basis, linear.as_ref()))
}

/// What one grid axis moves: a parameter (index into the values) or a force (index into
/// the forces of the basis).
enum Target {
    Parameter(usize),
    Force(usize),
}

/// [`sweep_table_with`] by the Pauli rate equation.
#[allow(clippy::too_many_arguments)]
pub fn sweep_table(
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    grid: &Grid,
    names: &[String],
    shard: Option<Shard>,
    progress: Option<&(dyn Fn(usize) + Sync)>,
    on_error: sweep::OnError,
) -> Result<Table> {
    let method = Method::Pauli;
    sweep_table_with(
        method, model, values, basis, grid, names, shard, progress, on_error,
    )
}

/// Evaluate the quantities `names` (empty: the fluxes, `sigma` and `regime`) of `model` at
/// `values` over `grid` (axes: parameters or forces) in `basis` by the steady-state method
/// `method`, in parallel; the K-th of N parts with `shard`. The header records the model,
/// the fixed parameters, the representation, the method and the units; `on_error` says
/// what happens at a failing point.
#[allow(clippy::too_many_arguments)]
pub fn sweep_table_with(
    method: Method,
    model: &Model,
    values: &[f64],
    basis: &ForceBasis,
    grid: &Grid,
    names: &[String],
    shard: Option<Shard>,
    progress: Option<&(dyn Fn(usize) + Sync)>,
    on_error: sweep::OnError,
) -> Result<Table> {
    let targets = grid
        .axes
        .iter()
        .map(|axis| {
            if let Some(p) = model.param(&axis.name) {
                Ok(Target::Parameter(p.0))
            } else if let Some(i) = basis
                .forces
                .iter()
                .position(|f| basis.force_name(f) == axis.name)
            {
                Ok(Target::Force(i))
            } else {
                Err(Error::BadAssignment(format!(
                    "--vary {axis}: '{}' is neither a parameter of model '{}' ({}) nor one of \
                     its forces ({})",
                    axis.name,
                    model.name,
                    model
                        .parameters
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    basis.force_list()
                )))
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let names: Vec<String> = if names.is_empty() {
        let mut names: Vec<String> = basis.forces.iter().map(|f| basis.flux_name(f)).collect();
        names.push("sigma".into());
        names.push("regime".into());
        names
    } else {
        names.to_vec()
    };
    let quantities = names
        .iter()
        .map(|n| parse_for(n, model, basis, method))
        .collect::<Result<Vec<Quantity>>>()?;
    let heat = if quantities.iter().any(Quantity::needs_heat) {
        Some(heat_basis(model, basis)?)
    } else {
        None
    };
    let fixed: Vec<String> = model
        .parameters
        .iter()
        .zip(values)
        .filter(|(p, _)| !grid.axes.iter().any(|a| a.name == p.name))
        .map(|(p, v)| format!("{}={v}", p.name))
        .collect();
    let header = vec![
        ("model".to_string(), model.name.clone()),
        ("parameters".to_string(), fixed.join(" ")),
        (
            "representation".to_string(),
            basis.representation.name().to_string(),
        ),
        ("method".to_string(), method.name().to_string()),
        (
            "units".to_string(),
            "k_B = hbar = 1; energies, T and mu in the model's energy unit; currents per unit \
             time"
                .to_string(),
        ),
    ];
    let eval = |point: &[f64]| -> Result<Vec<Cell>> {
        let mut v = values.to_vec();
        let mut overrides = Vec::new();
        for (target, &x) in targets.iter().zip(point) {
            match *target {
                Target::Parameter(p) => v[p] = x,
                Target::Force(i) => overrides.push((i, x)),
            }
        }
        let v = model.complete(&v);
        evaluate_at(
            model,
            basis,
            heat.as_ref(),
            &quantities,
            &v,
            &overrides,
            method,
        )
    };
    sweep::run_with(grid, shard, header, names, eval, progress, on_error)
}
