"""`adcli compare`'s four ways (issue 12): beside forward and reverse mode, the symbolic
derivative's size (adcli diff) and central differences' error; and `--depth`, expression swell:
sin(sin(…sin(x)…)) k deep, whose derivative written out grows as k² against the tape's k."""

from __future__ import annotations

import pytest


def test_compare_adds_the_symbolic_and_the_numeric_way(adcli):
    result = adcli("compare", "sum(x*x)", "--at", "x=0..10", "--json").json()
    assert result["symbolic"]["operations"] == 1  # 2*x
    assert result["symbolic"]["function_operations"] == 2  # sum(x^2)
    assert result["symbolic"]["reason"] is None
    assert result["numeric"]["evaluations"] == 20  # two per input element
    assert 0 < result["numeric"]["max_error"] < 1e-6
    text = adcli("compare", "sum(x*x)", "--at", "x=0..10").out
    assert "symbolic (adcli diff): the derivative written as a formula has 1 operation; f " \
           "itself has 2 operations" in text
    assert "numeric (central differences): 20 evaluations of f; largest difference from " \
           "reverse mode" in text


def test_compare_says_why_there_is_no_formula(adcli):
    # sort's rule scatters by a permutation of the values: no one formula holds at every point
    result = adcli("compare", "dot(sort(x), [1, 2, 3])", "--at", "x=[1, 3, 2]", "--json").json()
    assert result["symbolic"]["operations"] is None
    assert "the rule of sort depends on the order" in result["symbolic"]["reason"]
    assert result["max_difference"] == 0


def test_depth_shows_the_derivative_swell_against_the_tape(adcli):
    result = adcli("compare", "--depth", "16", "--json").json()
    rows = {r["depth"]: r for r in result["rows"]}
    assert list(rows) == [1, 2, 4, 8, 16]
    assert [rows[k]["tape"] for k in rows] == [1, 2, 4, 8, 16]
    assert [rows[k]["shared"] for k in rows] == [2, 5, 9, 17, 33]  # 2k + 1: a tape
    written = [rows[k]["written"] for k in rows]
    assert written == [1, 4, 13, 43, 151]  # k(k + 1)/2 sines and k - 1 products: ~k²/2
    text = adcli("compare", "--depth", "4").out
    assert "sin(sin(…sin(x)…)) nested k deep" in text and "13 operations" in text


@pytest.mark.parametrize("args, message", [
    (["compare", "x*x", "--depth", "3"], "--depth shows its own formula"),
    (["compare", "--depth", "5000"], "--depth 5000: give a depth from 1 to 2,000"),
    (["compare", "--depth", "0"], "--depth"),
])
def test_depth_errors(adcli, args, message):
    run = adcli(*args)
    assert run.code == 2 and message in run.err and run.out == ""
