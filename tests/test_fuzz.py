"""The fuzz of issue 9: random token sequences of the language (every function of the registry,
the operators and their pasted forms, unicode, huge and odd numbers, control characters) and random combinations of
options, through the real entry point, in-process. Whatever comes in, adcli answers with exit
0, 1 or 2, never a traceback nor a raw control character, and under --json standard output is
empty or JSON and standard error is empty or one JSON error.

A derandomized few hundred examples run with the suite; ADCLI_FUZZ_EXAMPLES=10000 pytest
tests/test_fuzz.py runs as many as asked, from a fresh random seed each time (README,
Development).
"""

from __future__ import annotations

import io
import json
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adcli.cli import main
from adcli.ops import ALIASES, FUNCTIONS
from adcli.views.printable import UNSAFE_BUT_NEWLINE

EXAMPLES = int(os.environ.get("ADCLI_FUZZ_EXAMPLES", "0")) or None
COMMANDS = ["eval", "grad", "graph", "trace", "jacobian", "hessian", "compare", "check", "plot",
            "diff"]
# By hand, the fuzz can be aimed: ADCLI_FUZZ_COMMANDS=diff,grad
COMMANDS = os.environ.get("ADCLI_FUZZ_COMMANDS", "").split(",") if \
    os.environ.get("ADCLI_FUZZ_COMMANDS") else COMMANDS
# Small limits keep each example cheap; what is fuzzed is that a limit is met cleanly.
LIMITS = {"ADCLI_MAX_ELEMENTS": "100000", "ADCLI_MAX_WORK": "20000000",
          "ADCLI_MAX_TAPE": "200000000", "ADCLI_MAX_ITERATIONS": "5000"}

STRINGS = ["'ij,jk->ik'", "'i,i'", "'...'", "'ii'", '"i->"', "einsum('", "'"]
NUMBERS = ["0", "1", "2", "-1", "0.5", ".5", "1.", "1e3", "1e-3", "1e308", "1e309", "9e999",
           "1e-400", "1e19", "1e100", "4294967296", "1" * 40, "0x10", "1_000", "1e", "..5",
           "2x", "3(", "½", "٣", "１", "nan", "inf", "-inf", "0.1", "7"]
NAMES = ["x", "y", "A", "pi", "e", "inf", "nan", "α", "é", "x1", "_", "𝑥", "sine", "stop_gradient"]
OPERATORS = ["+", "-", "*", "/", "·", "@", "^", "**", "<", "<=", ">", ">=", "==", "!=", "and",
             "or", "not", "..", "..=", ",", ":", "(", ")", "[", "]", "=", ";", "#", "'", '"']
# notation as pasted from papers (README, The formula language)
PASTED = ["²", "³", "⁻¹", "⁰", "¹⁰", "π", "∞", "−", "×", "÷", "≤", "≥", "≠", "√", "√x", "ln(",
          "x²", "2π", "∞·0", "5 kg", "m/s", "°"]
ODD = ["\x00", "\x1b", "\x1b[2J", "\x1b]52;c;eA==\x07", "\x9b", "\u202e", "\t", "\n", "\r",
       "\x0c", "\ufeff", "\u2028", "\ud800", "  ", "\n    ", "if", "while", "for", "in", "def",
       "return", "pass", "elif", "else"]
CALLS = [f"{name}(" for name in [*FUNCTIONS, *ALIASES]]

token = st.sampled_from(NUMBERS + NAMES + OPERATORS + PASTED + STRINGS + ODD + CALLS) | \
    st.text(max_size=3)
formula = st.lists(token, min_size=1, max_size=14).map(lambda parts: " ".join(parts) if
                                                       len(parts) % 3 == 0 else "".join(parts))
# Mostly well-formed, so that the fuzz gets past the parser into the engine and the views.
well_formed = st.builds(
    lambda f, a, b: f"{f}{a}{b})" if f.endswith("(") else f"{a}{f}{b}",
    st.sampled_from(CALLS + ["", "-", "sum(", "prod(", "max(", "norm("]),
    st.sampled_from(["x", "x*x", "[x, x]", "x@x", "A", "A@A", "x·x", "x/x", "log(x)", "x^x",
                     "ones(3)", "x[0]", "x[1:]", "transpose([x])", "x*y"]),
    st.sampled_from(["", ", 0", ", -1", ", 1", ", 2", " + 1", ", x", ", 1, 2", ", nan",
                     ", axis=0", ", axis=-1", ", dim=1", ", axis=[0, 1]", ", axis=1e19",
                     ", axs=0", ", diagonal=1", ", correction=0", ", shifts=1"]))
value = st.sampled_from(["0", "1", "-1", "0.5", "0..3", "[1, 2]", "[[1, 2], [3, 4]]", "nan",
                        "inf", "1e308", "ones(3)", "zeros(0)", "randn(2)", "linspace(0, 1, 5)",
                        "[]", "-0.0", "ones(1e6)", "2..1"]) | formula


@st.composite
def arguments(draw: st.DrawFn) -> tuple[list[str], str]:
    command = draw(st.sampled_from(COMMANDS + ["functions"]))
    if command == "functions":
        return ["functions", *draw(st.sampled_from([[], ["--json"], ["--no-color"]]))], ""
    args, stdin = [command], ""
    program = draw(st.booleans()) and draw(st.integers(0, 4)) == 0
    text = draw(formula | well_formed)
    if program:
        lines = draw(st.lists(formula | well_formed, min_size=1, max_size=4))
        stdin = "\n".join(draw(st.sampled_from(["", "    ", "y = ", "if x > 0:\n    ",
                                                 "for i in 0..3:\n    ", "while x < 0:\n    ",
                                                 "def f(a):\n    return "])) + line
                          for line in lines) + "\n" + text
        args += ["-f", "-"]
    else:
        args.append(text)
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(["x", "y", "A", "", "z"]))
        spec = draw(value)
        args += ["--at", f"{name}={spec}" if name else spec]
    if not program and draw(st.integers(0, 9)) == 0 and "-" not in args:
        args += ["--at", "-"]
        stdin = draw(st.sampled_from(['{"x": 1}', '{"x": [1, "nan"]}', '{"x": ' + "[" * 50 + "]" * 50
                                      + "}", "{not json", '{"x": "\\ud800"}', '{"x": 1e999}',
                                      '{"x": ' + "9" * 5000 + "}", "", "\x00" * 10]))
    elif command in ("eval", "grad") and not program and draw(st.integers(0, 9)) == 0:
        args += ["--each", "-"]
        stdin = "\n".join(draw(st.lists(st.sampled_from(
            ['{"x": 1}', '{"x": [1, 2]}', "oops", '{"y": 2}', '{"x": "\\ud800"}', "",
             '{"x": ' + "[" * 40 + "]" * 40 + "}"]), max_size=4)))
    options = {
        "--json": [],
        "--wrt": [draw(st.sampled_from(["x", "y", "x,y", ",", "z", "x\x1b"]))],
        "--mode": [draw(st.sampled_from(["forward", "reverse", "sideways"]))],
        "--dtype": [draw(st.sampled_from(["float32", "float64", "float16"]))],
        "--strict": [],
        "--explain": [],
        "--seed": [draw(st.sampled_from(["0", "7", "-1", "4294967296", "1" * 30, "x"]))],
        "--max-steps": [draw(st.sampled_from(["1", "10", "1000", "0"]))],
        "--timeout": [draw(st.sampled_from(["1", "2", "-1", "nan", "abc"]))],
        "--no-color": [],
        "--format": [draw(st.sampled_from(["tree", "dot", "mermaid", "json", "svg"]))],
        "--rtol": [draw(st.sampled_from(["0", "1e-3", "inf", "nan", "-1"]))],
        "--atol": [draw(st.sampled_from(["0", "1e-5", "inf"]))],
        "--order": [draw(st.sampled_from(["1", "2", "3", "0", "50", "-1"]))],
        "--tangent": [draw(st.sampled_from(["1", "[1, 0]", "x", "nan", "[]"]))],
        "--cotangent": [draw(st.sampled_from(["1", "[1, 2]", "inf", "ones(3)"]))],
        "--table": [],
        "--csv": [],
        "--full": [],
        "--exact": [],
        "--width": [draw(st.sampled_from(["20", "80", "0", "100000"]))],
        "--height": [draw(st.sampled_from(["5", "30", "-3"]))],
        "--precision": [draw(st.sampled_from(["0", "1", "4", "17", "18", "-1"]))],
        "--steps": [],
        "--latex": [],
        "--plain": [],
        "--depth": [draw(st.sampled_from(["1", "5", "0", "-2", "1000"]))],
    }
    chosen = draw(st.lists(st.sampled_from(sorted(options)), max_size=5, unique=True))
    for option in chosen:
        args += [option, *options[option]]
    if "--timeout" not in chosen:
        args += ["--timeout", "5"]  # a hang guard; formulas have no clock of their own
    return args, stdin


def run(args: list[str], stdin: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    source = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8", "surrogatepass")),
                              encoding="utf-8")
    with mock.patch.dict(os.environ, LIMITS), mock.patch.object(sys, "stdin", source), \
            redirect_stdout(out), redirect_stderr(err):
        try:
            main(args)
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


@settings(max_examples=EXAMPLES or 250, derandomize=EXAMPLES is None, deadline=None,
          database=None, suppress_health_check=list(HealthCheck))
@given(arguments())
def test_whatever_comes_in_adcli_answers_cleanly(case: tuple[list[str], str]) -> None:
    args, stdin = case
    code, out, err = run(args, stdin)
    assert code in (0, 1, 2), (args, stdin, code, err)
    assert "Traceback" not in out and "Traceback" not in err, (args, err)
    unsafe = UNSAFE_BUT_NEWLINE.search(out + err)  # user text's controls are shown escaped
    assert unsafe is None, (args, stdin, unsafe, out, err)
    if "--json" in args or "--each" in args:
        if out:
            documents = _json_lines(out)  # fails on anything but JSON, one document a line
            assert all(isinstance(d, dict) for d in documents)
            if "--each" not in args:
                assert len(documents) == 1, out
        if err:
            (document,) = _json_lines(err)
            assert set(document) == {"error"} and document["error"]["exit_code"] == code
