"""adcli: a differentiation calculator with its own reverse-mode automatic differentiation.

The Python API mirrors the PyTorch words of the notebook it grew from:

    >>> import adcli as ad
    >>> x = ad.arange(0, 5).requires_grad_()
    >>> y = 2 * ad.dot(x, x)
    >>> y.backward()
    >>> x.grad
    tensor([ 0.,  4.,  8., 12., 16.])

Names are loaded on first use, so that `adcli --help` starts without importing numpy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_ENGINE = ("Tensor", "no_grad", "enable_grad")
_CONSTRUCTORS = ("tensor", "arange", "linspace", "zeros", "ones")


def __getattr__(name: str) -> Any:
    if name in _ENGINE:
        value = getattr(import_module("adcli.engine"), name)
    elif name in _CONSTRUCTORS:
        value = getattr(import_module("adcli.api"), name)
    else:
        function = None if name.startswith("_") else import_module("adcli.ops").lookup(name)
        if function is None or function.constructor:
            raise AttributeError(f"module 'adcli' has no attribute {name!r}")
        value = function.apply
    globals()[name] = value  # later look-ups are plain attribute reads
    return value
