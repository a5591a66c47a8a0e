"""The shell side of Tab completion: the scripts that `adcli --install-completion` installs,
`adcli --show-completion` prints and completions/ holds (scripts/gen_completions.py).

A Tab press must not wait for a Python process (README, Speed), so the bash, zsh and fish scripts
know adcli themselves: its commands, each command's options and their values, and the names of
the formula language, all written into them from the app and the registry (`Spec`). Only the
variables of a formula or of a program file are asked of adcli (adcli/cli/variables.py, a few
milliseconds). PowerShell keeps typer's script, which asks adcli for every answer.

The scripts complete a function inside the formula to `sin(` with the quote left open and no
space, so that the formula goes on: bash's readline and fish close the quote and add a space
after a single answer, so a single function answer is given twice (`sin(` and `sin( `), which
makes it the common prefix of two answers, inserted as typed. An unquoted word that gets a
parenthesis opens a quote before it (`--at x=lin` → `x="linspace(`), so that what follows is
typed as plain text too (fish cannot: it escapes, `x=linspace\\(`).
"""

from __future__ import annotations

from typing import Any

from typer import _completion_classes, _completion_shared
from typer.completion import get_completion_script

PROG_NAME = "adcli"
COMPLETE_VAR = "_ADCLI_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


def script(shell: str) -> str:
    """The completion script for one shell: bash, zsh, fish or powershell (stripped, as typer
    gives its own)."""
    if shell in SHELLS:
        from adcli.cli import shell_scripts
        from adcli.cli.shell_spec import spec

        return getattr(shell_scripts, shell)(spec()).strip()
    return get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=shell)


class _Scripts(dict):  # type: ignore[type-arg]
    """typer's table of scripts, with adcli's own made when one is asked for (not at every
    start). typer formats the script with `%`: adcli's hold no placeholder, and their own `%`
    are doubled."""

    def get(self, shell: str, default: Any = None) -> Any:
        if shell in SHELLS:
            return script(shell).replace("%", "%%")
        return super().get(shell, default)


def register() -> None:
    """Make typer give adcli's scripts: for --show-completion and --install-completion (its
    table of scripts) and for `_ADCLI_COMPLETE=source_bash` (its completion classes); and show
    help beside zsh's and fish's answers to typer's own protocol (PowerShell's script, scripts
    installed before) as written: typer would read it as Rich markup, which imports Rich on
    every Tab press and drops text such as the `[lo, hi]` of clip."""
    _completion_shared._completion_scripts = _Scripts(_completion_shared._completion_scripts)
    for shell, cls in (("bash", _completion_classes.BashComplete),
                       ("zsh", _completion_classes.ZshComplete),
                       ("fish", _completion_classes.FishComplete)):
        cls.source = lambda self, shell=shell: script(shell)  # type: ignore[method-assign]
    _completion_classes._sanitize_help_text = _plain


def _plain(text: str) -> str:
    return text
