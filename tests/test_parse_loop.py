"""adcli's parser (adcli/language/lalr.py, which runs the generated tables without lark) against
lark's own, built from the grammar files: for any text, formula or program, both give the same
AST (every node's kind, fields and span), the same variables and the same tokens (types, text,
offsets, lines and columns) to each reduction, or the same error with the same message, kind,
span and hint. And a text that parses never imports lark."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from dataclasses import fields
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adcli.errors import InputError
from adcli.language import ast, grammar_tables, lark_parser, parser
from adcli.language.lalr import FORMAT, Driver, Refused
from adcli.ops import ALIASES, FUNCTIONS


def dump(tree: Any) -> list[Any]:
    """Every node (and statement) with its fields, parents first, without recursion."""
    out, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (tuple, list)):
            out.append(("seq", len(node)))
            stack.extend(reversed(node))
        elif hasattr(node, "__dataclass_fields__") and not isinstance(node, ast.Span):
            out.append(type(node).__name__)
            stack.extend(reversed([getattr(node, f.name) for f in fields(node)]))
        else:
            out.append(node)
    return out


class Watching:
    """The tree builder, noting every token a reduction is given, with all its fields."""

    def __init__(self) -> None:
        self.build, self.tokens = parser.Build(), []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.build, name)  # lark asks for names the builder has not: it raises

        def reduce(children: list[Any]) -> Any:
            self.tokens += [(c.type, str(c), c.start_pos, c.end_pos, c.line, c.column,
                             c.end_line, c.end_column) for c in children if isinstance(c, str)]
            return method(children)

        return reduce


@functools.lru_cache(maxsize=None)
def larks_own(program: bool) -> tuple[Any, Watching]:
    """Lark's parser built from the grammar files, with a watching tree builder."""
    with mock.patch.object(lark_parser, "Build", Watching):
        lark = lark_parser.build_parser(program)
    return lark, lark.options.transformer


@functools.lru_cache(maxsize=None)
def adclis(program: bool) -> tuple[Driver, Watching]:
    """adcli's parser of the generated tables, with a watching tree builder."""
    watching = Watching()
    return Driver(grammar_tables.plain_tables(program), watching), watching


class Refuses:
    def parse(self, text: str) -> Any:
        raise Refused


def refused_for_good(parse_with_lark: Any) -> Any:
    """parse_with_lark, which must raise: else adcli's parser refused a text lark parses."""

    def parse(*args: Any) -> Any:
        parse_with_lark(*args)
        raise AssertionError("adcli's parser refused a text lark's parses")

    return parse


def outcome(text: str, program: bool, lark: bool) -> Any:
    """parse()'s answer from adcli's parser (where it refuses, lark says why, from the generated
    tables), or from lark's own built from the grammar files (which then parses every text)."""
    if lark:
        lark_parse, watching = larks_own(program)
        patches = (mock.patch.object(parser, "_driver", lambda program=False: Refuses()),
                   mock.patch.object(lark_parser, "lark_parser", lambda program=False: lark_parse))
    else:
        driver, watching = adclis(program)
        patches = (mock.patch.object(parser, "_driver", lambda program=False: driver),
                   mock.patch.object(lark_parser, "parse_with_lark",
                                     refused_for_good(lark_parser.parse_with_lark)))
    watching.tokens = []
    with patches[0], patches[1]:
        try:
            formula = parser.parse(text, program=program)
        except InputError as error:
            return ("error", error.message, error.kind, error.start, error.end, error.hint)
    return dump(formula.tree), formula.variables, sorted(formula.functions), watching.tokens


def same(text: str, program: bool = False) -> None:
    assert outcome(text, program, lark=False) == outcome(text, program, lark=True)


@pytest.mark.parametrize("text", [
    "1 + 2 * 3", "-x^2", "2x^2 y", "e^2x", "√2x", "x²", "sin((0..=1:5))", "0..1:4", "0...5",
    "sum(x, axis=0)", "sum(x, 0)", "einsum('ij,jk->ik', A, B)", "x[1:, ::2]", "[1, 2,]",
    "0 < x < 1", "x > 0 and not x < 1 or y", "30deg", "30°", "(x+1)(x-1)", "2πr", "x 2",
    "sin", "foo(x)", "max(a, b, c)", "sum(x, axis=0, x)", "", "x +", "x + + ", "'a'", ")",
    "((((((x))))))", "[[1, 2], [3, 4]] @ [1, 2]", "x ≤ 1", "1 −2 × 3 ÷ 4", "x\n+1",
    "x[:]", "x[::]", "x[1:2:3]", "f()", "1 $ 2", "android + order", "x and\n\ty", "x\r\n+ 1",
])
def test_examples(text: str) -> None:
    same(text)


@pytest.mark.parametrize("text", [
    "y = x + 1\ny * 2", "def f(a):\n    return a * 2\nf(x)", "if x > 0:\n    y = 1\nelse:\n"
    "    y = 2\ny", "for t in 0..3:\n  s = s + t\ns", "x = 1\n  y = 2", "def sin(a):\n  pass",
    "while x < 3:\n    x = x + 1\nx", "f(x)\ndef f(a):\n    return a", "x = (1 +\n 2)\nx",
    "if x:\n    pass\n  y", "return", "x = ", "x; y; z",
    # indentation: tabs are 8 columns, blocks nest and close several at once, brackets span lines
    "if x:\n\ty = 1\n        z = 2\nz", "if x:\n\ty = 1\n    z = 2", "if x:\n  if y:\n    z = 1\nz",
    "def f(a):\n    if a:\n        return 1\n    return 2\n\n\nf(x)", "if x:\n    y = [1,\n2,\n"
    "  3]\n    y", "x = (1 +\n\t\t2 +  # a comment\n 3)\nx", "if x:\n    y = 1\n   z = 2",
    "# a comment\n\n  \nx = 1  # another\n\n# more\nx", "if x:\n  y = 1\n\n  # note\n  z = y\nz",
    "x = 1 + \\\n    2\nx", "if x:\r\n    y = 1\r\ny", "if x: y = 1\ny", "if x:\ny", "(x\n",
    "x)\n", "def f(a,\n      b):\n    return a\nf(1, 2)", "if x:\n    y = 1\nelif z:\n    y = 2\n"
    "else:\n    y = 3\ny", "\n\n    x", "if x:\n    y = 1\n    ", "[x,\n", "x = [\n  1]\n  y",
])
def test_programs(text: str) -> None:
    same(text, program=True)


TOKENS = ["x", "y", "2", "0.5", ".5", "1e3", "pi", "π", "∞", "+", "-", "*", "/", "^", "**", "·",
          "@", "(", ")", "[", "]", ",", ":", "..", "..=", "<", "==", "≤", "and", "or", "not",
          "=", "²", "⁻¹", "√", "°", "'ij'", " ", "axis", "\n", "    ", "if", "def", "return",
          *[f"{name}(" for name in [*FUNCTIONS, *ALIASES]][:40]]

EXAMPLES = settings(max_examples=400, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


@EXAMPLES
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=16), st.booleans())
def test_any_text(parts: list[str], program: bool) -> None:
    same("".join(parts), program)


# Programs line by line, each indented as its block asks (a block opens after a `:`, any number
# close at once) but now and then not, so that blocks, their indentation and its mistakes are
# all common.
SIMPLE = ["x = 1", "y = x + 1", "return a", "return", "pass", "max(x, 1)", "x; y;", "y = 1  # a",
          "s = s + t", "x = (1 +\n  2)", "y = [x,\n\t2]", "x = 1 + \\\n    2", "z = sin(x)", "y",
          "if x: y = 1", "x = max(1,\n\n# a comment\n   2)"]
HEADERS = ["if x > 0:", "while x < 3:", "for t in 0..3:", "def f(a):", "if y:"]
ODD = ["# a comment", "", "   ", "x = (1 +", "2)", "]", "f(1,", "z = sin(x", ")", "def", "else:",
       "elif y:", "for t in 0..3:4:"]
INDENTS = ["", "  ", "    ", "\t", "\t  ", "        ", "   "]
ENDS = ["\n", "\n", "\n", "\r\n", "\n\n", "\n  \n", "  # note\n"]


@EXAMPLES
@given(st.data())
def test_any_program(data: st.DataObject) -> None:
    levels, text, opened = [""], [], False
    for _ in range(data.draw(st.integers(1, 12))):
        if opened:
            levels.append(levels[-1] + data.draw(st.sampled_from(["    ", "  ", "\t", " " * 8])))
        else:
            del levels[data.draw(st.integers(1, len(levels))):]
        indent = levels[-1]
        if data.draw(st.integers(0, 14)) == 0:
            indent = data.draw(st.sampled_from(INDENTS))
        odd = data.draw(st.integers(0, 14)) == 0
        line = data.draw(st.sampled_from(ODD if odd else SIMPLE * 2 + HEADERS))
        opened = line.endswith(":")
        text.append(indent + line + data.draw(st.sampled_from(ENDS)))
    same("".join(text).rstrip("\n") if data.draw(st.booleans()) else "".join(text), program=True)


def test_the_examples_parse_where_they_should():
    """The comparisons above see both outcomes: texts that parse and texts that do not."""
    assert outcome("if x:\n\ty = 1\n        z = 2\nz", True, lark=False)[0] != "error"
    assert outcome("if x:\n    y = 1\n   z = 2", True, lark=False)[:2] == (
        "error", "the indentation does not match any outer block (Unexpected dedent to column 3."
        " Expected dedent to 0)")
    tokens = outcome("x = (1 +\n\t\t2 +  # a comment\n 3)\nx", True, lark=False)[3]
    assert ("NAME", "x", 32, 33, 4, 1, 4, 2) in tokens  # (type, text, offsets, line and column)
    assert tokens[-1] == ("_NL", "\n", 33, 34, 4, 2, 5, 1)


@pytest.mark.parametrize("program", [False, True])
def test_the_tables_are_plain_data(program):
    """What lalr.py runs holds no object of lark's (lark's names are its Tokens, `str`s): the
    same whether it comes from the generated module's JSON or straight from lark."""
    tables = lark_parser.plain_tables(lark_parser.build_parser(program))
    stack = [tables]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            assert all(type(key) is str for key in value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        else:
            assert type(value) in (str, int, bool, type(None)), repr(value)
    assert json.loads(json.dumps(tables)) == tables


def test_stale_tables_give_way_to_the_grammar_files():
    """Should the grammar change and the tables not be written again (test_language fails then),
    lark builds the parser from the grammar files, and lalr.py runs its tables all the same."""
    text = "def f(a):\n    return a[1:] * 2\nf(x) + sin(y)"
    before = outcome(text, True, lark=True)
    with mock.patch.object(grammar_tables, "FORMAT", FORMAT - 1):  # written for an older lalr.py
        assert not parser._tables_current()
    parser._driver.cache_clear()
    lark_parser.lark_parser.cache_clear()
    try:
        with mock.patch.object(grammar_tables, "GRAMMAR", "another grammar"):
            assert not parser._tables_current()
            assert dump(parser.parse(text, program=True).tree) == before[0]
            with pytest.raises(InputError, match="unexpected '\\*'"):
                parser.parse("2 +* x")
            assert lark_parser.lark_parser(True).source_path != "<deserialized>"
    finally:
        parser._driver.cache_clear()
        lark_parser.lark_parser.cache_clear()


# -- what a process imports ---------------------------------------------------------------------

# adcli's console script, telling on standard error whether lark was imported by the end.
WATCHED = """
import atexit, sys
atexit.register(lambda: print("lark imported:", "lark" in sys.modules, file=sys.stderr))
sys.argv = ["adcli", *sys.argv[1:]]
from adcli.__main__ import main
main()
"""


def adcli_process(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WATCHED, *args], capture_output=True,
                          text=True, timeout=120)


def test_a_formula_that_parses_never_imports_lark():
    run = adcli_process("grad", "sin(x)", "--at", "1", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["gradient"]["x"] == pytest.approx(0.5403023058681398)
    assert run.stderr == "lark imported: False\n"


def test_a_program_that_parses_never_imports_lark(tmp_path):
    program = tmp_path / "blocks.adl"
    program.write_text("def f(a):\n    if a > 0:\n        return a * 2\n    return 0\n\n"
                       "# the point\nf(x) + (1 +\n  2)\n", encoding="utf-8")
    run = adcli_process("eval", "-f", str(program), "--at", "x=2", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["value"] == 7.0
    assert run.stderr == "lark imported: False\n"


def test_a_formula_that_does_not_parse_says_why_as_before():
    """lark, imported to say what is wrong, says it as it always has."""
    run = adcli_process("grad", "2 +* x", "--at", "x=1", "--json")
    assert run.returncode == 2
    assert json.loads(run.stderr.splitlines()[0]) == {"error": {
        "kind": "syntax", "message": "unexpected '*'", "exit_code": 2, "source": "2 +* x",
        "start": 3, "end": 4, "line": 1, "column": 4,
        "hint": "expected a name, a number, '(', '+', '-', '[', '√' or π or ∞"}}
    assert run.stderr.splitlines()[1] == "lark imported: True"
    run = adcli_process("grad", "2 +* x", "--at", "x=1")
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == ("error: unexpected '*'\n  2 +* x\n     ^\n"
                          "  hint: expected a name, a number, '(', '+', '-', '[', '√' or π or ∞\n"
                          "lark imported: True\n")
