"""Numbers for people. The rules, each in a function of its own below (tests/test_numbers.py
holds them):

- `--precision N` is N significant digits (default 5), and never more digits than the shortest
  text that reads back to the same float: 1/3 at 17 digits is 0.3333333333333333, not
  0.33333333333333331; 0.1 is 0.1 at any precision.
- Each element is formatted at its own scale (fixed notation from 1e-4 up to 10^N, scientific
  outside), so one tiny element does not switch a whole vector to scientific notation.
- A whole number below 10^15 is shown whole, without `.0`: 60, 1048576, 332833500.
- A zero is `0`, whatever its sign: the sign of an IEEE zero records how it was made (0·(-3) is
  -0.0), not a value a person asked for. A number that is not zero never shows as zero: it keeps
  its significant digits (1e-05, not 0.0000). `--exact` and `--json` keep -0.0.
- `--exact`: every float as the shortest text that reads back to it (Python's repr; float32
  values in their own shortest form), -0.0 included.
- Arrays longer than SUMMARY_THRESHOLD show their ends around `...` (numpy's way), whole with
  `--full`; lines wrap at the width the view has.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Callable, Union

import numpy as np
import numpy.typing as npt

SUMMARY_THRESHOLD = 50  # elements; larger arrays show EDGE_ITEMS at each end of each axis
EDGE_ITEMS = 3
DEFAULT_DIGITS = 5
WHOLE_LIMIT = 1e15  # whole numbers below this are shown in full (every integer here is exact)


@dataclass(frozen=True)
class Numbers:
    """How numbers are shown: `digits` significant digits (--precision), or every digit that
    reads back to the same float (--exact); arrays shortened, or whole (--full)."""

    digits: int = DEFAULT_DIGITS
    exact: bool = False
    full: bool = False


# What views take: a Numbers, or (from callers that know only --precision) a digit count.
Precision = Union[int, Numbers]


def numbers(precision: Precision) -> Numbers:
    return precision if isinstance(precision, Numbers) else Numbers(digits=precision)


# -- the rules for one number -------------------------------------------------------------------


def format_number(value: float | np.floating, precision: Precision = DEFAULT_DIGITS) -> str:
    """One number, by the rules above."""
    style = numbers(precision)
    v = float(value)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if style.exact:
        return shortest(value)
    if v == 0:
        return "0"  # -0.0 too (see the module's docstring)
    if v.is_integer() and abs(v) < WHOLE_LIMIT:
        return str(int(v))
    return significant(value, max(style.digits, 1))


def significant(value: float | np.floating, digits: int) -> str:
    """`digits` significant digits at the number's own scale, trailing zeros dropped; fixed
    notation from 1e-4 up to 10^digits (as C's %g), scientific outside; never more digits
    than the shortest round-trip text has."""
    scientific = np.format_float_scientific(value, precision=digits - 1, unique=True, trim="-")
    scientific = scientific.replace(".e", "e")  # numpy leaves `2.e+06` when rounding drops digits
    exponent = int(scientific.rsplit("e", 1)[1])  # after rounding: 99999.7 at 5 digits is 1e+05
    if -4 <= exponent < digits:
        return np.format_float_positional(value, precision=digits, unique=True, fractional=False,
                                          trim="-")
    return scientific


def shortest(value: float | np.floating) -> str:
    """The shortest text that reads back to the same float (float32 values: to the same
    float32), as Python's repr writes it: 0.1, 1e-05, 2.0, -0.0."""
    if isinstance(value, np.float32):
        return str(value)  # numpy's shortest float32 form, in repr's notation
    return repr(float(value))


def formatter(precision: Precision) -> Callable[[float], str]:
    style = numbers(precision)
    return lambda v: format_number(v, style)


# -- arrays -------------------------------------------------------------------------------------


def format_array(value: npt.ArrayLike, precision: Precision = DEFAULT_DIGITS,
                 threshold: int = SUMMARY_THRESHOLD, edgeitems: int = EDGE_ITEMS,
                 width: int = 100) -> str:
    style = numbers(precision)
    array = np.asarray(value)
    if style.full:
        threshold = sys.maxsize
    if array.dtype.kind == "b":
        return np.array2string(array, separator=", ", threshold=threshold, edgeitems=edgeitems,
                               max_line_width=width, formatter={"bool": lambda b: str(b).lower()})
    if array.dtype.kind not in "f":  # integers (and anything else numeric) as float64
        array = array.astype(np.float64)
    number = formatter(style)
    if array.ndim == 0:
        return number(array[()])
    return np.array2string(
        array, separator=", ", threshold=threshold, edgeitems=edgeitems,
        max_line_width=max(width, 8), formatter={"float_kind": number},
    )


def compact(value: npt.ArrayLike, precision: Precision = DEFAULT_DIGITS) -> str:
    """One line for a graph node: short arrays whole, longer ones as their ends around `...`."""
    style = numbers(precision)
    if style.full:  # a node's label stays one short line, whatever --full asks of the rows
        style = Numbers(style.digits, style.exact)
    return " ".join(format_array(value, style, threshold=6, edgeitems=2, width=10_000).split())


def shape_text(value: npt.ArrayLike) -> str:
    shape = np.shape(value)
    if not shape:
        return "scalar"
    return "shape " + "×".join(str(n) for n in shape)
