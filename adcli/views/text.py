"""Rich renderings for people. User text always enters as `Text`, never as markup: `x[i]` is
markup to Rich."""

from __future__ import annotations

from typing import Any, Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from adcli.ops.registry import rule_line
from adcli.views.errors import caret_lines, error  # noqa: F401  (error messages are views too)
from adcli.views.numbers import format_array, shape_text
from adcli.views.printable import printable

def _signature(calc: Any) -> str:
    variables = ", ".join(calc.formula.variables)
    return f"f({variables})" if variables else "f"


def _header(calc: Any) -> Text:
    if calc.formula.is_program:
        name = "standard input" if calc.formula.name in (None, "-") else calc.formula.name
        return Text.assemble((_signature(calc) + " = ", "bold"),
                             f"the program in {printable(name)}")
    return Text.assemble((_signature(calc) + " = ", "bold"), printable(calc.formula.source))


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
    return [Text("the path that ran:", style="bold"),
            *(Text(f"  {printable(n)}") for n in session.notes)]


def functions(entries: Iterable[Any], aliases: dict[str, str], operators: Iterable[Any]) -> RenderableType:
    notes = [Text(f"{name} is another name for {target}.") for name, target in aliases.items()]
    return Group(_function_table(entries), Text(""), _operator_table(operators), *notes)


def _function_table(entries: Iterable[Any]) -> RenderableType:
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("function", style="cyan", no_wrap=True)
    table.add_column("what it computes", overflow="fold")
    table.add_column("derivative rule", no_wrap=True)
    for entry in entries:
        table.add_row(Text(entry.signature), Text(entry.doc), Text(rule_line(entry)))
    return table


def _operator_table(primitives: Iterable[Any]) -> RenderableType:
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("operator", style="cyan", no_wrap=True)
    table.add_column("derivative rule")
    for prim in primitives:
        table.add_row(Text(prim.doc), Text(rule_line(prim)))
    return table
