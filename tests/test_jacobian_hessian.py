"""Jacobians and Hessians against PyTorch, on the differential test's formulas and points.

adcli's reverse-mode Jacobian must equal torch.autograd.functional.jacobian (one vjp per output
row), its forward-mode Jacobian torch.func.jacfwd (one jvp per input column, by torch's forward
AD formulas), its reverse-over-reverse Hessian torch.autograd.functional.hessian, and its
forward-over-reverse Hessian torch.func.jacfwd(torch.func.grad(f)): in float64, nan where torch
has nan, ±inf where torch has ±inf, close elsewhere. (torch.autograd.functional.jacobian's own
forward mode fails on some formulas torch.func handles, e.g. abs([x] @ outer([x], [x])).)

Forward mode differentiates one variable at a time and holds the others constant, in adcli
and here in torch alike: a tangent of zeros pushed into the others (what torch does when it is
asked for all inputs at once) would turn their infinities into nan (0·inf).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from test_differential import EXAMPLES, OPERATOR_EXAMPLES, POINT
from test_random_formulas import cases
from torch_oracle import Node, assert_same

import adcli as ad
from adcli.calculations import bind_point, hessian, jacobian
from adcli.language.parser import parse

# torch.func's first use compiles a helper with torch.jit.script, which torch 2.13 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")

def _label(text: str, at: dict[str, np.ndarray]) -> str:
    return f"{text} at {', '.join(f'{n}={v.tolist()}' for n, v in at.items())}"


def assert_jacobian_agrees(torch: Any, node: Node, point: dict[str, Any], mode: str) -> Any:
    formula = parse(node.text)
    names = formula.variables
    at = {name: np.array(point[name], dtype=np.float64) for name in names}
    result = jacobian(bind_point(formula, given=at), mode=mode)
    values = {name: torch.tensor(at[name], dtype=torch.float64) for name in names}
    if mode == "reverse":
        expected = torch.autograd.functional.jacobian(
            lambda *v: node.torch(torch, dict(zip(names, v))), tuple(values.values()))
    else:
        expected = [torch.func.jacfwd(lambda *v: node.torch(torch, dict(zip(names, v))),
                                      argnums=i)(*values.values()) for i in range(len(names))]
    for name, block in zip(names, expected):
        want = block.numpy().reshape(result.blocks[name].shape)
        assert_same(result.blocks[name], want, f"{mode} ∂/∂{name} of {_label(node.text, at)}")
    return result.value


def assert_hessian_agrees(torch: Any, node: Node, point: dict[str, Any], mode: str) -> Any:
    total = Node(f"sum({node.text})", 0, lambda torch, leaves: node.torch(torch, leaves).sum())
    formula = parse(total.text)
    names = formula.variables
    at = {name: np.array(point[name], dtype=np.float64) for name in names}
    result = hessian(bind_point(formula, given=at), mode=mode)
    inputs = tuple(torch.tensor(at[name], dtype=torch.float64) for name in names)

    def f(*v: Any) -> Any:
        return total.torch(torch, dict(zip(names, v)))

    if mode == "reverse-over-reverse":
        expected = torch.autograd.functional.hessian(f, inputs)
    else:
        expected = [[torch.func.jacfwd(torch.func.grad(f, argnums=i), argnums=j)(*inputs)
                     for j in range(len(names))] for i in range(len(names))]
    wanted = {(a, b): expected[i][j].detach().numpy(force=True).reshape(result.blocks[a, b].shape)
              for i, a in enumerate(names) for j, b in enumerate(names)}
    finite = [np.abs(w[np.isfinite(w)]) for w in wanted.values()]
    scale = max((float(w.max()) for w in finite if w.size), default=0.0)
    for (a, b), want in wanted.items():
        assert_same(result.blocks[a, b], want, f"{mode} ∂²/∂{a}∂{b} of {_label(total.text, at)}",
                    scale)
    return result.value


# -- every function at the fixed points of the differential test (the IEEE edges included) --

FIXED = [pytest.param(node, id=node.text) for nodes in EXAMPLES.values() for node in nodes
         if parse(node.text).variables] + \
    [pytest.param(node, id=node.text) for node in OPERATOR_EXAMPLES]


@pytest.mark.parametrize("mode", ("reverse", "forward"))
@pytest.mark.parametrize("node", FIXED)
def test_jacobian_of_each_function_agrees_with_torch(torch, node, mode):
    assert_jacobian_agrees(torch, node, POINT, mode)


@pytest.mark.parametrize("mode", ("reverse-over-reverse", "forward-over-reverse"))
def test_softplus_at_its_threshold_has_torchs_second_derivative(torch, mode):
    # torch's slope passes g through above 20, and its derivative is counted below 20 only:
    # at exactly 20, softplus'' is 0 (and 2.06e-9 a hair below)
    node = Node("softplus(x)", 0, lambda torch, leaves: torch.nn.functional.softplus(leaves["x"]))
    for x in (19.5, 20.0, 20.5, 25.0):
        assert_hessian_agrees(torch, node, {"x": x}, mode)
    assert adcli_hessian_at(20.0) == 0.0 and adcli_hessian_at(19.999999) > 2e-9


def adcli_hessian_at(x: float) -> float:
    formula = parse("softplus(x)")
    return float(hessian(bind_point(formula, given={"x": np.array(x)})).blocks["x", "x"])


# -- random formulas -------------------------------------------------------------------------

# Forward mode is compared where f's value is finite. Elsewhere torch's result depends on how it
# stores a zero tangent: its mv/mm/dot formulas multiply a nan of one operand by the other's
# *materialized* zero tangent (nan), where mul and add keep it symbolic (0); adcli, like JAX,
# never pushes a tangent into a variable it does not differentiate. The fixed examples above
# check forward mode at nan and ±inf, where no such zero is involved.


@settings(max_examples=300, deadline=None, derandomize=True)
@given(case=cases())
def test_random_jacobians_agree_with_torch(torch, case):
    assume(parse(case.formula.text).variables)
    value = assert_jacobian_agrees(torch, case.formula, case.point, "reverse")
    if np.isfinite(value).all():
        assert_jacobian_agrees(torch, case.formula, case.point, "forward")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(case=cases())
def test_random_hessians_agree_with_torch(torch, case):
    assume(parse(case.formula.text).variables)
    value = assert_hessian_agrees(torch, case.formula, case.point, "reverse-over-reverse")
    if np.isfinite(value).all():
        assert_hessian_agrees(torch, case.formula, case.point, "forward-over-reverse")


# -- the API ---------------------------------------------------------------------------------


def test_third_derivative_of_x4_at_2_is_48():
    assert ad.grad(ad.grad(ad.grad(lambda x: x**4)))(2.0).item() == 48.0
    # forward over forward over forward: three levels of dual numbers
    third = ad.jvp(lambda x: ad.jvp(lambda y: ad.jvp(lambda z: z**4, (y,), (1.0,))[1],
                                    (x,), (1.0,))[1], (2.0,), (1.0,))[1]
    assert third.item() == 48.0
    # reverse over forward over reverse
    mixed = ad.grad(lambda x: ad.jvp(ad.grad(lambda y: y**4), (x,), (1.0,))[1])(2.0)
    assert mixed.item() == 48.0


def test_nested_forward_mode_keeps_levels_apart():
    # d/dx [x · d/dy (x + y)] = d/dx [x · 1] = 1; mixing the two tangents gives 2.
    def inner(x: Any) -> Any:
        return ad.jvp(lambda y: x + y, (1.0,), (1.0,))[1]

    assert ad.jvp(lambda x: x * inner(x), (1.0,), (1.0,))[1].item() == 1.0


def test_hessian_modes_and_compositions_agree():
    def f(x: Any) -> Any:
        return ad.logsumexp(x) + ad.dot(x, x) ** 2 + ad.prod(ad.sin(x))

    x = np.array([0.3, -1.2, 2.0, 0.7])
    h = ad.hessian(f)(x).numpy()
    np.testing.assert_allclose(ad.hessian(f, mode="reverse-over-reverse")(x).numpy(), h,
                               rtol=1e-12, atol=1e-12)
    for mode in ("forward", "reverse"):  # jacfwd(jacrev(f)) and jacrev(jacrev(f)), JAX-style
        np.testing.assert_allclose(ad.jacobian(ad.grad(f), mode=mode)(x).numpy(), h,
                                   rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h, h.T, rtol=1e-12, atol=1e-12)


def test_hessian_through_prod_at_zeros_is_recorded():
    # ∂²prod/∂xᵢ∂xₖ is the product of the others: with two zeros, only their pair survives.
    for x, expected in (([0.0, 0.0, 2.0], [[0, 2, 0], [2, 0, 0], [0, 0, 0]]),
                        ([0.0, 3.0, 2.0], [[0, 2, 3], [2, 0, 0], [3, 0, 0]])):
        for mode in ("forward-over-reverse", "reverse-over-reverse"):
            np.testing.assert_array_equal(ad.hessian(ad.prod, mode=mode)(x).numpy(), expected)


def test_several_arguments_give_blocks():
    def f(x: Any, y: Any) -> Any:
        return ad.sum(x * x) * y

    x, y = np.array([1.0, 2.0]), np.array(3.0)
    (dx, dy) = ad.grad(f, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(dx.numpy(), [6.0, 12.0])
    assert dy.item() == 5.0
    (hxx, hxy), (hyx, hyy) = ad.hessian(f, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(hxx.numpy(), [[6, 0], [0, 6]])
    np.testing.assert_allclose(hxy.numpy(), [2, 4])
    np.testing.assert_allclose(hyx.numpy(), [2, 4])
    assert hyy.item() == 0
    jx, jy = ad.jacobian(lambda x, y: x * y, argnums=(0, 1), mode="forward")(x, y)
    np.testing.assert_allclose(jx.numpy(), [[3, 0], [0, 3]])
    np.testing.assert_allclose(jy.numpy(), [1, 2])


# relu's rule, recorded, gives x a zero derivative (torch's threshold_backward does): reverse over
# reverse meets sqrt's infinite slope at 0 as 0·inf = nan, forward over reverse does not; found
# by CI's run of the random Hessians.
@pytest.mark.parametrize("mode", ["reverse-over-reverse", "forward-over-reverse"])
def test_relu_over_an_infinite_slope_is_torchs_in_each_mode(torch, mode):
    node = Node("relu(sqrt(x) + y)", 0,
                lambda torch, leaves: torch.relu(torch.sqrt(leaves["x"]) + leaves["y"]))
    assert_hessian_agrees(torch, node, {"x": 0.0, "y": 0.0}, mode)
