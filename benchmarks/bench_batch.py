"""`--each`, per point, against a torch loop doing the same: read a JSON line, make the tensor,
evaluate, backward, write a JSON line.

    python benchmarks/bench_batch.py            # the numbers for README (a few minutes)
    python benchmarks/bench_batch.py --quick    # fewer points and rounds

Both are whole processes, run on POINTS lines and on one line, round-robin; a point costs the
difference divided by POINTS - 1, so neither start-up (torch's import is a second) is counted.
Goal (issue 15, item 6): adcli at least as fast per point as the torch loop.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

from timing import ADCLI, load, round_robin

FORMULA = "log(x*x)·sin(x)+1/x"
TORCH_LOOP = """
import json, sys
import torch
out = sys.stdout
for number, line in enumerate(open(sys.argv[1]), start=1):
    x = torch.tensor(json.loads(line)["x"], dtype=torch.float64, requires_grad=True)
    y = torch.dot(torch.log(x * x), torch.sin(x)) + 1 / x
    y.backward(torch.ones_like(y))
    out.write(json.dumps({"value": y.detach().tolist(), "gradient": {"x": x.grad.tolist()},
                          "line": number}) + "\\n")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 points, 3 rounds")
    args = parser.parse_args()
    # Enough points that start-up's noise is small per point: torch's import (about 2 s) varies
    # by a tenth of a second from run to run, ±50 µs a point at 2,000 points, ±5 at 20,000.
    points, rounds = (2000, 3) if args.quick else (20000, 5)
    if importlib.util.find_spec("torch") is None:
        sys.exit("torch is not installed: nothing to compare with")
    folder = Path(tempfile.mkdtemp())
    rng = np.random.default_rng(0)
    lines = [json.dumps({"x": rng.uniform(0.5, 3.0, 5).tolist()}) + "\n" for _ in range(points)]
    (folder / "many.jsonl").write_text("".join(lines), encoding="utf-8")
    (folder / "one.jsonl").write_text(lines[0], encoding="utf-8")
    commands = {}
    for size in ("many", "one"):
        data = str(folder / f"{size}.jsonl")
        commands[f"adcli grad --each ({size})"] = [ADCLI, "grad", FORMULA, "--each", data]
        commands[f"torch loop ({size})"] = [sys.executable, "-c", TORCH_LOOP, data]
    rows = round_robin(commands, rounds)

    def per_point(who: str, times: str) -> float:
        many, one = getattr(rows[f"{who} (many)"], times), getattr(rows[f"{who} (one)"], times)
        return (statistics.median(many) - statistics.median(one)) / (points - 1)

    print(f"{FORMULA}, x of 5 elements, {points} points, {rounds} rounds, load {load()}")
    for times in ("wall", "cpu"):
        ours, theirs = per_point("adcli grad --each", times), per_point("torch loop", times)
        print(f"  {times:4}: adcli {ours * 1e6:7.0f} µs a point, torch loop {theirs * 1e6:7.0f} µs"
              f" a point: {ours / theirs:.2f}x")
    ratio = per_point("adcli grad --each", "wall") / per_point("torch loop", "wall")
    print(f"  goal: --each at least as fast per point as a torch loop: "
          f"{'met' if ratio <= 1 else 'NOT met'} ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
