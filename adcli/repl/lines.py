"""Reading what is typed: where a statement ends (a `def`, `if`, `while` or `for` block runs
over several lines, and so does an open bracket), and how a command line splits into words.

Both the prompt (Enter adds a line or runs) and piped input (lines are gathered into one
statement) decide by the same rules, so a session file reads as it was typed."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from adcli.errors import InputError

BLOCK_WORDS = ("def", "if", "while", "for")
CONTINUATION_WORDS = ("elif", "else")
_FIRST_WORD = re.compile(r"[^\W\d]\w*")
_OPEN, _CLOSE = "([", ")]"


def first_word(text: str) -> str:
    found = _FIRST_WORD.match(text.lstrip())
    return found.group() if found else ""


def starts_block(text: str) -> bool:
    """A `def`/`if`/`while`/`for` statement: it runs over lines until a line is not indented."""
    return first_word(text) in BLOCK_WORDS and not text.startswith((" ", "\t"))


def depth(text: str) -> int:
    """How many brackets are open at the end of `text` (a `#` comment closes none)."""
    level = 0
    for line in text.split("\n"):
        for char in line.split("#", 1)[0]:
            if char in _OPEN:
                level += 1
            elif char in _CLOSE:
                level = max(level - 1, 0)
    return level


def needs_more(text: str) -> bool:
    """Whether the statement typed so far goes on: a bracket is open, the last line ends with
    `:` or a backslash, or a block has not yet been closed by an empty line (at the prompt)."""
    if depth(text) > 0:
        return True
    last = text.split("\n")[-1]
    if last.rstrip().endswith((":", "\\")):
        return True
    return starts_block(text) and last.strip() != ""


def statements(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Piped input as statements with their first line's number: a block gathers the indented
    lines (and `elif`/`else`) after its first line; an open bracket gathers lines until it
    closes. Blank lines and comments between statements are skipped."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if pending:
            joined = "\n".join(pending)
            indented = line.startswith((" ", "\t")) or not line.strip()
            continues = first_word(line) in CONTINUATION_WORDS and starts_block(joined)
            if depth(joined) > 0 or joined.endswith("\\") or (
                    starts_block(joined) and (indented or continues)):
                pending.append(line)
                continue
            yield start, joined.rstrip()
            pending = []
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pending, start = [line], number
    if pending:
        yield start, "\n".join(pending).rstrip()


def split_words(line: str) -> list[str]:
    """A command line as words, like a shell's but with formulas in mind: spaces inside
    brackets do not split (`--at x=[1, 2]` is two words), quotes group and are removed, and a
    `#` outside them starts a comment."""
    words: list[str] = []
    word, quote, level, started = "", "", 0, False
    for char in line:
        if quote:
            if char == quote:
                quote = ""
            else:
                word += char
            continue
        if char in "'\"":
            quote, started = char, True
        elif char == "#" and level == 0:
            break
        elif char.isspace() and level == 0:
            if started:
                words.append(word)
            word, started = "", False
        else:
            level += 1 if char in _OPEN else -1 if char in _CLOSE and level > 0 else 0
            word, started = word + char, True
    if quote:
        raise InputError(f"a {quote} quote is not closed", kind="syntax", source=line,
                         start=len(line), end=len(line))
    if started:
        words.append(word)
    return words
