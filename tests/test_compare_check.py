"""`adcli compare`, `adcli check`, `adcli jacobian`, `adcli hessian` and `grad --mode forward`
from the shell: the numbers, the pass counts, the JSON, the exit codes."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from adcli.engine import Primitive, apply
from adcli.ops import FUNCTIONS, Function
from adcli.ops import elementwise as ew

# -- compare: the two examples of the issue ------------------------------------------------


def test_compare_sum_of_squares_reverse_needs_one_pass_forward_a_thousand(adcli):
    run = adcli("compare", "sum(x*x)", "--at", "x=0..1000", "--json")
    assert run.code == 0, run.err
    doc = run.json()
    assert (doc["inputs"], doc["outputs"]) == (1000, 1)
    assert doc["reverse"]["passes"] == {"forward": 1, "backward": 1}
    assert doc["forward"]["passes"] == {"forward": 1000, "backward": 0}
    assert doc["winner"] == "reverse"
    assert doc["max_difference"] == 0 and doc["mismatched"] == 0
    # x*x then sum: 2 primitives and 3 rules (mul has two inputs) per pass through f.
    assert (doc["reverse"]["primitives"], doc["reverse"]["rules"]) == (2, 3)
    assert (doc["forward"]["primitives"], doc["forward"]["rules"]) == (2000, 3000)
    assert doc["reverse"]["tape"]["nodes"] == 2 and doc["forward"]["tape"]["nodes"] == 0
    assert doc["verdict"].startswith("Reverse mode wins here: f has 1,000 inputs and 1 output")


def test_compare_vector_output_of_one_input_forward_needs_one_pass(adcli):
    run = adcli("compare", "x*x*ones(1000)", "--at", "x=3", "--json")
    assert run.code == 0, run.err
    doc = run.json()
    assert (doc["inputs"], doc["outputs"]) == (1, 1000)
    assert doc["forward"]["passes"] == {"forward": 1, "backward": 0}
    assert doc["reverse"]["passes"] == {"forward": 1, "backward": 1000}
    assert doc["winner"] == "forward"
    assert doc["verdict"].startswith("Forward mode wins here")


def test_compare_as_many_inputs_as_outputs_is_a_tie(adcli):
    doc = adcli("compare", "x*x", "--at", "x=0..5", "--json").json()
    assert doc["forward"]["passes"]["forward"] == doc["reverse"]["passes"]["backward"] == 5
    assert doc["winner"] == "neither"


def test_compare_reports_entries_where_only_one_mode_is_nan(adcli):
    # dot(log(x*x), sin(x)) is nan, and forward mode's tangent of it is nan in every column
    # (torch's jacfwd too), while reverse mode's adjoint reaches x[1:] elementwise.
    doc = adcli("compare", "log(x*x)·sin(x)+1/x", "--at", "0..5", "--json").json()
    assert doc["mismatched"] > 0


def test_compare_text_says_who_wins_and_why(adcli, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    run = adcli("compare", "sum(x*x)", "--at", "x=0..1000")
    assert run.code == 0
    for words in ("forward mode", "reverse mode", "1,000 forward passes",
                  "1 forward pass + 1 backward pass", "0 (nothing recorded)", "best of",
                  "Reverse mode wins here"):
        assert words in run.out


# -- check ---------------------------------------------------------------------------------

# Every built-in at points where it is smooth: no kinks (abs, relu at 0), no ties, no poles.
BUILT_INS = {
    "exp": "exp(x)", "log": "log(x + 3)", "log2": "log2(x + 3)", "log10": "log10(x + 3)",
    "log1p": "log1p(x + 1)", "expm1": "expm1(x)", "sqrt": "sqrt(x + 3)", "sin": "sin(x)",
    "cos": "cos(x)", "tan": "tan(x/2)", "asin": "asin(x/2)", "acos": "acos(x/2)",
    "atan": "atan(x)", "sinh": "sinh(x)", "cosh": "cosh(x)", "tanh": "tanh(x)",
    "abs": "abs(x)", "sign": "sign(x) * x", "relu": "relu(x)", "sigmoid": "sigmoid(x)",
    "softplus": "softplus(x)", "sum": "sum(x * x)",
    "mean": "mean(x * x)", "prod": "prod(x)", "max": "max(x)", "min": "min(x)",
    "norm": "norm(x)", "logsumexp": "logsumexp(x)", "softmax": "softmax(x)",
    "dot": "dot(x, sin(x))", "outer": "outer(x, exp(x))", "matmul": "outer(x, x) @ sin(x)",
    "transpose": "transpose(outer(x, sin(x)))", "maximum": "maximum(x, cos(x))",
    "minimum": "minimum(x, cos(x))", "clip": "clip(x, -1, 1)",
    "where": "where(x > 0, sin(x), x^2)", "size": "size(x)*x",
    "operators": "(x[0] - x[1:3]) / (2 + x[3:]) ^ 2 · [x[0], 2x[1]] + -x[2]",
    # issue 11's vocabulary
    "pow": "pow(x + 2, cos(x))", "cbrt": "cbrt(x + 3)", "square": "square(x)",
    "reciprocal": "reciprocal(x + 3)", "exp2": "exp2(x)", "hypot": "hypot(x, exp(x))",
    "atan2": "atan2(x, exp(x))", "asinh": "asinh(x)", "acosh": "acosh(x + 3)",
    "atanh": "atanh(x/2)", "sec": "sec(x/2)", "csc": "csc(x/2 + 2)", "cot": "cot(x/2 + 2)",
    "erf": "erf(x)", "erfc": "erfc(x)", "lgamma": "lgamma(x + 3)", "digamma": "digamma(x + 3)",
    "polygamma": "polygamma(1, x + 3)", "logaddexp": "logaddexp(x, sin(x))", "sinc": "sinc(x)",
    "floor": "floor(x) * x", "ceil": "ceil(x) * x", "round": "round(x) * x",
    "mod": "mod(x + 3, 2.5)", "var": "var(x)", "std": "std(x)", "cumsum": "cumsum(x * x)",
    "cumprod": "cumprod(x)", "trace": "trace(outer(x, sin(x)))", "diag": "diag(x * x)",
    "det": "det(outer(x, sin(x)) + 3 * diag(ones(4)))",
    "inv": "inv(outer(x, sin(x)) + 3 * diag(ones(4)))",
    "solve": "solve(outer(x, sin(x)) + 3 * diag(ones(4)), exp(x))",
    "reshape": "reshape(x * x, [2, 2])", "flatten": "flatten(outer(x, x))",
    "concat": "concat(x, sin(x))", "stack": "stack(x, sin(x), axis=1)",
    "einsum": "einsum('i,ij->j', x, outer(x, sin(x)))",
    "tensordot": "tensordot(x, outer(x, sin(x)), 1)", "kron": "kron(x, sin(x))",
    "tril": "tril(outer(x, sin(x)))", "triu": "triu(outer(x, sin(x)), 1)",
    "roll": "roll(x * x, 1)", "flip": "flip(x * x)", "sort": "sort(x * x)",
    "cross": "cross(x[0:3], exp(x[1:4]))",
}
POINT = "x=[-1.3, 0.4, 0.9, 1.7]"


def test_check_covers_every_built_in():
    differentiable = {name for name, f in FUNCTIONS.items() if not f.constructor}
    assert differentiable - {"detach"} <= set(BUILT_INS)


def test_check_fails_on_detach_as_it_should(adcli):
    # The value uses x twice, the gradient sees one use: finite differences see both.
    assert adcli("check", "detach(x) * x", "--at", POINT).code == 1


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("name", sorted(BUILT_INS))
def test_check_passes_on_every_built_in(adcli, name, mode):
    for dtype in ("float64", "float32"):
        run = adcli("check", BUILT_INS[name], "--at", POINT, "--mode", mode, "--dtype", dtype,
                    "--json")
        assert run.code == 0, f"{dtype}: {run.out}{run.err}"
        assert run.json()["passed"] is True


def _wrong_sin(monkeypatch: pytest.MonkeyPatch, vjp: object, jvp: object) -> None:
    """`sin` in formulas, with the given rules instead of its own."""
    wrong = Primitive(name="sin", value=np.sin, vjp=vjp, jvp=jvp, doc="sine")
    real = FUNCTIONS["sin"]
    monkeypatch.setitem(FUNCTIONS, "sin", Function(
        name="sin", apply=functools.partial(apply, wrong), signature=real.signature,
        doc=real.doc, rule="sin'(x) = sin(x) (wrong)", arity=1))


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_check_catches_a_wrong_rule(adcli, monkeypatch, mode):
    wrong = (lambda g, ans, x: g * ew.sin(x),)  # sin' = sin: a plausible slip
    right = (lambda g, ans, x: g * ew.cos(x),)
    _wrong_sin(monkeypatch, *((wrong, right) if mode == "reverse" else (right, wrong)))
    run = adcli("check", "sin(x) * x", "--at", "x=[0.5, 1, 2]", "--mode", mode, "--json")
    assert run.code == 1
    doc = run.json()  # a failed check is a result: it is on stdout
    assert doc["passed"] is False and doc["failures"] == 3
    assert doc["worst"]["variable"] == "x" and doc["worst"]["relative_error"] > 0.1
    # the other mode's rule is right, so checking that mode passes
    other = "forward" if mode == "reverse" else "reverse"
    assert adcli("check", "sin(x) * x", "--at", "x=[0.5, 1, 2]", "--mode", other).code == 0


def test_check_text_names_the_worst_entry(adcli, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    _wrong_sin(monkeypatch, (lambda g, ans, x: g * ew.sin(x),), (lambda t, ans, x: t * ew.cos(x),))
    run = adcli("check", "sin(x)", "--at", "x=[0.5, 1, 2]")
    assert run.code == 1
    assert "worst: ∂f[2]/∂x[2]: automatic 0.909297, numeric -0.416147" in run.out
    assert "FAILED: 3 of 9 entries" in run.out


def test_check_at_a_pole_fails_and_tolerances_are_options(adcli):
    assert adcli("check", "log(x)", "--at", "0..3").code == 1
    assert adcli("check", "x^3", "--at", "x=1000", "--json").json()["passed"]
    doc = adcli("check", "x^3", "--at", "x=1000", "--rtol", "0", "--atol", "0", "--json").json()
    assert doc["passed"] is False and (doc["rtol"], doc["atol"]) == (0, 0)


# -- jacobian, hessian, grad --mode forward -------------------------------------------------


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_jacobian_rows_are_outputs_columns_are_inputs(adcli, mode):
    run = adcli("jacobian", "A @ v", "--at", "A=[[1,2],[3,4]]", "--at", "v=[5,6]", "--mode", mode,
                "--json")
    assert run.code == 0, run.err
    doc = run.json()
    assert doc["mode"] == mode and doc["value"] == [17.0, 39.0]
    assert doc["jacobian"]["v"] == [[1.0, 2.0], [3.0, 4.0]]
    assert doc["jacobian"]["A"] == [[5.0, 6.0, 0.0, 0.0], [0.0, 0.0, 5.0, 6.0]]  # A row-major
    passes = {"reverse": {"forward": 1, "backward": 2}, "forward": {"forward": 6, "backward": 0}}
    assert doc["passes"] == passes[mode]


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_hessian_per_pair_of_variables(adcli, mode):
    run = adcli("hessian", "x[0]^2 * y + sin(y)", "--at", "x=[3, 1]", "--at", "y=2", "--mode",
                mode, "--json")
    assert run.code == 0, run.err
    doc = run.json()
    assert doc["mode"] == f"{mode}-over-reverse"
    assert doc["gradient"] == {"x": [12.0, 0.0], "y": 9 + np.cos(2.0)}
    h = doc["hessian"]
    assert h["x"]["x"] == [[4.0, 0.0], [0.0, 0.0]]
    assert h["x"]["y"] == [[6.0], [0.0]] and h["y"]["x"] == [[6.0, 0.0]]
    assert h["y"]["y"] == -np.sin(2.0)  # y is one number: ∂²f/∂y² is a number, not [[…]]


def test_hessian_of_x4_at_2(adcli):
    assert adcli("hessian", "x^4", "--at", "2", "--json").json()["hessian"]["x"]["x"] == 48.0


def test_grad_forward_mode_gives_the_reverse_gradient(adcli):
    for formula, at in (("2*dot(x,x)", "0..5"), ("x*x", "0..5"), ("detach(x*x)*x", "0..5"),
                        ("sin(x)", "0..3")):
        reverse = adcli("grad", formula, "--at", at, "--json").json()
        forward = adcli("grad", formula, "--at", at, "--mode", "forward", "--json").json()
        assert forward.pop("mode") == "forward" and reverse.pop("mode") == "reverse"
        assert forward == reverse


def test_grad_forward_mode_runs_programs(adcli, tmp_path):
    program = tmp_path / "f.adl"
    program.write_text("b = a * 2\nwhile norm(b) < 1000:\n    b = b * 2\nb\n", encoding="utf-8")
    forward = adcli("grad", "-f", str(program), "--at", "a=[0.3]", "--mode", "forward", "--json")
    assert forward.code == 0, forward.err
    assert forward.json()["gradient"]["a"] == [4096.0]  # 2^12: 0.3·4096 ≥ 1000


@pytest.mark.parametrize("args, code, kind", [
    (("hessian", "x*x", "--at", "0..3"), 1, "not-scalar"),
    (("jacobian", "x > 1", "--at", "0..3"), 1, "not-differentiable"),
    (("check", "2 + 3"), 2, "no-variables"),
    (("compare", "x*y", "--at", "x=1", "--at", "y=2", "--wrt", "z"), 2, "bad-wrt"),
    (("jacobian", "x*x", "--at", "x=0..20000"), 1, "size-limit"),
    (("grad", "x", "--at", "1", "--mode", "sideways"), 2, "usage"),
])
def test_errors_have_exit_codes_and_json(adcli, args, code, kind):
    run = adcli(*args, "--json")
    assert run.code == code and run.out == ""
    assert run.error()["kind"] == kind
