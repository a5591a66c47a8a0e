"""A derivation rule by rule, as the web's step-by-step derivative calculators show it, from
adcli's own rules: forward mode over the formula's recorded graph.

Each node's derivative is the sum of its JVP rules, one per input that depends on the variable,
each recorded with a placeholder tangent `(u)′` for that input and read back as a formula —
the rule applied to this node (`(x^2)′*sin(x) + x^2*(sin(x))′`). Putting the inputs'
derivatives in for the placeholders gives the node's derivative. Which rule a step is (sum,
product, quotient, power, chain) is named from the operator, or from whether the function's
input is the variable itself; the formula is always the registry's rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from adcli.engine import Tensor, enable_grad, ieee_sweep, make_leaf, toposort
from adcli.symbolic import algebra as al
from adcli.symbolic.convert import Conversion
from adcli.symbolic.expr import Expr
from adcli.symbolic.printer import ATOM, Printer
from adcli.symbolic.simplify import simplify, substitute

MAX_STEPS = 60  # a longer derivation is cut, and says so

# The names calculus gives the operators' rules; a function's step is its own rule, or the
# chain rule with it when its input is not the variable itself.
COMBINING = {"add": "sum rule", "sub": "difference rule", "mul": "product rule",
             "div": "quotient rule", "dot": "product rule", "matmul": "product rule",
             "outer": "product rule", "stack": "element by element"}


@dataclass(frozen=True)
class Step:
    text: str  # the sub-formula differentiated (backward: the one sending its adjoint on)
    rule: str  # which rule: "product rule", "chain rule with sin's rule", …
    form: str  # forward: the rule applied, with (u)′ for the inputs' derivatives;
    #            backward: the rule in the adjoint g, with the operands' own texts
    result: str  # forward: this sub-formula's derivative; backward: what is sent, simplified
    adjoint: str | None = None  # backward: the adjoint g arriving at `text`
    target: str | None = None  # backward: the input it is sent to


@dataclass(frozen=True)
class Derivation:
    variable: str  # forward: the variable; backward: "" (one pass serves all)
    steps: tuple[Step, ...]
    omitted: int  # steps left out past MAX_STEPS
    mode: str = "forward"


def rule_name(name: str, carrying: list[int], args: list[Any], variable: Tensor | None
              ) -> str:
    if name == "neg" or (name == "mul" and len(carrying) == 1) or (name == "div"
                                                                   and carrying == [0]):
        return "constant multiple"
    if name == "div" and carrying == [1]:
        return "quotient rule"
    if name == "pow":
        base = "power rule" if carrying == [0] else "exponential rule" if carrying == [1] \
            else "power rule with a variable exponent"
        chained = variable is not None and any(args[k] is not variable for k in carrying)
        return f"chain rule with the {base}" if chained else base
    if name in COMBINING:
        return COMBINING[name]
    # backward, the chain rule is the pass itself: each step is the function's own rule
    own = f"{name}'s rule"
    chained = variable is not None and any(args[k] is not variable for k in carrying)
    return f"chain rule with {own}" if chained else own


def derivation(output: Tensor, leaves: dict[str, Tensor], variable: str,
               conversion: Conversion, texts: dict[int, str] | None = None) -> Derivation:
    """The steps of ∂f/∂variable; `output` was evaluated with only that variable's leaf
    requiring grad, `conversion` names the leaves, and `texts` gives the user's own text of
    a node where there is one (`x*x` rather than its simplified `x^2`)."""
    texts = texts or {}

    def text(node: Tensor) -> str:
        return texts.get(id(node)) or _text(conversion(node))

    leaf = leaves[variable]
    tangents: dict[int, Expr] = {id(leaf): al.num(1, np.shape(leaf.data))}
    found: list[Step] = []
    for node in toposort(output):
        if node.op is None or node.op.jvp is None:
            continue
        carrying = [k for k, a in enumerate(node.inputs)
                    if type(a) is Tensor and id(a) in tangents and node.op.jvp[k] is not None]
        if not carrying:
            continue
        placeholders: dict[str, tuple[Tensor, Expr]] = {}
        parts = []
        for k in carrying:
            inp = node.inputs[k]
            name = f"∂{len(placeholders)}"
            seed = make_leaf(np.full(np.shape(inp.data), 0.5))
            conversion.alive.append(seed)
            conversion.names[id(seed)] = al.var(name, np.shape(inp.data))
            with enable_grad(), ieee_sweep():
                contribution = node.op.jvp[k](seed, node, *node.inputs, **node.params)
            parts.append(conversion(contribution))
            placeholders[name] = (inp, tangents[id(inp)])
        form = al.add(*parts)
        derivative = simplify(substitute(form, {n: t for n, (_, t) in placeholders.items()}))
        tangents[id(node)] = derivative
        shown = {n: (f"({text(i)})′", ATOM) for n, (i, _) in placeholders.items()
                 if i is not leaf}
        ones = {n: t for n, (i, t) in placeholders.items() if i is leaf}
        found.append(Step(text(node),
                          rule_name(node.op.name, carrying, list(node.inputs), leaf),
                          Printer(shown)(simplify(substitute(form, ones))),
                          _text(derivative)))
    found.reverse()  # the whole formula first, as a derivation is read
    return Derivation(variable, tuple(found[:MAX_STEPS]), max(0, len(found) - MAX_STEPS))


def _text(node: Expr) -> str:
    return Printer(limit=400)(node)


def backpropagation(output: Tensor, seed: Tensor, conversion: Conversion,
                    operands: dict[int, tuple[str, int]]) -> Derivation:
    """The steps of a backward pass: at each node, the adjoint g that arrived, and for each
    input the node's rule in g (in the operands' own texts) and what it sends there."""
    from adcli.engine import backward_pass
    from adcli.symbolic.labels import node_label

    found: list[Step] = []
    omitted = 0
    variables = frozenset(conversion.names)

    def described(t: Any) -> tuple[str, int]:
        return operands.get(id(t)) or (_text(conversion(t)), ATOM)

    def observe(node: Tensor, g: Any, k: int, inp: Tensor, contribution: Any, total: Any
                ) -> None:
        nonlocal omitted
        if len(found) >= MAX_STEPS:
            omitted += 1
            return
        texts = [described(a) for a in node.inputs]
        carrying = [i for i, a in enumerate(node.inputs)
                    if type(a) is Tensor and a.requires_grad]
        found.append(Step(described(node)[0],
                          rule_name(node.op.name, carrying, list(node.inputs), None),
                          _rule_text(node_label(node, k, texts, variables)),
                          _text(simplify(conversion(contribution))),
                          _text(simplify(conversion(g))), texts[k][0]))

    conversion.alive.append(seed)
    backward_pass(output, seed, create_graph=True, observe=observe)
    return Derivation("", tuple(found), omitted, mode="backward")


def _rule_text(found: Any) -> str:
    return found.rule if found is not None else "(its rule has no formula here)"
