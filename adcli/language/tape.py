"""The tape of one calculation, numbered and described for people: every node of the graph with
the sub-expression that made it, its value and its adjoint; every edge with its local
derivative; every step of the backward pass; and where a nan or an inf first appeared.

Views draw this; nothing here formats text for a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from adcli.calculations.edges import edge_label, trace_rule
from adcli.calculations.operands import operand
from adcli.engine import Tensor, gc_paused, toposort
from adcli.language.calculate import DTYPES, Calculation, differentiate
from adcli.language.evaluate import Session, evaluate
from adcli.language.parser import Formula

MAX_TEXT = 60  # a node's sub-expression is shortened in the middle past this (its span is exact)


def shorten(text: str) -> str:
    if len(text) <= MAX_TEXT:
        return text
    half = (MAX_TEXT - 1) // 2
    return text[:half] + "…" + text[-half:]


@dataclass(eq=False)
class Node:
    number: int
    kind: str  # "variable", "constant" or "operation"
    op: str  # the primitive; "variable" or "constant" for leaves
    name: str | None  # a variable's name
    text: str  # the sub-expression that made it, shortened past MAX_TEXT ("" when none)
    span: tuple[int, int] | None
    value: np.ndarray
    adjoint: np.ndarray | None  # None where no gradient flows
    requires_grad: bool
    inputs: list[int] = field(default_factory=list)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def title(self) -> str:
        return self.name or self.text or self.op


@dataclass(eq=False)
class Edge:
    source: int  # the input
    target: int  # the node that uses it
    position: int
    cut: bool  # a detach: no gradient flows back along it
    derivative: str | None  # the local derivative ∂target/∂source, when short


@dataclass(eq=False)
class Contribution:
    target: int
    rule: str
    value: np.ndarray
    total: np.ndarray | None  # the target's adjoint after adding this, when it met another
    note: str = ""  # the primitive's edge convention (log'(0) = inf), shown beside the rule


@dataclass(eq=False)
class Step:
    node: int
    adjoint: np.ndarray
    contributions: list[Contribution] = field(default_factory=list)


@dataclass(eq=False)
class NonFinite:
    """Where a nan or an inf first appeared, in the forward or the backward pass."""

    kind: str  # "nan", "inf" or "-inf"
    direction: str  # "forward" or "backward"
    node: int  # the node whose value (forward) or whose rule (backward) produced it
    index: tuple[int, ...]
    operands: list[tuple[str, Any]]  # (text, value at that position) of what it was made from
    target: int | None = None  # backward: the input the adjoint was sent to


@dataclass(eq=False)
class Tape:
    formula: Formula
    calculation: Calculation
    nodes: list[Node]  # in execution order: nodes[i].number == i + 1
    edges: list[Edge]
    output: int
    steps: list[Step]  # the backward pass, in the order it ran
    findings: list[NonFinite]

    def node(self, number: int) -> Node:
        return self.nodes[number - 1]


def execution_order(root: Tensor) -> list[Tensor]:
    """Every node under root, constants and detached ones too, inputs before users."""
    return toposort(root, everything=True)


def record(formula: Formula, at: dict[str, np.ndarray], dtype: str,
           wrt: Any = None, backward: bool = True, session: Session | None = None) -> Tape:
    """Evaluate and (with `backward`, when there is a variable) differentiate, keeping every
    adjoint and every backward step."""
    steps: list[Step] = []
    number: dict[int, int] = {}
    applied: list[tuple[Contribution, Tensor, int]] = []  # their rules are written once names are known

    def observe(node: Tensor, g: Any, k: int, inp: Tensor, contribution: Any, total: Any) -> None:
        if not steps or steps[-1].node != number[id(node)]:
            steps.append(Step(number[id(node)], np.asarray(g)))
        steps[-1].contributions.append(Contribution(
            number[id(inp)], "", np.asarray(contribution),
            None if total is None else np.asarray(total)))
        applied.append((steps[-1].contributions[-1], node, k))

    def before_backward(output: Tensor) -> None:
        for i, tensor in enumerate(execution_order(output), start=1):
            number[id(tensor)] = i

    with gc_paused():
        if backward and formula.variables:
            calc, env, adjoints = differentiate(formula, at, dtype, wrt, keep_all=True,
                                                observe=observe, before_backward=before_backward,
                                                session=session)
        else:
            session = session or Session()
            env = {name: Tensor(value) for name, value in at.items()}
            calc = Calculation(formula, dtype, at, evaluate(formula, env, DTYPES[dtype], session),
                               session=session)
            adjoints = {}
            before_backward(calc.output)
        order = execution_order(calc.output)
    names = {id(tensor): name for name, tensor in env.items()}
    nodes = [_node(i, t, formula, names, adjoints) for i, t in enumerate(order, start=1)]
    for tensor, node in zip(order, nodes):
        node.inputs = [number[id(i)] for i in tensor.inputs if type(i) is Tensor]

    def describe(t: Any) -> tuple[str, int]:
        text, precedence = operand(t, formula, names)
        return shorten(text), precedence  # as the trace shows node texts

    variables = frozenset(names)
    for contribution, tensor, k in applied:
        contribution.rule = trace_rule(tensor, k, describe, variables)
        contribution.note = tensor.op.note if tensor.op is not None else ""
    edges = [edge for tensor, node in zip(order, nodes)
             for edge in _edges(tensor, node, nodes, describe, lambda t: number.get(id(t)),
                                variables)]
    tape = Tape(formula, calc, nodes, edges, len(nodes), steps, [])
    tape.findings = find_non_finite(tape)
    return tape


def _node(number: int, tensor: Tensor, formula: Formula, names: dict[int, str],
          adjoints: dict[int, tuple[Tensor, Any]]) -> Node:
    origin = tensor.origin  # a Site: the AST node, and the iteration or call it ran in
    span = (origin.span.start, origin.span.end) if origin is not None else None
    text = shorten(formula.text(origin.node)) if origin is not None else ""
    if origin is not None and origin.context:
        text = f"{text}  [{origin.context}]"
    if tensor.op is not None:
        kind, op = "operation", tensor.op.name
    elif id(tensor) in names:
        kind, op = "variable", "variable"
    else:
        kind, op = "constant", "constant"
    adjoint = adjoints.get(id(tensor))
    return Node(
        number=number, kind=kind, op=op, name=names.get(id(tensor)),
        text=text, span=span,
        value=np.asarray(tensor.data),
        adjoint=None if adjoint is None else np.broadcast_to(adjoint[1], tensor.data.shape),
        requires_grad=tensor.requires_grad,
    )


def _edges(tensor: Tensor, node: Node, nodes: list[Node],
           describe: Callable[[Any], tuple[str, int]],
           number: Callable[[Any], int | None], variables: frozenset[int]) -> list[Edge]:
    inputs = [nodes[n - 1] for n in node.inputs]
    cut = tensor.op is not None and tensor.op.vjp is None
    return [
        Edge(source=inp.number, target=node.number, position=k,
             cut=cut and tensor.op.name == "detach",
             # no label towards a constant: no gradient flows there
             derivative=edge_label(tensor, k, describe, number, variables)
             if inp.requires_grad and not cut
             else None)
        for k, inp in enumerate(inputs)
    ]


def _kind(values: np.ndarray) -> list[tuple[str, np.ndarray]]:
    values = np.asarray(values, dtype=np.float64) if np.asarray(values).dtype.kind != "b" else None
    if values is None:
        return []
    return [("nan", np.isnan(values)), ("inf", np.isposinf(values)), ("-inf", np.isneginf(values))]


def _at(value: np.ndarray, index: tuple[int, ...], shape: tuple[int, ...]) -> Any:
    """The element of an operand that met position `index` of a result of `shape`."""
    if value.size == 1:
        return value.reshape(()).item()
    if value.shape == shape:
        return value[index].item()
    return None


def find_non_finite(tape: Tape) -> list[NonFinite]:
    """The first node (in execution order) to hold each kind of non-finite value, and the first
    backward step to send each kind back. Reductions report their operands' first bad element."""
    findings: list[NonFinite] = []
    seen: set[str] = set()
    for node in tape.nodes:
        if node.kind != "operation":
            continue
        for kind, mask in _kind(node.value):
            if kind in seen or not mask.any():
                continue
            seen.add(kind)
            index = tuple(int(i) for i in np.argwhere(mask)[0])
            findings.append(NonFinite(kind, "forward", node.number, index,
                                      _operands(tape, node.inputs, index, node.shape)))
    seen.clear()
    for step in tape.steps:
        for contribution in step.contributions:
            for kind, mask in _kind(contribution.value):
                if kind in seen or not mask.any():
                    continue
                seen.add(kind)
                index = tuple(int(i) for i in np.argwhere(mask)[0])
                operands = [("adjoint", _at(step.adjoint, index, contribution.value.shape))]
                operands += _operands(tape, tape.node(step.node).inputs, index, contribution.value.shape)
                findings.append(NonFinite(kind, "backward", step.node, index, operands,
                                          target=contribution.target))
    return findings


def _operands(tape: Tape, inputs: list[int], index: tuple[int, ...],
              shape: tuple[int, ...]) -> list[tuple[str, Any]]:
    """(text, value) of each input at the position that met `index` of the result. A reduction
    (dot, sum) mixes positions: there, each input at the first position where one of them
    is not finite, written `text[i]`."""
    nodes = [tape.node(n) for n in inputs]
    reduced = [n for n in nodes if n.value.size > 1 and n.value.shape != shape]
    suffix = ""
    if reduced:
        bad = [np.argwhere(~np.isfinite(n.value.astype(np.float64))) for n in reduced]
        first = next((b[0] for b in bad if len(b)), None)
        index = tuple(int(i) for i in first) if first is not None else index
        shape = reduced[0].value.shape
        suffix = f"[{', '.join(map(str, index))}]"
    return [(node.title + (suffix if node.value.shape == shape and suffix else ""),
             _at(node.value, index, shape)) for node in nodes]
