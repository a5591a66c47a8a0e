"""The `adcli` command: typer commands that parse options, call the language layer and hand the
result to a view. numpy, lark and Rich are imported inside the commands, so `--help` and shell
completion start without them."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from typing import Any, Iterator, List, Optional

import typer

from adcli import __version__
from adcli.errors import EXIT_INTERNAL, AdcliError, InputError

app = typer.Typer(
    name="adcli",
    help="A differentiation calculator with its own automatic-differentiation engine.\n\n"
    'Example: adcli grad "log(x*x)·sin(x)+1/x" --at 0..5',
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Dtype(str, Enum):
    float64 = "float64"
    float32 = "float32"


EXPRESSION = typer.Argument(..., help="The formula, e.g. '2*dot(x,x)' or 'log(x*x)·sin(x)+1/x'.",
                            show_default=False)
AT = typer.Option(
    [], "--at", metavar="[NAME=]VALUE",
    help="A variable's value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), "
    "--at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.",
)
DTYPE = typer.Option(Dtype.float64, "--dtype", help="float64, or float32 (PyTorch's default).")
PRECISION = typer.Option(4, "--precision", min=0, max=17, help="Digits after the point in text output.")
JSON = typer.Option(False, "--json", help="One JSON object on stdout (errors: JSON on stderr).")


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
def _reporting(json_output: bool) -> Iterator[None]:
    """Every failure becomes a message and its exit code; never a traceback."""
    try:
        yield
    except AdcliError as err:
        _report(err, json_output)
        raise typer.Exit(err.exit_code) from None
    except (typer.Exit, typer.Abort):
        raise
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except MemoryError:
        _report(AdcliError("not enough memory for this computation", kind="memory"), json_output)
        raise typer.Exit(1) from None
    except Exception as exc:  # a bug in adcli: say so plainly
        err = AdcliError(f"internal error ({type(exc).__name__}: {exc}); please report it",
                         kind="internal", exit_code=EXIT_INTERNAL)
        _report(err, json_output)
        raise typer.Exit(EXIT_INTERNAL) from None


def _report(err: AdcliError, json_output: bool) -> None:
    if json_output:
        from adcli.views import json_view

        sys.stderr.write(json_view.dumps(json_view.error(err)) + "\n")
        return
    from adcli.views import text

    _console(stderr=True).print(text.error(err))


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # In a pipe Rich would assume 80 columns and wrap tables; a file can take longer lines.
    width = None if stream.isatty() else 120
    return Console(file=stream, highlight=False, width=width)


def _emit(document: dict[str, Any]) -> None:
    from adcli.views import json_view

    sys.stdout.write(json_view.dumps(document) + "\n")


def _wrt(value: Optional[str]) -> Optional[list[str]]:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise InputError("--wrt needs variable names, e.g. --wrt x,y", kind="bad-option")
    return names


# A formula may start with a minus (`-x^2`): let it through as the EXPRESSION argument.
FORMULA_COMMAND = {"ignore_unknown_options": True}


@app.command("eval", context_settings=FORMULA_COMMAND)
def eval_command(
    expression: str = EXPRESSION,
    at: List[str] = AT,
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
) -> None:
    """The value of a formula at a point."""
    with _reporting(json_output):
        from adcli.language.calculate import prepare, run_eval

        formula, values = prepare(expression, at, dtype.value, sys.stdin.read)
        calc = run_eval(formula, values, dtype.value)
        if json_output:
            from adcli.views import json_view

            _emit(json_view.calculation("eval", calc))
        else:
            from adcli.views import text

            _console().print(text.calculation(calc, precision))


@app.command("grad", context_settings=FORMULA_COMMAND)
def grad_command(
    expression: str = EXPRESSION,
    at: List[str] = AT,
    wrt: Optional[str] = typer.Option(None, "--wrt", metavar="x,y",
                                      help="Differentiate with respect to these variables only "
                                      "(default: all)."),
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
) -> None:
    """The value and the gradient (reverse mode). A non-scalar output is contracted with ones."""
    with _reporting(json_output):
        from adcli.language.calculate import prepare, run_grad

        formula, values = prepare(expression, at, dtype.value, sys.stdin.read)
        calc = run_grad(formula, values, dtype.value, _wrt(wrt))
        if json_output:
            from adcli.views import json_view

            _emit(json_view.calculation("grad", calc, mode="reverse"))
        else:
            from adcli.views import text

            _console().print(text.calculation(calc, precision))


@app.command("functions")
def functions_command(json_output: bool = JSON) -> None:
    """Every built-in function and operator, with its derivative rule."""
    with _reporting(json_output):
        from adcli.ops import FUNCTIONS, PRIMITIVES, ALIASES

        operators = [p for p in PRIMITIVES.values() if p.name in _OPERATORS]
        if json_output:
            _emit({
                "command": "functions",
                "functions": [{"name": f.name, "signature": f.signature, "doc": f.doc,
                               "rule": f.rule} for f in FUNCTIONS.values()],
                "aliases": dict(ALIASES),
                "operators": [{"name": p.name, "syntax": p.doc, "rule": p.rule}
                              for p in operators],
            })
            return
        from adcli.views import text

        console = _console()
        console.print(text.functions(FUNCTIONS.values()))
        console.print()
        console.print(text.operators(operators))
        for name, target in ALIASES.items():
            console.print(f"{name} is another name for {target}.")


_OPERATORS = ("add", "sub", "mul", "div", "neg", "pow", "getitem", "stack")


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
        _report(InputError(exc.format_message(), kind="usage"), json_output=True)
        sys.exit(getattr(exc, "exit_code", 2) or 2)
    sys.exit(code if isinstance(code, int) else 0)
