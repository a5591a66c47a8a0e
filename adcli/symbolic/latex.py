"""Expressions as LaTeX, for notes and papers: fractions as \\frac, powers raised, the
textbook's notation for the functions LaTeX knows (\\sin, \\log_{2}, \\lVert x\\rVert, Aᵀ), and
\\operatorname{name} for every other function of the registry, so a new one prints as itself."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from adcli.symbolic import algebra as al
from adcli.symbolic.expr import Expr
from adcli.symbolic.printer import (
    ADD, ATOM, COMPARE, MUL, OR, POSTFIX, POW, UNARY, Piece, Printer, key_text,
)

# LaTeX's own operator names, and the textbook's notation for a few more
OPERATORS = {"sin", "cos", "tan", "sinh", "cosh", "tanh", "exp", "log", "sec", "csc", "cot"}
NAMED = {"asin": r"\arcsin", "acos": r"\arccos", "atan": r"\arctan", "log2": r"\log_{2}",
         "log10": r"\log_{10}"}
RELATIONS = {"lt": "<", "le": r"\le", "gt": ">", "ge": r"\ge", "eq": "=", "ne": r"\ne"}


class LatexPrinter(Printer):
    OPEN, CLOSE = r"\left(", r"\right)"

    def layout(self, node: Expr, top: bool = False) -> tuple[int, list[Piece]]:
        if not top and id(node) in self.shared:
            return ATOM, [self.shared[id(node)]]
        kind = node.kind
        if kind == "num":
            return latex_number(node.data)
        if kind == "const":
            return ATOM, [r"\pi" if node.data == "pi" else "e"]
        if kind == "var":
            name = self.names.get(node.data, (node.data, ATOM))[0]
            return ATOM, [name if len(name) == 1 else rf"\mathit{{{name}}}"]
        if kind == "array":
            return ATOM, [r"\begin{bmatrix}" + self.rows(node) + r"\end{bmatrix}"]
        return super().layout(node, top)

    def rows(self, node: Expr) -> str:
        values = [latex_number(v)[1][0] for v in node.data]
        if len(node.shape) <= 1:
            return r" \\ ".join(values)
        step = node.shape[-1]
        return r" \\ ".join(" & ".join(values[i:i + step]) for i in range(0, len(values), step))

    def product_layout(self, node: Expr) -> tuple[int, list[Piece]]:
        sign, top, bottom = self.fraction(node)
        if len(top) == 1 and not bottom and not sign and top[0].kind == "pow":
            return self.power_layout(top[0])
        pieces: list[Piece] = ["-"] if sign else []
        if bottom:
            pieces += [r"\frac{", *self.juxtaposed(top), "}{", *self.juxtaposed(bottom), "}"]
            return (MUL if sign else ATOM), pieces
        return MUL, pieces + self.juxtaposed(top)

    def juxtaposed(self, factors: list[Expr]) -> list[Piece]:
        if len(factors) == 1:  # alone in a numerator or a denominator: no parentheses
            return [(factors[0], OR)]
        pieces: list[Piece] = []
        for i, f in enumerate(factors):
            if i:
                numeric = f.kind == "num" or (f.kind == "pow" and f.args[0].kind == "num")
                pieces.append(r" \cdot " if numeric else " ")
            pieces.append((f, UNARY if i else MUL))
        return pieces

    def power_layout(self, node: Expr) -> tuple[int, list[Piece]]:
        base, exponent = node.args
        if exponent is al.HALF:
            return ATOM, [r"\sqrt{", (base, OR), "}"]
        return POW, [(base, POSTFIX), "^{", (exponent, OR), "}"]

    def sum_layout(self, node: Expr) -> tuple[int, list[Piece]]:
        return super().sum_layout(node)

    def call_layout(self, node: Expr) -> tuple[int, list[Piece]]:
        name, args = node.name, node.args
        if name in RELATIONS:
            return COMPARE, [(args[0], ADD), f" {RELATIONS[name]} ", (args[1], ADD)]
        if name == "logical_and":
            return OR, [(args[0], COMPARE), r" \land ", (args[1], COMPARE)]
        if name == "logical_or":
            return OR, [(args[0], COMPARE), r" \lor ", (args[1], COMPARE)]
        if name == "logical_not":
            return UNARY, [r"\lnot ", (args[0], POSTFIX)]
        if name == "matmul":
            return MUL, [(args[0], MUL), " ", (args[1], UNARY)]
        if name == "dot":
            return MUL, [(args[0], MUL), r" \cdot ", (args[1], UNARY)]
        if name == "outer":
            return MUL, [(args[0], UNARY), " ", (args[1], POSTFIX), r"^{\top}"]
        if name == "transpose":
            return POSTFIX, [(args[0], POSTFIX), r"^{\top}"]
        if name == "norm" and not node.params:
            return ATOM, [r"\left\lVert ", (args[0], OR), r" \right\rVert"]
        if name == "abs":
            return ATOM, [r"\left|", (args[0], OR), r"\right|"]
        if name == "getitem":
            return POSTFIX, [(args[0], POSTFIX), "_{", key_text(node.params["key"]), "}"]
        if name == "stack":
            items: list[Piece] = []
            for i, a in enumerate(args):
                items += [r" \\ "] if i else []
                items.append((a, OR))
            return ATOM, [r"\begin{bmatrix}", *items, r"\end{bmatrix}"]
        if name == "where":
            return ATOM, [r"\begin{cases}", (args[1], OR), " & ", (args[0], OR),
                          r" \\ ", (args[2], OR), r" & \text{otherwise}\end{cases}"]
        if name == "scatter":
            return super().call_layout(node)
        # make sure the name is a function of the language (or an internal step: refused)
        prec, plain = super().call_layout(node)
        head = rf"\{name}" if name in OPERATORS else NAMED.get(name, rf"\operatorname{{{name}}}")
        inner = plain[2:-1]  # the arguments, between "name(" and ")"
        return ATOM, [head, r"\left(", *inner, r"\right)"]


def latex_number(value: Any) -> tuple[int, list[Piece]]:
    if isinstance(value, Fraction) and value.denominator != 1 and abs(value) < 10**15:
        sign = "-" if value < 0 else ""
        return (UNARY if sign else ATOM), [rf"{sign}\frac{{{abs(value.numerator)}}}"
                                           rf"{{{value.denominator}}}"]
    from adcli.symbolic.printer import number

    prec, (text,) = number(value)
    if text in ("inf", "-inf"):
        text = text.replace("inf", r"\infty")
    elif text == "nan":
        text = r"\mathrm{NaN}"
    elif "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa} \cdot 10^{{{int(exponent)}}}"
    return prec, [text]


def to_latex(node: Expr, names: dict[str, tuple[str, int]] | None = None,
             limit: int = 2_000_000) -> str:
    return LatexPrinter(names, limit=limit)(node)


_ = POW  # precedence names used by subclasses
