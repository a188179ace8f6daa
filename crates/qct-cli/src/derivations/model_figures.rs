//! The figures of each built-in model and example in `derivations/`, drawn by
//! [`super::figures`]; each caption states what the figure shows.

use super::figures::{Figure, SignMap, grid, line, sign_map, sweep_figure, vertical};
use qct::Result;
use qct::model::{Model, builtin};
use std::path::Path;

/// The model a figure is drawn for, the folder it goes to, and how `qct` names the model
/// on a command line (a built-in name or `--model-file examples/<name>.json`).
struct Context<'a> {
    model: &'a Model,
    dir: &'a Path,
    argument: String,
}

impl Context<'_> {
    /// A sweep of `quantities` over `axes` at the values `set`.
    fn sweep(
        &self,
        file: &str,
        caption: &str,
        set: &[(&str, f64)],
        axes: &[&str],
        quantities: &[&str],
    ) -> Result<Figure> {
        sweep_figure(
            self.dir,
            file,
            caption,
            self.model,
            &self.argument,
            set,
            axes,
            quantities,
        )
    }

    /// The regime of every point over `axes` (a force plane).
    fn regime_map(
        &self,
        file: &str,
        caption: &str,
        set: &[(&str, f64)],
        axes: &[&str],
    ) -> Result<Figure> {
        self.sweep(file, caption, set, axes, &["regime"])
    }
}

/// Every lead temperature at 1 and every chemical potential at 0.
fn at_equilibrium(
    lead_temperatures: &[&'static str],
    potentials: &[&'static str],
) -> Vec<(&'static str, f64)> {
    lead_temperatures
        .iter()
        .map(|t| (*t, 1.0))
        .chain(potentials.iter().map(|m| (*m, 0.0)))
        .collect()
}

/// The figures of one model, drawn into `dir`.
pub(super) fn model_figures(model: &Model, dir: &Path) -> Result<Vec<Figure>> {
    let name = model.name.as_str();
    let argument = if builtin::NAMES.contains(&name) {
        name.to_string()
    } else {
        format!("--model-file examples/{name}.json")
    };
    let cx = Context {
        model,
        dir,
        argument,
    };
    match name {
        "sqd" => sqd(&cx),
        "cqd" => cqd(&cx),
        "sb" => sb(&cx),
        "icc" => icc(&cx),
        "anderson" => anderson(&cx),
        "zeeman_dot" => zeeman_dot(&cx),
        "energy_filter" => energy_filter(&cx),
        "double_dot_two_terminal" => double_dot(&cx),
        _ => Ok(Vec::new()),
    }
}

/// The single dot: the regime maps for a level above and below the reference.
fn sqd(cx: &Context) -> Result<Vec<Figure>> {
    let mut out = Vec::new();
    let eq = at_equilibrium(&["T_l", "T_r"], &["mu_l", "mu_r"]);
    for (file, eps, caption) in [
        (
            "regimes.svg",
            1.0,
            "Regimes of the single dot over the force plane (seed Fig. 3) for ε = 1 above \
             the reference: Seebeck and Peltier on the axes, engine and refrigerator in \
             the quadrants of antiparallel forces, no ICC.",
        ),
        (
            "regimes_level_below.svg",
            -1.0,
            "The same for ε = −1 below the reference: every inverse response is the \
             trivial one of a tightly coupled level below the reference \
             (trivial_inverse), never a genuine ICC.",
        ),
    ] {
        let mut set = eq.clone();
        set.push(("eps", eps));
        out.push(cx.regime_map(
            file,
            caption,
            &set,
            &["F_E^l=-0.5:0.5:61", "F_N^l=-0.5:0.5:61"],
        )?);
    }
    Ok(out)
}

/// The capacitively coupled dots: the cross coefficients against κ.
fn cqd(cx: &Context) -> Result<Vec<Figure>> {
    Ok(vec![cx.sweep(
        "onsager_vs_kappa.svg",
        "The cross coefficients L_12 = L[J_N^l, F_E^l], L_13 = L[J_N^l, F_E^u], \
         L_23 = L[J_E^l, F_E^u] against the interdot coupling κ (the forces in the \
         order F_N^l, F_E^l, F_E^u); κ = 0 decouples the u dot (L_13 = L_23 = 0).",
        &[],
        &["kappa=-3:3:121"],
        &["L_1_2", "L_1_3", "L_2_3"],
    )?])
}

/// The Sánchez–Büttiker converter: its regime map.
fn sb(cx: &Context) -> Result<Vec<Figure>> {
    let mut out = Vec::new();
    let set = at_equilibrium(&["T", "T_u"], &["mu_l", "mu_r", "mu_u"]);
    out.push(cx.regime_map(
        "regimes.svg",
        "Regimes of the Sánchez–Büttiker converter over its non-parallel forces \
         (F_E^u, F_N^l): heat engine and refrigerator, Seebeck and Peltier effects; no \
         ICC by definition.",
        &set,
        &["F_E^u=-0.5:0.5:61", "F_N^l=-0.5:0.5:61"],
    )?);
    Ok(out)
}

/// The ICC model: the regime map at a genuine-ICC point and the sign map of L_NE.
fn icc(cx: &Context) -> Result<Vec<Figure>> {
    let mut out = Vec::new();
    let point = [
        ("eps_b", 0.1),
        ("kappa_c", 0.25),
        ("kappa_s", 0.25),
        ("gamma_l0", 0.01),
        ("gamma_r0", 0.01),
    ];
    let mut set = at_equilibrium(&["T_l", "T"], &["mu_l", "mu_r", "mu_u"]);
    set.extend(point);
    out.push(cx.regime_map(
        "regimes.svg",
        "Regimes over the force plane at a genuine-ICC point (ε_b = 0.1, κ_c = κ_s = \
         0.25, γ_l0 = γ_r0 = 0.01): genuine ICC in J_N and J_E inside the \
         linear-response wedges (lines), pseudo-ICC on the axes.",
        &set,
        &["F_E^l=-0.2:0.2:81", "F_N^l=-0.02:0.02:81"],
    )?);
    let set = [("kappa_s", 0.25), ("gamma_l0", 0.01), ("gamma_r0", 0.01)];
    let g = grid(&["eps_b=-1:1:81", "kappa_c=-3:3:121"]);
    let kappa_s = 0.25;
    let extra = vec![
        vertical("seed: ε_b = 0", &g, 0.0),
        line("seed: ε_b = −κ = κ_s − κ_c", &g, |e| kappa_s - e),
    ];
    out.push(sign_map(
        cx.dir,
        cx.model,
        SignMap {
            file: "lne_sign.svg",
            title: "icc: sign of L_NE (κ_s = 0.25, γ_l0 = γ_r0 = 0.01)",
            caption: "Sign of L_NE over (ε_b, κ_c) at κ_s = 0.25: genuine where the \
                      bare level ω(A→B) = ε_b + 2κ_s lies above the origin, trivial \
                      where it lies below. Lines: the derived level crossings \
                      ω(A→B) = 0 and ω(C→D) = ε_b + κ_c − 2κ_s = 0 (L_NE < 0 needs one \
                      of them negative), and the seed's boundaries ε_b = 0 and \
                      ε_b = −κ with κ = κ_c − κ_s (dotted; dark red), which do not bound the \
                      genuine region.",
            command: "qct sweep icc --set kappa_s=0.25 --set gamma_l0=0.01 --set \
                      gamma_r0=0.01 --vary eps_b=-1:1:81 --vary kappa_c=-3:3:121 \
                      --quantity L_NE --level-lines --plot lne.svg",
            set: &set,
            grid: g,
            lines: &["ω(A→B) = 0", "ω(C→D) = 0"],
            extra,
        },
    )?);
    Ok(out)
}

/// The Anderson level: ZT against ε and the regime map.
fn anderson(cx: &Context) -> Result<Vec<Figure>> {
    Ok(vec![
        cx.sweep(
            "zt.svg",
            "Figure of merit ZT = L_NQ²/det L of the Anderson level (U = 2, T = 1, μ = 0) \
             against ε: finite (no tight coupling), zero at the particle–hole symmetric \
             point ε = −U/2 where the thermopower vanishes.",
            &at_equilibrium(&["T_l", "T_r"], &["mu_l", "mu_r"]),
            &["eps=-5:3:161"],
            &["ZT"],
        )?,
        cx.regime_map(
            "regimes.svg",
            "Regimes of the Anderson level (ε = 0.5) over the force plane.",
            &at_equilibrium(&["T_l", "T_r"], &["mu_l", "mu_r"]),
            &["F_E^l=-0.5:0.5:61", "F_N^l=-0.5:0.5:61"],
        )?,
    ])
}

/// The Zeeman-split level: G and S against B.
fn zeeman_dot(cx: &Context) -> Result<Vec<Figure>> {
    let mut out = Vec::new();
    let mut set = at_equilibrium(&["T_l", "T_r"], &["mu_l", "mu_r"]);
    set.push(("eps", 1.0));
    out.push(cx.sweep(
        "thermoelectric_vs_B.svg",
        "Conductance G and thermopower S of the Zeeman-split level (ε = 1, U = 2, \
         T = 1, μ = 0, lead l polarised p_l = 0.5) against the Zeeman energy B at \
         fixed ε: S changes sign at large |B|, once one spin level ε ± B/2 lies well \
         below the Fermi energy; neither curve is even in B, because lead l couples \
         more strongly to ↑.",
        &set,
        &["B=-4:4:161"],
        &["G", "S"],
    )?);
    Ok(out)
}

/// The filtered Anderson level: ZT against the filter centre.
fn energy_filter(cx: &Context) -> Result<Vec<Figure>> {
    Ok(vec![cx.sweep(
        "zt_vs_filter.svg",
        "Figure of merit ZT of the Anderson level (ε = 0.5, U = 2, T = 1, μ = 0) \
             behind a Lorentzian energy filter of half-width w = 0.1 on lead r, against \
             the filter's centre E_f: ZT peaks where the filter passes one charge \
             transition (E_f = ε or ε + U), which makes transport nearly tightly coupled; \
             far from both it falls towards the unfiltered value.",
        &at_equilibrium(&["T_l", "T_r"], &["mu_l", "mu_r"]),
        &["E_f=-1.5:4.5:241"],
        &["ZT"],
    )?])
}

/// The two-terminal double dot: the regime map and the sign map of L_NE.
fn double_dot(cx: &Context) -> Result<Vec<Figure>> {
    let mut out = Vec::new();
    let symmetric = [
        ("gamma_l1", 1.0),
        ("gamma_r1", 1.0),
        ("gamma_l2", 1.0),
        ("gamma_r2", 1.0),
    ];
    let mut set = at_equilibrium(&["T_l", "T_r"], &["mu_l", "mu_r"]);
    set.extend(symmetric);
    set.extend([("eps_1", 0.2), ("eps_2", 0.5), ("U", -2.0)]);
    out.push(cx.regime_map(
        "regimes.svg",
        "Regimes of the two-terminal double dot with symmetric coupling at ε_1 = 0.2, \
         ε_2 = 0.5, U = −2 (both bare levels above the reference, attractive U): \
         genuine ICC in J_N and J_E inside the linear-response wedges (lines).",
        &set,
        &["F_E^l=-0.3:0.3:81", "F_N^l=-0.3:0.3:81"],
    )?);
    let mut set: Vec<(&str, f64)> = symmetric.to_vec();
    set.push(("eps_1", 0.5));
    let g = grid(&["eps_2=-1:2:91", "U=-4:2:91"]);
    let pair_line = vec![line("ε_1 + ε_2 + U = 0", &g, |e2| -0.5 - e2)];
    out.push(sign_map(
        cx.dir,
        cx.model,
        SignMap {
            file: "lne_sign.svg",
            title: "double dot: sign of L_NE (ε_1 = 0.5, symmetric rates)",
            caption: "Sign of L_NE over (ε_2, U) at ε_1 = 0.5 with symmetric rates: \
                      genuine (both bare levels ε_1, ε_2 above the reference) only \
                      below U = −min(ε_1, ε_2); lines: the level crossings ε_2 = 0, \
                      ε_2 + U = 0, ε_1 + U = 0 and the pair transfer ε_1 + ε_2 + U = 0 \
                      (dark red), on which L_NE changes sign.",
            command: "qct sweep --model-file examples/double_dot_two_terminal.json \
                      --set gamma_l1=1 --set gamma_r1=1 --set gamma_l2=1 --set \
                      gamma_r2=1 --set eps_1=0.5 --vary eps_2=-1:2:91 --vary \
                      U=-4:2:91 --quantity L_NE --level-lines --plot lne.svg",
            set: &set,
            grid: g,
            lines: &["ω(A→C) = 0", "ω(B→D) = 0", "ω(C→D) = 0"],
            extra: pair_line,
        },
    )?);
    Ok(out)
}
