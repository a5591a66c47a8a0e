"""Standard input and output as they really are: closed (`adcli … >&-`, `<&-`), full
(`> /dev/full`), a pipe whose reader left, an encoding that cannot hold `·` or `∂`
(PYTHONIOENCODING=ascii), or endless (`-f /dev/zero`).

Output goes through `Output`, which turns a failed write into an OutputError (exit 1, one line
on standard error); text that the stream cannot encode is written as backslash escapes, and
JSON as ASCII escapes, so it stays JSON. Input is read up to the limit and one character more:
enough to know it is too long, never a whole endless stream.
"""

from __future__ import annotations

import codecs
import errno
import os
import sys
from typing import IO, Any, Iterator

from adcli.errors import AdcliError, InputError

EPIPE_EXIT = 128 + 13  # what a shell reports for a program killed by SIGPIPE


class OutputError(AdcliError):
    """Standard output (or an --output file) could not be written."""

    def __init__(self, message: str, quiet: bool = False) -> None:
        super().__init__(message, kind="output", exit_code=EPIPE_EXIT if quiet else 1)
        self.quiet = quiet  # the reader of a pipe left (`| head`): nothing to tell anyone


def prepare() -> None:
    """Characters the output streams cannot encode become escapes (`\\xb7`), not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not is_utf(stream):
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def is_utf(stream: Any) -> bool:
    """Whether the stream's encoding can write every character (else JSON goes out as ASCII)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-16", "utf-32", "utf-8-sig")
    except LookupError:
        return False


# Encodings that write each ASCII character as its one byte
_ASCII_AS_ITSELF = ("utf-8", "ascii", "iso8859-1", "cp1252")


class Output:
    """A text stream (stdout or stderr) whose failures are OutputErrors; Rich writes here too."""

    def __init__(self, name: str) -> None:
        self.name = name  # "stdout" or "stderr"
        self.words = {"stdout": "standard output", "stderr": "standard error"}[name]

    @property
    def stream(self) -> Any:
        return getattr(sys, self.name)

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        try:
            return bool(self.stream is not None and self.stream.isatty())
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        if self.stream is None:
            raise OSError(errno.EBADF, "closed")
        return int(self.stream.fileno())

    def write(self, text: str) -> int:
        stream = self.stream
        if stream is None:
            raise OutputError(f"cannot write to {self.words}: it is closed")
        try:
            return int(stream.write(text) or 0)
        except (OSError, ValueError) as exc:
            raise self._failed(exc) from None

    def write_ascii(self, data: bytes) -> None:
        """ASCII text given as bytes: straight into the stream's byte buffer where its encoding
        writes ASCII as itself (after what the text layer holds), decoded otherwise."""
        stream = self.stream
        buffer = getattr(stream, "buffer", None)
        if buffer is None or codecs.lookup(self.encoding).name not in _ASCII_AS_ITSELF:
            self.write(data.decode("ascii"))
            return
        try:
            stream.flush()
            buffer.write(data)
        except (OSError, ValueError) as exc:
            raise self._failed(exc) from None

    def flush(self) -> None:
        stream = self.stream
        if stream is None:
            return
        try:
            stream.flush()
        except (OSError, ValueError) as exc:
            raise self._failed(exc) from None

    def _failed(self, exc: Exception) -> OutputError:
        """The error, after pointing the descriptor at /dev/null: what is still buffered must
        not fail a second time when Python flushes it on the way out."""
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self.stream.fileno())
            os.close(null)
        except (OSError, ValueError, AttributeError):  # (not a real descriptor: a test's)
            pass
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            return OutputError(f"{self.words}: the reader of the pipe has gone", quiet=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return OutputError(f"cannot write to {self.words}: {reason}")


STDOUT = Output("stdout")
STDERR = Output("stderr")


def finish() -> None:
    """Flush standard output while a failure can still be reported (not at interpreter exit)."""
    STDOUT.flush()


# -- input ---------------------------------------------------------------------------------


def _too_long(what: str, limit: int) -> InputError:
    return InputError(f"{what} is longer than {limit:,} characters (the limit; raise it with "
                      "ADCLI_MAX_INPUT)", kind="size-limit")


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} is not UTF-8 text (byte {exc.start + 1})",
                         kind="bad-file") from None


def read_limited(handle: IO[Any], limit: int, what: str) -> str:
    """All of `handle`, if it holds at most `limit` characters (UTF-8, whatever the locale)."""
    binary = getattr(handle, "buffer", None)
    if binary is None and "b" not in getattr(handle, "mode", ""):
        text = handle.read(limit + 1)
        if len(text) > limit:
            raise _too_long(what, limit)
        return text
    # up to 4 bytes a character: more bytes than that cannot be `limit` characters
    data = (binary or handle).read(4 * limit + 1)
    if len(data) > 4 * limit:
        raise _too_long(what, limit)
    text = _decode(data, what)
    if len(text) > limit:
        raise _too_long(what, limit)
    return text


def stdin() -> IO[Any]:
    if sys.stdin is None:
        raise InputError("standard input is closed", kind="usage")
    return sys.stdin


def read_stdin(limit: int, what: str = "standard input") -> str:
    try:
        return read_limited(stdin(), limit, what)
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}", kind="bad-file") from None


def read_file(path: str, limit: int) -> str:
    from adcli.views.printable import printable

    if path == "-":
        return read_stdin(limit)
    shown = printable(path)
    try:
        if os.path.isdir(path):
            raise InputError(f"cannot read {shown}: it is a folder", kind="bad-file")
        with open(path, "rb") as handle:
            return read_limited(handle, limit, shown)
    except OSError as exc:
        raise InputError(f"cannot read {shown}: {exc.strerror}", kind="bad-file") from None


# Over-long lines of --each are skipped up to their end, but not forever (/dev/zero has none).
SKIP_CHUNK = 1 << 16
MAX_SKIP_CHUNKS = 1024


def lines(handle: IO[Any], limit: int) -> Iterator[tuple[int, str | None, AdcliError | None]]:
    """(number, text, None) for each line of --each, or (number, None, error) for a line that
    is too long or not UTF-8; after a line with no end in sight the batch stops."""
    binary = getattr(handle, "buffer", None) or (handle if "b" in getattr(handle, "mode", "")
                                                 else None)
    reader = binary if binary is not None else handle
    cap = 4 * limit + 2 if binary is not None else limit + 2
    number = 0
    while True:
        chunk = reader.readline(cap)
        if not chunk:
            return
        number += 1
        newline = b"\n" if binary is not None else "\n"
        if len(chunk) >= cap and not chunk.endswith(newline):
            error = _too_long(f"line {number}", limit)
            for _ in range(MAX_SKIP_CHUNKS):
                rest = reader.readline(SKIP_CHUNK)
                if not rest or rest.endswith(newline):
                    break
            else:
                error.message += "; it has no end in sight, so the batch stops here"
                yield number, None, error
                return
            yield number, None, error
            continue
        if binary is not None:
            try:
                text = chunk.decode("utf-8")
            except UnicodeDecodeError:
                yield number, None, InputError(f"line {number} is not UTF-8 text",
                                               kind="bad-at")
                continue
        else:
            text = chunk
        if len(text.rstrip("\n")) > limit:
            yield number, None, _too_long(f"line {number}", limit)
            continue
        yield number, text, None
