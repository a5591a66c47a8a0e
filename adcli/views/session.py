"""What the interactive session shows of its own: a formula's value at the prompt, its names
(`:vars`), and a value written back as the language (`:save`). The answers of the commands
(`grad`, `trace`, …) are shown by the commands' own views."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from adcli.calculations import Evaluation
from adcli.views import json_view
from adcli.views.numbers import format_array, shape_text
from adcli.views.text import notes

# C0 and C1 control characters other than a newline and a tab: a terminal would obey them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """User text safe to print: control characters as escapes (`\\x1b`), never obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def value(result: Evaluation, precision: int) -> RenderableType:
    """A formula typed at the prompt: its value and shape, the random draws it made, and where a
    nan or an inf first appeared."""
    shown = format_array(result.value, precision)
    if result.run.draws or "\n" in shown:  # the shapes in a column beside the first lines
        rows = Table.grid(padding=(0, 2))
        rows.add_column()
        rows.add_column(style="dim")
        for name, array in result.run.draws:
            rows.add_row(Text(f"{name} = {format_array(array, precision)}"), shape_text(array))
        rows.add_row(Text(shown), shape_text(result.value))
        parts: list[RenderableType] = [rows]
    else:  # one line: as the grid would print it, without a table to lay out (the usual case)
        parts = [Text.assemble(shown, "  ", (shape_text(result.value), "dim"))]
    if result.run.draws:
        parts.extend(notes(result.run))
    if result.origins:
        from adcli.views.diagnostics import findings

        parts.append(findings(result.origins, result.point.formula.source, precision))
    return Group(*parts)


@dataclass(frozen=True)
class Name:
    """One of the session's names, as `:vars` lists it."""

    name: str
    kind: str  # "value", "formula" or "def"
    array: np.ndarray | None = None  # a value's
    text: str | None = None  # a formula's or a def's source
    variables: tuple[str, ...] = ()  # the names a formula reads


def names(entries: Sequence[Name], precision: int) -> RenderableType:
    if not entries:
        return Text("no names yet: x = 0..5 makes one, :help shows more", style="dim")
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    for entry in entries:
        if entry.array is not None:
            table.add_row(Text(entry.name), shape_text(entry.array),
                          Text(format_array(entry.array, precision)))
        elif entry.kind == "formula":
            of = f"   (a formula of {', '.join(entry.variables)})" if entry.variables else ""
            table.add_row(Text(entry.name), "formula",
                          Text.assemble(visible(entry.text or ""), (of, "dim")))
        else:
            head = (entry.text or "").split("\n", 1)[0].rstrip(":")
            table.add_row(Text(entry.name), "def", Text(visible(head)))
    return table


def names_json(entries: Sequence[Name]) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for entry in entries:
        item: dict[str, Any] = {"name": entry.name, "kind": entry.kind}
        if entry.array is not None:
            item["shape"] = list(entry.array.shape)
            item["value"] = json_view.plain(entry.array)
        else:
            item["source"] = entry.text
        if entry.kind == "formula":
            item["variables"] = list(entry.variables)
        out.append(item)
    return {"command": ":vars", "names": out}


def literal(array: np.ndarray) -> str:
    """A value written in the formula language, so that reading it back gives the same numbers
    (`[[1, 2], [3, 4]]`, `[nan, -inf, 0.1]`; a comparison's booleans as `[1, 0] > 0`)."""
    array = np.asarray(array)
    if array.dtype.kind == "b":
        return f"{literal(array.astype(np.float64))} > 0"
    if array.size == 0:
        return f"zeros({', '.join(str(n) for n in array.shape)})"
    text = str if array.dtype == np.float32 else repr  # each one's shortest exact form

    def number(v: Any) -> str:
        v = float(v)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if v == 0:
            return "-0.0" if math.copysign(1.0, v) < 0 else "0"
        if v.is_integer() and abs(v) < 1e16:
            return str(int(v))
        return text(array.dtype.type(v)) if array.dtype == np.float32 else text(v)

    def nested(item: Any) -> str:
        if isinstance(item, list):
            return "[" + ", ".join(nested(i) for i in item) + "]"
        return number(item)

    return nested(array.tolist())
