"""The formula language of DESIGN.md: precedence, `·` and `@`, powers, implicit products,
literals, ranges, constants, indexing and slicing. Values are checked with `adcli eval`."""

from __future__ import annotations

import math

import pytest

from adcli.language.parser import parse


@pytest.fixture
def value(adcli):
    def run(formula: str, *at: str):
        args = ["eval", formula, "--json"]
        for spec in at:
            args += ["--at", spec]
        result = adcli(*args)
        assert result.code == 0, result.err
        return result.json()["value"]

    return run


@pytest.mark.parametrize("formula, expected", [
    ("1 + 2 * 3", 7.0),
    ("(1 + 2) * 3", 9.0),
    ("2 - 3 - 4", -5.0),
    ("8 / 4 / 2", 1.0),
    ("2 ^ 3 ^ 2", 512.0),          # right-associative
    ("2 ** 3", 8.0),
    ("-2 ^ 2", -4.0),              # -(2^2)
    ("2 ^ -1", 0.5),
    ("-x^2", -9.0),
    ("2x", 6.0),
    ("2x^2", 18.0),                # 2*(x^2)
    ("3(x+1)", 12.0),
    ("2sin(x) - 2*sin(x)", 0.0),
    ("x/2x", 0.5),                 # x/(2x): a written-together product binds tighter
    (".5 + 1e-3 + 2.5E1", 25.501),
    ("2pi", 2 * math.pi),
    ("e", math.e),
    ("1 < 2", True),
    ("1 + 1 == 2", True),
])
def test_precedence_and_numbers(value, formula, expected):
    assert value(formula, "x=3") == expected if "x" in formula else value(formula) == expected


def test_vectors_matrices_dot_and_matmul(value):
    assert value("[1, 2, 3]·[4, 5, 6]") == 32.0
    assert value("[1, 2]·[3, 4] * 2") == 22.0
    assert value("[[1, 2], [3, 4]] @ [1, 1]") == [3.0, 7.0]
    assert value("A @ A", "A=[[1,2],[3,4]]") == [[7.0, 10.0], [15.0, 22.0]]
    assert value("transpose(A)", "A=[[1,2],[3,4]]") == [[1.0, 3.0], [2.0, 4.0]]
    assert value("[x, 2x, x^2]", "x=3") == [3.0, 6.0, 9.0]


def test_ranges_are_half_open_or_inclusive(value):
    assert value("0..5") == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert value("0..=5") == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert value("-1..=1") == [-1.0, 0.0, 1.0]
    assert value("sum(1..=100)") == 5050.0
    assert value("arange(0, 1, 0.25)") == [0.0, 0.25, 0.5, 0.75]
    assert value("linspace(0, 1, 3)") == [0.0, 0.5, 1.0]
    assert value("zeros(2, 2)") == [[0.0, 0.0], [0.0, 0.0]]
    assert value("ones(3)") == [1.0, 1.0, 1.0]


def test_indexing_and_slicing(value):
    at = "x=[10, 20, 30, 40, 50]"
    assert value("x[0]", at) == 10.0
    assert value("x[-1]", at) == 50.0
    assert value("x[1:3]", at) == [20.0, 30.0]
    assert value("x[::2]", at) == [10.0, 30.0, 50.0]
    assert value("x[:2] + x[3:]", at) == [50.0, 70.0]
    assert value("A[1, 0]", "A=[[1,2],[3,4]]") == 3.0
    assert value("A[:, 1]", "A=[[1,2],[3,4]]") == [2.0, 4.0]


def test_constants_and_non_finite_values(value):
    assert value("[inf, -inf, nan]") == ["inf", "-inf", "nan"]
    assert value("1/0") == "inf"
    assert value("log(0)") == "-inf"


def test_axis_arguments(value):
    at = "A=[[1,2],[3,4]]"
    assert value("sum(A, axis=0)", at) == [4.0, 6.0]
    assert value("max(A, axis=1)", at) == [2.0, 4.0]
    assert value("max(A, dim=0)", at) == [3.0, 4.0]  # torch's word for it
    assert value("mean(A)", at) == 2.5
    assert value("softmax([0, 0])") == [0.5, 0.5]


def test_variables_in_order_of_first_appearance():
    assert parse("y*x + sin(z) + x + pi").variables == ("y", "x", "z")
    assert parse("2x·θ").variables == ("x", "θ")


def test_at_forms(adcli):
    run = adcli("eval", "sum(t)", "--at", "t=linspace(0,1,11)", "--json")
    assert math.isclose(run.json()["value"], 5.5)
    run = adcli("eval", "x", "--at", "x=pi/4", "--json")
    assert run.json()["value"] == math.pi / 4
    run = adcli("eval", "A @ v", "--at", "-", "--json",
                stdin='{"A": [[1, 2], [3, 4]], "v": [1, "inf"]}')
    assert run.json()["value"] == ["inf", "inf"]
    assert run.json()["at"] == {"A": [[1.0, 2.0], [3.0, 4.0]], "v": [1.0, "inf"]}


def test_the_parser_tables_are_the_grammars():
    """adcli/language/grammar_tables.py was generated from grammar/*.lark as they are now
    (scripts/gen_parser.py); parsing never falls back to building the tables at start-up."""
    import subprocess
    import sys
    from pathlib import Path

    from adcli.language import parser

    script = Path(__file__).resolve().parent.parent / "scripts" / "gen_parser.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert parser._tables_current()
