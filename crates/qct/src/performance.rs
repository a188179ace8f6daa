//! ⑧ Thermoelectric performance (README, Conventions, "Forces and fluxes": figures of merit are
//! defined in the heat representation).
//!
//! Nonlinear, at a steady state (J positive into the system, J_Q^λ = J_E^λ − μ_λ J_N^λ):
//! * power delivered to the reservoirs' chemical work, P = −Σ_λ μ_λ J_N^λ = Σ_λ J_Q^λ
//!   (first law, Σ_λ J_E^λ = 0);
//! * engine (P > 0): η = P / Q_in with Q_in = Σ_{λ: J_Q^λ > 0} J_Q^λ; the second law gives
//!   η ≤ η_C = 1 − T_min/T_max;
//! * refrigerator (two temperatures, power consumed W = −P > 0, heat extracted from the
//!   cold leads Q_c = Σ_{λ: T_λ = T_min} J_Q^λ > 0): COP = Q_c / W ≤ COP_C = T_min/(T_max − T_min).
//!
//! Linear response, from the heat-representation L of a two-force model (one particle force
//! F_N = β_λ Δμ, one heat force F_Q = β_ρ − β_λ') at T = T_ρ:
//! G = L_NN/T, S = L_NQ/(T L_NN) (particle thermopower, k_B = 1; the electron's is −S/e),
//! K = det L/(T² L_NN), power factor G S² = L_NQ²/(T³ L_NN), ZT = G S² T/K = L_NQ²/det L,
//! η_max/η_C = (√(1+ZT) − 1)/(√(1+ZT) + 1), η(P_max)/η_C = ZT/(2 (ZT + 2)); tight coupling
//! (det L = 0) gives ZT = ∞, η_max = η_C and η(P_max) = η_C/2.

use crate::currents::LeadCurrents;
use crate::error::{Error, Result};
use crate::method::Method;
use crate::rates::Device;
use crate::regime::{ForcePair, OperatingPoint, TIGHT_COUPLING_TOLERANCE, ZERO_TOLERANCE};
use crate::rounding::{is_rounding_zero, zero_within_rounding};
use crate::thermo::{FluxKind, ForceBasis, Representation};
use serde::Serialize;

/// Performance of a steady state as a machine.
#[derive(Debug, Clone, Serialize)]
pub struct MachinePerformance {
    /// "engine" (P > 0), "refrigerator" (W > 0 extracting heat from the coldest leads),
    /// "dissipative" (W > 0, no cooling), "idle" (P = 0).
    pub role: &'static str,
    /// P = −Σ_λ μ_λ J_N^λ (energy per unit time).
    #[serde(rename = "P")]
    pub power: f64,
    /// Q_in = Σ_{J_Q^λ > 0} J_Q^λ.
    #[serde(rename = "Q_in")]
    pub heat_in: f64,
    /// η = P/Q_in (engines).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "eta")]
    pub efficiency: Option<f64>,
    /// η_C = 1 − T_min/T_max.
    #[serde(rename = "eta_carnot")]
    pub carnot_efficiency: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "eta_over_carnot")]
    pub efficiency_over_carnot: Option<f64>,
    /// COP = Q_c/W (refrigerators, two temperatures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cop: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "cop_carnot")]
    pub carnot_cop: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cop_over_carnot: Option<f64>,
}

/// Machine performance of a point: the nonlinear steady state as a machine, the linear
/// coefficients at its equilibrium, and the optimum over the load, all in the heat
/// representation.
#[derive(Debug, Clone)]
pub struct Performance {
    /// Power, efficiency or COP of the nonlinear steady state.
    pub machine: MachinePerformance,
    /// G, S, K, ZT at the equilibrium (two-force models that conduct particles).
    pub linear: Option<LinearCoefficients>,
    /// Maximum power and maximum efficiency over the load (bias of the particle lead).
    pub load: Option<LoadOptimum>,
}

/// [`Performance`] of `model` at `values`, in the heat representation with the references
/// of `basis`.
pub(crate) fn analyse(
    model: &crate::model::Model,
    values: &[f64],
    basis: &ForceBasis,
) -> Result<Performance> {
    analyse_with(model, values, basis, Method::Pauli)
}

/// [`analyse`] by the steady-state method `method` ([`crate::method`]): the machine and the
/// load optimum from its steady states, G, S, K, ZT from its L (finite differences for a
/// density-matrix method).
pub(crate) fn analyse_with(
    model: &crate::model::Model,
    values: &[f64],
    basis: &ForceBasis,
    method: Method,
) -> Result<Performance> {
    let heat = heat_basis(model, basis)?;
    let point = OperatingPoint::with_method(model, values, &heat, method)?;
    let lead_names: Vec<String> = model.leads.iter().map(|l| l.name.clone()).collect();
    Ok(Performance {
        linear: linear_coefficients(&point, &heat),
        load: optimise_load(&point, &heat, &lead_names)?,
        machine: machine(&point.device, &point.currents, &heat),
    })
}

/// Power, efficiency and COP of the steady state `currents` of `device` (module doc). The
/// power is evaluated as P = −Σ_λ (μ_λ − μ_ρc) J_N^λ, equal to −Σ_λ μ_λ J_N^λ by particle
/// conservation in each component but free of the rounding of currents that vanish (a
/// component with one lead) or of a large common μ. With spin accumulation the chemical work
/// of both spins counts, P = −Σ_λ Σ_σ μ_λσ J_Nσ^λ: the term −Σ_λ (ν_λ − ν_ρc) J_S^λ
/// (ν = μ_s/2, docs/conventions.md "Spin currents and spin forces") is added.
pub(crate) fn machine(
    device: &Device,
    currents: &[LeadCurrents],
    basis: &ForceBasis,
) -> MachinePerformance {
    let temperatures: Vec<f64> = device.leads.iter().map(|l| 1.0 / l.beta).collect();
    let t_max = temperatures.iter().copied().fold(f64::MIN, f64::max);
    let t_min = temperatures.iter().copied().fold(f64::MAX, f64::min);
    let bias = |l: usize| device.leads[l].mu - device.leads[basis.particle_reference(l)].mu;
    let spin_bias = |l: usize| {
        0.5 * (device.leads[l].spin_bias - device.leads[basis.particle_reference(l)].spin_bias)
    };
    let spin = device.leads.iter().any(|l| l.spin_bias != 0.0);
    let power = -(0..device.leads.len())
        .map(|l| {
            let work = bias(l) * currents[l].particle;
            if spin {
                work + spin_bias(l) * currents[l].spin
            } else {
                work
            }
        })
        .sum::<f64>();
    // Rounding scale of P: Σ_λ (|μ_λ − μ_ρc| + |ν_λ − ν_ρc|) × gross particle exchange.
    let scale: f64 = (0..device.leads.len())
        .map(|l| (bias(l).abs() + spin_bias(l).abs()) * currents[l].gross_particle)
        .sum();
    // Heat currents within rounding of zero (scale: the lead's gross heat exchange) are 0,
    // by the shared rule of crate::rounding, so an idle device takes in no heat.
    let heats: Vec<f64> = device
        .leads
        .iter()
        .zip(currents)
        .map(|(l, c)| zero_within_rounding(c.heat, c.gross_energy + l.mu.abs() * c.gross_particle))
        .collect();
    let heat_in: f64 = heats.iter().copied().filter(|&q| q > 0.0).sum::<f64>() + 0.0;
    let carnot_efficiency = 1.0 - t_min / t_max;
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.max(b);
    let two_temperatures = temperatures
        .iter()
        .all(|&t| same(t, t_min) || same(t, t_max))
        && !same(t_min, t_max);
    let cold_heat: f64 = temperatures
        .iter()
        .zip(&heats)
        .filter(|(t, _)| same(**t, t_min))
        .map(|(_, q)| q)
        .sum();
    let mut m = MachinePerformance {
        role: "idle",
        power: zero_within_rounding(power, scale) + 0.0, // + 0.0: no "-0" in the output
        heat_in,
        efficiency: None,
        carnot_efficiency,
        efficiency_over_carnot: None,
        cop: None,
        carnot_cop: None,
        cop_over_carnot: None,
    };
    if is_rounding_zero(power, scale) {
        return m;
    }
    // A heat current is resolved when it exceeds HEAT_RESOLUTION of the gross heat exchange
    // (each J_Q^λ = J_E^λ − μ_λ J_N^λ carries a rounding of ~1e-16 of it); efficiencies and
    // COPs are given only from resolved heats.
    let heat_scale: f64 = device
        .leads
        .iter()
        .zip(currents)
        .map(|(l, c)| c.gross_energy + l.mu.abs() * c.gross_particle)
        .sum();
    let resolved = |q: f64| q > HEAT_RESOLUTION * heat_scale;
    if power > 0.0 && heat_in > 0.0 {
        m.role = "engine";
        if resolved(heat_in) {
            m.efficiency = Some(power / heat_in);
            m.efficiency_over_carnot =
                (carnot_efficiency > 0.0).then(|| power / heat_in / carnot_efficiency);
        }
    } else if power < 0.0 && two_temperatures && cold_heat > 0.0 {
        let carnot_cop = t_min / (t_max - t_min);
        m.role = "refrigerator";
        if resolved(cold_heat) {
            m.cop = Some(cold_heat / -power);
            m.carnot_cop = Some(carnot_cop);
            m.cop_over_carnot = Some(cold_heat / -power / carnot_cop);
        }
    } else {
        m.role = "dissipative";
    }
    m
}

/// Linear-response thermoelectric coefficients (module doc), at T = T_ρ.
#[derive(Debug, Clone, Serialize)]
pub struct LinearCoefficients {
    pub particle_force: String,
    pub heat_force: String,
    /// T_ρ.
    #[serde(rename = "T")]
    pub temperature: f64,
    /// G = L_NN/T (particles per unit time per unit energy).
    #[serde(rename = "G")]
    pub conductance: f64,
    /// S = L_NQ/(T L_NN) (k_B units).
    #[serde(rename = "S")]
    pub seebeck: f64,
    /// K = det L/(T² L_NN) (energy per unit time per unit temperature).
    #[serde(rename = "K")]
    pub thermal_conductance: f64,
    /// G S².
    pub power_factor: f64,
    /// ZT = L_NQ²/det L: +∞ under tight coupling (printed "inf"); absent when undefined
    /// (tight coupling with L_NQ = 0: a level exactly at the reference, S = K = 0).
    #[serde(
        serialize_with = "infinite_as_string",
        skip_serializing_if = "Option::is_none"
    )]
    #[serde(rename = "ZT")]
    pub zt: Option<f64>,
    pub tight_coupling: bool,
    /// η_max/η_C = (√(1+ZT) − 1)/(√(1+ZT) + 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "eta_max_over_carnot")]
    pub max_efficiency_over_carnot: Option<f64>,
    /// η(P_max)/η_C = ZT/(2 (ZT + 2)).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "eta_at_max_power_over_carnot")]
    pub efficiency_at_max_power_over_carnot: Option<f64>,
}

/// Serialises ±∞ as the string "inf" (JSON has no infinity).
pub(crate) fn infinite_as_string<S: serde::Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    match value {
        Some(v) if v.is_infinite() => serializer.serialize_str("inf"),
        Some(v) => serializer.serialize_f64(*v),
        None => serializer.serialize_none(),
    }
}

/// η_max/η_C for figure of merit `zt` (linear response; ∞ → 1).
pub(crate) fn max_efficiency_ratio(zt: f64) -> f64 {
    if zt.is_infinite() {
        1.0
    } else {
        let s = (1.0 + zt).sqrt();
        (s - 1.0) / (s + 1.0)
    }
}

/// η(P_max)/η_C for figure of merit `zt` (linear response; ∞ → 1/2).
pub(crate) fn efficiency_at_max_power_ratio(zt: f64) -> f64 {
    if zt.is_infinite() {
        0.5
    } else {
        zt / (2.0 * (zt + 2.0))
    }
}

/// The heat-representation basis with the references of `basis`.
pub(crate) fn heat_basis(model: &crate::model::Model, basis: &ForceBasis) -> Result<ForceBasis> {
    if basis.representation == Representation::Heat {
        return Ok(basis.clone());
    }
    ForceBasis::new(model, Representation::Heat, basis.references.clone())
}

/// G, S, K, ZT, … from the heat-representation operating point `point` (computed in
/// `heat`); see `linear_coefficients_of`.
pub(crate) fn linear_coefficients(
    point: &OperatingPoint,
    heat: &ForceBasis,
) -> Option<LinearCoefficients> {
    let t = 1.0 / point.device.leads[heat.references.energy].beta;
    linear_coefficients_of(&point.l, t, heat)
}

/// G, S, K, ZT, … from the heat-representation Onsager matrix `l` at temperature `t`;
/// `None` unless the model has one particle and one heat force and conducts particles at
/// the equilibrium (L_NN > 0; with L_NN = 0, S and K are 0/0).
pub(crate) fn linear_coefficients_of(
    l: &nalgebra::DMatrix<f64>,
    t: f64,
    heat: &ForceBasis,
) -> Option<LinearCoefficients> {
    let pair = ForcePair::of(heat)?;
    let (n, q) = (pair.particle, pair.energy);
    let (l_nn, l_nq, l_qq) = (l[(n, n)], 0.5 * (l[(n, q)] + l[(q, n)]), l[(q, q)]);
    if !(l_nn > 0.0) {
        return None;
    }
    let det = l_nn * l_qq - l_nq * l_nq;
    let tight = det <= TIGHT_COUPLING_TOLERANCE * l_nn * l_qq;
    let zt = match (tight, l_nq == 0.0) {
        (false, _) => Some(l_nq * l_nq / det),
        (true, false) => Some(f64::INFINITY),
        (true, true) => None,
    };
    let seebeck = l_nq / (t * l_nn);
    let conductance = l_nn / t;
    Some(LinearCoefficients {
        particle_force: heat.force_name(&heat.forces[n]),
        heat_force: heat.force_name(&heat.forces[q]),
        temperature: t,
        conductance,
        seebeck,
        thermal_conductance: if tight { 0.0 } else { det / (t * t * l_nn) },
        power_factor: conductance * seebeck * seebeck,
        zt,
        tight_coupling: tight,
        max_efficiency_over_carnot: zt.map(max_efficiency_ratio),
        efficiency_at_max_power_over_carnot: zt.map(efficiency_at_max_power_ratio),
    })
}

/// Smallest heat current, relative to the gross heat exchange, from which an efficiency or
/// COP is computed (below it the heat is rounding).
pub(crate) const HEAT_RESOLUTION: f64 = 1e-9;

/// Smallest |J_N| / gross exchange at which the load optimisation evaluates an efficiency:
/// there J_N (a difference of inward and outward flows) keeps ~10 significant digits.
pub(crate) const RESOLUTION: f64 = 1e-6;

/// The engine optimised over its load: the bias Δμ = μ_λ − μ_ρc of the particle force's
/// lead λ, at the point's temperatures.
#[derive(Debug, Clone, Serialize)]
pub struct LoadOptimum {
    /// The lead whose μ is the load.
    pub load_lead: String,
    /// Δμ at which J_N^λ vanishes (stall; the engine works for Δμ between 0 and this).
    pub stall_bias: f64,
    /// Δμ at maximum power.
    pub bias_at_max_power: f64,
    #[serde(rename = "P_max")]
    pub max_power: f64,
    /// η at maximum power, and over η_C.
    #[serde(rename = "eta_at_max_power")]
    pub efficiency_at_max_power: f64,
    #[serde(rename = "eta_at_max_power_over_carnot")]
    pub efficiency_at_max_power_over_carnot: f64,
    /// Δμ at maximum efficiency.
    #[serde(rename = "bias_at_eta_max")]
    pub bias_at_max_efficiency: f64,
    #[serde(rename = "eta_max")]
    pub max_efficiency: f64,
    #[serde(rename = "eta_max_over_carnot")]
    pub max_efficiency_over_carnot: f64,
    #[serde(rename = "eta_carnot")]
    pub carnot_efficiency: f64,
}

/// The steady state of `point` with lead `lead`'s μ at μ_ρc + `bias` (the load), by the
/// point's method: that lead's currents (with the gross exchange) and the machine
/// ([`machine`]).
pub(crate) fn machine_at_bias(
    point: &OperatingPoint,
    basis: &ForceBasis,
    lead: usize,
    bias: f64,
) -> Result<(LeadCurrents, MachinePerformance)> {
    let mu_reference = point.device.leads[basis.particle_reference(lead)].mu;
    let mut leads = point.device.leads.clone();
    leads[lead].mu = mu_reference + bias;
    let device = point.device.with_leads(leads);
    let (_, currents) = point.steady_currents(&device)?;
    Ok((currents[lead], machine(&device, &currents, basis)))
}

/// Maximise power and efficiency over the load (module doc). `None` when the point cannot
/// be an engine: equal temperatures, no particle force, or no current at zero bias.
pub(crate) fn optimise_load(
    point: &OperatingPoint,
    basis: &ForceBasis,
    lead_names: &[String],
) -> Result<Option<LoadOptimum>> {
    let Some(force) = basis.forces.iter().find(|f| f.kind == FluxKind::Particle) else {
        return Ok(None);
    };
    if basis.merged_with(force).count() > 1 {
        return Ok(None); // the load would have to move every merged lead
    }
    let lead = force.lead;
    let at_bias = |bias: f64| machine_at_bias(point, basis, lead, bias);
    let (short_circuit, m0) = at_bias(0.0)?;
    let j0 = short_circuit.particle;
    if m0.carnot_efficiency <= 0.0 || j0.abs() <= ZERO_TOLERANCE * short_circuit.gross_particle {
        return Ok(None);
    }
    // The engine pushes particles against the bias: Δμ J_N < 0.
    let direction = -j0.signum();
    let t_min = point
        .device
        .leads
        .iter()
        .map(|l| 1.0 / l.beta)
        .fold(f64::MAX, f64::min);
    let energy_scale = point
        .device
        .transitions
        .iter()
        .map(|t| t.omega.abs())
        .fold(0.0, f64::max)
        + point
            .device
            .leads
            .iter()
            .map(|l| l.mu.abs() + 1.0 / l.beta)
            .fold(0.0, f64::max);
    // Bracket the stall bias, then bisect.
    let mut hi = 0.1 * t_min;
    while at_bias(direction * hi)?.0.particle * j0 > 0.0 {
        hi *= 2.0;
        if hi > 1e3 * energy_scale {
            return Err(Error::Singular(
                "no stall bias found for the load optimisation: the current at zero bias \
                 never reverses"
                    .into(),
            ));
        }
    }
    // Bisect for the stall bias, and for the largest bias at which J_N is still resolvable
    // (|J_N| ≥ RESOLUTION × its gross exchange): beyond it rounding dominates the efficiency
    // (P and Q_in both → 0), so the optimisation stays below it.
    let bisect = |keep: &dyn Fn(&LeadCurrents) -> bool, hi: f64| -> Result<f64> {
        let (mut lo, mut hi) = (0.0, hi);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if keep(&at_bias(direction * mid)?.0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok(lo)
    };
    let stall = bisect(&|c| c.particle * j0 > 0.0, hi)?;
    let resolvable = |c: &LeadCurrents| {
        c.particle * j0 > 0.0 && c.particle.abs() >= RESOLUTION * c.gross_particle
    };
    if !resolvable(&short_circuit) {
        return Ok(None);
    }
    let end = bisect(&resolvable, stall)?;
    let power = |x: f64| at_bias(direction * x).map(|(_, m)| m.power);
    let efficiency = |x: f64| at_bias(direction * x).map(|(_, m)| m.efficiency.unwrap_or(0.0));
    let x_power = maximise(&power, end)?;
    let x_efficiency = maximise(&efficiency, end)?;
    let (_, at_power) = at_bias(direction * x_power)?;
    let (_, at_efficiency) = at_bias(direction * x_efficiency)?;
    let eta_c = m0.carnot_efficiency;
    let eta = |m: &MachinePerformance| m.efficiency.unwrap_or(0.0);
    Ok(Some(LoadOptimum {
        load_lead: lead_names[lead].clone(),
        stall_bias: direction * stall,
        bias_at_max_power: direction * x_power,
        max_power: at_power.power,
        efficiency_at_max_power: eta(&at_power),
        efficiency_at_max_power_over_carnot: eta(&at_power) / eta_c,
        bias_at_max_efficiency: direction * x_efficiency,
        max_efficiency: eta(&at_efficiency),
        max_efficiency_over_carnot: eta(&at_efficiency) / eta_c,
        carnot_efficiency: eta_c,
    }))
}

/// The maximiser of `f` on the open interval (0, end): a 64-cell scan, then golden-section
/// refinement in the cells around the best sample.
pub(crate) fn maximise(f: &dyn Fn(f64) -> Result<f64>, end: f64) -> Result<f64> {
    const CELLS: usize = 64;
    let h = end / CELLS as f64;
    let mut best = (1, f64::MIN);
    for k in 1..CELLS {
        let v = f(k as f64 * h)?;
        if v > best.1 {
            best = (k, v);
        }
    }
    let (mut a, mut b) = ((best.0 - 1) as f64 * h, (best.0 + 1) as f64 * h);
    let ratio = 0.5 * (5f64.sqrt() - 1.0);
    let (mut c, mut d) = (b - ratio * (b - a), a + ratio * (b - a));
    let (mut fc, mut fd) = (f(c)?, f(d)?);
    while b - a > 1e-10 * end {
        if fc > fd {
            b = d;
            (d, fd) = (c, fc);
            c = b - ratio * (b - a);
            fc = f(c)?;
        } else {
            a = c;
            (c, fc) = (d, fd);
            d = a + ratio * (b - a);
            fd = f(d)?;
        }
    }
    Ok(0.5 * (a + b))
}
