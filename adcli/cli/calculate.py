"""`adcli eval`, `adcli grad` and `adcli functions`."""

from __future__ import annotations

from typing import Any, List, Optional

import typer

from adcli.cli import complete
from adcli.cli.app import (
    AT, DTYPE, EACH, EXPRESSION, FILE, FORMULA_COMMAND, JSON, MAX_STEPS, MODE, PRECISION, SEED,
    Dtype, Mode, app, console, emit, load, reporting,
)
from adcli.errors import InputError

WRT = typer.Option(None, "--wrt", metavar="x,y",
                   help="Differentiate with respect to these variables only (default: all).",
                   autocompletion=complete.wrt)


STRICT = typer.Option(False, "--strict", help="Exit 1 if a value or gradient is nan or inf.")


def show(calc: Any, command: str, json_output: bool, precision: int, strict: bool = False,
         **extra: Any) -> None:
    """Print a calculation; where it holds a nan or an inf, say where that first appeared
    (and with --strict, make it an error instead)."""
    tape = None
    if (strict or not json_output) and not calc.finite:
        from adcli.language.evaluate import Session
        from adcli.language.tape import record

        # the same run again, recording everything: same seed, so the same draws
        again = Session(limits=calc.session.limits, seed=calc.session.seed)
        # forward mode (grad --mode forward) has no backward pass to look into
        backward = calc.gradient is not None and extra.get("mode") != "forward"
        tape = record(calc.formula, calc.at, calc.dtype, calc.wrt or None, backward=backward,
                      session=again)
    if strict and tape is not None:
        from adcli.cli.inspect import strict_error

        raise strict_error(tape)
    if json_output:
        from adcli.views import json_view

        emit(json_view.calculation(command, calc, **extra))
        return
    from adcli.views import text

    out = console()
    out.print(text.calculation(calc, precision))
    if tape is not None and tape.findings:
        from adcli.views import diagnostics

        out.print(diagnostics.findings(tape, precision))


def names(value: Optional[str]) -> Optional[list[str]]:
    """`--wrt x,y` as a list of names."""
    if value is None:
        return None
    listed = [name.strip() for name in value.split(",") if name.strip()]
    if not listed:
        raise InputError("--wrt needs variable names, e.g. --wrt x,y", kind="bad-option")
    return listed


@app.command("eval", context_settings=FORMULA_COMMAND)
def eval_command(
    expression: Optional[str] = EXPRESSION,
    at: List[str] = AT,
    file: Optional[str] = FILE,
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
    strict: bool = STRICT,
    seed: Optional[int] = SEED,
    max_steps: int = MAX_STEPS,
    each: Optional[str] = EACH,
) -> None:
    """The value of a formula (or a program) at a point."""
    with reporting(json_output or each is not None):
        from adcli.language.calculate import run_eval

        if each is not None:
            from adcli.cli.batch import run_batch

            raise typer.Exit(run_batch(
                "eval", expression, file, at, each, dtype.value, seed, max_steps,
                lambda formula, values, session: run_eval(formula, values, dtype.value, session)))
        formula, values, session = load(expression, file, at, dtype.value, seed, max_steps)
        calc = run_eval(formula, values, dtype.value, session)
        show(calc, "eval", json_output, precision, strict)


@app.command("grad", context_settings=FORMULA_COMMAND)
def grad_command(
    expression: Optional[str] = EXPRESSION,
    at: List[str] = AT,
    file: Optional[str] = FILE,
    wrt: Optional[str] = WRT,
    mode: Mode = MODE,
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
    strict: bool = STRICT,
    seed: Optional[int] = SEED,
    max_steps: int = MAX_STEPS,
    each: Optional[str] = EACH,
) -> None:
    """The value and the gradient. A non-scalar output is contracted with ones.

    Reverse mode by default; --mode forward takes one forward pass per input element."""
    with reporting(json_output or each is not None):
        if mode is Mode.forward:
            from adcli.language.derivatives import run_grad_forward as run
        else:
            from adcli.language.calculate import run_grad as run
        if each is not None:
            from adcli.cli.batch import run_batch

            raise typer.Exit(run_batch(
                "grad", expression, file, at, each, dtype.value, seed, max_steps,
                lambda formula, values, session: run(formula, values, dtype.value, names(wrt),
                                                     session),
                mode=mode.value))
        formula, values, session = load(expression, file, at, dtype.value, seed, max_steps)
        calc = run(formula, values, dtype.value, names(wrt), session)
        show(calc, "grad", json_output, precision, strict, mode=mode.value)
        if mode is Mode.forward and not json_output:
            from adcli.views.derivatives import forward_note

            console().print(forward_note(calc))


@app.command("functions")
def functions_command(json_output: bool = JSON) -> None:
    """Every built-in function and operator, with its derivative rule."""
    with reporting(json_output):
        from adcli.calculations.functions import function_table

        table = function_table()
        if json_output:
            from adcli.views import json_view

            emit(json_view.functions(table))
            return
        from adcli.views import text

        console().print(text.functions(table))
