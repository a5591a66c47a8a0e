"""README is part of the product: every `$ adcli …` in its console blocks is run again here and
must print exactly what README shows."""

from __future__ import annotations

import re
import shlex
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


def test_readme_has_examples():
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_prints_what_readme_shows(adcli, monkeypatch, command, expected):
    monkeypatch.setenv("NO_COLOR", "1")
    head = re.fullmatch(r"(.*) \| head -(\d+)", command)
    words = shlex.split(head.group(1) if head else command)
    assert words[0] == "adcli"
    run = adcli(*words[1:])
    printed = [line.rstrip() for line in (run.out + run.err).rstrip("\n").split("\n")]
    if head:
        printed = printed[: int(head.group(2))]
    assert printed == expected
