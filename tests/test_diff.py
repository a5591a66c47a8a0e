"""`adcli diff`: the derivative as a formula that feeds back (its values are `adcli grad`'s),
the index-free forms of issue 12, the notes, the steps and LaTeX of the notebook's formulas
(golden files), and every error path's exit code and message."""

from __future__ import annotations

import math
import os
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from adcli.calculations import bind_point, derivative, gradient
from adcli.engine import make_leaf
from adcli.language.evaluate import evaluate
from adcli.language.parser import parse
from formulas import formula

GOLDEN = Path(__file__).resolve().parent / "golden"


def value_of(text: str, point: dict[str, float | np.ndarray]) -> np.ndarray:
    parsed = parse(text)
    env = {n: make_leaf(np.asarray(point[n], dtype=np.float64)) for n in parsed.variables}
    return np.asarray(evaluate(parsed, env).data)


def assert_close_where_finite(ours: np.ndarray, grads: np.ndarray, what: str) -> None:
    ours = np.broadcast_to(ours, np.shape(grads))
    both = np.isfinite(ours) & np.isfinite(grads)
    np.testing.assert_allclose(ours[both], grads[both], rtol=1e-7, atol=1e-9, err_msg=what)


# -- the property: eval(diff(f)) = grad(f) -------------------------------------------------------


# Not within 1e-3 of 0: at 1e-42, AD's 1/(2x) squares a number that underflows and its answer
# is rounding noise, while the simplified formula (the x cancels) is exact.
COORDINATE = st.floats(1e-3, 2) | st.floats(-2, -1e-3)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), x=COORDINATE, y=COORDINATE)
def test_the_derivative_evaluates_to_grads_numbers(seed, x, y):
    text = formula(random.Random(seed), 3)
    parsed = parse(text)
    assume(parsed.variables)
    point = {"x": x, "y": y}
    at = {n: np.array(point[n]) for n in parsed.variables}
    grads = gradient(bind_point(parsed, given=at)).gradient
    for partial in derivative(parsed).partials:
        (name,) = partial.wrt
        assert_close_where_finite(value_of(partial.text, point), grads[name],
                                  f"∂/∂{name} of {text} = {partial.text} at {point}")


VECTOR_FORMULAS = [
    ("dot(x, A@x)", {"x": [0.5, -1.0, 2.0], "A": [[1, 2, 0], [0.5, 1, 3], [1, 0, -1]]}),
    ("0.5*norm(A@x - y)^2", {"A": [[1, 2], [3, 4], [0, 1]], "x": [0.3, -0.7],
                             "y": [1, 0, 2]}),
    ("log(x*x)·sin(x)+1/x", {"x": [1, 2, 3, 4]}),
    ("mean((x - y)^2)", {"x": [1, 2, 3], "y": [0.5, 0.5, 4]}),
    ("logsumexp(W @ h)", {"W": [[1, -1], [0.5, 2], [0, 1]], "h": [0.2, -0.4]}),
    ("sum(sigmoid(x) * log(1 + exp(x)))", {"x": [-1, 0.5, 3]}),
    ("outer(p, q)", {"p": [1, 2], "q": [3, 4, 5]}),
    # a shape written as one number (found by the fuzz: an internal error)
    ("sum(reshape(A, -1)*[1, 2, 3, 4])", {"A": [[1, 2], [3, 4]]}),
    ("dot(reshape(A, 4), [1, 0, 2, 1])", {"A": [[1, 2], [3, 4]]}),
]


@pytest.mark.parametrize("text, point", VECTOR_FORMULAS, ids=[t for t, _ in VECTOR_FORMULAS])
def test_the_index_free_derivative_evaluates_to_grads_numbers(text, point):
    at = {n: np.array(v, dtype=np.float64) for n, v in point.items()}
    grads = gradient(bind_point(parse(text), given=at)).gradient
    for partial in derivative(parse(text), bind_point(parse(text), given=at)).partials:
        (name,) = partial.wrt
        assert_close_where_finite(partial.value, grads[name], f"∂/∂{name} = {partial.text}")
        assert_close_where_finite(value_of(partial.text, at), grads[name], partial.text)


@pytest.mark.parametrize("text, point", [
    ("x^2*sin(x)", ["x=0.7"]), ("log(x*x)·sin(x)+1/x", ["x=1..5"]),
    ("x*y + sin(x)", ["x=pi/4", "y=2"]), ("dot(x, A@x)", ["x=[1, 2]", "A=[[1, 2], [3, 4]]"]),
])
def test_adcli_eval_of_diff_plain_is_adcli_grad(adcli, text, point):
    grad = adcli("grad", text, *[a for p in point for a in ("--at", p)], "--json").json()
    for name, expected in grad["gradient"].items():
        run = adcli("diff", text, "--wrt", name, "--plain")
        assert run.code == 0, run.err
        derivative = run.out.strip()
        used = [p for p in point if p.split("=")[0] in parse(derivative).variables]
        value = adcli("eval", derivative, *[a for p in used for a in ("--at", p)],
                      "--json").json()["value"]
        assert_close_where_finite(np.array(value, dtype=float), np.array(expected, dtype=float),
                                  derivative)


# -- what adcli diff writes -------------------------------------------------------------------------


@pytest.mark.parametrize("text, wrt, expected", [
    ("x^2*sin(x)", "x", "x*(2*sin(x) + x*cos(x))"),
    ("dot(x, A@x)", "x", "A@x + transpose(A)@x"),
    ("0.5*norm(A@x - y)^2", "x", "transpose(A)@(A@x - y)"),
    ("x/(1 + x^2)", "x", "(1 - x^2)/(x^2 + 1)^2"),
    ("log(x*x)·sin(x)+1/x", "x", "2*size(x)*sin(x)/x + size(x)*cos(x)*log(x^2) - 1/x^2"),
    ("mean((x - y)^2)", "x", "2*(x - y)"),  # numbers: size(x) = 1
    ("sqrt(x^2 + 1)", "x", "x/sqrt(x^2 + 1)"),
    ("x^x", "x", "x^x*(log(x) + 1)"),
    ("sin(x)^2 + cos(x)^2", "x", "0"),
])
def test_derivatives_read_as_written_by_hand(adcli, text, wrt, expected):
    run = adcli("diff", text, "--wrt", wrt, "--plain")
    assert (run.code, run.out) == (0, expected + "\n"), run.err


def test_the_text_output_names_the_derivative_and_states_the_shapes(adcli, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = adcli("diff", "x^2*sin(x)").out.splitlines()
    assert [line.rstrip() for line in out] == [
        "f(x)  = x^2*sin(x)",
        "f′(x) = x*(2*sin(x) + x*cos(x))",
        "shapes: x a number (the lowest ranks under which f evaluates; --at gives others)",
    ]
    out = adcli("diff", "dot(x, A@x)").out
    assert "shapes: x a vector, A a matrix" in out and "∂f/∂A   = outer(x, x)" in out


def test_several_variables_and_higher_orders(adcli):
    result = adcli("diff", "x*y + sin(x)", "--order", "2", "--json").json()
    assert result["derivative"] == {"x,x": "-sin(x)", "x,y": "1", "y,y": "0"}
    assert result["order"] == 2 and result["wrt"] == ["x", "y"]
    assert adcli("diff", "x^4", "--order", "3", "--plain").out == "24*x\n"
    text = " ".join(adcli("diff", "x*y^2", "--order", "2").out.split())
    assert "∂²f/∂x∂y = 2*y" in text and "∂²f/∂y² = 2*x" in text


def test_an_element_wise_formula_of_a_vector_has_its_second_derivative(adcli):
    result = adcli("diff", "sin(x)", "--order", "2", "--at", "x=[0.5, 1]", "--json").json()
    assert result["derivative"] == {"x,x": "-sin(x)"}
    assert np.allclose(result["value"]["x,x"], -np.sin([0.5, 1]))


def test_the_json_object(adcli):
    result = adcli("diff", "log(x*x)·sin(x)+1/x", "--at", "x=1..3", "--json").json()
    assert result["command"] == "diff" and result["expression"] == "log(x*x)·sin(x)+1/x"
    assert result["cotangent"] == "ones" and result["shapes"] == {"x": [2]}
    assert result["shapes_inferred"] is False
    assert result["latex"]["x"].startswith(r"\frac{2 \operatorname{size}\left(x\right)")
    grad = adcli("grad", "log(x*x)·sin(x)+1/x", "--at", "x=1..3", "--json").json()
    assert np.allclose(result["value"]["x"], grad["gradient"]["x"], rtol=1e-12)
    assert result["notes"] == ["x ≠ 0"]


def test_a_non_scalar_output_is_contracted_with_ones_and_says_so(adcli):
    out = adcli("diff", "x*x", "--at", "x=[1, 2]").out
    assert "f has an array value: this is the derivative of sum(f)" in out
    assert "f′(x) = 2*x" in out and "[2, 4]" in out


def test_random_draws_in_the_derivative_are_shown_with_their_seed(adcli):
    # rand(3) is three numbers drawn once: the derivative holds them, and says so
    drawn = adcli("diff", "rand(3)*x", "--seed", "5", "--json").json()
    grad = adcli("grad", "rand(3)*x", "--seed", "5", "--at", "x=2", "--json").json()
    assert drawn["seed"] == 5 and drawn["draws"]["rand#1"] == grad["at"]["rand#1"]
    assert float(drawn["derivative"]["x"]) == grad["gradient"]["x"] == sum(grad["at"]["rand#1"])
    out = adcli("diff", "rand(3)*x", "--seed", "5").out
    assert "f draws random numbers: the derivative holds for the numbers drawn from seed 5 " \
           "(--seed 5 draws them again)" in " ".join(out.split())
    assert "rand#1 =  [0.8050, 0.8079, 0.5153]  shape 3" in out
    # without --seed one is chosen, shown, and gives the same derivative again
    first = adcli("diff", "x*sum(randn(2))", "--json").json()
    again = adcli("diff", "x*sum(randn(2))", "--seed", str(first["seed"]), "--json").json()
    assert again["derivative"] == first["derivative"] and again["draws"] == first["draws"]
    assert "seed" not in adcli("diff", "x*x", "--json").json()


@pytest.mark.parametrize("text, note", [
    ("1/x", "x ≠ 0"), ("log(x)", "x > 0"), ("sqrt(x - 1)", "x - 1 > 0"),
    ("asin(x)", "-1 ≤ x ≤ 1"), ("relu(x)", "relu(x) has a kink where x = 0 (relu'(0) = 0)"),
    ("abs(x - 1)", "abs(x - 1) has a kink where x - 1 = 0 (abs'(0) = 0)"),
    ("norm(x)", "where norm(x) = 0, the rule gives 0 instead (torch's convention)"),
])
def test_domain_notes_as_far_as_the_rules_tell(adcli, text, note):
    assert note in adcli("diff", text, "--json").json()["notes"]


def test_a_program_gives_the_derivative_of_the_path_that_ran(adcli):
    run = adcli("diff", "-f", "examples/control_flow.adl", "--at", "a=300")
    assert run.code == 0, run.err
    assert "f′(a) = 4" in run.out and "the derivative of the path the program ran" in run.out
    assert "`while norm(b) < 1000` ran 1 iteration" in run.out
    deeper = adcli("diff", "-f", "examples/control_flow.adl", "--at", "a=0.5", "--json").json()
    assert deeper["derivative"] == {"a": "2048"} and deeper["value"] == {"a": 2048.0}


def test_a_deep_formula_names_its_repeated_parts(adcli):
    text = "sin(" * 6 + "x" + ")" * 6
    out = adcli("diff", text).out
    assert "where u = sin(sin(x))" in out
    plain = adcli("diff", text, "--plain").out.strip()
    assert plain.count("sin(") == 1 + 2 + 3 + 4 + 5  # written out in full to feed back
    assert np.isclose(value_of(plain, {"x": 0.3}), gradient(bind_point(
        parse(text), given={"x": np.array(0.3)})).gradient["x"])


# -- the notebook's formulas: steps and LaTeX (golden files) -----------------------------------

NOTEBOOK = [
    ("dot2", "2*dot(x,x)"), ("sum", "sum(x)"), ("square", "x*x"), ("detach", "detach(x*x)*x"),
    ("sin", "sin(x)"), ("last", "log(x*x)·sin(x)+1/x"), ("product", "x^2*sin(x)"),
]


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ADCLI_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with ADCLI_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, text", NOTEBOOK, ids=[n for n, _ in NOTEBOOK])
@pytest.mark.parametrize("option", ["--steps", "--latex"])
def test_golden_steps_and_latex(adcli, monkeypatch, name, text, option):
    monkeypatch.setenv("NO_COLOR", "1")
    run = adcli("diff", text, option)
    assert run.code == 0, run.err
    _golden(f"diff-{name}.{option[2:]}", "\n".join(line.rstrip() for line in run.out.split("\n")))


def test_steps_name_the_rules_of_calculus(adcli):
    out = adcli("diff", "sin(x^2)/x", "--steps").out
    for rule in ("quotient rule", "chain rule with sin's rule", "power rule"):
        assert rule in out
    out = adcli("diff", "2*dot(x,x)", "--steps").out
    assert "backward from f" in out and "g = 2: sends g*x = 2*x" in out


# -- errors: a message and exit 1 or 2, never a traceback ----------------------------------------


@pytest.mark.parametrize("args, code, message", [
    (["diff", "-f", "examples/control_flow.adl"], 2,
     "a program's derivative is that of the path its branches and loops take"),
    (["diff", "x^2", "--wrt", "y"], 2, "--wrt y: the formula has no variable `y`"),
    (["diff", "x^2", "--order", "0"], 2, "--order"),
    (["diff", "x^2", "--order", "9"], 2, "--order 9: give an order from 1 to 8"),
    (["diff", "where(x > 1, 1, 0) > 0", "--at", "x=2"], 1, "has no derivative"),
    (["diff", "x > 1"], 1, "the formula's value is true or false (a comparison), which has no "
     "derivative"),
    (["diff", "2 + 3"], 2, "the formula has no variables"),
    (["diff", "sin(x"], 2, "error"),
    (["diff", "sine(x)"], 2, "unknown function `sine`"),
    (["diff", "x", "--plain", "--json"], 2, "--plain and --json"),
    (["diff", "dot(x, A@x)", "--order", "2", "--wrt", "x"], 1, "no index-free form"),
    (["diff", "x[0]*A[0, 0]*B[0, 0, 0, 0]"], 1, "no shapes"),
    (["diff", "x + y + z + u + v + w + p", "--order", "4"], 2, "the limit is 64"),
    (["diff", "x^2", "--at", "y=1"], 2, "a value is given for `y`"),
    (["diff", "x^2", "--at", "x=[1, 2", "--json"], 2, "--at x=[1, 2"),
])
def test_errors_exit_1_or_2_with_a_message(adcli, args, code, message):
    run = adcli(*args)
    assert run.code == code, run.out + run.err
    assert message in run.err and "Traceback" not in run.err
    assert run.out == ""


def test_a_json_error_is_json(adcli):
    run = adcli("diff", "-f", "examples/control_flow.adl", "--json")
    assert run.code == 2 and run.out == ""
    assert run.error()["kind"] == "needs-at"


def test_an_index_free_form_that_does_not_exist_is_said_so(adcli):
    run = adcli("diff", "sum(transpose(outer(x, [1, 2, 3])) @ x)")
    assert run.code == 1 and "no formula adcli can write" in run.err
    assert "adcli grad" in run.err  # where to get the numbers instead


_ = math


def test_a_derivative_too_long_to_write_out_is_given_by_its_shared_form(adcli):
    text = "sin(" * 500 + "x" + ")" * 500  # written out: ~250,000 sines
    result = adcli("diff", text, "--at", "x=0.5", "--json").json()
    assert result["derivative"] == {"x": None}
    shared = result["shared"]
    assert shared["derivative"]["x"].startswith("cos(x)*cos(sin(x))*")
    assert len(shared["where"]) > 400
    expected = adcli("grad", text, "--at", "x=0.5", "--json").json()["gradient"]["x"]
    assert np.isclose(result["value"]["x"], expected, rtol=1e-12)  # the shared form, evaluated
    run = adcli("diff", text, "--plain")
    assert run.code == 1 and "longer than 200,000 characters" in run.err


# -- what is imported when ----------------------------------------------------------------------

def _imported(*args: str) -> set[str]:
    """The modules a run of adcli imports (python -X importtime)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "adcli", *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:")}


@pytest.mark.parametrize("args", [("--help",), ("diff", "--help"), ("grad", "x*x", "--at", "1"),
                                  ("eval", "sin(x)", "--at", "1")], ids=" ".join)
def test_only_diff_and_the_rule_listings_load_the_symbolic_code(args):
    names = _imported(*args)
    assert "adcli.cli" in names  # the list is real
    assert not {n for n in names if n.startswith(("adcli.symbolic", "sympy"))}


def test_diff_loads_the_symbolic_code_and_never_sympy():
    names = _imported("diff", "x^2*sin(x)")
    assert "adcli.symbolic.simplify" in names
    assert not {n for n in names if n.startswith("sympy")}


def test_user_text_is_shown_escaped(adcli, tmp_path):
    program = tmp_path / "a\x1b]52;c;b.adl"  # a file name that would write to the clipboard
    program.write_text("y = x*x\nreturn y\n", encoding="utf-8")
    run = adcli("diff", "-f", str(program), "--at", "x=2")
    assert run.code == 0 and "\x1b" not in run.out
    assert "a\\x1b]52;c;b.adl" in run.out
