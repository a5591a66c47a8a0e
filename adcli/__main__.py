"""`adcli` (the console script) and `python -m adcli`.

Signals are handled from the first line: while typer, numpy and adcli's modules load, Ctrl-C,
SIGTERM or SIGHUP end the process at once with one line (nothing is open yet that needs
closing); from then on adcli.cli.deadline's handlers stop the running command, which reports
where it was.
"""

from __future__ import annotations

import os
import signal
import sys

LOADING = {signal.SIGINT: ("interrupted", 130), signal.SIGTERM: ("terminated (SIGTERM)", 143)}
if hasattr(signal, "SIGHUP"):
    LOADING[signal.SIGHUP] = ("hung up (SIGHUP)", 129)


def _stop_while_loading(signum: int, frame: object) -> None:
    words, code = LOADING[signum]
    if "--json" in sys.argv[1:]:
        line = ('{"error": {"kind": "interrupted", "message": "%s", "exit_code": %d}}'
                % (words, code))
    else:
        line = f"error: {words}"
    try:
        os.write(2, (line + "\n").encode())
    except OSError:
        pass
    os._exit(code)


def main() -> None:
    for signum in LOADING:
        if signal.getsignal(signum) is not signal.SIG_IGN:  # nohup's SIG_IGN stays
            signal.signal(signum, _stop_while_loading)
    from adcli.cli import main as run

    if "_ADCLI_VARIABLES" not in os.environ:  # (a completion script's question needs neither)
        from adcli.cli import application, deadline

        application()  # typer and the commands, imported while a signal still ends at once
        deadline.install()
    run()


if __name__ == "__main__":
    main()
