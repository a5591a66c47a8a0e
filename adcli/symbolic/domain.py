"""Where a derivative formula holds, as far as the formulas and the rules tell.

- a division by something that can be 0 (`x ≠ 0`), and a root or a function defined on part of
  the line (`x > 0` for log, `-1 ≤ x ≤ 1` for asin), found in the formula and its derivative;
- kinks: where a rule the formula uses changes branch (relu's `where(x <= 0, 0, 1)`, abs's
  `sign(x)`), with the registry's note on what adcli does there (torch's `relu'(0) = 0`);
- the edge conventions the rules applied (a guard of adcli.symbolic.convert).

What a function's values can be (positive, never negative) and where it is defined are found by
evaluating it at probe points, not by its name, so a new registry entry is covered as it is.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from adcli.symbolic import algebra as al
from adcli.symbolic.convert import Guard
from adcli.symbolic.expr import Expr, is_integer
from adcli.symbolic.printer import COMPARE, short_text
from adcli.symbolic.walk import postorder

POSITIVE, NONNEGATIVE, NONZERO, UNKNOWN = "positive", "nonnegative", "nonzero", "unknown"
_EDGE = 1e-9
_GRID = np.array([-1e6, -10.0, -2.0, -1.5, -1.0 - 1e-3, -1.0, -1.0 + 1e-3, -0.5, -_EDGE, 0.0,
                  _EDGE, 0.5, 1.0 - 1e-3, 1.0, 1.0 + 1e-3, 1.5, 2.0, 10.0, 1e6])
_BOUNDS = {-1.0 - 1e-3: (-1, False), -1.0: (-1, True), -1.0 + 1e-3: (-1, False),
           -_EDGE: (0, False), 0.0: (0, True), _EDGE: (0, False),
           1.0 - 1e-3: (1, False), 1.0: (1, True), 1.0 + 1e-3: (1, False)}


@lru_cache(maxsize=None)
def value_sign(name: str) -> str:
    """What a primitive's values can be, probed at zeros, ± values and mixed arrays of its
    representative shapes: exp, cosh, sigmoid are positive; abs, norm, relu never negative."""
    from adcli.ops import PRIMITIVES
    from adcli.symbolic.rules import representative_shapes

    prim = PRIMITIVES.get(name)
    if prim is None or prim.arity < 1:
        return UNKNOWN
    shapes = representative_shapes(name) or ((),) * prim.arity
    rng = np.random.default_rng(3)
    probes = [np.zeros, np.ones, lambda s: -np.ones(s)]
    probes += [lambda s, r=r: np.clip(rng.normal(0, 3, s) * r, -30, 30) for r in (1, 5, 10)]
    seen = []
    try:
        with np.errstate(all="ignore"):
            for make in probes:
                for other in probes:
                    args = [make(shapes[0]), *(other(s) for s in shapes[1:])]
                    seen.append(np.ravel(np.asarray(prim.value(*args), dtype=np.float64)))
    except (ValueError, TypeError, IndexError):
        return UNKNOWN
    values = np.concatenate(seen)
    values = values[~np.isnan(values)]
    if values.size and np.all(values > 0):
        return POSITIVE
    if values.size and np.all(values >= 0):
        return NONNEGATIVE
    return UNKNOWN


@lru_cache(maxsize=None)
def defined_on(name: str) -> tuple[tuple[int, bool] | None, tuple[int, bool] | None] | None:
    """For an element-wise function of one number: the interval where its value is finite,
    as (lower, upper) bounds (value, inclusive), None for no bound; None if it is finite
    everywhere or its finite set is not one interval."""
    from adcli.ops import PRIMITIVES

    prim = PRIMITIVES.get(name)
    if prim is None or prim.arity != 1 or not al.elementwise(name):
        return None
    with np.errstate(all="ignore"):
        finite = np.isfinite(np.asarray(prim.value(_GRID), dtype=np.float64))
    if finite.all() or not finite.any():
        return None
    inside = np.flatnonzero(finite)
    low, high = inside[0], inside[-1]
    if not finite[low:high + 1].all():
        return None
    lower = _BOUNDS.get(float(_GRID[low])) if low > 0 else None
    upper = _BOUNDS.get(float(_GRID[high])) if high < len(_GRID) - 1 else None
    if (low > 0 and lower is None) or (high < len(_GRID) - 1 and upper is None):
        return None
    return lower, upper


def sign_of(node: Expr) -> str:
    signs: dict[int, str] = {}
    for n in postorder(node):
        signs[id(n)] = _sign(n, signs)
    return signs[id(node)]


def _sign(node: Expr, signs: dict[int, str]) -> str:
    kind = node.kind
    if kind == "num":
        value = node.data
        return POSITIVE if value > 0 else NONZERO if value < 0 else UNKNOWN
    if kind == "const":
        return POSITIVE
    if kind == "bcast":
        return signs[id(node.args[0])]
    args = [signs[id(a)] for a in node.args]
    if kind == "add":
        if all(s in (POSITIVE, NONNEGATIVE) for s in args):
            return POSITIVE if POSITIVE in args else NONNEGATIVE
        return UNKNOWN
    if kind == "mul":
        if all(s == POSITIVE for s in args):
            return POSITIVE
        if all(s in (POSITIVE, NONZERO) for s in args):
            return NONZERO
        if all(s in (POSITIVE, NONNEGATIVE) for s in args):
            return NONNEGATIVE
        return UNKNOWN
    if kind == "pow":
        base, exponent = args[0], node.args[1]
        if base == POSITIVE:
            return POSITIVE
        if exponent.kind == "num" and is_integer(exponent.data) and exponent.data % 2 == 0:
            return POSITIVE if base == NONZERO else NONNEGATIVE
        if exponent.kind == "num" and base in (NONZERO,) and is_integer(exponent.data):
            return NONZERO
        return NONNEGATIVE if exponent.kind == "num" and not is_integer(exponent.data) else UNKNOWN
    if kind == "call":
        own = value_sign(node.name)
        return own if own in (POSITIVE, NONNEGATIVE) else UNKNOWN
    return UNKNOWN


def _bound_text(text: str, bounds: tuple[tuple[int, bool] | None, tuple[int, bool] | None]
                ) -> str:
    lower, upper = bounds
    if lower and upper:
        return f"{lower[0]} {'≤' if lower[1] else '<'} {text} {'≤' if upper[1] else '<'} {upper[0]}"
    if lower:
        return f"{text} {'≥' if lower[1] else '>'} {lower[0]}"
    assert upper is not None
    return f"{text} {'≤' if upper[1] else '<'} {upper[0]}"


def _text(node: Expr) -> str:
    return short_text(node)


def conditions(exprs: Sequence[Expr]) -> list[str]:
    """The conditions under which the formulas are defined: divisors not 0, roots and
    logarithms of what they take. In the order they are met, each once."""
    found: dict[str, None] = {}
    for root in exprs:
        for node in postorder(root):
            for condition in _conditions_of(node):
                found.setdefault(condition)
    # `x > 0` says all `x ≥ 0` says
    return [c for c in found if not (c.endswith(" ≥ 0") and c[:-4] + " > 0" in found)]


def _conditions_of(node: Expr) -> list[str]:
    out = []
    if node.kind == "pow" and node.args[1].kind == "num":
        base, exponent = node.args[0], node.args[1].data
        sign = sign_of(base)
        if not is_integer(exponent) and sign != POSITIVE:
            out.append(f"{_text(base)} {'>' if exponent < 0 else '≥'} 0")
        elif exponent < 0 and sign not in (POSITIVE, NONZERO):
            out.append(f"{_text(base)} ≠ 0")
    elif node.kind == "call":
        bounds = defined_on(node.name)
        if bounds is None:
            return out
        lower, upper = bounds
        # a positive argument meets a lower bound of 0 or below (log(x^2 + 1) needs nothing)
        met = upper is None and lower is not None and lower[0] <= 0 and \
            sign_of(node.args[0]) == POSITIVE
        arg = node.args[0]
        even = (arg.kind == "pow" and arg.args[1].kind == "num" and is_integer(arg.args[1].data)
                and arg.args[1].data % 2 == 0 and arg.args[1].data > 0)
        if even and lower == (0, False) and upper is None:  # log(x^2) needs only x ≠ 0
            out.append(f"{_text(arg.args[0])} ≠ 0")
        elif not met:
            out.append(_bound_text(_text(arg), bounds))
    return out


def kinks(formula: Expr) -> list[str]:
    """Where a function in the formula is not differentiable, as its rule shows (a `where` or a
    `sign` in the rule), with what adcli does there."""
    from adcli.ops import PRIMITIVES
    from adcli.symbolic.rules import rule_formula

    found: dict[str, None] = {}
    for node in postorder(formula):
        if node.kind != "call":
            continue
        prim = PRIMITIVES.get(node.name)
        if node.name == "where":
            for boundary in _boundaries(node.args[0]):
                found.setdefault(f"{_text(node)} switches branch where {boundary}")
            continue
        if prim is None or prim.vjp is None:
            continue
        shapes = tuple(a.shape for a in node.args)
        texts = {}
        for k, arg in enumerate(node.args):
            texts[prim.inputs[k] if k < len(prim.inputs) else f"x{k + 1}"] = (
                _text(arg), _precedence(arg))
        for k in range(len(node.args)):
            if prim.vjp[k] is None:
                continue
            try:
                rule = rule_formula(prim, k, shapes, node.params)
            except Exception:  # a rule that cannot be read at these shapes: no note from it
                continue
            for boundary in _boundaries(rule.formula, texts):
                note = f" ({prim.note})" if prim.note else ""
                found.setdefault(f"{_text(node)} has a kink where {boundary}{note}")
    return list(found)


def _precedence(node: Expr) -> int:
    from adcli.symbolic.printer import precedence

    return precedence(node)


_RELATIONS = ("lt", "le", "gt", "ge", "eq")


def _boundaries(expr: Expr, names: dict[str, tuple[str, int]] | None = None) -> list[str]:
    out = []
    for node in postorder(expr):
        if node.kind == "call" and node.name in _RELATIONS:
            a, b = (short_text(x, names) for x in node.args)
            out.append(f"{a} = {b}")
        elif node.kind == "call" and node.name == "sign":
            out.append(f"{short_text(node.args[0], names)} = 0")
    return out


def guard_notes(guards: Sequence[Guard]) -> list[str]:
    found: dict[str, None] = {}
    for guard in guards:
        if not guard.condition.free:
            continue
        condition = short_text(guard.condition).replace(" == ", " = ")
        found.setdefault(f"where {condition}, the rule gives {short_text(guard.value)} "
                         "instead (torch's convention)")
    return list(found)


_ = COMPARE
