"""`adcli diff`: a formula's derivative as a formula in adcli's own language, derived by the
registry's rules (adcli.symbolic), simplified; its values at points; the derivation's steps.

The formula runs once on its variables at generic sample values of the shapes given by --at
(or, without --at, the lowest ranks under which it evaluates), and the recorded derivative is
read back as an expression. A program's derivative is that of the path it ran, so a program
needs --at: its values choose the path.
"""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from adcli.calculations.operands import operand
from adcli.calculations.point import Point, Run
from adcli.engine import Tensor, make_leaf, toposort
from adcli.errors import AdcliError, ComputeError, InputError
from adcli.language.evaluate import Limits, Session, evaluate
from adcli.language.parser import Formula, parse
from adcli.symbolic import algebra as al
from adcli.symbolic import domain
from adcli.symbolic.convert import Conversion
from adcli.symbolic.derive import Derivation as Derived
from adcli.symbolic.derive import NoFormula, NotIndexFree, derive, multi_indices
from adcli.symbolic.expr import Expr
from adcli.symbolic.latex import LatexPrinter, to_latex
from adcli.symbolic.printer import PrintError, TooLong, short_text, to_text
from adcli.symbolic.rules import SAMPLE_RANGES, generic_samples
from adcli.symbolic.share import Shared, share
from adcli.symbolic.simplify import explicit_ones, operations, simplify
from adcli.symbolic.steps import Derivation, backpropagation, derivation

MAX_ORDER = 8
MAX_PARTIALS = 64
SAMPLE_DIMS = (3, 8)  # sizes tried for the axes of inferred shapes (8: for x[5])
MAX_SHAPE_TRIES = 729  # rank choices tried when inferring shapes (3 ranks, 6 variables)
LONG = 100  # a formula longer than this is also shown with its repeated parts named


@dataclass(frozen=True)
class Partial:
    wrt: tuple[str, ...]  # ("x",) for ∂f/∂x, ("x", "y") for ∂²f/∂x∂y
    # In adcli's formula language, written out (`adcli eval` reads it back); None where that
    # would pass the language's length limit (Derivative.shared then holds it).
    text: str | None
    latex: str | None
    operations: int  # its size, as sympy's count_ops counts
    value: np.ndarray | None  # at --at: the formula evaluated there


@dataclass(frozen=True, eq=False)
class Derivative:
    """`adcli diff`: the derivatives of a formula as formulas (and their values at a point)."""

    formula: Formula
    point: Point | None  # the point --at gave (the values are computed there), or None
    run: Run  # what the reading of f drew (numbers in the derivative), the path a program took
    wrt: tuple[str, ...]
    order: int
    shapes: tuple[tuple[str, tuple[int, ...]], ...]  # the shapes the formula was read at
    inferred: bool  # shapes chosen by adcli (no --at)
    sized: bool  # inferred, and the formulas hold for the sample's lengths only
    contracted: bool  # f's value is an array: this is the derivative of sum(f)
    partials: tuple[Partial, ...]
    shared: Shared | None  # the partials with repeated parts named, when they are long
    shared_latex: Shared | None
    notes: tuple[str, ...]  # where the formulas hold, kinks, edge conventions
    steps: tuple[Derivation, ...]
    function_operations: int  # the size of f itself


def infer_shapes(formula: Formula, session: Session) -> dict[str, tuple[int, ...]]:
    """The lowest ranks (numbers, then vectors, then matrices) under which the formula
    evaluates: in dot(x, A@x), x is a vector and A a matrix. A reading where `@` multiplies two
    vectors is passed over (that is a dot product, written `·`), and on a tie a capitalized
    name is read as a matrix, as in `A@x` and `W @ h`."""
    names = formula.variables

    def convention(ranks: tuple[int, ...]) -> int:
        return sum((r == 2) != name[:1].isupper() for name, r in zip(names, ranks))

    combos = sorted(itertools.product(range(3), repeat=len(names)),
                    key=lambda r: (sum(r), convention(r), r))
    if len(combos) > MAX_SHAPE_TRIES:
        combos = [(r,) * len(names) for r in range(3)]
    fallback = None  # shapes where f evaluates, though to nan at every sample (acos(pi) + x)
    compared = False  # shapes where f evaluates to true/false
    for dim in SAMPLE_DIMS:
        for ranks in combos:
            shapes = {n: (dim,) * r for n, r in zip(names, ranks)}
            found = _evaluates(formula, shapes, session)
            if found == "finite":
                return shapes
            if found == "boolean":
                compared = True
            elif found and fallback is None:
                fallback = shapes
    if fallback is not None:
        return fallback
    if compared:
        raise ComputeError("the formula's value is true or false (a comparison), which has no "
                           "derivative", kind="not-differentiable", source=formula.source,
                           start=0, end=len(formula.source),
                           hint="differentiate a number: where(cond, a, b) picks between two")
    raise ComputeError("adcli found no shapes (numbers, vectors or matrices) under which the "
                       "formula evaluates", kind="shapes", source=formula.source, start=0,
                       end=len(formula.source), hint="give the variables' values with --at")


def _evaluates(formula: Formula, shapes: dict[str, tuple[int, ...]], session: Session
               ) -> str | None:
    """"finite" where the formula has a finite value at these shapes, at samples from one of
    the ranges (acosh(x) has none in (0.3, 0.9)); "nan" where it evaluates to no finite number
    at any; "boolean" where its value is true/false; None where it does not evaluate at these
    shapes."""
    evaluated = None
    for low, high in SAMPLE_RANGES:
        values = dict(zip(shapes, generic_samples(list(shapes.values()), low, high)))
        try:
            out = evaluate(formula, {n: make_leaf(v) for n, v in values.items()},
                           np.float64, _fresh(session))
        except AdcliError:
            return None  # a shape error does not depend on the values
        if out.data.dtype.kind == "b":
            return "boolean"
        if out.data.dtype.kind != "f" or _vector_matmul(out):
            return None
        # a reading where f is nan everywhere (var of one number) says little: others first
        if np.isfinite(out.data).any():
            return "finite"
        evaluated = "nan"
    return evaluated


def _vector_matmul(output: Tensor) -> bool:
    return any(t.op is not None and t.op.name == "matmul"
               and all(np.ndim(getattr(a, "data", a)) == 1 for a in t.inputs)
               for t in toposort(output, everything=True))


def _fresh(session: Session) -> Session:
    return Session(limits=session.limits, seed=session.seed)


def _record(formula: Formula, shapes: Mapping[str, tuple[int, ...]],
            values: Mapping[str, np.ndarray] | None, chosen: Sequence[str], session: Session
            ) -> tuple[Tensor, dict[str, Tensor], Session]:
    """f on leaf tensors: at `values` (a program: they choose its path), or at generic samples
    of `shapes`, from the first range where every value f computes is finite; and the session
    that ran it (what it drew)."""
    attempts: list[dict[str, np.ndarray]] = []
    if values is not None:
        attempts.append({n: np.asarray(v, dtype=np.float64) for n, v in values.items()})
    else:
        for low, high in SAMPLE_RANGES:
            attempts.append(dict(zip(shapes, generic_samples(list(shapes.values()), low, high))))
    found = None
    for sample in attempts:
        leaves = {n: make_leaf(v) for n, v in sample.items()}
        for name in chosen:
            leaves[name].requires_grad_()
        ran = session if values is not None else _fresh(session)
        output = evaluate(formula, leaves, np.float64, ran)
        found = found or (output, leaves, ran)
        if all(np.all(np.isfinite(t.data)) for t in toposort(output, everything=True)
               if t.data.dtype.kind == "f"):
            return output, leaves, ran
    assert found is not None
    return found


@dataclass(frozen=True, eq=False)
class Expressions:
    """The derivatives as simplified expressions, before they are written out."""

    chosen: tuple[str, ...]
    shapes: dict[str, tuple[int, ...]]
    inferred: bool
    sized: bool  # inferred shapes, and the derivative reads differently at other lengths
    session: Session
    output: Tensor
    leaves: dict[str, Tensor]
    derived: Derived
    exprs: tuple[Expr, ...]


def expressions(formula: Formula, point: Point | None = None, wrt: Sequence[str] | None = None,
                order: int = 1, limits: Limits | None = None, seed: int | None = None
                ) -> Expressions:
    """The derivatives of order `order` with respect to `wrt` (all variables by default), as
    simplified expressions; with a `point`, read at its shapes (a program: at its values, which
    choose the path); without, at the lowest ranks under which the formula evaluates."""
    at = point.at if point is not None else None
    # A random draw in f becomes a number in its derivative: the seed is chosen here, so that
    # every reading of f draws the same numbers and the answer can say which seed gives them.
    session = point.session() if point is not None else Session(
        limits=limits or Limits(),
        seed=seed if seed is not None else int.from_bytes(os.urandom(4), "little"))
    chosen = (point or Point(formula, {})).chosen(wrt)
    if not 1 <= order <= MAX_ORDER:
        raise InputError(f"--order {order}: give an order from 1 to {MAX_ORDER}",
                         kind="bad-option")
    count = math.comb(len(chosen) + order - 1, order)
    if count > MAX_PARTIALS:
        raise InputError(f"--order {order} with {len(chosen)} variables has {count} partial "
                         f"derivatives; the limit is {MAX_PARTIALS}", kind="bad-option",
                         hint="choose fewer variables with --wrt")
    if formula.is_program and at is None:
        raise InputError("a program's derivative is that of the path its branches and loops "
                         "take, which depends on the values: give them with --at",
                         kind="needs-at", hint="for example --at a=0.5")
    shapes = infer_shapes(formula, session) if at is None else \
        {n: np.shape(v) for n, v in at.items()}
    output, leaves, ran = _record(formula, shapes, at if formula.is_program else None, chosen,
                                  session)
    if output.data.dtype.kind != "f":
        raise ComputeError(f"the output is {output.data.dtype.name} (a comparison?) and has "
                           "no derivative", kind="not-differentiable", source=formula.source,
                           start=0, end=len(formula.source))
    try:
        derived = derive(output, leaves, chosen, order)
    except NotIndexFree as error:
        raise ComputeError(f"{error}; adcli hessian gives its numbers at a point",
                           kind="no-formula") from None
    except NoFormula as error:
        raise ComputeError(f"{error}; adcli grad gives the derivative's value at a point",
                           kind="no-formula") from None
    exprs = [simplify(p.expr) for p in derived.partials]
    if point is not None:  # the shapes are the user's: arrays of ones can be written out
        exprs = [explicit_ones(e) for e in exprs]
    sized = at is None and any(shapes.values()) and _depends_on_lengths(
        formula, shapes, chosen, order, session, exprs)
    return Expressions(tuple(chosen), shapes, at is None, sized, ran, output, leaves,
                       derived, tuple(exprs))


def _depends_on_lengths(formula: Formula, shapes: Mapping[str, tuple[int, ...]],
                        chosen: Sequence[str], order: int, session: Session,
                        exprs: Sequence[Expr]) -> bool:
    """Whether the derivative, read at samples of other lengths, reads differently: then it
    holds for the sample's lengths only (an index, a count a rule computed in Python)."""
    other = {n: tuple(d + 1 for d in s) for n, s in shapes.items()}
    try:
        output, leaves, _ = _record(formula, other, None, chosen, session)
        again = derive(output, leaves, chosen, order)
    except (AdcliError, NoFormula):
        return True
    try:
        texts = [short_text(e, limit=5_000) for e in exprs]
    except PrintError:
        return False  # no formula to write: refused where it is written, with the reason
    try:
        return texts != [short_text(simplify(p.expr), limit=5_000) for p in again.partials]
    except PrintError:
        return True


def derivative(formula: Formula, point: Point | None = None, wrt: Sequence[str] | None = None,
               order: int = 1, steps: bool = False, limits: Limits | None = None,
               seed: int | None = None) -> Derivative:
    """The derivatives as formulas in adcli's language (see `expressions`), their LaTeX, where
    they hold, their values at the point, and with `steps` the derivation rule by rule."""
    try:
        return _derivative(formula, point, wrt, order, steps, limits, seed)
    except PrintError as error:  # a part (a note, a step, a shared name) with no notation
        raise _no_notation(error) from None


def _no_notation(error: PrintError) -> ComputeError:
    return ComputeError(f"the derivative has no formula adcli can write: {error}",
                        kind="no-formula",
                        hint="adcli grad and adcli jacobian give its numbers at a point")


def _derivative(formula: Formula, point: Point | None, wrt: Sequence[str] | None, order: int,
                steps: bool, limits: Limits | None, seed: int | None) -> Derivative:
    found = expressions(formula, point, wrt, order, limits, seed)
    exprs, derived = list(found.exprs), found.derived
    texts = _written(exprs, to_text)
    taken = set(formula.variables)
    long = any(t is None or len(t) > LONG for t in texts)
    shared = share(exprs, taken) if long else None
    shared_latex = share(exprs, taken, lambda names: LatexPrinter(shared=names)) if long else None
    notes = (*domain.conditions([derived.formula, *exprs]), *domain.kinks(derived.formula),
             *domain.guard_notes(derived.guards))
    latex = _written(exprs, to_latex)
    partials = tuple(Partial(p.wrt, text, tex, operations(e),
                             _value(text, shared, i, point) if point is not None else None)
                     for i, (p, e, text, tex) in enumerate(zip(derived.partials, exprs, texts,
                                                               latex)))
    found_steps = _steps(formula, found.output, found.leaves, found.chosen, found.shapes) \
        if steps else ()
    run = Run.of(found.session, point, seed_given=seed is not None)
    return Derivative(formula, point, run, found.chosen, order, tuple(found.shapes.items()),
                      found.inferred, found.sized, found.output.data.shape != (), partials,
                      shared,
                      shared_latex, notes, found_steps, operations(simplify(derived.formula)))


WRITTEN_OUT = 200_000  # characters: longer derivatives are given with their parts named


def _written(exprs: Sequence[Expr], write: Callable[..., str]) -> list[str | None]:
    """Each expression written out; None where it would pass WRITTEN_OUT characters (a node
    is at least one character, so a tree that large is not even tried)."""
    out: list[str | None] = []
    for e in exprs:
        if e.size > WRITTEN_OUT:
            out.append(None)
            continue
        try:
            out.append(write(e, limit=WRITTEN_OUT))
        except TooLong:
            out.append(None)
        except PrintError as error:
            raise _no_notation(error) from None
    return out


def _value(text: str | None, shared: Shared | None, index: int, point: Point) -> np.ndarray:
    """The derivative's formula evaluated at the point, as `adcli eval` would; one too long to
    write out is evaluated from its shared form, a definition at a time (it is a program)."""
    env = {n: make_leaf(np.asarray(v, dtype=point.dtype)) for n, v in point.at.items()}
    if text is None:
        assert shared is not None
        for name, definition in shared.definitions:
            env[name] = evaluate(parse(definition), env, point.dtype)
        text = shared.texts[index]
    value = np.array(evaluate(parse(text), env, point.dtype).data)
    value.flags.writeable = False
    return value


def _steps(formula: Formula, output: Tensor, leaves: dict[str, Tensor],
           chosen: Sequence[str], shapes: Mapping[str, tuple[int, ...]]
           ) -> tuple[Derivation, ...]:
    """Forward, rule by rule, where the variables are numbers (the calculus table's way);
    backward, as backpropagation sends the adjoint, where one is an array."""
    names = {id(t): n for n, t in leaves.items()}
    with al.shape_sources([al.var(n, s) for n, s in shapes.items()]):
        nodes = toposort(output, everything=True)
        # the formula's own nodes: a `detach` among them is the user's, and stays
        conversion = Conversion({id(t): al.var(n, np.shape(t.data)) for n, t in leaves.items()},
                                keep=frozenset(id(t) for t in nodes))
        texts = {id(t): operand(t, formula, names) for t in nodes}
        if all(shapes[n] == () for n in chosen):
            found = []
            for name in chosen:
                for other, leaf in leaves.items():
                    leaf.requires_grad = other == name
                again = evaluate(formula, leaves, np.float64, Session())
                nodes = toposort(again, everything=True)
                conversion.keep = conversion.keep | {id(t) for t in nodes}
                conversion.alive.extend(nodes)
                texts.update({id(t): operand(t, formula, names) for t in nodes})
                found.append(derivation(again, leaves, name, conversion,
                                        {k: v[0] for k, v in texts.items()}))
            return tuple(found)
        seed = make_leaf(np.ones_like(output.data))
        conversion.names[id(seed)] = al.num(1, np.shape(output.data))
        conversion.alive.append(seed)
        return (backpropagation(output, seed, conversion, texts),)


_ = multi_indices
