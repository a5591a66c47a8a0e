"""The `adcli` command line: typer commands that parse options, call the language layer and
hand the result to a view. One module per group of commands.

The app is loaded on first use (`from adcli.cli import main`), so that adcli/__main__.py can
install its signal handlers from adcli.cli.deadline before typer is imported."""

from __future__ import annotations

from typing import Any

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'adcli.cli' has no attribute {name!r}")
    from adcli.cli import calculate, derivatives, inspect  # noqa: F401  (each registers commands)
    from adcli.cli.app import app, main

    globals().update(app=app, main=main)
    return globals()[name]
