//! Display symbols of parameters in figures: `eps_b` → `ε_b`, `kappa_c` → `κ_c`, `T_l` →
//! `T_l`, `gamma_l0` → `γ_{l0}`, in the markup of `crate::plot` (`_` subscript, `^`
//! superscript). A model file may give its own (`"symbol"` of a parameter).

use super::Parameter;

/// Greek letters by their spelled-out names.
const GREEK: [(&str, &str); 24] = [
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("Gamma", "Γ"),
    ("delta", "δ"),
    ("Delta", "Δ"),
    ("eps", "ε"),
    ("epsilon", "ε"),
    ("zeta", "ζ"),
    ("eta", "η"),
    ("theta", "θ"),
    ("kappa", "κ"),
    ("lambda", "λ"),
    ("Lambda", "Λ"),
    ("mu", "μ"),
    ("nu", "ν"),
    ("xi", "ξ"),
    ("pi", "π"),
    ("rho", "ρ"),
    ("sigma", "σ"),
    ("tau", "τ"),
    ("phi", "φ"),
    ("chi", "χ"),
    ("omega", "ω"),
];

/// The symbol of a parameter called `name`: a spelled-out Greek head becomes the letter,
/// everything after the first `_` its subscript (further `_` become commas).
pub(crate) fn default_symbol(name: &str) -> String {
    let (head, rest) = match name.split_once('_') {
        Some((h, r)) => (h, Some(r)),
        None => (name, None),
    };
    let head = GREEK
        .iter()
        .find(|(spelled, _)| *spelled == head)
        .map_or(head, |(_, letter)| letter);
    match rest {
        None | Some("") => head.to_string(),
        Some(r) if r.chars().count() == 1 => format!("{head}_{r}"),
        Some(r) => format!("{head}_{{{}}}", r.replace('_', ",")),
    }
}

impl Parameter {
    /// The symbol drawn for this parameter: its own, or the default symbol of its name.
    pub fn display_symbol(&self) -> String {
        if self.symbol.is_empty() {
            default_symbol(&self.name)
        } else {
            self.symbol.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::default_symbol;

    #[test]
    fn greek_heads_and_subscripts() {
        assert_eq!(default_symbol("eps_b"), "ε_b");
        assert_eq!(default_symbol("kappa_c"), "κ_c");
        assert_eq!(default_symbol("T_l"), "T_l");
        assert_eq!(default_symbol("gamma_l0"), "γ_{l0}");
        assert_eq!(default_symbol("eps"), "ε");
        assert_eq!(default_symbol("U"), "U");
        assert_eq!(default_symbol("mu_r"), "μ_r");
        assert_eq!(default_symbol("x_a_b"), "x_{a,b}");
        assert_eq!(default_symbol("epsilon"), "ε");
    }
}
