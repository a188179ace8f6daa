//! ⑧ The efficiency–power trade-off of an engine and the COP–cooling-power trade-off of a
//! refrigerator, over the load (the bias Δμ = μ_λ − μ_ρc of the particle force's lead, at
//! the point's temperatures), nonlinear, compared with linear response.
//!
//! Engine: 0 < |Δμ| < |Δμ_stall| (the direction in which the engine pushes particles
//! against the bias, [`crate::performance::optimise_load`]); the curve η(P) is a loop from
//! short circuit (P = 0) through maximum power to stall (P = 0 again), with the optimum's
//! maximum-power and maximum-efficiency biases among its samples.
//! Refrigerator: beyond stall the bias drives the current backwards; where it carries heat
//! out of the cold leads the device refrigerates: COP(Q_c) over those biases, and the
//! maximum COP over the load.
//!
//! Linear response (heat representation, J = L F with the symmetric L of seed Eq. (3), at
//! fixed heat force F_Q and load F_N; q² = L_NQ²/(L_NN L_QQ) = ZT/(1 + ZT)): with
//! u = F_N/F_N,stall the power is P = 4 P_max u (1 − u) and η/η_C = q² u (1 − u)/(1 − q² u),
//! so at p = P/P_max
//! η(P)/η_C = p ZT / (2 (ZT + 2 ∓ ZT √(1 − p))),
//! the upper sign on the branch beyond maximum power (towards stall), the lower one before
//! it; p = 1 gives η(P_max)/η_C = ZT/(2 (ZT + 2)) and the maximum over u gives
//! η_max/η_C = (√(1+ZT) − 1)/(√(1+ZT) + 1) (README, "Thermoelectric performance"). The
//! same maximum bounds COP/COP_C of the linear-response refrigerator. The review states no
//! efficiency–power relation; these follow from its Eq. (3) (linear Onsager relations) and
//! Eq. (1) (Σ̇ = Σ_i F_i J_i: η/η_C = −F_N J_N/(F_Q J_Q)).

use serde::Serialize;

use crate::currents::LeadCurrents;
use crate::error::Result;
use crate::performance::{
    LoadOptimum, RESOLUTION, machine_at_bias, max_efficiency_ratio, maximise,
};
use crate::regime::OperatingPoint;
use crate::thermo::{FluxKind, ForceBasis};

/// The engine's η(P) over the load.
#[derive(Debug, Clone, Serialize)]
pub struct EngineTradeoff {
    /// Δμ of the load lead at each sample (energy), from short circuit to stall.
    pub bias: Vec<f64>,
    /// P (energy/time).
    #[serde(rename = "P")]
    pub power: Vec<f64>,
    /// η = P/Q_in; `null` where the heat is not resolved (at stall P and Q_in both vanish).
    #[serde(rename = "eta")]
    pub efficiency: Vec<Option<f64>>,
    #[serde(rename = "eta_over_carnot")]
    pub efficiency_over_carnot: Vec<Option<f64>>,
    /// The linear-response η(P)/η_C at the same P/P_max and on the same branch (module
    /// doc), from the ZT of the point's equilibrium; absent without ZT.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "linear_eta_over_carnot")]
    pub linear_response_efficiency_over_carnot: Option<Vec<f64>>,
}

/// The refrigerator's COP(Q_c) over the load.
#[derive(Debug, Clone, Serialize)]
pub struct RefrigeratorTradeoff {
    /// Δμ of the load lead at each sample (energy), beyond stall, while the cold leads
    /// are cooled.
    pub bias: Vec<f64>,
    /// Q_c: heat extracted from the coldest leads (energy/time).
    #[serde(rename = "Q_c")]
    pub cooling_power: Vec<f64>,
    /// W = −P: power consumed (energy/time).
    #[serde(rename = "W")]
    pub power_consumed: Vec<f64>,
    /// COP = Q_c/W; `null` where Q_c is not resolved.
    pub cop: Vec<Option<f64>>,
    pub cop_over_carnot: Vec<Option<f64>>,
    /// COP_C = T_min/(T_max − T_min).
    #[serde(rename = "cop_carnot")]
    pub carnot_cop: f64,
    /// The maximum COP over the load, its bias and cooling power.
    #[serde(rename = "cop_max")]
    pub max_cop: f64,
    #[serde(rename = "cop_max_over_carnot")]
    pub max_cop_over_carnot: f64,
    #[serde(rename = "bias_at_cop_max")]
    pub bias_at_max_cop: f64,
    #[serde(rename = "Q_c_at_cop_max")]
    pub cooling_power_at_max_cop: f64,
    /// The largest cooling power among the samples, and the COP there.
    #[serde(rename = "Q_c_max")]
    pub max_cooling_power: f64,
    #[serde(rename = "cop_at_Q_c_max")]
    pub cop_at_max_cooling_power: f64,
    /// Linear-response bound COP_max/COP_C = (√(1+ZT) − 1)/(√(1+ZT) + 1); absent without
    /// ZT.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "linear_cop_max_over_carnot")]
    pub linear_response_max_cop_over_carnot: Option<f64>,
}

/// Both trade-offs of one point.
#[derive(Debug, Clone, Serialize)]
pub struct Tradeoff {
    /// The lead whose μ is the load.
    pub load_lead: String,
    /// ZT at the point's equilibrium (heat representation); `"inf"` under tight coupling.
    #[serde(
        serialize_with = "crate::performance::infinite_as_string",
        skip_serializing_if = "Option::is_none"
    )]
    #[serde(rename = "ZT")]
    pub zt: Option<f64>,
    pub engine: EngineTradeoff,
    /// Absent when no bias beyond stall cools the cold leads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refrigerator: Option<RefrigeratorTradeoff>,
}

/// Linear-response η(P)/η_C at p = P/P_max ∈ [0, 1] on the branch beyond maximum power
/// (`beyond`) or before it (module doc); ZT = ∞ is the tight-coupling limit.
pub(crate) fn linear_efficiency_at_power(zt: f64, p: f64, beyond: bool) -> f64 {
    let p = p.clamp(0.0, 1.0);
    let root = (1.0 - p).sqrt();
    let sign = if beyond { -1.0 } else { 1.0 };
    if zt.is_infinite() {
        // p/(2 (1 ∓ √(1 − p))) = (1 ± √(1 − p))/2: finite at stall (p = 0 beyond).
        return (1.0 - sign * root) / 2.0;
    }
    p * zt / (2.0 * (zt + 2.0 + sign * zt * root))
}

/// The trade-off curves of `point` (heat representation `heat`) with `samples` biases per
/// curve; `optimum` is the point's load optimum, `zt` its figure of merit.
pub(crate) fn tradeoff(
    point: &OperatingPoint,
    heat: &ForceBasis,
    optimum: &LoadOptimum,
    zt: Option<f64>,
    samples: usize,
) -> Result<Tradeoff> {
    let lead = heat
        .forces
        .iter()
        .find(|f| f.kind == FluxKind::Particle)
        .map(|f| f.lead)
        .expect("a load optimum has a particle force");
    let at = |bias: f64| machine_at_bias(point, heat, lead, bias);
    let stall = optimum.stall_bias;
    let eta_c = optimum.carnot_efficiency;

    // The engine: uniform samples of (0, stall) plus the two optimal biases.
    let mut biases: Vec<f64> = (0..=samples)
        .map(|k| stall * k as f64 / samples as f64)
        .chain([optimum.bias_at_max_power, optimum.bias_at_max_efficiency])
        .collect();
    biases.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    biases.dedup();
    let mut engine = EngineTradeoff {
        bias: Vec::new(),
        power: Vec::new(),
        efficiency: Vec::new(),
        efficiency_over_carnot: Vec::new(),
        linear_response_efficiency_over_carnot: None,
    };
    for &b in &biases {
        let (c, m) = at(b)?;
        // η only where J_N is resolved (as in the optimisation): at stall P and Q_in are
        // both rounding.
        let resolved = c.particle.abs() >= RESOLUTION * c.gross_particle;
        let efficiency = m.efficiency.filter(|_| resolved);
        engine.bias.push(b);
        engine.power.push(m.power);
        engine.efficiency.push(efficiency);
        engine
            .efficiency_over_carnot
            .push(efficiency.map(|e| e / eta_c));
    }
    if let Some(zt) = zt {
        let p_max = optimum.max_power;
        let beyond_max = optimum.bias_at_max_power.abs();
        engine.linear_response_efficiency_over_carnot = Some(
            engine
                .bias
                .iter()
                .zip(&engine.power)
                .map(|(b, p)| linear_efficiency_at_power(zt, p / p_max, b.abs() > beyond_max))
                .collect(),
        );
    }
    let refrigerator = refrigerator(&at, stall, samples, zt)?;
    Ok(Tradeoff {
        load_lead: optimum.load_lead.clone(),
        zt,
        engine,
        refrigerator,
    })
}

type Machine = crate::performance::MachinePerformance;

/// Smallest COP/COP_C on the refrigerator's curve.
pub(crate) const MIN_COP_OVER_CARNOT: f64 = 1e-3;

/// COP(Q_c) beyond stall (module doc): the first cooling bias found by doubling the step
/// beyond stall, the end of cooling (or of COP/COP_C ≥ [`MIN_COP_OVER_CARNOT`]) by
/// bisection, then `samples` log-spaced biases and the maximum COP.
fn refrigerator(
    at: &dyn Fn(f64) -> Result<(LeadCurrents, Machine)>,
    stall: f64,
    samples: usize,
    zt: Option<f64>,
) -> Result<Option<RefrigeratorTradeoff>> {
    let direction = stall.signum();
    // Cooling with a COP of at least MIN_COP_OVER_CARNOT: at large bias a saturated
    // current keeps cooling at a vanishing COP, a tail the curve leaves out.
    // Like the engine's optimisation, only where the load lead's J_N is resolved (≥
    // RESOLUTION of its gross exchange): next to stall Q_c and W are both rounding.
    let cooling = |(c, m): &(LeadCurrents, Machine)| {
        m.role == "refrigerator"
            && m.cop_over_carnot.is_some_and(|c| c >= MIN_COP_OVER_CARNOT)
            && c.particle.abs() >= RESOLUTION * c.gross_particle
    };
    let beyond = |x: f64| at(stall + direction * x);
    // Find a cooling bias, then the first bias past it that no longer cools.
    let mut step = 1e-3 * stall.abs();
    let mut first = None;
    for _ in 0..40 {
        if cooling(&beyond(step)?) {
            first = Some(step);
            break;
        }
        step *= 2.0;
    }
    let Some(first) = first else { return Ok(None) };
    let mut end = 2.0 * first;
    let mut rounds = 0;
    while cooling(&beyond(end)?) {
        end *= 2.0;
        rounds += 1;
        if rounds > 40 {
            break;
        }
    }
    let (mut lo, mut hi) = (first, end);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if cooling(&beyond(mid)?) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let end = lo;
    // Cooling may start after stall (conduction first): sample from 0 beyond stall.
    let cop = |x: f64| {
        beyond(x).map(|s| {
            if cooling(&s) {
                s.1.cop.unwrap_or(0.0)
            } else {
                0.0
            }
        })
    };
    // The maximum COP usually lies close to stall on a long cooling range: a second scan
    // over four times the first estimate resolves it.
    let x_best = maximise(&cop, end)?;
    let x_best = maximise(&cop, end.min(4.0 * x_best))?;
    // Log-spaced samples from 10⁻³ of the best bias to the end.
    let start = (1e-3 * x_best).min(end);
    let mut xs: Vec<f64> = (0..samples)
        .map(|k| start * (end / start).powf(k as f64 / (samples - 1).max(1) as f64))
        .chain([x_best])
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let (_, best) = beyond(x_best)?;
    let carnot_cop = beyond(first)?.1.carnot_cop.unwrap_or(0.0);
    let mut r = RefrigeratorTradeoff {
        bias: Vec::new(),
        cooling_power: Vec::new(),
        power_consumed: Vec::new(),
        cop: Vec::new(),
        cop_over_carnot: Vec::new(),
        carnot_cop,
        max_cop: best.cop.unwrap_or(0.0),
        max_cop_over_carnot: best.cop_over_carnot.unwrap_or(0.0),
        bias_at_max_cop: stall + direction * x_best,
        cooling_power_at_max_cop: best.cop.unwrap_or(0.0) * -best.power,
        max_cooling_power: 0.0,
        cop_at_max_cooling_power: 0.0,
        linear_response_max_cop_over_carnot: zt.map(max_efficiency_ratio),
    };
    for x in xs {
        let sample = beyond(x)?;
        if !cooling(&sample) {
            continue;
        }
        let m = sample.1;
        let cop = m.cop.unwrap_or(0.0);
        let q_c = cop * -m.power;
        r.bias.push(stall + direction * x);
        r.cooling_power.push(q_c);
        r.power_consumed.push(-m.power);
        r.cop.push(m.cop);
        r.cop_over_carnot.push(m.cop_over_carnot);
        if q_c > r.max_cooling_power {
            r.max_cooling_power = q_c;
            r.cop_at_max_cooling_power = cop;
        }
    }
    Ok(Some(r))
}

#[cfg(test)]
mod tests {
    use super::linear_efficiency_at_power;
    use crate::performance::{efficiency_at_max_power_ratio, max_efficiency_ratio};

    /// The linear-response η(P) at maximum power and its maximum over the branch beyond it
    /// are the ZT formulas; both branches start at 0 (short circuit) and stall, and the
    /// tight-coupling limit is reached continuously.
    #[test]
    fn linear_curve_meets_the_zt_formulas() {
        for zt in [0.1, 1.0, 3.0, 50.0] {
            for beyond in [false, true] {
                let at_max = linear_efficiency_at_power(zt, 1.0, beyond);
                assert!((at_max - efficiency_at_max_power_ratio(zt)).abs() < 1e-15);
            }
            assert_eq!(linear_efficiency_at_power(zt, 0.0, false), 0.0);
            let best = (1..100_000)
                .map(|k| linear_efficiency_at_power(zt, k as f64 / 100_000.0, true))
                .fold(0.0, f64::max);
            let bound = max_efficiency_ratio(zt);
            assert!(best <= bound * (1.0 + 1e-12) && best > bound * (1.0 - 1e-6));
            // η(P) from u: q² u (1 − u)/(1 − q² u) with P/P_max = 4 u (1 − u).
            let q2 = zt / (1.0 + zt);
            for u in [0.1, 0.3, 0.7, 0.9] {
                let p = 4.0 * u * (1.0 - u);
                let direct = q2 * u * (1.0 - u) / (1.0 - q2 * u);
                let curve = linear_efficiency_at_power(zt, p, u > 0.5);
                assert!((direct - curve).abs() < 1e-12, "{zt} {u}: {direct} {curve}");
            }
        }
        let tight = linear_efficiency_at_power(f64::INFINITY, 0.36, true);
        let close = linear_efficiency_at_power(1e12, 0.36, true);
        assert!((tight - 0.9).abs() < 1e-15 && (tight - close).abs() < 1e-9);
    }
}
