"""Every example of the notebook adcli grew from (DESIGN.md's table), through the command line
and through the Python API, with the numbers PyTorch prints."""

from __future__ import annotations

import math

import numpy as np
import pytest

import adcli as ad

NAN = math.nan

# (formula, --at, value, gradient, cotangent) — the numbers torch 2.13 gives in float64.
ROWS = [
    ("2*dot(x,x)", "0..5", 60.0, [0.0, 4.0, 8.0, 12.0, 16.0], None),
    ("sum(x)", "0..5", 10.0, [1.0, 1.0, 1.0, 1.0, 1.0], None),
    ("x*x", "0..5", [0.0, 1.0, 4.0, 9.0, 16.0], [0.0, 2.0, 4.0, 6.0, 8.0], "ones"),
    ("detach(x*x)*x", "0..5", [0.0, 1.0, 8.0, 27.0, 64.0], [0.0, 1.0, 4.0, 9.0, 16.0], "ones"),
    ("sin(x)", "0..3", [0.0, math.sin(1), math.sin(2)], [1.0, math.cos(1), math.cos(2)], "ones"),
]


def same(actual: object, expected: object) -> bool:
    return np.allclose(np.array(actual, dtype=float), np.array(expected, dtype=float),
                       rtol=1e-12, atol=0, equal_nan=True)


@pytest.mark.parametrize("formula, at, value, gradient, cotangent", ROWS)
def test_notebook_row_on_the_command_line(adcli, formula, at, value, gradient, cotangent):
    run = adcli("grad", formula, "--at", at, "--json")
    assert run.code == 0, run.err
    result = run.json()
    assert same(result["value"], value)
    assert same(result["gradient"]["x"], gradient)
    assert result["cotangent"] == cotangent


def test_last_formula_gives_torchs_numbers_on_the_command_line(adcli):
    run = adcli("grad", "log(x*x)·sin(x)+1/x", "--at", "0..5", "--json")
    assert run.code == 0, run.err
    result = run.json()
    assert result["gradient"]["x"][0] == "nan"
    assert np.round(result["gradient"]["x"][1:], 4).tolist() == [7.4147, 1.4120, -10.5169, -11.0159]
    # dot(log(0)=-inf, sin(0)=0) is nan, so every element of the value is nan, as in torch.
    assert result["value"] == ["nan"] * 5
    assert result["cotangent"] == "ones"


def test_last_formula_text_output_reads_like_torch(adcli):
    # torch prints tensor([nan, 7.4147, 1.4120, -10.5169, -11.0159]): adcli, the same text
    run = adcli("grad", "log(x*x)·sin(x)+1/x", "--at", "0..5")
    assert run.code == 0
    assert "∂f/∂x  [nan, 7.4147, 1.4120, -10.5169, -11.0159]" in run.out
    assert "gradient of sum(f)" in run.out


def test_float32_reproduces_torchs_default_dtype(adcli):
    result = adcli("grad", "log(x*x)·sin(x)+1/x", "--at", "0..5", "--dtype", "float32",
                   "--json").json()
    assert result["dtype"] == "float32"
    # float32 values written in their shortest form, as torch prints them in full precision.
    grads = np.array([float(v) for v in result["gradient"]["x"][1:]], dtype=np.float32)
    expected = np.array([7.4147, 1.4120, -10.5169, -11.0159], dtype=np.float32)
    assert np.allclose(grads, expected, atol=1e-4)


# -- the same notebook cells, written with the Python API almost word for word -------------


def test_api_dot_then_zero_grad():
    x = ad.arange(0, 5)
    x.requires_grad_(True)
    assert x.grad is None
    y = 2 * ad.dot(x, x)
    y.backward()
    assert x.grad.tolist() == [0.0, 4.0, 8.0, 12.0, 16.0]
    x.grad.zero_()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 0.0, 0.0]


def test_api_sum():
    x = ad.arange(0, 5, dtype=np.float32)
    x.requires_grad_(True)
    y = x.sum()
    y.backward()
    assert x.grad.tolist() == [1.0] * 5


def test_api_backward_with_ones():
    x = ad.arange(0, 5).requires_grad_(True)
    y = x * x
    y.backward(ad.ones(5))
    assert x.grad.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0]


def test_api_detach():
    x = ad.arange(0, 5).requires_grad_(True)
    y = x * x
    u = y.detach()
    z = u * x
    z.sum().backward()
    assert (x.grad == u).tolist() == [True] * 5


def test_api_sin():
    x = ad.arange(0, 3).requires_grad_(True)
    y = ad.sin(x)
    y.sum().backward()
    assert (x.grad == ad.cos(x)).tolist() == [True, True, True]


def test_api_last_formula():
    x = ad.arange(0, 5).requires_grad_(True)
    y = ad.dot(ad.log(x * x), ad.sin(x)) + 1 / x
    y.sum().backward()
    grad = x.grad.numpy()
    assert math.isnan(grad[0])
    assert np.round(grad[1:], 4).tolist() == [7.4147, 1.4120, -10.5169, -11.0159]


def test_api_control_flow_function():
    # The notebook's `f`: the gradient is the path's linear factor, d/a.
    def f(a):
        b = a * 2
        while b.norm() < 1000:
            b = b * 2
        if b.sum() > 0:
            c = b
        else:
            c = 100 * b
        return c

    for start in (0.37, -1.3, 2.0):
        a = ad.tensor([start], requires_grad=True)
        d = f(a)
        d.backward()
        assert (a.grad == d / a).tolist() == [True]


@pytest.mark.parametrize("formula, at, value, gradient, cotangent", ROWS)
def test_notebook_rows_match_torch(torch, formula, at, value, gradient, cotangent):
    """The hard-coded numbers above are torch's own: recompute them with torch."""
    n = int(at.split("..")[1])
    x = torch.arange(0, n, dtype=torch.float64, requires_grad=True)
    build = {
        "2*dot(x,x)": lambda: 2 * torch.dot(x, x),
        "sum(x)": lambda: x.sum(),
        "x*x": lambda: x * x,
        "detach(x*x)*x": lambda: (x * x).detach() * x,
        "sin(x)": lambda: torch.sin(x),
    }[formula]
    y = build()
    y.backward(torch.ones_like(y))
    assert same(y.detach().numpy(), value)
    assert same(x.grad.numpy(), gradient)
