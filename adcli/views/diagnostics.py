"""Where a nan or an inf first appeared, in words and with a caret under the sub-expression."""

from __future__ import annotations

from typing import Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from adcli.calculations import Origin
from adcli.calculations.nonfinite import Scalar
from adcli.views.errors import caret_lines
from adcli.views.numbers import format_array


def _index(index: tuple[int, ...]) -> str:
    return f"[{', '.join(map(str, index))}]" if index else ""


def _operands(operands: Sequence[tuple[str, Scalar]], precision: int) -> str:
    shown = [f"{text} = {format_array(value, precision)}" for text, value in operands
             if value is not None]
    return ", ".join(shown)


def sentence(origin: Origin, precision: int) -> str:
    at = _index(origin.index)
    if origin.direction == "forward":
        made_from = _operands(origin.operands, precision)
        return (f"{origin.kind} first appears in the forward pass: #{origin.node} "
                f"`{origin.text or origin.op}`{at} is {origin.kind}"
                + (f", the {origin.op} of {made_from}" if made_from else ""))
    to = f" to #{origin.target} `{origin.target_title}`" if origin.target is not None else ""
    return (f"{origin.kind} first appears in the backward pass: #{origin.node} "
            f"`{origin.text or origin.op}` ({origin.op}) sends {origin.kind}{to}{at}, from "
            f"{_operands(origin.operands, precision)}")


def findings(origins: Sequence[Origin], source: str, precision: int) -> RenderableType:
    parts: list[RenderableType] = []
    for origin in origins:
        parts.append(Text(sentence(origin, precision), style="yellow"))
        if origin.span is not None:
            parts.extend(caret_lines(source, *origin.span, style="yellow"))
    return Group(*parts)
