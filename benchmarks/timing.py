"""What the process benchmarks share: whole processes timed round-robin, medians, ratios.

Each command runs once per round, the rounds in turn, so that a noisy moment of a shared
machine hits every command alike; a row is the median of its rounds (wall time, CPU time the
kernel charged the process, and its peak resident memory), and ratios are of medians measured
in the same run."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent  # where the console script `adcli` is installed
ADCLI = str(BIN / "adcli")


@dataclass
class Row:
    name: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)  # peak resident set, MiB

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak(self) -> float:
        return statistics.median(self.memory)


def run_once(argv: list[str], env: dict[str, str] | None = None,
             stdin: str | None = None) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of one process; exits if it fails."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL if stdin is None else open(stdin),
                             env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"exit status {status}: {' '.join(argv)}\n{child.stderr.read().decode()}")
    child.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def round_robin(commands: dict[str, list[str]], rounds: int,
                env: dict[str, str] | None = None) -> dict[str, Row]:
    rows = {name: Row(name) for name in commands}
    run_once(next(iter(commands.values())), env)  # warm the page cache
    for _ in range(rounds):
        order = list(commands)
        random.shuffle(order)
        for name in order:
            wall, cpu, memory = run_once(commands[name], env)
            rows[name].wall.append(wall)
            rows[name].cpu.append(cpu)
            rows[name].memory.append(memory)
    return rows


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.1f} ms" if seconds < 10 else f"{seconds:8.2f} s "


def table(rows: dict[str, Row], reference: str, memory: bool = False) -> list[str]:
    ref = rows[reference]
    lines = [f"  {'':52}{'median':>11}{'cpu':>11}{'ratio':>8}{'cpu ratio':>10}"
             + (f"{'peak MiB':>10}{'ratio':>7}" if memory else "")]
    for row in rows.values():
        line = (f"  {row.name:52}{ms(row.median):>11}{ms(row.median_cpu):>11}"
                f"{row.median / ref.median:>7.2f}x{row.median_cpu / ref.median_cpu:>9.2f}x")
        if memory:
            line += f"{row.peak:>10.0f}{row.peak / ref.peak:>6.2f}x"
        lines.append(line)
    return lines


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
