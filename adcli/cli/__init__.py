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

    _commands()
    run(argv)


def _commands() -> None:
    # each registers its commands, in the order --help lists them
    from adcli.cli import inspect, values  # noqa: F401
    from adcli.cli import derivatives  # noqa: F401
    from adcli.cli import diff  # noqa: F401
    from adcli.cli import interactive  # noqa: F401  (repl: the interactive session)
    from adcli.cli import plot  # noqa: F401


def application() -> typer.Typer:
    """The typer app with every command registered (`adcli.cli.app.app` has them only once
    their modules are imported)."""
    from adcli.cli.app import app

    _commands()
    return app
