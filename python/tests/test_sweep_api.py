"""Broadcasting, dtypes and errors of the Python API: bad input is a ValueError with qct's
one-line message, a physics failure a qct.SolverError, and no NaN or infinity comes out
where the CLI would refuse."""

import threading

import numpy as np
import pytest

import qct


@pytest.fixture(scope="module")
def icc():
    return qct.Model.builtin("icc")


def test_outer_grid_shape_and_axes(icc):
    res = icc.sweep(["L_NE", "regime"], eps_b=np.linspace(-1, 1, 41), kappa_c=np.linspace(-3, 3, 61))
    assert res.shape == (41, 61) and res.axes == ["eps_b", "kappa_c"]
    assert res["L_NE"].shape == (41, 61) and res["L_NE"].dtype == np.float64
    assert res["regime"].dtype.kind == "U"
    assert np.all(res["eps_b"][:, 0] == np.linspace(-1, 1, 41))
    assert np.all(res["kappa_c"][0, :] == np.linspace(-3, 3, 61))
    assert np.isfinite(res["L_NE"]).all()


def test_numpy_broadcasting(icc):
    eps_b = np.linspace(-1, 1, 3)[:, None]
    kappa_c = np.array([[-2.0, 0.0, 0.5, 2.0]])
    res = icc.sweep(["J_N^l", "sigma"], eps_b=eps_b, kappa_c=kappa_c)
    assert res.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            s = icc.solve(eps_b=eps_b[i, 0], kappa_c=kappa_c[0, j])
            assert res["J_N^l"][i, j] == pytest.approx(s.currents["l"]["J_N"], rel=1e-12, abs=1e-16)
    assert (res["sigma"] >= 0).all()


def test_broadcast_3d_and_zip(icc):
    a = np.linspace(-1, 1, 24).reshape(2, 3, 4)
    res = icc.sweep(["J_N^l"], eps_b=a, T_l=np.full((3, 1), 1.3))
    assert res.shape == (2, 3, 4)
    zipped = icc.sweep(["J_N^l"], eps_b=np.array([0.1, 0.2]), kappa_c=np.array([1.0, 2.0]), outer=False)
    assert zipped.shape == (2,)
    assert zipped["J_N^l"][1] == pytest.approx(icc.solve(eps_b=0.2, kappa_c=2.0).currents["l"]["J_N"], rel=1e-12)


def test_scalars_ints_and_empty(icc):
    res = icc.sweep(["J_N^l"], eps_b=0.3)
    assert res.shape == () and res["J_N^l"].shape == ()
    ints = icc.sweep(["J_N^l"], eps_b=np.arange(3))
    assert ints["J_N^l"].dtype == np.float64 and ints.shape == (3,)
    empty = icc.sweep(["J_N^l", "regime"], eps_b=np.zeros(0))
    assert empty["J_N^l"].shape == (0,) and empty["regime"].shape == (0,)


def test_undefined_is_nan_exactly_where_the_cli_leaves_it_empty(icc):
    from conftest import cli

    quantities = ["P", "eta", "eta_over_carnot", "cop", "ZT"]
    res = icc.sweep(quantities, eps_b=np.linspace(-2, 2, 21), T_l=1.4, mu_l=0.3)
    ref = cli("sweep", "icc", "--vary", "eps_b=-2:2:21", "--set", "T_l=1.4", "--set", "mu_l=0.3",
              "--quantity", ",".join(quantities))
    for q in quantities:
        column = [row[ref["columns"].index(q)] for row in ref["rows"]]
        assert list(np.isnan(res[q])) == [cell is None for cell in column], q
        defined = [c for c in column if c is not None]
        assert np.allclose(res[q][~np.isnan(res[q])], defined, rtol=1e-12, atol=1e-16), q
    assert np.isfinite(res["P"]).all()
    # η is defined only where the device is an engine, COP only where it refrigerates.
    assert not (~np.isnan(res["eta"]) & ~np.isnan(res["cop"])).any()


def test_pandas(icc):
    pd = pytest.importorskip("pandas")
    frame = icc.sweep(["J_N^l", "regime"], eps_b=np.linspace(-1, 1, 3), kappa_c=[0.0, 1.0]).to_pandas()
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ["eps_b", "kappa_c", "J_N^l", "regime"]
    assert len(frame) == 6


def test_cli_sweep_csv_reads_in_one_pandas_call(icc, tmp_path):
    """docs/sweeps-and-figures.md: a `qct sweep` CSV (metadata lines start with #) loads with
    pd.read_csv(path, comment="#"), and its numbers equal the Python API's at the same
    points; a point recorded as failed (--on-error record) reads as an empty (NaN) cell."""
    import subprocess

    pd = pytest.importorskip("pandas")
    path = tmp_path / "sweep.csv"
    grid = ["--vary", "eps_b=-1:1:3", "--vary", "kappa_c=0,1", "--quantity", "J_N^l,L_NE"]
    with open(path, "w") as out:
        subprocess.run([qct.qct_binary(), "sweep", "icc", *grid], stdout=out, check=True)
    frame = pd.read_csv(path, comment="#")
    assert list(frame.columns) == ["eps_b", "kappa_c", "J_N^l", "L_NE"]
    assert len(frame) == 6 and frame.dtypes.map(lambda d: d.kind in "if").all()  # axes 0, 1 read as int
    reference = icc.sweep(["J_N^l", "L_NE"], eps_b=np.linspace(-1, 1, 3), kappa_c=[0.0, 1.0])
    for name in ["J_N^l", "L_NE"]:
        assert np.allclose(frame[name].to_numpy(), reference[name].ravel(), rtol=1e-12, atol=0)
    failing = tmp_path / "failing.csv"
    with open(failing, "w") as out:
        status = subprocess.run(
            [qct.qct_binary(), "sweep", "icc", "--vary", "T_l=-1,1", "--quantity", "J_N^l", "--on-error", "record"],
            stdout=out,
            stderr=subprocess.DEVNULL,
        ).returncode
    assert status == 3
    frame = pd.read_csv(failing, comment="#")
    assert list(frame.columns) == ["T_l", "J_N^l", "error"]
    assert np.isnan(frame["J_N^l"][0]) and "T_l" in frame["error"][0]
    assert np.isfinite(frame["J_N^l"][1]) and pd.isna(frame["error"][1])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda m: m.solve(nope=1.0), "has no parameter 'nope'"),
        (lambda m: m.solve(eps_bb=1.0), "did you mean 'eps_b'"),
        (lambda m: m.solve(T_l=-1.0), "T_l"),
        (lambda m: m.solve(eps_b=float("nan")), "finite"),
        (lambda m: m.solve(eps_b=float("inf")), "finite"),
        (lambda m: m.solve(eps_b="abc"), "not a number"),
        (lambda m: m.solve(eps_b=[1.0, 2.0]), "Model.sweep"),
        (lambda m: m.onsager(representation="entropy"), "representation"),
        (lambda m: m.onsager(references=["energy=zz"]), "zz"),
        (lambda m: m.sweep(["J_N^q"], eps_b=[0.0]), "unknown quantity"),
        (lambda m: m.sweep(["J_N^l"], eps_b=[0.0, np.nan]), "eps_b=NaN"),
        (lambda m: m.sweep(["J_N^l"], T_l=[1.0, -1.0]), "T_l=-1"),
        (lambda m: m.sweep(["J_N^l"], eps_b=np.zeros(2), kappa_c=np.zeros(3), outer=False), "broadcast"),
        (lambda m: m.sweep(["J_N^l"], eps_b=np.array(["a"])), "dtype"),
        (lambda m: qct.Model.builtin("nosuch"), "built-in models are"),
        (lambda m: qct.Model.from_json({"name": "x"}), "missing field `parameters`"),
    ],
)
def test_bad_input_is_value_error(icc, call, message):
    with pytest.raises(ValueError) as info:
        call(icc)
    text = str(info.value)
    assert message in text and "\n" not in text


def test_physics_failure_is_solver_error():
    sqd = qct.Model.builtin("sqd")
    with pytest.raises(qct.SolverError, match="not unique"):
        sqd.solve(gamma_l=0.0, gamma_r=0.0)
    with pytest.raises(qct.SolverError, match="at gamma_l=0"):
        sqd.sweep(["J_N^l"], gamma_l=[1.0, 0.0], gamma_r=0.0, outer=False)
    assert issubclass(qct.SolverError, RuntimeError)


def test_no_non_finite_results_at_extreme_points():
    """Far from the scale of T the Fermi functions saturate: every number qct returns is
    still finite (or an error), never NaN or inf."""
    cqd = qct.Model.builtin("cqd")
    eps = np.concatenate([-np.logspace(0, 3, 13), np.logspace(0, 3, 13)])
    res = cqd.sweep(["J_N^l", "J_E^u", "sigma", "L_1_1", "L_2_3"], eps_b=eps, T_l=[0.05, 1.0, 50.0])
    for name in res.quantities:
        assert np.isfinite(res[name]).all(), name


def test_sweep_runs_without_the_gil():
    """Another Python thread runs while a sweep computes (the GIL is released)."""
    cqd = qct.Model.builtin("cqd")
    done = threading.Event()
    ticks = []

    def count():
        while not done.is_set():
            ticks.append(1)

    thread = threading.Thread(target=count)
    thread.start()
    cqd.sweep(["J_N^l"], eps_b=np.linspace(-2, 2, 200_000))
    done.set()
    thread.join()
    assert len(ticks) > 1000
