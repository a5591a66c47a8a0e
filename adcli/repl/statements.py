"""The language at the prompt: assignments, defs, `if`/`while`/`for` blocks, and formulas.

`name = right side` keeps a value or a formula (README, "The interactive session"):

- a **value** when the right side reads no name (`x = 0..5`, `y = randn(3)`), or reads `ans`
  (which changes with every answer), or reads the value it replaces (`x = x - 0.1*ans`: an
  update, evaluated now);
- a **formula** otherwise (`f = log(x*x)·sin(x) + 1/x`): kept as typed, evaluated with the
  values its names have when it is used, so `grad f` differentiates it with respect to x. A
  formula that reads the formula it replaces (`f = f^2`) has the old one filled in.

A block runs against the session's values, and the names it assigns become values. A formula
typed alone is answered with its value, which `ans` then holds.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from adcli import calculations
from adcli.cli.vocabulary import CONSTANTS, FUNCTIONS, KEYWORDS
from adcli.errors import AdcliError, InputError
from adcli.language import ast
from adcli.repl.lines import first_word, starts_block
from adcli.repl.names import ANS, Expression

if TYPE_CHECKING:
    from adcli.repl.session import Session


_ASSIGNMENT = re.compile(r"\s*([^\W\d]\w*)\s*=(?!=)\s*(.*)\Z", re.DOTALL)
_STATEMENTS = {"def", "if", "elif", "else", "while", "for", "return", "pass"}


def run_statements(session: Session, text: str) -> int:
    """Each top-level statement of the text, in order (`x = 1; y = 2` is two)."""
    if ("\n" not in text.strip() and ";" not in text and "#" not in text
            and first_word(text) not in _STATEMENTS):
        # One assignment or one formula (the usual line): no need to parse it as a program.
        assignment = _ASSIGNMENT.match(text)
        if assignment is None:
            answer(session, text.strip(), text, len(text) - len(text.lstrip()))
            return 0
        name = assignment.group(1)
        check_name(session, name, text)
        assign(session, name, assignment.group(2).rstrip(), text, assignment.start(2))
        return 0
    try:
        program = session.names.compose(text, program=True)
    except InputError as error:
        if "\n" in text.strip() or starts_block(text):
            raise
        # One line: say what is wrong in the formula's own words, not the program grammar's.
        assignment = _ASSIGNMENT.match(text)
        piece, offset = (assignment.group(2), assignment.start(2)) if assignment else (text, 0)
        if piece.strip():
            with located(text, piece, offset):
                session.names.compose(piece)
        raise error
    for statement in program.tree.body:
        if statement.span.start >= len(text):
            break  # the session's own defs, appended to check the calls
        piece = text[statement.span.start:statement.span.end]
        if isinstance(statement, ast.Assign):
            value_start = statement.value.span.start
            with located(text, piece, statement.span.start):
                check_name(session, statement.target, piece)
            assign(session, statement.target, text[value_start:statement.value.span.end],
                   text, value_start)
        elif isinstance(statement, ast.Def):
            with located(text, piece, statement.span.start):
                check_name(session, statement.name, piece)
            session.names.set_def(statement.name, piece)  # replaces a value of that name
        elif isinstance(statement, ast.ExpressionStatement):
            answer(session, piece, text, statement.span.start)
        elif isinstance(statement, ast.Return):
            raise InputError("`return` belongs inside a def", kind="syntax", source=text,
                             start=statement.span.start, end=statement.span.end)
        elif not isinstance(statement, ast.Pass):
            block(session, piece)
    return 0


def check_name(session: Session, name: str, statement: str | None = None) -> None:
    """Names that mean something already cannot be given a value (`statement`: where the name
    is written, for the caret)."""
    what = ("the last answer's value" if name in ANS else "a function" if name in FUNCTIONS
            else "a constant" if name in CONSTANTS else "a keyword" if name in KEYWORDS
            else "a command" if name in session.commands.names() or name == "repl" else None)
    if what is None:
        return
    where: dict[str, object] = {}
    written = re.search(rf"\b{re.escape(name)}\b", statement or "")
    if written is not None:
        where = {"source": statement, "start": written.start(), "end": written.end()}
    raise InputError(f"`{name}` is {what} and cannot be assigned", kind="reserved-name",
                     hint="choose another name", **where)  # type: ignore[arg-type]


def _variables(names: list[str]) -> list[str]:
    return [n for n in names if n not in CONSTANTS and n not in KEYWORDS]


def assign(session: Session, name: str, right: str, line: str, offset: int) -> None:
    names = session.names
    reads = _variables(names.reads(right))
    through = names.reaches(reads)
    replaces_formula = isinstance(names.entries.get(name), Expression)
    if not reads or set(reads) & set(ANS) or (name in through and not replaces_formula):
        with located(line, right, offset):
            formula = names.compose(right)
            point = names.point(formula, seed=session.next_seed)
            result = calculations.value(point)
        names.set_value(name, result.value)
        return
    if name in through:  # the formula it replaces is filled in: `f = f^2`
        leading_back = {n for n in through if isinstance(names.entries.get(n), Expression)
                        and name in names.reaches([n])}
        right = names.expand(right, only=leading_back)
    with located(line, right, offset):
        names.compose(right)  # it must parse; its names may get their values later
    names.set_formula(name, right)


def block(session: Session, source: str) -> None:
    """An `if`, `while` or `for` at the prompt: run with the session's values; what it assigns
    becomes the session's."""
    names = session.names
    formula = names.compose(source, program=True)
    point = names.point(formula, seed=session.next_seed)
    found = calculations.bindings(point)
    for name in found.names:
        check_name(session, name)
    for name, array in found.names.items():
        names.set_value(name, array)


def answer(session: Session, text: str, line: str, offset: int) -> None:
    """A formula typed alone: its value (and where a nan or an inf in it first appeared)."""
    names = session.names
    with located(line, text, offset):
        formula = names.compose(text)
        point = names.point(formula, seed=session.next_seed)
        result = calculations.value(point, explain=not session.settings.json)
    if session.settings.json:
        from adcli.views import json_view

        session.emit(json_view.calculation("eval", result))
    else:
        from adcli.views.session import value

        session.show(value(result, session.settings.precision))
    names.answered(result.value, text)


@contextmanager
def located(line: str, piece: str, offset: int) -> Iterator[None]:
    """An error in a piece of a line, shown against the whole line (when the piece is what
    the calculation saw: no stored formula was filled in)."""
    try:
        yield
    except AdcliError as error:
        if error.source == piece and error.start is not None and line != piece:
            end = error.end if error.end is not None else error.start
            error.source = line
            error.start, error.end = error.start + offset, end + offset
        raise
