// The random points of the counting-statistics tests, shared by the library's
// (`tests/fcs.rs`) and the command line's (`crates/qct-cli/tests/fcs.rs`) by `include!`, so
// both draw the same points. The including module imports `Strategy` and `TestCaseError`
// (proptest), `proptest_runner`, `Model`, `Role`, `builtin` (the module) and `example_models`.

const SEED: u64 = 0x0013_fc50_0000_0013;

fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    proptest_runner::run(SEED, cases, 64, strategy, test);
}

/// Every built-in and every example JSON model.
fn all_models() -> Vec<Model> {
    let mut models: Vec<Model> = builtin::NAMES
        .iter()
        .map(|n| builtin::builtin(n).unwrap())
        .collect();
    models.extend(example_models());
    models
}

/// Parameter values of `model` from uniform numbers `u` in [0, 1): levels and interactions in
/// [−3, 3], rates log-uniform in [1e-2, 1e1], temperatures in [0.2, 3], μ in [−2, 2].
fn point(model: &Model, u: &[f64]) -> Vec<f64> {
    model
        .parameters
        .iter()
        .zip(u.iter().cycle())
        .map(|(p, &x)| match p.role {
            Role::Energy => -3.0 + 6.0 * x,
            Role::Rate => 10f64.powf(-2.0 + 3.0 * x),
            Role::Temperature => 0.2 + 2.8 * x,
            Role::ChemicalPotential => -2.0 + 4.0 * x,
            Role::Dimensionless => -0.9 + 1.8 * x,
        })
        .collect::<Vec<f64>>()
}

fn points() -> impl Strategy<Value = (usize, Vec<f64>)> {
    (
        0..all_models().len(),
        proptest::collection::vec(0.0..1.0f64, 24),
    )
}

