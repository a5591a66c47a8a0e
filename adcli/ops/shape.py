"""Primitives that move elements around without changing them, and `unbroadcast`.

Each pair here is its own adjoint: sum_to ↔ broadcast_to, getitem ↔ scatter, reshape ↔ reshape.
Each is linear, so its JVP is the primitive itself applied to the tangent.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from adcli.ops.registry import PerArgument, defprim


def _sum_to(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    lead = np.ndim(x) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and np.shape(x)[lead + i] != 1
    )
    summed = np.sum(x, axis=axes, keepdims=True) if axes else np.asarray(x)
    return summed.reshape(shape)


sum_to = defprim(
    "sum_to", _sum_to,
    (lambda g, ans, x, shape: broadcast_to(g, np.shape(x)),),
    jvp=(lambda t, ans, x, shape: sum_to(t, shape),),
    doc="sum a broadcast array back down to `shape`", public=False,
)
broadcast_to = defprim(
    "broadcast_to", np.broadcast_to,
    (lambda g, ans, x, shape: sum_to(g, np.shape(x)),),
    jvp=(lambda t, ans, x, shape: broadcast_to(t, shape),),
    doc="repeat x along new or length-1 axes", public=False,
)
reshape = defprim(
    "reshape", np.reshape,
    (lambda g, ans, x, shape: reshape(g, np.shape(x)),),
    jvp=(lambda t, ans, x, shape: reshape(t, shape),),
    doc="the same elements in a new shape", public=False,
)


def unbroadcast(g: Any, like: Any) -> Any:
    """Reduce a cotangent back to the shape of the input it belongs to (numpy broadcasting)."""
    shape = np.shape(like)
    if np.shape(g) == shape:
        return g
    return sum_to(g, shape)


def broadcast(t: Any, like: Any) -> Any:
    """Repeat a tangent up to the shape of the output it belongs to: unbroadcast's twin in
    forward mode."""
    shape = np.shape(like)
    if np.shape(t) == shape:
        return t
    return broadcast_to(t, shape)


def expand(g: Any, shape: tuple[int, ...], axis: Any) -> Any:
    """Undo a reduction over `axis`: put the reduced axes back and repeat g along them."""
    if axis is not None and shape:  # (an axis of a single number, 0 or -1, reduced nothing)
        axes = (axis,) if isinstance(axis, int) else axis
        kept = list(shape)
        for a in axes:
            kept[a % len(shape)] = 1
        g = reshape(g, tuple(kept))
    return broadcast_to(g, shape)


def _scatter(g: np.ndarray, key: Any, shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros(shape, dtype=np.result_type(g))
    if any(isinstance(k, np.ndarray) for k in (key if isinstance(key, tuple) else (key,))):
        # integer-array indexing may pick a position twice (x[[0, 0]]): its adjoint adds up
        # there, as torch's index_put with accumulate=True does; `out[key] = g` would keep one.
        np.add.at(out, key, g)
    else:
        out[key] = g  # ints and slices: no position is written twice
    return out


getitem = defprim(
    "getitem", lambda x, key: x[key],
    (lambda g, ans, x, key: scatter(g, key, np.shape(x)),),
    jvp=(lambda t, ans, x, key: getitem(t, key),),
    doc="an element, a slice or chosen elements: x[i], x[a:b], A[i, j], x[[0, 2]]",
    rule="the adjoint goes back to the selected positions (added where one repeats), zeros elsewhere",
    public=False,
)
scatter = defprim(
    "scatter", _scatter,
    (lambda g, ans, x, key, shape: getitem(g, key),),
    jvp=(lambda t, ans, x, key, shape: scatter(t, key, shape),),
    doc="zeros of `shape` with x written at `key` (the adjoint of indexing)", public=False,
)
def _stack(*items: np.ndarray, axis: int = 0) -> np.ndarray:
    if len({np.shape(i) for i in items}) > 1:
        shapes = ", ".join(str(np.shape(i)) for i in items)
        raise ValueError(f"stack needs arrays of one shape, got {shapes}")
    return np.stack(items, axis=axis)


def _item(k: int, axis: int, ans: Any) -> tuple[Any, ...]:
    """The index of the k-th stacked item along `axis` of the result."""
    return (slice(None),) * (axis % np.ndim(ans)) + (k,)


stack = defprim(
    "stack", _stack,
    PerArgument(lambda k: lambda g, ans, *items, axis=0: getitem(g, _item(k, axis, ans))),
    jvp=PerArgument(lambda k: lambda t, ans, *items, axis=0:
                    scatter(t, _item(k, axis, ans), np.shape(ans))),
    doc="arrays of one shape stacked along a new axis (also the literal [a, b, …])",
    rule="slice k of the adjoint goes to item k",
    signature="stack(a, b, …, axis=0)", arity=-1, params=("axis",), public=False,
)
