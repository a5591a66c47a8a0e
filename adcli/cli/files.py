"""`--output FILE`: written whole or not at all.

The text (or Graphviz's drawing) goes to a temporary file beside the target, which then
replaces it in one rename: a full disk, a Graphviz that fails or runs out of time, or Ctrl-C
leaves the old file as it was, never a fragment. Graphviz runs on the command's clock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from adcli.cli import deadline
from adcli.errors import ComputeError, InputError, Stopped
from adcli.views.printable import printable


def check_target(path: Path) -> None:
    """Refuse a target that cannot be written before anything is computed for it."""
    shown = printable(str(path))
    if path.is_dir():
        raise InputError(f"--output {shown} is a folder; give a file name, such as "
                         f"{printable(str(path / 'graph.svg'))}", kind="bad-option")
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"--output {shown}: the folder {printable(str(folder))} does not exist",
                         kind="bad-option")


@contextmanager
def replacing(path: Path) -> Iterator[str]:
    """A temporary file's name beside `path`; if the block succeeds, it becomes `path`."""
    check_target(path)
    shown = printable(str(path))
    try:
        import tempfile  # (here: only a command that writes a file needs it)

        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
        os.close(handle)
    except OSError as exc:
        raise ComputeError(f"cannot write {shown}: {exc.strerror}", kind="output") from None
    try:
        yield temporary
        os.chmod(temporary, _mode(path))
        os.replace(temporary, path)
    except OSError as exc:
        unchanged = f" ({shown} is unchanged)" if path.exists() else ""
        raise ComputeError(f"cannot write {shown}: {exc.strerror}{unchanged}",
                           kind="output") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _mode(path: Path) -> int:
    """The existing file's permissions, or what a new file gets (mkstemp's are 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_text(path: Path, text: str) -> None:
    with replacing(path) as temporary:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)


def draw(path: Path, dot_source: str, kind: str) -> None:
    """Graphviz's `dot -T<kind>` into `path`."""
    program = shutil.which("dot")
    if program is None:
        raise ComputeError(
            "drawing needs Graphviz's `dot` program, which is not installed",
            kind="missing-graphviz",
            hint="install Graphviz (Debian/Ubuntu: apt install graphviz; macOS: brew install "
                 "graphviz), or write --format dot and render it elsewhere",
        )
    seconds = deadline.remaining()
    with replacing(path) as temporary:
        try:
            done = subprocess.run([program, f"-T{kind}", "-o", temporary], input=dot_source,
                                  text=True, capture_output=True, timeout=seconds)
        except (subprocess.TimeoutExpired, Stopped) as exc:
            # (the clock's own signal and run()'s timeout end the wait at the same moment;
            # either way run() has killed dot)
            stopped = exc if isinstance(exc, Stopped) else deadline.expired()
            if stopped.kind == "timeout":
                stopped.message += f", while Graphviz's dot drew {printable(str(path))}"
                stopped.hint = ("raise --timeout, or write --format dot (or -o graph.dot) and "
                                "draw it elsewhere")
            raise stopped from None
        if done.returncode != 0:
            raise ComputeError(f"Graphviz's dot failed: {printable(done.stderr.strip())}",
                               kind="graphviz")
