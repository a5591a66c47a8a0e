"""adcli's interactive session: a calculator you stay in (`adcli` at a terminal, `adcli repl`).

It sits beside the CLI at the top of the layers: it asks the calculations and hands the answers
to the views, and it runs the CLI's own commands with its names supplied (commands.py). At a
terminal it reads with prompt_toolkit (terminal.py), imported only when the session starts;
without one it reads its input line by line (piped.py).

    names.py       the session's values, formulas and defs, and `ans`
    session.py     one statement: a session command, a CLI command, or the language
    statements.py  assignments, defs, blocks and formulas at the prompt
    commands.py    the CLI's commands, driven through its click group
    meta.py        :help, :vars, :json, :precision, :seed, :clear, :save, :load, :quit
    files.py       :save and :load
    lines.py       where a statement ends; a command line's words
    piped.py       without a terminal, like bc
    terminal.py    at a terminal: prompt, history, completion (completion.py), colours
                   (highlight.py)
"""

from __future__ import annotations

from typing import Optional


def start(json: bool = False, precision: Optional[int] = None, seed: Optional[int] = None,
          no_color: bool = False, interactive: bool = True) -> int:
    """Run a session; returns its exit code."""
    from adcli.repl.session import Session, Settings

    settings = Settings(json=json, precision=precision, seed=seed, no_color=no_color)
    if not interactive:
        from adcli.repl.piped import run_piped

        return run_piped(Session(settings))
    from adcli.repl.terminal import run_terminal

    return run_terminal(settings)
