"""adcli against PyTorch, the oracle (tests/torch_oracle.py): every function and operator alone,
at fixed points (zeros, negatives, ties, nan, ±inf, -0.0), value and gradient. Formulas that
hypothesis composes from them are test_random_formulas.py's.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from torch_oracle import (LANGUAGE_FUNCTIONS, TORCH, Node, assert_agrees_with_torch, call,
                          compare, index, infix, literal, negate, number, variable)

from adcli.ops import FUNCTIONS


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
