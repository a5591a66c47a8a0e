"""`--tangent v` (J·v by forward mode) and `--cotangent g` (gᵀJ by reverse mode) on `grad` and
`jacobian`, against torch.func.jvp and torch.func.vjp."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

# torch.func's first use compiles a helper with torch.jit.script, which torch 2.13 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")

# (formula, --at, the same function of the variables in order, --tangent specs, the tangents)
TANGENTS: list[tuple[str, list[str], Callable[..., Any], list[str], list[Any]]] = [
    ("A @ v", ["A=[[1,2],[3,4]]", "v=[5,6]"], lambda t, A, v: A @ v,
     ["A=[[1,0],[0,-1]]", "v=[0.5,2]"], [[[1, 0], [0, -1]], [0.5, 2]]),
    ("sin(x)*x", ["x=[0, 1, 2]"], lambda t, x: t.sin(x) * x, ["[1, 0.5, -2]"], [[1, 0.5, -2]]),
    ("softmax(x)", ["x=[0.5, -1, 2]"], lambda t, x: t.softmax(x, -1), ["[1, 2, 3]"], [[1, 2, 3]]),
    ("logsumexp(x) + dot(x, x)^2", ["x=[0.5, -1]"],
     lambda t, x: t.logsumexp(x, 0) + t.dot(x, x) ** 2, ["[1, -1]"], [[1, -1]]),
    ("log(x*x)·sin(x)+1/x", ["x=1..5"],
     lambda t, x: t.dot(t.log(x * x), t.sin(x)) + 1 / x, ["1"], [[1, 1, 1, 1]]),
]


def _tensors(torch: Any, values: list[Any]) -> tuple[Any, ...]:
    return tuple(torch.tensor(v, dtype=torch.float64) for v in values)


def _at(run_json: dict[str, Any], names: list[str]) -> list[Any]:
    return [run_json["at"][name] for name in names]


@pytest.mark.parametrize("command", ["grad", "jacobian"])
@pytest.mark.parametrize("formula, at, f, specs, tangents", TANGENTS, ids=[t[0] for t in TANGENTS])
def test_tangent_is_torchs_jvp(adcli, torch, command, formula, at, f, specs, tangents):
    args = [command, formula, *sum((["--at", a] for a in at), [])]
    args += sum((["--tangent", s] for s in specs), [])
    run = adcli(*args, "--json")
    assert run.code == 0, run.err
    doc = run.json()
    names = list(doc["at"])
    primals = _tensors(torch, _at(doc, names))
    _, expected = torch.func.jvp(lambda *xs: f(torch, *xs), primals, _tensors(torch, tangents))
    np.testing.assert_allclose(doc["jvp"], expected.numpy(), rtol=1e-12, atol=1e-12)
    assert doc["mode"] == "forward" and doc["command"] == command


# (formula, --at, the function, --cotangent)
COTANGENTS: list[tuple[str, list[str], Callable[..., Any], str]] = [
    ("x*x", ["x=0..5"], lambda t, x: x * x, "[1, 0, 0, 0, 2]"),
    ("A @ v", ["A=[[1,2],[3,4]]", "v=[5,6]"], lambda t, A, v: A @ v, "[1, -1]"),
    ("softmax(x)", ["x=[0.5, -1, 2]"], lambda t, x: t.softmax(x, -1), "[0, 1, 0]"),
    ("outer(x, y)", ["x=[1, 2]", "y=[3, 4, 5]"], lambda t, x, y: t.outer(x, y),
     "[[1, 0, 1], [0, 2, 0]]"),
    ("sin(x)", ["x=[0, 1, 2]"], lambda t, x: t.sin(x), "2"),  # one number for every element
]


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("command", ["grad", "jacobian"])
@pytest.mark.parametrize("formula, at, f, cotangent", COTANGENTS, ids=[c[0] for c in COTANGENTS])
def test_cotangent_is_torchs_vjp(adcli, torch, command, mode, formula, at, f, cotangent):
    args = [command, formula, *sum((["--at", a] for a in at), []), "--cotangent", cotangent]
    run = adcli(*args, "--mode", mode, "--json")
    assert run.code == 0, run.err
    doc = run.json()
    names = list(doc["at"])
    out, pull = torch.func.vjp(lambda *xs: f(torch, *xs), *_tensors(torch, _at(doc, names)))
    g = np.broadcast_to(np.array(eval(cotangent), dtype=float), out.shape)
    expected = pull(torch.tensor(g, dtype=torch.float64))
    for name, e in zip(names, expected):
        np.testing.assert_allclose(doc["gradient"][name], e.numpy(), rtol=1e-12, atol=1e-12)
    assert doc["cotangent"] == g.tolist()  # the cotangent used, not "ones"


def test_json_cotangent_reports_the_one_used(adcli):
    assert adcli("grad", "x*x", "--at", "0..3", "--json").json()["cotangent"] == "ones"
    assert adcli("grad", "sum(x)", "--at", "0..3", "--json").json()["cotangent"] is None
    given = adcli("grad", "x*x", "--at", "0..3", "--cotangent", "[0, 1, 0]", "--json").json()
    assert given["cotangent"] == [0.0, 1.0, 0.0] and given["gradient"]["x"] == [0.0, 2.0, 0.0]


def test_text_says_what_was_computed(adcli):
    run = adcli("grad", "x*x", "--at", "0..5", "--tangent", "1")
    assert "J·v      [0, 2, 4, 6, 8]" in run.out and "forward mode in 1 forward pass" in run.out
    run = adcli("grad", "x*x", "--at", "0..5", "--cotangent", "[1,0,0,0,2]")
    assert "gᵀ∂f/∂x    [0, 0, 0, 0, 16]" in run.out and "f.backward(g)" in run.out


@pytest.mark.parametrize("args, words", [
    (["--tangent", "[1, 2]"], "--tangent x has shape (2,), but the variable has shape (3,)"),
    (["--cotangent", "[1, 2]"], "--cotangent has shape (2,), but f has shape (3,)"),
    (["--tangent", "1", "--cotangent", "1"], "give one of them"),
    (["--tangent", "1", "--order", "2"], "give one or the other"),
    (["--tangent", "y=1"], "`y` is not differentiated here"),
    (["--tangent", "x=1", "--tangent", "x=2"], "given more than once"),
    (["--cotangent", "[1, z]"], "cannot use variables"),
])
def test_bad_directions_are_input_errors(adcli, args, words):
    run = adcli("grad", "x*x", "--at", "x=0..3", *args, "--json")
    assert run.code == 2 and run.out == ""
    assert words in run.error()["message"]


def test_every_differentiated_variable_needs_a_tangent(adcli):
    run = adcli("grad", "x*y", "--at", "x=1", "--at", "y=2", "--tangent", "x=1", "--json")
    assert run.code == 2 and "no tangent for `y`" in run.error()["message"]
    held = adcli("grad", "x*y", "--at", "x=1", "--at", "y=2", "--wrt", "x", "--tangent", "3",
                 "--json")
    assert held.json()["jvp"] == 6.0  # y held at 2: ∂(xy)/∂x · 3


def test_directions_in_a_batch(adcli):
    run = adcli("grad", "x*x", "--tangent", "1", "--each", "-", stdin='{"x": [1, 2]}\n')
    assert run.code == 0, run.err
    assert run.json()["jvp"] == [2.0, 4.0]
    run = adcli("grad", "x*x", "--cotangent", "[0, 3]", "--each", "-", stdin='{"x": [1, 2]}\n')
    assert run.json()["gradient"]["x"] == [0.0, 12.0]
