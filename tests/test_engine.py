"""The engine's contract, in PyTorch's words: requires_grad_, backward, .grad accumulation,
zero_, detach, no_grad; broadcasting reduced back to each input's shape."""

from __future__ import annotations

import os

import numpy as np
import pytest

import adcli as ad
from adcli.engine import toposort


def test_grad_accumulates_across_backward_calls_and_zero_resets_it():
    x = ad.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    (x * x).sum().backward()
    assert x.grad.tolist() == [4.0, 8.0]
    x.grad.zero_()
    assert x.grad.tolist() == [0.0, 0.0]
    (3 * x).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_backward_twice_on_one_graph_does_not_double_count_inner_nodes():
    # micrograd's fault: inner nodes kept their old .grad and counted it again.
    x = ad.tensor(3.0, requires_grad=True)
    y = x * x
    z = y * y  # x^4
    z.backward()
    assert x.grad.item() == 108.0
    z.backward()
    assert x.grad.item() == 216.0  # exactly twice, as torch with retain_graph=True


def test_shared_subexpression_gets_both_contributions():
    x = ad.tensor(2.0, requires_grad=True)
    u = x * x
    y = u + u * u  # x^2 + x^4
    y.backward()
    assert x.grad.item() == 2 * 2.0 + 4 * 2.0**3


def test_broadcasting_reduces_the_adjoint_to_each_inputs_shape():
    a = ad.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    b = ad.tensor([10.0, 20.0, 30.0], requires_grad=True)
    c = ad.tensor(2.0, requires_grad=True)
    (a * b * c).sum().backward()
    assert a.grad.tolist() == [[20.0, 40.0, 60.0], [20.0, 40.0, 60.0]]
    assert b.grad.tolist() == [10.0, 14.0, 18.0]
    assert c.grad.item() == 460.0  # sum(a * b)


def test_detach_and_no_grad_record_nothing():
    x = ad.tensor([1.0, 2.0], requires_grad=True)
    assert not x.detach().requires_grad
    with ad.no_grad():
        y = x * x
    assert not y.requires_grad and y.is_leaf


def test_backward_needs_a_scalar_or_a_gradient():
    x = ad.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        (x * x).backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        ad.tensor(1.0).backward()


def test_integer_data_becomes_float_and_only_floats_require_grad():
    assert ad.tensor([1, 2]).dtype == np.float64
    with pytest.raises(TypeError):
        ad.Tensor(np.array([1, 2]), dtype=np.int64).requires_grad_()


def test_toposort_is_iterative_and_ordered():
    x = ad.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(50_000):
        y = y + 1.0
    order = toposort(y)
    assert len(order) == 50_001
    assert order[0] is x and order[-1] is y


def test_float32_stays_float32():
    x = ad.arange(0, 3, dtype=np.float32).requires_grad_()
    y = (2.5 * x * x + 1).sum()
    y.backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


def test_create_graph_differentiates_a_gradient():
    x = ad.tensor(2.0, requires_grad=True)
    y = x**3
    y.backward(create_graph=True)
    first = x.grad
    assert first.item() == 12.0 and first.requires_grad
    x.grad = None
    first.backward()
    assert x.grad.item() == 12.0  # d²(x³)/dx² = 6x


def test_backward_with_release_frees_the_graph_and_gives_the_same_gradient():
    import gc
    import weakref

    import adcli as ad
    from adcli.engine import backward_pass

    x = ad.tensor([0.5, 1.5, 2.5], requires_grad=True)
    middle = ad.sin(x * x)
    y = ad.log(middle) + 1 / x
    kept = backward_pass(y, np.ones(3))[id(x)][1]
    watched = weakref.ref(middle.data)  # tensors take no weak references; arrays do
    del middle
    released = backward_pass(y, np.ones(3), release=True)[id(x)][1]
    gc.collect()
    assert np.array_equal(kept, released)
    assert watched() is None  # nothing holds the intermediate any more
    assert y.inputs == () and y.data.shape == (3,)  # the root keeps its value


def test_the_engine_asks_glibc_to_keep_freed_pages_unless_malloc_is_tuned_already():
    import platform
    import subprocess
    import sys

    ask = "import adcli.engine.allocator as a; print(a.keep_freed_memory())"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    done = subprocess.run([sys.executable, "-c", ask], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == str(glibc)
    tuned = subprocess.run([sys.executable, "-c", ask], env={**env, "MALLOC_ARENA_MAX": "2"},
                           capture_output=True, text=True)
    assert tuned.stdout.strip() == "False"
