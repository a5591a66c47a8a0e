"""`--each`: one formula, many points, one JSON line per point; bad lines do not stop the batch."""

from __future__ import annotations

import json


def lines(run) -> list[dict]:
    return [json.loads(line) for line in run.out.splitlines()]


def test_each_line_gets_its_own_result(adcli, tmp_path):
    points = tmp_path / "points.jsonl"
    points.write_text('{"x": [1, 2]}\n{"x": 3}\n\n{"x": "nan"}\n', encoding="utf-8")
    run = adcli("grad", "sum(x*x)", "--each", str(points))
    assert run.code == 0 and run.err == ""  # no progress bar in a pipe
    results = lines(run)
    assert [r["line"] for r in results] == [1, 2, 4]
    assert [r["gradient"]["x"] for r in results] == [[2.0, 4.0], 6.0, "nan"]
    assert all(r["command"] == "grad" and r["mode"] == "reverse" for r in results)


def test_a_bad_line_reports_and_the_batch_goes_on(adcli):
    stdin = '{"x": 1}\nnot json\n{"y": 2}\n{"x": [1, 2], "b": 1}\n{"x": 4}\n'
    run = adcli("eval", "x*b", "--at", "b=10", "--each", "-", stdin=stdin)
    results = lines(run)
    assert [r.get("value") for r in results] == [10.0, None, None, None, 40.0]
    assert results[1]["error"]["message"].startswith("--each expects a JSON object on every line")
    assert results[2]["error"]["kind"] == "unused-variable"
    assert results[3]["error"]["kind"] == "bad-at"  # b twice: from --at and from the line
    assert run.code == 2  # the worst line's exit code


def test_a_line_that_cannot_be_computed_exits_1(adcli):
    run = adcli("grad", "dot(x, [1, 2])", "--each", "-", stdin='{"x": [1, 2]}\n{"x": [1, 2, 3]}\n')
    results = lines(run)
    assert results[0]["value"] == 5.0 and results[1]["error"]["kind"] == "shape"
    assert run.code == 1


def test_the_formula_is_checked_once_before_any_line(adcli):
    run = adcli("grad", "sin(x", "--each", "-", stdin='{"x": 1}\n{"x": 2}\n')
    assert run.code == 2 and run.out == ""
    assert json.loads(run.err)["error"]["kind"] == "syntax"


def test_programs_run_in_batches_too(adcli, tmp_path):
    program = tmp_path / "p.adl"
    program.write_text("y = x\nwhile y < 10:\n    y = y * 2\ny\n", encoding="utf-8")
    run = adcli("grad", "-f", str(program), "--each", "-", stdin='{"x": 3}\n{"x": 20}\n')
    assert [(r["value"], r["gradient"]["x"]) for r in lines(run)] == [(12.0, 4.0), (20.0, 1.0)]
