"""Issue 10: every edge of `graph` and every step of `trace` carries its rule, read from the
registry entry's own rule and written with the user's operand texts (never the rule's
placeholder names: `outer(p, q)` once labelled p's edge `Gᵀu`)."""

from __future__ import annotations

import re

import pytest

from adcli.ops import FUNCTIONS

CASES = [
    ("outer(p, q)", ["p=[1, 2]", "q=[3, 4, 5]"],
     {("p", "outer(p, q)"): "g@q", ("q", "outer(p, q)"): "p@g"}),
    ("W @ h", ["W=[[1, 2], [3, 4]]", "h=[1, 2]"],
     {("W", "W @ h"): "outer(g, h)", ("h", "W @ h"): "transpose(W)@g"}),
    ("sum(x)", ["x=[1, 2, 3]"], {("x", "sum(x)"): "1"}),
    ("0.5*norm(A@x - y)^2", ["A=[[1, 2], [3, 4]]", "x=[1, 2]", "y=[0, 1]"],
     {("A", "A@x"): "outer(g, x)", ("x", "A@x"): "transpose(A)@g", ("A@x", "A@x - y"): "1",
      ("y", "A@x - y"): "-1", ("A@x - y", "norm(A@x - y)"): "(A@x - y)/norm(A@x - y)",
      ("norm(A@x - y)", "norm(A@x - y)^2"): "2*norm(A@x - y)",
      ("norm(A@x - y)^2", "0.5*norm(A@x - y)^2"): "0.5"}),
]
TRACED = {  # the trace's rules, in g, for the same edges
    "outer(p, q)": {("p", "outer(p, q)"): "g@q", ("q", "outer(p, q)"): "p@g"},
    "W @ h": {("W", "W @ h"): "outer(g, h)", ("h", "W @ h"): "transpose(W)@g"},
    "sum(x)": {("x", "sum(x)"): "g"},
    "0.5*norm(A@x - y)^2": {
        ("A", "A@x"): "outer(g, x)", ("x", "A@x"): "transpose(A)@g", ("A@x", "A@x - y"): "g",
        ("y", "A@x - y"): "-g", ("A@x - y", "norm(A@x - y)"): "g*(A@x - y)/norm(A@x - y)",
        ("norm(A@x - y)", "norm(A@x - y)^2"): "2*g*norm(A@x - y)",
        ("norm(A@x - y)^2", "0.5*norm(A@x - y)^2"): "g*0.5"},
}
# The identifiers a label may contain besides the user's own variables.
ALLOWED = {"g", *FUNCTIONS}


def _at(points: list[str]) -> list[str]:
    return [arg for point in points for arg in ("--at", point)]


def _titles(nodes: list[dict]) -> dict[int, str]:
    return {n.get("id", n.get("node")): n["name"] or n["text"] for n in nodes}


def _names_in(label: str) -> set[str]:
    return set(re.findall(r"[^\W\d]\w*", label))


@pytest.mark.parametrize("formula, points, expected", CASES, ids=[c[0] for c in CASES])
def test_every_graph_edge_has_its_rule_in_the_operands_own_texts(adcli, formula, points,
                                                                  expected):
    graph = adcli("graph", formula, *_at(points), "--json").json()
    title = _titles(graph["nodes"])
    kinds = {n["id"]: n["kind"] for n in graph["nodes"]}
    variables = {n["name"] for n in graph["nodes"] if n["kind"] == "variable"}
    labelled = {}
    for edge in graph["edges"]:
        if kinds[edge["from"]] == "constant" or edge["cut"]:
            assert edge["derivative"] is None  # no gradient flows to a constant
            continue
        assert edge["derivative"], f"edge {edge} has no label"
        assert _names_in(edge["derivative"]) <= ALLOWED | variables, edge["derivative"]
        labelled[(title[edge["from"]], title[edge["to"]])] = edge["derivative"]
    assert labelled == expected
    dot = adcli("graph", formula, *_at(points), "--format", "dot").out
    for text in expected.values():
        assert f'[label="{text}"]' in dot


@pytest.mark.parametrize("formula, points, expected", CASES, ids=[c[0] for c in CASES])
def test_every_trace_step_shows_its_rule_in_the_operands_own_texts(adcli, formula, points,
                                                                   expected):
    trace = adcli("trace", formula, *_at(points), "--json").json()
    title = _titles(trace["forward"])
    rules = {}
    for step in trace["backward"]:
        for c in step["contributions"]:
            rules[(title[c["to"]], title[step["node"]])] = c["rule"]
    assert rules == TRACED[formula]
    text = adcli("trace", formula, *_at(points)).out
    for (source, _), rule in TRACED[formula].items():
        assert f"    {rule}  → " in text or f"    {rule}   (" in text


def test_a_long_operand_is_referred_to_by_its_node_number_on_an_edge(adcli):
    graph = adcli("graph", "log(sin(x) + cos(x) + exp(x))^2", "--at", "x=0.5", "--json").json()
    pow_edge = next(e for e in graph["edges"] if e["to"] == graph["output"] and e["position"] == 0)
    assert pow_edge["derivative"] == f"2*#{pow_edge['from']}"
    trace = adcli("trace", "log(sin(x) + cos(x) + exp(x))^2", "--at", "x=0.5").out
    assert "2*g*log(sin(x) + cos(x) + exp(x))   (∂/∂u is 0 where v = 0; " in trace  # written out


def test_the_trace_keeps_an_entrys_edge_convention_beside_its_rule(adcli):
    text = adcli("trace", "log(x)", "--at", "x=[0, 1]").out
    assert "    g/x   (log'(0) = inf)  → #1 x: [inf, 1]" in text


def test_functions_states_each_rule_as_the_entry_computes_it(adcli):
    listed = {f["name"]: f["rule"] for f in adcli("functions", "--json").json()["functions"]}
    assert listed["matmul"] == "∂/∂A: g ↦ g@transpose(B), ∂/∂B: g ↦ transpose(A)@g"
    assert listed["outer"] == "∂/∂u: g ↦ g@v, ∂/∂v: g ↦ u@g"
    assert listed["mean"] == "mean'(x) = 1/size(x)"
    assert listed["log"] == "log'(x) = 1/x   (log'(0) = inf)"
    assert listed["abs"] == "abs'(x) = sign(x)   (abs'(0) = 0)"
    assert listed["detach"] == "no derivative: the gradient stops here"
