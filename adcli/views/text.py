"""Rich renderings for people. User text always enters as `Text`, never as markup: `x[i]` is
markup to Rich."""

from __future__ import annotations

from typing import Any, Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from adcli.errors import AdcliError
from adcli.views.numbers import format_array, shape_text

CONTEXT = 60  # characters of a long formula shown either side of an error


def _signature(calc: Any) -> str:
    variables = ", ".join(calc.formula.variables)
    return f"f({variables})" if variables else "f"


def _header(calc: Any) -> Text:
    if calc.formula.is_program:
        name = "standard input" if calc.formula.name in (None, "-") else calc.formula.name
        return Text.assemble((_signature(calc) + " = ", "bold"), f"the program in {name}")
    return Text.assemble((_signature(calc) + " = ", "bold"), calc.formula.source)


def calculation(calc: Any, precision: int) -> RenderableType:
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="bold cyan", no_wrap=True)
    rows.add_column()
    rows.add_column(style="dim")
    session = calc.session
    for name, value in [*calc.at.items(), *session.draws.items()]:
        rows.add_row(Text(f"{name} ="), Text(format_array(value, precision)), shape_text(value))
    rows.add_row(Text("value"), Text(format_array(calc.value, precision)), shape_text(calc.value))
    if calc.gradient is not None:
        for name, gradient in calc.gradient.items():
            rows.add_row(Text(f"∂f/∂{name}"), Text(format_array(gradient, precision)),
                         shape_text(gradient))
    parts: list[RenderableType] = [_header(calc), rows]
    if session.seed is not None:
        parts.append(Text(f"random draws from seed {session.seed} (--seed {session.seed} "
                          "repeats them)", style="dim"))
    parts.extend(path(session))
    if calc.gradient is not None and calc.cotangent == "ones":
        parts.append(Text(
            f"f has {calc.value.size} elements: this is the gradient of sum(f), "
            "like torch's f.backward(torch.ones_like(f)).",
            style="yellow",
        ))
    return Group(*parts)


def path(session: Any) -> list[Text]:
    """What a program did: the branches taken (and not), how often each loop ran."""
    if not session.notes:
        return []
    return [Text("the path that ran:", style="bold"), *(Text(f"  {n}") for n in session.notes)]


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
    """The line of `source` holding the span, and a row of carets under the span."""
    shown, lo, hi, line_number = _window(source, start, end)
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    where = f"line {line_number}, column {column}: " if "\n" in source else ""
    return [Text("  " + where + shown),
            Text("  " + " " * (len(where) + lo) + "^" * max(hi - lo, 1), style=style)]


def error(err: AdcliError) -> RenderableType:
    lines: list[RenderableType] = [Text.assemble(("error: ", "bold red"), err.message)]
    if err.source is not None and err.start is not None:
        lines.extend(caret_lines(err.source, err.start, err.end or err.start))
    if err.hint:
        lines.append(Text.assemble(("  hint: ", "bold"), err.hint))
    return Group(*lines)


def functions(table: Any) -> RenderableType:
    notes = [Text(f"{name} is another name for {target}.") for name, target in table.aliases]
    return Group(_function_table(table.functions), Text(""), _operator_table(table.operators),
                 *notes)


def _function_table(rows: Iterable[Any]) -> RenderableType:
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("function", style="cyan", no_wrap=True)
    table.add_column("what it computes", overflow="fold")
    table.add_column("derivative rule", no_wrap=True)
    for row in rows:
        table.add_row(Text(row.signature), Text(row.doc), Text(_rule(row)))
    return table


RULE_WIDTH = 56  # a longer rule gets a line per input


def _rule(row: Any) -> str:
    if len(row.rule) <= RULE_WIDTH:
        return row.rule
    return "\n".join(", ".join(row.parts[i:i + 1]) for i in range(len(row.parts)))


def _operator_table(rows: Iterable[Any]) -> RenderableType:
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("operator", style="cyan", no_wrap=True)
    table.add_column("derivative rule")
    for row in rows:
        table.add_row(Text(row.signature), Text(_rule(row)))
    return table
