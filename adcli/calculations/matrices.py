"""`adcli jacobian` and `adcli hessian`: whole derivative matrices, by either mode.

Forward-mode passes run under no_grad: dual numbers need no tape, and so none is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np

from adcli.calculations.objective import Objective, cheaper, computing
from adcli.calculations.point import Answer, Point, frozen_array
from adcli.engine.budget import check_passes
from adcli.errors import ComputeError
from adcli.functional import hessian_blocks, vjp
from adcli.functional import jacobian as jacobian_transform
from adcli.ops import check_size


@dataclass(frozen=True)
class Passes:
    forward: int
    backward: int


@dataclass(frozen=True, eq=False)
class Jacobian(Answer):
    wrt: tuple[str, ...]
    mode: str  # "reverse" or "forward"
    blocks: Mapping[str, np.ndarray]  # per variable: a row per element of f, a column per its own
    passes: Passes


@dataclass(frozen=True, eq=False)
class Hessian(Answer):
    wrt: tuple[str, ...]
    mode: str  # "forward-over-reverse" or "reverse-over-reverse"
    gradient: Mapping[str, np.ndarray]
    # (a, b): ∂²f/∂a∂b, a row per element of a, a column per element of b
    blocks: Mapping[tuple[str, str], np.ndarray]
    passes: Passes


def jacobian(point: Point, wrt: Sequence[str] | None = None, mode: str = "reverse") -> Jacobian:
    return jacobian_of(Objective(point, wrt), mode)


def jacobian_of(objective: Objective, mode: str, batched: bool = True,
                hint: str | None = None) -> Jacobian:
    """The Jacobian by one batched sweep (seeded with the identity: every row, or every
    column, at once), or with `batched=False` one pass per row or column, as `compare` counts
    them. `hint` is what to try when the work is refused."""
    point, m = objective.point, objective.value.size
    with computing(f"the Jacobian by {mode} mode", hint or cheaper(objective, mode)):
        check_size(m * objective.inputs, f"{m}×{objective.inputs}")
        blocks = {name: np.zeros((m, point.at[name].size), dtype=objective.value.dtype)
                  for name in objective.wrt}
        if batched:
            names = objective.wrt
            # the sweep does the arithmetic of all its passes at once: judged before it starts,
            # a pass costing about what evaluating f did
            check_passes(objective.inputs if mode == "forward" else m, objective.work,
                         f"{mode} passes")
            found = jacobian_transform(objective.function(*names), tuple(range(len(names))),
                                       mode)(*(point.at[name] for name in names))
            for name, block in zip(names, found):
                blocks[name][...] = np.asarray(block.data).reshape(blocks[name].shape)
            passes = Passes(forward=objective.inputs, backward=0) if mode == "forward" \
                else Passes(forward=1, backward=m)
        elif mode == "forward":
            for name in objective.wrt:
                for k, column in objective.forward_columns(name):
                    blocks[name][:, k] = column.ravel()
            passes = Passes(forward=objective.inputs, backward=0)
        else:
            for j, row in objective.reverse_rows():
                for name in objective.wrt:
                    blocks[name][j] = row[name].ravel()
            passes = Passes(forward=1, backward=m)
    return Jacobian(point, objective.value, objective.run, objective.wrt, mode,
                    MappingProxyType({n: frozen_array(b) for n, b in blocks.items()}), passes)


def hessian(point: Point, wrt: Sequence[str] | None = None,
            mode: str = "forward-over-reverse") -> Hessian:
    objective = Objective(point, wrt)
    source = point.formula.source
    if objective.value.size != 1:
        raise ComputeError(
            f"a Hessian needs a formula with one number as output; this one has shape "
            f"{objective.value.shape}", kind="not-scalar", source=source, start=0,
            end=len(source),
            hint="make the program's value a number, e.g. with sum(…)" if point.formula.is_program
            else f"differentiate a number, e.g. sum({source}); for f″ at each point of an "
            f"element-wise formula, adcli grad --order 2",
        )
    n, names = objective.inputs, objective.wrt
    f = objective.function(*names)
    with computing("the Hessian", "try a smaller input, or --wrt fewer variables"):
        check_size(n * n, f"{n}×{n}")
        pulled = vjp(f, *(point.at[name] for name in names))[1](np.ones_like(objective.value))
        blocks = hessian_blocks(f, [point.at[name] for name in names], mode)
    matrices = {(a, b): frozen_array(np.asarray(blocks[i][j].data).reshape(
                    _block_shape(point.at[a], point.at[b])))
                for i, a in enumerate(names) for j, b in enumerate(names)}
    gradient = {name: frozen_array(np.asarray(g.data)) for name, g in zip(names, pulled)}
    passes = Passes(forward=1 + n, backward=1) if mode == "forward-over-reverse" \
        else Passes(forward=1, backward=1 + n)
    return Hessian(point, objective.value, objective.run, names, mode,
                   MappingProxyType(gradient), MappingProxyType(matrices), passes)


def _block_shape(a: np.ndarray, b: np.ndarray) -> tuple[int, ...]:
    """∂²f/∂a∂b as a matrix, a row per element of a; one number when a and b are numbers
    (the second derivative of a function of one number is a number, not a 1×1 matrix)."""
    return () if a.ndim == 0 and b.ndim == 0 else (a.size, b.size)
