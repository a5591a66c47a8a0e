"""Products of vectors and matrices: dot (`·`), outer, matmul (`@`), transpose."""

from __future__ import annotations

from typing import Any

import numpy as np

from adcli.ops.limits import check_matmul, check_size
from adcli.ops.registry import defprim
from adcli.ops.shape import reshape, unbroadcast


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if np.ndim(a) != 1 or np.ndim(b) != 1 or np.shape(a) != np.shape(b):
        raise ValueError(
            f"dot needs two vectors of the same length, got shapes {np.shape(a)} and {np.shape(b)}"
        )
    # + 0.0: torch's sum starts from +0.0, so a product of -0.0 (dot of length-1 vectors) is +0.0.
    return np.dot(a, b) + 0.0


def _outer(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if np.ndim(a) != 1 or np.ndim(b) != 1:
        raise ValueError(f"outer needs two vectors, got shapes {np.shape(a)} and {np.shape(b)}")
    check_size(np.size(a) * np.size(b), "outer")
    return np.outer(a, b)


dot = defprim(
    "dot", _dot,
    (lambda g, ans, a, b: g * b,
     lambda g, ans, a, b: g * a),
    jvp=(lambda t, ans, a, b: dot(t, b),
         lambda t, ans, a, b: dot(a, t)),
    doc="dot product of two vectors (also u·v)", rule="∂(u·v)/∂u = v, ∂(u·v)/∂v = u",
    signature="dot(u, v)", arity=2, inputs=("u", "v"),
)
outer = defprim(
    "outer", _outer,
    (lambda g, ans, a, b: matmul(g, b),
     lambda g, ans, a, b: matmul(a, g)),
    jvp=(lambda t, ans, a, b: outer(t, b),
         lambda t, ans, a, b: outer(a, t)),
    doc="outer product u vᵀ of two vectors", rule="∂(uvᵀ)/∂u = G v, ∂(uvᵀ)/∂v = Gᵀu",
    signature="outer(u, v)", arity=2, inputs=("u", "v"),
)


def _swap_last(x: np.ndarray) -> np.ndarray:
    return np.swapaxes(x, -1, -2)


swap_last = defprim("swap_last", _swap_last, (lambda g, ans, x: swap_last(g),),
                    jvp=(lambda t, ans, x: swap_last(t),),
                    doc="swap the last two axes", public=False)


def _column(x: Any) -> Any:
    return reshape(x, np.shape(x) + (1,))


def _matmul_vjp_a(g: Any, ans: Any, a: Any, b: Any) -> Any:
    if np.ndim(a) == 1 and np.ndim(b) == 1:
        return g * b
    if np.ndim(b) == 1:  # (..., m, n) @ (n,) -> (..., m)
        return unbroadcast(_column(g) * b, a)
    if np.ndim(a) == 1:  # (n,) @ (..., n, k) -> (..., k)
        return unbroadcast(reshape(matmul(b, _column(g)), np.shape(g)[:-1] + np.shape(a)), a)
    return unbroadcast(matmul(g, swap_last(b)), a)


def _matmul_vjp_b(g: Any, ans: Any, a: Any, b: Any) -> Any:
    if np.ndim(a) == 1 and np.ndim(b) == 1:
        return g * a
    if np.ndim(b) == 1:  # (..., m, n) @ (n,) -> (..., m)
        return unbroadcast(reshape(matmul(swap_last(a), _column(g)), np.shape(g)[:-1] + np.shape(b)), b)
    if np.ndim(a) == 1:  # (n,) @ (..., n, k) -> (..., k)
        return unbroadcast(_column(a) * reshape(g, np.shape(g)[:-1] + (1, np.shape(g)[-1])), b)
    return unbroadcast(matmul(swap_last(a), g), b)


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    check_matmul(np.shape(a), np.shape(b))  # a product cannot be stopped once numpy starts it
    return np.matmul(a, b)


matmul = defprim(
    "matmul", _matmul, (_matmul_vjp_a, _matmul_vjp_b),
    jvp=(lambda t, ans, a, b: matmul(t, b),
         lambda t, ans, a, b: matmul(a, t)),
    doc="matrix product a @ b (numpy's rules)",
    rule="∂(AB)/∂A = G Bᵀ, ∂(AB)/∂B = Aᵀ G",
    signature="matmul(A, B)", arity=2, inputs=("A", "B"),
)
transpose = defprim(
    "transpose", np.transpose, (lambda g, ans, x: transpose(g),),
    jvp=(lambda t, ans, x: transpose(t),),
    doc="reverse the axes (a matrix's transpose)", rule="∂xᵀ: the adjoint transposed back",
)
