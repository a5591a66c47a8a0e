"""`--table` and `--csv` (one row per point: the variables, f, f′, f″, …), and `--each` reading
CSV. Regenerate the golden files after an intended change with ADCLI_UPDATE_GOLDEN=1 and read
the diff."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ADCLI_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with ADCLI_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, args", [
    ("table_x3.txt", ["grad", "x^3", "--at", "0..5", "--order", "3", "--table"]),
    ("table_held.txt", ["grad", "x^2*y", "--at", "x=0..=1:5", "--at", "y=3", "--wrt", "x",
                        "--table"]),
    ("table_last.txt", ["grad", "log(x*x)*sin(x)+1/x", "--at", "0..5", "--order", "2",
                        "--table"]),
    ("table_eval.txt", ["eval", "x*y", "--at", "x=[1, 2, 3]", "--at", "y=[0.5, 0.25, 1e-9]",
                        "--table"]),
    ("csv_last.csv", ["grad", "log(x*x)*sin(x)+1/x", "--at", "0..5", "--order", "2", "--csv"]),
    ("csv_eval.csv", ["eval", "x/3", "--at", "0..=1:4", "--csv"]),
])
def test_golden_rows(adcli, monkeypatch, name, args):
    monkeypatch.setenv("NO_COLOR", "1")
    run = adcli(*args)
    assert run.code == 0, run.err
    _golden(name, run.out)


def test_csv_reads_back_to_the_same_numbers(adcli):
    run = adcli("grad", "log(x*x)*sin(x)+1/x", "--at", "0..5", "--order", "2", "--csv")
    rows = list(csv.DictReader(io.StringIO(run.out)))
    assert list(rows[0]) == ["x", "f", "df/dx", "d2f/dx2"]
    doc = adcli("grad", "log(x*x)*sin(x)+1/x", "--at", "0..5", "--order", "2", "--json").json()
    for i, row in enumerate(rows):
        for column, expected in (("f", doc["value"][i]), ("df/dx", doc["derivatives"][0][i]),
                                 ("d2f/dx2", doc["derivatives"][1][i])):
            got, want = float(row[column]), float(expected)
            assert got == want or (math.isnan(got) and math.isnan(want))


@pytest.mark.parametrize("args, words", [
    (["eval", "sum(x)", "--at", "0..3", "--table"], "f needs the shape of a variable"),
    (["grad", "x", "--at", "0..3", "--table", "--csv"], "give one"),
    (["grad", "x", "--at", "0..3", "--table", "--json"], "give one of them"),
    (["grad", "x*sum(x)", "--at", "0..3", "--table"], "is not element-wise"),
])
def test_rows_refused(adcli, args, words):
    run = adcli(*args)
    assert run.code in (1, 2) and run.out == ""
    assert words in run.err


# -- --each with CSV ----------------------------------------------------------------------------


def test_each_reads_csv_with_a_header(adcli):
    run = adcli("grad", "x^2 * y", "--each", "-", stdin="x,y\n1,2\n3,nan\n\n-1,inf\n")
    assert run.code == 0, run.err
    lines = [json.loads(line) for line in run.out.splitlines()]
    assert [line["line"] for line in lines] == [2, 3, 5]
    assert lines[0]["gradient"] == {"x": 4.0, "y": 1.0}
    assert lines[1]["gradient"]["x"] == "nan" and lines[1]["gradient"]["y"] == 9.0
    assert lines[2]["value"] == "inf"


def test_each_csv_with_at_values_names_only_the_others(adcli):
    run = adcli("grad", "x^2 * b", "--at", "b=3", "--each", "-", stdin="x\n1\n2\n")
    assert [json.loads(line)["gradient"]["x"] for line in run.out.splitlines()] \
        == [6.0, 12.0]


@pytest.mark.parametrize("header, words", [
    ("x,z", "names `z`, which is not a variable to give here: expected a header naming x,y"),
    ("x", "lacks `y`: expected a header naming x,y"),
    ("x,y,x", "names a variable twice"),
])
def test_a_wrong_csv_header_says_which_it_expected(adcli, header, words):
    run = adcli("grad", "x*y", "--each", "-", stdin=f"{header}\n1,2\n")
    assert run.code == 2 and run.out == ""
    error = json.loads(run.err)["error"]
    assert error["kind"] == "bad-each" and words in error["message"]
    assert error["hint"] == "a first line such as x,y"


def test_a_bad_csv_row_is_an_error_on_its_own_line(adcli):
    run = adcli("grad", "x*y", "--each", "-", stdin="x,y\n1\n1,abc\n1,2\n")
    assert run.code == 2
    lines = [json.loads(line) for line in run.out.splitlines()]
    assert lines[0]["error"]["message"] == "this row has 1 value, the header names 2 (x,y)"
    assert lines[1]["error"]["message"] == "the value of `y` must be a number, not 'abc'"
    assert lines[2]["value"] == 2.0 and lines[2]["line"] == 4


def test_a_table_too_wide_is_cut_into_tables_of_whole_columns():
    from rich.console import Console

    from adcli.calculations import at_point, derivatives
    from adcli.views import orders

    result = derivatives(at_point("log(x*x)*sin(x)+1/x", ["0..5"]), None, 3)
    rendered = {}
    for width in (30, 40):
        console = Console(width=width, color_system=None, record=True)
        console.print(orders.table(result.point, result.value, result.variable,
                                   result.derivatives, 5))
        rendered[width] = console.export_text().splitlines()
        assert all(len(line.rstrip()) <= width for line in rendered[width])
    assert rendered[40][1].split() == ["x", "f", "∂f/∂x", "∂²f/∂x²", "∂³f/∂x³"]
    # at 30 columns the last column is a table of its own, after the first column again
    assert rendered[30][1].split() == ["x", "f", "∂f/∂x", "∂²f/∂x²"]
    assert rendered[30][8].split() == ["x", "∂³f/∂x³"]
    assert rendered[30][10].split() == ["1", "-10.925"]  # whole numbers, never cut
