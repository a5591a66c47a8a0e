"""The limits of a run, and how to raise them (README, "Limits").

Per run, on the command line: `--timeout SECONDS` (the wall clock) and `--max-steps N`. Per
machine, in the environment, read at the start of every command: ADCLI_MAX_ELEMENTS (the
largest array), ADCLI_MAX_TAPE (bytes the tape may hold), ADCLI_MAX_WORK (element operations
of a derivative's repeated passes), ADCLI_MAX_INPUT (characters of a formula, a program, a
line of --each or --at -) and ADCLI_MAX_ITERATIONS (loop iterations of a program, all loops
together).

Nothing here imports numpy until a command runs (`apply`), so `--help` and Tab stay fast.
"""

from __future__ import annotations

import math
import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from adcli.errors import InputError

# A program can loop: 10 s is many times what any example or test program needs, and short
# enough that a runaway loop is noticed at once. A formula cannot loop: its text is bounded by
# the input limit, its arrays by the element limit and its repeated passes by the work limit,
# all checked before the work starts, so it always ends without a clock. A default clock could
# then only cut a legitimate computation because the machine is slow or busy (a trace of a
# 10,000-node formula takes over a minute on a loaded 2-core runner): formulas have none unless
# --timeout asks for one.
PROGRAM_TIMEOUT = 10.0
FORMULA_TIMEOUT = None


@dataclass(frozen=True)
class Settings:
    max_elements: int = 100_000_000  # 800 MB in float64
    max_tape: int = 4_000_000_000  # bytes
    max_work: int = 200_000_000  # element operations (about 10 ns each): a few seconds
    max_input: int = 2_000_000  # characters
    max_iterations: int = 100_000


VARIABLES = {
    "ADCLI_MAX_ELEMENTS": "max_elements",
    "ADCLI_MAX_TAPE": "max_tape",
    "ADCLI_MAX_WORK": "max_work",
    "ADCLI_MAX_INPUT": "max_input",
    "ADCLI_MAX_ITERATIONS": "max_iterations",
}


def settings() -> Settings:
    """The defaults, with what the environment raises (or lowers)."""
    chosen = {}
    for variable, field in VARIABLES.items():
        text = os.environ.get(variable, "").strip()
        if not text:
            continue
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and number >= 1 and number == math.floor(number)):
            raise InputError(f"{variable}={text!r}: expected a whole number >= 1, such as 1e9",
                             kind="bad-environment")
        chosen[field] = int(number)
    return Settings(**chosen)


_current = Settings()


def current() -> Settings:
    """The settings the running command applied."""
    return _current


def apply() -> Settings:
    """Set the limits of the layers below for this run (every command calls this first)."""
    from adcli.engine.state import STATE
    from adcli.language import parser
    from adcli.ops import limits

    global _current
    chosen = _current = settings()
    limits.MAX_ELEMENTS = chosen.max_elements
    STATE.max_tape_bytes = chosen.max_tape
    STATE.max_work = chosen.max_work
    parser.MAX_FORMULA_LENGTH = chosen.max_input
    STATE.reset()
    return chosen


@contextmanager
def applied() -> Iterator[Settings]:
    """`apply` for one command, and the layers' limits as they were afterwards (the interactive
    session and the tests run many commands in one process, beside the Python API, whose caps
    are off)."""
    from adcli.engine.state import STATE
    from adcli.language import parser
    from adcli.ops import limits

    saved = (limits.MAX_ELEMENTS, STATE.max_tape_bytes, STATE.max_work, parser.MAX_FORMULA_LENGTH)
    try:
        yield apply()
    finally:
        (limits.MAX_ELEMENTS, STATE.max_tape_bytes, STATE.max_work,
         parser.MAX_FORMULA_LENGTH) = saved


def timeout(seconds: float | None, program: bool) -> float | None:
    """--timeout as given (0: none), or the default for a program (none for a formula)."""
    if seconds is None:
        return PROGRAM_TIMEOUT if program else FORMULA_TIMEOUT
    if math.isnan(seconds) or seconds < 0:
        raise InputError(f"--timeout {seconds:g}: give seconds >= 0 (0: no limit)",
                         kind="bad-option")
    return None if seconds == 0 or math.isinf(seconds) else seconds
