"""Names the language knows before any variable: its constants."""

import math

CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan,
                               "π": math.pi, "∞": math.inf}
