"""The calculations behind `grad --mode forward`, `jacobian` and `hessian`: a formula and a
point in, derivative matrices out (compare.py and check.py build on them).

A formula becomes a function of its differentiated variables, the others held at their --at
values, and the transforms of `adcli.functional` do the rest. Forward-mode passes run under
no_grad: dual numbers need no tape, and so none is kept.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from adcli.engine import Tensor, make_leaf, no_grad
from adcli.engine.budget import metered
from adcli.engine.errors import OpError
from adcli.engine.forward import Dual
from adcli.errors import ComputeError
from adcli.functional import hessian_blocks, jvp, vjp
from adcli.language.calculate import DTYPES, Calculation, chosen_variables
from adcli.language.evaluate import Session, evaluate
from adcli.language.parser import Formula
from adcli.ops import check_size


@dataclass
class Passes:
    forward: int
    backward: int


class Point:
    """A formula at a point, as functions of its differentiated variables.

    Every evaluation runs in a session of its own with the same limits and the same random
    draws as the first (the one whose value, draws and path the views show), so that forward
    mode's passes and the finite differences all evaluate one and the same function."""

    def __init__(self, formula: Formula, at: dict[str, np.ndarray], dtype: str,
                 wrt: Sequence[str] | None, session: Session | None = None) -> None:
        self.formula, self.at, self.dtype = formula, at, dtype
        self.wrt = chosen_variables(formula, wrt)
        self.session = session or Session()
        rng = self.session.rng
        self._state = None if rng is None else copy.deepcopy(rng.bit_generator.state)
        env = {name: make_leaf(value) for name, value in at.items()}
        with no_grad():
            output = evaluate(formula, env, DTYPES[dtype], self.session)
        self.value = np.asarray(output.data)
        self.gradient: dict[str, np.ndarray] | None = None  # a Hessian's computes it too
        if self.value.dtype.kind not in "fc":
            raise ComputeError(
                f"the output is {self.value.dtype.name} (a comparison?) and has no derivative",
                kind="not-differentiable", source=formula.source, start=0, end=len(formula.source),
            )

    @property
    def cotangent(self) -> str | None:
        return None if self.value.size == 1 else "ones"

    def replay(self) -> Session:
        """A fresh session that draws what the first evaluation drew."""
        session = Session(limits=self.session.limits, seed=self.session.seed)
        if self._state is not None:
            session.rng = np.random.default_rng()
            session.rng.bit_generator.state = copy.deepcopy(self._state)
        return session

    def function(self, *names: str) -> Callable[..., Tensor]:
        """The formula as a function of the variables `names`, the others held at --at."""
        held = {name: make_leaf(value) for name, value in self.at.items() if name not in names}
        dtype = DTYPES[self.dtype]

        def f(*values: Any) -> Tensor:
            env = dict(held)
            for name, value in zip(names, values):
                env[name] = value if type(value) in (Tensor, Dual) else make_leaf(np.asarray(value))
            return evaluate(self.formula, env, dtype, self.replay())

        return f

    @property
    def inputs(self) -> int:
        return sum(self.at[name].size for name in self.wrt)

    def forward_columns(self, name: str) -> Iterator[tuple[int, np.ndarray]]:
        """(k, ∂f/∂name[k]) for each element k of a variable: one forward pass each."""
        f, point = self.function(name), make_leaf(self.at[name])
        with no_grad():
            for k, seed in metered(unit_vectors(self.at[name]), self.inputs, "forward passes"):
                yield k, np.asarray(jvp(f, (point,), (seed,))[1].data)

    def reverse_rows(self) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
        """(j, {name: ∂f[j]/∂name}) for each element j of f: one record, one backward pass each."""
        out, pull = vjp(self.function(*self.wrt), *(self.at[n] for n in self.wrt))
        for j, seed in metered(unit_vectors(np.asarray(out.data)), out.data.size,
                               "backward passes"):
            yield j, {name: np.asarray(g.data) for name, g in zip(self.wrt, pull(seed))}



def unit_vectors(like: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    dtype = like.dtype if like.dtype.kind in "fc" else np.dtype(np.float64)
    for k in range(like.size):
        seed = np.zeros(like.size, dtype=dtype)
        seed[k] = 1
        yield k, seed.reshape(like.shape)


@contextmanager
def computing(what: str, hint: str | None = None) -> Iterator[None]:
    """Report an engine refusal (a size limit inside a derivative rule, passes that would take
    too long) as the user's error, with the cheaper way to get there."""
    try:
        yield
    except OpError as error:
        raise ComputeError(f"{what}: {error.message}", kind=error.kind, hint=hint) from None


def cheaper(point: Point, mode: str) -> str:
    """What to try instead of `mode`'s passes: the other mode when it takes fewer."""
    n, m = point.inputs, point.value.size
    if mode == "forward" and m < n:
        return f"--mode reverse takes one backward pass per element of f ({m:,} here)"
    if mode == "reverse" and n < m:
        return f"--mode forward takes one pass per input element ({n:,} here)"
    return "try a smaller input, or --wrt fewer variables"


# -- the commands' calculations -------------------------------------------------------------


@dataclass
class Jacobian:
    point: Point  # the formula, the point, the value
    mode: str
    blocks: dict[str, np.ndarray]  # per variable: a row per element of f, a column per its own
    passes: Passes


@dataclass
class Hessian:
    point: Point  # with the gradient
    mode: str  # "forward-over-reverse" or "reverse-over-reverse"
    blocks: dict[tuple[str, str], np.ndarray]  # (a, b): a row per element of a, a column per b's
    passes: Passes


def run_grad_forward(formula: Formula, at: dict[str, np.ndarray], dtype: str,
                     wrt: Sequence[str] | None = None, session: Session | None = None
                     ) -> Calculation:
    """`adcli grad --mode forward`: the same gradient as reverse mode (of sum(f) for a
    non-scalar f), one forward pass per input element."""
    point = Point(formula, at, dtype, wrt, session)
    gradient = {}
    with computing("the gradient by forward mode",
                   "--mode reverse (the default) gets it from one backward pass"):
        for name in point.wrt:
            flat = np.zeros(at[name].size, dtype=at[name].dtype)
            for k, column in point.forward_columns(name):
                flat[k] = np.sum(column)
            gradient[name] = flat.reshape(at[name].shape)
    return Calculation(formula, dtype, at, make_leaf(point.value), point.wrt, gradient,
                       point.session)


def run_jacobian(formula: Formula, at: dict[str, np.ndarray], dtype: str,
                 wrt: Sequence[str] | None = None, mode: str = "reverse",
                 session: Session | None = None) -> Jacobian:
    return jacobian_at(Point(formula, at, dtype, wrt, session), mode)


def jacobian_at(point: Point, mode: str, hint: str | None = None) -> Jacobian:
    m, at = point.value.size, point.at
    with computing(f"the Jacobian by {mode} mode", hint or cheaper(point, mode)):
        check_size(m * point.inputs, f"{m}×{point.inputs}")
        blocks = {name: np.zeros((m, at[name].size), dtype=point.value.dtype)
                  for name in point.wrt}
        if mode == "forward":
            for name in point.wrt:
                for k, column in point.forward_columns(name):
                    blocks[name][:, k] = column.ravel()
            passes = Passes(forward=point.inputs, backward=0)
        else:
            for j, row in point.reverse_rows():
                for name in point.wrt:
                    blocks[name][j] = row[name].ravel()
            passes = Passes(forward=1, backward=m)
    return Jacobian(point, mode, blocks, passes)


def run_hessian(formula: Formula, at: dict[str, np.ndarray], dtype: str,
                wrt: Sequence[str] | None = None, mode: str = "forward-over-reverse",
                session: Session | None = None) -> Hessian:
    point = Point(formula, at, dtype, wrt, session)
    if point.value.size != 1:
        raise ComputeError(
            f"a Hessian needs a formula with one number as output; this one has shape "
            f"{point.value.shape}", kind="not-scalar", source=formula.source, start=0,
            end=len(formula.source),
            hint="make the program's value a number, e.g. with sum(…)" if formula.is_program
            else f"differentiate a number, e.g. sum({formula.source})",
        )
    n = point.inputs
    f = point.function(*point.wrt)
    with computing("the Hessian", "try a smaller input, or --wrt fewer variables"):
        check_size(n * n, f"{n}×{n}")
        gradient = dict(zip(point.wrt, vjp(f, *(at[name] for name in point.wrt))[1](
            np.ones_like(point.value))))
        blocks = hessian_blocks(f, [at[name] for name in point.wrt], mode)
    sizes = {name: at[name].size for name in point.wrt}
    matrices = {(a, b): np.asarray(blocks[i][j].data).reshape(sizes[a], sizes[b])
                for i, a in enumerate(point.wrt) for j, b in enumerate(point.wrt)}
    point.gradient = {name: np.asarray(g.data) for name, g in gradient.items()}
    passes = Passes(forward=1 + n, backward=1) if mode == "forward-over-reverse" \
        else Passes(forward=1, backward=1 + n)
    return Hessian(point, mode, matrices, passes)
