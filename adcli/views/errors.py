"""Error messages for people: the message, the line of the formula with carets under the part
it is about, and a hint. Imports only Rich (no numpy), so that a mistake in the options is
reported as fast as `--help` starts, and an error can be reported even when it happened while
numpy was still loading (Ctrl-C at the start)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from adcli.errors import AdcliError
from adcli.views.printable import printable

CONTEXT = 60  # characters of a long formula shown either side of an error


def _window(source: str, start: int, end: int) -> tuple[str, int, int, int]:
    """The line of `source` holding `start`, cut to fit a terminal; returns the line, the caret
    columns and the line number."""
    line_start = source.rfind("\n", 0, start) + 1
    line_end = source.find("\n", start)
    line_end = len(source) if line_end == -1 else line_end
    line = source[line_start:line_end]
    lo, hi = start - line_start, max(min(end, line_end) - line_start, start - line_start + 1)
    cut = max(0, lo - CONTEXT)
    shown = line[cut : lo + CONTEXT + max(hi - lo, 1)]
    prefix = "…" if cut else ""
    suffix = "…" if cut + len(shown) < len(line) else ""
    return (prefix + shown + suffix, lo - cut + len(prefix),
            min(hi, cut + len(shown)) - cut + len(prefix), source.count("\n", 0, start) + 1)


def caret_lines(source: str, start: int, end: int, style: str = "bold red") -> list[Text]:
    """The line of `source` holding the span, and a row of carets under the span (control
    characters escaped, the carets still under what they mark)."""
    shown, lo, hi, line_number = _window(source, start, end)
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    where = f"line {line_number}, column {column}: " if "\n" in source else ""
    before, marked, after = printable(shown[:lo]), printable(shown[lo:hi]), printable(shown[hi:])
    return [Text("  " + where + before + marked + after),
            Text("  " + " " * (len(where) + len(before)) + "^" * max(len(marked), 1),
                 style=style)]


def error(err: AdcliError) -> RenderableType:
    lines: list[RenderableType] = [
        Text.assemble(("error: ", "bold red"), printable(err.message, newlines=True))]
    if err.source is not None and err.start is not None:
        lines.extend(caret_lines(err.source, err.start, err.end or err.start))
    if err.hint:
        lines.append(Text.assemble(("  hint: ", "bold"), printable(err.hint, newlines=True)))
    return Group(*lines)
