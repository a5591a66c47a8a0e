"""Random scalar formulas in adcli's language, derandomized (a seed gives one formula), for the
tests of `adcli diff`: against sympy (test_diff_sympy.py) and against `adcli grad`
(test_diff.py). Every element-wise function and operator appears; exponents include fractions,
negatives and the variable itself."""

from __future__ import annotations

import random

from adcli.language.parser import parse
from adcli.ops import FUNCTIONS
from adcli.symbolic.algebra import elementwise

# Every element-wise function of one number the registry has (a new one joins by itself).
UNARY = sorted(name for name, f in FUNCTIONS.items()
               if f.arity == 1 and not f.params and not f.constructor and elementwise(name)
               and name != "detach")
# The ones random formulas compose: not steps (floor: a derivative of 0 between jumps that a
# numeric check straddles), the special functions (poles, and sympy slow on them) or cbrt (a
# real root sympy writes with sign and abs); each is checked alone (test_diff_sympy.py).
COMPOSED = tuple(n for n in UNARY if n not in {"floor", "ceil", "round", "lgamma", "digamma",
                                               "cbrt", "sinc"})
CONSTANTS = ("2", "3", "0.5", "1", "1.5", "pi")
EXPONENTS = ("2", "3", "0.5", "-1", "(-2)", "1.5")


def formula(rng: random.Random, depth: int, names: tuple[str, ...] = ("x", "y")) -> str:
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(names) if rng.random() < 0.75 else rng.choice(CONSTANTS)
    kind = rng.random()
    if kind < 0.4:
        return f"{rng.choice(COMPOSED)}({formula(rng, depth - 1, names)})"
    if kind < 0.85:
        op = rng.choice(["+", "-", "*", "/"])
        left, right = formula(rng, depth - 1, names), formula(rng, depth - 1, names)
        while op in "-/" and right == left:  # x - x and x/x: constants, and 1/(x - x) is 1/0
            right = formula(rng, depth - 1, names)
        return f"({left} {op} {right})"
    exponent = rng.choice([*EXPONENTS, names[0]])
    return f"({formula(rng, depth - 1, names)})^{exponent}"


def formulas(count: int, seed: int, depth: int = 3) -> list[str]:
    """`count` different formulas that use x, from one seed."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        text = formula(rng, depth)
        if "x" in parse(text).variables:
            found.setdefault(text)
    return list(found)
