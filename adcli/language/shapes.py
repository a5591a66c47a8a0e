"""Shape errors in the user's words: the operands named as they were written, their shapes, and
the rule they broke (`A @ x needs A's columns (2) to match x's length (3)`), instead of the
engine's or numpy's wording, which knows neither the names nor the notation."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from adcli.language import ast

# Longest operand text quoted as it is; a longer one is named by its place.
SHORT = 24

PLACES = ("the left side", "the right side")

# Functions of several arrays that do not combine them element by element: their own messages
# say what they need (matmul and dot are told here).
OWN_RULES = frozenset({"dot", "matmul", "outer", "tensordot", "einsum", "kron", "solve", "cross",
                       "concat", "stack"})
ARGUMENTS = ("the first argument", "the second argument", "the third argument")


def explain(node: ast.Expr, texts: Sequence[str], shapes: Sequence[tuple[int, ...]]) -> str | None:
    """What went wrong between the operands of `node` (their source texts and shapes), or None
    when these shapes do not account for the error (then the engine's message stands)."""
    if isinstance(node, ast.Binary):
        names = [_name(t, PLACES[i]) for i, t in enumerate(texts)]
        if node.op == "@":
            return matmul(names, shapes[0], shapes[1])
        if node.op == "·":
            return dot(names, shapes[0], shapes[1], f"{names[0]} · {names[1]}")
        return broadcast(names, shapes)
    if isinstance(node, ast.Call):
        count = len(node.args)
        names = [_name(t, ARGUMENTS[i] if i < len(ARGUMENTS) else f"argument {i + 1}")
                 for i, t in enumerate(texts[:count])]
        shapes = shapes[:count]
        if node.function == "matmul" and len(shapes) == 2:
            return matmul(names, shapes[0], shapes[1])
        if node.function == "dot" and len(shapes) == 2:
            return dot(names, shapes[0], shapes[1], f"dot({names[0]}, {names[1]})")
        if len(shapes) > 1 and node.function not in OWN_RULES:
            return broadcast(names, shapes)
    return None


def matmul(names: Sequence[str], a: tuple[int, ...], b: tuple[int, ...]) -> str | None:
    left, right = names
    said = f"{left} @ {right}"
    for name, shape in ((left, a), (right, b)):
        if len(shape) == 0:
            return f"{said} needs vectors or matrices; {name} is a single number (use * to scale)"
    if len(a) == 1 and len(b) == 1:
        if a[0] != b[0]:
            return f"{said} needs {left} and {right} of the same length ({a[0]} and {b[0]})"
        return None
    if len(b) == 1:
        if a[-1] != b[0]:
            return f"{said} needs {_own(left)} columns ({a[-1]}) to match {_own(right)} length ({b[0]})"
        return None
    if len(a) == 1:
        if a[0] != b[-2]:
            return f"{said} needs {_own(left)} length ({a[0]}) to match {_own(right)} rows ({b[-2]})"
        return None
    if a[-1] != b[-2]:
        return (f"{said} needs {_own(left)} columns ({a[-1]}) to match {_own(right)} rows "
                f"({b[-2]}): {left} is {_shape(a)}, {right} {_shape(b)}")
    try:
        np.broadcast_shapes(a[:-2], b[:-2])
    except ValueError:
        return (f"{said}: the stacks of matrices do not match ({left} is {_shape(a)}, {right} is "
                f"{_shape(b)}; the axes before the last two must broadcast)")
    return None


def dot(names: Sequence[str], a: tuple[int, ...], b: tuple[int, ...], said: str) -> str | None:
    left, right = names
    if len(a) == 1 and len(b) == 1 and a[0] != b[0]:
        return f"{said} needs {left} and {right} of the same length ({a[0]} and {b[0]})"
    for name, shape in ((left, a), (right, b)):
        if len(shape) > 1:
            return (f"{said} takes vectors (or numbers); {name} is {_shape(shape)} "
                    f"(for matrices write {left} @ {right})")
    return None


def broadcast(names: Sequence[str], shapes: Sequence[tuple[int, ...]]) -> str | None:
    """Element by element: the shapes must broadcast (aligned from the right, each pair of axes
    equal or one of them 1). Names the first pair of operands and axis that does not."""
    try:
        np.broadcast_shapes(*shapes)
        return None
    except ValueError:
        pass
    for i in range(len(shapes)):
        for j in range(i + 1, len(shapes)):
            a, b = shapes[i], shapes[j]
            for back in range(1, min(len(a), len(b)) + 1):
                m, n = a[-back], b[-back]
                if m != n and 1 not in (m, n):
                    axis = "last axes" if back == 1 else f"axes {back} from the end"
                    return (f"{names[i]} ({_shape(a)}) and {names[j]} ({_shape(b)}) cannot be "
                            f"combined element by element: their {axis} are {m} and {n} long "
                            f"(axes align from the right, and each pair must be equal or 1)")
    return None


def _shape(shape: tuple[int, ...]) -> str:
    if not shape:
        return "a single number"
    if len(shape) == 1:
        return f"a vector of {shape[0]}"
    if len(shape) == 2:
        return f"a {shape[0]}×{shape[1]} matrix"
    return "shape " + "×".join(map(str, shape))


def _name(text: str, place: str) -> str:
    """The operand as written: a name bare (A), an expression quoted (`A+B`), a long one by its
    place (the left side)."""
    text = " ".join(text.split())
    if len(text) > SHORT:
        return place
    bare = (text.isidentifier() or _is_number(text) or text[:1] + text[-1:] in ("()", "[]")
            or (text.endswith(")") and text.split("(", 1)[0].isidentifier()))
    return text if bare else f"`{text}`"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _own(name: str) -> str:
    """The possessive: A's, the left side's."""
    return f"{name}'s"
