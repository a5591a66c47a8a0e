"""The rule on each edge of a recorded formula, in the user's own operand texts: what `graph`
draws on an edge and what `trace` shows at each step of the backward pass (issue 10: the labels
come from the rules themselves, adcli.symbolic.labels, never from rule prose)."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from adcli.engine import Tensor
from adcli.symbolic.labels import Label, node_label
from adcli.symbolic.printer import ATOM

MAX_OPERAND = 16  # an operand text longer than this is written #n on a graph's edge


def rule_of(node: Tensor, k: int, operands: Sequence[tuple[str, int]],
            variables: frozenset[int] = frozenset()) -> Label | None:
    """The VJP rule of `node` for its input k, with `operands` (text, precedence) in place of
    the rule's input names (adcli.symbolic.labels.node_label)."""
    return node_label(node, k, operands, variables)


def trace_rule(node: Tensor, k: int, describe: Callable[[Any], tuple[str, int]],
               variables: frozenset[int] = frozenset()) -> str:
    """The rule as the trace shows it: in g, the adjoint arriving at the node, with the
    operands written out."""
    found = rule_of(node, k, [describe(a) for a in node.inputs], variables)
    return found.rule if found is not None else f"{node.op.name}'s rule"  # type: ignore[union-attr]


def edge_label(node: Tensor, k: int, describe: Callable[[Any], tuple[str, int]],
               number: Callable[[Any], int | None],
               variables: frozenset[int] = frozenset()) -> str:
    """The local derivative on the edge from input k to `node` (`cos(x)`), or the rule in g
    where it is not a multiplication (`g@transpose(h)`); long operand texts as `#n`."""
    operands = []
    for a in node.inputs:
        text, prec = describe(a)
        n = number(a)
        operands.append((f"#{n}", ATOM) if len(text) > MAX_OPERAND and n is not None
                        else (text, prec))
    found = rule_of(node, k, operands, variables)
    if found is None:
        return f"{node.op.name}'s rule"  # type: ignore[union-attr]
    return found.local if found.local is not None else found.rule
