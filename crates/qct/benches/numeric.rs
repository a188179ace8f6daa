//! Throughput of the numeric pipeline (issue targets: cqd steady state + currents
//! ≥ 2,000,000 points/s/core; cqd Onsager matrix ≥ 500,000/s/core; 10 dots < 1 s; cqd
//! cumulants κ₁…κ₄ of J_N^l ≥ 100,000 points/s/core).
//! Run: `cargo bench --bench numeric`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qct::{Model, Representation};
use std::hint::black_box;

fn cqd(c: &mut Criterion) {
    let model = Model::builtin("cqd").unwrap();
    let plan = model.plan();
    let mut p = model.parameters();
    let basis = model.basis(Representation::Energy).unwrap();
    let mut group = c.benchmark_group("cqd");
    group.throughput(Throughput::Elements(1));
    let mut k = 0u32;
    group.bench_function("steady_state_and_currents", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            p.set("eps_b", -2.0 + f64::from(k % 1000) * 0.004).unwrap();
            black_box(plan.steady_state(black_box(&p)).unwrap())
        })
    });
    group.bench_function("onsager_matrix", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            p.set("eps_b", -2.0 + f64::from(k % 1000) * 0.004).unwrap();
            black_box(plan.onsager(black_box(&p), &basis).unwrap())
        })
    });
    // Through the public API: κ₁…κ₄ of J_N^l, J_E^l, J_Q^l and of σ (Model::cumulants,
    // four counters on one tilted generator; the target is for J_N^l alone).
    let lead_l = [model.lead_index("l").unwrap()];
    group.bench_function("cumulants_to_4th_order", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            p.set("eps_b", -2.0 + f64::from(k % 1000) * 0.004).unwrap();
            black_box(model.cumulants(black_box(&p), &lead_l, 4).unwrap())
        })
    });
    group.finish();
}

/// Steady state + currents of the n-dot chain (10 dots: dense, 12 dots: sparse solver).
fn many_dots(c: &mut Criterion) {
    for dots in [10, 12] {
        let model = qct::model::chain::chain_model(dots).unwrap();
        let p = model.parameters();
        let mut group = c.benchmark_group(format!("dots_{dots}"));
        group.sample_size(10);
        group.bench_function("steady_state_and_currents", |b| {
            b.iter(|| black_box(model.solve(black_box(&p)).unwrap()))
        });
        group.finish();
    }
}

criterion_group!(benches, cqd, many_dots);
criterion_main!(benches);
