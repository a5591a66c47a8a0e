"""`adcli trace`: the tape step by step — the forward pass in the order it ran, then the
backward pass in reverse: the adjoint arriving at each node, the local derivative rule, and
what it sends to each input, with the sum shown where two contributions meet."""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from adcli.calculations.tape import Tape
from adcli.views import json_view
from adcli.views.graph import tape_json
from adcli.views.numbers import Precision, format_array
from adcli.views.printable import printable

WIDE = 10_000  # arrays on one line: a trace is read row by row


def _value(value: np.ndarray, precision: Precision) -> str:
    return " ".join(format_array(value, precision, width=WIDE).split())


def _inputs(tape: Tape, numbers: list[int]) -> str:
    if not numbers:
        return ""
    return ", ".join(f"#{n}" for n in numbers)


def trace(tape: Tape, precision: Precision) -> RenderableType:
    forward = Table(title="forward pass", title_justify="left", box=None, padding=(0, 2),
                    header_style="bold")
    for column in ("step", "node", "op", "inputs", "value"):
        forward.add_column(column, no_wrap=column != "value")
    for step, node in enumerate(tape.nodes, start=1):
        what = node.name if node.kind == "variable" else node.text
        # Every cell is Text: a value such as `[inf, 1.0]` would be read as Rich markup.
        forward.add_row(Text(str(step)), Text(f"#{node.number} {printable(what or '')}"),
                        Text(node.op),
                        Text(_inputs(tape, node.inputs)), Text(_value(node.value, precision)))
    parts: list[RenderableType] = [forward, Text("")]
    if not tape.steps:
        parts.append(Text("backward pass: nothing to do (no variable reaches the output)"))
        return Group(*parts)
    output = tape.node(tape.output)
    seed = "ones" if output.value.size > 1 else "1"
    parts.append(Text(f"backward pass (the adjoint of the output #{output.number} starts as {seed})",
                      style="bold"))
    for step in tape.steps:
        node = tape.node(step.node)
        parts.append(Text.assemble(
            (f"#{node.number} {node.op}", "cyan"), f"  {printable(node.text)}  ",
            ("adjoint g = ", "magenta"), _value(step.adjoint, precision)))
        for c in step.contributions:
            target = tape.node(c.target)
            line = Text("    " + printable(c.rule + (f"   ({c.note})" if c.note else "")))
            line.append(f"  → #{target.number} {printable(target.title)}: ")
            line.append(_value(c.value, precision), style="magenta")
            parts.append(line)
            if c.total is not None:
                parts.append(Text(f"      meets an earlier contribution: #{target.number} now "
                                  f"holds {_value(c.total, precision)}", style="yellow"))
    gradient = tape.gradient or {}
    parts.append(Text(""))
    for name, value in gradient.items():
        parts.append(Text.assemble(("gradient ", "bold"), f"∂f/∂{name} = ",
                                   _value(value, precision)))
    return Group(*parts)


def trace_json(tape: Tape) -> dict[str, Any]:
    document = tape_json("trace", tape)
    document["forward"] = [
        {"step": i, "node": n.number, "op": n.op, "kind": n.kind, "name": n.name, "text": n.text,
         "inputs": n.inputs, "value": json_view.plain(n.value)}
        for i, n in enumerate(tape.nodes, start=1)
    ]
    document["backward"] = [
        {"node": s.node, "op": tape.node(s.node).op, "text": tape.node(s.node).text,
         "adjoint": json_view.plain(s.adjoint),
         "contributions": [{"to": c.target, "rule": c.rule, "note": c.note or None,
                            "value": json_view.plain(c.value),
                            "total": None if c.total is None else json_view.plain(c.total)}
                           for c in s.contributions]}
        for s in tape.steps
    ]
    document["nonfinite"] = json_view.origins(tape.origins)
    return document
