"""The session's names: values, formulas and defs, and `ans`, the last answer's value.

A value is an array (`x = 0..5`). A formula is text, kept as typed and evaluated when asked,
with the values its names have then (`f = log(x*x)·sin(x) + 1/x` follows x, and `grad f`
differentiates it with respect to x). A def is a program's `def`, called like a built-in.

What is typed becomes the formula a calculation takes (`compose`): a stored formula's name is
filled in with its text, in parentheses (`f^2` is `(log(x*x)·sin(x) + 1/x)^2`), and when a
session def is called, the defs it needs follow the text as one program. The commands get the
same through `adcli.cli.options.Names`, which this class is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from adcli.cli.complete import names as name_tokens
from adcli.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from adcli.calculations import Point
    from adcli.language.parser import Formula

ANS = ("ans", "_")  # the last answer's value
PROGRAM_NAME = "this session"  # what a command's header calls a formula that uses session defs
MAX_EXPANDED = 2_000_000  # characters, the parser's own limit
_NAMED_AT = re.compile(r"\s*([^\W\d]\w*)\s*=(?!=)")


@dataclass(frozen=True)
class Value:
    array: np.ndarray


@dataclass(frozen=True)
class Expression:
    text: str


class Names:
    """The names of one session, in the order they were made."""

    def __init__(self) -> None:
        self.entries: dict[str, Value | Expression] = {}
        self.defs: dict[str, str] = {}  # name → the def's source
        self._ans: np.ndarray | None = None
        self._ans_point: Point | None = None  # evaluated only if `ans` is read
        self._asked: Point | None = None
        self._asked_text: str | None = None
        self.last_question: str | None = None  # the last formula answered, as typed

    # -- what the commands ask (adcli.cli.options.Names) --------------------------------------

    def formula(self, text: str) -> Formula:
        self._asked_text = text
        return self.compose(text)

    def values(self, formula: Formula, at: Sequence[str]) -> dict[str, np.ndarray]:
        """The session's values of the formula's variables that `--at` does not give (a formula
        name met in a program from -f is given its current value)."""
        given = {m.group(1) for spec in at if (m := _NAMED_AT.match(spec))}
        if len(formula.variables) == 1 and any(not _NAMED_AT.match(s) for s in at):
            given.add(formula.variables[0])  # `--at 0..5` for the one variable
        return {name: self.value_of(name) for name in formula.variables
                if name not in given and self.has_value(name)}

    def asked(self, point: Point) -> None:
        self._asked = point

    # -- ans -----------------------------------------------------------------------------------

    def answered(self, value: np.ndarray | None = None, text: str | None = None) -> None:
        """The question just asked was answered: `ans` is its value (given, or that of the point
        the command asked about, evaluated when `ans` is first read)."""
        if value is not None:
            self._ans, self._ans_point = value, None
        elif self._asked is not None:
            self._ans, self._ans_point = None, self._asked
        text = text if text is not None else self._asked_text if self._asked else None
        if text is not None:
            self.last_question = text
        self.forget_question()

    def forget_question(self) -> None:
        self._asked = None
        self._asked_text = None

    def has_value(self, name: str) -> bool:
        if name in ANS:
            return self._ans is not None or self._ans_point is not None
        return name in self.entries

    def value_of(self, name: str) -> np.ndarray:
        from adcli.calculations import value

        if name in ANS:
            if self._ans is None:
                if self._ans_point is None:
                    raise InputError("`ans` is the last answer's value, and nothing has been "
                                     "answered yet", kind="missing-variable")
                self._ans, self._ans_point = value(self._ans_point).value, None
            return self._ans
        entry = self.entries[name]
        if isinstance(entry, Value):
            return entry.array
        return value(self.point(self.compose(name))).value

    def point(self, formula: Formula, seed: Callable[[], int] | None = None) -> Point:
        """The formula at the session's values; a name without one is an error that says so.
        `seed` gives the seed of its random draws, asked only if it draws."""
        from adcli.calculations import bind_point

        for name in formula.variables:
            if not self.has_value(name):
                raise missing(formula.source, name)
        drawn = seed() if seed is not None and self.draws(formula.source) else None
        return bind_point(formula, (), seed=drawn,
                          given={n: self.value_of(n) for n in formula.variables})

    # -- formulas ------------------------------------------------------------------------------

    def reads(self, text: str) -> list[str]:
        """The names a formula's text reads (not calls, not `axis=` of a call), in order."""
        found = (m.group() for m in name_tokens(text) if not _called(text, m.end())
                 and not _keyword(text, m.end()))
        return list(dict.fromkeys(found))

    def reaches(self, names: Iterable[str]) -> set[str]:
        """The names read through these, through every formula on the way."""
        seen: set[str] = set()
        stack = list(names)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            entry = self.entries.get(name)
            if isinstance(entry, Expression):
                stack.extend(self.reads(entry.text))
        return seen

    def expand(self, text: str, only: set[str] | None = None) -> str:
        """The text with each stored formula's name filled in (those in `only`, if given),
        in parentheses unless the name is the whole text."""
        return self._expand(text, only, ()).strip()

    def _expand(self, text: str, only: set[str] | None, within: tuple[str, ...]) -> str:
        pieces, position = [], 0
        for match in name_tokens(text):
            name = match.group()
            entry = self.entries.get(name)
            if (not isinstance(entry, Expression) or (only is not None and name not in only)
                    or _called(text, match.end()) or _keyword(text, match.end())):
                continue
            if name in within:  # cannot happen: a formula that reads itself is never stored
                raise InputError(f"the formula `{name}` reads itself", kind="cycle")
            inner = self._expand(entry.text, only, within + (name,))
            pieces += [text[position:match.start()],
                       inner if text.strip() == name else f"({inner})"]
            position = match.end()
            if sum(map(len, pieces)) > MAX_EXPANDED:
                raise InputError(f"the formula is longer than {MAX_EXPANDED:,} characters once "
                                 "its stored formulas are filled in", kind="size-limit")
        return "".join(pieces) + text[position:] if pieces else text

    def needed_defs(self, text: str) -> list[str]:
        """The session defs a text calls, and those they call in turn, in definition order."""
        needed: set[str] = set()
        stack = [text]
        while stack:
            for match in name_tokens(stack.pop()):
                name = match.group()
                if name in self.defs and name not in needed and _called_at(match):
                    needed.add(name)
                    stack.append(self.defs[name])
        return [name for name in self.defs if name in needed]

    def compose(self, text: str, program: bool = False) -> Formula:
        """What is typed as the formula a calculation takes: stored formulas filled in, and the
        session defs it calls after it (then it is a program)."""
        from adcli.language.parser import parse

        expanded = text if program else self.expand(text)
        defined_here = set(re.findall(r"^def\s+([^\W\d]\w*)", expanded, re.M))
        needed = [name for name in self.needed_defs(expanded) if name not in defined_here]
        if not needed and not program:
            return parse(expanded)
        source = "\n".join([expanded, *(self.defs[name] for name in needed)])
        try:
            formula = parse(source, program=True)
        except InputError as error:
            if error.start is not None and error.start <= len(expanded):
                error.source = expanded  # the mistake is in what was typed: show that alone
            raise
        formula.name = PROGRAM_NAME
        return formula

    def draws(self, text: str) -> bool:
        """Whether the text calls randn or rand, itself or through the session's formulas and
        defs (only then does it need the session's seed, and only then is one shown)."""
        from adcli.ops import lookup

        expanded = self.expand(text)
        sources = [expanded, *(self.defs[name] for name in self.needed_defs(expanded))]
        called = {m.group() for source in sources for m in name_tokens(source) if _called_at(m)}
        return any(getattr(lookup(name), "random", False) for name in called)

    # -- changing names ------------------------------------------------------------------------

    def set_value(self, name: str, array: np.ndarray) -> None:
        self._replace(name)
        self.entries[name] = Value(array)

    def set_formula(self, name: str, text: str) -> None:
        self._replace(name)
        self.entries[name] = Expression(text)

    def set_def(self, name: str, text: str) -> None:
        self._replace(name)
        self.defs[name] = text

    def _replace(self, name: str) -> None:
        # A name is one thing at a time; redefined, it moves to the end (the order :save needs).
        self.entries.pop(name, None)
        self.defs.pop(name, None)

    def forget(self, names: Sequence[str] = ()) -> list[str]:
        """Forget these names (all of them, and `ans`, when none are given); returns the names
        that were unknown."""
        if not names:
            self.entries.clear()
            self.defs.clear()
            self._ans = self._ans_point = None
            self.last_question = None
            return []
        unknown = [n for n in names if n not in self.entries and n not in self.defs]
        for name in names:
            self._replace(name)
        return unknown

    def ordered(self) -> list[tuple[str, Value | Expression | str]]:
        """Every name in an order a program can run: values, then defs, then formulas after
        the formulas they read."""
        values = [(n, e) for n, e in self.entries.items() if isinstance(e, Value)]
        defs = list(self.defs.items())
        formulas: list[tuple[str, Value | Expression | str]] = []
        placed: set[str] = set()

        # Formulas nest only as deep as they were typed: recursion is fine here.
        def place(name: str) -> None:
            entry = self.entries.get(name)
            if name in placed or not isinstance(entry, Expression):
                return
            placed.add(name)
            for read in self.reads(entry.text):
                place(read)
            formulas.append((name, entry))

        for name in self.entries:
            place(name)
        return [*values, *defs, *formulas]


def missing(source: str, name: str) -> InputError:
    """A name read before anything gave it a value, pointed at where it is read."""
    found = next((m for m in name_tokens(source) if m.group() == name), None)
    where = {"start": found.start(), "end": found.end()} if found else {}
    if name in ANS:
        message, hint = "`ans` is the last answer's value, and nothing has been answered yet", None
    else:
        message, hint = f"`{name}` has no value", f"give it one first, e.g. {name} = 0..5"
    return InputError(message, kind="missing-variable", source=source, hint=hint,
                      **where)  # type: ignore[arg-type]


# What follows a name: `(` makes it a call, a lone `=` inside a call a keyword (`axis=0`).
# Matched in place (a formula may be 2,000,000 characters long: no slicing per name).
_CALL = re.compile(r"[ \t]*\(")
_KEYWORD = re.compile(r"[ \t]*=(?!=)")


def _called(text: str, end: int) -> bool:
    return _CALL.match(text, end) is not None


def _called_at(match: re.Match[str]) -> bool:
    return _called(match.string, match.end())


def _keyword(text: str, end: int) -> bool:
    return _KEYWORD.match(text, end) is not None


