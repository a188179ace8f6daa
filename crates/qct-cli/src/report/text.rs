//! Plain-text renderers: aligned tables for people. Numbers in scientific notation with
//! seven significant digits; units: energies, T and μ in the model's energy unit (k_B = 1),
//! currents per unit time (ħ = 1), Σ̇ in k_B per unit time.

use super::{MergedForce, Named, OnsagerReport, SolveReport};
use qct::model::Model;
use std::fmt::Write;

/// A number as printed in text tables.
pub fn num(x: f64) -> String {
    let x = if x == 0.0 { 0.0 } else { x }; // no "-0"
    let s = format!("{x:+.6e}");
    match s.split_once('e') {
        Some((mantissa, exponent)) => {
            let e: i32 = exponent.parse().unwrap_or(0);
            format!("{mantissa}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
        }
        None => s,
    }
}

/// Render rows as columns padded to their widest cell: numeric columns right-aligned,
/// others left-aligned.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    let mut numeric = vec![!rows.is_empty(); columns];
    for row in rows {
        for (c, cell) in row.iter().enumerate().take(columns) {
            widths[c] = widths[c].max(cell.chars().count());
            numeric[c] &= cell.parse::<f64>().is_ok();
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut out = String::from(" ");
        for (c, cell) in cells.iter().enumerate().take(columns) {
            let pad = " ".repeat(widths[c] - cell.chars().count());
            out.push_str("  ");
            if numeric[c] {
                out.push_str(&pad);
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.push_str(&pad);
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out += &line(row.iter().map(String::as_str).collect());
    }
    out
}

pub(super) fn parameters(map: &serde_json::Map<String, serde_json::Value>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn references(map: &serde_json::Map<String, serde_json::Value>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `F_E^u merged into F_E^r (identical for these references; fluxes added)`.
fn merged_line(m: &MergedForce) -> String {
    format!(
        "{} merged into {} (identical for these reference leads; fluxes added)",
        m.force, m.merged_into
    )
}

fn pairs(forces: &[Named], fluxes: &[Named]) -> String {
    let rows: Vec<Vec<String>> = forces
        .iter()
        .zip(fluxes)
        .map(|(f, j)| vec![f.name.clone(), num(f.value), j.name.clone(), num(j.value)])
        .collect();
    table(&["force", "value", "flux", "value"], &rows)
}

/// `qct solve` as text.
pub fn solve(r: &SolveReport) -> String {
    let mut out = String::new();
    let ep = &r.entropy_production;
    let method = match (&r.density_matrix, &r.lindblad) {
        (Some(d), _) => format!("{} (density matrix in the eigenbasis of H)", d.method),
        (None, Some(_)) => "secular Lindblad (full density matrix)".to_string(),
        (None, None) => "Pauli".to_string(),
    };
    writeln!(out, "model {}: nonlinear {method} steady state", r.model).unwrap();
    writeln!(out, "parameters: {}", parameters(&r.parameters)).unwrap();
    writeln!(
        out,
        "\nstates (energies as written in H; occupations in dot order)"
    )
    .unwrap();
    let rows: Vec<Vec<String>> = r
        .states
        .iter()
        .map(|s| {
            let occ: String = s.occupations.iter().map(|n| n.to_string()).collect();
            vec![
                s.label.clone(),
                format!("|{occ}>"),
                num(s.energy),
                num(s.probability),
            ]
        })
        .collect();
    out += &table(&["state", "occupation", "energy", "probability"], &rows);
    if let Some(states) = &r.eigenstates {
        out += &super::tunnelling::eigenstates_text(states);
    }
    writeln!(
        out,
        "\nlead currents (positive into the system; J_Q = J_E - mu_lambda J_N)"
    )
    .unwrap();
    let rows: Vec<Vec<String>> = r
        .leads
        .iter()
        .map(|l| {
            vec![
                l.name.clone(),
                l.dot.clone(),
                num(l.temperature),
                num(l.mu),
                num(l.particle_current),
                num(l.energy_current),
                num(l.heat_current),
            ]
        })
        .collect();
    out += &table(&["lead", "dot", "T", "mu", "J_N", "J_E", "J_Q"], &rows);
    if r.leads.iter().any(|l| l.spin_current.is_some()) {
        // Spin accumulation: J_Q above also subtracts (mu_s/2) J_S.
        writeln!(
            out,
            "\nspin (mu_s = mu_up - mu_down; J_S = J_N,up - J_N,down)"
        )
        .unwrap();
        let rows: Vec<Vec<String>> = r
            .leads
            .iter()
            .map(|l| {
                let value = |x: Option<f64>| x.map_or_else(String::new, num);
                vec![l.name.clone(), value(l.mu_s), value(l.spin_current)]
            })
            .collect();
        out += &table(&["lead", "mu_s", "J_S"], &rows);
    }
    writeln!(
        out,
        "\nforces and fluxes ({} representation; references {})",
        ep.representation,
        references(&ep.reference)
    )
    .unwrap();
    out += &pairs(&r.forces, &r.fluxes);
    if !ep.dropped_forces.is_empty() {
        writeln!(
            out,
            "  dropped (identically zero, shared parameters): {}",
            ep.dropped_forces.join(", ")
        )
        .unwrap();
    }
    for m in &ep.merged_forces {
        writeln!(out, "  {}", merged_line(m)).unwrap();
    }
    writeln!(out, "\nentropy production").unwrap();
    writeln!(
        out,
        "  -sum_lambda beta_lambda J_Q^lambda = {}",
        num(ep.minus_sum_beta_heat)
    )
    .unwrap();
    writeln!(
        out,
        "  sum_i F_i J_i                      = {}",
        num(ep.sum_forces_fluxes)
    )
    .unwrap();
    writeln!(out, "\nresiduals (relative to the gross exchange)").unwrap();
    match &r.lindblad {
        None if r.density_matrix.is_some() => {}
        None => writeln!(out, "  balance W p = 0     {:.1e}", r.balance_residual).unwrap(),
        Some(l) => {
            writeln!(out, "  Lindblad L rho = 0  {:.1e}", l.residual).unwrap();
            match &l.coherence {
                Some([i, j]) => writeln!(
                    out,
                    "  largest coherence   |rho_{i}{j}| = {:.1e} (0 in the secular steady state)",
                    l.max_coherence
                ),
                None => writeln!(out, "  largest coherence   0 (every rho_ij, i != j, is 0)"),
            }
            .unwrap();
        }
    }
    if let Some(d) = &r.density_matrix {
        out += &super::tunnelling::density_text(d);
    }
    writeln!(out, "  energy conservation {:.1e}", r.conservation.energy).unwrap();
    for (c, v) in &r.conservation.particles {
        writeln!(
            out,
            "  particles of {c:<7} {:.1e}",
            v.as_f64().unwrap_or(f64::NAN)
        )
        .unwrap();
    }
    for note in &r.notes {
        writeln!(out, "\nnote: {note}").unwrap();
    }
    out
}

fn matrix(names: &[String], columns: &[String], m: &[Vec<f64>]) -> String {
    let mut header = vec![""];
    header.extend(columns.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = names
        .iter()
        .zip(m)
        .map(|(n, row)| {
            let mut cells = vec![n.clone()];
            cells.extend(row.iter().map(|&x| num(x)));
            cells
        })
        .collect();
    table(&header, &rows)
}

/// `qct onsager` as text.
pub fn onsager(r: &OnsagerReport) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "model {}: numeric Onsager matrix, {} representation",
        r.model, r.representation
    )
    .unwrap();
    writeln!(out, "parameters:  {}", parameters(&r.parameters)).unwrap();
    writeln!(out, "equilibrium: {}", parameters(&r.equilibrium)).unwrap();
    writeln!(out, "references:  {}", references(&r.reference)).unwrap();
    if !r.dropped_forces.is_empty() {
        writeln!(
            out,
            "dropped:     {} (identically zero, shared parameters)",
            r.dropped_forces.join(", ")
        )
        .unwrap();
    }
    for m in &r.merged_forces {
        writeln!(out, "merged:      {}", merged_line(m)).unwrap();
    }
    if r.fluxes.is_empty() {
        writeln!(
            out,
            "\nno independent forces: the model has no linear response"
        )
        .unwrap();
        return out;
    }
    let pairs: Vec<String> = r
        .fluxes
        .iter()
        .zip(&r.forces)
        .map(|(j, f)| format!("{j} <-> {f}"))
        .collect();
    writeln!(out, "flux-force pairs: {}", pairs.join(", ")).unwrap();
    writeln!(
        out,
        "\nL = dJ_i/dF_j (exact linear response; rows J_i, columns F_j)"
    )
    .unwrap();
    out += &matrix(&r.fluxes, &r.forces, &r.l);
    writeln!(
        out,
        "\nL by central finite differences of the nonlinear steady state (steps h and h/2,\n  Richardson-extrapolated; h moves every Fermi argument beta (omega - mu) by at most 1e-3)"
    )
    .unwrap();
    out += &matrix(&r.fluxes, &r.forces, &r.l_finite_difference);
    writeln!(out).unwrap();
    if r.finite_difference_unresolved {
        let unresolved: Vec<String> = r
            .finite_difference_resolved
            .iter()
            .enumerate()
            .flat_map(|(i, row)| {
                row.iter()
                    .enumerate()
                    .filter(|(_, ok)| !**ok)
                    .map(move |(j, _)| (i, j))
            })
            .map(|(i, j)| format!("L[{}, {}]", r.fluxes[i], r.forces[j]))
            .collect();
        writeln!(
            out,
            "  warning: finite differences unresolved (below their rounding floor, ~ u x gross\n  \
             exchange / step, above 1e-6 max |L|), rounding noise, not compared: {}",
            unresolved.join(", ")
        )
        .unwrap();
    }
    writeln!(
        out,
        "  max |L - L_fd| / max |L|    {:.2e} (resolved entries)",
        r.finite_difference_deviation
    )
    .unwrap();
    writeln!(
        out,
        "  reciprocity max|L_ij-L_ji|  {:.2e}",
        r.reciprocity_residual
    )
    .unwrap();
    writeln!(out, "  det L                       {}", num(r.determinant)).unwrap();
    let eig: Vec<String> = r.eigenvalues.iter().map(|&x| num(x)).collect();
    writeln!(out, "  eigenvalues of (L+L^T)/2    {}", eig.join(" ")).unwrap();
    out
}

/// `qct models` as text.
pub fn models(models: &[Model]) -> String {
    let mut out = String::new();
    for m in models {
        writeln!(
            out,
            "{}: {}{}",
            m.name,
            m.description,
            m.seed_section
                .as_ref()
                .map(|s| format!(" (seed {s})"))
                .unwrap_or_default()
        )
        .unwrap();
        let rows: Vec<Vec<String>> = m
            .parameters
            .iter()
            .map(|p| {
                vec![
                    p.name.clone(),
                    format!("{}", p.default),
                    p.role.name().to_string(),
                    p.role.unit().to_string(),
                    p.description.clone(),
                ]
            })
            .collect();
        out += &table(&["parameter", "default", "role", "unit", "meaning"], &rows);
        if !m.derived.is_empty() {
            // Quantities given as expressions of the parameters (README, "Parameters as
            // expressions"): not settable, listed with their default value.
            let defaults = m.defaults();
            let rows: Vec<Vec<String>> = m
                .derived
                .iter()
                .enumerate()
                .map(|(k, d)| {
                    vec![
                        d.text.clone(),
                        format!("{}", defaults[m.parameters.len() + k]),
                        d.role.name().to_string(),
                    ]
                })
                .collect();
            out += &table(&["derived", "default", "role"], &rows);
        }
        out.push('\n');
    }
    out
}
