"""`adcli compare`: forward and reverse mode on the same formula, side by side (and beside
them the symbolic derivative's size and central differences' error: adcli.calculations.swell).

Both compute the whole Jacobian. Forward mode takes one pass per input element and records
nothing; reverse mode records f once and takes one backward pass per output element. The
bill of each: passes, primitives evaluated and derivative rules applied (measured by the
engine), the tape, the best wall time of a few runs, and how far apart the two results are.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from adcli.calculations.matrices import Passes, jacobian_of
from adcli.calculations.objective import Objective
from adcli.calculations.point import Answer, Point
from adcli.calculations.swell import Numeric, Symbolic, numeric, symbolic
from adcli.engine import Tensor, make_leaf, no_grad, toposort
from adcli.engine.tensor import rules_applied
from adcli.functional import jvp


SMALLER = "compare computes the whole Jacobian both ways: try a smaller input"


@dataclass(frozen=True)
class Cost:
    """What one mode took to compute the whole Jacobian."""

    passes: Passes
    primitives: int  # primitive values computed on the way forward (f's, once per pass)
    rules: int  # derivative rules applied: JVP rules going forward, VJP rules going back
    tape_nodes: int  # nodes recorded for a backward pass (forward mode records none)
    tape_bytes: int  # the values those nodes hold
    seconds: float  # the best wall time of `runs` runs
    runs: int = 1

    @property
    def operations(self) -> int:
        return self.primitives + self.rules


@dataclass(frozen=True, eq=False)
class Comparison(Answer):
    wrt: tuple[str, ...]
    inputs: int  # n: the elements of the differentiated variables
    outputs: int  # m: the elements of f
    forward: Cost
    reverse: Cost
    max_difference: float  # the largest |forward - reverse| where both are finite
    mismatched: int  # entries that are nan or ±inf in one mode and not the same in the other
    symbolic: Symbolic  # the third way: the derivative as a formula (adcli diff)
    numeric: Numeric  # the fourth: central differences, and their error

    @property
    def winner(self) -> str:
        """By passes: one per input for forward mode, one per output for reverse mode."""
        if self.inputs == self.outputs:
            return "neither"
        return "forward" if self.inputs < self.outputs else "reverse"


def timing_runs(first: float) -> int:
    """How many runs to time (the best counts), given the first: more when they are cheap."""
    return 5 if first < 0.1 else 3 if first < 1.0 else 1


def compare(point: Point, wrt: Sequence[str] | None = None) -> Comparison:
    objective = Objective(point, wrt)
    costs, results = {}, {}
    leaves = [make_leaf(np.array(point.at[name])).requires_grad_() for name in objective.wrt]
    evaluated, *reverse_tape = _recorded(objective.function(*objective.wrt)(*leaves))
    tapes = {"forward": _forward_tape(objective), "reverse": reverse_tape}
    for mode in ("forward", "reverse"):
        rules_before = rules_applied()
        started = time.perf_counter()
        results[mode] = jacobian_of(objective, mode, batched=False, hint=SMALLER)
        best = time.perf_counter() - started
        rules = rules_applied() - rules_before
        runs = timing_runs(best)
        for _ in range(runs - 1):
            started = time.perf_counter()
            jacobian_of(objective, mode, batched=False, hint=SMALLER)
            best = min(best, time.perf_counter() - started)
        passes = results[mode].passes
        costs[mode] = Cost(passes, passes.forward * evaluated, rules, *tapes[mode], best, runs)
    difference, mismatched = _difference(
        [results["forward"].blocks[n] for n in objective.wrt],
        [results["reverse"].blocks[n] for n in objective.wrt])
    return Comparison(point, objective.value, objective.run, objective.wrt, objective.inputs,
                      objective.value.size, costs["forward"], costs["reverse"], difference,
                      mismatched, symbolic(point, objective.wrt),
                      numeric(objective, results["reverse"]))


def _forward_tape(objective: Objective) -> list[int]:
    """The nodes (and bytes) one forward pass leaves recorded: none, as it runs under no_grad."""
    for name in objective.wrt:
        at = objective.point.at[name]
        if at.size:
            seed = np.zeros_like(at)
            seed.flat[0] = 1
            with no_grad():
                value, _ = jvp(objective.function(name), (make_leaf(at),), (seed,))
            return _recorded(value)[1:]
    return [0, 0]


def _recorded(out: Tensor | np.ndarray) -> list[int]:
    """What a pass through f left recorded behind its output: the primitives evaluated, and the
    nodes (and bytes) a backward pass would walk, those that depend on a differentiated
    variable."""
    evaluated, seen, stack = 0, set(), [out]
    while stack:
        node = stack.pop()
        if type(node) is not Tensor or id(node) in seen:
            continue
        seen.add(id(node))
        if node.op is not None:
            evaluated += 1
            stack.extend(node.inputs)
    tape = [node for node in toposort(out) if node.op is not None] if type(out) is Tensor else []
    return [evaluated, len(tape), sum(node.data.nbytes for node in tape)]


def _difference(a: list[np.ndarray], b: list[np.ndarray]) -> tuple[float, int]:
    largest, mismatched = 0.0, 0
    for x, y in zip(a, b):
        finite = np.isfinite(x) & np.isfinite(y)
        if finite.any():
            largest = max(largest, float(np.max(np.abs(x[finite] - y[finite]))))
        same = (x == y) | (np.isnan(x) & np.isnan(y))
        mismatched += int(np.count_nonzero(~finite & ~same))
    return largest, mismatched
