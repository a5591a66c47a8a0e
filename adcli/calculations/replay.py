"""`--each`: one formula's graph recorded at the first point and run again at the next ones.

A point of `grad --each` is a whole evaluation and backward pass, and most of that time is
bookkeeping a batch of points of one shape repeats identically: walking the syntax tree, making
a tensor per node, sorting the graph. Where the graph cannot depend on the values, the first
point of a shape is computed as usual and its graph kept (`adcli.engine.replay.Trace`); the
next points of that shape run the trace's primitives and rules on plain arrays, which gives the
same numbers bit for bit.

The graph depends on the values only through what the evaluator turns into Python numbers:
parameters (`sum(x, axis=k)`), indices and slices (`x[k]`), ranges, constructors' arguments,
and the branches of a program. So a formula qualifies when every one of those is computed
from constants alone, every function it calls is one primitive (a composite one could decide
something on the values in Python), nothing is drawn at random, and it is not a program.
Anything else, and any point the trace does not fit, is computed as usual.
"""

from __future__ import annotations

import functools
from types import MappingProxyType
from typing import Any, Callable, Sequence

import numpy as np

from adcli import ops
from adcli.calculations.point import Point, Run, frozen_array, frozen_own
from adcli.calculations.values import (
    Evaluation,
    Gradient,
    gradient,
    gradient_of,
    seed_of,
    value,
)
from adcli.engine.replay import Trace
from adcli.engine.tensor import apply
from adcli.language import ast
from adcli.language.constants import CONSTANTS
from adcli.language.evaluate import BINARY
from adcli.language.parser import Formula


def repeatable(formula: Formula) -> bool:
    """Whether every point of one shape records the same graph (see the module's docstring)."""
    if formula.is_program or formula.functions:
        return False
    variables = set(formula.variables)
    stack: list[Any] = [formula.tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Range, ast.Slice)):
            if _reads(node, variables):
                return False
            continue
        if isinstance(node, ast.Binary) and not _primitive(BINARY[node.op]):
            return False
        if isinstance(node, ast.Index):
            if any(_reads(sub, variables) for sub in node.subscripts):
                return False
        elif isinstance(node, ast.Call):
            function = ops.lookup(node.function)
            if function is None or function.constructor or function.random:
                return False
            pairwise = function.pairwise is not None and len(node.args) == 2
            if pairwise:  # max(x, y): the element-wise function instead, two tensors
                function = ops.lookup(function.pairwise)
            if not _primitive(function.apply):
                return False
            if any(_reads(c, variables) for c in _parameters(node, function, pairwise)):
                return False
        elif not isinstance(node, (ast.Number, ast.Name, ast.Unary, ast.Binary, ast.Vector,
                                   ast.String, ast.Keyword)):
            return False
        stack.extend(_children(node))
    return True


def _parameters(node: ast.Call, function: Any, pairwise: bool) -> list[Any]:
    """The arguments the evaluator turns into Python values (not tensors), as it binds them."""
    if pairwise:
        return [k.value for k in node.keywords]
    lead = function.leading
    count = len(node.args) - lead if function.arity < 0 else function.arity
    return [*node.args[:lead], *node.args[lead + count:], *(k.value for k in node.keywords)]


def _children(node: Any) -> tuple[Any, ...]:
    return (node.value,) if isinstance(node, ast.Keyword) else node.children()


def _reads(node: Any, variables: set[str]) -> bool:
    """Whether the subtree reads a variable."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and node.id in variables and node.id not in CONSTANTS:
            return True
        stack.extend(_children(node))
    return False


def _primitive(function: Any) -> bool:
    """One primitive's application (defprim's partial of `apply`), nothing around it."""
    return isinstance(function, functools.partial) and function.func is apply


class Repeated:
    """`value` and `gradient` for the points of one batch, replaying a trace where it fits."""

    def __init__(self, wrt: Sequence[str] | None = None,
                 cotangent: Callable[[Point], np.ndarray | None] | None = None) -> None:
        self.wrt = wrt
        self.cotangent = cotangent or (lambda point: None)
        self.formula: Formula | None = None
        self.repeatable = False
        self.trace: Trace | None = None
        self.ones: np.ndarray | None = None  # the default cotangent of the trace's output
        self.shapes: Any = None  # the variables' (shape, dtype) the trace was recorded at

    def _fits(self, point: Point) -> bool:
        return (self.trace is not None and point.formula is self.formula
                and point.generator is None
                and self._shapes(point) == self.shapes)

    @staticmethod
    def _shapes(point: Point) -> Any:
        return tuple((name, a.shape, a.dtype) for name, a in point.at.items())

    def _record(self, point: Point) -> Callable[[Any, Any], None] | None:
        if point.formula is not self.formula:
            self.formula, self.repeatable, self.trace = point.formula, repeatable(point.formula), None
        if not self.repeatable or point.generator is not None:
            return None

        def keep(output: Any, leaves: Any) -> None:
            self.trace, self.ones = Trace(output, leaves), None
            self.shapes = self._shapes(point)

        self.trace = None
        return keep

    @staticmethod
    def _run(point: Point) -> Run:
        """Run.of a session of the point, without making one: a replayed point drew nothing
        (no generator, no random function) and is no program (no path)."""
        return Run(point.seed if point.seed_given else None, (), ())

    def value(self, point: Point) -> Evaluation:
        if not self._fits(point):
            return value(point, on_graph=self._record(point))
        assert self.trace is not None
        slots, _ = self.trace.run(point.at)
        return Evaluation(point, frozen_array(slots[self.trace.root]), self._run(point))

    def gradient(self, point: Point) -> Gradient:
        cotangent = self.cotangent(point)
        if not self._fits(point):
            return gradient(point, self.wrt, cotangent=cotangent, on_graph=self._record(point))
        trace = self.trace
        assert trace is not None
        chosen = point.chosen(self.wrt)
        if cotangent is None:  # ones, the same for every point of the trace's shape
            if self.ones is None:
                self.ones = seed_of(trace.shape, trace.dtype, None)
            seed = self.ones
        else:
            seed = seed_of(trace.shape, trace.dtype, cotangent)
        slots, adjoints = trace.run(point.at, seed)
        output = frozen_own(slots[trace.root])
        gradients = {name: gradient_of(point.at[name], adjoints.get(trace.slot_of(name)))
                     for name in chosen}
        return Gradient(point, output, self._run(point), chosen,
                        MappingProxyType(gradients), "reverse", 1,
                        given=None if cotangent is None else frozen_array(seed))
