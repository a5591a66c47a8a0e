"""`adcli plot`: f and its derivatives along one variable, drawn in the terminal (uniplot) or
to a picture (--output, matplotlib); --json, --table and --csv give the sampled points."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, List, Optional

import typer

from adcli.cli import complete, rows
from adcli.cli.app import console, emit
from adcli.cli.options import Common, Csv, TableOption, formula_command, wrt_names
from adcli.errors import ComputeError, InputError

if TYPE_CHECKING:
    from adcli.calculations import Curves

Along = Annotated[Optional[List[str]], typer.Option(
    "--wrt", metavar="x", help="The variable on the x axis (default: the only one, or the "
    "only one given several values); --at holds the others.", autocompletion=complete.wrt)]
PlotOrder = Annotated[int, typer.Option(
    "--order", min=0, metavar="N", help="Draw f and its derivatives up to the N-th (1: f and "
    "f′; 0: f alone).")]
Width = Annotated[Optional[int], typer.Option(
    "--width", min=20, help="Columns of the plot, its axis labels included (default: the "
    "terminal's).")]
Height = Annotated[Optional[int], typer.Option(
    "--height", min=4, help="Rows of the plot's canvas (default: about a quarter of its "
    "width).")]
Output = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write the plot to a picture instead: .svg, .png or .pdf "
    "(drawn by matplotlib).")]

PICTURES = (".svg", ".png", ".pdf")


@formula_command("plot")
def plot_command(common: Common, wrt: Along = None, order: PlotOrder = 1, width: Width = None,
                 height: Height = None, output: Output = None, table: TableOption = False,
                 csv: Csv = False) -> None:
    """Draw f and its derivative f′ (f″, … with --order) along one variable: --at x=-2..2
    (a range without a count is its whole interval, ends included, in 400 steps; -2..2:50
    takes those 50 points). With several variables, --wrt names the one on the x axis and
    --at holds the others."""
    from adcli import calculations
    from adcli.calculations.plot import with_samples

    rows.check_options(common, table, csv, each=None)
    if output is not None and output.suffix.lower() not in PICTURES:
        raise InputError(f"--output {output}: plot writes .svg, .png or .pdf", kind="bad-option")
    chosen = wrt_names(wrt)
    specs, along = with_samples(common.at, common.formula().variables, chosen)
    point = dataclasses.replace(common, at=specs).point()
    curves = calculations.plot(point, chosen or along, order)
    if output is not None:
        _picture(curves, output)
    elif common.json:
        from adcli.views.plot import plot_json

        emit(plot_json(curves))
    elif table or csv:
        rows.show(common, curves.point, curves.value, curves.variable, curves.derivatives, csv)
    else:
        from adcli.views import plot

        out = console()
        columns = width or out.width
        out.width = max(out.width, columns)  # --width wider than the terminal: the user's call
        color = out.color_system is not None and not out.no_color
        out.print(plot.plot(curves, columns, height or _height(columns), color,
                            common.precision))


def _height(columns: int) -> int:
    """About a quarter of the width, and no more than the terminal shows with the notes."""
    high = max(8, min(columns // 4, 24))
    if sys.stdout.isatty():
        high = min(high, max(8, shutil.get_terminal_size().lines - 10))
    return high


def _picture(curves: Curves, output: Path) -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ComputeError("--output draws with matplotlib, which is not installed",
                           kind="missing-matplotlib",
                           hint="pip install 'adcli[pictures]' (or pip install matplotlib)"
                           ) from None
    from adcli.views import picture

    try:
        picture.write(curves, output)
    except OSError as exc:
        raise ComputeError(f"cannot write {output}: {exc.strerror or exc}",
                           kind="bad-file") from None
