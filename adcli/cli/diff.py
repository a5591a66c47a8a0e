"""`adcli diff`: the derivative as a formula."""

from __future__ import annotations

import sys
from typing import List, Optional

import typer

from adcli.cli.app import (
    AT, DTYPE, EXPRESSION, FILE, FORMULA_COMMAND, JSON, MAX_STEPS, PRECISION, SEED, Dtype, app,
    console, emit, load, reporting,
)
from adcli.cli.calculate import WRT, names
from adcli.errors import InputError

ORDER = typer.Option(1, "--order", "-n", min=1, help="Differentiate N times (for several "
                     "variables: every partial of order N, the Hessian's entries for 2).")
STEPS = typer.Option(False, "--steps", help="Show the derivation rule by rule.")
LATEX = typer.Option(False, "--latex", help="Write the derivative in LaTeX.")
PLAIN = typer.Option(False, "--plain", help="Only the formula, one line per derivative, to feed "
                     "back: adcli eval \"$(adcli diff f --plain)\" --at …")


@app.command("diff", context_settings=FORMULA_COMMAND)
def diff_command(
    expression: Optional[str] = EXPRESSION,
    wrt: Optional[str] = WRT,
    order: int = ORDER,
    at: List[str] = AT,
    file: Optional[str] = FILE,
    steps: bool = STEPS,
    latex: bool = LATEX,
    plain: bool = PLAIN,
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
    seed: Optional[int] = SEED,
    max_steps: int = MAX_STEPS,
) -> None:
    """The derivative as a formula in adcli's own language, derived by the rules adcli
    differentiates with, simplified. With --at, also its values there (a program needs --at:
    its derivative is that of the path it ran)."""
    with reporting(json_output):
        if plain and json_output:
            raise InputError("--plain and --json are two different outputs: choose one",
                             kind="usage")
        from adcli.calculations.diff import run_diff
        from adcli.views import diff as view

        # without --at, the shapes are inferred and the variables need no values
        formula, values, session = load(expression, file, at, dtype.value, seed, max_steps,
                                        bind_values=bool(at))
        given = values if at else None
        result = run_diff(formula, names(wrt), order, given, dtype.value, session, steps=steps)
        if json_output:
            emit(view.diff_json(result))
        elif plain:
            sys.stdout.write(view.plain_text(result, latex=latex))
        elif latex:
            sys.stdout.write(view.latex_text(result))
        else:
            console().print(view.diff(result, precision))
