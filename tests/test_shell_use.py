"""adcli at the prompt and in pipes: colour only for people (NO_COLOR, FORCE_COLOR, a terminal),
--precision for the digits of text output, every digit in --json."""

from __future__ import annotations

import os
import pty
import re
import sys
from pathlib import Path

import pytest

ADCLI = str(Path(sys.executable).parent / "adcli")
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colours(text: str) -> set[int]:
    """The colour codes (foreground or background) among the text's escape sequences."""
    codes = {int(p) for params in SGR.findall(text) for p in params.split(";") if p}
    return {c for c in codes if 30 <= c <= 38 or 40 <= c <= 48 or 90 <= c <= 107}


def in_a_terminal(*args: str, **env: str) -> str:
    """What adcli writes to a terminal (a pseudo-terminal), with these environment variables."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes adcli
        clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        os.execve(ADCLI, [ADCLI, *args], {**clean, "TERM": "xterm-256color", **env})
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal closes when adcli exits
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode(errors="replace")


def test_a_terminal_gets_colour_unless_no_color():
    assert colours(in_a_terminal("grad", "sin(x)", "--at", "0..3"))
    assert not colours(in_a_terminal("grad", "sin(x)", "--at", "0..3", NO_COLOR="1"))


def test_a_pipe_gets_plain_text_unless_force_color(adcli, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert not SGR.search(adcli("grad", "sin(x)", "--at", "0..3").out)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert colours(adcli("grad", "sin(x)", "--at", "0..3").out)
    assert colours(adcli("grad", "sine(x)", "--at", "0..3").err)  # errors too
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colours(adcli("grad", "sin(x)", "--at", "0..3").out)


def test_json_is_never_coloured(adcli, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not SGR.search(adcli("grad", "sin(x)", "--at", "0..3", "--json").out)
    assert not SGR.search(adcli("grad", "sine(x)", "--at", "0..3", "--json").err)


@pytest.mark.parametrize("precision, value, shown", [
    ("1", "[0.84, 2.5, 3]", "[0.8, 2, 3]"),  # 2.5 rounds to even, as Python and numpy do
    ("2", "[0.006, 1.5]", "[0.006, 1.5]"),  # significant digits, each at its own scale
    ("2", "[0.00004, 1.5]", "[4e-05, 1.5]"),  # one tiny element: scientific for it alone
    ("6", "pi", "3.14159"),
    ("17", "1/3", "0.3333333333333333"),  # no more digits than read back to the same float
])
def test_precision_sets_the_digits_of_text_output(adcli, monkeypatch, precision, value, shown):
    monkeypatch.setenv("NO_COLOR", "1")
    run = adcli("eval", value, "--precision", precision)
    assert f"value  {shown}  " in run.out


def test_json_keeps_every_digit_whatever_the_precision(adcli):
    result = adcli("eval", "pi", "--precision", "2", "--json").json()
    assert result["value"] == 3.141592653589793


def test_precision_out_of_range_is_a_usage_error(adcli):
    run = adcli("eval", "pi", "--precision", "18")
    assert run.code == 2 and not run.out
    run = adcli("eval", "pi", "--precision", "0")  # significant digits: at least one
    assert run.code == 2 and not run.out
