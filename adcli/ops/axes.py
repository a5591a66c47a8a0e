"""Which axes an operation may name, by torch's rule: -ndim ≤ axis < ndim, and a 0-d value
has the axes -1 and 0 (reducing it over either gives the value itself, so they become None:
the whole, which for a 0-d value is the same thing)."""

from __future__ import annotations

from typing import Any

from adcli.engine.errors import OpError


def normalize_axis(axis: int | None, ndim: int, op: str) -> int | None:
    """`axis` as a number from 0 to ndim-1 (None for a 0-d value); OpError if out of range."""
    if axis is None:
        return None
    if ndim == 0:
        if axis in (-1, 0):
            return None
        raise OpError(op, f"axis {axis} is out of range for a 0-d value (it has the axes -1 and 0, "
                          "as in torch)")
    if not -ndim <= axis < ndim:
        raise OpError(op, f"axis {axis} is out of range for a {ndim}-d value "
                          f"(axes {-ndim} to {ndim - 1})")
    return axis % ndim


def normalize_axes(axes: Any, ndim: int, op: str,
                   scalar_axes: bool = True) -> int | tuple[int, ...] | None:
    """One axis or a list of them, each checked; a repeated axis is refused, as in torch.
    Without `scalar_axes` a 0-d value has no axis at all (torch's roll)."""
    if ndim == 0 and not scalar_axes:
        raise OpError(op, f"{op} along an axis needs an array; a 0-d value has no axes")
    if isinstance(axes, int):
        return normalize_axis(axes, ndim, op)
    out = [normalize_axis(a, ndim, op) for a in axes]
    if ndim == 0:
        return None
    if len(set(out)) != len(out):
        raise OpError(op, f"axes {list(axes)} name the same axis twice")
    return tuple(a for a in out if a is not None)


# How a registry entry says that its `axis` is named in calls (`sum(x, axis=0)`, or torch's
# `dim=0`) and checked against its first input.
AXIS_KEYWORD: dict[str, Any] = {"keywords": ("axis",), "kinds": {"axis": "axis"}}
