"""The CLI's commands at the prompt: `grad f --wrt x` runs `adcli grad` itself.

The session drives the typer app's own click commands, so every command, option, check and
message is the CLI's, and a command added to the CLI (`diff`, `plot`) is at the prompt with no
edit here. Three things differ from a shell, all supplied from outside the command:

- the session's names: while a command runs, `adcli.cli.options.NAMES` is this session's
  `Names`, so the formula's stored formulas and defs are filled in and its variables take the
  session's values wherever `--at` gives none (arrays as they are, no text round trip);
- the session's settings (`:json`, `:precision`, `:seed`) are the options' defaults
  (click's `default_map`), so an option typed on the line still wins;
- a formula needs no quotes: the words that are not options are joined into it
  (`grad x*y + sin(x) --wrt x`), and brackets keep `--at x=[1, 2]` one word.

Standard input belongs to the session, so `--at -`, `-f -` and `--each -` are refused.
"""

from __future__ import annotations

import difflib
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

import typer

from adcli.cli.app import app as cli_app
from adcli.cli.options import NAMES
from adcli.errors import InputError
from adcli.repl.lines import split_words

if TYPE_CHECKING:
    from adcli.repl.names import Names

SESSION_ONLY = {"repl"}  # commands that make no sense inside a session


class Commands:
    """The CLI's click group, built once per session (typer takes ~50 ms to build it)."""

    def __init__(self) -> None:
        from adcli.cli import application

        application()  # registers every command on the app (the package itself is lazy)

        self.group: Any = typer.main.get_command(cli_app)
        self.help_names = tuple(self.group.context_settings.get("help_option_names", ("--help",)))

    def names(self) -> list[str]:
        """The commands, from typer's own list (cheap: the prompt's colours ask at each key)."""
        from adcli.cli import application

        application()  # registers every command on the app (the package itself is lazy)
        return [info.name for info in cli_app.registered_commands
                if info.name and info.name not in SESSION_ONLY and not info.hidden]

    def about(self) -> list[tuple[str, str]]:
        """Each command with the first line of its help."""
        return [(name, (self.group.commands[name].help or "").strip().split("\n")[0])
                for name in self.names()]

    def options(self, name: str) -> dict[str, Any]:
        """The command's options by each of their spellings (`--file` and `-f`)."""
        found: dict[str, Any] = {}
        for param in self.group.commands[name].params:
            if getattr(param, "param_type_name", "") == "option":
                for spelling in [*param.opts, *param.secondary_opts]:
                    found[spelling] = param
        return found

    def takes_formula(self, name: str) -> bool:
        arguments = [p for p in self.group.commands[name].params
                     if getattr(p, "param_type_name", "") == "argument"]
        return len(arguments) == 1 and arguments[0].nargs == 1

    def arguments(self, name: str, words: list[str]) -> list[str]:
        """The words after the command as click's arguments: options as they are, the other
        words joined into the one formula (after `--`, so that `-x^2` is not an option)."""
        options = self.options(name)
        flags = set(self.help_names)
        kept: list[str] = []
        formula: list[str] = []
        index = 0
        while index < len(words):
            word = words[index]
            spelling = word.split("=", 1)[0] if word.startswith("--") else word
            option = options.get(spelling)
            if option is not None and not (option.is_flag or option.count) and "=" not in word:
                kept += words[index:index + 2]
                index += 2
                continue
            if option is not None or word in flags:
                kept.append(word)
            elif word.startswith("--") and len(word) > 2:
                close = difflib.get_close_matches(spelling, list(options), n=1)
                raise InputError(f"`{name}` has no option {spelling}"
                                 + (f" — did you mean {close[0]}?" if close else ""),
                                 kind="usage", hint=f"{name} --help lists its options")
            else:
                formula.append(word)
            index += 1
        if formula and self.takes_formula(name):
            return [*kept, "--", " ".join(formula)]
        return [*kept, *formula]

    def run(self, line: str, names: Names, defaults: dict[str, Any], json: bool) -> int:
        """Run one command line; returns its exit code (its output and errors are printed)."""
        from adcli.cli.app import report

        words = split_words(line)
        name = words[0]
        if name in SESSION_ONLY:
            raise InputError("this is already an adcli session", kind="usage")
        args = [name, *self.arguments(name, words[1:])]
        token = NAMES.set(names)
        try:
            with _stdin_is_the_session():
                code = self.group.main(args=args, prog_name="adcli", standalone_mode=False,
                                       default_map={n: defaults for n in self.group.commands})
        except typer.Abort:
            return 130
        except Exception as exc:  # click's usage errors: a bad option value, a missing value
            if not hasattr(exc, "format_message"):
                raise
            report(InputError(exc.format_message(), kind="usage"), json or "--json" in args)
            return getattr(exc, "exit_code", 2) or 2
        finally:
            NAMES.reset(token)
        return code if isinstance(code, int) else 0


class _SessionInput:
    """Standard input while a command runs: it holds the session's own lines."""

    def _refuse(self, *args: object) -> Any:
        raise InputError("standard input holds the session's lines: instead of `-`, give "
                         "--at NAME=VALUE, -f FILE or --each FILE", kind="usage")

    read = readline = readlines = __iter__ = _refuse

    def isatty(self) -> bool:
        return False


@contextmanager
def _stdin_is_the_session() -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = _SessionInput()  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdin = saved
