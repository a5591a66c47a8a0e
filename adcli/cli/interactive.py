"""`adcli repl` (and `adcli` alone at a terminal): the interactive session, adcli/repl.

Only typer here: the session (and prompt_toolkit) is imported when it starts, never on the path
of another command or of a Tab press."""

from __future__ import annotations

import sys

import typer

from adcli.cli.app import COLOR, app
from adcli.cli.options import Json, NoColor, Precision, Seed


@app.command("repl")
def repl_command(json_output: Json = False, precision: Precision = None,
                 seed: Seed = None, no_color: NoColor = False) -> None:
    """An interactive session: names persist and every command works on them.

    At a terminal, a prompt with history, Tab completion and colours (`adcli` alone starts it
    too); with lines piped in, each statement is answered in order, like bc, and the exit code
    is the worst one's."""
    from adcli.repl import start

    COLOR.off = no_color
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    raise typer.Exit(start(json=json_output, precision=precision, seed=seed,
                           no_color=no_color, interactive=interactive))


def at_a_terminal() -> bool:
    """`adcli` with no arguments starts the session at a terminal (and prints the help
    elsewhere, as before); a shell asking for completions is never a terminal session."""
    import os

    return (sys.stdin.isatty() and sys.stdout.isatty()
            and "_ADCLI_COMPLETE" not in os.environ)
