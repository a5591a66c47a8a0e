"""The command line's own edges (issue 9): a formula that starts with a minus is the formula,
never options (README promises it), and usage errors are reported like every other error."""

from __future__ import annotations

import math

import pytest


@pytest.mark.parametrize("args", [
    ["grad", "-tanh(x)", "--at", "x=1", "--json"],
    ["grad", "--at", "x=1", "-tanh(x)", "--json"],
    ["grad", "--json", "--at", "x=1", "-tanh(x)"],
    ["grad", "--at", "x=1", "--json", "--", "-tanh(x)"],
])
def test_a_formula_starting_with_a_minus_is_the_formula(adcli, args):
    run = adcli(*args)
    assert run.code == 0, run.err
    result = run.json()
    assert result["expression"] == "-tanh(x)"
    assert result["value"] == -math.tanh(1.0)
    assert result["gradient"]["x"] == pytest.approx(-(1 - math.tanh(1.0) ** 2), rel=1e-15)


@pytest.mark.parametrize("formula, at, value", [
    ("-softplus(x)", ["--at", "x=1"], -math.log1p(math.e)),  # not -s -o -f tplus(x)
    ("-outer(x, x)", ["--at", "x=[2]"], [[-4.0]]),  # not -o uter(x, x)
    ("-x^2", ["--at", "x=2"], -4.0),  # -x: not an option of adcli's either
    ("-sum(x, axis=0)", ["--at", "x=2"], -2.0),
    ("-1", [], -1.0),
    ("-.5*x", ["--at", "x=2"], -1.0),
])
def test_formulas_that_look_like_short_options(adcli, formula, at, value):
    run = adcli("eval", formula, *at, "--json")
    assert run.code == 0, run.err
    assert run.json()["value"] == value


def test_option_values_that_start_with_a_minus_stay_values(adcli, tmp_path):
    run = adcli("eval", "x*2", "--at", "-1", "--json")  # --at's value, not a formula
    assert run.code == 0 and run.json()["value"] == -2.0
    run = adcli("eval", "-x", "--at", "-", "--json", stdin='{"x": 3}')
    assert run.code == 0 and run.json()["value"] == -3.0
    target = tmp_path / "g.dot"
    run = adcli("graph", "-x", "--at", "x=1", "-o", str(target))
    assert run.code == 0 and target.read_text(encoding="utf-8").startswith("digraph")
    program = tmp_path / "p.adl"
    program.write_text("-x*3\n", encoding="utf-8")
    run = adcli("eval", "-f", str(program), "--at", "x=1", "--json")
    assert run.code == 0 and run.json()["value"] == -3.0


def test_help_is_still_help(adcli):
    run = adcli("grad", "-h")
    assert run.code == 0 and "--timeout" in run.out and "--max-steps" in run.out


def test_a_formula_and_a_program_is_still_one_too_many(adcli, tmp_path):
    program = tmp_path / "p.adl"
    program.write_text("x\n", encoding="utf-8")
    run = adcli("eval", "-x", "-f", str(program), "--json")
    assert run.code == 2 and "not both" in run.error()["message"]


def test_a_usage_error_in_text_is_an_error_with_a_hint(adcli):
    run = adcli("eval", "x", "--at", "x=1", "--dtype", "float16")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("error: Invalid value for '--dtype': 'float16' is not one of")
    assert "hint: adcli eval --help lists the options" in run.err


def test_no_arguments_shows_the_help(adcli):
    run = adcli()
    assert run.code == 2 and "Usage: adcli" in run.out
