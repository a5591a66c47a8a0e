"""Batching rules: how each primitive runs on a stack of values (adcli/engine/batching.py).

Each rule takes the primitive, its arguments (some of them a `Batch`, whose `data` has the stack
as its leading axis) and its parameters, and returns the stacked result. Element-wise primitives
share one rule: the stack's axis goes in front of the broadcast shape. The others say where the
stack's axis is: a reduction's axis moves one place right, a shape or an index gets the axis in
front, a product of vectors becomes a product of a matrix. A primitive missing here still runs
in a batched sweep, once per vector.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from adcli.engine.batching import BATCHING, Batch, one_at_a_time, stacked
from adcli.engine.primitive import Primitive
from adcli.ops.limits import check_size

Args = Sequence[Any]


def _unbatched_shape(value: Any) -> tuple[int, ...]:
    return value.shape if type(value) is Batch else np.shape(value)


def _lifted(value: Any, rank: int) -> Any:
    """A Batch's stack with its value's axes right-aligned to `rank` (numpy's broadcasting then
    matches them with the other arguments'); an unbatched value as it is."""
    if type(value) is not Batch:
        return value
    data = value.data
    if data.ndim - 1 == rank:
        return data
    return data.reshape(data.shape[:1] + (1,) * (rank - data.ndim + 1) + data.shape[1:])


def elementwise(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    # the rank of the broadcast shape is the largest rank among the arguments
    rank = max(a.data.ndim - 1 if type(a) is Batch else np.ndim(a) for a in args)
    return np.asarray(prim.value(*(_lifted(a, rank) for a in args), **params))


def _axis(axis: Any, ndim: int) -> Any:
    """An axis of each value, as an axis of the stack (None: all of the value's axes)."""
    if axis is None:
        return tuple(range(1, ndim + 1))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    moved = tuple(a % ndim + 1 for a in axes) if ndim else ()
    return moved[0] if isinstance(axis, int) else moved


def reduction(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    x, *given = args  # the axis may come as an argument (a rule's `sum_(t, axis)`)
    axis = given[0] if given else params.get("axis", None if prim.name != "softmax" else -1)
    if x.ndim == 0 or type(axis) is Batch:  # a scalar's own conventions: one at a time
        return one_at_a_time(prim, args, params)
    return prim.value(x.data, axis=_axis(axis, x.ndim))


def exclusive_products(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    x, *given = args
    axis = given[0] if given else params.get("axis")
    if axis is None:
        flat = x.data.reshape(x.data.shape[0], -1)
        return prim.value(flat, axis=1).reshape(x.data.shape)
    return prim.value(x.data, axis=_axis(axis, x.ndim))


def reshape(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    x, shape = args
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (int(shape),)
    return x.data.reshape(x.data.shape[:1] + shape)


def broadcast_to(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    x, shape = args
    shape = tuple(shape)
    return np.broadcast_to(_lifted(x, len(shape)), x.data.shape[:1] + shape)


def sum_to(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    x, shape = args
    shape = tuple(shape)
    lead = x.ndim - len(shape)
    axes = tuple(range(1, lead + 1)) + tuple(
        lead + 1 + i for i, n in enumerate(shape) if n == 1 and x.shape[lead + i] != 1)
    summed = np.sum(x.data, axis=axes, keepdims=True) if axes else x.data
    return summed.reshape(x.data.shape[:1] + shape)


def _key(key: Any) -> tuple[Any, ...]:
    return (slice(None),) + (key if isinstance(key, tuple) else (key,))


def getitem(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    x, key = args
    return x.data[_key(key)]


def scatter(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    g, key, shape = args
    out = np.zeros(g.data.shape[:1] + tuple(shape), dtype=np.result_type(g.data))
    out[_key(key)] = g.data
    return out


def stack(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    size = next(a.data.shape[0] for a in args if type(a) is Batch)
    return np.stack([stacked(a, size) for a in args], axis=1)


def transpose(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    (x,) = args
    return np.transpose(x.data, (0,) + tuple(range(x.data.ndim - 1, 0, -1)))


def dot(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    a, b = args
    sa, sb = _unbatched_shape(a), _unbatched_shape(b)
    if len(sa) != 1 or len(sb) != 1 or sa != sb:
        raise ValueError(f"dot needs two vectors of the same length, got shapes {sa} and {sb}")
    if type(a) is Batch and type(b) is Batch:
        return np.einsum("bi,bi->b", a.data, b.data) + 0.0
    # + 0.0: as in the primitive's value (torch's sum starts from +0.0)
    return (a.data @ b if type(a) is Batch else b.data @ a) + 0.0


def outer(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    a, b = args
    size = next(x.data.shape[0] for x in args if type(x) is Batch)
    check_size(size * int(np.prod(_unbatched_shape(a))) * int(np.prod(_unbatched_shape(b))),
               "outer")
    return stacked(a, size)[:, :, None] * stacked(b, size)[:, None, :]


def matmul(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    a, b = args
    batched, other = (a, b) if type(a) is Batch else (b, a)
    if type(other) is Batch or (batched.ndim == 1 and np.ndim(other) > 2):
        return one_at_a_time(prim, args, params)
    if type(a) is Batch:
        if a.ndim == 1:  # v @ B for each v: the stack's rows times B
            return np.matmul(a.data, b)
        return np.matmul(_lifted(a, max(a.ndim, np.ndim(b))), b)
    if b.ndim == 1:  # A @ v for each v: the stack's rows times A's transpose
        return b.data @ np.swapaxes(a, -1, -2) if np.ndim(a) > 1 else b.data @ a
    return np.matmul(a, _lifted(b, max(np.ndim(a), b.ndim)))


def on_the_stack(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    """A primitive that works on the last axes only (swap_last): the stack passes through."""
    return prim.value(*(a.data if type(a) is Batch else a for a in args), **params)


def count(prim: Primitive, args: Args, params: dict[str, Any]) -> np.ndarray:
    """size(x, axis): a count of each value's shape, the same for every vector of the stack."""
    x = args[0]
    value = np.asarray(prim.value(np.broadcast_to(np.zeros((), x.dtype), x.shape), **params))
    return np.broadcast_to(value, x.data.shape[:1] + value.shape)


ELEMENTWISE = (
    "add", "sub", "mul", "div", "neg", "pow", "exp", "log", "log2", "log10", "log1p", "expm1",
    "sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "abs", "sign",
    "relu", "sigmoid", "softplus", "lt", "le", "gt", "ge", "eq", "ne", "logical_and",
    "logical_or", "logical_not", "isnan", "zeros_like", "detach", "where", "maximum", "minimum",
    "clip",
    # issue 11's vocabulary
    "square", "reciprocal", "exp2", "cbrt", "asinh", "acosh", "atanh", "sec", "csc", "cot",
    "sinc", "hypot", "atan2", "logaddexp", "floor", "ceil", "round", "mod", "floor_divide", "erf",
    "erfc", "lgamma", "digamma", "polygamma",
)
# Primitives with no batching rule yet: a graph holding one is differentiated one pass per row
# (adcli/functional.py), as before batching. tests/test_batching.py keeps this list complete.
ONE_AT_A_TIME = (
    "var", "std", "cumsum", "cumprod", "sort", "flip", "roll", "moveaxis", "flatten", "concat",
    "trace", "diag", "tril", "triu", "det", "inv", "solve", "cross", "kron", "einsum", "tensordot",
)
BATCHING.update({name: elementwise for name in ELEMENTWISE})
BATCHING.update({name: reduction for name in ("sum", "mean", "prod", "max", "min", "norm",
                                              "logsumexp", "softmax")})
BATCHING.update(swap_last=on_the_stack, exclusive_products=exclusive_products, reshape=reshape,
                broadcast_to=broadcast_to, sum_to=sum_to, getitem=getitem, scatter=scatter,
                stack=stack, transpose=transpose, dot=dot, outer=outer, matmul=matmul, size=count)
