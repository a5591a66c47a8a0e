"""`--each FILE|-`: one formula, many points. Newline-delimited JSON in (an object of variable
values per line), one JSON result per line out; the formula is parsed once. A bad line gets an
error object on its own output line and the batch goes on; the exit code is the worst line's."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

from adcli.cli.app import emit
from adcli.cli.options import Common
from adcli.errors import AdcliError, InputError

if TYPE_CHECKING:
    from adcli.calculations import Point


def _lines(each: str) -> tuple[Iterator[str], Optional[int]]:
    if each == "-":
        return iter(sys.stdin), None
    try:
        with open(each, encoding="utf-8") as handle:
            lines = handle.readlines()
    except OSError as exc:
        raise InputError(f"cannot read {each}: {exc.strerror}", kind="bad-file") from None
    return iter(lines), len(lines)


def _given(specs: list[str]) -> list[str]:
    """The variables --at names (`x=…`); a bare value or `-` names none here."""
    from adcli.calculations.inputs import split_spec

    return [name for name, _ in map(split_spec, specs) if name is not None]


def _progress(total: Optional[int]) -> Any:
    """A progress bar on stderr for people at a terminal; nothing at all in a pipe."""
    if not sys.stderr.isatty():
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import Progress

    return Progress(transient=True, console=Console(stderr=True), redirect_stdout=False,
                    redirect_stderr=False)


def run_batch(command: str, common: Common, each: str, compute: Callable[[Point], Any],
              document_of: Optional[Callable[[Any], dict[str, Any]]] = None) -> int:
    """Answer `compute(point)` for each line's point, written as `document_of(answer)` (by
    default eval's or grad's object); returns the exit code (the worst line's)."""
    from adcli.calculations import DTYPES, bind_point
    from adcli.calculations.inputs import CsvPoints, from_json
    from adcli.views import json_view

    if any(spec.strip() == "-" for spec in common.at) and each == "-":
        raise InputError("standard input can hold the points (--each -) or the values "
                         "(--at -), not both", kind="usage")
    formula = common.formula()
    dtype = DTYPES[common.dtype.value]
    lines, total = _lines(each)
    worst = 0
    with _progress(total) as progress:
        task = progress.add_task(f"adcli {command}", total=total) if progress else None
        rows = None  # CsvPoints once a first line that is not a JSON object names the variables
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if number == 1 and not line.lstrip().startswith("{"):
                rows = CsvPoints(line, formula.variables, _given(common.at), dtype)
                continue
            try:
                given = (rows.row(line) if rows is not None else
                         from_json(line, dtype, "--each expects a JSON object on every line"))
                point = bind_point(formula, common.at, dtype=dtype, limits=common.limits(),
                                   seed=common.seed, read_stdin=sys.stdin.read, given=given)
                answer = compute(point)
                document = (document_of(answer) if document_of is not None
                            else json_view.calculation(command, answer))
            except AdcliError as err:
                document = json_view.error(err)
                worst = max(worst, err.exit_code)
            document["line"] = number
            emit(document)
            sys.stdout.flush()
            if progress:
                progress.advance(task)
    return worst
