"""Derivatives at each point and along directions, for people and for scripts: `grad --order N`
(f′, f″, … at each point), `--tangent` (J·v) and `--cotangent` (gᵀJ), and the tables of
`--table` and `--csv` (one row per point: the variables, f, f′, f″, …)."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterator, Sequence

import numpy as np
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.table import Table
from rich.text import Text

from adcli.calculations import Derivatives, Directional, Point
from adcli.views import json_view
from adcli.views.json_view import plain
from adcli.views.numbers import Precision, all_whole, format_number, shortest
from adcli.views.text import add_row, grid, header, notes

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def label(name: str, order: int) -> str:
    """∂f/∂x, ∂²f/∂x², ∂³f/∂x³, … (f itself for order 0)."""
    if order == 0:
        return "f"
    power = str(order).translate(_SUPERSCRIPTS) if order > 1 else ""
    return f"∂{power}f/∂{name}{power}"


def ascii_label(name: str, order: int) -> str:
    """The same for a CSV header, in plain ASCII: df/dx, d2f/dx2."""
    if order == 0:
        return "f"
    power = str(order) if order > 1 else ""
    return f"d{power}f/d{name}{power}"


# -- grad --order N ----------------------------------------------------------------------------


def derivatives(result: Derivatives, precision: Precision) -> RenderableType:
    rows = grid(result.point, result.value, result.run, precision)
    for k, derivative in enumerate(result.derivatives, start=1):
        add_row(rows, label(result.variable, k), derivative, precision)
    parts: list[RenderableType] = [header(result.point), rows, *notes(result.run)]
    if result.value.size > 1:
        parts.append(Text(
            f"At each point: the derivatives of f[i] along {result.variable}[i] (f is "
            f"element-wise in {result.variable}), by nested reverse mode.", style="dim"))
    return Group(*parts)


def derivatives_json(command: str, result: Derivatives) -> dict[str, Any]:
    document = json_view.answer(command, result.point, result.value, result.run)
    document["wrt"] = result.variable
    document["order"] = result.order
    document["derivatives"] = [plain(d) for d in result.derivatives]
    return document


# -- --tangent and --cotangent -----------------------------------------------------------------


def directional(result: Directional, precision: Precision) -> RenderableType:
    rows = grid(result.point, result.value, result.run, precision)
    for name, tangent in result.tangent.items():
        add_row(rows, f"tangent {name}" if len(result.tangent) > 1 else "tangent", tangent,
                precision)
    add_row(rows, "J·v", result.derivative, precision)
    return Group(header(result.point), rows, *notes(result.run), Text(
        "J·v: the derivative of f along v, by forward mode in 1 forward pass, like "
        "torch.func.jvp.", style="dim"))


def directional_json(command: str, result: Directional) -> dict[str, Any]:
    document = json_view.answer(command, result.point, result.value, result.run, "forward")
    document["tangent"] = {name: plain(t) for name, t in result.tangent.items()}
    document["jvp"] = plain(result.derivative)
    return document


# -- --table and --csv -------------------------------------------------------------------------


def columns(point: Point, value: np.ndarray, variable: str | None,
            found: Sequence[np.ndarray]) -> list[tuple[str, str, np.ndarray]]:
    """(text label, CSV label, values) per column: each variable that has f's shape (it changes
    from row to row), f, then each derivative."""
    out = [(name, name, array) for name, array in point.at.items()
           if array.shape == value.shape and array.size]
    out.append(("f", "f", value))
    for k, derivative in enumerate(found, start=1):
        assert variable is not None
        out.append((label(variable, k), ascii_label(variable, k), derivative))
    return out


def table(point: Point, value: np.ndarray, variable: str | None, found: Sequence[np.ndarray],
          precision: Precision) -> RenderableType:
    """One row per point, what a student fills in by hand; the variables that do not change
    from row to row are said above it."""
    shown = columns(point, value, variable, found)
    flat = [np.ravel(array) for _, _, array in shown]
    # each column decides as a printed row does: whole numbers whole only where all of it is
    cells = [[format_number(column[i], precision, whole) for i in range(value.size)]
             for column in flat for whole in [all_whole(column, threshold=column.size)]]
    held = [Text(f"{name} = {format_number(array.reshape(-1)[0], precision)}" if array.size == 1
                 else f"{name}: shape {'×'.join(map(str, array.shape))}", style="dim")
            for name, array in point.at.items() if array.shape != value.shape]
    return Group(header(point), *held, Rows([title for title, _, _ in shown], cells))


class Rows:
    """The table, its columns right-aligned; where they do not all fit the width, in several
    tables of as many columns as fit, each beginning with the first column again (a number is
    never cut across lines)."""

    GAP = 2

    def __init__(self, titles: list[str], cells: list[list[str]]) -> None:
        self.titles, self.cells = titles, cells
        self.widths = [max([len(title), *map(len, column)]) for title, column in zip(titles, cells)]

    def groups(self, width: int) -> list[list[int]]:
        """Column indices of each table: the first column, then as many others as fit."""
        found: list[list[int]] = []
        for k in range(1, len(self.titles)):
            used = sum(self.widths[i] + self.GAP for i in found[-1]) if found else 0
            if not found or used + self.widths[k] > width:
                found.append([0])
            found[-1].append(k)
        return found or [[0]]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        for n, group in enumerate(self.groups(options.max_width)):
            if n:
                yield Text("")
            grid = Table(box=None, padding=(0, self.GAP, 0, 0), pad_edge=False,
                         show_header=True, header_style="bold", collapse_padding=True)
            for i in group:
                grid.add_column(self.titles[i], justify="right", no_wrap=True)
            for row in range(len(self.cells[0]) if self.cells else 0):
                grid.add_row(*(self.cells[i][row] for i in group))
            yield grid


def csv_text(point: Point, value: np.ndarray, variable: str | None,
             found: Sequence[np.ndarray]) -> str:
    """The same table as CSV, every number in full (the shortest text that reads back to it):
    for spreadsheets and pandas, which read nan, inf and -inf as they are written here."""
    shown = columns(point, value, variable, found)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([title for _, title, _ in shown])
    flat = [np.ravel(array) for _, _, array in shown]
    for i in range(value.size):
        writer.writerow([shortest(column[i]) for column in flat])
    return out.getvalue()
