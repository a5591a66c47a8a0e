"""`--at`: the point a formula is evaluated at.

Each spec is `name=EXPR`, or just `EXPR` when the formula has one variable, or `-` for a JSON
object on standard input. EXPR is the formula language itself, evaluated as a constant:
`0..5`, `[1,2,3]`, `linspace(0,1,11)`, `pi/4`.
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import numpy as np

if TYPE_CHECKING:  # (numpy.typing costs 2 ms of every start)
    import numpy.typing as npt

from adcli.engine.errors import OpError
from adcli.errors import AdcliError, InputError
from adcli.language.evaluate import Session, evaluate
from adcli.language.parser import parse
from adcli.ops import limits
from adcli.ops.limits import check_size

_NAMED = re.compile(r"\s*([^\W\d]\w*)\s*=(?!=)(.*)\Z", re.DOTALL)
_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "+inf": math.inf}


def constant(text: str, dtype: npt.DTypeLike, session: Session | None = None) -> np.ndarray:
    """Evaluate EXPR of `--at name=EXPR`: the formula language, with no variables (randn and
    rand draw from the session's generator, so --seed repeats them)."""
    formula = parse(text)
    if formula.variables:
        names = ", ".join(f"`{v}`" for v in formula.variables)
        raise InputError(
            f"a value given with --at cannot use variables, but this one uses {names}",
            kind="bad-at", source=text, hint="use numbers, ranges, constants and functions",
        )
    result = evaluate(formula, {}, dtype, session)
    return np.asarray(result.data, dtype=dtype)


# Integers as floats, which is what they become: a 5,000-digit integer is then inf (as 1e400
# is), not a refusal of Python's int parser. (One decoder: json.loads makes one per call.)
_DECODER = json.JSONDecoder(parse_int=float)


def from_json(raw: str, dtype: npt.DTypeLike, what: str = "--at - expects a JSON object on standard input"
              ) -> dict[str, np.ndarray]:
    try:
        document = (_DECODER.decode(raw) if not raw.startswith("\ufeff")
                    else json.loads(raw, parse_int=float))  # (which names the BOM)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what}: {exc}", kind="bad-at") from None
    except RecursionError:  # json's C parser counts its depth: [[[…]]] 100,000 deep
        raise InputError(f"{what}: it nests too deeply (an array has at most "
                         f"{limits.MAX_DIMENSIONS} dimensions)", kind="bad-at") from None
    if not isinstance(document, dict):
        raise InputError(f"{what}, such as {{\"x\": [1, 2, 3]}}", kind="bad-at")
    return {str(name): json_array(value, name, dtype) for name, value in document.items()}


def json_array(value: object, name: str, dtype: npt.DTypeLike) -> np.ndarray:
    """A JSON number or (nested) list as an array; "nan", "inf", "-inf" as in adcli's output."""

    def number(item: Any, depth: int = 0) -> Any:
        if isinstance(item, list):
            if depth >= limits.MAX_DIMENSIONS:
                raise InputError(f"the value of `{name}` nests more than "
                                 f"{limits.MAX_DIMENSIONS} deep", kind="bad-at")
            if all(type(i) is float for i in item):  # (what JSON lines hold most)
                return item
            return [number(i, depth + 1) for i in item]
        if isinstance(item, str) and item.lower() in _NON_FINITE:
            return _NON_FINITE[item.lower()]
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            raise InputError(f"the value of `{name}` must hold numbers, found {item!r}",
                             kind="bad-at")
        return item

    try:
        array = np.array(number(value), dtype=dtype)
    except ValueError:
        raise InputError(f"the value of `{name}` is not a rectangular array", kind="bad-at") from None
    check_size(array.size, f"the value of `{name}`")
    return array


class CsvPoints:
    """--each in CSV: a header naming the variables (those --at does not give), then one
    point per row, one number per variable (nan, inf and -inf as written)."""

    def __init__(self, header: str, variables: Sequence[str], given: Iterable[str],
                 dtype: npt.DTypeLike) -> None:
        import csv  # (here: only --each of CSV lines needs it)

        names = [name.strip() for name in next(csv.reader([header]))]
        given = set(given)
        expected = [name for name in variables if name not in given]
        unknown = [name for name in names if name not in expected]
        missing = [name for name in expected if name not in names]
        if unknown or missing or len(set(names)) != len(names):
            what = (f"names `{unknown[0]}`, which is not a variable to give here" if unknown
                    else f"lacks `{missing[0]}`" if missing else "names a variable twice")
            raise InputError(
                f"the CSV header of --each {what}: expected a header naming "
                f"{','.join(expected) or 'no variable'} (the formula's variables"
                f"{' that --at does not give' if given else ''}), found {header.strip()!r}",
                kind="bad-each", hint=f"a first line such as {','.join(expected) or '…'}")
        self.names = names
        self.dtype = dtype

    def row(self, line: str) -> dict[str, np.ndarray]:
        import csv

        cells = next(csv.reader([line]))
        if len(cells) != len(self.names):
            raise InputError(f"this row has {len(cells)} value{'s' * (len(cells) != 1)}, the "
                             f"header names {len(self.names)} ({','.join(self.names)})",
                             kind="bad-each")
        values = {}
        for name, cell in zip(self.names, cells):
            try:
                values[name] = np.array(float(cell), dtype=self.dtype)
            except ValueError:
                raise InputError(f"the value of `{name}` must be a number, not {cell.strip()!r}",
                                 kind="bad-each") from None
        return values


def split_spec(spec: str) -> tuple[str | None, str]:
    """`name=EXPR` as (name, EXPR); a bare EXPR as (None, EXPR)."""
    named = _NAMED.match(spec)
    return (named.group(1), named.group(2)) if named else (None, spec)


def _value_hint(text: str) -> str | None:
    """What a value that does not parse was probably meant to be, in the language's words."""
    plain = text.strip()
    if "..." in plain:
        return "a range has two dots: 0..5 (0..=5 includes 5)"
    if ".." in plain and ":" in plain:
        return "a count of points follows a range's end: 0..1:50 (0..=1:51 includes 1)"
    if ":" in plain and "[" not in plain:
        return "a range is written with two dots: 0..5 (0..=5 includes 5)"
    if "," in plain and "[" not in plain and "(" not in plain:
        if re.search(r",\s*[^\W\d]\w*\s*=", plain):
            return "one --at per variable: --at x=1 --at y=2"
        return f"a list is written in brackets: [{plain}]"
    return None


def bind(
    specs: Iterable[str],
    variables: tuple[str, ...],
    dtype: npt.DTypeLike,
    read_stdin: Callable[[], str],
    session: Session | None = None,
    given: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Resolve every --at spec to a named array and check them against the formula's variables.
    `given` holds values that arrived another way (a line of --each)."""
    values: dict[str, np.ndarray] = dict(given or {})

    def put(name: str, value: np.ndarray) -> None:
        if name in values:
            raise InputError(f"`{name}` is given more than once with --at", kind="bad-at")
        values[name] = value

    for spec in specs:
        if spec.strip() == "-":
            for name, value in from_json(read_stdin(), dtype).items():
                put(name, value)
            continue
        named = _NAMED.match(spec)
        if named:
            name, text = named.group(1), named.group(2)
        elif len(variables) == 1:
            name, text = variables[0], spec
        else:
            listed = ", ".join(variables) if variables else "none"
            raise InputError(
                f"--at {spec} does not say which variable it is for (the formula's variables: {listed})",
                kind="bad-at", hint=f"write --at {variables[0] if variables else 'x'}={spec}",
            )
        try:
            put(name, constant(text, dtype, session))
        except OpError as exc:  # pragma: no cover - evaluate() reports OpErrors itself
            raise InputError(f"--at {name}: {exc.message}", kind="bad-at") from None
        except AdcliError as error:
            error.message = f"--at {name}={text}: {error.message}"
            if error.kind == "syntax":
                error.hint = _value_hint(text) or error.hint
            raise

    if session is not None:
        session.draws.clear()  # a draw in --at is that variable's value, shown as such
    unused = [name for name in values if name not in variables]
    if unused:
        listed = ", ".join(variables) if variables else "none"
        raise InputError(
            f"a value is given for `{unused[0]}`, which the formula does not use "
            f"(its variables: {listed})",
            kind="unused-variable",
        )
    missing = [name for name in variables if name not in values]
    if missing:
        raise InputError(
            f"no value for `{missing[0]}`: add --at {missing[0]}=…",
            kind="missing-variable",
            hint="for example --at x=0..5, --at x=[1,2,3] or --at x=pi/4",
        )
    return values
