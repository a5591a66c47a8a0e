"""Walks over expression graphs with an explicit stack: each distinct node once, children
before parents, so a chain 10,000 nodes deep is walked like a short one."""

from __future__ import annotations

from typing import Callable, Iterator

from adcli.symbolic.expr import Expr


def postorder(root: Expr) -> Iterator[Expr]:
    """Every distinct node under root (root included), each after all of its args."""
    seen: set[int] = set()
    stack: list[tuple[Expr, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            yield node
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for child in reversed(node.args):
            if id(child) not in seen:
                stack.append((child, False))


def rebuild(root: Expr, visit: Callable[[Expr, tuple[Expr, ...]], Expr]) -> Expr:
    """Map a graph bottom-up: `visit(node, new_args)` returns the node's replacement, given
    its args' replacements. Shared nodes are visited once."""
    done: dict[int, Expr] = {}
    for node in postorder(root):
        new_args = tuple(done[id(a)] for a in node.args)
        done[id(node)] = visit(node, new_args)
    return done[id(root)]


def uses(root: Expr) -> dict[int, int]:
    """How many parents use each node (the root counts once): a node used twice is shared."""
    count: dict[int, int] = {id(root): 1}
    for node in postorder(root):
        for child in node.args:
            count[id(child)] = count.get(id(child), 0) + 1
    return count


def find(root: Expr, predicate: Callable[[Expr], bool]) -> Iterator[Expr]:
    return (node for node in postorder(root) if predicate(node))
