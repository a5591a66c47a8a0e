"""`adcli diff` for people (Rich text), for scripts (JSON) and for feeding back (--plain,
--latex). Results in, renderings out: nothing is derived here."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from adcli.calculations.diff import Derivative, Partial
from adcli.symbolic.steps import Derivation
from adcli.views.json_view import plain
from adcli.views.numbers import format_array, shape_text
from adcli.views.printable import printable
from adcli.views.text import path

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
PRIMES = {1: "′", 2: "″", 3: "‴"}


def signature(result: Derivative) -> str:
    return f"f({', '.join(result.formula.variables)})"


def name(result: Derivative, partial: Partial) -> str:
    """f′(x), f″(x) for one variable; ∂f/∂x, ∂²f/∂x∂y for several."""
    wrt, order = partial.wrt, len(partial.wrt)
    if len(result.formula.variables) == 1:
        mark = PRIMES.get(order) or f"⁽{str(order).translate(SUPERSCRIPT)}⁾"
        return f"f{mark}({wrt[0]})"
    top = "∂" if order == 1 else f"∂{str(order).translate(SUPERSCRIPT)}"
    bottom = ""
    for variable in dict.fromkeys(wrt):
        n = wrt.count(variable)
        bottom += f"∂{variable}" + (str(n).translate(SUPERSCRIPT) if n > 1 else "")
    return f"{top}f/{bottom}"


def latex_name(result: Derivative, partial: Partial) -> str:
    wrt, order = partial.wrt, len(partial.wrt)
    if len(result.formula.variables) == 1:
        return "f" + "'" * order + f"({wrt[0]})" if order <= 3 else \
            f"f^{{({order})}}({wrt[0]})"
    top = r"\partial" if order == 1 else rf"\partial^{{{order}}}"
    bottom = " ".join(rf"\partial {v}" + (f"^{{{wrt.count(v)}}}" if wrt.count(v) > 1 else "")
                      for v in dict.fromkeys(wrt))
    return rf"\frac{{{top} f}}{{{bottom}}}"


def key(partial: Partial) -> str:
    return ",".join(partial.wrt)


def _rank(shape: tuple[int, ...]) -> str:
    return {0: "a number", 1: "a vector", 2: "a matrix"}.get(len(shape), f"an array of rank "
                                                                       f"{len(shape)}")


def shapes_line(result: Derivative) -> Text | None:
    if not result.inferred:
        return None
    if result.sized:
        listed = ", ".join(f"{n} {_rank(s)}" + (f" of shape {'×'.join(map(str, s))}" if s
                                               else "") for n, s in result.shapes)
        return Text(f"shapes: {listed}: the formula holds for these lengths only (it reads "
                    "differently at others); --at gives yours", style="yellow")
    listed = ", ".join(f"{n} {_rank(s)}" for n, s in result.shapes)
    return Text(f"shapes: {listed} (the lowest ranks under which f evaluates; --at gives "
                "others)", style="dim")


def diff(result: Derivative, precision: int) -> RenderableType:
    rows = Table.grid(padding=(0, 1))
    rows.add_column(style="bold", no_wrap=True)
    rows.add_column()
    source = "the program in " + (result.formula.name if result.formula.name not in (None, "-")
                                  else "standard input") if result.formula.is_program \
        else result.formula.source
    rows.add_row(Text(signature(result)), Text(f"= {printable(source)}"))
    shared = result.shared
    for i, partial in enumerate(result.partials):
        text = shared.texts[i] if shared is not None else partial.text
        rows.add_row(Text(name(result, partial), style="cyan"), Text(f"= {printable(text)}"))
    parts: list[RenderableType] = [rows]
    if shared is not None:
        for i, (label, definition) in enumerate(shared.definitions):
            lead = "  where " if i == 0 else "        "
            parts.append(Text(f"{lead}{label} = {printable(definition)}"))
    line = shapes_line(result)
    if line is not None:
        parts.append(line)
    parts.extend(drawn(result, precision))
    if result.contracted:
        parts.append(Text("f has an array value: this is the derivative of sum(f), as adcli "
                          "grad contracts f with ones.", style="yellow"))
    if result.formula.is_program:
        parts.append(Text("the derivative of the path the program ran at --at:", style="bold"))
        parts.extend(path(result.run)[1:])
    if result.notes:
        parts.append(Text("where it holds, as the rules tell:", style="bold"))
        parts.extend(Text(f"  {printable(note)}") for note in result.notes)
    if result.point is not None:
        parts.append(_values(result, precision))
    for derivation in result.steps:
        parts.extend(steps(derivation))
    return Group(*parts)


def drawn(result: Derivative, precision: int) -> list[RenderableType]:
    """What f drew at random: those numbers are in the derivative, and only the seed that
    drew them gives this derivative again."""
    if not result.run.draws:
        return []
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="bold", no_wrap=True)
    rows.add_column()
    rows.add_column(style="dim")
    for label, array in result.run.draws:
        rows.add_row(Text(f"{label} ="), Text(format_array(array, precision)), shape_text(array))
    return [Text(f"f draws random numbers: the derivative holds for the numbers drawn from seed "
                 f"{result.run.seed} (--seed {result.run.seed} draws them again)",
                 style="yellow"), rows]


def _values(result: Derivative, precision: int) -> Table:
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="bold cyan", no_wrap=True)
    rows.add_column()
    rows.add_column(style="dim")
    assert result.point is not None
    for variable, value in result.point.at.items():
        rows.add_row(Text(f"{variable} ="), Text(format_array(value, precision)), shape_text(value))
    for partial in result.partials:
        assert partial.value is not None
        rows.add_row(Text(name(result, partial)), Text(format_array(partial.value, precision)),
                     shape_text(partial.value))
    return rows


def steps(derivation: Derivation) -> list[RenderableType]:
    table = Table(box=None, padding=(0, 2), show_header=False, pad_edge=False)
    if derivation.mode == "forward":
        head = Text(f"steps for ∂f/∂{derivation.variable}, rule by rule (forward):", style="bold")
        table.add_column(no_wrap=True, style="dim")
        table.add_column()
        for step in derivation.steps:
            text = f"({step.text})′ = {step.form}"
            if step.form != step.result:
                text += f" = {step.result}"
            table.add_row(Text(step.rule), Text(printable(text)))
    else:
        head = Text("steps, backward from f, as backpropagation sends each node's adjoint g on "
                    "(f's own adjoint is 1):", style="bold")
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, style="dim")
        table.add_column()
        for step in derivation.steps:
            text = f"g = {step.adjoint}: sends {step.form}"
            if step.form != step.result:
                text += f" = {step.result}"
            table.add_row(Text(printable(step.text)), Text(step.rule),
                          Text(printable(f"{text}  → {step.target}")))
    out: list[RenderableType] = [head, table]
    if derivation.omitted:
        out.append(Text(f"… and {derivation.omitted} more steps", style="dim"))
    return out


def plain_text(result: Derivative, latex: bool = False) -> str:
    """One formula per line: in adcli's language (fed back to adcli eval), or LaTeX."""
    if latex:
        return "\n".join(printable(p.latex) for p in result.partials) + "\n"
    return "\n".join(printable(p.text) for p in result.partials) + "\n"


def latex_text(result: Derivative) -> str:
    """Each derivative as a LaTeX equation, with the repeated parts named when it is long."""
    lines = []
    shared = result.shared_latex
    for i, partial in enumerate(result.partials):
        body = shared.texts[i] if shared is not None else partial.latex
        lines.append(f"{latex_name(result, partial)} = {printable(body)}")
    if shared is not None:
        where = r", \quad ".join(f"{n} = {printable(d)}" for n, d in shared.definitions)
        lines.append(rf"\text{{where }} {where}")
    return "\n".join(lines) + "\n"


def diff_json(result: Derivative) -> dict[str, Any]:
    document: dict[str, Any] = {"command": "diff", "expression": result.formula.source}
    if result.formula.is_program:
        document["file"] = result.formula.name
        document["path"] = list(result.run.path)
    document["wrt"] = list(result.wrt)
    document["order"] = result.order
    document["shapes"] = {n: list(s) for n, s in result.shapes}
    document["shapes_inferred"] = result.inferred
    document["lengths_matter"] = result.sized
    document["cotangent"] = "ones" if result.contracted else None
    # null where a derivative written out would pass the language's length limit: then
    # `shared` holds it, with its repeated parts named (a straight-line program)
    document["derivative"] = {key(p): p.text for p in result.partials}
    document["latex"] = {key(p): p.latex for p in result.partials}
    if result.shared is not None:
        document["shared"] = {
            "derivative": {key(p): t for p, t in zip(result.partials, result.shared.texts)},
            "where": dict(result.shared.definitions)}
    document["notes"] = list(result.notes)
    if result.run.draws:  # random numbers f drew, which the derivative holds as numbers
        document["seed"] = result.run.seed
        document["draws"] = {label: plain(array) for label, array in result.run.draws}
    if result.point is not None:
        document["dtype"] = result.point.dtype.name
        document["at"] = {n: plain(v) for n, v in result.point.at.items()}
        document["value"] = {key(p): plain(p.value) for p in result.partials}
    if result.steps:
        document["steps"] = [
            {"mode": d.mode, "variable": d.variable or None, "omitted": d.omitted,
             "steps": [{k: v for k, v in vars(s).items() if v is not None} for s in d.steps]}
            for d in result.steps]
    return document

