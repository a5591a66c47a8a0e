"""`:save FILE` and `:load FILE`: the session as a program.

The file is a program `adcli eval -f FILE` runs: the values as assignments (written exactly,
`[0.1, nan]`), the defs, the formulas after the names they read, and last the formula answered
last, which is then the program's value. `:load` runs a file's statements as if typed, so a
formula comes back as a formula. The file is written whole or not at all: to a temporary file
beside it, then renamed over it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from adcli.errors import InputError
from adcli.cli.vocabulary import CONSTANTS, KEYWORDS
from adcli.repl.names import Expression, Names, Value

HEADER = ("# An adcli session, written by :save.\n"
          "# `adcli eval -f {name}` runs it; `:load {name}` in a session brings its names back.")


def program(names: Names, file_name: str) -> str:
    from adcli.views.session import literal

    lines = [HEADER.format(name=file_name)]
    for name, entry in names.ordered():
        if isinstance(entry, Value):
            lines.append(f"{name} = {literal(entry.array)}")
        elif isinstance(entry, Expression):
            lines.append(f"{name} = {entry.text}")
        else:
            lines.append(entry)
    last = names.last_question
    known = {*names.entries, *names.defs, *CONSTANTS, *KEYWORDS}
    if last is not None and set(names.reads(last)) <= known:  # not `ans`, nor a name since cleared
        lines.append(last)
    return "\n".join(lines) + "\n"


def save(names: Names, path: str) -> int:
    """Write the session to `path`; returns how many names it holds."""
    from adcli.views.session import visible

    target = Path(path).expanduser()
    shown = visible(path)
    text = program(names, path)
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write {shown}: {exc.strerror}", kind="bad-file") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write {shown}: {exc.strerror}", kind="bad-file") from None
    return len(names.entries) + len(names.defs)


def read(path: str) -> str:
    from adcli.views.session import visible

    try:
        return Path(path).expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {visible(path)}: {exc.strerror}", kind="bad-file") from None
    except UnicodeDecodeError:
        raise InputError(f"{visible(path)} is not UTF-8 text", kind="bad-file") from None
