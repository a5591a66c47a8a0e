"""`--tangent v` (J·v by forward mode) and `--cotangent g` (gᵀJ by reverse mode), on `grad`
and `jacobian`."""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional

import typer

from adcli.cli.app import console, emit
from adcli.cli.options import Common
from adcli.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from adcli.calculations import Point


def check_options(tangent: Optional[List[str]], cotangent: Optional[str],
                  at_each_point: bool) -> None:
    if tangent and cotangent is not None:
        raise InputError("--tangent asks for J·v and --cotangent for gᵀJ: give one of them",
                         kind="usage")
    if (tangent or cotangent is not None) and at_each_point:
        option = "--tangent" if tangent else "--cotangent"
        raise InputError(f"{option} takes the derivative along one direction; --order, --table "
                         f"and --csv take it at each point: give one or the other", kind="usage")


def cotangent_of(text: Optional[str], point: Point) -> Optional[np.ndarray]:
    """--cotangent's value at this point (None: contract with ones)."""
    if text is None:
        return None
    from adcli.calculations.directions import cotangent

    return cotangent(text, point)


def tangent_command(command: str, common: Common, wrt: Optional[List[str]], tangent: List[str],
                    each: Optional[str]) -> None:
    """J·v at the point (or at each point of --each)."""
    from adcli import calculations
    from adcli.calculations.directions import tangents
    from adcli.views import orders

    def compute(point: Point) -> calculations.Directional:
        return calculations.directional(point, tangents(tangent, point, wrt))

    if each is not None:
        from adcli.cli.batch import run_batch

        raise typer.Exit(run_batch(command, common, each, compute,
                                   lambda result: orders.directional_json(command, result)))
    result = compute(common.point())
    if common.json:
        emit(orders.directional_json(command, result))
    else:
        console().print(orders.directional(result, common.precision))
