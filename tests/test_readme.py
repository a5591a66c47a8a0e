"""README is part of the product: every `$ adcli …` in its console blocks is run again here and
must print exactly what README shows (a pipeline, a loop or a redirection through bash)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def console_examples() -> list[tuple[str, list[str]]]:
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *output = chunk.rstrip("\n").split("\n")
            examples.append((command, [line.rstrip() for line in output]))
    return examples


EXAMPLES = console_examples()
# Times (`adcli compare`) and how many runs were timed differ from run to run and machine to
# machine: both are compared as placeholders, and a table's column padding (which follows the
# widest cell) as one gap; everything else exactly.
DURATION = re.compile(r"\b\d+(\.\d+)? (s|ms|µs|ns) \(best of \d+\)")
GAP = re.compile(r"(?<=\S) {2,}(?=\S)")


def steady(lines: list[str]) -> list[str]:
    return [GAP.sub("  ", DURATION.sub("<time>", line)) for line in lines]


def test_readme_has_examples():
    assert len(EXAMPLES) >= 10


def needs_a_shell(command: str) -> bool:
    """Shell syntax outside quotes: a pipe (other than `| head -N`, done here), `;`, `>`."""
    plain = re.sub(r" \| head -\d+\Z", "", command)
    tokens = shlex.shlex(plain, posix=True, punctuation_chars=True)
    return any(token and set(token) <= set("();<>|&") for token in tokens)


def in_bash(command: str) -> list[str]:
    """What bash prints for the command, with this adcli first on PATH."""
    for tool in {"bash", "jq"} & set(re.findall(r"\w+", command)):
        if shutil.which(tool) is None:
            if os.environ.get("ADCLI_REQUIRE_SHELLS") == "1":
                pytest.fail(f"ADCLI_REQUIRE_SHELLS=1 but {tool} is not installed", pytrace=False)
            pytest.skip(f"README's example needs {tool} (apt install {tool})")
    env = {**os.environ, "NO_COLOR": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-c", command], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=120)
    return [line.rstrip() for line in done.stdout.rstrip("\n").split("\n")]


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_prints_what_readme_shows(adcli, monkeypatch, command, expected):
    monkeypatch.setenv("NO_COLOR", "1")
    if needs_a_shell(command):
        assert "adcli " in command
        assert steady(in_bash(command)) == steady(expected)
        return
    head = re.fullmatch(r"(.*) \| head -(\d+)", command)
    words = shlex.split(head.group(1) if head else command)
    assert words[0] == "adcli"
    run = adcli(*words[1:])
    printed = [line.rstrip() for line in (run.out + run.err).rstrip("\n").split("\n")]
    if head:
        printed = printed[: int(head.group(2))]
    assert steady(printed) == steady(expected)
