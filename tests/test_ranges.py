"""Ranges that sample: `a..b:n` and `a..=b:n` (grammar/formula.lark), next to `a..b` and `a..=b`,
which keep their meaning; where the count may stand; what Tab offers after a range."""

from __future__ import annotations

import numpy as np
import pytest

from adcli.calculations import at_point, value
from adcli.cli.complete import counts
from adcli.language.parser import parse


def values(text: str) -> list[float]:
    return value(at_point("x", [text])).value.tolist()


@pytest.mark.parametrize("text, expected", [
    ("0..5", [0, 1, 2, 3, 4]),  # arange, as before
    ("0..=5", [0, 1, 2, 3, 4, 5]),
    ("0..1:4", [0, 0.25, 0.5, 0.75]),  # 4 points, 1 left out as `..` leaves it out
    ("0..=1:5", [0, 0.25, 0.5, 0.75, 1]),  # both ends
    ("-2..2:8", [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5]),
    ("1..=1:1", [1]),
    ("0..1:2+2", [0, 0.25, 0.5, 0.75]),  # the count is a sum, like the ends
    ("(0..=1:3)*2", [0, 1, 2]),  # in parentheses, inside a formula
    ("pi/2..=pi:2", [np.pi / 2, np.pi]),
])
def test_sampled_ranges(text, expected):
    np.testing.assert_allclose(values(text), expected, rtol=0, atol=1e-15)


def test_a_sampled_range_is_linspace():
    np.testing.assert_array_equal(values("-3..=3:401"), np.linspace(-3, 3, 401))
    np.testing.assert_array_equal(values("0..1:10"), np.linspace(0, 1, 10, endpoint=False))


@pytest.mark.parametrize("text, words", [
    ("0..1:2.5", "the count of a sampled range must be a whole number, not 2.5"),
    ("0..1:0", "a sampled range needs at least 1 point, not 0"),
    ("0..inf:3", "the ends of a sampled range must be finite numbers"),
    ("0..1:1e12", "the limit is 100,000,000"),
])
def test_bad_counts(adcli, text, words):
    run = adcli("eval", "x", "--at", f"x={text}", "--json")
    assert run.code in (1, 2) and words in run.error()["message"]


def test_the_colon_of_slices_and_loops_keeps_its_meaning():
    assert value(at_point("x[0:2]", ["0..=1:3"])).value.tolist() == [0, 0.5]
    program = "y = 0\nfor i in 0..4:\n    y = y + i\ny"
    assert value(at_point(program, [], program=True)).value == 6
    one_line = "y = 0\nfor t in (0..=1:3): y = y + t\ny"
    assert value(at_point(one_line, [], program=True)).value == 1.5


def test_a_count_stands_alone_or_in_parentheses(adcli):
    run = adcli("eval", "sin(0..=1:3)", "--json")
    assert run.code == 2 and run.error()["kind"] == "syntax"
    assert adcli("eval", "sin((0..=1:3))", "--json").code == 0
    assert parse("(0..1:3) + 1").variables == ()


def test_tab_offers_counts_after_a_range():
    assert [c for c, _ in counts("x=-2..2")] == [f"x=-2..2:{n}" for n in (50, 100, 200, 400, 1000)]
    assert [c for c, _ in counts("x=0..=1:2")] == ["x=0..=1:200"]
    assert counts("x=0..=pi") == []  # a name: it completes as a name first
    assert [c for c, _ in counts("x=0..=pi:")][0] == "x=0..=pi:50"
    assert counts("x=[1, 2]") == [] and counts("x=0") == []


@pytest.mark.parametrize("shell", ["bash", "fish"])
def test_tab_offers_counts_through_the_completion_protocol(shell, monkeypatch, capsys):
    from test_completion import answers

    found = answers(shell, 'adcli plot "sin(x)" --at x=-2..2:', monkeypatch, capsys)
    assert "x=-2..2:400" in found
