"""Paste into README.md what each `$ adcli …` example in its console blocks prints now.

tests/test_readme.py fails when README's outputs are no longer what adcli prints; after a
change to an output, run this and read the diff (`git diff README.md`) before committing: it
replaces only the examples whose output changed (times and run counts aside).

    python scripts/refresh_readme.py
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_readme import README, needs_a_shell, steady  # noqa: E402


def printed(command: str) -> list[str]:
    """What the example prints, run as tests/test_readme.py runs it."""
    env = {**os.environ, "NO_COLOR": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    if not needs_a_shell(command):
        head = re.fullmatch(r"(.*) \| head -(\d+)", command)
        words = shlex.split(head.group(1) if head else command)
        args = [sys.executable, "-m", "adcli", *words[1:]]
        done = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
        lines = [line.rstrip() for line in done.stdout.rstrip("\n").split("\n")]
        return lines[: int(head.group(2))] if head else lines
    done = subprocess.run(["bash", "-c", command], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    return [line.rstrip() for line in done.stdout.rstrip("\n").split("\n")]


def refresh(block: str) -> str:
    out: list[str] = []
    for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
        if not chunk.startswith("$ "):
            out.append(chunk)
            continue
        command, *old = chunk.rstrip("\n").split("\n")
        new = printed(command[2:])
        lines = old if steady([line.rstrip() for line in old]) == steady(new) else new
        out.append("\n".join([command, *lines]) + "\n")
    return "".join(out)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    updated = re.sub(r"(```console\n)(.*?)(```)",
                     lambda m: m.group(1) + refresh(m.group(2)) + m.group(3), text, flags=re.S)
    if updated != text:
        README.write_text(updated, encoding="utf-8")
        print("README.md updated: read `git diff README.md`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
