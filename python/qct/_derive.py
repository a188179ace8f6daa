"""Closed forms (``qct.derive``) and their cross-check (``qct.check``).

The symbolic engine (Symbolica) is not in the extension module: both functions run the
``qct`` command-line tool in a worker process and parse its JSON, so an abort of the engine
ends that process, never the Python interpreter. The executable is, in order: the
environment variable ``QCT_BIN``; the ``qct`` built in the cargo target directory the
extension was built in (``target/release/qct`` of the source tree, see ``qct_binary``);
``qct`` on ``PATH``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _qct
from ._model import Model, Record

ModelArg = Union[str, Model, "os.PathLike[str]", Mapping[str, Any]]


def qct_binary() -> str:
    """Path of the ``qct`` executable used by ``derive`` and ``check`` (module doc)."""
    explicit = os.environ.get("QCT_BIN")
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise ValueError(f"QCT_BIN={explicit} is not an executable file")
        return explicit
    for directory in _qct.TARGET_DIRS:
        candidate = os.path.join(directory, "release", "qct")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("qct")
    if found:
        return found
    raise ValueError(
        "the qct executable was not found: build it (cargo build --release) and set QCT_BIN, "
        "or put qct on PATH"
    )


def _model_args(model: ModelArg) -> Tuple[List[str], Optional[str]]:
    """Command-line arguments naming `model`, and the text to feed on stdin (if any)."""
    if isinstance(model, Model):
        if model._source is None:
            return [model.name], None
        return ["--model-file", "-"], model._source
    if isinstance(model, Mapping):
        return ["--model-file", "-"], json.dumps(model)
    if isinstance(model, str) and model in _qct.Model.builtin_names():
        return [model], None
    if isinstance(model, (str, os.PathLike)) and os.path.exists(os.fspath(model)):
        return ["--model-file", os.fspath(model)], None
    # An unknown name: qct itself reports it (with the list of built-ins).
    return [str(model)], None


def _run(arguments: List[str], stdin: Optional[str], ok: Sequence[int] = (0,)) -> Tuple[Any, int]:
    """Run qct with `arguments`; its JSON output and exit status. Exit status 2 (bad input)
    is a ValueError, death by a signal (an engine abort) a SolverError; both carry qct's
    message."""
    binary = qct_binary()
    result = subprocess.run(
        [binary, *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    message = _error_line(result.stderr)
    if result.returncode < 0:
        name = signal.Signals(-result.returncode).name
        raise _qct.SolverError(
            f"qct {arguments[0]} was ended by {name} in its worker process"
            + (f": {message}" if message else "")
        )
    if result.returncode == 2:
        raise ValueError(message or f"qct {arguments[0]} refused its input")
    if result.returncode not in ok:
        raise _qct.SolverError(message or f"qct {arguments[0]} failed with exit status {result.returncode}")
    try:
        return json.loads(result.stdout), result.returncode
    except json.JSONDecodeError as error:
        raise _qct.SolverError(f"qct {arguments[0]} printed no JSON: {error}") from None


def _error_line(stderr: str) -> str:
    for line in reversed(stderr.splitlines()):
        if line.startswith("error:"):
            return line[len("error:") :].strip()
    return ""


def _parameter_args(params: Mapping[str, Any]) -> List[str]:
    out: List[str] = []
    for name, value in params.items():
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"parameter {name}: expected one number or a string with a unit") from None
        out += ["--set", f"{name}={value if isinstance(value, str) else repr(float(value))}"]
    return out


def _sympy() -> Any:
    try:
        import sympy
    except ImportError:
        return None
    return sympy


class _Parser:
    """qct's SymPy-syntax strings → SymPy expressions with every name a Symbol (model
    parameters and definitions alike) and ``E`` Euler's number, as qct writes it."""

    def __init__(self, sympy: Any):
        self.sympy = sympy
        self.symbols: Dict[str, Any] = {}

    def __call__(self, text: str) -> Any:
        local: Dict[str, Any] = {"E": self.sympy.E}
        for name in set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text)) - {"E"}:
            local[name] = self.symbols.setdefault(name, self.sympy.Symbol(name))
        return self.sympy.sympify(text, locals=local)


class _Forms:
    """One form of L: ``L`` (matrix of expressions), ``definitions`` (name → expression, in
    order: each may use the earlier ones) and ``latex`` (matrix of LaTeX strings)."""

    def __init__(self, L: List[List[Any]], definitions: Dict[str, Any], latex: List[List[str]], parse: Any):
        self.L = L
        self.definitions = definitions
        self.L_latex = latex
        self._parse = parse

    def expand(self, expr: Any) -> Any:
        """`expr` with the definitions substituted (last to first), in model parameters
        only (needs SymPy)."""
        if self._parse is None:
            raise ImportError("expand needs sympy: pip install sympy")
        for name, value in reversed(list(self.definitions.items())):
            expr = expr.subs(self._parse.symbols.get(name, self._parse.sympy.Symbol(name)), value)
        return expr


class Derivation:
    """The closed-form Onsager matrix of a model (``qct.derive``).

    ``json``: the output of ``qct derive MODEL --format json --syntax sympy``, unchanged.
    ``L``: the expanded form (SymPy expressions over the model's parameters and the
    ``definitions``, when SymPy is importable; strings otherwise); ``compact``: the compact
    form (``.L``, ``.definitions``, ``.expand``); ``fluxes``, ``forces``; ``latex()`` and
    Jupyter rendering (``_repr_latex_``).
    """

    def __init__(self, data: Dict[str, Any]):
        self.json = data
        sympy = _sympy()
        parse = _Parser(sympy) if sympy is not None else None
        convert = parse if parse is not None else (lambda text: text)
        self.model: str = data["model"]
        self.representation: str = data["representation"]
        self.fluxes: List[str] = list(data["fluxes"])
        self.forces: List[str] = list(data["forces"])
        self.definitions = {d["name"]: convert(d["value"]) for d in data["definitions"]}
        self.L = [[convert(x) for x in row] for row in data["L"]]
        self.determinant = convert(data["determinant"])
        self.expanded = _Forms(self.L, self.definitions, data["L_latex"], parse)
        compact = data.get("compact")
        self.compact = (
            _Forms(
                [[convert(x) for x in row] for row in compact["L"]],
                {d["name"]: convert(d["expr"]) for d in compact["definitions"]},
                compact["L_latex"],
                parse,
            )
            if compact
            else None
        )

    def latex(self, form: str = "compact") -> str:
        """L as a LaTeX ``pmatrix`` (``form``: "compact" or "expanded")."""
        forms = self.compact if form == "compact" and self.compact is not None else self.expanded
        rows = [" & ".join(row) for row in forms.L_latex]
        return "L = \\begin{pmatrix}" + " \\\\ ".join(rows) + "\\end{pmatrix}"

    def _repr_latex_(self) -> str:
        return "$" + self.latex() + "$"

    def __repr__(self) -> str:
        return f"qct.Derivation({self.model}, {self.representation}: fluxes {self.fluxes}, forces {self.forces})"


def derive(
    model: ModelArg,
    representation: str = "energy",
    references: Sequence[str] = (),
) -> Derivation:
    """Closed-form Onsager coefficients of `model` (a built-in name, a :class:`Model`, a
    JSON model path or dict), from ``qct derive`` run in a worker process (module doc).

    >>> d = derive("sb")            # doctest: +SKIP
    >>> d.L[0][1]                   # a SymPy expression when sympy is installed  # doctest: +SKIP
    """
    arguments, stdin = _model_args(model)
    arguments = ["derive", *arguments, "--format", "json", "--syntax", "sympy", "--representation", representation]
    for choice in references:
        arguments += ["--reference", choice]
    data, _ = _run(arguments, stdin)
    return Derivation(data)


class CheckResult(Record):
    """The JSON of ``qct check --format json`` (closed form vs exact linear response vs
    finite differences) with ``.passed``: every relative deviation within ``rtol``."""

    passed: bool


def check(
    model: ModelArg,
    representation: str = "energy",
    references: Sequence[str] = (),
    rtol: Optional[float] = None,
    **params: Any,
) -> CheckResult:
    """Cross-check the closed forms of `model` at a point (``qct check``, worker process):
    ``L_closed_form``, ``L_numeric``, ``L_finite_difference`` and their agreement.

    >>> r = check("icc", eps_b=-0.3)   # doctest: +SKIP
    >>> r.passed                        # doctest: +SKIP
    True
    """
    arguments, stdin = _model_args(model)
    arguments = ["check", *arguments, "--format", "json", "--representation", representation]
    arguments += _parameter_args(params)
    for choice in references:
        arguments += ["--reference", choice]
    if rtol is not None:
        arguments += ["--rtol", repr(float(rtol))]
    data, status = _run(arguments, stdin, ok=(0, 1))
    result = CheckResult(data)
    result.setdefault("passed", status == 0)
    return result
