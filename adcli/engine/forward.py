"""Forward mode: dual numbers, and tangents pushed through a graph already recorded.

A `Dual` pairs a primal value with a tangent, its derivative along one chosen direction.
`apply()` hands every primitive that meets a Dual to `apply_dual`, which computes the primal
with the primitive's value and the output's tangent with its JVP rules, one per input that
carries a tangent. Nothing is recorded: forward mode keeps no tape, and pays for that with one
pass per input direction where reverse mode needs one per output.

Each `jvp` opens a level of its own. A primitive unwraps only the highest level among its
arguments, and treats lower ones as constants, so the tangents of a derivative of a derivative
never mix (JAX's "perturbation confusion").

`Sweep` is forward mode over a recorded graph, taking each node's stored value as its primal:
one sweep per direction, nothing recomputed. Over the graph of a gradient
(`backward_pass(create_graph=True)`) it is forward-over-reverse: Hessian-vector products.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Sequence

import numpy as np

from adcli.engine import backward, tensor
from adcli.engine.primitive import Primitive
from adcli.engine.state import STATE


class Dual:
    """A primal value and its tangent, for one level of forward mode. The primal may itself
    be a tensor (forward mode inside a reverse pass) or a Dual of a lower level."""

    __slots__ = ("primal", "tangent", "level")
    # Make `ndarray * Dual` call Dual.__rmul__ instead of looping over the dual.
    __array_ufunc__ = None

    def __init__(self, primal: Any, tangent: Any, level: int) -> None:
        self.primal = primal
        self.tangent = tangent
        self.level = level

    @property
    def data(self) -> np.ndarray:
        """The plain array under the primal, for decisions taken on values."""
        return np.asarray(getattr(self.primal, "data", self.primal))

    @property
    def shape(self) -> tuple[int, ...]:
        return np.shape(self.primal)

    @property
    def ndim(self) -> int:
        return np.ndim(self.primal)

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype)

    def __len__(self) -> int:
        return len(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.data)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"dual({self.primal!r}, tangent={self.tangent!r})"


@contextmanager
def new_level() -> Iterator[int]:
    """The level for the duals of one `jvp`, above every level already open. Dual numbers are
    made and used inside it: outside every level, apply() does not look for them."""
    STATE.dual_level += 1
    try:
        yield STATE.dual_level
    finally:
        STATE.dual_level -= 1


def apply_dual(prim: Primitive, args: Sequence[Any], params: dict[str, Any]) -> Any:
    """One primitive on dual numbers: the primal by its value, the tangent by its JVP rules.
    None when no argument is a dual number (apply goes on as usual)."""
    levels = [a.level for a in args if type(a) is Dual]
    if not levels:
        return None
    level = max(levels)
    primals: list[Any] = []
    tangents: list[Any] = []
    for a in args:
        if type(a) is Dual and a.level == level:
            primals.append(a.primal)
            tangents.append(a.tangent)
        else:
            primals.append(a)
            tangents.append(None)
    ans = tensor.apply(prim, *primals, **params)
    if prim.jvp is None:  # comparisons, detach: no tangent goes through
        return ans
    tangent = tangent_of(prim, ans, primals, tangents, params)
    return ans if tangent is None else Dual(ans, tangent, level)


STATE.forward_mode = apply_dual


def tangent_of(prim: Primitive, ans: Any, inputs: Sequence[Any], tangents: Sequence[Any],
               params: dict[str, Any]) -> Any:
    """The output's tangent: the sum of the JVP rules of the inputs that carry a tangent."""
    rules = prim.jvp
    assert rules is not None
    total = None
    applied = 0
    for k, t in enumerate(tangents):
        if t is None or rules[k] is None:
            continue
        contribution = rules[k](t, ans, *inputs, **params)
        applied += 1
        total = contribution if total is None else total + contribution
    tensor.count_rules(applied)
    return total


class Sweep:
    """Forward mode over a recorded graph: the nodes that lead to `outputs`, in order, with what
    their JVP rules need, gathered once so that each `push` is a plain loop over rules.

    Rules run on the nodes' stored arrays and record nothing; with `differentiable`, they run
    on the nodes themselves and record the tangents' graph (a reverse pass around this one).
    """

    def __init__(self, outputs: Sequence[Any], differentiable: bool = False) -> None:
        self.outputs = list(outputs)
        self.differentiable = differentiable
        self.steps: list[tuple[int, Primitive, Any, list[Any], list[Any], dict[str, Any]]] = []
        seen: set[int] = set()
        for root in self.outputs:
            if type(root) is not tensor.Tensor:
                continue
            for node in backward.toposort(root):
                if id(node) in seen or node.op is None:
                    continue
                seen.add(id(node))
                keys = [id(a) if type(a) is tensor.Tensor else None for a in node.inputs]
                if differentiable:
                    args, ans = list(node.inputs), node
                else:
                    args = [a.data if type(a) is tensor.Tensor else a for a in node.inputs]
                    ans = node.data
                self.steps.append((id(node), node.op, ans, args, keys, node.params))

    def push(self, seeds: dict[int, Any]) -> list[Any]:
        """The tangents of the outputs, given the tangents of some nodes (`{id(node): tangent}`);
        None for an output that depends on none of them."""
        tangents = dict(seeds)
        mode = tensor.enable_grad() if self.differentiable else tensor.no_grad()
        with mode, tensor.ieee_sweep(), tensor.gc_paused():
            for key, prim, ans, args, keys, params in self.steps:
                if key in tangents:
                    continue
                incoming = [tangents.get(k) for k in keys]
                if all(t is None for t in incoming):
                    continue
                t = tangent_of(prim, ans, args, incoming, params)
                if t is not None:
                    tangents[key] = t
        return [tangents.get(id(out)) if type(out) is tensor.Tensor else None
                for out in self.outputs]


def push_forward(outputs: Sequence[Any], seeds: dict[int, Any],
                 differentiable: bool = False) -> list[Any]:
    """One forward-mode sweep over the recorded graph of `outputs` (see Sweep)."""
    return Sweep(outputs, differentiable).push(seeds)
