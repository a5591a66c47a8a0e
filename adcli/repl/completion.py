"""Tab at the prompt: the words the shell completion knows (adcli/cli/vocabulary.py: functions,
constants, keywords; the commands and their options, from the CLI itself), and the session's
own names and commands.

`candidates` is plain Python over the text before the cursor, so it is tested without a
terminal; `SessionCompleter` hands its answers to prompt_toolkit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from adcli.cli.complete import names as name_tokens
from adcli.cli.complete import variables
from adcli.cli.vocabulary import CONSTANTS, FUNCTIONS, KEYWORDS
from adcli.errors import InputError
from adcli.repl.lines import first_word, split_words
from adcli.repl.meta import ACTIONS
from adcli.repl.names import ANS, Expression

if TYPE_CHECKING:
    from adcli.repl.session import Session


class Candidate(NamedTuple):
    text: str  # what replaces the word being typed
    word: str  # the word being typed (it is replaced)
    about: str  # shown beside it in the menu


def candidates(before: str, session: Session) -> list[Candidate]:
    """What Tab offers for the text before the cursor."""
    line = before.split("\n")[-1]
    stripped = line.lstrip()
    if stripped.startswith(":"):
        if " " not in stripped:
            return [Candidate(f":{name}", stripped, "session command")
                    for name in ACTIONS if f":{name}".startswith(stripped)]
        return []
    commands = session.commands.names()
    command = first_word(before) if first_word(before) in commands else None
    word = "" if not line or line[-1].isspace() else line.split()[-1] if line.split() else ""
    if command is not None and before.strip() != command:
        try:
            words = split_words(before) if "\n" not in before else []
        except InputError:  # an open quote: the words as spaces split them
            words = before.split()
        found = _option_words(session, command, words, word, before)
        if found is not None:
            return found
    offered = _names(line, session)
    if not before.strip() or (before.strip() == word and "\n" not in before):
        offered = [Candidate(name, word, about) for name, about in session.commands.about()
                   if name.startswith(word)] + offered
    return offered


def _option_words(session: Session, command: str, words: list[str], word: str,
                  before: str) -> list[Candidate] | None:
    """Inside a command: its options, their choices, `--wrt` and `--at` names (None: the
    cursor is in the formula)."""
    options = session.commands.options(command)
    if word.startswith("-"):
        return [Candidate(spelling, word, (option.help or "").split(".")[0])
                for spelling, option in options.items() if spelling.startswith(word)
                and spelling.startswith("--")]
    previous = words[-2] if word and len(words) >= 2 else words[-1] if words and not word else ""
    option = options.get(previous)
    if option is None or option.is_flag:
        return None
    choices = getattr(option.type, "choices", None)
    if choices:
        return [Candidate(str(c), word, previous) for c in choices if str(c).startswith(word)]
    formula = " ".join(w for w in words[1:] if not w.startswith("-"))
    known = [*variables(formula), *(n for n in _values(session) if n not in variables(formula))]
    if previous == "--wrt":
        head, _, last = word.rpartition(",")
        prefix = f"{head}," if head else ""
        return [Candidate(prefix + n, word, "variable") for n in variables(formula)
                if n.startswith(last) and n not in head.split(",")]
    if previous == "--at" and "=" not in word:
        return [Candidate(f"{n}=", word, "a value for this question") for n in known
                if n.startswith(word)]
    return None


def _values(session: Session) -> Iterable[str]:
    """The session's values (a formula's name is filled in, so --at cannot give it)."""
    return [name for name, entry in session.names.entries.items()
            if not isinstance(entry, Expression)]


def _names(line: str, session: Session) -> list[Candidate]:
    """The name the line ends with, completed: functions (with their parenthesis), the
    session's names, constants, keywords."""
    found = list(name_tokens(line))
    if not found or found[-1].end() != len(line):
        return []
    word = found[-1].group()
    names = session.names
    known: list[tuple[str, str]] = []
    for name, entry in names.entries.items():
        known.append((name, "formula" if isinstance(entry, Expression) else "value"))
    known += [(f"{name}(", "def") for name in names.defs]
    known += [(name, "the last answer") for name in ANS[:1] if names.has_value(name)]
    known += [(f"{name}(", about) for name, about in FUNCTIONS.items()]
    known += [(name, "constant") for name in CONSTANTS]
    known += [(name, "keyword") for name in KEYWORDS]
    return [Candidate(name, word, about) for name, about in dict(known).items()
            if name.startswith(word)]


class SessionCompleter(Completer):
    def __init__(self, session: Session) -> None:
        self.session = session
        self.paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document,
                        complete_event: CompleteEvent) -> Iterator[Completion]:
        before = document.text_before_cursor
        stripped = before.lstrip()
        if stripped.startswith((":load ", ":save ")):
            path = stripped.split(" ", 1)[1].lstrip()
            yield from self.paths.get_completions(Document(path), complete_event)
            return
        for candidate in candidates(before, self.session):
            yield Completion(candidate.text, start_position=-len(candidate.word),
                             display_meta=candidate.about)
