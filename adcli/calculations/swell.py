"""The two ways of differentiating that `compare` sets beside forward and reverse mode: the
symbolic derivative (how big its formula is) and central differences (how far off they are),
and the demo of expression swell that shows why automatic differentiation exists.

Differentiating sin(sin(…sin(x)…)) nested k deep by the chain rule gives a product of k
cosines, the j-th holding sin nested j deep: written out, the formula grows as k², where reverse
mode's tape holds k nodes. Sharing repeated parts (`where u = …`) brings the formula back to k:
a symbolic derivative that shares its parts *is* a tape.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from adcli.calculations.check import central_differences
from adcli.calculations.diff import derivative, expressions
from adcli.calculations.matrices import Jacobian
from adcli.calculations.objective import Objective
from adcli.calculations.point import Point
from adcli.errors import ComputeError
from adcli.language.parser import parse
from adcli.symbolic.walk import postorder

MAX_DEPTH = 2_000


@dataclass(frozen=True)
class Symbolic:
    """The derivative as a formula (adcli diff), or why there is none."""

    operations: int | None  # of the derivatives written out, all variables together
    function_operations: int | None  # of f itself
    seconds: float
    reason: str | None = None  # why there is no formula (an array's Hessian block, …)


@dataclass(frozen=True)
class Numeric:
    """The Jacobian by central differences, against reverse mode's."""

    evaluations: int  # of f: two per input element
    step: float  # h = step·max(1, |x_k|)
    max_error: float  # the largest |numeric - reverse| where both are finite
    seconds: float


def symbolic(point: Point, wrt: Sequence[str]) -> Symbolic:
    started = time.perf_counter()
    try:
        found = derivative(point.formula, point, wrt)
    except ComputeError as error:
        return Symbolic(None, None, time.perf_counter() - started, error.message)
    return Symbolic(sum(p.operations for p in found.partials), found.function_operations,
                    time.perf_counter() - started)


def numeric(objective: Objective, reverse: Jacobian) -> Numeric:
    started = time.perf_counter()
    step = float(np.finfo(objective.point.dtype).eps ** (1 / 3))
    largest = 0.0
    for name in objective.wrt:
        found = central_differences(objective, name, step)
        exact = reverse.blocks[name]
        both = np.isfinite(found) & np.isfinite(exact)
        if both.any():
            largest = max(largest, float(np.max(np.abs(found[both] - exact[both]))))
    return Numeric(2 * objective.inputs, step, largest, time.perf_counter() - started)


@dataclass(frozen=True)
class SwellRow:
    depth: int  # k: sin nested k deep
    written: int  # operations in the derivative written out
    shared: int  # distinct nodes of the derivative's graph (its repeated parts shared)
    tape: int  # nodes reverse mode records for f (and VJP rules it applies going back)


@dataclass(frozen=True)
class Swell:
    depth: int
    rows: tuple[SwellRow, ...]


def depths(k: int) -> list[int]:
    """1, 2, 4, 8, … and k itself: the growth shows on a doubling scale."""
    out, d = [], 1
    while d < k:
        out.append(d)
        d *= 2
    return out + [k]


def swell(depth: int) -> Swell:
    from adcli.symbolic.simplify import operations

    if not 1 <= depth <= MAX_DEPTH:
        from adcli.errors import InputError

        raise InputError(f"--depth {depth}: give a depth from 1 to {MAX_DEPTH:,}",
                         kind="bad-option")
    rows = []
    for k in depths(depth):
        text = "sin(" * k + "x" + ")" * k
        (expr,) = expressions(parse(text)).exprs
        rows.append(SwellRow(k, operations(expr), sum(1 for _ in postorder(expr)), k))
    return Swell(depth, tuple(rows))
