"""How long a Tab press takes, through real bash, zsh and fish: each answer against the start of
the bare interpreter (`python -c pass`), the floor of anything that runs Python. Goal: every
answer at most 3x that.

    python benchmarks/bench_completion.py           # the numbers for README (a minute or two)
    python benchmarks/bench_completion.py --quick   # fewer rounds (a smoke test)
    python benchmarks/bench_completion.py --json    # the same results as one JSON object

Each shell sources the script in completions/ and answers one case: once to warm up (and to
check the answer), then COUNT times in a loop timed by the shell's own clock (bash and zsh:
EPOCHREALTIME; fish: `date` around the loop), so the shell's own start is not counted. Rounds
go round-robin over every (shell, case) and one `python -c pass` process, so a noisy moment
hits all alike; the ratios are of medians. zsh completes only inside its line editor, so its
`_describe`, `compadd` and `_files` are replaced by functions that print (as in the tests).
Answers that need no formula run no process; the others start adcli once (variables.py).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "completions"
BIN = Path(sys.executable).parent  # where the console script `adcli` is
GOAL = 3.0  # an answer's median, in medians of `python -c pass`
PROGRAM = ROOT / "examples" / "newton_sqrt.adl"

# (what is completed, the command line up to the cursor, a word the answer must hold)
CASES = [
    ("a command", "adcli gr", "graph"),
    ("an option", 'adcli grad "x*y" --wr', "--wrt"),
    ("a --mode value", 'adcli grad "x*y" --mode ', "forward"),
    ("a function in the formula", 'adcli grad "log(x*x)·sin(x) + si', "sinh("),
    ("a function in an --at value", 'adcli grad "x*y" --at x=lin', "linspace("),
    ("a --wrt variable", 'adcli grad "x*y + sin(z)" --wrt ', "z"),
    ("--at NAME= of a formula", 'adcli grad "x*y" --at y=2 --at ', "x="),
    ("--wrt of a -f program", f"adcli grad -f {PROGRAM} --wrt ", "a"),
    ("--at NAME= of a -f program", f"adcli grad -f {PROGRAM} --at ", "a="),
]


def split_words(line: str, breaks: str = "=:") -> list[str]:
    """The words of a command line as bash hands them to a completion (COMP_WORDS): quotes
    kept, the last word possibly empty or still open, an unquoted `=` or `:` a word of its own
    (zsh's `words`: with breaks="", tests/test_completion.py does the same)."""
    words, word, quote, after_break = [], "", "", False
    for char in line:
        if not quote and (char == " " or char in breaks):
            words += [word] if word else []
            words += [] if char == " " else [char]
            word, after_break = "", char != " "
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        word, after_break = word + char, False
    return words if after_break else words + [word]


def shell_program(shell: str, line: str, count: int) -> list[str]:
    """argv of a shell that answers `line` once (printing the answer) and then `count` times,
    printing `elapsed SECONDS` for the loop."""
    if shell == "bash":
        words = " ".join(shlex.quote(w) for w in split_words(line))
        script = f"""
            source {shlex.quote(str(SCRIPTS / 'adcli.bash'))}
            COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))
            _adcli_completion adcli; printf 'answer %s\\n' "${{COMPREPLY[@]}}"
            start=$EPOCHREALTIME
            for ((i = 0; i < {count}; i++)); do COMPREPLY=(); _adcli_completion adcli; done
            echo "elapsed $start $EPOCHREALTIME"
        """
        return ["bash", "--norc", "--noprofile", "-c", script]
    if shell == "zsh":
        words = " ".join(shlex.quote(w) for w in split_words(line, breaks=""))
        script = f"""
            zmodload zsh/datetime
            autoload -Uz compinit && compinit -u -D
            source {shlex.quote(str(SCRIPTS / '_adcli'))}
            _describe() {{ local a=$4 i; for i in "${{(@P)a}}"; do print -r -- "answer ${{i%%:*}}"; done }}
            compadd() {{ while [[ $1 != -- ]]; do shift; done; shift; print -rl -- "answer "$^@ }}
            _files() {{ }}
            words=({words}); CURRENT=$#words
            _adcli_completion
            start=$EPOCHREALTIME
            for ((i = 0; i < {count}; i++)); do _adcli_completion >/dev/null; done
            echo "elapsed $start $EPOCHREALTIME"
        """
        return ["zsh", "-f", "-c", script]
    script = f"""
        source {shlex.quote(str(SCRIPTS / 'adcli.fish'))}
        for answer in (complete -C $argv[1]); echo answer $answer; end
        set start (date +%s.%N)
        for i in (seq {count}); complete -C $argv[1] >/dev/null; end
        echo elapsed $start (date +%s.%N)
    """
    return ["fish", "--no-config", "-c", script, line]


def answer_once(shell: str, line: str, expect: str, count: int, env: dict[str, str]) -> float:
    done = subprocess.run(shell_program(shell, line, count), capture_output=True, text=True,
                          env=env, timeout=120)
    answers = [row[7:] for row in done.stdout.splitlines() if row.startswith("answer ")]
    if not any(expect in a for a in answers):
        sys.exit(f"{shell} answered {answers} to {line!r}, not {expect!r}:\n{done.stderr}")
    start, end = next(r for r in done.stdout.splitlines() if r.startswith("elapsed")).split()[1:]
    return (float(end.replace(",", ".")) - float(start.replace(",", "."))) / count


def measure(rounds: int, count: int) -> dict[str, list[float]]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    timed: dict[str, list[float]] = {"python -c pass": []}
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        timed["python -c pass"].append(time.perf_counter() - start)
        for shell in ("bash", "zsh", "fish"):
            for what, line, expect in CASES:
                timed.setdefault(f"{shell}: {what}", []).append(
                    answer_once(shell, line, expect, count, env))
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 9")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    rounds, count = (3, 3) if args.quick else (9, 5)
    timed = measure(rounds, count)
    floor = statistics.median(timed["python -c pass"])
    rows = [{"name": name, "median": statistics.median(t), "min": min(t),
             "ratio": statistics.median(t) / floor} for name, t in timed.items()]
    worst = max(r["ratio"] for r in rows[1:])
    report = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                         f"{platform.python_version()}",
              "load average at end": " ".join(f"{x:.2f}" for x in os.getloadavg()),
              "rounds": rounds, "answers timed per round": count,
              "goal": f"every answer <= {GOAL:g}x python -c pass: "
                      f"{'met' if worst <= GOAL else 'NOT met'} (worst {worst:.2f}x)",
              "rows": rows}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for key in ("machine", "load average at end", "rounds", "answers timed per round", "goal"):
        print(f"{key}: {report[key]}")
    print(f"\n{'':44}{'median':>10}{'min':>10}{'ratio':>8}")
    for row in rows:
        print(f"{row['name']:44}{row['median'] * 1e3:>7.2f} ms{row['min'] * 1e3:>7.2f} ms"
              f"{row['ratio']:>7.2f}x")


if __name__ == "__main__":
    main()
