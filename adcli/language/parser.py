"""Text to AST: an LALR parser with the tree built at each reduction, so neither parsing nor
tree building recurses (10,000 nested parentheses parse like one). A text that parses never
imports lark: adcli/language/lalr.py runs the tables lark made of the grammar. One that does not
is parsed again by lark (adcli/language/lark_parser.py), whose error becomes an `InputError`
that says, in words, what was expected and where.
"""

from __future__ import annotations

import functools
import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adcli.errors import InputError
from adcli.language import ast
from adcli.language.calls import check
from adcli.language.constants import CONSTANTS
from adcli.language.lalr import FORMAT, Driver, Refused
from adcli.ops.registry import lookup

MAX_FORMULA_LENGTH = 2_000_000  # characters; everything below is parsed and evaluated iteratively


@dataclass(eq=False)
class Formula:
    """A parsed formula, or a program (`tree` is then an ast.Program)."""

    source: str
    tree: Any
    variables: tuple[str, ...]  # the inputs, in order of first appearance
    functions: dict[str, Any] = field(default_factory=dict)  # a program's `def`s by name
    name: str | None = None  # the file a program came from ("-" for standard input)

    @property
    def is_program(self) -> bool:
        return isinstance(self.tree, ast.Program)

    def text(self, node: ast.Expr) -> str:
        return node.span.text(self.source)


def grammar_file(name: str) -> Path:
    """The grammar ships inside the wheel as adcli/grammar/; a source checkout has it at top level."""
    here = Path(__file__).resolve().parent.parent
    for folder in (here / "grammar", here.parent / "grammar"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"adcli's grammar {name} is missing from {here}")


@dataclass
class _Seq:
    """Comma-separated children (arguments, vector items, subscripts) with their span."""

    items: tuple[Any, ...]
    span: ast.Span


# A reduction's children are AST nodes, _Seqs, None (an [optional] part left out) and tokens:
# adcli's lalr.Token, or lark's Token where lark parses (to raise its error). Both are `str`s,
# and nothing else among the children is, so `isinstance(child, str)` tells the tokens apart.


def _span(children: list[Any]) -> ast.Span:
    first, last = children[0], children[-1]
    if first is None or last is None:  # an optional part left out ([expr] in a slice)
        present = [c for c in children if c is not None]
        first, last = present[0], present[-1]
    return ast.Span(first.start_pos if isinstance(first, str) else first.span.start,
                    last.end_pos if isinstance(last, str) else last.span.end)


def _nodes(children: list[Any]) -> list[Any]:
    return [c for c in children if not isinstance(c, str)]


def _binary(op: str) -> Any:
    def build(self: Any, children: list[Any]) -> ast.Binary:
        left, right = _nodes(children)
        return ast.Binary(_span(children), op, left, right)

    return build


# Mathematical notation, read as the language's own
_COMPARISONS = {"≤": "<=", "≥": ">=", "≠": "!="}
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
# 30deg is not 30 times a variable named deg
UNITS = ("deg", "degree", "degrees")


def _units(number: ast.Number, unit: ast.Name) -> InputError:
    return InputError(f"units are not supported: `{unit.id}`", kind="units",
                      start=unit.span.start, end=unit.span.end,
                      hint="angles are in radians: write 30*pi/180 for 30 degrees")


class Build:
    """Called by the parser at each reduction: children in, one AST node out. Where lark parses
    (lark_parser.py), it looks these methods up by the rules' names, all it needs of a
    transformer: no class of lark's to import."""

    def __getattr__(self, name: str) -> Any:
        # program.lark imports formula.lark, which prefixes the imported rules' names.
        if name.startswith("formula__"):
            return getattr(self, name[len("formula__"):])
        raise AttributeError(name)

    add, sub = _binary("+"), _binary("-")
    and_, or_ = _binary("and"), _binary("or")
    mul, div, dot, matmul = _binary("*"), _binary("/"), _binary("·"), _binary("@")
    pow = _binary("^")

    def compare(self, children: list[Any]) -> ast.Binary:
        left, op, right = children
        return ast.Binary(_span(children), _COMPARISONS.get(str(op), str(op)), left, right)

    def number(self, children: list[Any]) -> ast.Number:
        (token,) = children
        return ast.Number(_span(children), float(token))

    def name(self, children: list[Any]) -> ast.Name:
        (token,) = children
        node = ast.Name(_span(children), str(token))
        if node.id not in CONSTANTS and lookup(node.id) is not None:
            raise InputError(
                f"`{node.id}` is a function: call it as {node.id}(…)", kind="syntax",
                start=node.span.start, end=node.span.end,
            )
        return node

    def paren(self, children: list[Any]) -> Any:
        inner = children[1]
        inner.span = _span(children)  # the node's text includes its parentheses
        return inner

    def implicit_mul(self, children: list[Any]) -> ast.Binary:
        """A product written without an operator: each factor times the next."""
        product = children[0]
        for previous, factor in zip(children, children[1:]):
            if isinstance(factor, ast.Number):
                raise InputError(
                    "a number after another factor is ambiguous", kind="syntax",
                    start=factor.span.start, end=factor.span.end,
                    hint="write the operator between them (x*2), or commas in a list: [1, 2]",
                )
            if (isinstance(previous, ast.Number) and isinstance(factor, ast.Name)
                    and factor.id in UNITS):
                raise _units(previous, factor)
            product = ast.Binary(_span([product, factor]), "*", product, factor, implicit=True)
        return product

    def superscript(self, children: list[Any]) -> ast.Binary:
        """x² is x^2: the superscript digits are the exponent."""
        base, token = children
        exponent = ast.Number(_span([token]), float(str(token).translate(_SUPERSCRIPT)))
        return ast.Binary(_span(children), "^", base, exponent)

    def root(self, children: list[Any]) -> ast.Call:
        """√x is sqrt(x)."""
        token, operand = children
        return ast.Call(_span(children), "sqrt", _span([token]), (operand,))

    def degree(self, children: list[Any]) -> ast.Binary:
        (token,) = children
        raise InputError("units are not supported: ° (degrees)", kind="units",
                         start=token.start_pos, end=token.end_pos,
                         hint="angles are in radians: write 30*pi/180 for 30°")

    def not_(self, children: list[Any]) -> ast.Unary:
        return ast.Unary(_span(children), "not", children[1])

    def neg(self, children: list[Any]) -> ast.Unary:
        return ast.Unary(_span(children), "-", children[1])

    def pos(self, children: list[Any]) -> ast.Unary:
        return ast.Unary(_span(children), "+", children[1])

    def range(self, children: list[Any]) -> ast.Range:
        start, stop = _nodes(children)
        return ast.Range(_span(children), start, stop, inclusive=False)

    def range_inclusive(self, children: list[Any]) -> ast.Range:
        start, stop = _nodes(children)
        return ast.Range(_span(children), start, stop, inclusive=True)

    def range_sampled(self, children: list[Any]) -> ast.Range:
        start, stop, count = _nodes(children)
        return ast.Range(_span(children), start, stop, inclusive=False, count=count)

    def range_inclusive_sampled(self, children: list[Any]) -> ast.Range:
        start, stop, count = _nodes(children)
        return ast.Range(_span(children), start, stop, inclusive=True, count=count)

    def arguments(self, children: list[Any]) -> _Seq:
        return _Seq(tuple(_nodes(children)), _span(children))

    items = subscripts = arguments

    def keyword(self, children: list[Any]) -> ast.Keyword:
        name, _, value = children
        return ast.Keyword(_span(children), str(name), _span([name]), value)

    def string(self, children: list[Any]) -> ast.String:
        (token,) = children
        return ast.String(_span(children), str(token)[1:-1])

    def call(self, children: list[Any]) -> ast.Call:
        name, *_, = children
        given = children[2].items if isinstance(children[2], _Seq) else ()
        args = tuple(a for a in given if not isinstance(a, ast.Keyword))
        keywords = tuple(a for a in given if isinstance(a, ast.Keyword))
        written = [a for a in given]
        if keywords and written.index(keywords[0]) < len(args):
            late = written[written.index(keywords[0]) + 1:]
            positional = next(a for a in late if not isinstance(a, ast.Keyword))
            raise InputError("a positional argument cannot follow a keyword argument",
                             kind="syntax", start=positional.span.start, end=positional.span.end,
                             hint="write the keyword arguments (like axis=0) last")
        return ast.Call(_span(children), str(name), _span([name]), args, keywords)

    def vector(self, children: list[Any]) -> ast.Vector:
        return ast.Vector(_span(children), children[1].items)

    def index(self, children: list[Any]) -> ast.Index:
        target, _, subscripts, _ = children
        return ast.Index(_span(children), target, subscripts.items)

    def slice(self, children: list[Any]) -> ast.Slice:
        parts = [c for c in children if not isinstance(c, str)]
        parts += [None] * (3 - len(parts))
        return ast.Slice(_span(children), *parts)

    # -- statements (program.lark) --------------------------------------------------------------

    def assign(self, children: list[Any]) -> ast.Assign:
        name, _, value = children
        return ast.Assign(_span(children), str(name), value)

    def return_(self, children: list[Any]) -> ast.Return:
        return ast.Return(_span(children), children[1] if len(children) > 1 else None)

    def pass_(self, children: list[Any]) -> ast.Pass:
        return ast.Pass(_span(children))

    def expression(self, children: list[Any]) -> ast.ExpressionStatement:
        return ast.ExpressionStatement(children[0].span, children[0])

    def simple_statements(self, children: list[Any]) -> _Seq:
        statements = tuple(_nodes(children))
        return _Seq(statements, _span(list(statements)))

    def block(self, children: list[Any]) -> _Seq:
        statements = _statements(children)
        return _Seq(statements, _span(list(statements)))

    def parameters(self, children: list[Any]) -> _Seq:
        names = [c for c in children if isinstance(c, str) and c.type == "NAME"]
        return _Seq(tuple(str(n) for n in names), _span(names))

    def elif_(self, children: list[Any]) -> ast.If:
        _, condition, _, body = children
        return ast.If(_span(children), ((condition, body.items),), None)

    def else_(self, children: list[Any]) -> _Seq:
        return _Seq(children[-1].items, _span(children))

    def if_(self, children: list[Any]) -> ast.If:
        _, condition, _, body, *rest = children
        branches = [(condition, body.items)]
        otherwise = otherwise_span = None
        for part in rest:
            if isinstance(part, ast.If):
                branches.extend(part.branches)
            elif isinstance(part, _Seq):
                otherwise, otherwise_span = part.items, part.span
        return ast.If(_span(children), tuple(branches), otherwise, otherwise_span)

    def while_(self, children: list[Any]) -> ast.While:
        _, condition, _, body = children
        return ast.While(_span(children), condition, body.items)

    def for_(self, children: list[Any]) -> ast.For:
        _, name, _, iterable, _, body = children
        return ast.For(_span(children), str(name), iterable, body.items)

    def def_(self, children: list[Any]) -> ast.Def:
        name, parameters, body = children[1], children[3], children[-1]
        return ast.Def(_span(children), str(name),
                       parameters.items if parameters is not None else (), body.items)

    def start(self, children: list[Any]) -> ast.Program:
        statements = _statements(children)
        span = _span(list(statements)) if statements else ast.Span(0, 0)
        return ast.Program(span, statements)


def _statements(children: list[Any]) -> tuple[Any, ...]:
    """Statements from a block's children: simple ones come grouped by line, as _Seq."""
    out: list[Any] = []
    for child in children:
        if isinstance(child, _Seq):
            out.extend(child.items)
        elif not isinstance(child, str) and child is not None:
            out.append(child)
    return tuple(out)


def grammar_text() -> str:
    """Both grammar files, which the generated tables say they were made from."""
    return "".join(grammar_file(name).read_text(encoding="utf-8")
                   for name in ("formula.lark", "program.lark"))


def _tables_current() -> bool:
    """Whether grammar_tables.py was generated from the grammar files as they are now, in the
    layout lalr.py reads. The texts are compared, not digests: importing hashlib (OpenSSL) is
    about 4 ms of a start. Which lark made them is the module's word (LARK): importing lark to
    ask would cost what the tables save; lark_parser.py checks it before lark reads its own."""
    from adcli.language import grammar_tables

    return grammar_tables.FORMAT == FORMAT and grammar_tables.GRAMMAR == grammar_text()


@functools.lru_cache(maxsize=None)
def _driver(program: bool = False) -> Driver:
    """The parser: lalr.py's loop over the tables scripts/gen_parser.py generated into the
    package. Should the grammar have changed since (a test says so), lark builds the tables from
    the grammar files instead, correct but slower."""
    if _tables_current():
        from adcli.language import grammar_tables

        return Driver(grammar_tables.plain_tables(program), Build())
    from adcli.language.lark_parser import lark_parser, plain_tables

    return Driver(plain_tables(lark_parser(program)), Build())


def parse(source: str, program: bool = False) -> Formula:
    """Parse a formula, or with `program` a program. Raises InputError, with the position, if
    the text is not one; calls are checked against the built-ins and the program's own `def`s."""
    what = "program" if program else "formula"
    if not source.strip():
        raise InputError(f"the {what} is empty", kind="syntax", source=source, start=0, end=0)
    if len(source) > MAX_FORMULA_LENGTH:
        raise InputError(
            f"the {what} is {len(source):,} characters long; the limit is {MAX_FORMULA_LENGTH:,}",
            kind="size-limit", source=source[:80],
        )
    text = source if not program or source.endswith("\n") else source + "\n"
    # Parsing allocates a few objects per token (tokens, nodes, spans), none in a reference
    # cycle: the cyclic collector would find nothing, yet on a 1 MB formula its passes over
    # everything made so far took nearly half of the parse.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            tree = _driver(program).parse(text)
        except Refused:
            # lark parses the text again, and its error says what was expected where
            from adcli.language.lark_parser import parse_with_lark

            tree = parse_with_lark(source, text, program)
        functions, variables = check(tree, program, text)
    except InputError as error:  # raised by a reduction in Build, by lark's error or the checks
        error.source = source
        raise
    finally:
        if collecting:
            gc.enable()
    return Formula(source, tree, variables, functions)
