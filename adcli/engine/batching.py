"""Batched tangents and cotangents: many directions pushed through the rules at once.

A Jacobian is one backward pass per row (or one forward pass per column), a Hessian one pass per
input element: the same rules, run again and again on one vector each. A `Batch` holds all those
vectors stacked along a leading axis, and a sweep (a backward pass, a forward sweep) seeded with
the rows of an identity matrix computes every row in one pass: each primitive a rule calls meets
the Batch and runs once on the whole stack, by its batching rule (JAX's vmap, one level deep).

The rules themselves do not change: a rule written `g * cos(x)` multiplies a batch of adjoints
by the unbatched cos(x), because numpy broadcasts the stack's leading axis. Where a primitive
must know which axis is the batch (a sum over an axis, a reshape, an index, a dot product), its
batching rule in `BATCHING` says so (adcli/ops/batching.py fills it, by the primitive's name);
one without a rule runs once per vector of the stack, which is slower but right.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from adcli.engine.primitive import Primitive
from adcli.engine.state import STATE


class Batch:
    """B values of one shape, stacked: `data` has shape (B,) + shape."""

    __slots__ = ("data",)
    # Make `ndarray * Batch` call Batch.__rmul__ instead of looping over the batch.
    __array_ufunc__ = None

    def __init__(self, data: np.ndarray) -> None:
        self.data = data

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of each value (what the rules see), not of the stack."""
        return self.data.shape[1:]

    @property
    def ndim(self) -> int:
        return self.data.ndim - 1

    @property
    def size(self) -> int:
        return int(np.prod(self.data.shape[1:]))

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def __len__(self) -> int:
        return self.data.shape[1]

    def __repr__(self) -> str:
        return f"batch({self.data.shape[0]} × {self.shape})"


# primitive name -> rule(prim, args, params) -> the stacked result, args holding Batches
BatchRule = Callable[[Primitive, Sequence[Any], dict[str, Any]], np.ndarray]
BATCHING: dict[str, BatchRule] = {}


def stacked(value: Any, size: int) -> np.ndarray:
    """A value as a stack of `size`: a Batch's data, or an unbatched value repeated (a view)."""
    if type(value) is Batch:
        return value.data
    array = np.asarray(value)
    return np.broadcast_to(array, (size,) + array.shape)


def _size(args: Sequence[Any]) -> int:
    return next(a.data.shape[0] for a in args if type(a) is Batch)


def one_at_a_time(prim: Primitive, args: Sequence[Any], params: dict[str, Any]) -> np.ndarray:
    """A primitive with no batching rule: its value for each vector of the stack."""
    size = _size(args)
    return np.stack([prim.value(*(a.data[i] if type(a) is Batch else a for a in args), **params)
                     for i in range(size)])


def apply_batched(prim: Primitive, args: Sequence[Any], params: dict[str, Any]) -> Any:
    """A primitive on arguments that may hold a Batch: the stacked result, as a Batch (None
    when no argument is one, and apply goes on as usual)."""
    if not any(type(a) is Batch for a in args):
        return None
    return Batch(BATCHING.get(prim.name, one_at_a_time)(prim, args, params))


STATE.batch_mode = apply_batched


@contextmanager
def batching() -> Iterator[None]:
    """A sweep with Batches: only inside it does apply() look for them."""
    STATE.batch_level += 1
    try:
        yield
    finally:
        STATE.batch_level -= 1


def identity(like: np.ndarray, start: int = 0, stop: int | None = None) -> Batch:
    """Rows start..stop of the identity, each shaped like `like`: unit seeds, as one Batch."""
    size = int(np.prod(np.shape(like)))
    stop = size if stop is None else stop
    dtype = like.dtype if like.dtype.kind in "fc" else np.dtype(np.float64)
    seeds = np.zeros((stop - start, size), dtype=dtype)
    seeds[np.arange(stop - start), np.arange(start, stop)] = 1
    return Batch(seeds.reshape((stop - start,) + np.shape(like)))


def unstacked(value: Any, size: int, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """What a batched sweep left for one output: a Batch's data, or (a rule that sent the same
    value to every vector, e.g. zeros) that value repeated; zeros where nothing arrived."""
    if value is None:
        return np.zeros((size,) + shape, dtype=dtype)
    array = value.data if type(value) is Batch else np.asarray(value)
    return np.array(np.broadcast_to(array, (size,) + shape), dtype=dtype)
