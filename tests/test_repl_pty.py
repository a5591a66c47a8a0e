"""The interactive session through a real pseudo-terminal, as a person uses it: `adcli` alone
starts it; definitions, every command, an error and recovery, Ctrl-C during a long loop, Tab
completing a function name and a session variable, the session commands, Ctrl-D; then a second
session reads the first one's history back.

pexpect (a test dependency) drives it. prompt_toolkit is told not to ask the terminal for the
cursor position (PROMPT_TOOLKIT_NO_CPR), which a pty without a terminal emulator never answers.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pexpect
import pytest

# A fresh prompt as prompt_toolkit draws it: `»`, then the cursor moved back over the space
# (the line just run is redrawn as `» text` first, which is not a new prompt).
PROMPT = "»\b"
# prompt_toolkit lets go of the terminal (bracketed paste off): what follows is the answer.
RELEASED = "\x1b[?2004l"
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


class Terminal:
    """An adcli process on a pty, and what it printed since the last line was sent."""

    def __init__(self, args: list[str], home: Path) -> None:
        env = {**os.environ, "XDG_STATE_HOME": str(home / "state"), "HOME": str(home),
               "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "NO_COLOR": "1",
               "COLUMNS": "200", "LINES": "60"}  # the pty's size, whatever the runner's says
        env.pop("FORCE_COLOR", None)
        self.child = pexpect.spawn(sys.executable, ["-m", "adcli", *args], env=env, cwd=str(home),
                                   encoding="utf-8", timeout=120, dimensions=(60, 200))
        self.child.delaybeforesend = None
        self.printed = ""

    def prompt(self) -> str:
        """Wait for the next prompt; returns what was printed after the line was run, without
        escape sequences."""
        self.child.expect_exact(PROMPT)
        printed = self.child.before.rsplit(RELEASED, 1)[-1]
        self.printed = ESCAPES.sub("", printed).replace("\r", "")
        return self.printed

    def line(self, text: str) -> str:
        """Type a line and Enter; returns what was printed before the next prompt."""
        self.child.send(text + "\r")
        return self.prompt()

    def answer(self, text: str) -> list[str]:
        """The lines printed for a statement."""
        return [line.rstrip() for line in self.line(text).split("\n") if line.strip()]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


def test_a_whole_session_at_a_terminal(home):
    term = Terminal([], home)  # `adcli` alone, at a terminal
    assert "adcli 0.1.0 — a differentiation calculator. :help for help, Ctrl-D to leave." \
        in term.prompt()

    # definitions, and grad of a formula of the session's variables
    assert term.answer("x = 0..5") == []
    assert term.answer("f = log(x*x)·sin(x) + 1/x") == []
    grad = term.answer("grad f")
    assert grad[0] == "f(x) = log(x*x)·sin(x) + 1/x"
    assert grad[3] == "∂f/∂x  [nan, 7.4147, 1.4120, -10.5169, -11.0159]  shape 5"

    # every command, in the CLI's words
    assert term.answer("2*dot(x,x)") == ["60  scalar"]
    assert term.answer("eval ans/2")[-1] == "value  30  scalar"
    assert term.answer("graph 2*dot(x,x)") == [
        "#4 mul  2*dot(x,x)  scalar  = 60  ∂ 1", "├── #1 constant 2  scalar  = 2",
        "└── #3 dot  dot(x,x)  scalar  = 30  ∂ 2",
        "    ├── #2 x  shape 5  = [0, 1, 2, 3, 4]  ∂ [0, 4, 8, 12, 16]",
        "    └── ↑ #2 x"]
    assert "gradient ∂f/∂x = [0, 4, 8, 12, 16]" in term.answer("trace 2*dot(x,x)")
    assert "∂f/∂v  [[1, 2],  shape 2×2" in \
        term.answer("jacobian [[1, 2], [3, 4]] @ v --at v=[5, 6]")
    assert "∂²f/∂x²  [[6, 0],   shape 2×2" in term.answer("hessian sum(x^3) --at x=[1, 2]")
    assert term.answer("compare sum(x*x)")[-1].startswith("Reverse mode wins here")
    assert term.answer("check sum(x*x)")[-1].startswith("passed:")
    assert any(line.split()[:2] == ["sin(x)", "sine"] for line in term.answer("functions"))

    # a block over several lines: Enter goes on and indents; an empty line runs it
    term.child.send("def g(a):\r")
    term.child.send("return a * 2\r")
    assert term.answer("") == []
    assert term.answer("grad g(x)^2 --wrt x")[3] == "∂f/∂x  [0, 8, 16, 24, 32]  shape 5"

    # an error, shown as the CLI shows it, and the session goes on
    assert term.answer("grad sine(x)") == [
        "error: unknown function `sine` — did you mean `sin`?", "  sine(x)", "  ^^^^",
        "  hint: `adcli functions` lists every function"]
    assert term.answer("x + 1") == ["[1, 2, 3, 4, 5]  shape 5"]

    # Ctrl-C stops a long loop; its assignments are not kept
    assert term.answer("i = 0") == []
    term.child.send("while i < 1e9:\r")
    term.child.send("i = i + 1 + 0*sum(sin(zeros(100000)))\r")
    term.child.send("\r")
    term.child.expect_exact(RELEASED)  # the loop runs
    time.sleep(0.5)
    term.child.sendintr()
    assert "interrupted" in term.prompt()
    assert term.answer("i") == ["0  scalar"]

    # Tab completes a function name and a session variable
    assert term.answer("alpha = 3") == []
    term.child.send("softp\t")
    term.child.expect_exact("softplus")  # (what was typed is `softp`)
    assert term.answer("x)") == ["[0.6931, 1.3133, 2.1269, 3.0486, 4.0181]  shape 5"]
    term.child.send("alp\t")
    term.child.expect_exact("alpha")
    assert term.answer(" + 1") == ["4  scalar"]

    # lines pasted together run one after another
    term.child.send("\x1b[200~q = 5\ngrad q^2\x1b[201~")
    assert term.answer("")[-1] == "∂f/∂q  10  scalar"

    # the session commands
    assert term.answer(":vars")[:2] == ["x      shape 5  [0, 1, 2, 3, 4]",
                                        "i      scalar   0"]
    term.answer(":json on")
    assert json.loads(term.answer("sum(x)")[0])["value"] == 10.0
    term.answer(":json off")
    term.answer(":precision 2")
    assert term.answer("x/3") == ["[0, 0.33, 0.67, 1, 1.3]  shape 5"]
    term.answer(":seed 5")
    first = term.answer("y = randn(2)") + term.answer("y")
    assert term.answer(":save s.adl") == ["saved 7 names to s.adl"]
    assert (home / "s.adl").read_text(encoding="utf-8").startswith("# An adcli session")
    term.answer(":clear")
    assert term.answer("y") == ["error: `y` has no value", "  y", "  ^",
                                "  hint: give it one first, e.g. y = 0..5"]
    term.answer(":load s.adl")
    assert term.answer("y") == first[-1:]
    assert "Session commands:" in term.answer(":help")
    assert term.answer("6*7") == ["42  scalar"]

    term.child.sendeof()  # Ctrl-D
    term.child.expect(pexpect.EOF)
    term.child.close()
    assert term.child.exitstatus == 0

    # the history was written where XDG says, and a second session reads it back
    history = home / "state" / "adcli" / "history"
    assert "+6*7\n" in history.read_text(encoding="utf-8")
    assert history.stat().st_mode & 0o777 == 0o600
    again = Terminal(["repl"], home)
    again.prompt()
    again.child.send("\x1b[A")  # Up: the last line of the first session
    again.child.expect(r"6(\x1b\[[0-9;]*m)*\*(\x1b\[[0-9;]*m)*7")  # drawn in colours
    assert again.answer("") == ["42  scalar"]
    again.child.send(":quit\r")
    again.child.expect(pexpect.EOF)
    again.child.close()
    assert again.child.exitstatus == 0
