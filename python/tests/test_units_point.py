"""``units="si"`` for one point (issue 16): ``Model.solve``, ``Model.onsager`` and
``Model.regime`` in SI equal ``qct solve/onsager/regime --units si --format json`` to 1e-12
and the natural-unit results times factors built here from the exact constants (CODATA
2018: e, k_B, h), with a ``units`` mapping; dimensionless parameters stay plain."""

import math

import numpy as np
import pytest

import qct
from conftest import cli

E = 1.602176634e-19  # C
K_B = 1.380649e-23  # J/K
HBAR = 6.62607015e-34 / (2 * math.pi)  # J s
MEV = 1e-3 * E  # J
RATE = MEV / HBAR  # 1/s per natural rate

LAB = {"eps": "0.1meV", "T_l": "200mK", "T_r": "100mK", "mu_l": "0.05meV",
       "gamma_l": "1ueV", "gamma_r": "2ueV"}
# The same point in natural meV units.
NATURAL = {"eps": 0.1, "T_l": 0.2 * K_B / MEV, "T_r": 0.1 * K_B / MEV, "mu_l": 0.05,
           "gamma_l": 1e-3, "gamma_r": 2e-3}


def lab_sets(point=LAB):
    return [a for name, value in point.items() for a in ("--set", f"{name}={value}")]


def rel(a, b, tol=1e-12, floor=0.0):
    return abs(a - b) <= tol * max(abs(a), abs(b), floor)


@pytest.fixture(scope="module")
def sqd():
    return qct.Model.builtin("sqd")


def test_solve_si_equals_cli_and_natural_times_factors(sqd):
    si = sqd.solve(units="si", **LAB)
    natural = sqd.solve(**NATURAL)
    ref = cli("solve", "sqd", *lab_sets(), "--units", "si")
    factors = {"J_N": RATE, "I": E * RATE, "J_E": MEV * RATE, "J_Q": MEV * RATE}
    for lead in ref["leads"]:
        mine = si.currents[lead["name"]]
        for key, factor in factors.items():
            assert rel(mine[key], lead[key]), (lead["name"], key)
            natural_key = "J_N" if key == "I" else key
            assert rel(mine[key], natural.currents[lead["name"]][natural_key] * factor), key
    assert rel(si.sigma, ref["sigma"]["minus_sum_beta_heat"])
    assert rel(si.sigma, natural.sigma * K_B * RATE, 1e-10)
    assert np.allclose(si.probabilities, [s["probability"] for s in ref["states"]], rtol=1e-12, atol=1e-15)
    for name, value in ref["parameters"].items():
        assert rel(si.parameters[name], value, floor=1e-300), name
    assert rel(si.parameters["T_l"], 0.2) and rel(si.parameters["eps"], 0.1 * MEV)
    assert si.units["I"] == "A" and si.units["J_E"] == "W" and si.units["sigma"] == "W/K"
    assert si.units["T_l"] == "K" and si.units["gamma_l"] == "1/s" and si.units["eps"] == "J"
    assert natural.units == {}
    # Physics in SI: I = e J_N, charge and energy conservation, the second law.
    assert rel(si.currents["l"]["I"], E * si.currents["l"]["J_N"], 1e-15)
    assert rel(si.currents["l"]["I"], -si.currents["r"]["I"])
    assert si.sigma > 0


@pytest.mark.parametrize("representation", ["energy", "heat"])
def test_onsager_si_equals_cli_and_natural_times_factors(sqd, representation):
    point = {**LAB, "T_r": "200mK"}
    L = sqd.onsager(representation=representation, units="si", **point)
    natural = sqd.onsager(representation=representation, **{**NATURAL, "T_r": NATURAL["T_l"]})
    ref = cli("onsager", "sqd", *lab_sets(point), "--units", "si", "--representation", representation)
    assert L.units == ref["units"]["L"]
    assert L.units[0][0] == "1/s" and L.units[0][1] == "W" and L.units[1][1] == "J W"
    # L_ij = ∂J_i/∂F_j: J_N in 1/s, J_E (J_Q) in W; F_N dimensionless, F_E (F_Q) in 1/J.
    factor = np.array([[RATE, MEV * RATE], [MEV * RATE, MEV * MEV * RATE]])
    for i in range(2):
        for j in range(2):
            assert rel(L[i, j], ref["L"][i][j], floor=1e-300), (i, j)
            assert rel(L[i, j], natural[i, j] * factor[i, j], floor=1e-300), (i, j)
    assert rel(L[0, 1], L[1, 0])  # reciprocity in SI
    assert natural.units == []
    # G = e² L_NN/(k_B T) in S equals qct performance --units si.
    if representation == "heat":
        perf = cli("performance", "sqd", *lab_sets(point), "--units", "si")
        assert rel(E * E * L[0, 0] / (K_B * 0.2), perf["linear"]["G"])


def test_regime_si_equals_cli(sqd):
    r = sqd.regime(units="si", **LAB)
    natural = sqd.regime(**NATURAL)
    ref = cli("regime", "sqd", *lab_sets(), "--units", "si")
    assert r.regime == ref["regime"] == natural.regime
    assert rel(r.sigma, ref["sigma"]) and rel(r.sigma, natural.sigma * K_B * RATE, 1e-10)
    for mine, theirs, nat in zip(r.fluxes, ref["fluxes"], natural.fluxes):
        flux_factor = RATE if mine["flux"].startswith("J_N") else MEV * RATE
        force_factor = 1.0 if mine["force"].startswith("F_N") else 1 / MEV
        for key, factor in [("flux_value", flux_factor), ("linear_flux", flux_factor),
                            ("force_value", force_factor)]:
            assert rel(mine[key], theirs[key], floor=1e-300), key
            assert rel(mine[key], nat[key] * factor, 1e-10, 1e-300), key
    for mine, theirs in zip(r.pairs, ref["pairs"]):
        assert rel(mine["cross_coefficient"], theirs["cross_coefficient"], floor=1e-300)
    assert r.units["cross_coefficient"] == ref["units"]["cross_coefficient"]
    assert r.units["sigma"] == "W/K" and "units" not in natural


def test_dimensionless_parameter_stays_plain():
    zeeman = qct.Model.builtin("zeeman_dot")
    point = {"eps": "0.1meV", "B": "0.02meV", "U": "1meV", "gamma_l": "1ueV", "gamma_r": "1ueV",
             "T_l": "200mK", "T_r": "100mK", "mu_l": "0.05meV", "p_l": 0.4}
    s = zeeman.solve(units="si", **point)
    assert s.parameters["p_l"] == 0.4 and s.units["p_l"] == "1"
    ref = cli("solve", "zeeman_dot", *lab_sets(point), "--units", "si")
    assert rel(s.currents["l"]["I"], ref["leads"][0]["I"])
    with pytest.raises(ValueError, match="p_l takes a plain number"):
        zeeman.solve(**{**point, "p_l": "0.4meV"})


def test_si_refusals(sqd):
    with pytest.raises(ValueError, match="physical units"):
        sqd.solve(units="si", eps=0.1)
    with pytest.raises(ValueError, match="physical units"):
        sqd.onsager(units="si")
    with pytest.raises(ValueError, match="units must be"):
        sqd.regime(units="SI", **LAB)
    with pytest.raises(ValueError, match="unknown unit 'mev'"):
        sqd.solve(units="si", **{**LAB, "eps": "0.1mev"})
