"""Constructors: constant arrays built from numbers, with a size limit checked *before*
any memory is taken (so `0..1e12` is refused, not attempted)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from adcli.engine.errors import OpError
from adcli.ops.limits import check_size
from adcli.ops.registry import register_function


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = np.float64) -> np.ndarray:
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise OpError("arange", "the step must not be 0")
    count = math.ceil((stop - start) / step) if all(map(math.isfinite, (start, stop, step))) else math.inf
    check_size(count, f"arange({start:g}, {stop:g}, {step:g})")
    return np.arange(start, stop, step, dtype=dtype)


def linspace(start: float, stop: float, num: float, dtype: Any = np.float64,
             endpoint: bool = True) -> np.ndarray:
    """num points from start to stop; without the endpoint, the step is (stop - start)/num
    (a sampled range `a..b:n`, whose `..` leaves b out)."""
    n = check_size(num, f"linspace(…, {num:g})")
    if n != num:
        raise OpError("linspace", f"the number of points must be a whole number, not {num:g}")
    return np.linspace(start, stop, n, endpoint=endpoint, dtype=dtype)


def _shape(sizes: tuple[float, ...], what: str) -> tuple[int, ...]:
    if any(s != int(s) or s < 0 for s in sizes):
        raise OpError(what, f"{what}: sizes must be whole numbers >= 0, not {sizes}")
    check_size(math.prod(sizes), f"{what}{tuple(int(s) for s in sizes)}")
    return tuple(int(s) for s in sizes)


def zeros(*sizes: float, dtype: Any = np.float64) -> np.ndarray:
    return np.zeros(_shape(sizes, "zeros"), dtype=dtype)


def ones(*sizes: float, dtype: Any = np.float64) -> np.ndarray:
    return np.ones(_shape(sizes, "ones"), dtype=dtype)


register_function("arange", arange, doc="start, start+step, … below stop",
                  rule="a constant", arity=0, params=("start", "stop", "step"),
                  required_params=1, constructor=True, signature="arange(start, stop?, step?)")
register_function("linspace", linspace, doc="num points evenly from start to stop",
                  rule="a constant", arity=0, params=("start", "stop", "num"),
                  required_params=3, constructor=True, signature="linspace(start, stop, num)")
register_function("zeros", zeros, doc="an array of zeros of the given sizes", rule="a constant",
                  arity=0, params=("sizes",), required_params=1, constructor=True,
                  signature="zeros(n, m?, …)")
register_function("ones", ones, doc="an array of ones of the given sizes", rule="a constant",
                  arity=0, params=("sizes",), required_params=1, constructor=True,
                  signature="ones(n, m?, …)")


def randn(*sizes: float, rng: Any, dtype: Any = np.float64) -> np.ndarray:
    return rng.standard_normal(_shape(sizes, "randn")).astype(dtype, copy=False)


def rand(*sizes: float, rng: Any, dtype: Any = np.float64) -> np.ndarray:
    return rng.random(_shape(sizes, "rand")).astype(dtype, copy=False)


register_function("randn", randn, doc="standard normal draws of the given sizes (see --seed)",
                  rule="a constant", arity=0, params=("sizes",), required_params=1,
                  constructor=True, random=True, signature="randn(n, m?, …)")
register_function("rand", rand, doc="uniform draws in [0, 1) of the given sizes (see --seed)",
                  rule="a constant", arity=0, params=("sizes",), required_params=1,
                  constructor=True, random=True, signature="rand(n, m?, …)")
