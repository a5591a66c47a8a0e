"""Issue 11, items 1 and 6: what people type means what it says.

`max(a, b)` is the larger of a and b; a reduction's axis is named (`sum(x, axis=0)`, torch's
`dim=0` too) and checked by torch's rule; every function of the registry, with 0-d, 1-d and 2-d
arguments and every axis from -3 to 3, either gives torch's value or refuses with a message
(exit 1 or 2, never 3). Then the new functions' edges, in numbers, and their second derivatives
against torch's.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from test_differential import EXAMPLES, POINT, u
from test_jacobian_hessian import assert_hessian_agrees
from torch_oracle import TORCH, Node, assert_same, call

from adcli.language.parser import parse
from adcli.ops import FUNCTIONS

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")


def run_json(adcli: Any, *args: str) -> Any:
    result = adcli(*args, "--json")
    return result, (result.json() if result.code == 0 else result.error())


# -- item 1: max(a, b) and named axes --------------------------------------------------------


def test_max_of_two_arguments_is_the_larger_of_the_two(adcli, torch):
    # The ReLU idiom. torch.maximum(x, 0): at the tie x = 0 each side gets half the adjoint.
    _, out = run_json(adcli, "grad", "max(x, 0)", "--at", "x=[-1, 0, 2]")
    assert out["value"] == [0.0, 0.0, 2.0]
    assert out["gradient"]["x"] == [0.0, 0.5, 1.0]
    x = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.maximum(x, torch.tensor(0.0, dtype=torch.float64)).sum().backward()
    assert x.grad.tolist() == out["gradient"]["x"]
    _, out = run_json(adcli, "grad", "min(x, 0)", "--at", "x=0.5", "--mode", "forward")
    assert (out["value"], out["gradient"]["x"]) == (0.0, 0.0)
    _, out = run_json(adcli, "eval", "max(A, axis=0) + min(A, dim=1)", "--at", "A=[[1, 5], [3, 2]]")
    assert out["value"] == [3.0 + 1.0, 5.0 + 2.0]


@pytest.mark.parametrize("formula, fixed", [
    ("sum(x, 0)", "sum(x, axis=0)"),
    ("mean(A, -1) + 1", "mean(A, axis=-1)"),
    ("norm(x, 0)", "norm(x, axis=0)"),  # torch's second argument of norm is the order, p
    ("softmax(x, 0)", "softmax(x, axis=0)"),
    ("var(x, 0)", "var(x, axis=0)"),
])
def test_a_positional_axis_is_refused_with_the_fix(adcli, formula, fixed):
    result, error = run_json(adcli, "eval", formula, "--at", "x=[1, 2]", "--at", "A=[[1, 2]]")
    assert result.code == 2 and error["kind"] == "positional-axis"
    assert error["message"].endswith(f"write {fixed}")


@pytest.mark.parametrize("formula, kind, message", [
    ("sum(x, axs=0)", "unknown-keyword", "sum has no parameter `axs` — did you mean `axis=`?"),
    ("sin(x, axis=0)", "unknown-keyword", "sin has no parameter `axis`"),
    ("sum(x, axis=0, dim=0)", "arguments", "`axis` of sum is given twice"),
    ("sum(axis=0, x)", "syntax", "a positional argument cannot follow a keyword argument"),
    ("max(x, x, x)", "arguments", "max takes one array (max(x), max(x, axis=0)) or two"),
    ("max(x, 0, axis=0)", "arguments", "or two (max(a, b), element-wise)"),
    ("sin('ij')", "arguments", "sin takes no quoted text here"),
    ("einsum(x, x)", "arguments", "takes a quoted text first"),
    ("arange(0, 3, step=1) + x", "arguments", "takes no keyword arguments"),
    ("reshape(x)", "arguments", "needs its `shape`"),
    ("polygamma(x)", "arguments", "polygamma(n, x) takes 2 arguments"),
])
def test_calls_that_cannot_be_bound_say_why(adcli, formula, kind, message):
    result, error = run_json(adcli, "eval", formula, "--at", "x=[1, 2]")
    assert result.code == 2 and error["kind"] == kind
    assert message in error["message"]


def test_a_programs_own_function_takes_no_keywords(adcli):
    result = adcli("eval", "-f", "-", "--json", stdin="def f(a):\n    return a\nf(a=1)\n")
    assert result.code == 2 and "f takes no keyword arguments" in result.error()["message"]


def test_an_axis_out_of_range_is_refused_by_torchs_rule(adcli):
    result, error = run_json(adcli, "grad", "sum(x, axis=1)", "--at", "x=2")
    assert result.code == 1 and error["kind"] == "axis"
    assert "axis 1 is out of range for a 0-d value" in error["message"]
    assert (error["start"], error["end"]) == (12, 13)  # the caret under the axis
    result, error = run_json(adcli, "eval", "sum(x, axis=-3)", "--at", "x=[[1]]")
    assert result.code == 1 and "(axes -2 to 1)" in error["message"]


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("name", ["sum", "mean", "prod", "max", "min", "norm", "logsumexp",
                                  "softmax", "var", "std", "cumsum", "cumprod", "sort", "flip"])
def test_a_0d_value_has_the_axes_0_and_minus_1(adcli, torch, name, mode):
    for axis in (0, -1):
        _, out = run_json(adcli, "grad", f"{name}(x, axis={axis})", "--at", "x=2", "--mode", mode)
        x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
        y = TORCH[name](torch, x, axis=axis)
        y.backward()
        assert_same(out["value"], y.detach().numpy(), f"{name}(2, axis={axis})")
        assert_same(out["gradient"]["x"], x.grad.numpy(), f"∂{name}(2, axis={axis})")


# -- every function × 0-d, 1-d, 2-d × every axis ---------------------------------------------

DATA = {0: 0.5, 1: [0.5, -1.0, 2.0], 2: [[0.5, -1.0, 2.0], [1.5, 0.25, -2.0], [3.0, 1.0, 0.75]]}
SUBSCRIPTS = {0: "->", 1: "i->i", 2: "ij->ji"}


def _arguments(name: str, rank: int) -> tuple[str, list[str], dict[str, Any], list[Any]]:
    """(the call's text before the axis, its variables, the twin's params, twin's leading)."""
    function = FUNCTIONS[name]
    count = 2 if function.arity < 0 else function.arity
    names = ["a", "b", "c"][:count]
    if name == "einsum":
        return f"einsum('{SUBSCRIPTS[rank]}', a", ["a"], {}, [SUBSCRIPTS[rank]]
    if name == "polygamma":
        return "polygamma(1, a", ["a"], {}, [1]
    text, params = f"{name}({', '.join(names)}", {}
    if name == "reshape":
        text, params = text + ", [-1]", {"shape": (-1,)}
    if name == "roll":
        text, params = text + ", 1", {"shifts": 1}
    return text, names, params, []


CALLS = [pytest.param(name, rank, axis, id=f"{name}-{rank}d-axis={axis}")
         for name in sorted(n for n, f in FUNCTIONS.items() if not f.constructor)
         for rank in (0, 1, 2)
         for axis in ([None, *range(-3, 4)] if FUNCTIONS[name].param_named("axis") else [None, 0])]


@pytest.mark.parametrize("name, rank, axis", CALLS)
def test_every_function_at_every_rank_and_axis_gives_torchs_value_or_a_message(
        adcli, torch, name, rank, axis):
    head, names, params, leading = _arguments(name, rank)
    formula = head + ("" if axis is None else f", axis={axis}") + ")"
    at = [arg for n in names for arg in ("--at", f"{n}={DATA[rank]}")]
    results = {mode: adcli("grad", formula, *at, "--mode", mode, "--json")
               for mode in ("reverse", "forward")}
    evaluated = adcli("eval", formula, *at, "--json")
    for result in (evaluated, *results.values()):
        assert result.code in (0, 1, 2), result.err  # never an internal error
        assert result.code == 0 or result.error()["message"]
    if axis is not None and not FUNCTIONS[name].param_named("axis"):
        assert evaluated.code == 2 and evaluated.error()["kind"] == "unknown-keyword"
        return
    leaves = [torch.tensor(DATA[rank], dtype=torch.float64, requires_grad=True) for _ in names]
    try:
        twin = TORCH[name](torch, *leading, *leaves, **params,
                           **({} if axis is None else {"axis": axis}))
    except (RuntimeError, IndexError, ValueError, TypeError) as refused:
        assert evaluated.code in (1, 2), f"torch refuses ({refused}) but adcli computes"
        return
    if evaluated.code != 0:
        assert (name, rank, axis) in DELIBERATE, f"adcli refuses what torch computes: {evaluated.err}"
        return
    assert_same(evaluated.json()["value"], twin.detach().numpy(), formula)
    assert results["reverse"].code == 0 and results["forward"].code == 0
    if twin.requires_grad:
        twin.backward(torch.ones_like(twin))
    reverse, forward = (results[m].json()["gradient"] for m in ("reverse", "forward"))
    for n, leaf in zip(names, leaves):
        expected = np.zeros(leaf.shape) if leaf.grad is None else leaf.grad.numpy()
        assert_same(reverse[n], expected, f"∂/∂{n} of {formula}")
        # Forward mode pushes one tangent per input element: a nan or inf anywhere in f or f'
        # meets the zeros of the other elements' tangents (0·nan) and spreads, as in
        # torch.func.jacfwd.
        if np.isfinite(twin.detach().numpy()).all() and np.isfinite(expected).all():
            assert_same(forward[n], expected, f"forward ∂/∂{n} of {formula}")


# Where adcli refuses and torch answers, on purpose: a matrix's running sum or product needs its
# axis named (torch's cumsum takes dim 0 silently; numpy's flattens the matrix instead).
DELIBERATE = {(name, 2, None) for name in ("cumsum", "cumprod")}


# -- the new functions' edges, in numbers --------------------------------------------------------


def test_cbrt_is_real_for_negatives_with_an_infinite_slope_at_zero(adcli):
    _, out = run_json(adcli, "grad", "cbrt(x)", "--at", "x=[-8, -0.0, 0, inf, -inf, nan]")
    assert out["value"] == [-2.0, -0.0, 0.0, "inf", "-inf", "nan"]
    assert math.copysign(1, out["value"][1]) == -1  # cbrt(-0.0) = -0.0, as C's cbrt
    assert out["gradient"]["x"] == [1 / 12, "inf", "inf", 0.0, 0.0, "nan"]


def test_det_at_a_singular_matrix_is_the_cofactor_matrix(adcli, torch):
    # det is a polynomial: its derivative is the cofactor matrix everywhere. torch 2.13 returns
    # zeros at a singular matrix (it forms det·A⁻ᵀ); adcli takes the cofactors from the minors.
    _, out = run_json(adcli, "grad", "det(A)", "--at", "A=[[1, 2], [3, 6]]")
    assert out["value"] == 0.0
    assert out["gradient"]["A"] == [[6.0, -3.0], [-2.0, 1.0]]
    a = torch.tensor([[1.0, 2.0], [3.0, 6.0]], dtype=torch.float64, requires_grad=True)
    torch.linalg.det(a).backward()
    assert not a.grad.any()  # torch's zeros, the disagreement the note states
    # the second derivative at a singular 3×3 matrix (rank 2) is torch's, which is right there
    assert_hessian_agrees(torch, EXAMPLES_SINGULAR, {"r": [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0],
                                                           [1.0, 0.0, 1.0]]}, "reverse-over-reverse")


def test_special_functions_follow_torch_at_their_poles(adcli):
    _, out = run_json(adcli, "grad", "digamma(x)", "--at", "x=[-1, -0.0, 0, 1]")
    assert out["value"][:3] == ["nan", "inf", "-inf"]
    # torch's trigamma at a negative whole number: (π/sin(πx))², finite because sin(-π) ≠ 0
    assert out["gradient"]["x"][:3] == [(math.pi / math.sin(-math.pi)) ** 2, "inf", "inf"]
    np.testing.assert_allclose(out["gradient"]["x"][3], math.pi ** 2 / 6, rtol=1e-15)
    _, out = run_json(adcli, "grad", "lgamma(x)", "--at", "x=[-inf, 0.5]")
    assert out["value"][0] == "inf" and out["gradient"]["x"][0] == "nan"
    np.testing.assert_allclose(out["value"][1], math.log(math.sqrt(math.pi)), rtol=1e-15)


def test_roundings_and_mod_follow_torch(adcli):
    _, out = run_json(adcli, "grad", "round(x) + floor(x) + ceil(x)", "--at", "x=[0.5, 1.5, 2.5, -0.5]")
    assert out["value"] == [0 + 0 + 1.0, 2 + 1 + 2.0, 2 + 2 + 3.0, -0.0 - 1 - 0.0]
    assert out["gradient"]["x"] == [0.0, 0.0, 0.0, 0.0]
    _, out = run_json(adcli, "grad", "mod(a, b)", "--at", "a=[-0.0, 5, -5, 7]", "--at", "b=[3, 0, 3, -2]")
    assert out["value"] == [-0.0, "nan", 1.0, -1.0]
    assert math.copysign(1, out["value"][0]) == -1  # torch.remainder keeps -0.0; numpy's mod not
    assert out["gradient"] == {"a": [1.0, 1.0, 1.0, 1.0], "b": [0.0, "-inf", 2.0, 4.0]}


def test_sinc_is_torchs_at_whole_numbers():
    from adcli.ops import sinc

    assert sinc(np.array([0.0, 1.0])).tolist() == [1.0, math.sin(math.pi) / math.pi]


def test_integer_array_indexing_adds_the_adjoint_where_an_index_repeats(adcli, torch):
    _, out = run_json(adcli, "grad", "x[[0, 2, 0, -1]] * [1, 2, 3, 4]", "--at", "x=[1, 2, 3]")
    assert out["value"] == [1.0, 6.0, 3.0, 12.0]
    assert out["gradient"]["x"] == [4.0, 0.0, 6.0]  # 1 + 3 at 0; 2 + 4 at 2, named twice
    _, out = run_json(adcli, "grad", "sum(A[[0, 1], [1, 1]])", "--at", "A=[[1, 2], [3, 4]]",
                      "--mode", "forward")
    assert out["value"] == 6.0 and out["gradient"]["A"] == [[0.0, 1.0], [0.0, 1.0]]
    result, error = run_json(adcli, "eval", "x[[0, 3]]", "--at", "x=[1, 2, 3]")
    assert result.code == 1 and "index 3 is out of bounds" in error["message"]
    result, error = run_json(adcli, "eval", "x[[0.5]]", "--at", "x=[1, 2, 3]")
    assert result.code == 1 and "must be whole numbers" in error["message"]


@pytest.mark.parametrize("formula, message", [
    ("einsum('i...->i', x)", "the ellipsis `...` is not supported"),
    ("einsum('ij,jk->ik', x)", "name 2 operands, but 1 is given"),
    ("einsum('ij->i', x)", "'ij' names 2 axes of an operand of shape (2,)"),
    ("einsum('i,i->j', x, x)", "the output's 'j' is in no operand"),
    ("einsum('i,i', x, [1, 2, 3])", "axis 'i' has size 2 in one place and 3 in another"),
    ("tensordot(x, x, [[0], [1]])", "out of range"),
    ("concat(x[0], x[1])", "a 0-d value has none"),
    ("stack(x, [1, 2, 3])", "stack needs arrays of one shape"),
    ("cross(x, x)", "cross needs 3 elements along axis -1"),
    ("inv(outer(x, x))", "Singular matrix"),
    ("cumsum(outer(x, x))", "cumsum of a 2-d value needs an axis: cumsum(x, axis=0)"),
])
def test_the_new_functions_refuse_bad_input_in_words(adcli, formula, message):
    result, error = run_json(adcli, "eval", formula, "--at", "x=[1, 2]")
    assert result.code == 1, error
    assert message in error["message"]


def test_einsum_reads_its_subscripts_in_either_quotes(adcli):
    for quoted in ("'ij,jk->ik'", '"ij,jk->ik"'):
        _, out = run_json(adcli, "eval", f"einsum({quoted}, A, A)", "--at", "A=[[1, 2], [3, 4]]")
        assert out["value"] == [[7.0, 10.0], [15.0, 22.0]]
    assert parse("einsum('ij->', outer(x, y))").variables == ("x", "y")


# -- second derivatives of the new functions against torch's ----------------------------------

EXAMPLES_SINGULAR = None  # set below, once Node is importable
NEW = ("pow", "cbrt", "square", "reciprocal", "exp2", "hypot", "atan2", "asinh", "acosh", "atanh",
       "sec", "csc", "cot", "erf", "erfc", "lgamma", "digamma", "polygamma", "logaddexp", "sinc",
       "floor", "ceil", "round", "mod", "var", "std", "cumsum", "cumprod", "trace", "diag", "det",
       "inv", "solve", "reshape", "flatten", "concat", "stack", "einsum", "tensordot", "kron",
       "tril", "triu", "roll", "flip", "sort", "cross")
# torch has no sec, csc, cot or cbrt: their twins are compositions, whose second derivatives at
# the poles (0·inf in the composition) are no convention; they are compared at regular points.
NO_TWIN = {"sec", "csc", "cot", "cbrt"}
SECOND = [pytest.param(node, id=node.text) for name in NEW
          for node in ((call(name, u),) if name in NO_TWIN else EXAMPLES[name])
          if parse(node.text).variables]


@pytest.mark.parametrize("node", SECOND)
def test_second_derivatives_of_the_new_functions_agree_with_torch(torch, node):
    value = assert_hessian_agrees(torch, node, POINT, "reverse-over-reverse")
    # forward-over-reverse where f is finite: elsewhere torch's forward formulas multiply a
    # nan by a materialized zero tangent (see test_jacobian_hessian.py)
    if np.isfinite(value).all():
        assert_hessian_agrees(torch, node, POINT, "forward-over-reverse")


def test_every_new_function_is_listed_with_a_rule(adcli):
    listed = {f["name"]: f for f in adcli("functions", "--json").json()["functions"]}
    for name in NEW:
        assert listed[name]["rule"] and listed[name]["doc"], name


EXAMPLES_SINGULAR = Node("det(r)", 0, lambda torch, leaves: torch.linalg.det(leaves["r"]))


def test_readmes_function_list_is_the_registrys():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("Every function, by kind")[1].split("\n\n")[1]
    listed = re.findall(r"`(\w+)`", table)
    assert sorted(listed) == sorted(FUNCTIONS)


@pytest.mark.parametrize("formula, message", [
    ("'ij' + x", "a quoted text can only be a function's argument"),
    ("sin(x + 'ij')", "a quoted text can only be a function's argument"),
])
def test_a_quoted_text_elsewhere_is_refused(adcli, formula, message):
    result, error = run_json(adcli, "eval", formula, "--at", "x=1")
    assert result.code == 2 and error["kind"] == "syntax" and message in error["message"]
