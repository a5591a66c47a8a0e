"""`adcli` (the console script) and `python -m adcli`.

Signals are handled from the first line: while typer, numpy and adcli's modules load, Ctrl-C,
SIGTERM or SIGHUP end the process at once with one line (nothing is open yet that needs
closing); from then on adcli.cli.deadline's handlers stop the running command, which reports
where it was.

The garbage collector is kept out of the start and the end: what loading makes (modules,
classes, functions, tables) lives as long as the process, so collecting while it loads only
walks it again and again, and once it is loaded it is frozen (`gc.freeze`), out of every later
collection; at the end, what the command made is frozen too, so Python's shutdown frees by
reference counts without a last walk over every object. Together, about 20 ms of a 200 ms
`adcli grad` (README, Speed). Collection runs as usual while the command computes.
"""

from __future__ import annotations

import gc
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
    gc.disable()
    for signum in LOADING:
        if signal.getsignal(signum) is not signal.SIG_IGN:  # nohup's SIG_IGN stays
            signal.signal(signum, _stop_while_loading)
    from adcli.cli import main as run

    if "_ADCLI_VARIABLES" not in os.environ:  # (a completion script's question needs neither)
        from adcli.cli import application, deadline

        application(sys.argv[1:])  # typer and the command, while a signal still ends at once
        deadline.install()
    gc.freeze()
    gc.enable()
    try:
        run()
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
