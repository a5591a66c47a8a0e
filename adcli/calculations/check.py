"""`adcli check`: the automatic derivative against central finite differences.

Like torch.autograd.gradcheck and JAX's check_grads, the whole Jacobian (by reverse or forward
mode) is compared with (f(x + h·e_k) - f(x - h·e_k)) / 2h, one column per input element k. The
step depends on the dtype: h = ε^(1/3)·max(1, |x_k|), which balances the central difference's
truncation error (∝ h²) against rounding (∝ ε/h). An entry passes when
|automatic - numeric| <= atol + rtol·|numeric| (torch's gradcheck defaults in float64), or when
both are the same nan or infinity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from adcli.calculations.matrices import jacobian_of
from adcli.calculations.objective import Objective, computing
from adcli.calculations.point import Answer, Point
from adcli.engine import no_grad
from adcli.engine.budget import metered
from adcli.errors import ComputeError, InputError

SMALLER = "check at a point with fewer elements, or --wrt fewer variables"
TOLERANCES = {"float64": (1e-3, 1e-5), "float32": (1e-2, 1e-3)}  # (rtol, atol)


@dataclass(frozen=True)
class Entry:
    """One entry of the Jacobian: ∂f[output]/∂variable[input]."""

    variable: str
    output: tuple[int, ...]
    input: tuple[int, ...]
    automatic: float
    numeric: float
    relative_error: float  # |automatic - numeric| / max(|automatic|, |numeric|)


@dataclass(frozen=True, eq=False)
class Check(Answer):
    wrt: tuple[str, ...]
    mode: str
    step: float  # h = step·max(1, |x_k|)
    rtol: float
    atol: float
    entries: int
    failures: int
    worst: Entry | None  # the entry closest to failing (or failing by the most)

    @property
    def passed(self) -> bool:
        return self.failures == 0


def check(point: Point, wrt: Sequence[str] | None = None, mode: str = "reverse",
          rtol: float | None = None, atol: float | None = None) -> Check:
    default_rtol, default_atol = TOLERANCES[point.dtype.name]
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    if not (rtol >= 0 and atol >= 0):
        raise InputError("--rtol and --atol must be numbers >= 0", kind="bad-option")
    objective = Objective(point, wrt)
    at = point.at
    automatic = jacobian_of(objective, mode, SMALLER)
    step = float(np.finfo(point.dtype).eps ** (1 / 3))
    failures = entries = 0
    worst, worst_ratio = None, -1.0
    for name in objective.wrt:
        with computing("the finite differences", SMALLER):
            numeric = central_differences(objective, name, step)
        auto = automatic.blocks[name]
        ratio = _ratios(auto, numeric, rtol, atol)
        failures += int(np.count_nonzero(ratio > 1))
        entries += ratio.size
        if ratio.size and ratio.max() > worst_ratio:
            row, column = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
            worst_ratio = float(ratio[row, column])
            a, n = float(auto[row, column]), float(numeric[row, column])
            worst = Entry(name, _index(row, objective.value.shape),
                          _index(column, at[name].shape), a, n, _relative(a, n))
    return Check(point, objective.value, objective.run, objective.wrt, mode, step, rtol, atol,
                 entries, failures, worst)


def central_differences(objective: Objective, name: str, step: float) -> np.ndarray:
    """∂f/∂name by central differences: rows are f's elements, columns the variable's."""
    f, x = objective.function(name), objective.point.at[name]
    columns = np.zeros((objective.value.size, x.size), dtype=objective.value.dtype)
    with no_grad(), np.errstate(all="ignore"):
        for k in metered(range(x.size), objective.inputs, "pairs of evaluations of f"):
            up, down = x.copy(), x.copy()
            h = step * max(1.0, abs(float(x.flat[k])))
            up.flat[k] += h
            down.flat[k] -= h
            above, below = np.asarray(f(up).data), np.asarray(f(down).data)
            for moved, value in ((up, above), (down, below)):
                if value.shape != objective.value.shape:  # arange(x): the shape follows x
                    raise _shape_follows(objective, name, moved.flat[k], value.shape)
            # Divide by the step actually taken: x ± h rounds, the difference is exact.
            columns[:, k] = (above - below).ravel() / (up.flat[k] - down.flat[k])
    return columns


def _shape_follows(objective: Objective, name: str, moved: float, shape: tuple[int, ...]
                   ) -> ComputeError:
    source = objective.point.formula.source
    return ComputeError(
        f"f has shape {objective.value.shape} at the point but {shape} where `{name}` is "
        f"{moved:.17g}: its shape follows {name}'s value, so finite differences cannot check it",
        kind="shape", source=source, start=0, end=len(source))


def _ratios(auto: np.ndarray, numeric: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """Each entry's distance as a fraction of what is allowed: above 1 fails."""
    with np.errstate(all="ignore"):
        same = (auto == numeric) | (np.isnan(auto) & np.isnan(numeric))
        ratio = np.abs(auto - numeric) / (atol + rtol * np.abs(numeric))
    return np.where(same, 0.0, np.where(np.isnan(ratio), np.inf, ratio))


def _index(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat, shape))


def _relative(a: float, n: float) -> float:
    if a == n or (np.isnan(a) and np.isnan(n)):
        return 0.0
    with np.errstate(all="ignore"):  # numpy's division: 0 against nan gives nan, not an error
        return float(np.abs(np.float64(a) - n) / np.fmax(abs(a), abs(n)))
