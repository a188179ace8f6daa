"""`Model.sweep(method=...)`: the density-matrix methods as `qct sweep --method`, their
agreement with Pauli far from degeneracy, and the spin current J_S^λ."""

import numpy as np
import pytest

import qct
from conftest import cli

SERIAL = dict(t=0.001, eps_2=0.2, gamma_l=1e-3, gamma_r=1e-3, T_l=0.6, T_r=0.5, mu_l=0.1)
QUANTITIES = ["J_N^l", "J_E^r", "sigma", "p_B", "L_NN", "L_NE", "G", "regime"]


@pytest.mark.parametrize("method", ["lindblad", "redfield"])
def test_sweep_method_matches_cli(method):
    m = qct.Model.builtin("serial_dd")
    eps = np.array([0.19, 0.2, 0.21, 0.3])
    res = m.sweep(QUANTITIES, method=method, eps_1=eps, **SERIAL)
    sets = [arg for name, value in SERIAL.items() for arg in ("--set", f"{name}={value!r}")]
    ref = cli(
        "sweep", "serial_dd", *sets, "--vary", "eps_1=" + ",".join(repr(float(x)) for x in eps),
        "--quantity", ",".join(QUANTITIES), "--method", method,
    )
    assert ref["header"]["method"] == method
    columns = ref["columns"]
    for k, row in enumerate(ref["rows"]):
        for name in QUANTITIES:
            value = row[columns.index(name)]
            if name == "regime":
                assert res[name][k] == value
            else:
                assert np.isclose(res[name][k], value, rtol=1e-12, atol=0), (method, name, k)


def test_methods_agree_far_from_degeneracy():
    """Δ = 0.1 ≫ γ = 1e-3: Lindblad = Pauli (L to the finite differences), Redfield within
    (γ/Δ)² = 1e-4 relative."""
    m = qct.Model.builtin("serial_dd")
    numbers = [q for q in QUANTITIES if q != "regime"]
    pauli, lindblad, redfield = (m.sweep(numbers, method=x, eps_1=np.array([0.3]), **SERIAL) for x in ("pauli", "lindblad", "redfield"))
    for name in numbers:
        assert np.allclose(lindblad[name], pauli[name], rtol=1e-6, atol=0), name
        assert np.allclose(redfield[name], pauli[name], rtol=1e-4, atol=0), name


def test_spin_current_and_refusals():
    z = qct.Model.builtin("zeeman_dot")
    res = z.sweep(["J_S^l", "J_S^r"], B=np.array([0.0, 0.5]), p_l=0.0)
    # No polarisation and no field: no spin current; spin is conserved.
    assert abs(res["J_S^l"][0]) < 1e-15
    assert res["J_S^l"][1] != 0 and abs(res["J_S^l"][1] + res["J_S^r"][1]) < 1e-15
    assert "J_S^l" in z.quantities() and "J_S^l" not in qct.Model.builtin("sqd").quantities()
    with pytest.raises(ValueError, match="J_S"):
        qct.Model.builtin("sqd").sweep(["J_S^l"], eps=np.array([0.0]))
    with pytest.raises(ValueError, match="redfield"):
        qct.Model.builtin("serial_dd").sweep(["S_J_N^l"], method="redfield", eps_1=np.array([0.0]))
    with pytest.raises(ValueError, match="method"):
        qct.Model.builtin("serial_dd").sweep(["J_N^l"], method="bloch", eps_1=np.array([0.0]))
