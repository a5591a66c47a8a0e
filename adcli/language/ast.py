"""The typed syntax tree of a formula. Every node keeps its `span` in the source text, so any
later message can point at the part of the formula a value, a NaN or an error came from.

Nodes compare by identity (`eq=False`): a tree can be 100,000 levels deep, and a generated
`__eq__` or `__repr__` would recurse through all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Union


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@dataclass(eq=False, repr=False)
class Number:
    span: Span
    value: float

    def children(self) -> tuple[Expr, ...]:
        return ()


@dataclass(eq=False, repr=False)
class Name:
    """A variable or a constant (pi, e, inf, nan)."""

    span: Span
    id: str

    def children(self) -> tuple[Expr, ...]:
        return ()


@dataclass(eq=False, repr=False)
class Unary:
    span: Span
    op: str  # "-" or "+"
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(eq=False, repr=False)
class Binary:
    span: Span
    op: str  # + - * / · @ ^ and the comparisons
    left: Expr
    right: Expr
    implicit: bool = False  # `2x`: a multiplication the user did not write

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(eq=False, repr=False)
class Range:
    span: Span
    start: Expr
    stop: Expr
    inclusive: bool
    count: Expr | None = None  # `0..1:10`: so many points, evenly spaced, instead of steps of 1

    def children(self) -> tuple[Expr, ...]:
        return (self.start, self.stop) if self.count is None else (self.start, self.stop, self.count)


@dataclass(eq=False, repr=False)
class String:
    """A quoted text, only ever a function's text parameter (einsum's subscripts)."""

    span: Span
    value: str

    def children(self) -> tuple[Expr, ...]:
        return ()


@dataclass(eq=False, repr=False)
class Keyword:
    """`axis=0` inside a call: a constant parameter given by its name."""

    span: Span
    name: str
    name_span: Span
    value: Expr


@dataclass(eq=False, repr=False)
class Call:
    span: Span
    function: str
    name_span: Span
    args: tuple[Expr, ...]  # the positional arguments
    keywords: tuple[Keyword, ...] = ()  # after them, in the order written

    def children(self) -> tuple[Expr, ...]:
        return (*self.args, *(k.value for k in self.keywords))


@dataclass(eq=False, repr=False)
class Vector:
    span: Span
    items: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        return self.items


@dataclass(eq=False, repr=False)
class Slice:
    """`a:b:c` inside brackets; any part may be missing (None)."""

    span: Span
    start: Expr | None
    stop: Expr | None
    step: Expr | None

    def children(self) -> tuple[Expr, ...]:
        return tuple(part for part in (self.start, self.stop, self.step) if part is not None)


@dataclass(eq=False, repr=False)
class Index:
    span: Span
    target: Expr
    subscripts: tuple[Expr, ...]  # expressions and Slices

    def children(self) -> tuple[Expr, ...]:
        return (self.target, *self.subscripts)


Expr = Union[Number, Name, String, Unary, Binary, Range, Call, Vector, Slice, Index]


# -- statements (programs) ------------------------------------------------------------------
# Statements nest only as deep as the program's indentation, so they may be walked
# recursively; the expressions inside them are evaluated iteratively as before.


@dataclass(eq=False, repr=False)
class Assign:
    span: Span
    target: str
    value: Expr


@dataclass(eq=False, repr=False)
class ExpressionStatement:
    span: Span
    value: Expr


@dataclass(eq=False, repr=False)
class Return:
    span: Span
    value: Expr | None


@dataclass(eq=False, repr=False)
class Pass:
    span: Span


@dataclass(eq=False, repr=False)
class If:
    span: Span
    branches: tuple[tuple[Expr, tuple[Statement, ...]], ...]  # if and each elif, in order
    otherwise: tuple[Statement, ...] | None  # else
    else_span: Span | None = None


@dataclass(eq=False, repr=False)
class While:
    span: Span
    condition: Expr
    body: tuple[Statement, ...]


@dataclass(eq=False, repr=False)
class For:
    span: Span
    target: str
    iterable: Expr
    body: tuple[Statement, ...]


@dataclass(eq=False, repr=False)
class Def:
    span: Span
    name: str
    parameters: tuple[str, ...]
    body: tuple[Statement, ...]


Statement = Union[Assign, ExpressionStatement, Return, Pass, If, While, For, Def]


@dataclass(eq=False, repr=False)
class Program:
    span: Span
    body: tuple[Statement, ...]


def expressions(statement: Statement) -> list[Expr]:
    """The expressions a statement holds directly (not those of nested blocks)."""
    if isinstance(statement, (Assign, ExpressionStatement)):
        return [statement.value]
    if isinstance(statement, Return):
        return [statement.value] if statement.value is not None else []
    if isinstance(statement, If):
        return [condition for condition, _ in statement.branches]
    if isinstance(statement, While):
        return [statement.condition]
    if isinstance(statement, For):
        return [statement.iterable]
    return []


def blocks(statement: Statement) -> list[tuple[Statement, ...]]:
    if isinstance(statement, If):
        return [body for _, body in statement.branches] + (
            [statement.otherwise] if statement.otherwise is not None else [])
    if isinstance(statement, (While, For, Def)):
        return [statement.body]
    return []


def walk(root: Expr) -> Iterator[Expr]:
    """Every node, parents before children, without recursion."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))
