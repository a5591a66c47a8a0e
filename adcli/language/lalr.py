"""adcli's LALR parser: the tables lark builds from grammar/*.lark, run without lark.

The grammar stays the language's one definition. scripts/gen_parser.py has lark read it and
writes down, as plain data (adcli/language/grammar_tables.py), what lark's parser would do with
it: the LALR actions, the lexer's regular expressions (one per parser state, as lark's
contextual lexer has them) and keywords, the children each rule hands to the tree builder, the
layout of programs' indentation. This module runs that data and never imports lark, whose import
is about a tenth of every command's start-up. It accepts what lark accepts and builds what lark
builds (tests/test_parse_loop.py compares the two on any text); where lark would raise an error,
it raises `Refused`, and lark parses the text again to raise its own (adcli/language/parser.py).

It also does less per step than lark's loop (`ParserState.feed_token` and the contextual
lexer's `next_token`):

- the precedence ladder (expr → conjunction → … → atom, grammar/formula.lark) costs one
  reduction per level an operand climbs, about five per node of the AST. A `?rule` alternative
  of one symbol passes its child through unchanged, so such a reduction only replaces the top
  state by the goto of the state under it: no slicing of the value stack, no callback;
- actions are small integers in one dict per state (a shift is the next state, a reduction the
  rule's number, inverted), where lark looks up `Rule` objects whose `__hash__` is Python code
  and asserts `rule != end_state` (a Python `__eq__`) on every reduction;
- tokens come from one generator that matches the state's expression and makes the Token, where
  lark goes through four calls and a line counter per token (and per run of spaces).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

# The shape of the data scripts/gen_parser.py writes for this module. The generated module says
# which it holds (parser._tables_current compares), so changing it makes the module stale until
# it is written again: change it whenever the generator writes what this module reads otherwise.
FORMAT = 2


class Refused(Exception):
    """The text is not in the language (no terminal matches, a token the state cannot take, an
    indentation that matches no outer block): lark, parsing it again, says why."""


class Token(str):
    """A terminal of the text, with lark's Token's fields: its type (NUMBER, NAME, "LPAR", …),
    its text, and where it starts and ends (offset, line and column). Where lark parses (to raise
    its error) the tree builder gets lark's own Token instead: both are `str`s."""

    __slots__ = ("type", "value", "start_pos", "end_pos", "line", "column", "end_line",
                 "end_column")

    def __new__(cls, type: str, value: str, start_pos: int, line: int, column: int,
                end_line: int, end_column: int, end_pos: int) -> Token:
        token = str.__new__(cls, value)
        token.type, token.value = type, value
        token.start_pos, token.line, token.column = start_pos, line, column
        token.end_line, token.end_column, token.end_pos = end_line, end_column, end_pos
        return token

    def borrowing(self, type: str, value: str) -> Token:
        """A token at this one's place (lark's `Token.new_borrow_pos`)."""
        return Token(type, value, self.start_pos, self.line, self.column, self.end_line,
                     self.end_column, self.end_pos)

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"


class _Scanners(dict):
    """Per parser state: the match of the lexer's expression there and its keywords, compiled
    when the state first lexes (a short formula visits a handful of the ~50 expressions, and
    compiling them all would cost a few milliseconds of every start)."""

    def __init__(self, tables: dict[str, Any]) -> None:
        super().__init__()
        self.lexer_of, self.flags = tables["lexer_of"], tables["flags"]
        self.terminals, self.keywords = tables["terminals"], tables["keywords"]
        self.compiled: dict[int, tuple[Callable[..., Any], dict[str, dict[str, str]]]] = {}

    def __missing__(self, state: int) -> tuple[Callable[..., Any], dict[str, dict[str, str]]]:
        lexer = self.lexer_of[state]
        if lexer not in self.compiled:
            expression = alternation(self.terminals[lexer])
            self.compiled[lexer] = re.compile(expression, self.flags).match, self.keywords[lexer]
        self[state] = self.compiled[lexer]
        return self[state]


def alternation(terminals: list[list[str]]) -> str:
    """lark's expression for a lexer: its (name, regexp) terminals in their order of priority,
    each a named group."""
    return "|".join(f"(?P<{name}>{regexp})" for name, regexp in terminals)


def _reduction(rule: dict[str, Any], build: Any) -> Callable[[list[Any]], Any] | None:
    """What a reduction by this rule makes of its children, as lark's tree builder makes it
    (keep_all_tokens, maybe_placeholders), or None where the rule's one child passes up."""
    name, single, include = rule["callback"], rule["single"], rule["include"]
    if single and include is None and rule["size"] == 1:
        return None
    # None: a rule lark inlines into its parent (`x*`, `x+`): its children are spliced there
    make: Callable[[list[Any]], Any] = getattr(build, name) if name else _children
    if single:  # a `?rule`: one child passes up, more go to the builder
        builder = make

        def make(children: list[Any]) -> Any:
            return children[0] if len(children) == 1 else builder(children)

    if include is not None:
        make = _filtered(include, rule["nones"], make)
    return make


def _children(children: list[Any]) -> list[Any]:
    return children


def _filtered(include: list[list[int]], nones: int,
              make: Callable[[list[Any]], Any]) -> Callable[[list[Any]], Any]:
    """lark's ChildFilterLALR: the children kept, in order, with an inlined rule's spliced in
    and a None for each `[optional]` part left out."""

    def reduce(children: list[Any]) -> Any:
        kept: list[Any] = []
        for index, inlined, placeholders in include:
            if placeholders:
                kept += [None] * placeholders
            if not inlined:
                kept.append(children[index])
            elif kept:
                kept += children[index]
            else:  # the inlined list itself (each is used once): a long `x*` grows in place
                kept = children[index]
        if nones:
            kept += [None] * nones
        return make(kept)

    return reduce


def _indented(tokens: Iterator[Token], layout: dict[str, Any]) -> Iterator[Token]:
    """Python's layout rules, as lark.indenter.Indenter.process applies them: after each newline
    (none inside brackets), an INDENT where the line is indented deeper, a DEDENT per block it
    leaves, and the blocks still open closed at the end."""
    newline, indent, dedent = layout["newline"], layout["indent"], layout["dedent"]
    opening, closing, tab_len = set(layout["open"]), set(layout["close"]), layout["tab_len"]
    depth, levels = 0, [0]
    token = None
    for token in tokens:
        kind = token.type
        if kind != newline:
            yield token
        elif depth == 0:
            yield token
            spaces = token.rsplit("\n", 1)[1]
            width = spaces.count(" ") + spaces.count("\t") * tab_len
            if width > levels[-1]:
                levels.append(width)
                yield token.borrowing(indent, spaces)
            else:
                while width < levels[-1]:
                    levels.pop()
                    yield token.borrowing(dedent, spaces)
                if width != levels[-1]:
                    raise Refused  # lark's DedentError
        if kind in opening:
            depth += 1
        elif kind in closing:
            depth -= 1
            if depth < 0:
                raise Refused  # lark's Indenter asserts; its parser refuses the bracket first
    while len(levels) > 1:
        levels.pop()
        yield token.borrowing(dedent, "") if token else Token(dedent, "", 0, 0, 0, 0, 0, 0)


class Driver:
    """Parses text with the tables of one grammar, building the tree with `build`'s methods."""

    def __init__(self, tables: dict[str, Any], build: Any) -> None:
        self.start_state, self.end_state = tables["start"], tables["end"]
        # per state: terminal or rule name → the next state (a shift or a goto), or ~rule
        self.actions: list[dict[str, int]] = tables["actions"]
        rules = tables["rules"]
        self.sizes = [rule["size"] for rule in rules]
        self.origins = [rule["origin"] for rule in rules]
        self.callbacks = [_reduction(rule, build) for rule in rules]
        self.scanners = _Scanners(tables)
        self.ignored, self.multiline = set(tables["ignore"]), set(tables["newline"])
        self.layout = tables["layout"]

    def _tokens(self, text: str, states: list[int]) -> Iterator[Token]:
        """The tokens lark's contextual lexer makes of the text, each lexed in the state the
        parser is in when it asks for it, with the same types, positions, lines and columns."""
        scanners, ignored, multiline = self.scanners, self.ignored, self.multiline
        pos, end, line, line_start = 0, len(text), 1, 0
        while pos < end:
            match, keywords = scanners[states[-1]]
            found = match(text, pos)
            if found is None:
                raise Refused
            value, kind = found.group(), found.lastgroup
            start, column, pos = pos, pos - line_start + 1, found.end()
            first_line = line
            if kind in multiline and "\n" in value:
                line += value.count("\n")
                line_start = start + value.rindex("\n") + 1
            if kind in ignored:
                continue
            if kind in keywords:  # a name that is a keyword here ("and", "if") is that keyword
                kind = keywords[kind].get(value, kind)
            yield Token(kind, value, start, first_line, column, line, pos - line_start + 1, pos)

    def parse(self, text: str) -> Any:
        actions, sizes, origins, callbacks = self.actions, self.sizes, self.origins, self.callbacks
        states = [self.start_state]
        values: list[Any] = []
        tokens = self._tokens(text, states)
        if self.layout is not None:
            tokens = _indented(tokens, self.layout)
        for token in tokens:
            kind = token.type
            while True:
                action = actions[states[-1]].get(kind)
                if action is None:
                    raise Refused
                if action >= 0:
                    states.append(action)
                    values.append(token)
                    break
                rule = ~action
                callback = callbacks[rule]
                if callback is None:
                    states[-1] = actions[states[-2]][origins[rule]]
                    continue
                size = sizes[rule]
                if size:
                    children = values[-size:]
                    del states[-size:]
                    del values[-size:]
                else:
                    children = []
                values.append(callback(children))
                states.append(actions[states[-1]][origins[rule]])
        end_state = self.end_state
        while True:
            action = actions[states[-1]].get("$END")
            if action is None:
                raise Refused
            assert action < 0, "$END is never shifted"
            rule = ~action
            callback = callbacks[rule]
            size = sizes[rule]
            if callback is None:
                states[-1] = actions[states[-2]][origins[rule]]
            else:
                children = values[-size:] if size else []
                if size:
                    del states[-size:]
                    del values[-size:]
                values.append(callback(children))
                states.append(actions[states[-1]][origins[rule]])
            if states[-1] == end_state:
                return values[-1]
