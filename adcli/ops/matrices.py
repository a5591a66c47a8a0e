"""Matrix functions: trace, diag, tril, triu, det, inv, solve, and the products cross and kron.

det, inv and solve work on a matrix or a stack of them (the last two axes), as torch.linalg.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from adcli.engine.errors import OpError
from adcli.ops.limits import check_size
from adcli.ops.linalg import matmul, swap_last
from adcli.ops.reductions import sum_
from adcli.ops.registry import defprim
from adcli.ops.shape import getitem, reshape, scatter, unbroadcast


def _values(x: Any) -> np.ndarray:
    return np.asarray(getattr(x, "data", x))


def _matrix(x: Any, op: str, square: bool = False) -> None:
    if np.ndim(x) < 2:
        raise OpError(op, f"{op} needs a matrix, got shape {np.shape(x)}")
    if square and np.shape(x)[-1] != np.shape(x)[-2]:
        raise OpError(op, f"{op} needs a square matrix, got shape {np.shape(x)}")


def _trace(x: np.ndarray) -> np.ndarray:
    if np.ndim(x) != 2:
        raise OpError("trace", f"trace needs a matrix, got shape {np.shape(x)}")  # as torch
    return np.trace(x)


trace = defprim(
    "trace", _trace, (lambda g, ans, x: g * np.eye(*np.shape(x)),),
    jvp=(lambda t, ans, x: trace(t),),
    doc="sum of a matrix's diagonal", rule="∂trace(A)/∂A = I", signature="trace(A)",
    inputs=("A",),
)

# -- diag, tril, triu ------------------------------------------------------------------------


def _diagonal(shape: tuple[int, ...], k: int) -> tuple[np.ndarray, np.ndarray]:
    """The positions (rows, columns) of the k-th diagonal of a matrix of `shape`."""
    rows, cols = shape
    first_row, first_col = max(-k, 0), max(k, 0)
    length = max(0, min(rows - first_row, cols - first_col))
    steps = np.arange(length)
    return first_row + steps, first_col + steps


def _diag(x: np.ndarray, diagonal: int = 0) -> np.ndarray:
    if np.ndim(x) not in (1, 2):
        raise OpError("diag", f"diag takes a vector or a matrix, got shape {np.shape(x)}")
    if np.ndim(x) == 1:
        check_size((np.size(x) + abs(diagonal)) ** 2, "diag")
    return np.diag(x, diagonal)


def _diag_vjp(g: Any, ans: Any, x: Any, diagonal: int = 0) -> Any:
    if np.ndim(x) == 1:  # x was put on a diagonal: read it back from there
        return getitem(g, _diagonal(np.shape(g), diagonal))
    return scatter(g, _diagonal(np.shape(x), diagonal), np.shape(x))


diag = defprim(
    "diag", _diag, (_diag_vjp,), jvp=(lambda t, ans, x, diagonal=0: diag(t, diagonal=diagonal),),
    doc="a vector onto a matrix's diagonal, or a matrix's diagonal as a vector (torch's diag)",
    rule="the adjoint's diagonal (or on the diagonal)",
    signature="diag(x, diagonal=0)", params=("diagonal",),
)


def _triangle(name: str, keep: Any) -> Any:
    def value(x: np.ndarray, diagonal: int = 0) -> np.ndarray:
        _matrix(x, name)
        return keep(x, diagonal)

    op = defprim(
        name, value,
        (lambda g, ans, x, diagonal=0: op(g, diagonal=diagonal),),
        jvp=(lambda t, ans, x, diagonal=0: op(t, diagonal=diagonal),),
        doc=f"the matrix with zeros {'above' if name == 'tril' else 'below'} the diagonal "
            f"(diagonal=k: the k-th)",
        rule=f"the adjoint's {'lower' if name == 'tril' else 'upper'} triangle",
        signature=f"{name}(x, diagonal=0)", params=("diagonal",),
    )
    return op


tril = _triangle("tril", np.tril)
triu = _triangle("triu", np.triu)

# -- det, inv, solve -------------------------------------------------------------------------


def _det(a: np.ndarray) -> np.ndarray:
    _matrix(a, "det", square=True)
    return np.linalg.det(a)


def _minors(a: Any) -> Any:
    """Every (n-1)×(n-1) minor of each matrix: shape (..., n, n, n-1, n-1), [i, j] without
    row i and column j; taken by indexing, so differentiable like any other gather."""
    n = np.shape(a)[-1]
    keep = np.array([[k for k in range(n) if k != i] for i in range(n)], dtype=np.intp)
    return getitem(a, (Ellipsis, keep[:, None, :, None], keep[None, :, None, :]))


def _cofactors(a: Any, det_a: Any) -> Any:
    """The cofactor matrix, ∂det(A)/∂A. det(A)·A⁻ᵀ where no det is 0; else each cofactor
    from its minor (n² determinants of size n-1), which is exact at a singular matrix too."""
    n = np.shape(a)[-1]
    if np.all(_values(det_a) != 0):
        return reshape(det_a, np.shape(det_a) + (1, 1)) * swap_last(inv(a))
    if n == 1:
        return np.ones(np.shape(a))
    check_size(np.size(_values(a)) * n * n, "the derivative of det at a singular matrix")
    signs = np.where(np.add.outer(np.arange(n), np.arange(n)) % 2 == 0, 1.0, -1.0)
    minors = _minors(a)
    # a 1×1 minor is its element: exact, where numpy's det (via log|det|) may miss by an ulp
    return signs * (getitem(minors, (Ellipsis, 0, 0)) if n == 2 else det(minors))


det = defprim(
    "det", _det,
    (lambda g, ans, a: reshape(g, np.shape(g) + (1, 1)) * _cofactors(a, ans),),
    jvp=(lambda t, ans, a: _sum_last_two(_cofactors(a, ans) * t),),
    doc="determinant of a square matrix (of each, for a stack)",
    # at a singular matrix the cofactors, from the minors: det is a polynomial, its derivative
    # is defined everywhere (torch 2.13 returns 0 there, which is wrong)
    rule="∂det(A)/∂A = det(A)·A⁻ᵀ (the cofactors)",
    signature="det(A)", inputs=("A",),
)


def _sum_last_two(x: Any) -> Any:
    return sum_(x, axis=(-2, -1))


def _inv(a: np.ndarray) -> np.ndarray:
    _matrix(a, "inv", square=True)
    return np.linalg.inv(a)


inv = defprim(
    "inv", _inv,
    (lambda g, ans, a: -matmul(swap_last(ans), matmul(g, swap_last(ans))),),
    jvp=(lambda t, ans, a: -matmul(ans, matmul(t, ans)),),
    doc="inverse of a square matrix (of each, for a stack)",
    rule="∂A⁻¹: G ↦ -A⁻ᵀ G A⁻ᵀ", signature="inv(A)", inputs=("A",),
)


def _is_vector(a: Any, b: Any) -> bool:
    # torch.linalg.solve: b is a vector (or a stack of them) when it has one axis less than A
    return np.ndim(b) == np.ndim(a) - 1


def _column(b: Any) -> Any:
    return reshape(b, np.shape(b) + (1,))


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    _matrix(a, "solve", square=True)
    if _is_vector(a, b):
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


def _solve_vjp_b(g: Any, ans: Any, a: Any, b: Any) -> Any:
    return unbroadcast(solve(swap_last(a), g), b)  # Aᵀ gb = g


def _solve_vjp_a(g: Any, ans: Any, a: Any, b: Any) -> Any:
    gb = solve(swap_last(a), g)
    if _is_vector(a, b):  # -gb xᵀ, one outer product per matrix
        return unbroadcast(-_column(gb) * reshape(ans, np.shape(ans)[:-1] + (1, np.shape(ans)[-1])), a)
    return unbroadcast(-matmul(gb, swap_last(ans)), a)


def _solve_jvp_a(t: Any, ans: Any, a: Any, b: Any) -> Any:
    if _is_vector(a, b):
        return -solve(a, reshape(matmul(t, _column(ans)), np.shape(ans)))
    return -solve(a, matmul(t, ans))


solve = defprim(
    "solve", _solve, (_solve_vjp_a, _solve_vjp_b),
    jvp=(_solve_jvp_a, lambda t, ans, a, b: solve(a, t)),
    doc="x with A x = b (b a vector or a matrix of right-hand sides)",
    rule="∂x/∂A: G ↦ -(A⁻ᵀG) xᵀ, ∂x/∂b: G ↦ A⁻ᵀG",
    signature="solve(A, b)", arity=2, inputs=("A", "b"),
)

# -- cross, kron -----------------------------------------------------------------------------


def _cross(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
    shape = np.broadcast_shapes(np.shape(a), np.shape(b))
    if not shape or not -len(shape) <= axis < len(shape) or shape[axis] != 3:
        raise OpError("cross", f"cross needs 3 elements along axis {axis}, got shapes "
                               f"{np.shape(a)} and {np.shape(b)}")
    a, b = np.broadcast_to(a, shape), np.broadcast_to(b, shape)
    return np.cross(a, b, axis=axis)


cross = defprim(
    "cross", _cross,
    (lambda g, ans, a, b, axis=-1: unbroadcast(cross(b, g, axis=axis), a),
     lambda g, ans, a, b, axis=-1: unbroadcast(cross(g, a, axis=axis), b)),
    jvp=(lambda t, ans, a, b, axis=-1: cross(t, b, axis=axis),
         lambda t, ans, a, b, axis=-1: cross(a, t, axis=axis)),
    doc="cross product of 3-vectors (along the last axis)",
    rule="∂(u×v)/∂u: G ↦ v×G, ∂(u×v)/∂v: G ↦ G×u",
    signature="cross(u, v, axis=-1)", arity=2, inputs=("u", "v"), params=("axis",),
    keywords=("axis",),
)


def _kron_parts(a: Any, b: Any) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """a's and b's shapes, padded with leading 1s to one length r (numpy's and torch's rule)."""
    r = max(np.ndim(a), np.ndim(b))
    return (1,) * (r - np.ndim(a)) + np.shape(a), (1,) * (r - np.ndim(b)) + np.shape(b), r


def _kron_vjp(g: Any, a: Any, b: Any, which: int) -> Any:
    # g viewed as (a₀, b₀, a₁, b₁, …): each of its elements is one aᵢ·bⱼ
    sa, sb, r = _kron_parts(a, b)
    blocks = reshape(g, tuple(n for pair in zip(sa, sb) for n in pair))
    if which == 0:  # ∂/∂aᵢ: the block of aᵢ, weighted by b, summed over b's axes
        weights = reshape(b, tuple(n for pair in zip((1,) * r, sb) for n in pair))
        return reshape(sum_(blocks * weights, axis=tuple(range(1, 2 * r, 2))), np.shape(a))
    weights = reshape(a, tuple(n for pair in zip(sa, (1,) * r) for n in pair))
    return reshape(sum_(blocks * weights, axis=tuple(range(0, 2 * r, 2))), np.shape(b))


kron = defprim(
    "kron", np.kron,
    (lambda g, ans, a, b: _kron_vjp(g, a, b, 0),
     lambda g, ans, a, b: _kron_vjp(g, a, b, 1)),
    jvp=(lambda t, ans, a, b: kron(t, b),
         lambda t, ans, a, b: kron(a, t)),
    doc="Kronecker product: each element of a times the whole of b",
    rule="∂(a⊗b)/∂a = Σ blocks of G·b, and so for b",
    signature="kron(a, b)", arity=2,
)
