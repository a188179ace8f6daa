"""Closed forms from Python: qct.derive of every built-in equals the CLI's JSON exactly,
its SymPy expressions evaluate to the numeric Onsager matrix, and qct.check passes."""

import json
import os
import subprocess

import numpy as np
import pytest

import qct
from conftest import BUILTINS, cli

sympy = pytest.importorskip("sympy")


@pytest.fixture(scope="module", params=BUILTINS)
def derivation(request):
    return request.param, qct.derive(request.param)


def test_derive_equals_cli_json(derivation):
    name, d = derivation
    ref = cli("derive", name, "--syntax", "sympy")
    assert d.json == ref
    assert d.fluxes == ref["fluxes"] and d.forces == ref["forces"]


def test_symbols_are_model_parameters(derivation):
    name, d = derivation
    parameters = set(qct.Model.builtin(name).parameters.names)
    for row in d.L:
        for entry in row:
            assert isinstance(entry, sympy.Expr)
            assert {s.name for s in entry.free_symbols} <= parameters | set(d.definitions)
    compact_names = set(d.compact.definitions)
    for row in d.compact.L:
        for entry in row:
            assert {s.name for s in entry.free_symbols} <= parameters | compact_names


def numeric(expr, model, values):
    symbols = {s: values[s.name] for s in expr.free_symbols}
    return float(expr.subs(symbols).evalf(30))


def test_closed_forms_evaluate_to_the_numeric_onsager_matrix(derivation):
    """Both forms (expanded over the model's parameters, compact over its named quantities),
    evaluated in SymPy at a point, equal the library's exact linear response there."""
    name, d = derivation
    m = qct.Model.builtin(name)
    point = {m.parameters.names[0]: m.parameters[m.parameters.names[0]].default + 0.37}
    values = m.values(**point)
    L = m.onsager(**point)
    scale = np.abs(L).max()
    for forms in (d.expanded, d.compact):
        for i, row in enumerate(forms.L):
            for j, entry in enumerate(row):
                value = numeric(forms.expand(entry), m, values)
                assert abs(value - L[i, j]) <= 1e-12 * scale, (name, i, j)


def test_latex_for_jupyter(derivation):
    _, d = derivation
    latex = d._repr_latex_()
    assert latex.startswith("$L = \\begin{pmatrix}") and latex.endswith("\\end{pmatrix}$")
    assert latex.count("\\\\") == len(d.fluxes) - 1


def test_strings_without_sympy(monkeypatch):
    import qct._derive as derive_module

    monkeypatch.setattr(derive_module, "_sympy", lambda: None)
    d = qct.derive("sqd")
    assert isinstance(d.L[0][0], str) and d.L[0][0] == d.json["L"][0][0]


def test_derive_of_a_model_object_and_file():
    root = os.path.join(os.path.dirname(__file__), "..", "..", "examples")
    path = os.path.join(root, "sb.json")
    from_file = qct.derive(path)
    from_model = qct.derive(qct.Model.from_json(path))
    assert from_file.json == from_model.json
    ref = cli("derive", "--model-file", path, "--syntax", "sympy")
    assert from_file.json == ref


@pytest.mark.parametrize("name", BUILTINS)
def test_check_passes(name):
    m = qct.Model.builtin(name)
    first = m.parameters.names[0]
    r = qct.check(name, **{first: m.parameters[first].default - 0.3})
    assert r.passed is True and r.max_relative_deviation < 1e-9
    assert np.allclose(r.L_closed_form, r.L_numeric, rtol=1e-9, atol=0)


def test_derive_errors():
    with pytest.raises(ValueError, match="built-in models are"):
        qct.derive("nosuch")
    with pytest.raises(ValueError, match="representation"):
        qct.derive("sqd", representation="entropy")
    with pytest.raises(ValueError, match="has no parameter"):
        qct.check("sqd", nope=1.0)


def test_engine_abort_does_not_kill_python(tmp_path, monkeypatch):
    """A worker that dies by a signal (as on a Symbolica abort) is a SolverError here."""
    fake = tmp_path / "qct"
    fake.write_text("#!/bin/sh\necho 'error: engine gone' >&2\nkill -ABRT $$\n")
    fake.chmod(0o755)
    monkeypatch.setenv("QCT_BIN", str(fake))
    with pytest.raises(qct.SolverError, match="SIGABRT"):
        qct.derive("sqd")
    monkeypatch.setenv("QCT_BIN", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="QCT_BIN"):
        qct.derive("sqd")
