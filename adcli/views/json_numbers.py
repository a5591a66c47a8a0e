"""Large float arrays as JSON text, fast, and byte for byte what the json module writes for
them (`json.dumps(array.tolist())` with adcli's strings for non-finite numbers).

The json module writes each float with Python's repr, which costs about a microsecond a number:
2 s for a million. orjson writes numpy arrays in C with the same shortest round-trip digits
(checked against repr on random bit patterns of every magnitude, tests/test_json_numbers.py), but
lays some of them out differently, all below 1e-4 in magnitude:

- Python writes exponents with two digits at least (`1e-06`), orjson with one (`1e-6`) below 0;
- Python switches to an exponent below 1e-4 (`1.5e-05`), orjson only below 1e-5 (`0.000015`).

numpy finds those numbers. Where they are few (a gradient's handful near its zeros), orjson
writes null in their places and each null becomes Python's repr of its number, in order; where
they are many, the two fixes are made in orjson's whole text. nan and ±inf, which orjson writes
as null, become adcli's "nan", "inf" and "-inf" the same way. Last, Python separates items with
", ", orjson with "," (numbers hold no comma, so all are items).

A float32 array is written in its shortest float32 form: orjson finds those digits, read back
as float64 they are the float64 array written (what `float(str(v))` gives for each element).
"""

from __future__ import annotations

import re

import numpy as np
import orjson

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY
_NON_FINITE = {"nan": b'"nan"', "inf": b'"inf"', "-inf": b'"-inf"'}
# Up to one number in FEW written by repr, one at a time; more, and fixing the whole text is
# faster (a microsecond per repr, against a pass of re over twenty bytes a number).
FEW = 16
# A number in [1e-5, 1e-4) as orjson writes it (the literal first, so that re searches fast);
# `_exponent` leaves alone what is the tail of another number (`10.00001`).
_BELOW_1E4 = re.compile(rb"0\.0000([1-9])(\d*)")


def text(array: np.ndarray) -> str:
    """The JSON text of a float array (nested lists for more than one axis)."""
    return encode(array).decode()


def encode(array: np.ndarray) -> bytes:
    """The same text as ASCII bytes, as orjson makes it (for a stream that takes bytes)."""
    if array.dtype == np.float32:
        array = _shortest_float32(array)
    array = np.ascontiguousarray(array, dtype=np.float64)
    magnitude = np.abs(array)
    # nan fails both comparisons, ±inf the second: both are Python's to write too
    python = ~(((magnitude >= 1e-4) & (magnitude <= np.finfo(np.float64).max)) | (magnitude == 0))
    count = int(np.count_nonzero(python))
    if count == 0:  # most arrays
        return orjson.dumps(array, option=_OPTIONS).replace(b",", b", ")
    if count * FEW > array.size:
        out = _python_layout(orjson.dumps(array, option=_OPTIONS))
        texts = [_NON_FINITE[text] for text in map(repr, array[~np.isfinite(array)].tolist())]
    else:
        out = orjson.dumps(np.where(python, np.nan, array), option=_OPTIONS)
        texts = [_NON_FINITE.get(text) or text.encode()
                 for text in map(repr, array[python].tolist())]
    if not texts:
        return out.replace(b",", b", ")
    parts = out.split(b"null")  # one where each of `texts` goes, in order
    pieces: list[bytes] = [b""] * (2 * len(parts) - 1)
    pieces[::2], pieces[1::2] = parts, texts
    return b"".join(pieces).replace(b",", b", ")


def _python_layout(out: bytes) -> bytes:
    """orjson's text with its numbers below 1e-4 written as Python writes them."""
    if b"0.0000" in out:
        out = _BELOW_1E4.sub(_exponent, out)
    if b"e-" in out:  # a one-digit exponent ends its number (`,` or `]` follows): pad it
        parts = out.split(b"e-")
        out = b"e-".join([parts[0]] + [b"0" + p if p[1:2] in (b",", b"]") else p
                                       for p in parts[1:]])
    return out


def _exponent(match: re.Match[bytes]) -> bytes:
    text = match.string
    if match.start() and text[match.start() - 1] in b"0123456789.":
        return match.group(0)
    first, rest = match.group(1), match.group(2)
    return first + (b"." + rest if rest else b"") + b"e-05"


def _shortest_float32(array: np.ndarray) -> np.ndarray:
    """Each float32 as the float64 its shortest digits read as (non-finite ones kept)."""
    finite = np.isfinite(array)
    digits = orjson.dumps(np.ascontiguousarray(np.where(finite, array, 0).ravel()),
                          option=_OPTIONS)
    widened = np.array(orjson.loads(digits), dtype=np.float64)
    widened[~finite.ravel()] = array[~finite].astype(np.float64)
    return widened.reshape(array.shape)
