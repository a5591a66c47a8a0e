"""The typer app and what every command shares: common options, error reporting, output.

numpy, lark and Rich are imported inside the commands, so `--help` and shell completion start
without them."""

from __future__ import annotations

import sys
import warnings
from contextlib import contextmanager
from enum import Enum
from typing import Any, Iterator, List, Optional

import typer

from adcli import __version__
from adcli.cli import argv, complete, deadline, limits, shells, streams
from adcli.errors import EXIT_INTERNAL, AdcliError, ComputeError, InputError, Stopped

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
SEED = typer.Option(None, "--seed", min=0, help="Seed for randn/rand, so the draws repeat.")
MAX_STEPS = typer.Option(1_000_000, "--max-steps", min=1,
                         help="Stop (exit 1) after this many steps: evaluated operations, "
                         "statements and loop iterations.")
TIMEOUT = typer.Option(None, "--timeout", metavar="SECONDS",
                       help=f"Stop (exit 1) after this many seconds (per line with --each; 0: "
                       f"no limit). Default: {limits.PROGRAM_TIMEOUT:g} for a program (-f), "
                       "none for a formula, whose size and work are limited before it starts.")
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
    chosen = limits.current()
    text = expression if file is None else streams.read_file(file, chosen.max_input)
    session = Session(limits=Limits(max_steps=max_steps, max_iterations=chosen.max_iterations),
                      seed=seed)
    if not bind_values:
        from adcli.language.parser import parse

        formula = parse(text, program=file is not None)
        formula.name = file
        return formula, {}, session
    formula, values = prepare(text, at, dtype, lambda: streams.read_stdin(chosen.max_input,
                                                                          "--at -"),
                              program=file is not None, session=session)
    formula.name = file
    return formula, values, session


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
def reporting(json_output: bool, timeout: Optional[float] = None, program: bool = False,
              batch: bool = False) -> Iterator[None]:
    """Every failure becomes a message and its exit code; never a traceback. The command runs
    on the clock of --timeout (--each: each line on its own, see batch.py), with the limits
    of cli/limits.py set, and with no warning of numpy's reaching standard error."""
    try:
        limits.apply()
        seconds = None if batch else limits.timeout(timeout, program)
        with deadline.clock(seconds), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
        streams.finish()
    except (typer.Exit, typer.Abort):
        raise
    except BaseException as exc:  # noqa: B036  (signals and the clock are BaseExceptions)
        err = failure(exc)
        report(err, json_output)
        raise typer.Exit(err.exit_code) from None


def failure(exc: BaseException) -> AdcliError:
    """What the user is told about an exception: adcli's own errors as they are, a stop from
    outside (--timeout, a signal) with where it was, and anything else as a bug in adcli."""
    # (not imported for this: an error while numpy loads must be reported without numpy)
    engine_errors = sys.modules.get("adcli.engine.errors")

    if isinstance(exc, AdcliError):
        return exc
    if isinstance(exc, Stopped):
        return exc.error()
    if isinstance(exc, KeyboardInterrupt):
        return AdcliError("interrupted", kind="interrupted", exit_code=130)
    if engine_errors is not None and isinstance(exc, engine_errors.OpError):
        # an engine refusal that no layer above put into words
        return ComputeError(exc.message, kind=exc.kind)
    if isinstance(exc, MemoryError):
        return AdcliError("not enough memory for this computation", kind="memory")
    if isinstance(exc, RecursionError):
        return ComputeError("the input nests too deeply", kind="depth-limit")
    if not isinstance(exc, Exception):
        raise exc  # SystemExit and the like are not failures of adcli
    # a bug in adcli: say so plainly
    return AdcliError(f"internal error ({type(exc).__name__}: {exc}); please report it",
                      kind="internal", exit_code=EXIT_INTERNAL)


def report(err: AdcliError, json_output: bool) -> None:
    """The error on standard error (a JSON object with --json). A reader that has gone is told
    nothing; an unwritable standard error leaves only the exit code."""
    if isinstance(err, streams.OutputError) and err.quiet:
        return
    try:
        if json_output:
            from adcli.views import json_view

            text = json_view.dumps(json_view.error(err), ascii=not streams.is_utf(sys.stderr))
            streams.STDERR.write(text + "\n")
            streams.STDERR.flush()
            return
        from adcli.views.errors import error

        console(stderr=True).print(error(err))
    except streams.OutputError:
        pass


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = streams.STDERR if stderr else streams.STDOUT
    # In a pipe Rich would assume 80 columns and wrap tables; a file can take longer lines.
    width = None if stream.isatty() else 120
    return Console(file=stream, highlight=False, width=width)


def emit(document: dict[str, Any]) -> None:
    from adcli.views import json_view

    text = json_view.dumps(document, ascii=not streams.is_utf(sys.stdout))
    streams.STDOUT.write(text + "\n")


def write(text: str) -> None:
    """Text for standard output as it is (DOT, Mermaid)."""
    streams.STDOUT.write(text)


def main(args: Optional[List[str]] = None) -> None:
    """Entry point: the command line's arguments in, an exit code out. Failures of the command
    line itself (a bad option, standard output closed) are reported like every other error,
    as a JSON object on standard error under --json."""
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    args = sys.argv[1:] if args is None else list(args)
    json_output = "--json" in args
    streams.prepare()
    if sys.stdout is None:
        report(streams.OutputError("cannot write to standard output: it is closed"), json_output)
        sys.exit(1)
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv.formula_first(args, command), prog_name="adcli",
                            standalone_mode=False)
        streams.finish()
    except NoArgsIsHelpError:
        sys.exit(2)  # the help is on standard output already
    except ClickException as exc:
        path = exc.ctx.command_path if getattr(exc, "ctx", None) else "adcli"
        report(InputError(exc.format_message(), kind="usage", hint=f"{path} --help lists the "
                          "options"), json_output)
        sys.exit(exc.exit_code)
    except typer.Abort:
        report(AdcliError("interrupted", kind="interrupted", exit_code=130), json_output)
        sys.exit(130)
    except OSError as exc:  # the help or the version, written by click itself
        err = streams.STDOUT._failed(exc)
        report(err, json_output)
        sys.exit(err.exit_code)
    except BaseException as exc:  # noqa: B036  (a signal, or a failure outside any command)
        if isinstance(exc, SystemExit):
            raise
        err = failure(exc)
        report(err, json_output)
        sys.exit(err.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
