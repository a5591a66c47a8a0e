"""`adcli diff` against sympy, the oracle: every registry function's derivative, and 500
derandomized random formulas, each `simplify(adcli − sympy.diff) == 0` — or, where sympy
cannot decide, equal at random points.

sympy is not a dependency of adcli (only these tests and benchmarks/bench_diff.py use it); the
tests skip without it, unless ADCLI_REQUIRE_SYMPY=1 (.ci/run sets it): then they fail.
"""

from __future__ import annotations

import math
import os
import signal
from contextlib import contextmanager
from types import ModuleType
from typing import Any, Iterator

import numpy as np
import pytest

from adcli.calculations import bind_point, derivative, gradient
from adcli.errors import ComputeError
from adcli.engine import make_leaf
from adcli.language.evaluate import evaluate
from adcli.language.parser import parse
from adcli.ops import FUNCTIONS
from formulas import COMPOSED, UNARY, formulas
from sympy_oracle import to_sympy, twins

SIMPLIFY_SECONDS = 1  # sympy's simplify on one difference, before it counts as undecided
POINTS = 6


@pytest.fixture(scope="module")
def sp() -> ModuleType:
    if os.environ.get("ADCLI_REQUIRE_SYMPY") != "1":
        return pytest.importorskip("sympy", reason="sympy is not installed (pip install sympy)")
    try:
        import sympy
    except ImportError as error:
        pytest.fail(f"ADCLI_REQUIRE_SYMPY=1 but sympy cannot be imported ({error})",
                    pytrace=False)
    return sympy


class _Late(Exception):
    pass


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def late(signum: int, frame: Any) -> None:
        raise _Late

    previous = signal.signal(signal.SIGALRM, late)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def decided_zero(sp: Any, difference: Any) -> bool:
    """Whether sympy proves the difference 0: as built, expanded, over one denominator, or
    simplified in time (the cheap ways first: simplify takes most of this file's time)."""
    try:
        if difference == 0 or sp.expand(difference) == 0:
            return True
        with deadline(SIMPLIFY_SECONDS):
            return bool(sp.cancel(difference) == 0 or sp.simplify(difference) == 0)
    except _Late:
        return False
    except (TypeError, ValueError):  # sympy's own failures (a nan compared inside simplify):
        return False  # the numeric comparison decides


def adcli_value(text: str, point: dict[str, float]) -> float:
    formula = parse(text)
    env = {n: make_leaf(np.array(point[n])) for n in formula.variables}
    return float(evaluate(formula, env).data)


def equal_at_points(sp: Any, source: str, ours: str, theirs: Any, function: Any,
                    variable: str, symbols: dict[str, Any], seed: int) -> str:
    """'' when adcli's formula (evaluated by adcli) and sympy's derivative (by mpmath) agree
    wherever both are finite and real at random points (at least one such point); else what
    differs. Where sympy's derivative cannot be evaluated (an unevaluated Derivative, zoo),
    mpmath's numeric derivative of f takes its place."""
    import mpmath

    rng = np.random.default_rng(seed)
    names = list(symbols)
    # sympy's derivative of sign is 2·DiracDelta(x): 0 wherever it is a number
    modules = [{"DiracDelta": lambda *args: 0}, "mpmath"]
    try:
        g = sp.lambdify([symbols[n] for n in names], theirs, modules)
    except Exception:  # noqa: BLE001  (sympy's printers raise several kinds)
        whole = sp.lambdify([symbols[n] for n in names], function, modules)
        k = names.index(variable)

        def g(*point: float) -> Any:
            def along(t: Any) -> Any:
                return whole(*point[:k], t, *point[k + 1:])

            with mpmath.workdps(40):
                return mpmath.diff(along, point[k])
    compared = inside = sympy_failed = 0
    for _ in range(200):
        point = [float(v) for v in rng.uniform(-2.0, 2.0, len(names))]
        if not math.isfinite(adcli_value(source, dict(zip(names, point)))):
            continue  # outside f's own (real) domain
        inside += 1
        a = adcli_value(ours, dict(zip(names, point)))
        try:
            b = complex(g(*point))
        except (ZeroDivisionError, ValueError, TypeError, OverflowError, NameError):
            b = complex(math.nan)
        if not (math.isfinite(b.real) and math.isfinite(b.imag)) or \
                abs(b.imag) > 1e-9 * (1 + abs(b.real)):
            sympy_failed += math.isfinite(a)
            continue
        if not math.isfinite(a):
            continue
        if abs(a - b.real) > 1e-7 * (1 + abs(b.real)):
            return f"at {dict(zip(names, point))}: adcli's {a} against sympy's {b.real}"
        compared += 1
        if compared == POINTS:
            break
    # No comparison possible: f is defined on too small a part of [-2, 2] to be sampled, or
    # sympy's derivative is nan where adcli's is a number (d/dx exp(0^x), 0 for x > 0).
    if compared or inside == 0 or sympy_failed:
        return ""
    return "no point where both are finite"


def check(sp: Any, text: str, seed: int) -> list[str]:
    result = derivative(parse(text))
    symbols: dict[str, Any] = {}
    f = to_sympy(text, sp, symbols)
    # sympy's exact pi lands on a pole (csc(pi) = zoo) that adcli's float pi misses
    float_pi = f.has(sp.zoo, sp.nan)
    if float_pi:
        f = to_sympy(text, sp, symbols, float_pi=True)
    problems = []
    for partial in result.partials:
        theirs = sp.diff(f, symbols[partial.wrt[0]])
        ours = to_sympy(partial.text, sp, symbols, float_pi=float_pi)
        if not theirs.has(sp.Derivative) and decided_zero(sp, ours - theirs):
            continue
        found = equal_at_points(sp, text, partial.text, theirs, f, partial.wrt[0], symbols,
                                seed)
        if found:
            problems.append(f"∂/∂{partial.wrt[0]} of {text}: adcli {partial.text}; sympy "
                            f"{theirs}; {found}")
    return problems


# -- every function ------------------------------------------------------------------------------

# Functions of numbers, beyond the element-wise ones of one argument: a formula that uses each.
SCALAR_CASES = {
    "where": "where(x > 0.5, x^2, sin(x))", "maximum": "maximum(x, cos(x))",
    "minimum": "minimum(x^2, 0.5)", "clip": "clip(x^3, -0.5, 0.5)",
    "pow": "pow(x, y) + pow(2, x)", "hypot": "hypot(x, y^2)", "atan2": "atan2(y, x + 2)",
    "logaddexp": "logaddexp(x, y*x)", "mod": "mod(x^2, y + 3)", "polygamma": "polygamma(1, x + 2)",
}
# Functions of arrays: a formula, a point, and the formula on the point's elements in sympy
# (x0, x1, … for x; A00, A01, … for A), whose gradient is what adcli's formula must give there.
VECTOR_CASES: dict[str, tuple[str, dict[str, Any], Any]] = {
    "sum": ("sum(x^2)", {"x": [0.5, -1.0, 2.0]}, lambda s, x: sum(v ** 2 for v in x)),
    "mean": ("mean(sin(x))", {"x": [0.5, -1.0, 2.0]}, lambda s, x: sum(map(s.sin, x)) / 3),
    "prod": ("prod(x)", {"x": [0.5, -1.0, 2.0]}, lambda s, x: x[0] * x[1] * x[2]),
    "max": ("max(x*x)", {"x": [0.5, -1.0, 2.0]}, lambda s, x: x[2] ** 2),
    "min": ("min(x)", {"x": [0.5, -1.0, 2.0]}, lambda s, x: x[1]),
    "norm": ("norm(x)", {"x": [0.5, -1.0, 2.0]}, lambda s, x: s.sqrt(sum(v ** 2 for v in x))),
    "logsumexp": ("logsumexp(x)", {"x": [0.5, -1.0, 2.0]},
                  lambda s, x: s.log(sum(map(s.exp, x)))),
    "softmax": ("dot(softmax(x), [1, 2, 3])", {"x": [0.5, -1.0, 2.0]},
                lambda s, x: sum((i + 1) * s.exp(v) for i, v in enumerate(x))
                / sum(map(s.exp, x))),
    "dot": ("dot(x, x)", {"x": [0.5, -1.0, 2.0]}, lambda s, x: sum(v * v for v in x)),
    "outer": ("sum(outer(x, sin(x)))", {"x": [0.5, -1.0, 2.0]},
              lambda s, x: sum(x) * sum(map(s.sin, x))),
    "matmul": ("dot(x, [[1, 2, 0], [0, 1, 3], [1, 0, 1]] @ x)", {"x": [0.5, -1.0, 2.0]},
               lambda s, x: (x[0] * (x[0] + 2 * x[1]) + x[1] * (x[1] + 3 * x[2])
                             + x[2] * (x[0] + x[2]))),
    # x·(Mᵀx) with M = [[1, 2, 0], [0, 1, 3], [1, 0, 1]]: the gradient is (M + Mᵀ)x
    "transpose": ("dot(x, transpose([[1, 2, 0], [0, 1, 3], [1, 0, 1]]) @ x)",
                  {"x": [0.5, -1.0, 2.0]},
                  lambda s, x: (x[0] * (x[0] + x[2]) + x[1] * (2 * x[0] + x[1])
                                + x[2] * (3 * x[1] + x[2]))),
    "size": ("size(x)*sum(x)", {"x": [0.5, -1.0, 2.0]}, lambda s, x: 3 * sum(x)),
    # issue 11's vocabulary: an array's value is contracted with ones, as adcli grad does
    "cumsum": ("cumsum(x)", {"x": [0.5, -1.0, 2.0]}, lambda s, x: 3 * x[0] + 2 * x[1] + x[2]),
    "cumprod": ("cumprod(x)", {"x": [0.5, -1.0, 2.0]},
                lambda s, x: x[0] + x[0] * x[1] + x[0] * x[1] * x[2]),
    "det": ("det(A)", {"A": [[2.0, 1.0], [0.5, 3.0]]}, lambda s, a: a[0] * a[3] - a[1] * a[2]),
    "inv": ("inv(A)", {"A": [[2.0, 1.0], [0.5, 3.0]]},
            lambda s, a: sum(s.Matrix(2, 2, a).inv())),
    "solve": ("solve(A, [1, 2])", {"A": [[2.0, 1.0], [0.5, 3.0]]},
              lambda s, a: sum(s.Matrix(2, 2, a).LUsolve(s.Matrix([1, 2])))),
    "trace": ("trace(A)", {"A": [[2.0, 1.0], [0.5, 3.0]]}, lambda s, a: a[0] + a[3]),
    "diag": ("diag(x) @ [1, 2, 3]", {"x": [0.5, -1.0, 2.0]},
             lambda s, x: x[0] + 2 * x[1] + 3 * x[2]),
    "tril": ("tril(A)", {"A": [[2.0, 1.0], [0.5, 3.0]]}, lambda s, a: a[0] + a[2] + a[3]),
    "triu": ("triu(A)", {"A": [[2.0, 1.0], [0.5, 3.0]]}, lambda s, a: a[0] + a[1] + a[3]),
    "cross": ("cross(x, [1, 2, 3])", {"x": [0.5, -1.0, 2.0]},
              lambda s, x: (3 * x[1] - 2 * x[2]) + (x[2] - 3 * x[0]) + (2 * x[0] - x[1])),
    "kron": ("kron(x, [1, 2])", {"x": [0.5, -1.0, 2.0]}, lambda s, x: 3 * sum(x)),
    "einsum": ("einsum('ij,j->i', A, [1, 2])", {"A": [[2.0, 1.0], [0.5, 3.0]]},
               lambda s, a: a[0] + 2 * a[1] + a[2] + 2 * a[3]),
    "tensordot": ("tensordot(A, A, axes=2)", {"A": [[2.0, 1.0], [0.5, 3.0]]},
                  lambda s, a: sum(v * v for v in a)),
    "reshape": ("reshape(x, [3, 1]) * [[1], [2], [3]]", {"x": [0.5, -1.0, 2.0]},
                lambda s, x: x[0] + 2 * x[1] + 3 * x[2]),
    "flatten": ("dot(flatten(A), [1, 2, 3, 4])", {"A": [[2.0, 1.0], [0.5, 3.0]]},
                lambda s, a: a[0] + 2 * a[1] + 3 * a[2] + 4 * a[3]),
    "concat": ("dot(concat(x, x^2), [1, 2, 3, 4, 5, 6])", {"x": [0.5, -1.0, 2.0]},
               lambda s, x: x[0] + 2 * x[1] + 3 * x[2] + 4 * x[0] ** 2 + 5 * x[1] ** 2
               + 6 * x[2] ** 2),
    "stack": ("stack(x, x^2, axis=1) @ [1, 2]", {"x": [0.5, -1.0, 2.0]},
              lambda s, x: sum(v + 2 * v ** 2 for v in x)),
    "roll": ("dot(roll(x, 1), [1, 2, 3])", {"x": [0.5, -1.0, 2.0]},
             lambda s, x: x[2] + 2 * x[0] + 3 * x[1]),
    "flip": ("dot(flip(x), [1, 2, 3])", {"x": [0.5, -1.0, 2.0]},
             lambda s, x: x[2] + 2 * x[1] + 3 * x[0]),
    "sort": ("dot(sort(x), [1, 2, 3])", {"x": [0.5, -1.0, 2.0]},
             lambda s, x: x[1] + 2 * x[0] + 3 * x[2]),
    "var": ("var(x)", {"x": [0.5, -1.0, 2.0]},
            lambda s, x: sum((v - sum(x) / 3) ** 2 for v in x) / 2),
    "std": ("std(x)", {"x": [0.5, -1.0, 2.0]},
            lambda s, x: s.sqrt(sum((v - sum(x) / 3) ** 2 for v in x) / 2)),
    "detach": ("detach(x)*x", {"x": [0.5, -1.0, 2.0]},
               lambda s, x: sum(v * c for v, c in zip(x, (0.5, -1.0, 2.0)))),
}


def test_every_function_has_a_case():
    differentiable = {name for name, f in FUNCTIONS.items() if not f.constructor}
    covered = set(UNARY) | set(SCALAR_CASES) | set(VECTOR_CASES)
    assert differentiable <= covered, f"add a case for {sorted(differentiable - covered)}"


@pytest.mark.parametrize("name", UNARY)
def test_each_element_wise_function_has_sympys_derivative(sp, name):
    assert sp is not None
    assert name in twins(sp), f"no sympy twin for {name}: add it to tests/sympy_oracle.py"
    assert check(sp, f"{name}(x)", seed=1) == []
    assert check(sp, f"{name}(x^2 + 0.25)", seed=2) == []  # with the chain rule


@pytest.mark.parametrize("name, text", SCALAR_CASES.items(), ids=list(SCALAR_CASES))
def test_each_function_of_several_numbers_has_sympys_derivative(sp, name, text):
    assert check(sp, text, seed=3) == []


# Derivatives with no index-free form adcli can write (a gradient scattered by a permutation, a
# Kronecker block): `diff` says so, and the rule's numbers are still held to sympy's.
NO_FORMULA = {"sort"}  # its rule computes a permutation from the values


@pytest.mark.parametrize("name", sorted(VECTOR_CASES))
def test_each_function_of_arrays_has_sympys_gradient(sp, name):
    text, point, twin = VECTOR_CASES[name]
    values = {n: np.array(v, dtype=np.float64) for n, v in point.items()}
    symbols = {n: [sp.Symbol(f"{n}{i}", real=True) for i in range(np.size(v))]
               for n, v in point.items()}
    (variable,) = point
    f = twin(sp, symbols[variable])
    where = dict(zip(symbols[variable], values[variable].ravel()))
    expected = np.array([float(sp.diff(f, s).subs(where)) for s in symbols[variable]])
    formula = parse(text)
    try:
        result = derivative(formula, bind_point(formula, given=values))
    except ComputeError as error:
        assert name in NO_FORMULA and error.kind == "no-formula", f"{text}: {error.message}"
        got = gradient(bind_point(formula, given=values)).gradient[variable]
    else:
        assert name not in NO_FORMULA, f"{text} has a formula now: take it off NO_FORMULA"
        (partial,) = result.partials
        got = partial.value
    np.testing.assert_allclose(np.broadcast_to(got, values[variable].shape).ravel(), expected,
                               rtol=1e-12, atol=1e-12, err_msg=text)


# -- random formulas -----------------------------------------------------------------------------

RANDOM = formulas(500, seed=20261202)
CHUNK = 50


@pytest.mark.parametrize("start", range(0, len(RANDOM), CHUNK),
                         ids=lambda s: f"formulas {s}-{s + CHUNK - 1}")
def test_random_formulas_have_sympys_derivative(sp, start):
    problems = []
    for i, text in enumerate(RANDOM[start:start + CHUNK], start=start):
        problems.extend(check(sp, text, seed=i))
    assert problems == []


def test_the_random_formulas_are_500_and_use_every_element_wise_function():
    assert len(set(RANDOM)) == 500
    used = {name for name in COMPOSED if any(f"{name}(" in text for text in RANDOM)}
    assert used == set(COMPOSED)
