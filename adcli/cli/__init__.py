"""The `adcli` command line: typer commands that parse options, call the language layer and
hand the result to a view. One module per group of commands."""

from adcli.cli import inspect, values  # noqa: F401  (each registers its commands on the app)
from adcli.cli import derivatives  # noqa: F401  (jacobian, hessian, compare, check)
from adcli.cli import diff  # noqa: F401  (diff)
from adcli.cli import plot  # noqa: F401  (plot)
from adcli.cli.app import app, main

__all__ = ["app", "main"]
