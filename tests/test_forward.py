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
         "relu": (-3, 3), "sigmoid": (-3, 3), "softplus": (-3, 3),
         "cbrt": (0.5, 3), "square": (-3, 3), "reciprocal": (0.5, 3), "exp2": (-2, 2),
         "asinh": (-3, 3), "acosh": (1.2, 3), "atanh": (-0.9, 0.9), "sec": (-1, 1),
         "csc": (0.5, 2.5), "cot": (0.5, 2.5), "sinc": (-2, 2), "floor": (-3, 3),
         "ceil": (-3, 3), "round": (-3, 3), "erf": (-2, 2), "erfc": (-2, 2), "lgamma": (0.5, 3),
         "digamma": (0.5, 3), "flatten": (-2, 2), "sort": (-2, 2), "flip": (-2, 2)}
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

def _square(n: int) -> Callable[[Rng], np.ndarray]:
    """A well-conditioned n×n matrix (det and inv are smooth there)."""
    return lambda rng: rng.uniform(-0.5, 0.5, (n, n)) + 2 * np.eye(n)


def _singular(rng: Rng) -> np.ndarray:
    u = rng.uniform(-1, 1, (3, 2))
    return u @ rng.uniform(-1, 1, (2, 3))  # rank 2: det's rules take the cofactors from minors


CASES.update({
    "polygamma": [_args(_u(0.5, 3, 2, 3), n=n) for n in (0, 1, 2)],
    "hypot": [_args(_away(2, 3), _away(3))],
    "atan2": [_args(_away(2, 3), _away(3)), _args(_away(3), _away(2, 3))],
    "logaddexp": [_args(_u(-2, 2, 2, 3), _u(-2, 2, 3))],
    "mod": [_args(_u(0.1, 0.9, 2, 3), _u(1, 2, 3)), _args(_u(-3, -2.1, 3), _u(-2, -1.1, 2, 3))],
    "floor_divide": [],
    "var": [_args(_u(-2, 2, 3, 4), axis=axis, correction=c) for axis in (None, 0, 1) for c in (0, 1)],
    "std": [_args(_u(-2, 2, 3, 4), axis=axis, correction=c) for axis in (None, 0, 1) for c in (0, 1)],
    "cumsum": [_args(_u(-2, 2, 3, 4), axis=axis) for axis in (0, 1)] + [_args(_u(-2, 2, 5))],
    "cumprod": [_args(_away(3, 4), axis=axis) for axis in (0, 1)] + [
        _args(lambda rng: rng.uniform(-2, 2, (3, 4)) * (rng.random((3, 4)) > .3), axis=axis)
        for axis in (0, 1)],
    "moveaxis": [_args(_u(-2, 2, 2, 3, 4), source=0, destination=-1)],
    "concat": [_args(_u(-2, 2, 2, 3), _u(-2, 2, 1, 3)), _args(_u(-2, 2, 2, 3), _u(-2, 2, 2, 2), axis=1)],
    "stack": [_args(_u(-2, 2, 2), _u(-2, 2, 2), _u(-2, 2, 2)),
              _args(_u(-2, 2, 2, 3), _u(-2, 2, 2, 3), axis=-1)],
    "roll": [_args(_u(-2, 2, 3, 4), shifts=1), _args(_u(-2, 2, 3, 4), shifts=(1, -2), axis=(0, 1))],
    "flip": [_args(_u(-2, 2, 3, 4)), _args(_u(-2, 2, 3, 4), axis=1)],
    "sort": [_args(_u(-2, 2, 3, 4)), _args(_u(-2, 2, 3, 4), axis=0)],
    "trace": [_args(_u(-2, 2, 3, 4))],
    "diag": [_args(_u(-2, 2, 3)), _args(_u(-2, 2, 3), diagonal=-1), _args(_u(-2, 2, 3, 4), diagonal=1)],
    "tril": [_args(_u(-2, 2, 3, 4)), _args(_u(-2, 2, 2, 3, 3), diagonal=-1)],
    "triu": [_args(_u(-2, 2, 3, 4)), _args(_u(-2, 2, 2, 3, 3), diagonal=1)],
    "det": [_args(_square(3)), _args(lambda rng: np.stack([_square(2)(rng)] * 2)), _args(_singular)],
    "inv": [_args(_square(3)), _args(lambda rng: np.stack([_square(2)(rng)] * 2))],
    "solve": [_args(_square(3), _u(-2, 2, 3)), _args(_square(3), _u(-2, 2, 3, 2)),
              _args(lambda rng: np.stack([_square(2)(rng)] * 2), _u(-2, 2, 2, 2))],
    "cross": [_args(_u(-2, 2, 2, 3), _u(-2, 2, 3)), _args(_u(-2, 2, 3, 2), _u(-2, 2, 3, 2), axis=0)],
    "kron": [_args(_u(-2, 2, 2, 3), _u(-2, 2, 2, 2)), _args(_u(-2, 2, 3), _u(-2, 2, 2, 2))],
    "einsum": [_args(_u(-2, 2, 2, 3), _u(-2, 2, 3, 4), subscripts="ij,jk->ik"),
               _args(_u(-2, 2, 3, 3), subscripts="ii->i"), _args(_u(-2, 2, 3, 3), subscripts="ii"),
               _args(_u(-2, 2, 2, 3), _u(-2, 2, 3), subscripts="ij,j->i"),
               _args(_u(-2, 2, 2, 3), subscripts="ij->"), _args(_u(-2, 2, 3), _u(-2, 2, 2), subscripts="i,j")],
    "tensordot": [_args(_u(-2, 2, 2, 3), _u(-2, 2, 3, 4), axes=1),
                  _args(_u(-2, 2, 2, 3), _u(-2, 2, 3, 2), axes=((0, 1), (1, 0)))],
})
del CASES["floor_divide"]

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
    "pow": lambda x: ad.pow(x + 2, ad.cos(x)), "hypot": lambda x: ad.hypot(x, ad.exp(x)),
    "atan2": lambda x: ad.atan2(x, ad.exp(x)), "logaddexp": lambda x: ad.logaddexp(x, ad.sin(x)),
    "mod": lambda x: ad.mod(x + 2, ad.exp(x)), "polygamma": lambda x: ad.polygamma(x + 2, n=1),
    "var": lambda x: ad.var(x), "std": lambda x: ad.std(x, correction=0),
    "cumsum": lambda x: ad.cumsum(x), "cumprod": lambda x: ad.cumprod(x),
    "reshape": lambda x: ad.reshape(x, (5, 1)), "roll": lambda x: ad.roll(x, 2),
    "concat": lambda x: ad.concat(x, ad.sin(x)), "stack": lambda x: ad.stack(x, x * x, axis=1),
    "trace": lambda x: ad.trace(ad.outer(x, ad.sin(x))), "diag": lambda x: ad.diag(x, 1),
    "tril": lambda x: ad.tril(ad.outer(x, ad.sin(x))), "triu": lambda x: ad.triu(ad.outer(x, x), 1),
    "det": lambda x: ad.det(ad.outer(x, ad.sin(x)) + 3 * np.eye(5)),
    "inv": lambda x: ad.inv(ad.outer(x, ad.sin(x)) + 3 * np.eye(5)),
    "solve": lambda x: ad.solve(ad.outer(x, ad.sin(x)) + 3 * np.eye(5), ad.exp(x)),
    "cross": lambda x: ad.cross(x[0:3], ad.exp(x[1:4])), "kron": lambda x: ad.kron(x, ad.sin(x)),
    "einsum": lambda x: ad.einsum(x, ad.outer(x, ad.sin(x)), subscripts="i,ij->j"),
    "tensordot": lambda x: ad.tensordot(x, ad.outer(x, ad.sin(x)), axes=1),
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
