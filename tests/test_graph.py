"""`adcli graph` and `adcli trace`: golden outputs for the notebook's formulas in every format
(colour off), Graphviz accepting the DOT, the JSON agreeing with `grad`, the NaN origin of the
notebook's last formula, and 10,000-node graphs in every format.

Regenerate the golden files after an intended change with ADCLI_UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
NOTEBOOK = [
    ("dot2", "2*dot(x,x)", "0..5"),
    ("sum", "sum(x)", "0..5"),
    ("square", "x*x", "0..5"),
    ("detach", "detach(x*x)*x", "0..5"),
    ("sin", "sin(x)", "0..3"),
    ("last", "log(x*x)·sin(x)+1/x", "0..5"),
]
FORMATS = [("tree", ["graph"]), ("dot", ["graph", "--format", "dot"]),
           ("mermaid", ["graph", "--format", "mermaid"]), ("json", ["graph", "--format", "json"]),
           ("trace", ["trace"]), ("trace.json", ["trace", "--json"])]


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ADCLI_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with ADCLI_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt, args", FORMATS, ids=[f for f, _ in FORMATS])
@pytest.mark.parametrize("name, formula, at", NOTEBOOK, ids=[n for n, _, _ in NOTEBOOK])
def test_golden_output(adcli, monkeypatch, name, formula, at, fmt, args):
    monkeypatch.setenv("NO_COLOR", "1")
    run = adcli(args[0], formula, "--at", at, *args[1:])
    assert run.code == 0, run.err
    _golden(f"{name}.{fmt}", "\n".join(line.rstrip() for line in run.out.split("\n")))


def _require_dot() -> str:
    program = shutil.which("dot")
    if program is None:
        if os.environ.get("ADCLI_REQUIRE_GRAPHVIZ") == "1":
            pytest.fail("ADCLI_REQUIRE_GRAPHVIZ=1 but Graphviz's `dot` is not installed")
        pytest.skip("SKIPPED LOUDLY: Graphviz's `dot` is not installed, so the DOT output is "
                    "not checked by Graphviz here (apt install graphviz)")
    return program


@pytest.mark.parametrize("name, formula, at", NOTEBOOK, ids=[n for n, _, _ in NOTEBOOK])
def test_graphviz_accepts_the_dot_output(adcli, name, formula, at):
    program = _require_dot()
    source = adcli("graph", formula, "--at", at, "--format", "dot").out
    drawn = subprocess.run([program, "-Tsvg"], input=source, capture_output=True, text=True)
    assert drawn.returncode == 0, drawn.stderr
    assert drawn.stdout.lstrip().startswith("<?xml") and "</svg>" in drawn.stdout


def test_output_file_is_drawn_by_graphviz(adcli, tmp_path):
    _require_dot()
    target = tmp_path / "graph.svg"
    run = adcli("graph", "2*dot(x,x)", "--at", "0..5", "--output", str(target))
    assert run.code == 0, run.err
    assert "</svg>" in target.read_text()


def test_missing_graphviz_says_how_to_get_it(adcli, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    run = adcli("graph", "x*x", "--at", "0..3", "--output", str(tmp_path / "g.png"))
    assert run.code == 1
    assert "Graphviz's `dot` program, which is not installed" in run.err
    assert "apt install graphviz" in run.err


def test_text_formats_can_be_written_to_files(adcli, tmp_path):
    for suffix, marker in ((".dot", "digraph adcli"), (".mmd", "flowchart BT"), (".json", '"nodes"')):
        target = tmp_path / f"graph{suffix}"
        assert adcli("graph", "x*x", "--at", "0..3", "-o", str(target)).code == 0
        assert marker in target.read_text()


@pytest.mark.parametrize("name, formula, at", NOTEBOOK, ids=[n for n, _, _ in NOTEBOOK])
def test_json_graph_gradients_equal_grads(adcli, name, formula, at):
    graph = adcli("graph", formula, "--at", at, "--format", "json").json()
    grad = adcli("grad", formula, "--at", at, "--json").json()
    variable = next(node for node in graph["nodes"] if node["kind"] == "variable")
    assert variable["gradient"] == grad["gradient"]["x"] == graph["gradient"]["x"]
    output = graph["nodes"][graph["output"] - 1]
    assert output["value"] == grad["value"]


def test_shared_node_is_drawn_once_then_referenced(adcli):
    tree = adcli("graph", "x*x", "--at", "0..3").out
    assert tree.count("#1 x  shape 3") == 1 and "↑ #1 x" in tree
    graph = adcli("graph", "x*x", "--at", "0..3", "--json").json()
    assert [(e["from"], e["to"]) for e in graph["edges"]] == [(1, 2), (1, 2)]


def test_detach_is_drawn_as_cut(adcli):
    graph = adcli("graph", "detach(x*x)*x", "--at", "0..3", "--json").json()
    cut = [e for e in graph["edges"] if e["cut"]]
    assert [(e["from"], e["to"]) for e in cut] == [(2, 3)]
    assert graph["nodes"][2]["gradient"] is None and graph["nodes"][2]["op"] == "detach"
    assert "arrowhead=tee" in adcli("graph", "detach(x*x)*x", "--at", "0..3", "--format", "dot").out
    assert "-.-x" in adcli("graph", "detach(x*x)*x", "--at", "0..3", "--format", "mermaid").out


def test_nan_origin_of_the_notebook_formula(adcli):
    formula = "log(x*x)·sin(x)+1/x"
    found = {(f["pass"], f["kind"]): f
             for f in adcli("graph", formula, "--at", "0..5", "--json").json()["nonfinite"]}
    log = found[("forward", "-inf")]
    assert (log["text"], log["index"], log["operands"]) == ("log(x*x)", [0], [{"text": "x*x", "value": 0.0}])
    dot = found[("forward", "nan")]
    assert dot["text"] == "log(x*x)·sin(x)"
    assert dot["operands"] == [{"text": "log(x*x)[0]", "value": "-inf"}, {"text": "sin(x)[0]", "value": 0.0}]
    back = found[("backward", "nan")]  # 0/0 in log's rule: adjoint 0 arrives where x*x = 0
    assert (back["text"], back["index"]) == ("log(x*x)", [0])
    assert back["operands"] == [{"text": "adjoint", "value": 0.0}, {"text": "x*x", "value": 0.0}]
    text = adcli("grad", formula, "--at", "0..5").out
    # by default the first finding of each pass, and how to see the rest
    assert text.count("first appears") == 2
    assert "-inf first appears in the forward pass: `log(x*x)`[0] = log(0) = -inf" in text
    assert ("-inf first appears in the backward pass: div's rule at `1/x`[0] sends -inf to `x` "
            "(adjoint 1, x = 0)") in text
    assert "(--explain shows all 5: where each kind of nan and inf first appeared" in text
    every = adcli("grad", formula, "--at", "0..5", "--explain").out
    assert every.count("first appears") == 5
    assert "nan first appears in the forward pass: `log(x*x)·sin(x)` = -inf · 0 = nan" in every
    assert "inf first appears in the forward pass: `1/x`[0] = 1 / 0 = inf" in every
    assert ("nan first appears in the backward pass: log's rule at `log(x*x)`[0] sends nan to "
            "`x*x` (adjoint 0, x*x = 0)") in every
    assert "--explain shows" not in every


@pytest.mark.parametrize("formula, point, said", [
    # an index's key (a slice) is an input of getitem, and is written as the formula wrote it
    ("exp(x[1:])", "x=[1, nan]",
     "nan first appears in the forward pass: `x[1:]`[0] = getitem(nan) = nan"),
    ("sum(log(x[::2]))", "x=[nan, 1, 2]",
     "nan first appears in the forward pass: `x[::2]`[0] = getitem(nan) = nan"),
    ("sum(x[0, :]^0.5)", "x=[[-1, 4], [1, 1]]",
     "nan first appears in the forward pass: `x[0, :]^0.5`[0] = -1 ^ 0.5000 = nan"),
])
def test_a_nan_through_a_slice_is_explained(adcli, formula, point, said):
    run = adcli("grad", formula, "--at", point, "--explain")  # (found by the fuzz)
    assert run.code == 0, run.err
    assert said in run.out


@pytest.mark.parametrize("command", ["eval", "grad", "graph", "trace"])
def test_strict_makes_a_non_finite_result_exit_1(adcli, command):
    run = adcli(command, "log(x)", "--at", "0..3", "--strict", "--json")
    assert run.code == 1 and run.out == ""
    error = run.error()
    assert error["kind"] == "non-finite" and "`log(x)`[0] = log(0) = -inf" in error["message"]
    assert adcli(command, "log(x)", "--at", "1..3", "--strict").code == 0


@pytest.mark.parametrize("args", [["graph"], ["graph", "--format", "dot"],
                                  ["graph", "--format", "mermaid"], ["graph", "--format", "json"],
                                  ["trace"], ["trace", "--json"]])
def test_ten_thousand_node_graph_in_every_format(adcli, args):
    formula = "sin(" * 10_000 + "x" + ")" * 10_000
    run = adcli(args[0], formula, "--at", "0.5", *args[1:])
    assert run.code == 0, run.err[-500:]
    if args == ["graph"]:
        assert "the tree stops" in run.out  # the cap is said, not silent
    if args[-1] == "json":
        document = json.loads(run.out)
        nodes = document.get("nodes") or document["forward"]
        assert len(nodes) == 10_001
