"""`--each FILE|-`: one formula, many points. Newline-delimited JSON in (an object of variable
values per line, or CSV under a header line), one JSON result per line out; the formula is
parsed once. Every line gets its
answer or its error object, in order, whatever goes wrong on it (a crash, a line that is not
UTF-8, a line that runs out of time: --timeout counts per line); the exit code is the worst
line's. Only a signal (Ctrl-C) or an unwritable output stops the batch."""

from __future__ import annotations

import functools
import os
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

from adcli.cli import deadline, limits, streams
from adcli.cli.app import emit, failure
from adcli.cli.options import Common
from adcli.errors import InputError, Stopped

if TYPE_CHECKING:
    from adcli.calculations import Point


_UNTIMED = nullcontext()  # a line with no --timeout (entered once per line: reused)


def _lines(each: str, limit: int) -> tuple[Iterator[tuple[int, Any, Any]], Optional[int], Any]:
    """The numbered lines, how many there are (for the progress bar; None for a stream), and
    the file to close."""
    if each == "-":
        return streams.lines(streams.stdin(), limit), None, None
    from adcli.views.printable import printable

    try:
        handle = open(each, "rb")
        total = None
        if streams.STDERR.isatty() and os.path.isfile(each):  # (not /dev/zero, not a fifo)
            with open(each, "rb") as counting:
                total = sum(chunk.count(b"\n")
                            for chunk in iter(lambda: counting.read(1 << 20), b""))
    except OSError as exc:
        raise InputError(f"cannot read {printable(each)}: {exc.strerror}",
                         kind="bad-file") from None
    return streams.lines(handle, limit), total, handle


def _given(specs: list[str]) -> list[str]:
    """The variables --at names (`x=…`); a bare value or `-` names none here."""
    from adcli.calculations.inputs import split_spec

    return [name for name, _ in map(split_spec, specs) if name is not None]


def _progress(total: Optional[int]) -> Any:
    """A progress bar on stderr for people at a terminal; nothing at all in a pipe."""
    if not streams.STDERR.isatty():
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import Progress

    return Progress(transient=True, console=Console(file=streams.STDERR),
                    redirect_stdout=False, redirect_stderr=False)


def run_batch(command: str, common: Common, each: str, compute: Callable[[Point], Any],
              document_of: Optional[Callable[[Any], dict[str, Any]]] = None) -> int:
    """Answer `compute(point)` for each line's point, written as `document_of(answer)` (by
    default eval's or grad's object); returns the exit code (the worst line's)."""
    from adcli.calculations import DTYPES, bind_point
    from adcli.calculations.inputs import CsvPoints, from_json
    from adcli.engine.state import STATE
    from adcli.views import json_view

    if any(spec.strip() == "-" for spec in common.at) and each == "-":
        raise InputError("standard input can hold the points (--each -) or the values "
                         "(--at -), not both", kind="usage")
    seconds = limits.timeout(common.timeout, common.file is not None)
    formula = common.formula()
    dtype, bounds = DTYPES[common.dtype.value], common.limits()  # the same for every line
    limit = limits.current().max_input
    lines, total, handle = _lines(each, limit)
    # --at - is read once and shared by every line
    stdin_values = functools.cache(lambda: streams.read_stdin(limit, "--at -"))
    worst = 0
    try:
        with _progress(total) as progress:
            task = progress.add_task(f"adcli {command}", total=total) if progress else None
            rows = None  # CsvPoints once a first line that is not a JSON object names the variables
            for number, line, problem in lines:
                if line is not None and not line.strip():
                    continue
                if number == 1 and line is not None and not line.lstrip().startswith("{"):
                    rows = CsvPoints(line, formula.variables, _given(common.at), dtype)
                    continue
                try:
                    if problem is not None:
                        raise problem
                    STATE.reset()
                    with deadline.clock(seconds) if seconds is not None else _UNTIMED:
                        given = (rows.row(line) if rows is not None else
                                 from_json(line, dtype,
                                           "--each expects a JSON object on every line"))
                        point = bind_point(formula, common.at, dtype=dtype,
                                           limits=bounds, seed=common.seed,
                                           read_stdin=stdin_values, given=given)
                        answer = compute(point)
                        document = (document_of(answer) if document_of is not None
                                    else json_view.calculation(command, answer))
                except Stopped as stopped:
                    if stopped.kind != "timeout":
                        raise  # Ctrl-C, SIGTERM: the batch stops (after the lines it wrote)
                    document = json_view.error(stopped.error())
                except (KeyboardInterrupt, streams.OutputError):
                    raise
                except BaseException as exc:  # noqa: B036  (one bad line never ends the batch)
                    document = json_view.error(failure(exc))
                worst = max(worst, document.get("error", {}).get("exit_code", 0))
                document["line"] = number
                emit(document)
                streams.STDOUT.flush()
                if progress:
                    progress.advance(task)
    finally:
        if handle is not None:
            handle.close()
    return worst
