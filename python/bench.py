"""Throughput of qct through Python on a 10^6-point grid, beside `qct bench`.

    python python/bench.py            # Python figures, then `qct bench --no-symbolic`
    python python/bench.py --no-cli   # Python figures only

Measures, for the cqd model on a 1000 x 1000 grid of (eps_b, kappa), wall-clock medians of
three runs of ``Model.sweep`` (rayon on all cores, GIL released):
* steady states/s: the nonlinear steady state and the currents of every lead (``J_N^l``);
* Onsager matrices/s: the full 3 x 3 L at the equilibrium of each point (all nine entries).
Targets of the Python issue: >= 1e6 steady states/s and >= 3e5 Onsager matrices/s on 2 cores.
"""

import os
import statistics
import subprocess
import sys
import time

import numpy as np

# Import the installed package, not the source folder qct/ beside this script (it lacks
# the compiled core).
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != _here]
import qct  # noqa: E402


def median_seconds(run, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    m = qct.Model.builtin("cqd")
    eps_b = np.linspace(-2, 2, 1000)
    kappa = np.linspace(-1, 3, 1000)
    points = eps_b.size * kappa.size
    onsager = [f"L_{i}_{j}" for i in range(1, 4) for j in range(1, 4)]
    check = m.sweep(["J_N^l"] + onsager, eps_b=eps_b[:3], kappa=kappa[:2])
    assert all(np.isfinite(v).all() for v in check.values())
    steady = median_seconds(lambda: m.sweep(["J_N^l"], eps_b=eps_b, kappa=kappa))
    linear = median_seconds(lambda: m.sweep(onsager, eps_b=eps_b, kappa=kappa))
    cores = os.cpu_count()
    print(f"qct through Python ({points:.0e}-point cqd grid, {cores} cores, medians of 3):")
    print(f"  steady state + currents   {points / steady:.3e} points/s   (target >= 1e6)")
    print(f"  Onsager matrix (3 x 3)    {points / linear:.3e} matrices/s (target >= 3e5)")
    sys.stdout.flush()
    if "--no-cli" not in sys.argv:
        print("beside `qct bench --no-symbolic`:")
        sys.stdout.flush()
        subprocess.run([qct.qct_binary(), "bench", "--no-symbolic"], check=True)


if __name__ == "__main__":
    main()
