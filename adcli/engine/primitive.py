"""What the engine needs to know about an operation: its value and its derivative rules.

The table of primitives lives in `adcli.ops`; the engine calls `value` on the way forward, the
per-input `vjp` rules on the way back, and the per-input `jvp` rules in forward mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# A VJP rule takes (g, ans, *inputs, **params), g the adjoint of the output (shaped like it), and
# returns the cotangent for its input, shaped like that input.
VJPRule = Callable[..., Any]
# A JVP rule takes (t, ans, *inputs, **params), t the tangent of its input (shaped like it), and
# returns that input's contribution to the output's tangent, shaped like the output; the engine
# adds up the contributions of the inputs that carry a tangent.
JVPRule = Callable[..., Any]


@dataclass(frozen=True, eq=False)
class Primitive:
    name: str
    value: Callable[..., Any]
    # One rule per tensor input; None marks an input that no gradient flows to (a condition, an
    # index). `vjp=None` altogether makes the primitive non-differentiable: its output never
    # requires grad (comparisons, `detach`, constructors).
    vjp: tuple[VJPRule | None, ...] | None
    # Forward mode: one rule per tensor input, None exactly where `vjp` has None.
    jvp: tuple[JVPRule | None, ...] | None = None
    arity: int = 1
    doc: str = ""
    rule: str = ""
    params: tuple[str, ...] = field(default=())
    # The inputs' names, as the derivative rules and their labels call them (`x`; `a`, `b`; `A`,
    # `B` for matmul; `cond`, `a`, `b` for where).
    inputs: tuple[str, ...] = field(default=())
    # What the rules do at the edges, in words (torch's conventions: `abs'(0) = 0`).
    note: str = ""

    @property
    def differentiable(self) -> bool:
        return self.vjp is not None

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"
