"""Derivatives of order N along one variable, at each point: f′, f″, … of an element-wise
formula (`grad --order N`, `--table`, and the curves `plot` draws).

An element-wise formula gives one value per element of its variable, each depending on that
element alone (`x^3`, `sin(x)*x`, not `sum(x)` or `x - mean(x)`): its Jacobian is diagonal. Then
the gradient of sum(f) is f′ at every point, and the gradient of sum(f′) is f″: nested reverse
mode, each backward pass recorded (create_graph) so the next one can differentiate it — what
torch's `autograd.grad(…, create_graph=True)` applied twice computes. For any other formula the
N-th "derivative at each point" has no meaning (the gradient of sum(gradient) is a row sum of
the Hessian, not f″), so it is refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from adcli.calculations.objective import computing
from adcli.calculations.point import Answer, Point, Run, frozen_array
from adcli.calculations.values import differentiable
from adcli.engine import Tensor, backward_pass, make_leaf
from adcli.errors import ComputeError, InputError
from adcli.language.evaluate import evaluate

MAX_ORDER = 8  # each order records the graph of the one before: the work doubles or so per order


@dataclass(frozen=True, eq=False)
class Derivatives(Answer):
    """f and its derivatives of order 1…N along `variable`, at each of its points:
    derivatives[k - 1][i] = d^k f[i] / d variable[i]^k (the others held at their values)."""

    variable: str
    derivatives: tuple[np.ndarray, ...]

    @property
    def order(self) -> int:
        return len(self.derivatives)


class NotElementwise(ComputeError):
    """f is not one function of one number applied at every point (its Jacobian along the
    variable is not diagonal, or f's shape is not the variable's)."""

    def __init__(self, message: str, **where: object) -> None:
        super().__init__(message, kind="not-element-wise", **where)


def derivatives(point: Point, wrt: Sequence[str] | str | None = None, order: int = 1,
                what: str | None = None) -> Derivatives:
    """f, f′, …, f^(order) at each point of one variable (`wrt`, or the formula's only one).
    `what` names the question in messages (default: `--order N`)."""
    what = what or f"--order {order}"
    if not 0 <= order <= MAX_ORDER:
        raise InputError(f"--order must be between 0 and {MAX_ORDER}, not {order}",
                         kind="bad-option")
    name = along(point, wrt, what)
    session = point.session()
    leaf = make_leaf(np.array(point.at[name])).requires_grad_(order > 0)
    env = {n: leaf if n == name else make_leaf(a) for n, a in point.at.items()}
    output = evaluate(point.formula, env, point.dtype, session)
    if order > 0:
        differentiable(point, output)
        _same_shape(point, name, output, what)
    found: list[np.ndarray] = []
    with computing(f"the derivatives of order up to {order}"):
        current: Tensor | None = output
        for k in range(1, order + 1):
            current = _derivative(current, leaf, record=k < order)
            found.append(frozen_array(np.broadcast_to(_data(current), leaf.data.shape)))
            if k == 1 and leaf.data.size > 1:
                _check_diagonal(point, name, output, leaf, found[0])
    return Derivatives(point, frozen_array(output.data), Run.of(session, point), name,
                       tuple(found))


def along(point: Point, wrt: Sequence[str] | str | None, what: str) -> str:
    """The one variable a derivative at each point is taken along: --wrt's, or the formula's
    only variable."""
    names = point.chosen([wrt] if isinstance(wrt, str) else wrt)
    if len(names) != 1:
        raise InputError(f"{what} differentiates along one variable: choose it with --wrt "
                         f"(the formula's variables: {', '.join(point.formula.variables)})",
                         kind="bad-wrt")
    return names[0]


def _derivative(f: Tensor | None, leaf: Tensor, record: bool) -> Tensor | None:
    """The gradient of sum(f) with respect to the leaf (None: zero, f does not depend on it),
    itself a graph when `record`, so that the next order can differentiate it."""
    if f is None or type(f) is not Tensor or not f.requires_grad:
        return None
    ones = np.ones_like(f.data)
    adjoints = backward_pass(f, make_leaf(ones) if record else ones, create_graph=record)
    if id(leaf) not in adjoints:
        return None
    adjoint = adjoints[id(leaf)][1]
    return adjoint if type(adjoint) is Tensor else make_leaf(np.asarray(adjoint))


def _data(f: Tensor | None) -> np.ndarray:
    return np.zeros(()) if f is None else np.asarray(f.data)


def _same_shape(point: Point, name: str, output: Tensor, what: str) -> None:
    x = point.at[name]
    if output.data.shape == x.shape or output.data.size == x.size == 1:
        return
    source = point.formula.source
    raise NotElementwise(
        f"{what} takes f′, f″, … at each point of `{name}`, so f needs one value per "
        f"point: f has shape {output.data.shape}, `{name}` {x.shape}", source=source, start=0,
        end=len(source), hint=_hint(point, name, output.data.size == 1))


def _check_diagonal(point: Point, name: str, output: Tensor, leaf: Tensor,
                    first: np.ndarray) -> None:
    """Refuse a formula whose f[i] depends on other elements than x[i]. For a random u,
    uᵀJ = u ⊙ (1ᵀJ) when J is diagonal, and otherwise differs but for a set of u of measure
    zero: one more backward pass, on the graph already recorded."""
    rng = np.random.default_rng(0)  # the same u every run: the answer must not vary
    u = rng.uniform(0.5, 1.5, size=output.data.shape).astype(output.data.dtype)
    adjoints = backward_pass(output, u)
    if id(leaf) not in adjoints:
        return
    pulled = np.broadcast_to(np.asarray(adjoints[id(leaf)][1]), first.shape)
    expected = u * first
    with np.errstate(all="ignore"):
        # A nan or an inf hides whatever else arrived there: compare where both are finite.
        finite = np.isfinite(pulled) & np.isfinite(expected)
        a, b = pulled[finite], expected[finite]
        rtol = 1e-7 if output.data.dtype == np.float64 else 1e-3
        scale = float(np.max(np.abs(b))) if b.size else 0.0
        close = np.abs(a - b) <= rtol * (np.abs(a) + np.abs(b) + scale)
    if bool(np.all(close)):
        return
    source = point.formula.source
    raise NotElementwise(
        f"`{source}` is not element-wise in `{name}`: some f[i] depends on other elements of "
        f"`{name}` than {name}[i], so there is no f′, f″ at each point", source=source,
        start=0, end=len(source), hint=_hint(point, name, False))


def _hint(point: Point, name: str, scalar: bool) -> str:
    if scalar:
        return (f"f is one number: its second derivatives form a matrix, which `adcli hessian` "
                f"gives; for f″ at each point write f element-wise (x^3, not sum(x^3))")
    return (f"`adcli jacobian` gives every ∂f[i]/∂{name}[j]; --tangent gives the derivative "
            f"along a direction")
