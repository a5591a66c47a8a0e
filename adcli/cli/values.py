"""`adcli eval`, `adcli grad` and `adcli functions`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import typer

from adcli.cli import directions, rows
from adcli.cli.app import COLOR, app, console, emit, reporting
from adcli.cli.options import (
    Common, Cotangent, Csv, Each, Explain, Json, Mode, ModeOption, NoColor, Order, Strict,
    TableOption, Tangent, Wrt, formula_command, wrt_names,
)
from adcli.errors import ComputeError

if TYPE_CHECKING:
    from adcli import calculations


@formula_command("eval")
def eval_command(common: Common, table: TableOption = False, csv: Csv = False,
                 strict: Strict = False, explain: Explain = False, each: Each = None) -> None:
    """The value of a formula (or a program) at a point."""
    from adcli import calculations

    rows.check_options(common, table, csv, each)
    if each is not None:
        from adcli.cli.batch import run_batch

        from adcli.calculations.replay import Repeated

        repeated = Repeated()
        raise typer.Exit(run_batch("eval", common, each, repeated.value))
    result = calculations.value(common.point(), explain=strict or not common.json)
    if table or csv:
        rows.show(common, result.point, result.value, None, (), csv)
        return
    show("eval", result, common, strict, explain)


@formula_command("grad")
def grad_command(common: Common, wrt: Wrt = None, mode: ModeOption = Mode.reverse,
                 order: Order = 1, tangent: Tangent = None, cotangent: Cotangent = None,
                 table: TableOption = False, csv: Csv = False, strict: Strict = False,
                 explain: Explain = False, each: Each = None) -> None:
    """The value and the gradient. A non-scalar output is contracted with ones (or with
    --cotangent g: gᵀJ); --tangent v gives J·v instead.

    Reverse mode by default; --mode forward takes one forward pass per input element.
    --order N gives f′, f″, … at each point of a formula element-wise in its variable."""
    from adcli import calculations

    chosen = wrt_names(wrt)
    rows.check_options(common, table, csv, each)
    at_each_point = order != 1 or table or csv
    directions.check_options(tangent, cotangent, at_each_point)
    if tangent:
        directions.tangent_command("grad", common, chosen, tangent, each)
        return
    if at_each_point:
        rows.derivatives_command("grad", common, chosen, order, table, csv, each)
        return
    if each is not None:
        from adcli.cli.batch import run_batch

        if mode is Mode.reverse:
            from adcli.calculations.replay import Repeated

            repeated = Repeated(chosen, lambda point: directions.cotangent_of(cotangent, point))
            raise typer.Exit(run_batch("grad", common, each, repeated.gradient))
        raise typer.Exit(run_batch("grad", common, each, lambda point: calculations.gradient(
            point, chosen, mode.value, cotangent=directions.cotangent_of(cotangent, point))))
    point = common.point()
    result = calculations.gradient(point, chosen, mode.value, explain=strict or not common.json,
                                   cotangent=directions.cotangent_of(cotangent, point))
    show("grad", result, common, strict, explain)
    if mode is Mode.forward and not common.json:
        from adcli.views.derivatives import forward_note

        console().print(forward_note(result))


def show(command: str, result: calculations.Evaluation | calculations.Gradient,
         common: Common, strict: bool, explain: bool) -> None:
    """Print an answer, and where it holds a nan or an inf, where that first appeared (with
    --strict, make it an error instead)."""
    if strict:
        refuse_non_finite(result.origins, result.point, [result.value, *_gradients(result)])
    if common.json:
        from adcli.views import json_view

        emit(json_view.calculation(command, result))
        return
    from adcli.views import text

    out = console()
    out.print(text.calculation(result, common.precision))
    if result.origins:
        from adcli.views import diagnostics

        out.print(diagnostics.findings(result.origins, result.point.formula.source,
                                       common.precision, every=explain))


def _gradients(result: object) -> list[Any]:
    return list((getattr(result, "gradient", None) or {}).values())


def refuse_non_finite(origins: Sequence[calculations.Origin], point: calculations.Point,
                      arrays: Sequence[Any]) -> None:
    """--strict: a nan or inf anywhere is an error, at the first place it appeared; or, when no
    operation made it, at the --at value that held it already (`eval x --at x=inf`)."""
    import numpy as np

    if origins:
        raise strict_error(origins[0], point.formula.source)
    if all(a.dtype.kind not in "fc" or np.isfinite(a).all() for a in arrays):
        return
    given = [name for name, value in point.at.items()
             if value.dtype.kind in "fc" and not np.isfinite(value).all()]
    what = (f"the value of `{given[0]}` given with --at holds nan or inf" if given
            else "the value or the gradient holds nan or inf")
    raise ComputeError(f"--strict: {what}", kind="non-finite")


def strict_error(origin: calculations.Origin, source: str) -> ComputeError:
    """--strict: the first nan or inf, as an error pointing at the sub-expression."""
    from adcli.views.diagnostics import sentence

    start, end = origin.span or (0, 0)
    return ComputeError(f"--strict: {sentence(origin, None)}", kind="non-finite", source=source,
                        start=start, end=end)


@app.command("functions")
def functions_command(json_output: Json = False, no_color: NoColor = False) -> None:
    """Every built-in function and operator, with its derivative rule."""
    COLOR.off = no_color
    with reporting(json_output):
        from adcli.calculations.functions import function_table

        table = function_table()
        if json_output:
            from adcli.views import json_view

            emit(json_view.functions(table))
            return
        from adcli.views import text

        console().print(text.functions(table))
