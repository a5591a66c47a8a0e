"""`adcli graph` and `adcli trace`: the tape made visible."""

from __future__ import annotations

import shutil
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from adcli.cli.app import (
    AT, DTYPE, EXPRESSION, FILE, FORMULA_COMMAND, JSON, MAX_STEPS, PRECISION, SEED, Dtype, app,
    console, emit, load, reporting,
)
from adcli.cli.calculate import STRICT, WRT, names
from adcli.errors import ComputeError, InputError


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
) -> None:
    """The computational graph after the forward and backward pass: each node's op, source
    text, shape, value and gradient."""
    with reporting(json_output):
        from adcli.views import graph

        tape = _record(expression, file, at, dtype, wrt, seed, max_steps)
        _strict(tape, strict)
        if json_output:
            format = GraphFormat.json
        if output is not None:
            _write(tape, output, format, precision)
        elif format is GraphFormat.json:
            emit(graph.graph_json(tape))
        elif format is GraphFormat.dot:
            sys.stdout.write(graph.dot(tape, precision))
        elif format is GraphFormat.mermaid:
            sys.stdout.write(graph.mermaid(tape, precision))
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
) -> None:
    """The tape step by step: the forward pass, then the backward pass with each local
    derivative and what it sends to each input."""
    with reporting(json_output):
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
    if strict and tape.findings:
        raise strict_error(tape)


def strict_error(tape) -> ComputeError:  # type: ignore[no-untyped-def]
    """--strict: the first nan or inf, as an error pointing at the sub-expression."""
    from adcli.views.diagnostics import sentence

    first = tape.findings[0]
    start, end = tape.node(first.node).span or (0, 0)
    return ComputeError(f"--strict: {sentence(tape, first, 4)}", kind="non-finite",
                        source=tape.formula.source, start=start, end=end)


def _write(tape, path: Path, format: GraphFormat, precision: int) -> None:  # type: ignore[no-untyped-def]
    from adcli.views import graph

    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        chosen = TEXT_SUFFIXES[suffix]
        text = {GraphFormat.dot: lambda: graph.dot(tape, precision),
                GraphFormat.mermaid: lambda: graph.mermaid(tape, precision),
                GraphFormat.json: lambda: graph.graph_json_text(tape)}[chosen]()
        path.write_text(text, encoding="utf-8")
        return
    if suffix not in RENDERED:
        raise InputError(f"--output {path}: use .svg, .png or .pdf (drawn by Graphviz), or "
                         ".dot, .mmd or .json (text)", kind="bad-option")
    program = shutil.which("dot")
    if program is None:
        raise ComputeError(
            "drawing needs Graphviz's `dot` program, which is not installed",
            kind="missing-graphviz",
            hint="install Graphviz (Debian/Ubuntu: apt install graphviz; macOS: brew install "
                 "graphviz), or write --format dot and render it elsewhere",
        )
    done = subprocess.run([program, f"-T{RENDERED[suffix]}", "-o", str(path)],
                          input=graph.dot(tape, precision), text=True, capture_output=True)
    if done.returncode != 0:
        raise ComputeError(f"Graphviz's dot failed: {done.stderr.strip()}", kind="graphviz")
