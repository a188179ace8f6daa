//! Forces made identical by a reference choice are merged (issue 15, item 7): in `sb` with
//! u as the energy reference, T_l = T_r = T makes F_E^l ≡ F_E^r = β_u − β. The finite
//! differences of such a force move both leads (`ForceBasis::leads_at_forces`) and agree
//! with the exact linear response. (L_merged = Pᵀ L_unmerged P against `cqd` and the
//! reports are tested with the command line: `crates/qct-cli/tests/merged_forces.rs`.)

use super::common::{MERGED_FORCES_POINT, REPRESENTATIONS};
use crate::model::builtin::builtin;
use crate::onsager::onsager;
use crate::rates::Device;
use crate::thermo::{ForceBasis, choose_references, equilibrium_parameters};

#[test]
fn finite_differences_of_a_merged_force_agree_with_linear_response() {
    let sb = builtin("sb").unwrap();
    let mut p = sb.parameters();
    p.assign(&MERGED_FORCES_POINT)
        .unwrap()
        .assign(&["T=1.3"])
        .unwrap();
    for representation in REPRESENTATIONS {
        let references = choose_references(&sb, &["energy=u"]).unwrap();
        let merged = ForceBasis::new(&sb, representation, references).unwrap();
        assert_eq!(merged.merged_names().len(), 1, "F_E^r merged into F_E^l");
        let eq = Device::new(&sb, &equilibrium_parameters(&sb, &merged, p.values())).unwrap();
        let o = onsager(&eq, &merged).unwrap();
        assert!(
            o.finite_difference_deviation < 1e-8,
            "{}",
            o.finite_difference_deviation
        );
    }
}
