"""How long a Tab press takes: every one starts adcli again, so the goal is a median of at most
100 ms per answer, on the machine at hand.

    python benchmarks/bench_completion.py           # the numbers for README (about a minute)
    python benchmarks/bench_completion.py --quick   # fewer runs (a smoke test)
    python benchmarks/bench_completion.py --json    # the same results as one JSON object

Each case is a whole process, the installed console script answering the way a shell's script
asks it (typer's protocol: COMP_WORDS for bash, _TYPER_COMPLETE_ARGS for zsh and fish), timed
many times; rows show the median and the min of the wall time. Two references frame them: the
bare interpreter (`python -c pass`, the floor no Python CLI goes below) and `import typer`. One
more row times the whole Tab press in bash, sourcing completions/adcli.bash and calling its
function. Then one answer is run again under `python -X importtime`, to show what it imports —
numpy, lark, Rich and pydantic must not be among it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADCLI = str(Path(sys.executable).parent / "adcli")  # the installed console script
GOAL = 0.100  # seconds, median of one answer
HEAVY = ("numpy", "lark", "rich", "pydantic")

# (what is completed, the command line up to the cursor, a word the answer must hold)
CASES = [
    ("a command", "adcli gr", "graph"),
    ("an option", 'adcli grad "x*y" --wr', "--wrt"),
    ("a --mode value", 'adcli grad "x*y" --mode ', "forward"),
    ("a --wrt variable", 'adcli grad "x*y + sin(z)" --wrt ', "z"),
    ("a function in the formula", 'adcli grad "log(x*x)·sin(x) + si', "sinh("),
]


@dataclass
class Row:
    name: str
    wall: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def min(self) -> float:
        return min(self.wall)


def words(line: str) -> list[str]:
    """The words of a line as bash hands them over: quotes kept, the last one incomplete (the
    cases here have at most one quoted word, the formula)."""
    head, quote, formula = line.partition('"')
    if not quote:
        return line.split(" ")
    formula, closed, rest = formula.partition('"')
    return head.split() + ['"' + formula + closed] + (rest.split(" ")[1:] if closed else [])


def protocol(shell: str, line: str) -> dict[str, str]:
    if shell == "bash":
        typed = words(line)
        return {"COMP_WORDS": "\n".join(typed), "COMP_CWORD": str(len(typed) - 1),
                "_ADCLI_COMPLETE": "complete_bash"}
    return {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_ADCLI_COMPLETE": f"complete_{shell}"}


def timed(argv: list[str], env: dict[str, str], runs: int, expect: str = "") -> list[float]:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        if done.returncode != 0 or expect not in done.stdout:
            sys.exit(f"{shlex.join(argv)} failed or did not answer {expect!r}:\n"
                     f"{done.stdout}{done.stderr}")
    return walls


def measure(runs: int) -> tuple[list[Row], list[Row]]:
    base = dict(os.environ)
    references = [
        Row("python -c pass", timed([sys.executable, "-c", "pass"], base, runs)),
        Row("python -c 'import typer'", timed([sys.executable, "-c", "import typer"], base, runs)),
    ]
    answers = []
    for shell in ("bash", "zsh", "fish"):
        for what, line, expect in CASES:
            env = {**base, **protocol(shell, line)}
            answers.append(Row(f"{shell}: {what}", timed([ADCLI], env, runs, expect)))
    script = f"""
        source {shlex.quote(str(ROOT / 'completions' / 'adcli.bash'))}
        COMP_WORDS=(adcli grad '"x*y + si'); COMP_CWORD=2
        _adcli_completion adcli; printf '%s\\n' "${{COMPREPLY[@]}}"
    """
    path = {**base, "PATH": f"{Path(ADCLI).parent}{os.pathsep}{base['PATH']}"}
    answers.append(Row("bash, the whole Tab press (script + adcli)",
                       timed(["bash", "--norc", "--noprofile", "-c", script], path, runs, "sinh(")))
    return references, answers


def imports() -> dict[str, object]:
    env = {**os.environ, **protocol("zsh", CASES[-1][1]), "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run([ADCLI], env=env, capture_output=True, text=True)
    rows = []
    for row in done.stderr.splitlines():
        if row.startswith("import time:") and "|" in row and "cumulative" not in row:
            _, cumulative, name = row.split("|")
            rows.append((int(cumulative), name.strip()))
    top = {name: us / 1000 for us, name in sorted(rows, reverse=True) if "." not in name}
    imported = {name for _, name in rows}
    return {"heavy modules imported": sorted(m for m in HEAVY if m in imported),
            "top-level imports, cumulative ms": dict(list(top.items())[:6])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="7 runs per row instead of 31")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    runs = 7 if args.quick else 31
    references, answers = measure(runs)
    overall = statistics.median(t for row in answers for t in row.wall)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                   f"Python {platform.python_version()}",
        "load average at end": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "runs per row": runs,
        "median of every answer": overall,
        "goal": f"median <= {GOAL * 1000:.0f} ms: {'met' if overall <= GOAL else 'NOT met'}",
        **imports(),
    }
    if args.json:
        rows = [{"name": r.name, "median": r.median, "min": r.min, "wall": r.wall}
                for r in references + answers]
        print(json.dumps({**report, "rows": rows}, indent=2))
        return
    for key, value in report.items():
        shown = f"{value * 1000:.1f} ms" if key == "median of every answer" else value
        print(f"{key}: {shown}")
    print(f"\n{'':48}{'median':>10}{'min':>10}")
    for row in references + [None] + answers:
        if row is None:
            print()
            continue
        print(f"{row.name:48}{row.median * 1000:>7.1f} ms{row.min * 1000:>7.1f} ms")


if __name__ == "__main__":
    main()
