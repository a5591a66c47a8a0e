"""Python's operators on tensors, each mapped to its primitive, so the notebook's code reads
the same with adcli: `2 * dot(x, x)`, `x * x`, `1 / x`, `x[1:3]`, `x.grad == u`."""

from __future__ import annotations

from typing import Any

from adcli.engine import Tensor
from adcli.ops import elementwise as ew
from adcli.ops import linalg, reductions
from adcli.ops.shape import getitem


def _flip(op: Any) -> Any:
    return lambda self, other: op(other, self)


Tensor.__add__ = ew.add
Tensor.__radd__ = _flip(ew.add)
Tensor.__sub__ = ew.sub
Tensor.__rsub__ = _flip(ew.sub)
Tensor.__mul__ = ew.mul
Tensor.__rmul__ = _flip(ew.mul)
Tensor.__truediv__ = ew.div
Tensor.__rtruediv__ = _flip(ew.div)
Tensor.__pow__ = ew.power
Tensor.__rpow__ = _flip(ew.power)
Tensor.__matmul__ = linalg.matmul
Tensor.__rmatmul__ = _flip(linalg.matmul)
Tensor.__neg__ = ew.neg
Tensor.__pos__ = lambda self: self
Tensor.__abs__ = ew.absolute
Tensor.__lt__ = ew.lt
Tensor.__le__ = ew.le
Tensor.__gt__ = ew.gt
Tensor.__ge__ = ew.ge
Tensor.__eq__ = ew.eq
Tensor.__ne__ = ew.ne
Tensor.__and__ = ew.logical_and
Tensor.__or__ = ew.logical_or
Tensor.__invert__ = ew.logical_not
Tensor.__getitem__ = getitem
Tensor.sum = reductions.sum_
Tensor.mean = reductions.mean
Tensor.norm = reductions.norm
Tensor.T = property(linalg.transpose)
