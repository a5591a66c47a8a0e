"""Shared fixtures: run the real `adcli` entry point in-process, and torch (when present)."""

from __future__ import annotations

import io
import json
import os
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from adcli.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def error(self) -> Any:
        return json.loads(self.err)["error"]


@pytest.fixture
def adcli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """`adcli("grad", "x*x", "--at", "0..5")` runs the CLI as the console script does."""

    def run(*args: str, stdin: str = "") -> Run:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def torch() -> ModuleType:
    """PyTorch, the oracle of the differential tests.

    torch is not a dependency (it is gigabytes), so without it those tests skip — unless
    ADCLI_REQUIRE_TORCH=1 (CI sets it): then a missing torch fails the run, since a CI that
    quietly skipped every comparison with torch would be green and check nothing.
    """
    if os.environ.get("ADCLI_REQUIRE_TORCH") != "1":
        return pytest.importorskip("torch", reason="torch is not installed (pip install torch)")
    try:
        import torch as module
    except ImportError as error:
        pytest.fail(
            f"ADCLI_REQUIRE_TORCH=1 but torch cannot be imported ({error}); "
            "install torch==2.13.0, or unset ADCLI_REQUIRE_TORCH to skip the torch tests",
            pytrace=False,
        )
    return module
