"""The errors a user can see, and their exit codes (DESIGN.md, "Errors and exit codes").

2 — the input is wrong: it cannot be parsed, names something unknown, or an option is bad.
1 — the input is well-formed but cannot be computed: shapes that do not match, a size limit.
Each error knows the text it is about and the span in it, so views can draw a caret.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class AdcliError(Exception):
    message: str
    kind: str = "error"
    source: str | None = None  # the formula (or the --at value) the error is about
    start: int | None = None
    end: int | None = None
    hint: str | None = None
    exit_code: int = 1

    def __str__(self) -> str:
        return self.message


class InputError(AdcliError):
    """Exit 2: the user must change what they typed."""

    def __init__(self, message: str, kind: str = "input", **where: object) -> None:
        super().__init__(message, kind, exit_code=2, **where)  # type: ignore[arg-type]


class ComputeError(AdcliError):
    """Exit 1: the formula is fine, but this computation cannot be done."""

    def __init__(self, message: str, kind: str = "compute", **where: object) -> None:
        super().__init__(message, kind, exit_code=1, **where)  # type: ignore[arg-type]


EXIT_OK = 0
EXIT_COMPUTE = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


class Stopped(BaseException):
    """The run was stopped from outside the computation: --timeout (exit 1), or a signal (exit
    128 + its number: 130 for Ctrl-C). A BaseException, like KeyboardInterrupt, so that no
    `except Exception` on the way swallows it; the evaluator adds where it was (`locate`)."""

    def __init__(self, message: str, kind: str, exit_code: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.kind, self.exit_code, self.hint = message, kind, exit_code, hint
        self.source: str | None = None
        self.start: int | None = None
        self.end: int | None = None

    def locate(self, where: str, source: str, start: int, end: int) -> None:
        """Say what was running when it stopped (the innermost evaluation says it first)."""
        if self.source is None:
            self.message = f"{self.message}, {where}"
            self.source, self.start, self.end = source, start, end

    def error(self) -> AdcliError:
        return AdcliError(self.message, self.kind, self.source, self.start, self.end, self.hint,
                          self.exit_code)


class Interrupted(Stopped, KeyboardInterrupt):
    """Ctrl-C: a Stopped to adcli's reporting (which says where it was), and a KeyboardInterrupt
    to code that already handles one (the interactive session goes back to its prompt)."""
