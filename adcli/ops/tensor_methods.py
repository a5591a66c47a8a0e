"""Python's operators on tensors, each mapped to its primitive, so the notebook's code reads
the same with adcli: `2 * dot(x, x)`, `x * x`, `1 / x`, `x[1:3]`, `x.grad == u`."""

from __future__ import annotations

from typing import Any

from adcli.engine import Tensor
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


Tensor.__add__ = _binary(ew.add)
Tensor.__radd__ = _flip(ew.add)
Tensor.__sub__ = _binary(ew.sub)
Tensor.__rsub__ = _flip(ew.sub)
Tensor.__mul__ = _binary(ew.mul)
Tensor.__rmul__ = _flip(ew.mul)
Tensor.__truediv__ = _binary(ew.div)
Tensor.__rtruediv__ = _flip(ew.div)
Tensor.__pow__ = _binary(ew.power)
Tensor.__rpow__ = _flip(ew.power)
Tensor.__matmul__ = _binary(linalg.matmul)
Tensor.__rmatmul__ = _flip(linalg.matmul)
Tensor.__neg__ = _method(ew.neg)
Tensor.__pos__ = lambda self: self
Tensor.__abs__ = _method(ew.absolute)
Tensor.__lt__ = _binary(ew.lt)
Tensor.__le__ = _binary(ew.le)
Tensor.__gt__ = _binary(ew.gt)
Tensor.__ge__ = _binary(ew.ge)
Tensor.__eq__ = _binary(ew.eq)
Tensor.__ne__ = _binary(ew.ne)
Tensor.__and__ = _binary(ew.logical_and)
Tensor.__or__ = _binary(ew.logical_or)
Tensor.__invert__ = _method(ew.logical_not)
Tensor.__getitem__ = _method(getitem)
Tensor.sum = _method(reductions.sum_)
Tensor.mean = _method(reductions.mean)
Tensor.norm = _method(reductions.norm)
Tensor.T = property(_method(linalg.transpose))
