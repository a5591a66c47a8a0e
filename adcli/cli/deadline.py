"""The wall clock of a command (--timeout), and the signals that stop one (Ctrl-C, SIGTERM,
SIGHUP), as `Stopped` exceptions: reporting() turns them into one line (a JSON error under
--json) and the exit code, and the evaluator adds the line it was on.

SIGALRM interrupts Python between two bytecodes, not inside a numpy call: that is why sizes and
work are estimated before they start (ops/limits.py, engine/budget.py), and the clock is only
the last guard. It fires again every second after the first, in case something swallowed it.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from adcli.errors import Interrupted, Stopped

NAMES = {signal.SIGINT: ("interrupted", 130),
         signal.SIGTERM: ("terminated (SIGTERM)", 143)}
if hasattr(signal, "SIGHUP"):
    NAMES[signal.SIGHUP] = ("hung up (SIGHUP)", 129)

_ends_at: float | None = None  # time.monotonic() when the running command's clock runs out
_seconds: float | None = None  # the running clock's whole time


def remaining() -> float | None:
    """Seconds left on the clock (None: no limit), for the programs adcli waits for (dot)."""
    return None if _ends_at is None else max(_ends_at - time.monotonic(), 0.0)


def expired() -> Stopped:
    """The running clock's Stopped, for a wait that ran out on its own (Graphviz's)."""
    return timed_out(_seconds or 0.0)


def timed_out(seconds: float) -> Stopped:
    return Stopped(f"stopped after {seconds:g} s (--timeout)", kind="timeout", exit_code=1,
                   hint="give it more time with --timeout SECONDS (0: no limit)")


@contextmanager
def clock(seconds: float | None) -> Iterator[None]:
    """Raise Stopped (exit 1) in the main thread when `seconds` have passed."""
    global _ends_at, _seconds
    if seconds is None or not hasattr(signal, "setitimer") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise timed_out(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ends_at = _ends_at, time.monotonic() + seconds
    outer_seconds, _seconds = _seconds, seconds
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _ends_at, _seconds = outer, outer_seconds


def stop(signum: int, frame: Any = None) -> None:  # (the same words as adcli/__main__.py's)
    """The handler of SIGINT, SIGTERM and SIGHUP: stop where we are, with the signal's code."""
    words, code = NAMES.get(signum, (f"stopped by signal {signum}", 128 + signum))
    raise (Interrupted if signum == signal.SIGINT else Stopped)(words, kind="interrupted",
                                                                exit_code=code)


def install() -> None:
    """Handle the signals that end a run, so that they stop the command (reporting() then says
    one line), not Python with a traceback."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in NAMES:
        if signal.getsignal(signum) is not signal.SIG_IGN:  # nohup's SIG_IGN stays
            signal.signal(signum, stop)
