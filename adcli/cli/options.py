"""The options the commands share, each declared once, and `formula_command`, which gives a
command the ones every formula command takes.

A command is then its own options and three lines: make the point, ask the calculation, show
the answer. Its signature (with the shared options added) is still its --help, as typer has it.
"""

from __future__ import annotations

import inspect
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Callable, List, Mapping, Optional, Protocol, Sequence

import typer

from adcli.cli import complete, limits, streams
from adcli.cli.app import COLOR, app, reporting
from adcli.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from adcli.calculations import Point
    from adcli.language.parser import Formula
    from adcli.views.numbers import Numbers


class Names(Protocol):
    """Names a front end keeps across commands (the interactive session, adcli/repl): the
    commands ask it for the formula and for the values --at leaves out, and tell it the point."""

    def formula(self, text: str) -> Formula:
        """The formula typed, parsed, with the front end's stored formulas and defs filled in."""

    def values(self, formula: Formula, at: Sequence[str]) -> Mapping[str, np.ndarray]:
        """The front end's values of the formula's variables that --at does not give."""

    def asked(self, point: Point) -> None:
        """The point a command is about to answer."""


# Set by a front end while it runs a command (the command line leaves it unset).
NAMES: ContextVar[Optional[Names]] = ContextVar("adcli_names", default=None)


class Dtype(str, Enum):
    float64 = "float64"
    float32 = "float32"


class Mode(str, Enum):
    """How derivatives are computed: reverse mode (one backward pass per output element) or
    forward mode (one forward pass per input element)."""

    reverse = "reverse"
    forward = "forward"


Expression = Annotated[Optional[str], typer.Argument(
    help="The formula, e.g. '2*dot(x,x)' or 'log(x*x)·sin(x)+1/x' (or a program with -f FILE).",
    show_default=False, autocompletion=complete.formula)]
At = Annotated[Optional[List[str]], typer.Option(
    "--at", metavar="[NAME=]VALUE",
    help="A variable's value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), "
    "--at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.",
    autocompletion=complete.at)]
File = Annotated[Optional[str], typer.Option(
    "--file", "-f", metavar="FILE",
    help="Run a program from FILE ('-' reads standard input) instead of EXPRESSION.")]
DtypeOption = Annotated[Dtype, typer.Option(
    "--dtype", help="float64, or float32 (PyTorch's default).")]
Precision = Annotated[Optional[int], typer.Option(
    "--precision", min=1, max=17, help="Significant digits of numbers in text output (never "
    "more than the shortest text that reads back to the same number); by default numbers "
    "look as torch prints them, four digits after the point.",
    autocompletion=complete.precision, show_default=False)]
Full = Annotated[bool, typer.Option(
    "--full", help="Print whole vectors and matrices (long ones are shortened with ... by "
    "default).")]
Exact = Annotated[bool, typer.Option(
    "--exact", help="Print every number as the shortest text that reads back to the same "
    "float (Python's repr): all its digits, -0.0 included.")]
Json = Annotated[bool, typer.Option(
    "--json", help="One JSON object on stdout (errors: JSON on stderr).")]
Seed = Annotated[Optional[int], typer.Option(
    "--seed", min=0, help="Seed for randn/rand, so the draws repeat.")]
MaxSteps = Annotated[int, typer.Option(
    "--max-steps", min=1, help="Stop (exit 1) after this many steps: evaluated operations, "
    "statements and loop iterations.")]
Timeout = Annotated[Optional[float], typer.Option(
    "--timeout", metavar="SECONDS",
    help=f"Stop (exit 1) after this many seconds (per line with --each; 0: no limit). "
    f"Default: {limits.PROGRAM_TIMEOUT:g} for a program (-f), none for a formula, whose size "
    "and work are limited before it starts.")]
NoColor = Annotated[bool, typer.Option(
    "--no-color", help="No colour in text output (as NO_COLOR=1 does).")]
# -- options some commands take --------------------------------------------------------------
Wrt = Annotated[Optional[List[str]], typer.Option(
    "--wrt", metavar="x,y",
    help="Differentiate with respect to these variables only (default: all); --wrt x,y or "
    "--wrt x --wrt y.", autocompletion=complete.wrt)]
ModeOption = Annotated[Mode, typer.Option(
    "--mode", help="reverse: one backward pass per element of f; forward: one forward pass "
    "per element of the variables.")]
Strict = Annotated[bool, typer.Option(
    "--strict", help="Exit 1 if a value or gradient is nan or inf.")]
Explain = Annotated[bool, typer.Option(
    "--explain", help="Where a value or gradient is nan or inf: show where each kind first "
    "appeared in each pass (by default, the first of each pass).")]
Each = Annotated[Optional[str], typer.Option(
    "--each", metavar="FILE",
    help="Many points: newline-delimited JSON, one object of variable values per line, or CSV "
    "whose header names the variables ('-': stdin); prints one JSON result per line.")]
Order = Annotated[int, typer.Option(
    "--order", min=0, metavar="N",
    help="The N-th derivative at each point (f″ for 2) of a formula element-wise in the "
    "variable: f[i] a function of x[i] alone.")]
TableOption = Annotated[bool, typer.Option(
    "--table", help="One row per point: the variables, f, f′ (and f″, … with --order).")]
Csv = Annotated[bool, typer.Option(
    "--csv", help="The same rows as --table, as CSV on stdout (every digit).")]
Tangent = Annotated[Optional[List[str]], typer.Option(
    "--tangent", metavar="[NAME=]VALUE",
    help="J·v, the derivative along v, by forward mode: --tangent x=[1,0,0] (one per "
    "differentiated variable; one number stands for all elements).",
    autocompletion=complete.tangent)]
Cotangent = Annotated[Optional[str], typer.Option(
    "--cotangent", metavar="VALUE",
    help="gᵀJ, the gradient of g·f, by reverse mode: --cotangent [1,0] (shaped like f; the "
    "default is ones, like torch's f.backward(ones_like(f))).")]

# A formula may start with a minus (`-x^2`): let it through as the EXPRESSION argument.
FORMULA_COMMAND = {"ignore_unknown_options": True}


@dataclass(frozen=True)
class Common:
    """What every formula command is given: the formula (or -f program), --at, and how to run
    and show it."""

    expression: Optional[str]
    at: List[str]
    file: Optional[str]
    dtype: Dtype
    precision: Numbers  # --precision, --exact and --full: how text output shows numbers
    json: bool
    seed: Optional[int]
    max_steps: int
    timeout: Optional[float]
    no_color: bool

    def formula(self) -> Formula:
        """The formula (or, with -f, the program), parsed."""
        from adcli.language.parser import parse

        names = NAMES.get()
        if names is not None and self.file is None:
            return names.formula(self._text())
        formula = parse(self._text(), program=self.file is not None)
        formula.name = self.file
        return formula

    def point(self) -> Point:
        """The formula at the point --at gives (random draws from --seed); in the interactive
        session, its names give what --at does not."""
        from adcli.calculations import DTYPES, bind_point

        formula = self.formula()
        names = NAMES.get()
        point = bind_point(formula, self.at, dtype=DTYPES[self.dtype.value],
                           limits=self.limits(), seed=self.seed, read_stdin=read_values,
                           given=None if names is None else names.values(formula, self.at))
        if names is not None:
            names.asked(point)
        return point

    def limits(self) -> Any:
        from adcli.language.evaluate import Limits

        return Limits(max_steps=self.max_steps, max_iterations=limits.current().max_iterations)

    def _text(self) -> str:
        if (self.expression is None) == (self.file is None):
            raise InputError("give a formula, or a program with -f FILE (not both)"
                             if self.file is not None else "give a formula, e.g. adcli grad "
                             "\"x*x\" --at 0..5, or a program with -f FILE", kind="usage")
        if self.file == "-" and any(spec.strip() == "-" for spec in self.at):
            raise InputError("standard input can hold the program (-f -) or the values "
                             "(--at -), not both", kind="usage")
        return self.expression if self.file is None else read_file(self.file)


def read_file(file: str) -> str:
    """A program from FILE (or standard input), read up to the input limit and no further."""
    return streams.read_file(file, limits.current().max_input)


def read_values() -> str:
    """`--at -`: standard input, read up to the input limit and no further."""
    return streams.read_stdin(limits.current().max_input, "--at -")


def wrt_names(values: Optional[List[str]]) -> Optional[list[str]]:
    """`--wrt x,y` (or `--wrt x --wrt y`) as a list of names."""
    if not values:
        return None
    listed = [name.strip() for value in values for name in value.split(",") if name.strip()]
    if not listed:
        raise InputError("--wrt needs variable names, e.g. --wrt x,y", kind="bad-option")
    return listed


# The shared options, in the order --help lists them: the formula and its point first, the
# command's own options next, how to run and show it last.
_LEADING = [("expression", Expression, None), ("at", At, None), ("file", File, None)]
_TRAILING = [("dtype", DtypeOption, Dtype.float64), ("precision", Precision, None),
             ("full", Full, False), ("exact", Exact, False), ("json", Json, False),
             ("seed", Seed, None), ("max_steps", MaxSteps, 1_000_000), ("timeout", Timeout, None),
             ("no_color", NoColor, False)]


def formula_command(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register `body(common, **own_options)` as the command `name`, with the shared options
    added to its signature (so to its --help) and gathered into `common`. Every failure inside
    is reported by `reporting` (as JSON with --json, or with --each, whose lines are JSON)."""

    def register(body: Callable[..., None]) -> Callable[..., None]:
        own = list(inspect.signature(body, eval_str=True).parameters.values())[1:]
        shared = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=d, annotation=a)
                  for n, a, d in _LEADING + _TRAILING]
        parameters = shared[:3] + [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] \
            + shared[3:]
        names = [n for n, _, _ in _LEADING + _TRAILING]

        def command(**options: Any) -> None:
            shared = {n: options.pop(n) for n in names}
            shared["at"] = list(shared["at"] or [])
            COLOR.off = shared["no_color"]
            batch = options.get("each") is not None
            with reporting(shared["json"] or batch, shared["timeout"],
                           program=shared["file"] is not None, batch=batch):
                # (numpy, here: not on the path of --help or Tab; a signal while it loads is
                # reported like any other)
                from adcli.views.numbers import Numbers

                shared["precision"] = Numbers(shared["precision"], exact=shared.pop("exact"),
                                              full=shared.pop("full"))
                body(Common(**shared), **options)

        command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in parameters}
        command.__doc__ = body.__doc__
        command.__name__ = body.__name__
        app.command(name, context_settings=FORMULA_COMMAND)(command)
        return body

    return register
