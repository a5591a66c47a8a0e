"""Derivative matrices and batches, adcli against torch: Jacobians and Hessians at n = 10, 100
and 300, and `--each` against a torch loop.

    python benchmarks/bench_derivatives.py            # the numbers for README (about a minute)
    python benchmarks/bench_derivatives.py --quick    # fewer runs (a smoke test)
    python benchmarks/bench_derivatives.py --json     # the same results as one JSON object

(a) the Jacobian of sin(A @ x), A a fixed random n×n matrix: adcli's reverse mode (one batched
    backward pass seeded with the identity) and forward mode (one batched forward pass),
    against torch.autograd.functional.jacobian as it comes (a Python loop of n backward
    passes) and with vectorize=True (one batched backward pass through vmap);
(b) the Hessian of logsumexp(x) + dot(x, x)^2: adcli's forward-over-reverse (the gradient
    recorded once, then one batched forward sweep through it) and reverse-over-reverse,
    against torch.autograd.functional.hessian as it comes and with vectorize=True.
(c) (bench_batch.py) `--each`, per point, against a torch loop.

The goal: adcli no slower than torch's vectorize=True, at every n. Each contender runs in a process of its own
(torch's thread pool and heap must not be charged to the next contender), in float64, torch
with its own number of threads unless --torch-threads says otherwise. The results are checked
against each other once, before anything is timed. Medians of wall time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

HERE = Path(__file__).resolve()
SIZES = (10, 100, 300)
N = int(__import__("os").environ.get("ADCLI_BENCH_N", "100"))  # set per child process


def inputs() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(size=(N, N)) / np.sqrt(N), rng.normal(size=N)


# -- the contenders: each returns a function of no arguments that computes the matrix -------


def adcli_jacobian(mode: str) -> Callable[[], Any]:
    import adcli as ad

    a, x = inputs()
    jacobian = ad.jacobian(lambda x: ad.sin(a @ x), mode=mode)
    return lambda: jacobian(x).numpy()


def torch_jacobian(vectorize: bool) -> Callable[[], Any]:
    import torch

    a, x = (torch.tensor(v) for v in inputs())
    return lambda: torch.autograd.functional.jacobian(lambda x: torch.sin(a @ x), x,
                                                      vectorize=vectorize).numpy()


def adcli_hessian(mode: str) -> Callable[[], Any]:
    import adcli as ad

    _, x = inputs()
    hessian = ad.hessian(lambda x: ad.logsumexp(x) + ad.dot(x, x) ** 2, mode=mode)
    return lambda: hessian(x).numpy()


def torch_hessian(vectorize: bool) -> Callable[[], Any]:
    import torch

    x = torch.tensor(inputs()[1])
    return lambda: torch.autograd.functional.hessian(
        lambda x: torch.logsumexp(x, 0) + torch.dot(x, x) ** 2, x, vectorize=vectorize).numpy()


BENCHMARKS: dict[str, dict[str, Callable[[], Callable[[], Any]]]] = {
    "jacobian": {
        "adcli, reverse mode": lambda: adcli_jacobian("reverse"),
        "adcli, forward mode": lambda: adcli_jacobian("forward"),
        "torch jacobian (default)": lambda: torch_jacobian(False),
        "torch jacobian, vectorize=True": lambda: torch_jacobian(True),
    },
    "hessian": {
        "adcli, forward-over-reverse": lambda: adcli_hessian("forward-over-reverse"),
        "adcli, reverse-over-reverse": lambda: adcli_hessian("reverse-over-reverse"),
        "torch hessian (default)": lambda: torch_hessian(False),
        "torch hessian, vectorize=True": lambda: torch_hessian(True),
    },
}
TITLES = {"jacobian": "(a) Jacobian of sin(A @ x), A n×n",
          "hessian": "(b) Hessian of logsumexp(x) + dot(x, x)^2"}
REFERENCE = {"jacobian": "torch jacobian, vectorize=True",
             "hessian": "torch hessian, vectorize=True"}


# -- timing ----------------------------------------------------------------------------------


def worker(benchmark: str, contender: str, runs: int, warmups: int, threads: int) -> None:
    """In a child process: time one contender, print its wall times as JSON."""
    if contender.startswith("torch") and threads:
        import torch

        torch.set_num_threads(threads)
    run = BENCHMARKS[benchmark][contender]()
    for _ in range(warmups):
        run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    print(json.dumps(times))


def time_in_child(benchmark: str, contender: str, runs: int, warmups: int,
                  threads: int, n: int) -> list[float]:
    argv = [sys.executable, str(HERE), "--worker", benchmark, contender, str(runs), str(warmups),
            str(threads)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False,
                          env={**__import__("os").environ, "ADCLI_BENCH_N": str(n)})
    if done.returncode != 0:
        sys.exit(f"{benchmark} / {contender} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def check(benchmark: str, n: int) -> float:
    """The largest difference between any contender's matrix and torch's default one."""
    global N
    N = n
    results = {name: make()() for name, make in BENCHMARKS[benchmark].items()}
    reference = results[REFERENCE[benchmark]]
    return max(float(np.max(np.abs(r - reference))) for r in results.values())


def duration(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="torch.set_num_threads (default: torch's own choice)")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        benchmark, contender, runs, warmups, threads = args.worker
        worker(benchmark, contender, int(runs), int(warmups), int(threads))
        return
    runs, warmups = (5, 1) if args.quick else (21, 3)
    report: dict[str, Any] = {"runs": runs, "sizes": list(SIZES),
                              "torch_threads": args.torch_threads, "benchmarks": {}}
    for benchmark, contenders in BENCHMARKS.items():
        for n in SIZES:
            difference = check(benchmark, n)
            if difference > 1e-9:
                sys.exit(f"{benchmark} at n = {n}: the contenders disagree by {difference:.3g}")
            # round-robin: each round times every contender once (in its own process)
            timed: dict[str, list[float]] = {name: [] for name in contenders}
            for _ in range(1 if args.quick else 3):
                for name in contenders:
                    timed[name] += time_in_child(benchmark, name, runs if args.quick
                                                 else runs // 3, warmups, args.torch_threads, n)
            medians = {name: statistics.median(times) for name, times in timed.items()}
            reference = medians[REFERENCE[benchmark]]
            report["benchmarks"][f"{benchmark}, n = {n}"] = {
                "title": f"{TITLES[benchmark]}, n = {n}", "max_difference": difference,
                "results": {name: {"median": m, "min": min(timed[name]), "ratio": m / reference}
                            for name, m in medians.items()},
            }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    threads = args.torch_threads or "torch's default number of"
    print(f"{runs} runs each in processes of their own (after {warmups} warm-ups), {threads} "
          "threads for torch; medians; ratio = median ÷ torch's vectorize=True")
    for section in report["benchmarks"].values():
        print(f"\n{section['title']}  (all agree within {section['max_difference']:.1e})")
        for name, row in section["results"].items():
            print(f"  {name:34s} {duration(row['median']):>10s}   min {duration(row['min']):>10s}"
                  f"   {row['ratio']:.2f}×")


if __name__ == "__main__":
    main()
