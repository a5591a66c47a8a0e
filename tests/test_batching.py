"""Jacobians and Hessians by batched sweeps (adcli/engine/batching.py, adcli/ops/batching.py):
one pass seeded with identity rows instead of one pass per row, with the numbers of the passes
one at a time (tests/test_jacobian_hessian.py checks them against torch)."""

from __future__ import annotations

import numpy as np
import pytest

import adcli as ad
from adcli import functional
from adcli.engine.batching import BATCHING
from adcli.engine.tensor import rules_applied

RNG = np.random.default_rng(3)
A = RNG.normal(size=(40, 40))
X = RNG.normal(size=40)


def f(x):
    return ad.sin(A @ x) * ad.sum(x * x) + ad.logsumexp(x)


def row_by_row(function, x):
    """The Jacobian one backward pass per row, as adcli computed it before batching."""
    out, pull = ad.vjp(function, x)
    rows = []
    for k in range(out.data.size):
        seed = np.zeros(out.data.size)
        seed[k] = 1
        rows.append(pull(seed.reshape(out.shape))[0].numpy())
    return np.stack(rows)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_a_jacobian_is_one_sweep_with_the_numbers_of_one_pass_per_row(mode):
    before = rules_applied()
    jacobian = ad.jacobian(f, mode=mode)(X).numpy()
    rules = rules_applied() - before
    np.testing.assert_allclose(jacobian, row_by_row(f, X), rtol=1e-13, atol=1e-13)
    assert rules < 40  # each rule ran once on the stack of 40 rows, not 40 times


@pytest.mark.parametrize("mode", ["forward-over-reverse", "reverse-over-reverse"])
def test_a_hessian_is_one_sweep_per_variable(mode):
    g = ad.grad(lambda x: ad.sum(f(x)))
    before = rules_applied()
    hessian = ad.hessian(lambda x: ad.sum(f(x)), mode=mode)(X).numpy()
    assert rules_applied() - before < 200  # one pass per element would be thousands
    np.testing.assert_allclose(hessian, row_by_row(g, X), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(hessian, hessian.T, rtol=1e-10, atol=1e-10)


def test_large_stacks_go_in_chunks(monkeypatch):
    whole = ad.jacobian(f)(X).numpy()
    monkeypatch.setattr(functional, "CHUNK_ELEMENTS", 7 * 40)  # 7 rows of 40 at a time
    np.testing.assert_array_equal(ad.jacobian(f)(X).numpy(), whole)
    np.testing.assert_array_equal(ad.jacobian(f, mode="forward")(X).numpy(),
                                  ad.jacobian(f, mode="forward")(X).numpy())


def test_a_primitive_without_a_batching_rule_runs_once_per_row(monkeypatch):
    whole = ad.jacobian(f)(X).numpy()
    for name in ("matmul", "sum", "logsumexp", "mul", "sin"):
        monkeypatch.delitem(BATCHING, name)
    np.testing.assert_array_equal(ad.jacobian(f)(X).numpy(), whole)


def test_the_cli_jacobian_and_hessian_agree_with_the_python_api(adcli):
    run = adcli("jacobian", "sin(A @ x)", "--at", "A=[[1,2],[3,4]]", "--at", "x=[0.5,1]",
                "--wrt", "x", "--json")
    a, x = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, 1.0])
    assert run.json()["jacobian"]["x"] == (np.cos(a @ x)[:, None] * a).tolist()
    run = adcli("hessian", "logsumexp(x)", "--at", "x=[0, 1, 2]", "--json")
    s = np.exp([0.0, 1.0, 2.0]) / np.exp([0.0, 1.0, 2.0]).sum()
    np.testing.assert_allclose(run.json()["hessian"]["x"]["x"], np.diag(s) - np.outer(s, s),
                               rtol=1e-12, atol=1e-15)


def test_a_graph_with_a_primitive_not_read_for_batching_goes_one_pass_at_a_time(monkeypatch):
    # its rules might look inside an adjoint (`g.data`): such a graph is not batched at all
    whole = ad.jacobian(f)(X).numpy()
    monkeypatch.delitem(BATCHING, "sin")
    before = rules_applied()
    np.testing.assert_array_equal(ad.jacobian(f)(X).numpy(), whole)
    assert rules_applied() - before > 40  # one backward pass per row


def test_every_primitive_has_a_batching_rule_or_is_listed_as_lacking_one():
    from adcli.ops import PRIMITIVES
    from adcli.ops.batching import ONE_AT_A_TIME

    missing = set(PRIMITIVES) - set(BATCHING) - set(ONE_AT_A_TIME)
    assert not missing, f"add a rule to adcli/ops/batching.py or list in ONE_AT_A_TIME: {missing}"
    assert not set(ONE_AT_A_TIME) & set(BATCHING)  # a rule was added: take it off the list


NEW_ELEMENTWISE = ["square", "reciprocal", "exp2", "cbrt", "asinh", "atanh", "sec", "csc", "cot",
                   "sinc", "erf", "erfc", "lgamma", "digamma", "floor", "ceil", "round"]


@pytest.mark.parametrize("text, name", [(f"{n}(x*0.3 + 0.1)", n) for n in NEW_ELEMENTWISE] + [
    ("acosh(x*x + 1.5)", "acosh"), ("hypot(x, 2*x + 1)", "hypot"), ("atan2(x, x*x + 1)", "atan2"),
    ("logaddexp(x, 3*x)", "logaddexp"), ("mod(x*x, 0.7) + x", "mod"),
    ("polygamma(1, x*x + 1)", "polygamma")], ids=str)
def test_batched_jacobians_and_hessians_of_the_new_rules_are_the_row_by_row_ones(
        adcli, monkeypatch, text, name):
    at = ("--at", "x=[0.25, -0.5, 1.5, 0.75]")

    def both() -> tuple[list, list]:
        jacobian = adcli("jacobian", text, *at, "--json").json()["jacobian"]["x"]
        hessian = adcli("hessian", f"sum({text})", *at, "--json").json()["hessian"]["x"]["x"]
        return jacobian, hessian

    before = rules_applied()
    batched = both()
    batched_rules = rules_applied() - before
    monkeypatch.delitem(BATCHING, name)  # then the graph goes one pass per row
    before = rules_applied()
    rows = both()
    assert rules_applied() - before > batched_rules  # the rule was used
    for got, expected in zip(batched, rows):
        np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(expected, dtype=float),
                                   rtol=1e-12, atol=1e-14, err_msg=text)


def test_a_count_of_a_stack_is_each_values_count():
    from adcli.engine.batching import Batch, apply_batched
    from adcli.ops import PRIMITIVES

    stack = Batch(np.zeros((3, 2, 5)))
    assert apply_batched(PRIMITIVES["size"], [stack], {"axis": 1}).data.tolist() == [5, 5, 5]
    assert apply_batched(PRIMITIVES["size"], [stack], {}).data.tolist() == [10, 10, 10]
