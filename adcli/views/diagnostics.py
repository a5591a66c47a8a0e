"""Where a nan or an inf first appeared, in words and with a caret under the sub-expression.

By default one finding per pass — the first nan or inf of the forward pass, and the first of
the backward pass — which is where to look; `--explain` shows where each kind (nan, inf, -inf)
first appeared in each pass.
"""

from __future__ import annotations

from typing import Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from adcli.calculations import Origin
from adcli.calculations.nonfinite import Scalar
from adcli.views.errors import caret_lines
from adcli.views.numbers import Precision, format_array
from adcli.views.printable import printable

# How the primitives behind the language's operators are written, to show what was computed
# (`1 / 0`, `-inf · 0`) instead of naming the primitive.
INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "^", "dot": "·", "matmul": "@"}


def _index(index: tuple[int, ...]) -> str:
    return f"[{', '.join(map(str, index))}]" if index else ""


def _number(value: Scalar, precision: Precision) -> str:
    return format_array(value, precision)


def computed(origin: Origin, precision: Precision) -> str:
    """The operation at the bad element, with the operands' values: `log(0)`, `1 / 0`."""
    values = [v for _, v in origin.operands if v is not None]
    if len(values) != len(origin.operands):
        return ""
    shown = [_number(v, precision) for v in values]
    if origin.op in INFIX and len(shown) == 2:
        return f"{shown[0]} {INFIX[origin.op]} {shown[1]}"
    if origin.op == "neg" and len(shown) == 1:
        return f"-({shown[0]})"
    return f"{origin.op}({', '.join(shown)})"


def sentence(origin: Origin, precision: Precision, numbered: bool = False) -> str:
    """One line: where, which element, and from what (`numbered`: with the node numbers that
    `graph` and `trace` show); the formula's text in it with control characters escaped."""
    return printable(_sentence(origin, precision, numbered))


def _sentence(origin: Origin, precision: Precision, numbered: bool) -> str:
    where = f"`{origin.text or origin.op}`{_index(origin.index)}"
    if numbered:
        where = f"#{origin.node} {where}"
    if origin.direction == "forward":
        made = computed(origin, precision)
        return (f"{origin.kind} first appears in the forward pass: {where} = "
                + (f"{made} = {origin.kind}" if made else origin.kind))
    adjoint, *inputs = origin.operands
    # a constant operand (`1` in `1/x`) says nothing its text does not
    given = [f"{text} = {_number(v, precision)}" for text, v in inputs
             if v is not None and text != _number(v, precision)]
    if adjoint[1] is not None:
        given.insert(0, f"adjoint {_number(adjoint[1], precision)}")
    to = f" to `{origin.target_title}`" if origin.target_title else ""
    if numbered and origin.target is not None:
        to = f" to #{origin.target} `{origin.target_title}`"
    return (f"{origin.kind} first appears in the backward pass: {origin.op}'s rule at {where} "
            f"sends {origin.kind}{to}" + (f" ({', '.join(given)})" if given else ""))


def first_per_pass(origins: Sequence[Origin]) -> list[Origin]:
    """The first finding of each pass (origins come in the order each pass met them)."""
    first: dict[str, Origin] = {}
    for origin in origins:
        first.setdefault(origin.direction, origin)
    return list(first.values())


def findings(origins: Sequence[Origin], source: str, precision: Precision,
             every: bool = False, numbered: bool = False) -> RenderableType:
    """The findings with carets: every kind in each pass with `every`, else the first per pass
    and a word on how to see the rest."""
    shown = list(origins) if every else first_per_pass(origins)
    parts: list[RenderableType] = []
    for origin in shown:
        parts.append(Text(sentence(origin, precision, numbered), style="yellow"))
        if origin.span is not None:
            parts.extend(caret_lines(source, *origin.span, style="yellow"))
    if len(shown) < len(origins):
        parts.append(Text(f"(--explain shows all {len(origins)}: where each kind of nan and inf "
                          "first appeared in each pass)", style="dim"))
    return Group(*parts)
