"""What a run of statements leaves behind: the names it assigns.

The interactive session runs an `if`, `while` or `for` typed at its prompt against its own names
and keeps what the block assigned, as Python's prompt does. The statements run define-by-run on
the engine like every program (adcli/language/statements.py), with nothing recorded: only the
values are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np

from adcli.calculations.point import Point, Run, frozen_array
from adcli.engine import gc_paused, ieee_sweep, make_leaf, no_grad
from adcli.errors import ComputeError, InputError
from adcli.language import ast
from adcli.language.evaluate import Evaluator
from adcli.language.statements import execute


@dataclass(frozen=True, eq=False)
class Bindings:
    """The names the statements assigned (new ones, and inputs given a new value), in order."""

    point: Point
    names: Mapping[str, np.ndarray]
    run: Run


def bindings(point: Point) -> Bindings:
    """Run a program's top-level statements at the point and return the names they assigned."""
    program = point.formula.tree
    if not isinstance(program, ast.Program):
        raise InputError("only statements assign names", kind="syntax",
                         source=point.formula.source, start=0, end=0)
    for statement in _outside_defs(program.body):
        if isinstance(statement, ast.Return):
            raise InputError("`return` belongs inside a def", kind="syntax",
                             source=point.formula.source, start=statement.span.start,
                             end=statement.span.end)
    session = point.session()
    inputs = {name: make_leaf(array) for name, array in point.at.items()}
    env = dict(inputs)
    evaluator = Evaluator(point.formula, point.dtype, session)
    with no_grad(), ieee_sweep(), gc_paused():
        try:
            execute(evaluator, program.body, env)
        except RecursionError:  # a safety net, as in Evaluator.run: the depth limit comes first
            raise ComputeError("the program nests too deeply; lower the depth of recursion",
                               kind="depth-limit", source=point.formula.source, start=0,
                               end=0) from None
    assigned = {name: frozen_array(value.data) for name, value in env.items()
                if inputs.get(name) is not value}
    return Bindings(point, MappingProxyType(assigned), Run.of(session, point))


def _outside_defs(body: tuple[ast.Statement, ...]) -> list[ast.Statement]:
    """Every statement of the body and its blocks, except the insides of defs."""
    out, stack = [], list(body)
    while stack:
        statement = stack.pop()
        out.append(statement)
        if not isinstance(statement, ast.Def):
            for block in ast.blocks(statement):
                stack.extend(block)
    return out
