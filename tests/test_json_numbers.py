"""Large arrays in --json are written by adcli/views/json_numbers.py (orjson, with Python's own
text for numbers below 1e-4 and non-finite ones) and must be byte for byte what the json module
writes: the contract says floats read back exactly, and scripts may compare outputs as text."""

from __future__ import annotations

import json

import numpy as np
import pytest

from adcli.views import json_numbers, json_view

NON_FINITE = {"nan": "nan", "inf": "inf", "-inf": "-inf"}


def reference(array: np.ndarray) -> str:
    """What adcli wrote before json_numbers: repr of every float through the json module,
    float32 in its shortest form, "nan"/"inf"/"-inf" as strings."""
    if array.dtype == np.float32:
        array = np.array([float(str(v)) for v in array.ravel()]).reshape(array.shape)
    boxed = array.astype(np.float64).astype(object)
    boxed[np.isnan(array)] = "nan"
    boxed[array == np.inf] = "inf"
    boxed[array == -np.inf] = "-inf"
    return json.dumps(boxed.tolist())


def random_bits(dtype: type, count: int, seed: int) -> np.ndarray:
    """Arrays of every magnitude (and some nan and inf): random bit patterns."""
    rng = np.random.default_rng(seed)
    unsigned = np.uint64 if dtype == np.float64 else np.uint32
    bits = rng.integers(0, np.iinfo(unsigned).max, size=count, dtype=unsigned, endpoint=True)
    return bits.view(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_random_bit_patterns_are_written_as_the_json_module_does(dtype):
    array = random_bits(dtype, 60_000, seed=1)
    array[:3] = [np.nan, np.inf, -np.inf]
    assert json_numbers.text(array) == reference(array)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("low, high", [(-7, -3), (-1, 2), (13, 18), (-320, -300), (300, 308)])
def test_each_layout_band_matches(dtype, low, high):
    # around the switches between fixed and exponent layout, and the subnormals
    rng = np.random.default_rng(abs(low) + high)
    array = rng.uniform(1, 10, 20_000) * 10.0 ** rng.integers(low, high, 20_000)
    array[::2] *= -1
    with np.errstate(over="ignore"):
        array = array.astype(dtype)
    assert json_numbers.text(array) == reference(array)


def test_edges_and_nested_shapes():
    edges = np.array([0.0, -0.0, 1.0, 1e16, 9999999999999998.0, 1e-4, 1e-5, 1.5e-5, 1e-6,
                      5e-324, 1.7976931348623157e308, 10.00001, 0.1, np.nan, -np.inf])
    assert json_numbers.text(edges) == reference(edges)
    matrix = np.arange(24.0).reshape(2, 3, 4) / 7
    assert json_numbers.text(matrix) == reference(matrix)
    assert json_numbers.text(matrix.T) == reference(matrix.T)  # not C-contiguous


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(30_000,), (100, 300), (10, 30, 100)])
def test_a_few_numbers_below_1e4_among_many_are_written_by_repr(dtype, shape):
    # json_numbers.FEW: up to one in 16 takes the path of repr, one number at a time
    rng = np.random.default_rng(len(shape))
    array = rng.uniform(-50, 50, 30_000)
    few = rng.choice(30_000, size=30_000 // json_numbers.FEW, replace=False)
    array[few] = rng.uniform(1, 10, few.size) * 10.0 ** rng.integers(-320, -3, few.size)
    array[few[:9]] = [np.nan, np.inf, -np.inf, 1e-5, 1.5e-5, 9.99e-5, 5e-324, -1e-300, -0.0]
    array = array.reshape(shape).astype(dtype)
    assert json_numbers.text(array) == reference(array)
    assert json_numbers.text(array[..., :1]) == reference(array[..., :1])


def test_a_document_with_large_arrays_is_the_json_modules_text():
    x = np.linspace(-1, 1, 3 * json_view.LARGE).reshape(3, -1)
    x[0, 0] = np.nan
    document = {"expression": 'say "a,b" \u00b7 x', "value": json_view.plain(x),
                "small": json_view.plain(np.array([1.5, np.inf])), "n": 3}
    expected = json.dumps({"expression": 'say "a,b" \u00b7 x', "value": json.loads(reference(x)),
                           "small": [1.5, "inf"], "n": 3}, ensure_ascii=False)
    assert json_view.dumps(document) == expected


def test_grad_json_of_a_large_result_reads_back_exactly(adcli):
    run = adcli("grad", "sin(x)/3", "--at", "x=linspace(-5, 5, 5000)", "--json")
    result = json.loads(run.out)
    x = np.linspace(-5, 5, 5000)
    assert result["value"] == (np.sin(x) / 3).tolist()
    assert result["gradient"]["x"] == (np.ones_like(x) / 3 * np.cos(x)).tolist()  # (g/3)·cos x


def test_the_command_line_writes_large_arrays_as_bytes_with_the_same_text(adcli):
    # values of every magnitude down to 1e-13: the tiny ones need the layout fixes
    run = adcli("eval", "x^3 * 1e-7", "--at", "x=linspace(-40, 40, 4001)", "--json")
    x = np.linspace(-40, 40, 4001)
    value = x**3 * 1e-7
    expected = json.dumps({"command": "eval", "expression": "x^3 * 1e-7", "dtype": "float64",
                           "at": {"x": x.tolist()}, "value": value.tolist()}) + "\n"
    assert run.out == expected
    assert json_numbers.encode(value) == json_numbers.text(value).encode("ascii")
