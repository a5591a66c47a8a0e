"""The prompt, through prompt_toolkit's own pipe input and a dummy output: Enter runs a line or
goes on (a block, an open bracket), Tab completes (functions, the session's names, options and
their values) or indents, Ctrl-C and Ctrl-D; and what completion offers and how a line is
coloured, as plain functions. tests/test_repl_pty.py does the same through a real terminal."""

from __future__ import annotations

import threading
import time
from typing import Iterator

import pytest
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from adcli.repl.completion import candidates
from adcli.repl.highlight import fragments
from adcli.repl.session import Session, Settings
from adcli.repl.terminal import PROMPT, make_prompt


@pytest.fixture
def session() -> Session:
    made = Session(Settings())
    made.run("alpha = 3")
    made.run("f = alpha*x")
    return made


@pytest.fixture
def prompt(session: Session) -> Iterator:
    """`ask(*keys)`: types each group of keys, waiting after a Tab until the completion has
    changed the line (prompt_toolkit completes asynchronously), and returns what the prompt
    returns."""
    with create_pipe_input() as pipe:
        made = make_prompt(session, InMemoryHistory(), input=pipe, output=DummyOutput())

        def typist(groups: tuple[str, ...]) -> None:
            for keys in groups:
                before = made.default_buffer.text
                pipe.send_text(keys)
                if keys.endswith("\t"):
                    deadline = time.monotonic() + 60
                    typed = before + keys[:-1]  # until the line is more than what was typed
                    while typed.startswith(made.default_buffer.text) \
                            and time.monotonic() < deadline:
                        time.sleep(0.01)

        def ask(*groups: str) -> str:
            thread = threading.Thread(target=typist, args=(groups,), daemon=True)
            thread.start()
            answer = made.prompt(PROMPT)
            thread.join(timeout=60)
            return answer

        yield ask


def test_enter_runs_a_line(prompt):
    assert prompt("x = 0..5\r") == "x = 0..5"


def test_a_block_goes_on_indented_until_an_empty_line(prompt, session):
    text = prompt("def g(a):\r", "b = a * 2\r", "return b\r", "\r")
    assert text == "def g(a):\n    b = a * 2\n    return b\n    "
    assert session.run(text.rstrip()) == 0
    assert session.names.defs["g"] == "def g(a):\n    b = a * 2\n    return b"


def test_an_open_bracket_goes_on(prompt):
    assert prompt("A = [[1, 2],\r", "[3, 4]]\r") == "A = [[1, 2],\n[3, 4]]"


def test_tab_completes_a_function_name(prompt):
    assert prompt("softp\t", "x)\r") == "softplus(x)"


def test_tab_completes_a_session_name(prompt):
    assert prompt("alp\t", " + 1\r") == "alpha + 1"


def test_tab_completes_an_option_and_its_value(prompt):
    assert prompt("grad sin(x) --mo\t", " fo\t", "\r") == "grad sin(x) --mode forward"


def test_tab_at_the_start_of_a_block_line_indents(prompt):
    text = prompt("for i in 0..3:\r", "\x7f\x7f\x7f\x7f", "\t", "n = i\r", "\r")
    assert text == "for i in 0..3:\n    n = i\n    "


def test_ctrl_c_drops_the_line_and_ctrl_d_leaves(prompt):
    with pytest.raises(KeyboardInterrupt):
        prompt("x = 1", "\x03")
    with pytest.raises(EOFError):
        prompt("\x04")


# -- what Tab offers, and the colours ----------------------------------------------------------


def offered(session: Session, before: str) -> list[str]:
    return [c.text for c in candidates(before, session)]


def test_completion_offers_the_vocabulary_the_session_names_and_the_commands(session):
    assert offered(session, "gr") == ["grad", "graph"]
    assert offered(session, "2*sigm") == ["sigmoid("]
    assert {"sin(", "sinh(", "sign("} <= set(offered(session, "2*si"))
    assert offered(session, "al") == ["alpha"]
    assert offered(session, "grad f + al") == ["alpha"]
    assert offered(session, ":sa") == [":save"]
    assert offered(session, "grad x*y --wrt ") == ["x", "y"]
    assert offered(session, "grad x*y --at ") == ["x=", "y=", "alpha="]
    assert offered(session, "grad x --dtype ") == ["float64", "float32"]
    assert "--wrt" in offered(session, "grad x --w")
    session.run("def g(a):\n    return a")
    assert offered(session, "1 + g") == ["g("]


def test_a_line_is_coloured_by_what_its_words_are():
    line = "grad sin(x) + 2e-3*pi --wrt x  # why"
    pieces = fragments(line, commands={"grad"}, names={"x"})
    assert "".join(text for _, text in pieces) == line
    styled = {text: style for style, text in pieces if style}
    assert styled == {"grad": "class:command", "sin": "class:function", "x": "class:variable",
                      "2e-3": "class:number", "pi": "class:constant", "--wrt": "class:option",
                      "# why": "class:comment", "(": "class:bracket", ")": "class:bracket",
                      "+": "class:operator", "*": "class:operator"}
    assert dict((t, s) for s, t in fragments(":save a.adl", set(), set()))[":save"] == "class:meta"
