"""The user-facing model API over the compiled core ``qct._qct``.

Everything numeric is computed by the Rust library; this module converts arguments
(keyword parameters, NumPy broadcasting) and results (arrays, records, pandas).
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, Iterator, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from . import _qct

Value = Union[float, int, str]


class Parameter(NamedTuple):
    """One model parameter: name, default (natural units), role, unit, description."""

    name: str
    default: float
    role: str
    unit: str
    description: str


class ParameterSet(Mapping[str, Parameter]):
    """The parameters of a model by name, in model order (``m.parameters``).

    >>> m = Model.builtin("sqd")
    >>> m.parameters["T_l"].unit
    'energy (k_B = 1)'
    >>> list(m.parameters.defaults.items())[0]
    ('eps', 1.0)
    """

    def __init__(self, parameters: Iterable[Parameter]):
        self._by_name = {p.name: p for p in parameters}

    def __getitem__(self, name: str) -> Parameter:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    @property
    def names(self) -> List[str]:
        """Parameter names in model order."""
        return list(self._by_name)

    @property
    def defaults(self) -> Dict[str, float]:
        """Default values (natural units) by name."""
        return {n: p.default for n, p in self._by_name.items()}

    def __repr__(self) -> str:
        width = max((len(n) for n in self._by_name), default=0)
        lines = [
            f"{p.name:<{width}}  {p.default:>8g}  {p.unit:<26}  {p.description}"
            for p in self._by_name.values()
        ]
        return "\n".join(lines)


class Record(dict):
    """A dict whose keys are also attributes (results parsed from qct's JSON)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self) -> List[str]:
        return list(super().__dir__()) + [k for k in self if isinstance(k, str) and k.isidentifier()]


class Solution(NamedTuple):
    """The nonlinear steady state of one point (``Model.solve``).

    probabilities: p_k of the basis states ``states`` (state k has dot α occupied iff
    bit α of k is set); currents: ``{lead: {"J_N", "J_E", "J_Q"}}`` into the system from each
    lead (J_Q = J_E − μ J_N); sigma: Σ̇ = −Σ_λ β_λ J_Q^λ ≥ 0 (k_B per unit
    time); residual: max_k |(W p)_k| / largest outflow; parameters: the values used.
    """

    probabilities: np.ndarray
    states: List[str]
    currents: Dict[str, Dict[str, float]]
    sigma: float
    residual: float
    notes: List[str]
    parameters: Dict[str, float]
    #: With ``units="si"``: the SI unit of each key (``J_N`` 1/s, ``I`` A, ``J_E``/``J_Q`` W,
    #: ``sigma`` W/K, ``probabilities`` 1, each parameter by its role); empty otherwise.
    units: Dict[str, str] = {}


class OnsagerMatrix(np.ndarray):
    """The Onsager matrix L (rows: fluxes, columns: forces) as a float64 NumPy array, with
    ``.fluxes``, ``.forces`` and ``.representation``. J = L F to first order in the forces.
    ``.units``: with ``units="si"`` the SI unit of each entry (``qct onsager --units si``:
    L_NN 1/s, L_NE = L_EN W, L_EE J W), else empty."""

    fluxes: List[str]
    forces: List[str]
    representation: str
    units: List[List[str]]

    def __new__(
        cls,
        matrix: Any,
        fluxes: List[str],
        forces: List[str],
        representation: str,
        units: Optional[List[List[str]]] = None,
    ) -> "OnsagerMatrix":
        obj = np.asarray(matrix, dtype=np.float64).view(cls)
        obj.fluxes, obj.forces, obj.representation = list(fluxes), list(forces), representation
        obj.units = [list(row) for row in units or []]
        return obj

    def __array_finalize__(self, obj: Any) -> None:
        self.fluxes = getattr(obj, "fluxes", [])
        self.forces = getattr(obj, "forces", [])
        self.representation = getattr(obj, "representation", "")
        self.units = getattr(obj, "units", [])


class SweepResult(dict):
    """Arrays by name: the varied parameters (broadcast to the common shape) and the
    quantities, all of shape ``.shape``. Numbers are float64 (NaN only where a quantity is
    undefined at a point — an efficiency where the device is no engine — where ``qct sweep``
    leaves the cell empty); ``regime`` and ``linear_regime`` are arrays of str. ``.units``
    names each column's SI unit for ``sweep(..., units="si")``."""

    def __init__(
        self,
        columns: Dict[str, np.ndarray],
        shape: Tuple[int, ...],
        axes: List[str],
        quantities: List[str],
        units: Optional[Dict[str, str]] = None,
    ):
        super().__init__(columns)
        self.shape = shape
        self.axes = axes
        self.quantities = quantities
        #: SI unit of each numeric column (``units="si"``); empty in natural units.
        self.units: Dict[str, str] = dict(units or {})

    def to_pandas(self) -> Any:
        """A pandas DataFrame with one row per point (C order) and one column per name."""
        try:
            import pandas as pd
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas needs pandas: pip install pandas") from error
        return pd.DataFrame({name: np.ravel(values) for name, values in self.items()})


def _split(
    values: Mapping[str, Any], core: Optional["_qct.Model"] = None
) -> Tuple[List[Tuple[str, Value]], Dict[str, np.ndarray]]:
    """Fixed assignments (numbers, unit strings) and varied arrays (anything with ndim ≥ 1).

    A value may carry a unit as a pair ``(value_or_array, "meV")`` (units as in
    ``qct --set``: eV, meV, ueV, K, mK, /s, /ns, ...). A scalar pair becomes the assignment
    ``"VALUE UNIT"``; an array is converted to natural units (meV) here, and the parameter is
    marked as given with a unit, so that the rule against mixing plain and united values
    counts it as united.
    """
    fixed: List[Tuple[str, Value]] = []
    arrays: Dict[str, np.ndarray] = {}
    for name, value in values.items():
        unit: Optional[str] = None
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
            value, unit = value
        if isinstance(value, str):
            if unit is not None:
                raise ValueError(f"parameter {name}: give a number with the unit {unit!r}, not a string")
            fixed.append((name, value))
            continue
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise ValueError(
                f"parameter {name}: expected numbers (natural units, or a pair (array, unit) such "
                f"as (np.linspace(0, 1, 11), 'meV')), got an array of dtype {array.dtype}"
            )
        if array.ndim == 0:
            fixed.append((name, float(array) if unit is None else f"{float(array)!r} {unit}"))
        elif unit is None:
            arrays[name] = array.astype(np.float64)
        else:
            if core is None:
                raise ValueError(f"parameter {name}: expected one value, got an array")
            arrays[name] = array.astype(np.float64) * core.unit_value(name, unit)
            fixed.append((name, f"1 {unit}"))  # marks the parameter united; the array wins
    return fixed, arrays


def _check_units(core: "_qct.Model", units: str, fixed: List[Tuple[str, Value]]) -> bool:
    """Whether ``units`` asks for SI output; refuses an unknown choice and SI output for a
    point without units (the rule of ``qct --units si``)."""
    if units not in ("natural", "si"):
        raise ValueError(f"units must be 'natural' or 'si', got {units!r}")
    if units == "si" and not core.physical(fixed):
        raise ValueError(
            "units='si' needs the point in physical units: give the parameters units "
            "(e.g. eps='0.1meV', T_l=(temperatures, 'mK'), gamma_l='1ueV')"
        )
    return units == "si"


def _assign(values: Mapping[str, Any]) -> List[Tuple[str, Value]]:
    fixed, arrays = _split(values)
    if arrays:
        name = next(iter(arrays))
        raise ValueError(f"parameter {name}: expected one value, got an array (use Model.sweep for arrays)")
    return fixed


class Model:
    """A qct model: built-in (``Model.builtin("icc")``) or from JSON (``Model.from_json``).

    Parameters are passed by name as keywords: a float in natural units, a string with a
    unit (``T_l="200mK"``) or a pair ``(value, unit)`` (``T_l=(200, "mK")``); unset parameters
    keep their defaults (``m.parameters``).

    >>> m = Model.builtin("icc")
    >>> s = m.solve(eps_b=0.5, kappa_c=-2.0, T_l=1.5)
    >>> round(s.currents["l"]["J_N"] + s.currents["r"]["J_N"], 12)
    0.0
    """

    def __init__(self, core: "_qct.Model", source: Optional[str] = None):
        self._core = core
        self._source = source  # JSON text of a user model (for qct.derive / qct.check)

    @staticmethod
    def builtin(name: str) -> "Model":
        """A built-in model by name: sqd, cqd, sb, icc, anderson (``Model.builtins()``)."""
        return Model(_qct.Model.builtin(name))

    @staticmethod
    def builtins() -> List[str]:
        """Names of the built-in models."""
        return list(_qct.Model.builtin_names())

    @staticmethod
    def from_json(path_or_dict: Union[str, "os.PathLike[str]", Mapping[str, Any]]) -> "Model":
        """A model from a JSON model file (a path) or from the same structure as a dict
        (schema: the README's "Model files"; examples in ``examples/``)."""
        if isinstance(path_or_dict, Mapping):
            text, origin = json.dumps(path_or_dict), "<dict>"
        else:
            origin = os.fspath(path_or_dict)
            try:
                with open(origin, encoding="utf-8") as f:
                    text = f.read()
            except OSError as error:
                raise ValueError(f"cannot read model file {origin}: {error.strerror}") from None
        return Model(_qct.Model.from_json(text, origin), source=text)

    @property
    def name(self) -> str:
        """The model's name."""
        return self._core.name

    @property
    def parameters(self) -> ParameterSet:
        """Parameters by name: default (natural units), role, unit, description."""
        return ParameterSet(Parameter(*p) for p in self._core.parameters())

    @property
    def leads(self) -> List[str]:
        """Lead names in model order."""
        return list(self._core.leads())

    @property
    def states(self) -> List[str]:
        """Basis-state labels A, B, ... (state k: dot α occupied iff bit α of k is set)."""
        return list(self._core.states())

    def quantities(self, representation: str = "energy", references: Sequence[str] = ()) -> List[str]:
        """Every quantity name ``sweep`` accepts (the columns of ``qct sweep``)."""
        return list(self._core.quantity_names(representation, list(references)))

    def values(self, **params: Value) -> Dict[str, float]:
        """All parameter values (natural units) after applying ``params``, validated."""
        return dict(self._core.values(_assign(params)))

    def _si(self, names: List[str], representation: str = "energy", references: Sequence[str] = ()) -> Dict[str, Tuple[str, float]]:
        """SI unit and factor (from natural meV values) of each quantity or parameter name,
        from the library's one table (``qct::si::column_unit``, as ``qct sweep --units si``)."""
        found = self._core.si_units(names, representation, list(references))
        return {n: u for n, u in zip(names, found) if u is not None}

    def solve(self, units: str = "natural", **params: Value) -> Solution:
        """The nonlinear steady state of the Pauli master equation at one point.

        Returns a :class:`Solution`: ``probabilities`` (array over ``states``),
        ``currents[lead]["J_N" | "J_E" | "J_Q"]`` (into the system), ``sigma``
        (Σ̇ = −Σ_λ β_λ J_Q^λ ≥ 0), ``residual``, ``notes``, ``parameters``.
        Raises ``ValueError`` for bad input, ``qct.SolverError`` when the steady state is
        not unique or not finite.

        ``units="si"`` (a point with units, docs/lab-units.md) gives the numbers of
        ``qct solve --units si``: ``J_N`` in 1/s, the charge current ``I`` = e J_N in A
        (added to each lead), ``J_E`` and ``J_Q`` in W, ``sigma`` in W/K, parameters in J, K,
        1/s (dimensionless ones unchanged); ``Solution.units`` names them.

        >>> s = Model.builtin("icc").solve(eps_b=0.5, kappa_c=-2.0, T_l=1.5)
        >>> s.sigma > 0
        True
        >>> lab = Model.builtin("sqd").solve(units="si", eps="0.1meV", T_l="200mK", T_r="100mK",
        ...     mu_l="0.05meV", gamma_l="1ueV", gamma_r="1ueV")
        >>> lab.units["I"], f"{lab.currents['l']['I'] * 1e12:.2f} pA"
        ('A', '6.34 pA')
        """
        assignments = _assign(params)
        si = _check_units(self._core, units, assignments)
        raw = self._core.solve(assignments)
        parameters = dict(self._core.values(assignments))
        currents, sigma, unit_names = raw["currents"], raw["sigma"], {}
        if si:
            names = [f"{kind}^{lead}" for lead in currents for kind in ("J_N", "I", "J_E", "J_Q")]
            table = self._si(names + ["sigma"] + list(parameters))
            currents = {
                lead: {
                    kind: c["J_N" if kind == "I" else kind] * table[f"{kind}^{lead}"][1]
                    for kind in ("J_N", "I", "J_E", "J_Q")
                }
                for lead, c in currents.items()
            }
            sigma = sigma * table["sigma"][1]
            parameters = {n: v * table[n][1] for n, v in parameters.items()}
            lead = next(iter(raw["currents"]))
            unit_names = {kind: table[f"{kind}^{lead}"][0] for kind in ("J_N", "I", "J_E", "J_Q")}
            unit_names.update({"sigma": table["sigma"][0], "probabilities": "1"})
            unit_names.update({n: table[n][0] for n in parameters})
        return Solution(
            probabilities=raw["probabilities"],
            states=self.states,
            currents=currents,
            sigma=sigma,
            residual=raw["residual"],
            notes=list(raw["notes"]),
            parameters=parameters,
            units=unit_names,
        )

    def onsager(
        self,
        representation: str = "energy",
        references: Sequence[str] = (),
        units: str = "natural",
        **params: Value,
    ) -> OnsagerMatrix:
        """The Onsager matrix L at the equilibrium of the point (all leads at the reference
        lead's T and μ), by exact linear response: J = L F to first order.

        ``representation``: "energy" (the seed's; forces F_N, F_E) or "heat" (F_N, F_Q).
        ``references``: reference-lead choices as ``qct --reference`` ("energy=r", "u=u",
        or a lead name). Returns an :class:`OnsagerMatrix` (a NumPy array with ``.fluxes``
        and ``.forces``).

        ``units="si"`` (a point with units): L entry by entry in SI as ``qct onsager
        --units si`` (L_NN 1/s, L_NE = L_EN W, L_EE J W; reciprocity holds in SI), with
        ``.units`` naming each entry's unit.

        >>> L = Model.builtin("icc").onsager(eps_b=0.5, representation="heat")
        >>> L.forces
        ['F_N^l', 'F_Q^l']
        >>> bool(abs(L[0, 1] - L[1, 0]) < 1e-15)
        True
        """
        assignments = _assign(params)
        si = _check_units(self._core, units, assignments)
        matrix, fluxes, forces = self._core.onsager(assignments, representation, list(references))
        if not si:
            return OnsagerMatrix(matrix, fluxes, forces, representation)
        n = len(fluxes)
        names = [f"L_{i + 1}_{j + 1}" for i in range(n) for j in range(n)]
        table = self._si(names, representation, references)
        factors = np.array([[table[f"L_{i + 1}_{j + 1}"][1] for j in range(n)] for i in range(n)])
        entry_units = [[table[f"L_{i + 1}_{j + 1}"][0] for j in range(n)] for i in range(n)]
        return OnsagerMatrix(np.asarray(matrix) * factors, fluxes, forces, representation, entry_units)

    def regime(
        self,
        representation: str = "energy",
        references: Sequence[str] = (),
        units: str = "natural",
        **params: Value,
    ) -> Record:
        """The transport regime of the point (seed Fig. 3) and its linear-response prediction:
        a :class:`Record` with the keys of ``qct regime --format json`` that describe the
        point — ``regime``, ``linear_prediction``, ``agree``, ``forces_structure``,
        ``tight_coupling``, ``bare_levels``, ``relative_determinant``, ``flux_ratio`` (when
        defined), ``fluxes``, ``pairs``, ``sigma``, ``notes``.

        ``units="si"`` (a point with units): the numbers of ``qct regime --units si``
        (forces F_N 1, F_E 1/J; fluxes J_N 1/s, J_E and J_Q W; gradients Δμ in J, ΔT in K;
        cross coefficients like L; levels and ``flux_ratio`` in J; ``sigma`` W/K; notes in
        natural meV units), converted by the same library function, and a ``units`` key
        naming them.

        >>> r = Model.builtin("icc").regime(eps_b=0.1, kappa_c=0.25, kappa_s=0.25, T_l=1.05, mu_l=0.002)
        >>> r.regime
        'normal'
        """
        assignments = _assign(params)
        si = _check_units(self._core, units, assignments)
        text = self._core.regime(assignments, representation, list(references), si)
        return json.loads(text, object_hook=Record)

    def sweep(
        self,
        quantities: Optional[Sequence[str]] = None,
        *,
        representation: str = "energy",
        references: Sequence[str] = (),
        outer: Optional[bool] = None,
        units: str = "natural",
        method: str = "pauli",
        **values: Any,
    ) -> SweepResult:
        """Evaluate ``quantities`` (names as ``qct sweep``; ``m.quantities()`` lists them;
        default: the fluxes, ``sigma`` and ``regime``) at many points, in parallel in Rust
        with the GIL released.

        Keyword values are scalars (fixed; numbers or unit strings) or arrays (varied,
        natural units). With ``outer=None`` (default) 1-D arrays span an outer-product grid
        in keyword order, so the result has shape ``(len(a1), len(a2), ...)``; as soon as one
        array has another number of dimensions (or with ``outer=False``) the arrays are
        broadcast like NumPy (``np.broadcast_shapes``). Returns a :class:`SweepResult`: a dict
        of arrays of that shape, the varied parameters included; ``.to_pandas()``.

        Units (docs/lab-units.md): an array may carry a unit as a pair
        ``(array, "meV")``, scalars as ``"0.1meV"`` or ``(0.1, "meV")``. ``units="si"`` (for a
        point with units) returns every column in SI base units, as ``qct sweep --units si``
        (J, K, 1/s, the charge current ``I^l`` in A, W, W/K, S, V/K, ...), and
        ``result.units`` maps each column to its unit; with ``units="natural"`` (default)
        numbers are in natural units (meV for inputs with units) and ``result.units`` is empty.

        ``method``: the steady-state method, as ``qct sweep --method``: ``"pauli"`` (the
        rate equation, default), ``"lindblad"`` (secular Lindblad) or ``"redfield"``
        (Bloch–Redfield, keeps coherences between near-degenerate eigenstates); L and G, S,
        K, ZT of the last two by finite differences, the noise quantities Pauli only.

        A bad value or a failing point raises ``ValueError`` / ``qct.SolverError`` naming the
        first such point; results are never NaN except where a quantity is undefined.

        >>> import numpy as np
        >>> m = Model.builtin("icc")
        >>> res = m.sweep(["L_NE", "regime"], eps_b=np.linspace(-1, 1, 5), kappa_c=np.linspace(-3, 3, 7))
        >>> res["L_NE"].shape, res["regime"].shape
        ((5, 7), (5, 7))
        >>> lab = Model.builtin("sqd").sweep(["I^l"], units="si", T_l=(np.array([20.0, 200.0]), "mK"),
        ...     eps="0.1meV", T_r="100mK", mu_l="0.05meV", gamma_l="1ueV", gamma_r="1ueV")
        >>> lab.units["I^l"], lab.units["T_l"], round(float(lab["T_l"][1]), 12)
        ('A', 'K', 0.2)
        """
        fixed, arrays = _split(values, self._core)
        _check_units(self._core, units, fixed)
        if quantities is None:
            fluxes = self._core.onsager(fixed, representation, list(references))[1]
            quantities = list(fluxes) + ["sigma", "regime"]
        elif isinstance(quantities, str):
            quantities = [quantities]
        quantities = list(quantities)
        names = list(arrays)
        if outer is None:
            outer = all(a.ndim == 1 for a in arrays.values())
        if outer:
            bad = [n for n, a in arrays.items() if a.ndim != 1]
            if bad:
                raise ValueError(f"outer=True needs 1-D arrays; {bad[0]} has shape {arrays[bad[0]].shape}")
            grids = np.meshgrid(*arrays.values(), indexing="ij") if arrays else []
        else:
            try:
                grids = np.broadcast_arrays(*arrays.values())
            except ValueError:
                shapes = ", ".join(f"{n} {a.shape}" for n, a in arrays.items())
                raise ValueError(f"parameter arrays do not broadcast together: {shapes}") from None
        shape: Tuple[int, ...] = grids[0].shape if grids else ()
        columns = [np.ascontiguousarray(g, dtype=np.float64).ravel() for g in grids]
        raw = self._core.evaluate(fixed, representation, list(references), names, columns, quantities, method)
        out: Dict[str, np.ndarray] = {n: np.array(g, dtype=np.float64) for n, g in zip(names, grids)}
        for name, column in raw:
            if isinstance(column, list):
                column = np.array(column, dtype=str) if column else np.zeros(0, dtype=str)
            out[name] = column.reshape(shape)
        si_units: Dict[str, str] = {}
        if units == "si":
            columns_si = self._core.si_units(list(out), representation, list(references))
            for name, unit in zip(list(out), columns_si):
                if unit is not None:
                    si_units[name], factor = unit
                    out[name] = out[name] * factor
        return SweepResult(out, shape, names, quantities, si_units)

    def __repr__(self) -> str:
        return f"qct.Model({self.name!r}: {len(self.parameters)} parameters, leads {', '.join(self.leads)})"
