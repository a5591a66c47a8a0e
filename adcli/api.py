"""Constructors for the Python API, returning tensors (float64 unless told otherwise)."""

from __future__ import annotations

from typing import Any

import numpy as np

from adcli import ops
from adcli.engine import Tensor


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def arange(start: float, stop: float | None = None, step: float = 1, *, dtype: Any = np.float64,
           requires_grad: bool = False) -> Tensor:
    return Tensor(ops.arange(start, stop, step, dtype=dtype), requires_grad=requires_grad)


def linspace(start: float, stop: float, num: int, *, dtype: Any = np.float64,
             requires_grad: bool = False) -> Tensor:
    return Tensor(ops.linspace(start, stop, num, dtype=dtype), requires_grad=requires_grad)


def zeros(*sizes: int, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    return Tensor(ops.zeros(*sizes, dtype=dtype), requires_grad=requires_grad)


def ones(*sizes: int, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    return Tensor(ops.ones(*sizes, dtype=dtype), requires_grad=requires_grad)
