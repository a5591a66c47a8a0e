"""Math as people paste it (issue 11): read the way it means, or refused with the fix — never a
silently different question. Values are what numpy computes for the same formula in Python."""

from __future__ import annotations

import math

import pytest


@pytest.fixture
def run_json(adcli):
    def run(command: str, formula: str, *at: str):
        args = [command, formula, "--json"]
        for spec in at:
            args += ["--at", spec]
        return adcli(*args)

    return run


@pytest.mark.parametrize("formula, x, expected", [
    ("x²", 3.0, 9.0),
    ("x³ + x⁻¹", 2.0, 8.5),
    ("2x² + 1", 3.0, 19.0),                       # superscripts bind like ^: 2·(x²)
    ("-x²", 3.0, -9.0),
    ("e^x", 1.0, math.e),
    ("π*x", 2.0, 2 * math.pi),
    ("2πx", 1.0, 2 * math.pi),                     # π is never part of a name
    ("x − 1", 3.0, 2.0),                           # U+2212, the minus of documents and PDFs
    ("−x", 3.0, -3.0),
    ("6 ÷ x × 2", 3.0, 4.0),
    ("√x", 9.0, 3.0),
    ("√(x + 7)", 9.0, 4.0),
    ("√x^2", 3.0, 3.0),                            # √(x^2): the root takes the power with it
    ("2√x", 4.0, 4.0),
    ("ln(x)", math.e, 1.0),
    ("2x", 3.0, 6.0),
    ("2 sin(x)", 1.0, 2 * math.sin(1.0)),          # with a space too
    ("(x+1)(x-1)", 3.0, 8.0),
    ("1/2x", 2.0, 0.25),                           # a written-together product binds tighter
    ("x²y", 2.0, 12.0),                            # y = 3 below
    ("x y", 2.0, 6.0),
    ("e^2 x", 1.0, math.exp(2)),                   # with a space: e² times x
])
def test_notation_means_what_it_says(run_json, formula, x, expected):
    at = [f"x={x!r}"] + (["y=3"] if "y" in formula else [])
    result = run_json("eval", formula, *at)
    assert result.code == 0, result.err
    assert result.json()["value"] == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("formula, expected", [
    ("x ≤ 3", [True, True, False]),
    ("x ≥ 3", [False, True, True]),
    ("x ≠ 3", [True, False, True]),
])
def test_comparison_signs(run_json, formula, expected):
    assert run_json("eval", formula, "x=[2, 3, 4]").json()["value"] == expected


def test_infinity_and_pi_are_constants_not_variables(run_json):
    assert run_json("eval", "∞").json()["value"] == "inf"
    assert run_json("eval", "π").json()["value"] == math.pi
    result = run_json("grad", "π*x²", "x=1")
    assert result.json()["gradient"] == {"x": 2 * math.pi}     # one variable: x


def test_the_gradient_of_pasted_notation(run_json):
    result = run_json("grad", "x³ − 2x", "x=2")
    assert result.json()["gradient"] == {"x": 10.0}


def test_a_superscript_can_never_become_a_variable(run_json):
    result = run_json("eval", "x²", "x²=2")
    assert result.code == 2
    assert result.error()["message"] == ("a value is given for `x²`, which the formula does not "
                                         "use (its variables: x)")


@pytest.mark.parametrize("formula, message, hint", [
    ("e^2x", "`e^2x` can be read two ways", "write e^(2x), or e^2*x"),
    ("x^2y", "`x^2y` can be read two ways", "write x^(2y), or x^2*y"),
    ("√2x", "`√2x` can be read two ways", "write √(2x), or √2*x"),
    ("x 2", "a number after another factor is ambiguous",
     "write the operator between them (x*2), or commas in a list: [1, 2]"),
    ("2 3", "a number after another factor is ambiguous",
     "write the operator between them (x*2), or commas in a list: [1, 2]"),
    ("x(x+1)", "unknown function `x`",
     "for a product, write x*(…); `adcli functions` lists every function"),
    ("sin(30deg)", "units are not supported: `deg`",
     "angles are in radians: write 30*pi/180 for 30 degrees"),
    ("sin(30°)", "units are not supported: ° (degrees)",
     "angles are in radians: write 30*pi/180 for 30°"),
    ("sum(0...5)", "unexpected character '.'", "a range has two dots: 0..5 (0..=5 includes 5)"),
])
def test_what_could_be_read_two_ways_is_refused_with_the_fix(run_json, formula, message, hint):
    result = run_json("eval", formula, "x=1")
    assert result.code == 2 and result.out == ""
    error = result.error()
    assert (error["message"], error["hint"]) == (message, hint)


@pytest.mark.parametrize("spec, message, hint", [
    ("0...5", "--at x=0...5: unexpected character '.'",
     "a range has two dots: 0..5 (0..=5 includes 5)"),
    ("0:5", "--at x=0:5: unexpected ':'", "a range is written with two dots: 0..5 (0..=5 includes 5)"),
    ("x=1,2,3", "--at x=1,2,3: unexpected ','", "a list is written in brackets: [1,2,3]"),
    ("x=1,y=2", "--at x=1,y=2: unexpected ','", "one --at per variable: --at x=1 --at y=2"),
    ("x=[1 2 3]", "--at x=[1 2 3]: a number after another factor is ambiguous",
     "write the operator between them (x*2), or commas in a list: [1, 2]"),
])
def test_a_range_or_list_written_another_way_gets_the_fix(run_json, spec, message, hint):
    result = run_json("eval", "sum(x)", spec)
    assert result.code == 2
    error = result.error()
    assert (error["message"], error["hint"]) == (message, hint)


def test_suggestions_are_only_close_ones(adcli):
    sine = adcli("eval", "sine(1)", "--json").error()
    assert sine["message"] == "unknown function `sine` — did you mean `sin`?"
    assert adcli("eval", "sigm(1)", "--json").error()["message"] == (
        "unknown function `sigm` — did you mean `sigmoid`?")
    # difflib's default closeness (0.6) offered sigmoid for mod; far names get no suggestion
    for far in ("frobnicate", "sgd"):
        assert adcli("eval", f"{far}(1)", "--json").error()["message"] == f"unknown function `{far}`"
