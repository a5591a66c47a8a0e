"""PyTorch as the oracle of numbers: a formula written once, read twice.

Every formula is a tree built once and read twice: as the text adcli parses, and as the torch
computation it means (closures, never eval). In float64, adcli's value and gradient must equal
torch's: nan where torch has nan, ±inf where torch has ±inf, close elsewhere. Used by
test_differential.py (every function at fixed points), test_random_formulas.py (formulas
hypothesis composes), test_jacobian_hessian.py and test_vocabulary.py.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from adcli.calculations import bind_point, gradient
from adcli.language.parser import parse
from adcli.ops import FUNCTIONS

# Every function a formula can call (the constructors, which make arrays, are tested apart).
LANGUAGE_FUNCTIONS = sorted(name for name, f in FUNCTIONS.items() if not f.constructor)


def _same_name(name: str) -> Callable[..., Any]:
    return lambda torch, x: getattr(torch, name)(x)


def _reduction(whole: Callable[..., Any], along: Callable[..., Any]) -> Callable[..., Any]:
    return lambda torch, x, axis=None: whole(torch, x) if axis is None else along(torch, x, axis)


# Each function's twin in torch: `TORCH[name](torch, *tensors, **params)`.
TORCH: dict[str, Callable[..., Any]] = {
    **{name: _same_name(name) for name in (
        "exp", "log", "log2", "log10", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "asin",
        "acos", "atan", "sinh", "cosh", "tanh", "abs", "sign", "relu", "sigmoid")},
    "softplus": lambda torch, x: torch.nn.functional.softplus(x),  # beta=1, threshold=20
    "detach": lambda torch, x: x.detach(),
    "where": lambda torch, cond, a, b: torch.where(cond, a, b),
    "maximum": lambda torch, a, b: torch.maximum(a, b),
    "minimum": lambda torch, a, b: torch.minimum(a, b),
    "clip": lambda torch, x, lo, hi: torch.clamp(x, lo, hi),
    "dot": lambda torch, a, b: torch.dot(a, b),
    "outer": lambda torch, a, b: torch.outer(a, b),
    "matmul": lambda torch, a, b: torch.matmul(a, b),
    "transpose": lambda torch, x: x.permute(tuple(reversed(range(x.ndim)))),
    "sum": _reduction(lambda torch, x: x.sum(), lambda torch, x, axis: x.sum(axis)),
    "mean": _reduction(lambda torch, x: x.mean(), lambda torch, x, axis: x.mean(axis)),
    "prod": _reduction(lambda torch, x: x.prod(), lambda torch, x, axis: x.prod(axis)),
    # x.max() shares the adjoint among ties (evenly_distribute_backward); amax does too.
    # of two arrays, max and min are element-wise: torch.maximum and torch.minimum
    "max": lambda torch, x, *b, axis=None: (
        torch.maximum(x, *b) if b else x.max() if axis is None else torch.amax(x, axis)),
    "min": lambda torch, x, *b, axis=None: (
        torch.minimum(x, *b) if b else x.min() if axis is None else torch.amin(x, axis)),
    "norm": lambda torch, x, axis=None: torch.linalg.vector_norm(x, dim=axis),
    "logsumexp": _reduction(lambda torch, x: torch.logsumexp(x.reshape(-1), 0),
                            lambda torch, x, axis: torch.logsumexp(x, axis)),
    "softmax": lambda torch, x, axis=-1: torch.softmax(x, axis),
    # the count of elements along axis, with torch's axis rule (a 0-d value has the axes -1, 0)
    "size": lambda torch, x, axis=None: torch.ones_like(x).detach().sum(
        *(() if axis is None else (axis,))).reshape(-1)[0],
}
# issue 11's vocabulary. torch has no cbrt, sec, csc or cot: their twins are compositions.
TORCH.update({
    **{name: _same_name(name) for name in (
        "square", "reciprocal", "exp2", "asinh", "acosh", "atanh", "erf", "erfc", "lgamma",
        "digamma", "sinc", "floor", "ceil", "round", "trace", "flatten")},
    "cbrt": lambda torch, x: x.sign() * x.abs() ** (1 / 3),
    "sec": lambda torch, x: 1 / torch.cos(x),
    "csc": lambda torch, x: 1 / torch.sin(x),
    "cot": lambda torch, x: 1 / torch.tan(x),
    "pow": lambda torch, a, b: torch.pow(a, b),
    "hypot": lambda torch, a, b: torch.hypot(a, b),
    "atan2": lambda torch, y, x: torch.atan2(y, x),
    "logaddexp": lambda torch, a, b: torch.logaddexp(a, b),
    "mod": lambda torch, a, b: torch.remainder(a, b),
    "polygamma": lambda torch, n, x: torch.polygamma(n, x),
    "var": lambda torch, x, axis=None, correction=1: torch.var(x, dim=axis, correction=correction),
    "std": lambda torch, x, axis=None, correction=1: torch.std(x, dim=axis, correction=correction),
    "cumsum": lambda torch, x, axis=0: torch.cumsum(x, axis),
    "cumprod": lambda torch, x, axis=0: torch.cumprod(x, axis),
    "sort": lambda torch, x, axis=-1: torch.sort(x, dim=axis, stable=True).values,
    "flip": lambda torch, x, axis=None: torch.flip(
        x, tuple(range(x.ndim)) if axis is None else (axis,) if isinstance(axis, int) else axis),
    "roll": lambda torch, x, shifts, axis=None: torch.roll(x, shifts, axis),
    "reshape": lambda torch, x, shape: torch.reshape(x, shape),
    "concat": lambda torch, *items, axis=0: torch.cat(items, axis),
    "stack": lambda torch, *items, axis=0: torch.stack(items, axis),
    "diag": lambda torch, x, diagonal=0: torch.diag(x, diagonal),
    "tril": lambda torch, x, diagonal=0: torch.tril(x, diagonal),
    "triu": lambda torch, x, diagonal=0: torch.triu(x, diagonal),
    "det": lambda torch, a: torch.linalg.det(a),
    "inv": lambda torch, a: torch.linalg.inv(a),
    "solve": lambda torch, a, b: torch.linalg.solve(a, b),
    "cross": lambda torch, a, b, axis=-1: torch.linalg.cross(a, b, dim=axis),
    "kron": lambda torch, a, b: torch.kron(a, b),
    "einsum": lambda torch, subscripts, *operands: torch.einsum(subscripts, *operands),
    "tensordot": lambda torch, a, b, axes=2: torch.tensordot(a, b, dims=axes),
})

OPERATORS: dict[str, Callable[..., Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "^": operator.pow, "@": operator.matmul,
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}

# -- a formula, read twice ------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A sub-formula: `text` for adcli, `torch(torch, leaves)` for the oracle."""

    text: str
    rank: int  # 0 a scalar, 1 a vector of length n, 2 an n×n matrix
    torch: Callable[[Any, dict[str, Any]], Any]

    def __repr__(self) -> str:
        return self.text


def variable(name: str, rank: int) -> Node:
    return Node(name, rank, lambda torch, leaves: leaves[name])


def number(c: float) -> Node:
    # A number in a formula is a float64 constant in adcli, so it is one in torch too.
    text = repr(c) if c >= 0 else f"(-{-c!r})"
    return Node(text, 0, lambda torch, leaves: torch.tensor(c, dtype=torch.float64))


def call(name: str, *args: Node, rank: int | None = None, **params: int) -> Node:
    text = f"{name}({', '.join([a.text for a in args] + [f'{k}={p}' for k, p in params.items()])})"

    def run(torch: Any, leaves: dict[str, Any]) -> Any:
        return TORCH[name](torch, *(a.torch(torch, leaves) for a in args), **params)

    return Node(text, max(a.rank for a in args) if rank is None else rank, run)


def infix(op: str, a: Node, b: Node, rank: int | None = None) -> Node:
    def run(torch: Any, leaves: dict[str, Any]) -> Any:
        left, right = a.torch(torch, leaves), b.torch(torch, leaves)
        return torch.dot(left, right) if op == "·" else OPERATORS[op](left, right)

    return Node(f"({a.text} {op} {b.text})", max(a.rank, b.rank) if rank is None else rank, run)


def compare(op: str, a: Node, b: Node) -> Node:
    # Unparenthesised: comparisons do not chain, and `where(x > 0, …)` is how people write it.
    node = infix(op, a, b)
    return Node(node.text[1:-1], node.rank, node.torch)


def negate(a: Node) -> Node:
    return Node(f"(-{a.text})", a.rank, lambda torch, leaves: -a.torch(torch, leaves))


def literal(items: list[Node]) -> Node:
    return Node(f"[{', '.join(i.text for i in items)}]", items[0].rank + 1,
                lambda torch, leaves: torch.stack([i.torch(torch, leaves) for i in items]))


def index(a: Node, k: int) -> Node:
    return Node(f"{a.text}[{k}]", a.rank - 1, lambda torch, leaves: a.torch(torch, leaves)[k])


# -- comparing with torch --------------------------------------------------------------------

# Both sides run the same operations in the same order; they differ only where numpy's and
# torch's libm (SLEEF on AVX-512) round exp, sin, pow… differently in the last bit, or BLAS
# sums in another order: a few ulps, grown a little through a depth-4 formula. rtol leaves
# room for that and still catches any wrong rule; atol is for entries that cancel to about 0.
# Where cancellation would need more (tiny inputs, comparisons of computed values), the random
# formulas avoid it instead of loosening this: in ~70,000 random examples, every difference
# beyond it was a real disagreement.
RTOL, ATOL = 1e-9, 1e-12


def assert_same(actual: Any, expected: Any, what: str, scale: float = 0.0) -> None:
    """Equal nan/inf positions, and finite values within RTOL/ATOL. `scale`: the size of the
    whole answer that `expected` is part of (a Hessian's largest entry), for an entry that is
    zero by cancellation: its rounding noise is relative to the terms cancelled, not to itself."""
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    shown = f"{what}\n  adcli: {actual!r}\n  torch: {expected!r}"
    assert actual.shape == expected.shape, f"shape differs: {shown}"
    for special, where in (("nan", np.isnan), ("inf", np.isposinf), ("-inf", np.isneginf)):
        assert np.array_equal(where(actual), where(expected)), f"{special} in other places: {shown}"
    finite = np.isfinite(expected)
    np.testing.assert_allclose(actual[finite], expected[finite], rtol=RTOL,
                               atol=ATOL + 16 * np.finfo(np.float64).eps * scale, err_msg=shown)


def assert_agrees_with_torch(torch: Any, node: Node, point: dict[str, Any]) -> None:
    formula = parse(node.text)
    at = {name: np.array(point[name], dtype=np.float64) for name in formula.variables}
    calculation = gradient(bind_point(formula, given=at))

    leaves = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
              for name, value in at.items()}
    y = node.torch(torch, leaves)
    if y.requires_grad:  # not when every path to a variable is detached
        if y.numel() == 1:
            y.sum().backward()
        else:
            y.backward(torch.ones_like(y))

    label = f"{node.text} at {', '.join(f'{n}={v.tolist()}' for n, v in at.items())}"
    assert_same(calculation.value, y.detach().numpy(), f"value of {label}")
    for name, leaf in leaves.items():
        # adcli gives zeros to a variable that does not reach the output; torch leaves None.
        expected = np.zeros(leaf.shape) if leaf.grad is None else leaf.grad.numpy()
        assert_same(calculation.gradient[name], expected, f"∂/∂{name} of {label}")
