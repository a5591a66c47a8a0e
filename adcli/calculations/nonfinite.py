"""Where a nan or an inf first appeared: torch's anomaly mode, pointing at the formula instead of
at a Python stack. An `Origin` says it all by itself (node, text, operands and their values),
so that a view can print it without the tape it was found in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence, Union

import numpy as np

if TYPE_CHECKING:
    from adcli.calculations.tape import Node, Step

# One element of an operand, as Python has it; None where the operand has no element that met
# the position (a reduction's other operands).
Scalar = Union[float, int, bool, None]


@dataclass(frozen=True, eq=False)
class Origin:
    kind: str  # "nan", "inf" or "-inf"
    direction: str  # "forward" or "backward"
    node: int  # the node whose value (forward) or whose rule (backward) produced it
    text: str  # that node's sub-expression ("" when it has none)
    op: str
    span: tuple[int, int] | None
    index: tuple[int, ...]
    operands: tuple[tuple[str, Scalar], ...]  # (text, value at that position) of what it came from
    target: int | None = None  # backward: the input the adjoint was sent to
    target_title: str | None = None


def _kinds(values: np.ndarray) -> list[tuple[str, np.ndarray]]:
    if np.asarray(values).dtype.kind == "b":
        return []
    values = np.asarray(values, dtype=np.float64)
    return [("nan", np.isnan(values)), ("inf", np.isposinf(values)), ("-inf", np.isneginf(values))]


def _at(value: np.ndarray, index: tuple[int, ...], shape: tuple[int, ...]) -> Scalar:
    """The element of an operand that met position `index` of a result of `shape`."""
    if value.size == 1:
        return value.reshape(()).item()
    if value.shape == shape:
        return value[index].item()
    return None


def find(nodes: Sequence[Node], steps: Sequence[Step]) -> tuple[Origin, ...]:
    """The first node (in execution order) to hold each kind of non-finite value, and the first
    backward step to send each kind back. Reductions report their operands' first bad element."""
    found: list[Origin] = []
    seen: set[str] = set()
    for node in nodes:
        if node.kind != "operation":
            continue
        for kind, mask in _kinds(node.value):
            if kind in seen or not mask.any():
                continue
            seen.add(kind)
            index = tuple(int(i) for i in np.argwhere(mask)[0])
            found.append(Origin(kind, "forward", node.number, node.text, node.op,
                                node.span, index, _operands(nodes, node.inputs, index, node.shape)))
    seen.clear()
    for step in steps:
        node = nodes[step.node - 1]
        for contribution in step.contributions:
            for kind, mask in _kinds(contribution.value):
                if kind in seen or not mask.any():
                    continue
                seen.add(kind)
                index = tuple(int(i) for i in np.argwhere(mask)[0])
                shape = contribution.value.shape
                operands = (("adjoint", _at(step.adjoint, index, shape)),
                            *_operands(nodes, node.inputs, index, shape))
                target = nodes[contribution.target - 1]
                found.append(Origin(kind, "backward", node.number, node.text, node.op,
                                    node.span, index, operands, target.number, target.title))
    return tuple(found)


def _operands(nodes: Sequence[Node], inputs: Sequence[int], index: tuple[int, ...],
              shape: tuple[int, ...]) -> tuple[tuple[str, Scalar], ...]:
    """(text, value) of each input at the position that met `index` of the result. A reduction
    (dot, sum) mixes positions: there, each input at the first position where one of them
    is not finite, written `text[i]`."""
    operands = [nodes[n - 1] for n in inputs]
    reduced = [n for n in operands if n.value.size > 1 and n.value.shape != shape]
    suffix = ""
    if reduced:
        bad = [np.argwhere(~np.isfinite(n.value.astype(np.float64))) for n in reduced]
        first = next((b[0] for b in bad if len(b)), None)
        if first is None:  # every element finite: the reduction overflowed (prod([1e200, 1e200]))
            return tuple((node.title, None) for node in operands)
        index = tuple(int(i) for i in first)
        shape = reduced[0].value.shape
        suffix = f"[{', '.join(map(str, index))}]"
    return tuple((node.title + (suffix if node.value.shape == shape and suffix else ""),
                  _at(node.value, index, shape)) for node in operands)
