//! Edge cases of the Onsager matrix that cross-check the stages against each other: det L
//! of an all-subnormal L, an ill-conditioned equilibrium (exact linear response against
//! finite differences and the cycle formula), and a finite-difference entry below its rounding
//! floor resolved by the exact steady state. The command line's edge cases (reports, errors,
//! closed-form limits) are in `crates/qct-cli/tests/edge_cases.rs`.

use crate::model::json::from_json;
use crate::network::cycle_onsager;
use crate::onsager::{determinant, finite_difference, linear_response};
use crate::rates::Device;
use crate::thermo::{ForceBasis, Representation, equilibrium_parameters};

fn basis(m: &crate::Model) -> ForceBasis {
    ForceBasis::new(m, Representation::Energy, m.default_references()).unwrap()
}

/// det L where every entry of L is subnormal: nalgebra's LU divides by a subnormal pivot
/// (1/pivot = inf) and returned NaN, so `qct onsager` refused a valid extreme equilibrium.
/// [[2a, −a], [−a, 2b]] with a = 2⁻¹⁰⁵⁰, b = 2¹⁰⁰⁰: det = 4ab − a² = 2⁻⁴⁸ exactly (a² underflows).
#[test]
fn determinant_of_a_subnormal_onsager_matrix() {
    let (a, b) = (2f64.powi(-525).powi(2), 2f64.powi(1000));
    assert!(a > 0.0 && !a.is_normal());
    let l = nalgebra::DMatrix::from_row_slice(2, 2, &[2.0 * a, -a, -a, 2.0 * b]);
    assert_eq!(determinant(&l), 2f64.powi(-48));
    // A normal matrix keeps nalgebra's value bit for bit (sweep output unchanged).
    let m = nalgebra::DMatrix::from_row_slice(2, 2, &[2.0, -1.0, -1.0, 3.0]);
    assert_eq!(determinant(&m), m.determinant());
}

/// Bug L_PRECISION (fixed): at this equilibrium (four dots, two zero rates, T = 1e-3,
/// conductances from 1e-315 to 1e-43) exact linear response gave L_{N1,E2} = −5.7e32 where
/// finite differences give −1.1e-57, and `qct onsager` exited 0. Cause: a cluster of states
/// joined to the most probable state only through a conductance of 5e-315; the rounding
/// residue of the cluster's internal sources (~1e-16 of 1e-91), divided by that conductance,
/// gave the whole cluster a common potential φ ~ 1e159, which wiped out the O(1) differences
/// inside it. The nodal reduction now treats a reduced source within rounding of its gross
/// scale as zero (`crate::rounding`). Checked here against finite differences and the
/// independent cycle formula (symmetric and PSD term by term).
#[test]
fn onsager_matrix_at_an_ill_conditioned_equilibrium() {
    let model = from_json(
        r#"
        {"name":"random","parameters":{"eps_1":0.14104667282654004,"eps_2":-0.1551662975741177,
        "eps_3":-0.04167221968389055,"U_12":-0.3498379094643259,"U_13":-0.28548548557568887,
        "U_14":0.13068185572337704,"K_14":-0.062347091159334185,"U_23":0.22715482038241905,
        "U_24":-0.1827825675400288,"U_34":0.26650509569160336,"g_1_1_0":0.01178368884680912,
        "g_1_1_1":0.0,"g_1_3":0.001,"T_1":0.001,"mu_1":-0.3498379094643259,
        "g_2_2":0.005867172631191407,"g_2_4_0":0.001,"g_2_4_1":0.001,"g_2_4_2":0.001,
        "g_2_4_3":0.0,"T_2":0.001,"mu_2":0.16541518284074858,"g_3_3":0.001,"T_3":0.001,
        "mu_3":0.07405328440252185},"dots":[{"name":"d1","energy":"eps_1","spin":"up"},
        {"name":"d2","energy":"eps_2"},{"name":"d3","energy":"eps_3"},{"name":"d4",
        "energy":"eps_1","spin":"up"}],"interactions":[{"dots":["d1","d2"],"U":"U_12"},
        {"dots":["d1","d3"],"U":"U_13"},{"dots":["d1","d4"],"U":"U_14","K":"K_14"},
        {"dots":["d2","d3"],"U":"U_23"},{"dots":["d2","d4"],"U":"U_24"},{"dots":["d3","d4"],
        "U":"U_34"}],"leads":[{"name":"L1","temperature":"T_1","chemical_potential":"mu_1",
        "couplings":[{"dot":"d1","rate":{"depends_on":["d4"],"values":{"0":"g_1_1_0",
        "1":"g_1_1_1"}}},{"dot":"d3","rate":"g_1_3"}]},{"name":"L2","temperature":"T_2",
        "chemical_potential":"mu_2","couplings":[{"dot":"d2","rate":"g_2_2"},{"dot":"d4",
        "rate":{"depends_on":["d1","d2"],"values":{"00":"g_2_4_0","01":"g_2_4_1","10":"g_2_4_2",
        "11":"g_2_4_3"}}}]},{"name":"L3","temperature":"T_3","chemical_potential":"mu_3",
        "couplings":[{"dot":"d3","rate":"g_3_3"}]}]}"#,
        "ill_conditioned.json",
    )
    .unwrap();
    let values = model.defaults();
    let basis = basis(&model);
    let eq = Device::new(&model, &equilibrium_parameters(&model, &basis, &values)).unwrap();
    let l = linear_response(&eq, &basis).unwrap();
    let fd = finite_difference(&eq, &basis).unwrap();
    let scale = fd.amax();
    assert!(
        (&l - l.transpose()).amax() <= 1e-9 * l.amax(),
        "L not symmetric:\n{l}"
    );
    assert!(
        (&l - &fd).amax() <= 1e-6 * scale,
        "L = {l}, finite differences {fd}"
    );
    // The cycle formula (every cycle, not just up to the limit linear_response uses) is an
    // independent route: equal to 1e-12 of max |L|.
    let cycles = cycle_onsager(&eq, &basis).unwrap();
    assert!(
        (&l - &cycles).amax() <= 1e-12 * cycles.amax(),
        "L = {l}, cycle formula {cycles}"
    );
}

/// Issue 15, `qct check sb --set eps_b=20 --set T=0.1`: the finite-difference entry
/// L[J_E^u, F_N^l] came out equal to L[J_E^u, F_E^u] (2.293657e-94). Not an index mix-up: in
/// f64 the net flow through the transition A ↔ C (dot u filling with dot b empty; gross
/// exchange ~7e-3) is below rounding and comes out 0, so J_E^u = ε_u J_AC + (ε_u + κ) J_BD
/// keeps only (ε_u + κ) J_BD = (ε_u + κ)/κ · L_NE h; with the defaults (ε_u + κ)/κ = 1.5 and,
/// by coincidence, L_EE/L_NE = 1.5 too (ε_u = 2 gives 3 L_NE instead). The entry is below its
/// rounding floor and reported unresolved. The same finite differences of the exact rational
/// steady state resolve it, column by column: L[J_E^u, F_N^l] = L[J_N^l, F_E^u] (reciprocity),
/// so rows and columns are where they should be.
#[cfg(feature = "exact")]
#[test]
fn unresolved_finite_difference_entry_at_beta_eps_200_is_rounding_not_an_index_mix_up() {
    use crate::exact::{ExactPauli, rationals, scaled_rational, to_f64};
    use crate::model::builtin::builtin;
    use crate::onsager::{
        FINITE_DIFFERENCE_RESOLUTION, finite_differences, finite_differences_with,
    };
    let model = builtin("sb").unwrap();
    let mut parameters = model.parameters();
    parameters.assign(&["eps_b=20", "T=0.1"]).unwrap();
    let values = parameters.values().to_vec();
    let basis = basis(&model);
    let names: Vec<String> = basis.forces.iter().map(|f| basis.force_name(f)).collect();
    assert_eq!(names, ["F_N^l", "F_E^u"]);
    let eq_values = equilibrium_parameters(&model, &basis, &values);
    let eq = Device::new(&model, &eq_values).unwrap();
    let l = linear_response(&eq, &basis).unwrap();
    let fd = finite_differences(&eq, &basis).unwrap();
    let resolved = fd.resolved(FINITE_DIFFERENCE_RESOLUTION, l.amax());
    assert!(!resolved[(1, 0)] && !resolved[(1, 1)], "{resolved}");
    assert!(resolved[(0, 0)] && resolved[(0, 1)], "{resolved}");
    let exact_values = rationals(&model.resolve(&eq_values)).unwrap();
    let exact_fluxes = |device: &Device| -> crate::Result<Vec<f64>> {
        let fermi = device
            .scaled_occupations()
            .iter()
            .map(|&(f, g)| Ok((scaled_rational(f)?, scaled_rational(g)?)))
            .collect::<crate::Result<Vec<_>>>()?;
        let pauli = ExactPauli::new(&model, device, &exact_values, fermi)?;
        let p = pauli.steady_state()?;
        let currents = pauli.currents(device.leads.len(), &p);
        Ok(basis
            .forces
            .iter()
            .map(|f| {
                let c = &currents[f.lead];
                basis.flux_of(
                    f,
                    |lead| device.leads[lead].mu,
                    to_f64(&c.particle),
                    to_f64(&c.spin),
                    to_f64(&c.energy),
                )
            })
            .collect())
    };
    let exact = finite_differences_with(&eq, &basis, &exact_fluxes).unwrap();
    for k in 0..4 {
        let deviation = (exact.l[k] - l[k]).abs() / l[k].abs();
        assert!(
            deviation < 1e-6,
            "entry {k}: {:e} vs {:e}",
            exact.l[k],
            l[k]
        );
    }
    assert!((l[(1, 0)] - l[(0, 1)]).abs() <= 1e-12 * l[(0, 1)]);
}
