"""What every calculation takes: a formula (or program) and the values of its variables.

A `Point` is made once per question (`at_point`: parse, then bind `--at`) and never changes;
each evaluation of it runs in a fresh `Session` that replays the same random draws, so that a
gradient's backward pass, forward mode's passes and the finite differences of `check` all
evaluate one and the same function. `Run` is what one evaluation did that the answer shows:
the random draws, their seed, and the path a program took.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from adcli.errors import InputError
from adcli.language.evaluate import Limits, Session
from adcli.language.parser import Formula, parse

FLOAT64 = np.dtype(np.float64)
DTYPES = {"float64": FLOAT64, "float32": np.dtype(np.float32)}


def frozen_array(value: Any, dtype: Any = None) -> np.ndarray:
    """A read-only copy of the value."""
    array = np.array(value, dtype=dtype) if dtype is not None else np.array(value)
    array.flags.writeable = False
    return array


def frozen_own(array: np.ndarray) -> np.ndarray:
    """An array this calculation made, frozen where it is (a copy would cost a large array's
    size again); a view of someone else's array is copied."""
    if array.base is not None or not array.flags.owndata:
        return frozen_array(array)
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class Run:
    """What one evaluation drew and did, for the answer to show."""

    seed: int | None  # of the random draws, when there were any (or --seed was given)
    draws: tuple[tuple[str, np.ndarray], ...]  # randn/rand inside the formula, in order
    path: tuple[str, ...]  # the branches a program took and how often its loops ran

    @classmethod
    def of(cls, session: Session, point: Point | None, seed_given: bool = False) -> Run:
        """What `session` drew and did; without a point (adcli diff reading f at samples),
        `seed_given` says whether --seed chose the session's seed."""
        drew = session.rng is not None  # a draw in --at or in the formula
        seed = point.seed if point is not None else session.seed
        given = point.seed_given if point is not None else seed_given
        return cls(seed if drew or given else None,
                   tuple((name, frozen_array(value)) for name, value in session.draws.items()),
                   tuple(session.notes))


@dataclass(frozen=True, eq=False)
class Point:
    """A formula or program, the values of its variables, and how to run it."""

    formula: Formula
    at: Mapping[str, np.ndarray]  # read-only arrays, in the order --at gave them
    dtype: np.dtype = FLOAT64
    limits: Limits = field(default_factory=Limits)
    # Every evaluation draws from a generator with this seed, so it is chosen once, here, when
    # --seed does not give it (shown only when something was drawn).
    seed: int = 0
    seed_given: bool = False
    # The random generator as the --at values left it (None: nothing was drawn yet), so that
    # every evaluation draws what the first one drew.
    generator: dict[str, Any] | None = None

    def session(self) -> Session:
        """A fresh run of this point: same limits, same seed, the same draws."""
        session = Session(limits=self.limits, seed=self.seed)
        if self.generator is not None:
            session.rng = np.random.default_rng()
            session.rng.bit_generator.state = copy.deepcopy(self.generator)
        return session

    def size(self, names: Sequence[str]) -> int:
        """How many numbers the variables `names` hold together."""
        return sum(self.at[name].size for name in names)

    def chosen(self, wrt: Sequence[str] | None) -> tuple[str, ...]:
        """The variables to differentiate with respect to: --wrt's, or all of the formula's."""
        formula = self.formula
        if not formula.variables:
            raise InputError("the formula has no variables to differentiate with respect to",
                             kind="no-variables", source=formula.source, start=0, end=0,
                             hint="use `adcli eval` for a constant formula")
        chosen = tuple(dict.fromkeys(wrt)) if wrt else formula.variables
        for name in chosen:
            if name not in formula.variables:
                raise InputError(f"--wrt {name}: the formula has no variable `{name}` "
                                 f"(its variables: {', '.join(formula.variables)})",
                                 kind="bad-wrt")
        return chosen


def at_point(text: str, at: Sequence[str] = (), *, program: bool = False,
             name: str | None = None, **binding: Any) -> Point:
    """Parse the formula (or program) and bind the `--at` specs to its variables (`binding`:
    bind_point's options)."""
    formula = parse(text, program=program)
    formula.name = name
    return bind_point(formula, at, **binding)


def bind_point(
    formula: Formula,
    at: Sequence[str] = (),
    *,
    dtype: np.dtype = FLOAT64,
    limits: Limits | None = None,
    seed: int | None = None,
    read_stdin: Callable[[], str] = lambda: "",
    given: Mapping[str, np.ndarray] | None = None,
) -> Point:
    """A parsed formula at the point `--at` (and `given`) describe."""
    from adcli.calculations.inputs import bind

    limits = limits or Limits()
    # os.urandom, as SeedSequence would: numpy.random is imported only when something is drawn
    chosen = seed if seed is not None else int.from_bytes(os.urandom(4), "little")
    session = Session(limits=limits, seed=chosen)
    values = bind(at, formula.variables, dtype, read_stdin, session, given=given)
    state = None if session.rng is None else copy.deepcopy(session.rng.bit_generator.state)
    theirs = {id(value) for value in (given or {}).values()}  # the caller's: copied
    return Point(formula, MappingProxyType({
        name: frozen_array(value, dtype) if id(value) in theirs or value.dtype != dtype
        else _frozen_made(value) for name, value in values.items()}),
        dtype, limits, chosen, seed is not None, state)


def _frozen_made(array: np.ndarray) -> np.ndarray:
    """A value --at made, frozen where it is. A view too: what it views was made by the same
    evaluation and nothing else holds it (linspace's result is a view of a temporary), so a
    copy would only cost its size again (80 MB at n = 10^7)."""
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class Answer:
    """What every answer holds: the question, the formula's value, and what the run did."""

    point: Point
    value: np.ndarray
    run: Run
