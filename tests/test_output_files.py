"""`--output` is written whole or not at all (issue 9): a missing folder or a folder as the target
is refused before anything is computed, a full disk or a failing Graphviz leaves the old file as
it was (and no temporary file beside it), and Graphviz runs on the command's clock."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys

import pytest

OLD = "the old drawing, which must survive\n"


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_missing_folder_is_refused_before_the_computation(adcli, tmp_path):
    target = tmp_path / "nope" / "g.svg"
    run = adcli("graph", "x*x", "--at", "3", "-o", str(target), "--json")
    assert (run.code, run.out) == (2, "")
    assert run.error()["message"] == f"--output {target}: the folder {target.parent} does not exist"


def test_a_folder_as_the_target_is_refused(adcli, tmp_path):
    run = adcli("graph", "x*x", "--at", "3", "-o", str(tmp_path), "--json")
    assert run.code == 2
    assert run.error()["message"] == (f"--output {tmp_path} is a folder; give a file name, such "
                                      f"as {tmp_path / 'graph.svg'}")


def test_an_unknown_suffix_is_refused_before_the_computation(adcli, tmp_path):
    run = adcli("graph", "ones(1e9)", "-o", str(tmp_path / "g.txt"), "--json")
    assert run.code == 2  # not the size of ones(1e9): the output was checked first
    assert "use .svg, .png or .pdf" in run.error()["message"]


def test_a_text_output_replaces_the_old_file_whole(adcli, tmp_path):
    target = tmp_path / "g.dot"
    target.write_text(OLD, encoding="utf-8")
    os.chmod(target, 0o640)
    run = adcli("graph", "x*x", "--at", "3", "-o", str(target))
    assert run.code == 0, run.err
    assert target.read_text(encoding="utf-8").startswith("digraph adcli {")
    assert target.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions
    assert _leftovers(tmp_path) == []


def _limited_file_size(limit: int):
    def start() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return start


@pytest.mark.parametrize("name", ["keep.dot", "keep.json", "keep.mmd"])
def test_a_full_disk_leaves_the_old_file_as_it_was(tmp_path, name):
    # The file size limit makes the disk "full" after 200 bytes, for this process only.
    target = tmp_path / name
    target.write_text(OLD, encoding="utf-8")
    formula = "+".join(f"sin({i}*x)" for i in range(30))
    run = subprocess.run([sys.executable, "-m", "adcli", "graph", formula, "--at", "1", "-o",
                          str(target), "--json"], capture_output=True, text=True, timeout=120,
                         preexec_fn=_limited_file_size(200))
    assert (run.returncode, run.stdout) == (1, "")
    assert f"cannot write {target}: File too large ({target} is unchanged)" in run.stderr
    assert target.read_text(encoding="utf-8") == OLD
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_a_drawing_that_fails_leaves_the_old_file_as_it_was(tmp_path, suffix, graphviz):
    target = tmp_path / f"keep{suffix}"
    target.write_text(OLD, encoding="utf-8")
    formula = "+".join(f"sin({i}*x)" for i in range(30))
    run = subprocess.run([sys.executable, "-m", "adcli", "graph", formula, "--at", "1", "-o",
                          str(target), "--json"], capture_output=True, text=True, timeout=120,
                         preexec_fn=_limited_file_size(200))
    assert (run.returncode, run.stdout) == (1, "")
    assert '"kind": "graphviz"' in run.stderr
    assert target.read_text(encoding="utf-8") == OLD
    assert _leftovers(tmp_path) == []


@pytest.fixture
def graphviz():
    import shutil

    if shutil.which("dot") is None:
        if os.environ.get("ADCLI_REQUIRE_GRAPHVIZ") == "1":
            pytest.fail("ADCLI_REQUIRE_GRAPHVIZ=1 but Graphviz's dot is not installed")
        pytest.skip("Graphviz's dot is not installed")


def test_graphviz_runs_on_the_clock(adcli, tmp_path, monkeypatch):
    # A `dot` that never finishes, in place of Graphviz's.
    slow = tmp_path / "bin"
    slow.mkdir()
    (slow / "dot").write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    os.chmod(slow / "dot", 0o755)
    monkeypatch.setenv("PATH", f"{slow}{os.pathsep}{os.environ['PATH']}")
    target = tmp_path / "keep.svg"
    target.write_text(OLD, encoding="utf-8")
    # (x*x takes milliseconds: the clock runs out while dot "draws")
    run = adcli("graph", "x*x", "--at", "3", "-o", str(target), "--timeout", "3", "--json")
    assert (run.code, run.out) == (1, "")
    error = run.error()
    assert error["kind"] == "timeout"
    assert error["message"] == f"stopped after 3 s (--timeout), while Graphviz's dot drew {target}"
    assert target.read_text(encoding="utf-8") == OLD
    assert _leftovers(tmp_path) == []


def test_the_issues_slow_drawing_is_stopped_by_the_clock(adcli, tmp_path, graphviz):
    # A 100-term sum kept Graphviz's dot busy for over five minutes.
    formula = "+".join(f"sin({i}*x)" for i in range(100))
    target = tmp_path / "g.svg"
    run = adcli("graph", formula, "--at", "1", "-o", str(target), "--timeout", "3", "--json")
    assert (run.code, run.out) == (1, "")
    error = run.error()
    assert error["kind"] == "timeout"
    assert error["message"].startswith("stopped after 3 s (--timeout)")
    assert not target.exists() and _leftovers(tmp_path) == []
