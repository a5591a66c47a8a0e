"""Lark's tables, run by a tighter loop than lark's own (`ParserState.feed_token` and the
contextual lexer's `next_token`).

The grammar stays the language's one definition: lark reads it, builds the LALR tables and the
lexer's regular expressions (one per parser state, as its contextual lexer has them), tells
keywords from names, lays out programs' indentation (the post-lexer) and raises the errors.
This module only runs them, and differs from lark in what it does per step, not in what it
accepts (tests/test_parse_loop.py compares the two on any text):

- the precedence ladder (expr → conjunction → … → atom, grammar/formula.lark) costs one
  reduction per level an operand climbs, about five per node of the AST. A `?rule` alternative
  of one symbol passes its child through unchanged, so such a reduction only replaces the top
  state by the goto of the state under it: no slicing of the value stack, no callback;
- actions are small integers in one dict per state (a shift is the next state, a reduction the
  rule's number, inverted), where lark looks up `Rule` objects whose `__hash__` is Python code
  and asserts `rule != end_state` (a Python `__eq__`) on every reduction;
- tokens come from one generator that matches the state's expression and makes the Token, where
  lark goes through four calls and a line counter per token (and per run of spaces).

Where no terminal matches, lark parses the text again to raise its own error. Anything this
module does not recognise (a lark without these internals) leaves lark in charge: `driver()`
returns None and the parser calls `Lark.parse`.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken


class _LexError(Exception):
    """No terminal matches here: lark's own lexer says why."""


class Driver:
    """Parses text with the Lark instance's lexer, tables and callbacks."""

    def __init__(self, lark: Lark) -> None:
        from lark.parse_tree_builder import ExpandSingleChild
        from lark.parsers.lalr_analysis import Shift

        frontend = lark.parser
        parser = frontend.parser.parser  # lark's _Parser: the table and the callbacks
        table = parser.parse_table
        (start,) = table.start_states
        self.start_state = table.start_states[start]
        self.end_state = table.end_states[start]

        rules: dict[Any, int] = {}
        self.sizes: list[int] = []
        self.origins: list[str] = []
        # None: a one-symbol `?rule` alternative, whose one child is its value
        self.callbacks: list[Callable[[list[Any]], Any] | None] = []
        self.actions: dict[int, dict[str, int]] = {}
        for state, row in table.states.items():
            codes = {}
            for symbol, (action, arg) in row.items():
                if action is Shift:
                    codes[symbol] = arg
                    continue
                if arg not in rules:
                    rules[arg] = len(self.sizes)
                    callback = parser.callbacks[arg]
                    size = len(arg.expansion)
                    self.sizes.append(size)
                    self.origins.append(arg.origin.name)
                    passes = size == 1 and type(callback) is ExpandSingleChild
                    self.callbacks.append(None if passes else callback)
                codes[symbol] = ~rules[arg]
            self.actions[state] = codes
        if any(isinstance(k, str) for k in parser.callbacks):
            raise TypeError("token callbacks: lark's loop handles them")
        self.lark = lark
        lexer = frontend.lexer
        self.postlex = getattr(lexer, "postlexer", None)
        lexer = getattr(lexer, "lexer", lexer)  # under the post-lexer (programs' indentation)
        # per state, what lark's contextual lexer would match there: (its regular expressions,
        # the callbacks that tell keywords from names, the ignored and the multi-line terminals)
        self.scanners = {}
        for state, basic in lexer.lexers.items():
            scanner = basic.scanner
            if set(basic.callback) & set(basic.ignore_types):
                raise TypeError("callbacks on ignored terminals: lark's lexer handles them")
            self.scanners[state] = (scanner._mres, basic.callback, basic.ignore_types,
                                    basic.newline_types)

    def parse(self, text: str) -> Any:
        try:
            return self._parse(text)
        except _LexError:
            # Text lark's lexer would refuse: lark parses it again, to raise its own error.
            return self.lark.parse(text)

    def _tokens(self, text: str, states: list[int]) -> Iterator[Token]:
        """The tokens lark's contextual lexer makes of the text, each lexed in the state the
        parser is in when it asks for it, with the same types, positions, lines and columns."""
        scanners = self.scanners
        pos, end, line, line_start = 0, len(text), 1, 0
        while pos < end:
            expressions, retype, ignored, multiline = scanners[states[-1]]
            for expression in expressions:
                match = expression.match(text, pos)
                if match:
                    break
            else:
                raise _LexError
            value, kind = match.group(), match.lastgroup
            start, column, pos = pos, pos - line_start + 1, match.end()
            if kind in multiline and "\n" in value:
                line_before = line
                line += value.count("\n")
                line_start = start + value.rindex("\n") + 1
            else:
                line_before = line
            if kind in ignored:
                continue
            token = Token(kind, value, start, line_before, column, line, pos - line_start + 1, pos)
            if kind in retype:
                token = retype[kind](token)
            yield token

    def _parse(self, text: str) -> Any:
        actions, sizes, origins, callbacks = self.actions, self.sizes, self.origins, self.callbacks
        end_state = self.end_state
        states = [self.start_state]
        values: list[Any] = []
        tokens = self._tokens(text, states)
        if self.postlex is not None:
            tokens = self.postlex.process(tokens)
        token = None
        for token in tokens:
            kind = token.type
            while True:
                action = actions[states[-1]].get(kind)
                if action is None:
                    raise self._unexpected(token, states)
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
        end = Token.new_borrow_pos("$END", "", token) if token else Token("$END", "", 0, 1, 1)
        while True:
            action = actions[states[-1]].get("$END")
            if action is None:
                raise self._unexpected(end, states)
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

    def _unexpected(self, token: Token, states: list[int]) -> UnexpectedInput:
        # the same error lark's loop raises, with the terminals the state could take
        expected = {s for s in self.actions[states[-1]] if s.isupper()}
        return UnexpectedToken(token, expected, state=None, interactive_parser=None)


def driver(lark: Lark) -> Driver | None:
    """The faster loop over this Lark's tables, or None where its internals are not as expected
    (the caller then uses lark's own loop)."""
    try:
        return Driver(lark)
    except (AttributeError, TypeError, ValueError, KeyError, ImportError):  # pragma: no cover
        return None
