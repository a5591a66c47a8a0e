"""The shell side of completion."""

from __future__ import annotations

from typer.completion import get_completion_script


def script(shell: str) -> str:
    return get_completion_script(prog_name="adcli", complete_var="_ADCLI_COMPLETE", shell=shell)
