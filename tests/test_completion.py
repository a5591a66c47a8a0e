"""Tab completion, from adcli's side: what it answers through typer's completion protocol for
each shell, that it knows the formula language, that it stays cheap (no numpy, lark or Rich),
and that the generated files (completions/, adcli/cli/vocabulary.py) are up to date.
tests/test_completion_shells.py asks the same questions through real bash, zsh and fish."""

from __future__ import annotations

import os
import shutil
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from adcli.cli import complete, vocabulary
from adcli.language.parser import parse

ROOT = Path(__file__).resolve().parent.parent

# A command line typed up to the cursor, and what Tab offers there.
CASES = [
    ("a command", "adcli gr", ["grad", "graph"]),
    ("an option", 'adcli grad "x*y" --wr', ["--wrt"]),
    ("a --mode value", 'adcli grad "x*y" --mode ', ["reverse", "forward"]),
    ("a --dtype value", 'adcli eval "x" --dtype ', ["float64", "float32"]),
    ("a --format value", 'adcli graph "x" --format ', ["tree", "dot", "mermaid", "json"]),
    ("--wrt: the formula's variables", 'adcli grad "x*y + sin(z)" --wrt ', ["x", "y", "z"]),
    ("--wrt: one more after a comma", 'adcli grad "x*y + sin(z)" --wrt z,', ["z,x", "z,y"]),
    ("--wrt, the formula after the options", 'adcli grad --at x=1 "x*y" --wrt ', ["x", "y"]),
    ("--at: NAME= for each variable", 'adcli grad "x*y" --at ', ["x=", "y="]),
    ("--at: those not given yet", 'adcli grad "x*y" --at y=2 --at ', ["x="]),
    ("--at: a function in the value", 'adcli grad "x*y" --at x=lin', ["x=linspace("]),
    ("a function in the formula", 'adcli grad "x*y + si',
     ["x*y + sin(", "x*y + sinh(", "x*y + sign(", "x*y + sigmoid(", "x*y + size(", "x*y + sinc("]),
    ("a function or a constant in the formula", 'adcli eval "x*p', ["x*prod(", "x*pow(", "x*polygamma(", "x*pi"]),
    ("a variable used earlier", 'adcli eval "alpha*x + al', ["alpha*x + alpha"]),
    ("a keyword", 'adcli eval "where(x > 0 an', ["where(x > 0 and"]),
]


def bash_words(line: str, split: bool = True) -> list[str]:
    """COMP_WORDS for a line, as bash makes it: words keep their quotes, the last one may be
    empty or still open, and (with `split`) an unquoted `=` or `:` is a word of its own."""
    words, word, quote, after_break = [], "", "", False
    for char in line:
        if not quote and (char == " " or split and char in "=:"):
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


def answers(shell: str, line: str, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Ask adcli, in this process, the way `shell`'s script asks it on a Tab press."""
    from adcli.cli import main

    if shell == "bash":  # the words as adcli's script hands them over, the last one incomplete
        words = bash_words(line, split=False)
        monkeypatch.setenv("COMP_WORDS", "\n".join(words))
        monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    else:
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line)
        monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    monkeypatch.setenv("_ADCLI_COMPLETE", f"complete_{shell}")
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main([])
    out = capsys.readouterr().out
    if shell == "bash":
        return [a for a in out.split("\n") if a]
    if shell == "fish":
        return [a.split("\t")[0] for a in out.split("\n") if a]
    if out.strip() == "_files":
        return []
    assert out.startswith("_arguments '*: :((") and out.rstrip().endswith("))'")
    items = out.rstrip()[len("_arguments '*: :(("):-len("))'")].split("\n")
    return [shlex.split(item.replace("\\\\:", ":"))[0].split(":")[0] for item in items]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("what, line, expected", CASES, ids=[c[0] for c in CASES])
def test_completion_protocol(shell, what, line, expected, monkeypatch, capsys):
    assert answers(shell, line, monkeypatch, capsys) == expected


@pytest.mark.parametrize("formula", [
    "log(x*x)·sin(x)+1/x", "2*dot(x,x)", "x*y + sin(x)", "where(x > 0, log(x), 0)", "A @ v",
    "2x^2 + 3(y+1)", "1e-3*x + e*pi", "x1 + x_2 + inf*nan", "sum(t)/11", "x[1:3] + x[0]",
    "x > 0 and not y < 1 or z", "θ*2 + Δ", "max(x, 0) + maximum(x, y)",
    "sum(A, axis=0) + var(x, dim=k, correction=0) == y", "einsum('ij,jk->ik', A, B)",
    'einsum("i,i", a, b)',
])
def test_variables_are_the_parsers(formula):
    assert complete.variables(formula) == list(parse(formula).variables)


def test_help_beside_each_answer():
    found = dict(complete.formula(None, "cl"))
    assert found == {"clip(": "clip(x, lo, hi): x limited to [lo, hi] (torch's clamp)"}


def test_the_vocabulary_is_the_registrys():
    from adcli.language.constants import CONSTANTS
    from adcli.ops import ALIASES, FUNCTIONS

    assert set(vocabulary.FUNCTIONS) == set(FUNCTIONS) | set(ALIASES)
    assert vocabulary.CONSTANTS == tuple(CONSTANTS)


def test_generated_files_are_up_to_date():
    """completions/ and adcli/cli/vocabulary.py are what scripts/gen_completions.py writes now."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_completions.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("shell, name", [("bash", "adcli.bash"), ("zsh", "_adcli"),
                                         ("fish", "adcli.fish"), ("powershell", "adcli.ps1")])
def test_show_completion_prints_the_committed_script(adcli, monkeypatch, shell, name):
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    run = adcli("--show-completion", shell)
    assert run.code == 0
    assert run.out == (ROOT / "completions" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("shell, installed, name", [
    ("bash", ".bash_completions/adcli.sh", "adcli.bash"), ("zsh", ".zfunc/_adcli", "_adcli"),
    ("fish", ".config/fish/completions/adcli.fish", "adcli.fish")])
def test_install_completion_installs_the_committed_script(adcli, monkeypatch, tmp_path, shell,
                                                          installed, name):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    run = adcli("--install-completion", shell)
    assert run.code == 0, run.err
    written = (tmp_path / installed).read_text(encoding="utf-8")
    assert written.strip() == (ROOT / "completions" / name).read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_tab_press_imports_no_numpy_lark_or_rich(shell):
    """Every Tab press starts adcli: the answer must come without the heavy imports."""
    line = 'adcli grad "x*y + si'
    env = {**os.environ, "_ADCLI_COMPLETE": f"complete_{shell}", "PYTHONPROFILEIMPORTTIME": "1",
           "COMP_WORDS": "\n".join(["adcli", "grad", '"x*y + si']), "COMP_CWORD": "2",
           "_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    done = subprocess.run([sys.executable, "-m", "adcli"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert "sinh(" in done.stdout
    imported = {row.split("|")[-1].strip() for row in done.stderr.splitlines() if "|" in row}
    assert "typer" in imported  # the list is real
    assert not imported & {"numpy", "lark", "rich", "pydantic"}


PROGRAMS = [
    "y = x\nwhile y < 10:\n    y = y * 2\ny\n",
    "a = 1\nfor i in arange(3): a = a * x\nb = a + y; c = b\nc\n",
    "def f(u):\n    v = u * k\n    return v + w\nk = 2\nf(z)\n",
    "if x > 0:\n    y = x\nelse:\n    y = -x\ny * t  # t is read, y is not\n",
    "s = sum(x,\n        axis=0)\ns + q\n",
    "y = x + z\nz = 1\ny\n",
] + [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples").glob("*.adl"))]


@pytest.mark.parametrize("program", PROGRAMS)
def test_program_variables_are_the_parsers(program):
    assert complete.program_variables(program) == list(parse(program, program=True).variables)


def ask(kind: str, text: str, **env: str) -> subprocess.CompletedProcess:
    """What a completion script asks adcli: the variables of a formula or a program."""
    return subprocess.run([sys.executable, "-m", "adcli", text], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "_ADCLI_VARIABLES": kind, **env})


def test_the_scripts_ask_adcli_only_for_variables(tmp_path):
    assert ask("formula", "x*y + sin(z) + sum(w, axis=0)").stdout == "x\ny\nz\nw\n"
    program = tmp_path / "p.adl"
    program.write_text(PROGRAMS[2], encoding="utf-8")
    assert ask("program", str(program)).stdout == "w\nz\n"
    missing = ask("program", str(tmp_path / "none.adl"))
    assert (missing.returncode, missing.stdout) == (0, "")
    done = ask("formula", "x*y", PYTHONPROFILEIMPORTTIME="1")
    imported = {row.split("|")[-1].strip() for row in done.stderr.splitlines() if "|" in row}
    assert "adcli.cli.complete" in imported  # the list is real
    assert not imported & {"typer", "numpy", "lark", "rich", "typing"}


@pytest.mark.parametrize("what, line, expected", [
    c for c in CASES if c[0] in ("a command", "an option", "a --mode value", "a --dtype value",
                                 "a --format value", "--at: a function in the value",
                                 "a function in the formula")],
    ids=lambda c: c if isinstance(c, str) and not c.startswith("adcli") else "")
def test_answers_that_need_no_formula_need_no_process(what, line, expected, tmp_path):
    """With no adcli (nor Python) to run, bash's script still answers: it knows them itself."""
    bash = shutil.which("bash")
    if bash is None:
        if os.environ.get("ADCLI_REQUIRE_SHELLS") == "1":
            pytest.fail("ADCLI_REQUIRE_SHELLS=1 but bash is not installed")
        pytest.skip("bash is not installed")
    words = bash_words(line)
    script = f"""
        source {shlex.quote(str(ROOT / 'completions' / 'adcli.bash'))}
        COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})
        COMP_CWORD={len(words) - 1}
        _adcli_completion adcli
        printf '%s\\n' "${{COMPREPLY[@]}}"
    """
    done = subprocess.run([bash, "--norc", "--noprofile", "-c", script], capture_output=True,
                          text=True, timeout=60, env={"PATH": str(tmp_path), "HOME": str(tmp_path)})
    answers = [a.removeprefix('"') for a in done.stdout.splitlines()]
    expected = [e.split("=")[-1] for e in expected]  # readline replaces what follows the `=`
    assert answers == expected or answers == expected + [expected[0] + " "]
