"""adcli: a differentiation calculator with its own automatic differentiation, reverse and forward.

The Python API mirrors the PyTorch words of the notebook it grew from:

    >>> import adcli as ad
    >>> x = ad.arange(0, 5).requires_grad_()
    >>> y = 2 * ad.dot(x, x)
    >>> y.backward()
    >>> x.grad
    tensor([ 0.,  4.,  8., 12., 16.])
    >>> ad.grad(ad.grad(ad.grad(lambda x: x**4)))(2.0)
    tensor(48.)

Names are loaded on first use, so that `adcli --help` starts without importing numpy.
"""

from __future__ import annotations

# Nothing imported here: `adcli` (adcli/__main__.py) handles Ctrl-C from its first line, and
# every import before that line is a moment where Python would print a traceback instead.

__version__ = "0.1.0"

_ENGINE = ("Tensor", "no_grad", "enable_grad")
_CONSTRUCTORS = ("tensor", "arange", "linspace", "zeros", "ones")
_TRANSFORMS = ("jvp", "vjp", "grad", "jacobian", "hessian")  # adcli/functional.py


def __getattr__(name: str) -> object:
    from importlib import import_module

    if name in _ENGINE:
        value = getattr(import_module("adcli.engine"), name)
    elif name in _CONSTRUCTORS:
        value = getattr(import_module("adcli.api"), name)
    elif name in _TRANSFORMS:
        value = getattr(import_module("adcli.functional"), name)
    else:
        function = None if name.startswith("_") else import_module("adcli.ops").lookup(name)
        if function is None or function.constructor:
            raise AttributeError(f"module 'adcli' has no attribute {name!r}")
        value = function.apply
    globals()[name] = value  # later look-ups are plain attribute reads
    return value
