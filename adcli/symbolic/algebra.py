"""Building expressions is simplifying them: every constructor here returns a canonical node.

Sums are flat, with like terms collected (`x + x` is `2*x`) and numbers folded; products are
flat, with powers of the same base collected (`x*x` is `x^2`, `x/x` is 1) and one numeric
coefficient in front; `sqrt(u)` is `u^(1/2)`, so `sqrt(u)*sqrt(u)` is `u`. A number repeated
to a shape (a `bcast`) is absorbed where numpy's broadcasting repeats it anyway.

The identities are those of real numbers at generic points (`0*u = 0`, `u/u = 1`), as a
calculus table states them; where IEEE arithmetic differs (u = inf, u = 0) adcli's numbers
and the formula may differ, and only there. One rule is never used: `(u^2)^(1/2)` is |u|,
not u, so a power of a power is merged only where that holds for negative u too.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from adcli.symbolic.expr import Expr, Number, is_integer, make, number, order

# -- leaves ----------------------------------------------------------------------------------


def num(value: Any, shape: tuple[int, ...] = ()) -> Expr:
    node = make("num", (), number(value), ())
    return bcast(node, shape) if shape else node


ZERO, ONE, MINUS_ONE, HALF = num(0), num(1), num(-1), num(Fraction(1, 2))
NAMED = {"pi": math.pi, "e": math.e}


def const(name: str) -> Expr:
    return make("const", (), name, ())


def var(name: str, shape: tuple[int, ...] = ()) -> Expr:
    return make("var", (), name, tuple(shape))


def array(values: Any) -> Expr:
    """A constant array: one number repeated is that number, broadcast."""
    values = np.asarray(values)
    if values.dtype.kind == "b":
        values = values.astype(np.float64)
    flat = values.ravel()
    if flat.size and (np.all(flat == flat[0]) or np.all(np.isnan(flat))):
        return bcast(constant_number(flat[0].item()), values.shape)
    if flat.size == 0:
        return make("array", (), (), values.shape)
    return make("array", (), tuple(number(v) for v in flat.tolist()), values.shape)


def constant_number(value: float) -> Expr:
    """A number; a float equal to a named constant (π, e) is that constant, and one equal to
    log(k) for a small whole k (log2's rule divides by log(2)) is that logarithm."""
    for name, exact in NAMED.items():
        if value == exact:
            return const(name)
    if isinstance(number(value), float) and 0 < value < 3:
        for k in range(2, 17):
            if value == math.log(k):
                return make("call", (num(k),), ("log", ()), ())
    return num(value)


def bcast(node: Expr, shape: tuple[int, ...]) -> Expr:
    shape = tuple(shape)
    if node.kind == "bcast":
        node = node.args[0]
    if node.shape == shape:
        return node
    return make("bcast", (node,), shape, shape)


def _unwrap(node: Expr) -> Expr:
    return node.args[0] if node.kind == "bcast" else node


def _shape(*nodes: Expr) -> tuple[int, ...]:
    first = nodes[0].shape
    if all(n.shape == first for n in nodes):  # the common case, and numpy's call is slow
        return first
    return tuple(np.broadcast_shapes(*(n.shape for n in nodes)))


def _plus(a: Number, b: Number) -> Number:
    return number(a + b)


def _times(a: Number, b: Number) -> Number:
    return number(a * b)


def _is_zero(value: Number) -> bool:
    return value == 0


# -- sums, products, powers ------------------------------------------------------------------


def split(term: Expr) -> tuple[Number, Expr]:
    """A term as (numeric coefficient, the rest): `3*x*y` is (3, x*y)."""
    if term.kind == "mul" and term.args[0].kind == "num":
        rest = term.args[1:]
        return term.args[0].data, rest[0] if len(rest) == 1 else make(
            "mul", rest, None, _shape(*rest))
    if term.kind == "num":
        return term.data, ONE
    return Fraction(1), term


def scale(coefficient: Number, rest: Expr) -> Expr:
    if coefficient == 1:
        return rest
    if _is_zero(coefficient):
        return bcast(ZERO, rest.shape)
    if rest.kind == "num":
        return num(_times(coefficient, rest.data))
    factors = rest.args if rest.kind == "mul" else (rest,)
    return make("mul", (num(coefficient), *factors), None, rest.shape)


def add(*terms: Expr) -> Expr:
    if len(terms) == 1:
        return terms[0]
    target = _shape(*terms)
    flat: list[Expr] = []
    for term in terms:
        term = _unwrap(term)
        flat.extend(term.args if term.kind == "add" else (term,))
    constant: Number = Fraction(0)
    coefficients: dict[Expr, Number] = {}
    for term in flat:
        if term.kind == "num":
            constant = _plus(constant, term.data)
            continue
        c, rest = split(term)
        coefficients[rest] = _plus(coefficients[rest], c) if rest in coefficients else c
    out = [scale(c, rest) for rest, c in coefficients.items() if not _is_zero(c)]
    if not _is_zero(constant):
        out.append(num(constant))
    if not out:
        return bcast(ZERO, target)
    result = out[0] if len(out) == 1 else make(
        "add", sorted(out, key=order), None, _shape(*out))
    return bcast(result, target)


def neg(node: Expr) -> Expr:
    return mul(MINUS_ONE, node)


def sub(a: Expr, b: Expr) -> Expr:
    return add(a, neg(b))


def div(a: Expr, b: Expr) -> Expr:
    return mul(a, power(b, MINUS_ONE))


def mul(*factors: Expr) -> Expr:
    if len(factors) == 1:
        return factors[0]
    target = _shape(*factors)
    queue = list(factors)
    coefficient: Number = Fraction(1)
    finished: list[Expr] = []
    for _ in range(16):
        powers: dict[Expr, Expr] = {}
        for p in finished:
            base, exponent = p.args if p.kind == "pow" else (p, ONE)
            powers[base] = exponent
        while queue:
            factor = _unwrap(queue.pop())
            if factor.kind == "mul":
                queue.extend(factor.args)
            elif factor.kind == "num":
                coefficient = _times(coefficient, factor.data)
            else:
                base, exponent = factor.args if factor.kind == "pow" else (factor, ONE)
                powers[base] = add(powers[base], exponent) if base in powers else exponent
        finished = []
        for base, exponent in powers.items():
            p = _unwrap(power(base, exponent))
            # merged exponents may give a number (x/x) or a product ((x*y)^2) to merge again
            (queue if p.kind in ("num", "mul") else finished).append(p)
        if not queue:
            break
    if _is_zero(coefficient):
        return bcast(ZERO, target)
    if coefficient == -1 and len(finished) == 1 and finished[0].kind == "add":
        # -(a - b) reads better as b - a, and is no longer
        return bcast(add(*(neg(t) for t in finished[0].args)), target)
    out = _products_of_vectors(finished)
    if not out:
        return num(coefficient, target)
    if coefficient == 1 and len(out) == 1:
        return bcast(out[0], target)
    args = sorted(out, key=order)
    if coefficient != 1:
        args.insert(0, num(coefficient))
    return bcast(make("mul", args, None, _shape(*args)), target)


def _products_of_vectors(factors: list[Expr]) -> list[Expr]:
    """A column times a row (or a vector) is their outer product: the rules of matmul reshape
    a vector into a column to multiply it, which has no index-free notation of its own."""
    if len(factors) != 2:
        return factors
    column = next((f for f in factors if _is_column(f)), None)
    if column is None:
        return factors
    other = factors[1] if factors[0] is column else factors[0]
    row = other.args[0] if _is_row(other) else other
    if len(row.shape) != 1:
        return factors
    return [call("outer", [column.args[0], row])]


def _is_column(node: Expr) -> bool:
    return (node.kind == "call" and node.name == "reshape" and len(node.shape) == 2
            and node.shape[1] == 1 and node.args[0].shape == node.shape[:1])


def _is_row(node: Expr) -> bool:
    return (node.kind == "call" and node.name == "reshape" and len(node.shape) == 2
            and node.shape[0] == 1 and node.args[0].shape == node.shape[1:])


def power(base: Expr, exponent: Expr) -> Expr:
    if exponent is ONE and base.kind != "bcast":
        return base
    target = _shape(base, exponent)
    base, exponent = _unwrap(base), _unwrap(exponent)
    if exponent.kind == "num":
        e = exponent.data
        if e == 0:
            return bcast(ONE, target)
        if e == 1:
            return bcast(base, target)
        if base.kind == "num":
            folded = _fold_power(base.data, e)
            if folded is not None:
                return num(folded, target)
        if base.kind == "pow" and _merges(base.args[1], e):
            return bcast(power(base.args[0], mul(base.args[1], exponent)), target)
        if base.kind == "mul" and is_integer(e):
            return bcast(mul(*(power(f, exponent) for f in base.args)), target)
    elif base.kind == "num" and base.data == 1:
        return bcast(ONE, target)
    return bcast(make("pow", (base, exponent), None, _shape(base, exponent)), target)


def _merges(inner: Expr, outer: Number) -> bool:
    """(u^a)^b = u^(a·b) for every u only if b is an integer or a is not an even integer
    ((u^2)^(1/2) = |u|); otherwise both sides are nan for negative u."""
    if is_integer(outer):
        return True
    return inner.kind == "num" and not (is_integer(inner.data) and inner.data % 2 == 0)


def _fold_power(base: Number, e: Number) -> Number | None:
    if base == 0 and e < 0:
        return None  # 1/0: keep it a formula, the note on division says where
    if isinstance(base, Fraction) and is_integer(e):
        if abs(e) > 64:
            return number(float(base) ** float(e))
        return base ** int(e)
    if isinstance(base, Fraction) and isinstance(e, Fraction):
        if base < 0:
            return None
        root = number(float(base) ** float(e))
        exact = isinstance(root, Fraction) and root ** e.denominator == base ** e.numerator
        return root if exact else None
    if isinstance(base, float) or isinstance(e, float):
        if base < 0 and not float(e).is_integer():
            return None
        try:
            return number(float(base) ** float(e))
        except (OverflowError, ZeroDivisionError):
            return None
    return None


def sqrt(node: Expr) -> Expr:
    return power(node, HALF)


# The constructor of calls, and what it needs to know of primitives, live in calls.py (which
# builds on the constructors above); they are part of this module's interface too.
from adcli.symbolic.calls import (  # noqa: E402, F401
    call, call_shape, elementwise, shape_sources, size_of,
)
