"""The fuzz of the interactive session: random sequences of statements (assignments, formulas
and programs from test_fuzz.py's tokens, the CLI's commands with their options, blocks, `def`s
and the session's own `:` commands, files included) through one `Session`. Whatever comes in,
each statement ends with exit code 0, 1 or 2, never an internal error (3) or a traceback,
nothing it prints carries a raw control character, and the session still answers afterwards.

A derandomized hundred sequences run with the suite; ADCLI_FUZZ_EXAMPLES=2000 pytest
tests/test_repl_fuzz.py runs as many as asked, from a fresh random seed each time.
"""

from __future__ import annotations

import os
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import EXAMPLES, LIMITS, formula, well_formed

from adcli.repl.session import Quit, Session, Settings
from adcli.views.printable import UNSAFE_BUT_NEWLINE

NAMES = ["x", "y", "f", "g", "ans", "A", "pi", "sin", "grad", "e", "x1", "α", "_"]
COMMANDS = ["eval", "grad", "graph", "trace", "jacobian", "hessian", "compare", "check", "diff",
            "plot", "functions"]
OPTIONS = ["", " --json", " --at x=1", " --at x=[1, 2]", " --at 0..3", " --wrt x",
           " --mode forward", " --order 2", " --dtype float32", " --seed 3", " --steps",
           " --explain", " --at -", " --each -", " -f -", " --timeout 2", " --width 30",
           " --at x=", " --wrt", " --nonsense"]
META = [":help", ":h", ":vars", ":json on", ":json off", ":json maybe", ":precision 3",
        ":precision -1", ":precision x", ":seed 5", ":seed 99999999999", ":clear", ":clear x",
        ":clear nothing", ":save {folder}/s.adl", ":load {folder}/s.adl",
        ":load {folder}/missing.adl", ":save {folder}", ":save", ":load", ":nonsense", ":",
        ":quit"]  # {folder}: the test's own (never a shared temporary folder)
BLOCKS = ["def h(a):\n    return a * 2", "def h(a):\n    return h(a)",
          "if x > 0:\n    y = 1\nelse:\n    y = 2", "for i in 0..3:\n    x = x + 1",
          "while x < 0:\n    x = x + 1", "def h(:\n    pass", "if x:\n  y = 1\n    z = 2"]

expression = formula | well_formed
statement = st.one_of(
    st.builds(lambda name, value: f"{name} = {value}", st.sampled_from(NAMES), expression),
    expression,
    st.builds(lambda command, text, option: f"{command} {text}{option}",
              st.sampled_from(COMMANDS), expression, st.sampled_from(OPTIONS)),
    st.sampled_from(META),
    st.sampled_from(BLOCKS),
)


@settings(max_examples=EXAMPLES or 100, derandomize=EXAMPLES is None, deadline=None,
          database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(statement, min_size=1, max_size=6))
def test_whatever_a_session_is_told_it_answers_cleanly(capsys, folder, statements):
    session = Session(Settings(seed=7))
    capsys.readouterr()
    with mock.patch.dict(os.environ, LIMITS):
        for text in [*statements, "1 + 1"]:  # the last: the session still answers
            try:
                code = session.run(text.replace("{folder}", str(folder)))
            except Quit:
                break
            out, err = capsys.readouterr()
            assert code in (0, 1, 2), (statements, text, code, err)
            assert "Traceback" not in out + err, (text, err)
            unsafe = UNSAFE_BUT_NEWLINE.search(out + err)
            assert unsafe is None, (text, unsafe, out, err)
        else:
            assert code == 0 and out, (statements, out, err)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("session")
