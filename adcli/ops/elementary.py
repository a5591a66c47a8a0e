"""More element-wise functions: powers and roots, the inverse hyperbolic and reciprocal
trigonometric functions, two-argument functions (hypot, atan2, logaddexp, mod), sinc, and the
roundings (floor, ceil, round), whose derivative is zero wherever it exists.

Each follows torch's derivatives.yaml formula, so it meets the edges (0, ±inf, nan) as torch
does; where torch has no such function (cbrt, sec, csc, cot) the textbook rule is used, and the
note says what it gives at the edges.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.ops.elementwise import cos, exp, power, sin, sqrt, where, zeros_like
from adcli.ops.registry import ELEMENTWISE, defprim, register_function
from adcli.ops.shape import broadcast, unbroadcast

register_function(
    "pow", power, doc="u to the power v (the same as u ^ v)",
    rule="∂/∂u = v·u^(v-1), ∂/∂v = u^v·log(u)", arity=2,
    signature="pow(u, v)", inputs=("u", "v"),
)

# -- powers and roots ------------------------------------------------------------------------

# torch has no cbrt. Its derivative 1/(3·cbrt(x)²) is inf at 0, like sqrt'(0), and 0 at ±inf.
cbrt = defprim("cbrt", np.cbrt, (lambda g, ans, x: g / (3 * (ans * ans)),), jvp=ELEMENTWISE,
               doc="cube root, real for negative x too", rule="cbrt'(x) = 1/(3·cbrt(x)²)",
               note="cbrt'(0) = inf")
square = defprim("square", np.square, (lambda g, ans, x: g * (2 * x),), jvp=ELEMENTWISE,
                 doc="x²", rule="square'(x) = 2x")
# torch: -g·result², so reciprocal'(±0) = -inf.
reciprocal = defprim("reciprocal", np.reciprocal, (lambda g, ans, x: -g * (ans * ans),),
                     jvp=ELEMENTWISE, doc="1/x", rule="reciprocal'(x) = -1/x²")
exp2 = defprim("exp2", np.exp2, (lambda g, ans, x: g * ans * math.log(2.0),), jvp=ELEMENTWISE,
               doc="2 to the x", rule="exp2'(x) = 2^x·ln 2")

# -- inverse hyperbolic, reciprocal trigonometric ----------------------------------------------

asinh = defprim("asinh", np.arcsinh, (lambda g, ans, x: g / sqrt(x * x + 1),), jvp=ELEMENTWISE,
                doc="inverse hyperbolic sine", rule="asinh'(x) = 1/sqrt(x²+1)")
# torch: g·(x·x - 1)^(-1/2): inf at ±1, nan inside (-1, 1) where acosh itself is nan.
acosh = defprim("acosh", np.arccosh, (lambda g, ans, x: g / sqrt(x * x - 1),), jvp=ELEMENTWISE,
                doc="inverse hyperbolic cosine", rule="acosh'(x) = 1/sqrt(x²-1)",
                note="acosh'(1) = inf")
atanh = defprim("atanh", np.arctanh, (lambda g, ans, x: g / (1 - x * x),), jvp=ELEMENTWISE,
                doc="inverse hyperbolic tangent", rule="atanh'(x) = 1/(1-x²)",
                note="atanh'(±1) = inf")
# torch has none of these three; each is 1/f(x), with the derivative of that quotient.
sec = defprim("sec", lambda x: 1 / np.cos(x), (lambda g, ans, x: g * (ans * ans) * sin(x),),
              jvp=ELEMENTWISE, doc="secant, 1/cos(x)", rule="sec'(x) = sec(x)·tan(x)")
csc = defprim("csc", lambda x: 1 / np.sin(x), (lambda g, ans, x: -g * (ans * ans) * cos(x),),
              jvp=ELEMENTWISE, doc="cosecant, 1/sin(x)", rule="csc'(x) = -csc(x)·cot(x)",
              note="csc'(0) = -inf")
cot = defprim("cot", lambda x: 1 / np.tan(x), (lambda g, ans, x: -g * (1 + ans * ans),),
              jvp=ELEMENTWISE, doc="cotangent, 1/tan(x)", rule="cot'(x) = -(1 + cot(x)²)",
              note="cot'(0) = -inf")


def _sinc(x: np.ndarray) -> np.ndarray:
    # torch: 1 at 0, else sin(πx)/(πx) as computed, so sinc(1) = 3.9e-17, not 0.
    product = np.pi * x
    return np.where(x == 0, 1.0, np.sin(product) / np.where(x == 0, 1.0, product))


def _sinc_vjp(g, ans, x):
    # torch's sinc_backward, term by term: 0 where π·x² is 0 (at 0, and where x² underflows).
    pi_x, pi_x2 = x * math.pi, x * x * math.pi
    return where(pi_x2 == 0, 0.0, g * (pi_x * cos(pi_x) - sin(pi_x)) / pi_x2)


sinc = defprim("sinc", _sinc, (_sinc_vjp,), jvp=ELEMENTWISE,
               doc="sin(πx)/(πx), 1 at 0; as torch, sinc(1) = 3.9e-17, not 0",
               rule="sinc'(x) = (cos(πx) - sinc(x))/x", note="0 at 0")

# -- two arguments ---------------------------------------------------------------------------

hypot = defprim(
    "hypot", np.hypot,
    (lambda g, ans, a, b: unbroadcast(g * a / ans, a),
     lambda g, ans, a, b: unbroadcast(g * b / ans, b)),
    jvp=(lambda t, ans, a, b: t * a / ans,
         lambda t, ans, a, b: t * b / ans),
    # torch: nan at a = b = 0 (0/0)
    doc="sqrt(a² + b²) without overflow", rule="∂h/∂a = a/h, ∂h/∂b = b/h",
    note="nan at 0, 0", signature="hypot(a, b)", arity=2,
)


def _atan2_reverse(y, x):
    # torch's atan2_backward: one reciprocal of x² + y² for both inputs, and 0 where that sum
    # is 0 (at the origin, or where it underflows), not 0·inf = nan.
    r2 = y * y + x * x
    return where(r2 == 0, 0.0, 1 / r2)


# Forward mode has no such mask in torch (its formula divides by x² + y²): nan at the origin.
atan2 = defprim(
    "atan2", np.arctan2,
    (lambda g, ans, y, x: unbroadcast(g * x * _atan2_reverse(y, x), y),
     lambda g, ans, y, x: unbroadcast(g * -y * _atan2_reverse(y, x), x)),
    jvp=(lambda t, ans, y, x: x * t / (y * y + x * x),
         lambda t, ans, y, x: -y * t / (y * y + x * x)),
    doc="the angle of the point (x, y), in (-π, π]",
    rule="∂/∂y = x/(x²+y²), ∂/∂x = -y/(x²+y²)",
    note="0 at 0", signature="atan2(y, x)", arity=2,
    inputs=("y", "x"),
)
logaddexp = defprim(
    "logaddexp", np.logaddexp,
    (lambda g, ans, a, b: unbroadcast(g / (1 + exp(b - a)), a),
     lambda g, ans, a, b: unbroadcast(g / (1 + exp(a - b)), b)),
    jvp=(lambda t, ans, a, b: t / (1 + exp(b - a)),
         lambda t, ans, a, b: t / (1 + exp(a - b))),
    doc="log(exp(a) + exp(b)) without overflow",
    # torch: nan where a = b = ±inf (inf - inf)
    rule="∂/∂a = 1/(1+exp(b-a)), ∂/∂b = 1/(1+exp(a-b))",
    signature="logaddexp(a, b)", arity=2,
)

# -- roundings -------------------------------------------------------------------------------

# torch: zeros, even at the jumps (where there is no derivative) and at nan.
floor = defprim("floor", np.floor, (lambda g, ans, x: zeros_like(g),), jvp=ELEMENTWISE,
                doc="the largest whole number <= x", rule="floor'(x) = 0")
ceil = defprim("ceil", np.ceil, (lambda g, ans, x: zeros_like(g),), jvp=ELEMENTWISE,
               doc="the smallest whole number >= x", rule="ceil'(x) = 0")
# numpy and torch both round halves to the even neighbour: round(0.5) = 0, round(2.5) = 2.
round_ = defprim("round", np.round, (lambda g, ans, x: zeros_like(g),), jvp=ELEMENTWISE,
                 doc="the nearest whole number, halves to even (as torch: round(0.5) = 0)",
                 rule="round'(x) = 0")
# Python's (and numpy's) floor division, which torch's div(rounding_mode="floor") follows; a
# step function, so no gradient goes through it.
floor_divide = defprim("floor_divide", np.floor_divide, None, doc="floor(a/b)", arity=2,
                       public=False)
# torch.remainder: the sign of b, like Python's %; torch's rule sends g to a (the remainder
# moves with a between jumps) and -g·floor(a/b) to b.
def _remainder(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # torch's remainder: C's fmod, moved by b where the signs differ. np.mod gives the same but
    # for remainder(-0.0, 3), where torch keeps -0.0 and numpy makes it +0.0.
    m = np.fmod(a, b)
    return np.where((m != 0) & ((b < 0) != (m < 0)), m + b, m)


mod = defprim(
    "mod", _remainder,
    (lambda g, ans, a, b: unbroadcast(g, a),
     lambda g, ans, a, b: unbroadcast(-g * floor_divide(a, b), b)),
    jvp=(lambda t, ans, a, b: broadcast(t, ans),
         lambda t, ans, a, b: -t * floor_divide(a, b)),
    doc="a - b·floor(a/b): the remainder, with b's sign (Python's %, torch's remainder)",
    rule="∂mod/∂a = 1, ∂mod/∂b = -floor(a/b)",
    signature="mod(a, b)", arity=2,
)

__all__ = ["acosh", "asinh", "atan2", "atanh", "cbrt", "ceil", "cot", "csc", "exp2", "floor",
           "floor_divide", "hypot", "logaddexp", "mod", "reciprocal", "round_", "sec", "sinc",
           "square"]
