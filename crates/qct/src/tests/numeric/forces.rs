//! Force–flux identification (README, Conventions, "Forces and fluxes"): which forces each built-in
//! has, which vanish identically and are dropped, the flux order, the reference leads, and
//! the seed's entropy-production formulas.

use crate::tests::common::*;
use crate::thermo::{Representation, entropy_production};
use approx::assert_abs_diff_eq;

fn names(name: &str, representation: Representation) -> (Vec<String>, Vec<String>, Vec<String>) {
    let m = model(name);
    let b = basis(&m, representation);
    let dropped = b.dropped.iter().map(|f| b.force_name(f)).collect();
    (force_names(&b), flux_names(&b), dropped)
}

#[test]
fn forces_of_the_builtins() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let expected: [(&str, &[&str], &[&str]); 5] = [
        ("sqd", &["F_N^l", "F_E^l"], &[]),
        ("cqd", &["F_N^l", "F_E^l", "F_E^u"], &[]),
        ("sb", &["F_N^l", "F_E^u"], &["F_E^l"]),
        ("icc", &["F_N^l", "F_E^l"], &["F_E^u"]),
        ("anderson", &["F_N^l", "F_E^l"], &[]),
    ];
    for (name, forces, dropped) in expected {
        let (f, j, d) = names(name, Representation::Energy);
        assert_eq!(f, s(forces), "{name}: forces");
        assert_eq!(
            j,
            s(forces)
                .iter()
                .map(|x| x.replace("F_", "J_"))
                .collect::<Vec<_>>(),
            "{name}: fluxes"
        );
        assert_eq!(d, s(dropped), "{name}: dropped forces");
        // Heat representation: the same structure with Q in place of E.
        let (f, j, d) = names(name, Representation::Heat);
        let q = |v: &[&str]| v.iter().map(|x| x.replace("_E", "_Q")).collect::<Vec<_>>();
        assert_eq!(f, q(forces), "{name}: heat forces");
        assert_eq!(
            j,
            q(forces)
                .iter()
                .map(|x| x.replace("F_", "J_"))
                .collect::<Vec<_>>()
        );
        assert_eq!(d, q(dropped), "{name}: heat dropped");
    }
}

#[test]
fn reference_leads_are_r() {
    for name in BUILTINS {
        let m = model(name);
        let refs = m.default_references();
        let r = m.lead_index("r").unwrap();
        assert_eq!(refs.energy, r, "{name}: energy reference");
        let comps = m.components();
        for (c, comp) in comps.iter().enumerate() {
            if comp.leads.contains(&r) {
                assert_eq!(refs.particles[c], r);
            }
        }
    }
    // Components: one per dot in the seed's models, one for the spinful level.
    assert_eq!(model("cqd").components().len(), 2);
    assert_eq!(model("icc").components().len(), 2);
    assert_eq!(model("anderson").components().len(), 1);
    assert_eq!(model("dd2").components().len(), 1);
    let (f, _, _) = names("dd2", Representation::Energy);
    assert_eq!(f, vec!["F_N^l", "F_E^l"]);
}

/// The seed's sb formula: Σ̇ = J_N^l F_N^l + J_E^u F_E^u with F_N^l = β (μ_l − μ_r),
/// F_E^u = β − β_u; and icc: Σ̇ = J_E^l F_E^l + J_N^l F_N^l.
#[test]
fn seed_entropy_production_formulas() {
    let m = model("sb");
    let b = basis(&m, Representation::Energy);
    for v in points("sb") {
        let (device, _, currents) = solve(&m, &v);
        let g = |n: &str| v[param(&m, n)];
        let beta = 1.0 / g("T");
        let (f_n, f_e) = (beta * (g("mu_l") - g("mu_r")), beta - 1.0 / g("T_u"));
        let forces = b.force_values(&device.leads);
        assert_abs_diff_eq!(forces[0], f_n, epsilon = 1e-15 * (1.0 + f_n.abs()));
        assert_abs_diff_eq!(forces[1], f_e, epsilon = 1e-15 * (1.0 + f_e.abs()));
        let seed = currents[0].particle * f_n + currents[2].energy * f_e;
        let sigma = entropy_production(&device.leads, &currents);
        let gross: f64 = currents
            .iter()
            .zip(&device.leads)
            .map(|(c, l)| l.beta * (c.gross_energy + l.mu.abs() * c.gross_particle))
            .sum();
        assert!(
            (sigma - seed).abs() <= 1e-12 * gross,
            "sb: {sigma} vs {seed}"
        );
    }
    let m = model("icc");
    let b = basis(&m, Representation::Energy);
    for v in points("icc") {
        let (device, _, currents) = solve(&m, &v);
        let g = |n: &str| v[param(&m, n)];
        let (beta, beta_l) = (1.0 / g("T"), 1.0 / g("T_l"));
        let (f_n, f_e) = (beta_l * g("mu_l") - beta * g("mu_r"), beta - beta_l);
        let forces = b.force_values(&device.leads);
        assert_abs_diff_eq!(forces[0], f_n, epsilon = 1e-15 * (1.0 + f_n.abs()));
        assert_abs_diff_eq!(forces[1], f_e, epsilon = 1e-15 * (1.0 + f_e.abs()));
        let seed = currents[0].particle * f_n + currents[0].energy * f_e;
        let sigma = entropy_production(&device.leads, &currents);
        let gross: f64 = currents
            .iter()
            .zip(&device.leads)
            .map(|(c, l)| l.beta * (c.gross_energy + l.mu.abs() * c.gross_particle))
            .sum();
        assert!(
            (sigma - seed).abs() <= 1e-12 * gross,
            "icc: {sigma} vs {seed}"
        );
    }
}

/// Forces are not gradients (seed Sec. VI): F_N^l = β_l μ_l − β_r μ_r can have the opposite
/// sign to μ_l − μ_r when the temperatures differ.
#[test]
fn particle_force_can_oppose_bias() {
    let m = model("sqd");
    let v = values(
        &m,
        &[("mu_l", 0.5), ("mu_r", 0.4), ("T_l", 2.0), ("T_r", 1.0)],
    );
    let b = basis(&m, Representation::Energy);
    let (device, _, _) = solve(&m, &v);
    let f = b.force_values(&device.leads);
    assert!((f[0] - (0.25 - 0.4)).abs() <= 1e-15, "F_N^l = {}", f[0]);
    assert!(f[0] < 0.0, "bias mu_l − mu_r > 0 but F_N^l < 0");
    // The heat-representation particle force follows the bias.
    let bh = basis(&m, Representation::Heat);
    assert!(bh.force_values(&device.leads)[0] > 0.0);
}
