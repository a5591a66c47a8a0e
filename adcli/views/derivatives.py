"""Rich text and JSON for `jacobian`, `hessian`, `compare`, `check` and `grad --mode forward`.
Results in, renderings out: nothing is computed here but the words."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from adcli.calculations import Answer, Check, Comparison, Gradient, Hessian, Jacobian
from adcli.calculations.check import Entry
from adcli.calculations.compare import Cost
from adcli.calculations.matrices import Passes
from adcli.calculations.swell import Swell
from adcli.views import json_view
from adcli.views.json_view import plain
from adcli.views.numbers import Precision, format_array, numbers
from adcli.views.text import add_row, grid, header, notes


def _count(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    plural = word[:-1] + "ies" if word.endswith("y") else word + ("es" if word.endswith("s")
                                                                   else "s")
    return f"{n:,} {plural}"


def _passes(passes: Passes) -> str:
    shown = [_count(n, f"{way} pass") for n, way in ((passes.forward, "forward"),
                                                      (passes.backward, "backward")) if n]
    return " + ".join(shown) or "no pass"


# -- grad --mode forward ---------------------------------------------------------------------


def forward_note(result: Gradient) -> Text:
    return Text(f"forward mode: {_count(result.passes, 'forward pass')}, one per element of "
                f"{', '.join(result.wrt)}.", style="dim")


# -- jacobian --------------------------------------------------------------------------------


def jacobian(result: Jacobian, precision: Precision) -> RenderableType:
    rows = grid(result.point, result.value, result.run, precision)
    for name, block in result.blocks.items():
        add_row(rows, f"∂f/∂{name}", block, precision)
    how = f"one per element of {', '.join(result.wrt)}" if result.mode == "forward" \
        else "one backward pass per element of f"
    return Group(header(result.point), rows, *notes(result.run),
                 Text("Jacobian: a row per element of f, a column per element of the variable.",
                      style="dim"),
                 Text(f"{result.mode} mode: {_passes(result.passes)} ({how}).", style="dim"))


def _document(command: str, result: Answer, mode: str | None = None) -> dict[str, Any]:
    return json_view.answer(command, result.point, result.value, result.run, mode)


def jacobian_json(result: Jacobian) -> dict[str, Any]:
    document = _document("jacobian", result, result.mode)
    document["jacobian"] = {name: plain(block) for name, block in result.blocks.items()}
    document["passes"] = {"forward": result.passes.forward, "backward": result.passes.backward}
    return document


# -- hessian ---------------------------------------------------------------------------------


def hessian(result: Hessian, precision: Precision) -> RenderableType:
    rows = grid(result.point, result.value, result.run, precision)
    for name, gradient in result.gradient.items():
        add_row(rows, f"∂f/∂{name}", gradient, precision)
    for (a, b), block in result.blocks.items():
        add_row(rows, f"∂²f/∂{a}²" if a == b else f"∂²f/∂{a}∂{b}", block, precision)
    n = result.passes.forward - 1 if result.mode == "forward-over-reverse" \
        else result.passes.backward - 1
    through = "forward" if result.mode == "forward-over-reverse" else "backward"
    return Group(header(result.point), rows, *notes(result.run), Text(
        f"{result.mode}: the gradient recorded once, then {_count(n, through + ' pass')} "
        "through it (one per input element).", style="dim"))


def hessian_json(result: Hessian) -> dict[str, Any]:
    document = json_view.gradient_fields(_document("hessian", result, result.mode), None,
                                         result.gradient)
    table: dict[str, dict[str, Any]] = {}
    for (a, b), block in result.blocks.items():
        table.setdefault(a, {})[b] = plain(block)
    document["hessian"] = table
    document["passes"] = {"forward": result.passes.forward, "backward": result.passes.backward}
    return document


# -- compare ---------------------------------------------------------------------------------


def verdict(result: Comparison) -> str:
    """Which mode wins here and why, in one sentence (by passes: n inputs against m outputs)."""
    n, m = result.inputs, result.outputs
    inputs, outputs = _count(n, "input"), _count(m, "output")
    if result.winner == "reverse":
        return (f"Reverse mode wins here: f has {inputs} and {outputs}, so reverse mode needs "
                f"{_count(m, 'backward pass')} (one per output) where forward mode needs "
                f"{_count(n, 'forward pass')} (one per input).")
    if result.winner == "forward":
        return (f"Forward mode wins here: f has {inputs} and {outputs}, so forward mode needs "
                f"{_count(n, 'forward pass')} (one per input) where reverse mode needs "
                f"{_count(m, 'backward pass')} (one per output), and forward mode keeps no "
                f"tape.")
    return (f"Neither mode wins on passes here: f has as many inputs as outputs ({n:,}), so "
            f"each mode needs {_count(n, 'pass')}; reverse mode also keeps a tape "
            f"({_count(result.reverse.tape_nodes, 'node')}), forward mode none.")


def compare(result: Comparison, precision: Precision) -> RenderableType:
    table = Table(box=None, padding=(0, 2), pad_edge=False, show_header=True,
                  header_style="bold")
    table.add_column("")
    table.add_column("forward mode")
    table.add_column("reverse mode")
    costs = (result.forward, result.reverse)
    table.add_row("passes", *(_passes(c.passes) for c in costs))
    table.add_row("operations", *(f"{c.operations:,}" for c in costs))
    table.add_row("  primitives evaluated", *(f"{c.primitives:,}" for c in costs))
    table.add_row("  derivative rules applied", *(f"{c.rules:,}" for c in costs))
    table.add_row("peak tape", *(_tape(c) for c in costs))
    table.add_row("wall time", *(f"{duration(c.seconds)} (best of {c.runs})" for c in costs))
    difference = f"largest difference between the two Jacobians: {result.max_difference:.3g}"
    if result.mismatched:
        difference += (f"; {_count(result.mismatched, 'entry')} nan or ±inf in one mode only "
                       "(torch's two modes differ there too)")
    return Group(
        header(result.point), grid(result.point, result.value, result.run, precision),
        *notes(result.run),
        Text(f"Jacobian of f: {_count(result.outputs, 'output')} × "
             f"{_count(result.inputs, 'input')} (the elements of {', '.join(result.wrt)})"),
        Text(""), table, Text(""), Text(difference), *other_ways(result),
        Text(verdict(result), style="bold"))


def other_ways(result: Comparison) -> list[Text]:
    """The symbolic derivative's size and central differences' error, beside the two modes."""
    symbolic, numeric = result.symbolic, result.numeric
    if symbolic.operations is None:
        written = f"no formula ({symbolic.reason})"
    else:
        written = (f"the derivative written as a formula has "
                   f"{_count(symbolic.operations, 'operation')}; f itself has "
                   f"{_count(symbolic.function_operations or 0, 'operation')}")
    return [Text(f"symbolic (adcli diff): {written}"),
            Text(f"numeric (central differences): {_count(numeric.evaluations, 'evaluation')} "
                 f"of f; largest difference from reverse mode {numeric.max_error:.2g}")]


def compare_json(result: Comparison) -> dict[str, Any]:
    document = _document("compare", result)
    document["inputs"] = result.inputs
    document["outputs"] = result.outputs
    for name, cost in (("forward", result.forward), ("reverse", result.reverse)):
        document[name] = {
            "passes": {"forward": cost.passes.forward, "backward": cost.passes.backward},
            "operations": cost.operations, "primitives": cost.primitives, "rules": cost.rules,
            "tape": {"nodes": cost.tape_nodes, "bytes": cost.tape_bytes},
            "seconds": cost.seconds, "runs": cost.runs,
        }
    document["max_difference"] = result.max_difference
    document["mismatched"] = result.mismatched
    symbolic, numeric = result.symbolic, result.numeric
    document["symbolic"] = {"operations": symbolic.operations,
                            "function_operations": symbolic.function_operations,
                            "seconds": symbolic.seconds, "reason": symbolic.reason}
    document["numeric"] = {"evaluations": numeric.evaluations, "step": numeric.step,
                           "max_error": numeric.max_error, "seconds": numeric.seconds}
    document["winner"] = result.winner
    document["verdict"] = verdict(result)
    return document


def _tape(cost: Cost) -> str:
    if not cost.tape_nodes:
        return "0 (nothing recorded)"
    return f"{_count(cost.tape_nodes, 'node')}, {size(cost.tape_bytes)}"


def duration(seconds: float) -> str:
    """Three significant digits and a unit: 25.9 ms, 317 µs, 1.20 s — always seven characters
    wide (right-aligned), so a table's columns do not move with the times measured."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale * 0.9995 or unit == "ns":
            break
    value = seconds / scale
    text = f"{value:.2f}" if value < 9.995 else f"{value:.1f}" if value < 99.95 else f"{value:.0f}"
    return f"{text} {unit}".rjust(7)


def size(nbytes: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f} {unit}"
    return f"{nbytes} bytes"


# -- check -----------------------------------------------------------------------------------


def _entry_name(entry: Entry) -> str:
    out = f"f[{', '.join(map(str, entry.output))}]" if entry.output else "f"
    inp = f"{entry.variable}[{', '.join(map(str, entry.input))}]" if entry.input \
        else entry.variable
    return f"∂{out}/∂{inp}"


def check(result: Check, precision: Precision) -> RenderableType:
    tolerance = f"|automatic - numeric| <= {result.atol:g} + {result.rtol:g}·|numeric|"
    lines: list[RenderableType] = [
        header(result.point), grid(result.point, result.value, result.run, precision),
        *notes(result.run),
        Text(f"checked {_count(result.entries, 'entry')} of the Jacobian, by {result.mode} "
             f"mode, against central differences with step {result.step:.2g}·max(1, |x|)"),
    ]
    worst = result.worst
    if worst is not None:
        digits = max(numbers(precision).digits or 6, 6)
        lines.append(Text(
            f"worst: {_entry_name(worst)}: automatic {_number(worst.automatic, digits)}, "
            f"numeric {_number(worst.numeric, digits)}, relative error "
            f"{_number(worst.relative_error, 2, exponent=True)}"))
    if result.passed:
        lines.append(Text(f"passed: every entry has {tolerance}", style="bold green"))
    else:
        lines.append(Text(f"FAILED: {result.failures:,} of {result.entries:,} entries do not have "
                          f"{tolerance}", style="bold red"))
    return Group(*lines)


def check_json(result: Check) -> dict[str, Any]:
    document = _document("check", result, result.mode)
    document["passed"] = result.passed
    document["entries"] = result.entries
    document["failures"] = result.failures
    document["step"] = result.step
    document["rtol"] = result.rtol
    document["atol"] = result.atol
    worst = result.worst
    document["worst"] = None if worst is None else {
        "variable": worst.variable, "output": list(worst.output), "input": list(worst.input),
        "automatic": plain(worst.automatic), "numeric": plain(worst.numeric),
        "relative_error": plain(worst.relative_error),
    }
    return document


def _number(value: float, digits: int, exponent: bool = False) -> str:
    if math.isnan(value) or math.isinf(value):
        return format_array(value)
    return f"{value:.{digits}e}" if exponent else f"{value:.{digits}g}"


# -- compare --depth: expression swell ---------------------------------------------------------


def swell(result: Swell) -> RenderableType:
    table = Table(box=None, padding=(0, 2), pad_edge=False, show_header=True,
                  header_style="bold")
    for column in ("k", "derivative written out", "its graph, repeats shared",
                   "reverse mode's tape"):
        table.add_column(column, justify="right")
    for row in result.rows:
        table.add_row(str(row.depth), _count(row.written, "operation"),
                      _count(row.shared, "node"), _count(row.tape, "node"))
    return Group(
        Text("sin(sin(…sin(x)…)) nested k deep, differentiated by the chain rule:", style="bold"),
        Text(""), table, Text(""),
        Text("Written out, the derivative is a product of k cosines, the j-th holding sin nested "
             "j deep: it grows as k². Reverse mode keeps one node per sin and sends one adjoint "
             "through each: it grows as k. A symbolic derivative that shares its repeated parts "
             "(adcli diff's `where u = …`) grows as k too — it is a tape."))


def swell_json(result: Swell) -> dict[str, Any]:
    return {"command": "compare", "depth": result.depth,
            "rows": [{"depth": r.depth, "written": r.written, "shared": r.shared,
                      "tape": r.tape} for r in result.rows]}
