"""What can go wrong inside a primitive, as the engine reports it (no formula knowledge here)."""


class OpError(ValueError):
    """A primitive refused its inputs: shapes that do not match, an index out of range."""

    kind = "shape"  # the error kind the language layer reports it as

    def __init__(self, op: str, message: str) -> None:
        super().__init__(message)
        self.op = op
        self.message = message


class SizeLimitError(OpError):
    """An array would be larger than adcli allows; raised before any memory is taken."""

    kind = "size-limit"


class TapeLimitError(OpError):
    """The values recorded for the backward pass would hold more memory than allowed."""

    kind = "tape-limit"


class WorkLimitError(OpError):
    """Repeated passes (forward mode, finite differences) would take more work than allowed;
    raised after the first pass, which measured what one costs."""

    kind = "work-limit"
