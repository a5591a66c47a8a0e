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
from contextlib import contextmanager
from fractions import Fraction
from functools import lru_cache
from typing import Any, Iterator, Sequence

import numpy as np

from adcli.symbolic.expr import Expr, Number, freeze_params, is_integer, make, number, thaw

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
        "add", sorted(out, key=lambda n: n.digest), None, _shape(*out))
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
    args = sorted(out, key=lambda n: n.digest)
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


# -- calls of the registry's primitives -------------------------------------------------------

_COMPARE = {"lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal,
            "eq": np.equal, "ne": np.not_equal, "logical_and": np.logical_and,
            "logical_or": np.logical_or, "logical_not": np.logical_not}


def call(name: str, args: Sequence[Expr], params: dict[str, Any] | None = None,
         shape: tuple[int, ...] | None = None) -> Expr:
    """A primitive applied to args, simplified where its meaning allows."""
    args = list(args)
    params = {k: v for k, v in (params or {}).items() if v is not None}
    if not params and elementwise(name):
        # numpy broadcasts inside an element-wise function as it does in a product: the
        # repetition moves out, and the function applies to what is repeated
        target = _shape(*args)
        stripped = [_unwrap(a) for a in args]
        if any(a is not b for a, b in zip(args, stripped)):
            return bcast(call(name, stripped), target)
        folded = _fold_call(name, args)
        if folded is not None:
            return folded
    frozen = freeze_params(params)
    simpler = _simplify_call(name, args, params)
    if simpler is not None:
        return simpler
    if shape is None:
        shape = call_shape(name, tuple(a.shape for a in args), frozen)
    return make("call", args, (name, frozen), tuple(shape))


@lru_cache(maxsize=None)
def elementwise(name: str) -> bool:
    """Whether a primitive maps each element on its own, with numpy's broadcasting (sin, where,
    maximum, the comparisons): found by running it, not by its name."""
    from adcli.ops import PRIMITIVES

    prim = PRIMITIVES.get(name)
    if prim is None or prim.arity < 1 or prim.params:
        return False
    rng = np.random.default_rng(5)
    try:
        with np.errstate(all="ignore"):
            for shape in ((), (3,), (2, 3)):
                if np.shape(prim.value(*(np.ones(shape),) * prim.arity)) != shape:
                    return False
            samples = [rng.uniform(0.2, 0.9, (2, 3)) for _ in range(prim.arity)]
            whole = np.asarray(prim.value(*samples), dtype=np.float64)
            for index in np.ndindex(2, 3):
                one = np.asarray(prim.value(*(s[index] for s in samples)), dtype=np.float64)
                if not np.array_equal(one, whole[index], equal_nan=True):
                    return False
            if prim.arity > 1:  # broadcasting a number against an array
                mixed = prim.value(samples[0], *(s[0, 0] for s in samples[1:]))
                if np.shape(mixed) != (2, 3):
                    return False
    except (ValueError, TypeError, IndexError):
        return False
    return True


def _fold_call(name: str, args: list[Expr]) -> Expr | None:
    """An element-wise function of numbers, when the result is exact (cos(0) = 1, log(1) = 0);
    log(2) stays a formula."""
    if not args or any(a.kind != "num" for a in args):
        return None
    from adcli.ops import PRIMITIVES

    with np.errstate(all="ignore"):
        value = np.asarray(PRIMITIVES[name].value(*(np.float64(float(a.data)) for a in args)))
    result = number(value.astype(np.float64).item())
    if isinstance(result, Fraction) and result.denominator <= 100:
        return num(result)
    return None


@lru_cache(maxsize=4096)
def call_shape(name: str, shapes: tuple[tuple[int, ...], ...],
               frozen: tuple[tuple[str, Any], ...]) -> tuple[int, ...]:
    """What shape a primitive gives for inputs of these shapes (by running it on ones)."""
    from adcli.ops import PRIMITIVES

    prim = PRIMITIVES[name]
    samples = [np.ones(s) for s in shapes]
    with np.errstate(all="ignore"):
        return tuple(np.shape(prim.value(*samples, **{k: thaw(v) for k, v in frozen})))


def _numbers(args: list[Expr]) -> list[Any] | None:
    """The args as numpy values, when every one is a number (or a number repeated)."""
    out = []
    for a in args:
        inner = _unwrap(a)
        if inner.kind != "num":
            return None
        out.append(np.broadcast_to(np.float64(float(inner.data)), a.shape))
    return out


def _simplify_call(name: str, args: list[Expr], params: dict[str, Any]) -> Expr | None:
    if name == "sqrt":
        return sqrt(args[0])
    if name in _COMPARE:
        values = _numbers(args)
        if values is not None:
            return array(_COMPARE[name](*values))
        if name in ("logical_and", "logical_or"):
            # true and c is c, false or c is c; false and c is false, true or c is true
            for k, arg in enumerate(args):
                known = _numbers([arg])
                if known is None or not (np.all(known[0]) or not np.any(known[0])):
                    continue
                holds = bool(np.all(known[0]))
                other = args[1 - k]
                target = _shape(*args)
                if holds == (name == "logical_and"):
                    return bcast(other, target)
                return num(1 if holds else 0, target)
        return None
    if name == "where":
        cond, a, b = args
        target = _shape(*args)
        values = _numbers([cond])
        if values is not None and np.all(values[0] == values[0].flat[0] if values[0].size
                                         else True):
            chosen = a if values[0].size == 0 or bool(values[0].flat[0]) else b
            return bcast(chosen, target)
        if a is b:
            return bcast(a, target)
        return None
    if name == "transpose":
        (x,) = args
        if len(x.shape) <= 1:
            return x
        if x.kind == "call" and x.name == "transpose":
            return x.args[0]
        inner = _unwrap(x)
        if inner.kind == "num":
            return bcast(inner, tuple(reversed(x.shape)))
        return None
    if name == "size":
        (x,) = args
        axis = params.get("axis")
        if not x.free or x.shape == ():  # a number has one element, whatever it is
            return num(math.prod(x.shape) if axis is None else x.shape[axis])
        if x.kind != "var":  # the count is the shape's: say it of a variable of that shape
            from adcli.symbolic.walk import postorder

            same = next((n for n in postorder(x) if n.kind == "var" and n.shape == x.shape),
                        None)
            if same is not None:
                return call("size", [same], params)
        return None
    if name in ("matmul", "dot", "outer"):
        return _product_with_ones(name, args)
    if name == "sum" and len(args[0].shape) == 1 and params.get("axis") in (0, -1):
        return call("sum", args)
    if name == "sum" and params.get("axis") is None:
        (x,) = args
        if x.shape == ():
            return x
        inner = _unwrap(x)
        if inner.shape == ():
            return mul(inner, size_of(x.shape))
    if name == "getitem":
        target, = args
        key = params.get("key")
        inner = _unwrap(target)
        if inner.kind == "num":
            shape = call_shape("getitem", (target.shape,), freeze_params(params))
            return num(inner.data, shape)
        if target.kind == "call" and target.name == "stack" and isinstance(key, int):
            return target.args[key]
    return _linear(name, args, params)


def _repeated(node: Expr) -> Expr | None:
    """The number a constant array repeats, if it is one."""
    inner = _unwrap(node)
    return inner if inner.kind == "num" and node.shape else None


def _product_with_ones(name: str, args: list[Expr]) -> Expr | None:
    """A product of an array with a number repeated (the ones a non-scalar output is
    contracted with) is a sum: A @ (c·1) = c·sum(A, -1), (c·1) @ B = c·sum(B, -2)."""
    a, b = args
    ca, cb = _repeated(a), _repeated(b)
    if ca is None and cb is None:
        return None
    shape = call_shape(name, (a.shape, b.shape), ())
    if ca is not None and cb is not None:
        k = a.shape[-1] if name != "outer" else 1
        return num(_times(_times(ca.data, cb.data), k), shape)
    if name == "outer":
        if ca is not None:  # every row is c·b
            return mul(ca, bcast(b, shape))
        return None  # every column is c·a: no notation without a reshape
    if name == "dot":
        return mul(ca or cb, call("sum", [b if ca is not None else a]))
    if ca is None and len(a.shape) == 1:  # a @ (c·1): each element c·sum(a)
        return mul(cb, bcast(call("sum", [a]), shape))
    if ca is not None:  # (c·1) @ B: each row c·(the sums of B's columns)
        summed = call("sum", [b]) if len(b.shape) == 1 else call("sum", [b], {"axis": -2})
        return mul(ca, bcast(summed, shape))
    if len(b.shape) == 1:  # A @ (c·1): c·(the sums of A's rows)
        summed = call("sum", [a]) if len(a.shape) == 1 else call("sum", [a], {"axis": -1})
        return mul(cb, summed)
    return None


def _linear(name: str, args: list[Expr], params: dict[str, Any]) -> Expr | None:
    """A numeric factor of an argument the primitive is linear in comes out in front:
    `dot(2*u, v) = 2*dot(u, v)`; a zero argument makes the result zero."""
    from adcli.symbolic.rules import linear_inputs

    linear = linear_inputs(name)
    if not linear:
        return None
    coefficient: Number = Fraction(1)
    changed = False
    for k in linear:
        if k >= len(args):
            continue
        c, rest = split(_unwrap(args[k]))
        if _is_zero(c):
            shape = call_shape(name, tuple(a.shape for a in args), freeze_params(params))
            return bcast(ZERO, shape)
        if c != 1 and rest.kind != "num":
            coefficient = _times(coefficient, c)
            args[k] = bcast(rest, args[k].shape) if args[k].kind == "bcast" else rest
            changed = True
    if not changed:
        return None
    return scale(coefficient, call(name, args, params))


# -- sizes -------------------------------------------------------------------------------------

_SHAPE_SOURCES: list[list[Expr]] = []


@contextmanager
def shape_sources(variables: Sequence[Expr]) -> Iterator[None]:
    """While converting a formula: its variables, so that a number of elements (from summing
    a number repeated to a variable's shape) is written `size(x)`, not the sample's count."""
    _SHAPE_SOURCES.append(list(variables))
    try:
        yield
    finally:
        _SHAPE_SOURCES.pop()


def size_of(shape: tuple[int, ...]) -> Expr:
    if shape == ():
        return ONE
    for source in (_SHAPE_SOURCES[-1] if _SHAPE_SOURCES else []):
        if source.shape == shape:
            return call("size", [source])
    return num(math.prod(shape))
