"""adcli's formulas as sympy expressions, for the oracle tests and benchmarks/bench_diff.py.

A formula is parsed by adcli's own parser and its tree rebuilt with sympy's operations, never
by rewriting text. `evaluated=False` keeps the tree as written (sympy would otherwise fold
`x*x` into `x**2` as it builds), so that count_ops counts the formula adcli printed.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from adcli.language import ast
from adcli.language.parser import parse


def twins(sp: Any) -> dict[str, Callable[..., Any]]:
    """Each function of the language that means the same on numbers, in sympy."""
    return {
        "exp": sp.exp, "log": sp.log, "log2": lambda x: sp.log(x, 2),
        "log10": lambda x: sp.log(x, 10), "log1p": lambda x: sp.log(1 + x),
        "expm1": lambda x: sp.exp(x) - 1, "sqrt": sp.sqrt, "sin": sp.sin, "cos": sp.cos,
        "tan": sp.tan, "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "sinh": sp.sinh,
        "cosh": sp.cosh, "tanh": sp.tanh, "abs": sp.Abs, "sign": sp.sign,
        "relu": lambda x: sp.Piecewise((0, x <= 0), (x, True)),
        "sigmoid": lambda x: 1 / (1 + sp.exp(-x)),
        # torch's softplus is x itself above 20; below, log(1 + exp(x))
        "softplus": lambda x: sp.Piecewise((x, x > 20), (sp.log(1 + sp.exp(x)), True)),
        "detach": lambda x: x,
        "where": lambda c, a, b: sp.Piecewise((a, c), (b, True)),
        "maximum": sp.Max, "minimum": sp.Min,
        "clip": lambda x, lo, hi: sp.Min(sp.Max(x, lo), hi),
        "size": lambda x: sp.Integer(1),  # of a number
        "sum": lambda x: x, "mean": lambda x: x, "prod": lambda x: x, "max": lambda x: x,
        "min": lambda x: x, "norm": sp.Abs, "logsumexp": lambda x: x,
        "softmax": lambda x: sp.Integer(1), "transpose": lambda x: x,
        "dot": lambda a, b: a * b, "matmul": lambda a, b: a * b, "outer": lambda a, b: a * b,
        # issue 11's vocabulary, on numbers
        "square": lambda x: x ** 2, "reciprocal": lambda x: 1 / x, "exp2": lambda x: 2 ** x,
        "cbrt": lambda x: sp.sign(x) * sp.Abs(x) ** sp.Rational(1, 3),
        "asinh": sp.asinh, "acosh": sp.acosh, "atanh": sp.atanh,
        "sec": sp.sec, "csc": sp.csc, "cot": sp.cot, "erf": sp.erf, "erfc": sp.erfc,
        "lgamma": sp.loggamma, "digamma": sp.digamma,
        "polygamma": lambda n, x: sp.polygamma(n, x),
        # torch's sinc: sin(πx)/(πx)
        "sinc": lambda x: sp.sin(sp.pi * x) / (sp.pi * x),
        "floor": sp.floor, "ceil": sp.ceiling, "round": lambda x: sp.floor(x + sp.Rational(1, 2)),
        "pow": lambda a, b: a ** b, "hypot": lambda a, b: sp.sqrt(a ** 2 + b ** 2),
        "atan2": sp.atan2, "logaddexp": lambda a, b: sp.log(sp.exp(a) + sp.exp(b)),
        "mod": sp.Mod,
    }


_RELATIONS = {"<": "Lt", "<=": "Le", ">": "Gt", ">=": "Ge", "==": "Eq", "!=": "Ne"}


def to_sympy(text: str, sp: Any, symbols: dict[str, Any] | None = None,
             evaluated: bool = True, float_pi: bool = False) -> Any:
    """The formula `text` (adcli's language, numbers only) as a sympy expression. With
    float_pi, pi is the float adcli computes with: csc(pi) is then 1/sin(3.141592653589793), a
    large number, as in adcli, not sympy's exact pole zoo."""
    formula = parse(text)
    symbols = symbols if symbols is not None else {}
    for name in formula.variables:
        symbols.setdefault(name, sp.Symbol(name, real=True))
    functions = twins(sp)
    done: dict[int, Any] = {}
    with sp.evaluate(evaluated):
        for node in _postorder(formula.tree):
            done[id(node)] = _build(node, [done[id(c)] for c in node.children()], sp,
                                    symbols, functions, float_pi)
    return done[id(formula.tree)]


def _postorder(tree: Any) -> list[Any]:
    out, stack = [], [(tree, False)]
    while stack:
        node, ready = stack.pop()
        if ready:
            out.append(node)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(node.children()))
    return out


def _build(node: Any, args: list[Any], sp: Any, symbols: dict[str, Any],
           functions: dict[str, Callable[..., Any]], float_pi: bool = False) -> Any:
    if isinstance(node, ast.Number):
        value = node.value
        return sp.Integer(int(value)) if value.is_integer() else sp.Rational(repr(value))
    if isinstance(node, ast.Name):
        named = {"pi": sp.Float(math.pi) if float_pi else sp.pi, "e": sp.E, "inf": sp.oo, "nan": sp.nan}
        return named.get(node.id, symbols.get(node.id))
    if isinstance(node, ast.Unary):
        return -args[0] if node.op == "-" else sp.Not(args[0]) if node.op == "not" else args[0]
    if isinstance(node, ast.Binary):
        a, b = args
        if node.op in _RELATIONS:
            return getattr(sp, _RELATIONS[node.op])(a, b)
        return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
                "/": lambda: a / b, "^": lambda: a ** b, "·": lambda: a * b,
                "@": lambda: a * b, "and": lambda: sp.And(a, b),
                "or": lambda: sp.Or(a, b)}[node.op]()
    if isinstance(node, ast.Call):
        return functions[node.function](*args)
    raise ValueError(f"no sympy twin for {type(node).__name__}")
