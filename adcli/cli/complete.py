"""Tab completion that knows the formula language: function names inside the formula, the
formula's variables for `--wrt` and `--at NAME=`.

Every Tab press starts adcli again, so this module must stay cheap: no numpy, no lark. The
formula's variables are found by a small tokenizer instead of the parser, and the names the
language knows come from `vocabulary.py`, which scripts/gen_completions.py writes from the
registry and the grammar (a test fails when it is stale).
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from adcli.cli.vocabulary import CONSTANTS, FUNCTIONS, KEYWORDS

Candidate = tuple[str, str]  # (what is inserted, the help a shell may show beside it)

# The grammar's NUMBER and NAME terminals (grammar/formula.lark). A number is matched first so
# that the `e` of `1e-3` and the `2` of `2x` are not taken for names.
_TOKEN = re.compile(r"(?P<number>(\d+(\.(?!\.)\d*)?|(?<!\.)\.\d+)([eE][+-]?\d+)?)"
                    r"|(?P<name>(?![²³¹⁰-₟π])[^\W\d](?:(?![²³¹⁰-₟π])\w)*)")
# `--at` specs name their variable like this (adcli/language/inputs.py).
_NAMED = re.compile(r"\s*([^\W\d]\w*)\s*=(?!=)")


# What is not a variable although it looks like a name: a keyword argument's name (`axis=`, not
# `axis ==`) and the letters inside a quoted text (einsum's 'ij,jk->ik').
_NOT_NAMES = re.compile(r"""'[^']*'?|"[^"]*"?|[^\W\d]\w*(?=\s*=(?!=))""")


def names(text: str) -> Iterator[re.Match[str]]:
    """Every name in a formula, in order, as a match (its span ends where the name ends)."""
    hidden = _NOT_NAMES.sub(lambda m: " " * len(m.group()), text)
    for token in _TOKEN.finditer(hidden):
        if token.group("name"):
            yield token


def variables(text: str) -> list[str]:
    """The formula's variables in order of first appearance, as `parse(text).variables` gives
    them for a formula that parses; also for one that is still being typed."""
    found = (m.group() for m in names(text))
    return list(dict.fromkeys(n for n in found if _is_variable(n)))


def _is_variable(name: str) -> bool:
    return name not in FUNCTIONS and name not in CONSTANTS and name not in KEYWORDS


def formula(ctx: Any, incomplete: str) -> list[Candidate]:
    """The formula argument: complete the name under the cursor to a function (`si` → `sin(`,
    `sinh(`, `sign(`), a constant, a keyword or a variable used earlier in the formula."""
    return _words(incomplete, variables_too=True)


def _words(text: str, variables_too: bool) -> list[Candidate]:
    """Complete the name that `text` ends with; nothing if it ends with anything else (an
    operator, a number, a space: the cursor is not in a name)."""
    found = list(names(text))
    if not found or found[-1].end() != len(text):
        return []
    head, word = text[: found[-1].start()], found[-1].group()
    known: list[Candidate] = [(f"{name}(", about) for name, about in FUNCTIONS.items()]
    known += [(name, "constant") for name in CONSTANTS]
    known += [(name, "keyword") for name in KEYWORDS]
    if variables_too:
        known += [(name, "variable") for name in variables(head)]
    return [(head + name, about) for name, about in known if name.startswith(word)]


def at(ctx: Any, incomplete: str) -> list[Candidate]:
    """`--at`: `NAME=` for each variable of the formula not given a value yet. The value is
    the formula language again (`--at x=lin` → `x=linspace(`), so names complete there too,
    and a range takes a count of points (`--at x=-2..2` → `x=-2..2:100`, …)."""
    return _value_of("at", ctx, incomplete, "a value for this variable")


def tangent(ctx: Any, incomplete: str) -> list[Candidate]:
    """`--tangent`: `NAME=` for each variable not given a tangent yet, then its value."""
    return _value_of("tangent", ctx, incomplete, "the direction this variable moves in")


def _value_of(option: str, ctx: Any, incomplete: str, about: str) -> list[Candidate]:
    if _NAMED.match(incomplete):
        return _words(incomplete, variables_too=False) + counts(incomplete)
    given = {m.group(1) for spec in ctx.params.get(option) or () if (m := _NAMED.match(spec))}
    found = [(f"{name}=", about) for name in variables(typed_formula(ctx)) if name not in given]
    return found + _words(incomplete, variables_too=False) + counts(incomplete)


# A range at the end of what is typed (`-2..2`, `0..=pi/2`), and a count being typed after it.
_RANGE = re.compile(r"(?P<range>.*\.\.=?[^.:]*[\w)\]])(?::(?P<count>\d*))?\Z")
COUNTS = (50, 100, 200, 400, 1000)


def counts(text: str) -> list[Candidate]:
    """After a range, its count of points: `0..1` → `0..1:50`, `0..1:100`, …; only after the
    `:` when the range ends with a name (which completes as a name first)."""
    found = _RANGE.match(text)
    if not found or (found.group("count") is None and not text[-1:].isdigit()
                     and text[-1:] != ")"):
        return []
    typed = found.group("count") or ""
    return [(f"{found.group('range')}:{n}", f"{n} points, evenly spaced") for n in COUNTS
            if str(n).startswith(typed)]


def wrt(ctx: Any, incomplete: str) -> list[Candidate]:
    """`--wrt x,y`: the formula's variables, one more after each comma."""
    head, _, word = incomplete.rpartition(",")
    earlier = ",".join(ctx.params.get("wrt") or ())  # --wrt x --wrt <Tab>
    chosen = {name.strip() for name in f"{earlier},{head}".split(",")}
    prefix = f"{head}," if head else ""
    return [(prefix + name, "variable") for name in variables(typed_formula(ctx))
            if name not in chosen and name.startswith(word)]


def precision(ctx: Any, incomplete: str) -> list[Candidate]:
    """The range of --precision (rather than file names, a shell's fallback)."""
    return [(str(digits), "significant digits") for digits in range(1, 18)]


def typed_formula(ctx: Any) -> str:
    """The formula typed so far on the command line, while some option's value is completed.

    Click leaves positional arguments out of `ctx.params` when the words end with an option
    that waits for its value (pallets/click#2184: `adcli grad "x*y" --wrt <Tab>` sees
    `expression=None`); the formula is then the first word the parse left over in `ctx.args`.
    """
    value: Optional[str] = ctx.params.get("expression")
    if value:
        return value
    return next(iter(ctx.args), "")
