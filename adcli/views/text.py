"""Rich renderings for people. User text always enters as `Text`, never as markup: `x[i]` is
markup to Rich."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

import numpy as np
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from adcli.calculations import Evaluation, Gradient, Point, Run
from adcli.calculations.functions import FunctionRow, FunctionTable
from adcli.views.numbers import Precision, format_array, shape_text
from adcli.views.printable import printable


def _signature(point: Point) -> str:
    variables = ", ".join(point.formula.variables)
    return f"f({variables})" if variables else "f"


def header(point: Point) -> Text:
    """`f(x, y) = the formula` (or `the program in FILE`)."""
    if point.formula.is_program:
        name = "standard input" if point.formula.name in (None, "-") else point.formula.name
        return Text.assemble((_signature(point) + " = ", "bold"),
                             f"the program in {printable(name)}")
    return Text.assemble((_signature(point) + " = ", "bold"), printable(point.formula.source))


def grid(point: Point, value: np.ndarray, run: Run, precision: Precision) -> Table:
    """The variables, the random draws and the value, in a grid that more rows can join."""
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="bold cyan", no_wrap=True)
    rows.add_column()
    rows.add_column(style="dim")
    for name, array in [*point.at.items(), *run.draws]:
        add_row(rows, f"{name} =", array, precision)
    add_row(rows, "value", value, precision)
    return rows


def add_row(rows: Table, label: str, value: np.ndarray, precision: Precision) -> None:
    rows.add_row(Text(label), ArrayText(value, precision), shape_text(value))


class ArrayText:
    """An array's text, its lines wrapped at the width its column is given (at 40, 80 or 200
    columns alike), between its elements, never inside a number."""

    def __init__(self, value: np.ndarray, precision: Precision, style: str = "") -> None:
        self.value, self.precision, self.style = value, precision, style
        self._text = lru_cache(maxsize=4)(self._format)

    def _format(self, width: int) -> str:
        return format_array(self.value, self.precision, width=width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max(len(line) for line in self._text(options.max_width).splitlines())
        one_line = max(len(line) for line in self._text(1_000_000).splitlines())
        # the narrowest it can go: about two numbers a line
        return Measurement(min(widest, 24), one_line)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield Text(self._text(options.max_width), style=self.style)


def notes(run: Run) -> list[Text]:
    """Under every answer: the seed of random draws, and the path a program took."""
    seed = [Text(f"random draws from seed {run.seed} (--seed {run.seed} repeats them)",
                 style="dim")] if run.seed is not None else []
    return seed + path(run)


def calculation(result: Evaluation | Gradient, precision: Precision) -> RenderableType:
    """`eval` and `grad`: the point, the value, the gradient, and what to know about them."""
    rows = grid(result.point, result.value, result.run, precision)
    parts: list[RenderableType] = [header(result.point), rows]
    if isinstance(result, Gradient):
        given = result.given
        if given is not None:
            add_row(rows, "cotangent", given, precision)
        for name, gradient in result.gradient.items():
            add_row(rows, f"∂f/∂{name}" if given is None else f"gᵀ∂f/∂{name}", gradient,
                    precision)
    parts.extend(notes(result.run))
    if isinstance(result, Gradient) and result.given is not None:
        parts.append(Text("gᵀJ: the gradient of g·f for the cotangent g given with --cotangent, "
                          "like torch's f.backward(g).", style="yellow"))
    elif isinstance(result, Gradient) and result.cotangent == "ones":
        parts.append(Text(
            f"f has {result.value.size} elements: this is the gradient of sum(f), "
            "like torch's f.backward(torch.ones_like(f)).",
            style="yellow",
        ))
    return Group(*parts)


def path(run: Run) -> list[Text]:
    """What a program did: the branches taken (and not), how often each loop ran."""
    if not run.path:
        return []
    return [Text("the path that ran:", style="bold"),
            *(Text(f"  {printable(n)}") for n in run.path)]


def functions(table: FunctionTable) -> RenderableType:
    notes = [Text(f"{name} is another name for {target}.") for name, target in table.aliases]
    return Group(_function_table(table.functions), Text(""), _operator_table(table.operators),
                 *notes)


def _function_table(rows: Iterable[FunctionRow]) -> RenderableType:
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("function", style="cyan", no_wrap=True)
    table.add_column("what it computes", overflow="fold", min_width=24, max_width=36)
    table.add_column("derivative rule", overflow="fold")
    for row in rows:
        table.add_row(Text(row.signature), Text(row.doc), Text(_rule(row)))
    return table


RULE_WIDTH = 56  # a longer rule gets a line per input


def _rule(row: FunctionRow) -> str:
    return row.rule if len(row.rule) <= RULE_WIDTH else "\n".join(row.parts)


def _operator_table(rows: Iterable[FunctionRow]) -> RenderableType:
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("operator", style="cyan", no_wrap=True)
    table.add_column("derivative rule")
    for row in rows:
        table.add_row(Text(row.signature), Text(_rule(row)))
    return table

