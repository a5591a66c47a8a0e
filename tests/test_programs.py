"""Programs: gradients through def, if, while and for, define-by-run like PyTorch's eager mode,
and the limits that keep a program from running away."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CONTROL_FLOW = str(EXAMPLES / "control_flow.adl")


def notebook_f(torch, a):
    """The notebook's f, in PyTorch, word for word."""
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


@pytest.mark.parametrize("seed", range(12))
def test_notebook_program_gradient_is_value_over_a(adcli, seed):
    result = adcli("grad", "-f", CONTROL_FLOW, "--at", "a=randn(1)", "--seed", str(seed),
                   "--json").json()
    a, value, grad = result["at"]["a"][0], result["value"][0], result["gradient"]["a"][0]
    assert result["seed"] == seed
    assert grad == value / a  # exactly, as torch's `a.grad == d/a` prints True


def test_notebook_program_matches_torch_for_positive_and_negative_a(adcli, torch):
    for a in (0.37, -0.37, 1.5, -2.25, 1e-3, -1e-3):
        result = adcli("grad", "-f", CONTROL_FLOW, "--at", f"a=[{a!r}]", "--json").json()
        t = torch.tensor([a], dtype=torch.float64, requires_grad=True)
        d = notebook_f(torch, t)
        d.backward()
        assert result["value"] == d.detach().tolist()
        assert result["gradient"]["a"] == t.grad.tolist()
        assert "else" in " ".join(result["path"]) if a < 0 else "held" in result["path"][-1]


def test_the_seed_repeats_the_draw(adcli):
    first = adcli("eval", "x", "--at", "x=randn(3)", "--seed", "42", "--json").json()
    again = adcli("eval", "x", "--at", "x=randn(3)", "--seed", "42", "--json").json()
    assert first["at"] == again["at"] and first["seed"] == 42
    drawn = np.random.default_rng(42).standard_normal(3).tolist()
    assert first["value"] == drawn


def test_draws_inside_a_program_are_shown(adcli):
    program = "noise = rand(2)\nsum(x + noise)\n"
    result = adcli("grad", "-f", "-", "--at", "x=[1, 2]", "--seed", "3", "--json",
                   stdin=program).json()
    assert list(result["at"]) == ["x", "rand#1"]
    assert result["at"]["rand#1"] == np.random.default_rng(3).random(2).tolist()
    assert result["gradient"]["x"] == [1.0, 1.0]


@pytest.mark.parametrize("a", [2.0, 0.5, 9.0, 1e4])
def test_newton_sqrt_has_the_analytic_derivative(adcli, a):
    result = adcli("grad", "-f", str(EXAMPLES / "newton_sqrt.adl"), "--at", f"a={a!r}",
                   "--json").json()
    assert math.isclose(result["value"], math.sqrt(a), rel_tol=1e-12)
    assert math.isclose(result["gradient"]["a"], 1 / (2 * math.sqrt(a)), rel_tol=1e-9)


@pytest.mark.parametrize("r, value, slope", [(0.5, 0.125, 0.5), (3.0, 2.5, 1.0), (-3.0, 2.5, -1.0),
                                             (1.0, 0.5, 1.0), (-1.0, 0.5, -1.0)])
def test_piecewise_takes_one_branch_at_a_time(adcli, r, value, slope):
    result = adcli("grad", "-f", str(EXAMPLES / "piecewise.adl"), "--at", f"r={r}",
                   "--json").json()
    assert (result["value"], result["gradient"]["r"]) == (value, slope)


def test_for_over_a_vector_and_over_a_range(adcli):
    program = "s = 0\nfor v in x:\n    s = s + v^2\nfor i in 0..3:\n    s = s + i\ns\n"
    result = adcli("grad", "-f", "-", "--at", "x=[1, 2, 3]", "--json", stdin=program).json()
    assert result["value"] == 14.0 + 3.0
    assert result["gradient"]["x"] == [2.0, 4.0, 6.0]


def test_functions_call_functions_and_recurse(adcli):
    program = ("def squared(v):\n    return v * v\n"
               "def power(v, n):\n    if n == 0:\n        return 1\n"
               "    return v * power(v, n - 1)\n"
               "squared(power(x, 3))\n")
    result = adcli("grad", "-f", "-", "--at", "x=2", "--json", stdin=program).json()
    assert (result["value"], result["gradient"]["x"]) == (64.0, 192.0)  # x^6, 6x^5


def test_semicolons_comments_and_a_top_level_return(adcli):
    program = "# comment\ny = 2 * x; z = y + 1  # trailing\nreturn z * z\nz\n"
    result = adcli("grad", "-f", "-", "--at", "x=1", "--json", stdin=program).json()
    assert (result["value"], result["gradient"]["x"]) == (9.0, 12.0)


def test_a_formula_is_a_one_line_program(adcli):
    formula = adcli("grad", "log(x*x)·sin(x)+1/x", "--at", "0..5", "--json").json()
    program = adcli("grad", "-f", "-", "--at", "0..5", "--json",
                    stdin="log(x*x)·sin(x)+1/x\n").json()
    assert program["value"] == formula["value"]
    assert program["gradient"] == formula["gradient"]


def test_graph_and_trace_show_the_unrolled_path(adcli):
    at = ["--at", "a=[0.5]"]
    tree = adcli("graph", "-f", CONTROL_FLOW, *at).out
    for iteration in range(1, 11):
        assert f"b * 2  [f call 1 › while line 9, iteration {iteration}]" in tree
    assert "iteration 11" not in tree
    assert "line 9: `while norm(b) < 1000` ran 10 iterations" in tree
    assert "line 11: `if sum(b) > 0` held; not taken: the else at line 13" in tree
    trace = adcli("trace", "-f", CONTROL_FLOW, "--at", "a=[-0.5]").out
    assert "line 11: no condition held, so the else branch ran" in trace
    assert "100 * b  [f call 1]" in trace
    graph = adcli("graph", "-f", CONTROL_FLOW, *at, "--json").json()
    assert sum(node["op"] == "mul" for node in graph["nodes"]) == 11  # a*2, then 10 doublings


@pytest.mark.parametrize("program, args, kind, line, words", [
    # (no clock: how long 100,000 iterations take depends on the machine)
    ("x = 1\nwhile x < 2:\n    x = x\nx\n", ["--timeout", "0"], "iteration-limit", 2,
     "more than 100,000 times"),
    ("def f(n):\n    return f(n)\nf(1)\n", [], "depth-limit", 2, "deeper than 100"),
    ("s = 0\nfor i in 0..50000:\n    s = s + i\ns\n", ["--max-steps", "10000"], "step-limit", 3,
     "stopped after 10,000 steps"),
    ("z = zeros(100000, 100000)\nz\n", [], "size-limit", 1, "the limit is 100,000,000"),
    ("v = [1, 2]\nif v > 0:\n    v = v\nv\n", [], "compute", 2, "a condition needs one value"),
    ("def f(x):\n    y = x\nf(1)\n", [], "compute", 3, "f ended without `return`"),
])
def test_limits_and_runtime_errors_name_the_line(adcli, program, args, kind, line, words):
    run = adcli("eval", "-f", "-", "--json", *args, stdin=program)
    assert run.code == 1, run.err
    error = run.error()
    assert (error["kind"], error["line"]) == (kind, line)
    assert words in error["message"]


@pytest.mark.parametrize("program, line, column, words", [
    ("y = x +\n", 1, 8, "unexpected end of the line"),
    ("if x > 0\n    y = 1\n", 1, 9, "expected ':'"),
    ("y = 1\n  z = 2\n", 2, 1, "unexpected indentation"),
    ("y = sine(x)\n", 1, 5, "did you mean `sin`?"),
    ("def f(a):\n    return a\nf(1, 2)\n", 3, 1, "f takes 1 argument, got 2"),
])
def test_syntax_errors_carry_line_and_column(adcli, program, line, column, words):
    run = adcli("grad", "-f", "-", "--json", "--at", "x=1", stdin=program)
    assert run.code == 2
    error = run.error()
    assert (error["line"], error["column"]) == (line, column)
    assert words in error["message"] + (error.get("hint") or "")


def test_program_errors_in_text_show_line_and_column(adcli):
    run = adcli("eval", "-f", "-", stdin="y = 1\nz = y +\n")
    assert run.code == 2 and "line 2, column 8:" in run.err


def test_expression_or_file_but_not_both(adcli, tmp_path):
    both = adcli("grad", "x", "-f", CONTROL_FLOW, "--at", "x=1", "--json")
    assert both.code == 2 and "not both" in both.error()["message"]
    neither = adcli("grad", "--at", "x=1", "--json")
    assert neither.code == 2 and "give a formula" in neither.error()["message"]
    missing = adcli("grad", "-f", str(tmp_path / "nope.adl"), "--json")
    assert missing.code == 2 and "cannot read" in missing.error()["message"]
    stdin_twice = adcli("grad", "-f", "-", "--at", "-", "--json", stdin="x\n")
    assert stdin_twice.code == 2 and "not both" in stdin_twice.error()["message"]
