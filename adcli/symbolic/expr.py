"""The expression type of adcli's symbolic derivatives: immutable, hash-consed nodes.

Every node is built once: asking for the same node again returns the same object, so
structural equality is identity, shared sub-expressions stay shared (a derivative is a graph,
as the tape is), and dictionaries keyed by nodes collect like terms in constant time. Each node
knows its shape (numpy's, at the sample shapes the formula was recorded with), its tree size
and a digest that orders commutative arguments the same way in every run.

Nothing here recurses on depth: a derivative of `sin(` nested 10,000 deep is a chain of
10,000 nodes, and every walk over one (adcli.symbolic.walk) uses an explicit stack.
"""

from __future__ import annotations

import math
import weakref
import zlib
from fractions import Fraction
from typing import Any, Iterable

Number = Fraction | float

# kind: what `data` holds, what `args` hold
#   num    a number (Fraction when it is a small exact rational, else float); no args
#   const  a named constant: "pi" or "e"
#   array  a constant array that is not one number repeated: data = its values, flat
#   var    a variable (or a rule's placeholder, like the adjoint g): data = its name
#   add    a sum of args;  mul  a product of args (element-wise, numpy broadcasting)
#   pow    args = (base, exponent)
#   call   a primitive of the registry: data = (name, params), args = its tensor inputs
#   bcast  args = (inner,) repeated to data = a shape (numpy's broadcast_to)
#   ones   an array of ones of the shape data, written out (where broadcasting cannot say it)
KINDS = ("num", "const", "array", "var", "add", "mul", "pow", "call", "bcast", "ones")
_CODE = {kind: i for i, kind in enumerate(KINDS)}


class Expr:
    """One node. Build nodes with adcli.symbolic.algebra (which simplifies as it builds), or
    with `make` (which only interns)."""

    __slots__ = ("kind", "args", "data", "shape", "digest", "tag", "size", "free",
                 "__weakref__")

    kind: str
    args: tuple[Expr, ...]
    data: Any
    shape: tuple[int, ...]
    digest: int  # deterministic across runs (str hashes are not), shapes included
    tag: int  # the same without shapes: the order of terms and factors, whatever the shapes
    size: int  # nodes in the tree, shared nodes counted each time they are used
    free: frozenset[str]  # the variables it depends on

    def __repr__(self) -> str:
        from adcli.symbolic.printer import to_text

        try:
            return f"Expr({to_text(self)})"
        except Exception:  # a node the printer refuses (an internal primitive)
            return f"Expr<{self.kind} {self.data!r} {self.shape}>"

    @property
    def name(self) -> str:
        """A call's primitive name, or a variable's name."""
        return self.data[0] if self.kind == "call" else self.data

    @property
    def params(self) -> dict[str, Any]:
        return {k: thaw(v) for k, v in self.data[1]} if self.kind == "call" else {}

    @property
    def is_number(self) -> bool:
        return self.kind == "num"

    @property
    def is_constant(self) -> bool:
        return not self.free


_TABLE: weakref.WeakValueDictionary[tuple[Any, ...], Expr] = weakref.WeakValueDictionary()


def _data_key(kind: str, data: Any) -> Any:
    if kind == "num":
        # nan != nan, and 0.5 == Fraction(1, 2): key numbers by type and text
        return (type(data).__name__, repr(data))
    return data


def make(kind: str, args: Iterable[Expr], data: Any, shape: tuple[int, ...]) -> Expr:
    """The one node with these parts (created the first time it is asked for)."""
    args = tuple(args)
    key = (kind, _data_key(kind, data), tuple(id(a) for a in args), shape)
    node = _TABLE.get(key)
    if node is not None:
        return node
    node = Expr.__new__(Expr)
    node.kind, node.args, node.data, node.shape = kind, args, data, shape
    data_code = zlib.crc32(repr(key[1]).encode())
    node.digest = hash((_CODE[kind], data_code, shape, *(a.digest for a in args)))
    node.tag = hash((_CODE[kind], data_code, *(a.tag for a in args)))
    node.size = 1 + sum(a.size for a in args)
    if kind == "var":
        node.free = frozenset((data,))
    elif not args:
        node.free = frozenset()
    elif len(args) == 1:
        node.free = args[0].free
    else:
        node.free = frozenset().union(*(a.free for a in args))
    _TABLE[key] = node
    return node


# -- numbers ---------------------------------------------------------------------------------

MAX_DENOMINATOR = 1_000_000


def number(value: Any) -> Number:
    """A number as adcli keeps it: an exact Fraction when the float is one (0.5, 1/3's float,
    1e-3), else the float itself (log 2, a random sample)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (bool, int)):
        return Fraction(int(value))
    f = float(value)
    if not math.isfinite(f):
        return f
    if f.is_integer():
        return Fraction(int(f))
    exact = Fraction(f).limit_denominator(MAX_DENOMINATOR)
    return exact if float(exact) == f else f


def is_integer(value: Any) -> bool:
    return isinstance(value, Fraction) and value.denominator == 1


def order(node: Expr) -> tuple[int, int]:
    """The canonical order of commutative arguments: by structure, then by shape."""
    return node.tag, node.digest


def freeze(value: Any) -> Any:
    """A parameter as a hashable, printable key (slices, nested tuples, lists)."""
    if isinstance(value, slice):
        return ("slice", value.start, value.stop, value.step)
    if isinstance(value, (tuple, list)):
        return ("tuple", *(freeze(v) for v in value))
    if hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0:  # an array argument
        return freeze(value.tolist())
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    return value


def thaw(value: Any) -> Any:
    if isinstance(value, tuple) and value and value[0] == "slice":
        return slice(*value[1:])
    if isinstance(value, tuple) and value and value[0] == "tuple":
        return tuple(thaw(v) for v in value[1:])
    return value


def freeze_params(params: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, freeze(v)) for k, v in params.items()))
