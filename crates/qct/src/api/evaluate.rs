//! [`Model::evaluate`]: quantities of `qct sweep` at many points, as columns (no I/O).

use super::Parameters;
use crate::error::{Error, Result};
use crate::method::{Method, Solver};
use crate::model::{Model, check_values};
use crate::rates::Device;
use crate::thermo::ForceBasis;

/// One quantity of [`Model::evaluate`] at every point: numbers (NaN where the quantity is
/// undefined at a point, e.g. an efficiency where the device is no engine — the CLI's empty
/// cell) or labels (`regime`, `linear_regime`).
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Numbers(Vec<f64>),
    Labels(Vec<String>),
}

/// How [`Model::evaluate`] gets a point's quantities: the cheapest stage that has them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Currents and probabilities: the nonlinear steady state only.
    Steady,
    /// Onsager coefficients: linear response at the point's equilibrium only.
    Linear,
    /// Anything else: the full operating point ([`crate::quantity::evaluate_at`]).
    Full,
}

impl Stage {
    /// The cheapest stage that gives every one of `quantities`.
    fn of(quantities: &[crate::quantity::Quantity]) -> Stage {
        use crate::quantity::Quantity;
        if quantities.iter().all(|q| {
            matches!(
                q,
                Quantity::ParticleCurrent(_)
                    | Quantity::EnergyCurrent(_)
                    | Quantity::HeatCurrent(_)
                    | Quantity::SpinCurrent(_)
                    | Quantity::Probability(_)
            )
        }) {
            Stage::Steady
        } else if quantities
            .iter()
            .all(|q| matches!(q, Quantity::Onsager(..)))
        {
            Stage::Linear
        } else {
            Stage::Full
        }
    }
}

/// The number of points of the value `columns` of the `varied` parameters (1 without any),
/// or an error when they do not match.
fn check_columns(varied: &[&str], columns: &[&[f64]]) -> Result<usize> {
    if varied.len() != columns.len() {
        return Err(Error::BadAssignment(format!(
            "{} varied parameters but {} value columns",
            varied.len(),
            columns.len()
        )));
    }
    let points = columns.first().map_or(1, |c| c.len());
    if let Some(c) = columns.iter().find(|c| c.len() != points) {
        return Err(Error::BadAssignment(format!(
            "value columns of different lengths ({points} and {})",
            c.len()
        )));
    }
    Ok(points)
}

/// The rows of [`Model::evaluate`] as one column per quantity: labels for the regimes,
/// numbers for the rest.
fn table_columns(
    quantities: &[crate::quantity::Quantity],
    rows: &[Vec<crate::sweep::Cell>],
) -> Vec<Column> {
    use crate::quantity::Quantity;
    use crate::sweep::Cell;
    quantities
        .iter()
        .enumerate()
        .map(|(j, q)| match q {
            Quantity::Regime | Quantity::LinearRegime => Column::Labels(
                rows.iter()
                    .map(|row| match &row[j] {
                        Cell::Label(text) => text.clone(),
                        _ => String::new(),
                    })
                    .collect(),
            ),
            _ => Column::Numbers(
                rows.iter()
                    .map(|row| match row[j] {
                        Cell::Number(x) => x,
                        _ => f64::NAN,
                    })
                    .collect(),
            ),
        })
        .collect()
}

impl Model {
    /// Evaluate the quantities `names` (the columns of `qct sweep`, [`crate::quantity`]) at
    /// `points` points in `basis`: at point k the parameter `varied[j]` is `columns[j][k]`,
    /// every other parameter as in `p`. Points are evaluated in parallel (feature
    /// `parallel`); the result is in point order whatever the thread count. A bad value, a
    /// failing point or a NaN result is an error naming the first such point
    /// ([`Error::AtPoint`]); ±∞ passes (ZT = ∞ under tight coupling), as in `qct sweep`.
    ///
    /// ```
    /// use qct::{Column, Model, Representation};
    ///
    /// let model = Model::builtin("cqd")?;
    /// let basis = model.basis(Representation::Energy)?;
    /// let eps_b = [-0.5, 0.0, 0.5];
    /// let names = ["J_N^l".to_string(), "L_1_2".to_string()];
    /// let out = model.evaluate(&model.parameters(), &basis, &["eps_b"], &[&eps_b], &names)?;
    /// let Column::Numbers(l12) = &out[1] else { unreachable!() };
    /// assert_eq!(l12.len(), 3);
    /// # Ok::<(), qct::Error>(())
    /// ```
    pub fn evaluate(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
        varied: &[&str],
        columns: &[&[f64]],
        names: &[String],
    ) -> Result<Vec<Column>> {
        self.evaluate_with(p, basis, varied, columns, names, Method::Pauli)
    }

    /// [`Model::evaluate`] by the steady-state method `method` ([`crate::method`]).
    pub fn evaluate_with(
        &self,
        p: &Parameters,
        basis: &ForceBasis,
        varied: &[&str],
        columns: &[&[f64]],
        names: &[String],
        method: Method,
    ) -> Result<Vec<Column>> {
        use crate::quantity::{Quantity, evaluate_at, parse_for};
        use crate::sweep::Cell;
        self.device(p)?;
        let points = check_columns(varied, columns)?;
        let slots = varied
            .iter()
            .map(|name| p.index(name))
            .collect::<Result<Vec<usize>>>()?;
        let quantities = names
            .iter()
            .map(|n| parse_for(n, self, basis, method))
            .collect::<Result<Vec<Quantity>>>()?;
        let heat = if quantities.iter().any(Quantity::needs_heat) {
            Some(crate::performance::heat_basis(self, basis)?)
        } else {
            None
        };
        let stage = Stage::of(&quantities);
        let at = |k: usize| -> Result<Vec<Cell>> {
            let mut values = p.values.clone();
            for (&slot, column) in slots.iter().zip(columns) {
                values[slot] = column[k];
            }
            check_values(self, &values)?;
            let cells = match stage {
                Stage::Steady => {
                    let solver = Solver::new(method, self, &values)?;
                    let (probabilities, currents) =
                        solver.steady_currents(&Device::new(self, &values)?)?;
                    quantities
                        .iter()
                        .map(|q| match *q {
                            Quantity::ParticleCurrent(l) => currents[l].particle,
                            Quantity::EnergyCurrent(l) => currents[l].energy,
                            Quantity::HeatCurrent(l) => currents[l].heat,
                            Quantity::SpinCurrent(l) => currents[l].spin,
                            Quantity::Probability(s) => probabilities[s],
                            _ => unreachable!("stage Steady holds steady-state quantities"),
                        })
                        .map(|x| Cell::Number(x + 0.0))
                        .collect()
                }
                Stage::Linear => {
                    let device = Device::new(self, &values)?;
                    let equilibrium = device.with_leads(basis.equilibrium(&device.leads));
                    let l = Solver::new(method, self, &values)?.onsager(&equilibrium, basis)?;
                    quantities
                        .iter()
                        .map(|q| match *q {
                            Quantity::Onsager(i, j) => Cell::Number(l[(i, j)] + 0.0),
                            _ => unreachable!("stage Linear holds Onsager coefficients"),
                        })
                        .collect()
                }
                Stage::Full => evaluate_at(
                    self,
                    basis,
                    heat.as_ref(),
                    &quantities,
                    &values,
                    &[],
                    method,
                )?,
            };
            if let Some(i) = cells
                .iter()
                .position(|c| matches!(c, Cell::Number(x) if x.is_nan()))
            {
                return Err(Error::NonFinite(names[i].clone()));
            }
            Ok(cells)
        };
        let at_point = |k: usize| {
            at(k).map_err(|source| Error::AtPoint {
                point: varied
                    .iter()
                    .zip(columns)
                    .map(|(name, column)| format!("{name}={}", column[k]))
                    .collect::<Vec<_>>()
                    .join(" "),
                source: Box::new(source),
            })
        };
        #[cfg(feature = "parallel")]
        let rows: Vec<Result<Vec<Cell>>> = {
            use rayon::prelude::*;
            (0..points)
                .into_par_iter()
                .with_min_len(64)
                .map(at_point)
                .collect()
        };
        #[cfg(not(feature = "parallel"))]
        let rows: Vec<Result<Vec<Cell>>> = (0..points).map(at_point).collect();
        let rows = rows.into_iter().collect::<Result<Vec<Vec<Cell>>>>()?;
        Ok(table_columns(&quantities, &rows))
    }
}
