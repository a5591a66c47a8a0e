"""The typer app and what every command shares: error reporting and output (options:
options.py).

numpy, lark and Rich are imported inside the commands, so `--help` and shell completion start
without them."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Iterator, List, Optional

import typer

from adcli import __version__
from adcli.cli import shells
from adcli.errors import EXIT_INTERNAL, AdcliError, InputError

app = typer.Typer(
    name="adcli",
    help="A differentiation calculator with its own automatic-differentiation engine.\n\n"
    'Example: adcli grad "log(x*x)·sin(x)+1/x" --at 0..5',
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
shells.register()  # --show-completion and --install-completion give adcli's scripts


def _version(value: bool) -> None:
    if value:
        typer.echo(f"adcli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """A differentiation calculator with its own automatic-differentiation engine."""


@contextmanager
def reporting(json_output: bool) -> Iterator[None]:
    """Every failure becomes a message and its exit code; never a traceback."""
    try:
        yield
    except AdcliError as err:
        report(err, json_output)
        raise typer.Exit(err.exit_code) from None
    except (typer.Exit, typer.Abort):
        raise
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except MemoryError:
        report(AdcliError("not enough memory for this computation", kind="memory"), json_output)
        raise typer.Exit(1) from None
    except Exception as exc:  # a bug in adcli: say so plainly
        err = AdcliError(f"internal error ({type(exc).__name__}: {exc}); please report it",
                         kind="internal", exit_code=EXIT_INTERNAL)
        report(err, json_output)
        raise typer.Exit(EXIT_INTERNAL) from None


def report(err: AdcliError, json_output: bool) -> None:
    if json_output:
        from adcli.views import json_view

        sys.stderr.write(json_view.dumps(json_view.error(err)) + "\n")
        return
    from adcli.views.errors import error

    console(stderr=True).print(error(err))


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # In a pipe Rich would assume 80 columns and wrap tables; a file can take longer lines.
    width = None if stream.isatty() else 120
    if COLOR.off:  # no escape codes at all, bold and dim included
        return Console(file=stream, highlight=False, width=width, color_system=None)
    return Console(file=stream, highlight=False, width=width)


class _Color:
    """--no-color, for this process: plain text, even where FORCE_COLOR asks for colour (NO_COLOR=1
    in the environment turns colour off but keeps bold and dim, as Rich reads it)."""

    off = False


COLOR = _Color()


def emit(document: dict[str, Any]) -> None:
    from adcli.views import json_view

    sys.stdout.write(json_view.dumps(document) + "\n")


def main(argv: Optional[List[str]] = None) -> None:
    """Entry point. With --json, a usage error (a bad option) is a JSON object on stderr too."""

    args = sys.argv[1:] if argv is None else list(argv)
    if "--json" not in args:
        app(args=args, prog_name="adcli")
        return
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="adcli", standalone_mode=False)
    except Exception as exc:
        if not hasattr(exc, "format_message"):
            raise
        report(InputError(exc.format_message(), kind="usage"), json_output=True)
        sys.exit(getattr(exc, "exit_code", 2) or 2)
    sys.exit(code if isinstance(code, int) else 0)
