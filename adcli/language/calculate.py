"""The calculations behind the commands: a formula and a point in, values and gradients out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from adcli.engine import Tensor, backward_pass
from adcli.errors import ComputeError, InputError
from adcli.language.evaluate import Session, evaluate
from adcli.language.inputs import bind
from adcli.language.parser import Formula, parse

DTYPES = {"float64": np.float64, "float32": np.float32}


@dataclass
class Calculation:
    formula: Formula
    dtype: str
    at: dict[str, np.ndarray]
    output: Tensor
    wrt: tuple[str, ...] = ()
    gradient: dict[str, np.ndarray] | None = None
    session: Session = field(default_factory=Session)  # draws, seed, the path a program took

    @property
    def value(self) -> np.ndarray:
        return self.output.data

    @property
    def finite(self) -> bool:
        arrays = [self.value, *(self.gradient or {}).values()]
        return all(a.dtype.kind not in "fc" or bool(np.isfinite(a).all()) for a in arrays)

    @property
    def cotangent(self) -> str | None:
        """None when the output is a scalar; "ones" when a vector output was contracted with ones."""
        return None if self.output.data.size == 1 else "ones"


def prepare(
    expression: str, at: Sequence[str], dtype: str, read_stdin: Callable[[], str],
    program: bool = False, session: Session | None = None,
) -> tuple[Formula, dict[str, np.ndarray]]:
    """Parse the formula (or program) and bind --at to its variables; `session` carries the
    random generator (--seed) that randn/rand in --at values draw from."""
    formula = parse(expression, program=program)
    return formula, bind(at, formula.variables, DTYPES[dtype], read_stdin, session)


def run_eval(formula: Formula, at: dict[str, np.ndarray], dtype: str,
             session: Session | None = None) -> Calculation:
    session = session or Session()
    env = {name: Tensor(value) for name, value in at.items()}
    output = evaluate(formula, env, DTYPES[dtype], session)
    return Calculation(formula, dtype, at, output, session=session)


def run_grad(
    formula: Formula, at: dict[str, np.ndarray], dtype: str, wrt: Sequence[str] | None = None,
    session: Session | None = None,
) -> Calculation:
    """Value and gradient; a non-scalar output is contracted with ones, like
    torch's `y.backward(torch.ones_like(y))`."""
    return differentiate(formula, at, dtype, wrt, session=session)[0]


def chosen_variables(formula: Formula, wrt: Sequence[str] | None) -> tuple[str, ...]:
    """The variables to differentiate with respect to: --wrt's, or all of the formula's."""
    if not formula.variables:
        raise InputError("the formula has no variables to differentiate with respect to",
                         kind="no-variables", source=formula.source, start=0, end=0,
                         hint="use `adcli eval` for a constant formula")
    chosen = tuple(wrt) if wrt else formula.variables
    for name in chosen:
        if name not in formula.variables:
            raise InputError(f"--wrt {name}: the formula has no variable `{name}` "
                             f"(its variables: {', '.join(formula.variables)})", kind="bad-wrt")
    return chosen


def differentiate(
    formula: Formula,
    at: dict[str, np.ndarray],
    dtype: str,
    wrt: Sequence[str] | None = None,
    keep_all: bool = False,
    observe: Any = None,
    before_backward: Callable[[Tensor], None] | None = None,
    session: Session | None = None,
) -> tuple[Calculation, dict[str, Tensor], dict[int, tuple[Tensor, Any]]]:
    """The calculation, the variables' leaf tensors, and the adjoints the backward pass left
    (every node's with `keep_all`); `observe` sees each backward step (see engine.backward)."""
    chosen = chosen_variables(formula, wrt)
    session = session or Session()
    env = {name: Tensor(value, requires_grad=name in chosen) for name, value in at.items()}
    output = evaluate(formula, env, DTYPES[dtype], session)
    calculation = Calculation(formula, dtype, at, output, chosen, session=session)
    if output.data.dtype.kind not in "fc":
        raise ComputeError(
            f"the output is {output.data.dtype.name} (a comparison?) and has no gradient",
            kind="not-differentiable", source=formula.source, start=0, end=len(formula.source),
        )
    if before_backward is not None:
        before_backward(output)
    adjoints: dict[int, tuple[Tensor, Any]] = {}
    if output.requires_grad:
        adjoints = backward_pass(output, np.ones_like(output.data), keep_all=keep_all,
                                 observe=observe)
    calculation.gradient = {name: _gradient(env[name], adjoints) for name in chosen}
    return calculation, env, adjoints


def _gradient(leaf: Tensor, adjoints: dict[int, tuple[Tensor, Any]]) -> np.ndarray:
    # A variable that does not reach the output (only under detach, say) has gradient zero.
    if id(leaf) not in adjoints:
        return np.zeros_like(leaf.data)
    adjoint = np.asarray(adjoints[id(leaf)][1], dtype=leaf.data.dtype)
    return np.broadcast_to(adjoint, leaf.data.shape)
