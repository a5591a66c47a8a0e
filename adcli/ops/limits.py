"""How large an array adcli builds. Checked before allocating, so a typo such as
`0..1e12` is refused at once instead of eating the machine's memory."""

from __future__ import annotations

import math

from adcli.engine.errors import SizeLimitError

MAX_ELEMENTS = 100_000_000  # 800 MB in float64


def check_size(count: float, what: str) -> int:
    if not math.isfinite(count) or count > MAX_ELEMENTS:
        raise SizeLimitError(what, f"{what} would have {count:.4g} elements; "
                                   f"the limit is {MAX_ELEMENTS:,}")
    return max(int(count), 0)
