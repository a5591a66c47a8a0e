"""Numbers for people: PyTorch's look (`[nan, 7.4147, 1.4120]`), whole numbers without a
trailing `.0`, large arrays shortened the way numpy does (first and last items around `...`)."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import numpy.typing as npt

SUMMARY_THRESHOLD = 50  # elements; larger arrays show EDGE_ITEMS at each end of each axis
EDGE_ITEMS = 3


def _formatter(array: np.ndarray, precision: int) -> Callable[[float], str]:
    finite = array[np.isfinite(array)]
    integral = finite.size == 0 or bool(np.all(finite == np.round(finite)) and np.all(np.abs(finite) < 1e16))
    big = finite.size and float(np.max(np.abs(finite))) >= 1e8
    # A number that would print as zero in fixed notation is shown in scientific notation
    # instead (`--precision 2` prints 0.004 as 4.00e-03, but 0.006 as 0.01, and `--precision 0`
    # rounds 0.84 to 1, not to 8e-01).
    nonzero = finite[finite != 0]
    tiny = nonzero.size and bool(np.any(np.round(nonzero, precision) == 0))

    def number(v: float) -> str:
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if integral and not big:
            return f"{v:.0f}" if v != 0 else "0"
        if big or tiny:
            return f"{v:.{precision}e}"
        return f"{v:.{precision}f}"

    return number


def format_array(value: npt.ArrayLike, precision: int = 4, threshold: int = SUMMARY_THRESHOLD,
                 edgeitems: int = EDGE_ITEMS, width: int = 100) -> str:
    array = np.asarray(value)
    if array.dtype.kind == "b":
        return np.array2string(array, separator=", ", threshold=threshold, edgeitems=edgeitems,
                               max_line_width=width, formatter={"bool": lambda b: str(b).lower()})
    array = array.astype(np.float64, copy=False)
    number = _formatter(array, precision)
    if array.ndim == 0:
        return number(float(array))
    return np.array2string(
        array, separator=", ", threshold=threshold, edgeitems=edgeitems,
        max_line_width=width, formatter={"float_kind": number},
    )


def compact(value: npt.ArrayLike, precision: int = 4) -> str:
    """One line for a graph node: short arrays whole, longer ones as their ends around `...`."""
    return " ".join(format_array(value, precision, threshold=6, edgeitems=2, width=10_000).split())


def shape_text(value: npt.ArrayLike) -> str:
    shape = np.shape(value)
    if not shape:
        return "scalar"
    return "shape " + "×".join(str(n) for n in shape)
