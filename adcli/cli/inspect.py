"""`adcli graph` and `adcli trace`: the tape made visible."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from adcli.cli.app import (
    AT, DTYPE, EXPRESSION, FILE, FORMULA_COMMAND, JSON, MAX_STEPS, PRECISION, SEED, TIMEOUT,
    Dtype, app, console, emit, load, reporting, write,
)
from adcli.cli import files
from adcli.cli.calculate import STRICT, WRT, names
from adcli.errors import ComputeError, InputError
from adcli.views.printable import printable


class GraphFormat(str, Enum):
    tree = "tree"
    dot = "dot"
    mermaid = "mermaid"
    json = "json"


RENDERED = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
TEXT_SUFFIXES = {".dot": GraphFormat.dot, ".gv": GraphFormat.dot, ".mmd": GraphFormat.mermaid,
                 ".json": GraphFormat.json}


def _record(expression: Optional[str], file: Optional[str], at: List[str], dtype: Dtype,
            wrt: Optional[str], seed: Optional[int], max_steps: int):  # type: ignore[no-untyped-def]
    from adcli.language.tape import record

    formula, values, session = load(expression, file, at, dtype.value, seed, max_steps)
    return record(formula, values, dtype.value, names(wrt), session=session)


@app.command("graph", context_settings=FORMULA_COMMAND)
def graph_command(
    expression: Optional[str] = EXPRESSION,
    at: List[str] = AT,
    file: Optional[str] = FILE,
    wrt: Optional[str] = WRT,
    format: GraphFormat = typer.Option(GraphFormat.tree, "--format",
                                       help="tree (terminal), dot (Graphviz), mermaid or json."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write to a file: .svg/.png/.pdf are drawn by Graphviz's "
        "`dot`; .dot/.mmd/.json are written as text."),
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
    strict: bool = STRICT,
    seed: Optional[int] = SEED,
    max_steps: int = MAX_STEPS,
    timeout: Optional[float] = TIMEOUT,
) -> None:
    """The computational graph after the forward and backward pass: each node's op, source
    text, shape, value and gradient."""
    with reporting(json_output, timeout, file is not None):
        from adcli.views import graph

        if output is not None:
            _check_output(output)  # before the computation, not after
        tape = _record(expression, file, at, dtype, wrt, seed, max_steps)
        _strict(tape, strict)
        if json_output:
            format = GraphFormat.json
        if output is not None:
            _write(tape, output, format, precision)
        elif format is GraphFormat.json:
            emit(graph.graph_json(tape))
        elif format is GraphFormat.dot:
            write(graph.dot(tape, precision))
        elif format is GraphFormat.mermaid:
            write(graph.mermaid(tape, precision))
        else:
            out = console()
            out.print(graph.tree(tape, precision, out.width))
            _path_and_findings(tape, precision)


@app.command("trace", context_settings=FORMULA_COMMAND)
def trace_command(
    expression: Optional[str] = EXPRESSION,
    at: List[str] = AT,
    file: Optional[str] = FILE,
    wrt: Optional[str] = WRT,
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
    strict: bool = STRICT,
    seed: Optional[int] = SEED,
    max_steps: int = MAX_STEPS,
    timeout: Optional[float] = TIMEOUT,
) -> None:
    """The tape step by step: the forward pass, then the backward pass with each local
    derivative and what it sends to each input."""
    with reporting(json_output, timeout, file is not None):
        from adcli.views import graph, trace

        tape = _record(expression, file, at, dtype, wrt, seed, max_steps)
        _strict(tape, strict)
        if json_output:
            document = trace.trace_json(tape)
            document["nonfinite"] = graph.findings_json(tape)
            emit(document)
        else:
            console().print(trace.trace(tape, precision))
            _path_and_findings(tape, precision)


def _path_and_findings(tape, precision: int) -> None:  # type: ignore[no-untyped-def]
    """After the graph or trace: the path a program took, and where a nan or inf appeared."""
    from adcli.views.text import path

    for line in path(tape.calculation.session):
        console().print(line)
    if tape.findings:
        from adcli.views import diagnostics

        console().print(diagnostics.findings(tape, precision))


def _strict(tape, strict: bool) -> None:  # type: ignore[no-untyped-def]
    if strict and (tape.findings or not tape.calculation.finite):
        raise strict_error(tape)


def strict_error(tape) -> ComputeError:  # type: ignore[no-untyped-def]
    """--strict: the first nan or inf, as an error pointing at the sub-expression (or at the
    variable whose --at value was one already)."""
    from adcli.views.diagnostics import sentence

    if not tape.findings:
        import numpy as np

        given = [(name, value) for name, value in tape.calculation.at.items()
                 if value.dtype.kind == "f" and not np.isfinite(value).all()]
        what = (f"the value of `{given[0][0]}` given with --at holds nan or inf" if given
                else "the value or the gradient holds nan or inf")
        return ComputeError(f"--strict: {what}", kind="non-finite")
    first = tape.findings[0]
    start, end = tape.node(first.node).span or (0, 0)
    return ComputeError(f"--strict: {sentence(tape, first, 4)}", kind="non-finite",
                        source=tape.formula.source, start=start, end=end)


def _check_output(path: Path) -> None:
    files.check_target(path)
    if path.suffix.lower() not in RENDERED and path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(f"--output {printable(str(path))}: use .svg, .png or .pdf (drawn by "
                         "Graphviz), or .dot, .mmd or .json (text)", kind="bad-option")


def _write(tape, path: Path, format: GraphFormat, precision: int) -> None:  # type: ignore[no-untyped-def]
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
