"""User text made safe to print: control characters shown as escapes.

A formula, a program, a file name or an --at value can carry `ESC ] 52` (which writes to the
clipboard), `ESC [2J` (which clears the screen), a carriage return that hides what came before
it, or a right-to-left override that shows code other than what runs. Every view passes user
text through `printable` before it reaches a terminal, and JSON escapes the same characters
(json_view.dumps), so a script that prints adcli's JSON is safe as well.
"""

from __future__ import annotations

import re

# C0 controls, DEL and the C1 controls (Cc), the bidirectional overrides and isolates
# (U+202A-202E, U+2066-2069), the line and paragraph separators, and lone surrogates
# (which cannot even be encoded).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
UNSAFE_BUT_NEWLINE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in NAMED:
        return NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, newlines: bool = False) -> str:
    """`text` with every control character escaped (`\\x1b`, `\\u202e`); with `newlines`,
    line breaks are kept (a message over several lines)."""
    pattern = UNSAFE_BUT_NEWLINE if newlines else UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text
