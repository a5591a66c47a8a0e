"""`adcli jacobian`, `adcli hessian`, `adcli compare` and `adcli check`: derivative matrices,
forward mode against reverse mode, and the automatic derivative against finite differences."""

from __future__ import annotations

from typing import Any, List, Optional

import typer

from adcli.cli.app import (
    AT, DTYPE, EXPRESSION, FILE, FORMULA_COMMAND, JSON, MAX_STEPS, MODE, PRECISION, SEED, TIMEOUT,
    Dtype, Mode, app, console, emit, load, reporting,
)
from adcli.cli.calculate import WRT, names

HESSIAN_MODE = typer.Option(Mode.forward, "--mode",
                            help="forward: forward-over-reverse, one forward pass per input "
                            "element through the recorded gradient (JAX's choice); reverse: "
                            "reverse-over-reverse, one backward pass per input element.")
RTOL = typer.Option(None, "--rtol", min=0.0,
                    help="Relative tolerance (default 1e-3 in float64, 1e-2 in float32).")
ATOL = typer.Option(None, "--atol", min=0.0,
                    help="Absolute tolerance (default 1e-5 in float64, 1e-3 in float32).")


def _show(document: Any, renderable: Any, json_output: bool) -> None:
    if json_output:
        emit(document())
    else:
        console().print(renderable())


@app.command("jacobian", context_settings=FORMULA_COMMAND)
def jacobian_command(
    expression: Optional[str] = EXPRESSION,
    at: List[str] = AT,
    file: Optional[str] = FILE,
    wrt: Optional[str] = WRT,
    mode: Mode = MODE,
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
    seed: Optional[int] = SEED,
    max_steps: int = MAX_STEPS,
    timeout: Optional[float] = TIMEOUT,
) -> None:
    """The Jacobian: per variable, a row per element of f, a column per element of the variable."""
    with reporting(json_output, timeout, file is not None):
        from adcli.language.derivatives import run_jacobian
        from adcli.views import derivatives as view

        formula, values, session = load(expression, file, at, dtype.value, seed, max_steps)
        result = run_jacobian(formula, values, dtype.value, names(wrt), mode.value, session)
        _show(lambda: view.jacobian_json(result), lambda: view.jacobian(result, precision),
              json_output)


@app.command("hessian", context_settings=FORMULA_COMMAND)
def hessian_command(
    expression: Optional[str] = EXPRESSION,
    at: List[str] = AT,
    file: Optional[str] = FILE,
    wrt: Optional[str] = WRT,
    mode: Mode = HESSIAN_MODE,
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
    seed: Optional[int] = SEED,
    max_steps: int = MAX_STEPS,
    timeout: Optional[float] = TIMEOUT,
) -> None:
    """The Hessian of a formula whose value is one number: ∂²f/∂a∂b for each pair of variables."""
    with reporting(json_output, timeout, file is not None):
        from adcli.language.derivatives import run_hessian
        from adcli.views import derivatives as view

        formula, values, session = load(expression, file, at, dtype.value, seed, max_steps)
        outer = "forward-over-reverse" if mode is Mode.forward else "reverse-over-reverse"
        result = run_hessian(formula, values, dtype.value, names(wrt), outer, session)
        _show(lambda: view.hessian_json(result), lambda: view.hessian(result, precision),
              json_output)


@app.command("compare", context_settings=FORMULA_COMMAND)
def compare_command(
    expression: Optional[str] = EXPRESSION,
    at: List[str] = AT,
    file: Optional[str] = FILE,
    wrt: Optional[str] = WRT,
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
    seed: Optional[int] = SEED,
    max_steps: int = MAX_STEPS,
    timeout: Optional[float] = TIMEOUT,
) -> None:
    """Forward and reverse mode side by side: passes, operations, tape, time, and which wins.

    Both compute the whole Jacobian: forward mode one pass per input element, reverse mode one
    backward pass per output element."""
    with reporting(json_output, timeout, file is not None):
        from adcli.language.compare import run_compare
        from adcli.views import derivatives as view

        formula, values, session = load(expression, file, at, dtype.value, seed, max_steps)
        result = run_compare(formula, values, dtype.value, names(wrt), session)
        _show(lambda: view.compare_json(result), lambda: view.compare(result, precision),
              json_output)


@app.command("check", context_settings=FORMULA_COMMAND)
def check_command(
    expression: Optional[str] = EXPRESSION,
    at: List[str] = AT,
    file: Optional[str] = FILE,
    wrt: Optional[str] = WRT,
    mode: Mode = MODE,
    rtol: Optional[float] = RTOL,
    atol: Optional[float] = ATOL,
    dtype: Dtype = DTYPE,
    precision: int = PRECISION,
    json_output: bool = JSON,
    seed: Optional[int] = SEED,
    max_steps: int = MAX_STEPS,
    timeout: Optional[float] = TIMEOUT,
) -> None:
    """The automatic derivative against central finite differences, like torch's gradcheck.

    The whole Jacobian is checked; exit 1 when an entry disagrees beyond the tolerance."""
    with reporting(json_output, timeout, file is not None):
        from adcli.language.check import run_check
        from adcli.views import derivatives as view

        formula, values, session = load(expression, file, at, dtype.value, seed, max_steps)
        result = run_check(formula, values, dtype.value, names(wrt), mode.value, rtol, atol,
                           session)
        _show(lambda: view.check_json(result), lambda: view.check(result, precision),
              json_output)
        if not result.passed:
            raise typer.Exit(1)
