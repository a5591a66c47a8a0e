"""One session: its names, its settings, and what each statement typed does.

A statement is a session command (`:vars`), a CLI command (`grad f --wrt x`, see commands.py),
or the language itself (see statements.py): an assignment, a `def`, an `if`/`while`/`for`
block, or a formula, whose value is the answer. Whatever goes wrong is reported as the CLI
reports it (message, caret, hint) and the session goes on; each statement's exit code is the
CLI's (0, 1 or 2; 130 when interrupted), and a piped session exits with the worst.
"""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

from adcli.errors import EXIT_INTERNAL, AdcliError
from adcli.cli.vocabulary import FUNCTIONS
from adcli.repl.commands import SESSION_ONLY
from adcli.repl.lines import first_word
from adcli.repl.names import Names

EXIT_INTERRUPTED = 130


@dataclass
class Settings:
    """What `:json`, `:precision` and `:seed` set: the commands' defaults, and the session's."""

    json: bool = False
    precision: Optional[int] = None  # significant digits; None: as torch prints numbers
    seed: Optional[int] = None  # commands' --seed; unset, each draws afresh as the CLI does
    no_color: bool = False

    def defaults(self, draws: bool = True) -> dict[str, Any]:
        """The options' defaults; the seed only for a command that draws (a command given a
        seed says so under its answer, as `--seed` does)."""
        chosen: dict[str, Any] = {"json": self.json, "no_color": self.no_color}
        if self.precision is not None:
            chosen["precision"] = self.precision
        if self.seed is not None and draws:
            chosen["seed"] = self.seed
        return chosen


class Quit(Exception):
    """`:quit`."""


@dataclass
class Session:
    settings: Settings = field(default_factory=Settings)
    names: Names = field(default_factory=Names)

    def __post_init__(self) -> None:
        from adcli.repl.commands import Commands

        self.commands = Commands()
        # numpy is imported after the first prompt is up (terminal.py), so not here.
        seed = self.settings.seed
        self._stream = seed if seed is not None else secrets.randbits(32)
        self._draws = 0

    # -- random draws --------------------------------------------------------------------------

    def reseed(self, seed: int) -> None:
        self.settings.seed = self._stream = seed
        self._draws = 0

    def next_seed(self) -> int:
        """Each statement that draws (`y = randn(3)`) continues the session's stream: the same
        seed and the same statements give the same numbers, and two draws differ."""
        import numpy as np

        self._draws += 1
        return int(np.random.SeedSequence([self._stream, self._draws]).generate_state(1)[0])

    # -- one statement -------------------------------------------------------------------------

    def run(self, text: str) -> int:
        """Do one statement (perhaps several lines); returns its exit code. Raises Quit."""
        try:
            return self._dispatch(text)
        except Quit:
            raise
        except AdcliError as error:
            self.report(error)
            return error.exit_code
        except KeyboardInterrupt:
            self.notice("interrupted")
            return EXIT_INTERRUPTED
        except MemoryError:
            self.report(AdcliError("not enough memory for this computation", kind="memory"))
            return 1
        except RecursionError:
            self.report(AdcliError("this nests too deeply to compute", kind="depth-limit"))
            return 1
        except Exception as exc:  # a bug in adcli: say so plainly, and go on
            self.report(AdcliError(f"internal error ({type(exc).__name__}: {exc}); please "
                                   "report it", kind="internal", exit_code=EXIT_INTERNAL))
            return EXIT_INTERNAL
        finally:
            self.names.forget_question()

    def _dispatch(self, text: str) -> int:
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            return 0
        if stripped.startswith(":"):
            from adcli.repl.meta import run_meta

            return run_meta(self, stripped)
        word = first_word(stripped)
        if word in self.commands.names() or word in SESSION_ONLY:
            after = stripped[len(word):]
            rest = after.lstrip()
            assigns = rest.startswith("=") and not rest.startswith("==")
            # `trace(A)` calls the function trace; `trace 2*dot(x,x)` runs the command.
            calls = after.startswith("(") and word in FUNCTIONS
            if not assigns and not calls:
                return self._command(stripped)
        from adcli.repl.statements import run_statements

        return run_statements(self, text)

    def _command(self, line: str) -> int:
        draws = self.names.draws(line) or " -f" in f" {line}" or "--file" in line
        from adcli.cli.app import COLOR

        code = self.commands.run(line, self.names, self.settings.defaults(draws),
                                 self.settings.json)
        COLOR.off = self.settings.no_color  # a command's --no-color is its own
        if code == 0:
            self.names.answered()
        if code == EXIT_INTERRUPTED:
            self.notice("interrupted")
        return code

    # -- output --------------------------------------------------------------------------------

    def report(self, error: AdcliError) -> None:
        from adcli.cli.app import report

        report(error, self.settings.json)

    def notice(self, message: str) -> None:
        """A message for the person, never part of the answers: standard error."""
        from adcli.views.session import visible

        sys.stderr.write(visible(message) + "\n")
        sys.stderr.flush()

    def show(self, renderable: Any) -> None:
        from adcli.cli.app import console

        console().print(renderable)

    def show_text(self, text: str) -> None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()

    def emit(self, document: dict[str, Any]) -> None:
        from adcli.cli.app import emit

        emit(document)
