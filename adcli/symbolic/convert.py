"""A recorded tensor graph as an expression: JAX's "printing a derivative as a program".

A derivative rule run on tensors under grad mode records what it computes, node by node, with
the registry's own primitives. Reading that record back gives the rule's formula, and reading
the record of a whole backward pass gives a formula's derivative; no rule text is ever parsed.

Leaves are named by identity (the caller says which tensor is `x`, which is the adjoint `g`);
every other leaf is a constant. Most primitives become a call of the same name. The internal
primitives that move elements around (`broadcast_to`, `sum_to`, `reshape`, `swap_last`) become
what they mean in the formula language where they have a meaning there (broadcasting, `sum`,
`transpose`, `@`); `detach` that a rule wrote only to guard second derivatives is dropped.

A rule's `where(cond, special, generic)` whose condition holds only on a set of measure zero
(an equality, a nan test) and held nowhere at the generic sample values is an edge convention
(torch's `‖0‖' = 0`): the formula takes the generic branch, and the convention is kept as a
`Guard` for the notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from adcli.engine import Tensor
from adcli.symbolic import algebra as al
from adcli.symbolic.expr import Expr


@dataclass(frozen=True)
class Guard:
    """An edge convention a rule applies where `condition` holds: there it gives `value`."""

    condition: Expr
    value: Expr


class Conversion:
    """One reading of a recorded graph; `guards` collects the edge conventions met."""

    def __init__(self, names: dict[int, Expr], keep: frozenset[int] = frozenset()) -> None:
        self.names = names
        self.keep = keep  # nodes of the user's own formula: their detach is the user's
        self.guards: list[Guard] = []
        self.done: dict[int, Expr] = {}
        # What `done` is keyed by, held so that no id is reused while this reading lasts.
        self.alive: list[Any] = []

    def __call__(self, root: Any) -> Expr:
        if type(root) is not Tensor:
            return al.array(np.asarray(root, dtype=np.float64))
        self.alive.append(root)
        stack: list[tuple[Tensor, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            key = id(node)
            if key in self.done:
                continue
            self.alive.append(node)
            if key in self.names:
                self.done[key] = self.names[key]
                continue
            if node.op is None:
                self.done[key] = al.array(node.data)
                continue
            tensors = [a for a in node.inputs if type(a) is Tensor]
            if not ready:
                stack.append((node, True))
                stack.extend((a, False) for a in reversed(tensors) if id(a) not in self.done)
                continue
            args = [self.done[id(a)] if type(a) is Tensor else a for a in node.inputs]
            self.done[key] = self.translate(node, args)
        return self.done[id(root)]

    def translate(self, node: Tensor, args: list[Any]) -> Expr:
        prim = node.op
        assert prim is not None
        handler = TRANSLATE.get(prim.name)
        if handler is not None:
            return handler(self, node, args)
        exprs = [_expr(a) for a in args[: prim.arity if prim.arity >= 0 else len(args)]]
        params = dict(node.params)
        extra = args[len(exprs):]
        params.update({name: value for name, value in zip(prim.params, extra)})
        return al.call(prim.name, exprs, params, shape=np.shape(node.data))


def _expr(value: Any) -> Expr:
    if isinstance(value, Expr):
        return value
    return al.array(np.asarray(value, dtype=np.float64))


def _shape_arg(value: Any) -> tuple[int, ...]:
    """A shape as written: one number (`reshape(x, -1)`) or several."""
    return tuple(int(n) for n in np.atleast_1d(value))


# -- the table: internal primitives and operators, as the formula language says them -------

def _binary(build: Callable[[Expr, Expr], Expr]) -> Callable[..., Expr]:
    return lambda conv, node, args: build(_expr(args[0]), _expr(args[1]))


def _named(name: str) -> Callable[..., Expr]:
    return lambda conv, node, args: al.call(name, [_expr(a) for a in args],
                                            shape=np.shape(node.data))


def _broadcast_to(conv: Conversion, node: Tensor, args: list[Any]) -> Expr:
    return al.bcast(_expr(args[0]), _shape_arg(args[1]))


def _sum_to(conv: Conversion, node: Tensor, args: list[Any]) -> Expr:
    x, shape = _expr(args[0]), _shape_arg(args[1])
    if shape == ():
        return al.call("sum", [x])
    lead = len(x.shape) - len(shape)
    if all(x.shape[lead + i] == n for i, n in enumerate(shape)):
        for _ in range(lead):  # sum away the leading axes numpy's broadcasting added
            x = al.call("sum", [x], {"axis": 0})
        return x
    return al.call("sum_to", [x], {"shape": shape}, shape=shape)


def _reshape(conv: Conversion, node: Tensor, args: list[Any]) -> Expr:
    x, target = _expr(args[0]), tuple(np.shape(node.data))
    written = node.params.get("shape") if len(args) < 2 else None  # the language's reshape
    if written is not None and -1 in _shape_arg(written) and x.shape != target:
        return al.call("reshape", [x], {"shape": _shape_arg(written)}, shape=target)
    return reshape(x, target)


def reshape(x: Expr, shape: tuple[int, ...]) -> Expr:
    """reshape as far as the language can say it: a no-op, a number, or a matrix-vector
    product that matmul's rule computed through a column."""
    if x.shape == shape:
        return x
    inner = x.args[0] if x.kind == "bcast" else x
    if inner.shape == () or inner.kind == "num":
        if inner.shape == () and all(n == 1 for n in shape):
            return al.bcast(inner, shape)
        if inner.kind == "num":
            return al.num(inner.data, shape)
    if x.kind == "call" and x.name == "reshape":
        return reshape(x.args[0], shape)
    if x.kind == "call" and x.name == "matmul" and len(shape) == 1 and len(x.args[0].shape) == 2:
        m, column = x.args
        if column.shape[-1:] != (1,) or len(column.shape) != 2:
            pass
        elif column.kind == "call" and column.name == "reshape" and len(column.args[0].shape) == 1:
            return al.call("matmul", [m, column.args[0]])
        elif column.kind == "bcast" and column.args[0].kind == "num":
            return al.call("matmul", [m, al.num(column.args[0].data, column.shape[:1])])
    if len(x.shape) == 1 and sorted(shape, reverse=True)[1:] == [1] * (len(shape) - 1):
        # a vector given unit axes (a reduction's keepdims): [-1, 1] holds for every length
        shape_text = tuple(-1 if n == x.shape[0] else 1 for n in shape)
        if shape_text.count(-1) == 1:
            return al.call("reshape", [x], {"shape": shape_text}, shape=shape)
    return al.call("reshape", [x], {"shape": shape}, shape=shape)


def _swap_last(conv: Conversion, node: Tensor, args: list[Any]) -> Expr:
    x = _expr(args[0])
    if len(x.shape) == 2:
        return al.call("transpose", [x])
    return al.call("swap_last", [x], shape=np.shape(node.data))


def _zeros_like(conv: Conversion, node: Tensor, args: list[Any]) -> Expr:
    return al.num(0, np.shape(node.data))


def _detach(conv: Conversion, node: Tensor, args: list[Any]) -> Expr:
    if id(node) in conv.keep:
        return al.call("detach", [_expr(args[0])])
    # a rule's own detach only keeps a second derivative from flowing through it
    return _expr(args[0])


def _keyed(name: str) -> Callable[..., Expr]:
    def build(conv: Conversion, node: Tensor, args: list[Any]) -> Expr:
        params = {"key": args[1]}
        if name == "scatter":
            params["shape"] = _shape_arg(args[2])
        return al.call(name, [_expr(args[0])], params, shape=np.shape(node.data))

    return build


def is_edge_condition(cond: Expr) -> bool:
    """Whether a condition can hold only on a set of measure zero: an equality, a nan test,
    or a conjunction with one of those."""
    if cond.kind == "bcast":
        cond = cond.args[0]
    if cond.kind != "call":
        return False
    if cond.name in ("eq", "isnan"):
        return True
    if cond.name == "logical_and":
        return any(is_edge_condition(a) for a in cond.args)
    if cond.name == "logical_or":
        return all(is_edge_condition(a) for a in cond.args)
    return False


def _where(conv: Conversion, node: Tensor, args: list[Any]) -> Expr:
    cond, a, b = (_expr(x) for x in args)
    given = node.inputs[0]
    sample = given.data if type(given) is Tensor else np.asarray(given)
    if id(node) not in conv.keep and is_edge_condition(cond) and not np.any(sample):
        conv.guards.append(Guard(cond, a))
        return al.bcast(b, np.shape(node.data))
    return al.call("where", [cond, a, b], shape=np.shape(node.data))


TRANSLATE: dict[str, Callable[[Conversion, Tensor, list[Any]], Expr]] = {
    "add": _binary(al.add),
    "sub": _binary(al.sub),
    "mul": _binary(al.mul),
    "div": _binary(al.div),
    "pow": _binary(al.power),
    "neg": lambda conv, node, args: al.neg(_expr(args[0])),
    "broadcast_to": _broadcast_to,
    "sum_to": _sum_to,
    "reshape": _reshape,
    "swap_last": _swap_last,
    "zeros_like": _zeros_like,
    "detach": _detach,
    "getitem": _keyed("getitem"),
    "scatter": _keyed("scatter"),
    "stack": _named("stack"),
    "where": _where,
    # mod's rule: a // b is floor(a / b) (numpy rounds it so; the meaning is the same)
    "floor_divide": lambda conv, node, args: al.call("floor", [al.div(_expr(args[0]),
                                                                      _expr(args[1]))]),
}


def convert(root: Any, names: dict[int, Expr], keep: frozenset[int] = frozenset()
            ) -> tuple[Expr, list[Guard]]:
    """The expression a recorded tensor computes, and the edge conventions its rules used."""
    conversion = Conversion(names, keep)
    return conversion(root), conversion.guards
