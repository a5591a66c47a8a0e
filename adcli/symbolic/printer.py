"""Expressions as text in adcli's own formula language: what `adcli eval` parses back.

The syntax of a call is the registry's (every public function prints as `name(args)`, so a new
function prints without an edit here); the operators have the precedence of
grammar/formula.lark, and parentheses appear only where that grammar needs them. Printing
walks an explicit stack, so a formula 10,000 levels deep prints like a short one.

`Printer(names=…)` substitutes text for variables (a rule's `x` becomes the user's `log(x*x)`
on a graph edge), and `Printer(shared=…)` prints chosen sub-expressions by a name instead
(the `where u = …` of adcli diff).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from adcli.symbolic import algebra as al
from adcli.symbolic.expr import Expr

# grammar/formula.lark, loosest first
OR, AND, NOT, COMPARE, ADD, MUL, UNARY, POW, POSTFIX, ATOM = 0, 1, 2, 3, 5, 6, 7, 8, 9, 10

INFIX = {"matmul": ("@", MUL), "lt": ("<", COMPARE), "le": ("<=", COMPARE),
         "gt": (">", COMPARE), "ge": (">=", COMPARE), "eq": ("==", COMPARE),
         "ne": ("!=", COMPARE), "logical_and": ("and", AND), "logical_or": ("or", OR)}
MAX_TEXT = 2_000_000  # characters: the longest formula adcli's parser takes

Piece = Any  # a str, or (Expr, the least precedence it may have without parentheses)


class PrintError(Exception):
    """An expression the formula language cannot say (an internal primitive survived)."""


class TooLong(PrintError):
    """An expression the formula language can say, but longer than `limit` characters."""


class Printer:
    OPEN, CLOSE = "(", ")"

    def __init__(self, names: dict[str, tuple[str, int]] | None = None,
                 shared: dict[int, str] | None = None, limit: int = MAX_TEXT,
                 truncate: bool = False) -> None:
        self.names = names or {}
        self.shared = shared or {}
        self.limit = limit
        self.truncate = truncate  # past the limit: cut with …, instead of refusing

    def __call__(self, root: Expr, need: int = OR) -> str:
        out: list[str] = []
        length = 0
        stack: list[Piece] = [(root, need, True)]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                out.append(item)
                length += len(item)
                if length > self.limit:
                    if self.truncate:
                        return "".join(out)[:self.limit] + "…"
                    raise TooLong(f"the formula would be longer than {self.limit:,} "
                                  "characters")
                continue
            node, least, top = item
            prec, pieces = self.layout(node, top)
            if prec < least:
                pieces = [self.OPEN, *pieces, self.CLOSE]
            stack.extend(reversed([(p[0], p[1], False) if isinstance(p, tuple) else p
                                   for p in pieces]))
        return "".join(out)

    # -- one layout per kind: (precedence, pieces) -------------------------------------------

    def layout(self, node: Expr, top: bool = False) -> tuple[int, list[Piece]]:
        if not top and id(node) in self.shared:
            return ATOM, [self.shared[id(node)]]
        kind = node.kind
        if kind == "bcast":
            return self.layout(node.args[0], top)
        if kind == "num":
            return number(node.data)
        if kind == "const":
            return ATOM, [node.data]
        if kind == "var":
            if node.data in self.names:
                text, prec = self.names[node.data]
                return prec, [text]
            return ATOM, [node.data]
        if kind == "array":
            return ATOM, [literal(node)]
        if kind == "ones":
            return ATOM, ["ones(" + ", ".join(str(n) for n in node.data) + ")"]
        if kind == "add":
            return self.sum_layout(node)
        if kind in ("mul", "pow"):
            return self.product_layout(node)
        if kind == "call":
            return self.call_layout(node)
        raise PrintError(f"no notation for {kind}")

    def sum_layout(self, node: Expr) -> tuple[int, list[Piece]]:
        pieces: list[Piece] = []
        for i, term in enumerate(sorted(node.args, key=term_order)):
            c, rest = al.split(term)
            if i and negative(c):
                pieces += [" - ", (al.scale(-c, rest) if rest is not al.ONE else al.num(-c),
                                   ADD + 1)]
            else:
                pieces += [" + "] if i else []
                pieces.append((term, ADD))
        return ADD, pieces

    def fraction(self, node: Expr) -> tuple[bool, list[Expr], list[Expr]]:
        """A product as a sign, the factors above the line and those below (negative powers,
        the coefficient's denominator), in reading order; the LaTeX printer shares it."""
        c, rest = al.split(node) if node.kind == "mul" else (Fraction(1), node)
        factors = rest.args if rest.kind == "mul" else (rest,) if rest is not al.ONE else ()
        top: list[Expr] = []
        bottom: list[Expr] = []
        for f in sorted(factors, key=factor_order):
            if f.kind == "pow" and f.args[1].kind == "num" and negative(f.args[1].data):
                bottom.append(al.power(f.args[0], al.num(-f.args[1].data)))
            else:
                top.append(f)
        sign = negative(c)
        coefficient_top, coefficient_bottom = split_coefficient(-c if sign else c)
        if coefficient_bottom != 1:
            bottom.insert(0, al.num(coefficient_bottom))
        if coefficient_top != 1 or not top:
            top.insert(0, al.num(coefficient_top))
        return sign, top, bottom

    def product_layout(self, node: Expr) -> tuple[int, list[Piece]]:
        sign, top, bottom = self.fraction(node)
        if len(top) == 1 and not bottom and not sign and top[0].kind == "pow":
            return self.power_layout(top[0])
        pieces: list[Piece] = ["-"] if sign else []
        for i, f in enumerate(top):
            pieces += ["*"] if i else []
            # the first factor may be a negative number only at the start of a product
            pieces.append((f, MUL if i == 0 and not sign else UNARY))
        if bottom:
            pieces.append("/")
            if len(bottom) == 1:
                pieces.append((bottom[0], POW))
            else:
                pieces += ["(", *_joined(bottom, "*", UNARY), ")"]
        return MUL, pieces

    def power_layout(self, node: Expr) -> tuple[int, list[Piece]]:
        base, exponent = node.args
        if exponent is al.HALF:
            return ATOM, ["sqrt(", (base, OR), ")"]
        return POW, [(base, POSTFIX), "^", (exponent, UNARY)]

    def call_layout(self, node: Expr) -> tuple[int, list[Piece]]:
        name, args = node.name, node.args
        if any(a.kind == "bcast" for a in args) and not (
                name in INFIX and name != "matmul"):
            raise PrintError(f"`{name}` of an array repeated along an axis has no index-free "
                             "notation in the formula language (with --at, its sizes are known)")
        if name in INFIX:
            symbol, prec = INFIX[name]
            spaced = f" {symbol} " if prec <= COMPARE else symbol
            return prec, [(args[0], prec), spaced, (args[1], prec + 1)]
        if name == "logical_not":
            return NOT, ["not ", (args[0], NOT)]
        if name == "getitem":
            return POSTFIX, [(args[0], POSTFIX), "[", key_text(node.params["key"]), "]"]
        if name == "stack" and not node.params.get("axis"):  # along the first axis: [a, b]
            return ATOM, ["[", *_joined(list(args), ", ", OR), "]"]
        if name == "scatter":
            return ATOM, self.scatter_pieces(node)
        function = _public(name)
        if function is None:
            raise PrintError(f"`{name}` (an internal step of a rule) has no notation in the "
                             "formula language")
        return ATOM, [name, "(", *call_arguments(function, list(args), node.params), ")"]

    def scatter_pieces(self, node: Expr) -> list[Piece]:
        key, shape = node.params["key"], node.shape
        if isinstance(key, tuple) and len(key) == 1:
            key = key[0]
        if len(shape) != 1 or shape[0] > 12 or not isinstance(key, int):
            raise PrintError("a gradient scattered into positions of a large or nested array "
                             "has no short notation")
        items: list[Piece] = []
        for i in range(shape[0]):
            items += [", "] if i else []
            items.append((node.args[0], OR) if i == key % shape[0] else "0")
        return ["[", *items, "]"]


def call_arguments(function: Any, args: list[Expr], params: dict[str, Any]) -> list[Piece]:
    """A call's arguments as the registry says the language writes them: params written
    before the tensors (einsum's subscripts), the tensors, the positional params, then the
    keyword-only ones (`axis=0`)."""
    def given(names: Sequence[str]) -> list[str]:
        return [p for p in names if params.get(p) is not None]

    leading = given(function.params[:function.leading])
    positional = given(function.positional_params)
    keywords = given(p for p in function.params[function.leading:] if p in function.keywords)
    items: list[Piece] = [param_text(function, p, params[p]) for p in leading]
    items += [(a, OR) for a in args]
    items += [param_text(function, p, params[p]) for p in positional]
    items += [f"{p}={param_text(function, p, params[p])}" for p in keywords]
    pieces: list[Piece] = []
    for i, item in enumerate(items):
        pieces += [", "] if i else []
        pieces.append(item)
    return pieces


def param_text(function: Any, name: str, value: Any) -> str:
    """A constant argument in the language: a number, a quoted text, a vector of numbers."""
    if function.kind(name) == "string" or isinstance(value, str):
        return "'" + str(value).replace("'", "") + "'"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(param_text(function, name, v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _joined(nodes: Sequence[Expr], separator: str, need: int) -> list[Piece]:
    pieces: list[Piece] = []
    for i, n in enumerate(nodes):
        pieces += [separator] if i else []
        pieces.append((n, need))
    return pieces


def _differentiable(name: str) -> bool:
    from adcli.ops import PRIMITIVES

    prim = PRIMITIVES.get(name)
    return prim is None or prim.vjp is not None


def _public(name: str) -> Any:
    from adcli.ops import FUNCTIONS

    return FUNCTIONS.get(name)


# -- numbers -------------------------------------------------------------------------------------


def negative(value: Any) -> bool:
    return value < 0 if not (isinstance(value, float) and value != value) else False


def _decimal_denominator(q: int) -> bool:
    for p in (2, 5):
        while q % p == 0:
            q //= p
    return q == 1


def number(value: Any) -> tuple[int, list[Piece]]:
    if isinstance(value, Fraction) and abs(value) < 10**15:
        if value.denominator == 1:
            return (UNARY if value < 0 else ATOM), [str(value.numerator)]
        if not _decimal_denominator(value.denominator):
            return MUL, [f"{value.numerator}/{value.denominator}"]
    f = float(value)
    text = "inf" if f == float("inf") else "-inf" if f == float("-inf") else \
        "nan" if f != f else repr(f)
    return (UNARY if text.startswith("-") else ATOM), [text]


def split_coefficient(c: Any) -> tuple[Any, int]:
    """A positive coefficient as (numerator, denominator): 3/4 is (3, 4) so that 3*x/4 prints;
    0.25 and 0.001 stay decimals unless the denominator is a small power of two."""
    if isinstance(c, Fraction) and c.denominator != 1:
        q = c.denominator
        if not _decimal_denominator(q) or q in (2, 4, 8, 16):
            return Fraction(c.numerator), q
    return c, 1


def literal(node: Expr) -> str:
    values = [number(v)[1][0] for v in node.data]
    shape = node.shape

    def nest(flat: list[str], dims: tuple[int, ...]) -> str:
        if not dims:
            return flat[0]
        step = len(flat) // dims[0] if dims[0] else 0
        return "[" + ", ".join(nest(flat[i * step:(i + 1) * step], dims[1:])
                               for i in range(dims[0])) + "]"

    return nest(values, shape)


def key_text(key: Any) -> str:
    keys = key if isinstance(key, tuple) else (key,)

    def one(k: Any) -> str:
        if isinstance(k, slice):
            parts = ["" if p is None else str(p) for p in (k.start, k.stop, k.step)]
            return ":".join(parts[:2] if k.step is None else parts)
        if isinstance(k, (tuple, list)):  # an index array, as the language writes one
            return "[" + ", ".join(one(v) for v in k) + "]"
        return str(k)

    return ", ".join(one(k) for k in keys)


# -- reading order -------------------------------------------------------------------------------


def term_order(term: Expr) -> tuple[Any, ...]:
    c, rest = al.split(term)
    return (negative(c), rest is al.ONE, rest.size, sorted(rest.free), rest.tag)


_FACTOR_RANK = {"const": 0, "var": 1, "call": 3, "array": 5, "add": 6}


def factor_order(f: Expr) -> tuple[Any, ...]:
    if f.kind == "pow":
        rank = 2 if f.args[0].kind in ("var", "const") else 4
        base = f.args[0]
    elif f.kind == "call" and not _differentiable(f.name):
        rank, base = 0.5, f  # a count (size(x)) or a constant: read like a coefficient
    else:
        rank, base = _FACTOR_RANK.get(f.kind, 7), f
    return (rank, base.data if base.kind == "var" else "", f.size, f.tag)


def to_text(node: Expr, names: dict[str, tuple[str, int]] | None = None,
            limit: int = MAX_TEXT) -> str:
    """The expression in adcli's formula language."""
    return Printer(names, limit=limit)(node)


def short_text(node: Expr, names: dict[str, tuple[str, int]] | None = None,
               limit: int = 200) -> str:
    """The expression written out, cut with … past `limit` characters (for notes)."""
    return Printer(names, limit=limit, truncate=True)(node)


def precedence(node: Expr) -> int:
    """How tightly the printed expression binds (for writing it inside another one)."""
    return Printer().layout(node, top=True)[0]


def ensure_printable(node: Expr) -> None:
    to_text(node)

