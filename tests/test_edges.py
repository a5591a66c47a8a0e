"""Torch's conventions at the edges (measured on torch 2.13): subgradients, ties, 0·inf, 0^0.
Each row is checked against the number written here *and*, when torch is present, against torch."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

from adcli.calculations import bind_point, gradient
from adcli.language.parser import parse

INF, NAN = math.inf, math.nan

# formula, point, expected gradient per variable, torch builder
EDGES = [
    ("log(x)", {"x": 0.0}, {"x": INF}, lambda t, v: t.log(v["x"])),
    ("1/x", {"x": 0.0}, {"x": -INF}, lambda t, v: 1 / v["x"]),
    ("sqrt(x)", {"x": 0.0}, {"x": INF}, lambda t, v: t.sqrt(v["x"])),
    ("abs(x)", {"x": 0.0}, {"x": 0.0}, lambda t, v: t.abs(v["x"])),
    ("relu(x)", {"x": 0.0}, {"x": 0.0}, lambda t, v: t.relu(v["x"])),
    ("sign(x)", {"x": [-2.0, 0.0, 3.0]}, {"x": [0.0, 0.0, 0.0]}, lambda t, v: t.sign(v["x"])),
    ("maximum(x, y)", {"x": 1.5, "y": 1.5}, {"x": 0.5, "y": 0.5},
     lambda t, v: t.maximum(v["x"], v["y"])),
    ("minimum(x, y)", {"x": 1.5, "y": 1.5}, {"x": 0.5, "y": 0.5},
     lambda t, v: t.minimum(v["x"], v["y"])),
    ("max(x)", {"x": [1.0, 3.0, 3.0]}, {"x": [0.0, 0.5, 0.5]}, lambda t, v: v["x"].max()),
    ("min(x)", {"x": [2.0, 2.0, 2.0, 5.0]}, {"x": [1 / 3, 1 / 3, 1 / 3, 0.0]},
     lambda t, v: v["x"].min()),
    ("x^y", {"x": 0.0, "y": 0.0}, {"x": 0.0, "y": 0.0}, lambda t, v: v["x"] ** v["y"]),
    ("x^y", {"x": 0.0, "y": 0.5}, {"x": INF, "y": 0.0}, lambda t, v: v["x"] ** v["y"]),
    ("x^y", {"x": -2.0, "y": 2.0}, {"x": -4.0, "y": NAN}, lambda t, v: v["x"] ** v["y"]),
    ("norm(x)", {"x": [0.0, 0.0, 0.0]}, {"x": [0.0, 0.0, 0.0]}, lambda t, v: v["x"].norm()),
    ("where(x > 0, log(x), 0)", {"x": 0.0}, {"x": NAN},
     lambda t, v: t.where(v["x"] > 0, t.log(v["x"]), t.zeros((), dtype=t.float64))),
    ("prod(x)", {"x": [2.0, 0.0, 3.0]}, {"x": [0.0, 6.0, 0.0]}, lambda t, v: v["x"].prod()),
    ("prod(x)", {"x": [0.0, 0.0, 3.0]}, {"x": [0.0, 0.0, 0.0]}, lambda t, v: v["x"].prod()),
    ("clip(x, 0, 1)", {"x": [0.0, 0.5, 1.0, 2.0]}, {"x": [1.0, 1.0, 1.0, 0.0]},
     lambda t, v: t.clamp(v["x"], 0, 1)),
    ("0 * log(x)", {"x": 0.0}, {"x": NAN}, lambda t, v: 0 * t.log(v["x"])),
]


def adcli_gradient(formula: str, point: dict) -> dict:
    parsed = parse(formula)
    at = {name: np.array(point[name], dtype=np.float64) for name in parsed.variables}
    return gradient(bind_point(parsed, given=at)).gradient


def assert_same(actual, expected) -> None:
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=1e-12, atol=1e-15, equal_nan=True)


@pytest.mark.parametrize("formula, point, expected, _", EDGES, ids=[f"{e[0]}@{e[1]}" for e in EDGES])
def test_edge_convention(formula, point, expected, _):
    gradient = adcli_gradient(formula, point)
    for name, value in expected.items():
        assert_same(gradient[name], value)


@pytest.mark.parametrize("formula, point, expected, build", EDGES, ids=[f"{e[0]}@{e[1]}" for e in EDGES])
def test_edge_convention_is_torchs(torch, formula, point, expected, build):
    tensors = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in point.items()}
    y = build(torch, tensors)
    y.backward(torch.ones_like(y))
    for name, value in expected.items():
        grad = tensors[name].grad
        assert_same(grad.numpy() if grad is not None else 0.0, value)


def test_ieee_values_never_warn_or_raise():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gradient = adcli_gradient("log(x) + 1/x + sqrt(x) + exp(1000*x) + x/x", {"x": 0.0})
    assert math.isnan(gradient["x"])  # -inf·... meets +inf somewhere: IEEE, not an exception
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gradient = adcli_gradient("log(x)", {"x": -1.0})
    assert_same(gradient["x"], -1.0)


def test_nan_propagates_through_value_and_gradient():
    parsed = parse("x*2 + 1")
    calc = gradient(bind_point(parsed, given={"x": np.array([NAN, 1.0])}))
    assert_same(calc.value, [NAN, 3.0])
    assert_same(calc.gradient["x"], [2.0, 2.0])


# -- issue 9: the last edges found by fuzzing ------------------------------------------------

SIGNED_ZEROS = [(-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0), (NAN, 0.0), (0.0, NAN), (1.0, 2.0),
                (2.0, 1.0)]


@pytest.mark.parametrize("function", ["maximum", "minimum"])
def test_maximum_and_minimum_keep_torchs_zero_on_a_tie(adcli, function):
    # torch keeps its first argument on a tie: maximum(-0.0, 0) = -0.0 (numpy gives 0.0)
    a = [p[0] for p in SIGNED_ZEROS]
    b = [p[1] for p in SIGNED_ZEROS]
    values = adcli("eval", f"{function}(a, b)", "--at", "-", "--json", stdin=json.dumps(
        {"a": [str(v) if math.isnan(v) else v for v in a],
         "b": [str(v) if math.isnan(v) else v for v in b]})).json()["value"]
    pick = max if function == "maximum" else min
    expected = [NAN if math.isnan(x) or math.isnan(y) else (x if x == y else pick(x, y))
                for x, y in SIGNED_ZEROS]
    for got, want in zip(values, expected):
        if math.isnan(want):
            assert got == "nan"
        else:
            assert got == want and math.copysign(1, got) == math.copysign(1, want)


@pytest.mark.parametrize("function", ["maximum", "minimum"])
def test_maximum_and_minimum_signed_zeros_are_torchs(torch, function):
    import adcli as ad

    a = [p[0] for p in SIGNED_ZEROS]
    b = [p[1] for p in SIGNED_ZEROS]
    expected = getattr(torch, function)(torch.tensor(a, dtype=torch.float64),
                                        torch.tensor(b, dtype=torch.float64)).numpy()
    actual = getattr(ad, function)(ad.tensor(a), ad.tensor(b)).numpy()
    np.testing.assert_array_equal(np.signbit(actual), np.signbit(expected))
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
    np.testing.assert_array_equal(actual, expected)


AXIS_ON_A_NUMBER = [("sum", "sum"), ("mean", "mean"), ("prod", "prod"), ("max", "amax"),
                    ("min", "amin"), ("norm", None), ("logsumexp", "logsumexp"),
                    ("softmax", "softmax")]


@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("function, torch_name", AXIS_ON_A_NUMBER)
@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_an_axis_of_a_single_number_follows_torch(adcli, torch, function, torch_name, axis, mode):
    run = adcli("grad", f"{function}(x, axis={axis})", "--at", "x=2", "--mode", mode, "--json")
    assert run.code == 0, run.err
    result = run.json()
    x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    if torch_name is None:
        y = torch.linalg.vector_norm(x, dim=axis)
    else:
        y = getattr(torch, torch_name)(x, axis)
    y.backward()
    assert result["value"] == y.item()
    assert result["gradient"]["x"] == x.grad.item()


def test_an_axis_out_of_range_of_a_single_number_is_refused_as_torch_does(adcli, torch):
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got 1"):
        torch.sum(torch.tensor(2.0), 1)
    run = adcli("grad", "sum(x, axis=1)", "--at", "x=2", "--json")
    assert run.code == 1
    assert run.error()["message"] == ("in `sum(x, axis=1)`: axis 1 is out of range for a 0-d value "
                                      "(it has the axes -1 and 0, as in torch)")
