"""The interactive session without a terminal: a whole session piped in against golden output,
`--json` answers, and the session's rules (which assignments keep a value and which a formula,
`ans`, blocks, defs, random draws, :save/:load), its commands (the CLI's own, a new one with no
edit), its errors and exit codes, the history file, and what it must not import.

Regenerate tests/golden/session.{out,err} after an intended change with ADCLI_UPDATE_GOLDEN=1.
The prompt itself is tested in tests/test_repl_prompt.py and through a real pseudo-terminal in
tests/test_repl_pty.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from adcli.cli.options import Common, formula_command
from adcli.repl.session import Session, Settings

GOLDEN = Path(__file__).resolve().parent / "golden"
# `compare` times its runs: the times differ from run to run, the rest must not.
DURATION = re.compile(r"\b\d+(\.\d+)? (s|ms|µs|ns) \(best of \d+\)")


def repl(*args: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "XDG_STATE_HOME": str(cwd / "state")}
    return subprocess.run([sys.executable, "-m", "adcli", "repl", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def steady(text: str) -> str:
    # a table pads a time to the width of the others: that padding varies with the times too
    return "\n".join(re.sub(r" +<time>", "  <time>", DURATION.sub("<time>", line)).rstrip()
                     for line in text.split("\n"))


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ADCLI_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with ADCLI_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_a_piped_session_answers_each_statement_in_order(tmp_path):
    done = repl("--seed", "7", stdin=(GOLDEN / "session.in").read_text(encoding="utf-8"),
                cwd=tmp_path)
    golden("session.out", steady(done.stdout))
    golden("session.err", steady(done.stderr))
    assert done.returncode == 2  # the worst statement's: `sine(x)` and `z + 1` are exit 2
    # the same numbers the CLI gives for the notebook's last formula
    assert "∂f/∂x  [nan, 7.4147, 1.4120, -10.5169, -11.0159]  shape 5" in done.stdout
    assert "this line is never read" not in done.stdout + done.stderr  # :quit stopped it


def test_save_writes_a_program_that_adcli_eval_runs(tmp_path):
    repl(stdin="x = [0.1, 2]\nf = sum(x*x)\ndef g(a):\n    return a * 3\n\ng(f)\n"
               ":save s.adl\n", cwd=tmp_path)
    assert (tmp_path / "s.adl").read_text(encoding="utf-8").split("\n")[2:] == [
        "x = [0.1, 2]", "def g(a):", "    return a * 3", "f = sum(x*x)", "g(f)", ""]
    run = subprocess.run([sys.executable, "-m", "adcli", "eval", "-f", "s.adl", "--json"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert json.loads(run.stdout)["value"] == pytest.approx(3 * (0.1 ** 2 + 4))
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_json_answers_are_one_json_line_each_and_errors_json_on_stderr(tmp_path):
    done = repl("--json", stdin="x = 0..3\nsum(x)\ngrad sum(x*x)\nsine(x)\n:vars\n",
                cwd=tmp_path)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["command"] for line in lines] == ["eval", "grad", ":vars"]
    assert lines[0]["value"] == 3.0
    assert lines[1]["gradient"] == {"x": [0.0, 2.0, 4.0]}
    assert lines[2]["names"][0] == {"name": "x", "kind": "value", "shape": [3],
                                    "value": [0.0, 1.0, 2.0]}
    assert json.loads(done.stderr)["error"]["kind"] == "unknown-function"
    assert done.returncode == 2


def test_a_session_that_only_succeeds_exits_0_and_a_compute_error_exits_1(tmp_path):
    assert repl(stdin="x = 1\nx + 1\n", cwd=tmp_path).returncode == 0
    done = repl(stdin="[1, 2] + [1, 2, 3]\n2 + 2\n", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == "4  scalar\n"  # the session went on after the error
    assert "error:" in done.stderr and "Traceback" not in done.stderr


# -- the rules, in one process -----------------------------------------------------------------


@pytest.fixture
def session(capsys):
    """A session, and what its last statement printed (stdout, stderr)."""
    made = Session(Settings(seed=7))

    def run(*statements: str) -> int:
        capsys.readouterr()
        return max(made.run(s) for s in statements)

    made.do = run  # type: ignore[attr-defined]
    made.printed = lambda: capsys.readouterr()  # type: ignore[attr-defined]
    return made


def value(session, name: str) -> np.ndarray:
    return np.asarray(session.names.value_of(name))


def test_a_formula_follows_the_values_it_reads(session):
    assert session.do("x = 2", "f = x^2 + 1", "x = 3") == 0
    assert value(session, "f") == 10
    assert session.names.entries["f"].text == "x^2 + 1"


def test_an_assignment_that_reads_no_names_or_ans_keeps_a_value(session):
    session.do("x = 0..3", "2*3", "y = ans + 1", "z = randn(2)")
    assert list(value(session, "x")) == [0, 1, 2]
    assert value(session, "y") == 7
    session.do("10")
    assert value(session, "y") == 7  # a value: it does not follow ans
    assert type(session.names.entries["z"]).__name__ == "Value"


def test_reading_the_value_it_replaces_is_an_update(session):
    session.do("x = [1, 2]", "f = sum(x^2)", "grad f", "x = x - 0.1*ans")
    assert list(value(session, "x")) == pytest.approx([0.5, 1.5])  # ans: f's value, 5


def test_an_update_through_a_formula_is_evaluated_now(session):
    session.do("x = 1", "g = 2*x", "x = g + 1")
    assert value(session, "x") == 3
    assert value(session, "g") == 6


def test_a_formula_that_reads_the_formula_it_replaces_has_the_old_one_filled_in(session):
    session.do("x = 2", "f = x + 1", "f = f*f")
    assert session.names.entries["f"].text == "(x + 1)*(x + 1)"
    assert value(session, "f") == 9


def test_grad_differentiates_a_stored_formula_with_respect_to_the_session_values(session):
    assert session.do("x = 0..5", "f = log(x*x)·sin(x) + 1/x", ":json on", "grad f") == 0
    answer = json.loads(session.printed().out)
    assert answer["expression"] == "log(x*x)·sin(x) + 1/x"
    assert answer["gradient"]["x"][1:] == pytest.approx([7.4147, 1.4120, -10.5169, -11.0159],
                                                        abs=1e-4)
    assert answer["gradient"]["x"][0] == "nan"


def test_diff_reads_the_session_values_when_it_has_them_and_infers_shapes_otherwise(session):
    assert session.do("x = 0..3", "f = x*x", ":json on", "diff f") == 0
    answer = json.loads(session.printed().out)
    assert answer["derivative"] == {"x": "2*x"}
    assert answer["value"]["x"] == [0.0, 2.0, 4.0] and not answer["shapes_inferred"]
    assert session.do("diff sin(t)") == 0  # t has no value here: its shape is inferred
    answer = json.loads(session.printed().out)
    assert answer["derivative"] == {"t": "cos(t)"} and answer["shapes_inferred"]


def test_at_overrides_a_session_value_for_one_question(session):
    session.do("x = 0..5", ":json on")
    session.do("eval x*2 --at x=[1, 2]")
    assert json.loads(session.printed().out)["value"] == [2.0, 4.0]
    session.do("eval x*2 --at 7")
    assert json.loads(session.printed().out)["value"] == 14.0
    assert list(value(session, "x")) == [0, 1, 2, 3, 4]


def test_a_formula_needs_no_quotes_and_options_go_anywhere(session):
    session.do("y = 2", ":json on")
    assert session.do("grad --wrt x x*y + sin(x) --at x=0") == 0
    answer = json.loads(session.printed().out)
    assert answer["expression"] == "x*y + sin(x)"
    assert answer["gradient"] == {"x": 3.0}


def test_a_function_named_like_a_command_is_called_when_a_parenthesis_follows(session):
    assert session.do("A = [[1, 2], [3, 4]]", "trace(A)") == 0
    assert session.printed().out == "5  scalar\n"  # the function
    assert session.do("trace trace(A)") == 0
    assert session.printed().out.startswith("forward pass")  # the command


def test_a_block_runs_against_the_session_and_keeps_what_it_assigns(session):
    session.do("b = [300]", "n = 0")
    assert session.do("while norm(b) < 1000:\n    b = b * 2\n    n = n + 1") == 0
    assert list(value(session, "b")) == [1200] and value(session, "n") == 2
    assert session.do("for k in 0..3:\n    n = n + k") == 0
    assert value(session, "n") == 5 and value(session, "k") == 2


def test_a_def_is_called_like_a_builtin_and_differentiated_through(session):
    session.do("def f(a):\n    b = a * 2\n    while norm(b) < 1000:\n        b = b * 2\n"
               "    if sum(b) > 0:\n        c = b\n    else:\n        c = 100 * b\n    return c")
    session.do("a = [0.5]", ":json on", "grad f(a)")
    answer = json.loads(session.printed().out)
    assert answer["value"] == [1024.0] and answer["gradient"] == {"a": [2048.0]}  # d/a


def test_random_draws_continue_the_session_stream_and_repeat_with_its_seed(session):
    session.do("y = randn(3)", "z = randn(3)")
    first = value(session, "y")
    assert not np.array_equal(first, value(session, "z"))
    again = Session(Settings(seed=7))
    again.run("y = randn(3)")
    assert np.array_equal(value(again, "y"), first)
    session.do(":seed 7", "y = randn(3)")
    assert np.array_equal(value(session, "y"), first)


def test_mistakes_are_reported_with_a_caret_and_the_session_goes_on(session, capsys):
    assert session.do("x = 1", "y = x + sine(x)") == 2
    err = session.printed().err
    assert "unknown function `sine` — did you mean `sin`?" in err
    assert err.split("\n")[1:3] == ["  y = x + sine(x)", "          ^^^^"]
    assert session.do("[1, 2] + [1, 2, 3]") == 1
    assert session.do("sin = 3") == 2 and "`sin` is a function" in session.printed().err
    assert session.do("q + 1") == 2 and "`q` has no value" in session.printed().err
    assert session.do(":nope") == 2 and ":help lists them" in session.printed().err
    assert session.do("eval x --at -") == 2
    assert session.do("grad x --wrtt x") == 2 and "did you mean --wrt?" in session.printed().err
    assert session.do("x + 1") == 0 and session.printed().out == "2  scalar\n"


def test_a_command_added_to_the_cli_is_at_the_prompt_with_no_edit(session):
    from adcli import calculations
    from adcli.cli.app import app, emit

    before = list(app.registered_commands)

    @formula_command("twice")
    def twice_command(common: Common) -> None:
        """Twice the value (a command made up for this test)."""
        emit({"twice": float(calculations.value(common.point()).value) * 2})

    try:
        fresh = Session(Settings())
        fresh.run("x = 21")
        assert "twice" in fresh.commands.names()
        session.printed()
        assert fresh.run("twice x + 0") == 0
        assert json.loads(session.printed().out) == {"twice": 42.0}
    finally:
        app.registered_commands[:] = before


def test_clear_forgets_names_and_save_replaces_the_file_whole(session, tmp_path, monkeypatch):
    target = tmp_path / "kept.adl"
    target.write_text("old = 1\n", encoding="utf-8")
    session.do("x = 1", "y = 2", ":clear y")
    assert list(session.names.entries) == ["x"]
    assert session.do(":clear nothing") == 2

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    assert session.do(f":save {target}") == 2
    assert target.read_text(encoding="utf-8") == "old = 1\n"  # the old file, untouched
    assert [p.name for p in tmp_path.iterdir()] == ["kept.adl"]  # no temporary file left
    monkeypatch.undo()
    assert session.do(f":save {target}") == 0
    session.do(":clear")
    assert session.names.entries == {}
    assert session.do(f":load {target}") == 0 and value(session, "x") == 1
    assert session.do(f":load {tmp_path / 'missing.adl'}") == 2


def test_settings_change_what_the_commands_print(session):
    session.do("x = 2/3", ":precision 2", "x")
    assert session.printed().out == "0.67  scalar\n"
    session.do("eval x")
    assert "value  0.67  scalar" in session.printed().out
    assert session.do(":precision 18") == 2 and session.do(":json maybe") == 2
    session.do(":vars")
    assert session.printed().out.startswith("x    scalar  0.67")


def test_help_lists_the_cli_commands_and_examples(session):
    session.do(":help")
    out = session.printed().out
    for word in ("grad", "trace", "jacobian", "hessian", "compare", "check", "diff", ":save FILE",
                 "f = log(x*x)·sin(x) + 1/x"):
        assert word in out
    assert "repl" not in out.split("Commands")[1].split("Session commands")[0]


# -- the history file, and what is imported when -----------------------------------------------


def test_history_lives_in_the_state_directory_readable_by_its_owner_alone(tmp_path, monkeypatch):
    from adcli.repl.terminal import history_file

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = history_file()
    assert path == tmp_path / "state" / "adcli" / "history"
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")  # invalid by the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert history_file() == tmp_path / "home" / ".local" / "state" / "adcli" / "history"
    assert not (tmp_path / "relative").exists()


def imported(args: list[str], env: dict[str, str] | None = None, stdin: str = "") -> str:
    """The modules a run of adcli imports (python -X importtime)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "adcli", *args],
                          input=stdin, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)
    return "\n".join(line.split("|")[-1].strip() for line in done.stderr.splitlines()
                     if line.startswith("import time:"))


def test_prompt_toolkit_is_imported_only_when_a_session_starts_at_a_terminal():
    names = imported(["grad", "x*x", "--at", "1"]).split("\n")
    assert "prompt_toolkit" not in names and "adcli.repl" not in names
    piped = imported(["repl"], stdin="1 + 1\n").split("\n")
    assert "adcli.repl.session" in piped and "prompt_toolkit" not in piped
    completing = imported([], env={"_ADCLI_COMPLETE": "complete_bash", "COMP_WORDS": "adcli gr",
                                   "COMP_CWORD": "1"}).split("\n")
    assert "adcli.repl" not in completing and "prompt_toolkit" not in completing


def test_adcli_alone_without_a_terminal_prints_the_help(tmp_path):
    done = subprocess.run([sys.executable, "-m", "adcli"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, cwd=tmp_path)
    assert "Usage: adcli" in done.stdout + done.stderr
    assert "repl" in done.stdout + done.stderr
