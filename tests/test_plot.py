"""`adcli plot`: the curves' numbers against torch, the text plot on a fixed canvas (golden, no
colour), pictures read back by a parser for their format, the sampled points as JSON, and what
is refused. Regenerate the golden files after an intended change with ADCLI_UPDATE_GOLDEN=1 and
read the diff."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adcli.calculations import at_point, plot
from adcli.calculations.plot import DEFAULT_STEPS, with_samples
from test_orders import torch_orders

GOLDEN = Path(__file__).resolve().parent / "golden"


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ADCLI_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with ADCLI_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


# -- the numbers --------------------------------------------------------------------------------


def test_curves_are_torchs_derivatives(torch):
    specs, along = with_samples(["x=-2..2"], ["x"], None)
    curves = plot(at_point("sin(3x)*x", specs), along, order=2)
    x = np.asarray(curves.x)
    assert x.size == DEFAULT_STEPS + 1 and x[0] == -2 and x[-1] == 2
    assert not curves.pointwise
    expected = torch_orders(torch, lambda t, v: t.sin(3 * v) * v, x, 2)
    np.testing.assert_allclose(curves.value, np.sin(3 * x) * x, rtol=1e-13, atol=1e-15)
    for ours, theirs in zip(curves.derivatives, expected):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_a_formula_not_element_wise_in_x_is_computed_point_by_point(torch):
    # w is a vector held by --at: x is one number in dot([x, 1], w), as the formula means it
    curves = plot(at_point("dot([x, 1], w)^2", ["x=-1..=1:5", "w=[2, 3]"]), "x", order=2)
    assert curves.pointwise
    x = np.asarray(curves.x)
    np.testing.assert_allclose(curves.value, (2 * x + 3) ** 2)
    np.testing.assert_allclose(curves.derivatives[0], 4 * (2 * x + 3))
    np.testing.assert_allclose(curves.derivatives[1], np.full(5, 8.0))
    # x - mean(x) is 0 for one number x, whatever a vector of samples would make of it
    flat = plot(at_point("x - mean(x)", ["-1..=1:5"]), None, order=1)
    assert flat.pointwise and not np.any(flat.value) and not np.any(flat.derivatives[0])


def test_a_range_without_a_count_is_the_whole_interval():
    assert with_samples(["-2..2"], ["x"], None) == (["x=-2..=2:401"], "x")
    assert with_samples(["x=0..=pi"], ["x"], None) == (["x=0..=pi:401"], "x")
    # the user's own points are kept; so are the held variables' ranges
    assert with_samples(["x=0..1:10", "y=0..3"], ["x", "y"], "x") == (["x=0..1:10", "y=0..3"], "x")
    assert with_samples(["x=[1, 2, 3]"], ["x"], None) == (["x=[1, 2, 3]"], "x")
    assert with_samples(["x=-1..1", "y=3"], ["x", "y"], None) == (["x=-1..=1:401", "y=3"], "x")


# -- the terminal plot --------------------------------------------------------------------------


@pytest.mark.parametrize("name, args", [
    ("plot_sin.txt", ["sin(x)", "--at", "x=-pi..pi", "--width", "72", "--height", "12"]),
    ("plot_last.txt", ["log(x*x)*sin(x)+1/x", "--at", "-3..3", "--width", "80", "--height", "14"]),
    ("plot_held.txt", ["x^2*y", "--at", "x=0..2", "--at", "y=3", "--order", "2", "--width",
                       "60", "--height", "8"]),
    ("plot_one.txt", ["exp(-x^2)", "--at", "-3..3", "--order", "0", "--width", "50",
                      "--height", "6"]),
])
def test_text_plot_on_a_fixed_canvas(adcli, monkeypatch, name, args):
    monkeypatch.setenv("NO_COLOR", "1")
    run = adcli("plot", *args)
    assert run.code == 0, run.err
    width = int(args[args.index("--width") + 1])
    assert all(len(line) <= width for line in run.out.splitlines())
    _golden(name, run.out)


def test_without_colour_each_curve_has_its_own_character(adcli):
    run = adcli("plot", "x^2", "--at", "-1..1", "--width", "60", "--height", "8")
    assert "++ f   xx f′" in run.out  # the legend names the characters
    assert "⣿" not in run.out  # braille is for colour (or a single curve)


def test_in_colour_the_curves_are_braille_in_colours(adcli, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    run = adcli("plot", "x^2", "--at", "-1..1", "--width", "60", "--height", "8")
    assert run.code == 0, run.err
    assert "\x1b[" in run.out
    plain = re.sub(r"\x1b\[[\d;]*m", "", run.out)
    assert "⣿⣿ f   ⣿⣿ f′" in plain  # braille, told apart by colour
    assert adcli("plot", "x^2", "--at", "-1..1", "--width", "60", "--no-color").out.count("\x1b[") == 0


def test_gaps_and_a_pole_are_said_under_the_plot(adcli):
    run = adcli("plot", "1/x", "--at", "-2..2", "--width", "60", "--height", "8")
    said = " ".join(run.out.split())  # the notes wrap at the plot's width
    assert "f is inf at x = 0 (a gap in the curve)" in said
    assert "f′ is -inf at x = 0 (a gap in the curve)" in said
    assert "y from" in said and "values past it (near a pole) sit on its edge" in said


def test_plot_imports_uniplot_and_no_other_command_does():
    code = (
        "import sys\n"
        "from adcli.cli import main\n"
        "for args in (['grad', 'x^2', '--at', '1'], ['--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('imported', 'uniplot' in sys.modules, 'matplotlib' in sys.modules)\n"
        "try:\n"
        "    main(['plot', 'x^2', '--at', '0..1', '--width', '40'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('imported', 'uniplot' in sys.modules, 'matplotlib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    said = [line for line in done.stdout.splitlines() if line.startswith("imported")]
    assert said == ["imported False False", "imported True False"]


# -- the sampled points -------------------------------------------------------------------------


def test_json_gives_the_sampled_points(adcli):
    run = adcli("plot", "x^3", "--at", "x=0..=1:5", "--order", "2", "--json")
    assert run.code == 0, run.err
    doc = run.json()
    assert doc["command"] == "plot" and doc["wrt"] == "x" and doc["order"] == 2
    assert doc["at"]["x"] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert doc["value"] == [0.0, 0.015625, 0.125, 0.421875, 1.0]
    assert doc["derivatives"] == [[0.0, 0.1875, 0.75, 1.6875, 3.0], [0.0, 1.5, 3.0, 4.5, 6.0]]
    assert doc["pointwise"] is False
    nan = adcli("plot", "log(x)", "--at", "0..=1:3", "--json").json()
    assert nan["value"][0] == "-inf" and nan["derivatives"][0][0] == "inf"


def test_table_and_csv_give_the_sampled_points(adcli):
    table = adcli("plot", "x^2", "--at", "x=0..=1:3", "--table")
    # a column is whole numbers, or four digits after the point throughout, as a printed row
    assert table.out.splitlines()[1:] == ["     x       f  ∂f/∂x", "0.0000  0.0000      0",
                                           "0.5000  0.2500      1", "1.0000  1.0000      2"]
    csv = adcli("plot", "x^2", "--at", "x=0..=1:3", "--csv")
    assert csv.out == "x,f,df/dx\n0.0,0.0,0.0\n0.5,0.25,1.0\n1.0,1.0,2.0\n"


# -- pictures -----------------------------------------------------------------------------------


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """PNG's chunks, each CRC checked: (type, data)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def _pdf_objects(data: bytes) -> int:
    """A PDF's structure: the header, the cross-reference table startxref points at, its
    entries each pointing at `N 0 obj`, and the end marker. Returns the number of objects."""
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    offset = int(data[data.rindex(b"startxref") + 9:].split()[0])
    assert data[offset:offset + 4] == b"xref"
    lines = data[offset:].split(b"\n")
    first, count = (int(n) for n in lines[1].split())
    for number, entry in enumerate(lines[2:2 + count], start=first):
        where, _, kind = entry.split()[:3]
        if kind == b"n":
            assert data[int(where):].startswith(f"{number} 0 obj".encode()), number
    return count


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf"])
def test_the_picture_is_a_valid_file_of_its_format(adcli, tmp_path, suffix):
    path = tmp_path / f"plot{suffix}"
    run = adcli("plot", "log(x*x)*sin(x)+1/x", "--at", "-3..3", "--output", str(path))
    assert run.code == 0, run.err
    assert run.out == ""
    data = path.read_bytes()
    if suffix == ".svg":
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        paths = root.findall(".//{http://www.w3.org/2000/svg}path")
        assert len(paths) > 20  # the curves, the axes, the glyphs of the text (as paths)
    elif suffix == ".png":
        chunks = _png_chunks(data)
        assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
        width, height = struct.unpack(">II", chunks[0][1][:8])
        assert width > 400 and height > 200
        pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
        assert len(pixels) > width * height  # one filter byte a row, then 3-4 bytes a pixel
    else:
        assert _pdf_objects(data) > 5
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask  # not the temporary file's 0600


def test_the_same_curves_give_the_same_svg(adcli, tmp_path):
    for name in ("a.svg", "b.svg"):
        assert adcli("plot", "sin(x)", "--at", "0..3", "-o", str(tmp_path / name)).code == 0
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_picture_errors(adcli, tmp_path):
    run = adcli("plot", "x", "--at", "0..1", "-o", str(tmp_path / "plot.gif"), "--json")
    assert run.code == 2 and "plot writes .svg, .png or .pdf" in run.error()["message"]
    missing = tmp_path / "no" / "such" / "folder" / "plot.svg"
    run = adcli("plot", "x", "--at", "0..1", "-o", str(missing), "--json")
    assert run.code == 1 and "cannot write" in run.error()["message"]


# -- what is refused ----------------------------------------------------------------------------


@pytest.mark.parametrize("args, code, words", [
    (["x^2", "--at", "x=3"], 2, "a vector of at least 2 points, not one number"),
    (["x*y", "--at", "x=0..1", "--at", "y=0..1"], 2, "choose it with --wrt"),
    (["x*[1, 2]", "--at", "x=0..1", "--wrt", "x"], 1, "f has shape (2,)"),
    (["2 + 3"], 2, "this formula has none"),
    (["x", "--at", "0..1", "--order", "9"], 2, "between 0 and 8"),
    (["x", "--at", "0..1", "--table", "--json"], 2, "give one of them"),
    # no place on an axis (and uniplot's ticks square the axis' length)
    (["exp(x)", "--at", "x=[1, nan]"], 2, "x holds nan (element 1)"),
    (["x", "--at", "x=[0, 1, -inf]"], 2, "x holds -inf (element 2)"),
    (["x", "--at", "x=[1e300, 1e301]"], 2, "from -1e150 to 1e150, and x holds 1e+300"),
])
def test_refusals(adcli, args, code, words):
    run = adcli("plot", *args, "--json")
    assert run.code == code and run.out == ""
    assert words in run.error()["message"]


@pytest.mark.parametrize("formula, at, said", [
    # f everywhere nan, f′ = 1/x drawn alone, under its own name
    ("log(x)", "x=-2..-1", "f is nan at x = -2, -1.9975, -1.9950, -1.9925, … (401 points)"),
    # values past what the y axis can reach (1e150) sit on its edge
    ("exp(x)", "x=0..400", "values past it (near a pole) sit on its edge"),
    ("1e200*x", "x=0..1", "y from -1 to 1: values past it"),
    ("x", "x=[1, 1]", "2 points of x from 1 to 1"),
    # axes shorter than a tick's power of ten can be: drawn around their value
    ("exp(-x^2)", "x=[0, 5e-324]", "2 points of x from 0 to 4.9407e-324"),
    ("5e-324*x", "x=0..1", "401 points of x from 0 to 1"),
])
def test_curves_at_the_edges_are_drawn(adcli, formula, at, said):
    run = adcli("plot", formula, "--at", at, "--width", "60", "--height", "8", "--no-color")
    assert run.code == 0, run.err
    assert said in " ".join(run.out.split())
    assert "┌" in run.out and "xx f′" in run.out


def test_when_no_curve_has_a_finite_value_nothing_is_drawn(adcli):
    run = adcli("plot", "log(x)", "--at", "x=-2..-1", "--order", "0", "--width", "60")
    assert run.code == 0, run.err
    assert run.out.splitlines()[1] == "nothing to draw: no curve has a finite value here"
    assert "┌" not in run.out and "f is nan at x = -2" in run.out


# Numbers of every magnitude, as samples of x and inside f: whatever the axes come to, the plot
# is drawn (or x is refused, exit 2), never uniplot's error.
_magnitudes = st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=64),
                        st.sampled_from([0.0, -0.0, 5e-324, 1e-300, 1e150, -1e150, 1e151]))


@settings(max_examples=int(os.environ.get("ADCLI_FUZZ_EXAMPLES", "0")) or 60, deadline=None,
          derandomize="ADCLI_FUZZ_EXAMPLES" not in os.environ, database=None,
          suppress_health_check=list(HealthCheck))
@given(xs=st.lists(_magnitudes, min_size=2, max_size=6), scale=_magnitudes,
       formula=st.sampled_from(["x", "c*x", "exp(c*x)", "c/x", "log(c*x)", "x^3 + c",
                                "where(x > c, c, x)", "c*sin(x)"]))
def test_any_magnitudes_are_drawn_or_refused(adcli, xs, scale, formula):
    text = formula.replace("c", f"({scale!r})")
    run = adcli("plot", text, "--at", f"x={xs!r}", "--width", "40", "--height", "5",
                "--no-color")
    assert run.code in (0, 2), (text, xs, run.err)
    assert run.code == 2 or "points of x from" in run.out, (text, xs, run.out)


def test_samples_in_any_order_draw_the_same_curve(adcli):
    given = adcli("plot", "x^2", "--at", "x=[2, 0.5, 3, 1]", "--width", "60", "--height", "8")
    ordered = adcli("plot", "x^2", "--at", "x=[0.5, 1, 2, 3]", "--width", "60", "--height", "8")
    assert given.code == ordered.code == 0
    assert given.out.replace("[2, 0.5, 3, 1]", "") == ordered.out.replace("[0.5, 1, 2, 3]", "")
    assert "4 points of x from 0.5000 to 3" in given.out


def test_several_variables_plot_along_the_one_asked(adcli, torch: Any):
    run = adcli("plot", "x*y + sin(x)", "--at", "x=0..=1:3", "--at", "y=0..=2:3", "--wrt", "y",
                "--json")
    doc = run.json()
    assert doc["wrt"] == "y" and doc["at"]["y"] == [0.0, 1.0, 2.0]
    assert doc["derivatives"][0] == doc["at"]["x"]  # ∂(xy + sin x)/∂y = x, element by element
