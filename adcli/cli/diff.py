"""`adcli diff`: the derivative as a formula."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from adcli.cli.app import console, emit
from adcli.cli.options import NAMES, Common, Wrt, formula_command, wrt_names
from adcli.errors import ComputeError, InputError

Order = Annotated[int, typer.Option(
    "--order", "-n", min=1, help="Differentiate N times (for several variables: every partial "
    "of order N, the Hessian's entries for 2).")]
Steps = Annotated[bool, typer.Option("--steps", help="Show the derivation rule by rule.")]
Latex = Annotated[bool, typer.Option("--latex", help="Write the derivative in LaTeX.")]
Plain = Annotated[bool, typer.Option(
    "--plain", help="Only the formula, one line per derivative, to feed back: adcli eval "
    "\"$(adcli diff f --plain)\" --at …")]


@formula_command("diff")
def diff_command(common: Common, wrt: Wrt = None, order: Order = 1, steps: Steps = False,
                 latex: Latex = False, plain: Plain = False) -> None:
    """The derivative as a formula in adcli's own language, derived by the rules adcli
    differentiates with, simplified. With --at, also its values there (a program needs --at:
    its derivative is that of the path it ran)."""
    from adcli import calculations
    from adcli.views import diff as view

    if plain and common.json:
        raise InputError("--plain and --json are two different outputs: choose one",
                         kind="usage")
    # without values (--at, or the session's names) the shapes are inferred
    point = common.point() if _has_values(common) else None
    formula = point.formula if point is not None else common.formula()
    result = calculations.derivative(formula, point, wrt_names(wrt), order, steps,
                                     limits=common.limits(), seed=common.seed)
    if plain and any(p.text is None for p in result.partials):
        raise ComputeError("the derivative written out would be longer than 200,000 "
                           "characters: without --plain it is shown with its repeated parts "
                           "named (--json gives them too)", kind="too-long")
    if common.json:
        emit(view.diff_json(result))
    elif plain:
        sys.stdout.write(view.plain_text(result, latex=latex))
    elif latex:
        sys.stdout.write(view.latex_text(result))
    else:
        console().print(view.diff(result, common.precision))


def _has_values(common: Common) -> bool:
    """Whether the variables have values: from --at, or in the interactive session from its
    names (every variable of the formula: else its shapes are inferred, as in the shell)."""
    if common.at:
        return True
    names = NAMES.get()
    if names is None:
        return False
    formula = common.formula()
    return bool(formula.variables) and set(names.values(formula, [])) == set(formula.variables)
