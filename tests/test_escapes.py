"""S2 (issue 9): user text never reaches the terminal with its control characters. A program,
a formula, a file name or an --at value carrying `ESC ] 52` (clipboard), `ESC [2J` (clear
screen), a carriage return or a right-to-left override is shown with them escaped, in every
view, and JSON escapes them too."""

from __future__ import annotations

import json
import re

import pytest

RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CLIPBOARD = "\x1b]52;c;aGVsbG8=\x07"


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert RAW.search(text) is None, repr(text)


def test_a_program_line_under_the_carets(adcli):
    program = f"y = x {CLIPBOARD} + 1\ny\n"
    run = adcli("eval", "-f", "-", "--at", "x=1", stdin=program)
    assert run.code == 2
    assert_clean(run.out, run.err)
    lines = run.err.splitlines()
    assert lines[0] == "error: unexpected character '\\x1b'"
    assert lines[1] == "  line 1, column 7: y = x \\x1b]52;c;aGVsbG8=\\x07 + 1"
    # the carets stand under the escaped character, not where the raw one was
    assert lines[2].index("^") == lines[1].index("\\x1b") and lines[2].count("^") == 4


def test_a_comment_line_in_an_error_is_escaped(adcli):
    program = "# \x1b[2J\x1b[H look here\ny = x +\n"
    run = adcli("eval", "-f", "-", "--at", "x=1", stdin=program)
    assert run.code == 2
    assert_clean(run.err)


@pytest.mark.parametrize("formula", [f"sin(x){CLIPBOARD}", "x\u202e+1", "x\x9b2J", "x\x00"])
def test_a_formula_in_an_error(adcli, formula):
    run = adcli("grad", formula, "--at", "x=1")
    assert run.code == 2
    assert_clean(run.err)
    json_run = adcli("grad", formula, "--at", "x=1", "--json")
    assert_clean(json_run.err)
    assert json.loads(json_run.err)["error"]["source"] == formula  # JSON keeps the real text


def test_a_file_name(adcli, tmp_path):
    name = str(tmp_path / f"no{CLIPBOARD}such.adl")
    run = adcli("eval", "-f", name)
    assert run.code == 2
    assert_clean(run.err)
    shown = " ".join(run.err.split())  # (Rich wraps long lines at 120 columns)
    assert "no\\x1b]52;c;aGVsbG8=\\x07such.adl: No such file or directory" in shown


def test_a_file_name_in_the_header(adcli, tmp_path):
    path = tmp_path / "odd\x1b[31mname.adl"
    path.write_text("x*2\n", encoding="utf-8")
    run = adcli("grad", "-f", str(path), "--at", "x=1")
    assert run.code == 0, run.err
    assert_clean(run.out)
    assert "the program in " + str(tmp_path) + "/odd\\x1b[31mname.adl" in run.out


def test_an_at_value(adcli):
    run = adcli("eval", "x", "--at", "x=1\x1b[2J")
    assert run.code == 2
    assert_clean(run.err)
    assert run.err.startswith("error: --at x=1\\x1b[2J: unexpected character '\\x1b'")


def test_an_unknown_option(adcli):
    run = adcli("eval", "x", "--at", "x=1", "--\x1b[2J")
    assert run.code == 2
    assert_clean(run.err)


# Tabs and form feeds are whitespace to the language, so they reach the views' node texts.
SPACED = "x\t*\x0cx"


@pytest.mark.parametrize("args", [["graph"], ["graph", "--format", "dot"],
                                  ["graph", "--format", "mermaid"], ["trace"], ["grad"],
                                  ["eval"], ["jacobian"], ["hessian"], ["compare"], ["check"]])
def test_node_texts_in_every_view(adcli, args):
    run = adcli(args[0], SPACED, "--at", "x=2", *args[1:])
    assert run.code == 0, run.err
    assert_clean(run.out, run.err)
    # (DOT writes a backslash as two)
    assert ("x\\\\t*\\\\x0cx" if "dot" in args else "x\\t*\\x0cx") in run.out


def test_a_carriage_return_in_a_formula_is_shown_escaped(adcli):
    run = adcli("grad", "x\r+ 1", "--at", "x=1")  # (whitespace to the language)
    assert run.code == 0
    assert run.out.splitlines()[0] == "f(x) = x\\r+ 1"


def test_nan_findings_quote_the_formula_escaped(adcli):
    run = adcli("grad", "log(x\t*\x0cx)", "--at", "0..3")
    assert run.code == 0
    assert_clean(run.out)
    assert "-inf first appears in the forward pass: `log(x\\t*\\x0cx)`[0]" in run.out


def test_json_escapes_c1_controls_and_bidi_overrides(adcli):
    # json escapes C0 controls itself; C1 (\x9b is a one-byte CSI) and bidi controls it would
    # write raw
    run = adcli("eval", "x\x9b+\u202e1", "--json")
    assert run.code == 2
    assert "\\u009b" in run.err and "\\u202e" in run.err
    assert_clean(run.err)
