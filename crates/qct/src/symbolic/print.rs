//! Printing Symbolica expressions in qct's notations: Symbolica's own (parseable back, plain
//! ASCII with `exp(x)` for the exponential), SymPy, Mathematica and LaTeX with the README's
//! Conventions's symbols.

use super::Expression;
use symbolica::prelude::*;
use symbolica::printer::PrintOptions;

/// Greek base names that LaTeX writes as letters.
const GREEK: [&str; 14] = [
    "alpha", "beta", "gamma", "delta", "kappa", "lambda", "mu", "nu", "omega", "rho", "sigma",
    "tau", "theta", "Gamma",
];

/// LaTeX for an identifier: `eps_b` → `\varepsilon_{b}`, `gamma_l0` → `\gamma_{l0}`,
/// `T_l` → `T_{l}`, `h_AB` → `h_{AB}`; other multi-letter names in `\mathrm`.
pub fn latex_name(name: &str) -> String {
    if let Some(special) = compact_latex_name(name) {
        return special;
    }
    let (base, sub) = match name.split_once('_') {
        Some((b, s)) => (b, Some(s)),
        None => (name, None),
    };
    let base = match base {
        "eps" | "epsilon" => r"\varepsilon".to_string(),
        b if GREEK.contains(&b) => format!(r"\{b}"),
        b if b.chars().count() == 1 => b.to_string(),
        b => format!(r"\mathrm{{{b}}}"),
    };
    match sub {
        Some(s) => format!("{base}_{{{}}}", s.replace('_', ",")),
        None => base,
    }
}

/// Upper-case state labels such as `AB`.
fn is_states(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_uppercase())
}

/// LaTeX of the compact form's names: `w_AB` → ω_{AB}, `phi_AB_l` → φ^{l}_{AB},
/// `a3_El` → a^{(3)}_{E^{l}}, `G_2BC` → G^{(2)}_{BC}, `G_p4` → G_{∥4}, `c_AB_lr` → c^{lr}_{AB}.
fn compact_latex_name(name: &str) -> Option<String> {
    // Braced, so that a power of a name with a superscript stays valid LaTeX.
    compact_latex_body(name).map(|l| {
        if l.contains('^') {
            format!("{{{l}}}")
        } else {
            l
        }
    })
}

fn compact_latex_body(name: &str) -> Option<String> {
    let (base, rest) = name.split_once('_')?;
    let (first, second) = match rest.split_once('_') {
        Some((a, b)) => (a, Some(b)),
        None => (rest, None),
    };
    match (base, second) {
        ("w", None) if is_states(first) => Some(format!(r"\omega_{{{first}}}")),
        ("fc", None) if is_states(first) => Some(format!(r"\bar{{f}}_{{{first}}}")),
        ("cos2", None) if is_states(first) => Some(format!(r"\cos^2\theta_{{{first}}}")),
        ("sin2", None) if is_states(first) => Some(format!(r"\sin^2\theta_{{{first}}}")),
        ("phi", Some(lead)) if is_states(first) => Some(format!(r"\phi^{{{lead}}}_{{{first}}}")),
        ("c", Some(leads)) if is_states(first) => Some(format!("c^{{{leads}}}_{{{first}}}")),
        ("G", None) if first.starts_with('p') && first[1..].parse::<u32>().is_ok() => {
            Some(format!(r"G_{{\parallel {}}}", &first[1..]))
        }
        ("G", None) => {
            let digits: String = first.chars().take_while(char::is_ascii_digit).collect();
            let states = &first[digits.len()..];
            (!digits.is_empty() && is_states(states))
                .then(|| format!("G^{{({digits})}}_{{{states}}}"))
        }
        (b, None)
            if (b.starts_with('a') || b.starts_with('e')) && b[1..].parse::<u32>().is_ok() =>
        {
            let mut chars = first.chars();
            let kind = chars.next()?;
            Some(format!(
                "{}^{{({})}}_{{{kind}^{{{}}}}}",
                &b[..1],
                &b[1..],
                chars.as_str()
            ))
        }
        _ => None,
    }
}

/// `J_N^l`, `F_E^u` → `N^{l}`, `E^{u}` (the index of L in the README's Conventions's notation).
fn latex_index(name: &str) -> String {
    match name.get(2..).and_then(|rest| rest.split_once('^')) {
        Some((kind, lead)) => format!("{kind}^{{{lead}}}"),
        None => name.replace('_', r"\_"),
    }
}

/// L_{N^l E^u} for a flux (row) and a force or flux (column) name.
pub fn latex_coefficient(row: &str, column: &str) -> String {
    format!("L_{{{}\\,{}}}", latex_index(row), latex_index(column))
}

/// Mathematica name: underscores dropped (`_` is a pattern in Mathematica).
pub(crate) fn mathematica_name(name: &str) -> String {
    name.replace('_', "")
}

/// Replace every identifier token (letters, digits, `_`, starting with a letter) of `text`
/// that is not a LaTeX command by `map(token)`.
pub(crate) fn map_identifiers(text: &str, mut map: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() && (i == 0 || !(chars[i - 1] == '\\' || is_ident(chars[i - 1])))
        {
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            match map(&token) {
                Some(replacement) => out.push_str(&replacement),
                None => out.push_str(&token),
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// All identifier tokens of a plain-text expression.
pub(crate) fn identifiers(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    map_identifiers(text, |t| {
        tokens.push(t.to_string());
        None
    });
    tokens
}

/// Symbolica's own printing writes the exponential function as `𝑒^(x)` (or `𝑒^x` for a
/// single token, `𝑒` for e itself); qct's Symbolica syntax is plain ASCII and writes it as
/// `exp(x)` (`exp(1)` for e), which Symbolica parses back to the same expression. Nested
/// exponentials are rewritten from the outside in.
fn ascii_exponentials(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '𝑒' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        if chars.get(i) != Some(&'^') {
            out.push_str("exp(1)");
            continue;
        }
        i += 1;
        let start = i;
        if chars.get(i) == Some(&'(') {
            // The parenthesised exponent: up to the matching ')'.
            let mut depth = 0;
            while i < chars.len() {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
                if depth == 0 {
                    break;
                }
            }
            let inner: String = chars[start + 1..i - 1].iter().collect();
            out.push_str(&format!("exp({})", ascii_exponentials(&inner)));
        } else {
            // A single token exponent: an identifier or a number.
            while i < chars.len() && (is_ident(chars[i]) || chars[i] == '.') {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            out.push_str(&format!("exp({token})"));
        }
    }
    out
}

/// Print an expression in all notations.
pub(super) fn render(atom: &Atom) -> Expression {
    let symbolica = ascii_exponentials(&format!("{atom}"));
    let sympy = format!(
        "{}",
        atom.printer(PrintOptions {
            hide_all_namespaces: true,
            ..PrintOptions::sympy()
        })
    )
    .replace('𝑒', "E");
    let mathematica = map_identifiers(
        &format!(
            "{}",
            atom.printer(PrintOptions {
                hide_all_namespaces: true,
                ..PrintOptions::mathematica()
            })
        ),
        |t| Some(mathematica_name(t)),
    );
    let latex = map_identifiers(
        &format!(
            "{}",
            atom.printer(PrintOptions {
                hide_all_namespaces: true,
                ..PrintOptions::latex()
            })
        ),
        |t| (t != "e").then(|| latex_name(t)),
    );
    Expression {
        symbolica,
        sympy,
        mathematica,
        latex,
    }
}

#[cfg(test)]
mod tests {
    use super::ascii_exponentials;

    /// Every form of Symbolica's exponential becomes `exp(...)`, nested ones included, and
    /// the rest of the text is untouched.
    #[test]
    fn exponentials_become_exp_calls() {
        for (printed, ascii) in [
            ("𝑒^(-beta*(eps-mu_r))", "exp(-beta*(eps-mu_r))"),
            ("x*𝑒^beta+1", "x*exp(beta)+1"),
            ("𝑒^(2*𝑒^(a)*(b+c))/2", "exp(2*exp(a)*(b+c))/2"),
            ("𝑒^2.5*𝑒", "exp(2.5)*exp(1)"),
            ("(a+b)^2", "(a+b)^2"),
        ] {
            assert_eq!(ascii_exponentials(printed), ascii);
        }
    }
}
