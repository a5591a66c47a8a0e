"""`--order N`, `--table` and `--csv`: derivatives at each point, and one row per point."""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Sequence

import typer

from adcli.cli.app import console, emit, write
from adcli.cli.options import Common
from adcli.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from adcli.calculations import Point


def check_options(common: Common, table: bool, csv: bool, each: Optional[str]) -> None:
    if table and csv:
        raise InputError("--table prints the rows for people, --csv for programs: give one",
                         kind="usage")
    shown = "--table" if table else "--csv" if csv else None
    if shown and common.json:
        raise InputError(f"{shown} is a table and --json an object: give one of them",
                         kind="usage")
    if shown and each is not None:
        raise InputError(f"--each writes one JSON result per line; {shown} does not apply",
                         kind="usage")


def derivatives_command(command: str, common: Common, wrt: Optional[List[str]], order: int,
                        table: bool, csv: bool, each: Optional[str]) -> None:
    """f′, f″, … up to `order` at each point, as rows (--table, --csv) or as the answer."""
    from adcli import calculations
    from adcli.views import orders

    def compute(point: Point) -> calculations.Derivatives:
        return calculations.derivatives(point, wrt, order)

    if each is not None:
        from adcli.cli.batch import run_batch

        raise typer.Exit(run_batch(command, common, each, compute,
                                   lambda result: orders.derivatives_json(command, result)))
    result = compute(common.point())
    if table or csv:
        show(common, result.point, result.value, result.variable, result.derivatives, csv)
    elif common.json:
        emit(orders.derivatives_json(command, result))
    else:
        console().print(orders.derivatives(result, common.precision))


def show(common: Common, point: Point, value: np.ndarray, variable: Optional[str],
         found: Sequence[np.ndarray], csv: bool) -> None:
    """One row per point: the variables that change from row to row, f, its derivatives."""
    from adcli.views import orders

    if not any(array.shape == value.shape for array in point.at.values()):
        shapes = ", ".join(f"`{name}` {array.shape}" for name, array in point.at.items())
        raise InputError(f"--{'csv' if csv else 'table'} shows one row per point, so f needs "
                         f"the shape of a variable: f has shape {value.shape}, {shapes or 'and no variables'}",
                         kind="usage")
    if csv:
        write(orders.csv_text(point, value, variable, found))
    else:
        console().print(orders.table(point, value, variable, found, common.precision))
