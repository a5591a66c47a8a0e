"""The typer app and what every command shares: error reporting and output (options:
options.py).

numpy, lark and Rich are imported inside the commands, so `--help` and shell completion start
without them."""

from __future__ import annotations

import os
import sys
import warnings
from contextlib import contextmanager
from typing import Any, Iterator, List, Optional

import typer

from adcli import __version__
from adcli.cli import argv, deadline, limits, shells, streams
from adcli.errors import EXIT_INTERNAL, AdcliError, ComputeError, InputError, Stopped

app = typer.Typer(
    name="adcli",
    help="A differentiation calculator with its own automatic-differentiation engine.\n\n"
    'Example: adcli grad "log(x*x)·sin(x)+1/x" --at 0..5',
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Help and usage errors in click's plain layout: Rich's panels import Rich, markdown-it and
    # pygments (about as long as numpy's own import) for every `adcli --help` (README, Speed).
    rich_markup_mode=None,
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
def reporting(json_output: bool, timeout: Optional[float] = None, program: bool = False,
              batch: bool = False) -> Iterator[None]:
    """Every failure becomes a message and its exit code; never a traceback. The command runs
    on the clock of --timeout (--each: each line on its own, see batch.py), with the limits
    of cli/limits.py set, and with no warning of numpy's reaching standard error."""
    try:
        with limits.applied():
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
    # emoji=False: no `:name:` is ever adcli's to replace (and Rich's table of them is 3 ms)
    if COLOR.off:  # no escape codes at all, bold and dim included
        return Console(file=stream, highlight=False, emoji=False, width=width, color_system=None)
    return Console(file=stream, highlight=False, emoji=False, width=width)


class _Color:
    """--no-color, for this process: plain text, even where FORCE_COLOR asks for colour (NO_COLOR=1
    in the environment turns colour off but keeps bold and dim, as Rich reads it)."""

    off = False


COLOR = _Color()


def emit(document: dict[str, Any]) -> None:
    from adcli.views import json_view

    for piece in json_view.pieces(document, ascii=not streams.is_utf(sys.stdout)):
        if isinstance(piece, str):
            streams.STDOUT.write(piece)
        else:  # a large array's numbers, as orjson wrote them
            streams.STDOUT.write_ascii(piece)
    streams.STDOUT.write("\n")


def write(text: str) -> None:
    """Text for standard output as it is (DOT, Mermaid)."""
    streams.STDOUT.write(text)


def main(args: Optional[List[str]] = None) -> None:
    """Entry point: the command line's arguments in, an exit code out. Failures of the command
    line itself (a bad option, standard output closed) are reported like every other error,
    as a JSON object on standard error under --json."""
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    args = sys.argv[1:] if args is None else list(args)
    json_output = "--json" in args or "--each" in args  # (a batch's lines are JSON, its errors too)
    streams.prepare()
    if sys.stdout is None:
        report(streams.OutputError("cannot write to standard output: it is closed"), json_output)
        sys.exit(1)
    if not args:
        from adcli.cli.interactive import at_a_terminal

        args = ["repl"] if at_a_terminal() else args
    with only_the_command(args):
        command = typer.main.get_command(app)
    try:
        code = command.main(args=argv.formula_first(args, command), prog_name="adcli",
                            standalone_mode=False)
        streams.finish()
    except NoArgsIsHelpError as exc:  # `adcli` with no words and no terminal: the help
        streams.STDOUT.write(exc.format_message() + "\n")
        streams.finish()
        sys.exit(2)
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


@contextmanager
def only_the_command(args: List[str]) -> Iterator[None]:
    """Let typer build only the command the words name (`adcli grad …`): it makes a click
    command of every registered one first, from its signature, and nine of them took a fifth of
    a start. The whole app still answers everything else: no command or an unknown one (help,
    suggestions), options before the command, and Tab completion."""
    wanted = [c for c in app.registered_commands if args and c.name == args[0]]
    if not wanted or "_ADCLI_COMPLETE" in os.environ:
        yield
        return
    everything, app.registered_commands = app.registered_commands, wanted
    try:
        yield
    finally:
        app.registered_commands = everything
