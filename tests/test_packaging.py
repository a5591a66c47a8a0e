"""adcli as a user gets it: the wheel is built, installed (not editable) into a fresh venv, and
run from outside the source tree — so a grammar file, a module or a completion script missing
from the wheel fails here, not on a user's machine.

The wheel is built with this environment's hatchling when it has one (else pip fetches it);
adcli's dependencies come from the package index, as they would for a user.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = {  # where the wheel puts each completion script, under the install prefix
    "adcli.bash": "share/bash-completion/completions/adcli",
    "_adcli": "share/zsh/site-functions/_adcli",
    "adcli.fish": "share/fish/vendor_completions.d/adcli.fish",
}


def run(argv: list[Any], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=600,
                          **kwargs)
    assert done.returncode == 0, f"{shlex.join(map(str, argv))}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    run([sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", out, *isolation])
    (built,) = out.glob("adcli-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("venv") / "venv"
    run([sys.executable, "-m", "venv", home])
    run([home / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
         wheel])
    return home


@pytest.fixture
def env(venv: Path) -> dict[str, str]:
    """A user's shell with the venv activated: nothing of the source tree on the path."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**clean, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "VIRTUAL_ENV": str(venv)}


def test_the_wheel_ships_the_grammar_and_the_completion_scripts(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for grammar in (ROOT / "grammar").glob("*.lark"):
        assert f"adcli/grammar/{grammar.name}" in names
    assert "adcli/cli/vocabulary.py" in names
    data = "adcli-0.1.0.data/data/"
    for script, path in SHARED.items():
        shipped = zipfile.ZipFile(wheel).read(data + path).decode("utf-8")
        assert shipped == (ROOT / "completions" / script).read_text(encoding="utf-8")


def test_the_installed_adcli_computes_a_gradient(venv, env, tmp_path):
    done = run(["adcli", "grad", "2*dot(x,x)", "--at", "0..5", "--json"], env=env, cwd=tmp_path)
    assert json.loads(done.stdout)["gradient"] == {"x": [0.0, 4.0, 8.0, 12.0, 16.0]}
    where = run(["python", "-c", "import adcli; print(adcli.__file__)"], env=env, cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv)  # the wheel, not the source tree


def test_the_installed_adcli_runs_a_program(env, tmp_path):
    program = tmp_path / "square.adl"
    program.write_text("y = x*x\nsum(y)\n", encoding="utf-8")
    done = run(["adcli", "grad", "-f", program, "--at", "x=[1,2,3]", "--json"], env=env,
               cwd=tmp_path)
    assert json.loads(done.stdout)["gradient"] == {"x": [2.0, 4.0, 6.0]}


def test_python_dash_m_adcli_is_adcli(env, tmp_path):
    args = ["grad", "x*y", "--at", "-", "--json"]
    stdin = '{"x": [1, 2], "y": 3}'
    by_script = run(["adcli", *args], env=env, cwd=tmp_path, input=stdin)
    by_module = run(["python", "-m", "adcli", *args], env=env, cwd=tmp_path, input=stdin)
    assert by_script.stdout == by_module.stdout
    assert json.loads(by_script.stdout)["gradient"] == {"x": [3.0, 3.0], "y": 3.0}


def test_the_installed_completion_script_completes(venv, env, tmp_path):
    script = venv / SHARED["adcli.bash"]
    words = ["adcli", "grad", '"x*y + si']
    done = run(["bash", "--norc", "--noprofile", "-c", f"""
        source {shlex.quote(str(script))}
        COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); COMP_CWORD=2
        _adcli_completion adcli
        printf '%s\\n' "${{COMPREPLY[@]}}"
    """], env=env, cwd=tmp_path)
    assert done.stdout.split("\n")[:3] == ["x*y + sin(", "x*y + sinh(", "x*y + sign("]
    shown = run(["adcli", "--show-completion", "bash"], cwd=tmp_path,
                env={**env, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert shown.stdout == script.read_text(encoding="utf-8")
