"""Repeated sub-expressions named once: `u*cos(u)  where u = x^2 + 1`, as JAX's jaxprs and
Maxima's intermediate labels do, so that the derivative of a deep formula stays as short as
its tape instead of swelling with copies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from adcli.symbolic.expr import Expr
from adcli.symbolic.printer import Printer
from adcli.symbolic.simplify import operations

NAMES = "uvwpqrsabcdhk"
MIN_OPERATIONS = 2  # smaller repeats read better written out


@dataclass(frozen=True)
class Shared:
    texts: tuple[str, ...]  # each formula, with its shared parts by name
    definitions: tuple[tuple[str, str], ...]  # (name, its formula), each before its first use


def fresh_names(taken: set[str]) -> Callable[[], str]:
    counter = iter(range(1_000_000_000))

    def next_name() -> str:
        while True:
            i = next(counter)
            letter, round_ = NAMES[i % len(NAMES)], i // len(NAMES)
            name = letter if round_ == 0 else f"{letter}{round_}"
            if name not in taken:
                return name

    return next_name


def _layout_graph(roots: list[Expr], printer: Printer) -> tuple[dict[int, list[Expr]],
                                                               list[Expr]]:
    """Each node's parts as the printer writes them (a negated term as a subtraction, a
    denominator's power), and the nodes with every parent before its parts."""
    children: dict[int, list[Expr]] = {}
    order: list[Expr] = []
    stack: list[tuple[Expr, bool]] = [(r, False) for r in reversed(roots)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in children:
            continue
        inner = [p[0] for p in printer.layout(node, top=True)[1] if isinstance(p, tuple)]
        children[id(node)] = inner
        stack.append((node, True))
        stack.extend((c, False) for c in inner if id(c) not in children)
    order.reverse()
    return children, order


def share(roots: list[Expr], taken: set[str],
          make_printer: Callable[[dict[int, str]], Printer] = lambda shared: Printer(
              shared=shared)) -> Shared | None:
    """The formulas with every sub-expression written more than once (across all of `roots`)
    named; None when nothing is worth naming. One pass, outermost first: a part of a named
    expression counts as written once more only where that expression's definition is."""
    children, order = _layout_graph(roots, make_printer({}))
    count: dict[int, int] = {}
    for root in roots:
        count[id(root)] = count.get(id(root), 0) + 1
    chosen: list[Expr] = []
    for node in order:
        written = count.get(id(node), 0)
        if (written > 1 and node.kind not in ("var", "num", "const", "bcast", "array")
                and node not in roots and operations(node) >= MIN_OPERATIONS):
            chosen.append(node)
            written = 1  # its definition
        for child in children[id(node)]:
            count[id(child)] = count.get(id(child), 0) + written
    if not chosen:
        return None
    new_name = fresh_names(taken)
    chosen.reverse()  # each defined before the definitions that use it
    names = {id(n): new_name() for n in chosen}
    printer = make_printer(names)
    return Shared(tuple(printer(root) for root in roots),
                  tuple((names[id(n)], printer(n)) for n in chosen))
