"""`adcli plot`: f, f′, f″, … sampled along one variable, the others held at their values.

The curve is f as a function of one number x. When the formula is element-wise in x (`sin(3x)`,
`x^2*y`), all points are computed at once: x becomes the vector of samples and the derivatives
come from `orders.derivatives` (nested reverse mode). Otherwise (`dot([x, 1], w)`, a program that
branches on x, `x - mean(x)`), each sample is its own point: x is one number there, as the user
wrote the formula for, at the cost of one evaluation and N backward passes per sample.

A range written without a count is the interval from its start to its end, cut into
DEFAULT_STEPS steps (`with_samples`), so that `--at x=-2..2` draws a curve, not four points.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Sequence

import numpy as np

from adcli.calculations.inputs import split_spec
from adcli.calculations.orders import Derivatives, derivatives
from adcli.calculations.point import Answer, Point, frozen_array
from adcli.errors import AdcliError, ComputeError, InputError
from adcli.language import ast
from adcli.language.parser import parse

DEFAULT_STEPS = 400  # `a..b` and `a..=b` become `a..=b:401`
# The plotted variable's values lie within ±WIDEST: a nan or ±inf is no place on an axis, and
# the ticks are chosen from the square of the axis' length, which must be a float.
WIDEST = 1e150


@dataclass(frozen=True, eq=False)
class Curves(Answer):
    """`value` is f at each sample of `variable` (point.at[variable], a vector);
    derivatives[k - 1] is the k-th derivative of f along it, at the same samples."""

    variable: str
    derivatives: tuple[np.ndarray, ...]
    pointwise: bool  # computed one sample at a time (f is not element-wise in the variable)

    @property
    def x(self) -> np.ndarray:
        return self.point.at[self.variable]

    @property
    def order(self) -> int:
        return len(self.derivatives)


def with_samples(specs: Sequence[str], variables: Sequence[str], wrt: Sequence[str] | str | None,
                 steps: int = DEFAULT_STEPS) -> tuple[list[str], str | None]:
    """The --at specs, with the plotted variable's range, when it has no count, made the whole
    interval cut into `steps` steps: `x=-2..2` and `x=-2..=2` become `x=-2..=2:401` (a curve
    from -2 to 2; that `..` leaves 2 out matters to whole steps, not to a curve). Any other
    value is kept as it is (a count, a vector, linspace: the user chose the points). The
    plotted variable is --wrt's, the only variable, or else the only one whose value is a
    range; it is returned too (None when the specs do not say)."""
    chosen = [wrt] if isinstance(wrt, str) else list(wrt or [])
    out = list(specs)
    ranges = {}
    for i, spec in enumerate(specs):
        name, text = split_spec(spec)
        name = name or (variables[0] if len(variables) == 1 else None)
        interval = _interval(text, steps)
        if name is not None and interval is not None:
            ranges[name] = (i, f"{name}={interval}")
    target = chosen[0] if len(chosen) == 1 else (
        variables[0] if len(variables) == 1 else next(iter(ranges)) if len(ranges) == 1 else None)
    if target in ranges:
        i, spec = ranges[target]
        out[i] = spec
    return out, target


def _interval(text: str, steps: int) -> str | None:
    """`a..b` or `a..=b` as `a..=b:steps+1`; None for anything else."""
    if text.strip() == "-":
        return None
    try:
        tree = parse(text).tree
    except AdcliError:
        return None  # binding the point reports it, with the --at context
    if not isinstance(tree, ast.Range) or tree.count is not None:
        return None
    return f"{tree.start.span.text(text)}..={tree.stop.span.text(text)}:{steps + 1}"


def plotted(point: Point, wrt: Sequence[str] | str | None) -> str:
    """The variable along which f is drawn: --wrt's, or else the only one given several
    values (`plot "x*y" --at x=-2..2 --at y=3` draws along x)."""
    if wrt:
        names = point.chosen([wrt] if isinstance(wrt, str) else wrt)
        if len(names) != 1:
            raise InputError("plot draws f along one variable: give --wrt one name",
                             kind="bad-wrt")
        return names[0]
    variables = point.formula.variables
    if len(variables) == 1:
        return variables[0]
    vectors = [name for name in variables if point.at[name].size > 1]
    if len(vectors) == 1:
        return vectors[0]
    raise InputError(f"plot draws f along one variable: choose it with --wrt (the formula's "
                     f"variables: {', '.join(variables)})", kind="bad-wrt")


def plot(point: Point, wrt: Sequence[str] | str | None = None, order: int = 1) -> Curves:
    """f and its derivatives up to `order` at each sample of the plotted variable."""
    if not point.formula.variables:
        raise InputError("plot draws f along a variable, and this formula has none",
                         kind="no-variables", hint="for its value, use `adcli eval`")
    name = plotted(point, wrt)
    samples = point.at[name]
    if samples.ndim != 1 or samples.size < 2:
        raise InputError(f"plot needs the values of `{name}` along its axis: a vector of at "
                         f"least 2 points, not {_shape(samples)}", kind="bad-at",
                         hint=f"for example --at {name}=-2..2 (sampled at {DEFAULT_STEPS} "
                         f"steps) or --at {name}=0..=1:50")
    outside = ~(np.abs(samples) <= WIDEST)  # nan and ±inf too
    if outside.any():
        first = samples[outside][0]
        raise InputError(f"plot draws f along values of `{name}` from -1e150 to 1e150, and "
                         f"{name} holds {float(first):g} (element {int(np.argmax(outside))})",
                         kind="bad-at", hint="leave it out of the values of --at")
    try:
        together = derivatives(point, name, order, what="plot")
    except AdcliError:
        together = None  # not element-wise in x, or not for a vector x: one sample at a time
    if together is not None:
        return Curves(point, together.value, together.run, name, together.derivatives, False)
    return _pointwise(point, name, order)


def _pointwise(point: Point, name: str, order: int) -> Curves:
    samples = point.at[name]
    values = np.empty(samples.shape, dtype=point.dtype)
    found = np.empty((order,) + samples.shape, dtype=point.dtype)
    first: Derivatives | None = None
    for i, x in enumerate(samples):
        at = MappingProxyType({**point.at, name: frozen_array(x)})
        answer = derivatives(replace(point, at=at), name, order, what="plot")
        if answer.value.size != 1:
            raise ComputeError(
                f"plot draws curves of one number per value of `{name}`, but at {name} = "
                f"{x:g} f has shape {answer.value.shape}", kind="not-scalar",
                source=point.formula.source, start=0, end=len(point.formula.source),
                hint="plot one element (f[0]) or a number made of f (sum(f), norm(f))")
        values[i] = answer.value.reshape(())
        for k, derivative in enumerate(answer.derivatives):
            found[k, i] = derivative.reshape(())
        first = first or answer
    assert first is not None
    return Curves(point, frozen_array(values), first.run, name,
                  tuple(frozen_array(f) for f in found), True)


def _shape(array: np.ndarray) -> str:
    return "one number" if array.size == 1 else f"an array of shape {array.shape}"
