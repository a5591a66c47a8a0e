"""The tape of one calculation, numbered and described for people: every node of the graph with
the sub-expression that made it, its value and its adjoint; every edge with its local
derivative; every step of the backward pass; and where a nan or an inf first appeared.

Views draw this; nothing here formats text for a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from adcli.calculations.nonfinite import Origin, find
from adcli.calculations.operands import operand
from adcli.calculations.point import Answer, Point, Run, frozen_array
from adcli.calculations.values import differentiable, gradient_of, leaves
from adcli.engine import Tensor, backward_pass, gc_paused, toposort
from adcli.language.evaluate import Session, evaluate

MAX_TEXT = 60  # a node's sub-expression is shortened in the middle past this (its span is exact)


def shorten(text: str) -> str:
    if len(text) <= MAX_TEXT:
        return text
    half = (MAX_TEXT - 1) // 2
    return text[:half] + "…" + text[-half:]


@dataclass(frozen=True, eq=False)
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
    inputs: tuple[int, ...]

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def title(self) -> str:
        return self.name or self.text or self.op


@dataclass(frozen=True, eq=False)
class Edge:
    source: int  # the input
    target: int  # the node that uses it
    position: int
    cut: bool  # a detach: no gradient flows back along it
    derivative: str | None  # the local derivative ∂target/∂source (or the rule in g)


@dataclass(frozen=True, eq=False)
class Contribution:
    target: int
    rule: str  # the node's rule in g, with the user's operand texts (`g*cos(x*x)`)
    value: np.ndarray
    total: np.ndarray | None  # the target's adjoint after adding this, when it met another
    note: str = ""  # the primitive's edge convention (log'(0) = inf), shown beside the rule


@dataclass(frozen=True, eq=False)
class Step:
    node: int
    adjoint: np.ndarray
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True, eq=False)
class Tape(Answer):
    wrt: tuple[str, ...]  # () when nothing was differentiated
    gradient: Mapping[str, np.ndarray] | None
    nodes: tuple[Node, ...]  # in execution order: nodes[i].number == i + 1
    edges: tuple[Edge, ...]
    output: int
    steps: tuple[Step, ...]  # the backward pass, in the order it ran
    origins: tuple[Origin, ...]

    def node(self, number: int) -> Node:
        return self.nodes[number - 1]

    @property
    def cotangent(self) -> str | None:
        return None if self.gradient is None or self.value.size == 1 else "ones"


# one VJP rule applied: (the node, its input's position, the input it sent to, what it sent,
# the input's sum so far); the rule is written once the variables' names are known
Observed = tuple[Tensor, int, int, np.ndarray, "np.ndarray | None"]


def record(point: Point, wrt: Sequence[str] | None = None, backward: bool = True) -> Tape:
    """Evaluate and (with `backward`, when there is a variable) differentiate, keeping every
    node, every adjoint and every backward step."""
    backward = backward and bool(point.formula.variables)
    chosen = point.chosen(wrt) if backward else ()
    session = point.session()
    env = leaves(point, chosen)
    with gc_paused():
        output = evaluate(point.formula, env, point.dtype, session)
        if backward:
            differentiable(point, output)
        return describe(point, output, env, session, chosen, backward)


def describe(point: Point, output: Tensor, env: Mapping[str, Tensor], session: Session,
             wrt: Sequence[str] = (), backward: bool = True) -> Tape:
    """The tape of a graph already recorded: numbered, with a backward pass observed step by
    step (run again on the same graph when one already ran; nothing is evaluated again)."""
    order = toposort(output, everything=True)  # every node, constants and detached ones too
    number = {id(tensor): i for i, tensor in enumerate(order, start=1)}
    raw_steps: list[tuple[int, np.ndarray, list[Observed]]] = []

    def observe(node: Tensor, g: np.ndarray, k: int, inp: Tensor, contribution: np.ndarray,
                total: np.ndarray | None) -> None:
        if not raw_steps or raw_steps[-1][0] != number[id(node)]:
            raw_steps.append((number[id(node)], np.asarray(g), []))
        raw_steps[-1][2].append((node, k, number[id(inp)], np.asarray(contribution),
                                 None if total is None else np.asarray(total)))

    adjoints: dict[int, tuple[Tensor, np.ndarray]] = {}
    with gc_paused():
        if backward and output.requires_grad:
            adjoints = backward_pass(output, np.ones_like(output.data), keep_all=True,
                                     observe=observe)
    names = {id(tensor): name for name, tensor in env.items()}
    nodes = tuple(_node(number[id(t)], t, point, names, number, adjoints) for t in order)

    def described(t: Any) -> tuple[str, int]:
        text, precedence = operand(t, point.formula, names)
        return shorten(text), precedence  # as the trace shows node texts

    # the labels are read from the rules by adcli.symbolic: loaded by the commands that draw them
    from adcli.calculations.edges import trace_rule

    variables = frozenset(names)
    edges = tuple(edge for tensor, node in zip(order, nodes)
                  for edge in _edges(tensor, node, nodes, described,
                                     lambda t: number.get(id(t)), variables))
    steps = tuple(Step(n, frozen_array(g), tuple(
        Contribution(t, trace_rule(node, k, described, variables), frozen_array(c),
                     None if s is None else frozen_array(s),
                     node.op.note if node.op is not None else "")
        for node, k, t, c, s in parts)) for n, g, parts in raw_steps)
    gradient = None
    if backward:
        gradient = MappingProxyType({
            name: gradient_of(env[name].data, adjoints.get(id(env[name]), (None, None))[1])
            for name in wrt})
    return Tape(point, frozen_array(output.data), Run.of(session, point), tuple(wrt), gradient,
                nodes, edges, len(nodes), steps, find(nodes, steps))


def _node(number: int, tensor: Tensor, point: Point, names: dict[int, str],
          numbers: dict[int, int], adjoints: dict[int, tuple[Tensor, np.ndarray]]) -> Node:
    origin = tensor.origin  # a Site: the AST node, and the iteration or call it ran in
    span = (origin.span.start, origin.span.end) if origin is not None else None
    text = shorten(point.formula.text(origin.node)) if origin is not None else ""
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
        value=frozen_array(tensor.data),
        adjoint=None if adjoint is None else frozen_array(
            np.broadcast_to(adjoint[1], tensor.data.shape)),
        requires_grad=tensor.requires_grad,
        inputs=tuple(numbers[id(i)] for i in tensor.inputs if type(i) is Tensor),
    )


def _edges(tensor: Tensor, node: Node, nodes: Sequence[Node],
           describe: Callable[[Any], tuple[str, int]], number: Callable[[Any], int | None],
           variables: frozenset[int]) -> list[Edge]:
    from adcli.calculations.edges import edge_label

    inputs = [nodes[n - 1] for n in node.inputs]
    cut = tensor.op is not None and tensor.op.vjp is None
    return [
        Edge(source=inp.number, target=node.number, position=k,
             cut=cut and tensor.op.name == "detach",
             # no label towards a constant: no gradient flows there
             derivative=edge_label(tensor, k, describe, number, variables)
             if inp.requires_grad and not cut else None)
        for k, inp in enumerate(inputs)
    ]
