//! `qct._qct`: the compiled core of the Python package `qct` (pyo3, abi3). It wraps the
//! typed library API ([`qct::api`]) and converts errors; the Python layer in `qct/`
//! builds the user-facing objects (NumPy broadcasting, pandas, SymPy). No physics here.
//!
//! Errors: bad input (unknown model or parameter, value outside its domain, unknown
//! quantity) is `ValueError`; a failure of the physics (no unique steady state, a singular
//! solve, a non-finite result) is `qct.SolverError`. Both carry qct's one-line message.

use numpy::{PyArray1, PyArray2, PyReadonlyArray1};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use qct::api::Column;
use qct::error::Named;
use qct::{Error, ForceBasis, Model, Parameters, Representation};

create_exception!(
    qct,
    SolverError,
    PyRuntimeError,
    "A physics failure: no unique steady state, a singular solve, or a non-finite result."
);

/// Whether `error` is a failure of the physics (else: bad input).
fn is_solver_failure(error: &Error) -> bool {
    match error {
        Error::NonUniqueSteadyState { .. }
        | Error::Singular(_)
        | Error::NonFinite(_)
        | Error::Symbolic(_) => true,
        Error::AtPoint { source, .. } => is_solver_failure(source),
        _ => false,
    }
}

fn to_py(error: Error) -> PyErr {
    if is_solver_failure(&error) {
        SolverError::new_err(error.to_string())
    } else {
        PyValueError::new_err(error.to_string())
    }
}

/// A qct model (built-in or from JSON).
#[pyclass(name = "Model", module = "qct._qct", frozen)]
struct PyModel {
    model: Model,
}

impl PyModel {
    /// The model's parameters with `assignments` applied in order: a float in natural units
    /// or a string with a unit (`"0.1meV"`), as `qct --set`.
    fn point(&self, assignments: &Bound<'_, PyList>) -> PyResult<Parameters> {
        let mut p = self.model.parameters();
        for item in assignments.iter() {
            let (name, value): (String, Bound<'_, PyAny>) = item.extract()?;
            if value.is_instance_of::<PyString>() {
                let text: String = value.extract()?;
                p.set_text(&name, &text).map_err(to_py)?;
            } else if let Ok(x) = value.extract::<f64>() {
                p.set(&name, x).map_err(to_py)?;
            } else {
                return Err(PyValueError::new_err(format!(
                    "parameter {name}: expected a number (natural units) or a string with a \
                     unit such as '0.1meV', got {}",
                    value.get_type().name()?
                )));
            }
        }
        p.physical().map_err(to_py)?;
        Ok(p)
    }

    fn basis(&self, representation: &str, references: Vec<String>) -> PyResult<ForceBasis> {
        let representation = Representation::from_name(representation).map_err(to_py)?;
        let references = self.model.references(&references).map_err(to_py)?;
        ForceBasis::new(&self.model, representation, references).map_err(to_py)
    }

    /// [`PyModel::point`] and [`PyModel::basis`] together.
    fn point_in(
        &self,
        assignments: &Bound<'_, PyList>,
        representation: &str,
        references: Vec<String>,
    ) -> PyResult<(Parameters, ForceBasis)> {
        Ok((
            self.point(assignments)?,
            self.basis(representation, references)?,
        ))
    }
}

#[pymethods]
impl PyModel {
    /// A built-in model by name (sqd, cqd, sb, icc, anderson).
    #[staticmethod]
    fn builtin(name: &str) -> PyResult<Self> {
        Ok(PyModel {
            model: Model::builtin(name).map_err(to_py)?,
        })
    }

    /// A model from the text of a JSON model file; `origin` names it in messages.
    #[staticmethod]
    fn from_json(text: &str, origin: &str) -> PyResult<Self> {
        Ok(PyModel {
            model: Model::from_json(text, origin).map_err(to_py)?,
        })
    }

    /// Names of the built-in models.
    #[staticmethod]
    fn builtin_names() -> Vec<&'static str> {
        qct::model::builtin::NAMES.to_vec()
    }

    #[getter]
    fn name(&self) -> String {
        self.model.name.clone()
    }

    /// (name, default, role, unit, description) of every parameter, in model order.
    fn parameters(&self) -> Vec<(String, f64, &'static str, &'static str, String)> {
        self.model
            .parameters
            .iter()
            .map(|p| {
                let role = p.role;
                (
                    p.name.clone(),
                    p.default,
                    role.name(),
                    role.unit(),
                    p.description.clone(),
                )
            })
            .collect()
    }

    /// Lead names in model order.
    fn leads(&self) -> Vec<String> {
        self.model.leads.iter().map(|l| l.name.clone()).collect()
    }

    /// Basis-state labels (A, B, ...): state k has dot α occupied iff bit α of k is set.
    fn states(&self) -> Vec<String> {
        (0..self.model.n_states()).map(Model::state_label).collect()
    }

    /// Every quantity name `evaluate` accepts in this representation.
    fn quantity_names(
        &self,
        representation: &str,
        references: Vec<String>,
    ) -> PyResult<Vec<String>> {
        let basis = self.basis(representation, references)?;
        Ok(qct::quantity::names(&self.model, &basis))
    }

    /// The parameter values after `assignments` (validated), in model order.
    fn values(&self, assignments: &Bound<'_, PyList>) -> PyResult<Vec<(String, f64)>> {
        let p = self.point(assignments)?;
        Ok(p.iter().map(|(n, v)| (n.to_string(), v)).collect())
    }

    /// The nonlinear steady state: a dict with probabilities, currents, sigma,
    /// residual, notes.
    fn solve<'py>(
        &self,
        py: Python<'py>,
        assignments: &Bound<'py, PyList>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let p = self.point(assignments)?;
        let s = self.model.solve(&p).map_err(to_py)?;
        let out = PyDict::new(py);
        out.set_item("probabilities", PyArray1::from_vec(py, s.probabilities))?;
        let currents = PyDict::new(py);
        for (lead, c) in s.leads.iter().zip(&s.currents) {
            let d = PyDict::new(py);
            d.set_item("J_N", c.particle)?;
            d.set_item("J_E", c.energy)?;
            d.set_item("J_Q", c.heat)?;
            currents.set_item(lead, d)?;
        }
        out.set_item("currents", currents)?;
        out.set_item("sigma", s.entropy_production)?;
        out.set_item("residual", s.residual)?;
        out.set_item("notes", s.notes)?;
        Ok(out)
    }

    /// L at the equilibrium of the point: (matrix, fluxes, forces).
    fn onsager<'py>(
        &self,
        py: Python<'py>,
        assignments: &Bound<'py, PyList>,
        representation: &str,
        references: Vec<String>,
    ) -> PyResult<(Bound<'py, PyArray2<f64>>, Vec<String>, Vec<String>)> {
        let (p, basis) = self.point_in(assignments, representation, references)?;
        let linear = self.model.onsager_in(&p, &basis).map_err(to_py)?;
        let n = linear.l.nrows();
        let rows: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| linear.l[(i, j)]).collect())
            .collect();
        let matrix = PyArray2::from_vec2(py, &rows)?;
        Ok((matrix, linear.fluxes, linear.forces))
    }

    /// The regime analysis of the point as JSON text (the keys of `qct regime --format json`
    /// that describe the point: regime, linear_prediction, agree, fluxes, ...); with `si`,
    /// converted by [`qct::si::regime_to_si`] (as `qct regime --units si`) with its
    /// `"units"` object.
    fn regime(
        &self,
        assignments: &Bound<'_, PyList>,
        representation: &str,
        references: Vec<String>,
        si: bool,
    ) -> PyResult<String> {
        let (p, basis) = self.point_in(assignments, representation, references)?;
        let analysis = self.model.regime(&p, &basis).map_err(to_py)?;
        let mut value =
            serde_json::to_value(&analysis).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        if si && let Some(object) = value.as_object_mut() {
            let units = qct::si::regime_to_si(object);
            object.insert("units".into(), units);
        }
        serde_json::to_string(&value).map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// The natural-unit (meV) value of one `unit` for parameter `name` (e.g. `("T_l", "mK")`:
    /// k_B · 1 mK in meV), parsed and dimension-checked as a value `"1 unit"`; for arrays
    /// with units.
    fn unit_value(&self, name: &str, unit: &str) -> PyResult<f64> {
        let mut p = self.model.parameters();
        p.set_text(name, &format!("1 {unit}")).map_err(to_py)?;
        p.get(name).map_err(to_py)
    }

    /// Whether the point of `assignments` is in physical units (some value carries a unit;
    /// the mixing of plain and united values refused).
    fn physical(&self, assignments: &Bound<'_, PyList>) -> PyResult<bool> {
        self.point(assignments)?.physical().map_err(to_py)
    }

    /// The SI unit and factor (from natural meV values) of every column in `names`
    /// ([`qct::si::column_unit`]: the table of `qct sweep --units si`); `None` for labels.
    fn si_units(
        &self,
        names: Vec<String>,
        representation: &str,
        references: Vec<String>,
    ) -> PyResult<Vec<Option<(String, f64)>>> {
        let basis = self.basis(representation, references)?;
        Ok(names
            .iter()
            .map(|n| qct::si::column_unit(n, &self.model, &basis).map(|u| (u.si, u.si_factor)))
            .collect())
    }

    /// Evaluate `quantities` at every point by the steady-state method `method` (`pauli`,
    /// `lindblad`, `redfield`; [`qct::method`]): parameter `varied[j]` takes `columns[j][k]`
    /// at point k. Runs without the GIL, on all cores. Returns (name, column) pairs: a
    /// float64 array (NaN where undefined) or a list of labels.
    #[allow(clippy::too_many_arguments)]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        assignments: &Bound<'py, PyList>,
        representation: &str,
        references: Vec<String>,
        varied: Vec<String>,
        columns: Vec<PyReadonlyArray1<'py, f64>>,
        quantities: Vec<String>,
        method: &str,
    ) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
        let method = qct::method::Method::from_name(method).map_err(to_py)?;
        let (p, basis) = self.point_in(assignments, representation, references)?;
        let columns: Vec<Vec<f64>> = columns
            .iter()
            .map(|c| c.as_array().iter().copied().collect())
            .collect();
        let model = &self.model;
        let result = py.detach(|| {
            let varied: Vec<&str> = varied.iter().map(String::as_str).collect();
            let columns: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
            model.evaluate_with(&p, &basis, &varied, &columns, &quantities, method)
        });
        let result = result.map_err(to_py)?;
        quantities
            .into_iter()
            .zip(result)
            .map(|(name, column)| {
                let value = match column {
                    Column::Numbers(x) => PyArray1::from_vec(py, x).into_any(),
                    Column::Labels(labels) => PyList::new(py, labels)?.into_any(),
                };
                Ok((name, value))
            })
            .collect()
    }
}

#[pymodule]
fn _qct(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyModel>()?;
    m.add("SolverError", m.py().get_type::<SolverError>())?;
    // Where `qct.qct_binary` looks for the `qct` built alongside: the cargo target
    // directory of this build (CARGO_TARGET_DIR, else the workspace's target/).
    let mut target_dirs = Vec::new();
    if let Some(dir) = option_env!("CARGO_TARGET_DIR") {
        target_dirs.push(dir.to_string());
    }
    target_dirs.push(concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_string());
    m.add("TARGET_DIRS", target_dirs)?;
    Ok(())
}
