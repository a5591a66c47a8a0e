"""adcli's LALR loop (adcli/language/lalr.py) against lark's own, on the same tables: for any
text, formula or program, both give the same AST (every node's kind, fields and span) and the
same variables, or the same error with the same message, kind, span and hint."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import fields
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adcli.errors import InputError
from adcli.language import ast, parser
from adcli.ops import ALIASES, FUNCTIONS


def dump(tree: Any) -> list[Any]:
    """Every node (and statement) with its fields, parents first, without recursion."""
    out, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (tuple, list)):
            out.append(("seq", len(node)))
            stack.extend(reversed(node))
        elif hasattr(node, "__dataclass_fields__") and not isinstance(node, ast.Span):
            out.append(type(node).__name__)
            stack.extend(reversed([getattr(node, f.name) for f in fields(node)]))
        else:
            out.append(node)
    return out


def outcome(text: str, program: bool, own_loop: bool) -> Any:
    lark_loop = lambda program=False: parser._parser(program).parse  # noqa: E731
    with mock.patch.object(parser, "_driver", lark_loop) if own_loop else nullcontext():
        try:
            formula = parser.parse(text, program=program)
        except InputError as error:
            return ("error", error.message, error.kind, error.start, error.end, error.hint)
    return dump(formula.tree), formula.variables, sorted(formula.functions)


def same(text: str, program: bool = False) -> None:
    assert outcome(text, program, own_loop=False) == outcome(text, program, own_loop=True)


@pytest.mark.parametrize("text", [
    "1 + 2 * 3", "-x^2", "2x^2 y", "e^2x", "√2x", "x²", "sin((0..=1:5))", "0..1:4", "0...5",
    "sum(x, axis=0)", "sum(x, 0)", "einsum('ij,jk->ik', A, B)", "x[1:, ::2]", "[1, 2,]",
    "0 < x < 1", "x > 0 and not x < 1 or y", "30deg", "30°", "(x+1)(x-1)", "2πr", "x 2",
    "sin", "foo(x)", "max(a, b, c)", "sum(x, axis=0, x)", "", "x +", "x + + ", "'a'", ")",
    "((((((x))))))", "[[1, 2], [3, 4]] @ [1, 2]", "x ≤ 1", "1 −2 × 3 ÷ 4", "x\n+1",
])
def test_examples(text: str) -> None:
    same(text)


@pytest.mark.parametrize("text", [
    "y = x + 1\ny * 2", "def f(a):\n    return a * 2\nf(x)", "if x > 0:\n    y = 1\nelse:\n"
    "    y = 2\ny", "for t in 0..3:\n  s = s + t\ns", "x = 1\n  y = 2", "def sin(a):\n  pass",
    "while x < 3:\n    x = x + 1\nx", "f(x)\ndef f(a):\n    return a", "x = (1 +\n 2)\nx",
    "if x:\n    pass\n  y", "return", "x = ", "x; y; z",
])
def test_programs(text: str) -> None:
    same(text, program=True)


TOKENS = ["x", "y", "2", "0.5", ".5", "1e3", "pi", "π", "∞", "+", "-", "*", "/", "^", "**", "·",
          "@", "(", ")", "[", "]", ",", ":", "..", "..=", "<", "==", "≤", "and", "or", "not",
          "=", "²", "⁻¹", "√", "°", "'ij'", " ", "axis", "\n", "    ", "if", "def", "return",
          *[f"{name}(" for name in [*FUNCTIONS, *ALIASES]][:40]]


@settings(max_examples=400, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=16), st.booleans())
def test_any_text(parts: list[str], program: bool) -> None:
    same("".join(parts), program)
