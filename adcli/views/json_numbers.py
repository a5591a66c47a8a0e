"""Large float arrays as JSON text, fast, and byte for byte what the json module writes for
them (`json.dumps(array.tolist())` with adcli's strings for non-finite numbers).

The json module writes each float with Python's repr, which costs about a microsecond a number:
2 s for a million. orjson writes numpy arrays in C with the same shortest round-trip digits
(checked against repr on random bit patterns of every magnitude, tests/test_json_numbers.py), but
lays some of them out differently; three fixes make its text Python's:

- Python writes exponents with two digits at least (`1e-06`), orjson with one (`1e-6`) below 0;
- Python switches to an exponent below 1e-4 (`1.5e-05`), orjson only below 1e-5 (`0.000015`);
- Python separates items with ", ", orjson with "," (numbers hold no comma, so all are items).

orjson writes nan and ±inf as null; they are put back as "nan", "inf", "-inf", in order. A
float32 array is written in its shortest float32 form: orjson finds those digits, read back as
float64 they are the float64 array written (what `float(str(v))` gives for each element).
"""

from __future__ import annotations

import re

import numpy as np
import orjson

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY
# A number in [1e-5, 1e-4) as orjson writes it (the literal first, so that re searches fast);
# `_python_layout` leaves alone what is the tail of another number (`10.00001`).
_BELOW_1E4 = re.compile(rb"0\.0000([1-9])(\d*)")
_NON_FINITE = (b'"nan"', b'"inf"', b'"-inf"')


def _python_layout(match: re.Match[bytes]) -> bytes:
    text = match.string
    if match.start() and text[match.start() - 1] in b"0123456789.":
        return match.group(0)
    first, rest = match.group(1), match.group(2)
    return first + (b"." + rest if rest else b"") + b"e-05"


def text(array: np.ndarray) -> str:
    """The JSON text of a float array (nested lists for more than one axis)."""
    return encode(array).decode()


def encode(array: np.ndarray) -> bytes:
    """The same text as ASCII bytes, as orjson makes it (for a stream that takes bytes)."""
    if array.dtype == np.float32:
        array = _shortest_float32(array)
    array = np.ascontiguousarray(array, dtype=np.float64)
    out = orjson.dumps(array, option=_OPTIONS)
    magnitude = np.abs(array)
    # The first two fixes are for numbers below 1e-4 only: most arrays have none, and a pass of
    # numpy over the numbers is several times faster than searching their text.
    if np.logical_or.reduce((magnitude < 1e-4) & (magnitude > 0), axis=None):
        if b"0.0000" in out:
            out = _BELOW_1E4.sub(_python_layout, out)
        if b"e-" in out:  # a one-digit exponent ends its number (`,` or `]` follows): pad it
            parts = out.split(b"e-")
            out = b"e-".join([parts[0]] + [b"0" + p if p[1:2] in (b",", b"]") else p
                                           for p in parts[1:]])
    out = out.replace(b",", b", ")
    finite = np.isfinite(array)
    if not np.logical_and.reduce(finite, axis=None):
        bad = array[~finite]
        kinds = np.where(np.isnan(bad), 0, np.where(bad > 0, 1, 2))
        parts = out.split(b"null")
        filled = [parts[0]]
        for kind, part in zip(kinds.tolist(), parts[1:]):
            filled += [_NON_FINITE[kind], part]
        out = b"".join(filled)
    return out


def _shortest_float32(array: np.ndarray) -> np.ndarray:
    """Each float32 as the float64 its shortest digits read as (non-finite ones kept)."""
    finite = np.isfinite(array)
    digits = orjson.dumps(np.ascontiguousarray(np.where(finite, array, 0).ravel()),
                          option=_OPTIONS)
    widened = np.array(orjson.loads(digits), dtype=np.float64)
    widened[~finite.ravel()] = array[~finite].astype(np.float64)
    return widened.reshape(array.shape)
