"""`adcli jacobian`, `adcli hessian`, `adcli compare` and `adcli check`: derivative matrices,
forward mode against reverse mode, and the automatic derivative against finite differences."""

from __future__ import annotations

from typing import Annotated, Any, Callable, Optional

import typer

from adcli.cli import directions
from adcli.cli.app import console, emit
from adcli.cli.options import (
    Common, Cotangent, Mode, ModeOption, Tangent, Wrt, formula_command, wrt_names,
)
from adcli.cli.values import show
from adcli.errors import InputError

HessianMode = Annotated[Mode, typer.Option(
    "--mode", help="forward: forward-over-reverse, one forward pass per input element through "
    "the recorded gradient (JAX's choice); reverse: reverse-over-reverse, one backward pass per "
    "input element.")]
Rtol = Annotated[Optional[float], typer.Option(
    "--rtol", min=0.0, help="Relative tolerance (default 1e-3 in float64, 1e-2 in float32).")]
Atol = Annotated[Optional[float], typer.Option(
    "--atol", min=0.0, help="Absolute tolerance (default 1e-5 in float64, 1e-3 in float32).")]


def _show(common: Common, document: Callable[[], dict[str, Any]], text: Callable[[], Any]) -> None:
    if common.json:
        emit(document())
    else:
        console().print(text())


@formula_command("jacobian")
def jacobian_command(common: Common, wrt: Wrt = None, mode: ModeOption = Mode.reverse,
                     tangent: Tangent = None, cotangent: Cotangent = None) -> None:
    """The Jacobian: per variable, a row per element of f, a column per element of the variable.

    --tangent v gives J·v instead (one forward pass), --cotangent g gives gᵀJ (one backward
    pass)."""
    from adcli import calculations
    from adcli.views import derivatives as view

    chosen = wrt_names(wrt)
    directions.check_options(tangent, cotangent, at_each_point=False)
    if tangent:
        directions.tangent_command("jacobian", common, chosen, tangent, each=None)
        return
    if cotangent is not None:
        point = common.point()
        product = calculations.gradient(point, chosen, mode.value, explain=not common.json,
                                        cotangent=directions.cotangent_of(cotangent, point))
        show("jacobian", product, common, strict=False, explain=False)
        return
    result = calculations.jacobian(common.point(), chosen, mode.value)
    _show(common, lambda: view.jacobian_json(result),
          lambda: view.jacobian(result, common.precision))


@formula_command("hessian")
def hessian_command(common: Common, wrt: Wrt = None, mode: HessianMode = Mode.forward) -> None:
    """The Hessian of a formula whose value is one number: ∂²f/∂a∂b for each pair of variables."""
    from adcli import calculations
    from adcli.views import derivatives as view

    outer = "forward-over-reverse" if mode is Mode.forward else "reverse-over-reverse"
    result = calculations.hessian(common.point(), wrt_names(wrt), outer)
    _show(common, lambda: view.hessian_json(result),
          lambda: view.hessian(result, common.precision))


Depth = Annotated[Optional[int], typer.Option(
    "--depth", min=1, help="Instead of a formula: sin(sin(…sin(x)…)) nested up to this deep, "
    "and how its symbolic derivative swells against reverse mode's tape.")]


@formula_command("compare")
def compare_command(common: Common, wrt: Wrt = None, depth: Depth = None) -> None:
    """Forward and reverse mode side by side: passes, operations, tape, time, and which wins;
    beside them the symbolic derivative's size and central differences' error.

    Both modes compute the whole Jacobian: forward mode one pass per input element, reverse
    mode one backward pass per output element."""
    from adcli import calculations
    from adcli.views import derivatives as view

    if depth is not None:
        if common.expression is not None or common.file is not None:
            raise InputError("--depth shows its own formula (sin nested k deep): give no "
                             "formula with it", kind="usage")
        found = calculations.swell(depth)
        _show(common, lambda: view.swell_json(found), lambda: view.swell(found))
        return
    result = calculations.compare(common.point(), wrt_names(wrt))
    _show(common, lambda: view.compare_json(result),
          lambda: view.compare(result, common.precision))


@formula_command("check")
def check_command(common: Common, wrt: Wrt = None, mode: ModeOption = Mode.reverse,
                  rtol: Rtol = None, atol: Atol = None) -> None:
    """The automatic derivative against central finite differences, like torch's gradcheck.

    The whole Jacobian is checked; exit 1 when an entry disagrees beyond the tolerance."""
    from adcli import calculations
    from adcli.views import derivatives as view

    result = calculations.check(common.point(), wrt_names(wrt), mode.value, rtol, atol)
    _show(common, lambda: view.check_json(result),
          lambda: view.check(result, common.precision))
    if not result.passed:
        raise typer.Exit(1)
