//! `qct bench`: a quick, printed measurement of qct's speed on this machine (the criterion
//! benchmarks in `benches/` are the careful version). Timings are wall-clock medians of a
//! few repetitions; nothing is asserted.

use qct::model::{Model, builtin::builtin};
use qct::thermo::{ForceBasis, Representation};
use qct::{Method, Plan, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::hint::black_box;
use std::time::Instant;

#[derive(Debug, Serialize)]
pub struct Throughput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points_per_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matrices_per_s: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Seconds {
    pub seconds: f64,
    pub states: usize,
    pub solver: &'static str,
}

/// Parallel sweep of cqd steady states: points/s with 1 thread and with all cores.
#[derive(Debug, Serialize)]
pub struct SweepScaling {
    pub cores: usize,
    pub points_per_s_1_thread: f64,
    pub points_per_s_all_threads: f64,
    pub speedup: f64,
}

/// `qct bench --format json`.
#[derive(Debug, Serialize)]
pub struct BenchReport {
    pub cqd_steady_state: Throughput,
    pub cqd_onsager: Throughput,
    pub sweep_scaling: SweepScaling,
    pub dots_10: Seconds,
    pub dots_12: Seconds,
    /// `qct sweep` end to end on all cores: the regime map of the icc force plane (each point
    /// a steady state, its equilibrium L and the classification), points/s.
    pub regime_sweep: Throughput,
    /// serial_dd (interdot tunnelling, eigenbasis of H): Pauli steady state + currents,
    /// points/s on one core.
    pub serial_dd_pauli: Throughput,
    /// serial_dd Bloch–Redfield steady state + currents, points/s on one core.
    pub serial_dd_redfield: Throughput,
    /// Model → seconds of `qct derive` (symbolic engine); empty with --no-symbolic.
    pub derive: serde_json::Map<String, serde_json::Value>,
    /// Model → characters of the compact form (SymPy syntax: all definitions and all n×n
    /// entries); empty with --no-symbolic.
    pub compact_size: serde_json::Map<String, serde_json::Value>,
}

/// Median wall time of `repeats` runs of `f`, seconds.
fn median_seconds(repeats: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// ε_b (or ε_1) of point k of the benchmarks' sweeps: 1000 values in [−2, 2).
fn level(k: usize) -> f64 {
    -2.0 + (k % 1000) as f64 * 0.004
}

/// Steady state + currents ([`Plan::steady_state`]) of cqd at the points `range` of an ε_b
/// sweep.
fn cqd_points(plan: &Plan, range: std::ops::Range<usize>) {
    let mut p = plan.model().parameters();
    for k in range {
        p.set("eps_b", level(k)).expect("valid point");
        black_box(plan.steady_state(&p).expect("unique steady state"));
    }
}

/// Run all measurements. `symbolic` adds the `qct derive` timings (starts Symbolica).
pub fn run(symbolic: bool) -> Result<BenchReport> {
    let cqd = builtin("cqd")?;
    let plan = cqd.plan();
    let n = 200_000;
    let steady = median_seconds(3, || cqd_points(&plan, 0..n));
    let m = 50_000;
    let onsager = onsager_seconds(&cqd, m)?;
    let cores = rayon::current_num_threads();
    let (one, all) = (sweep_rate(&plan, n, 1), sweep_rate(&plan, n, cores));
    let (regime_points, regime_seconds) = regime_sweep_seconds()?;
    let serial = builtin("serial_dd")?;
    let serial_dd_pauli = serial_rate(&serial, 200_000, Method::Pauli)?;
    let serial_dd_redfield = serial_rate(&serial, 20_000, Method::Redfield)?;
    let (derive, compact_size) = derive_timings(symbolic)?;
    let points = |per_second: f64| Throughput {
        points_per_s: Some(per_second),
        matrices_per_s: None,
    };
    Ok(BenchReport {
        cqd_steady_state: points(n as f64 / steady),
        cqd_onsager: Throughput {
            points_per_s: None,
            matrices_per_s: Some(m as f64 / onsager),
        },
        sweep_scaling: SweepScaling {
            cores,
            points_per_s_1_thread: one,
            points_per_s_all_threads: all,
            speedup: all / one,
        },
        dots_10: large(10, 3)?,
        dots_12: large(12, 1)?,
        regime_sweep: points(regime_points as f64 / regime_seconds),
        serial_dd_pauli: points(serial_dd_pauli),
        serial_dd_redfield: points(serial_dd_redfield),
        derive,
        compact_size,
    })
}

/// Median seconds of `count` exact linear-response Onsager matrices ([`Plan::onsager`]) of
/// cqd along an ε_b sweep.
fn onsager_seconds(cqd: &Model, count: usize) -> Result<f64> {
    let basis = cqd.basis(Representation::Energy)?;
    let plan = cqd.plan();
    Ok(median_seconds(3, || {
        let mut p = cqd.parameters();
        for k in 0..count {
            p.set("eps_b", level(k)).expect("valid point");
            black_box(plan.onsager(&p, &basis).expect("unique steady state"));
        }
    }))
}

/// cqd steady states per second of `n` points in 64 chunks on a pool of `threads` threads.
fn sweep_rate(cqd: &Plan, n: usize, threads: usize) -> f64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let chunks = 64;
    let per_chunk = n / chunks;
    let seconds = median_seconds(3, || {
        pool.install(|| {
            (0..chunks)
                .into_par_iter()
                .for_each(|c| cqd_points(cqd, c * per_chunk..(c + 1) * per_chunk))
        })
    });
    (chunks * per_chunk) as f64 / seconds
}

/// Steady state + currents of the chain of `dots` dots: median of `repeats` runs.
fn large(dots: usize, repeats: usize) -> Result<Seconds> {
    let model = qct::model::chain::chain_model(dots)?;
    let p = model.parameters();
    let seconds = median_seconds(repeats, || {
        black_box(model.solve(&p).expect("unique steady state"));
    });
    Ok(Seconds {
        seconds,
        states: model.n_states(),
        solver: if model.n_states() > qct::method::DENSE_LIMIT {
            "sparse Gauss-Seidel"
        } else {
            "dense state reduction"
        },
    })
}

/// `qct sweep` of the icc regime map on all cores: (points, median seconds).
fn regime_sweep_seconds() -> Result<(usize, f64)> {
    let icc = builtin("icc")?;
    let icc_basis = ForceBasis::new(&icc, Representation::Energy, icc.default_references())?;
    let grid = qct::sweep::Grid::new(vec![
        "F_E^l=-0.3:0.3:201".parse()?,
        "F_N^l=-0.3:0.3:201".parse()?,
    ])?;
    let seconds = median_seconds(3, || {
        black_box(
            qct::quantity::sweep_table(
                &icc,
                &icc.defaults(),
                &icc_basis,
                &grid,
                &["regime".to_string()],
                None,
                None,
                qct::sweep::OnError::Stop,
            )
            .expect("sweep runs"),
        );
    });
    Ok((grid.len(), seconds))
}

/// serial_dd points per second on one core along an ε_1 sweep: the Pauli steady state +
/// currents in the eigenbasis ([`Plan::steady_state`]), or the currents of the density-matrix
/// steady state of `method` (a one-thread [`Model::evaluate_with`] of every lead's J_N).
fn serial_rate(serial: &Model, count: usize, method: Method) -> Result<f64> {
    let seconds = if method == Method::Pauli {
        let plan = serial.plan();
        median_seconds(3, || {
            let mut p = serial.parameters();
            for k in 0..count {
                p.set("eps_1", level(k)).expect("valid point");
                black_box(plan.steady_state(&p).expect("unique steady state"));
            }
        })
    } else {
        let basis = serial.basis(Representation::Energy)?;
        let (p, eps_1) = (
            serial.parameters(),
            (0..count).map(level).collect::<Vec<f64>>(),
        );
        let currents: Vec<String> = (serial.leads.iter())
            .map(|l| format!("J_N^{}", l.name))
            .collect();
        let one_core = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("thread pool");
        median_seconds(3, || {
            let columns = one_core.install(|| {
                serial.evaluate_with(&p, &basis, &["eps_1"], &[&eps_1], &currents, method)
            });
            black_box(columns.expect("steady states"));
        })
    };
    Ok(count as f64 / seconds)
}

/// JSON maps of the report's `derive` (model → seconds of `qct derive`) and `compact_size`
/// (model → characters); empty without `symbolic`.
type DeriveTimings = (
    serde_json::Map<String, serde_json::Value>,
    serde_json::Map<String, serde_json::Value>,
);

/// `qct derive` of the built-ins without hopping, the double dot and (from a checkout) the
/// 3-dot example: seconds and compact-form sizes.
fn derive_timings(symbolic: bool) -> Result<DeriveTimings> {
    let mut derive = serde_json::Map::new();
    let mut compact_size = serde_json::Map::new();
    if !symbolic {
        return Ok((derive, compact_size));
    }
    let mut models: Vec<qct::model::Model> = qct::model::builtin::NAMES
        .iter()
        .map(|name| builtin(name))
        .collect::<Result<_>>()?;
    models.retain(|m| m.hoppings.is_empty());
    models.push(crate::derivations::double_dot::model()?);
    // The 3-dot example when run from a checkout (it takes ~15 s).
    let triple = std::path::Path::new("examples/triple_dot_three_terminal.json");
    if triple.is_file() {
        models.push(qct::model::json::from_file(triple)?);
    }
    for model in models {
        let basis = ForceBasis::new(&model, Representation::Energy, model.default_references())?;
        let start = Instant::now();
        let d = qct::symbolic::derive(&model, &basis, qct::symbolic::Form::Compact)?;
        derive.insert(
            model.name.clone(),
            serde_json::json!(start.elapsed().as_secs_f64()),
        );
        compact_size.insert(model.name.clone(), serde_json::json!(d.compact.size_sympy));
    }
    Ok((derive, compact_size))
}

/// `qct bench` as text.
pub fn text(r: &BenchReport) -> String {
    let mut out =
        String::from("qct bench (wall-clock medians on this machine; see also cargo bench)\n");
    let rate = |x: Option<f64>| x.map(|v| format!("{v:.3e}")).unwrap_or_default();
    out += &format!(
        "  cqd steady state + currents   {} points/s (one core; target >= 2e6)\n",
        rate(r.cqd_steady_state.points_per_s)
    );
    out += &format!(
        "  cqd Onsager matrix            {} matrices/s (one core; target >= 5e5)\n",
        rate(r.cqd_onsager.matrices_per_s)
    );
    out += &format!(
        "  parallel cqd sweep            {:.3e} points/s on 1 thread, {:.3e} on {} (speed-up {:.2})\n",
        r.sweep_scaling.points_per_s_1_thread,
        r.sweep_scaling.points_per_s_all_threads,
        r.sweep_scaling.cores,
        r.sweep_scaling.speedup
    );
    for (label, s, target) in [
        ("10 dots", &r.dots_10, "< 1 s"),
        ("12 dots", &r.dots_12, "< 5 s"),
    ] {
        out += &format!(
            "  {label} ({} states)         {:.3} s steady state + currents, {} (target {target})\n",
            s.states, s.seconds, s.solver
        );
    }
    out += &format!(
        "  qct sweep, icc regime map     {} points/s on all cores (steady state, L, regime)\n",
        rate(r.regime_sweep.points_per_s)
    );
    out += &format!(
        "  serial_dd Pauli (eigenbasis)  {} points/s (one core; target >= 1e6)\n",
        rate(r.serial_dd_pauli.points_per_s)
    );
    out += &format!(
        "  serial_dd Bloch-Redfield      {} points/s (one core; target >= 1e5)\n",
        rate(r.serial_dd_redfield.points_per_s)
    );
    for (model, seconds) in &r.derive {
        out += &format!(
            "  qct derive {model:<26} {:.3} s, compact form {} characters (SymPy)\n",
            seconds.as_f64().unwrap_or_default(),
            r.compact_size
                .get(model)
                .and_then(|v| v.as_u64())
                .unwrap_or_default()
        );
    }
    out
}
