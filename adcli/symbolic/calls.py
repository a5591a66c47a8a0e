"""Calls of the registry's primitives in expressions, simplified where their meaning allows:
constants folded, a number repeated moved out of an element-wise function, a numeric factor
taken out of an argument the primitive is linear in, `transpose(transpose(A))`, `where` with a
known condition, `size` of a number, and products with the ones a non-scalar output is
contracted with (`A @ (c·1)` is `c·sum(A, -1)`).

What a primitive is (element-wise, linear in an input) is found by running it or reading its
rules, never by its name; adcli.symbolic.algebra re-exports `call` with the other constructors.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from fractions import Fraction
from functools import lru_cache
from typing import Any, Iterator, Sequence

import numpy as np

from adcli.symbolic.algebra import (
    ONE, ZERO, Number, _is_zero, _shape, _times, _unwrap, array, bcast, mul, neg, num, scale,
    split, sqrt,
)
from adcli.symbolic.expr import Expr, freeze_params, make, number, thaw

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
        if len(args) == 1 and _negative_coefficient(args[0]):
            from adcli.symbolic.identities import parity

            even_or_odd = parity(name)
            if even_or_odd:  # cos(-u) = cos(u), sin(-u) = -sin(u)
                return mul(num(even_or_odd), call(name, [neg(args[0])]))
    frozen = freeze_params(params)
    folded = _fold_constants(name, args, params)
    if folded is not None:
        return folded
    simpler = _simplify_call(name, args, params)
    if simpler is not None:
        return simpler
    if shape is None:
        shape = call_shape(name, tuple(a.shape for a in args), frozen)
    return make("call", args, (name, frozen), tuple(shape))


def _negative_coefficient(node: Expr) -> bool:
    c = split(node)[0]
    return node.kind != "num" and isinstance(c, (Fraction, float)) and c < 0


@lru_cache(maxsize=None)
def elementwise(name: str) -> bool:
    """Whether a primitive maps each element on its own, with numpy's broadcasting (sin, where,
    maximum, the comparisons): found by running it, not by its name."""
    from adcli.ops import PRIMITIVES

    prim = PRIMITIVES.get(name)
    if prim is None or prim.arity < 1 or prim.params:
        return False
    rng = np.random.default_rng(5)

    def sample(k: int, shape: tuple[int, ...]) -> np.ndarray:
        if condition(prim, k):
            return rng.uniform(0, 1, shape) > 0.5
        return rng.uniform(0.2, 0.9, shape)

    try:
        with np.errstate(all="ignore"):
            for shape in ((), (3,), (2, 3)):
                ones = [np.ones(shape, dtype=bool) if condition(prim, k) else np.ones(shape)
                        for k in range(prim.arity)]
                if np.shape(prim.value(*ones)) != shape:
                    return False
            samples = [sample(k, (2, 3)) for k in range(prim.arity)]
            whole = np.asarray(prim.value(*samples), dtype=np.float64)
            for index in np.ndindex(2, 3):
                one = np.asarray(prim.value(*(s[index] for s in samples)), dtype=np.float64)
                if not np.array_equal(one, whole[index], equal_nan=True):
                    return False
            if prim.arity > 1:  # broadcasting a number against an array
                mixed = prim.value(samples[0], *(s[0, 0] for s in samples[1:]))
                if np.shape(mixed) != (2, 3):
                    return False
    except Exception:  # noqa: BLE001  (a primitive may refuse samples in its own words)
        return False
    return True


MAX_FOLDED = 1_000  # elements: a constant array larger than this stays a formula


def _constant_value(node: Expr) -> np.ndarray | None:
    inner = _unwrap(node)
    if inner.kind == "ones":
        return np.ones(node.shape)
    if inner.kind == "num" and isinstance(inner.data, (Fraction, float)):
        return np.broadcast_to(np.float64(float(inner.data)), node.shape)
    if inner.kind == "array" and inner.data:
        values = np.array([float(v) for v in inner.data]).reshape(inner.shape)
        return np.broadcast_to(values, node.shape)
    return None


def _fold_constants(name: str, args: list[Expr], params: dict[str, Any]) -> Expr | None:
    """A primitive of constant arrays (not all plain numbers: those fold exactly, above) is
    the constant array it computes: [1, 2] broadcast, then indexed, is a constant."""
    if not args or all(_unwrap(a).kind == "num" for a in args):
        # numbers through an element-wise function fold exactly, or not at all; numbers
        # repeated to a variable's shape stay formulas of it (sum of ones is size(x), not 3)
        return None
    values = [_constant_value(a) for a in args]
    if any(v is None for v in values):
        return None
    from adcli.ops import PRIMITIVES

    prim = PRIMITIVES.get(name)
    if prim is None:
        return None
    try:
        with np.errstate(all="ignore"):
            result = np.asarray(prim.value(*values, **params))
    except Exception:  # noqa: BLE001  (then it stays a formula)
        return None
    return array(result) if result.size <= MAX_FOLDED else None


def _fold_call(name: str, args: list[Expr]) -> Expr | None:
    """An element-wise function of numbers, when the result is exact (cos(0) = 1, log(1) = 0);
    log(2) stays a formula."""
    if not args or any(a.kind != "num" for a in args):
        return None
    from adcli.ops import PRIMITIVES

    prim = PRIMITIVES[name]
    try:
        with np.errstate(all="ignore"):
            value = np.asarray(prim.value(*(
                np.bool_(bool(a.data)) if condition(prim, k) else np.float64(float(a.data))
                for k, a in enumerate(args))))
    except Exception:  # noqa: BLE001  (a primitive may refuse numbers in its own words)
        return None
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
    # random samples, not ones: a matrix of ones is singular (solve, inv, det refuse it)
    rng = np.random.default_rng(17)
    samples = [rng.uniform(0, 1, s) > 0.5 if condition(prim, k) else rng.uniform(0.5, 1.5, s)
               for k, s in enumerate(shapes)]
    with np.errstate(all="ignore"):
        return tuple(np.shape(prim.value(*samples, **{k: thaw(v) for k, v in frozen})))


def condition(prim: Any, k: int) -> bool:
    """Whether input k of a primitive takes no derivative (where's condition): it is given
    booleans when the primitive is run on samples."""
    rules = prim.vjp
    return rules is not None and prim.arity > 0 and k < prim.arity and rules[k] is None


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
    if name == "sum" and params.get("axis") == ():  # summed over no axes: x itself
        return args[0]
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
        if (target.kind == "call" and target.name == "stack" and isinstance(key, int)
                and not target.params.get("axis")):
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
