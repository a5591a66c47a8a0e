"""Special functions: erf, erfc, lgamma, digamma and polygamma, with values from scipy.special.

scipy is imported inside the value functions, never at start-up: it costs about as much as numpy
itself (`python -X importtime`; README, Speed), and adcli starts for every command and every Tab
press. Only a formula that calls one of these pays for it.

The rules are torch's (derivatives.yaml): lgamma' = digamma, digamma' = polygamma(1, ·),
polygamma(n, ·)' = polygamma(n+1, ·), so every order of derivative is again one of these.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from adcli.engine.errors import OpError
from adcli.ops.elementwise import exp
from adcli.ops.registry import ELEMENTWISE, defprim


def _scipy() -> Any:
    from scipy import special

    return special


_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

erf = defprim("erf", lambda x: _scipy().erf(x),
              (lambda g, ans, x: _TWO_OVER_SQRT_PI * exp(-(x * x)) * g,), jvp=ELEMENTWISE,
              doc="the error function", rule="erf'(x) = 2/sqrt(π)·exp(-x²)")
erfc = defprim("erfc", lambda x: _scipy().erfc(x),
               (lambda g, ans, x: -_TWO_OVER_SQRT_PI * exp(-(x * x)) * g,), jvp=ELEMENTWISE,
               doc="1 - erf(x), accurate where erf(x) is near 1", rule="erfc'(x) = -2/sqrt(π)·exp(-x²)")


def _lgamma(x: np.ndarray) -> np.ndarray:
    # torch (and C's lgamma): lgamma(-inf) = inf, where scipy's gammaln gives -inf.
    return np.where(np.isneginf(x), np.inf, _scipy().gammaln(x))


lgamma = defprim("lgamma", _lgamma, (lambda g, ans, x: g * digamma(x),), jvp=ELEMENTWISE,
                 doc="log|Γ(x)|, the log of the gamma function's size",
                 rule="lgamma'(x) = digamma(x)")
# digamma(-0.0) = inf and digamma(0) = -inf (the limits from each side), nan at the negative
# whole numbers: scipy's psi and torch agree on all of these.
digamma = defprim("digamma", lambda x: _scipy().psi(x),
                  (lambda g, ans, x: g * polygamma(x, n=1),), jvp=ELEMENTWISE,
                  doc="Γ'(x)/Γ(x), the derivative of lgamma", rule="digamma'(x) = polygamma(1, x)",
                  note="6.6e32 at -1")


def _polygamma(x: np.ndarray, n: int = 0) -> np.ndarray:
    if n < 0:
        raise OpError("polygamma", f"n must be a whole number >= 0, not {n}")
    special = _scipy()
    if n == 0:
        return special.psi(x)
    out = special.polygamma(n, x)
    if n == 1:
        # torch's trigamma reflects x < 1/2 through π²/sin²(πx), and sin(πx) is not 0 at a
        # negative whole number in floating point: it gives (π/sin(πx))² there (6.6e32 at -1),
        # not inf; and nan at -inf.
        whole = (x < 0) & (x == np.floor(x)) & np.isfinite(x)
        out = np.where(whole, (np.pi / np.sin(np.pi * x)) ** 2, out)
        return np.where(np.isneginf(x), np.nan, out)
    return np.where(np.isposinf(x), np.nan, out)  # torch's Hurwitz zeta: nan at +inf


polygamma = defprim(
    "polygamma", _polygamma, (lambda g, ans, x, n=0: g * polygamma(x, n=n + 1),),
    jvp=ELEMENTWISE,
    doc="the n-th derivative of digamma (n = 0: digamma itself)",
    # torch's trigamma (n = 1) is accurate to about 5e-10; scipy's, to about 1e-15.
    rule="∂/∂x = polygamma(n+1, x)", signature="polygamma(n, x)",
    params=("n",), leading=1, required_params=1,
)
