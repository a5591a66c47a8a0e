"""adcli against PyTorch, the oracle: random formulas, random points, the same numbers.

Every formula is a tree built once and read twice: as the text adcli parses, and as the
torch computation it means (closures, never eval). In float64, adcli's value and gradient
must equal torch's: nan where torch has nan, ±inf where torch has ±inf, close elsewhere.

Every function and operator is first checked alone at fixed points (zeros, negatives, ties,
nan, ±inf, -0.0); then hypothesis composes them into random formulas.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from adcli.calculations import bind_point, gradient
from adcli.language.parser import parse
from adcli.ops import FUNCTIONS


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


# -- every function, at fixed points: zeros, negatives, ties, then the IEEE edges ------------

INF, NAN = math.inf, math.nan
POINT = {
    "x": [-2.0, -0.5, 0.0, 0.5, 1.0, 3.0],  # asin/acos at 1 (infinite slope) and beyond
    "y": [1.0, -0.5, 0.0, 2.0, 1.0, -3.0],  # ties with x at -0.5, 0 and 1
    "t": [3.0, -1.0, 0.0, 3.0, -1.0, 0.0],  # ties for max and min, two zeros for prod
    "v": [0.0, -1.5, 2.0],
    "m": [[-1.0, 0.0, 2.0], [2.0, 0.0, -3.0]],  # a zero column (norm), ties along both axes
    "w": [NAN, INF, -INF, -0.0, 0.0, -1.0, 25.0, -25.0],  # 25: past softplus's threshold, 20
    "a": -1.0,  # a scalar, so log(a) is a 0-d nan
    "o": [0.0, 0.0],  # the zero vector
    "p": [0.0], "q": [-0.5],  # length 1: the product 0·(-0.5) = -0.0 is the whole sum
    "k": [[1e200], [-2.5e-170]],  # squares overflow and underflow
    # issue 11's vocabulary:
    "c": [-8.0, -0.5, 0.125, 1.0, 27.0, NAN],  # cbrt away from 0 and ±inf (see test_vocabulary)
    "s": [[2.0, -1.0, 0.5], [1.0, 3.0, 0.0], [-0.5, 1.0, 1.5]],  # invertible
    "u": [1.0, -2.0, 0.5],
    "z": [[0.0, 2.0, 0.0], [1.0, 0.0, 3.0]],  # zeros for cumprod, ties for sort
    "n": [-1.0, -25.0, -2.5, 0.5, 1.0, 2.0],  # poles of lgamma and digamma
}
x, y, t, v, m, w, a, o, p, q, k, c, s, u, z, n = (
    variable(name, np.ndim(value)) for name, value in POINT.items())


def reciprocal(node: Node) -> Node:
    """1/f tells f's -0.0 from its 0.0: -inf against inf."""
    return infix("/", number(1.0), node)


def _reductions(name: str) -> tuple[Node, ...]:
    return (call(name, x, rank=0), call(name, t, rank=0), call(name, m, rank=0),
            call(name, m, axis=0, rank=1), call(name, m, axis=-1, rank=1), call(name, w, rank=0))


EXAMPLES: dict[str, tuple[Node, ...]] = {
    **{name: _reductions(name) for name in ("sum", "mean", "prod", "max", "min", "norm",
                                            "logsumexp")},
    "softmax": (call("softmax", x), call("softmax", m), call("softmax", m, axis=0),
                call("softmax", w)),
    "detach": (infix("*", x, call("detach", x)), call("detach", x)),
    # The branch not taken still sends 0·(1/0) = nan back to x at 0, as in torch.
    "where": (call("where", compare(">", x, number(0.0)), call("log", x), y),
              call("where", compare(">", w, number(0.0)), call("sqrt", w), w)),
    # No ties between -0.0 and 0.0: which one torch returns depends on the size (the first
    # operand below 8 elements, 0.0 from its AVX-512 path), so that is no convention.
    "maximum": (call("maximum", x, y), call("maximum", x, number(0.5)),
                call("maximum", w, number(1.0))),
    "minimum": (call("minimum", x, y), call("minimum", number(-0.5), x),
                call("minimum", w, number(1.0))),
    "clip": (call("clip", x, number(-0.5), number(1.0)), call("clip", x, number(1.0), number(0.0)),
             call("clip", w, number(-1.0), number(1.0)),
             reciprocal(call("clip", w, number(0.0), number(1.0)))),  # clamp keeps x at a bound
    "dot": (call("dot", x, y), reciprocal(call("dot", p, q))),  # torch's dot sums from 0.0
    "outer": (call("outer", x, v), call("outer", w, v)),
    "matmul": (call("matmul", m, v), call("matmul", v, call("transpose", m)),
               call("matmul", m, call("transpose", m)), call("matmul", v, v)),
    "transpose": (call("transpose", m), call("transpose", x)),
    # a count: a constant, whose gradient is zero (mean's rule divides by it)
    "size": (infix("*", call("size", x, rank=0), x), call("size", m, axis=1, rank=0),
             infix("/", call("sum", m, rank=0), call("size", m, rank=0))),
}
# max(a, b), min(a, b): element-wise, ties sharing the adjoint (no ties of -0.0 with 0.0, see
# maximum)
EXAMPLES["max"] += (call("max", x, y), call("max", w, number(1.0)), call("max", x, number(0.0)))
EXAMPLES["min"] += (call("min", x, y), call("min", number(-0.5), x))
# Edges where torch's formulas differ from the textbook's: each is a convention to keep.
EXAMPLES["norm"] += (
    call("norm", k, axis=1, rank=1),  # one element per norm: torch gives |x|, squaring nothing
    call("log", call("norm", o, rank=0)),  # an inf adjoint at 0: torch's grad·(x/‖x‖ → 0) = nan
)
EXAMPLES["prod"] += (call("prod", call("log", a), rank=0),)  # 0-d: torch passes the adjoint on
# 0-d, with an infinite adjoint: torch's s·(g - sum(g·s)) is nan, not 0.
EXAMPLES["softmax"] += (call("sqrt", infix("-", call("softmax", a), number(1.0))),)


def with_text(name: str, first: str, value: Any, *args: Node, rank: int) -> Node:
    """A call whose first argument is a constant written in the text (einsum's subscripts,
    polygamma's n), passed to the torch twin as it is."""
    text = f"{name}({', '.join([first] + [a.text for a in args])})"
    return Node(text, rank, lambda torch, leaves: TORCH[name](
        torch, value, *(a.torch(torch, leaves) for a in args)))


def edges(name: str) -> tuple[Node, ...]:
    return (call(name, x), call(name, w), reciprocal(call(name, w)))


# Every new element-wise function at x, then w (nan, ±inf, ±0.0); more where its edges lie
# elsewhere (the poles of lgamma, acosh and atanh at ±1).
EXAMPLES.update({
    **{name: edges(name) for name in ("square", "reciprocal", "exp2", "asinh", "atanh", "erf",
                                      "erfc", "sinc", "floor", "ceil", "round", "sec", "csc",
                                      "cot")},
    "acosh": edges("acosh") + (call("acosh", u),),
    "lgamma": edges("lgamma") + (call("lgamma", n),),
    "digamma": edges("digamma") + (call("digamma", n),),
    "polygamma": (with_text("polygamma", "1", 1, n, rank=1), with_text("polygamma", "2", 2, w, rank=1),
                  with_text("polygamma", "0", 0, x, rank=1), with_text("polygamma", "1", 1, w, rank=1)),
    # torch has no cbrt; its twin sign(x)·|x|^(1/3) has no derivative at 0 (test_vocabulary).
    "cbrt": (call("cbrt", c), call("cbrt", u)),
    "pow": (call("pow", x, y), call("pow", w, number(2.0)), call("pow", number(2.0), w)),
    "hypot": (call("hypot", x, y), call("hypot", w, w), call("hypot", w, number(0.0))),
    "atan2": (call("atan2", x, y), call("atan2", w, number(1.0)), call("atan2", number(0.0), w),
              call("atan2", w, w)),
    "logaddexp": (call("logaddexp", x, y), call("logaddexp", w, w),
                  call("logaddexp", w, number(0.0))),
    "mod": (call("mod", x, y), call("mod", w, number(3.0)), call("mod", number(3.0), w),
            call("mod", x, number(-1.5))),
    "var": (call("var", x, rank=0), call("var", m, axis=0, rank=1), call("var", m, axis=1, rank=1),
            call("var", m, correction=0, rank=0), call("var", w, rank=0), call("var", a, rank=0),
            call("var", p, correction=2, rank=0), call("var", m, axis=0, correction=2, rank=1)),
    "std": (call("std", x, rank=0), call("std", m, axis=1, rank=1), call("std", o, rank=0),
            call("std", p, rank=0), call("std", m, correction=0.5, rank=0), call("std", w, rank=0)),
    "cumsum": (call("cumsum", x), call("cumsum", m, axis=1), call("cumsum", m, axis=0),
               call("cumsum", w)),
    "cumprod": (call("cumprod", x), call("cumprod", z, axis=1), call("cumprod", z, axis=0),
                call("cumprod", t), call("cumprod", c)),
    "sort": (call("sort", x), call("sort", t), call("sort", w), call("sort", m, axis=0),
             infix("*", call("sort", z, axis=1), m)),  # ties: the adjoint follows stable order
    "flip": (call("flip", x), call("flip", m), call("flip", m, axis=1)),
    "roll": (call("roll", x, shifts=2), call("roll", m, shifts=1, axis=1), call("roll", m, shifts=-1)),
    "reshape": (Node(f"reshape({m.text}, [3, 2])", 2,
                     lambda torch, leaves: torch.reshape(leaves["m"], (3, 2))),
                Node(f"reshape({m.text}, [-1])", 1,
                     lambda torch, leaves: torch.reshape(leaves["m"], (-1,)))),
    "flatten": (call("flatten", m, rank=1), call("flatten", a, rank=1)),
    "concat": (call("concat", x, y), call("concat", m, m, axis=1), call("concat", m, m, axis=0)),
    "stack": (call("stack", x, y, rank=2), call("stack", m, m, axis=2, rank=3),
              call("stack", a, a, rank=1)),
    "trace": (call("trace", m, rank=0), call("trace", s, rank=0)),
    "diag": (call("diag", v, rank=2), call("diag", m, rank=1), call("diag", m, diagonal=1, rank=1),
             call("diag", v, diagonal=-1, rank=2)),
    "tril": (call("tril", m), call("tril", s, diagonal=-1)),
    "triu": (call("triu", m), call("triu", s, diagonal=1)),
    "det": (call("det", s, rank=0), call("det", infix("*", s, number(2.0)), rank=0)),
    "inv": (call("inv", s),),
    "solve": (call("solve", s, u, rank=1), call("solve", s, call("transpose", m), rank=2)),
    "cross": (call("cross", u, v), call("cross", call("transpose", m), call("transpose", m), axis=0)),
    "kron": (call("kron", v, u), call("kron", m, s), call("kron", v, m)),
    "einsum": (with_text("einsum", "'ij,jk->ik'", "ij,jk->ik", m, s, rank=2),
               with_text("einsum", "'ii->i'", "ii->i", s, rank=1),
               with_text("einsum", "'ii'", "ii", s, rank=0),
               with_text("einsum", "'i,j'", "i,j", u, v, rank=2),
               with_text("einsum", "'ij->'", "ij->", m, rank=0),
               with_text("einsum", "'ij,ij->i'", "ij,ij->i", m, m, rank=1)),
    "tensordot": (call("tensordot", m, s, axes=1, rank=2), call("tensordot", s, s, rank=0)),
})


def examples(name: str) -> tuple[Node, ...]:
    if name in EXAMPLES:
        return EXAMPLES[name]
    function = FUNCTIONS[name]
    if function.arity == 1 and not function.params:  # element-wise, like sin
        return (call(name, x), call(name, w), reciprocal(call(name, w)))
    return ()


LANGUAGE_FUNCTIONS = sorted(name for name, f in FUNCTIONS.items() if not f.constructor)
FIXED = [pytest.param(name, node, id=node.text if node else name)
         for name in LANGUAGE_FUNCTIONS for node in examples(name) or [None]]


@pytest.mark.parametrize("name, formula", FIXED)
def test_each_function_agrees_with_torch(torch, name, formula):
    assert name in TORCH, f"`{name}` has no torch twin: add it to TORCH in {__file__}"
    assert formula is not None, f"no fixed example for {FUNCTIONS[name].signature}: add one"
    assert_agrees_with_torch(torch, formula, POINT)


OPERATOR_EXAMPLES = [
    infix("+", x, y), infix("+", m, v), infix("-", x, number(1.0)), negate(w),
    infix("*", x, y), infix("*", w, number(0.0)),  # inf·0 = nan
    infix("/", x, y), infix("/", number(2.0), x), reciprocal(w),  # ±0 in the denominator
    infix("^", x, y),  # 0^0, 0^-0.5, (-0.5)^(-0.5)
    infix("^", x, number(0.0)), infix("^", x, number(2.0)), infix("^", number(2.0), x),
    infix("^", number(0.0), x),  # the exponent's gradient: 0, not 0·log(0)
    infix("^", w, number(0.5)), reciprocal(infix("^", w, number(0.5))),  # C99 pow: (-inf)^0.5 = inf
    infix("·", x, y), infix("@", m, v), infix("@", v, call("transpose", m)),
    index(x, 0), index(x, -1), index(m, 1), literal([x, y]), literal([a, number(0.5), a]),
]


@pytest.mark.parametrize("formula", OPERATOR_EXAMPLES, ids=lambda node: node.text)
def test_each_operator_agrees_with_torch(torch, formula):
    assert_agrees_with_torch(torch, formula, POINT)


# -- random formulas -------------------------------------------------------------------------

# Every function that maps each element on its own (and transpose, which keeps a square shape).
# Checked at their fixed points only: steps, where one ulp between numpy's and torch's libm flips
# the result (floor, ceil, round, mod); poles, where it decides between ±1e30 (lgamma, digamma,
# polygamma, sec, csc, cot); functions with no torch twin at 0 (cbrt); and the ones that change
# shapes, which the generator below does not model.
# And size: a count, a constant of the shape with no gradient, would only scale others.
FIXED_ONLY = {"floor", "ceil", "round", "mod", "lgamma", "digamma", "polygamma", "sec", "csc",
              "cot", "cbrt", "size", "var", "std", "cumsum", "cumprod", "sort", "flip", "roll", "reshape",
              "flatten", "concat", "stack", "trace", "diag", "tril", "triu", "det", "inv",
              "solve", "cross", "kron", "einsum", "tensordot", "pow", "hypot", "atan2",
              "logaddexp"}
ELEMENTWISE = tuple(name for name in LANGUAGE_FUNCTIONS
                    if FUNCTIONS[name].arity == 1 and not FUNCTIONS[name].params
                    and name not in FIXED_ONLY)
PAIRWISE = ("+", "-", "*", "/", "^", "maximum", "minimum")
REDUCTIONS = ("sum", "mean", "prod", "max", "min", "norm", "logsumexp")
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
CONSTANTS = (0.0, 0.25, 0.5, 1.0, 2.0, 3.0, -0.5, -1.0, -2.0)
POINTS = (0.0, -0.5, 0.5, 1.0, -1.0, 2.0, -2.0, 3.0, 0.25)
VARIABLES = ("x", "y", "z")
MAX_DEPTH = 4


def test_random_formulas_can_reach_every_function():
    reached = {*ELEMENTWISE, *REDUCTIONS, "maximum", "minimum", "where", "clip", "softmax",
               "dot", "outer", "matmul"}
    assert reached | FIXED_ONLY == set(LANGUAGE_FUNCTIONS)


class _Formulas:
    """Draws a formula of a given rank; every node is well-shaped by construction, so any
    error adcli raises is a failure."""

    def __init__(self, draw: Any, n: int, ranks: dict[str, int]) -> None:
        self.draw, self.n, self.ranks = draw, n, ranks

    def pick(self, options: Any) -> Any:
        return self.draw(st.sampled_from(tuple(options)))

    def below(self, rank: int) -> int:
        return self.draw(st.integers(0, rank))

    def node(self, rank: int, depth: int, leaf: bool = True) -> Node:
        if depth == 0 or (leaf and self.draw(st.integers(0, 3)) == 0):
            return self.leaf(rank)
        # Element-wise functions are most of the language: weighted so that each of them
        # shows up in a few dozen of the examples.
        common = (*[self.elementwise] * 4, *[self.pairwise] * 2, self.where, self.clip,
                  self.softmax)
        productions = {
            0: (*common, self.reduce_all, self.reduce_along, self.contract, self.index),
            1: (*common, self.reduce_along, self.matvec, self.index, self.literal),
            2: (*common, self.outer, self.matmat, self.literal),
        }[rank]
        return self.pick(productions)(rank, depth - 1)

    def leaf(self, rank: int) -> Node:
        names = [name for name, r in self.ranks.items() if r == rank]
        choice = self.pick([*names, "built"])
        if choice != "built":
            return variable(choice, rank)
        if rank == 0:
            return number(self.pick(CONSTANTS))
        if rank == 1:
            return literal([self.leaf(0) for _ in range(self.n)])
        return self.pick([lambda: call("outer", self.leaf(1), self.leaf(1)),
                          lambda: literal([self.leaf(1) for _ in range(self.n)])])()

    def elementwise(self, rank: int, depth: int) -> Node:
        name = self.pick([*ELEMENTWISE, "-"])
        operand = self.node(rank, depth)
        return negate(operand) if name == "-" else call(name, operand)

    def pairwise(self, rank: int, depth: int) -> Node:
        op = self.pick(PAIRWISE)
        a, b = self.node(rank, depth), self.node(self.below(rank), depth)  # b may broadcast
        if self.draw(st.booleans()):
            a, b = b, a
        if op in OPERATORS:
            return infix(op, a, b)
        # torch has no convention for maximum(-0.0, +0.0): the first operand below 8 elements,
        # +0.0 on its AVX-512 path. Adding 0 folds -0.0 into +0.0 on both sides first.
        return call(op, infix("+", a, number(0.0)), infix("+", b, number(0.0)))

    def where(self, rank: int, depth: int) -> Node:
        # The condition compares leaves, which both sides hold exactly: a computed value one
        # ulp apart in numpy and torch would flip the comparison and pick the other branch.
        cond = compare(self.pick(COMPARISONS), self.leaf(self.below(rank)),
                       self.leaf(self.below(rank)))
        a, b = self.node(rank, depth), self.node(self.below(rank), depth)
        if self.draw(st.booleans()):
            a, b = b, a
        return call("where", cond, a, b, rank=rank)

    def clip(self, rank: int, depth: int) -> Node:
        # lo > hi happens too: torch's clamp then gives hi everywhere.
        return call("clip", self.node(rank, depth), number(self.pick(CONSTANTS)),
                    number(self.pick(CONSTANTS)))

    def softmax(self, rank: int, depth: int) -> Node:
        axis = self.pick([None, *range(-rank, rank)])
        operand = self.node(rank, depth)
        return call("softmax", operand) if axis is None else call("softmax", operand, axis=axis)

    def reduce_all(self, rank: int, depth: int) -> Node:
        return call(self.pick(REDUCTIONS), self.node(self.below(2), depth), rank=0)

    def reduce_along(self, rank: int, depth: int) -> Node:
        axis = self.pick(range(-rank - 1, rank + 1))
        return call(self.pick(REDUCTIONS), self.node(rank + 1, depth), rank=rank, axis=axis)

    def contract(self, rank: int, depth: int) -> Node:
        a, b = self.node(1, depth), self.node(1, depth)
        return self.pick([lambda: call("dot", a, b, rank=0), lambda: infix("·", a, b, rank=0),
                          lambda: call("matmul", a, b, rank=0), lambda: infix("@", a, b, rank=0)])()

    def matvec(self, rank: int, depth: int) -> Node:
        a, b = self.node(2, depth), self.node(1, depth)
        if self.draw(st.booleans()):
            a, b = b, a
        return self.pick([lambda: call("matmul", a, b, rank=1),
                          lambda: infix("@", a, b, rank=1)])()

    def matmat(self, rank: int, depth: int) -> Node:
        a, b = self.node(2, depth), self.node(2, depth)
        return self.pick([lambda: call("matmul", a, b), lambda: infix("@", a, b)])()

    def outer(self, rank: int, depth: int) -> Node:
        return call("outer", self.node(1, depth), self.node(1, depth), rank=2)

    def index(self, rank: int, depth: int) -> Node:
        return index(self.node(rank + 1, depth), self.pick(range(-self.n, self.n)))

    def literal(self, rank: int, depth: int) -> Node:
        return literal([self.node(rank - 1, depth) for _ in range(self.n)])


class Case:
    """A formula and a point. Not a dataclass: hypothesis prints a failing case with repr."""

    def __init__(self, formula: Node, point: dict[str, np.ndarray]) -> None:
        self.formula, self.point = formula, point

    def __repr__(self) -> str:
        point = ", ".join(f"{name}={value.tolist()}" for name, value in self.point.items())
        return f"{self.formula.text!r} at {point}"


# Half the values from a list with 0, negatives and exact binary fractions, half anywhere in
# [-3, 3]: log, sqrt, asin… meet their edges (nan, ±inf, infinite slopes) often. Not within
# 1e-3 of 0 (0 itself is in the list): from 1e-200, 1/x² overflows and the result is decided
# by the order in which terms of 1e300 cancel, which is noise, not a convention. Extreme
# magnitudes have their fixed examples (POINT's k).
_values = st.one_of(st.sampled_from(POINTS), st.floats(-3.0, -1e-3), st.floats(1e-3, 3.0))


@st.composite
def cases(draw: Any) -> Case:
    n = draw(st.integers(1, 4))
    ranks = {name: draw(st.integers(0, 1)) for name in VARIABLES}
    formula = _Formulas(draw, n, ranks).node(draw(st.integers(0, 2)), MAX_DEPTH, leaf=False)
    point = {}
    for name, rank in ranks.items():
        values = draw(st.lists(_values, min_size=n, max_size=n))
        point[name] = np.array(values[0] if rank == 0 else values, dtype=np.float64)
    return Case(formula, point)


# derandomize: the same 1,000 formulas on every run, so a red CI is reproducible. To explore,
# run with more examples and without it.
@settings(max_examples=1000, deadline=None, derandomize=True)
@given(case=cases())
def test_random_formulas_agree_with_torch(torch, case):
    assume(parse(case.formula.text).variables)  # adcli grad needs a variable
    assert_agrees_with_torch(torch, case.formula, case.point)


# softplus's rule is g·sigmoid(x) below torch's threshold 20: written as z/(z + 1) with
# z = exp(x), its own derivative was 0·(inf/inf) = nan from x ≈ 710 (torch gives 0).
@pytest.mark.parametrize("x", [-1000.0, -30.0, 0.5, 15.0, 25.0, 700.0, 710.0, 1000.0])
def test_softplus_second_derivative_is_torchs_far_out(torch, adcli, x):
    leaf = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (first,) = torch.autograd.grad(torch.nn.functional.softplus(leaf), leaf, create_graph=True)
    (second,) = torch.autograd.grad(first, leaf)
    got = adcli("grad", "softplus(x)", "--order", "2", "--at", repr(x), "--json").json()
    np.testing.assert_allclose(got["derivatives"], [first.item(), second.item()], rtol=1e-12,
                               atol=1e-300)
    for mode in ("forward", "reverse"):
        hessian = adcli("hessian", "softplus(x)", "--at", repr(x), "--mode", mode, "--json")
        np.testing.assert_allclose(hessian.json()["hessian"]["x"]["x"], second.item(),
                                   rtol=1e-12, atol=1e-300, err_msg=mode)
