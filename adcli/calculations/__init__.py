"""One typed function per question a front end can ask: a `Point` (a parsed formula or program
and the values of its variables) in, an immutable result out. The CLI, the interactive
session and `plot` all call these; none computes for itself.

    point = at_point("x*x", ["0..5"])
    gradient(point).gradient["x"]          # [0, 2, 4, 6, 8]

Each name is imported on first use, so that `adcli grad` does not load what only `adcli check`
or `adcli graph` needs (every command is a process of its own: README, Speed).
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

# name -> the module of this package that defines it
_WHERE = {
    "Check": "check", "check": "check",
    "Comparison": "compare", "compare": "compare",
    "Directional": "directions", "directional": "directions",
    "Derivatives": "orders", "derivatives": "orders",
    "Derivative": "diff", "derivative": "diff",
    "FunctionTable": "functions", "function_table": "functions",
    "Swell": "swell", "swell": "swell",
    "Curves": "plot", "plot": "plot",
    "Hessian": "matrices", "Jacobian": "matrices", "hessian": "matrices", "jacobian": "matrices",
    "Origin": "nonfinite",
    "DTYPES": "point", "Answer": "point", "Point": "point", "Run": "point", "at_point": "point",
    "bind_point": "point",
    "Bindings": "program", "bindings": "program",
    "Tape": "tape", "record": "tape",
    "Evaluation": "values", "Gradient": "values", "gradient": "values", "value": "values",
}

__all__ = sorted(_WHERE)

if TYPE_CHECKING:
    from adcli.calculations.check import Check, check
    from adcli.calculations.compare import Comparison, compare
    from adcli.calculations.diff import Derivative, derivative
    from adcli.calculations.directions import Directional, directional
    from adcli.calculations.functions import FunctionTable, function_table
    from adcli.calculations.orders import Derivatives, derivatives
    from adcli.calculations.plot import Curves, plot
    from adcli.calculations.matrices import Hessian, Jacobian, hessian, jacobian
    from adcli.calculations.nonfinite import Origin
    from adcli.calculations.point import DTYPES, Answer, Point, Run, at_point, bind_point
    from adcli.calculations.program import Bindings, bindings
    from adcli.calculations.swell import Swell, swell
    from adcli.calculations.tape import Tape, record
    from adcli.calculations.values import Evaluation, Gradient, gradient, value


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'adcli.calculations' has no attribute {name!r}")
    value = getattr(import_module(f"adcli.calculations.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


class _Package(ModuleType):
    """Python sets a package's attribute to each submodule it loads; `check`, `compare` and
    `plot` name both a submodule and its function, and here the name is the function's (as it was when this
    package imported everything at once)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and name in _WHERE:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
