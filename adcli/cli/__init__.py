"""The `adcli` command line: typer commands that parse options, call the language layer and
hand the result to a view. One module per group of commands.

Nothing is imported here until `main` runs: the console script imports this package first, and
the completion scripts' questions about a formula's variables are answered without typer
(adcli/cli/variables.py).
"""

from __future__ import annotations

from typing import Any, List, Optional

__all__ = ["app", "main"]


def main(argv: Optional[List[str]] = None) -> None:
    from adcli.cli.app import main as run

    _commands()
    run(argv)


def _commands() -> None:
    # each registers its commands, in the order --help lists them
    from adcli.cli import inspect, values  # noqa: F401
    from adcli.cli import derivatives  # noqa: F401


def __getattr__(name: str) -> Any:
    if name == "app":
        _commands()
        from adcli.cli.app import app

        return app
    raise AttributeError(f"module 'adcli.cli' has no attribute {name!r}")
