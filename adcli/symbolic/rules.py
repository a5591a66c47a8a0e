"""Each primitive's derivative rules as formulas, read from the rules themselves.

A rule is stated once, as the Python function in its registry entry. Run on leaf tensors that
stand for its inputs (named as the entry names them: `x`; `u`, `v`; `A`, `B`), for the output
`ans` and for the adjoint `g` (or the tangent `t`), under grad mode, it records what it computes;
adcli.symbolic.convert reads that record back as a formula. The samples are generic values
(random, away from 0, 1 and the edges), so a rule's value-dependent branch takes the branch
that holds almost everywhere, and its edge conventions are kept apart as guards.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from adcli.engine import apply, enable_grad, ieee_sweep, make_leaf
from adcli.engine.primitive import Primitive
from adcli.symbolic import algebra as al
from adcli.symbolic.convert import Guard, convert
from adcli.symbolic.expr import Expr, freeze, freeze_params, thaw
from adcli.symbolic.printer import PrintError, to_text

ADJOINT, TANGENT = "g", "t"
SAMPLE_DIM = 3  # vectors and matrices of the samples: 3 and 3×3
# Ranges tried for generic samples, in order, until every value the rule sees is finite.
SAMPLE_RANGES = ((0.3, 0.9), (1.2, 1.9), (-0.9, -0.3), (2.0, 5.0), (-5.0, -2.0))


@dataclass(frozen=True)
class RuleFormula:
    """The rule of `primitive` for its input number `position`, as a formula over the inputs'
    names and the adjoint `g` (VJP) or the tangent `t` (JVP)."""

    primitive: str
    position: int
    kind: str  # "vjp" or "jvp"
    inputs: tuple[str, ...]
    formula: Expr
    # The local derivative D when the rule is `g*D` element by element (sin: cos(x)); None
    # where the rule is not a multiplication (matmul: g @ transpose(B)).
    local: Expr | None
    guards: tuple[Guard, ...]


def input_names(prim: Primitive, count: int) -> tuple[str, ...]:
    names = prim.inputs if len(prim.inputs) == count else tuple(f"x{i + 1}" for i in range(count))
    taken = {ADJOINT, TANGENT}
    return tuple(f"{n}_" if n in taken else n for n in names)


def generic_samples(shapes: Sequence[tuple[int, ...]], low: float, high: float,
                    seed: int = 20261126) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.uniform(low, high, shape) for shape in shapes]


@lru_cache(maxsize=2048)
def _record(name: str, position: int, kind: str, shapes: tuple[tuple[int, ...], ...],
            frozen: tuple[tuple[str, Any], ...], extra_frozen: tuple[Any, ...] = (),
            seed: int = 20261126) -> RuleFormula:
    from adcli.ops import PRIMITIVES

    prim = PRIMITIVES[name]
    rules = prim.vjp if kind == "vjp" else prim.jvp
    if rules is None or rules[position] is None:
        raise ValueError(f"{name} has no {kind} rule for input {position}")
    params = {k: thaw(v) for k, v in frozen}
    extra = [thaw(v) for v in extra_frozen]  # positional arguments that are no tensors (a key)
    names = input_names(prim, len(shapes))
    from adcli.symbolic.calls import condition

    for low, high in SAMPLE_RANGES:
        leaves = [make_leaf(s > (low + high) / 2 if condition(prim, k) else s)
                  for k, s in enumerate(generic_samples(shapes, low, high, seed))]
        with enable_grad(), ieee_sweep():
            ans = apply(prim, *leaves, *extra, **params)
            if kind == "vjp":
                direction = make_leaf(generic_samples([np.shape(ans.data)], 0.3, 0.9, seed=7)[0])
            else:
                direction = make_leaf(generic_samples([shapes[position]], 0.3, 0.9, seed=7)[0])
            result = rules[position](direction, ans, *leaves, *extra, **params)
        if np.all(np.isfinite(ans.data)) and np.all(np.isfinite(np.asarray(
                getattr(result, "data", result), dtype=np.float64))):
            break
    label = ADJOINT if kind == "vjp" else TANGENT
    named = {id(leaf): al.var(n, leaf.data.shape) for n, leaf in zip(names, leaves)}
    named[id(direction)] = al.var(label, direction.data.shape)
    formula, guards = convert(result, named, keep=frozenset({id(ans)}))
    return RuleFormula(name, position, kind, names, formula, local_factor(formula, label),
                       tuple(guards))


def rule_formula(prim: Primitive | str, position: int, shapes: Sequence[tuple[int, ...]],
                 params: dict[str, Any] | None = None, kind: str = "vjp",
                 extra: Sequence[Any] = ()) -> RuleFormula:
    """The formula of a primitive's VJP (or JVP) rule for inputs of these shapes (`extra`:
    positional arguments after the tensors that are none, like getitem's key)."""
    name = prim if isinstance(prim, str) else prim.name
    return _record(name, position, kind, tuple(tuple(s) for s in shapes),
                   freeze_params(params or {}), tuple(freeze(v) for v in extra))


@lru_cache(maxsize=1024)
def _depends_on_values(name: str, shapes: tuple[tuple[int, ...], ...],
                       frozen: tuple[tuple[str, Any], ...], extra_frozen: tuple[Any, ...]) -> bool:
    from adcli.ops import PRIMITIVES

    prim = PRIMITIVES[name]
    for k in range(len(shapes)):
        if prim.vjp is None or prim.vjp[k] is None:
            continue
        try:
            first, second = (_record(name, k, "vjp", shapes, frozen, extra_frozen, seed).formula
                             for seed in (20261126, 5))
        except (ValueError, TypeError, IndexError):
            return False  # a rule that cannot be read here is refused where it is printed
        if first != second:
            return True
    return False


def depends_on_values(prim: Primitive, shapes: Sequence[tuple[int, ...]],
                      params: dict[str, Any] | None = None, extra: Sequence[Any] = ()) -> bool:
    """Whether the primitive's VJP rule, recorded at two sets of samples ordered differently,
    reads differently: it computed something from the values in Python (sort's permutation),
    so what it records holds at those samples only, and no formula holds beyond them."""
    return _depends_on_values(prim.name, tuple(tuple(s) for s in shapes),
                              freeze_params(params or {}), tuple(freeze(v) for v in extra))


def local_factor(formula: Expr, label: str) -> Expr | None:
    """D where formula = label·D, D free of the label: the local derivative of an
    element-wise rule, as a calculus table writes it."""
    f = formula.args[0] if formula.kind == "bcast" else formula
    if f.kind == "var" and f.data == label:
        return al.ONE
    if f.kind == "num" and f.data == 0:
        return al.ZERO
    if f.kind == "call" and f.name == "where":
        # where(c, g·a, g·b) = g·where(c, a, b): relu's, clip's and max's rules
        branches = [local_factor(branch, label) for branch in f.args[1:]]
        if all(b is not None for b in branches) and label not in f.args[0].free:
            return al.call("where", [f.args[0], *branches])  # type: ignore[list-item]
        return None
    if f.kind != "mul":
        return None
    direction = next((a for a in f.args if a.kind == "var" and a.data == label), None)
    if direction is None:
        return None
    rest = al.mul(*(a for a in f.args if a is not direction)) if len(f.args) > 2 else \
        next(a for a in f.args if a is not direction)
    return None if label in rest.free else rest


# -- what the listing and the simplifier need to know of each primitive ---------------------


_CANDIDATE_RANKS = (2, 1, 0)


@dataclass(frozen=True)
class Reading:
    shapes: tuple[tuple[int, ...], ...]
    text_length: int | None  # the rules' printed length; None where one does not print
    general: bool  # reads alike at other lengths and other values


@lru_cache(maxsize=None)
def _readings(name: str) -> tuple[Reading, ...]:
    """The primitive's rules read at matrices, vectors and numbers, highest ranks first, where
    it evaluates."""
    from adcli.ops import PRIMITIVES

    prim = PRIMITIVES[name]
    if prim.arity < 1 or prim.vjp is None:
        return ()
    combos = sorted(itertools.product(_CANDIDATE_RANKS, repeat=prim.arity),
                    key=lambda ranks: (len(set(ranks)) > 1, -sum(ranks)))
    out = []
    for ranks in combos:
        shapes = tuple((SAMPLE_DIM,) * r for r in ranks)
        if not _evaluates(prim, shapes):
            continue
        if depends_on_values(prim, shapes):  # sort's: no formula at any shapes
            out.append(Reading(shapes, None, False))
            continue
        try:
            texts = [to_text(rule_formula(name, k, shapes).formula)
                     for k in range(prim.arity) if prim.vjp[k] is not None]
        except (ValueError, TypeError, IndexError, PrintError, RuntimeError):
            out.append(Reading(shapes, None, False))
            continue
        larger = tuple((SAMPLE_DIM + 1,) * r for r in ranks)
        if not _evaluates(prim, larger):
            out.append(Reading(shapes, sum(map(len, texts)), True))  # it takes 3 only (cross)
            continue
        try:
            again = [to_text(rule_formula(name, k, larger).formula)
                     for k in range(prim.arity) if prim.vjp[k] is not None]
        except (ValueError, TypeError, IndexError, PrintError, RuntimeError):
            again = []
        # a rule that names the samples' sizes (a reshape to [3, 1]) reads only for them
        out.append(Reading(shapes, sum(map(len, texts)), texts == again))
    return tuple(out)


def _evaluates(prim: Primitive, shapes: tuple[tuple[int, ...], ...]) -> bool:
    from adcli.symbolic.calls import condition

    samples = generic_samples(shapes, 0.3, 0.9)  # not all equal: a matrix must be invertible
    try:
        with ieee_sweep():
            prim.value(*(s > 0.6 if condition(prim, k) else s for k, s in enumerate(samples)))
    except (ValueError, TypeError, IndexError, RuntimeError):
        return False
    return True


def representative_shapes(name: str) -> tuple[tuple[int, ...], ...] | None:
    """Input shapes under which the primitive's rules read in their general form: the highest
    ranks (matrices before vectors before numbers) at which it evaluates and every rule prints
    in the formula language (else the shortest reading). None for a primitive that takes none
    (constants, indexing)."""
    readings = _readings(name)
    for reading in readings:
        if reading.general:
            return reading.shapes
    printed = [(r.text_length, r.shapes) for r in readings if r.text_length is not None]
    return min(printed)[1] if printed else None


def listing_reading(name: str) -> Reading | None:
    """The reading at the highest ranks the primitive takes: its rules in general form where
    `general`, else no formula states them (sort's permutation, diag's positions)."""
    readings = _readings(name)
    return readings[0] if readings else None


_IN_PROGRESS: set[str] = set()


def linear_inputs(name: str) -> tuple[int, ...]:
    """The inputs a primitive is linear in (dot, matmul, sum, transpose, …), found from its
    rules: the VJP for the input does not read the input, and scaling the input scales the
    value (which sign's rule, zero everywhere, does not)."""
    if name in _IN_PROGRESS:
        return ()
    _IN_PROGRESS.add(name)
    try:
        return _linear_inputs(name)
    finally:
        _IN_PROGRESS.discard(name)


@lru_cache(maxsize=None)
def _linear_inputs(name: str) -> tuple[int, ...]:
    from adcli.ops import FUNCTIONS, PRIMITIVES

    prim = PRIMITIVES.get(name)
    if prim is None or name not in FUNCTIONS or prim.vjp is None or prim.arity < 1:
        return ()
    shapes = representative_shapes(name)
    if shapes is None:
        return ()
    linear = []
    samples = generic_samples(shapes, 0.3, 0.9, seed=11)
    with ieee_sweep():
        base = np.asarray(prim.value(*samples), dtype=np.float64)
    for k in range(prim.arity):
        if prim.vjp[k] is None:
            continue
        rule = rule_formula(name, k, shapes)
        if rule.inputs[k] in rule.formula.free:
            continue
        homogeneous = True
        for c in (2.5, -1.5):
            scaled = list(samples)
            scaled[k] = samples[k] * c
            with ieee_sweep():
                value = np.asarray(prim.value(*scaled), dtype=np.float64)
            homogeneous = homogeneous and np.allclose(value, c * base, rtol=1e-12, atol=0)
        if homogeneous:
            linear.append(k)
    return tuple(linear)
