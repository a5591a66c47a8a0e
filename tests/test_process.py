"""The process around the computation (issue 9): signals at any moment, standard streams that
are closed, full or cannot encode, numpy's warnings, and no temporary directory at all. These
need a real process, so each runs `python -m adcli` (the console script's entry point)."""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import time

import pytest

HANG_GUARD = 120  # seconds; only a broken adcli gets near it


def adcli_process(*args: str, env: dict[str, str] | None = None,
                  **options: object) -> subprocess.CompletedProcess:
    options.setdefault("text", True)
    return subprocess.run([sys.executable, "-m", "adcli", *args], capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=HANG_GUARD,
                          **options)  # type: ignore[call-overload]


def one_json_error(stderr: str) -> dict:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return json.loads(lines[0])["error"]


# -- signals ---------------------------------------------------------------------------------

# Sends the signal to itself when the named module is first looked for: a signal that arrives
# while adcli is still importing typer (or, later, numpy or the parser), at exactly that moment.
DURING_IMPORT = """
import importlib.abc, os, signal, sys
module, name = sys.argv[1], sys.argv[2]
class Interrupt(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname == module:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), getattr(signal, name))
        return None
sys.meta_path.insert(0, Interrupt())
sys.argv = ["adcli", *sys.argv[3:]]
from adcli.__main__ import main
main()
"""

SIGNALS = [("SIGINT", 130, "interrupted"), ("SIGTERM", 143, "terminated (SIGTERM)"),
           ("SIGHUP", 129, "hung up (SIGHUP)")]


# lark is imported only where a formula does not parse, to say why (adcli/language/parser.py)
@pytest.mark.parametrize("module, formula", [("typer", "1+1"), ("numpy", "1+1"),
                                             ("adcli.language.parser", "1+1"), ("lark", "1+")])
@pytest.mark.parametrize("name, code, words", SIGNALS)
def test_a_signal_during_the_imports_is_one_line(module, formula, name, code, words):
    run = subprocess.run([sys.executable, "-c", DURING_IMPORT, module, name, "eval", formula],
                         capture_output=True, text=True, timeout=HANG_GUARD)
    assert (run.returncode, run.stdout, run.stderr) == (code, "", f"error: {words}\n")
    run = subprocess.run([sys.executable, "-c", DURING_IMPORT, module, name, "eval", formula,
                          "--json"], capture_output=True, text=True, timeout=HANG_GUARD)
    assert (run.returncode, run.stdout) == (code, "")
    assert one_json_error(run.stderr) == {"kind": "interrupted", "message": words,
                                          "exit_code": code}


def _cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs Linux's /proc")
@pytest.mark.parametrize("name, code, words", SIGNALS)
def test_a_signal_during_a_run_says_where_it_was(name, code, words, tmp_path):
    program = tmp_path / "forever.adl"
    program.write_text("i = 0\nwhile 1 > 0:\n    i = i + 1\ni\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "adcli", "eval", "-f", str(program), "--timeout", "0",
         "--max-steps", "1000000000", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "ADCLI_MAX_ITERATIONS": "1e15"})
    try:
        # Started and importing takes well under a second of CPU: past one, it is looping.
        while _cpu_seconds(process.pid) < 1.0 and process.poll() is None:
            time.sleep(0.05)
        process.send_signal(getattr(signal, name))
        out, err = process.communicate(timeout=HANG_GUARD)
    finally:
        process.kill()
    assert (process.returncode, out) == (code, "")
    error = one_json_error(err)
    assert error["kind"] == "interrupted" and error["exit_code"] == code
    assert error["message"] in (f"{words}, at line 2", f"{words}, at line 3")
    assert error["line"] in (2, 3)


# -- standard output and standard input ----------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["eval", "1+1"], ["grad", "x*x", "--at", "0..3"],
                                  ["functions"], ["graph", "x*x", "--at", "2"], ["--help"],
                                  ["--version"], ["grad", "x", "--at", "1", "--each", "-"]])
def test_stdout_on_a_full_disk(args):
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "adcli", *args], stdout=full,
                             stderr=subprocess.PIPE, input='{"x": 2}\n', text=True,
                             timeout=HANG_GUARD)
    assert run.returncode == 1
    if "--each" in args:  # a batch's lines are JSON, so are its errors
        assert one_json_error(run.stderr)["kind"] == "output"
    else:
        assert run.stderr == "error: cannot write to standard output: No space left on device\n"
    if args[0].startswith("-"):
        return  # (--help and --version take no --json)
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "adcli", *args, "--json"], stdout=full,
                             stderr=subprocess.PIPE, input='{"x": 2}\n', text=True,
                             timeout=HANG_GUARD)
    assert run.returncode == 1
    assert one_json_error(run.stderr) == {
        "kind": "output", "message": "cannot write to standard output: No space left on device",
        "exit_code": 1}


def _closing(fd: int):
    return lambda: os.close(fd)


@pytest.mark.parametrize("json_output", [False, True])
def test_stdout_closed(json_output):
    run = subprocess.run([sys.executable, "-m", "adcli", "eval", "1+1",
                          *(["--json"] if json_output else [])],
                         stderr=subprocess.PIPE, text=True, preexec_fn=_closing(1),
                         timeout=HANG_GUARD)
    assert run.returncode == 1
    if json_output:
        assert one_json_error(run.stderr)["message"] == ("cannot write to standard output: it "
                                                         "is closed")
    else:
        assert run.stderr == "error: cannot write to standard output: it is closed\n"


def test_a_reader_that_left_ends_the_run_quietly():
    process = subprocess.Popen([sys.executable, "-m", "adcli", "eval", "ones(100000)", "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # long before adcli writes: its write finds no reader (EPIPE)
    err = process.stderr.read()
    process.wait(timeout=HANG_GUARD)
    assert (process.returncode, err) == (141, b"")


@pytest.mark.parametrize("command", [["eval", "x*x"], ["grad", "x*x"], ["graph", "x*x"],
                                     ["trace", "x*x"], ["jacobian", "x*x"], ["hessian", "x*x"],
                                     ["compare", "x*x"], ["check", "x*x"]])
def test_every_command_runs_with_stdin_closed(command):
    run = subprocess.run([sys.executable, "-m", "adcli", *command, "--at", "x=3", "--json"],
                         capture_output=True, text=True, stdin=None, preexec_fn=_closing(0),
                         timeout=HANG_GUARD)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["value"] == 9.0


@pytest.mark.parametrize("args", [["eval", "x", "--at", "-"], ["eval", "-f", "-"],
                                  ["eval", "x", "--each", "-"]])
def test_reading_a_closed_stdin_is_an_input_error(args):
    run = subprocess.run([sys.executable, "-m", "adcli", *args, "--json"], capture_output=True,
                         text=True, preexec_fn=_closing(0), timeout=HANG_GUARD)
    assert (run.returncode, run.stdout) == (2, "")
    assert one_json_error(run.stderr)["message"] == "standard input is closed"


def test_endless_standard_input_is_refused_after_the_limit():
    with open("/dev/zero", "rb") as zero:
        run = subprocess.run([sys.executable, "-m", "adcli", "eval", "x", "--at", "-", "--json"],
                             stdin=zero, capture_output=True, text=True, timeout=HANG_GUARD)
    assert (run.returncode, run.stdout) == (2, "")
    assert one_json_error(run.stderr)["message"] == ("--at - is longer than 2,000,000 characters "
                                                     "(the limit; raise it with ADCLI_MAX_INPUT)")


def test_standard_input_is_utf8_whatever_the_locale():
    run = adcli_process("eval", "-f", "-", "--json", input="x = [1, 2]\nx·x\n",
                        env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["value"] == 5.0


# -- encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_output_a_stream_cannot_encode_is_escaped(encoding):
    run = adcli_process("grad", "x·x", "--at", "0..3", env={"PYTHONIOENCODING": encoding},
                        encoding=encoding)
    assert run.returncode == 0, run.stderr
    assert "\\u2202f/\\u2202x  [0, 2, 4]" in run.stdout  # ∂ is in neither
    assert ("f(x) = x\\xb7x" if encoding == "ascii" else "f(x) = x·x") in run.stdout
    run = adcli_process("grad", "x·x", "--at", "0..3", "--json",
                        env={"PYTHONIOENCODING": encoding})
    assert run.returncode == 0
    assert run.stdout.isascii() and json.loads(run.stdout)["expression"] == "x·x"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_json_error_stays_json_on_a_stream_that_cannot_encode(encoding):
    run = adcli_process("eval", "x·y ∂", "--json", env={"PYTHONIOENCODING": encoding})
    assert (run.returncode, run.stdout) == (2, "")
    error = one_json_error(run.stderr)
    assert error["source"] == "x·y ∂" and run.stderr.isascii()


# -- numpy's warnings -------------------------------------------------------------------------


def test_no_numpy_warning_reaches_stderr():
    run = adcli_process("eval", "1e308*10", "--strict", "--json")
    assert run.returncode == 1
    assert one_json_error(run.stderr)["kind"] == "non-finite"
    run = adcli_process("eval", "mean(zeros(0))", "--json")
    assert (run.returncode, run.stderr) == (0, "")
    assert json.loads(run.stdout)["value"] == "nan"
    run = adcli_process("grad", "sum(x*x) + mean(zeros(0))", "--at", "1e200..1e200+3")
    assert run.returncode == 0 and "Warning" not in run.stderr


# -- S1: nothing loaded from a shared writable place; no temporary directory needed ----------

# Lark's cache, as adcli used it (Lark(..., cache=True)): a pickle named from the user, a hash
# and the Python version in the temp dir. Written by this script with Lark's own naming, then
# overwritten with a pickle that would create a marker file when loaded.
LARK_CACHE = """
import sys, tempfile
from lark import Lark
from adcli.language.parser import grammar_file
for name in ("formula.lark", "program.lark"):
    grammar = grammar_file(name)
    Lark(grammar.read_text(encoding="utf-8"), parser="lalr", keep_all_tokens=True,
         maybe_placeholders=True, import_paths=[grammar.parent], cache=True)
"""


class _Planted:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickle_planted_where_larks_cache_was_is_never_loaded(tmp_path):
    import pickle

    shared = tmp_path / "tmp"
    shared.mkdir()
    env = {**os.environ, "TMPDIR": str(shared)}
    subprocess.run([sys.executable, "-c", LARK_CACHE], env=env, check=True, timeout=HANG_GUARD)
    cached = sorted(shared.glob(".lark_cache_*"))
    assert cached, "Lark wrote no cache file to plant over"
    marker = tmp_path / "planted-code-ran"
    payload = pickle.dumps(_Planted(str(marker)))
    user = os.environ.get("USER", "root")
    for path in [*cached, shared / f".lark_cache_{user}.tmp", shared / "adcli.pickle",
                 shared / ".adcli_cache.tmp", shared / "grammar_tables.pickle"]:
        path.write_bytes(payload)
    for args in (["eval", "1+1"], ["grad", "x*x", "--at", "0..3"], ["eval", "-f", "-"]):
        run = subprocess.run([sys.executable, "-m", "adcli", *args], env=env, input="x = 1\nx\n",
                             capture_output=True, text=True, timeout=HANG_GUARD)
        assert run.returncode == 0, run.stderr
    assert not marker.exists()


# Records every file opened and every pickle loaded while adcli runs (Python's audit hooks).
AUDITED = """
import sys
opened, unpickled = [], []
def audit(event, args):
    if event == "open" and isinstance(args[0], str):
        opened.append(args[0])
    if event == "pickle.find_class":
        unpickled.append(args)
sys.addaudithook(audit)
sys.argv = ["adcli", *sys.argv[1:]]
from adcli.__main__ import main
try:
    main()
finally:
    print(repr((opened, unpickled)), file=sys.stderr)
"""


def test_nothing_is_read_from_the_temp_dir_and_nothing_unpickled(tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    env = {**os.environ, "TMPDIR": str(shared)}
    run = subprocess.run([sys.executable, "-c", AUDITED, "grad", "x*x", "--at", "0..3"], env=env,
                         capture_output=True, text=True, timeout=HANG_GUARD)
    assert run.returncode == 0
    opened, unpickled = ast.literal_eval(run.stderr.strip().splitlines()[-1])
    # (the temp dir adcli would use is TMPDIR's; the venv itself may live under /tmp, as in CI)
    assert [path for path in opened if path.startswith(str(shared))] == []
    assert unpickled == []
    assert any("grammar_tables" in path for path in opened)  # the hook saw the parser load


# A read-only container: Python finds no usable temporary directory at all.
NO_TEMP_DIR = """
import sys, tempfile
def none(*args, **kwargs):
    raise FileNotFoundError("No usable temporary directory found in ['/nonexistent']")
tempfile.gettempdir = tempfile._get_default_tempdir = tempfile.gettempdirb = none
sys.argv = ["adcli", *sys.argv[1:]]
from adcli.__main__ import main
main()
"""


@pytest.mark.parametrize("args", [["eval", "1+1"], ["grad", "log(x*x)·sin(x)+1/x", "--at", "0..5"],
                                  ["graph", "x*x", "--at", "3", "--format", "dot"],
                                  ["trace", "x*x", "--at", "3"], ["hessian", "x^3", "--at", "2"],
                                  ["check", "sin(x)", "--at", "1"], ["functions"]])
def test_adcli_works_without_a_writable_temp_dir(args, tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path / "missing"), "TEMP": "/nonexistent",
           "TMP": "/nonexistent"}
    run = subprocess.run([sys.executable, "-c", NO_TEMP_DIR, *args], env=env,
                         capture_output=True, text=True, timeout=HANG_GUARD)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""


def test_graph_output_needs_no_temp_dir_either(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path / "missing")}
    target = tmp_path / "g.dot"
    run = subprocess.run([sys.executable, "-c", NO_TEMP_DIR, "graph", "x*x", "--at", "3", "-o",
                          str(target)], env=env, capture_output=True, text=True,
                         timeout=HANG_GUARD)
    assert run.returncode == 0, run.stderr
    assert target.read_text(encoding="utf-8").startswith("digraph adcli {")
