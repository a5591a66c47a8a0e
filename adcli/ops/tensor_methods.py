"""Python's operators on tensors (and on forward mode's dual numbers), each mapped to its
primitive, so the notebook's code reads the same with adcli: `2 * dot(x, x)`, `x * x`, `1 / x`,
`x[1:3]`, `x.grad == u`."""

from __future__ import annotations

from typing import Any

from adcli.engine import Tensor
from adcli.engine.batching import Batch
from adcli.engine.forward import Dual
from adcli.ops import elementwise as ew
from adcli.ops import linalg, reductions
from adcli.ops.shape import getitem


# Primitives are functools.partial objects, which do not bind as methods; these do.
def _method(op: Any) -> Any:
    return lambda self, *args, **params: op(self, *args, **params)


def _binary(op: Any) -> Any:
    return lambda self, other: op(self, other)


def _flip(op: Any) -> Any:
    return lambda self, other: op(other, self)


for cls in (Tensor, Dual, Batch):  # dual numbers and batched sweeps read the same
    cls.__add__ = _binary(ew.add)
    cls.__radd__ = _flip(ew.add)
    cls.__sub__ = _binary(ew.sub)
    cls.__rsub__ = _flip(ew.sub)
    cls.__mul__ = _binary(ew.mul)
    cls.__rmul__ = _flip(ew.mul)
    cls.__truediv__ = _binary(ew.div)
    cls.__rtruediv__ = _flip(ew.div)
    cls.__pow__ = _binary(ew.power)
    cls.__rpow__ = _flip(ew.power)
    cls.__matmul__ = _binary(linalg.matmul)
    cls.__rmatmul__ = _flip(linalg.matmul)
    cls.__neg__ = _method(ew.neg)
    cls.__pos__ = lambda self: self
    cls.__abs__ = _method(ew.absolute)
    cls.__lt__ = _binary(ew.lt)
    cls.__le__ = _binary(ew.le)
    cls.__gt__ = _binary(ew.gt)
    cls.__ge__ = _binary(ew.ge)
    cls.__eq__ = _binary(ew.eq)
    cls.__ne__ = _binary(ew.ne)
    cls.__and__ = _binary(ew.logical_and)
    cls.__or__ = _binary(ew.logical_or)
    cls.__invert__ = _method(ew.logical_not)
    cls.__getitem__ = _method(getitem)
    cls.sum = _method(reductions.sum_)
    cls.mean = _method(reductions.mean)
    cls.norm = _method(reductions.norm)
    cls.T = property(_method(linalg.transpose))
