"""`adcli plot --output plot.svg|png|pdf`: the same curves drawn by matplotlib, a library made
for pictures. Imported by `plot --output` alone: matplotlib takes longer to import than all of
adcli.

The file is written next to its final name and moved there in one step (os.replace), so an
interrupted run never leaves half a picture under the name asked for. SVG and PDF carry no
date, so the same curves give the same file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from adcli.calculations import Curves
from adcli.views.plot import finite_or_nan, frame, name

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}, "png": {}}


def write(curves: Curves, path: Path) -> None:
    fmt = FORMATS[path.suffix.lower()]
    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global figure

    x = np.asarray(curves.x, dtype=np.float64)
    ys = [finite_or_nan(c) for c in (curves.value, *curves.derivatives)]
    box = frame(ys)
    with matplotlib.rc_context({"svg.hashsalt": "adcli", "svg.fonttype": "path"}):
        figure = Figure(figsize=(8, 4.5), layout="constrained")
        axes = figure.subplots()
        for k, y in enumerate(ys):
            axes.plot(x, y, label=name(k), linewidth=1.6)
        axes.axhline(0, color="0.6", linewidth=0.8)
        if box.clipped:
            axes.set_ylim(box.low, box.high)
        axes.set_xlabel(curves.variable)
        axes.set_title(f"f({', '.join(curves.point.formula.variables)}) = "
                       f"{curves.point.formula.source}" if not curves.point.formula.is_program
                       else f"the program in {curves.point.formula.name}")
        axes.grid(True, alpha=0.3)
        axes.legend()
        folder = path.resolve().parent
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                figure.savefig(stream, format=fmt, metadata=METADATA[fmt])
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 is for the temporary only
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
