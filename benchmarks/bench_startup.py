"""Start-up: whole adcli processes against `python -c "import numpy"`, side by side.

    python benchmarks/bench_startup.py            # the numbers for README (a minute or two)
    python benchmarks/bench_startup.py --quick    # fewer rounds (a smoke test)

Goals (issue 15): `adcli grad` on a small formula at most 1.5x the numpy import with text output
and 1.3x with --json; `adcli --help` and `adcli --version` at most 1.0x. Run it with the Python
of an installed adcli: a `pip install .` writes .pyc files, an editable install under
PYTHONDONTWRITEBYTECODE=1 compiles every module of adcli at every start (both are worth a look:
the table says which it was). Two more rows are the floors: numpy and typer, which every
`adcli grad` imports, and Rich's console and table with them, which the text output imports.
Then `python -X importtime` (fastest of several runs per module) shows where the rest goes, by
top-level package.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys

from timing import ADCLI, load, round_robin, table

PYTHON = sys.executable
COMMANDS = {
    'python -c "import numpy"': [PYTHON, "-c", "import numpy"],
    'python -c "pass"': [PYTHON, "-c", "pass"],
    # the floors: what `--json` and the text output import that is not adcli's own
    'python -c "import numpy, typer"': [PYTHON, "-c", "import numpy, typer"],
    'python -c "import numpy, typer, rich.console, rich.table"':
        [PYTHON, "-c", "import numpy, typer, rich.console, rich.table"],
    'adcli grad "sin(x)" --at 1': [ADCLI, "grad", "sin(x)", "--at", "1"],
    'adcli grad "sin(x)" --at 1 --json': [ADCLI, "grad", "sin(x)", "--at", "1", "--json"],
    "adcli --help": [ADCLI, "--help"],
    "adcli --version": [ADCLI, "--version"],
}
GOALS = {'adcli grad "sin(x)" --at 1': 1.5, 'adcli grad "sin(x)" --at 1 --json': 1.3,
         "adcli --help": 1.0, "adcli --version": 1.0}
REFERENCE = 'python -c "import numpy"'


def import_times(argv: list[str], runs: int) -> dict[str, float]:
    """Milliseconds of import, by top-level package: per module the fastest of `runs`."""
    best: dict[str, int] = {}
    for _ in range(runs):
        err = subprocess.run(argv, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}).stderr
        for line in err.splitlines():
            if line.startswith("import time:") and "self [us]" not in line:
                self_us, _, name = line[len("import time:"):].split("|")
                name = name.strip()
                best[name] = min(best.get(name, 10**12), int(self_us))
    packages: collections.Counter[str] = collections.Counter()
    for name, us in best.items():
        packages[name.split(".")[0]] += us
    return {name: us / 1000 for name, us in packages.most_common(8)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 rounds instead of 21")
    args = parser.parse_args()
    rounds = 5 if args.quick else 21
    editable = "site-packages" not in __import__("adcli").__file__
    rows = round_robin(COMMANDS, rounds)
    print(f"adcli: {'editable install (no .pyc)' if editable else 'installed with .pyc'}; "
          f"{rounds} rounds; load average at end {load()}")
    print("\n".join(table(rows, REFERENCE)))
    reference = rows[REFERENCE]
    for name, limit in GOALS.items():
        wall = rows[name].median / reference.median
        cpu = rows[name].median_cpu / reference.median_cpu
        verdict = "met" if max(wall, cpu) <= limit else "NOT met"
        print(f"  goal: {name} <= {limit:g}x: wall {wall:.2f}x, cpu {cpu:.2f}x -> {verdict}")
    runs = 3 if args.quick else 9
    for name in ('adcli grad "sin(x)" --at 1 --json', "adcli --help"):
        argv = [PYTHON, ADCLI] + COMMANDS[name][1:]
        spent = ", ".join(f"{p} {ms:.1f}" for p, ms in import_times(argv, runs).items())
        print(f"  imports of {name}, ms by package: {spent}")


if __name__ == "__main__":
    main()
