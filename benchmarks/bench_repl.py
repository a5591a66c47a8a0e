"""How fast the interactive session is, driven through a real pseudo-terminal as a person uses it.

    python benchmarks/bench_repl.py           # the numbers for README (about a minute)
    python benchmarks/bench_repl.py --quick   # fewer runs (a smoke test)
    python benchmarks/bench_repl.py --json    # the same results as one JSON object

Two goals (issue 13), measured side by side in one run, so that a loaded machine slows both:

- the first prompt comes no later than one `adcli grad` call takes: `adcli` is started on a pty
  and timed until its prompt is drawn, against the whole one-shot process
  `adcli grad "2*dot(x,x)" --at 0..5`;
- each answer after the first, for a small formula, takes under 20 ms: in one session, after
  `x = 0..5`, a line is sent and timed until the next prompt is drawn (so the answer's printing
  and prompt_toolkit's redraw are inside the time), many times; the median is reported.

Rows show medians and minimums of wall time; ratios are session ÷ one-shot. On a loaded machine
wall times stretch, so the session's CPU time per answer is reported too (Linux: from
/proc/PID/stat, over all the timed answers): what one answer costs, whatever else runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ADCLI = str(Path(sys.executable).parent / "adcli")  # the installed console script
# A fresh prompt as prompt_toolkit draws it: `»`, then the cursor moved back over the space.
# (The accepted line is redrawn as `» 2*dot(x,x)` first: that is not the next prompt.)
PROMPT = "»\b"
ONE_SHOT = [ADCLI, "grad", "2*dot(x,x)", "--at", "0..5"]
# (what is asked, the line typed)
ANSWERS = [
    ("a formula's value", "2*dot(x,x)"),
    ("grad, the CLI's command", "grad 2*dot(x,x)"),
    ("grad of a stored formula", "grad f"),
    ("an assignment", "y = x + 1"),
]


def environment(state: str) -> dict[str, str]:
    # No cursor-position request: pexpect would not answer it, and prompt_toolkit would wait.
    return {**os.environ, "XDG_STATE_HOME": state, "PROMPT_TOOLKIT_NO_CPR": "1",
            "TERM": "xterm", "NO_COLOR": "1"}


def spawn(env: dict[str, str]) -> pexpect.spawn:
    child = pexpect.spawn(ADCLI, [], env=env, encoding="utf-8", timeout=120,
                          dimensions=(50, 160))
    child.delaybeforesend = None  # pexpect sleeps 50 ms before each send unless told not to
    return child


def first_prompt(env: dict[str, str], runs: int) -> list[float]:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        child = spawn(env)
        child.expect_exact(PROMPT)
        walls.append(time.perf_counter() - start)
        child.sendeof()
        child.expect(pexpect.EOF)
        child.close()
    return walls


def one_shot(runs: int) -> tuple[list[float], float]:
    """Wall times of the one-shot process, and its mean CPU time (user + system)."""
    walls = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(ONE_SHOT, stdout=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return walls, cpu / runs


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (None where /proc is not there)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def answers(env: dict[str, str], runs: int) -> tuple[dict[str, list[float]], float | None]:
    """Wall time of each answer by case, and the session's mean CPU time per answer."""
    child = spawn(env)
    child.expect_exact(PROMPT)
    for line in ("x = 0..5", "f = log(x*x)·sin(x) + 1/x", "grad f", "2*dot(x,x)"):
        child.sendline(line)  # the first answer imports what the session needs: not timed
        child.expect_exact(PROMPT)
    times: dict[str, list[float]] = {name: [] for name, _ in ANSWERS}
    cpu = 0.0
    for _ in range(runs):
        for name, line in ANSWERS:
            child.send(line)
            drain(child)  # the line is typed (and echoed) before the clock starts
            start, used = time.perf_counter(), cpu_seconds(child.pid)
            child.send("\r")
            child.expect_exact(PROMPT)
            times[name].append(time.perf_counter() - start)
            after = cpu_seconds(child.pid)
            cpu += after - used if after is not None and used is not None else float("nan")
    child.sendeof()
    child.expect(pexpect.EOF)
    count = runs * len(ANSWERS)
    return times, (cpu / count if cpu == cpu else None)


def drain(child: pexpect.spawn) -> None:
    time.sleep(0.1)
    while True:
        try:
            child.read_nonblocking(size=65536, timeout=0.05)
        except pexpect.TIMEOUT:
            return


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    options = parser.parse_args()
    starts, answered = (5, 10) if options.quick else (15, 60)
    with tempfile.TemporaryDirectory() as state:
        env = environment(state)
        grad, grad_cpu = one_shot(starts)
        prompt = first_prompt(env, starts)
        times, cpu = answers(env, answered)
    rows = {"one-shot adcli grad (whole process)": grad, "first prompt of the session": prompt,
            **{f"answer: {name}": walls for name, walls in times.items()}}
    medians = {name: statistics.median(walls) for name, walls in rows.items()}
    every_answer = [t for walls in times.values() for t in walls]
    summary = {
        "first_prompt_over_grad": medians["first prompt of the session"] / statistics.median(grad),
        "answer_median_ms": statistics.median(every_answer) * 1000,
        "answer_over_grad": statistics.median(every_answer) / statistics.median(grad),
        "answer_cpu_ms": None if cpu is None else cpu * 1000,
        "grad_cpu_ms": grad_cpu * 1000,
    }
    if options.json:
        print(json.dumps({"rows": {n: {"median": medians[n], "min": min(w), "runs": len(w)}
                                   for n, w in rows.items()}, **summary}))
        return
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f}")
    width = max(map(len, rows))
    for name, walls in rows.items():
        print(f"  {name:<{width}}  median {ms(medians[name]):>10}  min {ms(min(walls)):>10}"
              f"  ({len(walls)} runs)")
    print(f"first prompt ÷ one-shot grad: {summary['first_prompt_over_grad']:.2f}× (goal ≤ 1)")
    print(f"median answer: {summary['answer_median_ms']:.1f} ms (goal < 20 ms), "
          f"{summary['answer_over_grad']:.3f}× one-shot grad")
    if cpu is not None:
        print(f"CPU time per answer (mean of {answered * len(ANSWERS)}): {cpu * 1000:.1f} ms, "
              f"{cpu / grad_cpu:.3f}× one-shot grad's {grad_cpu * 1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
