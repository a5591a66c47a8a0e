"""adcli diff against sympy, side by side in one run (issue 12's goals).

For a fixed set of formulas (calculus exercises, the notebook's, machine-learning losses):

- size: sympy's count_ops of adcli's derivative (its printed formula rebuilt in sympy as
  written, unevaluated), of sympy.diff's, and of sympy.simplify(sympy.diff(…))'s; every
  variable's partial derivative counted together;
- time: a whole process per formula, as a user runs it: `adcli diff F --plain` against
  `python -c "import sympy; … sympy.diff(…)"` (and with simplify), each the median of --runs,
  both from compiled bytecode (see ENV).

Goals: median size ≤ sympy.diff's; no formula above 1.5× sympy's simplified size; time per
formula below sympy's. Run by hand (needs sympy): python benchmarks/bench_diff.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # the sympy bridge the oracle tests use

FORMULAS = [
    # calculus exercises
    "3*x^4 - 2*x^3 + x - 7", "x^2*sin(x)", "sin(x)*cos(x)", "x/(1 + x^2)", "(x^2 + 1)/(x - 1)",
    "sqrt(x^2 + 1)", "exp(-x^2/2)", "sin(x)/x", "tan(x)^2", "1/x - 1/x^2", "x*exp(x)*sin(x)",
    "log(x^2 + 1)", "atan(y/x)", "x^x", "(x + 1)^3*(x - 1)^2", "sqrt(1 - x^2)/x",
    "exp(x)/(1 + exp(x))", "cos(x)^3", "sin(2*x)*cos(3*x)", "x*log(x) - x", "asin(x/2)",
    "1/sqrt(x^2 + y^2)", "x^2*y + x*y^2", "exp(x*y)*sin(x + y)", "log(sin(x))",
    "sqrt(x + sqrt(x))", "(2*x + 1)/(3*x - 2)", "x^3*exp(-x)", "sinh(x)*cosh(x)",
    "tanh(x)^2", "log(cos(x))", "x^(1/3)", "1/(1 + exp(-x))", "exp(sin(x))",
    "(x^2 - 1)/(x^2 + 1)", "x*sqrt(1 - x^2)", "atan(x^2)", "log(x + sqrt(x^2 + 1))",
    "sin(x)^2 + cos(x)^2", "exp(-x)*cos(x)", "x^2/(x^2 + y^2)", "log(x*y)", "x/y + y/x",
    "sin(x*y)", "(x - y)^2/(x + y)",
    # the notebook's, as numbers
    "2*x*x", "x", "x*x", "sin(x)", "log(x*x)*sin(x) + 1/x",
    # machine-learning losses, as numbers
    "log(1 + exp(-y*w*x))", "-(y*log(sigmoid(w*x)) + (1 - y)*log(1 - sigmoid(w*x)))",
    "(w*x + b - y)^2", "0.5*((x - m)/s)^2 + log(s)", "log(exp(a) + exp(b))",
    "exp(a)/(exp(a) + exp(b))", "-log(exp(a)/(exp(a) + exp(b)))", "softplus(w*x + b)",
    "tanh(w*x + b)", "sigmoid(w*x + b)*(1 - sigmoid(w*x + b))", "(sigmoid(w*x) - y)^2",
    "log(cosh(x - y))", "sqrt((x - y)^2 + 1) - 1", "relu(w*x + b)", "abs(x - y)",
]


# Both sides run as installed programs do: from compiled bytecode. An editable install under
# PYTHONDONTWRITEBYTECODE=1 would compile adcli's sources in every process (sympy's installed
# .pyc files exist), so the bytecode of both goes to a cache outside the tree, warmed first.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "adcli-bench-pycache")


def _median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=ENV)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"{command}: {done.stderr}")
    return statistics.median(times)


def program(expression: str, names: list[str], simplify: bool) -> str:
    parts = [f"sp.diff(f, s[{n!r}])" for n in names]
    if simplify:
        parts = [f"sp.simplify({p})" for p in parts]
    symbols = ", ".join(f"{n!r}: sp.Symbol({n!r}, real=True)" for n in names)
    return ("import sympy as sp\n"
            f"s = {{{symbols}}}\n"
            f"f = sp.sympify({expression!r}, locals=s)\n"
            f"print([{', '.join(parts)}])\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import sympy as sp

    from adcli.calculations import derivative
    from adcli.language.parser import parse
    from sympy_oracle import to_sympy

    adcli = [str(Path(sys.executable).parent / "adcli")]
    _median_seconds([*adcli, "diff", "x^2*sin(x)", "--plain"], 1)  # the bytecode caches
    _median_seconds([sys.executable, "-c", program("x**2", ["x"], True)], 1)
    rows = []
    for text in FORMULAS:
        formula = parse(text)
        names = list(formula.variables)
        symbols: dict[str, object] = {}
        f = to_sympy(text, sp, symbols)
        ours = derivative(formula).partials
        ours_size = sum(sp.count_ops(to_sympy(p.text, sp, dict(symbols), evaluated=False))
                        for p in ours)
        theirs = [sp.diff(f, symbols[n]) for n in names]
        diff_size = sum(sp.count_ops(d) for d in theirs)
        simple_size = sum(sp.count_ops(sp.simplify(d)) for d in theirs)
        expression = str(f)
        t_adcli = _median_seconds([*adcli, "diff", text, "--plain"], args.runs)
        t_diff = _median_seconds([sys.executable, "-c", program(expression, names, False)],
                                 args.runs)
        t_simple = _median_seconds([sys.executable, "-c", program(expression, names, True)],
                                   args.runs)
        rows.append((text, ours_size, diff_size, simple_size, t_adcli, t_diff, t_simple))
        print(f"{text:60} size {ours_size:3} / {diff_size:3} / {simple_size:3}   "
              f"time {t_adcli * 1e3:6.0f} / {t_diff * 1e3:6.0f} / {t_simple * 1e3:6.0f} ms",
              flush=True)

    def ratio(a: float, b: float) -> float:
        return a / b if b else (1.0 if a == b else float("inf"))

    size_vs_diff = [ratio(r[1], r[2]) for r in rows]
    size_vs_simple = [ratio(r[1], r[3]) for r in rows]
    time_vs_diff = [r[4] / r[5] for r in rows]
    time_vs_simple = [r[4] / r[6] for r in rows]
    worst = max(rows, key=lambda r: ratio(r[1], r[3]))
    print()
    print(f"{len(rows)} formulas, {args.runs} runs each, load average "
          f"{os.getloadavg()[0]:.1f}; ratios are adcli ÷ sympy")
    print("| measure | median | max | goal |")
    print("|---|---|---|---|")
    print(f"| size ÷ sympy.diff's | {statistics.median(size_vs_diff):.2f}× | "
          f"{max(size_vs_diff):.2f}× | median ≤ 1× |")
    print(f"| size ÷ sympy.simplify(sympy.diff)'s | {statistics.median(size_vs_simple):.2f}× | "
          f"{max(size_vs_simple):.2f}× (`{worst[0]}`) | max ≤ 1.5× |")
    print(f"| time ÷ sympy.diff's, whole process | {statistics.median(time_vs_diff):.2f}× | "
          f"{max(time_vs_diff):.2f}× | < 1× |")
    print(f"| time ÷ sympy.simplify(sympy.diff)'s, whole process | "
          f"{statistics.median(time_vs_simple):.2f}× | {max(time_vs_simple):.2f}× | < 1× |")
    print(f"median whole-process time per formula: adcli "
          f"{statistics.median(r[4] for r in rows) * 1e3:.0f} ms, sympy.diff "
          f"{statistics.median(r[5] for r in rows) * 1e3:.0f} ms, with simplify "
          f"{statistics.median(r[6] for r in rows) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
