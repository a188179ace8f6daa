//! Forces made identical by a reference choice are merged (issue 15, item 7): in `sb` with
//! u as the energy reference, T_l = T_r = T makes F_E^l ≡ F_E^r = β_u − β, and Σ̇ groups as
//! F_E^l (J_E^l + J_E^r). Checked against `cqd`, the same device with T_l and T_r separate
//! parameters (set equal), whose basis keeps both forces: with F_unmerged = P F_merged,
//! J_merged = Pᵀ J_unmerged and L_merged = Pᵀ L_unmerged P.

#[allow(dead_code)]
#[path = "numeric/common.rs"]
mod common;

use common::{MERGED_FORCES_POINT as POINT, onsager_l};
use nalgebra::DMatrix;
use qct::model::{Model, builtin::builtin};
use qct::thermo::{ForceBasis, Representation, choose_references, equilibrium_parameters};
use qct_cli::cli::apply_assignments;
use qct_cli::report::{onsager_report, solve_report, text};

fn basis(model: &Model, representation: Representation) -> ForceBasis {
    let references = choose_references(model, &["energy=u"]).unwrap();
    ForceBasis::new(model, representation, references).unwrap()
}

fn values(model: &Model, temperatures: &[&str]) -> Vec<f64> {
    let set: Vec<String> = POINT
        .iter()
        .chain(temperatures)
        .map(|s| s.to_string())
        .collect();
    apply_assignments(model, &set).unwrap()
}

#[test]
fn merged_basis_is_the_projection_of_the_unmerged_one() {
    let (sb, cqd) = (builtin("sb").unwrap(), builtin("cqd").unwrap());
    for representation in [Representation::Energy, Representation::Heat] {
        let (merged, full) = (basis(&sb, representation), basis(&cqd, representation));
        let names =
            |b: &ForceBasis| -> Vec<String> { b.forces.iter().map(|f| b.force_name(f)).collect() };
        let e = if representation == Representation::Energy {
            "E"
        } else {
            "Q"
        };
        assert_eq!(
            names(&full),
            ["F_N^l", &format!("F_{e}^l"), &format!("F_{e}^r")]
        );
        assert_eq!(names(&merged), ["F_N^l", &format!("F_{e}^l")]);
        assert_eq!(
            merged.merged_names(),
            [(format!("F_{e}^r"), format!("F_{e}^l"))]
        );
        assert_eq!(merged.flux_name(&merged.forces[1]), format!("J_{e}^l+r"));
        // P: F_N^l ← F_N^l; F_E^l and F_E^r ← the merged F_E^l.
        let p = DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 0.0, 1.0, 0.0, 1.0]);

        // Linear response at the common equilibrium (T = T_u everywhere, μ_l = μ_r).
        let (v_sb, v_cqd) = (
            values(&sb, &["T=1.3"]),
            values(&cqd, &["T_l=1.3", "T_r=1.3"]),
        );
        let (eq_sb, eq_cqd) = (
            equilibrium_parameters(&sb, &merged, &v_sb),
            equilibrium_parameters(&cqd, &full, &v_cqd),
        );
        let (l_merged, l_full) = (
            onsager_l(&sb, &eq_sb, &merged),
            onsager_l(&cqd, &eq_cqd, &full),
        );
        let projected = p.transpose() * &l_full * &p;
        let scale = l_full.amax();
        assert!(
            (&l_merged - &projected).amax() <= 1e-12 * scale,
            "{representation:?}: L merged {l_merged}, Pᵀ L P {projected}"
        );
        // Reciprocity kept, and the merged L is still positive definite here.
        assert!((&l_merged - l_merged.transpose()).amax() <= 1e-14 * scale);
        assert!(l_merged.determinant() > 0.0 && l_merged[(0, 0)] > 0.0);
        // Finite differences of the merged force (they move both leads): the library's
        // crates/qct/src/tests/merged_forces.rs.

        // The nonlinear point: same forces, J_merged = Pᵀ J_unmerged, Σ̇ = Σ F J unchanged.
        let (r_sb, r_cqd) = (
            solve_report(&sb, &v_sb, &merged).unwrap(),
            solve_report(&cqd, &v_cqd, &full).unwrap(),
        );
        let j_full = DMatrix::from_iterator(3, 1, r_cqd.fluxes.iter().map(|f| f.value));
        let j_merged = p.transpose() * j_full;
        for (k, flux) in r_sb.fluxes.iter().enumerate() {
            assert!(
                (flux.value - j_merged[k]).abs() <= 1e-13 * j_merged.amax(),
                "{}: {} vs {}",
                flux.name,
                flux.value,
                j_merged[k]
            );
        }
        let (ep_sb, ep_cqd) = (&r_sb.entropy_production, &r_cqd.entropy_production);
        let sigma = ep_cqd.minus_sum_beta_heat;
        assert!(sigma > 0.0);
        for value in [
            ep_sb.sum_forces_fluxes,
            ep_sb.minus_sum_beta_heat,
            ep_cqd.sum_forces_fluxes,
        ] {
            assert!((value - sigma).abs() <= 1e-12 * sigma, "{value} vs {sigma}");
        }
    }
}

#[test]
fn merged_forces_are_reported_in_text_and_json() {
    let sb = builtin("sb").unwrap();
    let b = basis(&sb, Representation::Energy);
    let v = values(&sb, &["T=1.3"]);
    let r = onsager_report(&sb, &v, &b).unwrap();
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(
        json["merged_forces"],
        serde_json::json!([{"force": "F_E^r", "merged_into": "F_E^l"}])
    );
    assert_eq!(json["fluxes"], serde_json::json!(["J_N^l", "J_E^l+r"]));
    assert!(text::onsager(&r).contains("F_E^r merged into F_E^l"));
    let s = solve_report(&sb, &v, &b).unwrap();
    assert!(text::solve(&s).contains("F_E^r merged into F_E^l"));
    // Without merging the key is absent (the documented contract is unchanged).
    let plain = ForceBasis::new(&sb, Representation::Energy, sb.default_references()).unwrap();
    let json = serde_json::to_value(onsager_report(&sb, &v, &plain).unwrap()).unwrap();
    assert!(json.get("merged_forces").is_none());
}
