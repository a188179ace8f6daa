//! Spin accumulation: spin-dependent chemical potentials of a lead (docs/models.md, "Spin
//! accumulation"; docs/conventions.md, "Spin currents and spin forces").
//!
//! A lead may declare a spin bias μ_s = μ_↑ − μ_↓ (JSON `"spin_bias": "mu_s"`, an energy):
//! its spin-up electrons are at μ_↑ = μ + μ_s/2, its spin-down electrons at μ_↓ = μ − μ_s/2,
//! and electrons entering a spinless dot at μ. Tunnelling conserves spin (a lead's coupling
//! to a dot of spin σ exchanges only σ electrons) and so does H (hopping joins dots of the
//! same spin, K is diagonal), so every component conserves N_↑ and N_↓ separately and the
//! spin current J_S^λ = J_N↑^λ − J_N↓^λ gets its own force F_S^λ = β_λ μ_sλ / 2
//! ([`crate::thermo`]).
//!
//! Restrictions, each refused with a one-line error by [`validate`]: the component of a
//! spin-biased lead holds dots of both spins (with one spin only, J_S = ±J_N and the spin
//! bias is just a shift of μ); the parameters of a spin bias are not used in a temperature
//! or chemical potential (the equilibrium sets μ_s = 0 and μ = μ_ρc independently). A spin
//! bias on a reference lead is refused by [`crate::thermo::ForceBasis::new`].

use super::{Model, ParamId, Spin};

/// σ of an electron on a dot of spin `spin`: +1 (up), −1 (down), 0 (spinless), the factor
/// of μ_s/2 in its chemical potential μ_σ = μ + σ μ_s/2 and of its transfer in J_S.
pub fn sigma(spin: Option<Spin>) -> f64 {
    spin.map_or(0.0, Spin::sign)
}

/// True when some lead declares a spin bias (the model has spin forces).
pub fn has_spin_bias(model: &Model) -> bool {
    model.leads.iter().any(|l| l.spin_bias.is_some())
}

/// The free parameters a quantity depends on (itself, or those of its expression).
fn free_parameters(model: &Model, id: ParamId) -> Vec<usize> {
    match model.derived_of(id) {
        Some(d) => d.expr.parameters(),
        None => vec![id.0],
    }
}

/// Check the spin biases of `model` (module documentation).
pub fn validate(model: &Model) -> std::result::Result<(), String> {
    let components = model.components();
    let thermal: Vec<usize> = model
        .leads
        .iter()
        .flat_map(|l| [l.temperature, l.chemical_potential])
        .flat_map(|id| free_parameters(model, id))
        .collect();
    for (l, lead) in model.leads.iter().enumerate() {
        let Some(bias) = lead.spin_bias else {
            continue;
        };
        let component = &components[Model::component_of_lead(&components, l)];
        let has = |s: Spin| {
            component
                .dots
                .iter()
                .any(|&d| model.dots[d].spin == Some(s))
        };
        if !(has(Spin::Up) && has(Spin::Down)) {
            return Err(format!(
                "lead {} has a spin bias, but its dots ({}) do not include both a spin-up and \
                 a spin-down dot: its spin current would be ±its particle current (use the \
                 chemical potential instead)",
                lead.name,
                model.component_name(component)
            ));
        }
        if let Some(&p) = free_parameters(model, bias)
            .iter()
            .find(|p| thermal.contains(p))
        {
            return Err(format!(
                "the spin bias of lead {} uses parameter {}, which is also in a temperature or \
                 chemical potential; the equilibrium sets them independently — use a separate \
                 parameter",
                lead.name, model.parameters[p].name
            ));
        }
    }
    Ok(())
}
