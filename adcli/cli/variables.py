"""The one question adcli's completion scripts ask a process: the variables of the formula, or
of the program in a file, one per line (for `--wrt` and `--at NAME=`, and names used earlier
in a formula). Everything else the scripts answer themselves.

    _ADCLI_VARIABLES=formula adcli "x*y + sin(z)"     # x, y, z
    _ADCLI_VARIABLES=program adcli prog.adl

Every Tab press that asks is a process, so this imports neither typer nor numpy nor lark: the
formula is read by complete.py's tokenizer, checked against the parser by
tests/test_completion.py.
"""

from __future__ import annotations

import os
import sys

from adcli.cli.complete import program_variables, variables

VARIABLE = "_ADCLI_VARIABLES"


def answer(argv: list[str]) -> int:
    """Print the variables of argv[0] (formula text, or a program's path); exit status 0, even
    when the text does not parse yet or the file cannot be read (then nothing is printed)."""
    kind, text = os.environ.get(VARIABLE), argv[0] if argv else ""
    if kind == "program":
        try:
            with open(os.path.expanduser(text), encoding="utf-8") as handle:
                names = program_variables(handle.read())
        except (OSError, UnicodeDecodeError):
            names = []
    else:
        names = variables(text)
    sys.stdout.write("".join(f"{name}\n" for name in names))
    return 0
