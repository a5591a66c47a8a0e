"""The engine's one piece of mutable state, shared by every tensor operation of the process.

Whether operations are recorded (torch's grad mode), whether numpy's IEEE mode is already held
for a whole sweep, how many derivative rules have run (for `adcli compare`), and how many
levels of forward mode are open (only then can an argument be a dual number, so only then does
`apply` look for one). One object, read and written through its attributes, so no module
reaches into another's globals.
"""

from __future__ import annotations

from typing import Any, Callable


class EngineState:
    __slots__ = ("grad_enabled", "ieee_held", "rules_applied", "dual_level", "forward_mode",
                 "batch_level", "batch_mode")

    def __init__(self) -> None:
        self.grad_enabled = True
        self.ieee_held = False
        self.rules_applied = 0
        self.dual_level = 0
        # apply(prim, args, params) for arguments that may include dual numbers, installed by
        # engine/forward.py (which builds on tensor.py, so tensor.py cannot import it).
        self.forward_mode: Callable[..., Any] | None = None
        # Batched sweeps (Jacobians, Hessians): how many are open, and apply(prim, values,
        # params) for values that may include a Batch, installed by engine/batching.py.
        self.batch_level = 0
        self.batch_mode: Callable[..., Any] | None = None


STATE = EngineState()
