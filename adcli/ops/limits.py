"""How large an array adcli builds, checked before the memory is taken: a typo such as `0..1e12`,
`ones(2e4) * transpose([ones(2e4)])` (a 2e4 × 2e4 broadcast) or `A @ A` of a 10⁴ × 10⁴ matrix
is refused at once instead of eating the machine's memory or running for an hour.

Every size that comes from the user (a constructor's arguments, a range's ends, an axis) is
checked here first, so that numpy never sees a nan, an infinity or a 10³⁰⁰ where it wants an
integer. The limits are module settings: the command line may raise them (README, Limits).
"""

from __future__ import annotations

import math
from typing import Sequence

from adcli.engine.budget import amount
from adcli.engine.errors import OpError, SizeLimitError
from adcli.engine.state import STATE

MAX_ELEMENTS = 100_000_000  # 800 MB in float64
MAX_DIMENSIONS = 32  # numpy's own limit is 64; torch's is 25
# A multiply-add inside BLAS costs about a hundredth of an element operation of the engine's
# (engine/budget.py), so one matrix product may take 100 × the work limit in multiply-adds:
# 2·10¹⁰ (seconds) on the command line, where a 10⁴ × 10⁴ square takes 10¹² (minutes, and not
# even --timeout stops numpy in the middle). The Python API, which has no work limit, has this.
MULTIPLY_ADD = 0.01
MAX_PRODUCT_WORK = 1_000_000_000  # 10¹¹ multiply-adds


def check_size(count: float, what: str) -> int:
    if not math.isfinite(count) or count > MAX_ELEMENTS:
        raise SizeLimitError(what, f"{what} would have {count:.4g} elements; "
                                   f"the limit is {MAX_ELEMENTS:,}")
    return max(int(count), 0)


def check_shape(sizes: Sequence[float], what: str) -> tuple[int, ...]:
    """Sizes given as numbers (`ones(n, m)`, `randn(3)`): whole, >= 0, not too many, and no
    product over the limit. Zeros do not hide a huge size: zeros(0, 1e10, 1e10) is refused
    too, since numpy itself cannot describe that shape."""
    if len(sizes) > MAX_DIMENSIONS:
        raise SizeLimitError(what, f"{what}: {len(sizes)} sizes, but an array has at most "
                                   f"{MAX_DIMENSIONS} dimensions")
    for s in sizes:
        if not math.isfinite(s) or s != math.floor(s) or s < 0:
            raise OpError(what, f"{what}: sizes must be whole numbers >= 0, not {s:g}")
    label = f"{what}({', '.join(f'{s:.0f}' if s < 1e15 else f'{s:g}' for s in sizes)})"
    nonzero = math.prod(s for s in sizes if s != 0)
    if 0 not in sizes:
        check_size(nonzero, label)
    elif nonzero > MAX_ELEMENTS:
        raise SizeLimitError(what, f"{label}: the sizes besides the 0 multiply to "
                                   f"{nonzero:.4g}; the limit is {MAX_ELEMENTS:,}")
    return tuple(int(s) for s in sizes)


def broadcast_shape(shapes: Sequence[tuple[int, ...]]) -> tuple[int, ...] | None:
    """The shape numpy's broadcasting gives these shapes, or None when they do not broadcast."""
    out: list[int] = []
    for position in range(1, max((len(s) for s in shapes), default=0) + 1):
        sizes = {s[-position] for s in shapes if len(s) >= position} - {1}
        if len(sizes) > 1:
            return None
        out.append(sizes.pop() if sizes else 1)
    return tuple(reversed(out))


def check_broadcast(shapes: Sequence[tuple[int, ...]], what: str) -> None:
    """An element-wise operation's result must fit too: [x] * transpose([x]) is len(x)² elements."""
    if math.prod(math.prod(s) for s in shapes) <= MAX_ELEMENTS:
        return  # no broadcast of these can be larger than the product of their sizes
    shape = broadcast_shape(shapes)
    if shape is not None:
        check_size(math.prod(shape), f"{what} of shapes {' and '.join(map(str, shapes))}")


def check_stack(count: int, shape: tuple[int, ...], what: str = "the literal") -> None:
    if len(shape) + 1 > MAX_DIMENSIONS:
        raise SizeLimitError(what, f"{what} would have {len(shape) + 1} dimensions; an array "
                                   f"has at most {MAX_DIMENSIONS}")
    check_size(count * math.prod(shape), f"{what} of {count:,} items of shape {shape}")


def check_matmul(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    """The size of a @ b, and its multiply-adds, before numpy starts (a product cannot be
    stopped half-way, not even by --timeout)."""
    if len(a) == 0 or len(b) == 0 or a[-1] != (b[0] if len(b) == 1 else b[-2]):
        return  # numpy says what is wrong with the shapes
    rows = a[-2:-1] if len(a) > 1 else ()
    columns = b[-1:] if len(b) > 1 else ()
    batch = broadcast_shape([a[:-2], b[:-2]])
    if batch is None:
        return
    check_size(math.prod(batch + rows + columns), f"the product of shapes {a} and {b}")
    multiply_adds = math.prod(batch + rows + columns) * a[-1]
    work = math.ceil(multiply_adds * MULTIPLY_ADD)
    limit = STATE.max_work if STATE.max_work is not None else MAX_PRODUCT_WORK
    if work > limit:
        raise SizeLimitError("matmul", f"the product of shapes {a} and {b} takes "
                                       f"{amount(multiply_adds)} multiply-adds; the limit is "
                                       f"{amount(limit / MULTIPLY_ADD)}")
    STATE.elements += work  # its cost, for the passes that repeat it (engine/budget.py)
