"""`adcli plot` in the terminal: f and its derivatives drawn by uniplot, with adcli's numbers on
the axes, a legend, and, under the plot, where a curve has gaps (nan or ±inf) and what the axes
leave out.

uniplot (pure Python on numpy, which adcli already loads) draws braille in colour; without
colour (a pipe, NO_COLOR, --no-color) two curves in braille would look alike, so several curves
are drawn with one ASCII character each (+, x, o, …), which the legend names. It is imported
here, by the plot command only: no other command, nor Tab completion, pays for it.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np
from rich.console import Group, RenderableType
from rich.constrain import Constrain
from rich.text import Text

from adcli.calculations import Curves
from adcli.views import json_view
from adcli.views.json_view import plain
from adcli.views.numbers import Numbers, Precision, format_number, numbers
from adcli.views.text import header

NAMES = ["f", "f′", "f″", "f‴"]  # then f⁽⁴⁾, f⁽⁵⁾, …
MAX_LISTED = 4  # points listed where a curve has a gap; past that, a count
TALLEST = 1e150  # the y axis' reach (the x axis': adcli.calculations.plot.WIDEST)
SHORTEST = 1e-300  # the shortest axis
_SUPERSCRIPTS = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def name(order: int) -> str:
    return NAMES[order] if order < len(NAMES) else f"f({order})".translate(_SUPERSCRIPTS)


@dataclass(frozen=True)
class Frame:
    """What the y axis shows: [low, high], and whether some finite values lie outside it."""

    low: float
    high: float
    clipped: bool


def frame(curves: list[np.ndarray]) -> Frame:
    """The y range: every finite value, unless a few of them (near a pole: 1/x at 0.01 is 100)
    would squash the rest into a line; then the middle 90% of the values, with a margin. Values
    beyond ±TALLEST sit on the frame's edge (the ticks are chosen from the square of its
    height, which must be a float)."""
    values = np.concatenate([c[np.isfinite(c)] for c in curves]) if curves else np.array([])
    reach = np.abs(values) <= TALLEST
    beyond = not reach.all()
    values = values[reach]
    if values.size == 0:
        return Frame(-1.0, 1.0, beyond)
    low, high = float(values.min()), float(values.max())
    inner_low, inner_high = (float(v) for v in np.percentile(values, [5, 95]))
    inner = inner_high - inner_low
    if inner > 0 and high - low > 5 * inner:
        margin = 0.25 * inner
        return Frame(*widened(inner_low - margin, inner_high + margin), True)
    return Frame(*widened(low, high), beyond)


def widened(low: float, high: float) -> tuple[float, float]:
    """An axis from low to high, or, where that is one value (or too short for the ticks,
    whose step is a power of ten that must not underflow), around it."""
    if high - low >= SHORTEST:
        return low, high
    middle = (low + high) / 2
    margin = max(1.0, abs(middle) / 2)
    return middle - margin, middle + margin


@contextmanager
def _numbers_on_axes(precision: Precision) -> Iterator[None]:
    """uniplot writes its tick labels itself (`2,000`, and `-0.000` for a tick at zero computed
    as -1e-19); have it write them by adcli's rules instead. The rounding to the tick's digits
    stays uniplot's (it picks the fewest that tell the ticks apart)."""
    try:
        from uniplot.axis_labels.label_set import LabelSet
    except ImportError:  # another uniplot: its own labels, then
        yield
        return
    original = getattr(LabelSet, "_float_format", None)
    if original is None:
        yield
        return

    # a tick is a round number: as few digits as it has (0.8, 2000), not torch's 0.8000
    ticks = Numbers(digits=numbers(precision).digits or 5)

    def adcli_format(self: Any, n: float, digits: int) -> str:
        return format_number(round(float(n), digits) + 0.0, ticks)

    LabelSet._float_format = adcli_format  # type: ignore[method-assign]
    try:
        yield
    finally:
        LabelSet._float_format = original  # type: ignore[method-assign]


def drawing(curves: Curves, width: int, height: int, color: bool,
            precision: Precision = None) -> str | None:
    """The plot itself, `width` columns wide at most (the y labels included), `height` rows
    of canvas: text with ANSI colours when `color`; None when no curve has a finite value."""
    import uniplot

    order = np.argsort(curves.x, kind="stable")  # a curve goes from left to right
    x = np.asarray(curves.x, dtype=np.float64)[order]
    ys = [finite_or_nan(c)[order] for c in (curves.value, *curves.derivatives)]
    # a curve with no finite value is drawn as no points (which uniplot's ranges skip)
    empty = [bool(np.isnan(y).all()) for y in ys]
    if all(empty):
        return None
    box = frame(ys)
    # uniplot's ASCII set gives each curve its own character, which is how they differ
    # without colour; one curve alone keeps braille's resolution.
    characters = "braille" if color or len(ys) == 1 else "ascii"
    low, high = widened(float(x[0]), float(x[-1]))
    with _numbers_on_axes(precision):
        return uniplot.plot_to_string(
            ys=[np.array([]) if none else np.clip(y, box.low, box.high) if box.clipped else y
                for y, none in zip(ys, empty)],
            xs=[np.array([]) if none else x for none in empty],
            width=max(width - 12, 10), height=max(height, 4),
            line_length_hard_cap=max(width, 20), lines=True, color=color,
            character_set=characters, legend_labels=[name(k) for k in range(len(ys))],
            # uniplot's ticks stop short of x_max (an arange): a hair more lets the last end
            # of the range, 2 of -2..2, have its label
            x_min=low, x_max=high + 1e-9 * (high - low), y_min=box.low, y_max=box.high,
            # the axes (x = 0, y = 0) where they cross the frame, not on its edge
            x_gridlines=[0.0] if low < 0 < high else [],
            y_gridlines=[0.0] if box.low < 0 < box.high else [])


def plot(curves: Curves, width: int, height: int, color: bool,
         precision: Precision = None) -> RenderableType:
    """The formula, the values held, the plot, and what to know about it."""
    picture = drawing(curves, width, height, color, precision)
    parts: list[RenderableType] = [header(curves.point)]
    held = [f"{n} = {format_number(a.reshape(-1)[0], precision)}" if a.size == 1 else
            f"{n}: shape {'×'.join(map(str, a.shape))}"
            for n, a in curves.point.at.items() if n != curves.variable]
    if held:
        parts.append(Text(f"along {curves.variable}, with " + ", ".join(held) + " held",
                          style="dim"))
    if picture is None:
        parts.append(Text("nothing to draw: no curve has a finite value here", style="bold"))
    else:
        drawn = Text.from_ansi(picture) if color else Text(picture)
        drawn.no_wrap, drawn.overflow = True, "ignore"  # its lines fit: uniplot was given the width
        parts.append(drawn)
    parts.extend(Text(line, style="dim") for line in notes(curves, precision))
    return Constrain(Group(*parts), width)  # the words under it wrap at the plot's width


def notes(curves: Curves, precision: Precision = None) -> list[str]:
    """Under the plot: the samples, what the primes mean, the gaps, what is cut off."""
    x = curves.x
    lines = [f"{x.size:,} points of {curves.variable} from {format_number(x.min(), precision)} "
             f"to {format_number(x.max(), precision)}"
             + (f"; ′ is d/d{curves.variable}" if curves.order else "")
             + (", computed point by point (f is not element-wise in "
                f"{curves.variable})" if curves.pointwise else "")]
    for k, curve in enumerate((curves.value, *curves.derivatives)):
        lines.extend(_gaps(name(k), curve, x, curves.variable, precision))
    box = frame([finite_or_nan(c) for c in (curves.value, *curves.derivatives)])
    if box.clipped:
        lines.append(f"y from {format_number(box.low, precision)} to "
                     f"{format_number(box.high, precision)}: values past it (near a pole) sit "
                     f"on its edge")
    return lines


def _gaps(label: str, curve: np.ndarray, x: np.ndarray, variable: str,
          precision: Precision) -> list[str]:
    """`f′ is -inf at x = 0 (a gap in the curve)`, per kind of non-finite value."""
    found = []
    for kind, where in (("nan", np.isnan(curve)), ("inf", curve == np.inf),
                        ("-inf", curve == -np.inf)):
        points = x[where]
        if not points.size:
            continue
        listed = ", ".join(format_number(p, precision) for p in points[:MAX_LISTED])
        more = f", … ({points.size:,} points)" if points.size > MAX_LISTED else ""
        gap = "a gap" if points.size == 1 else "gaps"
        found.append(f"{label} is {kind} at {variable} = {listed}{more} ({gap} in the curve)")
    return found


def finite_or_nan(curve: np.ndarray) -> np.ndarray:
    """uniplot leaves a gap at nan; ±inf would stretch the axis, so it becomes a gap too."""
    out = np.array(curve, dtype=np.float64).reshape(-1)
    out[~np.isfinite(out)] = np.nan
    return out


def plot_json(curves: Curves) -> dict[str, Any]:
    """The sampled points: `at` holds the variable's samples, `value` f at each, and
    `derivatives[k - 1]` the k-th derivative at each."""
    document = json_view.answer("plot", curves.point, curves.value, curves.run)
    document["wrt"] = curves.variable
    document["order"] = curves.order
    document["derivatives"] = [plain(d) for d in curves.derivatives]
    document["pointwise"] = curves.pointwise
    return document
