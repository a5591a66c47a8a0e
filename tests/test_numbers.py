"""The rules by which adcli shows numbers to people (adcli/views/numbers.py), one by one, and
how wide output wraps at 40, 80 and 200 columns."""

from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console

from adcli.calculations import at_point, gradient
from adcli.views import text
from adcli.views.numbers import Numbers, format_array, format_number, significant


@pytest.mark.parametrize("value, digits, shown", [
    (7.414709848078965, 5, "7.4147"),
    (-10.51689031, 5, "-10.517"),
    (0.027722, 5, "0.027722"),  # significant digits, not digits after the point
    (1.41197707, 5, "1.412"),  # trailing zeros dropped
    (0.5, 5, "0.5"),
    (123456.7, 5, "1.2346e+05"),  # past 10^digits: scientific
    (99999.7, 5, "1e+05"),  # the exponent after rounding
    (2000000.25, 5, "2e+06"),  # not numpy's `2.e+06`
    (0.0001234, 3, "0.000123"),  # fixed down to 1e-4, as C's %g
    (0.00001234, 3, "1.23e-05"),
    (2 / 3, 1, "0.7"),
])
def test_significant_digits_at_each_numbers_own_scale(value, digits, shown):
    assert format_number(value, digits) == shown


def test_never_more_digits_than_the_shortest_round_trip_text():
    assert format_number(1 / 3, 17) == "0.3333333333333333"  # not 0.33333333333333331
    assert format_number(0.1, 17) == "0.1"  # not 0.10000000000000001
    assert format_number(np.float32(0.1), 17) == "0.1"  # float32's own shortest form


def test_whole_numbers_in_full_without_a_point():
    assert format_number(60.0, 5) == "60"
    assert format_number(332833500.0, 5) == "332833500"
    assert format_number(1048576.0, 2) == "1048576"
    assert format_number(-4.0, 5) == "-4"
    assert format_number(1e15, 5) == "1e+15"  # past the limit: scientific


def test_zero_shows_without_a_sign_and_nothing_else_shows_as_zero():
    assert format_number(0.0, 5) == "0"
    assert format_number(-0.0, 5) == "0"  # IEEE's sign of zero: how it was made, not a value
    assert format_number(-1e-12, 5) == "-1e-12"  # not -0.0000
    assert format_number(1e-300, 5) == "1e-300"
    # torch's look the same way: a zero has no sign, and nothing else looks like a zero
    assert format_array([-0.0, 0.5]) == "[0.0000, 0.5000]"
    assert format_array([-1e-12, 0.5]) == "[-1.0000e-12, 0.5000]"


def test_by_default_numbers_look_as_torch_prints_them():
    # the notebook's gradient, as torch prints tensor([nan, 7.4147, 1.4120, -10.5169, -11.0159])
    assert format_array([np.nan, 7.414709848, 1.41197707, -10.51689031, -11.0159309]) == \
        "[nan, 7.4147, 1.4120, -10.5169, -11.0159]"
    assert format_array([0.0, 4.0, 8.0, 12.0, 16.0]) == "[0, 4, 8, 12, 16]"  # whole: no point
    assert format_array([0.0, 0.0, 0.6931471805599453]) == "[0.0000, 0.0000, 0.6931]"
    assert format_number(2.2779) == "2.2779"
    assert format_number(60.0) == "60"


def test_nan_and_infinities():
    assert [format_number(v) for v in (np.nan, np.inf, -np.inf)] == ["nan", "inf", "-inf"]
    assert format_number(np.nan, Numbers(exact=True)) == "nan"


def test_exact_is_the_shortest_text_that_reads_back():
    exact = Numbers(exact=True)
    for value in (1 / 3, 0.1, 1e-05, 2.0, 1e300, 7.414709848078965, -0.0):
        shown = format_number(value, exact)
        assert float(shown) == value and shown == repr(value)
    assert format_number(-0.0, exact) == "-0.0"  # the sign kept where every bit is asked for
    assert format_number(np.float32(1 / 3), exact) == "0.33333334"
    assert np.float32(float("0.33333334")) == np.float32(1 / 3)


def test_one_tiny_element_does_not_switch_the_row_to_scientific():
    # torch would print the whole row as 1.5000e+00, 2.2500e+00, 1.0000e-09, 3.0000e+02
    assert format_array([1.5, 2.25, 1e-9, 300.0]) == "[1.5000, 2.2500, 1.0000e-09, 300.0000]"
    assert format_array([1.5, 2.25, 1e-9, 300.0], 5) == "[1.5, 2.25, 1e-09, 300]"
    assert format_array([0.0, 0.0, 0.6931471805599453], 5) == "[0, 0, 0.69315]"
    assert format_array([np.nan, 7.414709848, 1.41197707, -10.51689031, -11.0159309], 5) == \
        "[nan, 7.4147, 1.412, -10.517, -11.016]"


def test_a_gradient_that_is_minus_zero_prints_as_zero():
    # sin(x)*y along x: 3·cos(2)·0 is -0.0 at the third element
    point = at_point("x*y", ["x=[1, 2, 3]", "y=-0.0"])
    result = gradient(point, ["x"])
    assert np.signbit(result.gradient["x"]).all()
    assert format_array(result.gradient["x"]) == "[0, 0, 0]"
    assert format_array(result.gradient["x"] + [0.0, 0.0, 0.5]) == "[0.0000, 0.0000, 0.5000]"


def test_long_arrays_shortened_and_whole_with_full():
    values = np.arange(100.0)
    assert format_array(values) == "[0, 1, 2, ..., 97, 98, 99]"
    whole = format_array(values, Numbers(full=True), width=10_000)
    assert whole == "[" + ", ".join(str(i) for i in range(100)) + "]"


def test_significant_refuses_nothing_it_is_given():
    assert significant(np.float64(123.456), 1) == "1e+02"
    assert significant(np.float64(-0.5), 3) == "-0.5"


def _rows(width: int) -> list[str]:
    point = at_point("x / 7", ["x=linspace(1, 2, 30)"])
    console = Console(width=width, color_system=None, record=True)
    console.print(text.calculation(gradient(point), 5))
    return console.export_text().splitlines()


@pytest.mark.parametrize("width", [40, 80, 200])
def test_rows_wrap_inside_the_width_between_numbers(width):
    lines = _rows(width)
    assert all(len(line.rstrip()) <= width for line in lines)
    shown = " ".join(lines)
    # every number appears whole: the 30 values of x and of f, none cut across two lines
    for value in np.linspace(1, 2, 30):
        assert format_number(value, 5) in shown
        assert format_number(value / 7, 5) in shown


def test_wider_output_takes_fewer_lines():
    heights = [len(_rows(width)) for width in (40, 80, 200)]
    assert heights[0] > heights[1] > heights[2]
    assert heights[2] <= 8  # at 200 columns each array takes two lines at most
