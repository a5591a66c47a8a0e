"""What can go wrong inside a primitive, as the engine reports it (no formula knowledge here)."""


class OpError(ValueError):
    """A primitive refused its inputs: shapes that do not match, an index out of range."""

    def __init__(self, op: str, message: str) -> None:
        super().__init__(message)
        self.op = op
        self.message = message


class SizeLimitError(OpError):
    """An array would be larger than adcli allows; raised before any memory is taken."""
