"""How the graph is walked: an iterative topological order, then one sweep of VJP rules.

What each derivative *is* lives in the primitives' rules (`adcli.ops`); this file only decides
the order and adds up the cotangents where paths meet.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from adcli.engine.batching import Batch
from adcli.engine.tensor import (
    Tensor, count_rules, enable_grad, gc_paused, ieee_sweep, make_leaf, no_grad,
)


def toposort(root: Tensor, everything: bool = False) -> list[Tensor]:
    """The nodes that require grad (with `everything`, all nodes, constants and detached ones
    too), each after all of its inputs, in the order a left-to-right evaluation made them.
    No recursion on depth."""
    order: list[Tensor] = []
    if not (everything or root.requires_grad):
        return order
    visited: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for child in reversed(node.inputs):
            if (type(child) is Tensor and (everything or child.requires_grad)
                    and id(child) not in visited):
                stack.append((child, False))
    return order


# observe(node, adjoint, k, input, contribution, total): one VJP rule applied; `total` is the
# input's adjoint after adding the contribution, or None when it is the first to arrive.
Observer = Callable[[Tensor, Any, int, Tensor, Any, Any], None]


def backward_pass(
    root: Tensor,
    cotangent: Any,
    create_graph: bool = False,
    keep_all: bool = False,
    observe: Observer | None = None,
    release: bool = False,
) -> dict[int, tuple[Tensor, Any]]:
    """Send `cotangent` back from `root`. Returns `(tensor, adjoint)` for every leaf (or, with
    `keep_all`, for every node), keyed by `id(tensor)`.

    Without `create_graph` the rules run on plain arrays; with it they run on tensors under
    grad mode, so the gradient is itself a differentiable graph (Hessians). `observe` sees
    every step, for views that teach the backward pass.

    With `release`, each node lets go of its inputs once its rules have run (torch's
    retain_graph=False): an intermediate value is freed as soon as the last rule that reads it
    is done, which lowers the peak memory of large arrays by several of them. The graph cannot
    be walked again afterwards; the root keeps its value.
    """
    adjoints: dict[int, Any] = {id(root): cotangent}
    # Sums this walk allocated itself, and may therefore add into in place. A rule may hand the
    # same array to two inputs (add sends g to both), so only our own sums are ever mutated.
    owned: set[int] = set()
    result: dict[int, tuple[Tensor, Any]] = {}
    applied = 0
    mode = enable_grad() if create_graph else no_grad()
    order = toposort(root)
    with mode, ieee_sweep(), gc_paused():
        while order:
            node = order.pop()  # popped, so that a released node is not kept alive here
            g = adjoints[id(node)] if keep_all else adjoints.pop(id(node))
            owned.discard(id(g))
            if node.op is None:
                result[id(node)] = (node, g)
                continue
            if keep_all:
                result[id(node)] = (node, g)
            rules = node.op.vjp
            if create_graph:
                args, ans = node.inputs, node
            else:
                args = [a.data if type(a) is Tensor else a for a in node.inputs]
                ans = node.data
            for k, inp in enumerate(node.inputs):
                if type(inp) is not Tensor or not inp.requires_grad:
                    continue
                rule = rules[k]
                if rule is None:
                    continue
                contribution = rule(g, ans, *args, **node.params)
                applied += 1
                key = id(inp)
                if key not in adjoints:
                    adjoints[key] = contribution
                    if observe is not None:
                        observe(node, g, k, inp, contribution, None)
                    continue
                total = adjoints[key]
                if (id(total) in owned and type(contribution) is not Batch
                        and np.shape(contribution) == total.shape):
                    np.add(total, contribution, out=total)
                else:
                    total = adjoints[key] = total + contribution
                    if type(total) is np.ndarray:
                        owned.add(id(total))
                if observe is not None:
                    observe(node, g, k, inp, contribution, np.copy(total))
            if release:
                node.inputs = ()
                del args, ans, g, node
    count_rules(applied)
    return result


def backward(root: Tensor, gradient: Any = None, create_graph: bool = False) -> None:
    """torch's `y.backward(gradient)`: accumulate d(gradient·y)/dleaf into each leaf's `.grad`."""
    if not root.requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    if gradient is None:
        if root.data.size != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        cotangent: Any = np.ones_like(root.data)
    else:
        cotangent = gradient.data if type(gradient) is Tensor else np.asarray(gradient)
        if cotangent.shape != root.data.shape:
            raise RuntimeError(
                f"gradient has shape {cotangent.shape} but the output has shape {root.data.shape}"
            )
        cotangent = cotangent.astype(root.data.dtype, copy=False)
    if create_graph:
        cotangent = gradient if type(gradient) is Tensor else make_leaf(cotangent)
    for leaf, adjoint in backward_pass(root, cotangent, create_graph=create_graph).values():
        accumulate_grad(leaf, adjoint)


def accumulate_grad(leaf: Tensor, contribution: Any) -> None:
    if type(contribution) is Tensor:
        # create_graph: keep the gradient differentiable.
        leaf.grad = contribution if leaf.grad is None else leaf.grad + contribution
        return
    value = np.asarray(contribution, dtype=leaf.data.dtype)
    if value.shape != leaf.data.shape:
        value = np.broadcast_to(value, leaf.data.shape)
    if leaf.grad is None:
        leaf.grad = make_leaf(np.array(value))  # an owned copy, so zero_() can work in place
    else:
        leaf.grad.data = leaf.grad.data + value
