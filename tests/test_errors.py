"""Every class of error: its exit code, its message, the caret, and the JSON error object.
Exit 2: the input is wrong. Exit 1: well-formed, but it cannot be computed."""

from __future__ import annotations

import pytest

# args, exit code, error kind, words the message must contain
CASES = [
    (["grad", "sin(x", "--at", "0..3"], 2, "syntax", "the formula ends too early"),
    (["grad", "x + * 2", "--at", "0..3"], 2, "syntax", "unexpected '*'"),
    (["grad", "x $ 2", "--at", "0..3"], 2, "syntax", "unexpected character '$'"),
    (["grad", "0 < x < 1", "--at", "0..3"], 2, "syntax", "comparisons cannot be chained"),
    (["grad", "x 2", "--at", "0..3"], 2, "syntax", "a number after another factor is ambiguous"),
    (["grad", "sine(x)", "--at", "0..3"], 2, "unknown-function", "did you mean `sin`?"),
    (["grad", "sin", "--at", "0..3"], 2, "syntax", "`sin` is a function"),
    (["grad", "sum(x, axis=0, dim=1)", "--at", "0..3"], 2, "arguments", "`axis` of sum is given twice"),
    (["grad", "sin(x, 0)", "--at", "0..3"], 2, "arguments", "sin(x) takes 1 argument, got 2"),
    (["grad", "x*y", "--at", "x=0..3"], 2, "missing-variable", "no value for `y`"),
    (["grad", "x*x", "--at", "x=0..3", "--at", "z=1"], 2, "unused-variable",
     "`z`, which the formula does not use"),
    (["grad", "x*y", "--at", "0..3"], 2, "bad-at", "does not say which variable"),
    (["grad", "x*x", "--at", "x=1", "--at", "x=2"], 2, "bad-at", "given more than once"),
    (["grad", "x*x", "--at", "x=[1,"], 2, "syntax", "ends too early"),
    (["grad", "x*x", "--at", "x=y+1"], 2, "bad-at", "cannot use variables"),
    (["grad", "x*x", "--at", "x=0..3", "--wrt", "q"], 2, "bad-wrt", "no variable `q`"),
    (["grad", "2+3"], 2, "no-variables", "no variables"),
    (["eval", ""], 2, "syntax", "the formula is empty"),
    (["grad", "[1,2]+x", "--at", "x=[1,2,3]"], 1, "shape",
     "[1,2] (a vector of 2) and x (a vector of 3) cannot be combined element by element"),
    (["grad", "dot(x, y)", "--at", "x=[1,2]", "--at", "y=[1,2,3]"], 1, "shape",
     "dot(x, y) needs x and y of the same length (2 and 3)"),
    (["grad", "x[7]", "--at", "x=0..5"], 1, "shape", "index 7 is out of bounds"),
    (["grad", "x[1.5]", "--at", "x=0..5"], 1, "compute", "an index must be a whole number"),
    (["grad", "x", "--at", "0..1e12"], 1, "size-limit", "the limit is 100,000,000"),
    (["eval", "outer(0..20000, 0..20000)"], 1, "size-limit", "the limit is"),
    (["grad", "x > 1", "--at", "0..3"], 1, "not-differentiable", "has no gradient"),
    (["eval", "[[1,2],[3]]"], 1, "shape", "[[1,2],[3]]"),
]


@pytest.mark.parametrize("args, code, kind, words", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_error_text(adcli, args, code, kind, words):
    run = adcli(*args)
    assert run.code == code
    assert run.out == ""
    assert "error:" in run.err and words in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize("args, code, kind, words", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_error_json(adcli, args, code, kind, words):
    run = adcli(*args, "--json")
    assert run.code == code
    assert run.out == ""
    error = run.error()
    assert error["kind"] == kind
    assert error["exit_code"] == code
    assert words in error["message"]


def test_caret_points_at_the_unknown_function(adcli):
    run = adcli("grad", "x + sine(x)", "--at", "0..3")
    lines = run.err.splitlines()
    formula_line = next(i for i, line in enumerate(lines) if line.strip() == "x + sine(x)")
    caret = lines[formula_line + 1]
    assert caret.index("^") == lines[formula_line].index("sine")
    assert caret.count("^") == 4
    assert "hint: `adcli functions` lists every function" in run.err


def test_shape_error_names_the_sub_expression(adcli):
    run = adcli("grad", "sum(x) + dot(x, [1, 2])", "--at", "0..3", "--json")
    error = run.error()
    assert run.code == 1
    assert error["message"] == "dot(x, [1, 2]) needs x and [1, 2] of the same length (3 and 2)"
    assert error["source"][error["start"]:error["end"]] == "dot(x, [1, 2])"


def test_syntax_error_says_what_was_expected(adcli):
    error = adcli("eval", "(1 + 2", "--json").error()
    assert error["hint"] == "expected ')'"
    assert error["start"] == 6


def test_markup_in_user_text_is_not_interpreted(adcli):
    run = adcli("eval", "sine([bold])", "--at", "bold=1")
    assert run.code == 2
    assert "sine([bold])" in run.err  # shown literally, not swallowed as Rich markup


def test_bad_option_is_exit_2(adcli):
    run = adcli("grad", "x", "--at", "0..3", "--mood", "happy")
    assert run.code == 2
    assert "--mood" in run.err


def test_bad_option_with_json_is_a_json_error(adcli):
    run = adcli("grad", "x", "--at", "0..3", "--dtype", "float16", "--json")
    assert run.code == 2
    assert run.out == ""
    error = run.error()
    assert error["kind"] == "usage" and "float16" in error["message"]


def test_bad_json_on_stdin(adcli):
    run = adcli("grad", "x*x", "--at", "-", stdin="{not json")
    assert run.code == 2
    assert "expects a JSON object" in run.err
    run = adcli("grad", "x*x", "--at", "-", stdin='{"x": [[1, 2], [3]]}')
    assert run.code == 2
    assert "not a rectangular array" in run.err
