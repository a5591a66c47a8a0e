"""A formula's derivatives as expressions, from the graph the engine records for them.

The formula runs once on leaf tensors (its variables at generic sample values); a backward pass
with `create_graph` records the gradient as a graph of the registry's primitives — the rules
applied, exactly as `adcli grad` applies them — and adcli.symbolic.convert reads that graph as
a formula. A higher derivative differentiates the recorded gradient again: by reverse mode
where the derivative so far is one number, by forward mode (a tangent of ones) where the new
variable is one number, and, where both are arrays, only if the derivative is element-wise
(its Jacobian diagonal at the samples), since a full Hessian of a vector has no index-free form.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from adcli.engine import Tensor, backward_pass, gc_paused, make_leaf, toposort
from adcli.engine.forward import push_forward
from adcli.symbolic import algebra as al
from adcli.symbolic.convert import Conversion, Guard
from adcli.symbolic.expr import Expr
from adcli.symbolic.rules import depends_on_values


class NoFormula(Exception):
    """A derivative that no formula in the language states."""


class NotIndexFree(NoFormula):
    """A derivative that is a matrix of partials with no index-free form (a vector's Hessian)."""


class DependsOnValues(NoFormula):
    """A rule that computes from the values in Python (sort's permutation): what it records
    holds at the samples only."""


@dataclass(frozen=True)
class Partial:
    wrt: tuple[str, ...]  # ("x",) for ∂f/∂x; ("x", "y") for ∂²f/∂x∂y
    expr: Expr


@dataclass(frozen=True)
class Derivation:
    formula: Expr  # f itself, read from its recorded graph
    partials: tuple[Partial, ...]
    guards: tuple[Guard, ...]  # edge conventions the rules applied
    variables: dict[str, Expr]


def derive(output: Tensor, leaves: dict[str, Tensor], wrt: Sequence[str], order: int = 1
           ) -> Derivation:
    """∂ᵒʳᵈᵉʳf for each multiset of `wrt` of that size (f contracted with ones if it is an
    array, as `adcli grad` does). `leaves` are all of f's variables; those not in `wrt` are
    held constant and appear by name."""
    variables = {name: al.var(name, np.shape(t.data)) for name, t in leaves.items()}
    names: dict[int, Expr] = {id(t): variables[n] for n, t in leaves.items()}
    with gc_paused():
        nodes = toposort(output, everything=True)
        keep = frozenset(id(t) for t in nodes)
    _require_rules_read_alike(nodes)
    conversion = Conversion(names, keep)
    with al.shape_sources(list(variables.values())):
        formula = conversion(output)
        current: dict[tuple[str, ...], Any] = {}
        seed = _ones(output.data, conversion)
        grads = backward_pass(output, seed, create_graph=True) if output.requires_grad else {}
        for name in wrt:
            found = grads.get(id(leaves[name]))
            current[(name,)] = found[1] if found is not None else None
        for _ in range(order - 1):
            current = _differentiate_again(current, leaves, wrt, conversion)
        partials = tuple(Partial(key, _read(conversion, value, leaves[key[0]]))
                         for key, value in current.items())
    return Derivation(formula, partials, tuple(conversion.guards), variables)


def _require_rules_read_alike(nodes: Sequence[Tensor]) -> None:
    for node in nodes:
        prim = node.op
        if prim is None or not node.requires_grad or prim.vjp is None:
            continue
        count = prim.arity if prim.arity >= 0 else len(node.inputs)
        tensors, extra = node.inputs[:count], node.inputs[count:]
        if any(type(t) is not Tensor for t in tensors) or any(type(e) is Tensor for e in extra):
            continue
        if depends_on_values(prim, [np.shape(t.data) for t in tensors], dict(node.params),
                             extra):
            raise DependsOnValues(
                f"the rule of {prim.name} depends on the order of its input's values (it "
                "computes a permutation from them), so no one formula holds at every point")


def _ones(like: np.ndarray, conversion: Conversion) -> Tensor:
    """A seed of ones, named by its id: held as long as the reading, so that no later tensor
    can take its id and be read as the constant 1."""
    seed = make_leaf(np.ones_like(like))
    conversion.names[id(seed)] = al.num(1, np.shape(like))
    conversion.alive.append(seed)
    return seed


def _read(conversion: Conversion, value: Any, leaf: Tensor) -> Expr:
    if value is None:  # no path from the variable to f
        return al.num(0, np.shape(leaf.data))
    return conversion(value)


def _differentiate_again(current: dict[tuple[str, ...], Any], leaves: dict[str, Tensor],
                         wrt: Sequence[str], conversion: Conversion
                         ) -> dict[tuple[str, ...], Any]:
    out: dict[tuple[str, ...], Any] = {}
    for key, value in current.items():
        start = list(wrt).index(key[-1])
        for name in wrt[start:]:  # partials commute: one entry per multiset
            out[key + (name,)] = _again(value, leaves[name], conversion, key + (name,))
    return out


def _again(value: Any, leaf: Tensor, conversion: Conversion, key: tuple[str, ...]) -> Any:
    if type(value) is not Tensor or not value.requires_grad:
        return None
    if value.data.size == 1:
        found = backward_pass(value, _ones(value.data, conversion), create_graph=True).get(
            id(leaf))
        return None if found is None else found[1]
    if leaf.data.size != 1:
        _require_elementwise(value, leaf, key)
    seed = _ones(leaf.data, conversion)
    (tangent,) = push_forward([value], {id(leaf): seed}, differentiable=True)
    return tangent


def _require_elementwise(value: Tensor, leaf: Tensor, key: tuple[str, ...]) -> None:
    """An array's derivative by an array is index-free only when it is element-wise: the
    Jacobian must be diagonal (checked at the samples, one forward pass per element)."""
    wanted = "∂" * len(key) + "f/" + "".join(f"∂{k}" for k in key)
    if value.data.shape != leaf.data.shape:
        raise NotIndexFree(f"{wanted} is a matrix of partials (a Hessian block), which has "
                           "no index-free form")
    for k in range(leaf.data.size):
        unit = np.zeros(leaf.data.size)
        unit[k] = 1.0
        (column,) = push_forward([value], {id(leaf): unit.reshape(leaf.data.shape)})
        column = np.zeros(value.data.size) if column is None else np.ravel(column)
        others = np.delete(column, k)
        if np.any(others != 0):
            raise NotIndexFree(f"{wanted} is a matrix of partials (a Hessian block), not "
                               "element-wise, so it has no index-free form")


def multi_indices(wrt: Sequence[str], order: int) -> list[tuple[str, ...]]:
    return list(itertools.combinations_with_replacement(list(wrt), order))
