"""The passes that need a view of a whole sum: common factors and common denominators.

The constructors of adcli.symbolic.algebra already fold numbers, drop 0 and 1, collect like
terms and powers and put signs in front; what they cannot see is that the terms of a sum share
a factor. `simplify` takes it out where that makes the formula shorter, counted in operations
as sympy's count_ops counts them: `x^2*cos(x) + 2*x*sin(x)` becomes `x*(x*cos(x) + 2*sin(x))`,
and `1/(x^2 + 1) - 2*x^2/(x^2 + 1)^2` becomes `(1 - x^2)/(x^2 + 1)^2` (the common denominator
lets like terms meet). Nothing is expanded: a product of sums stays one.
"""

from __future__ import annotations

import math
import weakref
from fractions import Fraction
from typing import Any

import numpy as np

from adcli.symbolic import algebra as al
from adcli.symbolic import identities
from adcli.symbolic.expr import Expr, make
from adcli.symbolic.walk import rebuild


_COUNTED: weakref.WeakKeyDictionary[Expr, int] = weakref.WeakKeyDictionary()


def operations(root: Expr) -> int:
    """Operations in the printed formula (each +, -, *, /, ^, unary minus and call once), the
    way sympy's count_ops counts them; a shared sub-expression counts every time it is used.
    Remembered per node (nodes never change), so asking again costs nothing."""
    if root in _COUNTED:
        return _COUNTED[root]
    count: dict[int, int] = {}
    stack: list[tuple[Expr, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in count:
            continue
        known = _COUNTED.get(node)
        if known is not None:
            count[id(node)] = known
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if id(a) not in count)
            continue
        count[id(node)] = _COUNTED[node] = _count(node, count)
    return count[id(root)]


def _count(node: Expr, count: dict[int, int]) -> int:
    kind = node.kind
    if kind == "num":
        return int(_negative(node.data)) + int(_fraction(node.data))
    if kind in ("var", "const", "array"):
        return 0
    if kind == "bcast":
        return count[id(node.args[0])]
    if kind == "add":
        total = len(node.args) - 1
        first = _first(node)
        for term in node.args:
            c, rest = al.split(term)
            negated = _negative(c) and term is not first and rest is not al.ONE
            total += count[id(term)] - (1 if negated else 0)  # `a - b`: the - is the sub
        return total
    if kind == "mul":
        for f in node.args:  # the powers a denominator is read from count through their base
            if f.kind == "pow" and id(f.args[0]) not in count:
                count[id(f.args[0])] = operations(f.args[0])
        c, rest = al.split(node)
        factors = rest.args if rest.kind == "mul" else (rest,)
        top = bottom = 0
        total = int(_negative(c))
        if abs(c) != 1:
            top += 1
            if _fraction(c):
                bottom += 1
        for f in factors:
            if f.kind == "pow" and f.args[1].kind == "num" and _negative(f.args[1].data):
                bottom += 1
                total += _power_count(f.args[0], -f.args[1].data, count)
            else:
                top += 1
                total += count[id(f)]
        return total + max(top - 1, 0) + max(bottom - 1, 0) + (1 if bottom else 0)
    if kind == "pow":
        base, exponent = node.args
        if exponent.kind == "num" and _negative(exponent.data):
            return 1 + _power_count(base, -exponent.data, count)
        if exponent.kind == "num":
            return _power_count(base, exponent.data, count)
        return 1 + count[id(base)] + count[id(exponent)]
    return 1 + sum(count[id(a)] for a in node.args)  # a call


def _power_count(base: Expr, exponent: Any, count: dict[int, int]) -> int:
    """base^exponent as printed, exponent > 0 a number: x is 0 operations, x^2 and sqrt(x)
    one, x^(3/2) two."""
    if exponent == 1:
        return count[id(base)]
    return count[id(base)] + 1 + int(_fraction(exponent) and exponent != Fraction(1, 2))


def _first(node: Expr) -> Expr:
    from adcli.symbolic.printer import term_order

    return min(node.args, key=term_order)


def _negative(value: Any) -> bool:
    return isinstance(value, (Fraction, float)) and value < 0


def _fraction(value: Any) -> bool:
    return isinstance(value, Fraction) and value.denominator != 1


def simplify(root: Expr) -> Expr:
    """Take common factors out of sums, bottom-up, wherever that saves operations; then clear
    negative exponentials from denominators (a second pass, so that it does not hide a common
    denominator from the first)."""
    return rebuild(rebuild(root, _tidy), _clear)


def _clear(node: Expr, args: tuple[Expr, ...]) -> Expr:
    if args and any(a is not b for a, b in zip(args, node.args)):
        node = reconstruct(node, args)
    return _shorter(node, _clear_exponential(node)) if node.kind == "mul" else node


def _tidy(node: Expr, args: tuple[Expr, ...]) -> Expr:
    if args and any(a is not b for a, b in zip(args, node.args)):
        node = reconstruct(node, args)
    if node.kind == "add":
        terms = identities.rewrite_squares(list(node.args))
        if len(terms) != len(node.args):
            node = al.add(*terms)
            if node.kind != "add":
                return _tidy(node, node.args) if node.kind == "mul" else node
        return factor_sum(node)
    if node.kind == "mul":
        return tidy_product(node)
    return node


def _shorter(old: Expr, new: Expr) -> Expr:
    return new if operations(new) < operations(old) else old


def tidy_product(node: Expr) -> Expr:
    """A product made shorter where it can be: identities between its functions (sin/cos is
    tan), a sum in it brought to another form that cancels against a factor (`(x/s + 1)/(x + s)`
    is 1/s), a denominator multiplied out, an exponential cleared from a fraction."""
    for _ in range(4):
        rewritten = identities.rewrite_product(node)
        if rewritten is node or operations(rewritten) > operations(node):
            break
        node = rewritten
        if node.kind != "mul":
            return node
    node = _shorter(node, _cancel(node))
    return _denominator(node) if node.kind == "mul" else node


def _cancel(node: Expr) -> Expr:
    best, count = node, operations(node)
    for f in node.args:
        base, exponent = f.args if f.kind == "pow" else (f, al.ONE)
        if base.kind != "add" or exponent.kind != "num":
            continue
        others = [x for x in node.args if x is not f]
        for form in sum_forms(base):
            candidate = al.mul(*others, al.power(form, exponent))
            if operations(candidate) < count:
                best, count = candidate, operations(candidate)
    return best


def _clear_exponential(node: Expr) -> Expr:
    """A denominator D^e holding exp(-v): top and bottom times exp(v)^e, D multiplied out so
    the exponentials meet: exp(-u)/(exp(-u) + 1) is 1/(exp(u) + 1)."""
    best, count = node, operations(node)
    for d in node.args:
        below, e = d.args if d.kind == "pow" else (d, al.ONE)
        if below.kind != "add" or e.kind != "num" or not e.data < 0:
            continue
        for term in below.args:
            c, rest = al.split(term)
            factors = rest.args if rest.kind == "mul" else (rest,)
            for f in factors:
                if f.kind != "call" or f.name not in identities.exponentials():
                    continue
                v, _ = al.split(f.args[0])
                if not v < 0:
                    continue
                shift = al.call(f.name, [al.neg(f.args[0])])
                together = expand(al.mul(below, shift))
                terms = together.args if together.kind == "add" else (together,)
                cleared = al.add(*(identities.rewrite_product(t) for t in terms))
                others = [x for x in node.args if x is not d]
                top = identities.rewrite_product(al.mul(*others, al.power(shift, al.neg(e))))
                candidate = al.mul(top, al.power(factor_sum(cleared) if cleared.kind == "add"
                                                 else cleared, e))
                if operations(candidate) < count:
                    best, count = candidate, operations(candidate)
    return best


def reconstruct(node: Expr, args: tuple[Expr, ...]) -> Expr:
    """The node with new args, built (and so simplified) by the algebra's constructors."""
    kind = node.kind
    if kind == "add":
        return al.add(*args)
    if kind == "mul":
        return al.mul(*args)
    if kind == "pow":
        return al.power(*args)
    if kind == "bcast":
        return al.bcast(args[0], node.shape)
    if kind == "call":
        return al.call(node.name, args, node.params)
    return node


def _factors(term: Expr) -> tuple[Any, dict[Expr, Expr]]:
    c, rest = al.split(term)
    factors = rest.args if rest.kind == "mul" else () if rest is al.ONE else (rest,)
    powers: dict[Expr, Expr] = {}
    for f in factors:
        base, exponent = f.args if f.kind == "pow" else (f, al.ONE)
        powers[base] = exponent
    return c, powers


def factor_sum(node: Expr) -> Expr:
    """The shortest of a sum's forms (sum_forms), or the sum itself."""
    best, best_count = node, operations(node)
    for form in sum_forms(node):
        count = operations(form)
        if count < best_count:
            best, best_count = form, count
    return best


def sum_forms(node: Expr) -> list[Expr]:
    """A sum written other ways: multiplied out, and with each common factor (or common
    denominator) taken out, the rest also multiplied out."""
    terms = node.args
    parts = [_factors(t) for t in terms]
    common = [b for b in parts[0][1]
              if all(b in p and p[b].kind == "num" for _, p in parts)]
    candidates: list[Expr] = []
    least, outermost = [], []
    for base, exponent in parts[0][1].items():  # x^y in every term: a factor as it is
        if exponent.kind != "num" and all(p.get(base) is exponent for _, p in parts):
            least.append(al.power(base, exponent))
            outermost.append(least[-1])
    for base in common:
        exponents = [p[base].data for _, p in parts]
        low = min(exponents)
        # a common factor (x·a + x·b), or a common denominator (a/x + b/x², all over x²)
        least.append(al.power(base, al.num(low)))
        if low > 0 or max(exponents) < 0:
            outermost.append(al.power(base, al.num(low if low > 0 else max(exponents))))
    # a common denominator over every term, those without the base too: x/s + 1 is (x + s)/s
    below = {b: min(0, *(p[b].data if b in p and p[b].kind == "num" else 0 for _, p in parts))
             for _, p in parts for b, e in p.items() if e.kind == "num" and e.data < 0}
    denominator = [al.power(b, al.num(e)) for b, e in below.items() if e < 0]
    coefficient = _common_coefficient([c for c, _ in parts])
    for chosen in (least, outermost, denominator):
        if chosen or coefficient != 1:
            candidates.append(al.mul(al.num(coefficient), *chosen))
    forms = []
    expanded = expand(node)
    if expanded is not node:
        forms.append(expanded)
    summed = identities.products_to_sums(list(expanded.args if expanded.kind == "add"
                                              else (expanded,)))
    if summed is not None:
        forms.append(summed)
    for factor in candidates:
        if factor is al.ONE:
            continue
        inverse = al.power(factor, al.MINUS_ONE)
        inner = al.add(*(al.mul(t, inverse) for t in terms))
        for option in (inner, expand(inner)):
            forms.append(_product(factor, option))
    return forms


MAX_EXPANSION = 16  # terms one product of sums may expand into


def expand(node: Expr) -> Expr:
    """A sum with each term's products of sums multiplied out, like terms collected again:
    `2*x*(x - 1) - x^2 - 1` is `x^2 - 2*x - 1`. Unchanged where that would take more than
    MAX_EXPANSION terms."""
    terms = node.args if node.kind == "add" else (node,)
    out: list[Expr] = []
    changed = False
    for term in terms:
        c, rest = al.split(term)
        factors = rest.args if rest.kind == "mul" else (rest,)
        sums = [f for f in factors if f.kind == "add"]
        if not sums or math.prod(len(f.args) for f in sums) > MAX_EXPANSION:
            out.append(term)
            continue
        others = [f for f in factors if f.kind != "add"]
        products: list[list[Expr]] = [[al.num(c), *others]]
        for f in sums:
            products = [p + [t] for p in products for t in f.args]
        out.extend(al.mul(*p) for p in products)
        changed = True
    return al.add(*out) if changed else node


def _denominator(node: Expr) -> Expr:
    """A denominator that is a product with a sum in it, multiplied out and brought over one
    fraction: 1/(x*(y^2/x^2 + 1)) is x/(x^2 + y^2)."""
    def below(f: Expr) -> bool:
        return (f.kind == "pow" and f.args[1].kind == "num" and _negative(f.args[1].data)
                and f.args[1].data.denominator == 1)

    bottom = [al.power(f.args[0], al.num(-f.args[1].data)) for f in node.args if below(f)]
    if len(bottom) < 2 or not any(b.kind == "add" for b in bottom):
        return node
    top = [f for f in node.args if not below(f)]
    together = expand(al.mul(*bottom))
    if together.kind != "add":
        return node
    candidate = al.mul(*top, al.power(factor_sum(together), al.MINUS_ONE))
    return candidate if operations(candidate) < operations(node) else node


def _product(factor: Expr, inner: Expr) -> Expr:
    c, rest = al.split(factor)
    if inner.kind == "add" and c == -1 and rest is al.ONE:
        return al.neg(inner)
    return al.mul(factor, inner)


def _common_coefficient(coefficients: list[Any]) -> Any:
    """The largest rational that divides every coefficient (with the sign they all share)."""
    if not all(isinstance(c, Fraction) for c in coefficients):
        return 1
    numerators = math.gcd(*(c.numerator for c in coefficients))
    denominators = math.lcm(*(c.denominator for c in coefficients))
    g = Fraction(numerators, denominators)
    if all(c < 0 for c in coefficients):
        g = -g
    return g if g != 0 else 1


def substitute(expr: Expr, values: dict[str, Expr]) -> Expr:
    """The expression with variables replaced (by name), simplified as it is rebuilt."""
    def visit(node: Expr, args: tuple[Expr, ...]) -> Expr:
        if node.kind == "var" and node.data in values:
            return values[node.data]
        if args and any(a is not b for a, b in zip(args, node.args)):
            return reconstruct(node, args)
        return node

    return rebuild(expr, visit)


def explicit_ones(root: Expr) -> Expr:
    """Arrays of ones that broadcasting cannot say — the seed of a contraction, where it meets a
    function that is not element-wise (tril, cumsum, solve) — written out as ones(n, m) at
    their shapes. Only for shapes that are the user's own (--at): a sample's size is no
    formula's."""
    def repeated(a: Expr) -> bool:  # an array repeated to a shape as numpy broadcasts it
        if a.kind != "bcast":
            return False
        try:
            return np.broadcast_shapes(a.args[0].shape, a.shape) == a.shape
        except ValueError:
            return False

    def visit(node: Expr, args: tuple[Expr, ...]) -> Expr:
        if node.kind == "call" and not al.elementwise(node.name) and any(map(repeated, args)):
            args = tuple(al.mul(a.args[0], make("ones", (), a.shape, a.shape))
                         if repeated(a) else a for a in args)
            return al.call(node.name, args, node.params)
        if args and any(a is not b for a, b in zip(args, node.args)):
            return reconstruct(node, args)
        return node

    return rebuild(root, visit)
