"""The tensor: an `np.ndarray` that remembers the primitive and the inputs that made it.

A tensor *is* its graph node (as in micrograd): `op` and `inputs` are the tape. Leaves have
`op = None`. Operator overloads (`x * y`, `x[i]`) are attached by `adcli.ops.operators`, so the
engine itself knows nothing of any particular primitive.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager, nullcontext
from typing import Any, Iterator

import numpy as np

from adcli.engine.budget import check_tape
from adcli.engine.errors import OpError
from adcli.engine.primitive import Primitive
from adcli.engine.state import STATE


def ieee() -> Any:
    """A context in which numpy follows IEEE silently: log(0) = -inf, 1/0 = inf, 0/0 = nan are
    values, never warnings or exceptions (torch never warns either)."""
    return np.errstate(all="ignore")


try:
    # np.errstate costs more than a small ufunc (it rebuilds numpy's error state object on every
    # entry); per-primitive, set the same context variable to a state built once instead.
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    _IGNORE_ALL = _make_extobj(all="ignore")
except (ImportError, TypeError):  # another numpy: the public, slower way
    _extobj_contextvar = None


class Tensor:
    __slots__ = ("data", "requires_grad", "grad", "op", "inputs", "params", "origin", "tape")
    # Make `ndarray * Tensor` call Tensor.__rmul__ instead of looping over the tensor.
    __array_ufunc__ = None

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        array = np.asarray(data, dtype=dtype)
        if dtype is None and array.dtype.kind in "iub":
            array = array.astype(np.float64)
        self.data = array
        self.requires_grad = False
        self.grad: Tensor | None = None
        self.op: Primitive | None = None
        self.inputs: tuple[Any, ...] = ()
        self.params: dict[str, Any] = {}
        # Opaque to the engine: the language layer stores the sub-expression that made a node.
        self.origin: Any = None
        self.tape = 0  # which tape made it (engine/budget.py counts the current one's bytes)
        if requires_grad:
            self.requires_grad_(True)

    # -- the PyTorch words of the notebook -------------------------------------------------

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if requires_grad and self.data.dtype.kind not in "fc":
            raise TypeError(f"only floating-point tensors can require grad, not {self.data.dtype}")
        if self.op is not None and not requires_grad:
            raise RuntimeError("requires_grad can only be changed on leaf tensors; use detach()")
        self.requires_grad = requires_grad
        return self

    def backward(self, gradient: Any = None, create_graph: bool = False) -> None:
        from adcli.engine.backward import backward

        backward(self, gradient, create_graph=create_graph)

    def detach(self) -> Tensor:
        return Tensor(self.data)

    def zero_(self) -> Tensor:
        if self.data.flags.writeable:
            self.data[...] = 0
        else:
            self.data = np.zeros_like(self.data)
        return self

    def item(self) -> float:
        return self.data.item()

    def numpy(self) -> np.ndarray:
        return self.data

    def tolist(self) -> Any:
        return self.data.tolist()

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        return self.op is None

    def __len__(self) -> int:
        return len(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.data)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", precision=4, prefix="tensor(")
        extra = ""
        if self.op is not None and self.requires_grad:
            extra = f", grad_fn={self.op.name}"
        elif self.requires_grad:
            extra = ", requires_grad=True"
        return f"tensor({body}{extra})"


def make_leaf(data: np.ndarray) -> Tensor:
    """A constant tensor around an array we already own, skipping __init__'s conversions."""
    out = Tensor.__new__(Tensor)
    out.data = data
    out.requires_grad = False
    out.grad = None
    out.op = None
    out.inputs = ()
    out.params = {}
    out.origin = None
    out.tape = STATE.tape
    STATE.recorded_bytes += data.nbytes  # a constant in a loop is kept alive by what uses it
    return out


def apply(prim: Primitive, *args: Any, **params: Any) -> Any:
    """Run a primitive. On tensors it records the node; on plain arrays it just computes.

    The plain path is what a first-order backward pass uses, so derivative rules written once,
    with these same operations, run on raw numpy arrays there and on tensors (recording a
    differentiable graph of the gradient) under `create_graph=True`. A dual number among the
    arguments means forward mode: `apply_dual` takes over (engine/forward.py).
    """
    values = []
    has_tensor = requires_grad = False
    for a in args:
        if type(a) is Tensor:
            has_tensor = True
            requires_grad = requires_grad or a.requires_grad
            values.append(a.data)
        else:
            values.append(a)
    if STATE.dual_level:
        lifted = STATE.forward_mode(prim, args, params)  # type: ignore[misc]
        if lifted is not None:
            return lifted
    if STATE.batch_level:
        batched = STATE.batch_mode(prim, values, params)  # type: ignore[misc]
        if batched is not None:
            return batched
    try:
        if STATE.ieee_held:
            result = prim.value(*values, **params)
        elif _extobj_contextvar is not None:
            token = _extobj_contextvar.set(_IGNORE_ALL)
            try:
                result = prim.value(*values, **params)
            finally:
                _extobj_contextvar.reset(token)
        else:
            with ieee():
                result = prim.value(*values, **params)
    except OpError:
        raise
    except (ValueError, IndexError, TypeError, OverflowError) as exc:
        message = str(exc).strip()
        if "broadcast" in message:
            shapes = " and ".join(str(np.shape(v)) for v in values)
            message = f"shapes {shapes} do not match (numpy broadcasting rules)"
        raise OpError(prim.name, message) from exc
    STATE.calls += 1
    STATE.elements += getattr(result, "size", 1)
    if not has_tensor:
        return result
    out = Tensor.__new__(Tensor)
    out.data = result if type(result) is np.ndarray else np.asarray(result)
    out.grad = None
    out.origin = None
    if STATE.grad_enabled:
        out.requires_grad = requires_grad and prim.vjp is not None
        # Non-differentiable nodes keep their inputs too, so views can show what `detach` cut.
        out.op = prim
        out.inputs = args
        out.params = params
        out.tape = STATE.tape
        STATE.recorded_bytes += out.data.nbytes
        if STATE.max_tape_bytes is not None and STATE.recorded_bytes > STATE.max_tape_bytes:
            check_tape()
    else:
        out.requires_grad = False
        out.op = None
        out.inputs = ()
        out.params = {}
        out.tape = 0
    return out


@contextmanager
def ieee_sweep() -> Iterator[None]:
    """IEEE rules for a whole sweep (a backward pass, a formula's evaluation) at once, instead
    of entering numpy's errstate for every primitive (which costs as much as a small op)."""
    if STATE.ieee_held:
        yield
        return
    # numpy's error state set directly, as apply does (np.errstate builds it at every entry)
    token = _extobj_contextvar.set(_IGNORE_ALL) if _extobj_contextvar is not None else None
    with ieee() if token is None else nullcontext():
        STATE.ieee_held = True
        try:
            yield
        finally:
            STATE.ieee_held = False
            if token is not None:
                _extobj_contextvar.reset(token)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector during a sweep over a graph we build or walk.

    A graph is two tracked objects per node and has no reference cycles, so reference counting
    frees it all; but each full collection would walk every live node, which doubled the time of a
    100,000-node chain. Collection resumes (if it was on) when the sweep ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _grad_mode(enabled: bool) -> Iterator[None]:
    previous, STATE.grad_enabled = STATE.grad_enabled, enabled
    try:
        yield
    finally:
        STATE.grad_enabled = previous


def no_grad() -> Any:
    """Like torch.no_grad(): operations inside record nothing."""
    return _grad_mode(False)


def enable_grad() -> Any:
    """Like torch.enable_grad(): operations inside are recorded (a gradient's own graph)."""
    return _grad_mode(True)


def is_grad_enabled() -> bool:
    return STATE.grad_enabled


def count_rules(applied: int) -> None:
    STATE.rules_applied += applied


def rules_applied() -> int:
    """Derivative rules applied since the process started, VJP (backward passes) and JVP
    (forward mode) alike: take the difference around a computation to measure it."""
    return STATE.rules_applied
