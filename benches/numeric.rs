//! Throughput of the numeric pipeline (issue targets: cqd steady state + currents
//! ≥ 2,000,000 points/s/core; cqd Onsager matrix ≥ 500,000/s/core; 10 dots < 1 s).
//! Run: `cargo bench --bench numeric`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qct::currents::steady_currents;
use qct::model::{builtin::builtin, json::from_json};
use qct::onsager::linear_response;
use qct::rates::Device;
use qct::thermo::{ForceBasis, Representation, equilibrium_parameters};
use std::hint::black_box;

fn cqd(c: &mut Criterion) {
    let model = builtin("cqd").unwrap();
    let mut values = model.defaults();
    let eps_b = model.param("eps_b").unwrap().0;
    let basis =
        ForceBasis::new(&model, Representation::Energy, model.default_references()).unwrap();
    let mut group = c.benchmark_group("cqd");
    group.throughput(Throughput::Elements(1));
    let mut k = 0u32;
    group.bench_function("steady_state_and_currents", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            values[eps_b] = -2.0 + f64::from(k % 1000) * 0.004;
            let device = Device::new(&model, black_box(&values)).unwrap();
            black_box(steady_currents(&device).unwrap())
        })
    });
    group.bench_function("onsager_matrix", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            values[eps_b] = -2.0 + f64::from(k % 1000) * 0.004;
            let eq = equilibrium_parameters(&model, &basis, black_box(&values));
            let device = Device::new(&model, &eq).unwrap();
            black_box(linear_response(&device, &basis).unwrap())
        })
    });
    group.finish();
}

/// A chain of `n` capacitively coupled dots, each on its own lead, plus two shared leads on
/// the first dot.
pub fn chain_json(n: usize) -> String {
    let mut parameters = vec![];
    let mut dots = vec![];
    let mut interactions = vec![];
    let mut leads = vec![];
    for d in 0..n {
        parameters.push(format!("\"eps_{d}\": {}", 0.1 * d as f64 - 0.3));
        parameters.push(format!("\"g_{d}\": {}", 1.0 + 0.1 * d as f64));
        parameters.push(format!("\"T_{d}\": {}", 1.0 + 0.05 * d as f64));
        parameters.push(format!("\"mu_{d}\": 0.0"));
        dots.push(format!("{{\"name\": \"d{d}\", \"energy\": \"eps_{d}\"}}"));
        if d > 0 {
            parameters.push(format!("\"U_{d}\": 0.7"));
            interactions.push(format!(
                "{{\"dots\": [\"d{}\", \"d{d}\"], \"U\": \"U_{d}\"}}",
                d - 1
            ));
        }
        leads.push(format!(
            "{{\"name\": \"x{d}\", \"temperature\": \"T_{d}\", \"chemical_potential\": \"mu_{d}\", \
             \"couplings\": [{{\"dot\": \"d{d}\", \"rate\": \"g_{d}\"}}]}}"
        ));
    }
    parameters.push("\"T_r\": 1.0, \"mu_r\": 0.1, \"g_r\": 0.5".into());
    leads.push(
        "{\"name\": \"r\", \"temperature\": \"T_r\", \"chemical_potential\": \"mu_r\", \
         \"couplings\": [{\"dot\": \"d0\", \"rate\": \"g_r\"}]}"
            .into(),
    );
    format!(
        "{{\"name\": \"chain{n}\", \"parameters\": {{{}}}, \"dots\": [{}], \"interactions\": [{}], \"leads\": [{}]}}",
        parameters.join(", "),
        dots.join(", "),
        interactions.join(", "),
        leads.join(", ")
    )
}

fn many_dots(c: &mut Criterion) {
    let model = from_json(&chain_json(10), "chain10").unwrap();
    let values = model.defaults();
    let mut group = c.benchmark_group("dots_10");
    group.sample_size(10);
    group.bench_function("steady_state_and_currents", |b| {
        b.iter(|| {
            let device = Device::new(&model, black_box(&values)).unwrap();
            black_box(steady_currents(&device).unwrap())
        })
    });
    group.finish();
}

criterion_group!(benches, cqd, many_dots);
criterion_main!(benches);
