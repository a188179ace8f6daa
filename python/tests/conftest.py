"""Shared helpers: the qct CLI (the same executable qct.derive uses) as the reference."""

import json
import subprocess

import pytest

import qct

BUILTINS = ["sqd", "cqd", "sb", "icc", "anderson"]


def cli(*arguments, stdin=None):
    """JSON output of `qct ARGUMENTS --format json` (exit status 0 required)."""
    result = subprocess.run(
        [qct.qct_binary(), *arguments, "--format", "json"],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sets(params):
    """`--set NAME=VALUE` arguments (repr: the shortest round-trip decimal)."""
    out = []
    for name, value in params.items():
        out += ["--set", f"{name}={value!r}"]
    return out


def points(model):
    """Several points of a built-in model: the defaults and three moves of its first
    energies, temperatures and chemical potentials (deterministic)."""
    params = model.parameters
    energies = [n for n, p in params.items() if p.role == "energy"]
    temperatures = [n for n, p in params.items() if p.role == "temperature"]
    potentials = [n for n, p in params.items() if p.role == "chemical potential"]
    out = [{}]
    for k, shift in enumerate([-0.7, 0.35, 1.3]):
        point = {energies[k % len(energies)]: params[energies[k % len(energies)]].default + shift}
        point[temperatures[k % len(temperatures)]] = 0.8 + 0.4 * k
        point[potentials[(k + 1) % len(potentials)]] = -0.1 * k
        out.append(point)
    return out


@pytest.fixture(params=BUILTINS)
def builtin(request):
    return qct.Model.builtin(request.param)
