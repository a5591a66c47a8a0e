"""The computational graph in four formats: a Rich tree for the terminal, Graphviz DOT,
Mermaid (renders on GitHub) and JSON. Every format shows each node once; a node used twice
is drawn again only as a reference (`↑ #3`) in the tree, and as two edges elsewhere."""

from __future__ import annotations

from typing import Any, Iterator

from rich.text import Text
from rich.tree import Tree

from adcli.calculations.tape import Node, Tape
from adcli.views import json_view
from adcli.views.numbers import Precision, compact, shape_text
from adcli.views.printable import printable

KIND_STYLE = {"variable": "bold green", "constant": "dim", "operation": "cyan"}
MAX_TREE_NODES = 400  # beyond this the tree says how much it left out


def _describe(node: Node) -> str:
    if node.kind == "variable":
        return f"#{node.number} {node.name}"
    if node.kind == "constant":
        return f"#{node.number} constant {printable(node.text) or compact(node.value)}"
    return f"#{node.number} {node.op}  {printable(node.text)}".rstrip()


# -- tree ----------------------------------------------------------------------------------


def tree(tape: Tape, precision: Precision, width: int) -> Tree:
    """From the output down to the leaves, in the order the tree is read: a node is drawn in
    full where it first appears and as `↑ #n` after that. Depth is capped by the terminal's
    width, since Rich silently drops levels that no longer fit; the cap is said in the output."""
    max_depth = max(4, (width - 40) // 4)
    top = tape.node(tape.output)
    root = Tree(_tree_label(top, precision))
    shown: set[int] = {top.number}
    count, cut_depth, cut_nodes = 1, 0, 0
    stack: list[tuple[Tree, Node, int, Iterator[int]]] = [(root, top, 0, iter(top.inputs))]
    while stack:
        branch, node, depth, inputs = stack[-1]
        number = next(inputs, None)
        if number is None:
            stack.pop()
            continue
        child = tape.node(number)
        if child.number in shown:
            branch.add(Text(f"↑ #{child.number} {printable(child.title)}", style="dim"))
            continue
        if depth + 1 > max_depth:
            cut_depth += 1
            continue
        if count >= MAX_TREE_NODES:
            cut_nodes += 1
            continue
        shown.add(child.number)
        count += 1
        label = _tree_label(child, precision)
        if node.op == "detach":
            label = Text.assemble(("✂ detach: no gradient flows back  ", "yellow"), label)
        stack.append((branch.add(label), child, depth + 1, iter(child.inputs)))
    notes = []
    if cut_depth:
        notes.append(f"the tree stops {max_depth} levels deep ({cut_depth} branch(es) not drawn)")
    if cut_nodes:
        notes.append(f"{cut_nodes} more node(s) not drawn (the limit is {MAX_TREE_NODES})")
    if notes:
        root.add(Text("… " + "; ".join(notes) + ": use --format json or dot for all of it",
                      style="yellow"))
    return root


def _tree_label(node: Node, precision: Precision) -> Text:
    label = Text(_describe(node), style=KIND_STYLE[node.kind])
    label.append(f"  {shape_text(node.value)}", style="dim")
    label.append(f"  = {compact(node.value, precision)}")
    if node.adjoint is not None:
        label.append("  ∂ ", style="magenta")
        label.append(compact(node.adjoint, precision), style="magenta")
    elif node.kind != "constant":
        label.append("  (no gradient)", style="dim")
    return label


# -- DOT and Mermaid -------------------------------------------------------------------------


def _lines(node: Node, precision: Precision) -> list[str]:
    lines = [_describe(node), f"value {compact(node.value, precision)}"]
    if node.adjoint is not None:
        lines.append(f"grad {compact(node.adjoint, precision)}")
    return lines


def dot(tape: Tape, precision: Precision) -> str:
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace('"', '\\"')

    def quote(text: str) -> str:
        return f'"{escape(text)}"'

    out = [
        "digraph adcli {",
        "  rankdir=BT;",
        '  node [shape=box, fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10];',
        f"  label={quote(printable(tape.point.formula.source))}; labelloc=t;",
    ]
    style = {
        "variable": 'shape=ellipse, style="bold,filled", fillcolor="#d9f2d9"',
        "constant": 'style=dashed, color=gray40, fontcolor=gray40',
        "operation": 'style=filled, fillcolor="#e6f0ff"',
    }
    for node in tape.nodes:
        label = '"' + "\\n".join(escape(line) for line in _lines(node, precision)) + '"'
        extra = ", peripheries=2" if node.number == tape.output else ""
        out.append(f"  n{node.number} [label={label}, {style[node.kind]}{extra}];")
    for edge in tape.edges:
        if edge.cut:
            out.append(f'  n{edge.source} -> n{edge.target} [style=dashed, color=red, '
                       f'arrowhead=tee, label="detach: cut"];')
        elif edge.derivative:
            out.append(f"  n{edge.source} -> n{edge.target} "
                       f"[label={quote(printable(edge.derivative))}];")
        else:
            out.append(f"  n{edge.source} -> n{edge.target};")
    out.append("}")
    return "\n".join(out) + "\n"


def mermaid(tape: Tape, precision: Precision) -> str:
    def escape(text: str) -> str:
        for raw, entity in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
            text = text.replace(raw, entity)
        return text

    shapes = {"variable": ('(["', '"])'), "constant": ('[/"', '"/]'), "operation": ('["', '"]')}
    out = ["flowchart BT"]
    for node in tape.nodes:
        opening, closing = shapes[node.kind]
        text = "<br/>".join(escape(line) for line in _lines(node, precision))
        out.append(f"  n{node.number}{opening}{text}{closing}")
    for edge in tape.edges:
        if edge.cut:
            out.append(f'  n{edge.source} -.-x|"detach: cut"| n{edge.target}')
        elif edge.derivative:
            out.append(f'  n{edge.source} -->|"{escape(printable(edge.derivative))}"| '
                       f'n{edge.target}')
        else:
            out.append(f"  n{edge.source} --> n{edge.target}")
    out.append("  classDef variable fill:#d9f2d9,stroke:#2d7a2d;")
    out.append("  classDef constant fill:#f4f4f4,stroke:#999,stroke-dasharray:3 3;")
    for kind in ("variable", "constant"):
        members = [f"n{n.number}" for n in tape.nodes if n.kind == kind]
        if members:
            out.append(f"  class {','.join(members)} {kind};")
    return "\n".join(out) + "\n"


# -- JSON ---------------------------------------------------------------------------------


def node_json(node: Node) -> dict[str, Any]:
    return {
        "id": node.number, "op": node.op, "kind": node.kind, "name": node.name,
        "text": node.text, "span": list(node.span) if node.span else None,
        "shape": list(node.shape), "value": json_view.plain(node.value),
        "gradient": None if node.adjoint is None else json_view.plain(node.adjoint),
        "requires_grad": node.requires_grad, "inputs": node.inputs,
    }


def tape_json(command: str, tape: Tape) -> dict[str, Any]:
    """What `graph --format json` and `trace --json` start with: the `grad` object."""
    document = json_view.answer(command, tape.point, tape.value, tape.run, mode="reverse")
    if tape.gradient is not None:
        json_view.gradient_fields(document, tape.cotangent, tape.gradient)
    return document


def graph_json(tape: Tape) -> dict[str, Any]:
    document = tape_json("graph", tape)
    document.update({
        "output": tape.output,
        "nodes": [node_json(node) for node in tape.nodes],
        "edges": [{"from": e.source, "to": e.target, "position": e.position, "cut": e.cut,
                   "derivative": e.derivative} for e in tape.edges],
        "nonfinite": json_view.origins(tape.origins),
    })
    return document


def graph_json_text(tape: Tape) -> str:
    return json_view.dumps(graph_json(tape)) + "\n"
