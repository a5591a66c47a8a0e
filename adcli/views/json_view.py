"""Strict JSON for scripts: arrays as nested lists, 0-d arrays as plain numbers, non-finite
numbers as the strings "nan", "inf", "-inf", and every float written so it reads back exactly
(float32 values in their own shortest form: 0.1, not 0.10000000149011612)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from adcli.errors import AdcliError


def plain(value: Any) -> Any:
    """An array as JSON-ready Python data."""
    array = np.asarray(value)
    if array.dtype.kind == "b":
        return array.tolist()
    if array.dtype == np.float32:
        # str() of a float32 is its shortest round-trip form; float() of that text is exact too.
        shortest = [float(str(v)) for v in array.ravel()]
        array = np.array(shortest, dtype=np.float64).reshape(array.shape)
    else:
        array = array.astype(np.float64, copy=False)
    finite = np.isfinite(array)
    if finite.all():
        return array.tolist()
    boxed = array.astype(object)
    boxed[np.isnan(array)] = "nan"
    boxed[array == np.inf] = "inf"
    boxed[array == -np.inf] = "-inf"
    return boxed.tolist()


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, allow_nan=False)


def calculation(command: str, calc: Any, mode: str | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "command": command,
        "expression": calc.formula.source,
        "dtype": calc.dtype,
    }
    if mode is not None:
        document["mode"] = mode
    if calc.formula.is_program:
        document["file"] = calc.formula.name
    document["at"] = {name: plain(value) for name, value in
                      [*calc.at.items(), *calc.session.draws.items()]}
    if calc.session.seed is not None:
        document["seed"] = calc.session.seed
    if calc.session.notes:
        document["path"] = list(calc.session.notes)
    document["value"] = plain(calc.value)
    if calc.gradient is not None:
        document["cotangent"] = calc.cotangent
        document["gradient"] = {name: plain(g) for name, g in calc.gradient.items()}
    return document


def functions(table: Any) -> dict[str, Any]:
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
