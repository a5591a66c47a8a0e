"""`--each` records a formula's graph at its first point and runs it again at the next ones of
the same shape (adcli/calculations/replay.py). The answers must be the evaluator's and the
backward pass's bit for bit, and a formula whose graph could change with the values must never
be replayed."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from adcli.calculations import bind_point, gradient, value
from adcli.calculations.replay import Repeated, repeatable
from adcli.language.parser import parse
from adcli.ops import FUNCTIONS

from formulas import UNARY, formulas

# zeros of both signs, ties, negatives, and the non-finite numbers: where the rules branch
EDGES = [0.0, -0.0, 1.0, 1.0, -2.5, 0.5, 1e-300, np.nan, np.inf, -np.inf, 3.0, -1.0]


def _points(text: str, count: int, size: int, seed: int) -> list:
    """`count` points of one shape: x and y vectors of `size`, A a size×size matrix."""
    formula = parse(text)
    rng = np.random.default_rng(seed)
    points = []
    for k in range(count):
        given = {}
        for name in formula.variables:
            shape = (size, size) if name == "A" else (size,)
            values = rng.normal(size=shape) * 2
            if k % 2:  # every other point takes its numbers from the edges
                values = rng.choice(EDGES, size=shape)
            given[name] = values
        points.append(bind_point(formula, [], given=given, seed=k if k % 3 == 0 else None))
    return points


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _check(text: str, count: int = 6, size: int = 4, seed: int = 0) -> Repeated:
    repeated = Repeated()
    for point in _points(text, count, size, seed):
        ours, theirs = repeated.gradient(point), gradient(point)
        assert _same(ours.value, theirs.value), (text, point.at)
        assert ours.wrt == theirs.wrt
        assert (ours.run.seed, ours.run.draws, ours.run.path) == \
            (theirs.run.seed, theirs.run.draws, theirs.run.path)  # the seed, said when given
        for name in theirs.wrt:
            assert _same(ours.gradient[name], theirs.gradient[name]), (text, name, point.at)
    evaluating = Repeated()
    for point in _points(text, 3, size, seed + 1):
        assert _same(evaluating.value(point).value, value(point).value), text
    return repeated


@pytest.mark.parametrize("name", UNARY)
def test_every_elementwise_function_replays_bit_for_bit(name):
    repeated = _check(f"{name}(x) * y")
    assert repeated.repeatable and repeated.trace is not None


@pytest.mark.parametrize("text", formulas(60, seed=15, depth=4))
def test_random_formulas_replay_bit_for_bit(text):
    _check(text, seed=len(text))


ARRAYS = [
    "dot(x, y) + sum(x * y, axis=0)", "max(x) * min(y)", "maximum(x, y) - minimum(x, y)",
    "prod(x)", "sort(x) · y", "norm(x) + logsumexp(y)", "where(x > 0, x, y)", "clip(x, -1, 1)",
    "x[1:3] * y[0]", "[x[0], y[1]] · x[0:2]", "einsum('i,i->', x, y)", "A @ x", "det(A)",
    "sum(A, axis=1) · x", "x^y", "abs(x)^0.5", "mean(x) * var(y)", "cumsum(x) · y",
    "outer(x, y)[1]", "softmax(x) · y", "2x^2 y + pi", "-x / (1 + y*y)", "detach(x) * y",
    "max(x, y) · min(y, x)", "sum(x, axis=-1) * y",
]


@pytest.mark.parametrize("text", ARRAYS)
def test_array_functions_replay_bit_for_bit(text):
    repeated = _check(text)
    assert repeated.repeatable


def test_every_function_is_one_primitive_or_the_formula_is_not_replayed():
    # a composite function could decide something on the values in Python: repeatable() would
    # refuse it; today every function is a primitive, so every one of them may be replayed
    assert all(repeatable(parse(f"{name}(x)")) for name, f in FUNCTIONS.items()
               if f.arity == 1 and not f.params and not f.constructor)


@pytest.mark.parametrize("text", [
    "x[k]", "sum(A, axis=k) · x", "x * (0..n)", "x * rand(2)", "roll(x, k)",
    "x[0:k] · x[0:k]",
])
def test_a_graph_that_depends_on_the_values_is_never_replayed(text):
    assert not repeatable(parse(text))


def test_an_index_that_changes_from_point_to_point_is_read_at_each():
    repeated = Repeated()
    formula = parse("x[k] * 10")
    for k in (0, 1, 2, 1):
        point = bind_point(formula, [], given={"x": np.array([1.0, 2.0, 3.0]),
                                               "k": np.array(float(k))})
        answer = repeated.gradient(point)
        assert float(answer.value) == 10.0 * (k + 1)
        assert answer.gradient["x"].tolist() == [10.0 if i == k else 0.0 for i in range(3)]


def test_a_new_shape_records_again():
    repeated = Repeated()
    formula = parse("sum(x * x)")
    for x in ([1.0, 2.0], [1.0, 2.0, 3.0], [3.0], [4.0, 5.0, 6.0]):
        answer = repeated.gradient(bind_point(formula, [], given={"x": np.array(x)}))
        assert float(answer.value) == sum(v * v for v in x)
        assert answer.gradient["x"].tolist() == [2 * v for v in x]
        assert repeated.shapes[0][1] == (len(x),)


def test_a_point_drawn_at_random_is_computed_as_usual():
    formula = parse("x * y")
    point = bind_point(formula, ["x=randn(3)"], given={"y": np.ones(3)}, seed=7)
    repeated = Repeated()
    for _ in range(2):
        assert _same(repeated.gradient(point).gradient["y"], gradient(point).gradient["y"])
    assert repeated.trace is None


def test_each_writes_what_one_point_at_a_time_writes(adcli):
    rng = random.Random(4)
    rows = [{"x": [rng.uniform(-3, 3) for _ in range(3)], "y": rng.uniform(-2, 2)}
            for _ in range(5)]
    rows[2]["x"][1] = 0.0  # log(0): -inf in the value, nan in the gradient
    text = "log(x*x) · sin(x) * y + 1/y"
    batch = adcli("grad", text, "--each", "-", stdin="".join(json.dumps(r) + "\n" for r in rows))
    assert batch.code == 0
    for number, (line, row) in enumerate(zip(batch.out.splitlines(), rows), start=1):
        alone = adcli("grad", text, "--at", f"x={row['x']}", "--at", f"y={row['y']}", "--json")
        expected = json.loads(alone.out)
        expected["line"] = number
        assert json.loads(line) == expected
