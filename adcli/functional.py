"""Function transforms, with the names JAX and torch.func use: jvp, vjp, grad, jacobian, hessian.

    >>> import adcli as ad
    >>> ad.grad(lambda x: ad.sum(x * x))([1.0, 2.0])
    tensor([2., 4.])
    >>> ad.jvp(ad.sin, (0.0,), (1.0,))
    (tensor(0.), tensor(1.))

Forward mode (`jvp`, `jacobian(mode="forward")`) pushes dual numbers through f, one pass per
input direction, and records nothing. Reverse mode (`vjp`, `grad`, `jacobian(mode="reverse")`)
records f once and sends one cotangent back per output direction. They nest: `grad(grad(f))`
differentiates a recorded gradient (create_graph), a `jvp` inside a `jvp` opens a new level of
dual numbers, and a `grad` inside a `jvp` is forward-over-reverse.

f takes arrays (or numbers, or tensors) and returns one array; results are tensors.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from adcli import ops
from adcli.engine import Tensor, backward_pass, make_leaf, toposort
from adcli.engine.batching import BATCHING, Batch, batching, identity, unstacked
from adcli.engine.budget import check_passes, metered, work
from adcli.engine.state import STATE
from adcli.engine.forward import Dual, Sweep, new_level, push_forward

MODES = ("forward", "reverse")
HESSIAN_MODES = ("forward-over-reverse", "reverse-over-reverse")


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """f(*primals) and its derivative along `tangents` (one per primal), in one forward pass."""
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    points = [_value(p) for p in primals]
    out, tangent = _push(f, points, [_direction(t, p) for t, p in zip(tangents, points)])
    return _tensor(out), _tensor(tangent)


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], tuple[Any, ...]]]:
    """f(*primals), recorded, and the function that sends a cotangent of the output back to a
    cotangent for each primal (one backward pass per call)."""
    points = [_value(p) for p in primals]
    level = max((p.level for p in points if type(p) is Dual), default=0)
    if level:
        return _vjp_of_duals(f, points, level)
    out, _, pull = _record(f, points, create_graph=False)
    return _tensor(out), pull


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The function computing the gradient of f, whose output must be one number, with respect
    to the arguments `argnums` (one gradient, or a tuple of them)."""

    def gradient(*args: Any) -> Any:
        nums = _argnums(argnums, len(args))
        out, pull = vjp(_partial(f, args, nums), *(args[i] for i in nums))
        if np.size(out.data) != 1:
            raise ValueError(f"grad needs f to return one number, not an array of shape "
                             f"{np.shape(out)}; use jacobian, or vjp with a cotangent")
        grads = pull(np.ones(np.shape(out), dtype=out.dtype))
        return grads[0] if isinstance(argnums, int) else grads

    return gradient


def jacobian(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
             mode: str = "reverse") -> Callable[..., Any]:
    """The function computing f's Jacobian with respect to `argnums`: for each argument, an
    array of shape f's shape + the argument's shape. Reverse mode takes one backward pass per
    output element, forward mode one forward pass per input element."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")

    def jac(*args: Any) -> Any:
        nums = _argnums(argnums, len(args))
        g = _partial(f, args, nums)
        points = [_value(args[i]) for i in nums]
        blocks = _reverse_jacobian(g, points) if mode == "reverse" else _forward_jacobian(g, points)
        return blocks[0] if isinstance(argnums, int) else tuple(blocks)

    return jac


def hessian(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
            mode: str = "forward-over-reverse") -> Callable[..., Any]:
    """The function computing the Hessian of f (one number out): for one argument an array of
    shape x.shape + x.shape, for several a tuple of rows of blocks, H[a][b] = ∂²f/∂a∂b.

    Both modes record the gradient once (backward with create_graph). Forward-over-reverse then
    pushes one tangent per input element through that graph (JAX's recommendation);
    reverse-over-reverse sends one cotangent per input element back through it."""
    if mode not in HESSIAN_MODES:
        raise ValueError(f"mode must be one of {', '.join(HESSIAN_MODES)}, not {mode!r}")

    def hess(*args: Any) -> Any:
        nums = _argnums(argnums, len(args))
        points = [_value(args[i]) for i in nums]
        if any(type(p) is Dual or (type(p) is Tensor and p.requires_grad) for p in points):
            raise TypeError("hessian takes values; to differentiate a Hessian, compose "
                            "jacobian(grad(f)) instead")
        blocks = hessian_blocks(_partial(f, args, nums), [np.asarray(p) for p in points], mode)
        if isinstance(argnums, int):
            return blocks[0][0]
        return tuple(tuple(row) for row in blocks)

    return hess


def hessian_blocks(f: Callable[..., Any], points: Sequence[np.ndarray],
                   mode: str = "forward-over-reverse") -> list[list[Tensor]]:
    """H[a][b] = ∂²f/∂a∂b, each of shape a.shape + b.shape, for f of len(points) arrays."""
    leaves = [make_leaf(np.array(p, dtype=_float(p))).requires_grad_() for p in points]
    out = f(*leaves)
    if type(out) is not Tensor or not out.requires_grad:
        return [[_tensor(np.zeros(a.shape + b.shape, a.dtype)) for b in leaves] for a in leaves]
    if out.data.size != 1:
        raise ValueError(f"hessian needs f to return one number, not shape {out.shape}")
    started = work()
    adjoints = backward_pass(out, make_leaf(np.ones_like(out.data)), create_graph=True)
    each = work() - started  # a pass through the gradient's graph costs about what recording it did
    grads = [adjoints[id(leaf)][1] if id(leaf) in adjoints else None for leaf in leaves]
    blocks = [[np.zeros(a.shape + b.shape, a.dtype) for b in leaves] for a in leaves]
    n = sum(leaf.data.size for leaf in leaves)  # passes: one per input element
    if not batchable(grads):
        return _hessian_one_at_a_time(leaves, grads, blocks, mode, n, each)
    # A batched sweep does the arithmetic of all its passes at once, so it is judged before it
    # starts: by recording the gradient, and then by one plain pass, measured (a pass through
    # the gradient can cost far more than recording it did: prod's at zeros).
    passes = f"{'forward' if mode == 'forward-over-reverse' else 'backward'} passes through " \
        "the gradient"
    check_passes(n, each, passes)
    if STATE.max_work is not None:
        started = work()
        _one_pass(leaves, grads, mode)
        check_passes(n, work() - started, passes)
    # One batched sweep per variable (per chunk of its elements), seeded with identity rows:
    # every Hessian-vector product of that variable at once.
    if mode == "forward-over-reverse":
        sweep = Sweep(grads)
        for j, b in enumerate(leaves):
            for start, stop in _chunks(b.data.size, grads):
                with batching():
                    pushed = sweep.push({id(b): identity(b.data, start, stop)})
                for i, t in enumerate(pushed):
                    columns = unstacked(t, stop - start, leaves[i].shape, leaves[i].dtype)
                    flat = blocks[i][j].reshape(leaves[i].shape + (-1,))
                    flat[..., start:stop] = np.moveaxis(columns, 0, -1)
    else:
        for i, g in enumerate(grads):
            if type(g) is not Tensor or not g.requires_grad:
                continue
            for start, stop in _chunks(g.data.size, [g]):
                with batching():
                    back = backward_pass(g, identity(g.data, start, stop))
                for j, b in enumerate(leaves):
                    rows = unstacked(back[id(b)][1] if id(b) in back else None, stop - start,
                                     b.shape, b.dtype)
                    blocks[i][j].reshape((-1,) + b.shape)[start:stop] = rows
    return [[make_leaf(block) for block in row] for row in blocks]


def _one_pass(leaves: list[Tensor], grads: list[Any], mode: str) -> None:
    """The first Hessian-vector product alone, to measure what one costs."""
    if mode == "forward-over-reverse":
        b = next(leaf for leaf in leaves if leaf.data.size)
        Sweep(grads).push({id(b): next(_basis(b.data))[1]})
        return
    g = next((g for g in grads if type(g) is Tensor and g.requires_grad and g.data.size), None)
    if g is not None:
        backward_pass(g, next(_basis(g.data))[1])


def _hessian_one_at_a_time(leaves: list[Tensor], grads: list[Any], blocks: list[list[Any]],
                           mode: str, n: int, each: int) -> list[list[Tensor]]:
    """The Hessian one pass per input element (a graph holding a primitive with no batching
    rule yet); `n` passes, each about `each` element operations."""
    if mode == "forward-over-reverse":
        sweep = Sweep(grads)
        for j, b in enumerate(leaves):
            for k, seed in metered(_basis(b.data), n, "forward passes through the gradient",
                                    each):
                for i, t in enumerate(sweep.push({id(b): seed})):
                    if t is not None:
                        blocks[i][j].reshape(leaves[i].shape + (-1,))[..., k] = t
    else:
        for i, g in enumerate(grads):
            if type(g) is not Tensor or not g.requires_grad:
                continue
            for k, seed in metered(_basis(g.data), n, "backward passes through the gradient",
                                    each):
                back = backward_pass(g, seed)
                for j, b in enumerate(leaves):
                    if id(b) in back:
                        blocks[i][j].reshape((-1,) + b.shape)[k] = back[id(b)][1]
    return [[make_leaf(block) for block in row] for row in blocks]


def batchable(outputs: Sequence[Any]) -> bool:
    """Whether every primitive in the graphs of `outputs` has a batching rule. Their derivative
    rules were read for it (they touch an adjoint or a tangent only through primitives); a new
    primitive's rules may look inside one (`g.data`), so its graph goes one pass at a time until
    it has a rule in adcli/ops/batching.py."""
    return all(node.op is None or node.op.name in BATCHING
               for out in outputs if type(out) is Tensor for node in toposort(out))


# Elements of the largest array a batched sweep holds at once: the stack of a node's values
# for all the vectors of a chunk (2**23 float64 = 64 MiB).
CHUNK_ELEMENTS = 2**23


def _chunks(count: int, outputs: Sequence[Any]) -> list[tuple[int, int]]:
    """(start, stop) of the chunks of `count` seeds one batched sweep takes at a time, so that
    no stack in the graph of `outputs` has more than CHUNK_ELEMENTS elements."""
    largest = max([node.data.size for out in outputs if type(out) is Tensor
                   for node in toposort(out)] + [1])
    step = max(1, CHUNK_ELEMENTS // largest)
    return [(start, min(start + step, count)) for start in range(0, count, step)]


# -- how the transforms run f ------------------------------------------------------------------


def _push(f: Callable[..., Any], points: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """f at `points`, with dual numbers where a tangent is given (None: a constant there)."""
    with new_level() as level:
        out = f(*(p if t is None else Dual(p, t, level) for p, t in zip(points, tangents)))
    if type(out) is Dual and out.level == level:
        return out.primal, out.tangent
    return out, np.zeros(np.shape(out), dtype=_float(out))


def _record(f: Callable[..., Any], points: Sequence[Any], create_graph: bool
            ) -> tuple[Any, list[Tensor], Callable[[Any], tuple[Any, ...]]]:
    """f on leaves that require grad, the leaves, and the pull-back. A point that already
    requires grad (an outer `grad` is differentiating it) is used as it is, and then the
    gradient is recorded too, so that the outer transform can differentiate it."""
    nested = create_graph or any(type(p) is Tensor and p.requires_grad for p in points)
    leaves = [p if type(p) is Tensor and p.requires_grad
              else make_leaf(np.array(p, dtype=_float(p))).requires_grad_() for p in points]
    out = f(*leaves)

    def pull(cotangent: Any) -> tuple[Any, ...]:
        if type(out) is not Tensor or not out.requires_grad:
            return tuple(_tensor(np.zeros_like(leaf.data)) for leaf in leaves)
        cot = np.asarray(getattr(cotangent, "data", cotangent), dtype=out.dtype)
        if cot.shape != out.shape:
            raise ValueError(f"the cotangent has shape {cot.shape}, f's output {out.shape}")
        adjoints = backward_pass(out, make_leaf(cot) if nested else cot, create_graph=nested,
                                 keep_all=nested)
        return tuple(_adjoint(adjoints, leaf) for leaf in leaves)

    return out, leaves, pull


def _vjp_of_duals(f: Callable[..., Any], points: Sequence[Any], level: int) -> tuple[Any, Any]:
    """vjp at dual numbers, i.e. a `grad` inside a `jvp`: forward-over-reverse. f and its
    gradient are recorded at the primal point, then the tangents are pushed through both
    (and recorded in turn when an outer `grad` differentiates the point)."""
    primals, tangents = [], []
    for p in points:
        top = type(p) is Dual and p.level == level
        inner = p.primal if top else p
        if type(inner) is Dual:
            raise NotImplementedError("grad inside two levels of jvp")
        primals.append(inner)
        tangents.append(p.tangent if top else None)
    nested = any(type(p) is Tensor and p.requires_grad for p in primals)
    out, leaves, pull = _record(f, primals, create_graph=True)
    seeds = {id(leaf): t for leaf, t in zip(leaves, tangents) if t is not None}
    (out_tangent,) = push_forward([out], seeds, differentiable=nested)

    def pull_duals(cotangent: Any) -> tuple[Any, ...]:
        grads = pull(cotangent)
        pushed = push_forward(list(grads), seeds, differentiable=nested)
        return tuple(_dual(g, t, level, nested) for g, t in zip(grads, pushed))

    return _dual(out, out_tangent, level, nested), pull_duals


def _reverse_jacobian(g: Callable[..., Any], points: Sequence[Any]) -> list[Any]:
    if not _nested(points):
        out, leaves, _ = _record(g, points, create_graph=False)
        if batchable([out]):
            return _batched_rows(out, leaves)
    out, pull = vjp(g, *points)  # one backward pass per row
    rows = [pull(seed) for _, seed in _basis(out)]
    return [_stacked([row[i] for row in rows], np.shape(out) + np.shape(p))
            for i, p in enumerate(points)]


def _batched_rows(out: Any, leaves: Sequence[Tensor]) -> list[Any]:
    """Every row of the Jacobian of a recorded `out`, a chunk of rows per backward pass."""
    shapes = [np.shape(out) + leaf.shape for leaf in leaves]
    if type(out) is not Tensor or not out.requires_grad:
        return [_tensor(np.zeros(shape, _float(out))) for shape in shapes]
    blocks = [np.zeros((out.data.size,) + leaf.shape, leaf.dtype) for leaf in leaves]
    for start, stop in _chunks(out.data.size, [out]):  # every row of a chunk in one pass
        with batching():
            back = backward_pass(out, identity(out.data, start, stop))
        for block, leaf in zip(blocks, leaves):
            block[start:stop] = unstacked(back[id(leaf)][1] if id(leaf) in back else None,
                                          stop - start, leaf.shape, leaf.dtype)
    return [_tensor(block.reshape(shape)) for block, shape in zip(blocks, shapes)]


def _batchable_at(g: Callable[..., Any], points: Sequence[Any]) -> bool:
    """Whether f's graph at these points has batching rules for all its primitives (f is
    recorded once to see; a program may take other paths elsewhere, hence at the points)."""
    if _nested(points):
        return False
    out, _, _ = _record(g, points, create_graph=False)
    return batchable([out])


def _nested(points: Sequence[Any]) -> bool:
    """Whether an outer transform differentiates these points (then passes go one at a time)."""
    return any(type(p) is Dual or (type(p) is Tensor and p.requires_grad) for p in points)


def _forward_jacobian(g: Callable[..., Any], points: Sequence[Any]) -> list[Any]:
    if not _nested(points) and _batchable_at(g, points):
        return [_forward_block(g, points, i) for i in range(len(points))]
    blocks = []
    for i, p in enumerate(points):
        columns, out = [], None
        for _, seed in _basis(p):  # one forward pass per input element
            out, column = _push(g, points, [seed if j == i else None for j in range(len(points))])
            columns.append(column)
        if out is None:  # an empty argument: f's shape from one plain call
            out = g(*points)
        shape = np.shape(out) + np.shape(p)
        if not columns:
            blocks.append(_tensor(np.zeros(shape)))
            continue
        by_input = _stacked(columns, (len(columns), int(np.prod(np.shape(out)))))
        blocks.append(_tensor(ops.reshape(ops.transpose(by_input), shape)))
    return blocks


def _forward_block(g: Callable[..., Any], points: Sequence[Any], i: int) -> Any:
    """∂g/∂points[i] by batched forward passes: one per chunk of the point's elements."""
    p = np.asarray(getattr(points[i], "data", points[i]))
    columns, out = [], None
    step = max(1, CHUNK_ELEMENTS // max(p.size, 1) // 4)  # f's values are not known before
    for start in range(0, p.size, step):
        stop = min(start + step, p.size)
        seeds = [identity(p, start, stop) if j == i else None for j in range(len(points))]
        with batching():
            out, tangent = _push(g, points, seeds)
        columns.append(unstacked(tangent, stop - start, np.shape(out), _float(out)))
    if out is None:  # an empty argument: f's shape from one plain call
        out = g(*points)
    shape = np.shape(out) + p.shape
    if not columns:
        return _tensor(np.zeros(shape))
    by_input = np.concatenate(columns)  # (elements of p, …f's shape)
    return _tensor(np.moveaxis(by_input.reshape((p.size, -1)), 0, -1).reshape(shape))


def _stacked(parts: list[Any], shape: tuple[int, ...]) -> Any:
    """The derivatives computed one pass at a time, as one array of `shape`."""
    if not parts:
        return _tensor(np.zeros(shape))
    return _tensor(ops.reshape(ops.stack(*parts), shape))


def _basis(x: Any) -> Any:
    """(k, e_k) for each element of x: arrays shaped like x, 1 at position k, 0 elsewhere."""
    shape, dtype = np.shape(x), _float(x)
    for k in range(int(np.prod(shape))):
        seed = np.zeros(int(np.prod(shape)), dtype=dtype)
        seed[k] = 1
        yield k, seed.reshape(shape)


# -- values in, tensors out --------------------------------------------------------------------


def _value(x: Any) -> Any:
    if type(x) is Tensor or type(x) is Dual:
        return x
    array = np.asarray(x)
    return array.astype(np.float64) if array.dtype.kind not in "fc" else array


def _direction(t: Any, like: Any) -> np.ndarray:
    tangent = np.asarray(getattr(t, "data", t), dtype=_float(like))
    if tangent.shape != np.shape(like):
        raise ValueError(f"a tangent of shape {tangent.shape} for a primal of shape "
                         f"{np.shape(like)}")
    return tangent


def _float(x: Any) -> np.dtype:
    dtype = np.asarray(getattr(x, "data", x)).dtype
    return dtype if dtype.kind in "fc" else np.dtype(np.float64)


def _tensor(x: Any) -> Any:
    if type(x) is Tensor or type(x) is Dual:
        return x
    return make_leaf(np.asarray(x))


def _dual(value: Any, tangent: Any, level: int, differentiable: bool) -> Dual:
    """A Dual of plain arrays, or (for an outer `grad`) of the recorded tensors themselves."""
    if tangent is None:
        tangent = np.zeros(np.shape(value), dtype=_float(value))
    if differentiable:
        return Dual(value, tangent, level)
    if type(tangent) is not Batch:  # a batched sweep's tangents stay a Batch
        tangent = np.asarray(getattr(tangent, "data", tangent))
    return Dual(np.asarray(getattr(value, "data", value)), tangent, level)


def _adjoint(adjoints: dict[int, tuple[Tensor, Any]], leaf: Tensor) -> Any:
    if id(leaf) not in adjoints:  # f does not depend on it
        return _tensor(np.zeros_like(leaf.data))
    g = adjoints[id(leaf)][1]
    if type(g) is Tensor:
        return g
    return make_leaf(np.array(np.broadcast_to(np.asarray(g, dtype=leaf.dtype), leaf.shape)))


def _argnums(argnums: int | Sequence[int], count: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for i in nums:
        if not -count <= i < count:
            raise ValueError(f"argnums {i}: f was called with {count} argument(s)")
    return tuple(i % count for i in nums)


def _partial(f: Callable[..., Any], args: Sequence[Any], nums: Sequence[int]) -> Callable[..., Any]:
    """f as a function of the arguments `nums` only, the others held at `args`."""

    def g(*chosen: Any) -> Any:
        full = list(args)
        for i, value in zip(nums, chosen):
            full[i] = value
        return f(*full)

    return g
