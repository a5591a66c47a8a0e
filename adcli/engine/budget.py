"""What a computation may take: the memory its tape holds, and the work of passes repeated once
per element (forward mode's one pass per input, reverse mode's one backward pass per output,
finite differences' two evaluations per input).

Both are measured, not guessed. `apply` adds each recorded value's bytes to a counter; when
the counter passes the cap, the live tape is counted exactly (values dropped since, such as a
loop variable's old value in eval, no longer count) and only a live tape over the cap is
refused. A pass's work is the elements its primitives produced plus a fixed cost per primitive
call; `metered` measures the first pass and refuses the rest when all of them together would
exceed the cap, before the expensive part starts.

The caps are off (None) unless someone sets them: the command line does, the Python API does not.
"""

from __future__ import annotations

import gc
from typing import Iterable, Iterator, TypeVar

import numpy as np

from adcli.engine.errors import TapeLimitError, WorkLimitError
from adcli.engine.state import STATE

T = TypeVar("T")

# A primitive's fixed cost (Python dispatch, numpy's call overhead: about 10 µs) in element
# operations (about 10 ns each, allocation included), so that a pass of many tiny operations
# is not taken for free.
CALL_WORK = 1000


def amount(number: float) -> str:
    """A count for a message: 4,096 or 4.1e+12."""
    return f"{number:,.0f}" if number < 1e7 else f"{number:.2g}"


def size(nbytes: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f} {unit}"
    return f"{nbytes:.0f} bytes"


def work() -> int:
    """The work done so far in this process, in element operations."""
    return STATE.elements + CALL_WORK * STATE.calls


def metered(items: Iterable[T], count: int, passes: str, each: int | None = None
            ) -> Iterator[T]:
    """`items`, one per pass of `count`: a WorkLimitError if `count` such passes would do more
    than STATE.max_work element operations: judged before the first pass by `each` (an estimate
    of a pass's work, when there is one), and after it by what the first pass took. `passes` names them
    for the message ("forward passes")."""
    if each is not None:
        check_passes(count, each, passes)
    start = work()
    for i, item in enumerate(items):
        if i == 1:  # the estimate may have been low: the first pass is a measurement
            check_passes(count, work() - start, passes)
        yield item


def check_passes(count: int, each: int, passes: str) -> None:
    """A WorkLimitError if `count` passes of `each` element operations exceed the cap."""
    each = max(each, 1)
    if STATE.max_work is not None and each * count > STATE.max_work:
        raise WorkLimitError("passes", (
            f"{amount(count)} {passes} × {amount(each)} element operations = "
            f"{amount(each * count)}; the limit is {amount(STATE.max_work)}"))


def new_tape() -> None:
    """Start counting a new tape (an evaluation starts one): what earlier ones left alive, in
    this process, is not its memory."""
    STATE.tape += 1
    STATE.recorded_bytes = 0


def live_tape_bytes() -> int:
    """The bytes held by the values of the current tape's tensors that are alive now (a view
    counts its base once)."""
    from adcli.engine.tensor import Tensor  # tensor.py calls this module from apply

    seen: set[int] = set()
    total = 0
    for obj in gc.get_objects():
        if type(obj) is not Tensor or obj.tape != STATE.tape:
            continue
        data = obj.data
        base = data.base if isinstance(data.base, np.ndarray) else data
        if id(base) not in seen:
            seen.add(id(base))
            total += base.nbytes
    return total


def check_tape() -> None:
    """Called when the bytes recorded since the last count pass the cap: count what is alive,
    and refuse only if that is over the cap too."""
    limit = STATE.max_tape_bytes
    if limit is None:
        return
    live = live_tape_bytes()
    STATE.recorded_bytes = live
    if live > limit:
        raise TapeLimitError("tape", (
            f"the values kept for the backward pass (the tape) would hold {size(live)}; the "
            f"limit is {size(limit)}"))
