"""Deep and long input: nothing recurses on depth, so these parse, evaluate and differentiate."""

from __future__ import annotations

import math

import numpy as np

import adcli as ad
from adcli import calculations
from adcli.language.parser import MAX_FORMULA_LENGTH, parse


def value_and_gradient(formula: str, x: float) -> tuple[float, float]:
    calc = calculations.gradient(calculations.bind_point(parse(formula), given={"x": np.array(x)}))
    return float(calc.value), float(calc.gradient["x"])


def test_ten_thousand_nested_parentheses():
    assert value_and_gradient("(" * 10_000 + "x*x" + ")" * 10_000, 3.0) == (9.0, 6.0)


def test_sin_nested_ten_thousand_deep():
    value, grad = value_and_gradient("sin(" * 10_000 + "x" + ")" * 10_000, 0.5)
    expected_value, expected_grad = 0.5, 1.0
    for _ in range(10_000):  # chain rule by hand: d sin(u) = cos(u) du
        expected_grad *= math.cos(expected_value)
        expected_value = math.sin(expected_value)
    assert value == expected_value
    assert math.isclose(grad, expected_grad, rel_tol=1e-12)


def test_sum_of_a_hundred_thousand_terms():
    value, grad = value_and_gradient("+".join(["x"] * 100_000), 0.5)
    assert (value, grad) == (50_000.0, 100_000.0)


def test_ten_thousand_unary_minuses_and_a_long_power_tower():
    assert value_and_gradient("-" * 10_001 + "x", 2.0) == (-2.0, -1.0)
    value, grad = value_and_gradient("x^" * 3 + "x", 1.0)
    assert (value, grad) == (1.0, 1.0)


def test_hundred_thousand_node_chain_through_the_api():
    x = ad.tensor(0.3, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = ad.sin(y) * 1.0001
    y.backward()
    expected_value, expected_grad = 0.3, 1.0
    for _ in range(100_000):
        expected_grad *= math.cos(expected_value) * 1.0001
        expected_value = math.sin(expected_value) * 1.0001
    assert math.isclose(y.item(), expected_value, rel_tol=1e-12)
    assert math.isclose(x.grad.item(), expected_grad, rel_tol=1e-9)


def test_beyond_the_length_limit_is_a_clean_error(adcli):
    run = adcli("eval", "1+" * (MAX_FORMULA_LENGTH // 2) + "1", "--json")
    assert run.code == 2
    assert run.error()["kind"] == "size-limit"
    assert "the limit is 2,000,000" in run.error()["message"]
