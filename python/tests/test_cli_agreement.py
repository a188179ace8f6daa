"""Python results equal the CLI's JSON (`qct solve/onsager/regime/sweep --format json`) at
several points of every built-in model, and obey the physics they must."""

import numpy as np
import pytest

import qct
from conftest import cli, points, sets

RTOL = 1e-12


def close(a, b, scale=1.0):
    return np.allclose(a, b, rtol=RTOL, atol=1e-15 * scale)


def test_solve_matches_cli(builtin):
    for point in points(builtin):
        s = builtin.solve(**point)
        ref = cli("solve", builtin.name, *sets(point))
        assert s.states == [state["label"] for state in ref["states"]]
        assert close(s.probabilities, [state["probability"] for state in ref["states"]])
        for lead in ref["leads"]:
            for key in ["J_N", "J_E", "J_Q"]:
                assert close(s.currents[lead["name"]][key], lead[key]), (point, lead["name"], key)
        assert close(s.sigma, ref["sigma"]["minus_sum_beta_heat"])
        assert s.parameters == ref["parameters"]
        # Physics: normalisation, second law, particle and energy conservation.
        assert abs(s.probabilities.sum() - 1) < 1e-13
        assert np.all(s.probabilities >= 0)
        assert s.sigma >= -1e-15
        total_energy = sum(c["J_E"] for c in s.currents.values())
        scale = max(abs(c["J_E"]) for c in s.currents.values())
        assert abs(total_energy) <= 1e-12 * max(scale, 1e-300)


@pytest.mark.parametrize("representation", ["energy", "heat"])
def test_onsager_matches_cli(builtin, representation):
    for point in points(builtin):
        L = builtin.onsager(representation=representation, **point)
        ref = cli("onsager", builtin.name, "--representation", representation, *sets(point))
        assert isinstance(L, np.ndarray) and L.dtype == np.float64
        assert L.fluxes == ref["fluxes"] and L.forces == ref["forces"]
        assert close(L, ref["L"], scale=np.abs(L).max())
        # Reciprocity (L symmetric, exact linear response) and the second law (L ⪰ 0).
        assert np.allclose(L, L.T, rtol=1e-12, atol=1e-16)
        assert np.linalg.eigvalsh((L + L.T) / 2).min() >= -1e-14 * np.abs(L).max()


def test_regime_matches_cli(builtin):
    for point in points(builtin):
        r = builtin.regime(**point)
        ref = cli("regime", builtin.name, *sets(point))
        for key, value in r.items():
            if isinstance(value, float):
                assert close(value, ref[key]), key
            elif key == "fluxes":
                for mine, theirs in zip(value, ref[key]):
                    assert mine["flux"] == theirs["flux"]
                    assert close(mine["flux_value"], theirs["flux_value"])
                    assert close(mine["linear_flux"], theirs["linear_flux"])
                    assert mine["against_force"] == theirs["against_force"]
            else:
                assert value == ref[key], key


def test_sweep_matches_cli_sweep():
    m = qct.Model.builtin("icc")
    quantities = ["J_N^l", "J_E^u", "sigma", "L_NE", "regime", "p_B"]
    eps_b = np.linspace(-1, 1, 5)
    kappa_c = np.linspace(-3, 3, 4)
    res = m.sweep(quantities, eps_b=eps_b, kappa_c=kappa_c, T_l=1.2)
    ref = cli(
        "sweep", "icc", "--vary", "eps_b=-1:1:5", "--vary", "kappa_c=-3:3:4",
        "--quantity", ",".join(quantities), "--set", "T_l=1.2",
    )
    columns = ref["columns"]
    rows = ref["rows"]
    assert len(rows) == 20
    for k, row in enumerate(rows):
        i, j = divmod(k, 4)  # the first axis slowest, as the outer grid
        assert row[columns.index("eps_b")] == pytest.approx(eps_b[i], abs=1e-15)
        assert row[columns.index("kappa_c")] == pytest.approx(kappa_c[j], abs=1e-15)
        for q in quantities:
            mine, theirs = res[q][i, j], row[columns.index(q)]
            if q == "regime":
                assert mine == theirs
            else:
                assert close(mine, theirs), (q, i, j)


def test_sweep_equals_pointwise_solve_and_onsager():
    """The vectorised path (steady-state and linear-response stages of Model::evaluate)
    against the one-point API."""
    m = qct.Model.builtin("cqd")
    eps_b = np.array([-1.2, 0.0, 0.4, 2.0])
    steady = m.sweep(["J_N^l", "J_Q^u", "p_D"], eps_b=eps_b, kappa=0.3)
    linear = m.sweep(["L_1_1", "L_1_3", "L_3_2"], eps_b=eps_b, kappa=0.3, representation="heat")
    for k, e in enumerate(eps_b):
        s = m.solve(eps_b=e, kappa=0.3)
        assert steady["J_N^l"][k] == s.currents["l"]["J_N"] + 0.0
        assert steady["J_Q^u"][k] == s.currents["u"]["J_Q"] + 0.0
        assert steady["p_D"][k] == s.probabilities[3]
        L = m.onsager(eps_b=e, kappa=0.3, representation="heat")
        assert (linear["L_1_1"][k], linear["L_1_3"][k], linear["L_3_2"][k]) == (L[0, 0], L[0, 2], L[2, 1])


def test_linear_response_is_the_small_force_limit():
    """An independent check of L: the nonlinear fluxes at forces of size δ deviate from
    L F by O(δ²), so halving δ divides the deviation by about 4."""
    m = qct.Model.builtin("icc")

    def deviation(delta):
        r = m.regime(eps_b=0.3, T_l=1.0 + delta, mu_l=0.5 * delta)
        return max(abs(f["flux_value"] - f["linear_flux"]) for f in r.fluxes)

    d1, d2 = deviation(2e-3), deviation(1e-3)
    assert 0 < d2 < d1
    assert 3.0 < d1 / d2 < 5.0


def test_model_from_json_path_and_dict_equal_builtin():
    import json
    import pathlib

    path = pathlib.Path(__file__).resolve().parents[2] / "examples" / "cqd.json"
    from_path = qct.Model.from_json(path)
    from_dict = qct.Model.from_json(json.loads(path.read_text()))
    builtin = qct.Model.builtin("cqd")
    for m in (from_path, from_dict):
        assert m.parameters.names == builtin.parameters.names
        assert np.array_equal(m.onsager(eps_b=0.2), builtin.onsager(eps_b=0.2))
    ref = cli("solve", "--model-file", str(path), "--set", "eps_b=0.2")
    assert close(from_path.solve(eps_b=0.2).probabilities, [s["probability"] for s in ref["states"]])


def test_units_as_the_cli():
    m = qct.Model.builtin("sqd")
    params = dict(eps="0.1meV", T_l="2K", T_r="1.5K", mu_l="0.02meV", mu_r="0meV", gamma_l="1e9/s", gamma_r="2e9/s")
    s = m.solve(**params)
    ref = cli("solve", "sqd", *[a for n, v in params.items() for a in ("--set", f"{n}={v}")])
    assert s.parameters == ref["parameters"]
    assert close(s.probabilities, [state["probability"] for state in ref["states"]])
