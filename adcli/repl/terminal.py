"""The session at a terminal: prompt_toolkit's prompt, with history kept across sessions, Tab
completion, colours as you type, matching brackets, and blocks over several lines.

prompt_toolkit is imported here and only here, when the session starts. The first prompt comes
up before numpy, lark and the calculations are imported: a thread imports them while the first
line is typed (the first prompt comes no later than one `adcli grad` takes; see
benchmarks/bench_repl.py).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any, Optional

from prompt_toolkit import PromptSession
from prompt_toolkit.filters import Condition
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout.processors import HighlightMatchingBracketProcessor

from adcli import __version__
from adcli.repl.completion import SessionCompleter
from adcli.repl.highlight import STYLE, FormulaLexer
from adcli.repl.lines import needs_more, statements
from adcli.repl.session import Quit, Session, Settings

PROMPT = "» "
CONTINUATION = "… "
INDENT = "    "
BANNER = f"adcli {__version__} — a differentiation calculator. :help for help, Ctrl-D to leave."


def history_file() -> Optional[Path]:
    """$XDG_STATE_HOME/adcli/history (~/.local/state/adcli/history), made on first use and
    readable by its owner alone: what was typed can be private. None if it cannot be made."""
    state = os.environ.get("XDG_STATE_HOME", "")
    # The XDG spec: a relative path is invalid and must be ignored (never the working directory).
    root = Path(state) if os.path.isabs(state) else Path.home() / ".local" / "state"
    folder = root / "adcli"
    path = folder / "history"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        os.close(os.open(path, flags, 0o600))
    except OSError:
        return None
    return path


def _history() -> History:
    path = history_file()
    if path is None:
        sys.stderr.write("note: the history cannot be kept (cannot write to "
                         "$XDG_STATE_HOME/adcli); this session's lines are forgotten at the end\n")
        return InMemoryHistory()
    return FileHistory(str(path))


def _indent_after(text: str) -> str:
    """The indentation of a new line: the last line's, one step more after a `:`."""
    last = text.split("\n")[-1]
    indent = last[: len(last) - len(last.lstrip())]
    return indent + INDENT if last.rstrip().endswith(":") else indent


def key_bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("enter", filter=Condition(lambda: True))
    def _enter(event: KeyPressEvent) -> None:
        """Enter runs the statement, unless it goes on: a block, an open bracket."""
        buffer = event.current_buffer
        if buffer.complete_state is not None and buffer.complete_state.current_completion:
            buffer.apply_completion(buffer.complete_state.current_completion)
            return
        text = buffer.document.text
        if buffer.document.is_cursor_at_the_end and needs_more(text):
            buffer.insert_text("\n" + _indent_after(text))
        else:
            buffer.validate_and_handle()

    @bindings.add("escape", "enter")
    def _run(event: KeyPressEvent) -> None:
        """Alt-Enter (Esc Enter) runs what is typed as it is."""
        event.current_buffer.validate_and_handle()

    @bindings.add("tab", filter=Condition(_in_indentation))
    def _indent(event: KeyPressEvent) -> None:
        """Tab at the start of a line indents (elsewhere it completes)."""
        event.current_buffer.insert_text(INDENT)

    return bindings


def _in_indentation() -> bool:
    from prompt_toolkit.application.current import get_app

    document = get_app().current_buffer.document
    return "\n" in document.text_before_cursor and not document.current_line_before_cursor.strip()


def _warm_up(session: Session) -> None:
    """Import what the first answer needs while the first line is typed. Nothing is evaluated
    here: the engine's state (grad mode, IEEE mode) belongs to the thread that computes."""
    try:
        from adcli import calculations  # noqa: F401
        from adcli.language.parser import parse
        from adcli.views import session as _view  # noqa: F401
        from adcli.views import text as _text  # noqa: F401

        parse("2*x")  # loads the parser's tables
        parse("y = 1", program=True)
        session.commands.group  # noqa: B018  (builds the CLI's click group once)
        # last, lark: only a line that does not parse needs it, to say why (tens of ms)
        from adcli.language.lark_parser import lark_parser

        lark_parser(False)
        lark_parser(True)
    except Exception:  # never mind: the first answer imports whatever is missing itself
        pass


def make_prompt(session: Session, history: History, **io: Any) -> PromptSession[str]:
    """The prompt: `io` may give prompt_toolkit an input and an output (the tests' pipes)."""
    return PromptSession(
        history=history,
        completer=SessionCompleter(session),
        lexer=FormulaLexer(session.commands.names, lambda: {*session.names.entries,
                                                            *session.names.defs, "ans", "_"}),
        style=STYLE,
        multiline=True,
        key_bindings=key_bindings(),
        prompt_continuation=lambda width, line, wrap: CONTINUATION.rjust(width),
        input_processors=[HighlightMatchingBracketProcessor(chars="[]()")],
        complete_while_typing=False,
        enable_history_search=False,
        include_default_pygments_style=False,
        **io,
    )


def run_terminal(settings: Settings) -> int:
    session = Session(settings)
    prompt = make_prompt(session, _history())
    print(BANNER)
    warming: list[threading.Thread] = []

    def start_warming() -> None:
        if not warming:
            warming.append(threading.Thread(target=_warm_up, args=(session,), daemon=True))
            warming[0].start()

    while True:
        try:
            text = prompt.prompt(PROMPT, pre_run=start_warming)
        except KeyboardInterrupt:
            continue  # Ctrl-C at the prompt: the line is dropped
        except EOFError:
            return 0  # Ctrl-D
        try:
            # Lines pasted together are statements one after another, as in a piped session.
            for _, statement in statements(text.split("\n")):
                session.run(statement)
                sys.stdout.flush()
        except Quit:
            return 0
