"""Reductions: sum, mean, prod, max, min, norm, logsumexp, and softmax (normalises along an axis).

Each takes an optional constant `axis` (None: all elements). `expand` puts reduced axes back
so the adjoint has the input's shape; a JVP reduces the tangent the way the value was reduced.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from adcli.engine.errors import SizeLimitError
from adcli.ops import limits
from adcli.ops.axes import AXIS_KEYWORD
from adcli.ops.elementwise import detach, exp, isnan, where, zeros_like
from adcli.ops.registry import defprim
from adcli.ops.shape import expand, reshape


def _values(x: Any) -> np.ndarray:
    """The plain array under a tensor, for decisions taken on values (as torch does)."""
    return np.asarray(getattr(x, "data", x))


def _size(x: np.ndarray, axis: Any = None) -> np.ndarray:
    count = np.size(x) if axis is None else np.shape(x)[axis]
    return np.asarray(count, dtype=x.dtype if x.dtype.kind == "f" else np.float64)


# A constant of x's shape, not of its values; a function of the language so that a derivative
# that divides by a count (mean's) can be written as a formula: 1/size(x), not 1/5.
size = defprim(
    "size", _size, None,
    doc="the number of elements (along axis)", rule="none: a count does not change with x",
    signature="size(x, axis=…)", params=("axis",), **AXIS_KEYWORD,
)


sum_ = defprim(
    "sum", lambda x, axis=None: np.sum(x, axis=axis),
    (lambda g, ans, x, axis=None: expand(g, np.shape(x), axis),),
    jvp=(lambda t, ans, x, axis=None: sum_(t, axis=axis),),
    doc="sum of the elements (along axis)", rule="∂sum(x)/∂xᵢ = 1",
    signature="sum(x, axis=…)", params=("axis",), **AXIS_KEYWORD,
)
mean = defprim(
    "mean", lambda x, axis=None: np.mean(x, axis=axis),
    (lambda g, ans, x, axis=None: expand(g, np.shape(x), axis) / size(x, axis=axis),),
    jvp=(lambda t, ans, x, axis=None: mean(t, axis=axis),),
    doc="mean of the elements (along axis)", rule="∂mean(x)/∂xᵢ = 1/n",
    signature="mean(x, axis=…)", params=("axis",), **AXIS_KEYWORD,
)


def _exclusive_products(x: np.ndarray, axis: Any) -> np.ndarray:
    """At each position, the product of all the *other* elements along axis (zeros welcome)."""
    flat = axis is None
    a = np.ravel(x) if flat else np.moveaxis(x, axis, -1)
    ones = np.ones(a.shape[:-1] + (1,), dtype=a.dtype)
    before = np.cumprod(np.concatenate([ones, a[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, a[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    out = before * after
    return out.reshape(np.shape(x)) if flat else np.moveaxis(out, -1, axis)


def _exclusive_products_rule(g: Any, ans: Any, x: Any, axis: Any) -> Any:
    # ∂Eᵢ/∂xₖ is the product of all elements but the i-th and the k-th (0 for k = i): a symmetric
    # matrix, so this one rule is the VJP and the JVP. Row i is exclusive_products of x with its
    # i-th element set to 1; all rows at once along a new axis, so it costs n times the input.
    shape, flat = np.shape(x), axis is None
    if flat:
        x, g, axis = reshape(x, (np.size(_values(x)),)), reshape(g, (np.size(g),)), 0
    a = axis % np.ndim(x)
    n = np.shape(x)[a]
    # It holds about five arrays of n times x's size at once (eye, rows, their products, …).
    if 5 * n * np.size(_values(x)) > limits.MAX_ELEMENTS:
        raise SizeLimitError("prod", f"a second derivative of prod at a zero works on {n:,} × "
                                     f"{np.size(_values(x)):,} arrays, five at a time; the limit "
                                     f"is {limits.MAX_ELEMENTS:,} elements")
    eye = np.eye(n, dtype=bool).reshape((n, n) + (1,) * (np.ndim(x) - a - 1))
    spread = np.shape(x)[:a] + (1,) + np.shape(x)[a:]
    rows = where(eye, 1.0, reshape(x, spread))
    pairs = where(eye, 0.0, exclusive_products(rows, a + 1))
    out = sum_(pairs * reshape(g, spread), axis=a + 1)
    return reshape(out, shape) if flat else out


# prod's rules use it only where an input is 0; its own rules are for second derivatives there.
exclusive_products = defprim("exclusive_products", _exclusive_products,
                             (_exclusive_products_rule,), jvp=(_exclusive_products_rule,),
                             doc="product of the other elements", public=False)


def _prod_vjp(g: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    if np.ndim(x) == 0:
        return g  # torch: the product of one number is that number, even nan or inf
    values = _values(x)
    zeros = np.count_nonzero(values == 0)
    if zeros == 0:
        return expand(g, np.shape(x), axis) * (expand(ans, np.shape(x), axis) / x)
    if axis is None and zeros > 1 and type(x) is np.ndarray:
        # torch: two zeros make every partial product zero. Not when the gradient is recorded
        # (the rule then runs on tensors): its derivative is not zero.
        return zeros_like(x)
    return expand(g, np.shape(x), axis) * exclusive_products(x, axis)


def _prod_jvp(t: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    # torch: (prod_backward(1, x, ans) · t) summed along the axis, without the two-zeros
    # shortcut, so a nan or inf among the other elements still makes the tangent nan.
    if np.ndim(x) == 0:
        return t
    if np.count_nonzero(_values(x) == 0) == 0:
        partials = expand(ans, np.shape(x), axis) / x
    else:
        partials = exclusive_products(x, axis)
    return sum_(partials * t, axis=axis)


prod = defprim(
    "prod", lambda x, axis=None: np.prod(x, axis=axis), (_prod_vjp,), jvp=(_prod_jvp,),
    doc="product of the elements (along axis)",
    rule="∂prod(x)/∂xᵢ = product of the other elements",
    signature="prod(x, axis=…)", params=("axis",), **AXIS_KEYWORD,
)


def _extremum_vjp(g: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    shape = np.shape(x)
    if axis is None:
        # torch's evenly_distribute_backward: ties share the adjoint; a nan result sends it
        # to the nan inputs.
        mask = isnan(x) if np.isnan(_values(ans)) else x == ans
        return where(mask, g / np.count_nonzero(_values(mask)), 0.0)
    # torch's amax/amin: ties along the axis share the adjoint.
    mask = x == expand(ans, shape, axis)
    counts = np.sum(_values(mask), axis=axis)
    return expand(g / counts, shape, axis) * mask


def _extremum_jvp(t: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    # torch's evenly_read_jvp / amaxamin_jvp: the mean tangent of the elements equal to the
    # result; a nan result equals none of them, so its tangent is 0/0 = nan.
    mask = x == (ans if axis is None else expand(ans, np.shape(x), axis))
    return sum_(where(mask, t, 0.0), axis=axis) / np.sum(_values(mask), axis=axis)


max_ = defprim(
    "max", lambda x, axis=None: np.max(x, axis=axis), (_extremum_vjp,), jvp=(_extremum_jvp,),
    doc="largest element (along axis); of two arrays, element-wise",
    rule="g to the largest; ties share it evenly",
    signature="max(x, axis=…) or max(a, b)", params=("axis",),
    pairwise="maximum", **AXIS_KEYWORD,
)
min_ = defprim(
    "min", lambda x, axis=None: np.min(x, axis=axis), (_extremum_vjp,), jvp=(_extremum_jvp,),
    doc="smallest element (along axis); of two arrays, element-wise",
    rule="g to the smallest; ties share it evenly",
    signature="min(x, axis=…) or min(a, b)", params=("axis",),
    pairwise="minimum", **AXIS_KEYWORD,
)
def _norm(x: np.ndarray, axis: Any = None) -> np.ndarray:
    if np.size(x) == max(np.size(np.sum(x, axis=axis)), 1):
        return np.abs(np.sum(x, axis=axis))  # one element each: torch gives |x|, never x² overflow
    return np.sqrt(np.sum(x * x, axis=axis))


def _norm_vjp(g: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    # torch's norm_backward: g · (x/‖x‖), with x/‖x‖ set to 0 at the zero vector (not 0/0);
    # an infinite g still meets that 0 and gives nan, as in torch.
    shape = np.shape(x)
    norm_ = expand(ans, shape, axis)
    return expand(g, shape, axis) * where(norm_ == 0, 0.0, x / norm_)


def _norm_jvp(t: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    norm_ = expand(ans, np.shape(x), axis)
    return sum_(t * where(norm_ == 0, 0.0, x / norm_), axis=axis)


norm = defprim(
    "norm", _norm, (_norm_vjp,), jvp=(_norm_jvp,),
    doc="Euclidean length sqrt(sum(x²))",
    rule="∂‖x‖/∂x = x/‖x‖   (0 at the zero vector)",
    signature="norm(x, axis=…)", params=("axis",), **AXIS_KEYWORD,
)


def _logsumexp(x: np.ndarray, axis: Any = None) -> np.ndarray:
    # torch's: shift by the max, but not by an infinite max (that would make inf - inf = nan).
    shift = np.max(x, axis=axis, keepdims=True)
    shift = np.where(np.isinf(shift), 0.0, shift)
    out = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    return np.reshape(out, np.shape(np.sum(x, axis=axis)))


def _logsumexp_jvp(t: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    # torch's logsumexp_jvp: the tangent averaged with weights exp(x - max); the max is a
    # constant that cancels (so x is detached there), but an infinite one gives nan, as in torch.
    weights = exp(x - expand(max_(detach(x), axis=axis), np.shape(x), axis))
    return sum_(weights * t, axis=axis) / sum_(weights, axis=axis)


logsumexp = defprim(
    "logsumexp", _logsumexp,
    (lambda g, ans, x, axis=None:
        expand(g, np.shape(x), axis) * exp(x - expand(ans, np.shape(x), axis)),),
    jvp=(_logsumexp_jvp,),
    doc="log(sum(exp(x))) without overflow",
    rule="∂logsumexp(x)/∂x = softmax(x)",
    signature="logsumexp(x, axis=…)", params=("axis",), **AXIS_KEYWORD,
)


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    if np.ndim(x) == 0:
        return np.exp(x - x)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_vjp(g: Any, ans: Any, x: Any, axis: int = -1) -> Any:
    if np.ndim(ans) == 0:
        return ans * (g - g * ans)
    return ans * (g - expand(sum_(g * ans, axis), np.shape(ans), axis))


def _softmax_jvp(t: Any, ans: Any, x: Any, axis: int = -1) -> Any:
    # torch: s·(t - logsumexp_jvp(x, t)).
    if np.ndim(ans) == 0:
        return ans * (t - t)
    return ans * (t - expand(_logsumexp_jvp(t, None, x, axis), np.shape(ans), axis))


softmax = defprim(
    "softmax", _softmax, (_softmax_vjp,), jvp=(_softmax_jvp,),
    doc="exp(x)/sum(exp(x)) along axis (last)",
    rule="s = softmax(x): g ↦ s·(g - sum(g·s))",
    signature="softmax(x, axis=…)", params=("axis",), **AXIS_KEYWORD,
)
