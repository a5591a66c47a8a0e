"""Lark's LALR tables, run by a tighter loop than lark's own (`ParserState.feed_token`).

The grammar stays the language's one definition: lark reads it, builds the tables, lexes the
text (its contextual lexer, with the program's indentation post-lexer), makes the tokens and
raises the errors; only the loop that shifts and reduces is this one. It differs from lark's in
what it does per step, not in what it accepts:

- the precedence ladder (expr → conjunction → … → atom, grammar/formula.lark) costs one
  reduction per level an operand climbs, about five per node of the AST. A `?rule` alternative
  of one symbol passes its child through unchanged, so such a reduction only replaces the top
  state by the goto of the state under it: no slicing of the value stack, no callback;
- actions are small integers in one dict per state (a shift is the next state, a reduction the
  rule's number, inverted), where lark looks up `Rule` objects whose `__hash__` is Python code
  and asserts `rule != end_state` (a Python `__eq__`) on every reduction.

Anything this module does not recognise (a lark without these internals) leaves lark's own loop
in charge: `driver()` returns None and the parser calls `Lark.parse`.
"""

from __future__ import annotations

from typing import Any, Callable

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken


class _Position:
    """What lark's contextual lexer asks of the parser: the state on top of the stack."""

    __slots__ = ("stack",)

    def __init__(self, stack: list[int]) -> None:
        self.stack = stack

    @property
    def position(self) -> int:
        return self.stack[-1]


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
        self.make_lexer_thread = frontend._make_lexer_thread

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
        self.token_callbacks = {k: v for k, v in parser.callbacks.items() if isinstance(k, str)}

    def parse(self, text: str) -> Any:
        actions, sizes, origins, callbacks = self.actions, self.sizes, self.origins, self.callbacks
        end_state = self.end_state
        states = [self.start_state]
        values: list[Any] = []
        if self.token_callbacks:  # pragma: no cover - adcli's grammars have no token callbacks
            raise NotImplementedError("token callbacks")
        tokens = self.make_lexer_thread(text).lex(_Position(states))
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
