"""Primitives that rearrange elements without changing them: reshape, flatten, concat, roll,
flip, sort (and moveaxis, which rules use). Each is linear in its input, so its JVP is itself
on the tangent, and its VJP puts the adjoint back where each element came from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from adcli.ops.axes import AXIS_KEYWORD
from adcli.ops.registry import PerArgument, defprim, register_function
from adcli.ops.shape import getitem, reshape, scatter, stack


def _values(x: Any) -> np.ndarray:
    return np.asarray(getattr(x, "data", x))


register_function(
    "reshape", reshape, doc="the same elements in a new shape (-1: the size that fits)",
    rule="the adjoint reshaped back", arity=1, params=("shape",), required_params=1,
    kinds={"shape": "ints"}, signature="reshape(x, shape)", inputs=("x",),
)
flatten = defprim(
    "flatten", lambda x: np.reshape(x, (-1,)),
    (lambda g, ans, x: reshape(g, np.shape(x)),), jvp=(lambda t, ans, x: flatten(t),),
    doc="the elements as one vector, row by row (a 0-d value becomes 1 element)",
    rule="the adjoint reshaped back",
)
moveaxis = defprim(
    "moveaxis", np.moveaxis,
    (lambda g, ans, x, source, destination: moveaxis(g, source=destination, destination=source),),
    jvp=(lambda t, ans, x, source, destination: moveaxis(t, source=source, destination=destination),),
    doc="one axis moved to another place", public=False,
)

# -- concat ----------------------------------------------------------------------------------


def _concat(*items: np.ndarray, axis: int = 0) -> np.ndarray:
    if any(np.ndim(i) == 0 for i in items):
        raise ValueError("concat joins arrays along an axis; a 0-d value has none "
                         "(write [a, b] or stack(a, b) for numbers)")
    return np.concatenate(items, axis=axis)


def _piece(k: int, items: tuple[Any, ...], axis: int) -> tuple[Any, ...]:
    """The index of item k inside the concatenation."""
    axis %= np.ndim(items[0])
    start = sum(np.shape(i)[axis] for i in items[:k])
    return (slice(None),) * axis + (slice(start, start + np.shape(items[k])[axis]),)


concat = defprim(
    "concat", _concat,
    PerArgument(lambda k: lambda g, ans, *items, axis=0: getitem(g, _piece(k, items, axis))),
    jvp=PerArgument(lambda k: lambda t, ans, *items, axis=0:
                    scatter(t, _piece(k, items, axis), np.shape(ans))),
    doc="arrays joined end to end along an existing axis (torch's cat)",
    rule="each item gets its piece of the adjoint",
    signature="concat(a, b, …, axis=0)", arity=-1, params=("axis",), keywords=("axis",),
)

register_function(
    "stack", stack, doc="arrays of one shape stacked along a new axis (also [a, b, …])",
    rule="slice k of the adjoint goes to item k", arity=-1, params=("axis",),
    keywords=("axis",), signature="stack(a, b, …, axis=0)",
)

# -- roll, flip, sort ------------------------------------------------------------------------


def _negated(shifts: Any) -> Any:
    return -shifts if isinstance(shifts, int) else tuple(-s for s in shifts)


def _roll(x: np.ndarray, shifts: Any, axis: Any = None) -> np.ndarray:
    if np.size(shifts) != (1 if axis is None else np.size(axis)):
        raise ValueError(f"roll needs one shift per axis, got shifts {shifts} and axis {axis}")
    return np.roll(x, shifts, axis=axis)


roll = defprim(
    "roll", _roll,
    (lambda g, ans, x, shifts, axis=None: roll(g, shifts=_negated(shifts), axis=axis),),
    jvp=(lambda t, ans, x, shifts, axis=None: roll(t, shifts=shifts, axis=axis),),
    doc="elements shifted along axes, wrapping around (without axis: the flattened array)",
    rule="the adjoint rolled back", signature="roll(x, shifts, axis=…)",
    params=("shifts", "axis"), required_params=1, keywords=("axis",),
    kinds={"shifts": "ints", "axis": "dims"},
)
flip = defprim(
    "flip", lambda x, axis=None: np.flip(x, axis=axis),
    (lambda g, ans, x, axis=None: flip(g, axis=axis),),
    jvp=(lambda t, ans, x, axis=None: flip(t, axis=axis),),
    doc="the order of elements reversed along axes (all, without axis)",
    rule="the adjoint flipped back", signature="flip(x, axis=…)", params=("axis",),
    keywords=("axis",), kinds={"axis": "axes"},
)


def _sort(x: np.ndarray, axis: Any = -1) -> np.ndarray:
    # stable, as torch's sort keeps equal elements (-0.0 and 0.0 too) in their order; nan last
    return np.array(x, copy=True) if np.ndim(x) == 0 or axis is None else np.sort(x, axis=axis, kind="stable")


def _gather(x: Any, order: np.ndarray, axis: int) -> tuple[Any, ...]:
    """The index that picks, along `axis`, the positions `order` gives (take_along_axis)."""
    index = list(np.indices(np.shape(order), sparse=True))
    index[axis] = order
    return tuple(index)


def _permutation(x: Any, axis: Any) -> np.ndarray:
    return np.argsort(_values(x), axis=axis, kind="stable")


def _sort_vjp(g: Any, ans: Any, x: Any, axis: Any = -1) -> Any:
    if np.ndim(x) == 0 or axis is None:
        return g
    # element i of the result came from position perm[i]: send it back there
    inverse = np.argsort(_permutation(x, axis), axis=axis, kind="stable")
    return getitem(g, _gather(g, inverse, axis % np.ndim(x)))


def _sort_jvp(t: Any, ans: Any, x: Any, axis: Any = -1) -> Any:
    if np.ndim(x) == 0 or axis is None:
        return t
    return getitem(t, _gather(t, _permutation(x, axis), axis % np.ndim(x)))


sort = defprim(
    "sort", _sort, (_sort_vjp,), jvp=(_sort_jvp,),
    doc="the elements in increasing order along an axis (the last), nan last",
    # equal elements keep their order (stable), as torch's sort on the CPU
    rule="the adjoint goes back through the permutation",
    signature="sort(x, axis=-1)", params=("axis",), **AXIS_KEYWORD,
)
