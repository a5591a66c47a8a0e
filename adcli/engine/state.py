"""The engine's one piece of mutable state, shared by every tensor operation of the process.

Whether operations are recorded (torch's grad mode), whether numpy's IEEE mode is already held
for a whole sweep, how many derivative rules have run (for `adcli compare`), and how many
levels of forward mode are open (only then can an argument be a dual number, so only then does
`apply` look for one). One object, read and written through its attributes, so no module
reaches into another's globals.

It also keeps the budget of a computation (engine/budget.py): the elements and primitive calls
computed so far (the work a pass takes, measured rather than guessed), the bytes recorded on
the tape since it was last counted, and the caps on both, which the command line sets and the
Python API leaves off (None), as torch has none.
"""

from __future__ import annotations

from typing import Any, Callable


class EngineState:
    __slots__ = ("grad_enabled", "ieee_held", "rules_applied", "dual_level", "forward_mode",
                 "batch_level", "batch_mode", "elements", "calls", "tape", "recorded_bytes",
                 "max_tape_bytes", "max_work")

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
        self.elements = 0  # elements of every primitive's result, values and rules alike
        self.calls = 0  # primitives applied
        self.tape = 0  # the tape being recorded: the tensors it makes carry this number
        self.recorded_bytes = 0  # bytes of the values recorded since the tape was last counted
        self.max_tape_bytes: int | None = None
        self.max_work: int | None = None

    def reset(self) -> None:
        """Back to a fresh process's modes. A signal (--timeout, Ctrl-C) can land between any
        two bytecodes, even in the `finally` that restores a mode: the command line resets the
        modes before each computation rather than trust every unwinding to have finished."""
        self.grad_enabled = True
        self.ieee_held = False
        self.dual_level = 0
        self.recorded_bytes = 0
        self.batch_level = 0


STATE = EngineState()
