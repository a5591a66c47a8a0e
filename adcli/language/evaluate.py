"""AST to tensors: evaluates a formula or a program on the engine, define-by-run, as PyTorch's
eager mode does: a condition reads the current value, and the graph records the path that ran.

Expressions are walked iteratively (children first, from an explicit stack), so a formula
nested 10,000 deep or a sum of 100,000 terms evaluates without touching Python's recursion
limit; statements (adcli.language.statements) use this same evaluator for every expression.
Every tensor a node produces remembers its `Site` in `origin`, so views can name the
sub-expression (and the loop iteration or call) behind any value, and an engine error is
reported against the text that caused it.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Union

import numpy as np

from adcli import ops
from adcli.engine import Tensor, gc_paused, ieee_sweep, make_leaf
from adcli.engine.errors import OpError
from adcli.engine.forward import Dual
from adcli.engine import budget
from adcli.errors import ComputeError, InputError, Stopped
from adcli.language import ast, shapes
from adcli.language.constants import CONSTANTS
from adcli.language.parser import Formula
from adcli.ops import limits

# What an expression evaluates to: a tensor, or in forward mode a dual number.
Value = Union[Tensor, Dual]

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": ops.add, "-": ops.sub, "*": ops.mul, "/": ops.div, "·": ops.dot, "@": ops.matmul,
    "^": ops.power, "<": ops.lt, "<=": ops.le, ">": ops.gt, ">=": ops.ge, "==": ops.eq,
    "!=": ops.ne, "and": ops.logical_and, "or": ops.logical_or,
}


@dataclass(frozen=True)
class Site:
    """Where a tensor was made: the AST node, and for programs the loop iteration or function
    call it ran in (e.g. "f call 1 › while line 3, iteration 2")."""

    node: Any
    context: str | None = None

    @property
    def span(self) -> ast.Span:
        return self.node.span


@dataclass(frozen=True)
class Limits:
    """What a run may do before it is stopped (exit 1, naming the line)."""

    max_steps: int = 1_000_000  # evaluated operations, statements and loop iterations in all
    max_iterations: int = 100_000  # of all loops together: nested loops multiply
    max_depth: int = 100  # nested function calls


@dataclass
class Session:
    """The state of one run that its expressions and statements share."""

    limits: Limits = field(default_factory=Limits)
    seed: int | None = None
    rng: np.random.Generator | None = None
    steps: int = 0
    iterations: int = 0  # of every loop of the run
    draws: dict[str, np.ndarray] = field(default_factory=dict)  # randn/rand inside the text
    notes: list[str] = field(default_factory=list)  # the path a program took
    calls: dict[str, int] = field(default_factory=dict)  # how often each def was called
    depth: int = 0  # calls in progress

    def generator(self) -> np.random.Generator:
        if self.rng is None:
            if self.seed is None:
                self.seed = int(np.random.SeedSequence().entropy % 2**32)
            self.rng = np.random.default_rng(self.seed)
        return self.rng


class Evaluator:
    def __init__(self, formula: Formula, dtype: Any = np.float64, session: Session | None = None):
        self.formula = formula
        self.dtype = np.dtype(dtype)
        self.session = session or Session()
        self.env: Mapping[str, Any] = {}
        self.context: list[str] = []  # loop iterations and calls we are inside, outermost first
        self.where: str | None = None
        self.current: Any = None  # the node or statement being evaluated, for --timeout's message
        self.calling: Any = None  # the call whose arguments are being bound

    def run(self, env: Mapping[str, Tensor]) -> Tensor:
        budget.new_tape()  # the bytes this evaluation records count from here
        try:
            with ieee_sweep(), gc_paused():
                if not self.formula.is_program:
                    return self.expression(self.formula.tree, env)
                from adcli.language.statements import run_program

                return run_program(self, dict(env))
        except RecursionError:  # a safety net: the depth limit should stop it first
            raise ComputeError("the program nests too deeply (calls inside loops inside "
                               "calls…); lower the depth of recursion", kind="depth-limit",
                               source=self.formula.source, start=0, end=0) from None
        except Stopped as stop:
            if self.current is not None:
                stop.locate(self.position(self.current), self.formula.source,
                            self.current.span.start, self.current.span.end)
            raise

    def position(self, node: Any) -> str:
        """Where a node is, in words: `line 3` in a program, the sub-expression in a formula."""
        if self.formula.is_program:
            return f"at line {self.formula.source.count(chr(10), 0, node.span.start) + 1}"
        text = self.formula.text(node)
        return f"in `{text if len(text) <= 60 else text[:57] + '…'}`"

    def enter(self, label: str) -> None:
        self.context.append(label)
        self.where = " › ".join(self.context)

    def leave(self) -> None:
        self.context.pop()
        self.where = " › ".join(self.context) or None

    def expression(self, tree: ast.Expr, env: Mapping[str, Any]) -> Tensor:
        outer, self.env = self.env, env
        try:
            return self._walk(tree)
        finally:
            self.env = outer

    def _walk(self, tree: ast.Expr) -> Tensor:
        session, budget = self.session, self.session.limits.max_steps
        values: list[Any] = []  # children's results, the last node's on top
        for node, method, arity in _plan(tree):
            session.steps += 1
            self.current = node
            if session.steps > budget:
                raise self.error(node, f"stopped after {budget:,} steps (--max-steps)",
                                 ComputeError, "step-limit")
            if arity:
                operands = values[-arity:]
                del values[-arity:]
            else:
                operands = []
            try:
                out = getattr(self, method)(node, operands)
            except OpError as exc:
                raise self.op_error(node, operands, exc) from None
            if type(out) is Tensor and out.origin is None:
                out.origin = Site(node, self.where)
            values.append(out)
        return values[-1]

    def error(self, node: Any, message: str, cls: type = ComputeError, kind: str = "compute") -> Any:
        text = self.formula.text(node)
        shown = text if len(text) <= 60 else text[:57] + "…"
        prefix = f"in `{shown}`: " if "\n" not in shown else ""
        return cls(f"{prefix}{message}", kind=kind, source=self.formula.source,
                   start=node.span.start, end=node.span.end)

    def op_error(self, node: ast.Expr, values: list[Any], exc: OpError) -> Any:
        """An engine refusal at `node`; a shape error told with the operands' own names."""
        if exc.kind == "shape":
            told = shapes.explain(node, [self.formula.text(c) for c in node.children()],
                                  [np.shape(getattr(v, "data", v)) for v in values])
            if told is not None:
                return ComputeError(told, kind="shape", source=self.formula.source,
                                    start=node.span.start, end=node.span.end)
        return self.error(node, exc.message, ComputeError, exc.kind)

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
        if node.op == "not":
            return ops.logical_not(operand)
        return ops.neg(operand) if node.op == "-" else operand

    def binary(self, node: ast.Binary, values: list[Any]) -> Tensor:
        left, right = values
        # Cheap first: no broadcast is larger than the product of the sizes. (dot is never
        # larger than its inputs, and matmul checks itself.)
        if _size(left) * _size(right) > limits.MAX_ELEMENTS and node.op not in ("·", "@"):
            limits.check_broadcast((left.shape, right.shape), f"`{node.op}`")
        return BINARY[node.op](left, right)

    def range(self, node: ast.Range, values: list[Any]) -> Tensor:
        start = self.scalar(node.start, values[0], "the start of a range")
        stop = self.scalar(node.stop, values[1], "the end of a range")
        if node.count is not None:
            return self.samples(node, start, stop, values[2])
        if node.inclusive and math.isfinite(start) and math.isfinite(stop - start):
            stop = start + math.floor(stop - start) + 1
        return self.constant(ops.arange(start, stop, dtype=self.dtype))

    def samples(self, node: ast.Range, start: float, stop: float, count: Any) -> Tensor:
        """`a..b:n` and `a..=b:n`: n points evenly spaced, b included only with `..=`."""
        assert node.count is not None
        n = self.whole(node.count, count, "the count of a sampled range")
        if n < 1:
            raise self.error(node.count, f"a sampled range needs at least 1 point, not {n}")
        if not (math.isfinite(start) and math.isfinite(stop)):
            raise self.error(node, "the ends of a sampled range must be finite numbers")
        return self.constant(ops.linspace(start, stop, n, dtype=self.dtype,
                                          endpoint=node.inclusive))

    def call(self, node: ast.Call, values: list[Any]) -> Any:
        self.calling = node
        if node.function in self.formula.functions:
            from adcli.language.statements import call_function

            return call_function(self, self.formula.functions[node.function], values, node)
        function = ops.lookup(node.function)
        assert function is not None  # the parser checked
        if function.constructor:
            numbers = [self.scalar(arg, v, f"an argument of {node.function}")
                       for arg, v in zip(node.args, values)]
            if function.random:
                drawn = function.apply(*numbers, rng=self.session.generator(), dtype=self.dtype)
                self.session.draws[f"{node.function}#{len(self.session.draws) + 1}"] = drawn
                return self.constant(drawn)
            return self.constant(function.apply(*numbers, dtype=self.dtype))
        positional = values[: len(node.args)]
        if function.pairwise is not None and len(positional) == 2:
            limits.check_broadcast([np.shape(v) for v in positional], node.function)
            return ops.lookup(function.pairwise).apply(*positional)  # type: ignore[union-attr]
        lead = function.leading
        count = len(positional) - lead if function.arity < 0 else function.arity
        tensors = positional[lead : lead + count]
        if len(tensors) > 1 and function.name not in shapes.OWN_RULES:
            # (their results are not broadcasts; matmul sizes itself)
            # maximum, where, clip, atan2…: broadcast like the operators
            limits.check_broadcast([np.shape(t) for t in tensors], node.function)
        given = [*zip(function.params[:lead], node.args[:lead], positional[:lead]),
                 *zip(function.positional_params, node.args[lead + count :],
                      positional[lead + count :]),
                 *((function.param_named(k.name), k.value, v)
                   for k, v in zip(node.keywords, values[len(node.args) :]))]
        params = {name: self.param(function, name, arg, value, tensors)
                  for name, arg, value in given}
        return function.apply(*tensors, **params)

    def param(self, function: Any, name: str, node: ast.Expr, value: Any, tensors: list[Any]) -> Any:
        """A constant argument, as its kind wants it (registry.KINDS)."""
        kind, what = function.kind(name), f"`{name}` of {function.name}"
        if kind == "string":
            return value
        if kind == "number":
            return self.scalar(node, value, what)
        if kind in ("int", "axis"):
            number = self.whole(node, value, what)
            if kind == "axis" and tensors:
                try:
                    return ops.normalize_axis(number, np.ndim(tensors[0]), function.name)
                except OpError as exc:
                    raise self.axis_error(node, exc) from None
            return number
        numbers = self.wholes(node, value, what)
        if kind == "contraction":
            if numbers.ndim == 0:
                return int(numbers)
            if numbers.ndim != 2 or len(numbers) != 2:
                raise self.error(node, f"{what} must be a number or two lists of axes, "
                                       f"like [[1], [0]]", InputError, "arguments")
            return (tuple(numbers[0].tolist()), tuple(numbers[1].tolist()))
        if numbers.ndim > 1:
            raise self.error(node, f"{what} must be a number or a vector of numbers",
                             InputError, "arguments")
        if kind in ("axes", "dims") and tensors:
            try:
                return ops.normalize_axes(numbers.tolist(), np.ndim(tensors[0]), function.name,
                                          scalar_axes=kind == "axes")
            except OpError as exc:
                raise self.axis_error(node, exc) from None
        return int(numbers) if numbers.ndim == 0 else tuple(numbers.tolist())

    def axis_error(self, node: ast.Expr, exc: OpError) -> ComputeError:
        """Named after the call, with the caret under the axis."""
        error = self.error(self.calling, exc.message, ComputeError, "axis")
        error.start, error.end = node.span.start, node.span.end
        return error

    def wholes(self, node: ast.Expr, value: Any, what: str) -> np.ndarray:
        data = np.asarray(getattr(value, "data", value))
        if data.dtype.kind == "b" or not np.all(np.isfinite(data)) or np.any(data != np.round(data)):
            raise self.error(node, f"{what} must be whole numbers, not {data.tolist()}")
        return data.astype(np.int64)

    def indices(self, node: ast.Expr, value: Any) -> Any:
        """An index: a whole number, or an array of them (`x[[0, 2]]`, numpy's integer-array
        indexing; a position may repeat)."""
        if np.ndim(getattr(value, "data", value)) == 0:
            return self.whole(node, value, "an index")
        return self.wholes(node, value, "an index array")

    def string(self, node: ast.String, values: list[Any]) -> str:
        return node.value

    def vector(self, node: ast.Vector, values: list[Any]) -> Tensor:
        if values:
            limits.check_stack(len(values), np.shape(values[0]))
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
            k if isinstance(k, slice) else self.indices(sub, k)
            for sub, k in zip(node.subscripts, keys)
        )
        if len(key) > target.ndim:
            raise self.error(node, f"{len(key)} indices for an array of shape {target.shape}")
        return ops.getitem(target, key)


# A tree's nodes in the order they are evaluated, children first, each with the method that
# evaluates it and how many children's results it takes: made once per tree (with no
# recursion), then walked again for each point of --each, each loop iteration, each call.
_PLANS: weakref.WeakKeyDictionary[Any, list[tuple[Any, str, int]]] = weakref.WeakKeyDictionary()


def _plan(tree: ast.Expr) -> list[tuple[Any, str, int]]:
    plan = _PLANS.get(tree)
    if plan is None:
        plan = []
        stack: list[tuple[Any, bool]] = [(tree, False)]
        while stack:
            node, ready = stack.pop()
            children = node.children()
            if ready:
                plan.append((node, type(node).__name__.lower(), len(children)))
                continue
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children))
        _PLANS[tree] = plan
    return plan


def evaluate(formula: Formula, env: Mapping[str, Tensor], dtype: Any = np.float64,
             session: Session | None = None) -> Tensor:
    return Evaluator(formula, dtype, session).run(env)


def _size(value: Any) -> int:
    """Elements of an operand: a tensor, a dual number, or (inside a batched sweep, where
    detach gives its value) a plain array."""
    return value.size if isinstance(value, np.ndarray) else value.data.size
