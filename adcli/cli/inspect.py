"""`adcli graph` and `adcli trace`: the tape made visible."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from adcli.cli import files
from adcli.cli.app import console, emit, write
from adcli.cli.options import Common, Explain, Strict, Wrt, formula_command, wrt_names
from adcli.cli.values import refuse_non_finite
from adcli.errors import InputError
from adcli.views.printable import printable

if TYPE_CHECKING:
    from adcli.calculations import Tape
    from adcli.views.numbers import Precision


class GraphFormat(str, Enum):
    tree = "tree"
    dot = "dot"
    mermaid = "mermaid"
    json = "json"


FormatOption = Annotated[GraphFormat, typer.Option(
    "--format", help="tree (terminal), dot (Graphviz), mermaid or json.")]
Output = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write to a file: .svg/.png/.pdf are drawn by Graphviz's `dot`; "
    ".dot/.mmd/.json are written as text.")]

RENDERED = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
TEXT_SUFFIXES = {".dot": GraphFormat.dot, ".gv": GraphFormat.dot, ".mmd": GraphFormat.mermaid,
                 ".json": GraphFormat.json}


def _tape(common: Common, wrt: Optional[str], strict: bool) -> Tape:
    from adcli import calculations

    tape = calculations.record(common.point(), wrt_names(wrt))
    if strict:
        refuse_non_finite(tape.origins, tape.point,
                          [tape.value, *(tape.gradient or {}).values()])
    return tape


@formula_command("graph")
def graph_command(common: Common, wrt: Wrt = None, format: FormatOption = GraphFormat.tree,
                  output: Output = None, strict: Strict = False, explain: Explain = False) -> None:
    """The computational graph after the forward and backward pass: each node's op, source
    text, shape, value and gradient."""
    from adcli.views import graph

    if output is not None:
        _check_output(output)  # before the computation, not after
    tape = _tape(common, wrt, strict)
    if common.json:
        format = GraphFormat.json
    if output is not None:
        _write(tape, output, format, common.precision)
    elif format is GraphFormat.json:
        emit(graph.graph_json(tape))
    elif format is GraphFormat.dot:
        write(graph.dot(tape, common.precision))
    elif format is GraphFormat.mermaid:
        write(graph.mermaid(tape, common.precision))
    else:
        out = console()
        out.print(graph.tree(tape, common.precision, out.width))
        _path_and_origins(tape, common.precision, explain)


@formula_command("trace")
def trace_command(common: Common, wrt: Wrt = None, strict: Strict = False,
                  explain: Explain = False) -> None:
    """The tape step by step: the forward pass, then the backward pass with each local
    derivative and what it sends to each input."""
    from adcli.views import trace

    tape = _tape(common, wrt, strict)
    if common.json:
        emit(trace.trace_json(tape))
    else:
        console().print(trace.trace(tape, common.precision))
        _path_and_origins(tape, common.precision, explain)


def _path_and_origins(tape: Tape, precision: Precision, explain: bool) -> None:
    """After the graph or trace: the path a program took, and where a nan or inf appeared."""
    from adcli.views.text import path

    for line in path(tape.run):
        console().print(line)
    if tape.origins:
        from adcli.views import diagnostics

        console().print(diagnostics.findings(tape.origins, tape.point.formula.source, precision,
                                             every=explain, numbered=True))


def _check_output(path: Path) -> None:
    files.check_target(path)
    if path.suffix.lower() not in RENDERED and path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(f"--output {printable(str(path))}: use .svg, .png or .pdf (drawn by "
                         "Graphviz), or .dot, .mmd or .json (text)", kind="bad-option")


def _write(tape: Tape, path: Path, format: GraphFormat, precision: Precision) -> None:
    from adcli.views import graph

    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        chosen = TEXT_SUFFIXES[suffix]
        text = {GraphFormat.dot: lambda: graph.dot(tape, precision),
                GraphFormat.mermaid: lambda: graph.mermaid(tape, precision),
                GraphFormat.json: lambda: graph.graph_json_text(tape)}[chosen]()
        files.write_text(path, text)
        return
    files.draw(path, graph.dot(tape, precision), RENDERED[suffix])
