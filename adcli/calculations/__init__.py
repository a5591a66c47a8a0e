"""One typed function per question a front end can ask: a `Point` (a parsed formula or program
and the values of its variables) in, an immutable result out. The CLI, the interactive
session and `plot` all call these; none computes for itself.

    point = at_point("x*x", ["0..5"])
    gradient(point).gradient["x"]          # [0, 2, 4, 6, 8]
"""

from adcli.calculations.check import Check, check
from adcli.calculations.compare import Comparison, compare
from adcli.calculations.directions import Directional, directional
from adcli.calculations.diff import Derivative, derivative
from adcli.calculations.functions import FunctionTable, function_table
from adcli.calculations.swell import Swell, swell
from adcli.calculations.matrices import Hessian, Jacobian, hessian, jacobian
from adcli.calculations.nonfinite import Origin
from adcli.calculations.orders import Derivatives, derivatives
from adcli.calculations.plot import Curves, plot
from adcli.calculations.point import DTYPES, Answer, Point, Run, at_point, bind_point
from adcli.calculations.tape import Tape, record
from adcli.calculations.values import Evaluation, Gradient, gradient, value

__all__ = [
    "DTYPES", "Answer", "Check", "Comparison", "Curves", "Derivative", "Derivatives",
    "Directional", "Evaluation", "FunctionTable", "Gradient", "Hessian", "Jacobian", "Origin",
    "Point", "Run", "Swell", "Tape", "at_point", "bind_point", "check", "compare", "derivative",
    "derivatives", "directional", "function_table", "gradient", "hessian", "jacobian", "plot",
    "record", "swell", "value",
]
