"""Derivatives of order N at each point (`grad --order N`): the numbers torch gives by
`autograd.grad(…, create_graph=True)` applied N times; the refusal of formulas that are not
element-wise, with the reason; and the Hessian of a function of one number, a number."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import pytest

from adcli.calculations import at_point, derivatives
from adcli.calculations.orders import MAX_ORDER

# (adcli's formula, --at, the same function in torch, the order checked)
FORMULAS: list[tuple[str, list[str], Callable[[Any, Any], Any], int]] = [
    ("x^3", ["0..5"], lambda t, x: x ** 3, 3),
    ("sin(x)*x", ["-2..=2:9"], lambda t, x: t.sin(x) * x, 4),
    ("exp(-x^2)", ["-2..=2:9"], lambda t, x: t.exp(-x ** 2), 3),
    ("log(x*x)*sin(x)+1/x", ["0..5"], lambda t, x: t.log(x * x) * t.sin(x) + 1 / x, 3),
    ("sigmoid(x)", ["-3..=3:7"], lambda t, x: t.sigmoid(x), 3),
    ("tanh(x)^2 - sqrt(x)", ["0..=2:5"], lambda t, x: t.tanh(x) ** 2 - t.sqrt(x), 2),
    ("x*[1, 2, 3] + x^2", ["[0.5, -1, 2]"], lambda t, x: x * t.tensor([1.0, 2, 3]) + x ** 2, 2),
    ("x^2 * 7", ["2"], lambda t, x: x ** 2 * 7, 3),
]


def torch_orders(torch: Any, f: Callable[[Any, Any], Any], at: np.ndarray, order: int
                 ) -> list[np.ndarray]:
    """d^k f / dx^k at each point for k = 1…order, by torch's nested autograd.grad."""
    x = torch.tensor(at, dtype=torch.float64, requires_grad=True)
    current = f(torch, x)
    found = []
    for _ in range(order):
        if not current.requires_grad:  # a constant: every higher derivative is 0
            found.append(np.zeros(at.shape))
            current = torch.zeros_like(x)
            continue
        (current,) = torch.autograd.grad(current.sum(), x, create_graph=True,
                                         materialize_grads=True)
        found.append(current.detach().numpy().copy())
    return found


@pytest.mark.parametrize("formula, at, f, order", FORMULAS, ids=[f[0] for f in FORMULAS])
def test_derivatives_at_each_point_are_torchs(torch, formula, at, f, order):
    result = derivatives(at_point(formula, at), None, order)
    expected = torch_orders(torch, f, np.asarray(result.point.at["x"]), order)
    assert result.order == order
    for k, (ours, theirs) in enumerate(zip(result.derivatives, expected), start=1):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12, equal_nan=True,
                                   err_msg=f"order {k} of {formula}")
        # nan where torch has nan, inf where torch has inf, with its sign
        assert (np.isnan(ours) == np.isnan(theirs)).all()


def test_the_issues_example_on_the_command_line(adcli):
    run = adcli("grad", "x^3", "--order", "2", "--at", "0..5", "--json")
    assert run.code == 0, run.err
    doc = run.json()
    assert doc["order"] == 2 and doc["wrt"] == "x"
    assert doc["derivatives"] == [[0.0, 3.0, 12.0, 27.0, 48.0], [0.0, 6.0, 12.0, 18.0, 24.0]]
    text = adcli("grad", "x^3", "--order", "2", "--at", "0..5")
    assert "∂²f/∂x²  [0, 6, 12, 18, 24]  shape 5" in text.out


def test_other_variables_are_held(torch):
    result = derivatives(at_point("x^2*y + y^3", ["x=[1, 2]", "y=[3, 5]"]), ["x"], 2)
    np.testing.assert_array_equal(result.derivatives[0], [6.0, 20.0])
    np.testing.assert_array_equal(result.derivatives[1], [6.0, 10.0])


def test_a_formula_that_does_not_depend_on_x_has_zero_derivatives():
    result = derivatives(at_point("detach(x)*x + 0*x", ["0..3"]), None, 3)
    np.testing.assert_array_equal(result.derivatives[0], [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(result.derivatives[1], [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(result.derivatives[2], [0.0, 0.0, 0.0])


@pytest.mark.parametrize("formula, words", [
    ("x - mean(x)", "is not element-wise in `x`"),
    ("softmax(x)", "is not element-wise in `x`"),
    ("x*sum(x)", "is not element-wise in `x`"),
    ("sum(x^3)", "f needs one value per point: f has shape (), `x` (4,)"),
    ("outer(x, x)", "f needs one value per point"),
])
def test_formulas_that_are_not_element_wise_are_refused_with_the_reason(adcli, formula, words):
    run = adcli("grad", formula, "--order", "2", "--at", "0..4", "--json")
    assert run.code == 1 and run.out == ""
    error = run.error()
    assert error["kind"] == "not-element-wise"
    assert words in error["message"]
    assert "hessian" in error["hint"] or "jacobian" in error["hint"]


def test_order_needs_one_variable_and_a_sane_order(adcli):
    run = adcli("grad", "x*y", "--order", "2", "--at", "x=0..3", "--at", "y=2", "--json")
    assert run.code == 2 and "--wrt" in run.error()["message"]
    run = adcli("grad", "x^2", "--order", str(MAX_ORDER + 1), "--at", "1", "--json")
    assert run.code == 2 and f"between 0 and {MAX_ORDER}" in run.error()["message"]
    assert adcli("grad", "x*y", "--order", "2", "--wrt", "x", "--at", "x=0..3", "--at",
                 "y=2").code == 0


def test_the_hessian_of_a_function_of_one_number_is_a_number(adcli):
    run = adcli("hessian", "x^3", "--at", "2")
    assert run.code == 0, run.err
    assert "∂²f/∂x²  12  scalar" in run.out and "[[12]]" not in run.out
    assert adcli("hessian", "x^3", "--at", "2", "--json").json()["hessian"] == {"x": {"x": 12.0}}
    # a vector variable keeps its matrix, even of one element
    assert adcli("hessian", "sum(x^3)", "--at", "x=[2]", "--json").json()["hessian"] == \
        {"x": {"x": [[12.0]]}}


def test_hessian_of_an_element_wise_formula_points_to_order(adcli):
    run = adcli("hessian", "x^3", "--at", "0..4", "--json")
    assert run.code == 1
    assert "--order 2" in run.error()["hint"]


def test_order_one_is_grads_gradient(adcli):
    plain = adcli("grad", "x*sum(x)", "--at", "0..3", "--json").json()
    assert plain["gradient"]["x"] == [6.0, 6.0, 6.0]  # of sum(f) = sum(x)^2: not element-wise
    assert math.isclose(plain["value"][2], 6.0)
