"""Derivative rules as labels: for `adcli functions`, the graph's edges and the trace's steps.

A label is a rule's formula (adcli.symbolic.rules) printed with the user's own operand texts in
place of the rule's input names: mul's `g*v` on the edge from `log(x*x)` in
`log(x*x)·sin(x)` reads `g*sin(x)`. The local derivative (`sin(x)`) is shown where the rule is a
multiplication of the adjoint; elsewhere the whole rule in g (`g@transpose(h)`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from adcli.engine.errors import OpError
from adcli.engine.primitive import Primitive
from adcli.symbolic.expr import Expr
from adcli.symbolic.printer import ATOM, PrintError, Printer
from adcli.symbolic.simplify import substitute
from adcli.symbolic.rules import ADJOINT, RuleFormula, listing_reading, rule_formula

SAMPLE_CAP = 4  # dims of the samples a label is recorded at (the formula is the same for any)


@dataclass(frozen=True)
class Label:
    rule: str  # the VJP rule in g, e.g. "g*cos(x)"
    local: str | None  # the local derivative, e.g. "cos(x)", where the rule is g times it


def _capped(shapes: Sequence[tuple[int, ...]]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(min(n, SAMPLE_CAP) for n in s) for s in shapes)


MAX_SAMPLE = 100_000  # elements: a label is not worth recording larger samples than this


def read_rule(prim: Primitive, k: int, shapes: Sequence[tuple[int, ...]],
              params: dict[str, Any] | None = None, kind: str = "vjp",
              extra: Sequence[Any] = ()) -> RuleFormula | None:
    """The rule's formula at inputs of these shapes (at small samples of the same ranks where
    the primitive allows: a key may need the real shape), or None where it cannot be read."""
    attempts = [_capped(shapes)]
    if (params or extra) and sum(math.prod(s) for s in shapes) <= MAX_SAMPLE:
        attempts.append(tuple(tuple(s) for s in shapes))
    for attempt in attempts:
        try:
            return rule_formula(prim, k, attempt, params, kind, extra)
        except (ValueError, TypeError, IndexError, RuntimeError, OpError):
            continue
    return None


def label(prim: Primitive, k: int, shapes: Sequence[tuple[int, ...]],
          params: dict[str, Any] | None, operands: Sequence[tuple[str, int]],
          adjoint: str = ADJOINT, extra: Sequence[Any] = (),
          constants: dict[int, Expr] | None = None) -> Label | None:
    """The rule for input k of one application of `prim`, in the operands' own texts (each a
    text and its precedence in the formula language, so parentheses go where needed); an
    operand that is a constant number goes in as its value, so `2*u^(2 - 1)` reads `2*u`."""
    rule = read_rule(prim, k, shapes, params, extra=extra)
    if rule is None:
        return None
    formula, local = rule.formula, rule.local
    if constants:
        values = {rule.inputs[i]: c for i, c in constants.items() if i < len(rule.inputs)}
        formula = substitute(formula, values)
        local = substitute(local, values) if local is not None else None
    names = {name: operands[i] for i, name in enumerate(rule.inputs) if i < len(operands)}
    names[ADJOINT] = (adjoint, ATOM)
    printer = Printer(names, limit=10_000)
    try:
        return Label(printer(formula), printer(local) if local is not None else None)
    except PrintError:
        return None


# The operators that take more than tensors, at an example (an index, three items)
EXAMPLES: dict[str, tuple[tuple[tuple[int, ...], ...], tuple[Any, ...], str]] = {
    "getitem": (((3,),), ((1,),), "x[1] of a vector of 3"),
    "stack": (((), (), ()), (), "[a, b, c]"),
}


def listing(prim: Primitive) -> list[tuple[str, Label]] | None:
    """Each input's rule over the primitive's own input names, at its representative shapes
    (matrices where it takes them): for `adcli functions`. None for no rule."""
    if prim.vjp is None:
        return None
    if prim.name in EXAMPLES:
        shapes, extra, _ = EXAMPLES[prim.name]
    else:
        reading, extra = listing_reading(prim.name), ()
        if reading is None:
            return None
        if not reading.general:
            return []  # no formula holds at every length and value (sort's permutation)
        shapes = reading.shapes
    out = []
    for k in range(len(shapes)):
        if prim.vjp[k] is None:
            continue
        rule = rule_formula(prim, k, shapes, extra=extra)
        names = ("a", "b", "c") if prim.name == "stack" else rule.inputs
        operands = [(name, ATOM) for name in names]
        found = label(prim, k, shapes, None, operands, extra=extra)
        if found is not None:
            out.append((names[k], found))
    return out


def rule_parts(prim: Primitive, operator: bool = False, words: str = "") -> list[str]:
    """The rule for the function table, one part per input: `sin'(x) = cos(x)`;
    `∂/∂u = v`, `∂/∂v = u`; or the rule in g where it is not a multiplication
    (`∂/∂A: g ↦ g@transpose(B)`). The entry's note on edge conventions goes last."""
    rules = listing(prim)
    example = EXAMPLES.get(prim.name, (None, None, ""))[2]
    if rules is None:
        # a rule read only with its arguments (reshape's shape) keeps the entry's own words
        parts = ["no derivative: the gradient stops here" if prim.vjp is None
                 else words or prim.rule]
    elif not rules:  # the entry's own words, as no formula states this rule
        parts = [f"{words or prim.rule} (no formula: it depends on the sizes or the values)"]
    elif len(rules) == 1 and not operator and prim.arity == 1 and rules[0][1].local is not None:
        parts = [f"{prim.name}'({rules[0][0]}) = {rules[0][1].local}"]
    else:
        parts = [f"∂/∂{name} = {lab.local}" if lab.local is not None
                 else f"∂/∂{name}: g ↦ {lab.rule}" for name, lab in rules]
    if example:
        parts[0] = f"{example}: {parts[0]}"
    return parts + [f"({prim.note})"] if prim.note else parts


def rule_line(prim: Primitive, signature: str = "", operator: bool = False,
              words: str = "") -> str:
    parts = rule_parts(prim, operator, words)
    note = parts.pop() if prim.note else None
    text = ", ".join(parts)
    return f"{text}   {note}" if note else text


def node_label(node: Any, k: int, operands: Sequence[tuple[str, int]],
               variables: frozenset[int] = frozenset()) -> Label | None:
    """The rule of a recorded node (a Tensor) for its input k, in `operands` (text and
    precedence of each input); a whole-number constant input goes in as its value, so that
    `2*u^(2 - 1)` reads `2*u`, while other numbers keep the text the user wrote."""
    import numpy as np

    from adcli.engine import Tensor
    from adcli.symbolic import algebra as al

    prim = node.op
    if prim is None or prim.vjp is None:
        return None
    arity = prim.arity if prim.arity >= 0 else len(node.inputs)
    tensors, extra = node.inputs[:arity], node.inputs[arity:]
    shapes = [np.shape(getattr(a, "data", a)) for a in tensors]
    constants = {}
    for i, a in enumerate(tensors):
        if (type(a) is Tensor and a.op is None and id(a) not in variables
                and np.size(a.data) == 1 and np.asarray(a.data).dtype.kind == "f"
                and float(np.asarray(a.data)).is_integer()):
            constants[i] = al.num(float(np.asarray(a.data)))
    return label(prim, k, shapes, node.params, list(operands[:arity]), extra=extra,
                 constants=constants)
