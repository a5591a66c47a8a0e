"""Colours as you type: the formula's tokens (the grammar's NUMBER and NAME, as the shell
completion's tokenizer reads them), told apart by what the name is — a function, a constant, a
keyword, one of the session's names — plus the commands, their options and the session
commands."""

from __future__ import annotations

import re
from typing import Callable, Collection

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer
from prompt_toolkit.styles import Style

from adcli.cli import complete
from adcli.cli.vocabulary import CONSTANTS, FUNCTIONS, KEYWORDS
from adcli.repl.lines import BLOCK_WORDS, CONTINUATION_WORDS

STATEMENT_WORDS = {*BLOCK_WORDS, *CONTINUATION_WORDS, "return", "pass", "in"}

# One alternative per kind of token. Numbers and names are the grammar's NUMBER and NAME as the
# shell completion's tokenizer reads them (the number first, so that the `e` of `1e-3` and the
# `2` of `2x` are not names).
_TOKENS = re.compile(
    r"(?P<comment>#.*)"
    r"|(?P<meta>(?<![^\s]):[a-z]+)"
    r"|(?P<option>(?<![^\s])--?[a-z][\w-]*)"
    rf"|{complete._TOKEN.pattern}"
    r"|(?P<bracket>[()\[\]])"
    r"|(?P<operator>\.\.=?|\*\*|[-+*/·@^<>=!,:;]+)"
)

STYLE = Style.from_dict({
    "number": "ansicyan",
    "function": "ansiblue bold",
    "constant": "ansimagenta",
    "keyword": "ansimagenta bold",
    "variable": "ansigreen",
    "command": "ansiyellow bold",
    "option": "ansiyellow",
    "meta": "ansiyellow bold",
    "comment": "ansibrightblack italic",
    "operator": "",
    "bracket": "",
    "matching-bracket.cursor": "bg:ansibrightblack bold",
    "matching-bracket.other": "bg:ansibrightblack bold",
})


def classify(name: str, first: bool, commands: Collection[str], names: Collection[str]) -> str:
    if first and name in commands:
        return "command"
    if name in FUNCTIONS:
        return "function"
    if name in CONSTANTS:
        return "constant"
    if name in KEYWORDS or name in STATEMENT_WORDS:
        return "keyword"
    if name in names:
        return "variable"
    return ""


def fragments(line: str, commands: Collection[str], names: Collection[str],
              first_line: bool = True) -> StyleAndTextTuples:
    """A line as (style, text) pieces; every character of the line is in exactly one."""
    out: StyleAndTextTuples = []
    position = 0
    for match in _TOKENS.finditer(line):
        if match.start() > position:
            out.append(("", line[position:match.start()]))
        kind = match.lastgroup or ""
        if kind == "name":
            first = first_line and not line[:match.start()].strip()
            kind = classify(match.group(), first, commands, names)
        out.append((f"class:{kind}" if kind else "", match.group()))
        position = match.end()
    if position < len(line):
        out.append(("", line[position:]))
    return out


class FormulaLexer(Lexer):
    """prompt_toolkit's lexer over the whole input; the names it knows are asked for anew at
    each keystroke (an assignment adds one)."""

    def __init__(self, commands: Callable[[], Collection[str]],
                 names: Callable[[], Collection[str]]) -> None:
        self.commands = commands
        self.names = names

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines = document.lines
        commands, names = self.commands(), self.names()

        def line(number: int) -> StyleAndTextTuples:
            if number >= len(lines):
                return []
            return fragments(lines[number], commands, names, first_line=number == 0)

        return line
