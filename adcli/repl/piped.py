"""The session without a terminal (`adcli repl < session.txt`, or lines piped in): statements
are read and answered in order, like bc. Standard output holds the answers and nothing else
(no prompt, no banner); messages and errors go to standard error. The exit code is the worst
statement's."""

from __future__ import annotations

import sys
from typing import TextIO

from adcli.repl.lines import statements
from adcli.repl.session import EXIT_INTERRUPTED, Quit, Session


def run_piped(session: Session, source: TextIO | None = None) -> int:
    worst = 0
    try:
        for _, statement in statements(source if source is not None else sys.stdin):
            code = session.run(statement)
            worst = max(worst, code)
            sys.stdout.flush()
            if code == EXIT_INTERRUPTED:
                break  # Ctrl-C stops a piped session, as it stops bc
    except Quit:
        pass
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return worst
