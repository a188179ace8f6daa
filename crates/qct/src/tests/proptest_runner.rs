// The deterministic proptest runner of the property tests: the library's
// (`mod proptest_runner` of `tests/mod.rs`) and, by `include!`, the command line's
// (`crates/qct-cli/tests/support/proptest_runner.rs`). Plain comments: an included file
// cannot carry inner doc comments.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestCaseError, TestRunner};

/// A runner with a fixed ChaCha seed, no failure persistence and bounded shrinking.
pub(crate) fn runner(seed: u64, cases: u32, max_shrink_iters: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters,
        ..Config::default()
    })
}

/// Run `test` on `cases` values of `strategy`; on failure panic with proptest's (shrunk)
/// minimal input.
pub(crate) fn run<S: Strategy>(
    seed: u64,
    cases: u32,
    max_shrink_iters: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    if let Err(e) = runner(seed, cases, max_shrink_iters).run(&strategy, test) {
        panic!("{e}");
    }
}
