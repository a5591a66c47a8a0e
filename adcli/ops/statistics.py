"""Spread and running totals: var, std (torch's correction), cumsum, cumprod.

var and std take `axis=` and `correction=` by keyword (torch's: 1, the sample variance, unless
told otherwise). cumsum and cumprod run along one axis; a vector's own unless said.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from adcli.engine.errors import OpError
from adcli.ops.arrange import flip, moveaxis
from adcli.ops.axes import AXIS_KEYWORD
from adcli.ops.elementwise import where
from adcli.ops.limits import check_size
from adcli.ops.reductions import _values, size, sum_
from adcli.ops.registry import defprim
from adcli.ops.shape import expand, reshape


def _count(x: Any, axis: Any) -> int:
    return int(np.size(_values(x))) if axis is None else int(np.shape(x)[axis])


def _var(x: np.ndarray, axis: Any = None, correction: float = 1) -> np.ndarray:
    d = x - np.mean(x, axis=axis, keepdims=True)
    # torch: divided by max(0, n - correction), so one number's sample variance is 0/0 = nan.
    return np.sum(d * d, axis=axis) / np.maximum(_count(x, axis) - correction, 0)


def _var_partials(x: Any, axis: Any, correction: float) -> Any:
    """∂var/∂x, torch's var_backward: 2(x - mean)/(n - correction); over the whole array with
    n <= correction, nan where x is its mean and inf elsewhere (that is, 0·inf and c·inf)."""
    # the count as size(x): the rule then records a formula that holds at every length
    count = size(x, axis=axis)
    mean = expand(sum_(x, axis=axis) / count, np.shape(x), axis)
    if axis is None and _count(x, axis) - correction <= 0:
        return where(x == mean, np.nan, np.inf)
    return (x - mean) * (2.0 / (count - correction))


var = defprim(
    "var", _var,
    (lambda g, ans, x, axis=None, correction=1:
        expand(g, np.shape(x), axis) * _var_partials(x, axis, correction),),
    jvp=(lambda t, ans, x, axis=None, correction=1:
         sum_(t * _var_partials(x, axis, correction), axis=axis),),
    doc="variance, divided by n - correction (torch's: correction=1)",
    # torch: one number's sample variance is 0/0 = nan, and so is its derivative
    rule="∂var/∂xᵢ = 2(xᵢ - mean)/(n - correction)",
    signature="var(x, axis=…, correction=1)", params=("axis", "correction"),
    keywords=("axis", "correction"), kinds={"axis": "axis", "correction": "number"},
)


def _std_scale(g: Any, ans: Any) -> Any:
    # torch's std_backward: g/(2·std), and 0 where std is 0 (all elements equal).
    return where(ans == 0, 0.0, g / (2 * ans))


std = defprim(
    "std", lambda x, axis=None, correction=1: np.sqrt(_var(x, axis, correction)),
    (lambda g, ans, x, axis=None, correction=1:
        expand(_std_scale(g, ans), np.shape(x), axis) * _var_partials(x, axis, correction),),
    jvp=(lambda t, ans, x, axis=None, correction=1:
         _std_scale(sum_(t * _var_partials(x, axis, correction), axis=axis), ans),),
    doc="standard deviation, sqrt(var(x))",
    rule="∂std/∂xᵢ = (xᵢ - mean)/((n - c)·std)",  # 0 where std = 0 (torch)
    signature="std(x, axis=…, correction=1)", params=("axis", "correction"),
    keywords=("axis", "correction"), kinds={"axis": "axis", "correction": "number"},
)

# -- running totals --------------------------------------------------------------------------


def _along(x: Any, axis: Any, op: str) -> Any:
    """The axis to run along: a 0-d value has none to run along (None), a vector its own."""
    if axis is not None or np.ndim(x) == 0:
        return axis
    if np.ndim(x) == 1:
        return 0
    raise OpError(op, f"{op} of a {np.ndim(x)}-d value needs an axis: {op}(x, axis=0)")


def _cumsum(x: np.ndarray, axis: Any = None) -> np.ndarray:
    axis = _along(x, axis, "cumsum")
    return np.array(x, copy=True) if axis is None else np.cumsum(x, axis=axis)


def _cumsum_vjp(g: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    axis = _along(x, axis, "cumsum")
    if axis is None:
        return g
    return flip(cumsum(flip(g, axis=axis), axis=axis), axis=axis)  # sums from the end


cumsum = defprim(
    "cumsum", _cumsum, (_cumsum_vjp,), jvp=(lambda t, ans, x, axis=None: cumsum(t, axis=axis),),
    doc="running sums along an axis", rule="the adjoint summed from the end back",
    signature="cumsum(x, axis=…)", params=("axis",), **AXIS_KEYWORD,
)


def _cumprod(x: np.ndarray, axis: Any = None) -> np.ndarray:
    axis = _along(x, axis, "cumprod")
    return np.array(x, copy=True) if axis is None else np.cumprod(x, axis=axis)


def _cumprod_partials(x: Any, axis: int) -> Any:
    """P[..., i, j] = ∂yⱼ/∂xᵢ = the product of x₀…xⱼ but xᵢ, for j >= i (0 below): the exact
    partials also where some xₖ is 0. Each row is cumprod of x with xᵢ set to 1, all rows at
    once along a new axis (n times the input)."""
    moved = moveaxis(x, source=axis, destination=-1)
    n = np.shape(moved)[-1]
    check_size(np.size(_values(x)) * n, "a derivative of cumprod at a zero")
    eye = np.eye(n, dtype=bool)
    rows = where(eye, 1.0, reshape(moved, np.shape(moved)[:-1] + (1, n)))
    products = cumprod(rows, axis=-1)
    # torch's cumprod_backward: a partial whose product holds a zero is 0, even where another
    # factor is inf or nan (0·inf = nan). Only those are replaced: the others stay in the graph,
    # for a partial that is 0 still has a derivative (a second one, where x has a zero).
    zero = np.moveaxis(_values(x), axis, -1)[..., None, :] == 0
    structural = (np.cumsum(zero & ~eye, axis=-1) > 0) & ~np.isfinite(_values(products))
    keep = np.triu(np.ones((n, n), dtype=bool)) & ~structural
    return where(keep, products, 0.0)


def _cumprod_vjp(g: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    axis = _along(x, axis, "cumprod")
    if axis is None:
        return g
    if np.count_nonzero(_values(x) == 0) == 0:
        # torch's cumprod_backward without zeros: sum from the end of g·y, over x.
        return _cumsum_vjp(g * ans, ans, x, axis) / x
    g_last = moveaxis(g, source=axis, destination=-1)
    row = reshape(g_last, np.shape(g_last)[:-1] + (1, np.shape(g_last)[-1]))
    out = sum_(_cumprod_partials(x, axis) * row, axis=-1)
    return moveaxis(out, source=-1, destination=axis)


def _cumprod_jvp(t: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    axis = _along(x, axis, "cumprod")
    if axis is None:
        return t
    if np.count_nonzero(_values(x) == 0) == 0:
        return ans * cumsum(t / x, axis=axis)  # torch's cumprod_jvp without zeros
    t_last = moveaxis(t, source=axis, destination=-1)
    column = reshape(t_last, np.shape(t_last) + (1,))
    out = sum_(_cumprod_partials(x, axis) * column, axis=-2)
    return moveaxis(out, source=-1, destination=axis)


cumprod = defprim(
    "cumprod", _cumprod, (_cumprod_vjp,), jvp=(_cumprod_jvp,),
    doc="running products along an axis",
    # exact where some xᵢ = 0 (not y/x = 0/0); with an inf before that 0, torch's prefix
    # formula (y/x) gives nan where adcli gives the product of the other elements
    rule="∂yⱼ/∂xᵢ = ∏ xₖ for k <= j, k ≠ i",
    signature="cumprod(x, axis=…)", params=("axis",), **AXIS_KEYWORD,
)
