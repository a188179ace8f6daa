//! The exact oracle: the Pauli steady state, the currents and the Onsager matrix in exact
//! rational arithmetic ([`BigRational`]), a second solver beside the f64 pipeline
//! (README, Conventions, "Leads and rates", "Currents, entropy production", "Linear response").
//!
//! Given rational bare rates γ_t, rational Fermi factors (f_t, 1 − f_t) per transition and
//! rational state energies E_k (so ω_t = E_to − E_from exactly), the whole Pauli problem is a
//! linear system over ℚ, and this module solves it without rounding:
//!
//! * the steady state by Gaussian elimination over ℚ of W p = 0 with the last row of W
//!   replaced by ones (Σ p = 1) — not the f64 path's Grassmann–Taksar–Heyman state
//!   reduction, and with no floating-point number anywhere;
//! * the currents J_N^λ = Σ_t [γ f p_i − γ (1 − f) p_j], J_E^λ = Σ_t ω_t […] exactly, so the
//!   conservation laws hold as identities (Σ_λ J_E^λ = 0, not ≈ 0);
//! * the Onsager matrix by exact linear response at an equilibrium: with ∂f_t/∂F_j =
//!   f_t (1 − f_t) d_j(t) (d_j(t): what transition t adds to flux j — 1, ω_t, or ω_t − μ_ρc),
//!   W₀ p₁ = −(∂W/∂F_j) p₀ with Σ p₁ = 0 is solved exactly and L_ij = ∂J_i/∂F_j assembled in
//!   ℚ. When the Fermi factors satisfy detailed balance exactly (they come from rational
//!   Boltzmann factors or Gibbs weights, see [`fermi_from_boltzmann`] and
//!   `fermi_from_gibbs`), L = Lᵀ holds exactly.
//!
//! Only the *structure* of the problem (which state goes to which, through which lead, with
//! which rate parameter) is taken from `Device`; the numbers are the caller's rationals.
//!
//! The Fermi factors of a physical lead are transcendental (an exponential of β(ω − μ)). The
//! oracle is therefore exact for *given* rational Fermi factors. There are two ways to feed it:
//!
//! 1. rational Boltzmann factors: e.g. β_λ = q ln r with integer q and rational r, and
//!    energies that make q (ω − μ) integral, give e^{−β(ω−μ)} = r^{−q(ω−μ)} ∈ ℚ — a genuine
//!    physical point whose Pauli problem is entirely rational (the tests do this);
//! 2. the Fermi factors that qct computes at a point (as `Scaled` numbers, so that
//!    e^{−β(ω−μ)} far below the f64 range is kept), each converted exactly to the dyadic
//!    rational it is (`scaled_rational`): [`ExactPauli::at_point`] and
//!    [`Model::solve_exact`](crate::Model::solve_exact) (`qct solve --exact`) solve the Pauli
//!    problem *exactly for the rounded rates* the model gives at that point. Everything after
//!    the Fermi factors is exact; the only rounding is that of the Fermi functions (and of the
//!    final conversion to f64 for printing).

pub mod derived;

use crate::error::{Error, Result};
use crate::model::Model;
use crate::rates::Device;
#[cfg(test)]
use crate::rates::Transition;
use crate::scaled::Scaled;
use crate::spectrum::energy_terms;
use crate::thermo::{Force, ForceBasis};
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// An exact rational number.
pub type Rational = BigRational;

/// Largest state space the exact solver accepts (6 dots): Gaussian elimination over ℚ costs
/// O(n³) operations on numbers whose size grows with n.
pub(crate) const MAX_EXACT_STATES: usize = 64;

/// The exact rational value of a finite f64 (every finite f64 is a dyadic rational).
pub fn rational(x: f64) -> Result<Rational> {
    if !x.is_finite() {
        return Err(Error::NonFinite(
            "a value given to the exact solver (only finite numbers are rational)".into(),
        ));
    }
    Ok(BigRational::from_float(x).expect("finite floats are rational"))
}

/// Largest binary exponent |e| of a Fermi factor m · 2^e the exact solver accepts
/// (β|ω − μ| up to ~7 · 10⁵): rationals of a million bits are still solved in seconds.
pub(crate) const MAX_EXACT_EXPONENT: i64 = 1 << 20;

/// The exact value m · 2^e of a [`Scaled`] number (a dyadic rational), for |e| up to
/// [`MAX_EXACT_EXPONENT`].
pub(crate) fn scaled_rational(x: Scaled) -> Result<Rational> {
    let (m, e) = x.parts();
    if e.abs() > MAX_EXACT_EXPONENT {
        return Err(Error::NonFinite(format!(
            "the exact solver: a rate of 2^{e} (the exact solver keeps factors up to \
             2^(+-{MAX_EXACT_EXPONENT}), beta |omega - mu| up to ~7e5)"
        )));
    }
    let mantissa = BigRational::from_float(m).expect("finite mantissa");
    let power =
        BigRational::from_integer(num_bigint::BigInt::from(2u8).pow(e.unsigned_abs() as u32));
    Ok(if e >= 0 {
        mantissa * power
    } else {
        mantissa / power
    })
}

/// [`rational`] of every value.
pub fn rationals(values: &[f64]) -> Result<Vec<Rational>> {
    values.iter().map(|&x| rational(x)).collect()
}

/// The f64 nearest to `q` (correctly rounded; ±∞ or 0 outside the f64 range).
pub fn to_f64(q: &Rational) -> f64 {
    q.to_f64().unwrap_or(f64::NAN)
}

/// A rational from an integer numerator and denominator (denominator ≠ 0).
pub fn ratio(numerator: i64, denominator: i64) -> Rational {
    BigRational::new(numerator.into(), denominator.into())
}

/// E_k of every basis state, exactly, from rational parameter values (the README's Conventions,
/// "System"; the same integer-coefficient terms as `crate::spectrum::energies`).
pub fn energies(model: &Model, values: &[Rational]) -> Vec<Rational> {
    (0..model.n_states())
        .map(|state| {
            energy_terms(model, state)
                .iter()
                .fold(Rational::zero(), |e, &(p, c)| {
                    e + rational(c).expect("integer coefficient") * &values[p.0]
                })
        })
        .collect()
}

/// `(f, 1 − f)` from the Boltzmann factor b = e^{−β(ω−μ)} > 0: f = b/(1 + b), 1 − f =
/// 1/(1 + b).
pub fn fermi_from_boltzmann(b: &Rational) -> (Rational, Rational) {
    let denominator = Rational::one() + b;
    (b / &denominator, Rational::one() / denominator)
}

/// Equilibrium Fermi factors from Gibbs weights x_k > 0 (one per state), as qct's symbolic
/// layer writes them: f_t = x_to/(x_from + x_to), 1 − f_t = x_from/(x_from + x_to). They
/// satisfy detailed balance exactly, with the steady state p_k = x_k / Σ x.
#[cfg(test)]
pub(crate) fn fermi_from_gibbs(
    transitions: &[Transition],
    x: &[Rational],
) -> Vec<(Rational, Rational)> {
    transitions
        .iter()
        .map(|t| {
            let sum = &x[t.from] + &x[t.to];
            (&x[t.to] / &sum, &x[t.from] / &sum)
        })
        .collect()
}

/// One transition i → j with exact bare rate and transition energy.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactTransition {
    pub from: usize,
    pub to: usize,
    pub lead: usize,
    /// Bare rate γ_t.
    pub gamma: Rational,
    /// ω_t = E_to − E_from.
    pub omega: Rational,
    /// σ of the entering electron (+1, −1, 0), as in [`crate::rates::Transition::spin`].
    pub spin: f64,
}

/// Exact currents of one lead (positive into the system).
#[derive(Debug, Clone, PartialEq)]
pub struct ExactCurrents {
    /// J_N^λ.
    pub particle: Rational,
    /// J_E^λ.
    pub energy: Rational,
    /// J_S^λ = J_N↑^λ − J_N↓^λ.
    pub spin: Rational,
    /// Σ_t (γ f p_i + γ (1 − f) p_j).
    pub gross_particle: Rational,
    /// Σ_t |ω_t| (γ f p_i + γ (1 − f) p_j).
    pub gross_energy: Rational,
}

/// An exact Pauli problem: states, transitions with rational γ and ω, and rational Fermi
/// factors (f, 1 − f) per transition.
#[derive(Debug, Clone)]
pub struct ExactPauli {
    pub n_states: usize,
    /// E_k, exact.
    pub energies: Vec<Rational>,
    pub transitions: Vec<ExactTransition>,
    /// (f_t, 1 − f_t) per transition; rate in γ f, rate out γ (1 − f). The two need not sum
    /// to 1 (f64 Fermi factors converted exactly may not): each is used as given.
    pub fermi: Vec<(Rational, Rational)>,
}

impl ExactPauli {
    /// The Pauli problem of `model` with the structure of `device` (a [`Device`] of the same
    /// model), the bare rates and energies of the rational parameter values `values` (only
    /// the energy and rate parameters are read) and the Fermi factors `fermi`, one per
    /// transition of `device`.
    pub(crate) fn new(
        model: &Model,
        device: &Device,
        values: &[Rational],
        fermi: Vec<(Rational, Rational)>,
    ) -> Result<ExactPauli> {
        if device.n_states != model.n_states() || values.len() != model.n_values() {
            return Err(Error::InvalidModel {
                model: model.name.clone(),
                reason: "exact solver: device, model and parameter values do not match".into(),
            });
        }
        if fermi.len() != device.transitions.len() {
            return Err(Error::InvalidModel {
                model: model.name.clone(),
                reason: format!(
                    "exact solver: {} Fermi factors for {} transitions",
                    fermi.len(),
                    device.transitions.len()
                ),
            });
        }
        if device.n_states > MAX_EXACT_STATES {
            return Err(Error::InvalidModel {
                model: model.name.clone(),
                reason: format!(
                    "the exact solver handles at most {MAX_EXACT_STATES} states ({} dots); this \
                     model has {} states — use the f64 solver",
                    MAX_EXACT_STATES.trailing_zeros(),
                    device.n_states
                ),
            });
        }
        if fermi
            .iter()
            .any(|(f, g)| f.is_negative() || g.is_negative())
        {
            return Err(Error::InvalidModel {
                model: model.name.clone(),
                reason: "exact solver: a negative Fermi factor".into(),
            });
        }
        let energies = energies(model, values);
        let transitions = device
            .transitions
            .iter()
            .map(|t| {
                let gamma = values[t.rate.0].clone();
                if gamma.is_negative() {
                    return Err(Error::BadValue {
                        name: model.param_name(t.rate).to_string(),
                        value: to_f64(&gamma),
                        reason: "a bare rate must be >= 0".into(),
                    });
                }
                Ok(ExactTransition {
                    from: t.from,
                    to: t.to,
                    lead: t.lead,
                    gamma,
                    omega: &energies[t.to] - &energies[t.from],
                    spin: t.spin,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ExactPauli {
            n_states: device.n_states,
            energies,
            transitions,
            fermi,
        })
    }

    /// The exact Pauli problem of the model at the f64 point `values`: its parameter values
    /// and its (rounded) Fermi factors, each converted exactly.
    pub fn at_point(model: &Model, values: &[f64]) -> Result<ExactPauli> {
        Ok(ExactPauli::with_device(model, values)?.1)
    }

    /// [`ExactPauli::at_point`] with the f64 device it was converted from.
    pub(crate) fn with_device(model: &Model, values: &[f64]) -> Result<(Device, ExactPauli)> {
        if crate::eigen::needed(model, values) {
            return Err(Error::InvalidModel {
                model: model.name.clone(),
                reason: "the exact rational solver needs a Hamiltonian diagonal in the \
                         occupation basis (interdot tunnelling t != 0 gives square roots)"
                    .into(),
            });
        }
        let device = Device::new(model, values)?;
        let exact_values = rationals(&model.resolve(values))?;
        let fermi = device
            .scaled_occupations()
            .iter()
            .map(|&(f, g)| Ok((scaled_rational(f)?, scaled_rational(g)?)))
            .collect::<Result<Vec<_>>>()?;
        let pauli = ExactPauli::new(model, &device, &exact_values, fermi)?;
        Ok((device, pauli))
    }

    /// Net flow γ f p_i − γ (1 − f) p_j of every transition, for Fermi factors `fermi`.
    fn net_flows(&self, fermi: &[(Rational, Rational)], p: &[Rational]) -> Vec<Rational> {
        self.transitions
            .iter()
            .zip(fermi)
            .map(|(t, (f, g))| &t.gamma * (f * &p[t.from] - g * &p[t.to]))
            .collect()
    }

    /// Rate matrix R with `R[i][j]` the total rate i → j (i ≠ j), zero diagonal.
    pub fn rate_matrix(&self) -> Vec<Vec<Rational>> {
        let n = self.n_states;
        let mut rates = vec![vec![Rational::zero(); n]; n];
        for (t, (f, g)) in self.transitions.iter().zip(&self.fermi) {
            rates[t.from][t.to] += &t.gamma * f;
            rates[t.to][t.from] += &t.gamma * g;
        }
        rates
    }

    /// Pauli generator W (dp/dt = W p): `W[j][i] = R[i][j]` for i ≠ j, `W[i][i] = −Σ_j R[i][j]`.
    pub fn generator(&self) -> Vec<Vec<Rational>> {
        let rates = self.rate_matrix();
        let n = self.n_states;
        let mut w = vec![vec![Rational::zero(); n]; n];
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    w[j][i] = rates[i][j].clone();
                    w[i][i] -= &rates[i][j];
                }
            }
        }
        w
    }

    /// W p, exactly (zero for a steady state).
    pub fn balance(&self, p: &[Rational]) -> Vec<Rational> {
        flows_to_balance(
            self.n_states,
            &self.transitions,
            &self.net_flows(&self.fermi, p),
        )
    }

    /// W with its last row replaced by ones: W p = 0, Σ p = 1 becomes A p = e_last. A is
    /// invertible iff the steady state is unique (one closed class of states).
    fn constrained_generator(&self) -> Vec<Vec<Rational>> {
        let mut a = self.generator();
        if let Some(last) = a.last_mut() {
            last.iter_mut().for_each(|x| *x = Rational::one());
        }
        a
    }

    /// The exact steady state: W p = 0, Σ p = 1, by Gaussian elimination over ℚ.
    pub fn steady_state(&self) -> Result<Vec<Rational>> {
        let n = self.n_states;
        let mut e_last = vec![Rational::zero(); n];
        e_last[n - 1] = Rational::one();
        let mut solution = solve(self.constrained_generator(), vec![e_last])?;
        Ok(solution.pop().expect("one right-hand side"))
    }

    /// Exact currents of every lead (`n_leads` leads) at probabilities `p`.
    pub fn currents(&self, n_leads: usize, p: &[Rational]) -> Vec<ExactCurrents> {
        self.currents_for(n_leads, &self.fermi, p)
    }

    fn currents_for(
        &self,
        n_leads: usize,
        fermi: &[(Rational, Rational)],
        p: &[Rational],
    ) -> Vec<ExactCurrents> {
        let mut currents = vec![
            ExactCurrents {
                particle: Rational::zero(),
                energy: Rational::zero(),
                spin: Rational::zero(),
                gross_particle: Rational::zero(),
                gross_energy: Rational::zero(),
            };
            n_leads
        ];
        for (t, (f, g)) in self.transitions.iter().zip(fermi) {
            let inward = &t.gamma * f * &p[t.from];
            let outward = &t.gamma * g * &p[t.to];
            let c = &mut currents[t.lead];
            let net = &inward - &outward;
            let gross = inward + outward;
            c.energy += &t.omega * &net;
            if t.spin > 0.0 {
                c.spin += &net;
            } else if t.spin < 0.0 {
                c.spin -= &net;
            }
            c.particle += net;
            c.gross_energy += t.omega.abs() * &gross;
            c.gross_particle += gross;
        }
        currents
    }

    /// d_j(t) for force `force` and transition `transition`: 1 for a particle flux, ω_t for
    /// J_E (energy representation), ω_t − μ_ρc for J_Q (heat representation), 0 when t goes
    /// through another lead. `mu`: the equilibrium chemical potential of every lead. The
    /// rational counterpart of `crate::network::flux_increment`.
    pub fn flux_increment(
        &self,
        basis: &ForceBasis,
        mu: &[Rational],
        force: &Force,
        transition: usize,
    ) -> Rational {
        let t = &self.transitions[transition];
        basis.transported(force, t.lead, t.omega.clone(), t.spin, |l| mu[l].clone())
    }

    /// True iff γ f p_i = γ (1 − f) p_j for every transition (detailed balance, exactly).
    pub fn detailed_balance(&self, p: &[Rational]) -> bool {
        self.net_flows(&self.fermi, p).iter().all(Zero::is_zero)
    }

    /// The Onsager matrix L_ij = ∂J_i/∂F_j by exact linear response, treating this problem
    /// as the equilibrium of `basis` (its Fermi factors those of the equilibrium; `mu` the
    /// equilibrium chemical potential of every lead, read in the heat representation only).
    ///
    /// Each force F_j moves the Fermi factors of its lead by ∂f_t/∂F_j = f_t (1 − f_t) d_j(t)
    /// (and ∂(1 − f_t)/∂F_j = −f_t (1 − f_t) d_j(t)); p₁ solves W₀ p₁ = −(∂W/∂F_j) p₀ with
    /// Σ p₁ = 0, and L_ij = Σ_t d_i(t) [∂(net flow_t)/∂F_j at p₀ + net flow_t(p₁)]. The
    /// derivative f (1 − f) of the Fermi function is taken as the product of the two given
    /// factors (f_t, 1 − f_t): identical when they sum to 1 exactly, and for f64 Fermi factors
    /// it keeps the accurately computed complement (1 − f of a rounded f ≈ 1 would not).
    pub fn linear_response(
        &self,
        basis: &ForceBasis,
        mu: &[Rational],
    ) -> Result<Vec<Vec<Rational>>> {
        let n = self.n_states;
        let m = basis.len();
        let a = self.constrained_generator();
        let mut e_last = vec![Rational::zero(); n];
        e_last[n - 1] = Rational::one();
        let p0 = solve(a.clone(), vec![e_last])?.pop().expect("one solution");
        // d_j(t) for every force and transition.
        let increments: Vec<Vec<Rational>> = basis
            .forces
            .iter()
            .map(|force| {
                (0..self.transitions.len())
                    .map(|t| self.flux_increment(basis, mu, force, t))
                    .collect()
            })
            .collect();
        let mut d_fermis = Vec::with_capacity(m);
        let mut right_hand_sides = Vec::with_capacity(m);
        for d in &increments {
            let d_fermi: Vec<(Rational, Rational)> = self
                .fermi
                .iter()
                .zip(d)
                .map(|((f, g), d_t)| {
                    let df = f * g * d_t;
                    let neg = -df.clone();
                    (df, neg)
                })
                .collect();
            let d_balance = flows_to_balance(n, &self.transitions, &self.net_flows(&d_fermi, &p0));
            let mut rhs: Vec<Rational> = d_balance.into_iter().map(|x| -x).collect();
            rhs[n - 1] = Rational::zero();
            right_hand_sides.push(rhs);
            d_fermis.push(d_fermi);
        }
        let p1s = if m > 0 {
            solve(a, right_hand_sides)?
        } else {
            Vec::new()
        };
        let mut l = vec![vec![Rational::zero(); m]; m];
        for j in 0..m {
            let explicit = self.net_flows(&d_fermis[j], &p0);
            let implicit = self.net_flows(&self.fermi, &p1s[j]);
            for (i, d_i) in increments.iter().enumerate() {
                l[i][j] = d_i
                    .iter()
                    .zip(explicit.iter().zip(&implicit))
                    .filter(|(d, _)| !d.is_zero())
                    .fold(Rational::zero(), |acc, (d, (e, im))| acc + d * (e + im));
            }
        }
        Ok(l)
    }
}

/// (W p)_k from the net flows of the transitions: Σ_t net_t ([k = to] − [k = from]).
fn flows_to_balance(
    n: usize,
    transitions: &[ExactTransition],
    flows: &[Rational],
) -> Vec<Rational> {
    let mut balance = vec![Rational::zero(); n];
    for (t, flow) in transitions.iter().zip(flows) {
        balance[t.to] += flow;
        balance[t.from] -= flow;
    }
    balance
}

/// Solve A x = b for every right-hand side b by Gaussian elimination over ℚ (pivot: the
/// nonzero entry of smallest size in its column, for shorter numbers; no rounding, so any
/// nonzero pivot is exact). Error when A is singular.
pub fn solve(mut a: Vec<Vec<Rational>>, mut rhs: Vec<Vec<Rational>>) -> Result<Vec<Vec<Rational>>> {
    let n = a.len();
    let size = |q: &Rational| q.numer().bits() + q.denom().bits();
    for col in 0..n {
        let pivot = (col..n)
            .filter(|&r| !a[r][col].is_zero())
            .min_by_key(|&r| size(&a[r][col]))
            .ok_or_else(|| {
                Error::Singular(
                    "exact solver: W with the row Σp = 1 is singular, so the steady state is not \
                     unique (more than one closed class of states; check for zero rates)"
                        .into(),
                )
            })?;
        a.swap(col, pivot);
        rhs.iter_mut().for_each(|b| b.swap(col, pivot));
        let inverse = Rational::one() / &a[col][col];
        for r in col + 1..n {
            if a[r][col].is_zero() {
                continue;
            }
            let factor = &a[r][col] * &inverse;
            let (upper, lower) = a.split_at_mut(r);
            let pivot_row = &upper[col];
            for (x, p) in lower[0][col..].iter_mut().zip(&pivot_row[col..]) {
                if !p.is_zero() {
                    *x -= &factor * p;
                }
            }
            for b in rhs.iter_mut() {
                if !b[col].is_zero() {
                    let delta = &factor * &b[col];
                    b[r] -= delta;
                }
            }
        }
    }
    // Back substitution.
    let mut solutions = Vec::with_capacity(rhs.len());
    for b in rhs {
        let mut x = vec![Rational::zero(); n];
        for row in (0..n).rev() {
            let mut s = b[row].clone();
            for (k, x_k) in x.iter().enumerate().skip(row + 1) {
                if !a[row][k].is_zero() && !x_k.is_zero() {
                    s -= &a[row][k] * x_k;
                }
            }
            x[row] = s / &a[row][row];
        }
        solutions.push(x);
    }
    Ok(solutions)
}
