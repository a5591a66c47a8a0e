"""AST to tensors: evaluates a formula on the engine, define-by-run.

The walk is iterative (children first, from an explicit stack), so a formula nested 10,000 deep
or a sum of 100,000 terms evaluates without touching Python's recursion limit. Every tensor a
node produces remembers that node in `origin`, so views can name the sub-expression behind any
value, and an engine error is reported against the text that caused it.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

import numpy as np

from adcli import ops
from adcli.engine import Tensor, gc_paused, ieee_sweep, make_leaf
from adcli.engine.errors import OpError, SizeLimitError
from adcli.errors import ComputeError, InputError
from adcli.language import ast
from adcli.language.names import CONSTANTS
from adcli.language.parser import Formula

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": ops.add, "-": ops.sub, "*": ops.mul, "/": ops.div, "·": ops.dot, "@": ops.matmul,
    "^": ops.power, "<": ops.lt, "<=": ops.le, ">": ops.gt, ">=": ops.ge, "==": ops.eq,
    "!=": ops.ne,
}


class Evaluator:
    def __init__(self, formula: Formula, env: Mapping[str, Tensor], dtype: Any = np.float64):
        self.formula = formula
        self.env = env
        self.dtype = np.dtype(dtype)

    def run(self) -> Tensor:
        with ieee_sweep(), gc_paused():
            return self._run()

    def _run(self) -> Tensor:
        results: dict[int, Any] = {}
        stack: list[tuple[ast.Expr, bool]] = [(self.formula.tree, False)]
        while stack:
            node, ready = stack.pop()
            if not ready:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.children()))
                continue
            values = [results.pop(id(child)) for child in node.children()]
            try:
                out = getattr(self, type(node).__name__.lower())(node, values)
            except SizeLimitError as exc:
                raise self.error(node, exc.message, ComputeError, "size-limit") from None
            except OpError as exc:
                raise self.error(node, exc.message, ComputeError, "shape") from None
            if type(out) is Tensor and out.origin is None:
                out.origin = node
            results[id(node)] = out
        return results[id(self.formula.tree)]

    def error(self, node: Any, message: str, cls: type = ComputeError, kind: str = "compute") -> Any:
        text = self.formula.text(node)
        shown = text if len(text) <= 60 else text[:57] + "…"
        return cls(f"in `{shown}`: {message}", kind=kind, source=self.formula.source,
                   start=node.span.start, end=node.span.end)

    def constant(self, value: Any) -> Tensor:
        return make_leaf(np.asarray(value, dtype=self.dtype))

    def scalar(self, node: ast.Expr, value: Any, what: str) -> float:
        data = np.asarray(getattr(value, "data", value))
        if data.size != 1:
            raise self.error(node, f"{what} must be a single number, not an array of shape {data.shape}")
        return float(data.reshape(()))

    def whole(self, node: ast.Expr, value: Any, what: str) -> int:
        number = self.scalar(node, value, what)
        if not number.is_integer():
            raise self.error(node, f"{what} must be a whole number, not {number:g}")
        return int(number)

    # -- one method per AST node type ---------------------------------------------------------

    def number(self, node: ast.Number, values: list[Any]) -> Tensor:
        return self.constant(node.value)

    def name(self, node: ast.Name, values: list[Any]) -> Tensor:
        if node.id in self.env:
            return self.env[node.id]
        if node.id in CONSTANTS:
            return self.constant(CONSTANTS[node.id])
        raise self.error(node, f"no value for `{node.id}`", InputError, "missing-variable")

    def unary(self, node: ast.Unary, values: list[Any]) -> Tensor:
        (operand,) = values
        return ops.neg(operand) if node.op == "-" else operand

    def binary(self, node: ast.Binary, values: list[Any]) -> Tensor:
        left, right = values
        return BINARY[node.op](left, right)

    def range(self, node: ast.Range, values: list[Any]) -> Tensor:
        start = self.scalar(node.start, values[0], "the start of a range")
        stop = self.scalar(node.stop, values[1], "the end of a range")
        if node.inclusive and math.isfinite(start) and math.isfinite(stop):
            stop = start + math.floor(stop - start) + 1
        return self.constant(ops.arange(start, stop, dtype=self.dtype))

    def call(self, node: ast.Call, values: list[Any]) -> Any:
        function = ops.lookup(node.function)
        assert function is not None  # the parser checked
        if function.constructor:
            numbers = [self.scalar(arg, v, f"an argument of {node.function}")
                       for arg, v in zip(node.args, values)]
            return self.constant(function.apply(*numbers, dtype=self.dtype))
        tensors = values[: function.arity]
        params = {
            name: self.whole(arg, value, f"`{name}` of {node.function}")
            for name, arg, value in zip(function.params, node.args[function.arity :],
                                        values[function.arity :])
        }
        return function.apply(*tensors, **params)

    def vector(self, node: ast.Vector, values: list[Any]) -> Tensor:
        return ops.stack(*values)

    def slice(self, node: ast.Slice, values: list[Any]) -> slice:
        parts = iter(values)
        bounds = [
            None if part is None else self.whole(part, next(parts), "a slice bound")
            for part in (node.start, node.stop, node.step)
        ]
        if bounds[2] == 0:
            raise self.error(node, "the step of a slice must not be 0")
        return slice(*bounds)

    def index(self, node: ast.Index, values: list[Any]) -> Tensor:
        target, *keys = values
        key = tuple(
            k if isinstance(k, slice) else self.whole(sub, k, "an index")
            for sub, k in zip(node.subscripts, keys)
        )
        if len(key) > target.ndim:
            raise self.error(node, f"{len(key)} indices for an array of shape {target.shape}")
        return ops.getitem(target, key)


def evaluate(formula: Formula, env: Mapping[str, Tensor], dtype: Any = np.float64) -> Tensor:
    return Evaluator(formula, env, dtype).run()
