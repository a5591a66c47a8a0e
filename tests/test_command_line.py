"""The command line's own edges (issue 9): a formula that starts with a minus is the formula,
never options (README promises it), and usage errors are reported like every other error. And
what a start loads (issue 15): the module of the command named, not all six."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest


@pytest.mark.parametrize("args", [
    ["grad", "-tanh(x)", "--at", "x=1", "--json"],
    ["grad", "--at", "x=1", "-tanh(x)", "--json"],
    ["grad", "--json", "--at", "x=1", "-tanh(x)"],
    ["grad", "--at", "x=1", "--json", "--", "-tanh(x)"],
])
def test_a_formula_starting_with_a_minus_is_the_formula(adcli, args):
    run = adcli(*args)
    assert run.code == 0, run.err
    result = run.json()
    assert result["expression"] == "-tanh(x)"
    assert result["value"] == -math.tanh(1.0)
    assert result["gradient"]["x"] == pytest.approx(-(1 - math.tanh(1.0) ** 2), rel=1e-15)


@pytest.mark.parametrize("formula, at, value", [
    ("-softplus(x)", ["--at", "x=1"], -math.log1p(math.e)),  # not -s -o -f tplus(x)
    ("-outer(x, x)", ["--at", "x=[2]"], [[-4.0]]),  # not -o uter(x, x)
    ("-x^2", ["--at", "x=2"], -4.0),  # -x: not an option of adcli's either
    ("-sum(x, axis=0)", ["--at", "x=2"], -2.0),
    ("-1", [], -1.0),
    ("-.5*x", ["--at", "x=2"], -1.0),
])
def test_formulas_that_look_like_short_options(adcli, formula, at, value):
    run = adcli("eval", formula, *at, "--json")
    assert run.code == 0, run.err
    assert run.json()["value"] == value


def test_option_values_that_start_with_a_minus_stay_values(adcli, tmp_path):
    run = adcli("eval", "x*2", "--at", "-1", "--json")  # --at's value, not a formula
    assert run.code == 0 and run.json()["value"] == -2.0
    run = adcli("eval", "-x", "--at", "-", "--json", stdin='{"x": 3}')
    assert run.code == 0 and run.json()["value"] == -3.0
    target = tmp_path / "g.dot"
    run = adcli("graph", "-x", "--at", "x=1", "-o", str(target))
    assert run.code == 0 and target.read_text(encoding="utf-8").startswith("digraph")
    program = tmp_path / "p.adl"
    program.write_text("-x*3\n", encoding="utf-8")
    run = adcli("eval", "-f", str(program), "--at", "x=1", "--json")
    assert run.code == 0 and run.json()["value"] == -3.0


def test_help_is_still_help(adcli):
    run = adcli("grad", "-h")
    assert run.code == 0 and "--timeout" in run.out and "--max-steps" in run.out


def test_a_formula_and_a_program_is_still_one_too_many(adcli, tmp_path):
    program = tmp_path / "p.adl"
    program.write_text("x\n", encoding="utf-8")
    run = adcli("eval", "-x", "-f", str(program), "--json")
    assert run.code == 2 and "not both" in run.error()["message"]


def test_a_usage_error_in_text_is_an_error_with_a_hint(adcli):
    run = adcli("eval", "x", "--at", "x=1", "--dtype", "float16")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("error: Invalid value for '--dtype': 'float16' is not one of")
    assert "hint: adcli eval --help lists the options" in run.err


def test_no_arguments_shows_the_help(adcli):
    run = adcli()
    assert run.code == 2 and "Usage: adcli" in run.out


# -- what a start imports and collects ------------------------------------------------------

def registered(*statements: str) -> list[str]:
    """The commands on the app after `statements`, in a fresh process."""
    script = "\n".join([*statements, "from adcli.cli.app import app",
                        "print(' '.join(c.name for c in app.registered_commands))"])
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_the_map_of_commands_to_modules_is_what_each_module_registers():
    from adcli.cli import MODULES

    for module in dict.fromkeys(MODULES.values()):
        mine = [name for name, owner in MODULES.items() if owner == module]
        alone = registered(f"import adcli.cli.{module}")  # (graph's module imports values')
        assert [name for name in alone if name in mine] == mine
    assert registered("from adcli.cli import application", "application()") == list(MODULES)
    # --help's order, and the completion scripts', whichever module was imported first
    assert registered("import adcli.cli.plot, adcli.cli.derivatives",
                      "from adcli.cli import application", "application()") == list(MODULES)


@pytest.mark.parametrize("name, expected", [
    ("grad", ["eval", "grad", "functions"]),
    ("diff", ["diff"]),
    ("plot", ["plot"]),
    ("nonsense", None),  # every command: the error suggests the nearest
    ("--help", None),
])
def test_a_command_registers_its_own_module_only(name, expected):
    from adcli.cli import MODULES

    assert registered("from adcli.cli import application", f"application([{name!r}])") == \
        (expected or list(MODULES))


# Runs the console script's entry with adcli.cli.main replaced by a spy: is the collector on
# while the command runs, and did the start freeze what loading made?
COLLECTOR = """
import gc, sys, adcli.cli
command = adcli.cli.main
def spy():
    print("collecting:", gc.isenabled(), "frozen:", gc.get_freeze_count() > 0, file=sys.stderr)
    command()
adcli.cli.main = spy
sys.argv = ["adcli", "grad", "sin(x)", "--at", "1", "--json"]
from adcli.__main__ import main
main()
"""


def test_the_command_runs_with_the_collector_on_and_what_loading_made_frozen():
    run = subprocess.run([sys.executable, "-c", COLLECTOR], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr == "collecting: True frozen: True\n"
    assert json.loads(run.stdout)["gradient"]["x"] == math.cos(1.0)
