"""The tensor and the tape. Knows numpy and nothing else of adcli."""

from adcli.engine import batching, forward  # noqa: F401  (each installs itself into apply)
from adcli.engine.allocator import keep_freed_memory
from adcli.engine.backward import backward, backward_pass, toposort
from adcli.engine.primitive import Primitive
from adcli.engine.tensor import (
    Tensor, apply, enable_grad, gc_paused, ieee_sweep, is_grad_enabled, make_leaf, no_grad,
)

keep_freed_memory()  # numpy's arrays reuse freed pages (engine/allocator.py says why)

__all__ = [
    "Primitive",
    "Tensor",
    "apply",
    "backward",
    "backward_pass",
    "enable_grad",
    "gc_paused",
    "ieee_sweep",
    "is_grad_enabled",
    "make_leaf",
    "no_grad",
    "toposort",
]
