"""Shape errors in the user's words (issue 11, item 5): the operands as written, their shapes,
and the rule — never numpy's gufunc signature. Each through the CLI: exit 1, kind "shape", the
caret under the operation."""

from __future__ import annotations

import pytest

AT = ["--at", "A=[[1,2],[3,4]]", "--at", "x=[1,2,3]"]

CASES = [
    ("A@x", AT, "A @ x needs A's columns (2) to match x's length (3)"),
    ("matmul(A, x)", AT, "A @ x needs A's columns (2) to match x's length (3)"),
    ("x@A", AT, "x @ A needs x's length (3) to match A's rows (2)"),
    ("(A+1)@x", AT, "(A+1) @ x needs (A+1)'s columns (2) to match x's length (3)"),
    ("A@B", ["--at", "A=[[1,2],[3,4]]", "--at", "B=[[1,2,3]]"],
     "A @ B needs A's columns (2) to match B's rows (1): A is a 2×2 matrix, B a 1×3 matrix"),
    ("x@y", ["--at", "x=[1,2,3]", "--at", "y=[1,2]"],
     "x @ y needs x and y of the same length (3 and 2)"),
    ("2@x", ["--at", "x=[1,2,3]"],
     "2 @ x needs vectors or matrices; 2 is a single number (use * to scale)"),
    ("x·y", ["--at", "x=[1,2,3]", "--at", "y=[1,2]"],
     "x · y needs x and y of the same length (3 and 2)"),
    ("dot(A, x)", AT, "dot(A, x) takes vectors (or numbers); A is a 2×2 matrix (for matrices "
     "write A @ x)"),
    ("A+x", AT, "A (a 2×2 matrix) and x (a vector of 3) cannot be combined element by element: "
     "their last axes are 2 and 3 long (axes align from the right, and each pair must be equal "
     "or 1)"),
    ("maximum(A, x)", AT, "A (a 2×2 matrix) and x (a vector of 3) cannot be combined element "
     "by element"),
    ("where(A > 0, A, x)", AT, "`A > 0` (a 2×2 matrix) and x (a vector of 3) cannot be combined"),
    ("A*B", ["--at", "A=ones(2,3,4)", "--at", "B=ones(5,4)"], "A (shape 2×3×4) and B (a 5×4 "
     "matrix) cannot be combined element by element: their axes 2 from the end are 3 and 5 long"),
]


@pytest.mark.parametrize("formula, at, message", CASES, ids=[c[0] for c in CASES])
def test_shape_error_names_operands_and_rule(adcli, formula, at, message):
    run = adcli("eval", formula, *at, "--json")
    error = run.error()
    assert (run.code, error["kind"]) == (1, "shape")
    assert error["message"].startswith(message)
    assert "gufunc" not in error["message"] and "(n?,k)" not in error["message"]
    assert error["source"][error["start"]:error["end"]] == formula


def test_a_long_operand_is_named_by_its_place(adcli):
    run = adcli("grad", "(x + x + x + x + x + x + x + x) @ A", "--at", "x=[1,2,3]",
                "--at", "A=[[1,2],[3,4]]", "--json")
    assert run.error()["message"] == ("the left side @ A needs the left side's length (3) to "
                                      "match A's rows (2)")


def test_the_text_view_shows_the_message_and_the_caret(adcli):
    run = adcli("grad", "sum(A@x)", *AT)
    assert run.code == 1
    lines = run.err.splitlines()
    assert lines[0] == "error: A @ x needs A's columns (2) to match x's length (3)"
    assert lines[2] == "      ^^^"
