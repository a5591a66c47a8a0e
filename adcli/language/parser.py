"""Text to AST: Lark's LALR parser with an inline transformer, so neither parsing nor tree
building recurses (10,000 nested parentheses parse like one). Lark's errors become
`InputError`s that say, in words, what was expected and where.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from adcli.errors import InputError
from adcli.language import ast
from adcli.language.names import CONSTANTS
from adcli.ops.registry import lookup, suggest

MAX_FORMULA_LENGTH = 2_000_000  # characters; everything below is parsed and evaluated iteratively


@dataclass(eq=False)
class Formula:
    source: str
    tree: ast.Expr
    variables: tuple[str, ...]  # in order of first appearance

    def text(self, node: ast.Expr) -> str:
        return node.span.text(self.source)


def grammar_file(name: str) -> Path:
    """The grammar ships inside the wheel as adcli/grammar/; a source checkout has it at top level."""
    here = Path(__file__).resolve().parent.parent
    for folder in (here / "grammar", here.parent / "grammar"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"adcli's grammar {name} is missing from {here}")


@dataclass
class _Seq:
    """Comma-separated children (arguments, vector items, subscripts) with their span."""

    items: tuple[Any, ...]
    span: ast.Span


def _start(child: Any) -> int:
    return child.start_pos if isinstance(child, Token) else child.span.start


def _end(child: Any) -> int:
    return child.end_pos if isinstance(child, Token) else child.span.end


def _span(children: list[Any]) -> ast.Span:
    present = [c for c in children if c is not None]
    return ast.Span(_start(present[0]), _end(present[-1]))


def _nodes(children: list[Any]) -> list[Any]:
    return [c for c in children if not isinstance(c, Token)]


def _binary(op: str) -> Any:
    def build(self: Any, children: list[Any]) -> ast.Binary:
        left, right = _nodes(children)
        return ast.Binary(_span(children), op, left, right)

    return build


class _Build(Transformer):
    """Called by the parser at each reduction: children in, one AST node out."""

    add, sub = _binary("+"), _binary("-")
    mul, div, dot, matmul = _binary("*"), _binary("/"), _binary("·"), _binary("@")
    pow = _binary("^")

    def compare(self, children: list[Any]) -> ast.Binary:
        left, op, right = children
        return ast.Binary(_span(children), str(op), left, right)

    def number(self, children: list[Any]) -> ast.Number:
        (token,) = children
        return ast.Number(_span(children), float(token))

    def name(self, children: list[Any]) -> ast.Name:
        (token,) = children
        node = ast.Name(_span(children), str(token))
        if node.id not in CONSTANTS and lookup(node.id) is not None:
            raise InputError(
                f"`{node.id}` is a function: call it as {node.id}(…)", kind="syntax",
                start=node.span.start, end=node.span.end,
            )
        return node

    def paren(self, children: list[Any]) -> Any:
        inner = children[1]
        inner.span = _span(children)  # the node's text includes its parentheses
        return inner

    def implicit_mul(self, children: list[Any]) -> ast.Binary:
        token, right = children
        number = ast.Number(_span([token]), float(token))
        if number.span.end != right.span.start:
            raise InputError(
                "missing operator between a number and what follows it", kind="syntax",
                start=number.span.end, end=right.span.start,
                hint="write 2*x, or 2x with no space",
            )
        return ast.Binary(_span(children), "*", number, right, implicit=True)

    def neg(self, children: list[Any]) -> ast.Unary:
        return ast.Unary(_span(children), "-", children[1])

    def pos(self, children: list[Any]) -> ast.Unary:
        return ast.Unary(_span(children), "+", children[1])

    def range(self, children: list[Any]) -> ast.Range:
        start, stop = _nodes(children)
        return ast.Range(_span(children), start, stop, inclusive=False)

    def range_inclusive(self, children: list[Any]) -> ast.Range:
        start, stop = _nodes(children)
        return ast.Range(_span(children), start, stop, inclusive=True)

    def arguments(self, children: list[Any]) -> _Seq:
        return _Seq(tuple(_nodes(children)), _span(children))

    items = subscripts = arguments

    def call(self, children: list[Any]) -> ast.Call:
        name, *_, = children
        args = children[2].items if isinstance(children[2], _Seq) else ()
        node = ast.Call(_span(children), str(name), _span([name]), args)
        _check_call(node)
        return node

    def vector(self, children: list[Any]) -> ast.Vector:
        return ast.Vector(_span(children), children[1].items)

    def index(self, children: list[Any]) -> ast.Index:
        target, _, subscripts, _ = children
        return ast.Index(_span(children), target, subscripts.items)

    def slice(self, children: list[Any]) -> ast.Slice:
        parts = [c for c in children if not isinstance(c, Token)]
        parts += [None] * (3 - len(parts))
        return ast.Slice(_span(children), *parts)


def _check_call(node: ast.Call) -> None:
    function = lookup(node.function)
    where = {"start": node.name_span.start, "end": node.name_span.end}
    if function is None:
        close = suggest(node.function)
        raise InputError(
            f"unknown function `{node.function}`"
            + (f" — did you mean `{close}`?" if close else ""),
            kind="unknown-function",
            hint="`adcli functions` lists every function",
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


_WORDS = {"NUMBER": "a number", "NAME": "a name", "COMPARE": "a comparison", "POW": "'^'",
          "$END": "the end of the formula"}


@functools.lru_cache(maxsize=None)
def _parser() -> Lark:
    return Lark(
        grammar_file("formula.lark").read_text(encoding="utf-8"),
        parser="lalr",
        transformer=_Build(),
        keep_all_tokens=True,
        maybe_placeholders=True,
        cache=True,
    )


def _expected(names: set[str]) -> str:
    terminals = {t.name: t for t in _parser().terminals}
    words = set()
    for name in names:
        t = terminals.get(name)
        if name in _WORDS:
            words.add(_WORDS[name])
        elif t is not None and isinstance(t.pattern, PatternStr):
            words.add(f"'{t.pattern.value}'")
    ordered = sorted(words, key=lambda w: (not w.startswith("a"), w))
    if not ordered:
        return ""
    return ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " or " + ordered[-1]


def _syntax_error(source: str, exc: UnexpectedInput) -> InputError:
    if isinstance(exc, UnexpectedCharacters):
        position = exc.pos_in_stream
        message = f"unexpected character {source[position]!r}"
        allowed = set(exc.allowed or ())
        expected = _expected(allowed) if len(allowed) <= 6 else "an operator, a number or a name"
    elif isinstance(exc, (UnexpectedToken, UnexpectedEOF)):
        token = getattr(exc, "token", None)
        at_end = token is None or token.type == "$END"
        position = len(source) if at_end else token.start_pos
        message = "the formula ends too early" if at_end else f"unexpected {str(token)!r}"
        expected = _expected(set(exc.expected or ()))
        if not at_end and token.type == "COMPARE" and "$END" in (exc.expected or ()):
            return InputError("comparisons cannot be chained", kind="syntax",
                              start=position, end=token.end_pos,
                              hint="compare two values at a time")
    else:  # pragma: no cover - lark raises only the three above
        position, message, expected = 0, str(exc), ""
    end = position + 1 if position < len(source) else position
    return InputError(message, kind="syntax", start=position, end=end,
                      hint=f"expected {expected}" if expected else None)


def parse(source: str) -> Formula:
    """Parse a formula. Raises InputError (with the position) if it is not one."""
    if not source.strip():
        raise InputError("the formula is empty", kind="syntax", source=source, start=0, end=0)
    if len(source) > MAX_FORMULA_LENGTH:
        raise InputError(
            f"the formula is {len(source):,} characters long; the limit is {MAX_FORMULA_LENGTH:,}",
            kind="size-limit", source=source[:80],
        )
    try:
        tree = _parser().parse(source)
    except UnexpectedInput as exc:
        error = _syntax_error(source, exc)
        error.source = source
        raise error from None
    except InputError as error:  # raised by a reduction in _Build
        error.source = source
        raise
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in CONSTANTS]
    variables = dict.fromkeys(n.id for n in sorted(names, key=lambda n: n.span.start))
    return Formula(source, tree, tuple(variables))
