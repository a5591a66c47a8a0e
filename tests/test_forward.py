"""Forward mode: every primitive's JVP rules against its VJP rules, and the dual numbers.

A JVP rule and a VJP rule describe one derivative J from its two sides, so for any tangent t
and cotangent g, ⟨g, J t⟩ = ⟨Jᵀ g, t⟩ (the dot-product test). Hypothesis draws the inputs of
every differentiable primitive, the tangent and the cotangent; each input's JVP contribution
must be shaped like the output, its VJP like the input, and the two inner products must agree.
Where the rules meet nan and ±inf, tests/test_jacobian_hessian.py holds them to torch's.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import adcli as ad
from adcli.engine import apply, no_grad
from adcli.engine.forward import Dual, new_level
from adcli.engine.tensor import rules_applied
from adcli.ops import FUNCTIONS, PRIMITIVES
from adcli.ops.registry import defprim

Rng = np.random.Generator
Case = Callable[[Rng], tuple[list[Any], dict[str, Any]]]


def _u(lo: float, hi: float, *shape: int) -> Callable[[Rng], np.ndarray]:
    return lambda rng: rng.uniform(lo, hi, shape)


def _away(*shape: int) -> Callable[[Rng], np.ndarray]:
    """Values in ±[0.5, 2]: a divisor, a norm, a product without zeros."""
    return lambda rng: rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def _args(*makers: Any, **params: Any) -> Case:
    return lambda rng: ([m(rng) if callable(m) else m for m in makers], params)


# Domains where each function is smooth (kinks and ties have probability zero).
UNARY = {"neg": (-3, 3), "exp": (-2, 2), "log": (0.5, 3), "log2": (0.5, 3), "log10": (0.5, 3),
         "log1p": (-0.5, 2), "expm1": (-2, 2), "sqrt": (0.5, 3), "sin": (-3, 3), "cos": (-3, 3),
         "tan": (-1, 1), "asin": (-0.9, 0.9), "acos": (-0.9, 0.9), "atan": (-3, 3),
         "sinh": (-2, 2), "cosh": (-2, 2), "tanh": (-2, 2), "abs": (-3, 3), "sign": (-3, 3),
         "relu": (-3, 3), "sigmoid": (-3, 3), "softplus": (-3, 3)}
CASES: dict[str, list[Case]] = {name: [_args(_u(lo, hi, 2, 3))] for name, (lo, hi) in UNARY.items()}
CASES.update({
    # b broadcasts along a's first axis, so the rules' unbroadcast and broadcast are exercised.
    **{name: [_args(_u(-2, 2, 2, 3), _u(-2, 2, 3)), _args(_u(-2, 2, 3), _u(-2, 2, 2, 3))]
       for name in ("add", "sub", "mul", "maximum", "minimum")},
    "div": [_args(_u(-2, 2, 2, 3), _away(3)), _args(_u(-2, 2), _away(2, 3))],
    "pow": [_args(_u(0.5, 2, 2, 3), _u(-2, 2, 3)), _args(_u(0.5, 2), _u(-2, 2, 3))],
    "where": [_args(lambda rng: rng.random((2, 3)) > 0.5, _u(-2, 2, 2, 3), _u(-2, 2, 3))],
    "clip": [_args(_u(-2, 2, 2, 3), _u(-1, -0.2, 3), _u(0.2, 1, 2, 1))],
    "dot": [_args(_u(-2, 2, 4), _u(-2, 2, 4))],
    "outer": [_args(_u(-2, 2, 3), _u(-2, 2, 2))],
    "matmul": [_args(_u(-2, 2, 2, 3), _u(-2, 2, 3)), _args(_u(-2, 2, 3), _u(-2, 2, 3, 2)),
               _args(_u(-2, 2, 2, 3), _u(-2, 2, 3, 4)), _args(_u(-2, 2, 3), _u(-2, 2, 3)),
               _args(_u(-2, 2, 2, 2, 3), _u(-2, 2, 3, 4))],
    "transpose": [_args(_u(-2, 2, 2, 3))],
    "swap_last": [_args(_u(-2, 2, 2, 3, 4))],
    "sum_to": [_args(_u(-2, 2, 2, 3), (1, 3)), _args(_u(-2, 2, 2, 3), (3,))],
    "broadcast_to": [_args(_u(-2, 2, 3), (2, 3)), _args(_u(-2, 2, 2, 1), (2, 3))],
    "reshape": [_args(_u(-2, 2, 2, 3), (3, 2))],
    "getitem": [_args(_u(-2, 2, 4, 3), (slice(1, 3), 0)), _args(_u(-2, 2, 4), (2,))],
    "scatter": [_args(_u(-2, 2, 2), (slice(1, 3),), (4,))],
    "stack": [_args(_u(-2, 2, 2), _u(-2, 2, 2), _u(-2, 2, 2))],
    # with zeros (about 3 in 10), where prod's rules need it
    "exclusive_products": [_args(lambda rng: rng.uniform(-2, 2, (3, 4)) * (rng.random((3, 4)) > .3),
                                 axis) for axis in (None, 0, 1)],
    "softmax": [_args(_u(-2, 2, 3, 4), axis=axis) for axis in (-1, 0)],
})
for _name in ("sum", "mean", "max", "min", "norm", "logsumexp"):
    CASES[_name] = [_args(_u(-2, 2, 3, 4), axis=axis) for axis in (None, 0, -1)]
# prod: no zero, one zero (exclusive products), and two zeros along the whole array.
CASES["prod"] = [_args(_away(3, 4), axis=axis) for axis in (None, 0, -1)] + [
    _args(lambda rng: np.array([[0.0, 1.5, -2.0], [0.5, 0.0, 1.2]]), axis=axis)
    for axis in (None, 0, 1)]

DIFFERENTIABLE = sorted(name for name, prim in PRIMITIVES.items() if prim.vjp is not None)


def test_every_differentiable_primitive_has_both_rules_and_a_case():
    for name, prim in PRIMITIVES.items():
        assert (prim.vjp is None) == (prim.jvp is None), name
        if isinstance(prim.vjp, tuple):
            assert [r is None for r in prim.vjp] == [r is None for r in prim.jvp], name
    assert sorted(CASES) == DIFFERENTIABLE


def test_a_primitive_with_only_one_kind_of_rule_is_refused():
    with pytest.raises(TypeError, match="or neither"):
        defprim("half_declared", np.sin, (lambda g, ans, x: g,), doc="", public=False)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(name=st.sampled_from(DIFFERENTIABLE), which=st.integers(0, 10), seed=st.integers(0, 2**32))
def test_jvp_and_vjp_rules_are_adjoint(name, which, seed):
    rng = np.random.default_rng(seed)
    prim = PRIMITIVES[name]
    inputs, params = CASES[name][which % len(CASES[name])](rng)
    ans = np.asarray(apply(prim, *inputs, **params))
    tensors = len(inputs) if prim.arity == -1 else prim.arity
    for k in range(tensors):
        if prim.vjp[k] is None:
            continue
        t = rng.normal(size=np.shape(inputs[k]))
        g = rng.normal(size=ans.shape)
        tangent = np.asarray(prim.jvp[k](t, ans, *inputs, **params))
        cotangent = np.asarray(prim.vjp[k](g, ans, *inputs, **params))
        assert tangent.shape == ans.shape, f"{name}: JVP of input {k}"
        assert cotangent.shape == np.shape(inputs[k]), f"{name}: VJP of input {k}"
        np.testing.assert_allclose(np.sum(g * tangent), np.sum(cotangent * t), rtol=1e-10,
                                   atol=1e-12, err_msg=f"{name}, input {k}")


# -- every function of the language: forward and reverse Jacobians agree ----------------------

FUNCTION_CASES = {
    "where": lambda x: ad.where(x > 0, ad.sin(x), x * x), "clip": lambda x: ad.clip(x, -1, 1),
    "maximum": lambda x: ad.maximum(x, ad.cos(x)), "minimum": lambda x: ad.minimum(x, ad.cos(x)),
    "dot": lambda x: ad.dot(x, ad.sin(x)), "outer": lambda x: ad.outer(x, ad.exp(x)),
    "matmul": lambda x: ad.matmul(ad.outer(x, x), ad.sin(x)),
    "transpose": lambda x: ad.transpose(ad.outer(x, ad.sin(x))),
    "detach": lambda x: ad.detach(x) * x,
}


@pytest.mark.parametrize("name", sorted(n for n, f in FUNCTIONS.items() if not f.constructor))
def test_forward_and_reverse_jacobians_agree_for_each_function(name):
    function = FUNCTIONS[name]
    lo, hi = UNARY.get(name, (-0.9, 0.9))
    f = FUNCTION_CASES.get(name, lambda x: function.apply(x))
    x = np.linspace(lo, hi, 5) + 0.01
    forward = ad.jacobian(f, mode="forward")(x).numpy()
    np.testing.assert_allclose(forward, ad.jacobian(f)(x).numpy(), rtol=1e-12, atol=1e-14)


# -- the dual numbers ------------------------------------------------------------------------


def test_dual_numbers_read_like_tensors():
    with new_level() as level:
        x = Dual(np.array([1.0, 2.0]), np.array([1.0, 0.0]), level)
        y = (2 * x ** 2 - 1 / x)[0] + x.sum() + ad.dot(x, x)
    assert isinstance(y, Dual)
    np.testing.assert_allclose(y.primal, 2 - 1 + 3 + 5)
    np.testing.assert_allclose(y.tangent, 4 + 1 + 1 + 2)


def test_forward_mode_records_no_tape():
    x = ad.tensor([0.5, 1.5])  # a constant tensor, as the formula language makes them
    with no_grad():
        value, tangent = ad.jvp(lambda x: ad.sum(ad.sin(x) * x), (x,), (np.ones(2),))
    assert value.op is None and value.inputs == () and not value.requires_grad
    np.testing.assert_allclose(tangent.item(), np.sum(np.cos([0.5, 1.5]) * [0.5, 1.5]
                                                       + np.sin([0.5, 1.5])))


def test_the_engine_counts_the_rules_it_applies():
    before = rules_applied()
    ad.jvp(lambda x: ad.sum(x * x), (np.arange(3.0),), (np.ones(3),))  # mul: 2 rules, sum: 1
    assert rules_applied() - before == 3
    before = rules_applied()
    ad.grad(lambda x: ad.sum(x * x))(np.arange(3.0))
    assert rules_applied() - before == 3


def test_jvp_checks_its_arguments():
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        ad.jvp(lambda a, b: a * b, (1.0, 2.0), (1.0,))
    with pytest.raises(ValueError, match="shape"):
        ad.jvp(ad.sin, (np.zeros(3),), (np.zeros(2),))
    with pytest.raises(ValueError, match="one number"):
        ad.grad(ad.sin)(np.zeros(3))
    with pytest.raises(ValueError, match="mode"):
        ad.jacobian(ad.sin, mode="sideways")


def test_jacobian_shapes_follow_jax_and_torch():
    def f(a: Any) -> Any:
        return ad.sum(ad.sin(a), 0)  # (2, 3) -> (3,)

    a = np.arange(6.0).reshape(2, 3)
    for mode in ("forward", "reverse"):
        j = ad.jacobian(f, mode=mode)(a).numpy()
        assert j.shape == (3, 2, 3)
        np.testing.assert_allclose(j[1], [[0, np.cos(1), 0], [0, np.cos(4), 0]], atol=1e-15)
