"""Strict JSON for scripts: arrays as nested lists, 0-d arrays as plain numbers, non-finite
numbers as the strings "nan", "inf", "-inf", and every float written so it reads back exactly
(float32 values in their own shortest form: 0.1, not 0.10000000149011612)."""

from __future__ import annotations

import functools
import json
import math
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from adcli.errors import AdcliError
from adcli.views.printable import UNSAFE

if TYPE_CHECKING:  # the error report below must not wait for the calculations (or numpy)
    import numpy as np
    import numpy.typing as npt

    from adcli.calculations import Evaluation, Gradient, Origin, Point, Run
    from adcli.calculations.functions import FunctionTable


# Float arrays of at least this many elements are written by json_numbers (in C), smaller ones
# through Python lists and the json module (the same text either way).
LARGE = 1000


class Numbers:
    """A large float array in a document: `dumps` writes it (as json_numbers.text does)."""

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray) -> None:
        self.array = array


def plain(value: npt.ArrayLike) -> Any:
    """An array as JSON-ready data for `dumps`: nested lists of numbers and the strings of
    non-finite numbers (a large float array stays an array, as `Numbers`)."""
    import numpy as np  # here, not above: an error report must not need numpy

    array = np.asarray(value)
    if array.dtype.kind == "f" and array.size >= LARGE:
        return Numbers(array)
    if array.dtype.kind == "b":
        return array.tolist()
    if array.dtype == np.float32:
        # str() of a float32 is its shortest round-trip form; float() of that text is exact too.
        shortest = [float(str(v)) for v in array.ravel()]
        array = np.array(shortest, dtype=np.float64).reshape(array.shape)
    else:
        array = array.astype(np.float64, copy=False)
    if np.logical_and.reduce(np.isfinite(array), axis=None):  # (ndarray.all is Python code)
        return array.tolist()
    boxed = array.astype(object)
    boxed[np.isnan(array)] = "nan"
    boxed[array == np.inf] = "inf"
    boxed[array == -np.inf] = "-inf"
    return boxed.tolist()


def dumps(document: dict[str, Any], ascii: bool = False) -> str:
    """Strict JSON, large arrays written by json_numbers. Control characters, bidirectional
    overrides and lone surrogates are always \\u-escaped (printable.py says why); `ascii` escapes
    everything past ASCII too, for a stream that cannot encode it. A stray non-finite float
    becomes "nan"/"inf"/"-inf" like the rest."""
    parts = pieces(document, ascii)
    return parts[0] if len(parts) == 1 else "".join(
        p if isinstance(p, str) else p.decode() for p in parts)


def pieces(document: dict[str, Any], ascii: bool = False) -> list[str | bytes]:
    """`dumps`'s text in pieces: its own text, and each large array's as the ASCII bytes
    orjson wrote (a stream that takes bytes writes them without decoding tens of megabytes
    into a string and encoding them back)."""
    arrays: list[np.ndarray] = []

    def placeholder(item: Any) -> str:  # the json module asks for what it cannot write
        if not isinstance(item, Numbers):
            raise TypeError(f"{type(item).__name__} is not JSON serializable")
        arrays.append(item.array)
        return _PLACEHOLDER

    try:
        skeleton = json.dumps(document, ensure_ascii=ascii, allow_nan=False, default=placeholder)
    except ValueError:  # a float nan or inf outside the arrays plain() converts
        arrays.clear()
        skeleton = json.dumps(_finite(document), ensure_ascii=ascii, allow_nan=False,
                              default=placeholder)
    if not ascii and UNSAFE.search(skeleton):
        skeleton = UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", skeleton)
    if not arrays:
        return [skeleton]
    from adcli.views import json_numbers

    parts = skeleton.split(json.dumps(_PLACEHOLDER))
    out: list[str | bytes] = [parts[0]]
    for array, part in zip(arrays, parts[1:]):
        out += [json_numbers.encode(array), part]
    return out


# Where a large array goes in the document until its text is ready: a string no formula, name
# or message holds (NUL characters are refused as input; JSON writes them \\u0000).
_PLACEHOLDER = "\x00adcli-numbers\x00"


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


@functools.lru_cache(maxsize=None)
def _name(dtype: np.dtype) -> str:
    return dtype.name  # (numpy works it out in Python each time: --each asks once per line)


def answer(command: str, point: Point, value: np.ndarray, run: Run,
           mode: str | None = None) -> dict[str, Any]:
    """What every command's object starts with: the question and the value."""
    document: dict[str, Any] = {
        "command": command,
        "expression": point.formula.source,
        "dtype": _name(point.dtype),
    }
    if mode is not None:
        document["mode"] = mode
    if point.formula.is_program:
        document["file"] = point.formula.name
    document["at"] = {name: plain(array) for name, array in [*point.at.items(), *run.draws]}
    if run.seed is not None:
        document["seed"] = run.seed
    if run.path:
        document["path"] = list(run.path)
    document["value"] = plain(value)
    return document


def gradient_fields(document: dict[str, Any], cotangent: np.ndarray | str | None,
                    gradient: Mapping[str, np.ndarray]) -> dict[str, Any]:
    # null (f is one number), "ones" (the default contraction) or the --cotangent given
    document["cotangent"] = cotangent if cotangent is None or isinstance(cotangent, str) \
        else plain(cotangent)
    document["gradient"] = {name: plain(g) for name, g in gradient.items()}
    return document


def calculation(command: str, result: Evaluation | Gradient) -> dict[str, Any]:
    """`eval` and `grad` (`graph` and `trace` start the same way)."""
    from adcli.calculations import Gradient

    if isinstance(result, Gradient):
        document = answer(command, result.point, result.value, result.run, result.mode)
        return gradient_fields(document, result.cotangent, result.gradient)
    return answer(command, result.point, result.value, result.run)


def origins(found: Iterable[Origin]) -> list[dict[str, Any]]:
    """Where each kind of nan/inf first appeared, per pass."""
    return [{
        "kind": o.kind, "pass": o.direction, "node": o.node, "index": list(o.index),
        "text": o.text, "to": o.target,
        "operands": [{"text": text, "value": None if v is None else plain(v)}
                     for text, v in o.operands],
    } for o in found]


def functions(table: FunctionTable) -> dict[str, Any]:
    return {
        "command": "functions",
        "functions": [{"name": f.name, "signature": f.signature, "doc": f.doc,
                       "rule": f.rule, "inputs": list(f.inputs)} for f in table.functions],
        "aliases": dict(table.aliases),
        "operators": [{"name": p.name, "syntax": p.signature, "rule": p.rule,
                       "inputs": list(p.inputs)} for p in table.operators],
    }


def error(err: AdcliError) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": err.kind, "message": err.message, "exit_code": err.exit_code}
    if err.source is not None:
        body["source"] = err.source
        body["start"] = err.start
        body["end"] = err.end
        if err.start is not None:
            body["line"] = err.source.count("\n", 0, err.start) + 1
            body["column"] = err.start - (err.source.rfind("\n", 0, err.start) + 1) + 1
    if err.hint:
        body["hint"] = err.hint
    return {"error": body}
