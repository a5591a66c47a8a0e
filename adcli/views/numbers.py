"""Numbers for people. The rules, each in a function of its own below (tests/test_numbers.py
holds them):

- By default numbers look as torch prints them, so that adcli's answer and the notebook's read
  the same: four digits after the point (`[nan, 7.4147, 1.4120, -10.5169, -11.0159]`), and whole
  numbers without a point where every element shown is whole (`[0, 4, 8, 12, 16]`). Unlike
  torch, an element too small or too large for that (below 1e-4, from 1e8) is written in
  scientific notation by itself (`[1.0000, 2.0000e-07]`) instead of switching the whole row.
- `--precision N` is N significant digits instead, at each element's own scale, never more
  digits than the shortest text that reads back to the same float: 1/3 at 17 digits is
  0.3333333333333333, not 0.33333333333333331; 0.1 is 0.1 at any precision.
- A zero never shows a sign: the sign of an IEEE zero records how it was made (0·(-3) is -0.0),
  not a value a person asked for; and a number that is not zero never shows as zero (1e-05, not
  0.0000). `--exact` and `--json` keep -0.0.
- `--exact`: every float as the shortest text that reads back to it (Python's repr; float32
  values in their own shortest form), -0.0 included.
- Arrays longer than SUMMARY_THRESHOLD show their ends around `...` (numpy's way), whole with
  `--full`; lines wrap at the width the view has. Only the elements shown are formatted.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Union

import numpy as np

if TYPE_CHECKING:  # (numpy.typing costs 2 ms of every start)
    import numpy.typing as npt

SUMMARY_THRESHOLD = 50  # elements; larger arrays show EDGE_ITEMS at each end of each axis
EDGE_ITEMS = 3
DECIMALS = 4  # torch's printout: four digits after the point
FIXED = (1e-4, 1e8)  # torch's fixed-point range; outside it an element goes scientific
WHOLE_LIMIT = 1e15  # whole numbers below this are shown in full (every integer here is exact)


@dataclass(frozen=True)
class Numbers:
    """How numbers are shown: torch's look (digits None), `digits` significant digits
    (--precision), or every digit that reads back to the same float (--exact); arrays
    shortened, or whole (--full)."""

    digits: int | None = None
    exact: bool = False
    full: bool = False


# What views take: a Numbers, or (from callers that know only --precision) a digit count.
Precision = Union[int, None, Numbers]
TORCH = Numbers()


def numbers(precision: Precision) -> Numbers:
    return precision if isinstance(precision, Numbers) else Numbers(digits=precision)


# -- the rules for one number -------------------------------------------------------------------


def format_number(value: float | np.floating, precision: Precision = TORCH,
                  whole: bool = True) -> str:
    """One number, by the rules above; `whole`: a whole number may drop its point (torch's look
    writes 1.0000 in a row whose other elements are not whole)."""
    style = numbers(precision)
    v = float(value)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if style.exact:
        return shortest(value)
    if style.digits is None:
        return torch_look(v, whole)
    if v == 0:
        return "0"  # -0.0 too (see the module's docstring)
    if v.is_integer() and abs(v) < WHOLE_LIMIT:
        return str(int(v))
    return significant(value, max(style.digits, 1))


def torch_look(v: float, whole: bool) -> str:
    """Four digits after the point, as torch prints; whole numbers whole where the row is;
    an element outside torch's fixed range in scientific notation by itself."""
    if whole and v.is_integer() and abs(v) < WHOLE_LIMIT:
        return str(int(v)) if v != 0 else "0"
    if v == 0:
        return f"{0.0:.{DECIMALS}f}"  # -0.0 too
    if FIXED[0] <= abs(v) < FIXED[1]:
        return f"{v:.{DECIMALS}f}"
    return f"{v:.{DECIMALS}e}"


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


def formatter(precision: Precision, whole: bool = True) -> Callable[[float], str]:
    style = numbers(precision)
    return lambda v: format_number(v, style, whole)


def all_whole(array: np.ndarray, threshold: int = SUMMARY_THRESHOLD,
              edgeitems: int = EDGE_ITEMS) -> bool:
    """Whether the elements a summary shows (or every element, when all are shown) are whole
    numbers (nan and ±inf aside): torch's look then writes them without a point. The ends
    stand for a long array, so the cost does not grow with its length."""
    if array.size > threshold:
        flat = array.reshape(-1)
        array = np.concatenate([flat[:edgeitems ** max(array.ndim, 1)],
                                flat[-edgeitems ** max(array.ndim, 1):]])
    finite = array[np.isfinite(array)]
    return bool(np.all((finite == np.round(finite)) & (np.abs(finite) < WHOLE_LIMIT)))


# -- arrays -------------------------------------------------------------------------------------


def format_array(value: npt.ArrayLike, precision: Precision = TORCH,
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
    whole = style.digits is not None or all_whole(array, threshold, edgeitems)
    number = formatter(style, whole)
    if array.ndim == 0:
        return number(array[()])
    return np.array2string(
        array, separator=", ", threshold=threshold, edgeitems=edgeitems,
        max_line_width=max(width, 8), formatter={"float_kind": number},
    )


def compact(value: npt.ArrayLike, precision: Precision = TORCH) -> str:
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
