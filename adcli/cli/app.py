"""The typer app and what every command shares: common options, error reporting, output.

numpy, lark and Rich are imported inside the commands, so `--help` and shell completion start
without them."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from typing import Any, Iterator, List, Optional

import typer

from adcli import __version__
from adcli.cli import complete, shells
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


class Dtype(str, Enum):
    float64 = "float64"
    float32 = "float32"


class Mode(str, Enum):
    """How derivatives are computed: reverse mode (one backward pass per output element) or
    forward mode (one forward pass per input element)."""

    reverse = "reverse"
    forward = "forward"


EXPRESSION = typer.Argument(None, help="The formula, e.g. '2*dot(x,x)' or 'log(x*x)·sin(x)+1/x' "
                            "(or a program with -f FILE).",
                            show_default=False, autocompletion=complete.formula)
FILE = typer.Option(None, "--file", "-f", metavar="FILE",
                    help="Run a program from FILE ('-' reads standard input) instead of EXPRESSION.")
SEED = typer.Option(None, "--seed", help="Seed for randn/rand, so the draws repeat.")
MAX_STEPS = typer.Option(1_000_000, "--max-steps", min=1,
                         help="Stop (exit 1) after this many evaluated operations.")
EACH = typer.Option(None, "--each", metavar="FILE",
                    help="Newline-delimited JSON, one object of variable values per line ('-': "
                    "stdin); prints one JSON result per line.")
AT = typer.Option(
    [], "--at", metavar="[NAME=]VALUE",
    help="A variable's value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), "
    "--at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.",
    autocompletion=complete.at,
)
DTYPE = typer.Option(Dtype.float64, "--dtype", help="float64, or float32 (PyTorch's default).")
MODE = typer.Option(Mode.reverse, "--mode",
                    help="reverse: one backward pass per element of f; forward: one forward pass "
                    "per element of the variables.")
PRECISION = typer.Option(4, "--precision", min=0, max=17, help="Digits after the point in text output.",
                         autocompletion=complete.precision)
JSON = typer.Option(False, "--json", help="One JSON object on stdout (errors: JSON on stderr).")
# A formula may start with a minus (`-x^2`): let it through as the EXPRESSION argument.
FORMULA_COMMAND = {"ignore_unknown_options": True}


def load(expression: Optional[str], file: Optional[str], at: List[str], dtype: str,
         seed: Optional[int] = None, max_steps: int = 1_000_000, bind_values: bool = True) -> Any:
    """The formula (or, with -f, the program), its --at values and the run's session
    (with `bind_values=False`, only the parsed formula: --each binds each line itself)."""
    from adcli.language.calculate import prepare
    from adcli.language.evaluate import Limits, Session

    if (expression is None) == (file is None):
        raise InputError("give a formula, or a program with -f FILE (not both)"
                         if file is not None else "give a formula, e.g. adcli grad \"x*x\" --at "
                         "0..5, or a program with -f FILE", kind="usage")
    if file is not None and file == "-" and any(spec.strip() == "-" for spec in at):
        raise InputError("standard input can hold the program (-f -) or the values (--at -), "
                         "not both", kind="usage")
    text = expression if file is None else _read(file)
    session = Session(limits=Limits(max_steps=max_steps), seed=seed)
    if not bind_values:
        from adcli.language.parser import parse

        formula = parse(text, program=file is not None)
        formula.name = file
        return formula, {}, session
    formula, values = prepare(text, at, dtype, sys.stdin.read, program=file is not None,
                              session=session)
    formula.name = file
    return formula, values, session


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        with open(file, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror}", kind="bad-file") from None
    except UnicodeDecodeError:
        raise InputError(f"{file} is not UTF-8 text", kind="bad-file") from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"adcli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
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
    from adcli.views import text

    console(stderr=True).print(text.error(err))


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # In a pipe Rich would assume 80 columns and wrap tables; a file can take longer lines.
    width = None if stream.isatty() else 120
    return Console(file=stream, highlight=False, width=width)


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
