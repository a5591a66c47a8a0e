"""Rich renderings for people. User text always enters as `Text`, never as markup: `x[i]` is
markup to Rich."""

from __future__ import annotations

from typing import Iterable

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from adcli.calculations import Evaluation, Gradient, Point, Run
from adcli.calculations.functions import FunctionRow, FunctionTable
from adcli.views.numbers import format_array, shape_text


def _signature(point: Point) -> str:
    variables = ", ".join(point.formula.variables)
    return f"f({variables})" if variables else "f"


def header(point: Point) -> Text:
    """`f(x, y) = the formula` (or `the program in FILE`)."""
    if point.formula.is_program:
        name = "standard input" if point.formula.name in (None, "-") else point.formula.name
        return Text.assemble((_signature(point) + " = ", "bold"), f"the program in {name}")
    return Text.assemble((_signature(point) + " = ", "bold"), point.formula.source)


def grid(point: Point, value: np.ndarray, run: Run, precision: int) -> Table:
    """The variables, the random draws and the value, in a grid that more rows can join."""
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="bold cyan", no_wrap=True)
    rows.add_column()
    rows.add_column(style="dim")
    for name, array in [*point.at.items(), *run.draws]:
        add_row(rows, f"{name} =", array, precision)
    add_row(rows, "value", value, precision)
    return rows


def add_row(rows: Table, label: str, value: np.ndarray, precision: int) -> None:
    rows.add_row(Text(label), Text(format_array(value, precision)), shape_text(value))


def notes(run: Run) -> list[Text]:
    """Under every answer: the seed of random draws, and the path a program took."""
    seed = [Text(f"random draws from seed {run.seed} (--seed {run.seed} repeats them)",
                 style="dim")] if run.seed is not None else []
    return seed + path(run)


def calculation(result: Evaluation | Gradient, precision: int) -> RenderableType:
    """`eval` and `grad`: the point, the value, the gradient, and what to know about them."""
    rows = grid(result.point, result.value, result.run, precision)
    parts: list[RenderableType] = [header(result.point), rows]
    if isinstance(result, Gradient):
        for name, gradient in result.gradient.items():
            add_row(rows, f"∂f/∂{name}", gradient, precision)
    parts.extend(notes(result.run))
    if isinstance(result, Gradient) and result.cotangent == "ones":
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
    return [Text("the path that ran:", style="bold"), *(Text(f"  {n}") for n in run.path)]


def functions(table: FunctionTable) -> RenderableType:
    notes = [Text(f"{name} is another name for {target}.") for name, target in table.aliases]
    return Group(_function_table(table.functions), Text(""), _operator_table(table.operators),
                 *notes)


def _function_table(rows: Iterable[FunctionRow]) -> RenderableType:
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("function", style="cyan", no_wrap=True)
    table.add_column("what it computes", overflow="fold")
    table.add_column("derivative rule", no_wrap=True)
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

