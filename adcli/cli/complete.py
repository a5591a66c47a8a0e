"""Tab completion that knows the formula language: function names inside the formula, the
formula's variables for `--wrt` and `--at NAME=`.

Every Tab press starts adcli again, so this module must stay cheap: no numpy, no lark. The
formula's variables are found by a small tokenizer instead of the parser, and the names the
language knows come from `vocabulary.py`, which scripts/gen_completions.py writes from the
registry and the grammar (a test fails when it is stale).
"""

from __future__ import annotations

import re
TYPE_CHECKING = False  # not typing's: importing typing costs a Tab press 10% more
if TYPE_CHECKING:
    from typing import Any, Iterator, Optional

    Context = Any
else:
    Context = object  # click's; typer evaluates the callbacks' annotations and passes it by name

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


# A program's lines: `NAME = …` assigns, `for NAME in …:` binds NAME, `def NAME(a, b):` defines a
# function whose body (the lines indented under it) has a and b bound.
_ASSIGN = re.compile(r"\s*([^\W\d]\w*)\s*=(?!=)")
_FOR = re.compile(r"\s*for\s+([^\W\d]\w*)\s+in\b")
_DEF = re.compile(r"\s*def\s+([^\W\d]\w*)\s*\(([^)]*)\)")
_PROGRAM_WORDS = {"if", "elif", "else", "while", "for", "in", "def", "return", "pass"}


def program_variables(text: str) -> list[str]:
    """A program's inputs (the names it reads before anything assigns them), in order of first
    appearance, as `parse(text, program=True).variables` gives them for the programs people
    write: statements are read in the order of the text, and a function's body may also read
    every name the top level assigns (it is called after them)."""
    statements = _statements(text)
    top = {name for indent, line in statements if indent == 0 or not _in_def(statements, line)
           for name in _targets(line)}
    free: dict[str, None] = {}
    bound: set[str] = set()
    functions = {d.group(1) for _, line in statements if (d := _DEF.match(line))}
    local: set[str] | None = None  # the names bound inside the def being read
    def_indent = 0
    for indent, line in statements:
        if local is not None and indent <= def_indent:
            local = None
        defined = _DEF.match(line)
        if defined:
            params = {p.strip() for p in defined.group(2).split(",") if p.strip()}
            local, def_indent = params | top, indent
            continue
        scope = bound if local is None else local
        target = _ASSIGN.match(line) or _FOR.match(line)
        body = line[target.end():] if target else line
        for name in variables(body):
            if name not in scope and name not in functions and name not in _PROGRAM_WORDS:
                free.setdefault(name)
        if target:
            scope.add(target.group(1))
    return list(free)


def _statements(text: str) -> list[tuple[int, str]]:
    """(indentation, text) of each statement: comments dropped, lines joined inside brackets
    and after a backslash, `;` and `if …: x = 1` split."""
    out: list[tuple[int, str]] = []
    pending, depth = "", 0
    for raw in text.splitlines():
        line = raw.split("#", 1)[0]
        if not pending:
            indent = len(line) - len(line.lstrip(" \t"))
        pending += line.rstrip("\\") + " "
        depth += line.count("(") + line.count("[") - line.count(")") - line.count("]")
        if depth > 0 or line.rstrip().endswith("\\"):
            continue
        for part in pending.split(";"):
            head, colon, rest = part.partition(":")
            if colon and re.match(r"\s*(if|elif|else|while|for|def)\b", head) and rest.strip():
                out += [(indent, head), (indent + 1, rest)]
            elif part.strip():
                out.append((indent, part))
        pending, depth = "", 0
    return out


def _targets(line: str) -> list[str]:
    target = _ASSIGN.match(line) or _FOR.match(line)
    return [target.group(1)] if target else []


def _in_def(statements: list[tuple[int, str]], line: str) -> bool:
    """Whether the statement `line` sits in a def's body."""
    inside, def_indent = False, 0
    for indent, text in statements:
        if inside and indent <= def_indent:
            inside = False
        if _DEF.match(text):
            inside, def_indent = True, indent
            continue
        if text is line:
            return inside
    return False


def _is_variable(name: str) -> bool:
    return name not in FUNCTIONS and name not in CONSTANTS and name not in KEYWORDS


def formula(ctx: Context, incomplete: str) -> list[Candidate]:
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


def at(ctx: Context, incomplete: str) -> list[Candidate]:
    """`--at`: `NAME=` for each variable of the formula not given a value yet. The value is
    the formula language again (`--at x=lin` → `x=linspace(`), so names complete there too,
    and a range takes a count of points (`--at x=-2..2` → `x=-2..2:100`, …)."""
    return _value_of("at", ctx, incomplete, "a value for this variable")


def tangent(ctx: Context, incomplete: str) -> list[Candidate]:
    """`--tangent`: `NAME=` for each variable not given a tangent yet, then its value."""
    return _value_of("tangent", ctx, incomplete, "the direction this variable moves in")


def _value_of(option: str, ctx: Context, incomplete: str, about: str) -> list[Candidate]:
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


def wrt(ctx: Context, incomplete: str) -> list[Candidate]:
    """`--wrt x,y`: the formula's variables, one more after each comma."""
    head, _, word = incomplete.rpartition(",")
    earlier = ",".join(ctx.params.get("wrt") or ())  # --wrt x --wrt <Tab>
    chosen = {name.strip() for name in f"{earlier},{head}".split(",")}
    prefix = f"{head}," if head else ""
    return [(prefix + name, "variable") for name in variables(typed_formula(ctx))
            if name not in chosen and name.startswith(word)]


def precision(ctx: Context, incomplete: str) -> list[Candidate]:
    """The range of --precision (rather than file names, a shell's fallback)."""
    return [(str(digits), "significant digits") for digits in range(1, 18)]


def typed_formula(ctx: Context) -> str:
    """The formula typed so far on the command line, while some option's value is completed.

    Click leaves positional arguments out of `ctx.params` when the words end with an option
    that waits for its value (pallets/click#2184: `adcli grad "x*y" --wrt <Tab>` sees
    `expression=None`); the formula is then the first word the parse left over in `ctx.args`.
    """
    value: Optional[str] = ctx.params.get("expression")
    if value:
        return value
    return next(iter(ctx.args), "")
