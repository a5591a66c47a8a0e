"""A recorded graph, run again on other values: the same primitives, parameters and wiring.

`adcli grad --each` asks one formula the same question at many points. Where the graph a point
records cannot depend on the point's values (the caller decides that: no branch, no parameter
computed from a variable), every point of one shape records the same graph. `Trace.record` keeps
it as a list of steps before the backward pass lets it go; `run` then computes the value and the
adjoints of another point on plain arrays: each primitive's value in the order the evaluation
made them, then each VJP rule in the order `backward_pass` applies them, adding up the
contributions in the same order, so the numbers are bit for bit the evaluator's and the backward
pass's. What it skips is their bookkeeping: the walk over the syntax tree, a tensor per node,
the topological sort, the adjoints kept by identity.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from adcli.engine.backward import toposort
from adcli.engine.state import STATE
from adcli.engine.tensor import Tensor, count_rules, gc_paused, ieee_sweep


class Trace:
    """Steps of a recorded graph over numbered slots: the variables first, then the constants,
    then one slot per node, in the order the evaluation made them."""

    def __init__(self, root: Tensor, leaves: Mapping[str, Tensor]) -> None:
        nodes = toposort(root, everything=True)
        slot: dict[int, int] = {}
        present = {id(node) for node in nodes}
        self.names = [name for name, leaf in leaves.items() if id(leaf) in present]
        for name in self.names:
            slot[id(leaves[name])] = len(slot)
        self.constants: list[Any] = []
        for node in nodes:
            if node.op is None and id(node) not in slot:
                slot[id(node)] = len(slot)
                self.constants.append(node.data)
        self.first = len(slot)  # the slot of the first step
        # (primitive, the inputs' slots or the constants themselves, params)
        self.steps: list[tuple[Any, list[Any], dict[str, Any]]] = []
        for node in nodes:
            if node.op is None:
                continue
            slot[id(node)] = len(slot)
            inputs = [_Slot(slot[id(a)]) if type(a) is Tensor else a for a in node.inputs]
            self.steps.append((node.op, inputs, node.params))
        self.root = slot[id(root)]
        self.shape, self.dtype = root.data.shape, root.data.dtype
        self.elements = sum(node.data.size for node in nodes if node.op is not None)
        # The backward pass, as backward_pass walks it: nodes that require grad, the last made
        # first; for each, the rules of its inputs that require grad, in input order.
        self.sweep: list[tuple[int, list[tuple[int, Any]]]] = []
        for node in reversed(toposort(root)):
            if node.op is None:
                continue
            rules = [(slot[id(inp)], node.op.vjp[k]) for k, inp in enumerate(node.inputs)
                     if type(inp) is Tensor and inp.requires_grad and node.op.vjp[k] is not None]
            self.sweep.append((slot[id(node)], rules))
        self.rules = sum(len(rules) for _, rules in self.sweep)
        self.wrt = [slot[id(leaves[name])] for name in self.names if leaves[name].requires_grad]

    def slot_of(self, name: str) -> int | None:
        """The slot of a variable, None if the graph does not read it."""
        return self.names.index(name) if name in self.names else None

    def run(self, values: Mapping[str, np.ndarray],
            cotangent: Any = None) -> tuple[list[Any], dict[int, Any]]:
        """Every slot's value at the point `values` (by variable name) and, given the
        `cotangent` to send back from the root, the adjoints of the variables that require
        grad (by slot) that it reaches."""
        with ieee_sweep(), gc_paused():
            slots = self._forward(values)
            if cotangent is None:
                return slots, {}
            return slots, self._backward(slots, cotangent)

    def _forward(self, values: Mapping[str, np.ndarray]) -> list[Any]:
        slots: list[Any] = [values[name] for name in self.names]
        slots += self.constants
        for prim, inputs, params in self.steps:
            result = prim.value(*[slots[a.index] if type(a) is _Slot else a for a in inputs],
                                **params)
            slots.append(result if type(result) is np.ndarray else np.asarray(result))
        STATE.calls += len(self.steps)
        STATE.elements += self.elements
        return slots

    def _backward(self, slots: Sequence[Any], cotangent: Any) -> dict[int, Any]:
        adjoints: dict[int, Any] = {self.root: cotangent}
        steps, first = self.steps, self.first
        for index, rules in self.sweep:
            g = adjoints.pop(index)
            _, inputs, params = steps[index - first]
            args = [slots[a.index] if type(a) is _Slot else a for a in inputs]
            ans = slots[index]
            for target, rule in rules:
                contribution = rule(g, ans, *args, **params)
                total = adjoints.get(target)
                adjoints[target] = contribution if total is None else total + contribution
        count_rules(self.rules)
        return {k: adjoints[k] for k in self.wrt if k in adjoints}


class _Slot:
    """An input that is another slot's value (not a constant given as is)."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index
