//! The deterministic proptest runner shared by the property and fuzz tests: the library's
//! test runner, one text for both crates' tests.

include!("../../../qct/src/tests/proptest_runner.rs");
