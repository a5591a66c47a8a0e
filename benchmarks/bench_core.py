"""adcli's engine against its references, side by side: one large formula, one long chain
(start-up: bench_startup.py; whole processes on large arrays: bench_output.py).

    python benchmarks/bench_core.py            # the numbers for README (a few minutes)
    python benchmarks/bench_core.py --quick    # smaller sizes, fewer runs (a smoke test)
    python benchmarks/bench_core.py --json     # the same results as one JSON object

(b) the notebook's last formula, dot(log(x*x), sin(x)) + 1/x at n = 10^7, value and gradient,
    against torch eager and against the gradient written by hand with numpy;
(c) a 100,000-step scalar chain x = sin(x)*1.0001, then backward, against torch.

The machine this runs on is shared and noisy, so every contender runs many times. The tables
show the median and the min of the wall time, and the median CPU time split into user and sys;
ratios are of median wall times. Look at sys before reading much into a ratio of large-array
work: it is mostly page faults on freshly mapped memory, and numpy asks the kernel for huge
pages (madvise) where torch's allocator does not unless THP_MEM_ALLOC_ENABLE=1, so (b) shows
torch both ways. In (a), `import numpy` starts OpenBLAS's threads, which on a busy machine
can add ~50 ms to numpy and to adcli alike and so flatter the ratio: each goal line also gives
the ratio of the mins, and says so when the two disagree.

In (b) and (c) each contender is timed in a process of its own: torch's thread pool, a heap
that torch has fragmented, or the ~150,000 objects that `import torch` leaves for Python's
garbage collector to walk on every full collection would otherwise be charged to whichever
contender runs next. The results are checked against each other once, in this process, before
anything is timed.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

HERE = Path(__file__).resolve()
ADCLI = str(Path(sys.executable).parent / "adcli")  # the installed console script
HAVE_TORCH = importlib.util.find_spec("torch") is not None

HUGE_PAGES = "THP_MEM_ALLOC_ENABLE"  # torch's switch for madvise(MADV_HUGEPAGE) on big blocks


@dataclass
class Settings:
    n: int = 10**7
    notebook_runs: int = 5
    notebook_warmups: int = 2
    steps: int = 100_000
    chain_runs: int = 5
    chain_warmups: int = 1


QUICK = Settings(n=10**6, notebook_runs=3, notebook_warmups=1, steps=10_000,
                 chain_runs=3, chain_warmups=1)


@dataclass
class Runs:
    """Per run: wall time, and the CPU time the kernel charged (user, and sys, which is mostly
    page faults on freshly mapped memory here), all in seconds."""

    wall: list[float] = field(default_factory=list)
    user: list[float] = field(default_factory=list)
    sys: list[float] = field(default_factory=list)


@dataclass
class Timing:
    name: str
    runs: Runs
    is_adcli: bool = False  # adcli's own rows get no ratio

    @property
    def median(self) -> float:
        return statistics.median(self.runs.wall)

    @property
    def min(self) -> float:
        return min(self.runs.wall)

    @property
    def user(self) -> float:
        return statistics.median(self.runs.user)

    @property
    def sys(self) -> float:
        return statistics.median(self.runs.sys)


@dataclass
class Goal:
    """Either a ratio goal (adcli's median / reference's median <= limit) or a yes/no check."""

    text: str
    reference: str | None = None
    limit: float | None = None
    ratio: float | None = None  # of medians: the verdict
    min_ratio: float | None = None  # of mins: a second opinion on a noisy machine
    met: bool | None = None


@dataclass
class Section:
    title: str
    detail: str  # how it was measured
    adcli: str  # the name of the contender the ratios are about
    timings: list[Timing] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def timing(self, name: str) -> Timing:
        return next(t for t in self.timings if t.name == name)

    def ratio(self, reference: str) -> float:
        return self.timing(self.adcli).median / self.timing(reference).median

    def min_ratio(self, reference: str) -> float:
        return self.timing(self.adcli).min / self.timing(reference).min

    def settle_goals(self) -> None:
        for goal in self.goals:
            if goal.reference is not None:
                goal.ratio = self.ratio(goal.reference)
                goal.min_ratio = self.min_ratio(goal.reference)
                goal.met = goal.ratio <= goal.limit


# -- the contenders of (b) and (c): each returns (value, gradient) so they can be compared -------


def notebook_adcli(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import adcli as ad

    t = ad.tensor(x, requires_grad=True)
    y = ad.dot(ad.log(t * t), ad.sin(t)) + 1 / t
    y.backward(ad.ones(len(x)))
    return y.data, t.grad.data


def notebook_torch(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import torch

    t = torch.from_numpy(x).requires_grad_()  # shares x's memory: no copy is timed
    y = torch.dot(torch.log(t * t), torch.sin(t)) + 1 / t
    y.backward(torch.ones_like(y))
    return y.detach().numpy(), t.grad.numpy()


def notebook_numpy(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # y = dot(log(x²), sin x) + 1/x is a vector: a scalar D broadcast, plus 1/x. Contracted with
    # a cotangent g, L = sum(g)·D + Σ gᵢ/xᵢ, so ∂L/∂xₖ = sum(g)·(2 sin xₖ/xₖ + log(xₖ²) cos xₖ)
    # − gₖ/xₖ²; with g = ones, sum(g) = n multiplies the dot part.
    s, log_x2 = np.sin(x), np.log(x * x)
    y = np.dot(log_x2, s) + 1 / x
    g = np.ones_like(x)
    grad = g.sum() * (2 * s / x + log_x2 * np.cos(x)) - g / (x * x)
    return y, grad


def chain_adcli(steps: int) -> tuple[float, float]:
    import adcli as ad

    x0 = ad.tensor(0.5, requires_grad=True)
    x = x0
    for _ in range(steps):
        x = ad.sin(x) * 1.0001
    x.backward()
    return x.item(), x0.grad.item()


def chain_torch(steps: int) -> tuple[float, float]:
    import torch

    x0 = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    x = x0
    for _ in range(steps):
        x = torch.sin(x) * 1.0001
    x.backward()
    return x.item(), x0.grad.item()


NOTEBOOK = {"adcli": notebook_adcli, "torch": notebook_torch, "numpy": notebook_numpy}
CHAIN = {"adcli": chain_adcli, "torch": chain_torch}


def notebook_input(n: int) -> np.ndarray:
    return np.linspace(0.1, 10.0, n)  # positive, so log(x*x) and 1/x stay finite


# -- timing ---------------------------------------------------------------------------------------


def measure(run: Callable[[], Any], runs: Runs, who: int = resource.RUSAGE_SELF) -> None:
    """Time one call of `run` into `runs`; `who` is RUSAGE_CHILDREN when `run` is a process."""
    before = resource.getrusage(who)
    start = time.perf_counter()
    run()
    runs.wall.append(time.perf_counter() - start)
    after = resource.getrusage(who)
    runs.user.append(after.ru_utime - before.ru_utime)
    runs.sys.append(after.ru_stime - before.ru_stime)


def time_calls(run: Callable[[], Any], count: int, warmups: int) -> Runs:
    for _ in range(warmups):
        run()
    runs = Runs()
    for _ in range(count):
        gc.collect()  # start each run from the same heap; collections during the run count
        measure(run, runs)
    return runs


def worker(benchmark: str, contender: str, size: int, runs: int, warmups: int,
           threads: int) -> None:
    """Runs in a child process: time one contender and print its runs as JSON."""
    if contender == "torch":
        import torch

        if threads:
            torch.set_num_threads(threads)
    if benchmark == "notebook":
        x = notebook_input(size)
        timed = time_calls(lambda: NOTEBOOK[contender](x), runs, warmups)
    else:
        timed = time_calls(lambda: CHAIN[contender](size), runs, warmups)
    print(json.dumps(asdict(timed)))


def time_in_child(benchmark: str, contender: str, size: int, runs: int, warmups: int,
                  threads: int = 0, env: dict[str, str] | None = None) -> Runs:
    argv = [sys.executable, str(HERE), "--worker", benchmark, contender, str(size), str(runs),
            str(warmups), str(threads)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})})
    if done.returncode != 0:
        sys.exit(f"{benchmark}/{contender} failed:\n{done.stderr}")
    return Runs(**json.loads(done.stdout))


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- (b) the notebook's last formula at n = 10^7 --------------------------------------------------


def check_notebook(n: int) -> str:
    x = notebook_input(n)
    results = {name: fn(x) for name, fn in NOTEBOOK.items() if name != "torch" or HAVE_TORCH}
    value, grad = results["adcli"]
    for name, (other_value, other_grad) in results.items():
        if not (np.allclose(value, other_value) and np.allclose(grad, other_grad)):
            sys.exit(f"adcli and {name} disagree on the notebook formula")
    return f"values and gradients agree (np.allclose): adcli = {' = '.join(list(results)[1:])}"


def torch_variants() -> list[tuple[str, int, dict[str, str]]]:
    """(label, threads (0: torch's default), environment) for each way torch is run in (b)."""
    import torch

    default = f"default threads ({torch.get_num_threads()})"
    huge = {HUGE_PAGES: "1"}
    return [
        (f"torch eager, {default}", 0, {}),
        ("torch eager, set_num_threads(1)", 1, {}),
        (f"torch eager, {default}, {HUGE_PAGES}=1", 0, huge),
        (f"torch eager, set_num_threads(1), {HUGE_PAGES}=1", 1, huge),
    ]


def bench_notebook(settings: Settings) -> Section:
    n, runs, warmups = settings.n, settings.notebook_runs, settings.notebook_warmups
    section = Section(
        f"(b) dot(log(x*x), sin(x)) + 1/x at n = {n:,} float64: value and gradient "
        "(y.backward(ones))",
        f"{runs} runs after {warmups} warm-up(s), each contender in a process of its own",
        adcli="adcli (Python API)",
    )
    section.notes.append("check: " + check_notebook(n))
    section.timings.append(Timing(section.adcli,
                                  time_in_child("notebook", "adcli", n, runs, warmups), True))
    if HAVE_TORCH:
        for label, threads, env in torch_variants():
            section.timings.append(
                Timing(label, time_in_child("notebook", "torch", n, runs, warmups, threads, env)))
            section.goals.append(Goal(f"adcli no slower than {label}", label, 1.0))
        section.notes.append(
            f"{HUGE_PAGES}=1 makes torch's CPU allocator ask for transparent huge pages, as "
            "numpy does by default; without it torch's sys column is page faults"
        )
    section.timings.append(Timing("numpy, gradient written by hand",
                                  time_in_child("notebook", "numpy", n, runs, warmups)))
    return section


# -- (c) a long scalar chain ----------------------------------------------------------------------


def check_chain(steps: int) -> str:
    value, grad = chain_adcli(steps)
    if not HAVE_TORCH:
        return f"adcli gives value {value:.6g}, gradient {grad:.6g} (torch absent)"
    torch_value, torch_grad = chain_torch(steps)
    if not (np.isclose(value, torch_value) and np.isclose(grad, torch_grad, rtol=1e-9, atol=0)):
        sys.exit(f"chain: adcli gives ({value}, {grad}), torch ({torch_value}, {torch_grad})")
    return f"value {value:.6g} and gradient {grad:.6g} agree with torch's {torch_grad:.6g}"


def bench_chain(settings: Settings) -> Section:
    steps, runs, warmups = settings.steps, settings.chain_runs, settings.chain_warmups
    section = Section(
        f"(c) {steps:,}-step scalar chain x = sin(x)*1.0001, then backward (0-d float64)",
        f"{runs} runs after {warmups} warm-up(s), each contender in a process of its own",
        adcli="adcli (Python API)",
    )
    section.notes.append("check: " + check_chain(steps))
    section.timings.append(Timing(section.adcli,
                                  time_in_child("chain", "adcli", steps, runs, warmups), True))
    if HAVE_TORCH:
        section.timings.append(Timing("torch eager",
                                      time_in_child("chain", "torch", steps, runs, warmups)))
        section.goals.append(Goal("adcli no slower than torch eager", "torch eager", 1.0))
    return section


# -- output ---------------------------------------------------------------------------------------


def seconds(value: float) -> str:
    return f"{value * 1e3:8.1f} ms" if value < 1 else f"{value:8.3f} s "


def render(section: Section) -> str:
    width = max(len(t.name) for t in section.timings) + 2
    lines = [section.title, f"  {section.detail}; ratios are of median wall times",
             f"  {'contender':<{width}} {'median':>11} {'min':>11} {'cpu user':>11} "
             f"{'cpu sys':>11}   adcli/this"]
    for t in section.timings:
        ratio = "" if t.is_adcli else f"{section.ratio(t.name):9.2f}x"
        lines.append(f"  {t.name:<{width}} {seconds(t.median)} {seconds(t.min)} "
                     f"{seconds(t.user)} {seconds(t.sys)}   {ratio}")
    lines += [f"  {note}" for note in section.notes]
    for goal in section.goals:
        verdict = "met" if goal.met else "NOT MET"
        if goal.ratio is None:
            lines.append(f"  goal: {goal.text}: {verdict}")
        else:
            doubt = "" if (goal.min_ratio <= goal.limit) == goal.met else (
                " (the mins disagree: too noisy to call, run again)")
            lines.append(f"  goal: {goal.text}: {goal.ratio:.3f}x (mins: {goal.min_ratio:.3f}x, "
                         f"limit {goal.limit:g}x) -> {verdict}{doubt}")
    return "\n".join(lines)


def load_average() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def transparent_huge_pages() -> str:
    """The kernel's mode, the bracketed word of e.g. `always [madvise] never`."""
    try:
        text = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text()
    except OSError:
        return "unknown"
    return text.split("[", 1)[-1].split("]", 1)[0] if "[" in text else text.strip()


def environment() -> dict[str, Any]:
    info = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": None,
        "cpus": os.cpu_count(),
        "transparent huge pages": transparent_huge_pages(),
        "load average at start (1, 5, 15 min)": load_average(),
        "adcli": ADCLI,
    }
    if HAVE_TORCH:
        import torch

        info["torch"] = torch.__version__
    return info


def as_json(env: dict[str, Any], sections: list[Section]) -> str:
    out: dict[str, Any] = {"environment": env, "sections": []}
    for section in sections:
        entry = asdict(section)
        for timing, source in zip(entry["timings"], section.timings):
            timing.update(median=source.median, min=source.min, median_user=source.user,
                          median_sys=source.sys)
            if not source.is_adcli:
                timing["adcli_ratio"] = section.ratio(source.name)
        out["sections"].append(entry)
    return json.dumps(out, indent=2)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="n = 10^6, a 10,000-step chain and fewer runs")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--only", default="bc", help="the comparisons to run, e.g. --only c")
    parser.add_argument("--worker", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.only or set(args.only) - set("bc"):
        parser.error("--only takes letters among b and c")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker:
        benchmark, contender, *numbers = args.worker
        worker(benchmark, contender, *map(int, numbers))
        return
    settings = QUICK if args.quick else Settings()
    env = environment()
    benches = {"b": bench_notebook, "c": bench_chain}
    sections = []
    for key in args.only:
        progress(f"running ({key}) ...")
        section = benches[key](settings)
        section.settle_goals()
        sections.append(section)
    env["load average at end (1, 5, 15 min)"] = load_average()
    if args.json:
        print(as_json(env, sections))
        return
    print("environment")
    for key, value in env.items():
        print(f"  {key}: {value}")
    if not HAVE_TORCH:
        print("torch is not installed: its rows and goals are left out")
    for section in sections:
        print()
        print(render(section))


if __name__ == "__main__":
    main()
