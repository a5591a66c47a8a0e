"""Where a nan or an inf first appeared: torch's anomaly mode, pointing at the formula instead
of at a Python stack."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from adcli.language.tape import NonFinite, Tape
from adcli.views.numbers import format_array
from adcli.views.printable import printable
from adcli.views.text import caret_lines


def _index(index: tuple[int, ...]) -> str:
    return f"[{', '.join(map(str, index))}]" if index else ""


def _operands(operands: list[tuple[str, Any]], precision: int) -> str:
    shown = [f"{text} = {format_array(value, precision)}" for text, value in operands
             if value is not None]
    return ", ".join(shown)


def sentence(tape: Tape, finding: NonFinite, precision: int) -> str:
    return printable(_sentence(tape, finding, precision))


def _sentence(tape: Tape, finding: NonFinite, precision: int) -> str:
    node = tape.node(finding.node)
    at = _index(finding.index)
    if finding.direction == "forward":
        made_from = _operands(finding.operands, precision)
        return (f"{finding.kind} first appears in the forward pass: #{node.number} "
                f"`{node.text or node.op}`{at} is {finding.kind}"
                + (f", the {node.op} of {made_from}" if made_from else ""))
    target = tape.node(finding.target) if finding.target is not None else None
    to = f" to #{target.number} `{target.title}`" if target is not None else ""
    return (f"{finding.kind} first appears in the backward pass: #{node.number} "
            f"`{node.text or node.op}` ({node.op}) sends {finding.kind}{to}{at}, from "
            f"{_operands(finding.operands, precision)}")


def findings(tape: Tape, precision: int) -> RenderableType:
    parts: list[RenderableType] = []
    for finding in tape.findings:
        parts.append(Text(sentence(tape, finding, precision), style="yellow"))
        node = tape.node(finding.node)
        if node.span is not None:
            parts.extend(caret_lines(tape.formula.source, *node.span, style="yellow"))
    return Group(*parts)
