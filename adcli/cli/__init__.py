"""The `adcli` command line: typer commands that parse options, call the language layer and
hand the result to a view. One module per group of commands.

Nothing is imported here until `main` runs: the console script imports this package first, and
the completion scripts' questions about a formula's variables are answered without typer
(adcli/cli/variables.py).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs a Tab press 10% more
if TYPE_CHECKING:
    from typing import List, Optional

    import typer

__all__ = ["application", "main"]


def main(argv: Optional[List[str]] = None) -> None:
    import os
    import sys

    if "_ADCLI_VARIABLES" in os.environ:  # a completion script's question (variables.py)
        from adcli.cli.variables import answer

        sys.exit(answer(sys.argv[1:] if argv is None else list(argv)))
    from adcli.cli.app import main as run

    args = sys.argv[1:] if argv is None else list(argv)
    _commands(args)
    run(args)


# The module that registers each command, in the order --help lists them
# (tests/test_command_line.py checks it against what each module registers).
MODULES = {
    "eval": "values", "grad": "values", "functions": "values",
    "graph": "inspect", "trace": "inspect",
    "jacobian": "derivatives", "hessian": "derivatives", "compare": "derivatives",
    "check": "derivatives",
    "diff": "diff",
    "repl": "interactive",
    "plot": "plot",
}


def _commands(args: Optional[List[str]] = None) -> None:
    """Register the command the words name only (importing one module of commands, not six),
    or every command where they name none (help, a misspelt command) or Tab asks."""
    import os
    from importlib import import_module

    from adcli.cli.app import app

    name = args[0] if args and "_ADCLI_COMPLETE" not in os.environ else None
    wanted = [MODULES[name]] if name in MODULES else dict.fromkeys(MODULES.values())
    for module in wanted:
        import_module(f"adcli.cli.{module}")
    # in MODULES' order, whichever module a process happened to import first (and any other
    # command after them, as it came)
    order = {command: place for place, command in enumerate(MODULES)}
    app.registered_commands.sort(key=lambda command: order.get(command.name, len(order)))


def application(args: Optional[List[str]] = None) -> typer.Typer:
    """The typer app with the command these words name registered, or without words every
    command (`adcli.cli.app.app` has them only once their modules are imported)."""
    from adcli.cli.app import app

    _commands(args)
    return app
