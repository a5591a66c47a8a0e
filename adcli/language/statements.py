"""Programs: statements run by the same Evaluator that evaluates every formula.

Define-by-run, as PyTorch's eager mode: `while norm(b) < 1000` reads the current value, and the
graph records only the operations that ran. So the graph of the notebook's `f` is a chain of
multiplications by constants, and the gradient is d/a. The path taken (which branch, how many
iterations) is written down in `session.notes`, and each tensor knows the iteration or call it
was made in, so graph and trace can show the loops unrolled.
"""

from __future__ import annotations

from collections import ChainMap
from typing import MutableMapping, Union

import numpy as np

from adcli import ops
from adcli.engine import Tensor
from adcli.errors import AdcliError, ComputeError, InputError
from adcli.language import ast
from adcli.language.evaluate import Evaluator, Site, Value

# What `_error` points at: a statement, or an expression inside one.
Located = Union[ast.Statement, ast.Expr]


class _Return(Exception):
    """A `return` unwinding to its function (or to the top of the program)."""

    def __init__(self, value: Value) -> None:
        self.value = value


def run_program(evaluator: Evaluator, env: dict[str, Value]) -> Value:
    """Run the program; its value is that of a top-level `return`, or else of the last
    expression statement."""
    try:
        last = execute(evaluator, evaluator.formula.tree.body, env)
    except _Return as done:
        return done.value
    if last is None:
        raise ComputeError("the program has no value: end it with an expression or `return`",
                           kind="no-value", source=evaluator.formula.source, start=0, end=0)
    return last


def execute(evaluator: Evaluator, body: tuple[ast.Statement, ...],
            env: MutableMapping[str, Value]) -> Value | None:
    """Run a block; returns the value of its last expression statement, if any."""
    last = None
    for statement in body:
        step(evaluator, statement)
        kind = type(statement)
        if kind is ast.Assign:
            env[statement.target] = evaluator.expression(statement.value, env)
        elif kind is ast.ExpressionStatement:
            last = evaluator.expression(statement.value, env)
        elif kind is ast.Return:
            if statement.value is None:
                raise _error(evaluator, statement, "`return` needs a value", InputError)
            raise _Return(evaluator.expression(statement.value, env))
        elif kind is ast.If:
            last = _if(evaluator, statement, env) or last
        elif kind is ast.While:
            _while(evaluator, statement, env)
        elif kind is ast.For:
            _for(evaluator, statement, env)
    return last


def _line(evaluator: Evaluator, node: Located) -> int:
    return _line_at(evaluator, node.span)


def _line_at(evaluator: Evaluator, span: ast.Span) -> int:
    return evaluator.formula.source.count("\n", 0, span.start) + 1


def _text(evaluator: Evaluator, node: Located) -> str:
    return evaluator.formula.text(node)


def _error(evaluator: Evaluator, node: Located, message: str,
           cls: type[AdcliError] = ComputeError, kind: str = "compute") -> AdcliError:
    return cls(f"line {_line(evaluator, node)}: {message}", kind=kind,
               source=evaluator.formula.source, start=node.span.start, end=node.span.end)


def truth(evaluator: Evaluator, condition: Tensor) -> bool:
    """A condition's value, read now (no gradient flows through a decision)."""
    value = np.asarray(condition.data)
    if value.size != 1:
        raise _error(evaluator, condition.origin.node,
                     f"a condition needs one value, but `{_text(evaluator, condition.origin.node)}` "
                     f"has {value.size}; reduce it first, e.g. with sum(…) > 0 or max(…) > 0")
    return bool(value.reshape(()))


def _if(evaluator: Evaluator, statement: ast.If, env: MutableMapping[str, Value]) -> Value | None:
    for position, (condition, body) in enumerate(statement.branches):
        if truth(evaluator, evaluator.expression(condition, env)):
            word = "if" if position == 0 else "elif"
            skipped = [f"line {_line(evaluator, c)}" for c, _ in statement.branches[position + 1:]]
            if statement.otherwise is not None:
                skipped.append(f"the else at line {_line_at(evaluator, statement.else_span)}")
            note = f"line {_line(evaluator, condition)}: `{word} {_text(evaluator, condition)}` held"
            evaluator.session.notes.append(
                note + (f"; not taken: {', '.join(skipped)}" if skipped else ""))
            return execute(evaluator, body, env)
    if statement.otherwise is not None:
        evaluator.session.notes.append(
            f"line {_line(evaluator, statement)}: no condition held, so the else branch ran")
        return execute(evaluator, statement.otherwise, env)
    evaluator.session.notes.append(
        f"line {_line(evaluator, statement)}: no condition held and there is no else")
    return None


def step(evaluator: Evaluator, statement: ast.Statement) -> None:
    """Every statement is a step toward --max-steps, `pass` too: a loop that does nothing but
    loop must still end."""
    session = evaluator.session
    session.steps += 1
    evaluator.current = statement
    if session.steps > session.limits.max_steps:
        raise _error(evaluator, statement,
                     f"stopped after {session.limits.max_steps:,} steps (--max-steps)",
                     kind="step-limit")


def _loop_guard(evaluator: Evaluator, statement: ast.While | ast.For, count: int) -> None:
    """One more iteration: a step, and one of the whole run's iterations, so that nested loops
    (10⁵ × 10⁵) cannot each stay under a per-loop limit."""
    session = evaluator.session
    session.iterations += 1
    step(evaluator, statement)
    limit = session.limits.max_iterations
    if session.iterations > limit:
        raise _error(evaluator, statement,
                     f"the loops ran more than {limit:,} times in all; stopped",
                     kind="iteration-limit")


def _while(evaluator: Evaluator, statement: ast.While, env: MutableMapping[str, Value]) -> None:
    line, count = _line(evaluator, statement), 0
    while truth(evaluator, evaluator.expression(statement.condition, env)):
        count += 1
        _loop_guard(evaluator, statement, count)
        evaluator.enter(f"while line {line}, iteration {count}")
        try:
            execute(evaluator, statement.body, env)
        finally:
            evaluator.leave()
    evaluator.session.notes.append(
        f"line {line}: `while {_text(evaluator, statement.condition)}` ran {count} "
        f"iteration{'s' if count != 1 else ''}")


def _for(evaluator: Evaluator, statement: ast.For, env: MutableMapping[str, Value]) -> None:
    line = _line(evaluator, statement)
    items = evaluator.expression(statement.iterable, env)
    if items.ndim == 0:
        raise _error(evaluator, statement.iterable,
                     "`for` needs a vector (or a range such as 0..5), not a single number")
    for count in range(1, items.shape[0] + 1):
        _loop_guard(evaluator, statement, count)
        evaluator.enter(f"for line {line}, iteration {count}")
        try:
            element = ops.getitem(items, (count - 1,))
            if element.origin is None:
                element.origin = Site(statement.iterable, evaluator.where)
            env[statement.target] = element
            execute(evaluator, statement.body, env)
        finally:
            evaluator.leave()
    evaluator.session.notes.append(f"line {line}: `for {statement.target}` ran {items.shape[0]} "
                                   f"iteration{'s' if items.shape[0] != 1 else ''}")


def call_function(evaluator: Evaluator, function: ast.Def, args: list[Value],
                  call: ast.Call) -> Value:
    """Run a `def`: its parameters and locals shadow the program's top-level names."""
    session = evaluator.session
    if session.depth >= session.limits.max_depth:
        raise _error(evaluator, call, f"calls nested deeper than {session.limits.max_depth} "
                     "(a recursion without an end?)", kind="depth-limit")
    session.calls[function.name] = session.calls.get(function.name, 0) + 1
    local: dict[str, Value] = dict(zip(function.parameters, args))
    globals_ = evaluator.env.maps[-1] if isinstance(evaluator.env, ChainMap) else evaluator.env
    evaluator.enter(f"{function.name} call {session.calls[function.name]}")
    session.depth += 1
    try:
        execute(evaluator, function.body, ChainMap(local, globals_))
    except _Return as done:
        return done.value
    finally:
        session.depth -= 1
        evaluator.leave()
    raise _error(evaluator, call, f"{function.name} ended without `return`")
