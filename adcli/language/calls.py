"""What the grammar cannot say, checked after parsing: every call names a built-in or one of the
program's `def`s with the right number of arguments, no product written without an operator can
be read two ways, and which names are the inputs (a formula's variables; a program's names read
before anything assigns them)."""

from __future__ import annotations

from typing import Any

from adcli.errors import InputError
from adcli.language import ast
from adcli.language.constants import CONSTANTS
from adcli.ops.registry import lookup, suggest


def check(tree: Any, program: bool, source: str) -> tuple[dict[str, ast.Def], tuple[str, ...]]:
    """The program's functions and the inputs; raises InputError at the first bad call."""
    functions = _functions(tree)
    for node in _all_expressions(tree):
        if isinstance(node, ast.Call):
            _check_call(node, functions)
        elif isinstance(node, ast.Binary) and node.implicit:
            _check_product(node, source)
        elif isinstance(node, ast.Name) and node.id in functions:
            raise InputError(f"`{node.id}` is a function: call it as {node.id}(…)",
                             kind="syntax", start=node.span.start, end=node.span.end)
    return functions, (_free_variables(tree, functions) if program else _variables(tree))


def _check_call(node: ast.Call, defined: dict[str, ast.Def]) -> None:
    where = {"start": node.name_span.start, "end": node.name_span.end}
    if node.function in defined:
        wanted = len(defined[node.function].parameters)
        if len(node.args) != wanted:
            raise InputError(f"{node.function} takes {wanted} argument{'s' if wanted != 1 else ''},"
                             f" got {len(node.args)}", kind="arguments", **where)
        return
    function = lookup(node.function)
    if function is None:
        close = suggest(node.function, tuple(defined))
        raise InputError(
            f"unknown function `{node.function}`"
            + (f" — did you mean `{close}`?" if close else ""),
            kind="unknown-function",
            # x(y+1) is a call; a product needs its operator
            hint="`adcli functions` lists every function" if close else
            f"for a product, write {node.function}*(…); `adcli functions` lists every function",
            **where,
        )
    given = len(node.args)
    if function.constructor:
        low, high = function.required_params, (None if function.params == ("sizes",) else len(function.params))
    else:
        low, high = function.arity, function.arity + len(function.params)
    if given < low or (high is not None and given > high):
        wanted = f"{low}" if low == high else f"{low} or more" if high is None else f"{low} to {high}"
        raise InputError(
            f"{function.signature} takes {wanted} argument{'s' if high != 1 else ''}, got {given}",
            kind="arguments", **where,
        )


def _check_product(node: ast.Binary, source: str) -> None:
    """After a power or a root, a factor written right against it could belong to either: is
    e^2x e^(2x) or e^2·x, is √2x √(2x) or √2·x? Refused with both spellings; with a space
    (e^2 x) or parentheses it is a product."""
    last = node.left
    while isinstance(last, ast.Binary) and last.implicit:
        last = last.right
    if isinstance(last, ast.Binary) and last.op == "^" and not last.implicit:
        inner = last.right
    elif isinstance(last, ast.Call) and last.name_span.text(source) == "√":
        inner = last.args[0]
    else:
        return
    if inner.span.end != node.right.span.start or source[inner.span.end - 1] in ")²³¹⁰⁴⁵⁶⁷⁸⁹":
        return
    whole, follower, operand = last.span.text(source), node.right.span.text(source), \
        inner.span.text(source)
    head = whole[: len(whole) - len(operand)]
    raise InputError(f"`{whole}{follower}` can be read two ways", kind="ambiguous",
                     start=last.span.start, end=node.right.span.end,
                     hint=f"write {head}({operand}{follower}), or {whole}*{follower}")


def _variables(tree: ast.Expr) -> tuple[str, ...]:
    """A formula's variables: every name that is not a constant, by first appearance."""
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in CONSTANTS]
    return tuple(dict.fromkeys(n.id for n in sorted(names, key=lambda n: n.span.start)))


def _functions(tree: Any) -> dict[str, ast.Def]:
    if not isinstance(tree, ast.Program):
        return {}
    functions: dict[str, ast.Def] = {}
    for statement in _all_statements(tree.body):
        if not isinstance(statement, ast.Def):
            continue
        where = {"start": statement.span.start, "end": statement.span.end}
        if statement not in tree.body:
            raise InputError(f"`def {statement.name}` must be at the top level of the program",
                             kind="syntax", **where)
        if lookup(statement.name) is not None or statement.name in CONSTANTS:
            raise InputError(f"`{statement.name}` is a built-in; give your function another name",
                             kind="syntax", **where)
        if statement.name in functions:
            raise InputError(f"`{statement.name}` is defined twice", kind="syntax", **where)
        functions[statement.name] = statement
    return functions


def _all_statements(body: tuple[Any, ...]) -> list[Any]:
    out, stack = [], list(reversed(body))
    while stack:
        statement = stack.pop()
        out.append(statement)
        for block in reversed(ast.blocks(statement)):
            stack.extend(reversed(block))
    return out


def _all_expressions(tree: Any) -> list[Any]:
    if not isinstance(tree, ast.Program):
        return list(ast.walk(tree))
    return [node for statement in _all_statements(tree.body)
            for expression in ast.expressions(statement) for node in ast.walk(expression)]


def _free_variables(program: ast.Program, functions: dict[str, ast.Def]) -> tuple[str, ...]:
    """A program's inputs: names read before anything assigns them (function parameters and
    locals are bound inside their function), in order of first appearance."""
    top_level = {s.target for s in _all_statements(program.body)
                 if isinstance(s, (ast.Assign, ast.For)) and not _inside_def(s, program)}
    free: dict[str, int] = {}

    def scan(body: tuple[Any, ...], bound: set[str]) -> None:
        for statement in body:
            if isinstance(statement, ast.Def):
                continue
            for expression in ast.expressions(statement):
                for node in ast.walk(expression):
                    if (isinstance(node, ast.Name) and node.id not in bound
                            and node.id not in CONSTANTS and node.id not in free):
                        free[node.id] = node.span.start
            if isinstance(statement, (ast.Assign, ast.For)):
                bound.add(statement.target)
            for block in ast.blocks(statement):
                scan(block, bound)

    scan(program.body, set())
    for function in functions.values():
        scan(function.body, set(function.parameters) | top_level)
    return tuple(sorted(free, key=free.__getitem__))


def _inside_def(statement: Any, program: ast.Program) -> bool:
    return any(statement in _all_statements(d.body) for d in program.body if isinstance(d, ast.Def))
