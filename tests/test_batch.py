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


# -- every line gets its answer or its error object, whatever goes wrong on it (issue 9) ------


def test_a_crash_on_one_line_does_not_lose_the_lines_after_it(adcli, monkeypatch):
    from adcli.calculations.replay import Repeated

    real = Repeated.value

    def crashing(self, point):
        if float(point.at["x"]) == 2:
            raise RuntimeError("a bug")
        return real(self, point)

    monkeypatch.setattr(Repeated, "value", crashing)
    run = adcli("eval", "x*10", "--each", "-", stdin='{"x": 1}\n{"x": 2}\n{"x": 3}\n')
    assert run.code == 3  # the worst line's: a bug, said as one
    results = lines(run)
    assert [r.get("value") for r in results] == [10.0, None, 30.0]
    assert results[1]["error"] == {"kind": "internal", "exit_code": 3, "message":
                                   "internal error (RuntimeError: a bug); please report it"}


def test_a_lone_surrogate_and_bytes_that_are_not_utf8(adcli, tmp_path):
    points = tmp_path / "points.jsonl"
    points.write_bytes(b'{"x": 1}\n{"x": "\\ud800"}\n{"x": \xff}\n{"x": 4}\n')
    run = adcli("eval", "x", "--each", str(points))
    results = lines(run)
    assert [r.get("value") for r in results] == [1.0, None, None, 4.0]
    assert results[1]["error"]["message"] == "the value of `x` must hold numbers, found '\\ud800'"
    assert results[2]["error"]["message"] == "line 3 is not UTF-8 text"
    assert run.code == 2


def test_a_line_that_runs_out_of_time_gets_its_error_and_the_batch_goes_on(adcli, monkeypatch,
                                                                            tmp_path):
    monkeypatch.setenv("ADCLI_MAX_ITERATIONS", "1e15")
    program = tmp_path / "spin.adl"
    program.write_text("i = 0\nwhile i < x:\n    i = i + 1\ni\n", encoding="utf-8")
    run = adcli("eval", "-f", str(program), "--each", "-", "--timeout", "1", "--max-steps",
                "1000000000", stdin='{"x": 3}\n{"x": "inf"}\n{"x": 5}\n')
    results = lines(run)
    assert [r.get("value") for r in results] == [3.0, None, 5.0]
    assert results[1]["error"]["kind"] == "timeout"
    assert results[1]["error"]["message"].startswith("stopped after 1 s (--timeout), at line ")
    assert run.code == 1
