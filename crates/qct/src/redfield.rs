//! Density-matrix master equations in the eigenbasis of H: Bloch–Redfield and its secular
//! limit (the Lindblad/Davies equation) — `qct solve --method redfield|lindblad` for models
//! with interdot tunnelling (README, "Interdot tunnelling and coherences").
//!
//! # The equation
//!
//! Every tunnel coupling c = (λ, α) is its own channel of lead λ (as for the Pauli rates):
//! H_T = Σ_k t_c (c_k† d_α + d_α† c_k), γ_c = 2π ν |t_c|², flat band. Second order in H_T,
//! Born–Markov, bath correlations integrated over the half line with the principal-value
//! (Lamb-shift) parts dropped (a documented choice), gives the Bloch–Redfield equation
//!
//! dρ/dt = −i[H, ρ] + Σ_c D_c\[ρ\],
//! D_c\[ρ\] = ½ (P ρ d + d† ρ P† − d P ρ − ρ P† d†) + ½ (X ρ d† + d ρ X† − d† X ρ − ρ X† d),
//!
//! with d = d_α in the eigenbasis and the "filtered" operators P = (γ_c f_λ) ∘ d† (an electron
//! enters: P_ba = γ_c f_λ(E_b − E_a) ⟨b|d_α†|a⟩) and X = (γ_c (1 − f_λ)) ∘ d (it leaves:
//! X_ab = γ_c (1 − f_λ(E_b − E_a)) ⟨a|d_α|b⟩): each matrix element is weighted by the Fermi
//! factor at its own Bohr frequency. With f constant it is γf D\[d†\] + γ(1 − f) D\[d\], the
//! Lindblad form.
//!
//! **Secular limit.** Keeping only the terms R_(bb'),(cc') of the Redfield tensor with
//! E_b − E_b' = E_c − E_c' (within `crate::lindblad::FREQUENCY_TOLERANCE`) gives the Davies
//! (secular Lindblad) generator: jump operators d_α(ω)† and d_α(ω) per Bohr frequency with
//! rates γ f(ω) and γ (1 − f(ω)). Its populations obey the Pauli equation of
//! the eigenbasis of `crate::eigen` exactly; Redfield adds the coherences between eigenstates whose splitting
//! Δ is not large against γ, and differs from Pauli by O(γ/Δ) there.
//!
//! **Variables.** ρ is kept on the pairs (b, b') of eigenstates with the same electron
//! numbers in every component (charge superselection; the equation never couples other
//! coherences to the populations).
//!
//! **Currents** (into the system, from lead λ): J_N^λ = Tr(N D_λ\[ρ\]),
//! J_E^λ = Tr(H D_λ\[ρ\]) with D_λ = Σ_{c ∈ λ} D_c (H diagonal in the eigenbasis, so only
//! the populations' change counts); Σ_λ D_λ\[ρ\] = i[H, ρ] in the steady state, so both are
//! conserved exactly. The Redfield equation is not of Lindblad form: ρ can have small
//! negative eigenvalues and Σ̇ is not guaranteed ≥ 0; the report shows ρ's smallest
//! eigenvalue.

use crate::currents::LeadCurrents;
use crate::eigen::{Eigenbasis, bare_rate, eigenbasis};
use crate::error::{Error, Result};
use crate::lindblad::{C64, CMatrix, FREQUENCY_TOLERANCE};
use crate::model::Model;
use crate::rates::{LeadState, fermi};
use nalgebra::{DMatrix, DVector};

/// Largest number of dots for the density-matrix methods.
pub(crate) const MAX_DOTS: usize = 4;

/// Which density-matrix equation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Secular (Davies) Lindblad equation in the eigenbasis.
    Lindblad,
    /// Bloch–Redfield (non-secular) equation.
    Redfield,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Lindblad => "lindblad",
            Method::Redfield => "redfield",
        }
    }
}

/// One channel (λ, α): the matrix elements ⟨b|d_α†|a⟩ = ⟨a|d_α|b⟩ (real) and γ_c per
/// element (γ may depend on other dots' occupations).
#[derive(Debug, Clone)]
struct Channel {
    lead: usize,
    /// σ of the dot ([`crate::model::spin::sigma`]).
    spin: f64,
    /// (a, b, ⟨b|d_α†|a⟩, γ).
    elements: Vec<(usize, usize, f64, f64)>,
}

/// The model at one point, ready for any lead states: eigenbasis, channels, variables.
#[derive(Debug, Clone)]
pub(crate) struct DensityProblem {
    pub basis: Eigenbasis,
    channels: Vec<Channel>,
    /// Electron number of each eigenstate (all components together).
    pub number: Vec<f64>,
    /// N_↑ − N_↓ of each eigenstate.
    pub spin: Vec<f64>,
    /// The variables (b, b') of ρ.
    pub pairs: Vec<(usize, usize)>,
    n_leads: usize,
}

/// The steady state of a density-matrix method.
#[derive(Debug, Clone)]
pub(crate) struct DensitySolution {
    /// ρ in the eigenbasis (zero outside the superselected pairs).
    pub rho: CMatrix,
    /// Populations Re ρ_bb.
    pub populations: Vec<f64>,
    /// Currents of every lead.
    pub currents: Vec<LeadCurrents>,
    /// max |(L ρ)| over the equations, relative to the largest escape rate × population.
    pub residual: f64,
    /// Smallest eigenvalue of ρ (negative values are a Redfield artefact).
    pub min_eigenvalue: f64,
}

impl DensityProblem {
    /// Set up the problem of `model` at `values` (at most [`MAX_DOTS`] dots).
    pub(crate) fn new(model: &Model, values: &[f64]) -> Result<DensityProblem> {
        if model.dots.len() > MAX_DOTS {
            return Err(Error::InvalidModel {
                model: model.name.clone(),
                reason: format!(
                    "the density-matrix methods support up to {MAX_DOTS} dots; this model has \
                     {} — use the Pauli solver (the default method)",
                    model.dots.len()
                ),
            });
        }
        crate::model::check_values(model, values)?;
        let basis = eigenbasis(model, values);
        let mut channels: Vec<Channel> = Vec::new();
        for (lead, l) in model.leads.iter().enumerate() {
            for coupling in &l.couplings {
                let mut elements = Vec::new();
                basis.for_each_creation_element(coupling.dot, |a, b, element| {
                    let rate = bare_rate(&coupling.rate, basis.blocks.of(a)[0]);
                    elements.push((a, b, element, values[rate.0]));
                });
                let spin = crate::model::spin::sigma(model.dots[coupling.dot].spin);
                channels.push(Channel {
                    lead,
                    spin,
                    elements,
                });
            }
        }
        let n = basis.energies.len();
        let components = model.components();
        let numbers: Vec<Vec<usize>> = (0..n)
            .map(|k| {
                components
                    .iter()
                    .map(|c| {
                        c.dots
                            .iter()
                            .map(|&d| crate::spectrum::occupation(k, d) as usize)
                            .sum()
                    })
                    .collect()
            })
            .collect();
        let mut pairs = Vec::new();
        // Populations first (in state order), then the coherences.
        for b in 0..n {
            pairs.push((b, b));
        }
        for b in 0..n {
            for b2 in (0..n).filter(|&b2| b2 != b && numbers[b2] == numbers[b]) {
                pairs.push((b, b2));
            }
        }
        let number = numbers
            .iter()
            .map(|v| v.iter().sum::<usize>() as f64)
            .collect();
        // Eigenstates have definite N_↑, N_↓ (hopping joins dots of one spin).
        let spin = (0..n)
            .map(|k| {
                (0..model.dots.len())
                    .map(|d| {
                        crate::model::spin::sigma(model.dots[d].spin)
                            * crate::spectrum::occupation(k, d) as f64
                    })
                    .sum()
            })
            .collect();
        Ok(DensityProblem {
            basis,
            channels,
            number,
            spin,
            pairs,
            n_leads: model.leads.len(),
        })
    }

    /// The generator restricted to the pairs, per lead (dissipators only), for lead states
    /// `leads`: `R\[λ\]` with R[λ][(row, col)] the coefficient of ρ_col in dρ_row/dt.
    fn dissipators(&self, leads: &[LeadState], method: Method) -> Vec<DMatrix<f64>> {
        let n = self.basis.energies.len();
        let m = self.pairs.len();
        let e = &self.basis.energies;
        let scale = e.iter().fold(1.0f64, |s, x| s.max(x.abs()));
        let tolerance = FREQUENCY_TOLERANCE * scale;
        let mut out = vec![DMatrix::zeros(m, m); self.n_leads];
        let at = |i: usize, j: usize| i * n + j;
        for channel in &self.channels {
            let lead = leads[channel.lead];
            // Dense d, P, X, dP, d†X (n × n, row-major).
            let (mut d, mut p, mut x) = (vec![0.0; n * n], vec![0.0; n * n], vec![0.0; n * n]);
            for &(a, b, element, gamma) in &channel.elements {
                let (f, f_bar) = fermi(lead.beta * (e[b] - e[a] - lead.mu_for(channel.spin)));
                d[at(a, b)] = element;
                p[at(b, a)] = gamma * f * element;
                x[at(a, b)] = gamma * f_bar * element;
            }
            let (mut dp, mut ddx) = (vec![0.0; n * n], vec![0.0; n * n]);
            for i in 0..n {
                for j in 0..n {
                    let (mut s1, mut s2) = (0.0, 0.0);
                    for k in 0..n {
                        s1 += d[at(i, k)] * p[at(k, j)];
                        s2 += d[at(k, i)] * x[at(k, j)];
                    }
                    dp[at(i, j)] = s1;
                    ddx[at(i, j)] = s2;
                }
            }
            let r = &mut out[channel.lead];
            for (col, &(c, c2)) in self.pairs.iter().enumerate() {
                for (row, &(b, b2)) in self.pairs.iter().enumerate() {
                    if method == Method::Lindblad
                        && ((e[b] - e[b2]) - (e[c] - e[c2])).abs() > tolerance
                    {
                        continue;
                    }
                    // ρ = |c⟩⟨c2|; the eight terms of D_c (module documentation).
                    let mut v = 0.5
                        * (p[at(b, c)] * d[at(c2, b2)]
                            + d[at(c, b)] * p[at(b2, c2)]
                            + x[at(b, c)] * d[at(b2, c2)]
                            + d[at(b, c)] * x[at(b2, c2)]);
                    if b2 == c2 {
                        v -= 0.5 * (dp[at(b, c)] + ddx[at(b, c)]);
                    }
                    if b == c {
                        v -= 0.5 * (dp[at(b2, c2)] + ddx[at(b2, c2)]);
                    }
                    r[(row, col)] += v;
                }
            }
        }
        out
    }

    /// Solve the steady state for lead states `leads` with `method`.
    pub(crate) fn solve(&self, leads: &[LeadState], method: Method) -> Result<DensitySolution> {
        let n = self.basis.energies.len();
        let m = self.pairs.len();
        let e = &self.basis.energies;
        let per_lead = self.dissipators(leads, method);
        let mut total = CMatrix::zeros(m, m);
        for r in &per_lead {
            total += r.map(|v| C64::new(v, 0.0));
        }
        for (k, &(b, b2)) in self.pairs.iter().enumerate() {
            total[(k, k)] += C64::new(0.0, -(e[b] - e[b2]));
        }
        // Replace the equation of ρ_00 by Tr ρ = 1 (the trace is conserved).
        let mut bordered = total.clone();
        bordered.row_mut(0).fill(C64::new(0.0, 0.0));
        for b in 0..n {
            bordered[(0, b)] = C64::new(1.0, 0.0);
        }
        let mut rhs = DVector::zeros(m);
        rhs[0] = C64::new(1.0, 0.0);
        let x = bordered
            .lu()
            .solve(&rhs)
            .filter(|x| x.iter().all(|z| z.re.is_finite() && z.im.is_finite()))
            .ok_or_else(|| {
                Error::Singular(format!(
                    "the {} steady state is not unique at this point (singular generator)",
                    method.name()
                ))
            })?;
        let mut rho = CMatrix::zeros(n, n);
        for (k, &(b, b2)) in self.pairs.iter().enumerate() {
            rho[(b, b2)] = x[k];
        }
        let populations: Vec<f64> = (0..n).map(|b| rho[(b, b)].re).collect();
        let currents = per_lead
            .iter()
            .zip(leads)
            .map(|(r, lead)| self.lead_currents(r, lead, &x))
            .collect();
        let escape = (0..n).fold(0.0f64, |s, b| {
            s.max(-total[(b, b)].re * populations[b].abs())
        });
        let worst = (&total * &x).iter().fold(0.0f64, |s, z| s.max(z.norm()));
        let residual = if escape > 0.0 { worst / escape } else { worst };
        let hermitian = (&rho + rho.adjoint()) * C64::new(0.5, 0.0);
        let min_eigenvalue = hermitian
            .symmetric_eigenvalues()
            .iter()
            .fold(f64::INFINITY, |s, &v| s.min(v));
        Ok(DensitySolution {
            rho,
            populations,
            currents,
            residual,
            min_eigenvalue,
        })
    }

    /// J_N^λ = Tr(N D_λ ρ), J_E^λ = Tr(H D_λ ρ); gross exchanges from the population-to-
    /// population rates of D_λ.
    fn lead_currents(&self, r: &DMatrix<f64>, lead: &LeadState, x: &DVector<C64>) -> LeadCurrents {
        let n = self.basis.energies.len();
        let e = &self.basis.energies;
        let change = r.map(|v| C64::new(v, 0.0)) * x;
        let (mut particle, mut energy, mut spin) = (0.0, 0.0, 0.0);
        for b in 0..n {
            particle += self.number[b] * change[b].re;
            spin += self.spin[b] * change[b].re;
            energy += e[b] * change[b].re;
        }
        let (mut gross_particle, mut gross_energy) = (0.0, 0.0);
        for b in 0..n {
            for c in (0..n).filter(|&c| c != b) {
                let flow = (r[(b, c)] * x[c].re).abs();
                gross_particle += flow;
                gross_energy += (e[b] - e[c]).abs() * flow;
            }
        }
        LeadCurrents {
            particle,
            energy,
            spin,
            heat: lead.heat_current(energy, particle, spin),
            gross_particle,
            gross_energy,
        }
    }
}

/// ρ of a density-matrix method in `qct solve --format json` (key `density_matrix`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DensityMatrixReport {
    /// "lindblad" (secular) or "redfield".
    pub method: &'static str,
    /// The basis of `real`/`imag`: the eigenstates, in label order (A, B, …).
    pub basis: Vec<String>,
    /// Re ρ_bb' (rows b, columns b').
    pub real: Vec<Vec<f64>>,
    /// Im ρ_bb'.
    pub imag: Vec<Vec<f64>>,
    /// max_{b≠b'} |ρ_bb'|.
    pub max_coherence: f64,
    /// Smallest eigenvalue of ρ (negative: a Redfield artefact, O(γ/Δ)).
    pub min_eigenvalue: f64,
    /// max |(L ρ)| relative to the largest escape rate × population.
    pub residual: f64,
}

impl DensitySolution {
    /// The JSON/text report of this solution.
    pub(crate) fn report(&self, method: Method) -> DensityMatrixReport {
        let n = self.rho.nrows();
        let rows = |f: &dyn Fn(C64) -> f64| -> Vec<Vec<f64>> {
            (0..n)
                .map(|i| (0..n).map(|j| f(self.rho[(i, j)])).collect())
                .collect()
        };
        let mut max_coherence = 0.0f64;
        for i in 0..n {
            for j in (0..n).filter(|&j| j != i) {
                max_coherence = max_coherence.max(self.rho[(i, j)].norm());
            }
        }
        DensityMatrixReport {
            method: method.name(),
            basis: (0..n).map(Model::state_label).collect(),
            real: rows(&|z| z.re),
            imag: rows(&|z| z.im),
            max_coherence,
            min_eigenvalue: self.min_eigenvalue,
            residual: self.residual,
        }
    }
}
