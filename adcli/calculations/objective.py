"""A formula at a point as a function of its differentiated variables: what forward mode,
the Jacobian and Hessian transforms, `compare` and `check` differentiate.

The other variables are held at their --at values, and every evaluation replays the point's
random draws (`Point.session`), so that all passes evaluate one and the same function.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

import numpy as np

from adcli.calculations.point import Point, Run, frozen_array
from adcli.engine import Tensor, make_leaf, no_grad
from adcli.engine.budget import metered, work
from adcli.engine.errors import OpError
from adcli.engine.forward import Dual
from adcli.errors import ComputeError
from adcli.functional import jvp, vjp
from adcli.language.evaluate import evaluate


class Objective:
    """f(wrt…) at a point; evaluated once here for its value, its draws and its path."""

    def __init__(self, point: Point, wrt: Sequence[str] | None) -> None:
        self.point = point
        self.wrt = point.chosen(wrt)
        session = point.session()
        env = {name: make_leaf(value) for name, value in point.at.items()}
        started = work()
        with no_grad():
            output = evaluate(point.formula, env, point.dtype, session)
        self.value = frozen_array(output.data)
        self.work = work() - started  # element operations of one evaluation (engine/budget.py)
        self.run = Run.of(session, point)
        if self.value.dtype.kind not in "fc":
            source = point.formula.source
            raise ComputeError(
                f"the output is {self.value.dtype.name} (a comparison?) and has no derivative",
                kind="not-differentiable", source=source, start=0, end=len(source),
            )

    @property
    def inputs(self) -> int:
        """n: how many numbers the differentiated variables hold."""
        return self.point.size(self.wrt)

    def function(self, *names: str) -> Callable[..., Tensor]:
        """The formula as a function of the variables `names`, the others held at --at."""
        point = self.point
        held = {name: make_leaf(value) for name, value in point.at.items() if name not in names}

        def f(*values: np.ndarray | Tensor | Dual) -> Tensor:
            env = dict(held)
            for name, value in zip(names, values):
                env[name] = value if type(value) in (Tensor, Dual) else make_leaf(np.asarray(value))
            return evaluate(point.formula, env, point.dtype, point.session())

        return f

    def forward_columns(self, name: str) -> Iterator[tuple[int, np.ndarray]]:
        """(k, ∂f/∂name[k]) for each element k of a variable: one forward pass each."""
        at = self.point.at[name]
        f, primal = self.function(name), make_leaf(at)
        with no_grad():
            for k, seed in metered(unit_vectors(at), self.inputs, "forward passes"):
                yield k, np.asarray(jvp(f, (primal,), (seed,))[1].data)

    def reverse_rows(self) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
        """(j, {name: ∂f[j]/∂name}) for each element j of f: one record, one backward pass each."""
        out, pull = vjp(self.function(*self.wrt), *(self.point.at[n] for n in self.wrt))
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


def cheaper(objective: Objective, mode: str) -> str:
    """What to try instead of `mode`'s passes: the other mode when it takes fewer."""
    n, m = objective.inputs, objective.value.size
    if mode == "forward" and m < n:
        return f"--mode reverse takes one backward pass per element of f ({m:,} here)"
    if mode == "reverse" and n < m:
        return f"--mode forward takes one pass per input element ({n:,} here)"
    return "try a smaller input, or --wrt fewer variables"
