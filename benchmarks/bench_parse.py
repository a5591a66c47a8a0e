"""How fast formulas parse: µs per node of the AST, and a 1 MB formula through the CLI (issue 15,
goal 3: ≤ 20 µs per node on 1,000–100,000 operations, 1 MB end to end in under 2 s).

    python benchmarks/bench_parse.py             # the numbers for README (a minute or two)
    python benchmarks/bench_parse.py --quick     # smaller sizes, fewer runs (a smoke test)
    python benchmarks/bench_parse.py --profile   # where the time goes, by part of the parser
    python benchmarks/bench_parse.py --json      # the same results as one JSON object

The formulas are generated (seeded) sums of terms that mix what people write: sums, products
with and without an operator (2 sin(x), 3x), powers and superscripts, calls, nested parentheses
and vectors inside sum([...]). A node is a node of adcli's AST, as `ast.walk` counts them; the
time is `adcli.language.parser.parse` whole (lexing, LALR parsing, building the AST, the checks
of calls.py), in this process, the median of several runs with the garbage collector on, as a
user's process has it.

The end-to-end row runs `adcli eval -f FILE --at …` on a ~1 MB formula (a program of one line:
a single command-line argument cannot be over 128 KiB on Linux; `--timeout 0`, since before
this goal it took longer than the default 10 s), round-robin with the same
command on a small formula, whose time is the start-up every command pays.

--profile runs cProfile over one parse of the largest formula and sums the time spent inside
each part's own functions (a builtin's time goes to its caller's part): the LALR loop and the
lexing (adcli/language/lalr.py), the tree callbacks (lalr.py's child filters and adcli's
Build), the spans, adcli's checks after parsing.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import ADCLI, load, ms, round_robin  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
POINT = ["--at", "x=0.5", "--at", "y=0.3", "--at", "z=0.2"]


def _term(rng: random.Random, depth: int) -> str:
    if depth == 0:
        return rng.choice(["x", "y", "z", "2", "0.5", "3x", "2y", "x^2", "y²", "pi"])

    def sub() -> str:
        return _term(rng, depth - 1)

    return rng.choice([
        lambda: f"sin({sub()})",
        lambda: f"cos({sub()}) * {sub()}",
        lambda: f"({sub()} + {sub()})",
        lambda: f"{sub()} - {sub()}/(1 + x^2)",
        lambda: f"tanh({sub()})^2",
        lambda: f"2 sin({sub()})",
        lambda: f"sum([{sub()}, {sub()}, 1])",
        lambda: f"(({sub()}))*({sub()} + 1)",
        lambda: f"-{sub()} * y",
    ])()


def formula(nodes: int = 0, chars: int = 0, seed: int = 0) -> str:
    """A sum of random terms with about `nodes` AST nodes (or `chars` characters)."""
    rng = random.Random(seed)
    terms: list[str] = []
    length = 0
    # about 2.35 characters per node, by measurement of these terms
    wanted = chars or int(nodes * 2.35)
    while length < wanted:
        terms.append(_term(rng, 4))
        length += len(terms[-1]) + 3
    return " + ".join(terms)


def count(text: str) -> int:
    from adcli.language import ast
    from adcli.language.parser import parse

    return sum(1 for _ in ast.walk(parse(text).tree))


@dataclass
class Size:
    operations: int  # asked for
    nodes: int  # of the AST
    chars: int
    runs: list[float]  # seconds per parse

    @property
    def per_node(self) -> float:
        return statistics.median(self.runs) / self.nodes * 1e6


def time_parse(text: str, runs: int) -> list[float]:
    from adcli.language.parser import parse

    parse("x + 1")  # the tables loaded
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        parse(text)
        walls.append(time.perf_counter() - start)
    return walls


PARTS = [  # (part, how its functions are recognised: a path fragment and optional names)
    ("tree callbacks (lalr.py's child filters)", "adcli/language/lalr.py",
     {"reduce", "make", "_children"}),
    ("LALR loop and lexing (lalr.py)", "adcli/language/lalr.py", None),
    ("spans (adcli)", "adcli/language/parser.py", {"_span", "_start", "_end", "_nodes"}),
    ("AST building (adcli's Build)", "adcli/language/parser.py", None),
    ("checks after parsing (calls.py, ast.walk)", "adcli/language/calls.py", None),
    ("", "adcli/language/ast.py", None),
]
# Parts with no name of their own count as the named part above them.


def profile(text: str) -> list[tuple[str, float]]:
    """Seconds of own time per part of the parser, and the total, under cProfile."""
    import cProfile
    import pstats

    from adcli.language.parser import parse

    parse("x + 1")
    profiler = cProfile.Profile()
    profiler.runcall(parse, text)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]

    def part_of(path: str, function: str) -> str | None:
        named = None
        for name, fragment, functions in PARTS:
            named = name or named
            if fragment in path and (functions is None or function in functions):
                return named
        return None

    totals: dict[str, float] = {}
    for (path, _, function), (_, _, own, _, callers) in stats.items():
        part = part_of(path, function)
        if part is not None:
            totals[part] = totals.get(part, 0.0) + own
            continue
        # a builtin (re's match, list.append, isinstance…): its time goes to its callers' parts
        for (caller_path, _, caller), (_, _, from_there, _) in callers.items():
            part = part_of(caller_path, caller) or "other"
            totals[part] = totals.get(part, 0.0) + from_there
    whole = sum(totals.values())
    return sorted(totals.items(), key=lambda kv: -kv[1]) + [("total", whole)]


def end_to_end(chars: int, rounds: int) -> dict[str, object]:
    text = formula(chars=chars, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.adc"
        big.write_text(text + "\n", encoding="utf-8")
        commands = {
            f"adcli eval -f FILE ({len(text.encode()) / 1e6:.2f} MB, {count(text):,} nodes)":
                [ADCLI, "eval", "-f", str(big), *POINT, "--timeout", "0"],
            "adcli eval \"x + y + z\" (start-up)": [ADCLI, "eval", "x + y + z", *POINT],
        }
        rows = round_robin(commands, rounds)
    return {name: {"median": row.median, "cpu": row.median_cpu, "walls": row.wall}
            for name, row in rows.items()}


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_argument("--quick", action="store_true")
    cli.add_argument("--profile", action="store_true")
    cli.add_argument("--json", action="store_true")
    args = cli.parse_args()
    sizes = QUICK_SIZES if args.quick else SIZES
    runs = 3 if args.quick else 7

    if args.profile:
        text = formula(sizes[-1])
        print(f"cProfile of one parse, {count(text):,} nodes (own time per part; cProfile "
              "inflates Python calls, so read shares, not seconds):")
        parts = profile(text)
        total = parts[-1][1]
        for part, seconds in parts:
            print(f"  {part:58}{seconds:8.3f} s {seconds / total:6.0%}")
        return

    results = []
    for operations in sizes:
        text = formula(operations)
        nodes = count(text)
        # fewer runs of the largest: each is seconds
        results.append(Size(operations, nodes, len(text),
                            time_parse(text, runs if nodes < 50_000 else max(3, runs // 2))))
    e2e = end_to_end(200_000 if args.quick else 1_000_000, 3 if args.quick else 5)

    if args.json:
        print(json.dumps({"python": platform.python_version(), "load": load(),
                          "sizes": [{**asdict(r), "us_per_node": r.per_node} for r in results],
                          "end_to_end": e2e}, indent=2))
        return
    print(f"parse(), µs per AST node (median of runs; load average {load()}):")
    print(f"  {'operations':>12}{'nodes':>10}{'chars':>10}{'median':>12}{'µs/node':>10}"
          f"   goal ≤ 20")
    for r in results:
        print(f"  {r.operations:>12,}{r.nodes:>10,}{r.chars:>10,}"
              f"{ms(statistics.median(r.runs)):>12}{r.per_node:>10.1f}"
              f"   {'met' if r.per_node <= 20 else 'not met'}")
    print("end to end (whole process, median wall and CPU time; goal: 1 MB under 2 s):")
    for name, row in e2e.items():
        print(f"  {name:60}{ms(row['median']):>11}{ms(row['cpu']):>11}")


if __name__ == "__main__":
    main()
