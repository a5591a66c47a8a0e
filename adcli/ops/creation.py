"""Constructors: constant arrays built from numbers, with a size limit checked *before*
any memory is taken (so `0..1e12` is refused, not attempted)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from adcli.engine.errors import OpError
from adcli.ops.limits import check_shape, check_size
from adcli.ops.registry import register_function


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = np.float64) -> np.ndarray:
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise OpError("arange", "the step must not be 0")
    if any(map(math.isnan, (start, stop, step))):
        raise OpError("arange", f"arange({start:g}, {stop:g}, {step:g}): nan is not a bound")
    with np.errstate(all="ignore"):  # (stop - start) / step may overflow: then it is too many
        quotient = (stop - start) / step
    if quotient <= 0:
        # Empty, and numpy is not asked: it fails on some empty ranges (1e100..2) that it
        # cannot step through.
        return np.zeros(0, dtype=dtype)
    count = math.ceil(quotient) if math.isfinite(quotient) else math.inf
    check_size(count, f"arange({start:g}, {stop:g}, {step:g})")
    if start + step == start:
        raise OpError("arange", f"arange({start:g}, {stop:g}, {step:g}): the step is too small "
                                f"to move from {start:g}")
    return np.arange(start, stop, step, dtype=dtype)


def linspace(start: float, stop: float, num: float, dtype: Any = np.float64,
             endpoint: bool = True) -> np.ndarray:
    """num points from start to stop; without the endpoint, the step is (stop - start)/num
    (a sampled range `a..b:n`, whose `..` leaves b out)."""
    if not (math.isfinite(num) and num >= 0 and num == math.floor(num)):
        raise OpError("linspace", f"the number of points must be a whole number >= 0, not {num:g}")
    n = check_size(num, f"linspace(…, {num:g})")
    with np.errstate(all="ignore"):  # linspace(-1e308, 1e308, 3): inf - inf inside, as torch
        return np.linspace(start, stop, n, endpoint=endpoint, dtype=dtype)


def _shape(sizes: tuple[float, ...], what: str) -> tuple[int, ...]:
    return check_shape(sizes, what)


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
