"""The user's own text for each node of a recorded formula, with how tightly it binds, so a
rule can be written with it in place of the rule's input names (`g/(x*x)`, not `g/x*x`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from adcli.engine import Tensor
from adcli.language import ast
from adcli.language.parser import Formula
from adcli.symbolic import printer as p

_BINARY = {"+": p.ADD, "-": p.ADD, "*": p.MUL, "/": p.MUL, "·": p.MUL, "@": p.MUL, "^": p.POW,
           "and": p.AND, "or": p.OR}


def precedence(node: Any, text: str) -> int:
    """How tightly the source text of an AST node binds (grammar/formula.lark)."""
    if _parenthesised(text):
        return p.ATOM
    if isinstance(node, ast.Binary):
        return _BINARY.get(node.op, p.COMPARE)
    if isinstance(node, ast.Unary):
        return p.NOT if node.op == "not" else p.UNARY
    if isinstance(node, ast.Range):
        return p.COMPARE + 1
    if isinstance(node, ast.Number):
        return p.ATOM
    return p.POSTFIX if isinstance(node, ast.Index) else p.ATOM


def _parenthesised(text: str) -> bool:
    """Whether the whole text is one pair of parentheses around the rest."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def operand(tensor: Any, formula: Formula, names: dict[int, str]) -> tuple[str, int]:
    """A node's text as the user wrote it (a variable's name, a constant's value)."""
    if type(tensor) is not Tensor:
        if _is_index(tensor):  # getitem's key: `1:`, `0, :`
            return p.key_text(tensor), p.ATOM
        return p.Printer()(_constant(tensor)), p.ATOM
    if id(tensor) in names:
        return names[id(tensor)], p.ATOM
    origin = tensor.origin
    if origin is not None:
        text = formula.text(origin.node)
        return text, precedence(origin.node, text)
    from adcli.symbolic.algebra import array

    data = np.asarray(tensor.data, dtype=np.float64)
    if data.size > 6:
        return f"[{data.size} numbers]", p.ATOM
    value = array(data)
    return p.Printer(limit=80)(value), p.precedence(value)


def _is_index(value: Any) -> bool:
    """Whether an input that is not a tensor is an index with a slice (or `...`, a new axis)
    in it, which is no number."""
    parts = value if isinstance(value, tuple) else (value,)
    return any(isinstance(k, slice) or k is Ellipsis or k is None for k in parts)


def _constant(value: Any) -> Any:
    from adcli.symbolic.algebra import array

    return array(np.asarray(value, dtype=np.float64))
