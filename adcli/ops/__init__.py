"""The registry of primitives: one entry per operation, with its value and derivative rules."""

from adcli.ops import batching, tensor_methods  # noqa: F401  (batching rules; Python's operators)
from adcli.ops.axes import normalize_axis, normalize_axes
from adcli.ops.creation import arange, linspace, ones, zeros
from adcli.ops.elementwise import (
    absolute, acos, add, asin, atan, clip, cos, cosh, detach, div, eq, exp, expm1, ge, gt, le,
    log, log1p, log2, log10, logical_and, logical_not, logical_or, lt, maximum, minimum, mul,
    ne, neg, power, relu, sigmoid, sign, sin, sinh, softplus, sqrt, sub, tan, tanh, where,
)
from adcli.ops import limits  # noqa: F401  (the size limits, which the command line may raise)
from adcli.ops.limits import check_size
from adcli.ops.linalg import dot, matmul, outer, transpose
from adcli.ops.reductions import logsumexp, max_, mean, min_, norm, prod, size, softmax, sum_
from adcli.ops.registry import (
    ALIASES, FUNCTIONS, PRIMITIVES, Function, lookup, operators, suggest,
)
from adcli.ops.shape import broadcast_to, getitem, reshape, stack, sum_to, unbroadcast

# The vocabulary beyond the core: one registry entry each, grouped by kind.
from adcli.ops.elementary import (  # noqa: E402
    acosh, asinh, atan2, atanh, cbrt, ceil, cot, csc, exp2, floor, hypot, logaddexp, mod,
    reciprocal, round_, sec, sinc, square,
)
from adcli.ops.special import digamma, erf, erfc, lgamma, polygamma  # noqa: E402
from adcli.ops.arrange import concat, flatten, flip, moveaxis, roll, sort  # noqa: E402
from adcli.ops.statistics import cumprod, cumsum, std, var  # noqa: E402
from adcli.ops.matrices import cross, det, diag, inv, kron, solve, trace, tril, triu  # noqa: E402
from adcli.ops.einsum import einsum, tensordot  # noqa: E402

__all__ = [name for name in dir() if not name.startswith("_")]
