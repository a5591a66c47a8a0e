"""What adcli's completion scripts know, read from the app: its options and commands, with
each option's kind of value, and the formula's names from the registry (adcli/cli/shells.py
writes the scripts from it; only scripts/gen_completions.py and --show-completion need it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

# What an option's value is, by the option's parameter name; choices come from its type.
VALUE_KINDS = {"file": "file", "each": "file", "output": "file"}
ASKED = {"at": "at", "wrt": "wrt", "tangent": "tangent"}  # complete.py's callbacks
HELP = ("-h", "--help")
_NO_DETECTION = "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"


@dataclass(frozen=True)
class Option:
    names: tuple[str, ...]  # long names first
    value: str | None  # None: a flag; "choice", "at", "tangent", "wrt", "file", or "any"
    choices: tuple[str, ...]
    help: str


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    options: tuple[Option, ...]
    formula: bool  # takes a formula (or -f program) as its argument


@dataclass(frozen=True)
class Spec:
    """Everything the scripts know: adcli's options and commands, and the formula's names."""

    root: tuple[Option, ...]
    commands: tuple[Command, ...]
    functions: dict[str, str]  # name -> help
    constants: tuple[str, ...]
    keywords: tuple[str, ...]

    def values(self) -> dict[str, Option]:
        """Every option that takes a value, by each of its names (the same in every command)."""
        found: dict[str, Option] = {}
        for option in [o for c in self.commands for o in c.options] + list(self.root):
            for name in option.names if option.value else ():
                known = found.get(name)
                if known and (known.value, known.choices) != (option.value, option.choices):
                    raise ValueError(f"{name} takes different values in different commands")
                found[name] = option
        return found


def _option(param: Any) -> Option:
    names = tuple(sorted(param.opts + param.secondary_opts, key=lambda n: not n.startswith("--")))
    help_text = " ".join((param.help or "").split())
    if getattr(param, "is_flag", False) or param.param_type_name != "option":
        return Option(names, None, (), help_text)
    choices = tuple(getattr(param.type, "choices", ()) or ())
    if type(param.type).__name__ == "IntRange" and param.type.max is not None:
        choices = tuple(str(n) for n in range(param.type.min, param.type.max + 1))
    # what adcli/cli/complete.py answers for it, by the name of its autocompletion callback
    asked = _callback(getattr(param, "_custom_shell_complete", None))
    kind = "choice" if choices else ASKED.get(asked) or VALUE_KINDS.get(param.name, "any")
    return Option(names, kind, choices, help_text)


def _callback(function: Any) -> str:
    """The name of the complete.py function under typer's wrappers of an autocompletion."""
    for _ in range(4):  # typer wraps it twice: in a closure, then with functools.wraps
        if function is None or getattr(function, "__module__", "") == "adcli.cli.complete":
            break
        cells = [c.cell_contents for c in getattr(function, "__closure__", None) or ()]
        function = getattr(function, "__wrapped__", None) or next(
            (c for c in cells if callable(c)), None)
    return getattr(function, "__name__", "") if function is not None else ""


def spec() -> Spec:
    import typer.main

    from adcli.cli import application
    from adcli.cli.vocabulary import CONSTANTS, FUNCTIONS, KEYWORDS

    # --install-completion and --show-completion take a shell's name when typer is told not to
    # detect the shell (its tests, and ours): the scripts must not depend on that.
    detection = os.environ.pop(_NO_DETECTION, None)
    try:
        group = typer.main.get_command(application())
    finally:
        if detection is not None:
            os.environ[_NO_DETECTION] = detection
    help_option = Option(HELP[::-1], None, (), "Show the help and exit.")
    commands = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        options = [_option(p) for p in command.params if p.param_type_name == "option"]
        formula = any(p.param_type_name == "argument" for p in command.params)
        summary = " ".join((command.help or "").split("\n\n")[0].split())
        commands.append(Command(name, summary, tuple(options) + (help_option,), formula))
    root = tuple(_option(p) for p in group.params) + (help_option,)
    return Spec(root, tuple(commands), dict(FUNCTIONS), tuple(CONSTANTS), tuple(KEYWORDS))


