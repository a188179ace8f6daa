//! The regime of the icc model (issue 6): a genuine ICC where the corrected criterion holds,
//! found by the ICC analysis of L (the wedge) and by nonlinear direction scans, and the
//! regime of a point set inside the wedge by its forces ([`OperatingPoint::at_forces`]);
//! none where both transition energies are positive. (The other regimes, performance and ZT
//! are tested through the typed API with the command line: `crates/qct-cli/tests/regime.rs`.)

use super::common::{basis, model, values};
use crate::icc::analyse_icc;
use crate::regime::{OperatingPoint, Regime, analyse};
use crate::thermo::{FluxKind, ForceBasis, Representation};

/// icc: a genuine ICC where the corrected criterion holds with L_NE < 0 (the level
/// inversion ω(C→D) < 0 < ω(A→B) outweighing the normal channel), none where both
/// transition energies are positive.
#[test]
fn icc_shows_genuine_icc_only_where_the_corrected_criterion_holds() {
    let m = model("icc");
    let b = basis(&m, Representation::Energy);
    // ω(A→B) = ε_b + 2κ_s = 0.6 > 0 > ω(C→D) = ε_b + κ_c − 2κ_s = −0.15.
    let inverted = values(
        &m,
        &[
            ("eps_b", 0.1),
            ("kappa_c", 0.25),
            ("kappa_s", 0.25),
            ("gamma_l0", 0.01),
            ("gamma_r0", 0.01),
        ],
    );
    let point = OperatingPoint::new(&m, &inverted, &b).unwrap();
    let a = analyse_icc(&point, &b, &[0.005, 0.05], 360).unwrap();
    assert!(a.wedges[0].exists && a.linear_predicts_genuine_icc);
    assert!(a.nonlinear_genuine_icc_found);
    for s in &a.scans {
        assert!(s.min_entropy_production >= 0.0);
    }
    // A point in the wedge: F_N/F_E = half of −L_NE/L_NN.
    let ratio = 0.5 * a.wedges[0].ratio_to.unwrap();
    let at = point.at_forces(&b, &wedge_forces(&b, 0.01, ratio)).unwrap();
    let r = analyse(&at, &b);
    assert_eq!(
        (r.regime, r.linear_prediction),
        (Regime::GenuineIcc, Regime::GenuineIcc)
    );
    assert_eq!(r.inverse_flux.as_deref(), Some("J_N^l"));

    // ω(A→B) = 0.5, ω(C→D) = 1.5: both positive, L_NE > 0, no ICC in any direction.
    let normal = values(&m, &[("eps_b", 0.5), ("kappa_c", 1.0), ("kappa_s", 0.0)]);
    let point = OperatingPoint::new(&m, &normal, &b).unwrap();
    let a = analyse_icc(&point, &b, &[0.005, 0.05, 0.3], 360).unwrap();
    assert!(!a.wedges[0].exists && !a.linear_predicts_genuine_icc);
    assert!(!a.nonlinear_genuine_icc_found);
}

/// Forces (F_N, F_E) in basis order with F_N/F_E = `ratio`.
fn wedge_forces(b: &ForceBasis, f_e: f64, ratio: f64) -> Vec<f64> {
    b.forces
        .iter()
        .map(|f| match f.kind {
            FluxKind::Energy => f_e,
            FluxKind::Particle | FluxKind::Spin => ratio * f_e,
        })
        .collect()
}
