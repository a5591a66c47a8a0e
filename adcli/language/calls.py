"""What the grammar cannot say, checked after parsing: every call names a built-in or one of the
program's `def`s with the right arguments (keyword arguments the function has, a quoted text
only where it takes one, an axis only by keyword), no product written without an operator can
be read two ways, and which names are the inputs (a formula's variables; a program's names read
before anything assigns them)."""

from __future__ import annotations

from typing import Any

from adcli.errors import InputError
from adcli.language import ast
from adcli.language.constants import CONSTANTS
from adcli.ops.registry import KEYWORD_SYNONYMS, lookup, suggest


def check(tree: Any, program: bool, source: str) -> tuple[dict[str, ast.Def], tuple[str, ...]]:
    """The program's functions and the inputs; raises InputError at the first bad call."""
    functions = _functions(tree)
    names = []
    for node in _all_expressions(tree):
        if isinstance(node, ast.Binary):
            if node.implicit:
                _check_product(node, source)
        elif isinstance(node, ast.Name):
            if node.id in functions:
                raise InputError(f"`{node.id}` is a function: call it as {node.id}(…)",
                                 kind="syntax", start=node.span.start, end=node.span.end)
            names.append(node)
        elif isinstance(node, ast.Call):
            _check_call(node, functions, source)
    return functions, (_free_variables(tree, functions) if program else _variables(names))


def _at(node: Any) -> dict[str, int]:
    span = node.name_span if isinstance(node, (ast.Call, ast.Keyword)) else node.span
    return {"start": span.start, "end": span.end}


def _no_text(args: Any, function: str) -> None:
    for arg in args:
        if isinstance(arg, ast.String):
            raise InputError(f"{function} takes no quoted text here", kind="arguments",
                             hint="a quoted text is only einsum's subscripts: "
                                  "einsum('ij,jk->ik', A, B)", **_at(arg))


def _count(signature: str, low: int, high: int | None, given: int, node: ast.Call) -> None:
    if given < low or (high is not None and given > high):
        wanted = f"{low}" if low == high else f"{low} or more" if high is None else f"{low} to {high}"
        raise InputError(
            f"{signature} takes {wanted} argument{'s' if high != 1 else ''}, got {given}",
            kind="arguments", **_at(node),
        )


def _check_call(node: ast.Call, defined: dict[str, ast.Def], source: str = "") -> None:
    if node.function in defined:
        wanted = len(defined[node.function].parameters)
        if node.keywords:
            raise InputError(f"{node.function} takes no keyword arguments",
                             kind="arguments", **_at(node.keywords[0]))
        _no_text(node.args, node.function)
        if len(node.args) != wanted:
            raise InputError(f"{node.function} takes {wanted} argument{'s' if wanted != 1 else ''},"
                             f" got {len(node.args)}", kind="arguments", **_at(node))
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
            **_at(node),
        )
    if function.constructor:
        if node.keywords:
            raise InputError(f"{function.signature} takes no keyword arguments",
                             kind="arguments", **_at(node.keywords[0]))
        _no_text(node.args, function.name)
        high = None if function.params == ("sizes",) else len(function.params)
        _count(function.signature, function.required_params, high, len(node.args), node)
        return
    given = _keywords(node, function)
    positional = len(node.args)
    if function.pairwise is not None and positional >= 2:
        # max(a, b) is the larger of a and b, as in mathematics: no axis goes with it.
        if positional > 2 or node.keywords:
            raise InputError(
                f"{function.name} takes one array ({function.name}(x), {function.name}(x, axis=0))"
                f" or two ({function.name}(a, b), element-wise)", kind="arguments", **_at(node))
        _no_text(node.args, function.name)
        return
    lead = function.leading
    texts = [function.kind(p) == "string" for p in function.params[:lead]]
    for arg, text in zip(node.args, texts):
        if text and not isinstance(arg, ast.String):
            raise InputError(f"{function.signature} takes a quoted text first", kind="arguments",
                             hint=f"for example {function.signature}", start=arg.span.start,
                             end=arg.span.end)
        if not text:
            _no_text([arg], function.name)
    if positional < lead:
        raise InputError(f"{function.signature} takes {lead + max(function.arity, 1)} arguments",
                         kind="arguments", **_at(node))
    _no_text(node.args[lead:], function.name)
    allowed = function.positional_params
    if function.arity < 0:
        tensors, extra = positional - lead, 0
        _count(function.signature, lead + 1, None, positional, node)
    else:
        tensors, extra = function.arity, positional - lead - function.arity
        if extra > len(allowed) and "axis" in function.keywords:
            _positional_axis(node, function, node.args[lead + tensors + len(allowed)], source)
        _count(function.signature, lead + tensors, lead + tensors + len(allowed), positional, node)
    for param in allowed[:extra]:
        if param in given:
            raise InputError(f"`{param}` of {function.name} is given twice", kind="arguments",
                             **_at(given[param]))
    for param in allowed[: function.required_params]:
        if param not in given and allowed.index(param) >= extra:
            raise InputError(f"{function.signature} needs its `{param}`", kind="arguments",
                             **_at(node))


def _keywords(node: ast.Call, function: Any) -> dict[str, ast.Keyword]:
    """The call's keyword arguments by the param each names; refuses unknown ones."""
    import difflib  # only here, where a call has keywords

    given: dict[str, ast.Keyword] = {}
    for keyword in node.keywords:
        param = function.param_named(keyword.name)
        if param is None or param in function.params[: function.leading]:
            accepted = [p for p in function.params[function.leading:]]
            known = accepted + [s for p in accepted for s in KEYWORD_SYNONYMS.get(p, ())]
            close = difflib.get_close_matches(keyword.name, known, n=1, cutoff=0.6)
            takes = (f"{function.signature} takes " + ", ".join(f"{p}=" for p in accepted)
                     if accepted else f"{function.signature} takes no keyword arguments")
            raise InputError(
                f"{function.name} has no parameter `{keyword.name}`"
                + (f" — did you mean `{close[0]}=`?" if close else ""),
                kind="unknown-keyword", hint=takes, **_at(keyword))
        if param in given:
            raise InputError(f"`{param}` of {function.name} is given twice", kind="arguments",
                             **_at(keyword))
        if isinstance(keyword.value, ast.String) and function.kind(param) != "string":
            _no_text([keyword.value], function.name)
        given[param] = keyword
    return given


def _positional_axis(node: ast.Call, function: Any, arg: Any, source: str) -> None:
    """`sum(x, 0)`: refused, with the call written the way that cannot be misread. Since
    max(x, 0) is the larger of x and 0, a number after a reduction's array reads as an operand
    (a spreadsheet's SUM(x, 0) adds 0); an axis is named instead."""
    fixed = ""
    if source:
        fixed = (source[node.span.start : arg.span.start] + "axis="
                 + source[arg.span.start : node.span.end])
    raise InputError(
        f"the axis of {function.name} is a keyword argument"
        + (f": write {fixed}" if fixed else ""),
        kind="positional-axis", start=arg.span.start, end=arg.span.end,
        hint=(f"{function.name}(a, b) with two arrays is element-wise ({function.pairwise})"
              if function.pairwise else f"axis=0 (or torch's dim=0) names the axis"),
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


def _variables(names: list[ast.Name]) -> tuple[str, ...]:
    """A formula's variables: every name that is not a constant, by first appearance."""
    first: dict[str, int] = {}
    for name in names:
        if name.id not in CONSTANTS and name.span.start < first.get(name.id, name.span.start + 1):
            first[name.id] = name.span.start
    return tuple(sorted(first, key=first.__getitem__))


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
