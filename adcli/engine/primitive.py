"""What the engine needs to know about an operation: its value and its derivative rules.

The table of primitives lives in `adcli.ops`; the engine only calls `value` on the way forward
and the per-input `vjp` rules on the way back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# A VJP rule takes (g, ans, *inputs, **params) and returns the cotangent for one input.
VJPRule = Callable[..., Any]


@dataclass(frozen=True, eq=False)
class Primitive:
    name: str
    value: Callable[..., Any]
    # One rule per tensor input; None marks an input that no gradient flows to (a condition, an
    # index). `vjp=None` altogether makes the primitive non-differentiable: its output never
    # requires grad (comparisons, `detach`, constructors).
    vjp: tuple[VJPRule | None, ...] | None
    # Forward mode arrives in a later issue; the slot is here so each rule stays in one entry.
    jvp: tuple[Callable[..., Any] | None, ...] | None = None
    arity: int = 1
    doc: str = ""
    rule: str = ""
    params: tuple[str, ...] = field(default=())

    @property
    def differentiable(self) -> bool:
        return self.vjp is not None

    def rule_for(self, k: int) -> str:
        """The derivative rule with respect to input k, from `rule`, which lists one
        `∂…/∂a = …` part per input, separated by ", ∂" (or one text that holds for all)."""
        parts = self.rule.split(", ∂")
        if len(parts) > 1 and len(parts) == self.arity and k < len(parts):
            return parts[k] if k == 0 else "∂" + parts[k]
        return self.rule

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"
