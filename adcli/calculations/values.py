"""`eval` and `grad`: a point in, its value (and gradient) out.

A formula with a non-scalar output is differentiated as torch's `y.backward(ones_like(y))`
does: the gradient of sum(f), which the result says (`cotangent`). Where a value or a
gradient is nan or ±inf, `explain=True` finds where each first appeared, from the graph this
very run recorded (the formula is not evaluated again).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Callable, Mapping, Sequence

import numpy as np

from adcli.calculations.nonfinite import Origin
from adcli.calculations.point import Answer, Point, Run, frozen_array, frozen_own
from adcli.engine import Tensor, backward_pass, make_leaf
from adcli.errors import ComputeError, InputError
from adcli.language.evaluate import evaluate


@dataclass(frozen=True, eq=False)
class Evaluation(Answer):
    """`adcli eval`: the value of the formula at the point."""

    origins: tuple[Origin, ...] = ()  # where a nan or inf first appeared (with explain)

    @property
    def finite(self) -> bool:
        return _finite(self.value)


@dataclass(frozen=True, eq=False)
class Gradient(Answer):
    """`adcli grad`: the value, and the gradient of f (of sum(f) when f is not one number)."""

    wrt: tuple[str, ...]
    gradient: Mapping[str, np.ndarray]
    mode: str  # "reverse" or "forward"
    passes: int  # backward passes (reverse) or forward passes (forward mode)
    origins: tuple[Origin, ...] = ()
    given: np.ndarray | None = None  # the cotangent g of --cotangent: the gradient is gᵀJ

    @property
    def finite(self) -> bool:
        return _finite(self.value) and all(_finite(g) for g in self.gradient.values())

    @property
    def cotangent(self) -> np.ndarray | str | None:
        """The cotangent the output was contracted with: the one given (--cotangent), "ones"
        by default for an output of several numbers, None for one number."""
        if self.given is not None:
            return self.given
        return None if self.value.size == 1 else "ones"


def _finite(array: np.ndarray) -> bool:
    return array.dtype.kind not in "fc" or bool(np.isfinite(array).all())


# on_graph(output, leaves): shown the graph an evaluation recorded, before anything lets it go
OnGraph = Callable[[Tensor, Mapping[str, Tensor]], None]


def value(point: Point, explain: bool = False, on_graph: OnGraph | None = None) -> Evaluation:
    """The formula's value; with `explain`, where a nan or inf in it first appeared."""
    session = point.session()
    env = {name: make_leaf(array) for name, array in point.at.items()}
    output = evaluate(point.formula, env, point.dtype, session)
    if on_graph is not None:
        on_graph(output, env)
    result = frozen_array(output.data)
    origins: tuple[Origin, ...] = ()
    if explain and not _finite(result):
        from adcli.calculations.tape import describe

        origins = describe(point, output, env, session, backward=False).origins
    return Evaluation(point, result, Run.of(session, point), origins)


def leaves(point: Point, wrt: Sequence[str]) -> dict[str, Tensor]:
    """The variables as leaf tensors, those in `wrt` requiring grad."""
    return {name: make_leaf(array).requires_grad_(name in wrt)
            for name, array in point.at.items()}


def differentiable(point: Point, output: Tensor) -> None:
    if output.data.dtype.kind not in "fc":
        raise ComputeError(
            f"the output is {output.data.dtype.name} (a comparison?) and has no gradient",
            kind="not-differentiable", source=point.formula.source, start=0,
            end=len(point.formula.source),
        )


def gradient(point: Point, wrt: Sequence[str] | None = None, mode: str = "reverse",
             explain: bool = False, cotangent: np.ndarray | None = None,
             on_graph: OnGraph | None = None) -> Gradient:
    """Value and gradient by reverse mode (one backward pass) or forward mode (one forward
    pass per element of the variables): the gradient of sum(f), or with a `cotangent` g (shaped
    like f, or one number for all), of g·f — gᵀJ, torch's f.backward(g)."""
    if mode == "forward":
        return _forward_gradient(point, wrt, explain, cotangent)
    chosen = point.chosen(wrt)
    session = point.session()
    env = leaves(point, chosen)
    output = evaluate(point.formula, env, point.dtype, session)
    differentiable(point, output)
    if on_graph is not None:
        on_graph(output, env)
    value = frozen_own(output.data)
    # The graph is needed again only to explain a nan or an inf: kept when the value already has
    # one, let go during the backward pass otherwise (large arrays then peak several arrays
    # lower).
    keep = explain and not _finite(value)
    seed = seed_of(value.shape, value.dtype, cotangent)
    adjoints = (backward_pass(output, seed, release=not keep) if output.requires_grad else {})
    gradients = {name: gradient_of(env[name].data, adjoints.get(id(env[name]), (None, None))[1])
                 for name in chosen}
    del adjoints
    result = Gradient(point, value, Run.of(session, point), chosen,
                      MappingProxyType(gradients), "reverse", 1,
                      given=None if cotangent is None else frozen_array(seed))
    if explain and not result.finite:
        from adcli.calculations.tape import describe, record

        # with the graph let go (only the gradient is not finite), it is recorded again
        tape = describe(point, output, env, session, wrt=chosen) if keep \
            else record(point, chosen)
        result = replace(result, origins=tape.origins)
    return result


def seed_of(shape: tuple[int, ...], dtype: np.dtype, cotangent: np.ndarray | None) -> np.ndarray:
    """The cotangent a backward pass sends back from f's output (shaped `shape`): ones, as a
    broadcast view (the rules only read it), or the --cotangent given."""
    if cotangent is None:
        return np.broadcast_to(np.ones((), dtype), shape)
    return contracted(np.empty(shape, dtype), cotangent)


def contracted(value: np.ndarray, cotangent: np.ndarray | None) -> np.ndarray:
    """What f's output is contracted with: ones, or the --cotangent given (one number is
    taken for every element)."""
    if cotangent is None:
        return np.ones_like(value)
    given = np.asarray(cotangent, dtype=value.dtype)
    if given.shape != value.shape:
        if given.size != 1:
            raise InputError(f"--cotangent has shape {given.shape}, but f has shape "
                             f"{value.shape}: the cotangent is shaped like f", kind="bad-option",
                             hint="one number is taken for every element of f")
        given = np.full(value.shape, given.reshape(()), dtype=value.dtype)
    return given


def gradient_of(variable: np.ndarray, adjoint: object | None) -> np.ndarray:
    """A variable's gradient from the adjoint a backward pass left it: zero where none reached
    it (only under detach, say), spread to its shape where a rule left a broadcast."""
    if adjoint is None:
        return frozen_array(np.zeros_like(variable))
    adjoint = np.asarray(adjoint, dtype=variable.dtype)
    if adjoint.shape != variable.shape:
        return frozen_array(np.broadcast_to(adjoint, variable.shape))
    return frozen_own(adjoint)


def _forward_gradient(point: Point, wrt: Sequence[str] | None, explain: bool,
                      cotangent: np.ndarray | None) -> Gradient:
    """The same gradient as reverse mode (of sum(f), or g·f), one forward pass per input
    element: a column of the Jacobian each, contracted with the cotangent."""
    from adcli.calculations.objective import Objective, computing

    objective = Objective(point, wrt)
    seed = contracted(objective.value, cotangent)
    gradients = {}
    with computing("the gradient by forward mode",
                   "--mode reverse (the default) gets it from one backward pass"):
        for name in objective.wrt:
            flat = np.zeros(point.at[name].size, dtype=point.at[name].dtype)
            for k, column in objective.forward_columns(name):
                flat[k] = np.sum(seed * column)
            gradients[name] = frozen_array(flat.reshape(point.at[name].shape))
    result = Gradient(point, objective.value, objective.run, objective.wrt,
                      MappingProxyType(gradients), "forward", point.size(objective.wrt),
                      given=None if cotangent is None else frozen_array(seed))
    if explain and not result.finite:
        # forward mode has no backward pass to look into: where the value went bad
        result = replace(result, origins=value(point, explain=True).origins)
    return result
