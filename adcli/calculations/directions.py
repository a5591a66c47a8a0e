"""Derivatives along a direction: `--tangent v` gives J·v, the derivative of f along v, by one
forward pass (torch.func.jvp); `--cotangent g` gives gᵀJ, the gradient of g·f, by one backward
pass (torch's f.backward(g); values.gradient takes it).

Both are written like --at values: `--tangent x=[1,0,0]` (or `--tangent [1,0,0]` when one
variable is differentiated), `--cotangent [1,0]`; one number stands for all elements.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np

from adcli.calculations.inputs import constant, split_spec
from adcli.calculations.objective import Objective, computing
from adcli.calculations.point import Answer, Point, frozen_array
from adcli.errors import AdcliError, InputError
from adcli.functional import jvp


@dataclass(frozen=True, eq=False)
class Directional(Answer):
    """J·v: the derivative of f along the tangent v, shaped like f."""

    wrt: tuple[str, ...]  # the variables the tangent moves (the others are held)
    tangent: Mapping[str, np.ndarray]
    derivative: np.ndarray


def directional(point: Point, tangent: Mapping[str, np.ndarray]) -> Directional:
    """J·v by forward mode: one pass, the variables given a tangent carrying it."""
    names = tuple(name for name in point.formula.variables if name in tangent)
    objective = Objective(point, names)
    primals = [point.at[name] for name in names]
    directions = [_shaped(tangent[name], point.at[name], f"--tangent {name}") for name in names]
    with computing("J·v"):
        _, pushed = jvp(objective.function(*names), primals, directions)
    derivative = np.broadcast_to(np.asarray(pushed.data), objective.value.shape)
    return Directional(point, objective.value, objective.run, names,
                       MappingProxyType({n: frozen_array(d) for n, d in zip(names, directions)}),
                       frozen_array(derivative))


def tangents(specs: Sequence[str], point: Point, wrt: Sequence[str] | None) -> dict[str, np.ndarray]:
    """--tangent specs as arrays, one per differentiated variable (--wrt's, or all)."""
    chosen = point.chosen(wrt)
    found: dict[str, np.ndarray] = {}
    for spec in specs:
        name, text = split_spec(spec)
        if name is None:
            if len(chosen) != 1:
                raise InputError(f"--tangent {spec} does not say which variable it moves "
                                 f"(differentiated: {', '.join(chosen)})", kind="bad-option",
                                 hint=f"write --tangent {chosen[0]}={spec}")
            name = chosen[0]
        if name not in chosen:
            raise InputError(f"--tangent {name}: `{name}` is not differentiated here "
                             f"(differentiated: {', '.join(chosen)})", kind="bad-option")
        if name in found:
            raise InputError(f"--tangent {name} is given more than once", kind="bad-option")
        found[name] = _value(text, point, f"--tangent {name}={text}")
    missing = [name for name in chosen if name not in found]
    if missing:
        raise InputError(f"no tangent for `{missing[0]}`: add --tangent {missing[0]}=…, or "
                         f"differentiate along the others alone with --wrt", kind="bad-option")
    return found


def cotangent(text: str, point: Point) -> np.ndarray:
    """--cotangent's value (its shape is checked against f's when f is computed)."""
    return _value(text, point, f"--cotangent {text}")


def _value(text: str, point: Point, what: str) -> np.ndarray:
    try:
        return constant(text, point.dtype, point.session())
    except AdcliError as error:
        error.message = f"{what}: {error.message}"
        raise


def _shaped(direction: np.ndarray, like: np.ndarray, what: str) -> np.ndarray:
    if direction.shape == like.shape:
        return direction
    if direction.size == 1:
        return np.full(like.shape, direction.reshape(()), dtype=like.dtype)
    raise InputError(f"{what} has shape {direction.shape}, but the variable has shape "
                     f"{like.shape}: a tangent is shaped like its variable", kind="bad-option",
                     hint="one number is taken for every element")
