//! Arithmetic expressions of the free parameters, for model quantities such as
//! `"eps + B/2"`, `"alpha*V_g"` or `"gamma*(1 + p)"` (README, "Parameters as expressions").
//!
//! Grammar (usual precedence, `^` binds tightest and is right-associative, unary minus binds
//! looser than `^`, so `-x^2 = -(x^2)`):
//!
//! ```text
//! sum     := product (('+' | '-') product)*
//! product := unary (('*' | '/') unary)*
//! unary   := ('-' | '+') unary | power
//! power   := atom ('^' unary)?
//! atom    := number | name | ('sqrt' | 'exp') '(' sum ')' | '(' sum ')'
//! ```
//!
//! Names are the model's free parameters and, in a bare rate, `omega`: the transition energy
//! ω_t of README "Energy-dependent rates". An expression is parsed once, when the model is
//! read; evaluating it walks the tree (no string handling per point). Its printed form
//! ([`Expr::render`]) writes decimal literals as exact fractions, so that the symbolic layer
//! reads the same number the user wrote.

use std::fmt::Write;

/// The name of the transition energy in a rate expression.
pub(crate) const OMEGA: &str = "omega";

/// The functions an expression may call.
pub(crate) const FUNCTIONS: [&str; 2] = ["sqrt", "exp"];

/// A parsed expression. `Param(i)` refers to the i-th free parameter of the model.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal: its value and its exact form `numerator/denominator` when it has one.
    Number {
        value: f64,
        exact: Option<(u128, u128)>,
    },
    Param(usize),
    /// The transition energy ω (rate expressions only).
    Omega,
    Neg(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
    Pow(Box<Expr>, Box<Expr>),
    Sqrt(Box<Expr>),
    Exp(Box<Expr>),
}

/// A parse error: the 1-based column where it was found and what is wrong there.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExprError {
    pub column: usize,
    pub message: String,
}

impl ExprError {
    /// One line: `column C of "TEXT": MESSAGE`.
    pub(crate) fn describe(&self, text: &str) -> String {
        format!("column {} of \"{text}\": {}", self.column, self.message)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64, Option<(u128, u128)>),
    Name(String),
    Op(char),
    Open,
    Close,
}

/// Tokens with their 1-based column (in characters).
fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, ExprError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let literal: String = chars[start..i].iter().collect();
            let value: f64 = literal.parse().map_err(|_| ExprError {
                column,
                message: format!("'{literal}' is not a number"),
            })?;
            if !value.is_finite() {
                return Err(ExprError {
                    column,
                    message: format!("'{literal}' overflows a double"),
                });
            }
            tokens.push((Token::Number(value, exact_decimal(&literal)), column));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push((Token::Name(chars[start..i].iter().collect()), column));
        } else {
            let token = match c {
                '+' | '-' | '*' | '/' | '^' => Token::Op(c),
                '\u{2212}' => Token::Op('-'),
                '\u{00d7}' | '\u{22c5}' | '\u{00b7}' => Token::Op('*'),
                '\u{00f7}' => Token::Op('/'),
                '(' => Token::Open,
                ')' => Token::Close,
                _ => {
                    return Err(ExprError {
                        column,
                        message: format!(
                            "unexpected character '{c}' (expressions use numbers, parameter \
                             names, + - * / ^, sqrt(), exp() and parentheses)"
                        ),
                    });
                }
            };
            tokens.push((token, column));
            i += 1;
        }
    }
    Ok(tokens)
}

/// The exact value of a decimal literal as a reduced fraction, if it fits in u128.
fn exact_decimal(literal: &str) -> Option<(u128, u128)> {
    let (mantissa, exponent) = match literal.find(['e', 'E']) {
        Some(k) => (&literal[..k], literal[k + 1..].parse::<i32>().ok()?),
        None => (literal, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let mut numerator: u128 = if digits.is_empty() {
        return None;
    } else {
        digits.parse().ok()?
    };
    let scale = exponent - fraction.len() as i32;
    let mut denominator: u128 = 1;
    if scale >= 0 {
        numerator = numerator.checked_mul(10u128.checked_pow(scale as u32)?)?;
    } else {
        denominator = 10u128.checked_pow((-scale) as u32)?;
    }
    let g = gcd(numerator, denominator);
    Some((numerator / g.max(1), denominator / g.max(1)))
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Parse `text` with the free parameters `names`; `omega` allows the transition energy.
pub(crate) fn parse(text: &str, names: &[&str], omega: bool) -> Result<Expr, ExprError> {
    let tokens = tokenize(text)?;
    let end = text.chars().count() + 1;
    let mut parser = Parser {
        tokens,
        position: 0,
        names,
        omega,
        end,
    };
    if parser.tokens.is_empty() {
        return Err(ExprError {
            column: 1,
            message: "empty expression".into(),
        });
    }
    let expr = parser.sum()?;
    if let Some((token, column)) = parser.tokens.get(parser.position) {
        return Err(ExprError {
            column: *column,
            message: format!(
                "unexpected {} after a complete expression (missing operator?)",
                describe(token)
            ),
        });
    }
    Ok(expr)
}

fn describe(token: &Token) -> String {
    match token {
        Token::Number(x, _) => format!("number {x}"),
        Token::Name(n) => format!("name '{n}'"),
        Token::Op(c) => format!("'{c}'"),
        Token::Open => "'('".into(),
        Token::Close => "')'".into(),
    }
}

struct Parser<'a> {
    tokens: Vec<(Token, usize)>,
    position: usize,
    names: &'a [&'a str],
    omega: bool,
    /// Column just past the text (for "unexpected end").
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position).map(|(t, _)| t)
    }

    fn column(&self) -> usize {
        self.tokens.get(self.position).map_or(self.end, |(_, c)| *c)
    }

    fn sum(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.product()?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.peek() {
            let op = *op;
            self.position += 1;
            let right = self.product()?;
            left = if op == '+' {
                Expr::Add(left.into(), right.into())
            } else {
                Expr::Sub(left.into(), right.into())
            };
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.unary()?;
        while let Some(Token::Op(op @ ('*' | '/'))) = self.peek() {
            let op = *op;
            self.position += 1;
            let right = self.unary()?;
            left = if op == '*' {
                Expr::Mul(left.into(), right.into())
            } else {
                Expr::Div(left.into(), right.into())
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        match self.peek() {
            Some(Token::Op('-')) => {
                self.position += 1;
                Ok(Expr::Neg(self.unary()?.into()))
            }
            Some(Token::Op('+')) => {
                self.position += 1;
                self.unary()
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Expr, ExprError> {
        let base = self.atom()?;
        if let Some(Token::Op('^')) = self.peek() {
            self.position += 1;
            let exponent = self.unary()?;
            return Ok(Expr::Pow(base.into(), exponent.into()));
        }
        Ok(base)
    }

    fn expect_close(&mut self, open_column: usize) -> Result<(), ExprError> {
        match self.peek() {
            Some(Token::Close) => {
                self.position += 1;
                Ok(())
            }
            _ => Err(ExprError {
                column: self.column(),
                message: format!("missing ')' for the '(' at column {open_column}"),
            }),
        }
    }

    fn atom(&mut self) -> Result<Expr, ExprError> {
        let column = self.column();
        let Some((token, _)) = self.tokens.get(self.position).cloned() else {
            return Err(ExprError {
                column,
                message: "unexpected end of the expression (an operand is missing)".into(),
            });
        };
        self.position += 1;
        match token {
            Token::Number(value, exact) => Ok(Expr::Number { value, exact }),
            Token::Open => {
                let inner = self.sum()?;
                self.expect_close(column)?;
                Ok(inner)
            }
            Token::Name(name) => {
                if let Some(i) = self.names.iter().position(|n| *n == name) {
                    return Ok(Expr::Param(i));
                }
                if name == OMEGA && self.omega {
                    return Ok(Expr::Omega);
                }
                if FUNCTIONS.contains(&name.as_str()) {
                    let open = self.column();
                    if self.peek() != Some(&Token::Open) {
                        return Err(ExprError {
                            column: open,
                            message: format!("{name} needs its argument in parentheses"),
                        });
                    }
                    self.position += 1;
                    let argument = self.sum()?;
                    self.expect_close(open)?;
                    return Ok(if name == "sqrt" {
                        Expr::Sqrt(argument.into())
                    } else {
                        Expr::Exp(argument.into())
                    });
                }
                Err(ExprError {
                    column,
                    message: self.unknown(&name),
                })
            }
            other => Err(ExprError {
                column,
                message: format!(
                    "expected a number, a name or '(', found {}",
                    describe(&other)
                ),
            }),
        }
    }

    fn unknown(&self, name: &str) -> String {
        if name == OMEGA {
            return "omega (the transition energy) is allowed only in bare rates".into();
        }
        let mut message = format!("unknown name '{name}'");
        if let Some(near) = nearest(name, self.names) {
            let _ = write!(message, " (did you mean '{near}'?)");
        } else {
            let _ = write!(message, " (not a parameter of the model)");
        }
        message
    }
}

/// The candidate closest to `name` in edit distance, if it is close (≤ 1/2 of its length).
pub(crate) fn nearest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(&name.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= c.chars().count().max(2).div_ceil(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

impl Expr {
    /// The value at free-parameter values `values` and transition energy `omega`.
    pub(crate) fn eval(&self, values: &[f64], omega: f64) -> f64 {
        match self {
            Expr::Number { value, .. } => *value,
            Expr::Param(i) => values[*i],
            Expr::Omega => omega,
            Expr::Neg(a) => -a.eval(values, omega),
            Expr::Add(a, b) => a.eval(values, omega) + b.eval(values, omega),
            Expr::Sub(a, b) => a.eval(values, omega) - b.eval(values, omega),
            Expr::Mul(a, b) => a.eval(values, omega) * b.eval(values, omega),
            Expr::Div(a, b) => a.eval(values, omega) / b.eval(values, omega),
            Expr::Pow(a, b) => {
                let (x, y) = (a.eval(values, omega), b.eval(values, omega));
                if y == y.trunc() && y.abs() <= 64.0 {
                    x.powi(y as i32)
                } else {
                    x.powf(y)
                }
            }
            Expr::Sqrt(a) => a.eval(values, omega).sqrt(),
            Expr::Exp(a) => a.eval(values, omega).exp(),
        }
    }

    /// Whether the expression uses the transition energy ω.
    pub(crate) fn uses_omega(&self) -> bool {
        let mut found = false;
        self.visit(&mut |e| found |= matches!(e, Expr::Omega));
        found
    }

    /// The free parameters the expression uses, in order of first use.
    pub fn parameters(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.visit(&mut |e| {
            if let Expr::Param(i) = e
                && !out.contains(i)
            {
                out.push(*i)
            }
        });
        out
    }

    /// Call `f` on every node, parents first.
    pub(crate) fn visit(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Number { .. } | Expr::Param(_) | Expr::Omega => {}
            Expr::Neg(a) | Expr::Sqrt(a) | Expr::Exp(a) => a.visit(f),
            Expr::Add(a, b)
            | Expr::Sub(a, b)
            | Expr::Mul(a, b)
            | Expr::Div(a, b)
            | Expr::Pow(a, b) => {
                a.visit(f);
                b.visit(f);
            }
        }
    }

    /// The expression with ω replaced by `omega`.
    pub(crate) fn substitute_omega(&self, omega: &Expr) -> Expr {
        let s = |a: &Expr| Box::new(a.substitute_omega(omega));
        match self {
            Expr::Omega => omega.clone(),
            Expr::Number { .. } | Expr::Param(_) => self.clone(),
            Expr::Neg(a) => Expr::Neg(s(a)),
            Expr::Sqrt(a) => Expr::Sqrt(s(a)),
            Expr::Exp(a) => Expr::Exp(s(a)),
            Expr::Add(a, b) => Expr::Add(s(a), s(b)),
            Expr::Sub(a, b) => Expr::Sub(s(a), s(b)),
            Expr::Mul(a, b) => Expr::Mul(s(a), s(b)),
            Expr::Div(a, b) => Expr::Div(s(a), s(b)),
            Expr::Pow(a, b) => Expr::Pow(s(a), s(b)),
        }
    }

    /// An integer literal.
    pub fn integer(n: i64) -> Expr {
        let literal = Expr::Number {
            value: n.unsigned_abs() as f64,
            exact: Some((n.unsigned_abs() as u128, 1)),
        };
        if n < 0 {
            Expr::Neg(literal.into())
        } else {
            literal
        }
    }

    /// Binding strength for printing: sums 1, products 2, unary minus 3, powers 4, atoms 5.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Add(..) | Expr::Sub(..) => 1,
            Expr::Mul(..) | Expr::Div(..) => 2,
            Expr::Number {
                exact: Some((_, d)),
                ..
            } if *d != 1 => 2,
            Expr::Neg(_) => 3,
            Expr::Pow(..) | Expr::Sqrt(_) => 4,
            _ => 5,
        }
    }

    /// The canonical text: the operators spaced as `a + b`, `a*b`, `a^b`, parentheses only
    /// where precedence needs them, literals as exact fractions (`0.5` → `1/2`), `sqrt(x)`
    /// as `x^(1/2)`. It reads back to the same expression and is what the symbolic layer
    /// parses; two uses with the same text are one derived quantity.
    pub fn render(&self, names: &[&str]) -> String {
        let mut out = String::new();
        self.write(names, &mut out);
        out
    }

    fn write(&self, names: &[&str], out: &mut String) {
        // `side`: operand of a binary operator that needs parentheses below `min`.
        let operand = |e: &Expr, min: u8, out: &mut String| {
            if e.precedence() < min {
                out.push('(');
                e.write(names, out);
                out.push(')');
            } else {
                e.write(names, out);
            }
        };
        match self {
            Expr::Number { value, exact } => match exact {
                Some((n, 1)) => {
                    let _ = write!(out, "{n}");
                }
                Some((n, d)) => {
                    let _ = write!(out, "{n}/{d}");
                }
                None => {
                    let _ = write!(out, "{value:e}");
                }
            },
            Expr::Param(i) => out.push_str(names[*i]),
            Expr::Omega => out.push_str(OMEGA),
            Expr::Neg(a) => {
                out.push('-');
                operand(a, 4, out);
            }
            Expr::Add(a, b) | Expr::Sub(a, b) => {
                operand(a, 1, out);
                out.push_str(if matches!(self, Expr::Add(..)) {
                    " + "
                } else {
                    " - "
                });
                operand(b, 2, out);
            }
            Expr::Mul(a, b) | Expr::Div(a, b) => {
                operand(a, 2, out);
                out.push(if matches!(self, Expr::Mul(..)) {
                    '*'
                } else {
                    '/'
                });
                operand(b, 4, out);
            }
            Expr::Pow(a, b) => {
                operand(a, 5, out);
                out.push('^');
                operand(b, 5, out);
            }
            Expr::Sqrt(a) => {
                operand(a, 5, out);
                out.push_str("^(1/2)");
            }
            Expr::Exp(a) => {
                out.push_str("exp(");
                a.write(names, out);
                out.push(')');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 4] = ["eps", "B", "gamma", "p"];

    fn value(text: &str, values: &[f64]) -> f64 {
        parse(text, &NAMES, true).unwrap().eval(values, 0.25)
    }

    #[test]
    fn precedence_and_associativity() {
        let v = [1.0, 2.0, 3.0, 0.5];
        assert_eq!(value("eps + B/2", &v), 2.0);
        assert_eq!(value("gamma*(1+p)", &v), 4.5);
        assert_eq!(value("-B^2", &v), -4.0);
        assert_eq!(value("B^3^2", &v), 512.0); // right-associative: 2^(3^2)
        assert_eq!(value("2^-1", &v), 0.5);
        assert_eq!(value("eps - B - gamma", &v), -4.0); // left-associative
        assert_eq!(value("gamma / B / 3", &v), 0.5);
        assert_eq!(value("sqrt(4*gamma - 3)", &v), 3.0);
        assert_eq!(value("exp(0)*omega", &v), 0.25);
        assert_eq!(value("1.5e1 \u{2212} 5 \u{00d7} 2 \u{00f7} 4", &v), 12.5);
    }

    #[test]
    fn render_reads_back_to_the_same_value() {
        let v = [0.3, -1.7, 2.9, 0.45];
        for text in [
            "eps + B/2",
            "eps - (B - gamma)",
            "-(eps + B)^2",
            "(-eps)^2",
            "gamma*(1 - p)/(2*B)",
            "B^(1/3)",
            "sqrt(gamma)*exp(-(omega - eps)/gamma)",
            "0.125*eps - 1e-3",
            "-B^-2",
            "gamma/(eps*B)",
            "gamma - -p",
        ] {
            let e = parse(text, &NAMES, true).unwrap();
            let printed = e.render(&NAMES);
            let again = parse(&printed, &NAMES, true).unwrap();
            assert_eq!(
                e.eval(&v, 0.7).to_bits(),
                again.eval(&v, 0.7).to_bits(),
                "{text} -> {printed}"
            );
            assert_eq!(
                printed,
                again.render(&NAMES),
                "{text}: print is a fixed point"
            );
        }
        let e = parse("gamma*(1+0.5*p)", &NAMES, false).unwrap();
        assert_eq!(e.render(&NAMES), "gamma*(1 + 1/2*p)");
    }

    #[test]
    fn errors_carry_the_column() {
        let err = |text: &str| parse(text, &NAMES, false).unwrap_err();
        assert_eq!(err("eps + Bb/2").column, 7);
        assert!(err("eps + Bb/2").message.contains("did you mean 'B'"));
        assert_eq!(err("eps + ").column, 7);
        assert_eq!(err("(eps + B").column, 9);
        assert!(err("(eps + B").message.contains("column 1"));
        assert_eq!(err("eps $ B").column, 5);
        assert_eq!(err("eps B").column, 5);
        assert_eq!(err("sqrt eps").column, 6);
        assert!(err("gamma*omega").message.contains("only in bare rates"));
        assert_eq!(err("").column, 1);
        assert!(err("1e999").message.contains("overflow"));
        assert_eq!(
            err("eps + Bb/2").describe("eps + Bb/2"),
            "column 7 of \"eps + Bb/2\": unknown name 'Bb' (did you mean 'B'?)"
        );
    }

    #[test]
    fn exact_literals() {
        assert_eq!(exact_decimal("0.5"), Some((1, 2)));
        assert_eq!(exact_decimal("1e-3"), Some((1, 1000)));
        assert_eq!(exact_decimal("2.50e2"), Some((250, 1)));
        assert_eq!(exact_decimal("1e60"), None);
    }
}
