"""Units in the Python API (issue 16): arrays with units as (array, unit) pairs, SI output
with ``units="si"`` equal to ``qct sweep --units si --format json`` to 1e-12, the natural and
the lab-unit forms of the same point agreeing, and unit errors that name the parameter
without command-line wording."""

import numpy as np
import pytest

import qct
from conftest import cli

# A single level 0.1 meV above the right lead, 1 µeV couplings, the right lead at 100 mK.
LAB = {"eps": "0.1meV", "T_r": "100mK", "mu_l": "0.05meV", "gamma_l": "1ueV", "gamma_r": "1ueV"}
# k_B · 1 mK in meV (CODATA 2018, exact): the conversion the natural-unit form uses.
MK_IN_MEV = 1.380649e-23 * 1e-3 / 1.602176634e-22


@pytest.fixture(scope="module")
def sqd():
    return qct.Model.builtin("sqd")


def lab_sets():
    return [arg for name, value in LAB.items() for arg in ("--set", f"{name}={value}")]


def column(ref, name):
    return np.array([row[ref["columns"].index(name)] for row in ref["rows"]])


def test_si_sweep_matches_the_cli(sqd):
    temperatures = [20.0, 50.0, 120.0, 1000.0]
    quantities = ["I^l", "J_N^l", "J_E^l", "J_Q^r", "sigma", "G", "S", "p_B", "regime"]
    res = sqd.sweep(quantities, units="si", T_l=(np.array(temperatures), "mK"), **LAB)
    axis = ",".join(f"{t:g}mK" for t in temperatures)
    ref = cli("sweep", "sqd", *lab_sets(), "--vary", f"T_l={axis}", "--quantity", ",".join(quantities),
              "--units", "si")
    for name in ["T_l"] + quantities[:-1]:
        unit = res.units[name]
        theirs = column(ref, f"{name} [{unit}]")
        scale = np.abs(theirs).max()
        assert np.allclose(res[name], theirs, rtol=1e-12, atol=1e-12 * scale), name
    assert res.units["I^l"] == "A" and res.units["T_l"] == "K" and res.units["sigma"] == "W/K"
    assert list(res["regime"]) == list(column(ref, "regime"))
    # Physics in SI: I = e J_N, and the second law.
    assert np.allclose(res["I^l"], 1.602176634e-19 * res["J_N^l"], rtol=1e-15, atol=0)
    assert (res["sigma"] >= 0).all()


def test_lab_units_equal_natural_units(sqd):
    """The same points in natural meV units and in lab units give the same numbers."""
    temperatures = np.array([20.0, 80.0, 300.0])
    lab = sqd.sweep(["J_N^l", "J_E^l", "sigma"], T_l=(temperatures, "mK"), **LAB)
    natural = sqd.sweep(
        ["J_N^l", "J_E^l", "sigma"],
        T_l=temperatures * MK_IN_MEV,
        eps=0.1, T_r=100 * MK_IN_MEV, mu_l=0.05, gamma_l=1e-3, gamma_r=1e-3,
    )
    assert lab.units == {} and natural.units == {}
    for name in ["T_l", "J_N^l", "J_E^l", "sigma"]:
        assert np.allclose(lab[name], natural[name], rtol=1e-12, atol=0), name
    # A scalar pair is the same as the unit string.
    pair = sqd.sweep(["J_N^l"], T_l=(80, "mK"), **LAB)
    assert pair["J_N^l"] == pytest.approx(lab["J_N^l"][1], rel=1e-12)


def test_unit_errors_name_the_parameter(sqd):
    with pytest.raises(ValueError) as error:
        sqd.sweep(["J_N^l"], T_l=(np.array([1.0, 2.0]), "mev"), **LAB)
    message = str(error.value)
    assert "unknown unit 'mev'" in message and "T_l" in message and "--set" not in message
    with pytest.raises(ValueError) as error:
        sqd.solve(eps="200mK")
    assert "is a temperature, but eps takes an energy" in str(error.value)
    assert "--set" not in str(error.value)
    with pytest.raises(ValueError, match="physical units"):
        sqd.sweep(["J_N^l"], units="si", T_l=np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="units must be"):
        sqd.sweep(["J_N^l"], units="SI", **LAB)
    # Mixing a plain array with united values is refused, naming the plain parameter.
    with pytest.raises(ValueError, match="mixed with plain numbers"):
        sqd.sweep(["J_N^l"], T_l=np.array([1.0, 2.0]), **{**LAB, "T_r": 1.0})
