"""qct — quantum coupled transport, from Python.

Thermodynamics of quantum dots coupled to thermal leads in the sequential-tunnelling
(Pauli master equation) regime: steady states, Onsager matrices, transport regimes and
vectorised sweeps from the compiled qct library; closed forms from the ``qct`` command-line
tool in a worker process.

Units: k_B = ħ = 1 and one energy unit for ε, U, T, μ and the rates γ; currents per unit
time. A parameter given as a string with a unit ("0.1meV", "200mK", "1e9/s") is converted
as by ``qct --set`` (natural units then mean meV).

>>> import qct
>>> m = qct.Model.builtin("cqd")
>>> s = m.solve(eps_b=0.5)
>>> abs(sum(s.probabilities) - 1) < 1e-12
True
>>> L = m.onsager(eps_b=0.5)
>>> L.forces
['F_N^l', 'F_E^l', 'F_E^u']
"""

from ._qct import SolverError
from ._model import (
    Model,
    OnsagerMatrix,
    Parameter,
    ParameterSet,
    Record,
    Solution,
    SweepResult,
)
from ._derive import CheckResult, Derivation, check, derive, qct_binary

__all__ = [
    "Model",
    "OnsagerMatrix",
    "Parameter",
    "ParameterSet",
    "Record",
    "Solution",
    "SweepResult",
    "SolverError",
    "Derivation",
    "CheckResult",
    "derive",
    "check",
    "qct_binary",
]
