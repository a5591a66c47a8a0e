"""Identities between the registry's functions, found by evaluating them, never by their names:
`sin/cos` is tan, `cos² − sin²` is cos(2u), `2·sin·cos` is sin(2u), `cosh² − sinh²` is 1,
exp(a)·exp(b) is exp(a + b). A function added to the registry (sec, cot) takes part as it is.

Each identity is checked at sample points where both sides are finite, to 12 digits; the
tables are built on first use. The rewrites here are offered to adcli.symbolic.simplify, which
keeps one only where it makes the formula shorter.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from adcli.symbolic import algebra as al
from adcli.symbolic.expr import Expr, is_integer

POINTS = np.array([-0.9, -0.6, -0.35, -0.2, 0.0, 0.15, 0.3, 0.45, 0.7, 0.85, 1.1, 1.3])
COEFFICIENTS = np.array([1.0, -1.0, 0.5, -0.5, 0.25])


@lru_cache(maxsize=None)
def unary(name: str) -> bool:
    """Whether a function of the language maps one number to one number, element-wise and
    differentiably: the functions these identities are about."""
    from adcli.ops import FUNCTIONS, PRIMITIVES

    entry, prim = FUNCTIONS.get(name), PRIMITIVES.get(name)
    return (entry is not None and prim is not None and prim.arity == 1 and not entry.params
            and prim.vjp is not None and al.elementwise(name))


@lru_cache(maxsize=None)
def parity(name: str) -> int:
    """1 for an even function (cos(−u) = cos(u)), −1 for an odd one (sin(−u) = −sin(u)), else
    0: found at the probe points, which include 0."""
    if not unary(name):
        return 0
    from adcli.ops import PRIMITIVES

    value = PRIMITIVES[name].value
    with np.errstate(all="ignore"):
        here = np.asarray(value(POINTS), dtype=np.float64)[None, :]
        there = np.asarray(value(-POINTS), dtype=np.float64)[None, :]
    if _matches(there, here)[0, 0]:
        return 1
    if _matches(there, -here)[0, 0]:
        return -1
    return 0


@lru_cache(maxsize=None)
def _table() -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The element-wise functions of one number, their values at POINTS and at 2·POINTS."""
    from adcli.ops import FUNCTIONS, PRIMITIVES

    names, values, doubled = [], [], []
    for name in FUNCTIONS:
        prim = PRIMITIVES.get(name)
        # scipy's special functions (ops/special.py) take no part: none of the forms searched
        # here (products, quotients, squares, exponentials) holds among them, and evaluating
        # them would import scipy, as long as numpy's own import, for every adcli diff.
        if getattr(getattr(prim, "value", None), "__module__", "") == "adcli.ops.special" \
                or not unary(name):
            continue
        with np.errstate(all="ignore"):
            values.append(np.asarray(prim.value(POINTS), dtype=np.float64))
            doubled.append(np.asarray(prim.value(2 * POINTS), dtype=np.float64))
        names.append(name)
    return tuple(names), np.array(values), np.array(doubled)


def _matches(candidates: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Which candidates (…, P) equal which targets (T, P): finite at exactly the same points
    (at least six of them) and equal there to 12 digits. Shape (…, T)."""
    return _agree(candidates[..., None, :], targets)


def _agree(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """_matches row by row: whether a[k] equals b[k], for (K, P) arrays. Shape (K,)."""
    finite_a, finite_b = np.isfinite(a), np.isfinite(b)
    with np.errstate(all="ignore"):
        close = np.abs(a - b) <= 1e-12 * (1 + np.abs(b))
    agree = (finite_a == finite_b) & (close | ~finite_a)
    return agree.all(axis=-1) & ((finite_a & finite_b).sum(axis=-1) >= 6)


@lru_cache(maxsize=None)
def quotients() -> dict[tuple[str, str], str]:
    """(f, g) → h where f(u)/g(u) = h(u)."""
    names, values, _ = _table()
    with np.errstate(all="ignore"):
        ratios = values[:, None, :] / values[None, :, :]
    found = {}
    for i, j, k in zip(*np.nonzero(_matches(ratios, values))):
        if len({i, j, k}) == 3:
            found.setdefault((names[i], names[j]), names[k])
    return found


@lru_cache(maxsize=None)
def squares() -> dict[tuple[str, str, int], tuple[Any, str | None]]:
    """(f, g, s) → (c, h): f(u)² + s·g(u)² = c (h None) or c·h(2u)."""
    names, values, doubled = _table()
    found: dict[tuple[str, str, int], tuple[Any, str | None]] = {}
    for s in (1, -1):
        with np.errstate(all="ignore"):
            totals = values[:, None, :] ** 2 + s * values[None, :, :] ** 2
        ones = np.ones((1, POINTS.size))
        for c in (1.0, -1.0):
            constant = _matches(totals, c * ones)[..., 0]
            for i, j in zip(*np.nonzero(constant)):
                if i != j:
                    found.setdefault((names[i], names[j], s), (int(c), None))
            double = _matches(totals, c * doubled)
            for i, j, k in zip(*np.nonzero(double)):
                if i != j:
                    found.setdefault((names[i], names[j], s), (int(c), names[k]))
    return found


@lru_cache(maxsize=None)
def products() -> dict[tuple[str, str], tuple[Any, str]]:
    """(f, g) → (c, h): f(u)·g(u) = c·h(2u), c a simple fraction."""
    names, values, doubled = _table()
    with np.errstate(all="ignore"):
        pairs = values[:, None, :] * values[None, :, :]
    found = {}
    for c in COEFFICIENTS:
        for i, j, k in zip(*np.nonzero(_matches(pairs, c * doubled))):
            if i < j:
                found.setdefault((names[i], names[j]), (al.number(float(c)), names[k]))
    return found


@lru_cache(maxsize=None)
def sums_of_products() -> dict[tuple[str, str], tuple[Any, str, Any, str]]:
    """(f, g) → (c1, h1, c2, h2): f(a)·g(b) = c1·h1(a − b) + c2·h2(a + b), the
    product-to-sum formulas (cos a·cos b = (cos(a − b) + cos(a + b))/2)."""
    from adcli.ops import PRIMITIVES

    names, values, _ = _table()
    a, b = POINTS, np.roll(POINTS[::-1], 3)
    with np.errstate(all="ignore"):
        fa = np.array([np.asarray(PRIMITIVES[n].value(a), dtype=np.float64) for n in names])
        gb = np.array([np.asarray(PRIMITIVES[n].value(b), dtype=np.float64) for n in names])
        minus = np.array([np.asarray(PRIMITIVES[n].value(a - b), dtype=np.float64)
                          for n in names])
        plus = np.array([np.asarray(PRIMITIVES[n].value(a + b), dtype=np.float64)
                         for n in names])
        pairs = (fa[:, None, :] * gb[None, :, :]).reshape(-1, POINTS.size)
    found: dict[tuple[str, str], tuple[Any, str, Any, str]] = {}
    for c1 in (0.5, -0.5):
        for c2 in (0.5, -0.5):
            with np.errstate(all="ignore"):
                sums = (c1 * minus[:, None, :] + c2 * plus[None, :, :]).reshape(-1, POINTS.size)
                # at one point first (where most values are numbers): only the few pairs that
                # agree there are checked at all
                column = int(np.argmax(np.isfinite(pairs).sum(axis=0)))
                x, y = pairs[:, None, column], sums[None, :, column]
                near = np.abs(x - y) <= 1e-9 * (1 + np.abs(y))
            ps, qs = np.nonzero(near)
            agree = _agree(pairs[ps], sums[qs])  # every candidate pair at once, row by row
            for p, q in zip(ps[agree], qs[agree]):
                f, g = divmod(int(p), len(names))
                h1, h2 = divmod(int(q), len(names))
                found.setdefault((names[f], names[g]), (al.number(c1), names[h1],
                                                        al.number(c2), names[h2]))
    return found


def products_to_sums(terms: list[Expr]) -> Expr | None:
    """The sum with each c·f(a)·g(b) (a ≠ b) written by the product-to-sum formulas, so that
    like terms can meet: 2·cos(3x)·cos(2x) − 3·sin(3x)·sin(2x) is −cos(x)/2 + 5·cos(5x)/2.
    None when no term has such a product."""
    out: list[Expr] = []
    changed = False
    for term in terms:
        c, rest = al.split(term)
        factors = rest.args if rest.kind == "mul" else (rest,)
        calls = [(f, _unary(f)) for f in factors]
        pair = [(f, found) for f, found in calls if found is not None]
        if len(pair) != 2 or len(factors) != 2 or pair[0][1][1] is pair[1][1][1]:
            out.append(term)
            continue
        (_, (f, a)), (_, (g, b)) = pair
        if al.split(al.sub(a, b))[0] < 0:  # so that every term meets the same a − b
            (f, a), (g, b) = (g, b), (f, a)
        formula = sums_of_products().get((f, g))
        if formula is None:
            out.append(term)
            continue
        c1, h1, c2, h2 = formula
        out.append(al.mul(al.num(c), al.num(c1), al.call(h1, [al.sub(a, b)])))
        out.append(al.mul(al.num(c), al.num(c2), al.call(h2, [al.add(a, b)])))
        changed = True
    return al.add(*out) if changed else None


@lru_cache(maxsize=None)
def exponentials() -> frozenset[str]:
    """The functions with f(a)·f(b) = f(a + b): exp."""
    from adcli.ops import PRIMITIVES

    names, values, _ = _table()
    out = set()
    shifted = POINTS[::-1]
    for name, v in zip(names, values):
        with np.errstate(all="ignore"):
            together = np.asarray(PRIMITIVES[name].value(POINTS + shifted), dtype=np.float64)
        if _matches((v * v[::-1])[None, :], together[None, :])[0, 0]:
            out.add(name)
    return frozenset(out)


# -- rewrites offered to the simplifier ----------------------------------------------------------


def _unary(node: Expr) -> tuple[str, Expr] | None:
    if node.kind == "call" and len(node.args) == 1 and not node.data[1] and unary(node.name):
        return node.name, node.args[0]
    return None


def rewrite_product(node: Expr) -> Expr:
    """In a product: f(u)^p·g(u)^q with f/g = h becomes h(u)^…; f(u)·g(u) = c·h(2u); and
    exp(a)^p·exp(b)^q is exp(p·a + q·b)."""
    if node.kind != "mul":
        return node
    c, rest = al.split(node)
    factors = list(rest.args if rest.kind == "mul" else (rest,))
    powers: list[tuple[str, Expr, Any, Expr]] = []  # name, argument, exponent, the factor
    for f in factors:
        base, exponent = f.args if f.kind == "pow" else (f, al.ONE)
        found = _unary(base)
        if found is not None and exponent.kind == "num" and is_integer(exponent.data):
            powers.append((found[0], found[1], exponent.data, f))
    arguments = [id(u) for _, u, _, _ in powers]
    if len(set(arguments)) == len(arguments):  # no two functions of one argument
        return _merge_exponentials(node, c, factors)
    table = quotients()
    for i, (f, u, p, fi) in enumerate(powers):
        for g, v, q, gi in powers[i + 1:]:
            if u is not v:
                continue
            if p * q < 0:
                (top, bottom, n) = (f, g, min(p, -q)) if p > 0 else (g, f, min(q, -p))
                h = table.get((top, bottom))
                if h is not None:
                    others = [x for x in factors if x is not fi and x is not gi]
                    left_top = p - n if p > 0 else q - n
                    left_bottom = q + n if p > 0 else p + n
                    tb = (fi, gi) if p > 0 else (gi, fi)
                    return al.mul(al.num(c), *others,
                                  al.power(al.call(h, [u]), al.num(n)),
                                  al.power(_base(tb[0]), al.num(left_top)),
                                  al.power(_base(tb[1]), al.num(left_bottom)))
            if p == 1 and q == 1:
                key = (f, g) if f <= g else (g, f)
                found = products().get(key)
                if found is not None:
                    k, h = found
                    others = [x for x in factors if x is not fi and x is not gi]
                    return al.mul(al.num(c), al.num(k), *others,
                                  al.call(h, [al.mul(al.num(2), u)]))
    return _merge_exponentials(node, c, factors)


def _base(factor: Expr) -> Expr:
    return factor.args[0] if factor.kind == "pow" else factor


def _merge_exponentials(node: Expr, c: Any, factors: list[Expr]) -> Expr:
    merged: dict[str, list[tuple[Expr, Expr]]] = {}
    for f in factors:
        base, exponent = f.args if f.kind == "pow" else (f, al.ONE)
        found = _unary(base)
        if found is not None and found[0] in exponentials() and exponent.kind == "num":
            merged.setdefault(found[0], []).append((f, al.mul(exponent, found[1])))
    groups = {name: parts for name, parts in merged.items() if len(parts) > 1}
    if not groups:
        return node
    used = {id(f) for parts in groups.values() for f, _ in parts}
    others = [f for f in factors if id(f) not in used]
    joined = [al.call(name, [al.add(*(a for _, a in parts))]) for name, parts in groups.items()]
    return al.mul(al.num(c), *others, *joined)


def rewrite_squares(terms: list[Expr]) -> list[Expr]:
    """In a sum: c·R·f(u)² + s·c·R·g(u)² with f² + s·g² = k (or k·h(2u)) becomes c·R·k (or
    c·R·k·h(2u)): sin² + cos² = 1, cos² − sin² = cos(2u)."""
    split = [_square_part(t) for t in terms]
    if sum(part is not None for part in split) < 2:
        return terms
    table = squares()
    out = list(terms)
    for i, a in enumerate(split):
        for j in range(i + 1, len(split)):
            b = split[j]
            if a is None or b is None or out[i] is None or out[j] is None:
                continue
            ca, ra, fa, ua, _ = a
            cb, rb, fb, ub, _ = b
            if ra is not rb or ua is not ub or abs(cb) != abs(ca):
                continue
            s = 1 if cb == ca else -1
            for (f, g, sign), (k, h) in table.items():
                if sign == s and (f, g) in ((fa, fb), (fb, fa)):
                    # fa² + s·fb² = k·h(2u); when (f, g) is (fb, fa) it is s·(fa² + s·fb²)
                    scale = 1 if (f, g) == (fa, fb) else s
                    value = al.num(k) if h is None else al.mul(al.num(k), al.call(
                        h, [al.mul(al.num(2), ua)]))
                    out[i] = al.mul(al.num(ca * scale), ra, value)
                    out[j] = None  # type: ignore[call-overload]
                    break
    return [t for t in out if t is not None]


def _square_part(term: Expr) -> tuple[Any, Expr, str, Expr, Expr] | None:
    """term = c·R·f(u)²: (c, R, f, u, the square)."""
    c, rest = al.split(term)
    factors = rest.args if rest.kind == "mul" else (rest,)
    for f in factors:
        if f.kind == "pow" and f.args[1].kind == "num" and f.args[1].data == 2:
            found = _unary(f.args[0])
            if found is not None:
                others = [x for x in factors if x is not f]
                return c, al.mul(*others) if others else al.ONE, found[0], found[1], f
    return None
