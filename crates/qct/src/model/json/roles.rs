//! The role (energy, rate, temperature, chemical potential, dimensionless) of each free
//! parameter of a model file, inferred from where it is used.

use crate::model::expr::{self, Expr};
use crate::model::{BareRate, Model, ParamId, Role, filter};

/// What the uses of each free parameter say about its role (README, "Parameters as
/// expressions"): a direct use fixes it; inside an expression, a position whose dimension is
/// clear fixes it (a term added to a number inside a product, as p in `gamma*(1 + p)`, is
/// dimensionless; a term added to `omega` is an energy; the argument of `exp` or an
/// exponent is dimensionless); otherwise the role of the quantity the expression gives.
pub(super) struct RoleEvidence {
    direct: Vec<Option<(Role, String)>>,
    definite: Vec<Vec<(Role, String)>>,
    fallback: Vec<Vec<(Role, String)>>,
    /// (k, where): parameter i is a factor of a product of dimensional role whose other
    /// factor is parameter k — dimensionless once k's role is dimensional ([`Self::role`]).
    partners: Vec<Vec<(usize, String)>>,
}

impl RoleEvidence {
    pub(super) fn new(n: usize) -> Self {
        RoleEvidence {
            direct: vec![None; n],
            definite: vec![vec![]; n],
            fallback: vec![vec![]; n],
            partners: vec![vec![]; n],
        }
    }

    /// The quantity of role `role` written as `text` (a parameter name or an expression).
    pub(super) fn quantity(
        &mut self,
        model: &mut Model,
        text: &str,
        role: Role,
        what: &str,
    ) -> std::result::Result<ParamId, String> {
        let expr = self.parse(model, text, role, what, false)?;
        Ok(model.intern(expr, role))
    }

    /// A bare rate on dot `dot`: a quantity, or with `omega` an energy-dependent rate.
    pub(super) fn rate(
        &mut self,
        model: &mut Model,
        dot: usize,
        text: &str,
        what: &str,
    ) -> std::result::Result<BareRate, String> {
        let expr = self.parse(model, text, Role::Rate, what, true)?;
        Ok(if expr.uses_omega() {
            filter::energy_dependent_rate(model, dot, &expr)
        } else {
            BareRate::Constant(model.intern(expr, Role::Rate))
        })
    }

    pub(super) fn parse(
        &mut self,
        model: &Model,
        text: &str,
        role: Role,
        what: &str,
        omega: bool,
    ) -> std::result::Result<Expr, String> {
        let names: Vec<&str> = model.parameters.iter().map(|p| p.name.as_str()).collect();
        if crate::model::valid_identifier(text.trim()) && !names.contains(&text.trim()) {
            let mut message = format!(
                "{what} refers to parameter '{}', which is not in \"parameters\"",
                text.trim()
            );
            if let Some(near) = expr::nearest(text.trim(), &names) {
                message.push_str(&format!(" (did you mean '{near}'?)"));
            }
            if !(omega && text.trim() == expr::OMEGA) {
                return Err(message);
            }
        }
        let parsed = expr::parse(text, &names, omega)
            .map_err(|e| format!("{what}: {}", e.describe(text)))?;
        if let Expr::Param(i) = parsed {
            match &self.direct[i] {
                Some((r, first)) if *r != role => {
                    return Err(format!(
                        "parameter {} is used as a {} ({first}) and as a {} ({what}); a \
                         parameter has one role — use separate parameters",
                        names[i],
                        r.name(),
                        role.name()
                    ));
                }
                Some(_) => {}
                None => self.direct[i] = Some((role, what.to_string())),
            }
        } else {
            let (mut positions, mut partners) = (Vec::new(), Vec::new());
            dimension_positions(&parsed, Some(role), &mut positions, &mut partners);
            for (i, k) in partners {
                self.partners[i].push((k, what.to_string()));
            }
            for (i, position) in positions {
                match position {
                    Some(r) => self.definite[i].push((r, what.to_string())),
                    None => self.fallback[i].push((role, what.to_string())),
                }
            }
        }
        Ok(parsed)
    }

    /// The role of parameter `i` (`declared`: every parameter's declared role): declared,
    /// direct, definite positions, a factor beside a dimensional parameter (p in `gamma*p`
    /// where gamma's role is declared, direct or definite: dimensionless), then fallback.
    pub(super) fn role(
        &self,
        i: usize,
        declared: &[Option<Role>],
        name: &str,
    ) -> std::result::Result<Role, String> {
        if let Some(role) = declared[i] {
            if let Some((r, what)) = &self.direct[i]
                && *r != role
            {
                return Err(format!(
                    "parameter {name} is declared as a {} but used as the {what} ({})",
                    role.name(),
                    r.name()
                ));
            }
            return Ok(role);
        }
        if let Some((r, _)) = &self.direct[i] {
            return Ok(*r);
        }
        // The role of parameter k from declared, direct or definite evidence alone.
        let decided = |k: usize| {
            declared[k]
                .or(self.direct[k].as_ref().map(|d| d.0))
                .or(self.definite[k].first().map(|d| d.0))
        };
        let beside_dimensional = self.partners[i]
            .iter()
            .any(|(k, _)| decided(*k).is_some_and(|r| r != Role::Dimensionless));
        if self.definite[i].is_empty() && beside_dimensional {
            return Ok(Role::Dimensionless);
        }
        for evidence in [&self.definite[i], &self.fallback[i]] {
            if let Some((first, first_what)) = evidence.first() {
                if let Some((other, other_what)) = evidence.iter().find(|(r, _)| r != first) {
                    return Err(format!(
                        "parameter {name} appears as a {} (in {first_what}) and as a {} (in \
                         {other_what}); declare its role: {{\"default\": ..., \"role\": \
                         \"energy\" | \"rate\" | \"temperature\" | \"chemical_potential\" | \
                         \"dimensionless\"}}",
                        first.name(),
                        other.name()
                    ));
                }
                return Ok(*first);
            }
        }
        Err(format!(
            "parameter {name} is not used anywhere in the model"
        ))
    }
}

/// Parameters of `e` with the role their position implies (`None`: not clear), for an
/// expression at position `position` (the role of the quantity at the root); and in
/// `partners`, (j, k) for each parameter j in a factor of a product of dimensional role
/// whose other factor is the parameter k (`gamma*p`: p beside gamma, gamma beside p).
fn dimension_positions(
    e: &Expr,
    position: Option<Role>,
    out: &mut Vec<(usize, Option<Role>)>,
    partners: &mut Vec<(usize, usize)>,
) {
    let number = |e: &Expr| matches!(e, Expr::Number { .. });
    match e {
        Expr::Number { .. } | Expr::Omega => {}
        Expr::Param(i) => out.push((*i, position)),
        Expr::Neg(a) => dimension_positions(a, position, out, partners),
        Expr::Add(a, b) | Expr::Sub(a, b) => {
            let side = if matches!(**a, Expr::Omega) || matches!(**b, Expr::Omega) {
                Some(Role::Energy)
            } else if position.is_none() && (number(a) || number(b)) {
                Some(Role::Dimensionless)
            } else {
                position
            };
            dimension_positions(a, side, out, partners);
            dimension_positions(b, side, out, partners);
        }
        Expr::Mul(a, b) => {
            let (pa, pb) = match (number(a), number(b)) {
                (true, _) => (None, position),
                (_, true) => (position, None),
                _ => (None, None),
            };
            if position.is_some_and(|r| r != Role::Dimensionless) {
                for (factor, other) in [(a, b), (b, a)] {
                    if let Expr::Param(k) = **other {
                        partners.extend(factor.parameters().into_iter().map(|j| (j, k)));
                    }
                }
            }
            dimension_positions(a, pa, out, partners);
            dimension_positions(b, pb, out, partners);
        }
        Expr::Div(a, b) => {
            let pa = if number(b) { position } else { None };
            dimension_positions(a, pa, out, partners);
            dimension_positions(b, None, out, partners);
        }
        Expr::Pow(a, b) => {
            dimension_positions(a, None, out, partners);
            dimension_positions(b, Some(Role::Dimensionless), out, partners);
        }
        Expr::Sqrt(a) => dimension_positions(a, None, out, partners),
        Expr::Exp(a) => dimension_positions(a, Some(Role::Dimensionless), out, partners),
    }
}
