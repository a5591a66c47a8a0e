"""Element-wise primitives: arithmetic, the math functions, comparisons and selection.

One entry per primitive: the numpy value, then one VJP rule per input, each `g ↦ cotangent`
with `ans` the output, and one JVP rule per input, each `t ↦ tangent of the output`. Rules are
written with the registry's own operations, so they run on plain arrays in a first-order pass
and on tensors when a gradient is differentiated again. The formulas follow torch's
derivatives.yaml, which fixes what happens at the edges (0·inf, ties, 0^0, nan); each such
choice is noted where it is made. A one-input function takes `jvp=ELEMENTWISE`: its JVP is its
VJP (torch's `auto_element_wise`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from adcli.ops.registry import ELEMENTWISE, alias, defprim
from adcli.ops.shape import broadcast, unbroadcast

# -- arithmetic (operators, not functions of the language) ----------------------------------

add = defprim(
    "add", np.add,
    (lambda g, ans, a, b: unbroadcast(g, a),
     lambda g, ans, a, b: unbroadcast(g, b)),
    jvp=(lambda t, ans, a, b: broadcast(t, ans),
         lambda t, ans, a, b: broadcast(t, ans)),
    doc="u + v", rule="∂(u+v)/∂u = 1, ∂(u+v)/∂v = 1", arity=2, inputs=("u", "v"), public=False,
)
sub = defprim(
    "sub", np.subtract,
    (lambda g, ans, a, b: unbroadcast(g, a),
     lambda g, ans, a, b: unbroadcast(-g, b)),
    jvp=(lambda t, ans, a, b: broadcast(t, ans),
         lambda t, ans, a, b: broadcast(-t, ans)),
    doc="u - v", rule="∂(u-v)/∂u = 1, ∂(u-v)/∂v = -1", arity=2, inputs=("u", "v"), public=False,
)
mul = defprim(
    "mul", np.multiply,
    (lambda g, ans, a, b: unbroadcast(g * b, a),
     lambda g, ans, a, b: unbroadcast(g * a, b)),
    jvp=(lambda t, ans, a, b: t * b,
         lambda t, ans, a, b: t * a),
    doc="u * v", rule="∂(u*v)/∂u = v, ∂(u*v)/∂v = u", arity=2, inputs=("u", "v"), public=False,
)
# torch: ∂/∂b = -g·((a/b)/b), not -g·a/b², which differs at 0 and overflows sooner; forward,
# torch's (t_a - t_b·(a/b))/b.
div = defprim(
    "div", np.true_divide,
    (lambda g, ans, a, b: unbroadcast(g / b, a),
     lambda g, ans, a, b: unbroadcast(-g * (ans / b), b)),
    jvp=(lambda t, ans, a, b: t / b,
         lambda t, ans, a, b: -(t * ans) / b),
    doc="u / v", rule="∂(u/v)/∂u = 1/v, ∂(u/v)/∂v = -(u/v)/v", arity=2, inputs=("u", "v"), public=False,
)
neg = defprim(
    "neg", np.negative, (lambda g, ans, a: -g,), jvp=ELEMENTWISE,
    doc="-u", rule="∂(-u)/∂u = -1", inputs=("u",), public=False,
)
def _power(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.power(a, b)
    # With a single exponent 0.5 numpy computes sqrt(a): sqrt(-inf) = nan and sqrt(-0.0) = -0.0,
    # where C's pow (and torch's tensor ** tensor) give +inf and +0.0. adcli's exponents are
    # values like any other, so x^0.5 must not differ from x^[0.5, 0.5, 0.5].
    if np.size(b) == 1 and np.all(np.asarray(b) == 0.5):
        out = np.where(np.isneginf(a), np.inf, out) + 0.0  # + 0.0 turns -0.0 into +0.0
    return out


# torch's pow_backward: at b == 0 the base gets 0 (not 0·a^-1 = nan), and where a == 0 and
# b >= 0 the exponent gets 0 (not ans·log(0) = 0·(-inf) = nan). Forward mode uses the same
# formulas with the tangent in g's place (torch's pow.Tensor_Tensor `result:`).
def _power_base(g, ans, a, b):
    return where(b == 0, 0.0, g * (b * a ** (b - 1)))


def _power_exponent(g, ans, a, b):
    return g * where(logical_and(a == 0, b >= 0), 0.0, ans * log(a))


power = defprim(
    "pow", _power,
    (lambda g, ans, a, b: unbroadcast(_power_base(g, ans, a, b), a),
     lambda g, ans, a, b: unbroadcast(_power_exponent(g, ans, a, b), b)),
    jvp=(_power_base, _power_exponent),
    doc="u ^ v (also u ** v)", rule="∂(u^v)/∂u = v·u^(v-1), ∂(u^v)/∂v = u^v·log(u)",
    arity=2, inputs=("u", "v"), note="∂/∂u is 0 where v = 0; ∂/∂v is 0 where u = 0 and v >= 0",
    public=False,
)

# -- the math functions ----------------------------------------------------------------------

exp = defprim("exp", np.exp, (lambda g, ans, x: g * ans,), jvp=ELEMENTWISE,
              doc="e to the x", rule="exp'(x) = exp(x)")
log = defprim("log", np.log, (lambda g, ans, x: g / x,), jvp=ELEMENTWISE,
              doc="natural logarithm", rule="log'(x) = 1/x", note="log'(0) = inf")
alias("ln", "log")
log2 = defprim("log2", np.log2, (lambda g, ans, x: g / (x * math.log(2.0)),), jvp=ELEMENTWISE,
               doc="base-2 logarithm", rule="log2'(x) = 1/(x·ln 2)")
log10 = defprim("log10", np.log10, (lambda g, ans, x: g / (x * math.log(10.0)),),
                jvp=ELEMENTWISE, doc="base-10 logarithm", rule="log10'(x) = 1/(x·ln 10)")
log1p = defprim("log1p", np.log1p, (lambda g, ans, x: g / (x + 1),), jvp=ELEMENTWISE,
                doc="log(1 + x), accurate near 0", rule="log1p'(x) = 1/(1+x)")
expm1 = defprim("expm1", np.expm1, (lambda g, ans, x: g * (ans + 1),), jvp=ELEMENTWISE,
                doc="exp(x) - 1, accurate near 0", rule="expm1'(x) = exp(x)")
sqrt = defprim("sqrt", np.sqrt, (lambda g, ans, x: g / (2 * ans),), jvp=ELEMENTWISE,
               doc="square root", rule="sqrt'(x) = 1/(2·sqrt(x))", note="sqrt'(0) = inf")
sin = defprim("sin", np.sin, (lambda g, ans, x: g * cos(x),), jvp=ELEMENTWISE,
              doc="sine", rule="sin'(x) = cos(x)")
cos = defprim("cos", np.cos, (lambda g, ans, x: g * -sin(x),), jvp=ELEMENTWISE,
              doc="cosine", rule="cos'(x) = -sin(x)")
tan = defprim("tan", np.tan, (lambda g, ans, x: g * (1 + ans * ans),), jvp=ELEMENTWISE,
              doc="tangent", rule="tan'(x) = 1 + tan(x)²")
asin = defprim("asin", np.arcsin, (lambda g, ans, x: g / sqrt(1 - x * x),), jvp=ELEMENTWISE,
               doc="inverse sine", rule="asin'(x) = 1/sqrt(1-x²)")
acos = defprim("acos", np.arccos, (lambda g, ans, x: -g / sqrt(1 - x * x),), jvp=ELEMENTWISE,
               doc="inverse cosine", rule="acos'(x) = -1/sqrt(1-x²)")
atan = defprim("atan", np.arctan, (lambda g, ans, x: g / (x * x + 1),), jvp=ELEMENTWISE,
               doc="inverse tangent", rule="atan'(x) = 1/(1+x²)")
sinh = defprim("sinh", np.sinh, (lambda g, ans, x: g * cosh(x),), jvp=ELEMENTWISE,
               doc="hyperbolic sine", rule="sinh'(x) = cosh(x)")
cosh = defprim("cosh", np.cosh, (lambda g, ans, x: g * sinh(x),), jvp=ELEMENTWISE,
               doc="hyperbolic cosine", rule="cosh'(x) = sinh(x)")
tanh = defprim("tanh", np.tanh, (lambda g, ans, x: g * (1 - ans * ans),), jvp=ELEMENTWISE,
               doc="hyperbolic tangent", rule="tanh'(x) = 1 - tanh(x)²")
# torch: abs'(0) = sign(0) = 0, a subgradient, not an error. The sign is taken of x detached, a
# constant: torch's abs_backward uses sgn, whose derivative is a symbolic zero, so a second
# derivative sends nothing on through it (not 0·inf = nan into an acos below, say).
absolute = defprim("abs", np.abs, (lambda g, ans, x: g * sign(detach(x)),),
                   jvp=ELEMENTWISE, doc="absolute value",
                   rule="abs'(x) = sign(x)", note="abs'(0) = 0")
def _sign(x: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), 0.0, np.sign(x))  # torch: sign(nan) = 0, so abs'(nan) = 0 too


# zeros, not g·0: an infinite adjoint must not turn into nan here.
sign = defprim("sign", _sign, (lambda g, ans, x: zeros_like(x),), jvp=ELEMENTWISE,
               doc="-1, 0 or 1", rule="sign'(x) = 0")
# torch's threshold_backward: the adjoint passes unless ans <= 0, so relu'(0) = 0, relu'(nan) = 1.
# torch keeps x itself where it is not negative: relu(-0.0) = -0.0 and relu(nan) = nan
# (np.maximum(x, 0) would return the 0 on the tie at -0.0). ans <= 0 exactly where x <= 0
# (nan included), so the rule tests x, and reads as relu's derivative.
def _relu_vjp(g: Any, ans: Any, x: Any) -> Any:
    passed = where(x <= 0, 0.0, g)
    if type(x) is np.ndarray:  # numbers: the first derivative
        return passed
    # Recorded, for a derivative of this one: torch's threshold_backward gives x a zero
    # derivative, not none, so that reverse over reverse meets an infinite slope below it as
    # 0·inf = nan (relu(sqrt(x) + y) at 0), as torch does. (Forward over reverse gives 0.)
    return passed + 0.0 * sign(x)


relu = defprim("relu", lambda x: np.where(x < 0, 0.0, x), (_relu_vjp,), jvp=ELEMENTWISE,
               doc="max(x, 0)", rule="relu'(x) = [x > 0]", note="relu'(0) = 0")
sigmoid = defprim("sigmoid", lambda x: 1 / (1 + np.exp(-x)),
                  (lambda g, ans, x: g * (1 - ans) * ans,), jvp=ELEMENTWISE,
                  doc="1/(1+exp(-x))", rule="sigmoid'(x) = sigmoid(x)·(1-sigmoid(x))")


def _softplus(x: np.ndarray) -> np.ndarray:
    # torch's softplus(beta=1, threshold=20): linear above 20, where log1p(exp(x)) == x anyway.
    return np.where(x > 20, x, np.log1p(np.exp(x)))


def _softplus_vjp(g, ans, x):
    # sigmoid(x), not z/(z + 1) with z = exp(x): that is inf/inf from x ≈ 710, and its own
    # derivative (the second derivative, 0 above 20 in torch) would be 0·nan = nan there.
    # torch passes g through above 20 only, but its second derivative (softplus_double_backward)
    # counts below 20 only: at exactly 20 the slope is sigmoid(20) and its derivative 0, as the
    # slope of a detached 20 says.
    return where(x > 20, g, g * sigmoid(where(x < 20, x, detach(x))))


softplus = defprim(
    "softplus", _softplus, (_softplus_vjp,), jvp=ELEMENTWISE,
    doc="log(1+exp(x)); x itself above 20 (torch)", rule="softplus'(x) = sigmoid(x)",
)

# -- comparisons and selection ---------------------------------------------------------------

lt = defprim("lt", np.less, None, doc="a < b", arity=2, public=False)
le = defprim("le", np.less_equal, None, doc="a <= b", arity=2, public=False)
gt = defprim("gt", np.greater, None, doc="a > b", arity=2, public=False)
ge = defprim("ge", np.greater_equal, None, doc="a >= b", arity=2, public=False)
eq = defprim("eq", np.equal, None, doc="a == b", arity=2, public=False)
ne = defprim("ne", np.not_equal, None, doc="a != b", arity=2, public=False)
logical_and = defprim("logical_and", np.logical_and, None, doc="a and b", arity=2, public=False)
logical_or = defprim("logical_or", np.logical_or, None, doc="a or b", arity=2, public=False)
logical_not = defprim("logical_not", np.logical_not, None, doc="not a", public=False)
isnan = defprim("isnan", np.isnan, None, doc="x is nan", public=False)
zeros_like = defprim("zeros_like", np.zeros_like, None, doc="zeros of x's shape", public=False)

detach = defprim(
    "detach", lambda x: x, None,
    doc="x as a constant (torch's detach)",
    rule="none: the gradient stops here",
)
alias("stop_gradient", "detach")

def _where(cond: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if np.asarray(cond).dtype != bool:  # as torch.where: a number is not a condition
        raise ValueError("where's condition must be a comparison, like where(x > 0, a, b)")
    return np.where(cond, a, b)


where = defprim(
    "where", _where,
    (None,
     lambda g, ans, c, a, b: unbroadcast(where(c, g, 0.0), a),
     lambda g, ans, c, a, b: unbroadcast(where(c, 0.0, g), b)),
    jvp=(None,
         lambda t, ans, c, a, b: broadcast(where(c, t, 0.0), ans),
         lambda t, ans, c, a, b: broadcast(where(c, 0.0, t), ans)),
    doc="a where cond holds, else b",
    # where(x > 0, log(x), 0) still has a nan gradient at 0: b's zero meets log's inf (0·inf).
    rule="g to a where cond holds, to b elsewhere",
    signature="where(cond, a, b)", arity=3, inputs=("cond", "a", "b"),
)
def _share(a_wins):
    # Forward, torch's t_b + w·(t_a - t_b), w = 1/2 on a tie and [a wins] elsewhere, as
    # w·t_a + (t_b - w·t_b): at a nan only b's tangent passes, and an infinite tangent of the
    # side that lost still makes nan (0·inf), as in torch.
    def weight(a, b):
        return where(a == b, 0.5, where(a_wins(a, b), 1.0, 0.0))

    return (lambda t, ans, a, b: weight(a, b) * t,
            lambda t, ans, a, b: t - weight(a, b) * t)


def _keep_a_on_a_tie(a_loses):
    # torch keeps a on a tie, so maximum(-0.0, 0) = -0.0 where np.maximum gives 0.0, and
    # propagates a nan from either side.
    def value(a, b):
        return np.where(np.isnan(b), b, np.where(a_loses(a, b), b, a))

    return value


# torch: a tie sends half to each side; nan sends the whole adjoint to both.
maximum = defprim(
    "maximum", _keep_a_on_a_tie(np.less),
    (lambda g, ans, a, b: unbroadcast(where(a < b, 0.0, where(a == b, g / 2, g)), a),
     lambda g, ans, a, b: unbroadcast(where(a > b, 0.0, where(a == b, g / 2, g)), b)),
    jvp=_share(lambda a, b: a > b),
    doc="element-wise larger of a and b",
    rule="g to the larger; a tie gives g/2 to each",
    signature="maximum(a, b)", arity=2,
)
minimum = defprim(
    "minimum", _keep_a_on_a_tie(np.greater),
    (lambda g, ans, a, b: unbroadcast(where(a > b, 0.0, where(a == b, g / 2, g)), a),
     lambda g, ans, a, b: unbroadcast(where(a < b, 0.0, where(a == b, g / 2, g)), b)),
    jvp=_share(lambda a, b: a < b),
    doc="element-wise smaller of a and b",
    rule="g to the smaller; a tie gives g/2 to each",
    signature="minimum(a, b)", arity=2,
)
# torch's clamp: x keeps the adjoint inside [lo, hi], bounds included; lo > hi gives hi.
def _clip(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    # torch's clamp keeps x on a tie (clip(-0.0, 0, 1) = -0.0) and propagates nan.
    above_lo = np.where(x < lo, lo, x)
    return np.where(above_lo > hi, hi, above_lo)


# Forward, torch's clamp_jvp: where(lo > hi, t_hi, where(x < lo, t_lo, where(x > hi, t_hi, t_x))),
# so at x = nan the tangent of x passes (the adjoint does not).
clip = defprim(
    "clip", _clip,
    (lambda g, ans, x, lo, hi: unbroadcast(where(logical_and(x >= lo, x <= hi), g, 0.0), x),
     lambda g, ans, x, lo, hi: unbroadcast(where(logical_and(x < lo, lo <= hi), g, 0.0), lo),
     lambda g, ans, x, lo, hi: unbroadcast(where(logical_or(x > hi, lo > hi), g, 0.0), hi)),
    jvp=(lambda t, ans, x, lo, hi: where(logical_or(lo > hi, logical_or(x < lo, x > hi)), 0.0, t),
         lambda t, ans, x, lo, hi: where(logical_and(logical_not(lo > hi), x < lo), t, 0.0),
         lambda t, ans, x, lo, hi: where(
             logical_or(lo > hi, logical_and(logical_not(x < lo), x > hi)), t, 0.0)),
    doc="x limited to [lo, hi] (torch's clamp)",
    rule="clip'(x) = [lo <= x <= hi]",
    signature="clip(x, lo, hi)", arity=3, inputs=("x", "lo", "hi"),
)
