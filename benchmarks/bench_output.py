"""Large arrays, whole processes: --json against the text output of the same run, the notebook's
formula at n = 10^7 against the gradient written by hand with numpy, and JSON writers compared.

    python benchmarks/bench_output.py            # the numbers for README (a few minutes)
    python benchmarks/bench_output.py --quick    # smaller sizes, fewer rounds

(a) `adcli grad F --at x=linspace(0.1, 10, n) --json` against the same without --json, n = 10^6:
    goal --json no slower (issue 15, item 4);
(b) the notebook's dot(log(x*x), sin(x)) + 1/x at n = 10^7, value and gradient, as `adcli grad`
    (text output) and as a numpy script that computes both by hand and prints their ends: goal
    no slower, peak memory at most 1.3x (item 5);
(c) in this process, a million float64 written as JSON: the json module (adcli's reference
    text), orjson with json_numbers.py's Python text for numbers below 1e-4 (what adcli uses),
    orjson and ujson as they come, each with whether its text is byte for byte the reference.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from timing import ADCLI, load, round_robin, table

NOTEBOOK = "dot(log(x*x), sin(x)) + 1/x"
BY_HAND = """
import sys
import numpy as np
n = int(sys.argv[1])
x = np.linspace(0.1, 10.0, n)
s, log_x2 = np.sin(x), np.log(x * x)
y = np.dot(log_x2, s) + 1 / x
g = np.ones_like(x)
grad = g.sum() * (2 * s / x + log_x2 * np.cos(x)) - g / (x * x)
print(y[:3], y[-3:], grad[:3], grad[-3:])
"""


def adcli_grad(n: int, *extra: str) -> list[str]:
    return [ADCLI, "grad", NOTEBOOK, "--at", f"x=linspace(0.1, 10, {n})", *extra]


def json_writers(n: int) -> list[str]:
    import orjson

    from adcli.views import json_numbers

    values = np.random.default_rng(0).normal(size=n) * 10.0 ** np.random.default_rng(1) \
        .integers(-8, 8, size=n)
    writers = {
        "json module (tolist, repr of each float)": lambda: json.dumps(values.tolist()),
        "orjson + json_numbers' fixes (adcli)": lambda: json_numbers.text(values),
        "orjson as it comes": lambda: orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY)
        .decode(),
    }
    try:
        import ujson

        writers["ujson as it comes"] = lambda: ujson.dumps(values.tolist())
    except ImportError:
        pass
    reference = writers["json module (tolist, repr of each float)"]()
    lines = []
    for name, write in writers.items():
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            text = write()
            best = min(best, time.perf_counter() - start)
        lines.append(f"  {name:48}{best * 1e3:9.1f} ms   byte-identical: "
                     f"{'yes' if text == reference else 'no'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="n / 10 and 3 rounds")
    args = parser.parse_args()
    scale, rounds = (10, 3) if args.quick else (1, 7)
    n_json, n_large = 10**6 // scale, 10**7 // scale

    print(f"(a) --json against text output, n = {n_json:,}, {rounds} rounds")
    rows = round_robin({"adcli grad (text)": adcli_grad(n_json),
                        "adcli grad --json": adcli_grad(n_json, "--json")}, rounds)
    print("\n".join(table(rows, "adcli grad (text)")))
    ratio = rows["adcli grad --json"].median / rows["adcli grad (text)"].median
    print(f"  goal: --json no slower than text: {ratio:.2f}x -> "
          f"{'met' if ratio <= 1.0 else 'NOT met'}")

    print(f"\n(b) {NOTEBOOK} at n = {n_large:,}, value and gradient, {rounds} rounds")
    rows = round_robin({"numpy, gradient written by hand": [sys.executable, "-c", BY_HAND,
                                                             str(n_large)],
                        "adcli grad (text output)": adcli_grad(n_large)}, rounds)
    print("\n".join(table(rows, "numpy, gradient written by hand", memory=True)))
    hand, ours = rows["numpy, gradient written by hand"], rows["adcli grad (text output)"]
    time_ratio, memory_ratio = ours.median / hand.median, ours.peak / hand.peak
    print(f"  goal: no slower: {time_ratio:.2f}x -> {'met' if time_ratio <= 1 else 'NOT met'}")
    print(f"  goal: peak memory <= 1.3x: {memory_ratio:.2f}x -> "
          f"{'met' if memory_ratio <= 1.3 else 'NOT met'}")

    print(f"\n(c) {n_json:,} float64 of every magnitude as JSON text, in this process (best of 3)")
    print("\n".join(json_writers(n_json)))
    print(f"\nload average at end: {load()}")


if __name__ == "__main__":
    main()
