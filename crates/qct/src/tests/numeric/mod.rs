//! The numeric core, stage by stage, asserting the physics of the README's Conventions.
//!
//! * `single_dot` — the hand-worked closed form of the single dot, tight coupling
//!   (J_E = ε J_N, det L = 0), Σ̇ ≥ 0, Fermi function, non-unique steady state;
//! * `invariants` — every model at several points in both representations: Σp = 1, p ≥ 0,
//!   W p = 0, conservation, the two Σ̇, Σ̇ ≥ 0; L symmetric, positive semidefinite, equal
//!   to finite differences and to its cycle form, J = L F + O(F²);
//! * `equilibrium` — spectrum by hand, transitions, Gibbs distribution, vanishing currents;
//! * `forces` — force identification, dropped forces, reference leads, seed Σ̇ formulas;
//! * `shift` — the energy origin: L' = T L Tᵀ (energy), L' = L (heat);
//! * `seed` — the Sánchez–Büttiker converter and reductions between models.

mod equilibrium;
mod forces;
mod invariants;
mod seed;
mod shift;
mod single_dot;
